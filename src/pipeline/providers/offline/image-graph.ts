import { ff, paletteRoles, type Rgb, type Roles } from './colour.ts';
import { createRng, mixSeed, type Rng } from './common.ts';

export interface ImageGraphInput {
  width: number;
  height: number;
  palette: readonly string[];
  seed: number;
  /** Which of the `count` images: changes the layout so a mood board shows variety. */
  variant: number;
}

const n = (v: number) => String(Math.round(v * 100) / 100);

/** A shape drawn by geq on a half-size canvas then upscaled: cheap, with anti-aliased edges. */
function geqLayer(w: number, h: number, c: Rgb, alphaExpr: string, outW: number, outH: number): string {
  return (
    `color=c=black:s=${w}x${h}:d=1:r=1,format=rgba,` +
    `geq=r=${c[0]}:g=${c[1]}:b=${c[2]}:a='${alphaExpr}',scale=${outW}x${outH}:flags=bicubic`
  );
}

/** Soft glows: gaussians on a 1/8 canvas, smooth after bicubic upscaling. */
function glows(W: number, H: number, rng: Rng, colours: Rgb[]): string[] {
  const w = Math.max(16, Math.round(W / 8));
  const h = Math.max(16, Math.round(H / 8));
  return colours.map((c) => {
    const cx = rng.range(-0.1, 1.1) * w;
    const cy = rng.range(0, 1) * h;
    const s = rng.range(0.28, 0.45) * w;
    const a = rng.range(150, 215);
    const expr = `${n(a)}*exp(-((X-${n(cx)})*(X-${n(cx)})+(Y-${n(cy)})*(Y-${n(cy)}))/${n(2 * s * s)})`;
    return geqLayer(w, h, c, expr, W, H);
  });
}

type Layout = 'arch' | 'sun' | 'orbit' | 'blocks';
const LAYOUTS: Layout[] = ['arch', 'sun', 'orbit', 'blocks'];

/** Crisp shapes on a half-size canvas (x, y, r in that canvas's pixels). */
function shapes(layout: Layout, W: number, H: number, rng: Rng, c: Roles): string[] {
  const w = Math.round(W / 2);
  const h = Math.round(H / 2);
  const cx = w * rng.range(0.38, 0.62);
  const disc = (x: number, y: number, r: number, a: number) =>
    `${a}*clip(${n(r)}-hypot(X-${n(x)},Y-${n(y)})+0.5,0,1)`;
  const ring = (x: number, y: number, r: number, t: number, a: number) =>
    `${a}*clip(${n(t / 2)}-abs(hypot(X-${n(x)},Y-${n(y)})-${n(r)})+0.5,0,1)`;
  switch (layout) {
    case 'arch': {
      const r = w * rng.range(0.26, 0.32);
      const top = h * rng.range(0.2, 0.26);
      const bottom = h * 0.86;
      const d = `if(lt(Y,${n(top)}),hypot(X-${n(cx)},Y-${n(top)}),abs(X-${n(cx)}))`;
      const arch = `235*clip(${n(r)}-${d}+0.5,0,1)*clip(${n(bottom)}-Y+0.5,0,1)`;
      const sx = cx + r * rng.range(-0.5, 0.5);
      return [
        geqLayer(w, h, c.bgA, arch, W, H),
        geqLayer(w, h, c.accentA, disc(sx, top + r * 0.35, r * 0.42, 245), W, H),
      ];
    }
    case 'sun': {
      const r = w * rng.range(0.3, 0.38);
      const cy = h * rng.range(0.26, 0.34);
      return [
        geqLayer(w, h, c.accentA, disc(cx, cy, r, 242), W, H),
        geqLayer(w, h, c.light, ring(cx, cy, r * 1.22, Math.max(1, w * 0.004), 170), W, H),
      ];
    }
    case 'orbit': {
      const x = w * rng.pick([0.25, 0.75]);
      const y = h * rng.range(0.22, 0.36);
      const t = Math.max(1, w * 0.004);
      // The distance is computed once per pixel (st/ld) rather than once per ring.
      const rings = [0.22, 0.34, 0.48]
        .map((k) => `150*clip(${n(t / 2)}-abs(ld(0)-${n(w * k)})+0.5,0,1)`)
        .join('+');
      return [
        geqLayer(w, h, c.light, `st(0,hypot(X-${n(x)},Y-${n(y)}));min(255,${rings})`, W, H),
        geqLayer(w, h, c.accentB, disc(x, y, w * 0.12, 240), W, H),
      ];
    }
    default:
      return [];
  }
}

