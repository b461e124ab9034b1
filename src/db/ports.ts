import type { DeliveryLog } from '../bot/core/delivery.ts';
import type { ThreadStore } from '../bot/core/thread-state.ts';
import type { BrandStore } from '../pipeline/brand.ts';
import type { DecisionStore } from '../pipeline/decisions.ts';
import type { StepStore } from '../pipeline/engine.ts';
import type { IntentStore } from '../pipeline/intent-store.ts';
import type { LeaseStore } from '../pipeline/lease.ts';
import type { SpendStore } from '../pipeline/spend-store.ts';
import type { RunStore } from '../pipeline/stores.ts';

/** Every store port of one backend, over one database (what `createSqliteStores` & co. return). */
export interface Stores {
  runs: RunStore;
  steps: StepStore;
  decisions: DecisionStore;
  intents: IntentStore;
  leases: LeaseStore;
  deliveries: DeliveryLog;
  threads: ThreadStore;
  /** Brand kits by scope (pipeline/brand.ts). */
  brands: BrandStore;
  spend: SpendStore;
}
