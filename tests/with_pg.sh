#!/usr/bin/env bash
# tests/with_pg.sh CMD [ARG...]: runs CMD with a PostgreSQL server of its
# own (tests/pg_server.sh), stopped and removed afterwards, whatever CMD
# does. CMD finds it in the environment:
#   ORIGINSCAN_TEST_PG   URI of the server's superuser, without a database
#                        name: a test makes its own databases
#                        (postgresql://postgres@/?host=SOCK&port=PORT)
#   PGHOST PGPORT PGUSER for psql and libpq
# Exit status: CMD's, or 77 (skipped) when no PostgreSQL server is installed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/pg_server.sh"
dir=$(mktemp -d /tmp/originscan-pg.XXXXXX)
chmod 755 "$dir"
trap 'pg_stop; rm -rf "$dir"' EXIT
pg_start "$dir/pg"
rc=$?
[ $rc = 77 ] && { echo "SKIP: no PostgreSQL server binaries (Debian: postgresql)" >&2; exit 77; }
[ $rc = 0 ] || { echo "FAIL: could not start PostgreSQL" >&2; exit 1; }
export ORIGINSCAN_TEST_PG="postgresql://postgres@/?host=$PG_SOCK&port=$PG_PORT"
"$@"
