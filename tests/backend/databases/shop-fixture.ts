import type { Knex } from 'knex';

/**
 * The same small shop on PostgreSQL and MariaDB: customers, orders with a foreign key and
 * comments, a view, and a 100k-row table for the row cap and streaming.
 */
export async function createShopFixture(knex: Knex, kind: 'postgres' | 'mysql' | 'sqlite'): Promise<void> {
  await knex.schema.createTable('customers', (table) => {
    table.increments('id').primary();
    const name = table.string('name').notNullable();
    table.string('city');
    // SQLite keeps no comments.
    if (kind !== 'sqlite') {
      name.comment('Full name as the customer typed it');
      table.comment('People who bought something');
    }
  });
  await knex.schema.createTable('orders', (table) => {
    table.increments('id').primary();
    table.integer('customer_id').unsigned().notNullable().references('id').inTable('customers');
    table.decimal('total', 10, 2).notNullable();
  });
  await knex.schema.createTable('numbers', (table) => {
    table.integer('n').primary();
  });
  await knex('customers').insert([
    { name: 'Ada', city: 'Paris' },
    { name: 'Ben', city: 'Berlin' },
    { name: "O'Hara; DROP TABLE customers", city: 'Dublin' },
  ]);
  await knex('orders').insert([
    { customer_id: 1, total: 10.5 },
    { customer_id: 1, total: 20 },
    { customer_id: 2, total: 7.25 },
  ]);
  if (kind === 'sqlite') {
    await knex.raw('INSERT INTO numbers WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 100000) SELECT n FROM s');
  } else if (kind === 'postgres') {
    await knex.raw('INSERT INTO numbers SELECT generate_series(1, 100000)');
    await knex.raw('CREATE SEQUENCE order_numbers');
    await knex.raw('ANALYZE');
  } else {
    await knex.raw(
      'INSERT INTO numbers WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 100000) SELECT n FROM s',
    ).catch(async () => {
      // cte_max_recursion_depth (MySQL) defaults to 1000: insert in batches instead.
      for (let start = 1; start <= 100_000; start += 5000) {
        await knex('numbers').insert(Array.from({ length: 5000 }, (_unused, index) => ({ n: start + index })));
      }
    });
    await knex.raw('ANALYZE TABLE customers, orders, numbers');
  }
  await knex.raw('CREATE VIEW customer_totals AS SELECT c.name, SUM(o.total) AS total FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.name');
}

/** A fingerprint of every row of the fixture's tables: equal before and after means nothing changed. */
export async function checksumShop(knex: Knex): Promise<string> {
  const parts: string[] = [];
  for (const table of ['customers', 'orders']) {
    const rows = (await knex(table).select('*').orderBy('id')) as unknown[];
    parts.push(`${table}:${JSON.stringify(rows)}`);
  }
  const [numbers] = (await knex('numbers').count({ n: '*' }).sum({ s: 'n' })) as Array<{ n: unknown; s: unknown }>;
  parts.push(`numbers:${String(numbers?.n)}:${String(numbers?.s)}`);
  return parts.join('\n');
}
