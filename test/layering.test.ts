import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function tsFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const importsOf = (file: string) =>
  [...fs.readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);

describe('layering (ARCHITECTURE.md example 11)', () => {
  it('keeps platform SDKs and the bot out of the pipeline and the bot core', () => {
    const offenders: string[] = [];
    for (const file of [...tsFiles('src/pipeline'), ...tsFiles('src/bot/core')]) {
      for (const spec of importsOf(file)) {
        const platform = /^(@slack\/|discord\.js)/.test(spec);
        const intoBot = file.startsWith('src/pipeline') && spec.includes('/bot/');
        if (platform || intoBot) offenders.push(`${file} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('keeps the pipeline free of the database driver (stores are ports)', () => {
    const offenders = tsFiles('src/pipeline').filter((f) =>
      importsOf(f).some((s) => s === 'better-sqlite3' || s.startsWith('drizzle-orm') || s.includes('/db/')),
    );
    expect(offenders).toEqual([]);
  });

  it('wires implementations in one place: only the composition root imports the db layer', () => {
    const root = ['src/main.ts', 'src/job-queue.ts', 'src/select-providers.ts'];
    const offenders = tsFiles('src')
      .filter((f) => !f.startsWith('src/db/') && !root.includes(f))
      .filter((f) => importsOf(f).some((s) => /(^|\/)db\//.test(s)));
    expect(offenders).toEqual([]);
  });
});
