import path from 'node:path';
import { parseArgs } from 'node:util';
import { readBriefFile } from './cli/brief-file.ts';
import { DEMO_BRIEF } from './cli/demo-brief.ts';
import { createTerminalProgress } from './cli/progress-bar.ts';
import { driveAutoRun, formatResult, startAutoRun, voiceFor } from './cli/run-commands.ts';
import { formatRuns } from './cli/runs-command.ts';
import { loadConfig } from './config.ts';
import { AppError, CancelledError, errorMessage } from './errors.ts';
import { LeaseHeldError } from './pipeline/lease.ts';
import { type FormatName, parseFormatList } from './pipeline/media/formats.ts';
import { PROFILE_NAMES, type ProfileName } from './pipeline/media/profiles.ts';
import { redact } from './redact.ts';

const HELP = `adgen — 30-second 9:16 video ads from a brief, in chat or on the command line

Usage:
  adgen demo [--profile P] [--out FILE] [--formats …]  render a canned brief end to end (offline by default)
  adgen render --brief FILE.json --out FILE.mp4 [--profile P] [--max-bytes N] [--seed N]
               [--brand BRAND.json]         brand kit: name, logo, colours, font, CTA, URL
               [--formats 9x16,4x5,1x1,16x9]  also write FILE.4x5.mp4 … (the first goes to --out)
  --voice NAME|none                         (demo, render) the voice-over's voice, or none; the
                                            captions are written beside the video as <out>.srt
  adgen render --brief FILE.json --preview-only FILE.mp4   only the free storyboard preview
  adgen resume RUN_ID [--wait]              continue a run after a crash or failure (--wait: until
                                            another process working it lets go)
  adgen runs                                list recent runs, their state and spend
  adgen chat [IDEA]                         the chat bot in this terminal (offline by default)
  adgen bot                                 run the bot on every configured platform (Slack, ...)
  adgen gateway                             receive chat events and queue them (ADGEN_DATABASE_URL)
  adgen worker                              take queued jobs: run the ads, post into the threads
  adgen discord:register                    register /adgen in DISCORD_GUILD_IDS (or globally)
  adgen --help | --version

Profiles: ${PROFILE_NAMES.join(', ')} (final = 1080x1920 30 fps, the default).
Configuration comes from the environment; see the README (ADGEN_DATA_DIR, OPENAI_API_KEY, ...).`;

/** Exit codes: 0 ok, 1 failure, 2 bad input (usage, brief file), 3 run busy elsewhere, 130 cancelled. */
class UsageError extends AppError {
  constructor(message: string) {
    super('usage', message);
  }
}

function profileOf(value: string | undefined, fallback: ProfileName): ProfileName {
  if (value === undefined) return fallback;
  if (!(PROFILE_NAMES as string[]).includes(value)) {
    throw new UsageError(`unknown profile "${value}" (use one of: ${PROFILE_NAMES.join(', ')})`);
  }
  return value as ProfileName;
}

function formatsOf(value: string | undefined): FormatName[] | undefined {
  if (value === undefined) return undefined;
  const parsed = parseFormatList(value);
  if (typeof parsed === 'string') throw new UsageError(`--formats: ${parsed}`);
  return parsed;
}

