/** The Action's entry (bundled into dist/index.js): everything happens in run(), which never throws. */
import { startQuickly } from '../facts/sql-loader.js';
import { run } from './run.js';

startQuickly();

await run();
