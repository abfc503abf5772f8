#!/usr/bin/env bash
# The test command. Installs what the tests need when it is missing, runs every test project
# of Grains.sln, and ends with one line: "N passed, M failed, K skipped".
# Extra arguments go to `dotnet test` (e.g. --filter).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

install_packages() {
  local sudo=""
  if [ "$(id -u)" != "0" ]; then sudo="sudo"; fi
  echo "Installing: $*"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# The browser tests drive Debian's Chromium (REALTIME_CHROMIUM may name another); fonts for its screenshots.
if [ -z "${REALTIME_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then missing+=(chromium); fi
[ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
# The npm package test packs the browser client and installs it (with its dependency) from the registry.
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
  install_packages "${missing[@]}" || { echo "Could not install ${missing[*]}"; echo "0 passed, 1 failed"; exit 1; }
fi

results="$root/tests/artifacts/results"
rm -rf "$results"
mkdir -p "$results"

dotnet test Grains.sln \
  --logger "trx" \
  --logger "console;verbosity=normal" \
  --results-directory "$results" \
  --blame-hang-timeout 8m \
  "$@"
status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  value() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + $(value notExecuted)))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $status without a failed test (build error, crash or hang): counted as one failure."
  failed=1
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
