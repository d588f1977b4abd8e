#!/usr/bin/env bash
# Runs every test on a fresh machine of this kind: installs what is missing (npm packages such as Azurite,
# Chromium for the browser tests), builds, and runs all test projects. Ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh
install_prerequisites
install_chromium
./build.sh

projects=(tests/*/*.Tests.csproj)

results=$(mktemp -d)
status=0
for project in "${projects[@]}"; do
    name=$(basename "$project" .csproj)
    echo "== $name"
    set +e
    # A test that hangs fails its project after 10 minutes, naming the test, instead of stalling the whole run.
    dotnet test "$project" --no-build --nologo --blame-hang-timeout 10m --blame-hang-dump-type none --logger "console;verbosity=minimal" --logger "trx;LogFileName=$name.trx" --results-directory "$results" > "$results/$name.log" 2>&1
    code=$?
    set -e
    # The summary, each failed test with its message (the lines under "Error Message:"), aborts and errors.
    awk '/Error Message:/ { print; message = 6; next }
         message > 0 { print; message--; next }
         /^[[:space:]]+Failed |^[[:space:]]+(Assert|Expected|Actual)|^(Passed|Failed)!|Test Run Aborted|inactivity time|^DurablePipelines\.|error/' \
        "$results/$name.log" | head -200 || true
    if [[ $code -ne 0 ]]; then
        echo "$name: dotnet test exited with $code"
        status=1
    fi
done

read -r passed failed skipped < <(python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
p = f = s = 0
for trx in glob.glob(sys.argv[1] + "/*.trx"):
    counters = ET.parse(trx).getroot().find(".//{*}Counters")
    if counters is None:
        continue
    p += int(counters.get("passed", 0))
    f += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    s += int(counters.get("notExecuted", 0))
print(p, f, s)
PY
)
[[ $failed -eq 0 ]] || status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
