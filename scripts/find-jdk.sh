# shellcheck shell=bash
# Finds a JDK 21 or newer for Keygate's scripts (./keygate, ./build, .ci/run, bench/http-verify.sh).
# This is the one place that logic lives.
#
#   . scripts/find-jdk.sh
#   keygate_find_jdk || exit 1    # sets KEYGATE_JDK (the JDK's home) and KEYGATE_JDK_VERSION
#
# Order: $JAVA_HOME, if it is a JDK >= 21; else the newest JDK >= 21 directly under $KEYGATE_JVM_ROOT
# (default /usr/lib/jvm; several roots may be given, separated by ':'); else the JDK behind `java` on
# PATH, if it is >= 21. A "JDK" is a directory with bin/java and bin/javac; its version comes from its
# `release` file, or else from `bin/java -version`.
# Run directly (bash scripts/find-jdk.sh), it prints the home of the JDK it picks.
#
# Sourcing defines functions and sets no shell options; it works under `set -euo pipefail`.

KEYGATE_MIN_JAVA=21

# _kg_jdk_version HOME: prints HOME's full Java version (e.g. 25.0.3, 17.0.15, 1.8.0_412), or fails.
_kg_jdk_version() {
    local home=$1 line v=""
    [[ -x "$home/bin/java" && -x "$home/bin/javac" ]] || return 1
    if [[ -r "$home/release" ]]; then
        line=$(grep -m1 '^JAVA_VERSION=' "$home/release" 2>/dev/null || true)
        v=${line#JAVA_VERSION=}
        v=${v//\"/}
    fi
    if [[ -z "$v" ]]; then
        # The first line may be "Picked up JAVA_TOOL_OPTIONS: ...": take the line with ' version "'.
        line=$("$home/bin/java" -version 2>&1 | grep -m1 ' version "' || true)
        v=${line#*\"}
        v=${v%%\"*}
    fi
    [[ -n "$v" && "$v" == [0-9]* ]] || return 1
    printf '%s\n' "$v"
}

# _kg_major VERSION: 25.0.3 -> 25, 21 -> 21, 1.8.0_412 -> 8, 26-ea -> 26.
_kg_major() {
    local v=$1
    [[ "$v" == 1.* ]] && v=${v#1.}
    v=${v%%[!0-9]*}
    printf '%s\n' "${v:-0}"
}

# _kg_version_gt A B: true if version A is newer than version B (numeric, field by field).
_kg_version_gt() {
    local IFS='._+-' i x y
    local -a a b
    read -r -a a <<<"$1"
    read -r -a b <<<"$2"
    for ((i = 0; i < ${#a[@]} || i < ${#b[@]}; i++)); do
        x=${a[i]:-0}; y=${b[i]:-0}
        x=${x%%[!0-9]*}; y=${y%%[!0-9]*}
        x=$((10#${x:-0})); y=$((10#${y:-0}))
        ((x > y)) && return 0
        ((x < y)) && return 1
    done
    return 1
}

# keygate_find_jdk: sets KEYGATE_JDK and KEYGATE_JDK_VERSION, or says what it found and returns 1.
keygate_find_jdk() {
    local found=() best="" best_v="" d real v m java_path roots root
    local seen=$'\n'   # homes already looked at, one per line (no associative arrays: bash 3.2 has none)
    KEYGATE_JDK=""
    KEYGATE_JDK_VERSION=""

    # 1. $JAVA_HOME
    if [[ -n "${JAVA_HOME:-}" ]]; then
        real=$(CDPATH='' cd -P -- "$JAVA_HOME" 2>/dev/null && pwd) || real=$JAVA_HOME
        seen+="$real"$'\n'
        if v=$(_kg_jdk_version "$JAVA_HOME"); then
            m=$(_kg_major "$v")
            if ((m >= KEYGATE_MIN_JAVA)); then
                KEYGATE_JDK=${JAVA_HOME%/}
                KEYGATE_JDK_VERSION=$v
                return 0
            fi
            found+=("JAVA_HOME=$JAVA_HOME ($v)")
        else
            found+=("JAVA_HOME=$JAVA_HOME (not a JDK)")
        fi
    fi

    # 2. The newest JDK >= 21 under the search root(s).
    roots=${KEYGATE_JVM_ROOT:-/usr/lib/jvm}
    local IFS_SAVE=$IFS
    IFS=':'
    # shellcheck disable=SC2206
    local -a root_list=($roots)
    IFS=$IFS_SAVE
    for root in "${root_list[@]}"; do
        [[ -d "$root" ]] || continue
        for d in "$root"/*; do
            [[ -d "$d" ]] || continue
            real=$(CDPATH='' cd -P -- "$d" 2>/dev/null && pwd) || continue
            [[ "$seen" == *$'\n'"$real"$'\n'* ]] && continue
            seen+="$real"$'\n'
            v=$(_kg_jdk_version "$real") || continue
            m=$(_kg_major "$v")
            if ((m < KEYGATE_MIN_JAVA)); then
                found+=("$real ($v)")
                continue
            fi
            if [[ -z "$best" ]] || _kg_version_gt "$v" "$best_v"; then
                best=$real
                best_v=$v
            fi
        done
    done
    if [[ -n "$best" ]]; then
        KEYGATE_JDK=$best
        KEYGATE_JDK_VERSION=$best_v
        return 0
    fi

    # 3. The JDK behind `java` on PATH (covers SDKMAN, macOS and other layouts).
    if java_path=$(command -v java 2>/dev/null); then
        d=$("$java_path" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.home = //p' | head -n1)
        if [[ -n "$d" ]]; then
            real=$(CDPATH='' cd -P -- "$d" 2>/dev/null && pwd) || real=$d
            if [[ "$seen" != *$'\n'"$real"$'\n'* ]]; then
                if v=$(_kg_jdk_version "$real"); then
                    m=$(_kg_major "$v")
                    if ((m >= KEYGATE_MIN_JAVA)); then
                        KEYGATE_JDK=$real
                        KEYGATE_JDK_VERSION=$v
                        return 0
                    fi
                    found+=("$real ($v, the java on PATH)")
                else
                    found+=("$java_path (not a JDK)")
                fi
            fi
        fi
    fi

    local list="none"
    if ((${#found[@]})); then
        list=$(printf '%s, ' "${found[@]}")
        list=${list%, }
    fi
    echo "keygate: needs a JDK $KEYGATE_MIN_JAVA or newer; set JAVA_HOME (found: $list)" >&2
    return 1
}

# Run directly: print the JDK's home.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    keygate_find_jdk || exit 1
    printf '%s\n' "$KEYGATE_JDK"
fi
