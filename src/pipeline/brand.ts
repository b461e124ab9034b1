import { z } from 'zod';
import { CTA_MAX_CHARS, HexColourSchema } from './schemas.ts';
import type { Transactional } from './stores.ts';

/**
 * A team's brand kit: what every ad of a Slack channel (or a Discord server) carries on its end
 * card and in its text layer, and what the planners keep the colours close to. Set in chat
 * (`/adgen brand`) or given to the CLI as a JSON file (`--brand`). A run copies the kit into its
 * input when it starts, so changing the kit later never changes an ad already being made.
 */

/** The logo as stored: a clean PNG written by logo.ts, named by its hash (never overwritten). */
export const LogoRefSchema = z.object({
  path: z.string().min(1).max(1000),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  width: z.number().int().min(1).max(4096),
  height: z.number().int().min(1).max(4096),
  bytes: z.number().int().min(1),
});
export type LogoRef = z.infer<typeof LogoRefSchema>;

const colour = HexColourSchema.nullable().default(null);

/** A web address as people type it: `brewline.com/start` or `https://…`; shown as given. */
const URL_SHAPE = /^(https?:\/\/)?([\p{L}\p{N}-]+\.)+[\p{L}]{2,}(:\d{1,5})?(\/[^\s]*)?$/iu;

export const BrandKitSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(60, 'must be at most 60 characters'),
  logo: LogoRefSchema.nullable().default(null),
  colours: z
    .object({
      /** The end card's panel. */
      primary: colour,
      /** The call-to-action "button". */
      secondary: colour,
      /** Words on the panel (adjusted when it would not be readable, contrast.ts). */
      text: colour,
    })
    .default({ primary: null, secondary: null, text: null }),
  /** A font family from the machine's installed set (fonts.ts checks it; Latin text only). */
  font: z.string().trim().min(1).max(80, 'must be at most 80 characters').nullable().default(null),
  callToAction: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(
      CTA_MAX_CHARS,
      `must be at most ${CTA_MAX_CHARS} characters: the end card shows it for about 3 seconds (7 words at most on screen)`,
    )
    .nullable()
    .default(null),
  url: z
    .string()
    .trim()
    .max(100, 'must be at most 100 characters')
    .regex(URL_SHAPE, 'must be a web address like example.com or https://example.com/offer')
    .nullable()
    .default(null),
});
export type BrandKit = z.infer<typeof BrandKitSchema>;

const LABELS: Record<string, string> = {
  name: 'Brand name',
  logo: 'Logo',
  'colours.primary': 'Primary colour',
  'colours.secondary': 'Secondary colour',
  'colours.text': 'Text colour',
  colours: 'Colours',
  font: 'Font',
  callToAction: 'Call to action',
  url: 'URL',
};

/** Zod's issues as sentences people read ("Primary colour: a colour like #1a2b3c"), never raw. */
export function describeBrandIssues(err: z.ZodError): string {
  const lines = err.issues.map((i) => {
    const key = i.path.map(String).join('.');
    const label = LABELS[key] ?? LABELS[String(i.path[0])] ?? (key || 'The brand kit');
    const message =
      i.code === 'invalid_type'
        ? i.path.length
          ? 'has the wrong kind of value (text expected)'
          : 'must be a JSON object'
        : i.code === 'unrecognized_keys'
          ? `has unknown fields: ${i.keys.join(', ')}`
          : i.message;
    return `${label} ${message.startsWith('a colour') ? `must be ${message}` : message}`;
  });
  return [...new Set(lines)].join('; ');
}

/** What the planners are told (no file paths): keep directions close to these colours. */
export interface BrandHint {
  name: string;
  colours: string[];
}

export function brandHint(kit: BrandKit | null | undefined): BrandHint | null {
  if (!kit) return null;
  const c = kit.colours;
  return { name: kit.name, colours: [c.primary, c.secondary, c.text].filter((x): x is string => !!x) };
}

/**
 * Where a kit applies. Slack: one per workspace AND channel (teams share a workspace); Discord:
 * one per server (guild); the console chat has one of its own. Built only by the adapters' ids.
 */
export function brandScope(
  platform: 'slack' | 'discord' | 'console',
  parts: { team?: string; channel?: string; guild?: string },
): string {
  if (platform === 'slack')
    return parts.team ? `slack:${parts.team}:${parts.channel}` : `slack:${parts.channel}`;
  if (platform === 'discord') return `discord:${parts.guild ?? parts.channel ?? ''}`;
  return 'console:local';
}

/** Persistence of brand kits by scope; src/db implements it (memory, SQLite; a pg one plugs in). */
export interface BrandMethods {
  get(scope: string): Promise<BrandKit | undefined>;
  put(scope: string, kit: BrandKit): Promise<void>;
  /** True when there was a kit to remove. */
  clear(scope: string): Promise<boolean>;
}
export type BrandStore = BrandMethods & Transactional<BrandMethods>;
