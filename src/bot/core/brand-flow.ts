import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { errorMessage } from '../../errors.ts';
import { type BrandKit, BrandKitSchema, type BrandStore, describeBrandIssues } from '../../pipeline/brand.ts';
import { checkFont } from '../../pipeline/brand-check.ts';
import {
  checkDeclaredSize,
  LOGO_MAX_BYTES,
  LogoRejectedError,
  storeLogo,
} from '../../pipeline/media/logo.ts';
import type { FfmpegBins } from '../../pipeline/media/run.ts';
import { brandKitCard, brandShowText } from './brand-card.ts';
import type { ThreadCtx } from './context.ts';
import type { ChatAdapter, CommandEvent, IncomingFile } from './ports.ts';
import type { ThreadState } from './thread-state.ts';

/** What the bot needs for brand kits (wired in main.ts). */
export interface BrandDeps {
  store: BrandStore;
  /** Logos are stored under `<dir>/<scope hash>/` as clean PNGs. */
  dir: string;
  bins?: FfmpegBins;
  /** Installed font families (fc-list); tests may pin them. */
  fonts?: () => Promise<string[]>;
}

/** Where a command's kit lives: the adapter's scope, else its platform and channel. */
export const commandScope = (e: CommandEvent) =>
  e.scope ?? (e.platform === 'console' ? 'console:local' : `${e.platform}:${e.channel}`);

/** The kit a thread's ads use now (copied into the run when it starts). */
export async function brandOf(t: ThreadCtx): Promise<BrandKit | undefined> {
  const scope = t.state.brandScope;
  return scope && t.deps.brands ? t.deps.brands.store.get(scope) : undefined;
}

type Field = 'name' | 'primary' | 'secondary' | 'text' | 'font' | 'callToAction' | 'url';
const QUESTIONS: { field: Field; ask: string }[] = [
  { field: 'name', ask: 'What is the brand called?' },
  { field: 'primary', ask: 'Primary colour, for the end card panel (hex, like #0b3d2e)?' },
  { field: 'secondary', ask: 'Secondary colour, for the call-to-action button?' },
  { field: 'text', ask: 'Text colour on the panel?' },
  { field: 'font', ask: 'Font? Any family installed here, e.g. Noto Sans, Noto Serif or DejaVu Serif.' },
  { field: 'callToAction', ask: 'Default call to action (used when a brief has none)?' },
  { field: 'url', ask: 'Web address to show on the end card?' },
];
const LOGO_STEP = QUESTIONS.length;
const SKIP = /^(skip|-|pass)$/i;
const NONE = /^(none|no|clear)$/i;
const HOW = 'Say `skip` to keep what is there, `none` to leave it empty, `cancel` to stop.';

function withField(draft: Record<string, unknown>, field: Field, value: string | null) {
  const colours = { primary: null, secondary: null, text: null, ...(draft.colours as object) };
  if (field === 'primary' || field === 'secondary' || field === 'text')
    return { ...draft, colours: { ...colours, [field]: value } };
  return { ...draft, [field]: value };
}

const current = (draft: Record<string, unknown>, field: Field): unknown =>
  ['primary', 'secondary', 'text'].includes(field)
    ? (draft.colours as Record<string, unknown>)?.[field]
    : draft[field];

function ask(t: ThreadCtx, step: number, draft: Record<string, unknown>) {
  if (step === LOGO_STEP)
    return t.say(
      'Last one: upload the logo into this thread (PNG, JPEG or WebP, up to 5 MB; a transparent PNG looks best), or say `skip`.',
    );
  const q = QUESTIONS[step]!;
  const now = current(draft, q.field);
  return t.say(`${q.ask}${now ? ` (now: ${String(now)})` : ''}\n${HOW}`);
}

/** `/adgen brand` (a conversation in a new thread), `/adgen brand show`, `/adgen brand clear`. */
export async function onBrandCommand(
  deps: { brands?: BrandDeps },
  adapter: ChatAdapter,
  e: CommandEvent,
  args: string,
  openConversation: (scope: string, draft: Record<string, unknown>) => Promise<ThreadCtx>,
): Promise<void> {
  const store = deps.brands?.store;
  if (!store) return adapter.answerCommand(e, 'Brand kits are not set up on this adgen.');
  const scope = commandScope(e);
  const sub = args.trim().toLowerCase();
  if (sub === 'show') return adapter.answerCommand(e, brandShowText(await store.get(scope)));
  if (sub === 'clear') {
    const had = await store.clear(scope);
    return adapter.answerCommand(
      e,
      had
        ? 'Brand kit cleared. Ads already being made keep the kit they started with.'
        : 'This channel had no brand kit.',
    );
  }
  if (sub && sub !== 'set')
    return adapter.answerCommand(
      e,
      'Use `/adgen brand` to set the kit, `/adgen brand show` or `/adgen brand clear`.',
    );
  const existing = await store.get(scope);
  const t = await openConversation(scope, existing ? { ...existing } : {});
  await ask(t, 0, t.state.brandSetup!.draft);
}

