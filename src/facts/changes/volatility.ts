/**
 * How volatile PostgreSQL declares a function (`pg_proc.provolatile`). A function it does not ship is a user's
 * own, and CREATE FUNCTION makes a function VOLATILE unless it says otherwise: so an unknown name is volatile.
 */
import type { Volatility } from './types.js';

const STABLE = new Set([
  'now',
  'statement_timestamp',
  'transaction_timestamp',
  'current_setting',
  'current_database',
  'current_schema',
  'current_schemas',
  'current_user',
  'session_user',
  'pg_backend_pid',
  'to_char',
  'to_timestamp',
  'to_date',
  'concat',
  'concat_ws',
  'format',
  'date_trunc',
  'age',
  'timezone',
  'pg_my_temp_schema',
  'inet_client_addr',
  'txid_current',
  'pg_current_xact_id',
  'length',
  'numeric',
  'to_json',
  'to_jsonb',
  'json_build_object',
  'jsonb_build_object',
  'json_build_array',
  'jsonb_build_array',
]);

const IMMUTABLE = new Set([
  'lower',
  'upper',
  'md5',
  'abs',
  'round',
  'trunc',
  'floor',
  'ceil',
  'btrim',
  'ltrim',
  'rtrim',
  'replace',
  'substr',
  'substring',
  'left',
  'right',
  'make_date',
  'make_interval',
  'int4',
  'int8',
  'text',
]);

export function functionVolatility(name: string): Volatility {
  const n = name.toLowerCase();
  if (IMMUTABLE.has(n)) return 'immutable';
  if (STABLE.has(n)) return 'stable';
  return 'volatile';
}
