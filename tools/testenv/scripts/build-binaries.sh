#!/usr/bin/env bash
# Builds the control-plane binaries the test environment runs, from Go modules,
# into a cache keyed by version outside the repository. A binary already in the
# cache is kept, so a warm run only checks that the files are there.
#
# Why a throwaway module: k8s.io/kubernetes cannot be `go install`ed because its
# go.mod replaces every k8s.io staging module with ./staging/src/...; we require
# it from a module of our own that replaces each staging module with its
# published v0.Y.Z instead.
set -euo pipefail

# shellcheck source=build-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/build-common.sh"
mkdir -p "$bin" "$src"

need_go() {
  command -v go >/dev/null 2>&1 || {
    log "go not found: install Go (https://go.dev/dl/) to build the control plane"
    exit 3
  }
}

# Kubernetes: kube-apiserver, kube-controller-manager, kube-scheduler.
build_kubernetes() {
  local v=$KUBERNETES_VERSION staging_v="v0.${KUBERNETES_VERSION#v1.}"
  local t; t=$(tag "$v")
  local missing=()
  for c in kube-apiserver kube-controller-manager kube-scheduler; do
    [ -x "$bin/$c-$t" ] || missing+=("$c")
  done
  [ ${#missing[@]} -eq 0 ] && { log "kubernetes $v: cached"; return; }
  need_go
  local mod="$src/kubernetes-$v"
  mkdir -p "$mod"
  if [ ! -f "$mod/go.sum" ]; then
    log "kubernetes $v: preparing module (staging modules -> $staging_v)"
    (
      cd "$mod"
      cat > go.mod <<MOD
module qed-testenv/kubernetes

go 1.26
MOD
      printf 'package tools\n\nimport (\n\t_ "k8s.io/kubernetes/cmd/kube-apiserver/app"\n\t_ "k8s.io/kubernetes/cmd/kube-controller-manager/app"\n\t_ "k8s.io/kubernetes/cmd/kube-scheduler/app"\n)\n' > tools.go
      go mod download -json "k8s.io/kubernetes@$v" > download.json
      local upstream
      upstream=$(sed -n 's/.*"GoMod": "\(.*\)".*/\1/p' download.json)
      # Every staging module replaced by ./staging/src in upstream's go.mod.
      sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9.-]*\) => ./staging/src/.*#\1#p' "$upstream" > staging.txt
      go mod edit -require="k8s.io/kubernetes@$v"
      while read -r m; do
        go mod edit -replace="$m=$m@$staging_v"
      done < staging.txt
      go mod tidy
    )
  fi
  # Release builds stamp the version at link time; without it the API server
  # reports v0.0.0-master and kubectl refuses to parse the server version.
  local minor=${v#v1.}; minor=${minor%%.*}
  local pkg=k8s.io/component-base/version
  local stamp="-X $pkg.gitVersion=$v -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  for c in "${missing[@]}"; do
    log "kubernetes $v: building $c (minutes on a cold cache)"
    (cd "$mod" && go build -trimpath -ldflags="-s -w $stamp" -o "$bin/$c-$t.tmp" "k8s.io/kubernetes/cmd/$c")
    mv "$bin/$c-$t.tmp" "$bin/$c-$t"
  done
}

build_etcd() {
  local v=$ETCD_VERSION
  local t; t=$(tag "$v")
  [ -x "$bin/etcd-$t" ] && { log "etcd $v: cached"; return; }
  need_go
  local mod="$src/etcd-$v"
  mkdir -p "$mod"
  (
    cd "$mod"
    if [ ! -f go.sum ]; then
      printf 'module qed-testenv/etcd\n\ngo 1.26\n' > go.mod
      printf 'package main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n' > main.go
      go mod edit -require="go.etcd.io/etcd/server/v3@$v"
      go mod tidy
    fi
    log "etcd $v: building"
    go build -trimpath -ldflags="-s -w" -o "$bin/etcd-$t.tmp" .
  )
  mv "$bin/etcd-$t.tmp" "$bin/etcd-$t"
}

build_kwok() {
  local v=$KWOK_VERSION
  local t; t=$(tag "$v")
  [ -x "$bin/kwok-$t" ] && { log "kwok $v: cached"; return; }
  need_go
  log "kwok $v: building"
  local gobin="$src/kwok-$v-bin"
  mkdir -p "$gobin"
  GOBIN="$gobin" go install -trimpath -ldflags="-s -w" "sigs.k8s.io/kwok/cmd/kwok@$v"
  mv "$gobin/kwok" "$bin/kwok-$t"
}

what=${1:-all}
case "$what" in
  all) build_etcd; build_kwok; build_kubernetes ;;
  etcd) build_etcd ;;
  kwok) build_kwok ;;
  kubernetes) build_kubernetes ;;
  *) log "usage: $0 [all|etcd|kwok|kubernetes]"; exit 2 ;;
esac
log "binaries in $bin"