/** Colour blocks are axis-aligned, so drawbox paints them at full size for free. */
function blocks(W: number, H: number, rng: Rng, c: Roles): string[] {
  const bw = Math.round(W * rng.range(0.42, 0.52));
  const bh = Math.round(H * rng.range(0.3, 0.36));
  const x1 = Math.round(W * rng.range(0.08, 0.14));
  const y1 = Math.round(H * rng.range(0.1, 0.14));
  const x2 = Math.round(W - x1 - bw * 0.9);
  const y2 = Math.round(y1 + bh * 0.42);
  const t = Math.max(1, Math.round(W * 0.004));
  return [
    `drawbox=x=${x1}:y=${y1}:w=${bw}:h=${bh}:color=${ff(c.accentA, 0.92)}:t=fill`,
    `drawbox=x=${x2}:y=${y2}:w=${Math.round(bw * 0.9)}:h=${Math.round(bh * 0.9)}:color=${ff(c.accentB, 0.85)}:t=fill`,
    `drawbox=x=${x1 + Math.round(W * 0.05)}:y=${y1 + Math.round(H * 0.03)}:w=${bw}:h=${bh}:color=${ff(c.light, 0.7)}:t=${t}`,
  ];
}

/**
 * One ffmpeg pass: gradient background, soft glows, one geometric motif per layout, a thin
 * frame. Every number comes from the seed and variant. No lettering: words on screen are the
 * composer's text layer, the same for every provider, so they never appear twice.
 */
export function buildImageGraph(input: ImageGraphInput): string {
  const { width: W, height: H } = input;
  const c = paletteRoles(input.palette);
  const rng = createRng(mixSeed(input.seed, `image-${input.variant}`));
  const layout = LAYOUTS[(mixSeed(input.seed, 'layout') + input.variant) % LAYOUTS.length]!;
  const diag = rng.pick([
    [0, 0, W, H],
    [W, 0, 0, H],
    [0, 0, 0, H],
  ]);
  const sources = [
    // gradients draws its own random angle unless given a seed: pin it, or renders differ.
    `gradients=s=${W}x${H}:c0=${ff(c.bgA)}:c1=${ff(c.bgB)}:x0=${diag[0]}:y0=${diag[1]}:x1=${diag[2]}:y1=${diag[3]}` +
      `:nb_colors=2:seed=${mixSeed(input.seed, `bg-${input.variant}`)}:d=1:r=1,format=rgb24`,
    ...glows(W, H, rng, [c.accentA, c.accentB]),
    ...shapes(layout, W, H, rng, c),
  ];
  const chains = sources.map((s, i) => `${s}[l${i}]`);
  let last = 'l0';
  for (let i = 1; i < sources.length; i++) {
    chains.push(`[${last}][l${i}]overlay=format=rgb[m${i}]`);
    last = `m${i}`;
  }
  const post: string[] = layout === 'blocks' ? blocks(W, H, rng, c) : [];
  const inset = Math.round(W * 0.045);
  if (rng.next() < 0.6) {
    const t = Math.max(1, Math.round(W * 0.0025));
    post.push(
      `drawbox=x=${inset}:y=${inset}:w=${W - 2 * inset}:h=${H - 2 * inset}:color=${ff(c.light, 0.55)}:t=${t}`,
    );
  }
  const tail = post.length ? `[${last}]${post.join(',')},format=rgb24[out]` : `[${last}]format=rgb24[out]`;
  return [...chains, tail].join(';');
}
