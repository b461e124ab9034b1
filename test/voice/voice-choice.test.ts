import { describe, expect, it } from 'vitest';
import { deliveryComment, storyboardCard } from '../../src/bot/core/card-builders.ts';
import { DEMO_BRIEF as DemoBrief } from '../../src/cli/demo-brief.ts';
import { DecisionSchema, judge } from '../../src/pipeline/decisions.ts';
import { newRunInput, storyboardCardRev } from '../../src/pipeline/run-input.ts';
import type { StoryboardScene } from '../../src/pipeline/steps/storyboard.ts';
import type { RunView } from '../../src/pipeline/view.ts';

const scene = (index: number, voiceLine: string): StoryboardScene => ({
  index,
  startS: index * 6,
  key: `k${index}`,
  image: `/tmp/s${index}.png`,
  scene: {
    kind: 'feature',
    durationS: 6,
    title: `T${index}`,
    onScreen: 'Words',
    voiceLine,
    description: 'A shot',
    stylePrompt: 'p',
  },
});

function storyboardView(voice: string | null, approvals: string[] = ['ann']): RunView {
  const input = { ...newRunInput(DemoBrief, { voice, seed: 1 }), moodChoice: 0, approvals };
  return {
    runId: 'r',
    phase: 'storyboard',
    workPhase: 'storyboard',
    working: false,
    input,
    moodsRev: 'm0',
    storyboardRev: storyboardCardRev(input),
    moods: null,
    storyboard: [scene(0, 'Hello there.')],
    render: null,
    deliveredMessageId: null,
    error: null,
    errorCode: null,
    updatedAt: 'now',
    preview: null,
    previewDue: false,
    version: { n: 1, rev: 'v1', what: 'First render', costUsd: 0 },
  };
}

describe('choosing the voice on the storyboard', () => {
  it('shows each line and a menu of the provider’s voices or none', () => {
    const est = { totalUsd: 0, lines: [] };
    const voiceMenu = (c: ReturnType<typeof storyboardCard>) =>
      c.selects?.find((s) => s.action === 'voice.choose');
    const on = storyboardCard([scene(0, 'Hello there.')], est, 0, 1, {
      current: 'coral',
      voices: ['coral', 'ash', 'sage'],
    });
    expect(on.text).toContain('Voice-over: “Hello there.”');
    expect(on.fields).toContainEqual({ label: 'Voice-over', value: 'coral · captions follow it' });
    expect(voiceMenu(on)?.options).toEqual([
      { label: '✓ Voice: coral', value: 'coral' },
      { label: 'Voice: ash', value: 'ash' },
      { label: 'Voice: sage', value: 'sage' },
      { label: 'No voice-over', value: 'none' },
    ]);
    // The scene menu stays first: a voice menu never takes its place.
    expect(on.selects?.[0]?.action).toBe('scene.regenerate');
    const off = storyboardCard([scene(0, 'Hi')], est, 0, 1, { current: null, voices: ['coral', 'ash'] });
    expect(voiceMenu(off)?.placeholder).toMatch(/none/);
    expect(voiceMenu(off)?.options.at(-1)).toEqual({ label: '✓ No voice-over', value: 'none' });
    // A voice stored earlier but no provider now: it can only be turned off.
    const stale = storyboardCard([scene(0, 'Hi')], est, 0, 1, { current: 'coral', voices: [] });
    expect(voiceMenu(stale)).toBeUndefined();
    expect(stale.buttons).toContainEqual({ action: 'voice.choose', label: 'No voice-over', value: 'none' });
    const noProvider = storyboardCard([scene(0, 'Hi')], est, 0, 1);
    expect(noProvider.buttons?.some((b) => b.action === 'voice.choose')).toBe(false);
    expect(voiceMenu(noProvider)).toBeUndefined();
  });

  it('is a decision that resets approvals and makes a new card revision', () => {
    const v = storyboardView('coral');
    const d = DecisionSchema.parse({ kind: 'voice.choose', rev: v.storyboardRev, voice: null });
    const verdict = judge(v, d, 'bob');
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) return;
    expect(verdict.next.voice).toBeNull();
    expect(verdict.next.approvals).toEqual([]);
    expect(verdict.next.approvedRev).toBeNull();
    expect(storyboardCardRev(verdict.next)).not.toBe(v.storyboardRev);
    // Back to the first voice: still a new revision, never the first card again.
    const back = { ...verdict.next, voice: 'coral', voiceRev: verdict.next.voiceRev + 1 };
    expect(new Set([v.storyboardRev, storyboardCardRev(verdict.next), storyboardCardRev(back)]).size).toBe(3);
    // A stale card, the same voice again, and a name that is not a voice are refused.
    expect(judge(v, { kind: 'voice.choose', rev: 'sb-old', voice: null }, 'bob')).toMatchObject({
      refusal: 'stale',
    });
    expect(judge(v, { kind: 'voice.choose', rev: v.storyboardRev, voice: 'coral' }, 'bob')).toMatchObject({
      refusal: 'invalid',
    });
    expect(DecisionSchema.safeParse({ kind: 'voice.choose', rev: 'x', voice: '{\\fs200}' }).success).toBe(
      false,
    );
  });

  it('keeps the card revision of runs stored before voice-overs', () => {
    const { voice: _, ...old } = newRunInput(DemoBrief, { seed: 1 });
    const parsed = newRunInput(DemoBrief, { seed: 1 });
    expect(parsed.voice).toBeNull();
    expect(storyboardCardRev(parsed)).toBe(storyboardCardRev({ ...parsed, ...old }));
  });

  it('says in the delivery message why an ad has no voice-over', () => {
    const text = deliveryComment(
      { path: 'a.mp4', durationS: 30, sizeBytes: 1e6, scenes: 6, notices: ['made without voice-over: down'] },
      0,
    );
    expect(text).toContain('⚠️ made without voice-over: down');
  });
});
