/**
 * Named readiness checks a role registers (database reachable, chat connection up, queue
 * reachable). A check passes by resolving (or returning true) within its timeout; it fails by
 * throwing, returning false, or taking too long: a database that hangs is not ready either.
 */
export type ReadinessCheck = () => Promise<unknown> | unknown;

export interface ReadinessResult {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
  failing: string[];
}

export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  constructor(private readonly timeoutMs = 2000) {}

  register(name: string, check: ReadinessCheck): void {
    if (this.checks.has(name)) throw new Error(`readiness check "${name}" is registered twice`);
    this.checks.set(name, check);
  }

  names(): string[] {
    return [...this.checks.keys()];
  }

  async run(): Promise<ReadinessResult> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await this.one(check)] as const),
    );
    const checks = Object.fromEntries(entries);
    const failing = entries.filter(([, r]) => !r.ok).map(([n]) => n);
    return { ready: failing.length === 0, checks, failing };
  }

  private async one(check: ReadinessCheck): Promise<{ ok: boolean; error?: string }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const r = await Promise.race([Promise.resolve().then(check), timeout]);
      return r === false ? { ok: false, error: 'not ready' } : { ok: true };
    } catch (err) {
      // Only the error's class and code: driver messages can quote connection strings.
      const e = err as { name?: string; code?: string; message?: string };
      const error = e.code ? `${e.name ?? 'Error'} ${e.code}` : (e.message ?? String(err)).slice(0, 120);
      return { ok: false, error };
    } finally {
      clearTimeout(timer);
    }
  }
}
