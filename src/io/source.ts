/** The work tree as a SourceProvider (model/source.ts): what the engine reads unless a git mode gives another. */
import type { SourceProvider } from '../model/source.js';
import { fileStamp, readBytes, readText } from './files.js';

export const workTree: SourceProvider = {
  files: (env) => env.files,
  read: readBytes,
  readText,
  writable: true,
  stamp: fileStamp,
};
