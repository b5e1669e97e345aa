#!/usr/bin/env bash
# The foundation's payments benchmark: calibrates PostgreSQL, then runs scenario (a) payments
# over 10,000 wallets and 100 merchants and (b) every payment to one hot merchant, through the
# HTTP API. Extra arguments are passed on, e.g. --payments=50000 --concurrency=64, or
# --db-url=jdbc:postgresql://host/db --db-user=u --db-password=p for an external PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests install
./mvnw -q -B -pl scripts validate exec:exec@payments-benchmark -Dbench.args="${*:---default}"
