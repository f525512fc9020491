import type { StoreMigration } from '../store';
import { passageIndexMigration } from './search/passage-index';

export const documentsMigrations: StoreMigration[] = [
  {
    name: '0400_documents_pages_chunks',
    async up(knex) {
      await knex.schema.createTable('documents', (table) => {
        table.string('id').primary();
        table.string('title').notNullable();
        table.string('file_name').notNullable();
        // One document per content: a second upload of the same bytes is recognised by this.
        table.string('sha256').notNullable().unique();
        table.integer('size_bytes').notNullable();
        table.string('status').notNullable();
        table.text('error');
        table.integer('pages');
        table.integer('pages_done').notNullable().defaultTo(0);
        // Staff documents are internal until an operator lets WhatsApp contacts search them.
        table.boolean('whatsapp_access').notNullable().defaultTo(false);
        table.string('created_at').notNullable();
        table.string('updated_at').notNullable().index();
      });
      await knex.schema.createTable('document_pages', (table) => {
        table.string('document_id').notNullable().references('documents.id').onDelete('CASCADE');
        table.integer('page').notNullable();
        table.text('text').notNullable();
        table.boolean('ocr').notNullable().defaultTo(false);
        table.primary(['document_id', 'page']);
      });
      // The passages search returns: each lies on one page (page boundaries are never crossed).
      await knex.schema.createTable('document_chunks', (table) => {
        table.increments('id');
        table.string('document_id').notNullable().references('documents.id').onDelete('CASCADE').index();
        table.integer('page').notNullable();
        table.integer('seq').notNullable();
        table.text('text').notNullable();
        table.boolean('ocr').notNullable().defaultTo(false);
      });
    },
    async down(knex) {
      await knex.schema.dropTable('document_chunks');
      await knex.schema.dropTable('document_pages');
      await knex.schema.dropTable('documents');
    },
  },
  passageIndexMigration('0401_documents_passage_index'),
  {
    name: '0402_documents_tags_origin_embeddings',
    async up(knex) {
      await knex.schema.createTable('document_tags', (table) => {
        table.string('document_id').notNullable().references('documents.id').onDelete('CASCADE');
        table.string('tag').notNullable().index();
        table.primary(['document_id', 'tag']);
      });
      // A PDF a WhatsApp contact sent: which channel and who (null for console and API uploads).
      await knex.schema.alterTable('documents', (table) => {
        table.string('origin_channel');
        table.string('origin_sender');
      });
      // One vector per passage and embedding model, float32 little-endian, unit length.
      await knex.schema.createTable('document_chunk_embeddings', (table) => {
        table.integer('chunk_id').notNullable().references('document_chunks.id').onDelete('CASCADE');
        table.string('model').notNullable();
        table.binary('vector').notNullable();
        table.primary(['chunk_id', 'model']);
      });
    },
    async down(knex) {
      await knex.schema.dropTable('document_chunk_embeddings');
      await knex.schema.alterTable('documents', (table) => {
        table.dropColumn('origin_channel');
        table.dropColumn('origin_sender');
      });
      await knex.schema.dropTable('document_tags');
    },
  },
];
