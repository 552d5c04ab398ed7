/**
 * Our parser against CPython, the judge of what Python is: every Python file of the fixture and fuzz corpora,
 * an eighth of the installed packages' code (real modules from Debian's dist-packages), and a generated corpus
 * of modern (3.8-3.11) and legacy (Python 2) syntax, go through `compile()` of
 * /usr/bin/python3 (3.11 on Debian, all in one process: what Alembic's import does to a revision) and through
 * `extractFacts`. Both must give the same verdict, and for a refusal the same line.
 *
 * Syntax newer than the CPython here (3.12: PEP 695 type parameters and `type` statements, PEP 701 f-strings)
 * has no judge on this machine: its verdict is written down from the language reference. We accept it, as a
 * project that runs on 3.12 runs it; a project pinned to 3.11 learns of it from Alembic, not from us.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../src/facts/extract.js';
import { decodePython, LineIndex } from '../../src/parse/source.js';
import { HAS_PYTHON, pythonVerdicts, ROOT } from '../robustness/helpers.js';

interface Ours {
  ok: boolean;
  line: number | null;
  message: string | null;
}

function ours(bytes: Uint8Array): Ours {
  const decoded = decodePython(bytes);
  const lines = new LineIndex(decoded.text);
  if (decoded.error) return { ok: false, line: lines.position(decoded.error.offset).line, message: decoded.error.message };
  const { parseError } = extractFacts(decoded.text, lines);
  if (!parseError) return { ok: true, line: null, message: null };
  return { ok: false, line: lines.position(parseError.span.start).line, message: parseError.message };
}

/** Every `.py` under the fixtures, the example project and the fuzz suite's regressions, in a stable order. */
function pythonFiles(): { name: string; bytes: Buffer }[] {
  const out: { name: string; bytes: Buffer }[] = [];
  for (const top of ['fixtures', 'examples', 'test/robustness/regressions']) {
    const base = path.join(ROOT, top);
    if (!fs.existsSync(base)) continue;
    for (const rel of fs.readdirSync(base, { recursive: true, encoding: 'utf8' })) {
      const full = path.join(base, rel);
      if (rel.endsWith('.py') && fs.lstatSync(full).isFile()) out.push({ name: `${top}/${rel}`, bytes: fs.readFileSync(full) });
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

const chain = (n: number, op: string) => `x = ${Array.from({ length: n }, (_, i) => `a${i}`).join(` ${op} `)}\n`;
const inFunction = (body: string) => `def f():\n${body.replace(/^(?=.)/gm, '    ')}`;
const inAsync = (body: string) => `async def f():\n${body.replace(/^(?=.)/gm, '    ')}`;

/** Syntax of Python 3.8 to 3.11, as black, ruff and hand-written migrations use it. CPython judges. */
const MODERN: Record<string, string> = {
  'walrus in if': 'if (n := len(a)) > 10:\n    pass\n',
  'walrus in while': 'while chunk := read():\n    pass\n',
  'walrus in a comprehension': 'ys = [y for x in data if (y := f(x))]\n',
  'walrus in a comprehension value': 'ys = [(y := f(x), y ** 2) for x in data]\n',
  'walrus as an argument': 'print(n := 10, n)\n',
  'walrus in an f-string': 'print(f"{(x:=1)}")\n',
  'walrus in a subscript': 'a[(b := 1)]\n',
  'walrus at statement level': 'x := 1\n',
  'walrus to an attribute': 'if (a.b := 1):\n    pass\n',
  'match literal, capture, wildcard': 'match x:\n    case 1 | 2:\n        pass\n    case "a":\n        pass\n    case None:\n        pass\n    case y:\n        pass\n',
  'match value patterns': 'match x:\n    case Color.RED:\n        pass\n    case a.b.c:\n        pass\n    case _:\n        pass\n',
  'match sequence patterns': 'match x:\n    case [a, b, *rest]:\n        pass\n    case (a, b):\n        pass\n    case ():\n        pass\n    case [*_]:\n        pass\n',
  'match mapping patterns': 'match x:\n    case {"a": 1, **rest}:\n        pass\n    case {1: _, Color.RED: y}:\n        pass\n',
  'match class patterns': 'match x:\n    case Point(x=0, y=0):\n        pass\n    case Point(1, y=2):\n        pass\n    case pkg.Point():\n        pass\n    case int(n) if n > 0:\n        pass\n',
  'match nested class patterns': 'match event:\n    case Click(position=(x, y), button=Button.LEFT):\n        pass\n    case KeyPress(key_name="Q") | Quit():\n        pass\n',
  'match as and group patterns': 'match x:\n    case [1, 2] as pair:\n        pass\n    case (1 | 2) as n:\n        pass\n',
  'match complex literals': 'match x:\n    case -1:\n        pass\n    case 1 + 2j:\n        pass\n    case -1.5 - 2j:\n        pass\n    case "x" "y":\n        pass\n',
  'match on a tuple subject': 'match a, b:\n    case 1, 2:\n        pass\n',
  'match and case as names': 'match = 1\ncase = 2\nmatch(x)\nmatch[0] = 3\nprint(match, case)\n',
  'match with a guard': 'match cmd.split():\n    case [action, obj] if action in ("get", "take"):\n        pass\n',
  'match class pattern keyword after positional wrong order': 'match x:\n    case Point(x=0, 1):\n        pass\n',
  'except star': 'try:\n    pass\nexcept* ValueError as e:\n    pass\nexcept* (TypeError, KeyError):\n    pass\n',
  'parenthesized with, two items': 'with (open("a") as x, open("b") as y):\n    pass\n',
  'parenthesized with, trailing comma': 'with (\n    open("a") as x,\n    open("b") as y,\n):\n    pass\n',
  'parenthesized with, mixed': 'with (open("a") as x, open("b")):\n    pass\n',
  'parenthesized with, one item': 'with (open("a") as x):\n    pass\n',
  'with a tuple target': 'with a as (b, c):\n    pass\n',
  'with an attribute and subscript target': 'with a as b.c, d as e[0]:\n    pass\n',
  'with a parenthesized expression': 'with (a) as b, (c):\n    pass\n',
  'with a tuple as the context manager': 'with (a, b) as c:\n    pass\n',
  'async with, parenthesized': inAsync('async with (a as x, b as y):\n    pass\n'),
  'with a parenthesized item then as': 'with (a as x) as y:\n    pass\n',
  'with parenthesized items then another item': 'with (a as x), b:\n    pass\n',
  'with as a call target': 'with a as f():\n    pass\n',
  'batch_alter_table in parenthesized with': 'from alembic import op\nwith (op.batch_alter_table("t", schema=None) as batch_op,):\n    batch_op.drop_column("c")\n',
  'positional-only parameters': 'def f(a, b, /, c, *, d):\n    pass\n',
  'positional-only with defaults': 'def f(a=1, /, b=2, *args, c, **kw):\n    pass\n',
  'positional-only lambda': 'g = lambda a, /, b: a\n',
  'keyword-only marker alone': 'def f(*, a):\n    pass\n',
  'non-default after default': 'def f(a=1, b):\n    pass\n',
  'slash twice': 'def f(a, /, b, /):\n    pass\n',
  'f-string conversion and spec': 'a = f"{x!r:>10}"\n',
  'f-string self-documenting': 'a = f"{x=}"\nb = f"{x = !r:10}"\n',
  'f-string nested spec': 'a = f"{x:{w}.{p}}"\n',
  'f-string other quotes inside': 'a = f\'{a["k"]}\'\n',
  'f-string triple-quoted over lines': 'a = f"""\n{x}\n{y!s}\n"""\n',
  'f-string doubled braces': 'a = f"{{literal}} {x}"\n',
  'f-string raw': 'a = rf"\\d{x}" + Rf"{y}" + fR"{z}" + FR"{w}"\n',
  'raw f-string with a backslash before doubled braces': "a = fr'\\{{\\}}' + fr'\\{{{1+1}'\n",
  'f-string spec starting with =': "a = f'{x:=10}' + f'{x:=^10}'\n",
  'f-string empty field': 'a = f"{}"\n',
  'f-string lambda in parentheses': 'a = f"{(lambda: 1)()}"\n',
  'f-string dict in parentheses': 'a = f"{ {1: 2}[1] }"\n',
  'decorator subscript then attribute then call': '@a[0].b(c)\ndef f():\n    pass\n',
  'decorator lambda': '@(lambda f: f)\ndef f():\n    pass\n',
  'decorator boolean expression': '@x or y\ndef f():\n    pass\n',
  'decorator call of a call': '@a(1)(2)\nclass C:\n    pass\n',
  'decorator walrus': '@(d := deco)\ndef f():\n    pass\n',
  'star in a subscript': 'a[*b]\nx = a[*b, c]\n',
  'star in a subscript slice': 'a[*b:c]\n',
  'star in return': inFunction('return *a, *b\n'),
  'star in yield': inFunction('yield *a, b\n'),
  'star in for': 'for x in *a, *b:\n    pass\n',
  'star in assignment value': 'x = *a, *b\n',
  'star target': 'first, *rest = items\n[a, *b] = c\n',
  'bare star': 'x = *a\n',
  'two stars in a target': 'a, *b, *c = d\n',
  'trailing-dot float': 'x = 20.\ny = 1_000.\nz = 1.e5\nw = 1.j\n',
  'leading-dot float': 'x = .5\ny = .5e-3j\n',
  'number forms': 'a = 0x_ff\nb = 0o777\nc = 0b1010\nd = 1_000_000\ne = 1e10\nf = 0\ng = 00\nh = 0_0\n',
  'double underscore in a number': 'a = 1__000\n',
  'trailing underscore in a number': 'a = 1_\n',
  'attribute of an int literal': 'a = 1.real\n',
  'attribute of an int literal, spaced': 'a = 1 .real\nb = 1.0.real\n',
  'bare yield statement': inFunction('yield\n'),
  'bare yield expression': inFunction('x = yield\nf((yield))\n'),
  'yield from': inFunction('x = yield from g()\n'),
  'await and async for': inAsync('await g()\nasync for x in y:\n    pass\nz = [w async for w in v]\n'),
  'form feed before a statement': '\fimport os\n',
  'form feed in indentation': 'if x:\n\f    pass\n',
  'form feed after indentation': 'if x:\n    \fpass\n',
  'form feed between functions': 'def f():\n    pass\n\f\ndef g():\n    pass\n',
  'global and nonlocal': 'def f():\n    x = 1\n    def g():\n        nonlocal x\n        global y\n        x = y = 2\n    return g\n',
  'annotations': 'x: int = 1\ny: "list[int]"\ndef f(*args: int, **kw: str) -> None:\n    pass\n',
  'star unpacking in calls and displays': 'f(*a, *b, **c, **d)\nx = [*a, *b]\ny = {**a, "b": 1}\nz = {*a, *b}\n',
  'conditional lambda': 'f = lambda x: 1 if x else 2\n',
  'comparisons': 'a = x < y <= z != w\nb = x not in y\nc = x is not None\n',
  'del, assert, raise from': 'del a[0], b.c\nassert x, "msg"\nraise X from Y\n',
  'class keywords': 'class A(B, metaclass=M):\n    pass\n',
  'dict and set comprehensions': 'a = {k: v for k, v in x.items() if (v := k)}\nb = {x for x in y}\n',
  'nested comprehension': 'a = [[y for y in x] for x in z if x if not x]\n',
  'generator argument': 'f(x for x in y)\n',
  'generator argument then another': 'f(x for x in y, 1)\n',
  'ellipsis': 'def f(): ...\nx = a[..., 1]\n',
  // Found on the installed packages' code (the test below), each once a false parse-error of ours:
  'default values that are names': 'def f(a, b=None, c=x, *d, e, f=g, **h):\n    pass\n',
  'a generator argument whose target is a tuple': 'x = sum((e.r or 1) for _, e in items)\n',
  'a generator argument with a tuple target and a trailing comma': 'x = sum(a for a, b in c,)\n',
  'a star target in a comprehension': 'x = "".join(f(*p) for c, *p in codes)\n',
  'a comment that ends in a backslash': 'x = 1\n# s = a + \\\n#     b\ny = 2\n',
  'semicolons': 'import os; import sys;\n',
  'backslash continuation': 'x = 1 + \\\n    2\n',
  'backslash continuation onto a blank line': 'import os\\\n\nx = 1\n',
  'backslash continuation onto a comment line': 'import os\\\n# c\nx = 1\n',
  'backslash continuation onto a blank line, CRLF': 'import os\\\r\n\r\nx = 1\r\n',
  'backslash continuation onto a blank line mid-expression': 'if x:\n    y = 1 + \\\n\n    z = 2\n',
  'backslash continuation onto a blank line in a function': 'def f():\n    x = 1\\\n\n    return x\n',
  'nonlocal at module level': 'nonlocal x\n',
  'future import after the docstring': '"""doc"""\n# c\nfrom __future__ import annotations\nimport os\n',
  'future import after another statement': 'import os\nfrom __future__ import annotations\n',
  'future import after another statement on its line': '"""doc"""\nfrom __future__ import division; import os; from __future__ import annotations\n',
  'await in a generator expression of a plain function': inFunction('return (i * 2 for i in range(n) if await w(i))\n'),
  'lambda parameters with a trailing comma': 'f = lambda a,: 0\ng = lambda *args,: 0\n',
  'an unknown future feature': 'from __future__ import annotations, rested_snopes\n',
  'the future feature braces': 'from __future__ import braces\n',
  'future features in parentheses, with as': 'from __future__ import (division as d,\n    print_function)\n',
  'two future imports': 'from __future__ import annotations\nfrom __future__ import division\n',
  'return in a class body': 'class A:\n    return 1\n',
  'break in a loop else': 'for a in b:\n    pass\nelse:\n    break\n',
  'continue in a nested function of a loop': 'for a in b:\n    def g():\n        continue\n',
  'yield in a comprehension': inFunction('x = [(yield y) for y in z]\n'),
  "yield in a comprehension's first iterable": inFunction('x = [y for y in [(yield 1)]]\n'),
  "yield in a comprehension's second iterable": inFunction('x = [y for a in b for y in [(yield 1)]]\n'),
  'await in a plain function': inFunction('await g()\n'),
  'await in a lambda of an async function': inAsync('f = lambda: await g()\n'),
  'string prefixes': 'a = u"x" + U"y"\nb = b"x" + Br"y" + rB"z" + RB"w"\n',
  'continued strings': 'a = ("a" "b"\n     f"{c}" "d")\n',
  'return outside a function': 'return 1\n',
  'augmented assignment to a tuple': 'a, b += 1\n',
  'augmented assignment to a parenthesized attribute': '(\n    o.\n    a\n) += (\n    v\n)\n((x)) -= 1\n',
  'augmented assignment to a parenthesized call': '(f()) += 1\n',
  'assignment to a call': 'f() = 1\n',
  'assignment to a literal': '1 = x\n',
  'keyword argument repeated': 'f(a=1, a=2)\n',
  'lambda default': 'f = lambda a=1, *b, c=2, **d: 0\n',
  'chained with and try/else/finally': 'try:\n    pass\nexcept (A, B) as e:\n    pass\nelse:\n    pass\nfinally:\n    pass\n',
  'while else, for else': 'while x:\n    break\nelse:\n    pass\nfor a in b:\n    continue\nelse:\n    pass\n',
  'async comprehension in async function': inAsync('x = {k: v async for k, v in g()}\n'),
  'unparenthesized tuple in return and yield': inFunction('return 1, 2\n'),
  'subscript slices': 'a[1:2, ::3, :]\nb[x:y:z]\n',
  "'or' chain of 500 terms": chain(500, 'or'),
  "'and' chain of 1,000 terms": chain(1000, 'and'),
  'comparison chain of 500 terms': chain(500, '<'),
  "'+' chain of 300 terms": chain(300, '+'),
  "'+' chain of 1,000 terms": chain(1000, '+'),
  "'+' chain of 2,900 terms": chain(2900, '+'),
  "'*' chain of 1,500 terms": chain(1500, '*'),
  "'|' chain of 800 terms": chain(800, '|'),
  "'+' chain of 5,000 terms": chain(5000, '+'),
  'attribute chain of 1,000': `x = a${'.b'.repeat(1000)}\n`,
  'call chain of 800': `x = a${'()'.repeat(800)}\n`,
  'implicit concatenation of 1,000 strings': `x = (${'"a" '.repeat(1000)})\n`,
  'long list of 5,000 items': `x = [${'1, '.repeat(5000)}]\n`,
  'long argument list of 2,000': `f(${'a, '.repeat(2000)})\n`,
  'a long chain in an Alembic call': `from alembic import op\nop.execute("a" + ${'"b" + '.repeat(600)}"c")\n`,
};

/** Python 2, as old histories hold it. CPython 3 refuses all of it (and so does Alembic). */
const LEGACY: Record<string, string> = {
  'print statement': 'print "x"\n',
  'print statement with a redirection': 'import sys\nprint >>sys.stderr, "x"\n',
  'print statement with a trailing comma': 'print "x",\n',
  'print statement of a name': 'x = 1\nprint x\n',
  'print function stays valid': 'print("x")\nprint\nprint()\nprint(1, 2, sep="")\np = print\n',
  'exec statement': 'exec "x = 1"\n',
  'exec function stays valid': 'exec("x = 1")\n',
  'except with a comma': 'try:\n    pass\nexcept ValueError, e:\n    pass\n',
  'except with a tuple and a comma': 'try:\n    pass\nexcept (A, B), e:\n    pass\n',
  'raise with a comma': 'raise ValueError, "x"\n',
  'raise with a traceback': 'raise E, "x", tb\n',
  'not-equal diamond': 'if a <> b:\n    pass\n',
  'octal without o': 'x = 0777\n',
  'octal without o in a call': "import os\nos.chmod('f', 0755)\n",
  'long integer': 'x = 10L\n',
  'long hexadecimal': 'x = 0xFFL\n',
  'a long integer below a print statement (CPython names the tokenizer error)': 'print "x"\ny = 1\nz = 10L\n',
  'an old octal below except-comma': 'try:\n    pass\nexcept E, e:\n    pass\nos.chmod(p, 0644)\n',
  'a long integer in a list': 'x = [7, 123L]\n',
  'backticks': 'x = `y`\n',
  'ur prefix': "x = ur'abc'\n",
  'UR prefix': 'x = UR"abc"\n',
  'tuple parameters': 'def f((a, b)):\n    pass\n',
  'tuple parameters in a lambda': 'g = lambda (a, b): a\n',
  'unicode literal stays valid': "x = u'abc'\n",
  'dict.has_key stays valid': 'd.has_key("a")\n',
  'old-style class stays valid': 'class A:\n    pass\n',
  'python 2 migration': [
    '"""add column\n\nRevision ID: 1a2b\nRevises: None\n"""',
    'from alembic import op',
    'import sqlalchemy as sa',
    "revision = '1a2b'",
    'down_revision = None',
    '',
    'def upgrade():',
    "    op.add_column('t', sa.Column('c', sa.Integer()))",
    '    print "added"',
    '',
  ].join('\n'),
  'python 2 migration with an octal mode': "import os\n\ndef upgrade():\n    os.chmod('x', 0644)\n",
  'mixed tabs and spaces': 'if x:\n\tif y:\n        pass\n',
};

/** A CPython 3.12 or later in a pyenv of this machine's user, if any. */
const NEWER_PYTHON = (() => {
  const versions = path.join(os.homedir(), '.pyenv', 'versions');
  if (!fs.existsSync(versions)) return null;
  const found = fs
    .readdirSync(versions)
    .filter((v) => /^3\.(1[2-9]|[2-9]\d)\.\d+$/.test(v))
    .map((v) => path.join(versions, v, 'bin', 'python3'))
    .filter((p) => fs.existsSync(p));
  return found[0] ?? null;
})();

/** Python 3.12 and later: no judge on CI, so the verdict comes from the language reference. */
const NEWER: Record<string, { code: string; ok: boolean }> = {
  'type statement (PEP 695)': { code: 'type Point = tuple[float, float]\n', ok: true },
  'generic type alias (PEP 695)': { code: 'type ListOrSet[T] = list[T] | set[T]\n', ok: true },
  'generic function (PEP 695)': { code: 'def first[T](xs: list[T]) -> T:\n    return xs[0]\n', ok: true },
  'generic class with bounds (PEP 695)': { code: 'class Box[T: (int, str), *Ts, **P]:\n    pass\n', ok: true },
  'type as a name stays valid': { code: 'type = 1\ntype(x)\nprint(type)\n', ok: true },
  'same quotes nested in an f-string (PEP 701)': { code: 'a = f"{x["k"]}"\n', ok: true },
  'f-string nested four deep (PEP 701)': { code: 'a = f"{f"{f"{f"{x}"}"}"}"\n', ok: true },
  'line breaks in a field of a one-line f-string (PEP 701)': { code: 'a = f"{(\n    1 +\n    2\n)}"\n', ok: true },
  'a line break in the literal part of a one-line f-string': { code: 'a = f"a\nb{x}"\n', ok: false },
  'backslash in an f-string field (PEP 701)': { code: "a = f\"{'\\n'.join(xs)}\"\n", ok: true },
};

/**
 * Where we knowingly differ, each with its reason; the test fails when one of them starts to agree (remove it
 * then) as well as on any new difference.
 */
const KNOWN: Record<string, string> = {
  // A 20,000-term chain with a syntax error inside: CPython names the error's line (it parses the whole
  // statement before building its tree), we the statement's first line, as nothing inside a statement too deep
  // to build is parsed (see test/robustness/regressions.test.ts).
  'test/robustness/regressions/operator-chain-stack-overflow.py': 'line',
};

describe.skipIf(!HAS_PYTHON)('our parser and CPython agree', () => {
  const check = (inputs: { name: string; bytes: Uint8Array }[]) => {
    const verdicts = pythonVerdicts(inputs.map((i) => i.bytes));
    const disagreements: string[] = [];
    inputs.forEach((input, k) => {
      const py = verdicts[k]!;
      const us = ours(input.bytes);
      if (KNOWN[input.name] === 'line') {
        // Still a refusal on both sides; only the line differs, and it must still differ.
        expect({ py: py.ok, us: us.ok }, input.name).toEqual({ py: false, us: false });
        expect(us.line, input.name).not.toBe(py.line);
        return;
      }
      if (py.ok !== us.ok) {
        disagreements.push(py.ok ? `${input.name}: CPython accepts, we say "${us.message}" at line ${us.line}` : `${input.name}: CPython says "${py.message}" at line ${py.line}, we accept`);
      } else if (!py.ok && py.line !== null && py.line !== us.line) {
        disagreements.push(`${input.name}: CPython says "${py.message}" at line ${py.line}, we say "${us.message}" at line ${us.line}`);
      }
    });
    return { verdicts, disagreements };
  };

  it('on every Python file of the fixtures, the example project and the fuzz regressions', { timeout: 120_000 }, () => {
    const files = pythonFiles();
    expect(files.length).toBeGreaterThan(250);
    const { verdicts, disagreements } = check(files);
    expect(disagreements).toEqual([]);
    // The corpus holds both kinds, so the comparison is not one-sided.
    expect(verdicts.some((v) => !v.ok)).toBe(true);
  });

  it('on the Python code of the installed packages (every 8th file: Alembic, SQLAlchemy, pydantic, pip, …)', { timeout: 180_000 }, () => {
    const base = '/usr/lib/python3/dist-packages';
    const all = fs.existsSync(base)
      ? fs
          .readdirSync(base, { recursive: true, encoding: 'utf8' })
          .filter((rel) => rel.endsWith('.py'))
          .sort()
          .map((rel) => path.join(base, rel))
          .filter((full) => fs.lstatSync(full).isFile() && fs.statSync(full).size < 200_000)
      : [];
    const sample = all.filter((_, i) => i % 8 === 0).map((full) => ({ name: full, bytes: fs.readFileSync(full) }));
    // CI installs Alembic and SQLModel from Debian, so the folder is there wherever this suite runs.
    expect(sample.length).toBeGreaterThan(100);
    const { disagreements } = check(sample);
    expect(disagreements).toEqual([]);
  });

  it('on modern syntax (3.8 to 3.11)', { timeout: 120_000 }, () => {
    const inputs = Object.entries(MODERN).map(([name, code]) => ({ name, bytes: Buffer.from(code) }));
    const { verdicts, disagreements } = check(inputs);
    expect(disagreements).toEqual([]);
    expect(verdicts.filter((v) => v.ok).length).toBeGreaterThan(80);
    expect(verdicts.filter((v) => !v.ok).length).toBeGreaterThan(10);
  });

  it('on Python 2 syntax, which CPython 3 refuses (the valid lines aside)', { timeout: 60_000 }, () => {
    const inputs = Object.entries(LEGACY).map(([name, code]) => ({ name, bytes: Buffer.from(code) }));
    const { verdicts, disagreements } = check(inputs);
    expect(disagreements).toEqual([]);
    expect(verdicts.filter((v) => !v.ok).length).toBeGreaterThan(18);
  });
});

describe('syntax newer than the CPython on this machine', () => {
  for (const [name, { code, ok }] of Object.entries(NEWER)) {
    it(`${name}: ${ok ? 'accepted' : 'refused'}, as the language reference says`, () => {
      expect(ours(Buffer.from(code)).ok).toBe(ok);
    });
  }

  // Where a CPython 3.12 or later happens to be installed (a pyenv, not CI), it confirms the table above.
  it.skipIf(!NEWER_PYTHON)(`the verdicts written down are those of ${NEWER_PYTHON ?? 'CPython 3.12+ (none here)'}`, () => {
    const entries = Object.entries(NEWER);
    const verdicts = pythonVerdicts(
      entries.map(([, { code }]) => Buffer.from(code)),
      NEWER_PYTHON!,
    );
    expect(Object.fromEntries(entries.map(([name], k) => [name, verdicts[k]!.ok]))).toEqual(Object.fromEntries(entries.map(([name, { ok }]) => [name, ok])));
  });
});
