import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { topics, type MethodName, type ParamsOf, type ResultOf } from '#protocol';
import { controlClient } from '../../connection';
import { reportError } from '../../errors';
import { useBackendEvent, useBackendQuery, useTopic } from '../../server-state';

/** The panel's server state; every `actions.*` event invalidates the part it changes. */
export const actionsKeys = {
  all: ['actions'] as const,
  list: ['actions', 'list'] as const,
  audit: ['actions', 'audit'] as const,
};

export const AUDIT_ROWS = 200;

/** Holds the `actions` topic while the panel is shown and keeps its queries fresh from its events. */
export function useActionsState() {
  const queryClient = useQueryClient();
  useTopic(topics.actions);
  // Events were missed while the panel was hidden: reload once on show, then follow.
  useEffect(() => void queryClient.invalidateQueries({ queryKey: actionsKeys.all }, { cancelRefetch: false }), [queryClient]);
  useBackendEvent('actions.changed', () => void queryClient.invalidateQueries({ queryKey: actionsKeys.list }));
  useBackendEvent('actions.audit.recorded', () => void queryClient.invalidateQueries({ queryKey: actionsKeys.audit }));
  const list = useBackendQuery({ queryKey: actionsKeys.list, queryFn: () => controlClient.request('actions.list', {}) });
  const audit = useBackendQuery({ queryKey: actionsKeys.audit, queryFn: () => controlClient.request('actions.audit', { limit: AUDIT_ROWS }) });
  return { list: list.data, audit: audit.data?.entries ?? [] };
}

/** A request whose failure goes to the error toasts (with the backend's message and hint); resolves undefined then. */
export async function requestOrReport<M extends MethodName>(source: string, method: M, params: ParamsOf<M>): Promise<ResultOf<M> | undefined> {
  try {
    return await controlClient.request(method, params);
  } catch (error) {
    reportError(source, error);
    return undefined;
  }
}
