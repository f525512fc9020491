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
    'diagnostics.jobs': async ({ status, queue, limit }) => ({
      counts: await context.jobs.counts(),
      jobs: (await context.jobs.list({ status, queue, limit })).map((job) => ({
        id: job.id,
        queue: job.queue,
        status: job.status,
        attempts: job.attempts,
        maxAttempts: job.maxAttempts,
        lastError: job.lastError,
        serialKey: job.serialKey,
        createdAt: job.createdAt,
        updatedAt: job.updatedAt,
      })),
    }),
    'diagnostics.jobs.retry': async ({ id }) => {
      await context.jobs.retry(id);
      return {};
    },
  } satisfies MethodHandlers<'diagnostics.health' | 'diagnostics.recentLogs' | 'diagnostics.jobs' | 'diagnostics.jobs.retry'>,
  health: {
    jobs: async () => {
      const counts = await context.jobs.counts();
      const dead = counts.reduce((sum, queue) => sum + queue.dead, 0);
      const waiting = counts.reduce((sum, queue) => sum + queue.queued + queue.running, 0);
      // Dead letters need an operator's look, but the queue itself still serves.
      return { ready: true, detail: `${waiting} job(s) waiting or running, ${dead} dead${dead > 0 ? ' (see Diagnostics → jobs)' : ''}` };
    },
  },
});
