import type { MethodHandlers } from '#protocol';
import type { CapabilityFactory } from '../platform/capability';

/**
 * What an operator looks at when something is slow or wrong: every component's health and the
 * recent log. (Metrics charts, the log viewer, the support bundle and replays grow here.)
 */
export const diagnosticsCapability: CapabilityFactory = (context) => ({
  id: 'diagnostics',
  methods: {
    'diagnostics.health': () => context.health.report(),
    'diagnostics.recentLogs': ({ limit }) => ({ entries: context.recentLogs.latest(limit) }),
  } satisfies MethodHandlers<'diagnostics.health' | 'diagnostics.recentLogs'>,
});
