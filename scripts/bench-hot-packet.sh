#!/usr/bin/env bash
# The hot packet benchmark: calibrates PostgreSQL, then sends one group lucky red packet of 1,000
# shares to 20,000 members and fires all 20,000 grab attempts at once through the HTTP API. It
# exits non-zero if the winners, losers, amounts, escrow or trial balance do not add up. Extra
# arguments are passed on, e.g. --grabbers=20000 --shares=1000 --concurrency=64, or
# --db-url=jdbc:postgresql://host/db --db-user=u --db-password=p for an external PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests install
./mvnw -q -B -pl scripts validate exec:exec@hot-packet-benchmark -Dbench.args="${*:---default}"
