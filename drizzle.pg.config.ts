import { defineConfig } from 'drizzle-kit';

/** PostgreSQL migrations (ADGEN_DATABASE_URL), generated apart from SQLite's: `npm run db:generate:pg`. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/pg/schema.ts',
  out: './migrations/pg',
});
