/**
 * How the fake OpenAI answers `edit_plan` requests: like a model would, from what the request
 * carries (the <message>, <scenes>, <brief> and <music> data blocks), not from test fixtures. It
 * shares no code with the offline interpreter, so tests through it check the OpenAI path itself.
 */
type SceneData = { scene: number; kind: string; durationS: number; description: string; stylePrompt: string };

const NULLS = {
  reason: null,
  target: null,
  field: null,
  value: null,
  scene: null,
  endCard: null,
  title: null,
  description: null,
  stylePrompt: null,
  onScreen: null,
  durationS: null,
  tempo: null,
  note: null,
  op: null,
  from: null,
  to: null,
};

function block(content: string, tag: string): unknown {
  const m = new RegExp(`<${tag}>\\n([\\s\\S]*?)\\n</${tag}>`).exec(content);
  return m ? JSON.parse(m[1]!) : null;
}

const FIELDS: Record<string, string> = {
  audience: 'audience',
  tone: 'tone',
  product: 'product',
  style: 'style',
  cta: 'callToAction',
  'call to action': 'callToAction',
};
const ORDINAL: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
};

function referenced(msg: string, scenes: SceneData[]): number[] {
  const nums = [...msg.matchAll(/\b(\d)\b/g)].map((m) => Number(m[1]));
  for (const [w, n] of Object.entries(ORDINAL)) if (msg.includes(`${w} scene`)) nums.push(n);
  if (/\bhook\b|\bopening\b/.test(msg)) nums.push(scenes.find((s) => s.kind === 'hook')?.scene ?? 1);
  return nums;
}

export function answerEditPlan(body: { messages: { role: string; content: string }[] }): unknown {
  const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
  const raw = String(block(user, 'message') ?? '');
  const msg = raw.toLowerCase();
  const scenes = (block(user, 'scenes') as SceneData[] | null) ?? [];
  const quoted = /['"“‘]([^'"”’]{2,})['"”’]/.exec(raw)?.[1];
  const nums = referenced(msg.replace(/['"“‘][^'"”’]*['"”’]/g, ''), scenes);
  if (/\b(swap|switch)\b/.test(msg) && nums.length >= 2)
    return { ...NULLS, kind: 'edit', target: 'order', op: 'swap', from: nums[0], to: nums[1] };
  if (/\bmusic|soundtrack|song\b/.test(msg)) {
    const slower = /calm|relax|soft|slow|gentle/.test(msg);
    const faster = /upbeat|energ|fast|lively|punch/.test(msg);
    const note = slower
      ? 'calmer, softer instrumental bed'
      : faster
        ? 'more upbeat, brighter and punchier'
        : 'a fresh track';
    return {
      ...NULLS,
      kind: 'edit',
      target: 'music',
      tempo: slower ? 'slower' : faster ? 'faster' : 'same',
      note,
    };
  }
  const field =
    /\b(?:make|change|set)\s+the\s+(audience|tone|product|style|cta|call to action)\s+(?:to\s+)?(.+)$/i.exec(
      raw,
    );
  if (field)
    return {
      ...NULLS,
      kind: 'edit',
      target: 'brief',
      field: FIELDS[field[1]!.toLowerCase()],
      value: field[2]!.trim(),
    };
  if (quoted)
    return {
      ...NULLS,
      kind: 'edit',
      target: 'on-screen',
      endCard: nums.length === 0 || /\bend|cta|clos/.test(msg),
      scene: nums[0] ?? null,
      onScreen: quoted,
    };
  const scene = scenes.find((s) => s.scene === nums[0]);
  if (scene && /\bshort|quick|snappy|long/.test(msg))
    return {
      ...NULLS,
      kind: 'edit',
      target: 'scene',
      scene: scene.scene,
      durationS: scene.durationS + (/long/.test(msg) ? 1 : -1),
    };
  if (scene && /\bnight|evening|dark\b/.test(msg)) {
    const base = scene.description
      .replace(/\s*(at sunrise|in the morning|at dawn|in daylight)/gi, '')
      .replace(/\.$/, '');
    return {
      ...NULLS,
      kind: 'edit',
      target: 'scene',
      scene: scene.scene,
      description: `${base}, at night under warm street lights`,
      stylePrompt: `night scene, moonlight and neon reflections, ${scene.stylePrompt}`,
    };
  }
  if (/\?$|^(thanks|thank you|great|nice|cool|ok|looks good)/.test(msg.trim()))
    return { ...NULLS, kind: 'not-a-change' };
  return { ...NULLS, kind: 'cannot', reason: 'I can’t tell which part of the ad that should change.' };
}
