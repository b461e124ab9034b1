import { describe, expect, it } from 'vitest';
import { storyboardCard } from '../../src/bot/core/card-builders.ts';
import type { StoryboardScene } from '../../src/pipeline/steps/storyboard.ts';

const scene = (index: number, onScreen: string): StoryboardScene => ({
  index,
  startS: index * 6,
  key: `k${index}`,
  image: `/tmp/s${index}.png`,
  scene: {
    kind: 'feature',
    durationS: 6,
    title: `Title ${index}`,
    onScreen,
    description: 'A shot',
    stylePrompt: 'p',
  },
});

describe('storyboard card', () => {
  it("shows each scene's on-screen words", () => {
    const card = storyboardCard(
      [scene(0, 'Stop scrolling.'), scene(1, 'Smooth, never bitter')],
      { totalUsd: 0, lines: [] },
      0,
      1,
    );
    expect(card.text).toContain('On screen: “Stop scrolling.”');
    expect(card.text).toContain('On screen: “Smooth, never bitter”');
  });
});
