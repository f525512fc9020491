/**
 * The one definition of every message between the renderer and the backend (and between Electron
 * main and the backend). Runtime-free: zod only, so the renderer, main and backend all import it.
 */
export * from './errors';
export * from './envelope';
export * from './methods';
export * from './events';
export * from './settings';
export * from './health';
export * from './agent';
export * from './voice';
export * from './audio-frames';
export * from './supervision';
export type * from './handlers';
