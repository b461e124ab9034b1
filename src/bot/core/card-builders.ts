import type { BrandKit } from '../../pipeline/brand.ts';
import type { Brief } from '../../pipeline/schemas.ts';
import type { FormatOutput } from '../../pipeline/steps/compose-format.ts';
import type { MoodBoard } from '../../pipeline/steps/moods.ts';
import type { RenderResult } from '../../pipeline/steps/render.ts';
import type { StoryboardScene } from '../../pipeline/steps/storyboard.ts';
import { brandSummary } from './brand-card.ts';
import { type Card, type CardButton, type CardSelect, mention } from './cards.ts';

/** Platform-neutral: each adapter renders the token in its own syntax (cards.ts). */
export { mention };

export interface CostEstimate {
  totalUsd: number;
  lines: { what: string; usd: number }[];
}

export const usd = (n: number) => `$${n.toFixed(n < 1 ? 3 : 2)}`;

export function rootCard(requester: string, idea: string): Card {
  return {
    kind: 'root',
    title: '🎬 New video ad',
    text:
      `${mention(requester)} started a 30-second vertical ad${idea ? `: “${idea.slice(0, 200)}”` : ''}.\n` +
      'Everything happens in this thread: a short brief, three mood boards, a storyboard, then the video.',
  };
}

export function brandRootCard(requester: string): Card {
  return {
    kind: 'root',
    title: '🎨 Brand kit',
    text:
      `${mention(requester)} is setting this channel’s brand kit: name, colours, font, call to action, ` +
      'web address and logo. Every new ad here uses it on its end card and in its mood boards.',
  };
}

const FIELD_LABELS: Record<keyof Brief, string> = {
  product: 'Product',
  audience: 'Audience',
  tone: 'Tone',
  style: 'Visual style',
  keyMessages: 'Key messages',
  callToAction: 'Call to action',
};

export function briefCard(brief: Brief, brand?: BrandKit): Card {
  const card = briefCardOf(brief);
  if (!brand) return card;
  return { ...card, fields: [...(card.fields ?? []), { label: 'Brand kit', value: brandSummary(brand) }] };
}

function briefCardOf(brief: Brief): Card {
  return {
    kind: 'brief',
    title: '📝 Creative brief',
    text: 'Here is the brief. Does it look right? You can also reply with a change, e.g. `tone: playful, bold`.',
    fields: (Object.keys(FIELD_LABELS) as (keyof Brief)[]).map((k) => {
      const v = brief[k];
      return { label: FIELD_LABELS[k], value: Array.isArray(v) ? v.join(' · ') : v };
    }),
    buttons: [
      { action: 'brief.confirm', label: 'Looks good', value: 'ok', style: 'primary' },
      { action: 'brief.edit', label: 'Edit', value: 'edit' },
    ],
  };
}

export function moodCard(board: MoodBoard, votes: number): Card {
  const m = board.mood;
  return {
    kind: 'mood',
    title: `${board.index + 1}. ${m.name}`,
    text: `${m.description}\n${m.aesthetic}`,
    fields: [
      { label: 'Keywords', value: m.styleKeywords.join(', ') },
      { label: 'Palette', value: m.palette.join(' ') },
    ],
    images: board.images.map((path, i) => ({ path, alt: `${m.name} sample ${i + 1}` })),
    palette: m.palette,
    buttons: [
      {
        action: 'mood.select',
        label: `Select ${m.name}`.slice(0, 70),
        value: String(board.index),
        style: 'primary',
      },
    ],
    footer: `${votes} vote${votes === 1 ? '' : 's'} · react with ${board.index + 1}️⃣ or any emoji to vote`,
  };
}

export function moodsPromptCard(): Card {
  return {
    kind: 'moods-prompt',
    title: '🎨 Pick a direction',
    text: 'Vote with reactions on the mood boards above, then press Select on the one to use.',
    buttons: [{ action: 'mood.regenerate', label: 'New mood boards', value: 'all' }],
  };
}

/** The storyboard's voice-over: what it is now and the voices the speech provider offers. */
export interface VoiceChoice {
  current: string | null;
  /** The speech provider's voices, its configured one first; empty without a provider. */
  voices: readonly string[];
}

/** Discord allows 25 options in a menu (Slack 100): the configured voice and the current stay in. */
const MAX_VOICE_OPTIONS = 24;

/**
 * A menu picks any of the provider's voices or none. Without a provider there is nothing to pick:
 * a voice-over stored earlier can only be turned off (one button).
 */
function voiceControls(v: VoiceChoice | undefined): { buttons: CardButton[]; selects: CardSelect[] } {
  if (!v) return { buttons: [], selects: [] };
  if (v.voices.length === 0)
    return v.current
      ? { buttons: [{ action: 'voice.choose', label: 'No voice-over', value: 'none' }], selects: [] }
      : { buttons: [], selects: [] };
  const names = [...new Set([...(v.current ? [v.current] : []), ...v.voices])].slice(0, MAX_VOICE_OPTIONS);
  const options = [
    ...names.map((n) => ({ label: `${n === v.current ? '✓ ' : ''}Voice: ${n}`.slice(0, 70), value: n })),
    { label: `${v.current ? '' : '✓ '}No voice-over`, value: 'none' },
  ];
  return {
    buttons: [],
    selects: [
      { action: 'voice.choose', placeholder: `Voice-over: ${v.current ?? 'none'} (change…)`, options },
    ],
  };
}

