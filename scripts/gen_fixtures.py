#!/usr/bin/python3
"""Regenerate migration-lint's fixtures with REAL Alembic.

Run it through scripts/gen-fixtures.sh, which makes sure the local PostgreSQL cluster and the
`migration_lint` role exist. Everything under fixtures/rules/, fixtures/README.md,
fixtures/manifest.json and examples/fastapi-sqlmodel/ is written by this file; edit the CASES list
below (never the generated files) and rerun.

How a case is made
------------------
Every case is a small but complete Alembic project: `alembic init` (the real command) writes
alembic.ini, alembic/env.py, alembic/script.py.mako and alembic/versions/; we then replace env.py
with one that reads the database URL from MIGRATION_LINT_DATABASE_URL and uses SQLModel.metadata
from models.py, pick the script.py.mako variant the case needs, and play the case's steps:

  Models(src)          write models.py as the developer would at that point of the history
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Union
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
PYTHON = "/usr/bin/python3"  # Debian's python: it has python3-alembic, python3-sqlmodel, psycopg2
BASE_DATE = datetime.datetime(2024, 1, 1, 12, 0, 0)

# Default severities, from SPEC.md's rules table.
SEVERITY = {
    "missing-sqlmodel-import": "error",
    "template-missing-sqlmodel-import": "error",
    "empty-migration": "error",
    "manual-migration": "error",
    "applied-migration-edited": "error",
    "destructive-operation": "error",
    "raw-sql": "error",
    "not-null-without-default": "error",
    "unnamed-constraint": "warning",
    "vague-message": "warning",
    "multiple-heads": "error",
    "unknown-down-revision": "error",
    "duplicate-revision": "error",
    "revision-mismatch": "warning",
    "parse-error": "error",
    "undefined-name": "error",
    "revision-cycle": "error",
    "multiple-bases": "warning",
    "index-not-concurrent": "warning",
    "concurrent-index-in-transaction": "error",
    "constraint-validated-under-lock": "warning",
    "set-not-null": "warning",
    "column-type-change": "warning",
    "volatile-default": "warning",
    "unique-on-existing-table": "warning",
    "missing-lock-timeout": "warning",
}


# --------------------------------------------------------------------------------------------
# Templates and project files
# --------------------------------------------------------------------------------------------

def stock_mako() -> str:
    """Alembic's own generic script.py.mako, as `alembic init` writes it."""
    import alembic

    return (Path(alembic.__file__).parent / "templates" / "generic" / "script.py.mako").read_text()


def mako_text(variant: str) -> str:
    stock = stock_mako()
    anchor = "import sqlalchemy as sa\n"
    assert anchor in stock
    if variant == "stock":
        return stock
    if variant == "sqlmodel":
        # The house rule: the template imports sqlmodel, so every autogenerated file does.
        return stock.replace(anchor, anchor + "import sqlmodel\n", 1)
    if variant == "fastapi":
        # The FastAPI full-stack template's backend/app/alembic/script.py.mako: Alembic's generic
        # template plus `import sqlmodel.sql.sqltypes`, with unannotated upgrade()/downgrade().
        text = stock.replace(anchor, anchor + "import sqlmodel.sql.sqltypes\n", 1)
        return text.replace("def upgrade() -> None:", "def upgrade():").replace(
            "def downgrade() -> None:", "def downgrade():"
        )
    raise ValueError(f"unknown mako variant {variant!r}")


ENV_PY = '''\
import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool

{models_import}

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

# the models are the single source of truth: autogenerate compares them with the database
target_metadata = {metadata}


def get_url() -> str:
    url = os.environ.get("MIGRATION_LINT_DATABASE_URL")
    if not url:
        raise RuntimeError(
            "set MIGRATION_LINT_DATABASE_URL, e.g. "
            "postgresql://migration_lint:migration_lint@127.0.0.1:5432/scratch"
        )
    return url


def run_migrations_offline() -> None:
    """Run migrations in 'offline' mode (`alembic upgrade --sql`)."""
    context.configure(
        url=get_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={{"paramstyle": "named"}},
        compare_type=True,{extra_configure}
    )

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run migrations in 'online' mode."""
    configuration = config.get_section(config.config_ini_section) or {{}}
    configuration["sqlalchemy.url"] = get_url()
    connectable = engine_from_config(
        configuration,
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )

    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            compare_type=True,{extra_configure_online}
        )

        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
'''


def env_py(models_module: str, sqlalchemy_base: bool, render_as_batch: bool) -> str:
    if sqlalchemy_base:
        models_import = f"from {models_module} import Base  # importing the models registers their tables"
        metadata = "Base.metadata"
    else:
        models_import = (
            f"from {models_module} import SQLModel  # importing the models registers their tables"
        )
        metadata = "SQLModel.metadata"
    extra = ""
    extra_online = ""
    if render_as_batch:
        extra = "\n        render_as_batch=True,"
        extra_online = "\n            render_as_batch=True,"
    return ENV_PY.format(
        models_import=models_import,
        metadata=metadata,
        extra_configure=extra,
        extra_configure_online=extra_online,
    )


def patch_ini(text: str) -> str:
    """`alembic init`'s alembic.ini, minus the placeholder URL: env.py reads the URL from the
    environment (MIGRATION_LINT_DATABASE_URL)."""
    old = "sqlalchemy.url = driver://user:pass@localhost/dbname\n"
    assert old in text, "alembic.ini from `alembic init` changed shape"
    return text.replace(
        old,
        "# sqlalchemy.url is not set here: env.py reads MIGRATION_LINT_DATABASE_URL\n",
    )


MODELS_HEADER = '''\
from typing import Optional

from sqlmodel import Field, SQLModel
'''

NAMING_CONVENTION = '''
# Named constraints: with a naming convention autogenerate names every constraint, so a later
# migration (or a downgrade) can drop it by name.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
'''


def models(*classes: str, header: str = MODELS_HEADER, naming: bool = False) -> str:
    parts = [header.rstrip("\n") + "\n"]
    if naming:
        parts.append(NAMING_CONVENTION)
    for cls in classes:
        parts.append("\n\n" + textwrap.dedent(cls).strip("\n") + "\n")
    return "".join(parts)


def hero(*extra: str, name_index: bool = False, drop: tuple[str, ...] = ()) -> str:
    fields = {
        "id": "id: Optional[int] = Field(default=None, primary_key=True)",
        "name": "name: str = Field(index=True)" if name_index else "name: str",
        "secret_name": "secret_name: str",
        "age": "age: Optional[int] = None",
    }
    lines = [v for k, v in fields.items() if k not in drop] + list(extra)
    return "class Hero(SQLModel, table=True):\n" + "".join(f"    {line}\n" for line in lines)


TEAM = '''\
class Team(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str
    headquarters: str
'''


# --------------------------------------------------------------------------------------------
# The case DSL
# --------------------------------------------------------------------------------------------

@dataclass
class Models:
    src: str


@dataclass
class Autogen:
    key: str
    message: str
    parent: Optional[str] = None
    upgrade: bool = True
    depends_on: Optional[str] = None  # key of a revision: `--depends-on <id>`


@dataclass
class Revision:
    key: str
    message: str
    parent: Optional[str] = None


@dataclass
class Merge:
    key: str
    message: str


@dataclass
class Upgrade:
    pass


@dataclass
class Mako:
    variant: str


@dataclass
class Edit:
    what: str
    fn: Callable[["Ctx"], None]


Step = Union[Models, Autogen, Revision, Merge, Upgrade, Mako, Edit]


@dataclass
class At:
    """Where a diagnostic is expected; compiled to {file, line?, column?} entries."""

    kind: str  # call | use | var | header | file
    key: Optional[str] = None
    text: Optional[str] = None
    path: Optional[str] = None
    func: str = "upgrade"


def call(key: str, text: str, func: str = "upgrade") -> At:
    """The operation call containing `text` (which starts with `op.`/`batch_op.`) in func()."""
    return At("call", key=key, text=text, func=func)


def use(key: str, text: str = "sqlmodel.") -> At:
    """The first use of `text` outside an import statement."""
    return At("use", key=key, text=text)


def var(key: str, name: str) -> At:
    """The line of a module-level assignment `name = ...`."""
    return At("var", key=key, text=name)


def header(key: str, label: str) -> At:
    """The docstring header line that starts with `label` (`Revision ID:`, `Revises:`)."""
    return At("header", key=key, text=label)


def in_file(path: str) -> At:
    return At("file", path=path)


@dataclass
class Expect:
    rule: str
    at: list[At]


