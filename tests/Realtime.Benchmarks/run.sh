#!/usr/bin/env bash
# The benchmark: builds Release, then measures floor (raw Kestrel), SignalR and the realtime
# gateway (embedded, split, two gateways) side by side. Arguments go to the program:
#   --quick (smaller, shorter), --reps N (default 3), --only floor,signalr,embedded,split,split2
# Results: tests/artifacts/benchmarks/results.jsonl and results.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
if ! command -v redis-server >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" = "0" ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends redis-server >/dev/null
fi
# 10,000 connections need as many descriptors in the generator and in each server.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
dotnet build -c Release tests/Realtime.Benchmarks -v q -nologo -clp:ErrorsOnly
exec dotnet tests/Realtime.Benchmarks/bin/Release/net10.0/Realtime.Benchmarks.dll run "$@"
