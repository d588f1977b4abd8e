#!/usr/bin/env bash
# Builds every project: the solution (the Function App and its tests included) and the benchmark program.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build Functions.sln --nologo -v q -clp:ErrorsOnly
dotnet build bench/Bench.csproj --nologo -v q -clp:ErrorsOnly
