#!/usr/bin/env bash
# The HTTP benchmark in one command: Keygate's POST /v1/verify (audit on, the default) against
# Keygate's own GET /healthz and against nginx returning a constant (the machine's HTTP ceiling).
#   bench/http-verify.sh
#   ROUNDS=5 DURATION=30s bench/http-verify.sh
# Environment (defaults): ROUNDS (3), THREADS (2), CONNECTIONS (32), DURATION (10s), WARMUP (20s),
#   KEYGATE_BENCH_PORT (18080), KEYGATE_JAVA_OPTS (-Xms512m -Xmx512m), STRICT (unset; 1 = exit 3 when a
#   target is missed), BOUND (unset; 1 = the bench token is bound to 10.0.0.0/8 and 127.0.0.0/8 with a
#   rate limit of 1,000,000/1s it never reaches, and each verify sends context.ip: the cost of bindings). nginx listens on 127.0.0.1:18081 (bench/nginx.conf); without nginx that target
#   is skipped.
# Writes everything to bench/results/<UTC timestamp>.txt. Never prints the admin or the bench token.
set -euo pipefail
unset CDPATH

root=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-20s}
PORT=${KEYGATE_BENCH_PORT:-18080}
NGINX_PORT=18081   # as in bench/nginx.conf
JAVA_OPTS_STRING=${KEYGATE_JAVA_OPTS:--Xms512m -Xmx512m}
BOUND=${BOUND:-}
[[ -z "$BOUND" || "$BOUND" == 1 ]] || { printf 'http-verify: BOUND must be 1 or unset (got %s)\n' "$BOUND" >&2; exit 2; }

say() { printf '%s\n' "$*" >&2; }
redact() { sed -E 's/kg_[A-Za-z0-9]+_[A-Za-z0-9_-]+/kg_<redacted>/g'; }

for n in ROUNDS THREADS CONNECTIONS PORT; do
    [[ "${!n}" =~ ^[1-9][0-9]*$ ]] || { say "http-verify: $n must be a positive integer (got '${!n}')"; exit 2; }
done
for t in wrk curl python3; do
    command -v "$t" >/dev/null 2>&1 || { say "http-verify: '$t' is needed (apt-get install -y wrk curl python3)"; exit 2; }
done
NGINX=$(command -v nginx 2>/dev/null || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } || true)

# shellcheck source=../scripts/find-jdk.sh
. scripts/find-jdk.sh
keygate_find_jdk || exit 1
jdk=$KEYGATE_JDK

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_busy "$PORT" && { say "http-verify: 127.0.0.1:$PORT is already in use (set KEYGATE_BENCH_PORT)"; exit 2; }
if [[ -n "$NGINX" ]] && port_busy "$NGINX_PORT"; then
    say "http-verify: 127.0.0.1:$NGINX_PORT (bench/nginx.conf) is already in use"
    exit 2
fi

# --- state and clean-up ----------------------------------------------------------------------------
umask 077
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kg-bench.XXXXXX")
server_pid=""
nginx_pid=""
mkdir -p bench/results
results="bench/results/$(date -u +%Y%m%dT%H%M%SZ).txt"
finished=""

