import type { z } from 'zod';
import { actionsMethods } from './actions';
import { confirmationsMethods } from './confirmations';
import { agentMethods } from './agent';
import { diagnosticsMethods } from './diagnostics';
import { documentsMethods } from './documents';
import { speechMethods } from './speech';
import { databasesMethods } from './databases';
import { systemMethods } from './system';
import { whatsappMethods } from './whatsapp';

/**
 * Every request the renderer (or any control-API client) can make, with the schema of its params
 * and of its result. The socket and `POST /api/rpc/<method>` serve exactly this table. A
 * capability adds its methods by spreading its `<capability>Methods` here.
 */
export const methods = {
  ...systemMethods,
  ...diagnosticsMethods,
  ...agentMethods,
  ...speechMethods,
  ...confirmationsMethods,
  ...actionsMethods,
  ...whatsappMethods,
  ...databasesMethods,
  ...documentsMethods,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type ParamsOf<M extends MethodName> = z.input<Methods[M]['params']>;
export type ParsedParamsOf<M extends MethodName> = z.output<Methods[M]['params']>;
export type ResultOf<M extends MethodName> = z.output<Methods[M]['result']>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}
