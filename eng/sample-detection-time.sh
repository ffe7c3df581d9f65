#!/usr/bin/env bash
# Measures, on the web sample, the seconds from POST /leaks/cache/start to managed_heap Suspected and Leaking.
# Usage: dotnet build samples/LeakGuard.Samples.WebApi -c Release && eng/sample-detection-time.sh [IDLE_SECONDS]
# (needs curl, bc, python3). IDLE_SECONDS: how long the sample runs idle before the leak starts (default 15, just past
# its 10-s warm-up, as a reader opening the page first; 600 for a leak that begins in a process running for a while).
idle=${1:-15}
[[ $idle =~ ^[0-9]+$ ]] || { echo "IDLE_SECONDS must be a whole number of seconds, got '$idle'" >&2; exit 2; }
cd "$(dirname "$0")/.."
dotnet run --no-build -c Release --no-launch-profile --project samples/LeakGuard.Samples.WebApi -- --urls http://127.0.0.1:5097 > "${TMPDIR:-/tmp}/leakguard-sample.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
for i in $(seq 1 120); do curl -sf http://127.0.0.1:5097/leakguard/api/status >/dev/null && break; sleep 0.5; done
sleep "$idle"
start=$(date +%s.%N)
curl -sf -X POST http://127.0.0.1:5097/leaks/cache/start >/dev/null
suspected=""; leaking=""
for i in $(seq 1 600); do
  state=$(curl -sf http://127.0.0.1:5097/leakguard/api/status | python3 -c 'import json,sys; d=json.load(sys.stdin); print(next((v["state"] for v in d["verdicts"] if v["signal"]=="managed_heap"), "none"))')
  now=$(date +%s.%N)
  if [[ -z $suspected && ( $state == Suspected || $state == Leaking ) ]]; then suspected=$(echo "$now - $start" | bc); fi
  if [[ -z $leaking && $state == Leaking ]]; then leaking=$(echo "$now - $start" | bc); break; fi
  sleep 0.5
done
echo "suspected after ${suspected} s, leaking after ${leaking} s"
kill $pid; wait $pid 2>/dev/null
