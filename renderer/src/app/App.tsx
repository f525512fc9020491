import { useQueryClient } from '@tanstack/react-query';
import { Component, Suspense, useEffect, type ReactNode } from 'react';
import { ParleyError, topics } from '#protocol';
import { ConnectionIndicator } from '../connection/ConnectionIndicator';
import { TokenPrompt } from '../connection/TokenPrompt';
import { connectToBackend, controlClient, isDesktopApp, useConnectionStatus } from '../connection';
import { ErrorDetails, reportError, showErrorDetails, Toasts, useErrorStore } from '../errors';
import { connectServerState, useTopic } from '../server-state';
import { changeSetting, useSetting } from '../settings';
import { navigateTo, useNavigationStore } from './navigation';
import { panels } from './panels';
import { StatusIndicator } from './StatusIndicator';
import { useAppliedTheme } from './use-applied-theme';

export function App() {
  const status = useConnectionStatus();
  const queryClient = useQueryClient();
  const activeId = useNavigationStore((state) => state.activePanelId) || (panelFromHash() ?? panels[0]!.id);
  useAppliedTheme();
  // The shell shows the theme and every panel reads settings: it holds this topic for the whole session.
  useTopic(topics.settings);

  useEffect(() => {
    const stopServerState = connectServerState(queryClient, controlClient, { reportError });
    const stopNotices = controlClient.onNotice((error) => reportError('Backend', ParleyError.fromWire(error)));
    const disconnect = connectToBackend();
    return () => {
      stopServerState();
      stopNotices();
      disconnect();
    };
  }, [queryClient]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const panel = panels[Number(event.key) - 1];
      if (panel) {
        event.preventDefault();
        navigateTo(panel.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    history.replaceState(null, '', `#${activeId}`);
  }, [activeId]);

  if (status.state === 'unauthorized' && !isDesktopApp()) return <TokenPrompt reason={status.reason} />;

  const active = panels.find((panel) => panel.id === activeId) ?? panels[0]!;
  const ActivePanel = active.component;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav className="nav" aria-label="Panels">
        <div className="brand">Parley</div>
        <ul>
          {panels.map((panel, index) => (
            <li key={panel.id}>
              <button
                type="button"
                aria-current={panel.id === activeId ? 'page' : undefined}
                onClick={() => navigateTo(panel.id)}
                title={`${panel.label} (Alt+${index + 1})`}
              >
                {panel.label}
              </button>
            </li>
          ))}
        </ul>
        <div className="nav-footer">
          <ThemeSelect />
          <ErrorHistoryButton />
        </div>
      </nav>
      <div className="main-column">
        <header className="topbar">
          <StatusIndicator />
          <ConnectionIndicator />
        </header>
        <main id="main" tabIndex={-1}>
          <PanelBoundary key={active.id}>
            <Suspense fallback={<PanelLoading />}>
              <ActivePanel />
            </Suspense>
          </PanelBoundary>
        </main>
      </div>
      <Toasts />
      <ErrorDetails />
    </div>
  );
}

function PanelLoading() {
  return (
    <p className="panel-loading" role="status">
      Loading…
    </p>
  );
}

/** A panel whose code could not be loaded (e.g. the backend was updated under a running console) says so instead of blanking the window. */
class PanelBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    reportError('Console', error);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <p className="empty-state" role="alert">
        This panel could not be shown. Reload the console; the error history has the details.
      </p>
    );
  }
}

function ThemeSelect() {
  const theme = useSetting('ui.theme');
  return (
    <label className="theme-select">
      Theme{' '}
      <select value={theme} onChange={(event) => void changeSetting('ui.theme', event.target.value as typeof theme)}>
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}

function ErrorHistoryButton() {
  const count = useErrorStore((state) => state.errors.length);
  return (
    <button type="button" onClick={() => showErrorDetails(-1)}>
      Errors ({count})
    </button>
  );
}

function panelFromHash(): string | undefined {
  const id = window.location.hash.slice(1);
  return panels.some((panel) => panel.id === id) ? id : undefined;
}
