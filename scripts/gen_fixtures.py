#!/usr/bin/python3
"""Regenerate migration-lint's fixtures with REAL Alembic.

Run it through scripts/gen-fixtures.sh, which makes sure the local PostgreSQL cluster and the
`migration_lint` role exist. Everything under fixtures/rules/, fixtures/README.md,
fixtures/manifest.json and examples/ is written by this file from the cases in
scripts/fixture_cases/<rule>.py (one module per rule, found by name; the example projects are
scripts/fixture_example.py), told in the words of scripts/fixture_kit.py. Edit those (never the
generated files) and rerun.

How a case is made
------------------
Every case is a small but complete Alembic project: `alembic init` (the real command) writes
alembic.ini, alembic/env.py, alembic/script.py.mako and alembic/versions/; we then replace env.py
with one that reads the database URL from MIGRATION_LINT_DATABASE_URL and uses SQLModel.metadata
from models.py, pick the script.py.mako variant the case needs, and play the case's steps:

  Models(src)          write models.py as the developer would at that point of the history
  Package(files)       the same for a models package (models/__init__.py and one module per model)
  Autogen(key, msg)    `alembic revision --autogenerate -m msg --rev-id <id>` against a scratch
                       PostgreSQL database, then `alembic upgrade heads` so that the next
                       autogenerate sees the new state. parent=KEY adds `--head <id> --splice`,
                       which is how a second branch from the same parent is made.
  Revision(key, msg)   plain `alembic revision -m msg --rev-id <id>` (no autogenerate)
  Merge(key, msg)      `alembic merge -m msg --rev-id <id> heads`
  Upgrade()            `alembic upgrade heads`
  Mako(variant)        switch script.py.mako (stock / sqlmodel / fastapi)
  Edit(what, fn)       a developer's hand edit that autogenerate never produces (raw SQL added, a
                       file truncated, copied or deleted, a `revision =` changed...). Every edit is
                       described in its `what`, which also goes to fixtures/README.md and the
                       manifest, so nobody mistakes an edited file for pristine Alembic output.

Revision ids are fixed (12 hex digits, sha1 of "<case>:<key>") and `Create Date:` is normalised to
a fixed timestamp per step, so regenerating gives byte-identical files. `--check` regenerates into a
temporary folder and diffs it against the committed files (CI runs it).

The generation-only shim: `alembic upgrade` during generation runs with `sqlmodel` injected into
builtins, so that the generator can apply revisions that lack `import sqlmodel` (the stock
template's output, which is exactly what the missing-sqlmodel-import fixtures are about) and still
autogenerate the next step. It never changes a generated file; the oracle suite runs the committed
files without it and sees the real NameError.
"""
from __future__ import annotations

import argparse
import ast
import datetime
import difflib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import quote

from fixture_cases import all_cases
from fixture_example import EXAMPLES
from fixture_kit import (
    At,
    Autogen,
    Case,
    Edit,
    Example,
    Expect,
    Mako,
    Merge,
    Models,
    Package,
    Revision,
    Step,
    Upgrade,
    env_py,
    mako_text,
    patch_ini,
    rev_id,
)

REPO = Path(__file__).resolve().parent.parent
PYTHON = "/usr/bin/python3"  # Debian's python: it has python3-alembic, python3-sqlmodel, psycopg2
BASE_DATE = datetime.datetime(2024, 1, 1, 12, 0, 0)


def default_severity(rule: str) -> str:
    """The rule's defaultSeverity, read from its one definition in src/rules/<rule>.ts."""
    text = (REPO / "src" / "rules" / f"{rule}.ts").read_text()
    m = re.search(r"defaultSeverity: '(error|warning)'", text)
    assert m, f"src/rules/{rule}.ts: no defaultSeverity"
    return m.group(1)



# --------------------------------------------------------------------------------------------
# Running Alembic
# --------------------------------------------------------------------------------------------

def pg_settings() -> dict[str, str]:
    return {
        "host": os.environ.get("PGHOST", "127.0.0.1"),
        "port": os.environ.get("PGPORT", "5432"),
        "user": os.environ.get("PGUSER", "migration_lint"),
        "password": os.environ.get("PGPASSWORD", "migration_lint"),
    }


