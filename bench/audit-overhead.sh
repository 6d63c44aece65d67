#!/usr/bin/env bash
# Issue 5's load check: POST /v1/verify with verify events recorded (audit event, usage roll-ups, alert rules:
# the default) against the same with them off (--audit-verify-events=false). Two servers run side by side, each
# on its own fresh SQLite store; their runs are interleaved in a fresh shuffled order each round so that the
# machine's drift hits both alike. Prints each run, the per-round ratio on/off and its median, and each server's
# CPU time per request (from /proc), the steadier measure on a machine whose throughput drifts.
#   bench/audit-overhead.sh
#   ROUNDS=8 DURATION=10s bench/audit-overhead.sh
#   TRAFFIC=distinct bench/audit-overhead.sh
# TRAFFIC=repeating (the default) verifies one token for one permission from one address (context.ip 10.1.2.3), as
# the verify benchmark does: the writer records the verifications alike that it takes together as one event with
# their count and times. TRAFFIC=distinct sends a new address with every request, so that no two verifications are
# alike: the writer's worst case, one row per verification.
# Environment (defaults): ROUNDS (6), DURATION (8s), THREADS (2), CONNECTIONS (32), KEYGATE_BENCH_PORT (18100;
#   the second server takes the next port), KEYGATE_JAVA_OPTS (-Xms512m -Xmx512m). Needs wrk, curl, python3 and
#   a built jar (./build -q -DskipTests -pl keygate-cli -am package). Never prints a token.
# Each verify sends context.ip, so the audit event, the usage roll-up's last-used address and the new-network
# rule all have an address to work with.
set -euo pipefail
unset CDPATH
root=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
ROUNDS=${ROUNDS:-6}
DURATION=${DURATION:-8s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
TRAFFIC=${TRAFFIC:-repeating}
case $TRAFFIC in
    repeating) distinct=0 ;;
    distinct) distinct=1 ;;
    *) printf 'audit-overhead: TRAFFIC must be repeating or distinct (got %s)\n' "$TRAFFIC" >&2; exit 2 ;;
esac
PORT=${KEYGATE_BENCH_PORT:-18100}
read -r -a JAVA_OPTS <<<"${KEYGATE_JAVA_OPTS:--Xms512m -Xmx512m}"
say() { printf '%s\n' "$*" >&2; }
for n in ROUNDS THREADS CONNECTIONS PORT; do
    [[ "${!n}" =~ ^[1-9][0-9]*$ ]] || { say "audit-overhead: $n must be a positive integer (got '${!n}')"; exit 2; }
done
for t in wrk curl python3; do
    command -v "$t" >/dev/null 2>&1 || { say "audit-overhead: '$t' is needed (apt-get install -y wrk curl python3)"; exit 2; }
done
jar=keygate-cli/target/keygate.jar
[[ -f "$jar" ]] || { say "audit-overhead: $jar is missing: ./build -q -DskipTests -pl keygate-cli -am package"; exit 2; }
. scripts/find-jdk.sh
keygate_find_jdk || exit 1

umask 077
tmp=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null || true; done; rm -rf "$tmp"' EXIT

start() { # NAME PORT VERIFY_EVENTS: starts a server, makes its bench token, leaves it in $tmp/NAME.token
    local name=$1 port=$2 events=$3 base="http://127.0.0.1:$2"
    mkdir -p "$tmp/$name"
    (
        for v in $(compgen -e); do [[ "$v" == KEYGATE_* ]] && unset "$v"; done
        exec "$KEYGATE_JDK/bin/java" "${JAVA_OPTS[@]}" --enable-native-access=ALL-UNNAMED -DKEYGATE_LOG_LEVEL=WARN \
            -jar "$jar" serve --listen "127.0.0.1:$port" --data-dir "$tmp/$name/data" \
            --bootstrap-token-file "$tmp/$name/admin" --audit-verify-events="$events"
    ) >"$tmp/$name/out" 2>"$tmp/$name/err" &
    pids+=($!)
    for _ in $(seq 1 200); do
        curl -fs -o /dev/null "$base/healthz" 2>/dev/null && [[ -s "$tmp/$name/admin" ]] && break
        sleep 0.3
    done
    curl -fs -o /dev/null "$base/healthz" || { say "audit-overhead: $name did not start: $(tail -n3 "$tmp/$name/err")"; exit 1; }
    printf 'Authorization: Bearer %s\n' "$(tr -d '[:space:]' <"$tmp/$name/admin")" >"$tmp/$name/auth"
    api() { curl -fsS -H @"$tmp/$name/auth" -H 'Content-Type: application/json' -X POST "$base$1" -d "$2"; }
    api /v1/roles '{"name":"bench-reader","permissions":["bench.items:read"]}' >/dev/null
    api /v1/principals '{"name":"bench-svc","kind":"service"}' >/dev/null
    api /v1/tokens '{"principal":"bench-svc","roles":["bench-reader"],"ttl":"1h"}' \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' >"$tmp/$name/token"
}
start on "$PORT" true
start off "$((PORT + 1))" false

