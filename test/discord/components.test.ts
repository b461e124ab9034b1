import { describe, expect, it } from 'vitest';
import { type Card, mention } from '../../src/bot/core/cards.ts';
import { allowedMentions, cardToDiscord, LIMITS } from '../../src/bot/discord/components.ts';
import { encodeCustomId, parseComponent, safeFilename } from '../../src/bot/discord/ids.ts';
import { DEFAULT_UPLOAD_LIMIT, limitFromChannel } from '../../src/bot/discord/limits.ts';

const embedChars = (m: ReturnType<typeof cardToDiscord>) =>
  m.embeds.reduce(
    (n, e) =>
      n +
      (e.title?.length ?? 0) +
      (e.description?.length ?? 0) +
      (e.footer?.text.length ?? 0) +
      (e.fields ?? []).reduce((k, f) => k + f.name.length + f.value.length, 0),
    0,
  );

describe('cardToDiscord', () => {
  it('renders a text-only card as plain content (mentions keep working)', () => {
    expect(cardToDiscord({ kind: 'text', text: '<@1> picked direction 2' })).toEqual({
      content: '<@1> picked direction 2',
      embeds: [],
      components: [],
      files: [],
      mentions: [],
    });
  });

  it('renders core mention tokens as <@id> and lets only those ping; typed ones stay silent', () => {
    const alice = '400000000000000001';
    const eve = '400000000000000009';
    const m = cardToDiscord({ kind: 'text', text: `${mention(alice)} picked it (typed: <@${eve}>)` });
    expect(m.content).toBe(`<@${alice}> picked it (typed: <@${eve}>)`);
    expect(m.mentions).toEqual([alice]);
    expect(allowedMentions(m.mentions)).toEqual({ parse: [], users: [alice] });
    // A look-alike token (another process's key, or typed markers) renders as nothing.
    const forged = cardToDiscord({ kind: 'text', text: `hi \uE000deadbeef0000:${eve}\uE001 there` });
    expect(forged).toMatchObject({ content: 'hi  there', mentions: [] });
  });

  it('renders a mood card: colour from the palette, fields, one embed per image, footer last', () => {
    const card: Card = {
      kind: 'text',
      title: '1. Sunrise',
      text: 'Warm\nbright',
      fields: [
        { label: 'Keywords', value: 'warm, soft' },
        { label: 'Empty', value: '' },
      ],
      palette: ['#A1B2C3', '#000000'],
      images: [
        { path: '/tmp/a/one.PNG', alt: 'sample 1' },
        { path: '/tmp/b/two.jpg', alt: 'sample 2' },
      ],
      buttons: [{ action: 'mood.select', label: 'Select', value: '0', style: 'primary' }],
      footer: '2 votes',
    };
    const m = cardToDiscord(card);
    expect(m.files).toEqual([
      { attachment: '/tmp/a/one.PNG', name: 'image-1.png', description: 'sample 1' },
      { attachment: '/tmp/b/two.jpg', name: 'image-2.jpg', description: 'sample 2' },
    ]);
    expect(m.embeds).toHaveLength(3);
    expect(m.embeds[0]).toMatchObject({ title: '1. Sunrise', description: 'Warm\nbright', color: 0xa1b2c3 });
    expect(m.embeds[0]!.fields).toEqual([
      { name: 'Keywords', value: 'warm, soft', inline: true },
      { name: 'Empty', value: '\u200b', inline: true },
    ]);
    expect(m.embeds.slice(1).map((e) => e.image?.url)).toEqual([
      'attachment://image-1.png',
      'attachment://image-2.jpg',
    ]);
    expect(m.embeds[2]!.footer).toEqual({ text: '2 votes' });
    expect(m.embeds[0]!.footer).toBeUndefined();
    expect(m.components).toEqual([
      { type: 1, components: [{ type: 2, style: 1, label: 'Select', custom_id: 'mood.select:0' }] },
    ]);
  });

  it('puts a single image on the main embed', () => {
    const m = cardToDiscord({ kind: 'text', title: 't', text: 'x', images: [{ path: 'a.webp', alt: 'a' }] });
    expect(m.embeds).toEqual([{ title: 't', description: 'x', image: { url: 'attachment://image-1.webp' } }]);
  });

  it('renders a 7-scene storyboard: 8 embeds, buttons row, select row', () => {
    const scenes = Array.from({ length: 7 }, (_, i) => i);
    const m = cardToDiscord({
      kind: 'text',
      title: 'Storyboard',
      text: scenes.map((i) => `${i + 1}. ${'scene description '.repeat(30)}`).join('\n\n'),
      images: scenes.map((i) => ({ path: `/s/${i}.png`, alt: `Scene ${i + 1}` })),
      buttons: [
        { action: 'storyboard.approve', label: 'Approve', value: 'approve', style: 'primary' },
        { action: 'storyboard.regenerate', label: 'Regenerate all', value: 'all' },
        { action: 'job.cancel', label: 'Cancel', value: 'cancel', style: 'danger' },
      ],
      selects: [
        {
          action: 'scene.regenerate',
          placeholder: 'Regenerate one scene…',
          options: scenes.map((i) => ({ label: `Scene ${i + 1}`, value: String(i) })),
        },
      ],
      footer: 'Approvals 0/1',
    });
    expect(m.embeds).toHaveLength(8);
    expect(m.files).toHaveLength(7);
    expect(m.components).toHaveLength(2);
    expect(m.components[0]!.components.map((c) => c.type)).toEqual([2, 2, 2]);
    expect(m.components[1]!.components[0]).toMatchObject({
      type: 3,
      custom_id: 'scene.regenerate',
      min_values: 1,
      max_values: 1,
    });
    expect(embedChars(m)).toBeLessThanOrEqual(LIMITS.embedTotal);
  });

  it('enforces Discord limits: lengths, 10 embeds, 5 rows, 25 options, unique custom ids', () => {
    const m = cardToDiscord({
      kind: 'text',
      title: 'T'.repeat(300),
      text: 'd'.repeat(5000),
      fields: Array.from({ length: 30 }, (_, i) => ({ label: `f${i}`, value: 'v'.repeat(2000) })),
      images: Array.from({ length: 14 }, (_, i) => ({ path: `/i/${i}.png`, alt: 'a'.repeat(300) })),
      buttons: Array.from({ length: 30 }, (_, i) => ({
        action: 'brief.edit' as const,
        label: 'L'.repeat(120),
        value: String(i % 24),
      })),
      selects: [
        {
          action: 'scene.regenerate',
          placeholder: 'P'.repeat(200),
          options: Array.from({ length: 40 }, (_, i) => ({ label: 'o'.repeat(150), value: String(i) })),
        },
      ],
      footer: 'f'.repeat(100),
    });
    expect(m.embeds[0]!.title).toHaveLength(LIMITS.title);
    expect(m.embeds[0]!.description).toHaveLength(LIMITS.description);
    // What is left of the 6000-character budget holds the first fields, then fields stop.
    expect(m.embeds[0]!.fields!.map((f) => f.value.length)).toEqual([
      LIMITS.fieldValue,
      6000 - 256 - 100 - 4096 - 1024 - 2 - 2,
    ]);
    expect(m.embeds.at(-1)!.footer!.text).toHaveLength(100);
    expect(m.embeds).toHaveLength(10);
    expect(m.files).toHaveLength(9);
    expect(embedChars(m)).toBeLessThanOrEqual(LIMITS.embedTotal);
    expect(m.components).toHaveLength(5);
    const buttons = m.components.slice(0, 4).flatMap((r) => r.components);
    expect(buttons).toHaveLength(20);
    expect(new Set(buttons.map((b) => ('custom_id' in b ? b.custom_id : ''))).size).toBe(20);
    for (const b of buttons) expect('label' in b && b.label!.length).toBeLessThanOrEqual(LIMITS.buttonLabel);
    const select = m.components[4]!.components[0]!;
    expect(select.type === 3 && select.options.length).toBe(25);
    expect(select.type === 3 && select.options[0]!.label.length).toBe(100);
    expect(select.type === 3 && select.placeholder!.length).toBe(150);
  });
});

