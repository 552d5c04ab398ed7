/**
 * Python name resolution (src/facts/scope.ts): each case is a module and the exact uses that Python cannot
 * resolve, as `name line:col-endLine:endCol`. Where CPython and pyflakes differ, the expectation is
 * CPython's (what raises NameError when the code runs); the oracle suite checks both on real migrations.
 */
import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../src/facts/extract.js';
import { analyseNames, PYTHON_BUILTINS, undefinedNames } from '../../src/facts/scope.js';
import { parsePython } from '../../src/parse/python.js';
import { LineIndex } from '../../src/parse/source.js';

function undefinedIn(code: string): string[] {
  const lines = new LineIndex(code);
  return extractFacts(code, lines).undefinedNames.map((u) => {
    const s = lines.position(u.span.start);
    const e = lines.position(u.span.end);
    return `${u.name} ${s.line}:${s.column}-${e.line}:${e.column}`;
  });
}

const src = (lines: string[]) => `${lines.join('\n')}\n`;

describe('imports and builtins', () => {
  it('binds what Python binds: `import a.b` binds a, `as` binds the alias, `from` binds the names', () => {
    const code = src([
      'import a.b.c',
      'import d.e as f',
      'from g import h, i as j',
      'from . import k',
      'a, f, h, j, k',
      'b, d, i, g',
    ]);
    expect(undefinedIn(code)).toEqual(['b 6:1-6:2', 'd 6:4-6:5', 'i 6:7-6:8', 'g 6:10-6:11']);
  });

  it('knows the Python 3 builtins and the globals of a module loaded from a file', () => {
    const code = src([
      'print(len(__file__), __name__, __doc__, __spec__, __builtins__, __cached__, __debug__)',
      'raise ExceptionGroup("x", [ValueError(), NotImplementedError(), ModuleNotFoundError()]) from None',
      'x = Ellipsis, NotImplemented, aiter, anext, breakpoint',
      'unicode(basestring)',
    ]);
    expect(undefinedIn(code)).toEqual(['unicode 4:1-4:8', 'basestring 4:9-4:19']);
    expect(PYTHON_BUILTINS.has('WindowsError')).toBe(false);
  });

  it('gives up on a module that star-imports: any name might come from it', () => {
    expect(undefinedIn(src(['from sqlalchemy import *', 'Column(Intger)']))).toEqual([]);
  });

  it('says nothing about a file that does not parse', () => {
    expect(undefinedIn(src(['def upgrade(:', '    missing']))).toEqual([]);
  });

  it('reports every use, in source order, including sqlmodel (the rule leaves that one to missing-sqlmodel-import)', () => {
    const code = src(['def upgrade():', '    sa.Column(sqlmodel.AutoString(), sa.Text())']);
    expect(undefinedIn(code)).toEqual(['sa 2:5-2:7', 'sqlmodel 2:15-2:23', 'sa 2:38-2:40']);
  });
});

