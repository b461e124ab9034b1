import { FORMATS } from '../../pipeline/media/formats.ts';
import { finalReusesClips } from '../../pipeline/video-decisions.ts';
import type { RunView } from '../../pipeline/view.ts';
import { type CostEstimate, usd } from './card-builders.ts';
import type { Card, CardButton } from './cards.ts';

/** `v2 · Music changed · cost $0.040`: the version line on the upload and on its card. */
export function versionLine(v: Pick<RunView, 'version'>): string {
  const { n, what, costUsd } = v.version;
  return `v${n} · ${what} · cost ${costUsd === null ? 'unknown' : usd(costUsd)}`;
}

/**
 * What can be done with a delivered version: New take, Change music, Final quality, More formats
 * (while some format is not made yet). The buttons carry no state: the message's card revision
 * (`v<n>`) says which version. `note` replaces the version line while More formats is at work
 * (its cost is known again once the formats are in).
 */
export function videoCard(v: RunView, note?: string): Card {
  const i = v.input;
  const missing = note ? [] : FORMATS.filter((f) => !i.formats.includes(f));
  // Only where the draft's clips are the final's (draft: 720x1280 both); `tiny` would pay again.
  const canFinal = i.profile !== 'final' && finalReusesClips(i.profile);
  const buttons: CardButton[] = [
    { action: 'video.new_take', label: 'New take', value: 'take' },
    { action: 'video.change_music', label: 'Change music', value: 'music' },
  ];
  if (canFinal) buttons.push({ action: 'video.final', label: 'Final quality', value: 'final' });
  if (missing.length) buttons.push({ action: 'video.formats', label: 'More formats', value: 'formats' });
  buttons.push({ action: 'ad.edit', label: 'Edit', value: 'edit' });
  const ratios = missing.map((f) => f.replace('x', ':')).join(', ');
  const earlier = i.versions.map((p) => `v${p.n} · ${p.what}`).join('\n');
  return {
    kind: 'video',
    title: `🎬 Version ${v.version.n}`,
    text:
      `${note ?? versionLine(v)}\n` +
      'New take: same storyboard, new clips (paid, estimate first) · Change music: new track, same clips' +
      (canFinal ? ' · Final quality: the same clips re-composed at 1080x1920' : '') +
      (missing.length ? ` · More formats: ${ratios} from the same clips (no new generation)` : '') +
      (earlier ? `\n\nEarlier versions stay in this thread:\n${earlier}` : ''),
    buttons,
  };
}

/** Shown before a new take is paid for: what it will cost, and a button to go ahead. */
export function takeConfirmCard(v: RunView, estimate: CostEstimate): Card {
  const clips = estimate.lines.filter((l) => l.usd > 0).length;
  return {
    kind: 'video',
    title: `🎲 New take of v${v.version.n}?`,
    text:
      `The same storyboard with new clips${clips ? ` (${clips} to make)` : ''}: ` +
      `estimate ${estimate.totalUsd === 0 ? 'free (offline providers)' : usd(estimate.totalUsd)}. ` +
      'Nothing is paid until you confirm.',
    fields: estimate.lines.filter((l) => l.usd > 0).map((l) => ({ label: l.what, value: usd(l.usd) })),
    buttons: [
      { action: 'video.take_confirm', label: 'Confirm new take', value: 'confirm', style: 'primary' },
    ],
  };
}
