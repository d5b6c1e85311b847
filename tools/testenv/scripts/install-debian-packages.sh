#!/usr/bin/env bash
# Installs the Debian packages the test environment needs, only when missing.
# Runs as root (as on this workplace's machines) or through sudo when available.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../versions.env
source "$here/versions.env"

# Which list: DEBIAN_PACKAGES (the kwok lane) or MINIKUBE_DEBIAN_PACKAGES (the minikube lane).
list=${1:-DEBIAN_PACKAGES}
packages=${!list:?"$list is not a package list in versions.env"}
missing=()
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "[testenv apt] all packages present: $packages" >&2
  exit 0
fi
command -v apt-get >/dev/null 2>&1 || {
  echo "[testenv apt] apt-get not found; install these packages by hand: ${missing[*]}" >&2
  exit 3
}
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo -n"
echo "[testenv apt] installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
