import { create } from 'zustand';
import { ParleyError, type WireError } from '#protocol';

export interface ReportedError {
  id: number;
  at: number;
  /** Where it happened, e.g. "Settings" or "Connection". */
  source: string;
  error: WireError;
  /** Still shown as a toast (dismissed ones stay in the history). */
  toast: boolean;
  /** The one thing that fixes it, offered as a button on the toast (e.g. "Get a speech model"). */
  remedy?: ErrorRemedy;
}

export interface ErrorRemedy {
  label: string;
  run(): void;
}

interface ErrorState {
  errors: ReportedError[];
  detailId: number | null;
}

const MAX_KEPT = 100;
let nextId = 1;

/** The one place every failure surfaces: a toast now, the history in the detail view. */
export const useErrorStore = create<ErrorState>(() => ({ errors: [], detailId: null }));

export function reportError(source: string, error: unknown, remedy?: ErrorRemedy): void {
  const wire = toWireError(error);
  const entry: ReportedError = { id: nextId++, at: Date.now(), source, error: wire, toast: true };
  if (remedy) entry.remedy = remedy;
  useErrorStore.setState((state) => ({ errors: [...state.errors, entry].slice(-MAX_KEPT) }));
}

export function dismissToast(id: number): void {
  useErrorStore.setState((state) => ({ errors: state.errors.map((entry) => (entry.id === id ? { ...entry, toast: false } : entry)) }));
}

export function showErrorDetails(id: number | null): void {
  useErrorStore.setState({ detailId: id });
}

export function clearErrors(): void {
  useErrorStore.setState({ errors: [], detailId: null });
}

function toWireError(error: unknown): WireError {
  if (error instanceof ParleyError) return error.toWire();
  if (error instanceof Error) return { code: 'internal', message: error.message };
  return { code: 'internal', message: String(error) };
}
