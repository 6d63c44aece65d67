#!/usr/bin/env bash
# Paired HTTP comparison on ONE server: GET /healthz, POST /v1/verify with a plain token, and POST /v1/verify
# with a bound token (allowed_cidrs + a rate limit it never reaches, context.ip sent) are run interleaved, in a
# fresh shuffled order each round, so that the machine's drift hits all three alike. Prints each run and the
# per-round ratios (verify/healthz for both tokens, bound/plain) with their medians.
#   bench/paired-verify.sh
#   ROUNDS=10 DURATION=8s bench/paired-verify.sh
# Environment (defaults): ROUNDS (6), DURATION (8s), THREADS (2), CONNECTIONS (32), KEYGATE_BENCH_PORT (18090),
#   KEYGATE_JAVA_OPTS (-Xms512m -Xmx512m). Needs wrk, curl, python3 and a built jar (./build -q -DskipTests
#   -pl keygate-cli -am package). Never prints a token.
set -euo pipefail
unset CDPATH
root=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
ROUNDS=${ROUNDS:-6}
DURATION=${DURATION:-8s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${KEYGATE_BENCH_PORT:-18090}
read -r -a JAVA_OPTS <<<"${KEYGATE_JAVA_OPTS:--Xms512m -Xmx512m}"
say() { printf '%s\n' "$*" >&2; }
for t in wrk curl python3; do
    command -v "$t" >/dev/null 2>&1 || { say "paired-verify: '$t' is needed (apt-get install -y wrk curl python3)"; exit 2; }
done
jar=keygate-cli/target/keygate.jar
[[ -f "$jar" ]] || { say "paired-verify: $jar is missing: ./build -q -DskipTests -pl keygate-cli -am package"; exit 2; }
. scripts/find-jdk.sh
keygate_find_jdk || exit 1

tmp=$(mktemp -d)
"$KEYGATE_JDK/bin/java" "${JAVA_OPTS[@]}" --enable-native-access=ALL-UNNAMED -DKEYGATE_LOG_LEVEL=WARN -jar "$jar" serve \
    --listen "127.0.0.1:$PORT" --data-dir "$tmp/data" --bootstrap-token-file "$tmp/admin" >"$tmp/out" 2>"$tmp/err" &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
base="http://127.0.0.1:$PORT"
for _ in $(seq 1 200); do
    curl -fs -o /dev/null "$base/healthz" 2>/dev/null && [[ -s "$tmp/admin" ]] && break
    sleep 0.3
done
curl -fs -o /dev/null "$base/healthz" || { say "paired-verify: the server did not start: $(tail -n3 "$tmp/err")"; exit 1; }
printf 'Authorization: Bearer %s\n' "$(tr -d '[:space:]' <"$tmp/admin")" >"$tmp/auth"
chmod 600 "$tmp/auth"
api() { curl -fsS -H @"$tmp/auth" -H 'Content-Type: application/json' -X POST "$base$1" -d "$2"; }
secret() { python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }
api /v1/roles '{"name":"bench-reader","permissions":["bench.items:read"]}' >/dev/null
api /v1/principals '{"name":"bench-svc","kind":"service"}' >/dev/null
plain=$(api /v1/tokens '{"principal":"bench-svc","roles":["bench-reader"],"ttl":"1h"}' | secret)
bound=$(api /v1/tokens '{"principal":"bench-svc","roles":["bench-reader"],"ttl":"1h","allowed_cidrs":["10.0.0.0/8"],"rate_limit":{"limit":1000000,"window":"1s"}}' | secret)

run() { # NAME MODE TOKEN IP URL
    KEYGATE_BENCH_NAME=$1 KEYGATE_BENCH_MODE=$2 KEYGATE_BENCH_TOKEN=$3 KEYGATE_BENCH_IP=$4 \
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/verify.lua "$5" 2>&1 | grep '^RESULT'
}
say "warm-up: one $DURATION run of each verify"
run warmup verify "$plain" "" "$base/v1/verify" >/dev/null
run warmup verify "$bound" 10.1.2.3 "$base/v1/verify" >/dev/null
for r in $(seq 1 "$ROUNDS"); do
    for t in $(printf 'healthz\nplain\nbound\n' | shuf); do
        case $t in
            healthz) run healthz get x "" "$base/healthz" ;;
            plain) run plain verify "$plain" "" "$base/v1/verify" ;;
            bound) run bound verify "$bound" 10.1.2.3 "$base/v1/verify" ;;
        esac
    done | sed "s/\$/ round=$r/"
done | tee "$tmp/results.txt" >&2
python3 - "$tmp/results.txt" <<'PY'
import re, statistics as st, sys
runs = {}
for line in open(sys.argv[1]):
    kv = dict(re.findall(r'(\w+)=([\w.]+)', line))
    runs.setdefault(kv['name'], {})[int(kv['round'])] = (float(kv['rps']), float(kv['p99_ms']), int(kv['non2xx']))
rounds = sorted(runs['healthz'])
def ratios(a, b):
    return [runs[a][r][0] / runs[b][r][0] for r in rounds]
for name in ('healthz', 'plain', 'bound'):
    v = runs[name]
    print(f"{name:8} median rps {st.median(x[0] for x in v.values()):,.0f}  median p99 "
          f"{st.median(x[1] for x in v.values()):.2f} ms  non-2xx {sum(x[2] for x in v.values())}")
for label, a, b in (('plain/healthz', 'plain', 'healthz'), ('bound/healthz', 'bound', 'healthz'),
                    ('bound/plain', 'bound', 'plain')):
    rs = ratios(a, b)
    print(f"{label:14} per round {' '.join(f'{x:.1%}' for x in rs)}  median {st.median(rs):.1%}")
PY