@dataclass
class Case:
    rule: str
    name: str  # bad, bad-<variant>, good, good-<variant>
    summary: str
    steps: list[Step]
    expect: list[Expect] = field(default_factory=list)  # bad cases: what must fire
    mako: str = "sqlmodel"
    render_as_batch: bool = False
    sqlalchemy_base: bool = False
    oracle: str = ""  # what the oracle suite proves with it, for the README

    @property
    def rel(self) -> str:
        return f"fixtures/rules/{self.rule}/{self.name}"

    @property
    def verdict(self) -> str:
        return "bad" if self.name.startswith("bad") else "good"


@dataclass
class Example:
    rel: str
    project: str  # folder holding alembic.ini, relative to rel
    script_location: str
    models_module: str
    summary: str
    steps: list[Step]
    expect: list[Expect]
    mako: str = "stock"
    extra_files: dict[str, str] = field(default_factory=dict)


def rev_id(case_rel: str, key: str) -> str:
    return hashlib.sha1(f"{case_rel}:{key}".encode()).hexdigest()[:12]


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
        expectations.append({"rule": e.rule, "severity": SEVERITY[e.rule], "at": at})
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


# --------------------------------------------------------------------------------------------
# The cases (add new ones here; keep rev keys unique within a case)
# --------------------------------------------------------------------------------------------

def add_import_sqlmodel(key: str) -> Callable[[Ctx], None]:
    return lambda c: c.replace(key, "import sqlalchemy as sa\n", "import sqlalchemy as sa\nimport sqlmodel\n")


def hand_written(key: str, upgrade: str, downgrade: str) -> Callable[[Ctx], None]:
    def edit(c: Ctx) -> None:
        c.set_body(key, "upgrade", upgrade)
        c.set_body(key, "downgrade", downgrade)

    return edit


HERO_POWER_STR = "power: str"