cpu_ticks() { # PID: the process's user + system CPU time so far, in clock ticks
    awk '{print $14 + $15}' "/proc/$1/stat"
}
run() { # NAME PORT PID: one wrk run; its RESULT line gains the server's CPU time per request (cpu_us)
    local before after line
    before=$(cpu_ticks "$3")
    line=$(KEYGATE_BENCH_NAME=$1 KEYGATE_BENCH_MODE=verify KEYGATE_BENCH_TOKEN=$(cat "$tmp/$1/token") \
        KEYGATE_BENCH_IP=10.1.2.3 KEYGATE_BENCH_IP_DISTINCT=$distinct wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/verify.lua \
        "http://127.0.0.1:$2/v1/verify" 2>&1 | grep '^RESULT')
    after=$(cpu_ticks "$3")
    python3 -c 'import re,sys; line,ticks,hz=sys.argv[1],int(sys.argv[2]),int(sys.argv[3]); n=int(re.search(r"requests=(\d+)",line).group(1)); print(f"{line} cpu_us={ticks*1e6/hz/n:.1f}")' \
        "$line" "$((after - before))" "$(getconf CLK_TCK)"
}
say "warm-up: one $DURATION run of each server"
run on "$PORT" "${pids[0]}" >/dev/null
run off "$((PORT + 1))" "${pids[1]}" >/dev/null
for r in $(seq 1 "$ROUNDS"); do
    for t in $(printf 'on\noff\n' | shuf); do
        case $t in
            on) run on "$PORT" "${pids[0]}" ;;
            off) run off "$((PORT + 1))" "${pids[1]}" ;;
        esac
    done | sed "s/\$/ round=$r/"
done | tee "$tmp/results.txt" >&2
# The recording server must have kept up: every verify event written, none dropped.
curl -fsS -H @"$tmp/on/auth" "http://127.0.0.1:$PORT/metrics" \
    | grep -E '^keygate_audit_events_(written|dropped)_total|^keygate_audit_queue_depth' >&2 || true
python3 - "$tmp/results.txt" "$TRAFFIC" <<'PY'
import re, statistics as st, sys
runs = {}
for line in open(sys.argv[1]):
    kv = dict(re.findall(r'(\w+)=([\w.]+)', line))
    runs.setdefault(kv['name'], {})[int(kv['round'])] = (float(kv['rps']), float(kv['p99_ms']), int(kv['non2xx']),
                                                          float(kv['cpu_us']))
rounds = sorted(runs['on'])
for name in ('on', 'off'):
    v = runs[name]
    print(f"{name:4} median rps {st.median(x[0] for x in v.values()):,.0f}  median p99 "
          f"{st.median(x[1] for x in v.values()):.2f} ms  non-2xx {sum(x[2] for x in v.values())}")
rs = [runs['on'][r][0] / runs['off'][r][0] for r in rounds]
print(f"on/off per round {' '.join(f'{x:.1%}' for x in rs)}  median {st.median(rs):.1%}  "
      f"(target: >= 80%; traffic: {sys.argv[2]})")
# Throughput on a shared 2-core machine swings from round to round; the server's CPU time per request does not.
cpu = {n: st.median(x[3] for x in runs[n].values()) for n in ('on', 'off')}
print(f"server CPU per request: on {cpu['on']:.1f} us, off {cpu['off']:.1f} us; off/on {cpu['off'] / cpu['on']:.1%}")
PY
