import type { StoreMigration } from '../store';

export const STAGE_MINUTES_TABLE = 'diagnostics_stage_minutes';
export const REPLAY_RUNS_TABLE = 'diagnostics_replay_runs';
export const REPLAY_RESULTS_TABLE = 'diagnostics_replay_results';

/** Portable schema (knex builder only): the time series and the replay runs could live in PostgreSQL too. */
export const diagnosticsMigrations: StoreMigration[] = [
  {
    name: '0700_diagnostics_stage_minutes',
    async up(knex) {
      await knex.schema.createTable(STAGE_MINUTES_TABLE, (table) => {
        // Epoch ms of the minute's start: range scans and retention need no SQL date functions.
        table.bigInteger('bucket_start').notNullable();
        table.string('stage', 32).notNullable();
        table.integer('count').notNullable();
        table.integer('errors').notNullable();
        table.double('sum_ms').notNullable();
        table.double('max_ms').notNullable();
        // The latency sketch, bucket index → count (see metrics/latency-sketch.ts).
        table.text('sketch_json').notNullable();
        table.primary(['bucket_start', 'stage']);
      });
    },
    async down(knex) {
      await knex.schema.dropTable(STAGE_MINUTES_TABLE);
    },
  },
  {
    name: '0710_diagnostics_replays',
    async up(knex) {
      await knex.schema.createTable(REPLAY_RUNS_TABLE, (table) => {
        table.string('id', 36).primary();
        table.string('status', 16).notNullable();
        table.text('conversation_ids_json').notNullable();
        table.text('model_json');
        table.text('system_prompt');
        table.integer('total_turns').notNullable().defaultTo(0);
        table.text('error');
        table.bigInteger('created_at').notNullable();
        table.bigInteger('finished_at');
        table.index(['created_at'], 'diagnostics_replay_runs_created');
      });
      await knex.schema.createTable(REPLAY_RESULTS_TABLE, (table) => {
        table.string('run_id', 36).notNullable().references('id').inTable(REPLAY_RUNS_TABLE).onDelete('CASCADE');
        table.string('conversation_id', 100).notNullable();
        table.integer('turn_index').notNullable();
        table.integer('seq').notNullable();
        // The whole scored turn (text, tools, sources, timings of both sides): read back as one.
        table.text('result_json').notNullable();
        table.primary(['run_id', 'conversation_id', 'turn_index']);
      });
    },
    async down(knex) {
      await knex.schema.dropTable(REPLAY_RESULTS_TABLE);
      await knex.schema.dropTable(REPLAY_RUNS_TABLE);
    },
  },
];