function positiveInt(value: string | undefined, name: string): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`${name} must be a positive whole number, got "${value}"`);
  return n;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
      brief: { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'string' },
      'max-bytes': { type: 'string' },
      seed: { type: 'string' },
      brand: { type: 'string' },
      voice: { type: 'string' },
      formats: { type: 'string' },
      wait: { type: 'boolean' },
      'preview-only': { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.version || values.help || !command || command === 'help') {
    console.log(values.version ? 'adgen 0.1.0' : HELP);
    return 0;
  }
  const config = loadConfig();
  // Platform SDKs and providers load only for the commands that use them: `--help` stays instant.
  if (command === 'chat')
    return (await import('./cli/bot-command.ts')).chatCommand(config, rest.join(' ') || undefined);
  if (command === 'bot') return (await import('./cli/bot-command.ts')).botCommand(config);
  if (command === 'gateway' || command === 'worker')
    return (await import('./cli/bot-command.ts')).roleCommand(config, command);
  // No database or pipeline needed: one REST call per guild.
  if (command === 'discord:register') {
    return (await import('./bot/discord/register.ts')).discordRegisterCommand(config.discord);
  }
  const progress = createTerminalProgress();
  const { createApp } = await import('./main.ts');
  const app = createApp(config, { progress: progress.sink });
  const started = Date.now();
  try {
    let runId: string;
    if (command === 'demo') {
      const profile = profileOf(values.profile, config.profile);
      runId = await startAutoRun(app, DEMO_BRIEF, {
        profile,
        maxBytes: null,
        out: values.out ?? 'out/demo.mp4',
        seed: 7,
        voice: voiceFor(app, values.voice),
        formats: formatsOf(values.formats),
      });
    } else if (command === 'render') {
      const previewOut = values['preview-only'];
      if (!values.brief || !(values.out || previewOut))
        throw new UsageError(
          'render needs --brief FILE.json and --out FILE.mp4 (or --preview-only FILE.mp4)',
        );
      const brand = values.brand
        ? await (await import('./cli/brand-file.ts')).readBrandFile(
            values.brand,
            path.join(config.dataDir, 'brands', 'cli'),
            config.ffmpeg,
          )
        : null;
      for (const note of brand?.notes ?? []) console.error(`brand: ${note}`);
      const cta = brand?.kit.callToAction;
      const brief = readBriefFile(values.brief, cta ? { callToAction: cta } : {});
      const maxBytes = positiveInt(values['max-bytes'], '--max-bytes');
      const seed = positiveInt(values.seed, '--seed') ?? undefined;
      runId = await startAutoRun(app, brief, {
        profile: profileOf(values.profile, config.profile),
        maxBytes,
        out: values.out ?? previewOut!,
        seed,
        brand: brand?.kit ?? null,
        voice: voiceFor(app, values.voice),
        formats: formatsOf(values.formats),
      });
      if (previewOut && !values.out) {
        const { drivePreviewOnly, formatPreview } = await import('./cli/preview-command.ts');
        const p = await drivePreviewOnly(app, runId, previewOut);
        console.log(formatPreview(p, runId, await app.runs.spendUsd(runId)));
        return 0;
      }
    } else if (command === 'resume') {
      if (!rest[0]) throw new UsageError('resume needs a RUN_ID (see `adgen runs`)');
      runId = rest[0];
      await app.pipeline.get(runId);
    } else if (command === 'runs') {
      console.log(await formatRuns(app));
      return 0;
    } else {
      throw new UsageError(`unknown command "${command}"\n\n${HELP}`);
    }
    console.error(`run ${runId} · providers: ${app.providerSummary} · data: ${config.dataDir}`);
    const result = await driveAutoRun(app, runId, progress, { wait: values.wait });
    console.log(formatResult(result, progress.timings(), (Date.now() - started) / 1000));
    return 0;
  } catch (err) {
    progress.done();
    if (err instanceof CancelledError) {
      console.error(`cancelled: ${err.message}`);
      return 130;
    }
    if (err instanceof LeaseHeldError) {
      console.error(`adgen: ${err.message}. Try again then, or add --wait.`);
      return 3;
    }
    const bad = err instanceof AppError && ['usage', 'bad_input'].includes(err.code);
    // A provider's error text can quote a request: the one redaction list applies here too.
    console.error(`adgen: ${redact(errorMessage(err))}`);
    if (err instanceof AppError && err.code === 'run_not_found') console.error('list runs with `adgen runs`');
    return bad ? 2 : 1;
  } finally {
    await app.close();
  }
}
