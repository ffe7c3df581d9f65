#!/usr/bin/env bash
# Measures, on the web sample, how soon managed_heap is Suspected and Leaking for a leak that follows a freed one: the
# cache leak runs LEAK_SECONDS, is stopped and freed (POST /leaks/cache/stop, DELETE /leaks/cache), the sample idles
# GAP_SECONDS, then the leak starts again and runs 300 s. Prints the seconds from each start to the first Suspected and
# the first Leaking (empty: not reached while that leak ran).
# Usage: dotnet build samples/LeakGuard.Samples.WebApi -c Release && eng/sample-second-leak-time.sh [LEAK_SECONDS [GAP_SECONDS]]
# (needs curl, bc, python3; defaults 60 and 120).
leak=${1:-60}
gap=${2:-120}
for value in "$leak" "$gap"; do
  [[ $value =~ ^[0-9]+$ ]] || { echo "LEAK_SECONDS and GAP_SECONDS must be whole numbers of seconds, got '$value'" >&2; exit 2; }
done
cd "$(dirname "$0")/.."
url=http://127.0.0.1:5096
dotnet run --no-build -c Release --no-launch-profile --project samples/LeakGuard.Samples.WebApi -- --urls $url > "${TMPDIR:-/tmp}/leakguard-sample-second-leak.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
for i in $(seq 1 120); do curl -sf $url/leakguard/api/status >/dev/null && break; sleep 0.5; done
sleep 15

state() {
  curl -sf $url/leakguard/api/status | python3 -c 'import json,sys; d=json.load(sys.stdin); print(next((v["state"] for v in d["verdicts"] if v["signal"]=="managed_heap"), "none"))'
}

# Starts the leak and polls managed_heap for $1 seconds; prints "suspected after X s, leaking after Y s".
watch_leak() {
  local deadline=$1 start suspected="" leaking="" now st
  start=$(date +%s.%N)
  curl -sf -X POST $url/leaks/cache/start >/dev/null
  while :; do
    st=$(state); now=$(date +%s.%N)
    if [[ -z $suspected && ( $st == Suspected || $st == Leaking ) ]]; then suspected=$(echo "$now - $start" | bc); fi
    if [[ -z $leaking && $st == Leaking ]]; then leaking=$(echo "$now - $start" | bc); fi
    if (( $(echo "$now - $start >= $deadline" | bc) )); then break; fi
    sleep 0.5
  done
  echo "suspected after ${suspected} s, leaking after ${leaking} s"
}

echo -n "first leak (${leak} s): "; watch_leak "$leak"
curl -sf -X POST $url/leaks/cache/stop >/dev/null
curl -sf -X DELETE $url/leaks/cache >/dev/null
sleep "$gap"
echo -n "second leak, ${gap} s after the first was freed: "; watch_leak 300
kill $pid; wait $pid 2>/dev/null
