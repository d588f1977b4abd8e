# Sourced by run.sh and test.sh: installs what a fresh machine of this kind lacks. Idempotent.
install_prerequisites() {
    if ! command -v dotnet >/dev/null; then
        echo "dotnet is missing: install the .NET 10 SDK first" >&2
        exit 2
    fi
    if [[ -f package.json ]]; then
        if ! command -v npm >/dev/null; then
            echo "npm is missing: install Node.js 20 or newer" >&2
            exit 2
        fi
        if [[ ! -d node_modules/azurite ]]; then
            echo "Installing npm packages (Azurite)..."
            npm ci --no-audit --no-fund --loglevel=error 2>/dev/null || npm install --no-audit --no-fund --loglevel=error
        fi
    fi
}
