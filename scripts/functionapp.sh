# Sourced by build.sh and test.sh. Decides whether the Azure Functions app can be built on this machine:
# its packages (Microsoft.Azure.Functions.Worker*, Microsoft.DurableTask*) are missing from some package
# sources. When they cannot be restored, say so in one line and build everything else.
functionapp_projects=(src/FunctionApp/FunctionApp.csproj tests/FunctionApp.Tests/FunctionApp.Tests.csproj)

functionapp_available() {
    local project
    for project in "${functionapp_projects[@]}"; do
        [[ -f "$project" ]] || return 1
        if ! dotnet restore "$project" --verbosity quiet >/tmp/dp-functionapp-restore.log 2>&1; then
            return 1
        fi
    done
    return 0
}

if [[ -n "${FUNCTIONAPP:-}" ]]; then
    :
elif functionapp_available; then
    FUNCTIONAPP=1
    echo "FunctionApp: packages restored; building and testing src/FunctionApp too."
else
    FUNCTIONAPP=0
    echo "FunctionApp: skipped - the Azure Functions worker and Durable Task packages cannot be restored from this machine's package source (see /tmp/dp-functionapp-restore.log); building and testing everything else."
fi
export FUNCTIONAPP
