/**
 * Values computed from one file's facts alone that environment rules need from every file (the table events
 * the lock catalogue replays along a file's ancestry). Kept beside the facts, they come back with them from
 * the engine's cache, so a run that reports on one file of ten thousand does not read the others in full.
 */

const STORE = Symbol('migration-lint.derived');

export interface DerivedStore {
  get(name: string): unknown;
  set(name: string, value: unknown): void;
}

/** Gives a facts object its store (the engine does, for facts it caches). */
export function attachDerived(facts: object, store: DerivedStore): void {
  Object.defineProperty(facts, STORE, { value: store, enumerable: false, configurable: true });
}

/**
 * `compute()`, remembered with the facts under `name`. The value must survive JSON unchanged (plain objects,
 * arrays, strings, finite numbers, booleans, null), and depend on nothing but the facts it is computed from.
 * `valid` checks a remembered value (the cache's file may be damaged): one it refuses is computed again.
 */
export function derived<T>(facts: object, name: string, compute: () => T, valid?: (v: unknown) => v is T): T {
  const store = (facts as { [STORE]?: DerivedStore })[STORE];
  if (!store) return compute();
  const hit = store.get(name);
  if (hit !== undefined && (!valid || valid(hit))) return hit as T;
  const value = compute();
  store.set(name, value);
  return value;
}
