import type { Knex } from 'knex';
import { stageSchema, type Stage } from '#protocol';
import { STAGE_MINUTES_TABLE } from '../migrations';
import { sketchFromJson, sketchToJson } from './latency-sketch';
import { mergeBucket, type StageBucket } from './stage-buckets';

interface StageMinuteRow {
  bucket_start: number | string;
  stage: string;
  count: number;
  errors: number;
  sum_ms: number;
  max_ms: number;
  sketch_json: string;
}

/** The per-minute stage time series in the app store. */
export class StageMetricStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Adds buckets to what is stored for their minute: read, merge, write in one transaction, so a
   * restart in the middle of a minute (or a second writer) adds to the row instead of replacing it.
   * Two statements whatever the number of buckets: the app store has one connection, and webhook
   * intake writes wait while a transaction holds it.
   */
  async add(buckets: readonly StageBucket[]): Promise<void> {
    if (buckets.length === 0) return;
    await this.knex.transaction(async (trx) => {
      const starts = [...new Set(buckets.map((bucket) => bucket.bucketStart))];
      const stages = [...new Set(buckets.map((bucket) => bucket.stage))];
      const stored = (await trx(STAGE_MINUTES_TABLE).whereIn('bucket_start', starts).whereIn('stage', stages)) as StageMinuteRow[];
      const merged = new Map(stored.map((row) => [`${Number(row.bucket_start)}|${row.stage}`, fromRow(row)]));
      const touched = new Set<string>();
      for (const bucket of buckets) {
        const key = `${bucket.bucketStart}|${bucket.stage}`;
        touched.add(key);
        const row = merged.get(key);
        if (row) mergeBucket(row, bucket);
        else merged.set(key, bucket);
      }
      // One row per key: PostgreSQL refuses an upsert that touches a row twice.
      const rows = [...touched].map((key) => {
        const bucket = merged.get(key)!;
        return { bucket_start: bucket.bucketStart, stage: bucket.stage, ...columnsOf(bucket) };
      });
      await trx(STAGE_MINUTES_TABLE).insert(rows).onConflict(['bucket_start', 'stage']).merge();
    });
  }

  /** Buckets whose minute starts in [from, to), optionally of the given stages. */
  async range(from: number, to: number, stages?: readonly Stage[]): Promise<StageBucket[]> {
    const query = this.knex(STAGE_MINUTES_TABLE).where('bucket_start', '>=', from).andWhere('bucket_start', '<', to).orderBy('bucket_start');
    if (stages) query.whereIn('stage', [...stages]);
    const rows = (await query) as StageMinuteRow[];
    return rows.filter((row) => stageSchema.safeParse(row.stage).success).map(fromRow);
  }

  /** Deletes minutes that started before `before`; answers how many rows went. */
  async prune(before: number): Promise<number> {
    return this.knex(STAGE_MINUTES_TABLE).where('bucket_start', '<', before).delete();
  }
}

function columnsOf(bucket: StageBucket) {
  return { count: bucket.count, errors: bucket.errors, sum_ms: bucket.sumMs, max_ms: bucket.maxMs, sketch_json: sketchToJson(bucket.sketch) };
}

function fromRow(row: StageMinuteRow): StageBucket {
  return {
    // bigInteger comes back as a string from PostgreSQL and MySQL drivers.
    bucketStart: Number(row.bucket_start),
    stage: row.stage as Stage,
    count: Number(row.count),
    errors: Number(row.errors),
    sumMs: Number(row.sum_ms),
    maxMs: Number(row.max_ms),
    sketch: sketchFromJson(row.sketch_json),
  };
}
