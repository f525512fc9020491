import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Stage } from '#protocol';
import { ListenerSet, type Disposable } from '../../base';

export type { Stage } from '#protocol';
export type StageOutcome = 'ok' | 'error';

/** Hears every recorded stage duration (Diagnostics keeps them as a time series); called synchronously, so keep it cheap. */
export type StageListener = (stage: Stage, milliseconds: number, outcome: StageOutcome) => void;

/** The backend's Prometheus metrics; capabilities add theirs to `registry`. */
export class BackendMetrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'parley_http_requests_total',
    help: 'HTTP requests served, by route and status',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });

  readonly rpcDuration = new Histogram({
    name: 'parley_rpc_duration_seconds',
    help: 'Time to answer a control-API method, by method and outcome',
    labelNames: ['method', 'outcome'] as const,
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [this.registry],
  });

  readonly socketConnections = new Gauge({
    name: 'parley_socket_connections',
    help: 'Authenticated sockets open now',
    registers: [this.registry],
  });

  readonly rejectedFrames = new Counter({
    name: 'parley_rejected_frames_total',
    help: 'Socket frames and HTTP bodies rejected, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  /**
   * How long each stage of a turn took, whatever the channel: the stages operators compare when an
   * answer was slow. Seconds, Prometheus convention.
   */
  readonly stageDuration = new Histogram({
    name: 'parley_stage_duration_seconds',
    help: 'Duration of a stage of a turn: vad_end, stt, llm_first_token, llm_total, tts_first_audio, tool, sql, whatsapp_ack, whatsapp_delivery, pdf_ingest_page',
    labelNames: ['stage'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly stageErrors = new Counter({
    name: 'parley_stage_errors_total',
    help: 'Stages of a turn that failed (their duration is in parley_stage_duration_seconds too)',
    labelNames: ['stage'] as const,
    registers: [this.registry],
  });

  private readonly stageListeners = new ListenerSet<[Stage, number, StageOutcome]>();

  /** Records one stage's duration, given in milliseconds as Parley measures them; a failed stage counts as an error too. */
  observeStage(stage: Stage, milliseconds: number, outcome: StageOutcome = 'ok'): void {
    this.stageDuration.observe({ stage }, milliseconds / 1000);
    if (outcome === 'error') this.stageErrors.inc({ stage });
    if (this.stageListeners.size > 0) this.stageListeners.emit(stage, milliseconds, outcome);
  }

  onStage(listener: StageListener): Disposable {
    return this.stageListeners.add(listener);
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'parley_process_' });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
