#!/bin/sh
# Start PostgreSQL on 127.0.0.1:$POSTGRES_PORT; on an empty data folder first create the cluster with
# $POSTGRES_USER (password $POSTGRES_PASSWORD, scram-sha-256) and the database $POSTGRES_DB, as the
# official postgres image does.
set -eu
DATA=/var/lib/postgresql/data
if [ ! -s "$DATA/PG_VERSION" ]; then
    password_file=$(mktemp)
    printf '%s\n' "$POSTGRES_PASSWORD" > "$password_file"
    initdb -D "$DATA" -U "$POSTGRES_USER" --pwfile="$password_file" --auth-host=scram-sha-256 --auth-local=peer \
        --encoding=UTF8 --locale=C.UTF-8 > /dev/null
    rm -f "$password_file"
    echo "CREATE DATABASE \"$POSTGRES_DB\"" | postgres --single -D "$DATA" -c config_file="$DATA/postgresql.conf" \
        template1 > /dev/null
fi
exec postgres -D "$DATA" -c listen_addresses=127.0.0.1 -c port="$POSTGRES_PORT" -c unix_socket_directories=/tmp
