# Sourced by the build scripts: the pinned versions, the binary cache outside the
# repository, and the naming of cached binaries, in one place.
# shellcheck shell=bash
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../versions.env
source "$here/versions.env"

cache=${QED_TESTENV_CACHE:-$HOME/.cache/qed-testenv}
bin="$cache/bin"
src="$cache/src"
export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false

# Cached binaries are named <name>-<version>-r<recipe revision>.
tag() { printf '%s-r%s' "$1" "$BUILD_REVISION"; }

log() { printf '[testenv build] %s\n' "$*" >&2; }
