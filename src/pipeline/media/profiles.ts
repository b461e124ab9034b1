/** Output profiles: `final` is the product; `draft` is for fast previews; `tiny` is for tests. */
export interface Profile {
  name: ProfileName;
  width: number;
  height: number;
  fps: number;
  /** x264 preset and CRF used when no size target is given. */
  preset: string;
  crf: number;
  audioKbps: number;
}

export const PROFILES = {
  final: { name: 'final', width: 1080, height: 1920, fps: 30, preset: 'medium', crf: 21, audioKbps: 160 },
  draft: { name: 'draft', width: 720, height: 1280, fps: 30, preset: 'veryfast', crf: 23, audioKbps: 128 },
  tiny: { name: 'tiny', width: 144, height: 256, fps: 15, preset: 'ultrafast', crf: 30, audioKbps: 64 },
} as const satisfies Record<string, Profile>;

export type ProfileName = 'final' | 'draft' | 'tiny';
export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];