async function save(t: ThreadCtx, kit: BrandKit): Promise<void> {
  await t.deps.brands!.store.put(t.state.brandSetup!.scope, kit);
}

/** One reply in a `brand` thread: the answer to the open question, or the logo upload. */
export async function onBrandMessage(t: ThreadCtx, text: string, files: IncomingFile[] = []): Promise<void> {
  const setup = t.state.brandSetup;
  if (!setup || !t.deps.brands) return;
  const answer = text.trim();
  if (/^cancel$/i.test(answer)) {
    await t.save((s) => {
      s.stage = 'closed';
    });
    const saved =
      setup.step === LOGO_STEP ? 'the kit is saved without a new logo' : 'the brand kit was not changed';
    return void (await t.say(`Stopped; ${saved}.`));
  }
  if (setup.step === LOGO_STEP) return onLogoStep(t, answer, files);
  const q = QUESTIONS[setup.step]!;
  let draft = setup.draft;
  if (!SKIP.test(answer) || (q.field === 'name' && !draft.name)) {
    if (q.field === 'name' && (SKIP.test(answer) || NONE.test(answer)))
      return void (await t.say('A brand kit needs a name. What is the brand called?'));
    let value: string | null = NONE.test(answer) ? null : answer;
    if (q.field === 'font' && value) {
      const found = await checkFont(value, await t.deps.brands.fonts?.());
      if (!found.ok) return void (await t.say(`${found.message} Try another, or say \`skip\`.`));
      value = found.family;
    }
    const next = withField(draft, q.field, value);
    const problem = fieldProblem(next, q.field);
    if (problem) return void (await t.say(`${problem}. Try again, or say \`skip\`.`));
    draft = next;
  }
  const step = setup.step + 1;
  await t.save((s) => {
    s.brandSetup = { ...setup, step, draft };
  });
  if (step < LOGO_STEP) return void (await ask(t, step, draft));
  const kit = BrandKitSchema.parse(draft);
  await save(t, kit);
  await t.post(brandKitCard(kit, '🎨 Brand kit saved', 'Saved. New ads in this channel use it.'));
  await ask(t, step, draft);
}

/** Only the issues of the field just answered, in plain words. */
function fieldProblem(draft: Record<string, unknown>, field: Field): string | null {
  const parsed = BrandKitSchema.safeParse({ name: 'x', ...draft });
  if (parsed.success) return null;
  const mine = parsed.error.issues.filter((i) => i.path.at(-1) === field);
  return mine.length ? describeBrandIssues(new z.ZodError(mine)) : null;
}

const scopeDir = (t: ThreadCtx, scope: string) =>
  path.join(t.deps.brands!.dir, createHash('sha256').update(scope).digest('hex').slice(0, 16));

async function onLogoStep(t: ThreadCtx, answer: string, files: IncomingFile[]): Promise<void> {
  const setup = t.state.brandSetup!;
  const kit = BrandKitSchema.parse(setup.draft);
  const finish = async (final: BrandKit, line: string) => {
    await save(t, final);
    await t.save((s) => {
      s.stage = 'closed';
      s.brandSetup = { ...setup, draft: { ...final } };
    });
    await t.post(brandKitCard(final, '🎨 Brand kit saved', line));
  };
  const file = files[0];
  if (!file) {
    if (SKIP.test(answer))
      return finish(kit, kit.logo ? 'Saved; the logo stays as it was.' : 'Saved without a logo.');
    return void (await t.say('Upload the logo as a file in this thread, or say `skip`.'));
  }
  if (!t.adapter.downloadFile)
    return void (await t.say('I can’t download files on this platform; say `skip`.'));
  try {
    checkDeclaredSize(file.sizeBytes);
    const bytes = await t.adapter.downloadFile(file, LOGO_MAX_BYTES);
    const logo = await storeLogo(bytes, scopeDir(t, setup.scope), t.deps.brands!.bins);
    await finish(
      { ...kit, logo },
      `Logo added (${logo.width}x${logo.height}). New ads in this channel use it.`,
    );
  } catch (err) {
    const reason =
      err instanceof LogoRejectedError
        ? err.message
        : `I couldn’t download that file (${errorMessage(err)}).`;
    t.deps.log.warn('logo refused', { reason });
    await t.say(`${reason}\nThe rest of the kit is saved. Upload another file, or say \`skip\`.`);
  }
}

/** A fresh `brand` thread state (bot.ts opens the thread and saves it). */
export function brandThread(state: ThreadState, scope: string, draft: Record<string, unknown>): ThreadState {
  return { ...state, stage: 'brand', brandScope: scope, brandSetup: { scope, step: 0, draft } };
}
