import { createMemoryStores, emptyState } from '../../src/db/memory-stores.ts';
import { storeContract } from './store-contract.ts';

storeContract('memory', () => {
  const state = emptyState();
  return { stores: createMemoryStores(state), other: () => createMemoryStores(state), cleanup() {} };
});
