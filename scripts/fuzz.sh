#!/bin/sh
# Fuzz one reader for a while: scripts/fuzz.sh TARGET MINUTES [JOBS]
#
# TARGET is `scenario` (parser, validator, facility model) or `trace_FORMAT` for FORMAT one
# of native, helios, acme, philly, pai2020, openb, tiresias, swf; `scripts/fuzz.sh list`
# lists them. Runs with the stable toolchain (RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its
# nightly flags); needs `cargo install cargo-fuzz`. The corpus starts from the test
# fixtures and grows in fuzz/corpus/TARGET; crashes land in fuzz/artifacts/TARGET. JOBS
# (default 1) runs that many fuzzing processes side by side. Prints libFuzzer's final
# statistics (executions, coverage) at the end.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)

if [ "${1:-}" = list ] || [ $# -lt 2 ]; then
    [ $# -lt 2 ] && [ "${1:-}" != list ] && echo "usage: scripts/fuzz.sh TARGET MINUTES [JOBS]" >&2
    (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz list)
    [ "${1:-}" = list ]
    exit $?
fi
target=$1
minutes=$2
jobs=${3:-1}
case $minutes in
    *[!0-9]* | '') echo "MINUTES must be a whole number, not '$minutes'" >&2; exit 2 ;;
esac
command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz is missing: cargo install cargo-fuzz" >&2; exit 2; }

# Seeds: the fixtures the tests read, by format.
seeds=$root/fuzz/seeds/$target
rm -rf "$seeds"
mkdir -p "$seeds"
fixtures=$root/crates/gigafactory/tests/fixtures
copy() { for f in "$@"; do [ -f "$f" ] && cp "$f" "$seeds/"; done; return 0; }
case $target in
    scenario)
        copy "$root"/crates/gigafactory/scenarios/*.toml "$root"/examples/*.toml \
            "$root"/crates/gigafactory-cli/tests/bad/*.toml \
            "$root"/crates/gigafactory-cli/tests/scenarios/*.toml
        ;;
    trace_native) copy "$fixtures"/native*.csv ;;
    trace_helios) copy "$fixtures"/helios*.csv ;;
    trace_acme) copy "$fixtures"/acme*.csv ;;
    trace_philly) copy "$fixtures"/philly* ;;
    trace_openb) copy "$fixtures"/openb*.csv ;;
    trace_tiresias) copy "$fixtures"/tiresias*.csv ;;
    trace_swf) copy "$fixtures"/*.swf ;;
    trace_pai2020)
        # The job table, a NUL byte, the task table: as the target splits its input.
        for d in "$fixtures"/pai "$fixtures"/pai_bad; do
            { cat "$d/pai_job_table.csv"; printf '\000'; cat "$d/pai_task_table.csv"; } \
                >"$seeds/$(basename "$d")"
        done
        ;;
    *) echo "no fuzz target '$target': scripts/fuzz.sh list" >&2; exit 2 ;;
esac

mkdir -p "fuzz/corpus/$target"
cd fuzz
# No sanitizer: the library has no unsafe code, and libFuzzer's coverage guidance is what
# finds panics; debug assertions (overflow checks) stay on, as cargo-fuzz builds them.
# Several processes write their logs to fuzz/fuzz-N.log; one writes to the terminal.
parallel=""
[ "$jobs" -gt 1 ] && parallel="-jobs=$jobs -workers=$jobs"
# shellcheck disable=SC2086
RUSTC_BOOTSTRAP=1 exec cargo fuzz run --sanitizer none "$target" "corpus/$target" "$seeds" -- \
    -max_total_time=$((minutes * 60)) -print_final_stats=1 -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 $parallel
