/**
 * How volatile PostgreSQL declares a function (`pg_proc.provolatile`), read from PostgreSQL 15's own catalogue
 * (pg-functions.ts, generated and checked by the oracle suite). A function it does not ship is a user's own,
 * and CREATE FUNCTION makes a function VOLATILE unless it says otherwise: so an unknown name is volatile.
 */
import { PG_FUNCTIONS } from './pg-functions.js';
import type { Volatility } from './types.js';

let known: Map<string, Volatility> | null = null;

function table(): Map<string, Volatility> {
  if (known) return known;
  known = new Map();
  for (const v of ['immutable', 'stable', 'volatile'] as const) for (const name of PG_FUNCTIONS[v].split(' ')) if (name) known.set(name, v);
  return known;
}

export function functionVolatility(name: string): Volatility {
  return table().get(name.toLowerCase()) ?? 'volatile';
}

const ORDER: Volatility[] = ['immutable', 'stable', 'volatile'];

/** The more volatile of two verdicts. */
export function mostVolatile(a: Volatility, b: Volatility): Volatility {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}
