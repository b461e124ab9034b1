import { z } from 'zod';

/** Empty strings count as unset: `FOO=` in a .env file or compose file means "not given". */
export const opt = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());
export const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
export const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => ['true', '1', 'yes'].includes(v));
/** `a, b,c` -> ['a', 'b', 'c'] */
export const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
