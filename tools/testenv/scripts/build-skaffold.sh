#!/usr/bin/env bash
# Builds skaffold, the peer that `bench/dev.mjs` measures `qed-bootstrap dev`
# against, from its Go module into the test environment's binary cache (outside
# the repository), and prints the binary's path on stdout. A binary already in the
# cache is kept, so a warm run only checks that the file is there.
#
# Why a writable copy of the module rather than `go install ...skaffold@V`: the
# module's go.mod carries replace directives (docker, docker/cli, viper, ...), which
# `go install pkg@version` refuses, and the install also asks the proxy for the
# module's version list, which the proxy on some machines does not serve. An exact
# `go mod download` is served; built in place, the copy is the main module, so its
# own replaces and go.sum apply as in the release build. Upstream builds from a
# vendor folder the module zip does not carry: the module cache stands in for it.
# Nothing in skaffold needs cgo, so CGO is off (a static binary, as upstream ships).
set -euo pipefail

# shellcheck source=build-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/build-common.sh"

# v2.16.1 is served by the module proxy (v2.17.0 was refused); versions.env may pin another.
v=${SKAFFOLD_VERSION:-v2.16.1}
out="$bin/$(tag "skaffold-$v")"
if [ -x "$out" ]; then
  log "skaffold $v: cached"
  printf '%s\n' "$out"
  exit 0
fi

command -v go >/dev/null 2>&1 || {
  log "go not found: install Go (https://go.dev/dl/) to build skaffold"
  exit 3
}
mkdir -p "$bin" "$src"
mod="$src/skaffold-$v"
if [ ! -f "$mod/go.mod" ] || [ ! -f "$mod/commit.txt" ]; then
  log "skaffold $v: preparing module"
  download=$(go mod download -json "github.com/GoogleContainerTools/skaffold/v2@$v")
  dir=$(printf '%s\n' "$download" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  rm -rf "$mod.tmp" && cp -r "$dir" "$mod.tmp" && chmod -R u+w "$mod.tmp"
  # The commit the tag points at, for `skaffold version` (upstream stamps it too).
  printf '%s\n' "$download" | sed -n 's/.*"Hash": "\([0-9a-f]\{40\}\)".*/\1/p' | head -n 1 > "$mod.tmp/commit.txt"
  mv "$mod.tmp" "$mod"
fi
log "skaffold $v: building (a big module: several minutes on two cold cores)"
pkg=github.com/GoogleContainerTools/skaffold/v2/pkg/skaffold/version
(cd "$mod" && CGO_ENABLED=0 go build -trimpath -tags "timetzdata osusergo netgo" \
  -ldflags="-s -w -X $pkg.version=$v -X $pkg.gitCommit=$(cat commit.txt) -X $pkg.buildDate=1970-01-01T00:00:00Z" \
  -o "$out.tmp" ./cmd/skaffold)
mv "$out.tmp" "$out"
log "skaffold $v: built"
printf '%s\n' "$out"
