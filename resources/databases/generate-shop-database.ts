// Regenerates resources/databases/shop.sqlite3, the demo shop every new install connects to.
//   node --import tsx resources/databases/generate-shop-database.ts
// The generator is seeded: the same file (same rows) every time.
import { join } from 'node:path';
import { writeShopDatabase } from '../../backend/databases/demo/shop-database';

const target = join(import.meta.dirname, 'shop.sqlite3');
writeShopDatabase(target);
console.log(`wrote ${target}`);
