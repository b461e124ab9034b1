import type { App } from '../main.ts';

/** `adgen runs`: a table of recent runs with state and spend. */
export async function formatRuns(app: App, limit = 30): Promise<string> {
  const rows = await app.runs.list(limit);
  if (rows.length === 0) return 'no runs yet — try `adgen demo`';
  const head = ['RUN', 'STATUS', 'PROFILE', 'STEPS', 'SPEND', 'CREATED', 'TITLE'];
  const body = rows.map((r) => {
    const input = r.input as { profile?: string };
    return [
      r.id,
      r.status,
      input.profile ?? '?',
      String(r.stepsDone),
      `$${r.spendUsd.toFixed(3)}`,
      r.createdAt.replace('T', ' ').slice(0, 19),
      r.title.length > 40 ? `${r.title.slice(0, 39)}…` : r.title,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const lines = [fmt(head), ...body.map(fmt)];
  for (const r of rows)
    if (r.status === 'failed' && r.error) lines.push(`  ${r.id}: ${r.error.split('\n')[0]}`);
  return lines.join('\n');
}
