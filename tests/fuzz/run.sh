#!/usr/bin/env bash
# Build the libFuzzer targets with clang, write the seed corpus with the
# test generator, and run every target for SECONDS (default 60) each, two
# at a time. Crashes land in build-fuzz/crash/TARGET/; a crash that is
# fixed becomes a regression input: copy it to
# tests/fuzz/regressions/TARGET/ (test_fuzz_regress replays them all).
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-60}; shift || true
B=build-fuzz
CC=clang cmake -S . -B $B -DORIGINSCAN_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(frame lldp cdp dhcp dhcpv6 snmp ssh telnet http tls
                                    diameter diameter_heur s1ap ngap x2ap xnap gtpc gtpu pfcp oss)
cmake --build $B -j2 --target $(printf 'fuzz_%s ' "${targets[@]}") mobilegen >/dev/null
python3 tests/pcapgen/pcapgen.py seeds $B/seeds
$B/tests/mobilegen seeds $B/seeds         # the mobile control plane's (tests/mobilegen)
python3 tests/ossgen/ossgen.py seeds $B/seeds   # the OSS export reader's
run() {
  local t=$1
  mkdir -p $B/corpus/$t $B/crash/$t
  local seeds=$B/seeds/$t
  [ -d tests/fuzz/regressions/$t ] && seeds="$seeds tests/fuzz/regressions/$t"
  ASAN_OPTIONS=detect_leaks=1 $B/tests/fuzz/fuzz_$t $B/corpus/$t $seeds -max_total_time=$secs \
    -artifact_prefix=$B/crash/$t/ -print_final_stats=1 -max_len=65536 >$B/fuzz_$t.log 2>&1 || true
  printf '%-8s %s\n' "$t" "$(grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' $B/fuzz_$t.log | tail -1)"
  ls $B/crash/$t 2>/dev/null | sed "s|^|  crash: $B/crash/$t/|"
}
i=0
for t in "${targets[@]}"; do
  run "$t" &
  i=$((i + 1))
  [ $((i % 2)) -eq 0 ] && wait
done
wait
