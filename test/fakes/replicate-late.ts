import type http from 'node:http';

/**
 * Creates answered LATE: the prediction is registered (it runs, it is billed, it shows in the
 * list) but the HTTP response is held back. That is the window in which a crash leaves a paid
 * prediction whose id the client never saw; `inFlight` says how many creates are in it now.
 */
export interface LateRule {
  match?: (p: { model: string; input: Record<string, unknown> }) => boolean;
  holdMs: number;
  times?: number;
}

export function createLateAnswers() {
  const rules: (LateRule & { left: number })[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  let peak = 0;
  return {
    add: (rule: LateRule) => rules.push({ ...rule, left: rule.times ?? Number.POSITIVE_INFINITY }),
    clear: () => {
      rules.length = 0;
    },
    inFlight: () => inFlight,
    peak: () => peak,
    /** Sends the create's answer now, or after the first matching rule's hold. */
    answer(p: { model: string; input: Record<string, unknown> }, res: http.ServerResponse, send: () => void) {
      const rule = rules.find((r) => r.left > 0 && (r.match?.(p) ?? true));
      if (!rule) return send();
      rule.left--;
      inFlight++;
      peak = Math.max(peak, inFlight);
      const timer = setTimeout(() => {
        timers.delete(timer);
        inFlight--;
        // The client may be gone (killed): its prediction stays registered all the same.
        if (!res.destroyed) send();
      }, rule.holdMs);
      timer.unref();
      timers.add(timer);
    },
    stop: () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