stop_pid() { # PID SECONDS: TERM, wait, then KILL (children first, by parent id)
    local pid=$1 i
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < $2 * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        say "http-verify: pid $pid did not stop; killing it"
        pkill -KILL -P "$pid" 2>/dev/null || true
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_pid "$server_pid" 20
    stop_pid "$nginx_pid" 5
    if [[ -z "$finished" && -f "$results" ]]; then
        echo "ABORTED (exit $rc)" >>"$results"
    fi
    rm -rf "$tmp"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

die() {
    say "http-verify: $*"
    if [[ -s "$tmp/server.log" ]]; then
        say "--- last lines of the server log:"
        tail -n 30 "$tmp/server.log" | redact >&2
    fi
    exit 1
}

# --- the jar -----------------------------------------------------------------------------------------
jar=keygate-cli/target/keygate.jar
jar_is_stale() {
    [[ -f "$jar" ]] || return 0
    local paths=() p
    for p in pom.xml */pom.xml */src/main; do [[ -e "$p" ]] && paths+=("$p"); done
    [[ -n "$(find "${paths[@]}" -newer "$jar" -print 2>/dev/null | head -n1)" ]]
}
if jar_is_stale; then
    say "building $jar ..."
    ./build -q -DskipTests -pl keygate-cli -am package || die "the build failed"
    [[ -f "$jar" ]] || die "the build did not produce $jar"
    touch "$jar"
fi

# --- header ----------------------------------------------------------------------------------------
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "none")
[[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]] && commit="$commit+dirty"
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
{
    echo "# Keygate HTTP verify benchmark"
    echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit:   $commit"
    echo "command:  ${BOUND:+BOUND=1 }ROUNDS=$ROUNDS THREADS=$THREADS CONNECTIONS=$CONNECTIONS DURATION=$DURATION WARMUP=$WARMUP bench/http-verify.sh"
    echo "jdk:      $jdk ($KEYGATE_JDK_VERSION), KEYGATE_JAVA_OPTS=$JAVA_OPTS_STRING"
    echo "machine:  $(nproc 2>/dev/null || echo '?') cpus, ${cpu:-unknown cpu}, $(uname -sr)"
    echo "wrk:      $(wrk -v 2>&1 | head -n1 || true)"
    echo "nginx:    $([[ -n "$NGINX" ]] && "$NGINX" -v 2>&1 || echo 'not installed: no ceiling figures')"
    echo "note:     wrk, nginx and Keygate share this machine's cpus"
    echo
} >"$results"

# --- nginx (the ceiling) ---------------------------------------------------------------------------
if [[ -n "$NGINX" ]]; then
    mkdir -p "$tmp/nginx"
    nginx_args=(-c "$root/bench/nginx.conf" -p "$tmp/nginx/")
    # -e (nginx >= 1.19.5) keeps the start-up error log out of the root-only default location.
    if "$NGINX" -h 2>&1 | grep -- '-e filename' >/dev/null; then
        nginx_args+=(-e "$tmp/nginx/error.log")
    fi
    "$NGINX" "${nginx_args[@]}" >"$tmp/nginx/stdout.log" 2>&1 &
    nginx_pid=$!
    for _ in $(seq 1 50); do
        port_busy "$NGINX_PORT" && break
        kill -0 "$nginx_pid" 2>/dev/null || break
        sleep 0.1
    done
    if ! port_busy "$NGINX_PORT"; then
        cat "$tmp/nginx/stdout.log" "$tmp/nginx/error.log" >&2 2>/dev/null || true
        die "nginx did not start on 127.0.0.1:$NGINX_PORT"
    fi
else
    say "http-verify: nginx not found: measuring without the ceiling (apt-get install -y nginx)"
fi

# --- the Keygate server ------------------------------------------------------------------------------
java_opts=()
read -r -a java_opts <<<"$JAVA_OPTS_STRING"
base="http://127.0.0.1:$PORT"
# The server runs with its defaults (fresh SQLite store): KEYGATE_* settings from this environment, such
# as KEYGATE_DB_URL, are not passed on. The subshell execs java, so $! is the server's pid.
(
    for v in $(compgen -e); do
        [[ "$v" == KEYGATE_* ]] && unset "$v"
    done
    exec "$jdk/bin/java" ${java_opts[@]+"${java_opts[@]}"} -jar "$jar" serve \
        --listen "127.0.0.1:$PORT" --data-dir "$tmp/data" --bootstrap-token-file "$tmp/admin-token"
) >"$tmp/server.log" 2>&1 &
server_pid=$!
for ((i = 0; ; i++)); do
    kill -0 "$server_pid" 2>/dev/null || die "the server exited during start-up"
    if curl -fsS -o /dev/null --max-time 2 "$base/healthz" 2>/dev/null && [[ -s "$tmp/admin-token" ]]; then
        break
    fi
    ((i < 600)) || die "the server did not answer GET /healthz (with the bootstrap token written) within 60 s"
    sleep 0.1
