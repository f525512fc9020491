import { ParleyError, type MethodHandlers, type Provider } from '#protocol';
import type { CapabilityFactory } from '../platform/capability';
import type { JobWorker } from '../platform/jobs';
import { bundleRoute } from './bundle/bundle-route';
import { StatusMonitor } from './health/status-monitor';
import { searchLogs } from './logs/log-search';
import { MetricsRecorder } from './metrics/metrics-recorder';
import { StageMetricStore } from './metrics/stage-metric-store';
import { diagnosticsMigrations } from './migrations';
import { replayExportRoute } from './replay/replay-export-route';
import { ReplayRepository } from './replay/replay-repository';
import { ReplayService, type ConversationSource } from './replay/replay-service';

export { REPLAY_QUEUE } from './replay/replay-service';

/** What Diagnostics reads of the agent, passed in by the composition root (a capability imports no other). */
export interface DiagnosticsDependencies {
  /** Provider records for the support bundle (their keys are never part of them). */
  listProviders(): Promise<Provider[]>;
  /** The recorded conversations a replay reads. */
  conversations: ConversationSource;
}

type DiagnosticsMethod =
  | 'diagnostics.health'
  | 'diagnostics.health.check'
  | 'diagnostics.recentLogs'
  | 'diagnostics.logs'
  | 'diagnostics.jobs'
  | 'diagnostics.jobs.retry'
  | 'diagnostics.metrics'
  | 'diagnostics.status'
  | 'diagnostics.replay'
  | 'diagnostics.replay.list'
  | 'diagnostics.replay.get'
  | 'diagnostics.replay.cancel';

/**
 * What an operator looks at when something is slow or wrong: every component's health (checked
 * in the background, and now on request), the stage metrics as a stored time series, the
 * structured log with filters, the job queue, a support bundle without secrets, and replays of
 * recorded conversations against another model or prompt.
 */
export function diagnosticsCapability(dependencies: DiagnosticsDependencies): CapabilityFactory {
  return (context) => {
    const recorder = new MetricsRecorder({ metrics: context.metrics, store: new StageMetricStore(context.store.knex), settings: context.settings, publish: context.events.publish, logger: context.logger });
    const status = new StatusMonitor({ health: context.health, events: context.events, publish: context.events.publish, settings: context.settings, logger: context.logger });
    const replays = new ReplayRepository(context.store.knex);
    const replay = new ReplayService({ repository: replays, conversations: dependencies.conversations, turns: context.turns, jobs: context.jobs, publish: context.events.publish, logger: context.logger });
    let replayWorker: JobWorker | undefined;
    return {
      id: 'diagnostics',
      migrations: diagnosticsMigrations,
      methods: {
        'diagnostics.health': () => context.health.report(),
        'diagnostics.health.check': ({ component }) => {
          if (component && !context.health.has(component)) throw new ParleyError('not_found', `No component "${component}" is checked`, { hint: 'diagnostics.health lists the components.' });
          return context.health.report(component ? { only: [component] } : {});
        },
        'diagnostics.recentLogs': ({ limit }) => ({ entries: context.recentLogs.latest(limit) }),
        'diagnostics.logs': (params) => searchLogs(params, { recent: context.recentLogs, dataDir: context.dataDir }),
        'diagnostics.jobs': async ({ status: jobStatus, queue, limit }) => ({
          counts: await context.jobs.counts(),
          jobs: (await context.jobs.list({ status: jobStatus, queue, limit })).map((job) => ({
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
        'diagnostics.metrics': async (params) => ({ from: params.from, to: params.to, step: params.step, series: await recorder.series(params) }),
        'diagnostics.status': () => status.current(),
        'diagnostics.replay': async (params) => ({ run: await replay.start(params) }),
        'diagnostics.replay.list': async ({ limit }) => ({ runs: await replays.list(limit) }),
        'diagnostics.replay.get': async ({ id }) => ({ run: await replays.get(id), results: await replays.results(id) }),
        'diagnostics.replay.cancel': async ({ id }) => ({ run: await replay.cancel(id) }),
      } satisfies MethodHandlers<DiagnosticsMethod>,
      routes: [
        bundleRoute({ ...context, listProviders: dependencies.listProviders }),
        replayExportRoute(replays),
      ],
      health: {
        jobs: async () => {
          const counts = await context.jobs.counts();
          const dead = counts.reduce((sum, queue) => sum + queue.dead, 0);
          const waiting = counts.reduce((sum, queue) => sum + queue.queued + queue.running, 0);
          // Dead letters need an operator's look, but the queue itself still serves.
          return { ready: true, detail: `${waiting} job(s) waiting or running, ${dead} dead${dead > 0 ? ' (see Diagnostics → jobs)' : ''}` };
        },
      },
      start() {
        recorder.start();
        replayWorker = replay.work();
      },
      serving() {
        // The first background check runs once the backend serves: it must not delay the start.
        status.start();
      },
      async stop() {
        status.stop();
        await replayWorker?.dispose();
        await recorder.stop();
      },
    };
  };
}
