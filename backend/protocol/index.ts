/**
 * The one definition of every message between the renderer and the backend (and between Electron
 * main and the backend). Runtime-free: zod only, so the renderer, main and backend all import it.
 * Each capability's methods, events and settings live in its own file and are spread into the
 * one table (methods.ts, events.ts, settings.ts).
 */
export * from './errors';
export * from './envelope';
export * from './define';
export * from './topics';
export * from './methods';
export * from './events';
export * from './settings';
export * from './system';
export * from './diagnostics';
export * from './agent';
export * from './speech';
export * from './confirmations';
export * from './actions';
export * from './whatsapp';
export * from './databases';
export * from './documents';
export * from './audio-frames';
export * from './supervision';
export type * from './handlers';
