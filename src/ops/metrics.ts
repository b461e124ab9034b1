/**
 * A small metrics registry rendered in Prometheus' text format (version 0.0.4): counters, gauges
 * and histograms with labels. Small on purpose: adgen needs a handful of series, not a client
 * library. Every role (bot, gateway, worker) has one registry; the queue feeds its own series
 * (depth, job latency) through the same API.
 */
export type Labels = Record<string, string>;

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const num = (v: number) =>
  Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : `${v}`;

function labelText(labels: Labels, extra?: [string, string]): string {
  const pairs = Object.entries(labels);
  if (extra) pairs.push(extra);
  if (pairs.length === 0) return '';
  return `{${pairs.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

/** Series are keyed by their label values in the declared order, so `{a,b}` and `{b,a}` are one. */
class Series<V> {
  private readonly map = new Map<string, { labels: Labels; value: V }>();
  constructor(
    private readonly metric: string,
    private readonly labelNames: readonly string[],
  ) {}
  get(labels: Labels, init: () => V): { labels: Labels; value: V } {
    const names = Object.keys(labels);
    const unknown = names.filter((n) => !this.labelNames.includes(n));
    const missing = this.labelNames.filter((n) => !(n in labels));
    if (unknown.length || missing.length)
      throw new Error(`${this.metric}: labels must be exactly [${this.labelNames.join(', ')}]`);
    const ordered = Object.fromEntries(this.labelNames.map((n) => [n, String(labels[n])]));
    const key = JSON.stringify(this.labelNames.map((n) => ordered[n]));
    const known = this.map.get(key);
    if (known) return known;
    const fresh = { labels: ordered, value: init() };
    this.map.set(key, fresh);
    return fresh;
  }
  all() {
    return [...this.map.values()];
  }
}

interface Metric {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  lines(): Promise<string[]>;
}

export class Counter {
  private readonly series: Series<number>;
  constructor(
    readonly name: string,
    labelNames: readonly string[],
  ) {
    this.series = new Series(name, labelNames);
  }
  /** Counters only go up: a negative amount is a bug in the caller. */
  inc(labels: Labels = {}, by = 1): void {
    if (!(by >= 0)) throw new Error(`${this.name}: a counter cannot go down (${by})`);
    this.series.get(labels, () => 0).value += by;
  }
  value(labels: Labels = {}): number {
    return this.series.get(labels, () => 0).value;
  }
  lines(): string[] {
    return this.series.all().map((s) => `${this.name}${labelText(s.labels)} ${num(s.value)}`);
  }
}

export type GaugeCollector = () =>
  | Promise<{ labels?: Labels; value: number }[]>
  | { labels?: Labels; value: number }[];

export class Gauge {
  private readonly series: Series<number>;
  private collector?: GaugeCollector;
  constructor(
    readonly name: string,
    labelNames: readonly string[],
  ) {
    this.series = new Series(name, labelNames);
  }
  set(labels: Labels, value: number): void {
    this.series.get(labels, () => 0).value = value;
  }
  inc(labels: Labels = {}, by = 1): void {
    this.series.get(labels, () => 0).value += by;
  }
  dec(labels: Labels = {}, by = 1): void {
    this.series.get(labels, () => 0).value -= by;
  }
  value(labels: Labels = {}): number {
    return this.series.get(labels, () => 0).value;
  }
  /** Read the values at scrape time instead (queue depth: one query per scrape, not a poller). */
  collectWith(fn: GaugeCollector): void {
    this.collector = fn;
  }
  async lines(): Promise<string[]> {
    if (this.collector) for (const s of await this.collector()) this.set(s.labels ?? {}, s.value);
    return this.series.all().map((s) => `${this.name}${labelText(s.labels)} ${num(s.value)}`);
  }
}

export class Histogram {
  private readonly series: Series<{ counts: number[]; sum: number; count: number }>;
  constructor(
    readonly name: string,
    labelNames: readonly string[],
    readonly buckets: readonly number[],
  ) {
    if (labelNames.includes('le')) throw new Error(`${name}: "le" is reserved for buckets`);
    this.series = new Series(name, labelNames);
  }
  observe(labels: Labels, value: number): void {
    const s = this.series.get(labels, () => ({ counts: this.buckets.map(() => 0), sum: 0, count: 0 })).value;
    this.buckets.forEach((b, i) => {
      if (value <= b) s.counts[i]!++;
    });
    s.sum += value;
    s.count++;
  }
  lines(): string[] {
    return this.series
      .all()
      .flatMap(({ labels, value }) => [
        ...this.buckets.map(
          (b, i) => `${this.name}_bucket${labelText(labels, ['le', num(b)])} ${value.counts[i]}`,
        ),
        `${this.name}_bucket${labelText(labels, ['le', '+Inf'])} ${value.count}`,
        `${this.name}_sum${labelText(labels)} ${num(value.sum)}`,
        `${this.name}_count${labelText(labels)} ${value.count}`,
      ]);
  }
}

export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric & { impl: unknown }>();

  private add<T extends { lines(): string[] | Promise<string[]> }>(
    name: string,
    help: string,
    type: Metric['type'],
    labelNames: readonly string[],
    make: () => T,
  ): T {
    if (!NAME.test(name)) throw new Error(`bad metric name ${name}`);
    for (const l of labelNames) if (!LABEL.test(l) || l.startsWith('__')) throw new Error(`bad label ${l}`);
    const known = this.metrics.get(name);
    // Registering twice (two modules asking for the same series) returns the first one.
    if (known) {
      if (known.type !== type) throw new Error(`${name} is already a ${known.type}`);
      return known.impl as T;
    }
    const impl = make();
    this.metrics.set(name, { name, help, type, impl, lines: async () => impl.lines() });
    return impl;
  }

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.add(name, help, 'counter', labelNames, () => new Counter(name, labelNames));
  }
  gauge(name: string, help: string, labelNames: readonly string[] = []): Gauge {
    return this.add(name, help, 'gauge', labelNames, () => new Gauge(name, labelNames));
  }
  histogram(
    name: string,
    help: string,
    buckets: readonly number[],
    labelNames: readonly string[] = [],
  ): Histogram {
    const sorted = [...buckets].sort((a, b) => a - b);
    return this.add(name, help, 'histogram', labelNames, () => new Histogram(name, labelNames, sorted));
  }

  /** The whole registry as one scrape. A failing collector drops its metric, not the scrape. */
  async render(): Promise<string> {
    const out: string[] = [];
    for (const m of this.metrics.values()) {
      let lines: string[];
      try {
        lines = await m.lines();
      } catch {
        out.push(`# ${m.name}: its collector failed during this scrape`);
        continue;
      }
      out.push(`# HELP ${m.name} ${escapeHelp(m.help)}`, `# TYPE ${m.name} ${m.type}`, ...lines);
    }
    return `${out.join('\n')}\n`;
  }
}