def db_url(dbname: str) -> str:
    s = pg_settings()
    auth = quote(s["user"], safe="")
    if s["password"]:
        auth += ":" + quote(s["password"], safe="")
    if s["host"].startswith("/"):
        return f"postgresql://{auth}@/{dbname}?host={quote(s['host'], safe='')}&port={s['port']}"
    return f"postgresql://{auth}@{s['host']}:{s['port']}/{dbname}"


def admin_sql(sql: str) -> None:
    import psycopg2

    conn = psycopg2.connect(db_url("postgres"))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
    finally:
        conn.close()


def server_version() -> str:
    import psycopg2

    conn = psycopg2.connect(db_url("postgres"))
    try:
        with conn.cursor() as cur:
            cur.execute("SHOW server_version")
            row = cur.fetchone()
            return str(row[0]) if row else "?"
    finally:
        conn.close()


# Generation-only: see the module docstring.
UPGRADE_SHIM = (
    "import builtins, sys, sqlmodel; builtins.sqlmodel = sqlmodel; "
    "from alembic.config import main; main(argv=sys.argv[1:], prog='alembic')"
)


class Ctx:
    """A case being generated: its folder, scratch database and revisions."""

    def __init__(self, rel: str, root: Path, project: str, models_path: str):
        self.rel = rel
        self.dir = root / rel
        self.project_dir = self.dir / project if project else self.dir
        self.models_path = self.project_dir / models_path
        # unique per run and case, so that concurrent runs (e.g. --check beside a regeneration) never
        # share a scratch database
        self.dbname = f"mlgen_{os.getpid()}_" + hashlib.sha1(rel.encode()).hexdigest()[:12]
        self.revisions: list[dict[str, object]] = []
        self.edits: list[str] = []
        self.step_no = 0
        self.versions_dir: Path = self.project_dir  # set after init
        self.script_dir: Path = self.project_dir
        self.history: list[dict[str, object]] = []
        self._last_models: str = ""
        self.models_label = "app/models.py"  # how HISTORY.md names the models

    # -- alembic --------------------------------------------------------------------------
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["MIGRATION_LINT_DATABASE_URL"] = db_url(self.dbname)
        env["TZ"] = "UTC"
        return env

    def alembic(self, *args: str, shim: bool = False) -> str:
        cmd = [PYTHON, "-c", UPGRADE_SHIM, *args] if shim else [PYTHON, "-m", "alembic", *args]
        proc = subprocess.run(
            cmd, cwd=self.project_dir, env=self.env(), capture_output=True, text=True
        )
        if proc.returncode != 0:
            raise SystemExit(
                f"[{self.rel}] alembic {' '.join(args)} failed ({proc.returncode}):\n"
                f"{proc.stdout}\n{proc.stderr}"
            )
        return proc.stdout + proc.stderr

    def rev(self, key: str) -> str:
        return rev_id(self.rel, key)

    def entry(self, key: str) -> dict[str, object]:
        for r in self.revisions:
            if r["key"] == key:
                return r
        raise KeyError(f"[{self.rel}] no revision with key {key!r}")

    def path(self, key: str) -> Path:
        f = self.entry(key)["file"]
        assert isinstance(f, str), f"[{self.rel}] revision {key} has no file"
        return self.dir / f

    def relpath(self, p: Path) -> str:
        return p.relative_to(self.dir).as_posix()

    def new_revision(self, key: str, message: str, args: list[str], parent: Optional[str]) -> None:
        before = set(self.versions_dir.glob("*.py"))
        self.alembic(*args)
        created = sorted(set(self.versions_dir.glob("*.py")) - before)
        assert len(created) == 1, f"[{self.rel}] expected one new revision file, got {created}"
        path = created[0]
        self.step_no += 1
        date = BASE_DATE + datetime.timedelta(days=self.step_no - 1)
        text = path.read_text()
        text, n = re.subn(
            r"^Create Date: .*$",
            f"Create Date: {date:%Y-%m-%d %H:%M:%S}.000000",
            text,
            count=1,
            flags=re.M,
        )
        assert n == 1
        path.write_text(text)
        entry: dict[str, object] = {
            "key": key,
            "revision": self.rev(key),
            "message": message,
            "file": self.relpath(path),
            "head": self.rev(parent) if parent else None,  # the --head it was made on
        }
        self.revisions.append(entry)

    # -- hand edits (used by Edit steps) ----------------------------------------------------
    def replace(self, key: str, old: str, new: str) -> None:
        p = self.path(key)
        text = p.read_text()
        assert text.count(old) == 1, f"[{self.rel}] {old!r} occurs {text.count(old)} times in {p}"
        p.write_text(text.replace(old, new, 1))

    def insert_before(self, key: str, anchor: str, new: str, func: str = "upgrade") -> None:
        """Insert `new` before the first `anchor` line inside func()."""
        p = self.path(key)
        lines = p.read_text().splitlines(keepends=True)
        start = next(i for i, line in enumerate(lines) if line.startswith(f"def {func}("))
        idx = next(i for i in range(start, len(lines)) if lines[i].strip() == anchor.strip())
        lines[idx:idx] = [new if new.endswith("\n") else new + "\n"]
        p.write_text("".join(lines))

    def set_body(self, key: str, func: str, body: str) -> None:
        """Replace the `pass` body of func() (a plain `alembic revision` file)."""
        p = self.path(key)
        text = p.read_text()
        old = f"def {func}() -> None:\n    pass\n"
        if old not in text:
            old = f"def {func}():\n    pass\n"
        assert old in text, f"[{self.rel}] {func}() of {p} is not a bare `pass`"
        p.write_text(text.replace(old, old.replace("    pass\n", textwrap.indent(body, "    ")), 1))

    def copy(self, key: str, new_key: str, new_name: str) -> None:
        src = self.path(key)
        dst = src.with_name(new_name)
        shutil.copyfile(src, dst)
        base = self.entry(key)
        self.revisions.append({**base, "key": new_key, "file": self.relpath(dst), "copyOf": key})

    def delete(self, key: str) -> None:
        self.path(key).unlink()
        e = self.entry(key)
        e["file"] = None
        e["deleted"] = True

    def truncate(self, key: str, after: str) -> None:
        """Cut the file right after the first occurrence of `after` (mid-call)."""
        p = self.path(key)
        text = p.read_text()
        i = text.index(after)
        p.write_text(text[: i + len(after)] + "\n")
        self.entry(key)["truncated"] = True


