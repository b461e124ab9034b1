import { money, utcDayStart } from '../../pipeline/spend.ts';
import type { BotDeps } from './context.ts';
import type { CommandEvent } from './ports.ts';

/** What a subcommand gets: the bot's dependencies and the command that asked. */
export interface SubcommandCall {
  deps: BotDeps;
  command: CommandEvent;
  /** The words after the subcommand's name. */
  args: string;
  help: string;
}

/**
 * `/adgen <name> …` answered privately without opening a thread. Table-driven so others add
 * theirs (e.g. `brand`) as one entry; the first word of the command text picks the entry.
 */
export interface Subcommand {
  names: string[];
  /** Words after the name are its arguments; otherwise only the bare name counts, so an idea
   * that merely starts with "status …" still makes an ad. */
  takesArgs?: boolean;
  answer(call: SubcommandCall): Promise<string>;
}

const STAGES: Record<string, string> = {
  moods: 'drawing mood boards',
  storyboard: 'planning the storyboard',
  render: 'rendering',
  deliver: 'posting the video',
  failed: 'stopped',
};

/** Which run phase a progress stage reports on (clips, music and compose are the render). */
const phaseOfStage = (stage: string) =>
  stage === 'clips' || stage === 'music' || stage === 'compose' ? 'render' : stage;

/** The person's renders that are working now, their stage, and spend today / this month. */
export async function usageText(deps: BotDeps, user: string, workspace: string): Promise<string> {
  const { workflow } = deps;
  const mine = (await workflow.listRuns(200)).filter(
    (r) =>
      (r.input as { requester?: string }).requester === user &&
      (r.status === 'running' || r.status === 'pending'),
  );
  const lines = ['*Your renders now*'];
  for (const r of mine) {
    const v = await workflow.view(r.id);
    // The latest progress line only while it belongs to the phase the run is in now: right after
    // approval it still says "Planning the storyboard…" until the render reports.
    const latest = deps.progress.latest(r.id);
    const current = latest && phaseOfStage(latest.stage) === v.phase ? latest.message : undefined;
    const stage = current ?? STAGES[v.phase] ?? v.phase;
    lines.push(`• ${r.title.slice(0, 60)} — ${stage} (${money(r.spendUsd)} so far)`);
  }
  if (mine.length === 0) lines.push('• none running');
  const spend = workflow.spend;
  if (spend) {
    const t = await spend.totals({ user, workspace });
    const p = spend.policy;
    const of = (limit: number | null) => (limit === null ? '' : ` of ${money(limit)}`);
    const resets = new Date(utcDayStart(spend.now()) + 86_400_000).toISOString().slice(0, 10);
    lines.push(
      '*Spend*',
      `• you today: ${money(t.userTodayUsd)}${of(p.userDailyUsd)} · this month: ${money(t.userMonthUsd)}`,
      `• this workspace today: ${money(t.workspaceTodayUsd)}${of(p.workspaceDailyUsd)}`,
      `• budgets reset at 00:00 UTC (next: ${resets} 00:00 UTC) · up to ${p.maxActiveRunsPerUser} paid renders at once per person`,
    );
  }
  return lines.join('\n');
}

export const SUBCOMMANDS: Subcommand[] = [
  { names: ['help', '?'], answer: async ({ help }) => help },
  {
    names: ['usage', 'status'],
    answer: ({ deps, command }) => usageText(deps, command.user, command.workspace ?? command.platform),
  },
];

/** The subcommand the command text starts with, if any ("usage", "status now"). */
export function findSubcommand(text: string, table: Subcommand[] = SUBCOMMANDS) {
  const m = /^\s*(\S+)(?:\s+([\s\S]*))?$/.exec(text);
  const name = m?.[1]?.toLowerCase() ?? '';
  const args = (m?.[2] ?? '').trim();
  const sub = table.find((s) => s.names.includes(name) && (s.takesArgs || !args));
  return sub ? { sub, args } : undefined;
}
