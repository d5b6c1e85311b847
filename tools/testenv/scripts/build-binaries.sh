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

# Kubernetes, from one throwaway module: the control plane (kube-apiserver,
# kube-controller-manager, kube-scheduler) and, for the minikube lane, the node's
# kubelet, kubeadm, kube-proxy and kubectl. One module and one Go build cache, so the
# node binaries cost little more than their link steps once the control plane is built.
k8s_control_plane=(kube-apiserver kube-controller-manager kube-scheduler)
k8s_node=(kubelet kubeadm kube-proxy kubectl)
build_kubernetes() {
  local v=$KUBERNETES_VERSION staging_v="v0.${KUBERNETES_VERSION#v1.}"
  local t; t=$(tag "$v")
  local missing=()
  for c in "$@"; do
    [ -x "$bin/$c-$t" ] || missing+=("$c")
  done
  [ ${#missing[@]} -eq 0 ] && { log "kubernetes $v ($*): cached"; return; }
  need_go
  local mod="$src/kubernetes-$v"
  mkdir -p "$mod"
  # Every command either lane builds, so one tidy serves both.
  local tools='package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver/app"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	_ "k8s.io/kubernetes/cmd/kube-scheduler/app"
	_ "k8s.io/kubernetes/cmd/kube-proxy/app"
	_ "k8s.io/kubernetes/cmd/kubeadm/app"
	_ "k8s.io/kubernetes/cmd/kubelet/app"
	_ "k8s.io/kubectl/pkg/cmd"
)
'
  if [ ! -f "$mod/go.sum" ] || [ "$(cat "$mod/tools.go" 2>/dev/null)" != "$(printf "$tools")" ]; then
    log "kubernetes $v: preparing module (staging modules -> $staging_v)"
    (
      cd "$mod"
      cat > go.mod <<MOD
module qed-testenv/kubernetes

go 1.26
MOD
      printf "$tools" > tools.go
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
  local pkgs=() out="$bin/.kubernetes-$t.tmp"
  for c in "${missing[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
  log "kubernetes $v: building ${missing[*]} (minutes on a cold cache)"
  rm -rf "$out"; mkdir -p "$out"
  # One go build for all of them: packages compile once and the links run side by side.
  (cd "$mod" && go build -trimpath -ldflags="-s -w $stamp" -o "$out/" "${pkgs[@]}")
  for c in "${missing[@]}"; do mv "$out/$c" "$bin/$c-$t"; done
  rmdir "$out"
}

# A command built from a tiny main of our own that requires one module (the module
# has no main we could `go install`, or builds more than we need). Its source comes
# on stdin; cached as <name>-<version>-r<revision>.
build_tiny_main() {
  local name=$1 v=$2 module=$3
  local t; t=$(tag "$v")
  if [ -x "$bin/$name-$t" ]; then log "$name $v: cached"; cat >/dev/null; return; fi
  need_go
  local mod="$src/$name-$v"
  mkdir -p "$mod"
  cat > "$mod/main.go.new"
  (
    cd "$mod"
    if [ ! -f go.sum ] || ! cmp -s main.go main.go.new; then
      printf 'module qed-testenv/%s\n\ngo 1.26\n' "$name" > go.mod
      mv main.go.new main.go
      go mod edit -require="$module@$v"
      go mod tidy
    fi
    rm -f main.go.new
    log "$name $v: building"
    go build -trimpath -ldflags="-s -w" -o "$bin/$name-$t.tmp" .
  )
  mv "$bin/$name-$t.tmp" "$bin/$name-$t"
}

build_etcd() {
  printf 'package main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n' |
    build_tiny_main etcd "$ETCD_VERSION" go.etcd.io/etcd/server/v3
}

# A command whose module can be `go install`ed at an exact version (no replace
# directives), cached as <name>-<version>-r<revision>.
go_install_binary() {
  local name=$1 v=$2 package=$3
  local t; t=$(tag "$v")
  [ -x "$bin/$name-$t" ] && { log "$name $v: cached"; return; }
  need_go
  log "$name $v: building"
  local gobin="$src/$name-$v-bin"
  mkdir -p "$gobin"
  GOBIN="$gobin" go install -trimpath -ldflags="-s -w" "$package@$v"
  mv "$gobin/$name" "$bin/$name-$t"
}

build_kwok() { go_install_binary kwok "$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok; }

# minikube, as its Makefile builds it (version stamps, the libvirt_dlopen tag), from
# a writable copy of its module: `go install k8s.io/minikube/cmd/minikube@v` asks the
# proxy for the module's version list (to look for a deprecation notice), which the
# proxy here refuses; an exact `go mod download` is served. v1.38.1's go.mod has no
# replace directives, so the copy builds as the release did, with its own go.sum.
build_minikube() {
  local v=$MINIKUBE_VERSION
  local t; t=$(tag "$v")
  [ -x "$bin/minikube-$t" ] && { log "minikube $v: cached"; return; }
  need_go
  log "minikube $v: building (the longest build here: ~15-20 min on two cold cores)"
  local mod="$src/minikube-$v" pkg=k8s.io/minikube/pkg/version dir
  if [ ! -f "$mod/go.mod" ]; then
    dir=$(go mod download -json "k8s.io/minikube@$v" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
    rm -rf "$mod.tmp" && cp -r "$dir" "$mod.tmp" && chmod -R u+w "$mod.tmp" && mv "$mod.tmp" "$mod"
  fi
  (cd "$mod" && go build -trimpath -tags libvirt_dlopen \
    -ldflags="-s -w -X $pkg.version=$v -X $pkg.isoVersion=v1.38.0 -X $pkg.storageProvisionerVersion=v5 -X $pkg.gitCommitID=module-proxy" \
    -o "$bin/minikube-$t.tmp" ./cmd/minikube)
  mv "$bin/minikube-$t.tmp" "$bin/minikube-$t"
}

build_crictl() { CGO_ENABLED=0 go_install_binary crictl "$CRI_TOOLS_VERSION" sigs.k8s.io/cri-tools/cmd/crictl; }

# CoreDNS with just the plugins kubeadm's Corefile and minikube's additions (hosts,
# log) use: the full plugin set pulls in every cloud SDK and triples the build.
build_coredns() {
  {
    printf 'package main\n\nimport (\n\t"github.com/coredns/coredns/coremain"\n\n\t_ "github.com/coredns/coredns/core/dnsserver"\n'
    for p in errors health ready kubernetes metrics forward cache loop reload loadbalance hosts log; do
      printf '\t_ "github.com/coredns/coredns/plugin/%s"\n' "$p"
    done
    printf ')\n\nfunc main() { coremain.Run() }\n'
  } | CGO_ENABLED=0 build_tiny_main coredns "$COREDNS_VERSION" github.com/coredns/coredns
}

# Our own small programs for the lane's images (pause, standin), named by a hash of
# their sources so an edit rebuilds them. yaml11-read, a module of its own, is not theirs.
build_programs() {
  local dir="$here/programs" h
  h=$(cd "$dir" && find . -path ./yaml11-read -prune -o \( -name '*.go' -o -name go.mod \) -print |
    LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-12)
  need_go
  for p in pause standin; do
    [ -x "$bin/$p-$h" ] && continue
    log "$p: building"
    (cd "$dir" && CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$bin/$p-$h.tmp" "./$p")
    mv "$bin/$p-$h.tmp" "$bin/$p-$h"
  done
  printf '%s\n' "$h" > "$bin/programs.hash"
}

# yaml11-read: sigs.k8s.io/yaml's YAMLToJSON, the decoding kubectl and the API server apply
# to a manifest, for the tests of the project's YAML writer (@qed/core formatKubeYaml). Its
# own module, pinned by its go.mod and go.sum; named by a hash of those and main.go (the
# tests compute the same name: yaml11ReaderBinary in src/yaml11-reader.ts).
build_yaml11_read() {
  local dir="$here/programs/yaml11-read" h
  h=$(cd "$dir" && cat main.go go.mod go.sum | sha256sum | cut -c1-12)
  [ -x "$bin/yaml11-read-$h" ] && { log "yaml11-read: cached"; return; }
  need_go
  log "yaml11-read: building"
  (cd "$dir" && CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$bin/yaml11-read-$h.tmp" .)
  mv "$bin/yaml11-read-$h.tmp" "$bin/yaml11-read-$h"
}

what=${1:-all}
case "$what" in
  all) build_etcd; build_kwok; build_kubernetes "${k8s_control_plane[@]}"; build_yaml11_read ;;
  etcd) build_etcd ;;
  kwok) build_kwok ;;
  kubernetes) build_kubernetes "${k8s_control_plane[@]}" ;;
  # The minikube lane: the node's Kubernetes binaries, the images' programs, minikube itself.
  minikube-lane) build_kubernetes "${k8s_node[@]}"; build_programs; build_crictl; build_coredns; build_minikube ;;
  programs) build_programs ;;
  crictl) build_crictl ;;
  coredns) build_coredns ;;
  minikube) build_minikube ;;
  yaml11-read) build_yaml11_read ;;
  *) log "usage: $0 [all|etcd|kwok|kubernetes|minikube-lane|minikube|crictl|coredns|programs|yaml11-read]"; exit 2 ;;
esac
log "binaries in $bin"
