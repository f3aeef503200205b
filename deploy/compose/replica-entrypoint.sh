#!/bin/sh
# The streaming replica. On its first start the data directory is empty: copy the primary with
# pg_basebackup -R (which writes standby.signal and primary_conninfo into postgresql.auto.conf),
# then hand over to the official entrypoint, which finds a data directory and only starts postgres.
# Runs as the postgres user (the compose file sets `user: postgres`).
set -eu

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "replica: copying the primary at $PRIMARY_HOST into $PGDATA"
  mkdir -p "$PGDATA"
  pg_basebackup \
    --dbname="host=$PRIMARY_HOST port=5432 user=replicator password=$REPLICATION_PASSWORD application_name=replica" \
    --pgdata="$PGDATA" --write-recovery-conf --wal-method=stream --checkpoint=fast --progress
  chmod 0700 "$PGDATA"
fi

exec docker-entrypoint.sh postgres -c hot_standby=on -c hot_standby_feedback=on
