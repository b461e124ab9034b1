import { eq } from 'drizzle-orm';
import { BrandKitSchema, type BrandMethods } from '../../pipeline/brand.ts';
import { readKit } from '../brand-store.ts';
import type { Ops } from '../unit.ts';
import type { PgConn } from './client.ts';
import { brandKits, nowIso } from './schema.ts';

/** PostgreSQL operations of the BrandStore port (the twin of ../brand-store.ts). */
export function pgBrandOps(db: PgConn): Ops<BrandMethods> {
  return {
    async get(scope) {
      const [row] = await db.select().from(brandKits).where(eq(brandKits.scope, scope));
      return row ? readKit(row.kit) : undefined;
    },
    async put(scope, kit) {
      const value = BrandKitSchema.parse(kit);
      await db
        .insert(brandKits)
        .values({ scope, kit: value })
        .onConflictDoUpdate({ target: brandKits.scope, set: { kit: value, updatedAt: nowIso } });
    },
    async clear(scope) {
      const gone = await db
        .delete(brandKits)
        .where(eq(brandKits.scope, scope))
        .returning({ scope: brandKits.scope });
      return gone.length > 0;
    },
  };
}
