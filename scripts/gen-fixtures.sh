#!/usr/bin/env bash
# Regenerate fixtures/ and examples/ with real Alembic against a scratch PostgreSQL database.
#   bash scripts/gen-fixtures.sh            rewrite the committed fixtures
#   bash scripts/gen-fixtures.sh --check    regenerate in a temp dir and diff (exit 1 if stale)
#   bash scripts/gen-fixtures.sh --only not-null-without-default   one rule's cases only
# Needs Debian's python3-alembic python3-sqlmodel python3-psycopg2 (always /usr/bin/python3:
# other pythons on PATH lack them) and PostgreSQL (see scripts/oracle-db.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${PGHOST:=127.0.0.1}" "${PGPORT:=5432}" "${PGUSER:=migration_lint}" "${PGPASSWORD:=migration_lint}"
export PGHOST PGPORT PGUSER PGPASSWORD

bash scripts/oracle-db.sh
export PYTHONDONTWRITEBYTECODE=1
exec /usr/bin/python3 scripts/gen_fixtures.py "$@"
