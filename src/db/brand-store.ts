import { eq, sql } from 'drizzle-orm';
import { type BrandKit, BrandKitSchema, type BrandMethods } from '../pipeline/brand.ts';
import type { Db } from './client.ts';
import { brandKits } from './schema.ts';
import type { Ops } from './unit.ts';

/**
 * A stored kit is parsed again on the way out: a row written by an older adgen, or edited by
 * hand, that no longer fits the schema reads as "no kit" instead of breaking every ad.
 */
export function readKit(raw: unknown): BrandKit | undefined {
  const parsed = BrandKitSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** SQLite operations of the BrandStore port. A PostgreSQL version is the same three statements. */
export function brandOps(db: Db): Ops<BrandMethods> {
  return {
    get(scope) {
      const row = db.select().from(brandKits).where(eq(brandKits.scope, scope)).get();
      return row ? readKit(row.kit) : undefined;
    },
    put(scope, kit) {
      const value = BrandKitSchema.parse(kit);
      db.insert(brandKits)
        .values({ scope, kit: value })
        .onConflictDoUpdate({
          target: brandKits.scope,
          set: { kit: value, updatedAt: sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))` },
        })
        .run();
    },
    clear(scope) {
      return db.delete(brandKits).where(eq(brandKits.scope, scope)).run().changes > 0;
    },
  };
}
