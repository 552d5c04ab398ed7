/**
 * Imported by the entry before run.js, whose imports load PostgreSQL's parser as they are evaluated: the V8 flag
 * that startQuickly sets only applies to a wasm module compiled after it.
 */
import { startQuickly } from '../facts/sql-loader.js';

startQuickly();
