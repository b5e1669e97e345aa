#!/usr/bin/env bash
# The fault harness (docs/faults.md): starts PostgreSQL with durable settings (embedded, or
# --db-url=jdbc:postgresql://host/db --db-user=u --db-password=p), N nodes of the packaged ledger
# as separate processes on 127.0.0.1, drives a bounded mixed load across them, injects one fault
# and checks that nothing acknowledged was lost or duplicated and every balance is the client's
# own to the fen. It exits 1 on any loss, duplicate or mismatch, 3 when operations stayed unknown
# after the retries, 2 on a missed target with --strict. Arguments are passed on, e.g.
#   scripts/bench-faults.sh --fault=kill-node --nodes=2 --seconds=45
# Faults: none, kill-node, pg-restart, terminate-backends, read-only, kill-one-of-two.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests install
jar=$(ls "$PWD"/ledger-api/target/ledger-api-*-exec.jar | head -n 1)
./mvnw -q -B -pl scripts validate exec:exec@fault-harness \
  -Dbench.args="--jar=$jar --work-dir=$PWD/scripts/target/faults ${*:---fault=none}"