describe('function scopes', () => {
  it('binds every kind of parameter; a name bound anywhere in the function is local to all of it', () => {
    const code = src([
      'def f(a, /, b=1, *args, c, d=2, **kw):',
      '    print(a, b, args, c, d, kw, later, e)',
      '    later = 1',
    ]);
    expect(undefinedIn(code)).toEqual(['e 2:40-2:41']);
  });

  it('evaluates defaults, annotations and decorators where `def` runs, not inside the function', () => {
    const code = src([
      '@decorator_missing.attr(arg_missing)',
      'def g(x=default_value, y: AnnotationType = 1, *a: StarType) -> ReturnType:',
      '    return x, y, a',
      'def h(p=p):',
      '    return p',
    ]);
    expect(undefinedIn(code)).toEqual([
      'decorator_missing 1:2-1:19',
      'arg_missing 1:25-1:36',
      'default_value 2:9-2:22',
      'AnnotationType 2:27-2:41',
      'StarType 2:51-2:59',
      'ReturnType 2:64-2:74',
      'p 4:9-4:10',
    ]);
  });

  it('lets a function see the module and enclosing functions whole, whatever the order', () => {
    const code = src([
      'def upgrade():',
      '    helper(late_constant)',
      '    def inner():',
      '        return later_local, outer_param',
      '    later_local = 1',
      'def helper(outer_param):',
      '    pass',
      'late_constant = 1',
    ]);
    expect(undefinedIn(code)).toEqual(['outer_param 4:29-4:40']);
  });

  it('follows global and nonlocal declarations', () => {
    const code = src([
      'def setup():',
      '    global CONFIG',
      '    CONFIG = 1',
      'def use():',
      '    return CONFIG',
      'def outer():',
      '    count = 0',
      '    def inner():',
      '        nonlocal count',
      '        count += 1',
      '    return inner',
      'def bad():',
      '    global MISSING',
      '    return MISSING',
    ]);
    expect(undefinedIn(code)).toEqual(['MISSING 14:12-14:19']);
  });

  it('keeps an `except … as` name inside its handler, as Python deletes it afterwards', () => {
    const code = src([
      'def f():',
      '    try:',
      '        pass',
      '    except Exception as exc:',
      '        print(exc)',
      '    return exc',
    ]);
    expect(undefinedIn(code)).toEqual(['exc 6:12-6:15']);
  });

  it('never evaluates annotations of local variables', () => {
    expect(undefinedIn(src(['def f():', '    x: Missing = 1', '    y: AlsoMissing', '    return x']))).toEqual([]);
  });

  it('reads `del name` as a use and ignores names in a `try:` that catches NameError', () => {
    const code = src([
      'def f():',
      '    del never_bound',
      'try:',
      '    unicode',
      'except NameError:',
      '    unicode = str',
      'try:',
      '    long',
      'except (ImportError, NameError) as e:',
      '    pass',
      'try:',
      '    basestring',
      'except ImportError:',
      '    pass',
    ]);
    expect(undefinedIn(code)).toEqual(['never_bound 2:9-2:20', 'basestring 12:5-12:15']);
  });
});

describe('class scopes', () => {
  it("hides a class body's names from its methods and comprehensions, but not from later statements of the body", () => {
    const code = src([
      'class C(Base):',
      '    attr = 1',
      '    other = attr + __module__.count(__qualname__)',
      '    items = [attr for _ in range(3)]',
      '    def m(self):',
      '        super().m()',
      '        return attr, __class__',
      'Base = object',
    ]);
    expect(undefinedIn(code)).toEqual(['Base 1:9-1:13', 'attr 4:14-4:18', 'attr 7:16-7:20']);
  });

  it('runs the body top to bottom, when the class statement runs', () => {
    const code = src(['class D:', '    a = b', '    b = 1', '    v = w', 'w = 1']);
    expect(undefinedIn(code)).toEqual(['b 2:9-2:10', 'w 4:9-4:10']);
  });

  it('evaluates bases, keywords and decorators outside the class; keyword names are not uses', () => {
    const code = src(['@register', 'class K(BaseMissing, metaclass=MetaMissing, **opts):', '    pass']);
    expect(undefinedIn(code)).toEqual(['register 1:2-1:10', 'BaseMissing 2:9-2:20', 'MetaMissing 2:32-2:43', 'opts 2:47-2:51']);
  });
});

describe('module order, del and annotations', () => {
  it('reports a module-level use before the binding, but not a later use from inside a function', () => {
    const code = src(['print(x)', 'x = 1', 'def f():', '    return y', 'y = 2', 'counter += 1']);
    expect(undefinedIn(code)).toEqual(['x 1:7-1:8', 'counter 6:1-6:8']);
  });

  it('unbinds after an unconditional `del`, for the module and for functions that run later', () => {
    const code = src([
      'tmp = 1',
      'def later():',
      '    return tmp',
      'del tmp',
      'print(tmp)',
      'z = 1',
      'if tmp_flag:',
      '    del z',
      'print(z)',
      'del never',
    ]);
    expect(undefinedIn(code)).toEqual(['tmp 3:12-3:15', 'tmp 5:7-5:10', 'tmp_flag 7:4-7:12', 'never 10:5-10:10']);
  });

  it('evaluates module-level variable annotations; `x: T` alone binds nothing', () => {
    const code = src(['y: Unknown = 2', 'z: OnlyAnnotated', 'print(z, y)', 'def f(c: "Connection"):', '    pass']);
    expect(undefinedIn(code)).toEqual(['Unknown 1:4-1:11', 'OnlyAnnotated 2:4-2:17', 'z 3:7-3:8']);
  });

  it('evaluates no annotation under `from __future__ import annotations`', () => {
    const code = src([
      'from __future__ import annotations',
      'def f(c: Connection) -> Engine:',
      '    x: Missing = 1',
      '    return x',
      'y: Unknown = 2',
      'class A:',
      '    b: Other = 1',
    ]);
    expect(undefinedIn(code)).toEqual([]);
  });
});

