#!/usr/bin/env bash
# Runs one leak-zoo scenario as its own process with the zoo's LeakGuard configuration (the values of
# tests/LeakGuard.IntegrationTests/Zoo/ZooEnvironment.cs), and prints when each signal first became Suspected or Leaking.
# Usage: dotnet build tests/LeakGuard.LeakZoo -c Release && eng/zoo-scenario.sh <scenario> [seconds] [runs-at-once]
#   e.g. eng/zoo-scenario.sh lru-cache 60 3   (three copies side by side, as the integration tests start them)
# Scenarios: dotnet exec tests/LeakGuard.LeakZoo/bin/Release/net10.0/LeakGuard.LeakZoo.dll --list
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:?scenario}; seconds=${2:-60}; copies=${3:-1}
out=$(mktemp -d)
export LeakGuard__Enabled=true LeakGuard__SampleInterval=00:00:00.050 LeakGuard__WarmUp=00:00:20 \
  LeakGuard__MemoryLimitBytes=4294967296 LeakGuard__Detection__Window=00:00:05 LeakGuard__Snapshots__Mode=OnSuspicion \
  LeakGuard__Snapshots__Delay=00:00:05 LeakGuard__Snapshots__Cooldown=00:10:00 LeakGuard__Reports__Directory="$out/reports" \
  Logging__Console__FormatterOptions__SingleLine=true Logging__LogLevel__Default=Warning Logging__LogLevel__LeakGuard=Information \
  DOTNET_gcServer=0 DOTNET_GCgen0size=200000
for i in $(seq 1 "$copies"); do
  dotnet exec tests/LeakGuard.LeakZoo/bin/Release/net10.0/LeakGuard.LeakZoo.dll "$scenario" --seconds "$seconds" --no-stdin > "$out/run$i.out" 2>&1 &
done
wait
for i in $(seq 1 "$copies"); do
  python3 - "$out/run$i.out" <<'PY'
import json, sys
seen, first = set(), []
for line in open(sys.argv[1]):
    if line.startswith("LEAKGUARD-VERDICT "):
        v = json.loads(line.split(" ", 1)[1])
        if v["state"] in ("Suspected", "Leaking") and (v["signal"], v["state"]) not in seen:
            seen.add((v["signal"], v["state"]))
            first.append(f'{v["signal"]} {v["state"]} at {v["t"]:.1f} s')
requests = sum("full garbage collection" in l for l in open(sys.argv[1]))
print("; ".join(first) or "no signal Suspected or Leaking", f"(full collections asked for: {requests})")
PY
done
echo "output and reports: $out"
