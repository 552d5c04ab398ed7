/**
 * Which SQLModel / pydantic / Alembic generation a project pins, read from its lock and requirements files:
 * SQLModel's nullability rules differ between pydantic 1 (`x: str = Field(default=None)` is nullable) and
 * pydantic 2 (it is NOT NULL), SQLModel before 0.0.14 mapped a `str, Enum` to AutoString, and Alembic's
 * `compare_type` defaults to True only from 1.12.
 */

export interface Generation {
  pydantic: 1 | 2;
  /** SQLModel tests `Enum` before `str` (a `str, Enum` becomes an Enum type). */
  enumFirst: boolean;
  /** Alembic's default for `compare_type` when env.py does not pass it. */
  compareTypeDefault: boolean;
  /** Where each version came from, for `drift`'s output. */
  sources: string[];
}

type Version = number[];

function parse(v: string): Version | null {
  const m = /^\s*v?(\d+(?:\.\d+)*)/.exec(v);
  return m ? m[1]!.split('.').map(Number) : null;
}

function cmp(a: Version, b: Version): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

interface Pin {
  /** An exact version (lock file, `==`) or a lower bound (`>=`, `^`, `~=`). */
  version: Version | null;
  exact: boolean;
  /** An upper bound below it (`<2`). */
  below: Version | null;
}

/** What a requirement's specifier says (`==1.10.4`, `>=0.0.21,<1.0.0`, `^0.0.8`, `<2`). */
function readSpec(spec: string): Pin {
  const pin: Pin = { version: null, exact: false, below: null };
  for (const part of spec.split(',')) {
    const m = /^\s*(===|==|>=|~=|\^|~|>|<=|<)?\s*([\d.]+)/.exec(part.trim());
    if (!m) continue;
    const v = parse(m[2]!);
    if (!v) continue;
    const op = m[1] ?? '==';
    if (op === '==' || op === '===') {
      pin.version = v;
      pin.exact = true;
    } else if (op === '<' || op === '<=') pin.below = v;
    else if (!pin.exact) pin.version = v;
  }
  return pin;
}

/** Pins of `names` found in one file's text, by the file's kind. */
export function pinsIn(fileName: string, text: string, names: string[]): Map<string, Pin> {
  const out = new Map<string, Pin>();
  if (/\.lock$/.test(fileName) && !/Pipfile\.lock$/.test(fileName)) {
    // poetry.lock / uv.lock: [[package]] blocks with name and version.
    for (const block of text.split(/\n\[\[package\]\]/)) {
      const n = /^\s*name\s*=\s*"([^"]+)"/m.exec(block)?.[1]?.toLowerCase();
      const v = /^\s*version\s*=\s*"([^"]+)"/m.exec(block)?.[1];
      if (n && v && names.includes(n)) out.set(n, { version: parse(v), exact: true, below: null });
    }
    return out;
  }
  if (/Pipfile\.lock$/.test(fileName)) {
    for (const n of names) {
      const m = new RegExp(`"${n}"\\s*:\\s*\\{[^}]*?"version"\\s*:\\s*"==([^"]+)"`, 'i').exec(text);
      if (m) out.set(n, { version: parse(m[1]!), exact: true, below: null });
    }
    return out;
  }
  for (const n of names) {
    // requirements lines, PEP 621 strings ("sqlmodel>=0.0.21,<1.0.0"), poetry tables (sqlmodel = "^0.0.8").
    const re = new RegExp(`(?:^|["'\\s])${n}(?:\\[[^\\]]*\\])?\\s*(?:=\\s*["']|\\s*\\(?)\\s*([<>=!~^][^"'\\n;#)]*)`, 'gim');
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      const pin = readSpec(m[1]!);
      if (pin.version || pin.below) {
        out.set(n, pin);
        break;
      }
    }
  }
  return out;
}

export const VERSION_FILES = ['uv.lock', 'poetry.lock', 'Pipfile.lock', 'pdm.lock', 'requirements.txt', 'requirements-dev.txt', 'requirements/base.txt', 'requirements/prod.txt', 'pyproject.toml', 'setup.cfg', 'setup.py', 'Pipfile'];

/** The generation from the files found (name → text), most specific first: lock files, then specifiers. */
export function generationOf(files: { name: string; text: string }[]): Generation {
  const names = ['sqlmodel', 'pydantic', 'alembic'];
  const found = new Map<string, { pin: Pin; source: string }>();
  for (const f of files) {
    for (const [n, pin] of pinsIn(f.name, f.text, names)) {
      const prev = found.get(n);
      if (!prev || (!prev.pin.exact && pin.exact)) found.set(n, { pin, source: f.name });
    }
  }
  const sources = [...found].map(([n, { pin, source }]) => `${n} ${pin.exact ? '' : pin.version ? '>=' : '<'}${(pin.version ?? pin.below ?? []).join('.')} (${source})`);
  const pyd = found.get('pydantic')?.pin;
  const sqm = found.get('sqlmodel')?.pin;
  const alm = found.get('alembic')?.pin;
  let pydantic: 1 | 2 = 2;
  if (pyd?.version && (pyd.exact || pyd.version[0]! >= 2)) pydantic = pyd.version[0]! >= 2 ? 2 : 1;
  else if (pyd?.below && cmp(pyd.below, [2]) <= 0) pydantic = 1;
  else if (sqm?.exact && sqm.version && cmp(sqm.version, [0, 0, 14]) < 0) pydantic = 1;
  else if (sqm?.below && cmp(sqm.below, [0, 0, 14]) <= 0) pydantic = 1;
  else if (sqm?.version && !sqm.exact && cmp(sqm.version, [0, 0, 14]) < 0 && !pyd) pydantic = 1;
  const sqmVersion = sqm?.version ?? null;
  const enumFirst = pydantic === 2 || (sqmVersion !== null && cmp(sqmVersion, [0, 0, 14]) >= 0);
  // A fresh install under a lower bound gets the newest Alembic; only an exact pin or an upper bound says older.
  let compareTypeDefault = true;
  if (alm?.exact && alm.version) compareTypeDefault = cmp(alm.version, [1, 12]) >= 0;
  else if (alm?.below && cmp(alm.below, [1, 12]) <= 0) compareTypeDefault = false;
  return { pydantic, enumFirst, compareTypeDefault, sources };
}
