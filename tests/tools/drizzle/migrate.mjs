// Apply a drizzle-kit migrations folder with drizzle-orm's own migrator (node-postgres driver),
// then print the rows of its bookkeeping table as JSON: node migrate.mjs URL FOLDER
import pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";

const [url, folder] = process.argv.slice(2);
const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  await migrate(drizzle(client), { migrationsFolder: folder });
  const rows = await client.query(
    "SELECT hash, created_at FROM drizzle.__drizzle_migrations ORDER BY id");
  console.log(JSON.stringify(rows.rows.map((r) => [r.hash, Number(r.created_at)])));
} finally {
  await client.end();
}
