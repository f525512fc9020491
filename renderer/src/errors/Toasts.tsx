import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { dismissToast, showErrorDetails, useErrorStore, type ReportedError } from './error-store';

const TOAST_MS = 8000;
const MAX_VISIBLE = 4;

export function Toasts() {
  const toasts = useErrorStore(useShallow((state) => state.errors.filter((entry) => entry.toast).slice(-MAX_VISIBLE)));
  return (
    <div className="toasts" role="region" aria-label="Notifications">
      {toasts.map((toast) => (
        <Toast key={toast.id} toast={toast} />
      ))}
    </div>
  );
}

function Toast({ toast }: { toast: ReportedError }) {
  useEffect(() => {
    const timer = setTimeout(() => dismissToast(toast.id), TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast.id]);
  return (
    <div className="toast" role="alert">
      <div className="toast-text">
        <strong>{toast.source}:</strong> {toast.error.message}
        {toast.error.hint && <div className="hint">{toast.error.hint}</div>}
      </div>
      <div className="toast-actions">
        {toast.remedy && (
          <button
            type="button"
            className="primary"
            onClick={() => {
              toast.remedy?.run();
              dismissToast(toast.id);
            }}
          >
            {toast.remedy.label}
          </button>
        )}
        <button type="button" onClick={() => showErrorDetails(toast.id)}>
          Details
        </button>
        <button type="button" aria-label="Dismiss" onClick={() => dismissToast(toast.id)}>
          ×
        </button>
      </div>
    </div>
  );
}
