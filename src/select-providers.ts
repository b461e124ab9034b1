import type { Config } from './config.ts';
import { musicLicenceWarning } from './config-providers.ts';
import type { FfmpegBins } from './pipeline/media/run.ts';
import { createOfflineProviders } from './pipeline/providers/offline/index.ts';
import { createOpenAiLlm } from './pipeline/providers/openai/llm.ts';
import { createOpenAiTts } from './pipeline/providers/openai/tts.ts';
import type { Providers, Tts } from './pipeline/providers/ports.ts';
import {
  createPredictionLimiter,
  createReplicateProviders,
  predictionLimits,
} from './pipeline/providers/replicate/index.ts';

const shortModel = (model: string) => model.split(':')[0]!.split('/').pop()!;

/** The voice-over port, when one is chosen (config.ports.tts). */
function ttsFor(
  config: Config,
  choice: Config['ports']['tts'],
  replicateTts: Tts | undefined,
): { tts?: Tts } {
  if (choice === 'openai' && config.openai) return { tts: createOpenAiTts(config.openai) };
  if (choice === 'replicate' && replicateTts) return { tts: replicateTts };
  return {};
}

/**
 * Which providers this configuration gets, port by port (config.ports): OpenAI or offline
 * planning; Replicate or offline images, clips and music, each on its own.
 */
export function selectProviders(
  config: Config,
  bins: FfmpegBins = config.ffmpeg,
): { providers: Providers; summary: string; warning?: string } {
  const latency = config.offlineLatencyMs;
  const offline = createOfflineProviders({
    bins,
    delayMs: { image: latency, video: latency, music: latency },
  });
  const { ports } = config;
  const r = config.replicate;
  const wantsReplicate = [ports.image, ports.video, ports.music, ports.tts].includes('replicate');
  // Created here, once per app, not as a module singleton: every Replicate port of this process
  // shares the account's in-flight cap and create rate.
  const replicate =
    r && wantsReplicate
      ? createReplicateProviders(r, config.media, createPredictionLimiter(predictionLimits(r)))
      : null;
  const providers: Providers = {
    llm: ports.llm === 'openai' && config.openai ? createOpenAiLlm(config.openai) : offline.llm,
    image: ports.image === 'replicate' && replicate ? replicate.image : offline.image,
    video: ports.video === 'replicate' && replicate ? replicate.video : offline.video,
    music: ports.music === 'replicate' && replicate ? replicate.music : offline.music,
    ...ttsFor(config, ports.tts, replicate?.tts),
  };
  const models = { image: r?.imageModel, video: r?.videoModel, music: r?.musicModel };
  const media = (['image', 'video', 'music'] as const).map((k) =>
    ports[k] === 'replicate' && models[k] ? `${k}: Replicate ${shortModel(models[k])}` : `${k}: offline`,
  );
  const planning =
    ports.llm === 'openai' && config.openai ? `planning: OpenAI ${config.openai.model}` : 'planning: offline';
  const all = [planning, ...media];
  if (providers.tts)
    all.push(
      `voice: ${ports.tts === 'openai' ? 'OpenAI' : 'Replicate'} ${shortModel(providers.tts.model)} (${providers.tts.defaultVoice})`,
    );
  const warning = ports.music === 'replicate' && r ? musicLicenceWarning(r.musicModel) : undefined;
  if (warning) all.push(`warning: ${warning}`);
  const summary = all.every((x) => x.endsWith('offline')) ? 'offline (no API keys needed)' : all.join(' · ');
  return { providers, summary, warning };
}