CASES: list[Case] = [
    # ---------------------------------------------------------------- missing-sqlmodel-import
    Case(
        "missing-sqlmodel-import", "bad",
        "Alembic's stock script.py.mako (no `import sqlmodel`) in a SQLModel project: autogenerate "
        "renders `str` fields as `sqlmodel.sql.sqltypes.AutoString()` and imports nothing.",
        [Models(models(hero())), Autogen("add-hero-table", "add hero table")],
        expect=[
            Expect("missing-sqlmodel-import", [use("add-hero-table")]),
            Expect("template-missing-sqlmodel-import", [in_file("alembic/script.py.mako")]),
        ],
        mako="stock",
        oracle="upgrade raises NameError: name 'sqlmodel' is not defined; with `import sqlmodel` "
               "inserted it runs",
    ),
    Case(
        "missing-sqlmodel-import", "bad-unused",
        "The first revision was generated before the team fixed the template (int columns only, so "
        "it runs), the later one after: in a SQLModel project every migration must import sqlmodel "
        "(`sqlmodelImport: auto` = always).",
        [
            Mako("stock"),
            Models(models('''\
                class Counter(SQLModel, table=True):
                    id: Optional[int] = Field(default=None, primary_key=True)
                    value: int
                ''')),
            Autogen("add-counter-table", "add counter table"),
            Mako("sqlmodel"),
            Models(models('''\
                class Counter(SQLModel, table=True):
                    id: Optional[int] = Field(default=None, primary_key=True)
                    value: int
                ''', hero())),
            Autogen("add-hero-table", "add hero table"),
        ],
        expect=[Expect("missing-sqlmodel-import", [in_file(
            "alembic/versions/" + rev_id("fixtures/rules/missing-sqlmodel-import/bad-unused",
                                         "add-counter-table") + "_add_counter_table.py")])],
        mako="sqlmodel",
    ),
    Case(
        "missing-sqlmodel-import", "good",
        "The FastAPI full-stack template's script.py.mako (`import sqlmodel.sql.sqltypes`, which "
        "binds `sqlmodel`).",
        [Models(models(hero())), Autogen("add-hero-table", "add hero table")],
        mako="fastapi",
        oracle="upgrade runs",
    ),
    Case(
        "missing-sqlmodel-import", "good-sqlalchemy",
        "A plain SQLAlchemy project (declarative Base, stock template, no sqlmodel anywhere): no "
        "noise about sqlmodel.",
        [
            Models('''\
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Hero(Base):
    __tablename__ = "hero"

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    age = Column(Integer)
'''),
            Autogen("add-hero-table", "add hero table"),
        ],
        mako="stock",
        sqlalchemy_base=True,
        oracle="upgrade runs",
    ),
    # ---------------------------------------------------------------- template-missing-sqlmodel-import
    Case(
        "template-missing-sqlmodel-import", "bad",
        "Stock script.py.mako in a SQLModel project. The developer hit the NameError and fixed the "
        "migration by hand, not the template: the existing file is fine, the next one will not be.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table", upgrade=False),
            Edit("added `import sqlmodel` by hand to the generated migration after the NameError "
                 "(the template still lacks it)", add_import_sqlmodel("add-hero-table")),
            Upgrade(),
        ],
        expect=[Expect("template-missing-sqlmodel-import", [in_file("alembic/script.py.mako")])],
        mako="stock",
        oracle="the next `alembic revision --autogenerate` (a new model with a str field) writes a "
               "file that raises NameError on upgrade",
    ),
    Case(
        "template-missing-sqlmodel-import", "good",
        "script.py.mako with `import sqlmodel` after `import sqlalchemy as sa`.",
        [Models(models(hero())), Autogen("add-hero-table", "add hero table")],
        mako="sqlmodel",
        oracle="the next autogenerated migration runs",
    ),
    Case(
        "template-missing-sqlmodel-import", "good-fastapi",
        "The FastAPI template's script.py.mako: `import sqlmodel.sql.sqltypes` binds `sqlmodel`.",
        [Models(models(hero())), Autogen("add-hero-table", "add hero table")],
        mako="fastapi",
    ),
    # ---------------------------------------------------------------- empty-migration
    Case(
        "empty-migration", "bad",
        "`alembic revision --autogenerate -m \"add hero age\"` run before the model change was "
        "saved: the upgrade holds only `pass` between the autogenerate markers.",
        [
            Models(models(hero(drop=("age",)))),
            Autogen("add-hero-table", "add hero table"),
            Autogen("add-hero-age", "add hero age"),
        ],
        expect=[Expect("empty-migration", [in_file(
            "alembic/versions/" + rev_id("fixtures/rules/empty-migration/bad", "add-hero-age")
            + "_add_hero_age.py")])],
        oracle="upgrade runs and changes nothing in the schema",
    ),
    Case(
        "empty-migration", "good",
        "The same, with the model change saved: an add_column.",
        [
            Models(models(hero(drop=("age",)))),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero())),
            Autogen("add-hero-age", "add hero age"),
        ],
        oracle="upgrade adds the column",
    ),
    Case(
        "empty-migration", "good-merge",
        "Two branches autogenerated from the same parent, joined by `alembic merge heads`: the merge "
        "revision's upgrade is `pass`, and that is right.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(), TEAM)),
            Autogen("add-team-table", "add team table"),
            Models(models(hero("power: Optional[str] = None"), TEAM)),
            Autogen("add-hero-power", "add hero power", parent="add-hero-table"),
            Merge("merge-power-and-team", "merge hero power and team table branches"),
        ],
    ),
    # ---------------------------------------------------------------- manual-migration
    Case(
        "manual-migration", "bad",
        "Plain `alembic revision -m \"add hero index\"` with a hand-written create_index: no "
        "autogenerate markers, and the models do not declare the index.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Revision("add-hero-index", "add hero index"),
            Edit("wrote upgrade()/downgrade() by hand in the plain `alembic revision` file",
                 hand_written("add-hero-index",
                              'op.create_index("ix_hero_name", "hero", ["name"])\n',
                              'op.drop_index("ix_hero_name", table_name="hero")\n')),
        ],
        expect=[Expect("manual-migration", [
            in_file("alembic/versions/" + rev_id("fixtures/rules/manual-migration/bad",
                                                 "add-hero-index") + "_add_hero_index.py"),
        ])],
        oracle="after upgrade, autogenerate sees drift: it wants to drop ix_hero_name",
    ),
    Case(
        "manual-migration", "good",
        "The index declared on the model (`Field(index=True)`) and autogenerated.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(name_index=True))),
            Autogen("add-hero-index", "add hero index"),
        ],
        oracle="after upgrade, autogenerate sees no drift",
    ),
    # ---------------------------------------------------------------- destructive-operation
    Case(
        "destructive-operation", "bad",
        "`age` removed from the Hero model: autogenerate emits op.drop_column in upgrade().",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(drop=("age",)))),
            Autogen("remove-hero-age", "remove hero age"),
        ],
        expect=[Expect("destructive-operation", [call("remove-hero-age", "op.drop_column(")])],
        oracle="a seeded age is gone after upgrade + downgrade",
    ),
    Case(
        "destructive-operation", "bad-table",
        "The Team model removed: autogenerate emits op.drop_table in upgrade().",
        [
            Models(models(hero(), TEAM)),
            Autogen("add-hero-and-team-tables", "add hero and team tables"),
            Models(models(hero())),
            Autogen("remove-team-table", "remove team table"),
        ],
        expect=[Expect("destructive-operation", [call("remove-team-table", "op.drop_table(")])],
        oracle="seeded teams are gone after upgrade + downgrade",
    ),
    Case(
        "destructive-operation", "bad-batch",
        "env.py with render_as_batch=True: the removed field becomes batch_op.drop_column inside "
        "`with op.batch_alter_table('hero')`.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(drop=("age",)))),
            Autogen("remove-hero-age", "remove hero age"),
        ],
        expect=[Expect("destructive-operation", [call("remove-hero-age", "batch_op.drop_column(")])],
        render_as_batch=True,
        oracle="a seeded age is gone after upgrade + downgrade",
    ),
    Case(
        "destructive-operation", "good",
        "An additive change (a new Optional field): add_column in upgrade(); the drop_column is in "
        "downgrade(), which is exempt.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("power: Optional[str] = None"))),
            Autogen("add-hero-power", "add hero power"),
        ],
        oracle="seeded rows keep their values through the upgrade",
    ),
    # ---------------------------------------------------------------- raw-sql
    Case(
        "raw-sql", "bad",
        "An autogenerated add_column plus a hand-added backfill op.execute(\"UPDATE ...\").",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("rank: Optional[str] = None"))),
            Autogen("add-hero-rank", "add hero rank", upgrade=False),
            Edit("added a backfill `op.execute(\"UPDATE hero SET rank = 'recruit' ...\")` by hand "
                 "at the end of the autogenerated block in upgrade()",
                 lambda c: c.insert_before(
                     "add-hero-rank", "# ### end Alembic commands ###",
                     "    op.execute(\"UPDATE hero SET rank = 'recruit' WHERE rank IS NULL\")")),
            Upgrade(),
        ],
        expect=[Expect("raw-sql", [call("add-hero-rank", "op.execute(")])],
        oracle="the upgrade rewrites seeded rows, which no model change describes",
    ),
    Case(
        "raw-sql", "good",
        "The same add_column, autogenerated and left alone.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("rank: Optional[str] = None"))),
            Autogen("add-hero-rank", "add hero rank"),
        ],
        oracle="seeded rows are untouched by the upgrade",
    ),
    # ---------------------------------------------------------------- not-null-without-default
    Case(
        "not-null-without-default", "bad",
        "A non-Optional `power: str` added to an existing model: add_column nullable=False without "
        "server_default.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(HERO_POWER_STR))),
            Autogen("add-hero-power", "add hero power"),
        ],
        expect=[Expect("not-null-without-default", [call("add-hero-power", "op.add_column(")])],
        oracle="upgrade fails with NotNullViolation on a table with rows (and passes on an empty one)",
    ),
    Case(
        "not-null-without-default", "good",
        "The same field with `sa_column_kwargs={\"server_default\": \"none\"}`: add_column "
        "nullable=False with server_default.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero('power: str = Field(default="none", sa_column_kwargs={"server_default": "none"})'))),
            Autogen("add-hero-power", "add hero power"),
        ],
        oracle="upgrade passes on a table with rows, which get the default",
    ),
    Case(
        "not-null-without-default", "good-optional",
        "The same field as `Optional[str] = None`: add_column nullable=True.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("power: Optional[str] = None"))),
            Autogen("add-hero-power", "add hero power"),
        ],
        oracle="upgrade passes on a table with rows",
    ),
    # ---------------------------------------------------------------- unnamed-constraint
    Case(
        "unnamed-constraint", "bad",
        "A foreign key added to an existing table without a naming convention: "
        "op.create_foreign_key(None, ...) in upgrade(), op.drop_constraint(None, ...) in downgrade().",
        [
            Models(models(TEAM, hero())),
            Autogen("add-hero-and-team-tables", "add hero and team tables"),
            Models(models(TEAM, hero('team_id: Optional[int] = Field(default=None, foreign_key="team.id")'))),
            Autogen("add-hero-team-id", "add hero team id"),
        ],
        expect=[Expect("unnamed-constraint", [
            call("add-hero-team-id", "op.create_foreign_key("),
            call("add-hero-team-id", "op.drop_constraint(", func="downgrade"),
        ])],
        oracle="the downgrade fails: SQLAlchemy cannot emit DROP CONSTRAINT without a name",
    ),
    Case(
        "unnamed-constraint", "good",
        "The same with a naming convention on SQLModel.metadata: op.create_foreign_key("
        "op.f('fk_hero_team_id_team'), ...).",
        [
            Models(models(TEAM, hero(), naming=True)),
            Autogen("add-hero-and-team-tables", "add hero and team tables"),
            Models(models(TEAM, hero('team_id: Optional[int] = Field(default=None, foreign_key="team.id")'), naming=True)),
            Autogen("add-hero-team-id", "add hero team id"),
        ],
        oracle="the downgrade drops fk_hero_team_id_team by name",
    ),
    # ---------------------------------------------------------------- vague-message
    Case(
        "vague-message", "bad",
        "`alembic revision --autogenerate -m \"update\"`: the message says nothing.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("power: Optional[str] = None"))),
            Autogen("update", "update"),
        ],
        expect=[Expect("vague-message", [in_file(
            "alembic/versions/" + rev_id("fixtures/rules/vague-message/bad", "update") + "_update.py")])],
    ),
    Case(
        "vague-message", "good",
        "The same change with `-m \"add hero power\"`.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("power: Optional[str] = None"))),
            Autogen("add-hero-power", "add hero power"),
        ],
    ),
    # ---------------------------------------------------------------- multiple-heads
    Case(
        "multiple-heads", "bad",
        "Two revisions autogenerated from the same parent (the second with `--head <parent> "
        "--splice`, as two developers on two branches would): two heads.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(), TEAM)),
            Autogen("add-team-table", "add team table"),
            Models(models(hero("power: Optional[str] = None"), TEAM)),
            Autogen("add-hero-power", "add hero power", parent="add-hero-table"),
        ],
        expect=[Expect("multiple-heads", [
            var("add-team-table", "revision"), var("add-team-table", "down_revision"),
            var("add-hero-power", "revision"), var("add-hero-power", "down_revision"),
        ])],
        oracle="`alembic upgrade head` fails: Multiple head revisions are present",
    ),
    Case(
        "multiple-heads", "good",
        "The same two branches joined by `alembic merge heads`.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(), TEAM)),
            Autogen("add-team-table", "add team table"),
            Models(models(hero("power: Optional[str] = None"), TEAM)),
            Autogen("add-hero-power", "add hero power", parent="add-hero-table"),
            Merge("merge-power-and-team", "merge hero power and team table branches"),
        ],
        oracle="`alembic upgrade head` passes",
    ),
    # ---------------------------------------------------------------- unknown-down-revision
    Case(
        "unknown-down-revision", "bad",
        "A three-revision chain whose middle file was deleted (a bad rebase): the last revision's "
        "down_revision names a revision no file defines.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(), TEAM)),
            Autogen("add-team-table", "add team table"),
            Models(models(hero("power: Optional[str] = None"), TEAM)),
            Autogen("add-hero-power", "add hero power"),
            Edit("deleted the middle revision's file (add team table)",
                 lambda c: c.delete("add-team-table")),
        ],
        expect=[Expect("unknown-down-revision", [var("add-hero-power", "down_revision")])],
        oracle="alembic refuses to load the revision graph",
    ),
    Case(
        "unknown-down-revision", "good",
        "The intact three-revision chain.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(), TEAM)),
            Autogen("add-team-table", "add team table"),
            Models(models(hero("power: Optional[str] = None"), TEAM)),
            Autogen("add-hero-power", "add hero power"),
        ],
        oracle="`alembic upgrade head` passes",
    ),
    # ---------------------------------------------------------------- duplicate-revision
    Case(
        "duplicate-revision", "bad",
        "A revision file duplicated under another name (`<rev>_add_team_table copy.py`, as a "
        "file manager names a copy): two files define the same revision.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(), TEAM)),
            Autogen("add-team-table", "add team table"),
            Edit("copied the second revision's file to `<rev>_add_team_table copy.py`",
                 lambda c: c.copy("add-team-table", "add-team-table-copy",
                                  c.path("add-team-table").stem + " copy.py")),
        ],
        expect=[Expect("duplicate-revision", [
            var("add-team-table", "revision"), var("add-team-table-copy", "revision"),
        ])],
        oracle="alembic warns that the revision is present more than once and keeps one file",
    ),
    Case(
        "duplicate-revision", "good",
        "The intact two-revision chain.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(), TEAM)),
            Autogen("add-team-table", "add team table"),
        ],
        oracle="alembic loads it without a warning",
    ),
    # ---------------------------------------------------------------- revision-mismatch
    Case(
        "revision-mismatch", "bad",
        "`revision =` of the head revision edited by hand: it disagrees with the `Revision ID:` "
        "header and with the id in the file name.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("power: Optional[str] = None"))),
            Autogen("add-hero-power", "add hero power", upgrade=False),
            Edit("changed `revision = '<id>'` of the head revision to another id (header and file "
                 "name left alone)",
                 lambda c: c.replace("add-hero-power", f"revision = '{c.rev('add-hero-power')}'",
                                     f"revision = '{c.rev('edited-revision-id')}'")),
        ],
        expect=[Expect("revision-mismatch", [
            var("add-hero-power", "revision"), header("add-hero-power", "Revision ID:")])],
        oracle="alembic knows only the edited id: the id in the header and file name cannot be "
               "upgraded to",
    ),
    Case(
        "revision-mismatch", "bad-rebased",
        "A revision made on a branch and 'rebased' by editing `down_revision` to the new head, "
        "with the `Revises:` header left stale.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(), TEAM)),
            Autogen("add-team-table", "add team table"),
            Models(models(hero("power: Optional[str] = None"), TEAM)),
            Autogen("add-hero-power", "add hero power", parent="add-hero-table", upgrade=False),
            Edit("rebased the branch revision by editing `down_revision` to the other head "
                 "(add team table); the `Revises:` header still names add hero table",
                 lambda c: c.replace("add-hero-power",
                                     f"down_revision = '{c.rev('add-hero-table')}'",
                                     f"down_revision = '{c.rev('add-team-table')}'")),
        ],
        expect=[Expect("revision-mismatch", [
            var("add-hero-power", "down_revision"), header("add-hero-power", "Revises:")])],
        oracle="alembic follows the variable: one head, linear history, the header lies",
    ),
    Case(
        "revision-mismatch", "good",
        "Header, variable and file name agree.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("power: Optional[str] = None"))),
            Autogen("add-hero-power", "add hero power"),
        ],
        oracle="the id in the header and file name is the one alembic upgrades to",
    ),
    # ---------------------------------------------------------------- parse-error
    Case(
        "parse-error", "bad",
        "The second revision truncated in the middle of its op.add_column(...) call; the first "
        "revision, intact, sits beside it and must still be linted.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("power: Optional[str] = None"))),
            Autogen("add-hero-power", "add hero power"),
            Edit("truncated the second revision right after `sa.Column('power',` (mid-call)",
                 lambda c: c.truncate("add-hero-power", "sa.Column('power',")),
        ],
        expect=[Expect("parse-error", [in_file(
            "alembic/versions/" + rev_id("fixtures/rules/parse-error/bad", "add-hero-power")
            + "_add_hero_power.py")])],
        oracle="alembic refuses to load the scripts: SyntaxError",
    ),
    Case(
        "parse-error", "good",
        "Both revisions intact.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("power: Optional[str] = None"))),
            Autogen("add-hero-power", "add hero power"),
        ],
        oracle="`alembic upgrade head` passes",
    ),
]


