import { useQueryClient } from '@tanstack/react-query';
import { topics, type Confirmation } from '#protocol';
import { controlClient } from '../connection';
import { useBackendEvent, useBackendQuery, useTopic } from '../server-state';

const pendingKey = ['confirmations', 'pending'] as const;

/** The calls waiting for a person's approval, kept fresh from the `confirmations` topic while shown. */
export function usePendingConfirmations(): Confirmation[] {
  const queryClient = useQueryClient();
  useTopic(topics.confirmations);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: pendingKey });
  useBackendEvent('confirmation.requested', refresh);
  useBackendEvent('confirmation.resolved', refresh);
  const pending = useBackendQuery({ queryKey: pendingKey, queryFn: () => controlClient.request('confirmations.pending', {}) });
  return pending.data?.confirmations ?? [];
}
