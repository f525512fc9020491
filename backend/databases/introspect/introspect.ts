import type { Knex } from 'knex';
import type { DatabaseDialect, SchemaTable } from '#protocol';
import { introspectMysql } from './mysql-schema';
import { introspectMssql, introspectOracle } from './other-schemas';
import { introspectPostgres } from './postgres-schema';
import { introspectSqlite } from './sqlite-schema';

export function introspect(knex: Knex, dialect: DatabaseDialect): Promise<SchemaTable[]> {
  switch (dialect) {
    case 'postgres':
      return introspectPostgres(knex);
    case 'mysql':
      return introspectMysql(knex);
    case 'sqlite':
      return introspectSqlite(knex);
    case 'mssql':
      return introspectMssql(knex);
    case 'oracle':
      return introspectOracle(knex);
  }
}
