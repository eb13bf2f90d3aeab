#!/usr/bin/env bash
# Starts a local PostgreSQL for the test suite and prints the line that points the tests at it:
#   eval "$(bash scripts/pg-test-db.sh)"      # then: npm test
# On Debian/Ubuntu as root it installs the `postgresql` package when missing and starts the cluster;
# elsewhere, start PostgreSQL yourself and export TEST_DATABASE_URL (a database where the role may CREATE SCHEMA).
# Safe to run again: every step checks first. Progress goes to stderr, the export line to stdout.
set -euo pipefail
role="${PG_TEST_ROLE:-mesh_help_test}"
db="${PG_TEST_DB:-mesh_help_test}"
password="${PG_TEST_PASSWORD:-mesh_help_test}"
say() { printf 'pg-test-db: %s\n' "$*" >&2; }

if ! command -v pg_lsclusters >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    say "PostgreSQL is not installed. As root on Debian/Ubuntu: apt-get install -y postgresql;"
    say "elsewhere start PostgreSQL 13+ and export TEST_DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/DB"
    exit 1
  fi
  say "installing PostgreSQL (apt-get)"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

version="$(ls /usr/lib/postgresql | sort -n | tail -1)"
if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -qx "$version/main"; then
  say "creating cluster $version/main"
  pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
  say "starting cluster $version/main"
  pg_ctlcluster "$version" main start >&2
fi
port="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')"

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}
psql_admin() { as_postgres psql -p "$port" -v ON_ERROR_STOP=1 -qtAX "$@"; }

if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" != 1 ]; then
  say "creating role $role"
  psql_admin -c "CREATE ROLE \"$role\" LOGIN PASSWORD '$password'"
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
  say "creating database $db"
  psql_admin -c "CREATE DATABASE \"$db\" OWNER \"$role\""
fi
say "PostgreSQL $version is up on port $port; tests make one schema each in database $db"
echo "export TEST_DATABASE_URL=postgres://$role:$password@127.0.0.1:$port/$db"