# --------------------------------------------------------------------------------------------
# PostgreSQL lock safety (issue 9): a bad case per rule, autogenerated on a table that an earlier
# revision created (so the table is existing), and the safe recipe as the good twin. Autogenerate
# never writes `postgresql_concurrently=True`, `NOT VALID` or an autocommit block: those recipes
# are scripted edits of the autogenerated call, each named in its Edit. The oracle suite
# (test/oracle/locks.test.ts) runs both on PostgreSQL and reads pg_locks.
# --------------------------------------------------------------------------------------------

def _call_lines(lines: list[str], i: int) -> int:
    """Index one past the last line of the call that starts on line i (autogenerate wraps
    alter_column over several lines)."""
    depth = 0
    j = i
    while True:
        depth += lines[j].count("(") - lines[j].count(")")
        j += 1
        if depth <= 0 or j >= len(lines):
            return j


def rewrite_call(key: str, prefix: str, make: Callable[[str], str]) -> Callable[[Ctx], None]:
    """Replace the one call in upgrade() whose first line starts with `prefix` by make(call): `call`
    is the call's text with its lines joined and re-spaced, and make returns the replacement lines,
    indented as the body is."""

    def edit(c: Ctx) -> None:
        p = c.path(key)
        lines = p.read_text().splitlines(keepends=True)
        start = next(i for i, line in enumerate(lines) if line.startswith("def upgrade("))
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("def ")), len(lines))
        hits = [i for i in range(start, end) if lines[i].strip().startswith(prefix)]
        assert len(hits) == 1, f"[{c.rel}] {prefix!r} starts {len(hits)} lines of upgrade() in {p}"
        i = hits[0]
        j = _call_lines(lines, i)
        indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
        call = re.sub(r"\(\s+", "(", re.sub(r"\s*\n\s*", " ", "".join(lines[i:j]).strip()))
        new = textwrap.indent(make(call).rstrip("\n") + "\n", indent)
        lines[i:j] = [new]
        p.write_text("".join(lines))

    return edit


def with_kwarg(call: str, kwarg: str) -> str:
    assert call.endswith(")"), call
    return call[:-1] + f", {kwarg})"


AUTOCOMMIT = "with op.get_context().autocommit_block():\n"
APPROVED = "  # migration-lint: ignore raw-sql -- {why}"


def approved_sql(sql: str, why: str) -> str:
    """An op.execute line with its raw-sql approval (the house rule for hand-written SQL)."""
    return f"op.execute({sql!r})" + APPROVED.format(why=why)


def concurrently(call: str) -> str:
    return AUTOCOMMIT + "    " + with_kwarg(call, "postgresql_concurrently=True") + "\n"


def set_env_lock_timeout(c: Ctx) -> None:
    """env.py: every connection starts with lock_timeout=5s (libpq `options`)."""
    p = c.script_dir / "env.py"
    text = p.read_text()
    old = "        poolclass=pool.NullPool,\n"
    assert text.count(old) == 1
    p.write_text(text.replace(old, old + '        connect_args={"options": "-c lock_timeout=5s"},\n', 1))


HERO_NAME_100 = "name: str = Field(max_length=100)"
HERO_TEAM_ID = "team_id: Optional[int] = None"
HERO_TEAM_FK = 'team_id: Optional[int] = Field(default=None, foreign_key="team.id")'

PG_HEADER = '''\
import uuid
from datetime import datetime
from typing import Optional

from sqlalchemy import BigInteger, Column, DateTime, text
from sqlalchemy.dialects.postgresql import UUID
from sqlmodel import Field, SQLModel
'''