# --------------------------------------------------------------------------------------------
# Playing a case
# --------------------------------------------------------------------------------------------

def init_project(ctx: Ctx, script_location: str, mako: str, models_module: str,
                 sqlalchemy_base: bool, render_as_batch: bool) -> None:
    ctx.project_dir.mkdir(parents=True, exist_ok=True)
    # The real `alembic init`: alembic.ini, <script_location>/{env.py,script.py.mako,README,versions/}
    proc = subprocess.run(
        [PYTHON, "-m", "alembic", "init", script_location],
        cwd=ctx.project_dir, env=ctx.env(), capture_output=True, text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"[{ctx.rel}] alembic init failed:\n{proc.stdout}\n{proc.stderr}")
    ini = ctx.project_dir / "alembic.ini"
    ini.write_text(patch_ini(ini.read_text()))
    ctx.script_dir = ctx.project_dir / script_location
    ctx.versions_dir = ctx.script_dir / "versions"
    (ctx.script_dir / "env.py").write_text(env_py(models_module, sqlalchemy_base, render_as_batch))
    (ctx.script_dir / "script.py.mako").write_text(mako_text(mako))


def play(ctx: Ctx, steps: list[Step]) -> None:
    for step in steps:
        if isinstance(step, Models):
            ctx.models_path.parent.mkdir(parents=True, exist_ok=True)
            ctx.models_path.write_text(step.src)
            ctx._last_models = step.src
        elif isinstance(step, Package):
            pkg = ctx.models_path.with_suffix("")
            pkg.mkdir(parents=True, exist_ok=True)
            for old in pkg.glob("*.py"):
                if old.name not in step.files:
                    old.unlink()
            for name, text in step.files.items():
                (pkg / name).write_text(text)
            ctx.models_label = ctx.relpath(pkg).split("/", 1)[-1] + "/"
            # One text for HISTORY.md's diffs: each module under its name.
            ctx._last_models = "".join(f"# {name}\n{step.files[name]}\n" for name in sorted(step.files))
        elif isinstance(step, Mako):
            (ctx.script_dir / "script.py.mako").write_text(mako_text(step.variant))
        elif isinstance(step, Autogen):
            args = ["revision", "--autogenerate", "-m", step.message, "--rev-id", ctx.rev(step.key)]
            if step.parent:
                args += ["--head", ctx.rev(step.parent), "--splice"]
            if step.depends_on:
                args += ["--depends-on", ctx.rev(step.depends_on)]
            ctx.new_revision(step.key, step.message, args, step.parent)
            ctx.history.append({"step": "autogen", "key": step.key, "models": ctx._last_models,
                                "dependsOn": ctx.rev(step.depends_on) if step.depends_on else None})
            if step.upgrade:
                ctx.alembic("upgrade", "heads", shim=True)
        elif isinstance(step, Revision):
            args = ["revision", "-m", step.message, "--rev-id", ctx.rev(step.key)]
            if step.parent:
                args += ["--head", ctx.rev(step.parent), "--splice"]
            ctx.new_revision(step.key, step.message, args, step.parent)
            ctx.history.append({"step": "revision", "key": step.key, "models": ctx._last_models})
        elif isinstance(step, Merge):
            args = ["merge", "-m", step.message, "--rev-id", ctx.rev(step.key), "heads"]
            ctx.new_revision(step.key, step.message, args, None)
            ctx.history.append({"step": "merge", "key": step.key, "models": ctx._last_models})
        elif isinstance(step, Upgrade):
            ctx.alembic("upgrade", "heads", shim=True)
        elif isinstance(step, Edit):
            step.fn(ctx)
            ctx.edits.append(step.what)
            ctx.history.append({"step": "edit", "what": step.what, "models": ctx._last_models})
        else:  # pragma: no cover
            raise TypeError(step)


