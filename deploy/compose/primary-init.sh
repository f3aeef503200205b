#!/bin/sh
# Runs once, on the primary's first start (the official image runs /docker-entrypoint-initdb.d/*
# only while the data directory is empty): a role the replica streams WAL as, and a pg_hba.conf
# line that lets it in. The image's own pg_hba.conf line ("host all all all …") does not match
# replication connections: only the keyword "replication" does.
set -eu

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SQL

echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