CASES += [
    # ---------------------------------------------------------------- index-not-concurrent
    Case(
        "index-not-concurrent", "bad",
        "`Field(index=True)` added to an existing model: autogenerate emits a plain "
        "op.create_index on the existing table.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(name_index=True))),
            Autogen("add-hero-name-index", "add hero name index"),
        ],
        expect=[Expect("index-not-concurrent", [call("add-hero-name-index", "op.create_index(")])],
        oracle="CREATE INDEX holds SHARE on hero while it builds (writes wait); the good twin's "
               "CREATE INDEX CONCURRENTLY holds SHARE UPDATE EXCLUSIVE (writes go on)",
    ),
    Case(
        "index-not-concurrent", "bad-sql",
        "The same index written as raw SQL in op.execute(\"CREATE INDEX ...\"), approved as raw "
        "SQL but still built without CONCURRENTLY.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(name_index=True))),
            Autogen("add-hero-name-index", "add hero name index", upgrade=False),
            Edit("replaced the autogenerated op.create_index by "
                 "op.execute(\"CREATE INDEX ix_hero_name ON hero (name)\") with a raw-sql approval",
                 rewrite_call("add-hero-name-index", "op.create_index(", lambda _call: approved_sql(
                     "CREATE INDEX ix_hero_name ON hero (name)", "same index as Field(index=True)"))),
            Upgrade(),
        ],
        expect=[Expect("index-not-concurrent", [call("add-hero-name-index", "op.execute(")])],
        oracle="the SQL takes SHARE on hero, as the typed call does",
    ),
    Case(
        "index-not-concurrent", "good",
        "The safe recipe: the autogenerated op.create_index with postgresql_concurrently=True, "
        "inside `with op.get_context().autocommit_block():`.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(name_index=True))),
            Autogen("add-hero-name-index", "add hero name index", upgrade=False),
            Edit("added postgresql_concurrently=True to the autogenerated op.create_index and put "
                 "it inside `with op.get_context().autocommit_block():`",
                 rewrite_call("add-hero-name-index", "op.create_index(", concurrently)),
            Upgrade(),
        ],
        oracle="upgrade passes; the build holds SHARE UPDATE EXCLUSIVE on hero (writes go on)",
    ),
    Case(
        "index-not-concurrent", "good-new-table",
        "A new table and its index autogenerated in one revision: the table is empty when the "
        "index is built, so a plain CREATE INDEX is right.",
        [
            Models(models(hero(name_index=True))),
            Autogen("add-hero-table", "add hero table"),
        ],
        oracle="upgrade passes",
    ),
    # ---------------------------------------------------------------- concurrent-index-in-transaction
    Case(
        "concurrent-index-in-transaction", "bad",
        "postgresql_concurrently=True added to the autogenerated op.create_index, but not inside "
        "an autocommit block: Alembic runs it inside the migration's transaction.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(name_index=True))),
            Autogen("add-hero-name-index", "add hero name index", upgrade=False),
            Edit("added postgresql_concurrently=True to the autogenerated op.create_index (no "
                 "autocommit block)",
                 rewrite_call("add-hero-name-index", "op.create_index(",
                              lambda call: with_kwarg(call, "postgresql_concurrently=True"))),
        ],
        expect=[Expect("concurrent-index-in-transaction",
                       [call("add-hero-name-index", "op.create_index(")])],
        oracle="`alembic upgrade head` fails: CREATE INDEX CONCURRENTLY cannot run inside a "
               "transaction block",
    ),
    Case(
        "concurrent-index-in-transaction", "good",
        "The same call inside `with op.get_context().autocommit_block():`.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(name_index=True))),
            Autogen("add-hero-name-index", "add hero name index", upgrade=False),
            Edit("added postgresql_concurrently=True to the autogenerated op.create_index and put "
                 "it inside `with op.get_context().autocommit_block():`",
                 rewrite_call("add-hero-name-index", "op.create_index(", concurrently)),
            Upgrade(),
        ],
        oracle="`alembic upgrade head` passes",
    ),
    # ---------------------------------------------------------------- constraint-validated-under-lock
    Case(
        "constraint-validated-under-lock", "bad",
        "A foreign key declared on an existing column (`team_id` gets `foreign_key=\"team.id\"`): "
        "autogenerate emits op.create_foreign_key, validated at once.",
        [
            Models(models(TEAM, hero(HERO_TEAM_ID), naming=True)),
            Autogen("add-hero-and-team-tables", "add hero and team tables"),
            Models(models(TEAM, hero(HERO_TEAM_FK), naming=True)),
            Autogen("add-hero-team-fk", "add hero team foreign key"),
        ],
        expect=[Expect("constraint-validated-under-lock",
                       [call("add-hero-team-fk", "op.create_foreign_key(")])],
        oracle="ADD FOREIGN KEY validates every row while holding SHARE ROW EXCLUSIVE on hero and "
               "team (writes wait); the good twin validates under SHARE UPDATE EXCLUSIVE",
    ),
    Case(
        "constraint-validated-under-lock", "bad-check",
        "A check constraint added by hand to an autogenerated revision "
        "(autogenerate does not compare check constraints).",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("power: Optional[str] = None"))),
            Autogen("add-hero-power", "add hero power", upgrade=False),
            Edit("added op.create_check_constraint('ck_hero_age_positive', 'hero', 'age > 0') "
                 "after the autogenerated op.add_column",
                 rewrite_call("add-hero-power", "op.add_column(", lambda call: call + "\n"
                              "op.create_check_constraint('ck_hero_age_positive', 'hero', 'age > 0')")),
            Upgrade(),
        ],
        expect=[Expect("constraint-validated-under-lock",
                       [call("add-hero-power", "op.create_check_constraint(")])],
        oracle="ADD CONSTRAINT CHECK scans hero under ACCESS EXCLUSIVE",
    ),
    Case(
        "constraint-validated-under-lock", "good",
        "The safe recipe: the foreign key added with postgresql_not_valid=True, then validated "
        "in an autocommit block (its own transaction).",
        [
            Models(models(TEAM, hero(HERO_TEAM_ID), naming=True)),
            Autogen("add-hero-and-team-tables", "add hero and team tables"),
            Models(models(TEAM, hero(HERO_TEAM_FK), naming=True)),
            Autogen("add-hero-team-fk", "add hero team foreign key", upgrade=False),
            Edit("added postgresql_not_valid=True to the autogenerated op.create_foreign_key and "
                 "a VALIDATE CONSTRAINT in `with op.get_context().autocommit_block():` after it",
                 rewrite_call("add-hero-team-fk", "op.create_foreign_key(", lambda call:
                              with_kwarg(call, "postgresql_not_valid=True") + "\n" + AUTOCOMMIT
                              + "    " + approved_sql(
                                  "ALTER TABLE hero VALIDATE CONSTRAINT fk_hero_team_id_team",
                                  "validates the NOT VALID foreign key without blocking writes"))),
            Upgrade(),
        ],
        oracle="the rows are checked by VALIDATE CONSTRAINT under SHARE UPDATE EXCLUSIVE; the NOT "
               "VALID add checks no row (it succeeds even with a dangling team_id)",
    ),
    # ---------------------------------------------------------------- set-not-null
    Case(
        "set-not-null", "bad",
        "`age: Optional[int]` made required (`age: int`): autogenerate emits "
        "op.alter_column(nullable=False) on the existing table.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("age: int", drop=("age",)))),
            Autogen("make-hero-age-required", "make hero age required"),
        ],
        expect=[Expect("set-not-null", [call("make-hero-age-required", "op.alter_column(")])],
        oracle="SET NOT NULL scans hero (PostgreSQL: verifying table) under ACCESS EXCLUSIVE",
    ),
    Case(
        "set-not-null", "good",
        "The safe recipe: a NOT VALID check (age IS NOT NULL), validated in an autocommit block, "
        "then the autogenerated alter_column, then the check dropped.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("age: int", drop=("age",)))),
            Autogen("make-hero-age-required", "make hero age required", upgrade=False),
            Edit("put a NOT VALID check constraint `age IS NOT NULL` and its VALIDATE (in an "
                 "autocommit block) before the autogenerated op.alter_column, and dropped the check "
                 "after it",
                 rewrite_call("make-hero-age-required", "op.alter_column(", lambda call:
                              "op.create_check_constraint('ck_hero_age_not_null', 'hero', "
                              "'age IS NOT NULL', postgresql_not_valid=True)\n" + AUTOCOMMIT + "    "
                              + approved_sql("ALTER TABLE hero VALIDATE CONSTRAINT ck_hero_age_not_null",
                                             "checks the rows without blocking writes")
                              + "\n" + call + "\n"
                              "op.drop_constraint('ck_hero_age_not_null', 'hero', type_='check')")),
            Upgrade(),
        ],
        oracle="the scan runs in VALIDATE under SHARE UPDATE EXCLUSIVE; SET NOT NULL then scans "
               "nothing (PostgreSQL: existing constraints are sufficient)",
    ),
    # ---------------------------------------------------------------- column-type-change
    Case(
        "column-type-change", "bad",
        "`age` moved from int to BigInteger (`sa_column=Column(BigInteger())`): autogenerate "
        "emits op.alter_column(type_=sa.BigInteger()), which rewrites the table.",
        [
            Models(models(hero(), header=PG_HEADER)),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("age: Optional[int] = Field(default=None, sa_column=Column(BigInteger()))",
                               drop=("age",)), header=PG_HEADER)),
            Autogen("make-hero-age-bigint", "make hero age bigint"),
        ],
        expect=[Expect("column-type-change", [call("make-hero-age-bigint", "op.alter_column(")])],
        oracle="ALTER COLUMN TYPE bigint rewrites hero (PostgreSQL: rewriting table) under "
               "ACCESS EXCLUSIVE",
    ),
    Case(
        "column-type-change", "good",
        "`name` widened from max_length=100 to 200: varchar(100) → varchar(200) keeps the table.",
        [
            Models(models(hero(HERO_NAME_100, drop=("name",)))),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("name: str = Field(max_length=200)", drop=("name",)))),
            Autogen("widen-hero-name", "widen hero name"),
        ],
        oracle="ACCESS EXCLUSIVE for an instant: no rewrite, no scan",
    ),
    # ---------------------------------------------------------------- volatile-default
    Case(
        "volatile-default", "bad",
        "A uuid column with `server_default=text(\"gen_random_uuid()\")` added to an existing model.",
        [
            Models(models(hero(), header=PG_HEADER)),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero('uid: Optional[uuid.UUID] = Field(default=None, sa_column=Column('
                               'UUID(as_uuid=True), server_default=text("gen_random_uuid()")))'),
                          header=PG_HEADER)),
            Autogen("add-hero-uid", "add hero uid"),
        ],
        expect=[Expect("volatile-default", [call("add-hero-uid", "op.add_column(")])],
        oracle="ADD COLUMN … DEFAULT gen_random_uuid() rewrites hero (PostgreSQL: rewriting "
               "table) under ACCESS EXCLUSIVE",
    ),
    Case(
        "volatile-default", "good",
        "The safe recipe: the column added without a default, then the default set with "
        "op.alter_column(server_default=…) (new rows only).",
        [
            Models(models(hero(), header=PG_HEADER)),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("uid: Optional[uuid.UUID] = Field(default=None, sa_column=Column("
                               "UUID(as_uuid=True)))"), header=PG_HEADER)),
            Autogen("add-hero-uid", "add hero uid", upgrade=False),
            Edit("added op.alter_column('hero', 'uid', server_default=sa.text('gen_random_uuid()')) "
                 "after the autogenerated op.add_column (models.py then declares the default)",
                 rewrite_call("add-hero-uid", "op.add_column(", lambda call: call + "\n"
                              "op.alter_column('hero', 'uid', server_default=sa.text('gen_random_uuid()'))")),
            Upgrade(),
            Models(models(hero('uid: Optional[uuid.UUID] = Field(default=None, sa_column=Column('
                               'UUID(as_uuid=True), server_default=text("gen_random_uuid()")))'),
                          header=PG_HEADER)),
        ],
        oracle="ACCESS EXCLUSIVE for an instant: no rewrite",
    ),
    Case(
        "volatile-default", "good-stable",
        "A timestamp column with `server_default=text(\"now()\")`: now() is stable, the value is "
        "computed once and stored in the catalogue.",
        [
            Models(models(hero(), header=PG_HEADER)),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero('created_at: Optional[datetime] = Field(default=None, sa_column='
                               'Column(DateTime(timezone=True), server_default=text("now()")))'),
                          header=PG_HEADER)),
            Autogen("add-hero-created-at", "add hero created at"),
        ],
        oracle="ACCESS EXCLUSIVE for an instant: no rewrite",
    ),
    # ---------------------------------------------------------------- unique-on-existing-table
    Case(
        "unique-on-existing-table", "bad",
        "`Field(unique=True)` on an existing column (naming convention on): autogenerate emits "
        "op.create_unique_constraint on the existing table.",
        [
            Models(models(hero(), naming=True)),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("name: str = Field(unique=True)", drop=("name",)), naming=True)),
            Autogen("make-hero-name-unique", "make hero name unique"),
        ],
        expect=[Expect("unique-on-existing-table",
                       [call("make-hero-name-unique", "op.create_unique_constraint(")])],
        oracle="ADD CONSTRAINT UNIQUE builds its index under ACCESS EXCLUSIVE on hero (reads and "
               "writes wait)",
    ),
    Case(
        "unique-on-existing-table", "good",
        "The safe recipe: a unique index built CONCURRENTLY in an autocommit block, then "
        "`ADD CONSTRAINT … UNIQUE USING INDEX`.",
        [
            Models(models(hero(), naming=True)),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("name: str = Field(unique=True)", drop=("name",)), naming=True)),
            Autogen("make-hero-name-unique", "make hero name unique", upgrade=False),
            Edit("replaced the autogenerated op.create_unique_constraint by a unique index built "
                 "with postgresql_concurrently=True in an autocommit block and "
                 "`ALTER TABLE hero ADD CONSTRAINT uq_hero_name UNIQUE USING INDEX uq_hero_name`",
                 rewrite_call("make-hero-name-unique", "op.create_unique_constraint(", lambda _call:
                              AUTOCOMMIT + "    op.create_index('uq_hero_name', 'hero', ['name'], "
                              "unique=True, postgresql_concurrently=True)\n" + approved_sql(
                                  "ALTER TABLE hero ADD CONSTRAINT uq_hero_name UNIQUE USING INDEX "
                                  "uq_hero_name", "adopts the concurrently built index"))),
            Upgrade(),
        ],
        oracle="the index is built under SHARE UPDATE EXCLUSIVE (reads and writes go on); "
               "USING INDEX takes ACCESS EXCLUSIVE for an instant and builds nothing",
    ),
    # ---------------------------------------------------------------- missing-lock-timeout
    Case(
        "missing-lock-timeout", "bad",
        "An autogenerated op.add_column on an existing table (ACCESS EXCLUSIVE), with no "
        "lock_timeout in the migration or in env.py.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("power: Optional[str] = None"))),
            Autogen("add-hero-power", "add hero power"),
        ],
        expect=[Expect("missing-lock-timeout", [call("add-hero-power", "op.add_column(")])],
        oracle="behind an open transaction that read hero, the upgrade waits indefinitely and a "
               "plain SELECT on hero queues behind it",
    ),
    Case(
        "missing-lock-timeout", "good",
        "The same migration starting with op.execute(\"SET lock_timeout = '5s'\").",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("power: Optional[str] = None"))),
            Autogen("add-hero-power", "add hero power", upgrade=False),
            Edit("added op.execute(\"SET lock_timeout = '5s'\") (approved as raw SQL) before the "
                 "autogenerated block of upgrade()",
                 lambda c: c.insert_before(
                     "add-hero-power", "# ### commands auto generated by Alembic - please adjust! ###",
                     "    " + approved_sql("SET lock_timeout = '5s'",
                                           "fail fast instead of queueing traffic behind the migration"))),
            Upgrade(),
        ],
        oracle="behind the same open transaction, the upgrade gives up after 5s (lock timeout) "
               "and traffic never queues for longer",
    ),
    Case(
        "missing-lock-timeout", "good-env",
        "env.py sets lock_timeout for every migration "
        "(`connect_args={\"options\": \"-c lock_timeout=5s\"}`).",
        [
            Edit("env.py: engine_from_config(..., connect_args={\"options\": \"-c lock_timeout=5s\"})",
                 set_env_lock_timeout),
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("power: Optional[str] = None"))),
            Autogen("add-hero-power", "add hero power"),
        ],
        oracle="behind the same open transaction, the upgrade gives up after 5s (lock timeout)",
    ),
]


