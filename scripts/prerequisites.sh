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

# Sourced by test.sh: Debian's Chromium at /usr/bin/chromium, which the dashboard's browser tests drive through
# Playwright (tests/Browser.Tests; Playwright never downloads a browser of its own). Idempotent.
install_chromium() {
    local chromium=/usr/bin/chromium
    [[ -x $chromium ]] && return 0
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            echo "Chromium is missing: the browser tests need Debian's chromium package ($chromium)." >&2
            echo "Install it as root (apt-get update && apt-get install -y chromium), then run this again." >&2
            exit 2
        fi
    fi
    if ! command -v apt-get >/dev/null; then
        echo "Chromium is missing and this is not a Debian system: install Chromium so that $chromium exists." >&2
        exit 2
    fi
    echo "Installing Chromium (Debian package chromium) for the browser tests..."
    # Non-interactive; waits for another apt or dpkg holding the lock instead of failing at once.
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -qq update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -qq install -y chromium >/dev/null
    if [[ ! -x $chromium ]]; then
        echo "apt-get install chromium did not provide $chromium" >&2
        exit 2
    fi
}
