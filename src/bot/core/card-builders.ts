import type { FormatName } from '../../pipeline/media/formats.ts';
import type { Brief } from '../../pipeline/schemas.ts';
import type { FormatOutput } from '../../pipeline/steps/compose-format.ts';
import type { MoodBoard } from '../../pipeline/steps/moods.ts';
import type { RenderResult } from '../../pipeline/steps/render.ts';
import type { StoryboardScene } from '../../pipeline/steps/storyboard.ts';
import { type Card, mention } from './cards.ts';

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

const FIELD_LABELS: Record<keyof Brief, string> = {
  product: 'Product',
  audience: 'Audience',
  tone: 'Tone',
  style: 'Visual style',
  keyMessages: 'Key messages',
  callToAction: 'Call to action',
};

export function briefCard(brief: Brief): Card {
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

export function storyboardCard(
  scenes: StoryboardScene[],
  estimate: CostEstimate,
  approvals: number,
  needed: number,
): Card {
  return {
    kind: 'storyboard',
    title: `🎞️ Storyboard · ${scenes.length} scenes · 30 s`,
    text: scenes
      .map(
        (s) =>
          `${s.index + 1}. ${s.startS}-${s.startS + s.scene.durationS} s · ${s.scene.title}\n${s.scene.description}` +
          (s.scene.onScreen ? `\nOn screen: “${s.scene.onScreen}”` : ''),
      )
      .join('\n\n'),
    images: scenes.map((s) => ({ path: s.image, alt: `Scene ${s.index + 1}: ${s.scene.title}` })),
    fields:
      estimate.totalUsd === 0
        ? [{ label: 'Render cost estimate', value: 'free (offline providers)' }]
        : [
            { label: 'Render cost estimate', value: usd(estimate.totalUsd) },
            ...estimate.lines.map((l) => ({ label: l.what, value: usd(l.usd) })),
          ],
    buttons: [
      { action: 'storyboard.approve', label: 'Approve & render', value: 'approve', style: 'primary' },
      { action: 'storyboard.regenerate', label: 'Regenerate all', value: 'all' },
      { action: 'job.cancel', label: 'Cancel', value: 'cancel', style: 'danger' },
    ],
    select: {
      action: 'scene.regenerate',
      placeholder: 'Regenerate one scene…',
      options: scenes.map((s) => ({
        label: `Scene ${s.index + 1}: ${s.scene.title}`.slice(0, 70),
        value: String(s.index),
      })),
    },
    footer: `Approvals ${approvals}/${needed} · ✅ approve · 🔁 regenerate · ❌ cancel`,
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

export function deliveryComment(r: RenderResult, spendUsd: number): string {
  const mb = (r.sizeBytes / 1024 / 1024).toFixed(1);
  return `🎉 Your ad is ready: ${r.durationS.toFixed(1)} s · ${mb} MB · ${r.scenes} scenes · spend ${usd(spendUsd)}`;
}

/** The line under a further format's upload. */
export function formatComment(f: FormatOutput): string {
  const mb = (f.sizeBytes / 1024 / 1024).toFixed(1);
  return `📐 ${f.format.replace('x', ':')} version: ${f.width}x${f.height} · ${f.durationS.toFixed(1)} s · ${mb} MB`;
}

/**
 * Posted under the finished video: what can be done with it next. `missing` are the formats not
 * made yet; with none left (or nothing else to offer) there is no card.
 */
export function videoActionsCard(missing: readonly FormatName[]): Card | null {
  if (missing.length === 0) return null;
  const list = missing.map((f) => f.replace('x', ':')).join(', ');
  return {
    kind: 'video',
    title: '🎬 Your video',
    text: `Need it for feeds or YouTube? More formats composes ${list} from the same clips (no new generation).`,
    buttons: [{ action: 'video.formats', label: 'More formats', value: 'formats' }],
  };
}