def locate(ctx: Ctx, at: At) -> list[dict[str, object]]:
    if at.kind == "file":
        assert at.path
        assert (ctx.dir / at.path).exists(), f"[{ctx.rel}] {at.path} does not exist"
        return [{"file": at.path}]
    assert at.key and at.text
    p = ctx.path(at.key)
    lines = p.read_text().splitlines()
    rel = ctx.relpath(p)
    if at.kind == "var":
        for i, line in enumerate(lines):
            if re.match(rf"^{re.escape(at.text)}\s*(:[^=]*)?=", line):
                return [{"file": rel, "line": i + 1, "column": 1, "source": line.strip()}]
        raise AssertionError(f"[{ctx.rel}] no `{at.text} =` in {rel}")
    if at.kind == "header":
        for i, line in enumerate(lines):
            if line.startswith(at.text):
                return [{"file": rel, "line": i + 1, "column": 1, "source": line.strip()}]
        raise AssertionError(f"[{ctx.rel}] no {at.text!r} header in {rel}")
    if at.kind == "use":
        for i, line in enumerate(lines):
            s = line.strip()
            if s.startswith(("import ", "from ", "#")):
                continue
            col = line.find(at.text)
            if col >= 0:
                return [{"file": rel, "line": i + 1, "column": col + 1, "source": s}]
        raise AssertionError(f"[{ctx.rel}] no use of {at.text!r} in {rel}")
    if at.kind == "call":
        start = next(i for i, line in enumerate(lines) if line.startswith(f"def {at.func}("))
        for i in range(start + 1, len(lines)):
            if lines[i].startswith("def "):
                break
            col = lines[i].find(at.text)
            if col >= 0:
                return [{"file": rel, "line": i + 1, "column": col + 1, "source": lines[i].strip()}]
        raise AssertionError(f"[{ctx.rel}] no {at.text!r} in {at.func}() of {rel}")
    raise ValueError(at.kind)


