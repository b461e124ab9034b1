import { describe, expect, it } from 'vitest';
import { type Card, type CardButton, mention } from '../../src/bot/core/cards.ts';
import { cardToBlockKit, decodeActionId, LIMITS } from '../../src/bot/slack/blocks.ts';
import { mrkdwn } from '../../src/bot/slack/text.ts';

// biome-ignore lint/suspicious/noExplicitAny: inspecting Block Kit JSON
type Any = any;
const ofType = (blocks: Any[], type: string) => blocks.filter((b) => b.type === type);
const elements = (blocks: Any[]) => ofType(blocks, 'actions').flatMap((b) => b.elements);

describe('cardToBlockKit', () => {
  const mood: Card = {
    kind: 'text',
    title: 'Mood 2 · Neon Night',
    text: 'Electric & moody <city> nights',
    fields: [
      { label: 'Keywords', value: 'neon, rain, reflections' },
      { label: 'Direction', value: 'cinematic' },
    ],
    palette: ['#0B0F2A', '#FF2E88', 'not-a-colour', '22D3EE'],
    images: [
      { path: '/tmp/a.png', alt: 'street at night' },
      { path: '/tmp/missing.png', alt: 'skyline' },
    ],
    buttons: [
      { action: 'mood.select', label: 'Select', value: '2', style: 'primary' },
      { action: 'mood.regenerate', label: 'Regenerate all', value: '' },
    ],
    footer: 'React 2️⃣ to vote',
  };

  it('renders header, escaped text, fields, palette, images, buttons and footer', () => {
    const { text, blocks } = cardToBlockKit(mood, new Map([['/tmp/a.png', 'F123']])) as {
      text: string;
      blocks: Any[];
    };
    expect(blocks.map((b) => b.type)).toEqual([
      'header',
      'section',
      'section',
      'context',
      'image',
      'context',
      'actions',
      'context',
    ]);
    expect(blocks[0].text).toMatchObject({ type: 'plain_text', text: 'Mood 2 · Neon Night' });
    // User/model text cannot inject mentions or links into mrkdwn.
    expect(blocks[1].text.text).toBe('Electric &amp; moody &lt;city&gt; nights');
    expect(blocks[2].fields.map((f: Any) => f.text)).toEqual([
      '*Keywords*\nneon, rain, reflections',
      '*Direction*\ncinematic',
    ]);
    expect(blocks[3].elements[0].text).toBe('🎨 `#0B0F2A`  `#FF2E88`  `#22D3EE`');
    expect(blocks[4]).toEqual({ type: 'image', slack_file: { id: 'F123' }, alt_text: 'street at night' });
    expect(blocks[5].elements[0].text).toContain('skyline (image not available)');
    expect(text).toContain('Mood 2');
  });

  it('renders core mention tokens as <@U…>, even when cut; typed mentions and <!channel> stay text', () => {
    const text = `${mention('U0ALICE')} approved. <@U0EVE> <!channel>`;
    const m = cardToBlockKit({ kind: 'text', text });
    expect(m.blocks[0]).toMatchObject({
      text: { text: '<@U0ALICE> approved. &lt;@U0EVE&gt; &lt;!channel&gt;' },
    });
    // Cut in the middle of a token: no half-token and no marker reaches Slack.
    const cut = mrkdwn(`ab ${mention('U0ALICE')}`, 8);
    expect(cut).not.toMatch(/[\uE000\uE001]/);
    expect(cut.startsWith('ab')).toBe(true);
  });

  it('gives every element a unique action_id that maps back to the action, value carried as is', () => {
    const { blocks } = cardToBlockKit(mood) as { blocks: Any[] };
    const els = elements(blocks);
    expect(els.map((e: Any) => e.action_id)).toEqual(['mood.select:0', 'mood.regenerate:1']);
    expect(els.map((e: Any) => decodeActionId(e.action_id))).toEqual(['mood.select', 'mood.regenerate']);
    expect(els[0]).toMatchObject({ type: 'button', value: '2', style: 'primary' });
    expect(els[1].style).toBeUndefined();
  });

  it('renders a select as a static_select with suffixed action_id', () => {
    const card: Card = {
      kind: 'text',
      text: 'Which scene?',
      selects: [
        {
          action: 'scene.regenerate',
          placeholder: 'Regenerate scene…',
          options: [1, 2, 3].map((n) => ({ label: `Scene ${n}`, value: String(n) })),
        },
      ],
    };
    const sel = elements(cardToBlockKit(card).blocks as Any[])[0];
    expect(sel.type).toBe('static_select');
    expect(decodeActionId(sel.action_id)).toBe('scene.regenerate');
    expect(sel.options[2]).toEqual({ text: { type: 'plain_text', text: 'Scene 3' }, value: '3' });
  });

  it('truncates long texts to Block Kit limits', () => {
    const long = 'x'.repeat(500);
    const card: Card = {
      kind: 'text',
      title: long,
      text: 'y'.repeat(50_000),
      fields: [{ label: 'L', value: 'z'.repeat(5000) }],
      buttons: [{ action: 'job.retry', label: long, value: 'v'.repeat(5000) }],
      selects: [
        {
          action: 'scene.regenerate',
          placeholder: long,
          options: [{ label: long, value: 'w'.repeat(500) }],
        },
      ],
      footer: '&'.repeat(5000),
    };
    const { blocks, text } = cardToBlockKit(card) as { blocks: Any[]; text: string };
    expect(blocks[0].text.text.length).toBeLessThanOrEqual(LIMITS.headerText);
    for (const s of ofType(blocks, 'section')) {
      if (s.text) expect(s.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      for (const f of s.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(LIMITS.fieldText);
    }
    expect(ofType(blocks, 'section').filter((s) => s.text).length).toBeGreaterThan(1);
    const [button, select] = elements(blocks);
    expect(button.text.text.length).toBeLessThanOrEqual(LIMITS.buttonText);
    expect(button.value.length).toBeLessThanOrEqual(LIMITS.buttonValue);
    expect(select.placeholder.text.length).toBeLessThanOrEqual(LIMITS.placeholder);
    expect(select.options[0].text.text.length).toBeLessThanOrEqual(LIMITS.optionText);
    expect(select.options[0].value.length).toBeLessThanOrEqual(LIMITS.optionValue);
    const footer = blocks.at(-1).elements[0].text as string;
    expect(footer.length).toBeLessThanOrEqual(LIMITS.contextText);
    expect(footer.endsWith('&amp;…') || footer.endsWith('&amp;')).toBe(true); // never half an entity
    expect(text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
  });

  it('splits more than 25 buttons over several actions blocks', () => {
    const buttons: CardButton[] = Array.from({ length: 60 }, (_, i) => ({
      action: 'scene.regenerate',
      label: `Scene ${i + 1}`,
      value: String(i + 1),
    }));
    const { blocks } = cardToBlockKit({ kind: 'text', text: 'many', buttons }) as { blocks: Any[] };
    const actions = ofType(blocks, 'actions');
    expect(actions.map((a) => a.elements.length)).toEqual([25, 25, 10]);
    const ids = elements(blocks).map((e: Any) => e.action_id);
    expect(new Set(ids).size).toBe(60);
  });

  it('caps a message at 50 blocks and keeps the buttons', () => {
    const images = Array.from({ length: 80 }, (_, i) => ({ path: `/img/${i}.png`, alt: `image ${i}` }));
    const refs = new Map(images.map((img, i) => [img.path, `F${i}`]));
    const card: Card = {
      kind: 'text',
      title: 'Big',
      text: 'body',
      images,
      buttons: [{ action: 'storyboard.approve', label: 'Approve', value: 'x' }],
    };
    const { blocks } = cardToBlockKit(card, refs) as { blocks: Any[] };
    expect(blocks).toHaveLength(LIMITS.blocks);
    expect(blocks.at(-1).type).toBe('actions');
    expect(blocks.at(-2).elements[0].text).toMatch(/more block\(s\) not shown/);
  });

  it('skips empty text and falls back to a non-empty notification text', () => {
    const { blocks, text } = cardToBlockKit({ kind: 'text', text: '  ' });
    expect(blocks).toEqual([]);
    expect(text).toBe('adgen');
  });
});
