/** The contract every capability plugs into the backend with. */
export type { Capability, CapabilityContext, CapabilityFactory, CapabilityMethodHandler } from './capability';