# --------------------------------------------------------------------------------------------
# Undefined names and revision-graph shapes (issue 10). undefined-name's bad cases lose an import
# that autogenerate wrote (a scripted edit: deleting the line); the oracle suite
# (test/oracle/undefined-name.test.ts) runs upgrade() and sees the NameError, then runs the
# autofixed file and sees none. The graph cases rewire down_revision by hand, or (for the
# labelled second base) run the real `alembic revision --head base --branch-label`, which the
# Autogen step cannot express.
# --------------------------------------------------------------------------------------------

JSONB_HEADER = '''\
from typing import Optional

from sqlalchemy import Column
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel
'''

HERO_ATTRIBUTES = "attributes: Optional[dict] = Field(default=None, sa_column=Column(JSONB))"

AUDIT_LOG = '''\
class AuditLog(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    action: str
'''


def rewire(key: str, old_parent: Optional[str], new_parent: Optional[str]) -> Callable[[Ctx], None]:
    """Point `down_revision` (and the `Revises:` header with it) of revision `key` elsewhere."""

    def edit(c: Ctx) -> None:
        old = repr(c.rev(old_parent)) if old_parent else "None"
        new = repr(c.rev(new_parent)) if new_parent else "None"
        c.replace(key, f"down_revision = {old}\n", f"down_revision = {new}\n")
        c.replace(key, f"Revises: {c.rev(old_parent) if old_parent else ''}\n",
                  f"Revises: {c.rev(new_parent) if new_parent else ''}\n")

    return edit


def labelled_base(key: str, message: str, label: str) -> Callable[[Ctx], None]:
    """The real `alembic revision --autogenerate --head base --branch-label <label>`."""

    def edit(c: Ctx) -> None:
        args = ["revision", "--autogenerate", "-m", message, "--rev-id", c.rev(key),
                "--head", "base", "--branch-label", label]
        c.new_revision(key, message, args, None)
        c.alembic("upgrade", "heads", shim=True)

    return edit