def read_ids(path: Path) -> dict[str, object]:
    """`revision` and `down_revision` as the file states them (after any hand edit)."""
    out: dict[str, object] = {}
    for line in path.read_text().splitlines():
        m = re.match(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+)$", line)
        if m and m.group(1) not in out:
            value = ast.literal_eval(m.group(2))
            out[m.group(1)] = list(value) if isinstance(value, tuple) else value
    return out


def python_error(path: Path) -> Optional[dict[str, object]]:
    try:
        compile(path.read_bytes(), str(path), "exec")
    except SyntaxError as e:
        return {"line": e.lineno, "column": e.offset, "message": e.msg}
    return None


def generate_case(case: Case, root: Path) -> dict[str, object]:
    print(f"  {case.rel}", flush=True)
    ctx = Ctx(case.rel, root, "", "models.py")
    if ctx.dir.exists():
        shutil.rmtree(ctx.dir)
    admin_sql(f'DROP DATABASE IF EXISTS "{ctx.dbname}"')
    admin_sql(f'CREATE DATABASE "{ctx.dbname}"')
    try:
        init_project(ctx, "alembic", case.mako, "models", case.sqlalchemy_base, case.render_as_batch)
        play(ctx, case.steps)
    finally:
        admin_sql(f'DROP DATABASE IF EXISTS "{ctx.dbname}"')
    clean_pycache(ctx.dir)
    return manifest_entry(ctx, case.rule, case.verdict, case.name, case.summary, case.expect,
                          case.oracle, ".")


def manifest_entry(ctx: Ctx, rule: Optional[str], verdict: str, name: str, summary: str,
                   expect: list[Expect], oracle: str, cwd: str) -> dict[str, object]:
    expectations = []
    for e in expect:
        at: list[dict[str, object]] = []
        for a in e.at:
            at += locate(ctx, a)
        expectations.append({"rule": e.rule, "severity": default_severity(e.rule), "at": at})
    for r in ctx.revisions:
        if isinstance(r.get("file"), str):
            ids = read_ids(ctx.dir / str(r["file"]))
            r["revision"] = ids.get("revision", r["revision"])
            r["downRevision"] = ids.get("down_revision")
    syntax = {}
    for r in ctx.revisions:
        if isinstance(r.get("file"), str):
            err = python_error(ctx.dir / str(r["file"]))
            if err:
                syntax[str(r["file"])] = err
    versions = ctx.versions_dir.relative_to(ctx.dir).as_posix()
    return {
        "dir": ctx.rel,
        "cwd": cwd,
        "project": ctx.project_dir.relative_to(ctx.dir).as_posix(),
        "rule": rule,
        "verdict": verdict,
        "name": name,
        "summary": summary,
        "oracle": oracle,
        "versions": versions,
        "revisions": ctx.revisions,
        "edits": ctx.edits,
        "expect": expectations,
        "syntaxErrors": syntax,
    }


def clean_pycache(d: Path) -> None:
    for p in sorted(d.rglob("__pycache__"), reverse=True):
        shutil.rmtree(p)


def generate_example(ex: Example, root: Path) -> dict[str, object]:
    print(f"  {ex.rel}", flush=True)
    ctx = Ctx(ex.rel, root, ex.project, ex.models_module.replace(".", "/") + ".py")
    if ctx.dir.exists():
        shutil.rmtree(ctx.dir)
    admin_sql(f'DROP DATABASE IF EXISTS "{ctx.dbname}"')
    admin_sql(f'CREATE DATABASE "{ctx.dbname}"')
    try:
        for rel, text in ex.extra_files.items():
            p = ctx.dir / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text)
        init_project(ctx, ex.script_location, ex.mako, ex.models_module, False, False)
        play(ctx, ex.steps)
    finally:
        admin_sql(f'DROP DATABASE IF EXISTS "{ctx.dbname}"')
    clean_pycache(ctx.dir)
    entry = manifest_entry(ctx, None, "bad", "example", ex.summary, ex.expect,
                           "every rule above fires at least once", ".")
    (ctx.dir / "HISTORY.md").write_text(history_md(ctx))
    (ctx.dir / "README.md").write_text(ex.readme)
    return entry


