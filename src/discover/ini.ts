/**
 * alembic.ini as Python's configparser reads it for Alembic: sections, `key = value` or `key: value`,
 * indented continuation lines, full-line `#`/`;` comments, lower-cased keys, and `%(name)s` interpolation
 * from the section, [DEFAULT] and Alembic's own `here`.
 */

export type IniFile = Map<string, Map<string, string>>;

export function parseIni(text: string): IniFile {
  const sections: IniFile = new Map([['DEFAULT', new Map()]]);
  let current: Map<string, string> | null = null;
  let lastKey: string | null = null;
  for (const rawLine of text.split(/\r\n|\n|\r/)) {
    const line = rawLine.replace(/\s+$/, '');
    const trimmed = line.trim();
    // configparser keeps a value going across blank and comment lines while indented lines follow.
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    if (/^\s/.test(line) && current && lastKey !== null) {
      current.set(lastKey, `${current.get(lastKey) ?? ''}\n${trimmed}`);
      continue;
    }
    const section = /^\[([^\]]+)\]/.exec(trimmed);
    if (section) {
      const name = section[1]!;
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      lastKey = null;
      continue;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(trimmed);
    if (kv && current) {
      lastKey = kv[1]!.toLowerCase();
      current.set(lastKey, kv[2]!);
    }
  }
  return sections;
}

/** configparser's InterpolationMissingOptionError: Alembic stops on it. */
export class IniInterpolationError extends Error {
  constructor(
    readonly key: string,
    readonly missing: string,
  ) {
    super(`bad interpolation %(${missing})s: no option '${missing}'`);
  }
}

/** A value with `%(key)s` expanded as configparser's BasicInterpolation does; null when absent. */
export function iniGet(ini: IniFile, section: string, key: string, vars: Record<string, string>): string | null {
  const sec = ini.get(section);
  const defaults = ini.get('DEFAULT') ?? new Map<string, string>();
  const raw = sec?.get(key) ?? defaults.get(key);
  if (raw === undefined) return null;
  const lookup = (name: string, depth: number): string => {
    const v = sec?.get(name) ?? defaults.get(name) ?? vars[name];
    if (v === undefined) throw new IniInterpolationError(key, name);
    if (depth > 10) return `%(${name})s`;
    return expand(v, depth + 1);
  };
  const expand = (v: string, depth: number): string =>
    v.replace(/%%|%\(([^)]+)\)s/g, (m, name: string | undefined) => (m === '%%' ? '%' : lookup(name!.toLowerCase(), depth)));
  return expand(raw, 0);
}
