#!/usr/bin/env bash
# Builds every project that can be built here (see scripts/functionapp.sh for the Function App).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/functionapp.sh
dotnet build Functions.sln --nologo -v q -clp:ErrorsOnly
dotnet build bench/Bench.csproj --nologo -v q -clp:ErrorsOnly
if [[ $FUNCTIONAPP == 1 ]]; then
    for project in "${functionapp_projects[@]}"; do
        dotnet build "$project" --nologo -v q -clp:ErrorsOnly
    done
fi