describe('TYPE_CHECKING', () => {
  it('does not count names bound under `if TYPE_CHECKING:`, and never looks up names used there', () => {
    const code = src([
      'import typing',
      'from typing import TYPE_CHECKING',
      'if TYPE_CHECKING:',
      '    from sqlalchemy.engine import Connection',
      '    import sqlalchemy as sa',
      '    Connection(undefined_inside)',
      'else:',
      '    Other = int',
      'if typing.TYPE_CHECKING:',
      '    import sqlmodel',
      'def upgrade(conn: "Connection", engine: Connection) -> None:',
      '    sa.Column(sqlmodel.AutoString())',
      '    Other()',
    ]);
    expect(undefinedIn(code)).toEqual(['Connection 11:41-11:51', 'sa 12:5-12:7', 'sqlmodel 12:15-12:23']);
  });
});

describe('bindings by statements and expressions', () => {
  it('binds for, with, except-as, walrus and match targets', () => {
    const code = src([
      'for i, (j, *k) in pairs():',
      '    print(i, j, k)',
      "with open('f') as fh, lock:",
      '    fh.read()',
      'try:',
      '    pass',
      'except (KeyError, ValueError) as err:',
      '    print(err)',
      'print(err)',
      'if (n := 10) > 5:',
      '    print(n)',
      'print([y := v for v in range(3)], y)',
      'match n:',
      "    case {'k': kv, **rest}:",
      '        print(kv, rest)',
      '    case Point(x=px) | [px, *_] if px:',
      '        print(px, x)',
    ]);
    expect(undefinedIn(code)).toEqual(['pairs 1:19-1:24', 'lock 3:23-3:27', 'err 9:7-9:10', 'Point 16:10-16:15', 'x 17:19-17:20']);
  });

  it('gives lambdas and comprehensions their own scopes; the first iterable is evaluated outside', () => {
    const code = src([
      'f = lambda a, b=dflt, *c, **d: (a, b, c, d, e)',
      'g = [x * y for x in xs for y in range(x) if x > lim]',
      'h = {k: v for k, v in kv_pairs}',
      's = {z for z in zs}',
      'gen = (w for w in ws)',
      'sum(q for q in qs)',
      '[x2 for x2 in range(3)]; print(x2)',
    ]);
    expect(undefinedIn(code)).toEqual([
      'dflt 1:17-1:21',
      'e 1:45-1:46',
      'xs 2:21-2:23',
      'lim 2:49-2:52',
      'kv_pairs 3:23-3:31',
      'zs 4:17-4:19',
      'ws 5:19-5:21',
      'qs 6:16-6:18',
      'x2 7:32-7:34',
    ]);
  });

  it('does not read keyword names, attributes or import paths as uses; reads f-string replacements', () => {
    const code = src(['import os.path', 'dict(key=1).key', 'os.path.join(os.sep)', 'f"{name!r:>{width}} {os.sep}"']);
    expect(undefinedIn(code)).toEqual(['name 4:4-4:8', 'width 4:13-4:18']);
  });
});

describe('positions', () => {
  it('counts columns in code points and gives CRLF files the same lines as LF ones', () => {
    const lf = src(['x = "😀" + missing', 'def f():', '    return "é" + other']);
    expect(undefinedIn(lf)).toEqual(['missing 1:11-1:18', 'other 3:18-3:23']);
    expect(undefinedIn(lf.replace(/\n/g, '\r\n'))).toEqual(undefinedIn(lf));
  });

  it('works on a tree parsed without the rest of the facts', () => {
    const code = 'sa.Column()\n';
    expect(undefinedNames(analyseNames(parsePython(code).topNode, code))).toEqual([{ name: 'sa', span: { start: 0, end: 2 }, atImport: true }]);
  });

  it('says whether a use runs when Alembic imports the module or later, inside a function', () => {
    const code = src(['x = missing_at_import', 'class K:', '    y = in_class_body', 'def upgrade():', '    in_function', 'f = lambda: in_lambda']);
    const facts = extractFacts(code);
    expect(facts.undefinedNames.map((u) => [u.name, u.atImport])).toEqual([
      ['missing_at_import', true],
      ['in_class_body', true],
      ['in_function', false],
      ['in_lambda', false],
    ]);
  });
});
