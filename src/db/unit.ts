import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transactional, TxOptions } from '../pipeline/stores.ts';

/** A port's methods as a backend may write them: plain (synchronous) returns are allowed. */
export type Ops<M> = {
  [K in keyof M]: M[K] extends (...a: infer A) => Promise<infer R> ? (...a: A) => R | Promise<R> : never;
};

/**
 * How a backend runs one store call and one transaction on its connection `C`. A PostgreSQL unit
 * would check a client out of its pool per call, and per transaction run BEGIN … COMMIT on one
 * client handed to every `tx` method; the ports below stay the same.
 */
export interface Unit<C> {
  call<T>(fn: (conn: C) => T | Promise<T>): Promise<T>;
  transaction<T>(fn: (conn: C) => Promise<T>, opts?: TxOptions): Promise<T>;
}

/** Runs functions one at a time, in call order. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export interface TxHooks {
  begin(): void;
  commit(): void;
  rollback(): void;
}

/**
 * A unit over ONE connection that cannot hold two transactions (better-sqlite3, the in-memory
 * store). A transaction spans awaits, and any statement sent on the connection meanwhile would
 * land inside it (and be committed or rolled back with it), so transactions AND plain calls queue
 * on one mutex: a plain call waits until the running transaction has ended. A plain call made
 * from inside a transaction would wait for itself forever, so it is refused instead.
 */
export function serialisedUnit<C>(conn: C, hooks: TxHooks): Unit<C> {
  const mutex = new Mutex();
  const inside = new AsyncLocalStorage<{ open: boolean }>();
  const refuseNested = () => {
    if (inside.getStore()?.open)
      throw new Error('a store was called directly inside its own transaction: use the tx it gave you');
  };
  return {
    call(fn) {
      refuseNested();
      return mutex.run(() => fn(conn));
    },
    transaction(fn) {
      refuseNested();
      return mutex.run(async () => {
        const scope = { open: true };
        hooks.begin();
        try {
          const result = await inside.run(scope, () => fn(conn));
          hooks.commit();
          return result;
        } catch (err) {
          hooks.rollback();
          throw err;
        } finally {
          scope.open = false;
        }
      });
    },
  };
}

/** `ops` as async methods that refuse to run once their transaction has ended. */
export function bindTx<M>(ops: Ops<M>, live: () => boolean): M {
  const out: Record<string, unknown> = {};
  for (const [name, op] of Object.entries(ops as Record<string, (...a: unknown[]) => unknown>)) {
    out[name] = async (...args: unknown[]) => {
      if (!live()) throw new Error(`${name} was called on a transaction that has already ended`);
      return op(...args);
    };
  }
  return out as M;
}

/**
 * A store port from its backend ops: each method is one `unit.call`; `transaction` runs `fn`
 * with the same methods bound to one transaction (`extra` adds other ports' methods to that tx).
 */
export function port<C, M, X = unknown>(
  unit: Unit<C>,
  ops: (conn: C) => Ops<M>,
  extra?: (conn: C, live: () => boolean) => X,
): M & Transactional<M & X> {
  // Ops are built once per connection; a factory must not touch its connection until called.
  const built = new WeakMap<object, Ops<M>>();
  const opsOn = (c: C): Ops<M> => {
    const known = built.get(c as object);
    if (known) return known;
    const fresh = ops(c);
    built.set(c as object, fresh);
    return fresh;
  };
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(ops(undefined as C))) {
    out[name] = (...args: unknown[]) =>
      unit.call((c) => (opsOn(c) as Record<string, (...a: unknown[]) => unknown>)[name]!(...args));
  }
  out.transaction = <T>(fn: (tx: M & X) => Promise<T>, opts?: TxOptions) =>
    unit.transaction(async (c) => {
      let open = true;
      const live = () => open;
      try {
        return await fn({ ...bindTx(opsOn(c), live), ...(extra?.(c, live) as X) });
      } finally {
        open = false;
      }
    }, opts);
  return out as M & Transactional<M & X>;
}
