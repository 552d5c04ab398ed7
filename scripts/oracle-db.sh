#!/usr/bin/env bash
# Make sure the local PostgreSQL cluster runs and the role used by the oracle suite
# (test/oracle/) and the fixture generator (scripts/gen-fixtures.sh) exists.
# Idempotent. Starting the cluster and creating the role need root (Debian's postgresql package);
# as another user it only checks that the server answers.
# Settings: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (migration_lint), PGPASSWORD (migration_lint).
set -euo pipefail

: "${PGHOST:=127.0.0.1}" "${PGPORT:=5432}" "${PGUSER:=migration_lint}" "${PGPASSWORD:=migration_lint}"
export PGHOST PGPORT PGUSER PGPASSWORD

if [ "$(id -u)" = 0 ] && command -v pg_lsclusters >/dev/null 2>&1; then
  if ! pg_lsclusters --no-header 2>/dev/null | grep -q .; then
    echo "oracle-db: no PostgreSQL cluster; creating one" >&2
    pg_createcluster "$(ls /usr/lib/postgresql | sort -V | tail -n1)" main >/dev/null
  fi
  # Start every cluster that is down (normally just 15/main); tolerate one already running.
  while read -r ver name _port status _rest; do
    if [ "$status" != online ]; then
      pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start
    fi
  done < <(pg_lsclusters --no-header)
fi

for _ in $(seq 1 30); do
  if pg_isready -q -h "$PGHOST" -p "$PGPORT"; then break; fi
  sleep 1
done
pg_isready -h "$PGHOST" -p "$PGPORT" >/dev/null || {
  echo "oracle-db: PostgreSQL does not answer on $PGHOST:$PGPORT" >&2
  exit 1
}

if [ "$(id -u)" = 0 ]; then
  # Role with LOGIN, CREATEDB and a password (the tests create and drop their own databases).
  # Names and password are passed as psql variables, never spliced into a shell string.
  # (PG* variables are dropped so that psql connects as postgres over the local socket.)
  su postgres -c 'exec env -u PGHOST -u PGUSER -u PGPASSWORD -u PGDATABASE \
    psql -X -q -v ON_ERROR_STOP=1 -p "$0" -v role="$1" -v pw="$2" -d postgres' \
    -- "$PGPORT" "$PGUSER" "$PGPASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'pw')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'pw') \gexec
SQL
fi

psql -X -q -v ON_ERROR_STOP=1 -d postgres -Atc 'SELECT 1' >/dev/null || {
  echo "oracle-db: cannot log in as $PGUSER on $PGHOST:$PGPORT" >&2
  exit 1
}
echo "oracle-db: PostgreSQL ready on $PGHOST:$PGPORT as $PGUSER" >&2
