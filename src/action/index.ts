/** The Action's entry (bundled into dist/index.js): everything happens in run(), which never throws. */
import './quick-start.js';
import { run } from './run.js';

await run();