done
say "keygate is up on $base"

# The admin token goes into a header file (mode 0600) read by curl -H @file: never on a command line.
admin=$(tr -d '[:space:]' <"$tmp/admin-token")
[[ -n "$admin" ]] || die "the bootstrap token file is empty"
printf 'Authorization: Bearer %s\n' "$admin" >"$tmp/auth.hdr"
unset admin

api() { # METHOD PATH BODY EXPECTED_STATUS; the response body is left in $tmp/resp.json
    local code
    printf '%s' "$3" >"$tmp/req.json"
    code=$(curl -sS -o "$tmp/resp.json" -w '%{http_code}' -X "$1" -H @"$tmp/auth.hdr" \
        -H 'Content-Type: application/json' --data-binary @"$tmp/req.json" "$base$2") \
        || die "curl $1 $2 failed"
    [[ "$code" == "$4" ]] || die "$1 $2: HTTP $code, expected $4: $(head -c 600 "$tmp/resp.json" | redact)"
}

api POST /v1/roles '{"name":"bench-reader","description":"bench/http-verify.sh","permissions":["bench.items:read"]}' 201
api POST /v1/principals '{"name":"bench-svc","kind":"service","description":"bench/http-verify.sh"}' 201
if [[ -n "$BOUND" ]]; then
    api POST /v1/tokens '{"principal":"bench-svc","roles":["bench-reader"],"name":"bench","ttl":"1h","allowed_cidrs":["10.0.0.0/8","127.0.0.0/8"],"rate_limit":{"limit":1000000,"window":"1s"}}' 201
    export KEYGATE_BENCH_IP=10.1.2.3
else
    api POST /v1/tokens '{"principal":"bench-svc","roles":["bench-reader"],"name":"bench","ttl":"1h"}' 201
fi
KEYGATE_BENCH_TOKEN=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$tmp/resp.json") \
    || die "POST /v1/tokens: no token in the response"
rm -f "$tmp/resp.json"
export KEYGATE_BENCH_TOKEN

# One verify by hand: the benchmark must measure an allowed decision, not an error path.
printf '{"token": "%s", "permission": "bench.items:read"%s}' "$KEYGATE_BENCH_TOKEN" \
    "${KEYGATE_BENCH_IP:+, \"context\": {\"ip\": \"$KEYGATE_BENCH_IP\"\}}" >"$tmp/verify.json"
code=$(curl -sS -o "$tmp/verify-resp.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary @"$tmp/verify.json" "$base/v1/verify") || die "curl POST /v1/verify failed"
[[ "$code" == 200 ]] || die "POST /v1/verify: HTTP $code: $(head -c 600 "$tmp/verify-resp.json" | redact)"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if r.get("allowed") is True and r.get("code")=="VALID" else 1)' \
    "$tmp/verify-resp.json" || die "POST /v1/verify did not allow bench.items:read: $(head -c 600 "$tmp/verify-resp.json" | redact)"
say "bench token created and verified (role bench-reader, principal bench-svc${BOUND:+, bound to networks with a rate limit})"