export function storyboardCard(
  scenes: StoryboardScene[],
  estimate: CostEstimate,
  approvals: number,
  needed: number,
  voice?: VoiceChoice,
): Card {
  const voicePick = voiceControls(voice);
  return {
    kind: 'storyboard',
    title: `🎞️ Storyboard · ${scenes.length} scenes · 30 s`,
    text: scenes
      .map(
        (s) =>
          `${s.index + 1}. ${s.startS}-${s.startS + s.scene.durationS} s · ${s.scene.title}\n${s.scene.description}` +
          (s.scene.onScreen ? `\nOn screen: “${s.scene.onScreen}”` : '') +
          (s.scene.voiceLine ? `\nVoice-over: “${s.scene.voiceLine}”` : ''),
      )
      .join('\n\n'),
    images: scenes.map((s) => ({ path: s.image, alt: `Scene ${s.index + 1}: ${s.scene.title}` })),
    fields: [
      ...(estimate.totalUsd === 0
        ? [{ label: 'Render cost estimate', value: 'free (offline providers)' }]
        : [
            { label: 'Render cost estimate', value: usd(estimate.totalUsd) },
            ...estimate.lines.map((l) => ({ label: l.what, value: usd(l.usd) })),
          ]),
      ...(voice
        ? [
            {
              label: 'Voice-over',
              value: voice.current
                ? `${voice.current} · captions follow it`
                : 'none · the on-screen words are the captions',
            },
          ]
        : []),
    ],
    buttons: [
      { action: 'storyboard.approve', label: 'Approve & render', value: 'approve', style: 'primary' },
      { action: 'storyboard.regenerate', label: 'Regenerate all', value: 'all' },
      { action: 'ad.edit', label: 'Edit', value: 'edit' },
      ...voicePick.buttons,
      { action: 'job.cancel', label: 'Cancel', value: 'cancel', style: 'danger', confirm: CANCEL_CONFIRM },
    ],
    selects: [
      {
        action: 'scene.regenerate',
        placeholder: 'Regenerate one scene…',
        options: scenes.map((s) => ({
          label: `Scene ${s.index + 1}: ${s.scene.title}`.slice(0, 70),
          value: String(s.index),
        })),
      },
      ...voicePick.selects,
    ],
    footer: `Approvals ${approvals}/${needed} · ✅ approve · 🔁 regenerate · ❌ cancel`,
  };
}

/** Value of the follow-up "Yes, cancel" button: the click that really cancels. */
export const CANCEL_CONFIRMED = 'confirmed';

const CANCEL_CONFIRM = {
  title: 'Cancel this ad?',
  text:
    'A render in progress stops, and what it already paid for is not refunded. ' +
    'When a finished version is in the thread, the ad goes back to it.',
  yes: 'Yes, cancel',
  no: 'Keep going',
};

/** Asked before a paid render is cancelled by a platform without a confirm dialog, or by ❌. */
export function confirmCancelCard(): Card {
  return {
    kind: 'text',
    text: `${CANCEL_CONFIRM.title} ${CANCEL_CONFIRM.text}`,
    buttons: [{ action: 'job.cancel', label: CANCEL_CONFIRM.yes, value: CANCEL_CONFIRMED, style: 'danger' }],
  };
}

export const statusCard = (text: string): Card => ({ kind: 'status', title: '⏳ Working', text });

/** `offer`: what the person can do next — try again, or (video too big to upload) render as draft. */
export function errorCard(message: string, offer: 'retry' | 'draft' | 'none'): Card {
  const buttons: Card['buttons'] =
    offer === 'retry'
      ? [{ action: 'job.retry', label: 'Try again', value: 'retry', style: 'primary' }]
      : offer === 'draft'
        ? [{ action: 'render.draft', label: 'Render as draft (720p)', value: 'draft', style: 'primary' }]
        : [];
  return { kind: 'error', title: '⚠️ Something went wrong', text: message.slice(0, 1500), buttons };
}

/** A run stopped by spend control: nothing is broken, it waits for budget (spend.ts). */
export function pausedCard(message: string): Card {
  return {
    kind: 'error',
    title: '⏸️ Paused: budget',
    text: message.slice(0, 1500),
    buttons: [{ action: 'job.continue', label: 'Continue', value: 'continue', style: 'primary' }],
  };
}

export function deliveryComment(r: RenderResult, spendUsd: number): string {
  const mb = (r.sizeBytes / 1024 / 1024).toFixed(1);
  const voice = r.voice ? ` · voice-over: ${r.voice}${r.srtPath ? ' (captions attached as .srt)' : ''}` : '';
  const notices = (r.notices ?? []).map((n) => `\n⚠️ ${n}`).join('');
  return `🎉 Your ad is ready: ${r.durationS.toFixed(1)} s · ${mb} MB · ${r.scenes} scenes · spend ${usd(spendUsd)}${voice}${notices}`;
}

/** The line under a further format's upload. */
export function formatComment(f: FormatOutput): string {
  const mb = (f.sizeBytes / 1024 / 1024).toFixed(1);
  return `📐 ${f.format.replace('x', ':')} version: ${f.width}x${f.height} · ${f.durationS.toFixed(1)} s · ${mb} MB`;
}
