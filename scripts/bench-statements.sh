#!/usr/bin/env bash
# The statements benchmark (issue 5, "Scale"): calibrates PostgreSQL, onboards one merchant through
# the HTTP API, stores 1,000,000 generated PaymentCaptured / MerchantRefundedPayment events of that
# merchant over 30 business days (Asia/Shanghai) and replays them through the projections; then
# measures the statements processor's catch-up (with every processor, then alone), the daily
# statement query's p50/p99 and the streamed CSV bill of the 30 days (lines/s, heap), and checks
# the CSV's totals against the statements. Extra arguments are passed on, e.g. --lines=20000,
# or --db-url=jdbc:postgresql://host/db --db-user=u --db-password=p for an external PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests install
./mvnw -q -B -pl scripts validate exec:exec@statement-benchmark -Dbench.args="${*:---default}"