CASES += [
    # ---------------------------------------------------------------- undefined-name
    Case(
        "undefined-name", "bad",
        "An autogenerated add_column whose `import sqlalchemy as sa` line was lost (a merge "
        "conflict in the import block resolved badly): every `sa.` is a NameError.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("power: Optional[str] = None"))),
            Autogen("add-hero-power", "add hero power", upgrade=False),
            Edit("deleted the line `import sqlalchemy as sa` of the second revision",
                 lambda c: c.replace("add-hero-power", "import sqlalchemy as sa\n", "")),
        ],
        expect=[Expect("undefined-name", [use("add-hero-power", "sa.")])],
        oracle="upgrade() raises NameError: name 'sa' is not defined; the autofixed file "
               "(`import sqlalchemy as sa` inserted) runs",
    ),
    Case(
        "undefined-name", "bad-postgresql",
        "A JSONB field added to an existing model: autogenerate renders "
        "`postgresql.JSONB(astext_type=sa.Text())` and imports `from sqlalchemy.dialects import "
        "postgresql`; that import line was lost.",
        [
            Models(models(hero(), header=JSONB_HEADER)),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(HERO_ATTRIBUTES), header=JSONB_HEADER)),
            Autogen("add-hero-attributes", "add hero attributes", upgrade=False),
            Edit("deleted the line `from sqlalchemy.dialects import postgresql` of the second "
                 "revision",
                 lambda c: c.replace("add-hero-attributes",
                                     "from sqlalchemy.dialects import postgresql\n", "")),
        ],
        expect=[Expect("undefined-name", [use("add-hero-attributes", "postgresql.")])],
        oracle="upgrade() raises NameError: name 'postgresql' is not defined; the autofixed file "
               "(`from sqlalchemy.dialects import postgresql` inserted) runs",
    ),
    Case(
        "undefined-name", "good",
        "The same JSONB field, autogenerated and left alone: `postgresql` is imported.",
        [
            Models(models(hero(), header=JSONB_HEADER)),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(HERO_ATTRIBUTES), header=JSONB_HEADER)),
            Autogen("add-hero-attributes", "add hero attributes"),
        ],
        oracle="upgrade() runs",
    ),
    # ---------------------------------------------------------------- revision-cycle
    Case(
        "revision-cycle", "bad",
        "A three-revision chain whose middle revision was 'rebased' onto the newest one: its "
        "down_revision now names its own child, so the two point at each other.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(), TEAM)),
            Autogen("add-team-table", "add team table"),
            Models(models(hero("power: Optional[str] = None"), TEAM)),
            Autogen("add-hero-power", "add hero power"),
            Edit("set down_revision (and the `Revises:` header) of add team table to add hero "
                 "power, its own child",
                 rewire("add-team-table", "add-hero-table", "add-hero-power")),
        ],
        expect=[Expect("revision-cycle", [var("add-team-table", "down_revision"),
                                          var("add-hero-power", "down_revision")])],
    ),
    Case(
        "revision-cycle", "good",
        "The intact three-revision chain.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(), TEAM)),
            Autogen("add-team-table", "add team table"),
            Models(models(hero("power: Optional[str] = None"), TEAM)),
            Autogen("add-hero-power", "add hero power"),
        ],
    ),
    # ---------------------------------------------------------------- multiple-bases
    Case(
        "multiple-bases", "bad",
        "The second revision lost its down_revision (set to None in a bad merge), and `alembic "
        "merge heads` then joined the two lines: one head, two unlabelled bases.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(), TEAM)),
            Autogen("add-team-table", "add team table"),
            Edit("set down_revision (and the `Revises:` header) of add team table to None",
                 rewire("add-team-table", "add-hero-table", None)),
            Merge("merge-heads", "merge hero and team lines"),
        ],
        expect=[Expect("multiple-bases", [var("add-hero-table", "down_revision"),
                                          var("add-team-table", "down_revision")])],
    ),
    Case(
        "multiple-bases", "good",
        "One base: the intact two-revision chain.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(), TEAM)),
            Autogen("add-team-table", "add team table"),
        ],
    ),
    Case(
        "multiple-bases", "good-branch-label",
        "A deliberately independent second base, made as Alembic documents it (`alembic revision "
        "--autogenerate --head base --branch-label audit`), later joined by `alembic merge heads`.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(), AUDIT_LOG)),
            Edit("ran `alembic revision --autogenerate --head base --branch-label audit -m "
                 "\"add audit log table\"` (real Alembic; the Autogen step has no --head base)",
                 labelled_base("add-audit-log-table", "add audit log table", "audit")),
            Merge("merge-audit", "merge audit branch"),
        ],
    ),
]


# --------------------------------------------------------------------------------------------
# The bundled example: FastAPI full-stack template layout, one chain where every rule fires
# --------------------------------------------------------------------------------------------

EX_REL = "examples/fastapi-sqlmodel"

EX_HEADER = '''\
from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel
'''


def ex_models(user_extra: tuple[str, ...] = (), item_extra: tuple[str, ...] = (),
              user_drop: tuple[str, ...] = (), category: bool = False) -> str:
    user = {
        "id": "id: Optional[int] = Field(default=None, primary_key=True)",
        "email": "email: str = Field(unique=True, index=True, max_length=255)",
        "is_active": "is_active: bool = True",
        "is_superuser": "is_superuser: bool = False",
        "full_name": "full_name: Optional[str] = Field(default=None, max_length=255)",
        "hashed_password": "hashed_password: str",
    }
    ulines = [v for k, v in user.items() if k not in user_drop] + list(user_extra)
    ilines = [
        "id: Optional[int] = Field(default=None, primary_key=True)",
        "title: str = Field(max_length=255)",
        "description: Optional[str] = Field(default=None, max_length=255)",
        'owner_id: int = Field(foreign_key="user.id")',
        *item_extra,
    ]
    classes = [
        "class User(SQLModel, table=True):\n" + "".join(f"    {x}\n" for x in ulines),
    ]
    if category:
        classes.append(
            "class Category(SQLModel, table=True):\n"
            "    id: Optional[int] = Field(default=None, primary_key=True)\n"
            "    name: str = Field(max_length=100)\n"
        )
    classes.append("class Item(SQLModel, table=True):\n" + "".join(f"    {x}\n" for x in ilines))
    return models(*classes, header=EX_HEADER)


def ex_path(key: str, slug: str) -> str:
    return f"backend/app/alembic/versions/{rev_id(EX_REL, key)}_{slug}.py"


EX_CAT = ('category_id: Optional[int] = Field(default=None, foreign_key="category.id")',)