def history_md(ctx: Ctx) -> str:
    out = [
        "# History of the example project\n",
        "Generated by `scripts/gen_fixtures.py`; each step below is a real Alembic command run "
        "against PostgreSQL, or a hand edit (marked **hand edit**). The models are shown as a diff "
        "from the previous step.\n",
    ]
    prev = ""
    n = 0
    for h in ctx.history:
        models_src = str(h["models"])
        if h["step"] == "edit":
            out.append(f"\n- **hand edit**: {h['what']}\n")
            continue
        n += 1
        e = ctx.entry(str(h["key"]))
        cmd = {
            "autogen": "alembic revision --autogenerate",
            "revision": "alembic revision",
            "merge": "alembic merge heads",
        }[str(h["step"])]
        head = f" --head {e['head']} --splice" if e.get("head") else ""
        if h.get("dependsOn"):
            head += f" --depends-on {h['dependsOn']}"
        out.append(f"\n## {n}. `{e['message']}` ({e['revision']})\n\n")
        out.append(f"`{cmd} -m \"{e['message']}\" --rev-id {e['revision']}{head}`\n")
        if models_src != prev:
            out.append(models_diff(ctx, prev, models_src))
        else:
            out.append(f"\n({ctx.models_label} unchanged)\n")
        prev = models_src
    if ctx._last_models != prev:
        out.append("\n## Then: the models change, and no migration is generated for it\n")
        out.append(models_diff(ctx, prev, ctx._last_models))
    return "".join(out)


def models_diff(ctx: Ctx, before: str, after: str) -> str:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(),
                                ctx.models_label, ctx.models_label, lineterm="", n=1)
    return "\n```diff\n" + "\n".join(diff) + "\n```\n"


# --------------------------------------------------------------------------------------------
# README and manifest
# --------------------------------------------------------------------------------------------

def versions_info() -> dict[str, str]:
    import alembic
    import psycopg2
    import sqlalchemy
    import sqlmodel

    return {
        "python": "%d.%d" % sys.version_info[:2],
        "alembic": alembic.__version__,
        "sqlmodel": sqlmodel.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "psycopg2": psycopg2.__version__.split(" ")[0],
        "postgresql": server_version().split(".")[0],
    }


