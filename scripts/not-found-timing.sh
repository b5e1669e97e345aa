#!/usr/bin/env bash
# How much longer "does not exist" takes than "exists but is not yours" on the POSTs that act on
# a payment (refund, capture, repayment), against a running ledger with dev tokens (B, default
# http://127.0.0.1:18080): N alternating pairs after 50 of warm-up, mean, median and z of the difference.
# Start one first, e.g.: java -jar ledger-api/target/ledger-api-*-exec.jar --server.port=18080
set -euo pipefail
B=${B:-http://127.0.0.1:18080}
N=${N:-300}
tok() { curl -s -X POST $B/dev/tokens -H 'Content-Type: application/json' -d "$1" | python3 -c 'import sys,json;print(json.load(sys.stdin)["accessToken"])'; }
ADMIN=$(tok '{"subject":"admin-1","roles":["admin"]}')
S=$RANDOM
X=mx$S; Y=my$S
for m in $X $Y; do curl -s -o /dev/null -X POST $B/v1/merchants -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d "{\"merchantId\":\"$m\",\"name\":\"Shop\",\"feeRateBasisPoints\":60}"; done
U=$(tok "{\"subject\":\"u$S\",\"roles\":[\"user\"]}")
W=$(curl -s -X POST $B/v1/wallets -H "Authorization: Bearer $U" -H 'Content-Type: application/json' -d '{"currency":"CNY"}' | python3 -c 'import sys,json;print(json.load(sys.stdin)["walletId"])')
curl -s -o /dev/null -X POST $B/v1/wallets/$W/top-ups -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d '{"bankReference":"b'$S'","amount":"500.00","currency":"CNY"}'
P=$(curl -s -X POST $B/v1/payments -H "Authorization: Bearer $U" -H 'Content-Type: application/json' -d "{\"merchantId\":\"$Y\",\"orderNumber\":\"o$S\",\"amount\":\"10.00\",\"currency\":\"CNY\"}" | python3 -c 'import sys,json;print(json.load(sys.stdin)["paymentId"])')
A=$(curl -s -X POST $B/v1/payments -H "Authorization: Bearer $U" -H 'Content-Type: application/json' -d "{\"merchantId\":\"$Y\",\"orderNumber\":\"a$S\",\"amount\":\"10.00\",\"currency\":\"CNY\",\"captureMode\":\"manual\"}" | python3 -c 'import sys,json;print(json.load(sys.stdin)["paymentId"])')
XT=$(tok "{\"subject\":\"owner-of-$X\",\"roles\":[\"merchant\"],\"merchantId\":\"$X\"}")
U2=$(tok "{\"subject\":\"v$S\",\"roles\":[\"user\"]}")
PLAN=$(curl -s -X POST $B/v1/bnpl/checkouts -H "Authorization: Bearer $U" -H 'Content-Type: application/json' -d "{\"merchantId\":\"$Y\",\"orderNumber\":\"c$S\",\"amount\":\"40.00\",\"currency\":\"CNY\",\"plan\":\"pay_in_4\"}" | python3 -c 'import sys,json;d=json.load(sys.stdin);print(d.get("planId") or d["plan"]["planId"])')
MISSING=p_00000000000000000000000000000000
# The 32 hex digits after p_ must look like an id.
for what in refund capture repayment; do
  python3 - "$what" "$N" "$B" "$XT" "$U2" "$P" "$A" "$PLAN" "$MISSING" <<'PY'
import sys, time, http.client, statistics, json, uuid
what, n, base, xt, u2, p, a, plan, missing = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7], sys.argv[8], sys.argv[9]
host, port = base.replace("http://", "").split(":")
conn = http.client.HTTPConnection(host, int(port))
def call(pid):
    if what == "refund":
        path, tok, body = f"/v1/payments/{pid}/refunds", xt, json.dumps({"refundNumber": "r" + uuid.uuid4().hex[:8], "amount": "1.00", "currency": "CNY"})
    elif what == "capture":
        path, tok, body = f"/v1/payments/{pid}/capture", xt, "{}"
    else:
        path, tok, body = f"/v1/bnpl/plans/{pid}/repayments", u2, json.dumps({"amount": "1.00", "currency": "CNY"})
    h = {"Authorization": "Bearer " + tok, "Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex}
    t = time.perf_counter()
    conn.request("POST", path, body, h)
    r = conn.getresponse(); r.read()
    el = (time.perf_counter() - t) * 1000
    assert r.status == 404, (r.status, path)
    return el
theirs = {"refund": p, "capture": a, "repayment": plan}[what]
for _ in range(50):
    call(theirs); call(missing)
x, y = [], []
for i in range(n):
    if i % 2 == 0:
        x.append(call(theirs)); y.append(call(missing))
    else:
        y.append(call(missing)); x.append(call(theirs))
d = statistics.mean(x) - statistics.mean(y)
se = (statistics.variance(x) / n + statistics.variance(y) / n) ** 0.5
print(f"{what}: someone else's mean {statistics.mean(x):.3f} ms median {statistics.median(x):.3f}; unknown mean {statistics.mean(y):.3f} ms median {statistics.median(y):.3f}; difference {d:+.3f} ms (z = {d/se:+.1f}, n = {n} each)")
PY
done
