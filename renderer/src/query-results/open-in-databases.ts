import { create } from 'zustand';
import { navigateTo } from '../app/navigation';

export interface OpenQueryRequest {
  /** Distinguishes two requests for the same query: each runs once. */
  id: number;
  connection: string;
  sql: string;
}

interface OpenQueryState {
  request: OpenQueryRequest | null;
}

/**
 * A query to show in full in the Databases panel, asked from elsewhere (a result under an answer
 * shows its first rows; its link opens all of them). The panel takes the request, selects the
 * connection, puts the SQL in its query box and runs it.
 */
export const useOpenQueryRequest = create<OpenQueryState>(() => ({ request: null }));

let nextId = 1;

export function openInDatabases(connection: string, sql: string): void {
  useOpenQueryRequest.setState({ request: { id: nextId++, connection, sql } });
  navigateTo('databases');
}

/** The panel took the request: it is not run again when the panel is shown next time. */
export function takeOpenQueryRequest(id: number): void {
  if (useOpenQueryRequest.getState().request?.id === id) useOpenQueryRequest.setState({ request: null });
}