def readme(entries: list[dict[str, object]], versions: dict[str, str]) -> str:
    lines = [
        "# Fixtures: real Alembic projects, one per rule and verdict\n\n",
        "Every folder under `rules/<rule-id>/<case>/` is a complete Alembic project (`alembic.ini`, "
        "`alembic/env.py`, `alembic/script.py.mako`, `alembic/versions/`, `models.py`) whose "
        "revisions were written by **real Alembic** autogenerating against a scratch PostgreSQL "
        "database, step by step, from SQLModel models (`models.py` holds the final ones). "
        "`bad*` cases make the rule fire, `good*` cases must not. Where a rule is about a "
        "developer's hand edit that autogenerate never produces, the generator applies that edit to "
        "a generated file; each one is listed below under *hand edit*.\n\n",
        "Made with: Python {python}, Alembic {alembic}, SQLModel {sqlmodel}, SQLAlchemy "
        "{sqlalchemy}, psycopg2 {psycopg2}, PostgreSQL {postgresql} (Debian 12 packages "
        "`python3-alembic python3-sqlmodel python3-psycopg2 postgresql`).\n\n".format(**versions),
        "## Regenerate\n\n",
        "```sh\n"
        "bash scripts/gen-fixtures.sh          # or: npm run fixtures (rewrites fixtures/ and examples/)\n"
        "bash scripts/gen-fixtures.sh --check  # regenerate in a temp dir and diff (CI does this)\n"
        "```\n\n",
        "It starts the local cluster if needed (as root), uses the role from `PGUSER`/`PGPASSWORD` "
        "(default `migration_lint`), fixes every revision id (12 hex digits: sha1 of "
        "`<case dir>:<step key>`) and every `Create Date:`, so the output is byte-identical from run "
        "to run. Add a case by adding a `Case(...)` to `CASES` in `scripts/fixture_cases/<rule>.py`; never edit "
        "generated files. `manifest.json` lists every case with its revisions and, for `bad` cases, "
        "where each expected diagnostic must point (`at`: file, line, column; any one entry "
        "matching is enough); the oracle suite (`test/oracle/`) reads it.\n\n",
        "To run a case's migrations yourself: `cd fixtures/rules/<rule>/<case> && "
        "MIGRATION_LINT_DATABASE_URL=postgresql://migration_lint:migration_lint@127.0.0.1:5432/<db> "
        "/usr/bin/python3 -m alembic upgrade head` (always Debian's `/usr/bin/python3`: other "
        "pythons on PATH lack the packages; Debian's alembic has no console script).\n\n",
        "## The oracle suite\n\n",
        "`test/oracle/` proves each rule's verdict against reality: it copies a case to a temporary "
        "folder, creates a fresh database, seeds rows, runs the real `alembic upgrade`/`downgrade` and "
        "asserts what PostgreSQL and Alembic do (NameError, NotNullViolation, the DROP CONSTRAINT "
        "that cannot be emitted, lost data, `Multiple head revisions`, KeyError, SyntaxError...), "
        "then runs the built CLI (`--format json`, cwd = the case folder) and asserts its verdict "
        "(bad: the rule fires where `manifest.json` says, exit 1 for errors; good: the rule does not "
        "fire, no errors, exit 0).\n\n",
        "```sh\n"
        "sudo bash scripts/oracle-db.sh   # start PostgreSQL, create role migration_lint (idempotent)\n"
        "npm run test:oracle              # builds, then runs test/oracle/*.test.ts\n"
        "```\n\n"
        "Connection settings: `PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD` (defaults 127.0.0.1, 5432, "
        "migration_lint, migration_lint); the role needs CREATEDB.\n\n",
        "## Cases\n",
    ]
    for e in entries:
        if e["rule"] is None:
            continue
        lines.append(f"\n### `{e['dir']}`\n\n{e['summary']}\n\n")
        revs = e["revisions"]
        assert isinstance(revs, list)
        for r in revs:
            note = ""
            if r.get("deleted"):
                note = " (deleted)"
            elif r.get("copyOf"):
                note = f" (copy of {r['copyOf']})"
            elif r.get("truncated"):
                note = " (truncated)"
            where = f"`{r['file']}`" if r.get("file") else "(no file)"
            lines.append(f"- `{r['revision']}` {r['message']}: {where}{note}\n")
        for edit in e["edits"]:  # type: ignore[union-attr]
            lines.append(f"- *hand edit*: {edit}\n")
        for x in e["expect"]:  # type: ignore[union-attr]
            ats = []
            for a in x["at"]:
                pos = a["file"] + (f":{a['line']}:{a['column']}" if "line" in a else "")
                src = f" `{a['source']}`" if a.get("source") else ""
                ats.append(f"{pos}{src}")
            lines.append(f"- expects **{x['rule']}** ({x['severity']}) at one of: "
                         + "; ".join(ats) + "\n")
        if e.get("oracle"):
            lines.append(f"- oracle: {e['oracle']}\n")
    lines.append("\n## The example projects\n\nMade by the same generator; each `HISTORY.md` shows "
                 "the models at every step.\n\n")
    for ex in EXAMPLES:
        lines.append(f"- `{ex.rel}/`: {ex.summary}\n")
    return "".join(lines)


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

def owned_paths(entries: list[dict[str, object]]) -> list[str]:
    return ["fixtures/README.md", "fixtures/manifest.json"] + [str(e["dir"]) for e in entries]


