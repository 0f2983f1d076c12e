#!/usr/bin/env bash
# Installs what the editor end-to-end tests need, idempotently (a second run only checks):
#   - Debian packages: neovim (0.7.2 here), chromium, ripgrep, and the headers code-server's native modules build against;
#   - the npm packages of package.json (vscode-languageclient, esbuild, vsce, playwright-core);
#   - code-server 4.100.3 under .cache/code-server-4.100.3 (ignored by git), installed the way that works on Node 20
#     without the internet: its postinstall scripts are skipped and their steps done here, with Debian's ripgrep.
# Usage: client/e2e/setup.sh            (as root for apt-get; otherwise the packages must be there already)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CODE_SERVER_VERSION=4.100.3
export npm_config_loglevel=error npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

fail() { echo "client/e2e/setup.sh: FAIL: $*" >&2; exit 1; }

# --- Debian packages --------------------------------------------------------------------------------------------
need=()
command -v nvim >/dev/null 2>&1 || need+=(neovim)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
for pkg in libkrb5-dev libxkbfile-dev libsecret-1-dev build-essential python3; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || fail "please install these Debian packages (needs root): ${need[*]}"
  echo "Installing Debian packages: ${need[*]}"
  # apt may be busy (another job on the machine): wait for its lock rather than fail.
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${need[@]}" >/dev/null
fi
command -v node >/dev/null 2>&1 || fail "Node.js 20 is needed (node not on PATH)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" = 20 ] || echo "warning: code-server $CODE_SERVER_VERSION needs Node 20; this is Node $node_major" >&2

# --- the extension's npm packages -------------------------------------------------------------------------------
cd "$repo"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "npm ci (extension and test packages)"
  npm ci
fi

# --- code-server -----------------------------------------------------------------------------------------------
cs_root="$repo/.cache/code-server-$CODE_SERVER_VERSION"
cs="$cs_root/node_modules/code-server"
stamp="$cs_root/.installed"
if [ ! -f "$stamp" ]; then
  echo "Installing code-server $CODE_SERVER_VERSION into $cs_root (a few minutes, once)"
  started=$(date +%s)
  mkdir -p "$cs_root"
  cd "$cs_root"
  [ -f package.json ] || echo '{"name":"code-server-e2e","private":true}' > package.json
  npm install --ignore-scripts --save-exact "code-server@$CODE_SERVER_VERSION"
  npm rebuild argon2
  cd "$cs/lib/vscode"
  npm install --omit=dev --ignore-scripts
  # @vscode/ripgrep's postinstall downloads rg from GitHub: use Debian's instead.
  mkdir -p node_modules/@vscode/ripgrep/bin
  ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  npm_config_yes=true npm rebuild
  # What code-server's postinstall.sh does after installing.
  rm -rf node_modules.asar && ln -s node_modules node_modules.asar
  (cd bin/remote-cli && rm -f code-server && ln -s code-linux.sh code-server)
  (cd bin/helpers && rm -f browser.sh && ln -s browser-linux.sh browser.sh)
  cd extensions
  npm install --omit=dev
  date -u > "$stamp"
  echo "code-server installed in $(( $(date +%s) - started )) s"
fi
node "$cs/out/node/entry.js" --config "$cs_root/config.yaml" --version >/dev/null || fail "code-server does not start: rm -rf $cs_root and run again"
echo "code-server $(node "$cs/out/node/entry.js" --config "$cs_root/config.yaml" --version | head -1)"
