import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';

export const DEMO_CONNECTION_NAME = 'demo_shop';
export const BUNDLED_DEMO_RELATIVE_PATH = join('resources', 'databases', 'shop.sqlite3');

const FIRST_NAMES = ['Ada', 'Ben', 'Chloé', 'Dmitri', 'Emma', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Keiko', 'Liam', 'Maya', 'Noah', 'Olga', 'Pablo', 'Quinn', 'Rosa', 'Sami', 'Tara'];
const LAST_NAMES = ['Martin', 'Schmidt', 'Rossi', 'García', 'Dubois', 'Novak', 'Jensen', 'Silva', 'Kowalski', 'Murphy', 'Yilmaz', 'Tanaka', 'Okafor', 'Larsen'];
const CITIES: Array<[string, string]> = [['Paris', 'France'], ['Lyon', 'France'], ['Berlin', 'Germany'], ['Munich', 'Germany'], ['Madrid', 'Spain'], ['Rome', 'Italy'], ['Lisbon', 'Portugal'], ['Amsterdam', 'Netherlands'], ['Dublin', 'Ireland'], ['Warsaw', 'Poland']];
const CATEGORIES: Record<string, string[]> = {
  Coffee: ['Espresso beans', 'Filter roast', 'Decaf blend', 'Single origin Ethiopia', 'Cold brew pack'],
  Tea: ['Green sencha', 'Earl grey', 'Rooibos', 'Chai mix', 'Jasmine pearls'],
  Equipment: ['Pour-over kit', 'Hand grinder', 'French press', 'Milk frother', 'Scale'],
  Bakery: ['Croissant box', 'Cinnamon rolls', 'Sourdough loaf', 'Biscotti', 'Brownies'],
};
const STATUSES = ['delivered', 'delivered', 'delivered', 'shipped', 'paid', 'cancelled'];

/** A seeded generator: the demo is the same file on every machine, so answers in docs and tests hold. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Writes the demo shop (customers, products, orders, order lines; a few thousand rows, with
 * foreign keys, comments in column names and a view) to `filename`, replacing it atomically.
 */
export function writeShopDatabase(filename: string): void {
  mkdirSync(dirname(filename), { recursive: true });
  const partial = `${filename}.part`;
  rmSync(partial, { force: true });
  const db = new Database(partial);
  try {
    const random = seededRandom(20261202);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    db.exec(`
      CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE, city TEXT NOT NULL, country TEXT NOT NULL, signed_up_on TEXT NOT NULL);
      CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, category TEXT NOT NULL, unit_price REAL NOT NULL, in_stock INTEGER NOT NULL);
      CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), ordered_on TEXT NOT NULL, status TEXT NOT NULL);
      CREATE TABLE order_lines (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders(id), product_id INTEGER NOT NULL REFERENCES products(id), quantity INTEGER NOT NULL, unit_price REAL NOT NULL);
      CREATE INDEX orders_customer ON orders(customer_id);
      CREATE INDEX order_lines_order ON order_lines(order_id);
      CREATE VIEW order_totals AS
        SELECT o.id AS order_id, o.customer_id, o.ordered_on, o.status, ROUND(SUM(l.quantity * l.unit_price), 2) AS total
        FROM orders o JOIN order_lines l ON l.order_id = o.id GROUP BY o.id;
    `);
    const insert = db.transaction(() => {
      const customer = db.prepare('INSERT INTO customers (id, name, email, city, country, signed_up_on) VALUES (?, ?, ?, ?, ?, ?)');
      for (let id = 1; id <= 400; id++) {
        const first = pick(FIRST_NAMES);
        const last = pick(LAST_NAMES);
        const [city, country] = pick(CITIES);
        customer.run(id, `${first} ${last}`, `${first}.${last}.${id}@example.com`.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, ''), city, country, day(2024, random));
      }
      const product = db.prepare('INSERT INTO products (id, name, category, unit_price, in_stock) VALUES (?, ?, ?, ?, ?)');
      const prices: number[] = [];
      let productId = 0;
      for (const [category, names] of Object.entries(CATEGORIES)) {
        for (const name of names) {
          const price = Math.round((category === 'Equipment' ? 20 + random() * 120 : 3 + random() * 22) * 100) / 100;
          prices[++productId] = price;
          product.run(productId, name, category, price, Math.floor(random() * 200));
        }
      }
      const order = db.prepare('INSERT INTO orders (id, customer_id, ordered_on, status) VALUES (?, ?, ?, ?)');
      const line = db.prepare('INSERT INTO order_lines (order_id, product_id, quantity, unit_price) VALUES (?, ?, ?, ?)');
      for (let id = 1; id <= 2500; id++) {
        order.run(id, 1 + Math.floor(random() * 400), day(2025, random), pick(STATUSES));
        const lines = 1 + Math.floor(random() * 4);
        for (let index = 0; index < lines; index++) {
          const productChoice = 1 + Math.floor(random() * productId);
          line.run(id, productChoice, 1 + Math.floor(random() * 3), prices[productChoice]);
        }
      }
    });
    insert();
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
  renameSync(partial, filename);
}

function day(year: number, random: () => number): string {
  const date = new Date(Date.UTC(year, 0, 1) + Math.floor(random() * 365) * 86_400_000);
  return date.toISOString().slice(0, 10);
}

/**
 * The demo file in the data dir: copied from the bundled resources/databases/shop.sqlite3 when it
 * can be found (next to the app, or PARLEY_RESOURCES_DIR), generated with the same code otherwise.
 */
export function installShopDemo(dataDir: string, environment: NodeJS.ProcessEnv): string {
  const target = join(dataDir, 'databases', 'shop-demo.sqlite3');
  if (existsSync(target)) return target;
  mkdirSync(dirname(target), { recursive: true });
  const candidates = [environment.PARLEY_RESOURCES_DIR ? join(environment.PARLEY_RESOURCES_DIR, 'databases', 'shop.sqlite3') : undefined, resolve(BUNDLED_DEMO_RELATIVE_PATH)].filter(
    (candidate): candidate is string => candidate !== undefined,
  );
  const bundled = candidates.find((candidate) => existsSync(candidate));
  if (bundled) copyFileSync(bundled, target);
  else writeShopDatabase(target);
  return target;
}
