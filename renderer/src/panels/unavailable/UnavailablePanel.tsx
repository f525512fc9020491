import type { ComponentType } from 'react';

/** An honest placeholder for a capability that has not landed yet. */
export function unavailablePanel(title: string, purpose: string): ComponentType {
  return function UnavailablePanel() {
    return (
      <section className="panel" aria-labelledby={`${title}-title`}>
        <h1 id={`${title}-title`}>{title}</h1>
        <div className="unavailable" data-testid="panel-unavailable">
          <p>
            <strong>Not available yet.</strong> {purpose}
          </p>
          <p>This part of Parley has not been built in this version. Nothing here is simulated.</p>
        </div>
      </section>
    );
  };
}
