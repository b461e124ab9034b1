import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BrandKit, BrandKitSchema } from '../../src/pipeline/brand.ts';
import type { ComposeInput } from '../../src/pipeline/media/compose-graph.ts';
import type { FormatName } from '../../src/pipeline/media/formats.ts';
import { measureLoudness } from '../../src/pipeline/media/loudness.ts';
import type { ProfileName } from '../../src/pipeline/media/profiles.ts';
import { runBinary } from '../../src/pipeline/media/run.ts';
import type { Brief, Mood, Scene } from '../../src/pipeline/schemas.ts';
import { formatComposeInput, planFormat } from '../../src/pipeline/steps/format-plan.ts';
import { writeTextLayer } from '../../src/pipeline/steps/text-layer.ts';
import type { PlacedVoice, VoiceOver } from '../../src/pipeline/steps/voice.ts';
import { fitTempo, playSeconds, voiceWindows } from '../../src/pipeline/voice/fit.ts';

/**
 * The "full layer" of bench:compose, built through the functions render uses (format-plan.ts:
 * planTextLayer, voiceParts with its captions, brandLogoOverlay; voice/fit.ts for the lines), so
 * the bench cannot drift from production: the text layer (hook, scene lines, product, end card),
 * burned-in captions timed to a voice-over, the voice lines in the mix with the music ducked
 * under them, loudness gains, and a brand logo on the end card.
 *
 * The voice lines are fixtures made here: pink noise band-passed to the speech range and gated
 * at a syllable rate (~4/s), each about as long as its scene's window, one a little longer so it
 * is sped up (atempo) as a long TTS line would be, at an arbitrary level (compose gains them).
 */

const LINES: { onScreen: string; voiceLine: string }[] = [
  { onScreen: 'Stop scrolling.', voiceLine: 'Tired of bitter coffee on the way to work?' },
  { onScreen: 'Meet Brewline cold brew', voiceLine: 'Meet Brewline, cold brew made the slow way.' },
  { onScreen: 'Smooth, never bitter', voiceLine: 'Smooth, rich, and never bitter.' },
  { onScreen: 'Delivered every week', voiceLine: 'Fresh batches at your door every single week.' },
  { onScreen: 'Skip the café queue', voiceLine: 'Skip the queue and keep the change.' },
  { onScreen: 'Cancel any time', voiceLine: 'Pause or cancel any time, no questions.' },
  { onScreen: 'Order your first box', voiceLine: 'Order your first box today at brewline.example.' },
];

const BRIEF: Brief = {
  product: 'Brewline, a cold brew coffee subscription',
  audience: 'commuters',
  tone: ['warm', 'confident'],
  style: ['clean'],
  keyMessages: ['Smooth, never bitter'],
  callToAction: 'Order your first box',
};

const MOOD: Mood = {
  name: 'Morning light',
  description: 'Warm, sunlit kitchen mornings',
  styleKeywords: ['acoustic', 'warm'],
  palette: ['#f4a261', '#e9c46a', '#2a9d8f', '#264653'],
  aesthetic: 'sunlit, clean',
  tempoBpm: 100,
};

const ff = (args: string[]) =>
  runBinary('ffmpeg', ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', ...args]);

/** Speech-like audio of `seconds`: band-limited noise in syllable bursts, with a pitch hum. */
async function voiceFixture(path: string, seconds: number, seed: number): Promise<void> {
  const noise = `anoisesrc=d=${seconds}:c=pink:r=24000:a=0.4:seed=${seed}`;
  const speech =
    `[0:a]highpass=f=200,lowpass=f=3400,` +
    `volume='0.25+0.75*abs(sin(2*PI*${(3.6 + (seed % 5) * 0.2).toFixed(1)}*t))':eval=frame[v]`;
  await ff(['-f', 'lavfi', '-i', noise, '-filter_complex', speech, '-map', '[v]', '-ac', '1', path]);
}

/** A logo PNG as logo.ts stores one (RGBA, already re-encoded): a wordmark-like block. */
async function logoFixture(dir: string): Promise<BrandKit['logo']> {
  const path = join(dir, 'logo.png');
  const art = 'color=c=#e9c46a@1:s=600x240,format=rgba,drawbox=x=20:y=20:w=560:h=200:c=#264653@0.9:t=fill';
  await ff(['-f', 'lavfi', '-i', art, '-frames:v', '1', path]);
  const bytes = await readFile(path);
  return {
    path,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    width: 600,
    height: 240,
    bytes: bytes.length,
  };
}

/** Scenes, voice-over and brand kit of the bench's ad, made once for every format. */
export async function benchPlan(dir: string, slots: readonly number[]) {
  const scenes = slots.map((durationS, i) => ({
    scene: {
      kind: i === 0 ? 'hook' : i === slots.length - 1 ? 'cta' : 'feature',
      durationS,
      title: LINES[i % LINES.length]!.onScreen,
      ...LINES[i % LINES.length]!,
      description: 'd',
      stylePrompt: 's',
    } as Scene,
  }));
  const windows = voiceWindows(slots);
  const lines: PlacedVoice[] = await Promise.all(
    windows.map(async (w, index) => {
      const windowS = w.endS - w.startS;
      const path = join(dir, `voice-${index}.wav`);
      // Most lines fit as spoken; line 3 runs 8 % long and is sped up, as TTS lines often are.
      await voiceFixture(
        path,
        Math.round((index === 3 ? windowS * 1.08 : windowS * 0.85) * 100) / 100,
        index,
      );
      const loudness = await measureLoudness(path);
      const tempo = fitTempo(loudness.durationS, windowS).tempo;
      const playS = playSeconds(loudness.durationS, tempo, windowS);
      return { index, text: LINES[index]!.voiceLine, path, startS: w.startS, tempo, playS, loudness };
    }),
  );
  const voice: VoiceOver = { voice: 'bench', lines, notice: null };
  const brand = BrandKitSchema.parse({
    name: 'Brewline',
    logo: await logoFixture(dir),
    colours: { primary: '#264653', secondary: '#e9c46a', text: '#ffffff' },
    url: 'brewline.example',
  });
  return { scenes, brief: BRIEF, mood: MOOD, brand, voice };
}

export type BenchPlan = Awaited<ReturnType<typeof benchPlan>>;

/** The compose input with the full layer for `format`, exactly as composeFormat assembles it. */
export async function withFullLayer(
  plan: BenchPlan,
  src: { clipPaths: string[]; musicPath: string; dir: string },
  at: { profile: ProfileName; preset: string; maxBytes: number },
  format: FormatName,
): Promise<ComposeInput> {
  const fp = await planFormat(plan, at.profile, format);
  const assPath = await writeTextLayer(join(src.dir, `layer-${format}.ass`), fp.parts.layer);
  return formatComposeInput(
    fp,
    format,
    { ...src, scenes: plan.scenes },
    { assPath, outPath: '', maxBytes: at.maxBytes, preset: at.preset },
  );
}
