#!/usr/bin/env bash
# Builds kompose, the peer that `bench/convert.mjs` measures `qed-bootstrap
# convert` against, from its Go module into the test environment's binary cache
# (outside the repository), and prints the binary's path on stdout. A binary
# already in the cache is kept, so a warm run only checks that the file is there.
#
# Why a throwaway module rather than `go install github.com/kubernetes/kompose@V`:
# kompose's go.mod carries a replace directive (openshift/api), which `go install
# pkg@version` refuses, and the install also asks the proxy for the module's
# version list, which the proxy on some machines does not serve. Requiring the
# exact version from a module of our own, with upstream's replaces copied over,
# needs neither.
set -euo pipefail

# shellcheck source=build-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/build-common.sh"

v=$KOMPOSE_VERSION
out="$bin/$(tag "kompose-$v")"
if [ -x "$out" ]; then
  log "kompose $v: cached"
  printf '%s\n' "$out"
  exit 0
fi

command -v go >/dev/null 2>&1 || {
  log "go not found: install Go (https://go.dev/dl/) to build kompose"
  exit 3
}
mkdir -p "$bin" "$src"
mod="$src/kompose-$v"
mkdir -p "$mod"
cd "$mod"
if [ ! -f go.sum ] || [ ! -f commit.txt ]; then
  log "kompose $v: preparing module"
  printf 'module qed-testenv/kompose\n\ngo 1.26\n' > go.mod
  printf 'package main\n\nimport (\n\t"fmt"\n\t"os"\n\n\t"github.com/kubernetes/kompose/cmd"\n)\n\nfunc main() {\n\tif err := cmd.Execute(); err != nil {\n\t\tfmt.Fprintln(os.Stderr, err)\n\t\tos.Exit(1)\n\t}\n}\n' > main.go
  go mod download -json "github.com/kubernetes/kompose@$v" > download.json
  upstream=$(sed -n 's/.*"GoMod": "\(.*\)".*/\1/p' download.json)
  # The commit the tag points at, for `kompose version` (upstream stamps it too).
  sed -n 's/.*"Hash": "\([0-9a-f]\{7\}\).*/\1/p' download.json | head -n 1 > commit.txt
  go mod edit -require="github.com/kubernetes/kompose@$v"
  # Upstream's replace directives, single-line or in a block, as OLD[@V]=NEW[@V].
  awk '
    /^replace[ \t]*\($/ { block = 1; next }
    block && /^\)/ { block = 0; next }
    /^replace[ \t]/ || block {
      line = $0; sub(/^replace[ \t]+/, "", line); sub(/[ \t]*\/\/.*$/, "", line)
      split(line, side, /[ \t]*=>[ \t]*/)
      n = split(side[1], l, /[ \t]+/); m = split(side[2], r, /[ \t]+/)
      old = l[1]; if (n > 1 && l[2] != "") old = old "@" l[2]
      new = r[1]; if (m > 1 && r[2] != "") new = new "@" r[2]
      if (old != "") print old "=" new
    }' "$upstream" > replaces.txt
  while read -r rep; do
    go mod edit -replace="$rep"
  done < replaces.txt
  go mod tidy
fi
log "kompose $v: building (a minute or two on a cold cache)"
go build -trimpath -ldflags="-s -w -X github.com/kubernetes/kompose/pkg/version.GITCOMMIT=$(cat commit.txt)" -o "$out.tmp" .
mv "$out.tmp" "$out"
log "kompose $v: built"
printf '%s\n' "$out"