it('keeps at most 25 fields', () => {
  const fields = Array.from({ length: 30 }, (_, i) => ({ label: `f${i}`, value: 'v' }));
  expect(cardToDiscord({ kind: 'text', text: 't', fields }).embeds[0]!.fields).toHaveLength(LIMITS.fields);
});

describe('custom ids', () => {
  it('round-trip action and value, and never exceed 100 characters', () => {
    expect(parseComponent(encodeCustomId('mood.select', '2'))).toEqual({ action: 'mood.select', value: '2' });
    expect(parseComponent('brief.edit:a:b')).toEqual({ action: 'brief.edit', value: 'a:b' });
    expect(parseComponent('scene.regenerate', ['3'])).toEqual({ action: 'scene.regenerate', value: '3' });
    expect(() => encodeCustomId('mood.select', 'v'.repeat(100))).toThrow(/100/);
  });

  it('turns malformed ids into actions the core will refuse politely', () => {
    expect(parseComponent(undefined)).toEqual({ action: 'invalid', value: '' });
    expect(parseComponent('UPPER:1')).toEqual({ action: 'UPPER:1', value: '' });
    expect(parseComponent('mood.select:\n')).toEqual({ action: 'mood.select', value: '' });
    expect(parseComponent('scene.regenerate', [])).toEqual({ action: 'scene.regenerate', value: '' });
    expect(parseComponent('scene.regenerate', [42])).toEqual({ action: 'scene.regenerate', value: '' });
  });

  it('keeps attachment names referenceable', () => {
    expect(safeFilename('adgen run 1/ad.mp4', 'x.mp4')).toBe('adgen_run_1_ad.mp4');
    expect(safeFilename('...', 'x.mp4')).toBe('x.mp4');
  });
});

describe('upload limits', () => {
  it('follow the guild boost tier when no interaction told us the limit', () => {
    expect(limitFromChannel(undefined)).toBe(DEFAULT_UPLOAD_LIMIT);
    expect(limitFromChannel({ guild: { premiumTier: 1 } } as never)).toBe(10 * 1024 * 1024);
    expect(limitFromChannel({ guild: { premiumTier: 2 } } as never)).toBe(50 * 1024 * 1024);
    expect(limitFromChannel({ guild: { premiumTier: 3 } } as never)).toBe(100 * 1024 * 1024);
  });
});