EXAMPLE = Example(
    rel=EX_REL,
    project="backend",
    script_location="app/alembic",
    models_module="app.models",
    summary="A FastAPI full-stack template backend whose migration history makes every rule fire.",
    mako="stock",
    extra_files={
        "backend/app/__init__.py": "",
        "backend/pyproject.toml": '''\
[project]
name = "app"
version = "0.1.0"
description = "Example backend for migration-lint: FastAPI + SQLModel + Alembic"
requires-python = ">=3.10"
dependencies = [
    "fastapi[standard]>=0.114.2,<1.0.0",
    "sqlmodel>=0.0.8,<1.0.0",
    "alembic>=1.8.1,<2.0.0",
    "psycopg[binary]>=3.1.13,<4.0.0",
]
''',
    },
    steps=[
        Models(ex_models()),
        Autogen("initialize-models", "initialize models"),
        Models(ex_models(item_extra=("priority: Optional[int] = None",))),
        Autogen("update", "update"),
        Models(ex_models(item_extra=("priority: Optional[int] = None", "price: float"))),
        Autogen("add-item-price", "add item price"),
        Models(ex_models(item_extra=("priority: Optional[int] = None", "price: float", *EX_CAT),
                         category=True)),
        Autogen("add-category-table", "add category table"),
        Models(ex_models(item_extra=("priority: Optional[int] = None", "price: float", *EX_CAT),
                         category=True, user_drop=("full_name",))),
        Autogen("remove-user-full-name", "remove user full name"),
        Models(ex_models(item_extra=("priority: Optional[int] = None", "price: float", *EX_CAT,
                                     "status: Optional[str] = Field(default=None, max_length=20)"),
                         category=True, user_drop=("full_name",))),
        Autogen("add-item-status", "add item status", parent="add-category-table", upgrade=False),
        Edit("add item status: written on a branch from `add category table`, then 'rebased' by "
             "editing `down_revision` to `remove user full name`; the `Revises:` header is stale",
             lambda c: c.replace("add-item-status",
                                 f"down_revision = '{c.rev('add-category-table')}'",
                                 f"down_revision = '{c.rev('remove-user-full-name')}'")),
        Edit("add item status: added a backfill `op.execute(\"UPDATE item SET status = 'active'\")` "
             "by hand",
             lambda c: c.insert_before("add-item-status", "# ### end Alembic commands ###",
                                       "    op.execute(\"UPDATE item SET status = 'active'\")")),
        Upgrade(),
        Autogen("add-user-nickname", "add user nickname"),  # models not saved yet: empty
        Revision("add-item-title-index", "add item title index"),
        Edit("add item title index: plain `alembic revision`, upgrade()/downgrade() written by hand",
             hand_written("add-item-title-index",
                          'op.create_index("ix_item_title", "item", ["title"])\n',
                          'op.drop_index("ix_item_title", table_name="item")\n')),
        Upgrade(),
        Models(ex_models(item_extra=("priority: Optional[int] = None", "price: float", *EX_CAT,
                                     "status: Optional[str] = Field(default=None, max_length=20)"),
                         category=True, user_drop=("full_name",),
                         user_extra=("last_login: Optional[datetime] = None",))),
        Autogen("add-user-last-login", "add user last login"),
        Models(ex_models(item_extra=("priority: Optional[int] = None", "price: float", *EX_CAT,
                                     "status: Optional[str] = Field(default=None, max_length=20)",
                                     "tags: Optional[str] = Field(default=None, max_length=255)"),
                         category=True, user_drop=("full_name",),
                         user_extra=("last_login: Optional[datetime] = None",))),
        Autogen("add-item-tags", "add item tags", parent="add-item-title-index"),
        Models(ex_models(item_extra=("priority: Optional[int] = None", "price: float", *EX_CAT,
                                     "status: Optional[str] = Field(default=None, max_length=20)",
                                     "tags: Optional[str] = Field(default=None, max_length=255)",
                                     "archived_at: Optional[datetime] = None"),
                         category=True, user_drop=("full_name",),
                         user_extra=("last_login: Optional[datetime] = None",))),
        Autogen("add-item-archived-at", "add item archived at", parent="add-item-tags"),
        Models(ex_models(item_extra=("priority: Optional[int] = None", "price: float", *EX_CAT,
                                     "status: Optional[str] = Field(default=None, max_length=20)",
                                     "tags: Optional[str] = Field(default=None, max_length=255)",
                                     "archived_at: Optional[datetime] = None"),
                         category=True, user_drop=("full_name",),
                         user_extra=("last_login: Optional[datetime] = None",
                                     "avatar_url: Optional[str] = Field(default=None, max_length=255)"))),
        Autogen("add-user-avatar-url", "add user avatar url", parent="add-user-last-login"),
        Models(ex_models(item_extra=("priority: Optional[int] = None", "price: float", *EX_CAT,
                                     "status: Optional[str] = Field(default=None, max_length=20)",
                                     "tags: Optional[str] = Field(default=None, max_length=255)",
                                     "archived_at: Optional[datetime] = None"),
                         category=True, user_drop=("full_name",),
                         user_extra=("last_login: Optional[datetime] = None",
                                     "avatar_url: Optional[str] = Field(default=None, max_length=255)",
                                     "bio: Optional[str] = Field(default=None, max_length=255)"))),
        Autogen("add-user-bio", "add user bio", parent="add-user-last-login",
                depends_on="add-user-avatar-url"),
        Edit("add item archived at: truncated mid-call (an editor crash), right after "
             "`sa.Column('archived_at',`",
             lambda c: c.truncate("add-item-archived-at", "sa.Column('archived_at',")),
        Edit("add user avatar url: file deleted (that branch was dropped); add user bio still "
             "names it in `depends_on`", lambda c: c.delete("add-user-avatar-url")),
        # ...and the dropped branch's field leaves the models too (final models.py).
        Models(ex_models(item_extra=("priority: Optional[int] = None", "price: float", *EX_CAT,
                                     "status: Optional[str] = Field(default=None, max_length=20)",
                                     "tags: Optional[str] = Field(default=None, max_length=255)",
                                     "archived_at: Optional[datetime] = None"),
                         category=True, user_drop=("full_name",),
                         user_extra=("last_login: Optional[datetime] = None",
                                     "bio: Optional[str] = Field(default=None, max_length=255)"))),
        Edit("add item price: file duplicated as `<rev>_add_item_price copy.py`",
             lambda c: c.copy("add-item-price", "add-item-price-copy",
                              c.path("add-item-price").stem + " copy.py")),
    ],
    expect=[],  # filled in below, once the helpers exist
)

EXAMPLE.expect = [
    Expect("missing-sqlmodel-import", [use("initialize-models")]),
    Expect("template-missing-sqlmodel-import", [in_file("backend/app/alembic/script.py.mako")]),
    Expect("vague-message", [in_file(ex_path("update", "update"))]),
    Expect("not-null-without-default", [call("add-item-price", "op.add_column(")]),
    Expect("unnamed-constraint", [call("add-category-table", "op.create_foreign_key(")]),
    Expect("destructive-operation", [call("remove-user-full-name", "op.drop_column(")]),
    Expect("raw-sql", [call("add-item-status", "op.execute(")]),
    Expect("revision-mismatch", [var("add-item-status", "down_revision"),
                                 header("add-item-status", "Revises:")]),
    Expect("empty-migration", [in_file(ex_path("add-user-nickname", "add_user_nickname"))]),
    Expect("manual-migration", [in_file(ex_path("add-item-title-index", "add_item_title_index"))]),
    Expect("multiple-heads", [var("add-user-bio", "revision"), var("add-user-bio", "down_revision"),
                              var("add-item-archived-at", "revision"),
                              var("add-item-archived-at", "down_revision")]),
    Expect("unknown-down-revision", [var("add-user-bio", "depends_on")]),
    Expect("duplicate-revision", [var("add-item-price", "revision"),
                                  var("add-item-price-copy", "revision")]),
    Expect("parse-error", [in_file(ex_path("add-item-archived-at", "add_item_archived_at"))]),
]


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
    (ctx.dir / "README.md").write_text(EXAMPLE_README)
    return entry


EXAMPLE_README = '''\
# Example: a FastAPI + SQLModel backend with a troubled migration history

`backend/` is laid out like the FastAPI full-stack template (`backend/alembic.ini` with
`script_location = app/alembic`, `backend/app/models.py`, `backend/app/alembic/versions/`). Its
migrations were generated by real Alembic (see `scripts/gen_fixtures.py`); `HISTORY.md` tells, step
by step, what the models looked like, which command made each revision and which files were then
edited by hand. Every rule of migration-lint fires on it at least once:

```sh
npx migration-lint examples/fastapi-sqlmodel        # or: npm run example
```

To watch the same mistakes fail for real (PostgreSQL):

```sh
cd examples/fastapi-sqlmodel/backend
export MIGRATION_LINT_DATABASE_URL=postgresql://migration_lint:migration_lint@127.0.0.1:5432/example
/usr/bin/python3 -m alembic heads         # SyntaxError: the truncated revision
```

Do not edit these files by hand: change `scripts/gen_fixtures.py` and run `npm run fixtures`.
'''


def history_md(ctx: Ctx) -> str:
    out = [
        "# History of the example project\n",
        "Generated by `scripts/gen_fixtures.py`; each step below is a real Alembic command run "
        "against PostgreSQL, or a hand edit (marked **hand edit**). `models.py` is shown as a diff "
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
            diff = difflib.unified_diff(prev.splitlines(), models_src.splitlines(),
                                        "app/models.py", "app/models.py", lineterm="", n=1)
            out.append("\n```diff\n" + "\n".join(diff) + "\n```\n")
        else:
            out.append("\n(models.py unchanged)\n")
        prev = models_src
    return "".join(out)


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
        "to run. Add a case by adding a `Case(...)` to `CASES` in `scripts/gen_fixtures.py`; never edit "
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
    lines.append(
        "\n## The example project\n\n`examples/fastapi-sqlmodel/` (FastAPI full-stack template "
        "layout) is made by the same generator; its `HISTORY.md` shows the models at every step.\n"
    )
    return "".join(lines)


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

def owned_paths(entries: list[dict[str, object]]) -> list[str]:
    return ["fixtures/README.md", "fixtures/manifest.json"] + [str(e["dir"]) for e in entries]


def generate_all(root: Path, only: Optional[str], jobs: int) -> list[dict[str, object]]:
    seen = set()
    todo: list[Callable[[], dict[str, object]]] = []
    for case in CASES:
        assert case.rel not in seen, f"duplicate case {case.rel}"
        seen.add(case.rel)
        assert case.verdict == "good" or case.expect, f"{case.rel}: a bad case needs expect=[...]"
        if only and only not in case.rel:
            continue
        todo.append(lambda case=case: generate_case(case, root))
    if not only or only in EXAMPLE.rel:
        todo.append(lambda: generate_example(EXAMPLE, root))
    # Each case has its own folder and scratch database, so cases can be made side by side; the
    # results keep the order of CASES.
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
    """Delete case folders a previous run generated that are no longer in CASES."""
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
                    "(README and manifest are left alone)")
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
