#!/usr/bin/env bash
# The refund benchmark (issue 16, "cost independent of history"): calibrates PostgreSQL, then
# measures a merchant's refund p50/p99 through the HTTP API after about 1,000 and about 1,000,000
# prior events of its own (appended in bulk), warm and rebuilt from its snapshot. Extra arguments
# are passed on, e.g. --big-history=100000 for a shorter run, --refunds=1000 --concurrency=16, or
# --db-url=jdbc:postgresql://host/db --db-user=u --db-password=p for an external PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests install
./mvnw -q -B -pl scripts validate exec:exec@refund-benchmark -Dbench.args="${*:---default}"
