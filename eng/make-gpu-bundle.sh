#!/usr/bin/env bash
# Builds the bundle eng/gpu-check.sh runs on a GPU machine that has no .NET and no network: the runtime as a
# self-contained linux-x64 publish without NuGet natives (NanoT5Backend=libtorch: the shim is built there),
# TorchSharp's native source, the eng/ scripts, the parity fixture and the built-in corpus's XML docs.
#   eng/make-gpu-bundle.sh --torchsharp-source DIR [--out artifacts/gpu-bundle.tar.gz]
# The device tool carries at most 64 MiB; the script fails above 60 MiB.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
source_dir="" out="$repo/artifacts/gpu-bundle.tar.gz" limit_mib=60
while [ $# -gt 0 ]; do
  case "$1" in
    --torchsharp-source) source_dir="${2:?--torchsharp-source needs a folder}"; shift 2 ;;
    --out) out="${2:?--out needs a file}"; shift 2 ;;
    *) echo "usage: eng/make-gpu-bundle.sh --torchsharp-source DIR [--out FILE.tar.gz]" >&2; exit 2 ;;
  esac
done
[ -n "$source_dir" ] || { echo "make-gpu-bundle: error: --torchsharp-source is required (a dotnet/TorchSharp checkout at c20b6a1)" >&2; exit 2; }
"$repo/eng/build-libtorchsharp.sh" --torchsharp-source "$source_dir" --check-source-only

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
# A copy of the sources, so the libtorch-backend restore does not touch this checkout's obj/ folders.
tar -C "$repo" --exclude=./.git --exclude='*/bin' --exclude='*/obj' --exclude=./artifacts -cf - . | tar -C "$stage" -xf -
mkdir -p "$stage/Sdk/in-repo-package"
bundle="$stage/bundle"
echo "make-gpu-bundle: dotnet publish (self-contained linux-x64, NanoT5Backend=libtorch)"
dotnet publish "$stage/src/NanoT5.Runtime" -c Release -r linux-x64 --self-contained -p:NanoT5Backend=libtorch \
  -p:DebugType=none -o "$bundle/runtime" -nologo -v:q
# find, not ls of two folders: under pipefail a missing runtimes/ folder failed the pipeline and hid a match.
if find "$bundle/runtime" -name 'lib*.so*' | grep -Eq '/lib(torch|c10|LibTorchSharp)[^/]*$'; then
  echo "make-gpu-bundle: error: the publish carries NuGet torch natives; NanoT5Backend=libtorch should exclude them" >&2; exit 1
fi
mkdir -p "$bundle/eng" "$bundle/fixtures" "$bundle/torchsharp/src" "$bundle/dotnet-docs"
cp "$repo"/eng/*.sh "$repo"/eng/*.py "$bundle/eng/"
cp -R "$repo/tests/fixtures/t5-parity-tiny" "$bundle/fixtures/"
cp -R "$source_dir/src/Native" "$bundle/torchsharp/src/"
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
(cd "$dotnet_root" && find packs -path '*/ref/net*/*.xml' -print0 | tar --null -T - -cf -) | tar -C "$bundle/dotnet-docs" -xf -
mkdir -p "$(dirname "$out")"
tar -C "$stage" -czf "$out" bundle
size_mib=$(( $(stat -c %s "$out") / 1048576 ))
echo "make-gpu-bundle: wrote $out (${size_mib} MiB)"
[ "$size_mib" -lt "$limit_mib" ] || { echo "make-gpu-bundle: error: $out is ${size_mib} MiB, over the ${limit_mib} MiB budget (the device tool carries 64 MiB)" >&2; exit 1; }
