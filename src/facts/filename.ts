/**
 * Revision ids and slugs in file names, read back through Alembic's `file_template`
 * (default `%(rev)s_%(slug)s`; dated ones like `%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s`).
 */
export interface FileNameParts {
  rev: string | null;
  slug: string | null;
}

const cache = new Map<string, RegExp>();

function templateRegex(template: string): RegExp {
  let re = cache.get(template);
  if (re) return re;
  let src = '^';
  let last = 0;
  const token = /%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdif]|%%/g;
  for (let m = token.exec(template); m; m = token.exec(template)) {
    src += escape(template.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[0] === '%%') src += '%';
    else if (m[1] === 'rev') src += '(?<rev>[^_./]+?)';
    else if (m[1] === 'slug') src += '(?<slug>.*)';
    else src += '[^_]*?';
  }
  src += `${escape(template.slice(last))}$`;
  re = new RegExp(src);
  cache.set(template, re);
  return re;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function parseFileName(basename: string, fileTemplate: string | null): FileNameParts {
  const stem = basename.replace(/\.py$/, '');
  const template = (fileTemplate ?? '%(rev)s_%(slug)s').trim().replace(/.*\//, '');
  const m = templateRegex(template).exec(stem);
  if (m?.groups) return { rev: m.groups.rev ?? null, slug: m.groups.slug ?? null };
  const i = stem.indexOf('_');
  return i === -1 ? { rev: stem, slug: null } : { rev: stem.slice(0, i), slug: stem.slice(i + 1) };
}

/** Looks like an id Alembic generated (12 hex digits by default), not `0001` or `initial`. */
export function isHexLikeId(s: string): boolean {
  return /^[0-9a-f]{8,}$/i.test(s) || (/^[0-9a-f]{6,}$/i.test(s) && /[a-f]/i.test(s) && /\d/.test(s));
}