def generate_all(root: Path, only: Optional[str], jobs: int) -> list[dict[str, object]]:
    seen = set()
    todo: list[Callable[[], dict[str, object]]] = []
    for case in all_cases():
        assert case.rel not in seen, f"duplicate case {case.rel}"
        seen.add(case.rel)
        assert case.verdict == "good" or case.expect, f"{case.rel}: a bad case needs expect=[...]"
        if only and only not in case.rel:
            continue
        todo.append(lambda case=case: generate_case(case, root))
    for ex in EXAMPLES:
        if not only or only in ex.rel:
            todo.append(lambda ex=ex: generate_example(ex, root))
    # Each case has its own folder and scratch database, so cases can be made side by side; the
    # results keep the order of the cases.
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(lambda f: f(), todo))


def write_index(root: Path, entries: list[dict[str, object]]) -> None:
    versions = versions_info()
    manifest = {
        "version": 1,
        "generator": "scripts/gen_fixtures.py",
        "made_with": versions,
        "cases": entries,
    }
    (root / "fixtures").mkdir(parents=True, exist_ok=True)
    (root / "fixtures" / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    (root / "fixtures" / "README.md").write_text(readme(entries, versions))


def remove_stale(entries: list[dict[str, object]]) -> None:
    """Delete case folders a previous run generated that are no longer among the cases."""
    old_manifest = REPO / "fixtures" / "manifest.json"
    if not old_manifest.exists():
        return
    old = json.loads(old_manifest.read_text())
    keep = {str(e["dir"]) for e in entries}
    for e in old.get("cases", []):
        d = e.get("dir")
        if isinstance(d, str) and d not in keep and (REPO / d).is_dir():
            print(f"  removing stale {d}")
            shutil.rmtree(REPO / d)


def check(entries_root: Path, entries: list[dict[str, object]]) -> int:
    bad = 0
    for rel in owned_paths(entries):
        a, b = REPO / rel, entries_root / rel
        files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()} if a.is_dir() else set()
        files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()} if b.is_dir() else set()
        pairs: list[tuple[Path, Path, str]] = []
        if b.is_file():
            pairs.append((a, b, rel))
        else:
            for f in sorted(files_a | files_b):
                pairs.append((a / f, b / f, f"{rel}/{f}"))
        for pa, pb, name in pairs:
            ta = pa.read_text() if pa.exists() else None
            tb = pb.read_text() if pb.exists() else None
            if ta != tb:
                bad += 1
                if ta is None:
                    print(f"missing from the repo: {name}")
                elif tb is None:
                    print(f"not generated any more: {name}")
                else:
                    sys.stdout.writelines(difflib.unified_diff(
                        ta.splitlines(keepends=True), tb.splitlines(keepends=True),
                        f"a/{name}", f"b/{name}"))
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="regenerate in a temporary folder and diff against the committed files")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="cases generated side by side (default: number of CPUs)")
    ap.add_argument("--only", help="generate only the cases whose folder contains this text "
                    "(their entries in the manifest and README are updated, the rest kept)")
    args = ap.parse_args()
    if args.check:
        with tempfile.TemporaryDirectory(prefix="mlfixtures-") as tmp:
            root = Path(tmp)
            entries = generate_all(root, None, args.jobs)
            write_index(root, entries)
            n = check(root, entries)
        if n:
            print(f"\n{n} generated file(s) differ from the committed ones: run "
                  "`bash scripts/gen-fixtures.sh` and commit the result.")
            return 1
        print("fixtures are up to date")
        return 0
    entries = generate_all(REPO, args.only, args.jobs)
    if not args.only:
        remove_stale(entries)
        write_index(REPO, entries)
    else:
        merge_index(entries)
    return 0


def merge_index(entries: list[dict[str, object]]) -> None:
    """--only: the cases just made replace their entries in the committed manifest, in the order a
    full run writes them, and the README follows; every other case is left as it is."""
    path = REPO / "fixtures" / "manifest.json"
    by_dir = {str(e["dir"]): e for e in json.loads(path.read_text())["cases"]} if path.exists() else {}
    by_dir.update({str(e["dir"]): e for e in entries})
    order = [c.rel for c in all_cases()] + [ex.rel for ex in EXAMPLES]
    write_index(REPO, [by_dir[d] for d in order if d in by_dir])


if __name__ == "__main__":
    sys.exit(main())
