#!/usr/bin/env bash
# Builds the release binary of one napi target and places it where `napi artifacts` expects it
# (packages/backend-native/artifacts/bindings-<target>/zerobus-native.<triple>.node), on a release machine
# of that platform (or one with its cross toolchain). Then, on one machine with every artifact:
#
#   pnpm --filter @zerobus/backend-native artifacts     # napi artifacts: artifacts/** → npm/<triple>/
#   pnpm -r publish                                     # each platform package checks its binary first
#
#   bash packages/backend-native/scripts/release/build-target.sh <target>
#
# <target>, the machine it needs, and what it runs (release profile: LTO, one codegen unit):
#   x86_64-unknown-linux-gnu   linux x64, glibc ≤ 2.28 (e.g. the manylinux_2_28 image): napi build
#   aarch64-unknown-linux-gnu  linux arm64 (native), or linux x64 with `--use-napi-cross`
#                              (napi's glibc 2.17 cross toolchain, downloaded by the napi CLI)
#   x86_64-unknown-linux-musl  linux x64 with `rustup target add x86_64-unknown-linux-musl` and
#                              `-x` (cargo-zigbuild; `pip install ziglang`), or an Alpine machine natively
#   x86_64-apple-darwin        macOS (either arch, Xcode command line tools): rustup target add <target>
#   aarch64-apple-darwin       macOS (either arch): rustup target add <target>
#   x86_64-pc-windows-msvc     Windows x64 with Visual Studio Build Tools (run from Git Bash)
#
# Only x86_64-unknown-linux-gnu builds on the CI machine of this repository (no other Rust standard library
# is installed there); the others need the machine above. A target's name to its package: napi's
# platformArchABI, e.g. x86_64-unknown-linux-musl → @zerobus/backend-native-linux-x64-musl.
set -euo pipefail

target=${1:?usage: build-target.sh <rust target triple> (see the list at the top)}
package_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
napi="$package_dir/node_modules/.bin/napi"

extra=()
case "$target" in
  x86_64-unknown-linux-gnu | x86_64-apple-darwin | aarch64-apple-darwin | x86_64-pc-windows-msvc) ;;
  aarch64-unknown-linux-gnu)
    [[ "$(uname -m)" == "aarch64" ]] || extra=(--use-napi-cross)
    ;;
  x86_64-unknown-linux-musl)
    [[ -f /etc/alpine-release ]] || extra=(-x)
    ;;
  *)
    echo "build-target.sh: $target is not in napi.targets of packages/backend-native/package.json" >&2
    exit 2
    ;;
esac

if command -v rustup >/dev/null; then rustup target add "$target"; fi

out="$package_dir/artifacts/bindings-$target"
mkdir -p "$out"
"$napi" build --platform --release --target "$target" "${extra[@]}" \
  --manifest-path "$package_dir/../../native/binding/Cargo.toml" \
  --package-json-path "$package_dir/package.json" \
  --output-dir "$out" --no-js
ls -l "$out"
echo "built $target into $out; run \`pnpm --filter @zerobus/backend-native artifacts\` once every target is there"