# --- the runs ----------------------------------------------------------------------------------------
run_wrk() { # ROUND NAME MODE URL DURATION
    local out
    {
        echo "=== round $1: $2 ($4)"
        echo "\$ wrk -t$THREADS -c$CONNECTIONS -d$5 --latency -s bench/verify.lua $4"
    } >>"$results"
    out=$(KEYGATE_BENCH_NAME=$2 KEYGATE_BENCH_MODE=$3 \
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$5" --latency -s bench/verify.lua "$4" 2>&1) \
        || { printf '%s\n' "$out" >>"$results"; die "wrk failed on $4: $(printf '%s' "$out" | tail -n3 | redact)"; }
    printf '%s\n\n' "$out" | redact >>"$results"
    local line
    line=$(printf '%s\n' "$out" | grep '^RESULT ' | tail -n1) || die "no RESULT line from wrk on $4"
    [[ "$2" == warmup ]] || printf '%s round=%s\n' "$line" "$1" >>"$tmp/results.txt"
    say "  round $1  ${line#RESULT }"
}

say "warm-up: $WARMUP of verify"
run_wrk 0 warmup verify "$base/v1/verify" "$WARMUP"
: >"$tmp/results.txt"
for ((r = 1; r <= ROUNDS; r++)); do
    [[ -n "$NGINX" ]] && run_wrk "$r" nginx get "http://127.0.0.1:$NGINX_PORT/" "$DURATION"
    run_wrk "$r" healthz get "$base/healthz" "$DURATION"
    run_wrk "$r" verify verify "$base/v1/verify" "$DURATION"
done

# --- the summary -------------------------------------------------------------------------------------
summary_rc=0
python3 - "$tmp/results.txt" >"$tmp/summary.txt" <<'PY' || summary_rc=$?
import statistics, sys

runs = {}
for line in open(sys.argv[1]):
    f = dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)
    runs.setdefault(f["name"], []).append(f)

def med(name, key):
    return statistics.median(float(r[key]) for r in runs[name])

print("== summary: medians across rounds")
print(f"{'target':<10}{'rounds':>7}{'rps':>12}{'p50 ms':>9}{'p99 ms':>9}{'p99.9 ms':>10}{'non-2xx':>9}{'errors':>8}   rps by round")
for name in ("nginx", "healthz", "verify"):
    if name not in runs:
        print(f"{name:<10}   (not measured)")
        continue
    rs = runs[name]
    print(f"{name:<10}{len(rs):>7}{med(name, 'rps'):>12,.0f}{med(name, 'p50_ms'):>9.3f}{med(name, 'p99_ms'):>9.3f}"
          f"{med(name, 'p999_ms'):>10.3f}{sum(int(r['non2xx']) for r in rs):>9}{sum(int(r['errors']) for r in rs):>8}   "
          + " ".join(f"{float(r['rps']):,.0f}" for r in rs))

missed = False
def check(label, value, ok, target):
    global missed
    missed |= not ok
    print(f"{label:<16}{value:>10}   target {target:<10}{'ok' if ok else 'MISSED'}")

print()
v = med("verify", "rps")
if "nginx" in runs:
    ratio = v / med("nginx", "rps")
    check("verify/nginx", f"{ratio:.1%}", ratio >= 0.25, ">= 25%")
else:
    print("verify/nginx           n/a   (nginx not installed)")
ratio = v / med("healthz", "rps")
check("verify/healthz", f"{ratio:.1%}", ratio >= 0.70, ">= 70%")
p99 = med("verify", "p99_ms")
check("verify p99", f"{p99:.2f} ms", p99 < 5.0, "< 5 ms")

bad = sum(int(r["non2xx"]) + int(r["errors"]) for r in runs["verify"])
if bad:
    print(f"\nINVALID: {bad} verify requests failed (non-2xx or socket errors): the figures do not measure verify")
    sys.exit(1)
sys.exit(3 if missed else 0)
PY
cat "$tmp/summary.txt" >>"$results"
finished=yes
echo
cat "$tmp/summary.txt"
echo
echo "raw output: $results"
if ((summary_rc == 1)); then
    exit 1
elif ((summary_rc == 3)) && [[ "${STRICT:-}" == 1 ]]; then
    exit 3
elif ((summary_rc != 0 && summary_rc != 3)); then
    say "http-verify: the summary failed (exit $summary_rc)"
    exit 1
fi
