import type { BrandKit } from '../brand.ts';
import { brandLook, captionLayerStyle } from '../brand-look.ts';
import type { ComposeInput } from '../media/compose-graph.ts';
import { FORMAT_SPECS, type FormatName, formatProfile } from '../media/formats.ts';
import { brandLogoOverlay, type LogoOverlay } from '../media/logo-overlay.ts';
import { PROFILES, type Profile, type ProfileName } from '../media/profiles.ts';
import type { Brief, Mood } from '../schemas.ts';
import type { StoryboardScene } from './storyboard.ts';
import { endCardColours, planTextLayer } from './text-layer.ts';
import type { VoiceOver } from './voice.ts';
import { type VoiceParts, voiceParts } from './voice-layer.ts';

/** What one format's compose draws and mixes, from the plan alone. */
export interface FormatPlan {
  profile: Profile;
  /** The text layer with its captions, the voice inputs and the .srt (voice-layer.ts). */
  parts: VoiceParts;
  logo?: LogoOverlay;
}

/** The plan a format's text layer, captions and logo come from (a run's, or the bench's). */
export interface FormatPlanSources {
  scenes: readonly Pick<StoryboardScene, 'scene'>[];
  brief: Brief;
  mood: Mood;
  brand: BrandKit | null | undefined;
  voice: VoiceOver;
}

/**
 * Words on screen, the same for every provider, laid out for this frame's own UI margins. With
 * a voice-over the captions join it (phrase by phrase, in the brand's look); without, the text
 * layer is the caption. The logo goes into the end card's slot. bench:compose builds its full
 * layer through this too, so the bench measures what render composes.
 */
export async function planFormat(
  src: FormatPlanSources,
  profileName: ProfileName,
  format: FormatName,
): Promise<FormatPlan> {
  const profile = formatProfile(PROFILES[profileName], format);
  const parts = voiceParts(
    src.voice,
    planTextLayer(
      src.scenes.map((s) => s.scene),
      src.brief,
      src.mood,
      profile,
      brandLook(src.brand ?? null, endCardColours(src.mood.palette)),
      format,
    ),
    src.brand ? captionLayerStyle(src.brand) : undefined,
  );
  const logo = await brandLogoOverlay(src.brand?.logo ?? null, parts.layer);
  return { profile, parts, ...(logo ? { logo } : {}) };
}

/** The compose input of one format: the shared sources, this format's layer, and where it goes. */
export function formatComposeInput(
  plan: FormatPlan,
  format: FormatName,
  src: {
    clipPaths: readonly string[];
    musicPath: string;
    scenes: readonly Pick<StoryboardScene, 'scene'>[];
    /** Gains measured ahead (render-audio.ts); without them compose() measures. */
    audio?: Pick<ComposeInput, 'musicLoudness' | 'audioMakeupDb'>;
  },
  at: { assPath: string; outPath: string; maxBytes?: number; preset?: string },
): ComposeInput {
  const voices = plan.parts.voices;
  return {
    textLayer: { assPath: at.assPath },
    ...(plan.logo ? { logo: plan.logo } : {}),
    reframe: FORMAT_SPECS[format].reframe,
    clips: src.clipPaths.map((p, i) => ({ path: p, slotS: src.scenes[i]!.scene.durationS })),
    musicPath: src.musicPath,
    ...(src.audio ?? {}),
    ...(voices.length ? { voices } : {}),
    profile: plan.profile,
    ...(at.preset ? { preset: at.preset } : {}),
    maxBytes: at.maxBytes,
    outPath: at.outPath,
  };
}
