import fs from 'node:fs';

/** Read once from our own package.json, which ships beside dist/. */
export const VERSION: string = (() => {
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
})();

export const DOCS_BASE = `https://unpkg.com/migration-lint@${VERSION}/docs/rules`;
