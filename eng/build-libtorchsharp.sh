#!/usr/bin/env bash
# Builds TorchSharp's native shim (libLibTorchSharp.so) from TorchSharp's own source against a user's libtorch
# (a libtorch download, or the PyTorch of a python), and writes a NanoT5LibTorch folder:
#   OUT/libLibTorchSharp.so      the shim
#   OUT/lib -> <libtorch>/lib    a link to the libtorch it was built against
#   OUT/nanot5-libtorch.json     what it was built from and against (the runtime checks the version at load)
# No download: the TorchSharp source is an input and must be the commit NanoT5's TorchSharp (0.107.0) was built from.
# docs/gpu.md explains the route; --dry-run prints every command and patch without running cmake.
set -euo pipefail

readonly PINNED_COMMIT=c20b6a1cc574d690707638a488d2583f3b8b983f   # dotnet/TorchSharp main = TorchSharp 0.107.0
# sha256 over `sha256sum` of every file under src/Native at that commit (sorted), for copies without .git.
readonly PINNED_FINGERPRINT=911cff81cb030ec38e190561921dd3d5d2402b1980f0096da988eb1a3639568a
readonly BUILT_FOR=2.10.0                                          # the libtorch TorchSharp 0.107.0 targets

usage() {
  cat <<'USAGE'
usage: eng/build-libtorchsharp.sh --torchsharp-source DIR (--libtorch DIR | --python PYTHON) --out DIR
                                  [--torch-cmake auto|config|explicit] [--jobs N] [--allow-unpinned] [--dry-run]
  --torchsharp-source  a checkout (or copy) of dotnet/TorchSharp at c20b6a1 (TorchSharp 0.107.0)
  --libtorch           a libtorch folder (holds lib/, include/, share/cmake/Torch/)
  --python             a python whose `import torch` is the PyTorch to build against
  --out                the NanoT5LibTorch folder to write
  --torch-cmake        config: find_package(Torch) (needs the CUDA toolkit for a CUDA build of torch);
                       explicit: torch's include dirs and libraries given by hand (no toolkit needed);
                       auto (default): explicit when torch has CUDA and nvcc is not on PATH, else config
  --allow-unpinned     build from another TorchSharp commit (a warning instead of an error)
  --dry-run            check the inputs, print the patches and the exact cmake commands, build nothing
  --check-source-only  only check that --torchsharp-source is the pinned commit
USAGE
}

die() { echo "build-libtorchsharp: error: $*" >&2; exit 2; }

source_dir="" libtorch="" python="" out="" torch_cmake=auto jobs="$(nproc 2>/dev/null || echo 4)" allow_unpinned=0 dry_run=0 check_source_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --torchsharp-source) source_dir="${2:?--torchsharp-source needs a folder}"; shift 2 ;;
    --libtorch) libtorch="${2:?--libtorch needs a folder}"; shift 2 ;;
    --python) python="${2:?--python needs a python executable}"; shift 2 ;;
    --out) out="${2:?--out needs a folder}"; shift 2 ;;
    --torch-cmake) torch_cmake="${2:?--torch-cmake needs auto, config or explicit}"; shift 2 ;;
    --jobs) jobs="${2:?--jobs needs a number}"; shift 2 ;;
    --allow-unpinned) allow_unpinned=1; shift ;;
    --dry-run) dry_run=1; shift ;;
    --check-source-only) check_source_only=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done

[ -n "$source_dir" ] || { usage >&2; die "--torchsharp-source is required"; }
if [ "$check_source_only" = 0 ]; then
  [ -n "$out" ] || { usage >&2; die "--out is required"; }
  if [ -n "$libtorch" ] && [ -n "$python" ]; then die "give --libtorch or --python, not both"; fi
  if [ -z "$libtorch" ] && [ -z "$python" ]; then die "give --libtorch DIR or --python PYTHON (the torch to build against)"; fi
fi
case "$torch_cmake" in auto|config|explicit) ;; *) die "--torch-cmake must be auto, config or explicit (got '$torch_cmake')" ;; esac
case "$jobs" in ''|*[!0-9]*) die "--jobs must be a positive number (got '$jobs')" ;; esac

# --- 1. The TorchSharp source is the pinned commit ---
[ -d "$source_dir" ] || die "--torchsharp-source: $source_dir does not exist"
source_dir="$(cd "$source_dir" && pwd)"
native="$source_dir/src/Native"
[ -f "$native/LibTorchSharp/CMakeLists.txt" ] || die "--torchsharp-source: $native/LibTorchSharp/CMakeLists.txt is missing; give the root of a dotnet/TorchSharp checkout"
if git -C "$source_dir" rev-parse --git-dir >/dev/null 2>&1; then
  found="$(git -C "$source_dir" rev-parse HEAD)"
  identity="commit $found"
  [ -z "$(git -C "$source_dir" status --porcelain -- src/Native)" ] || { found=modified; identity="commit $found with local changes under src/Native"; }
else
  found="$(cd "$native" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
  identity="src/Native fingerprint $found (no .git)"
fi
if [ "$found" != "$PINNED_COMMIT" ] && [ "$found" != "$PINNED_FINGERPRINT" ]; then
  msg="--torchsharp-source: $source_dir is $identity, not TorchSharp 0.107.0's commit $PINNED_COMMIT (fingerprint $PINNED_FINGERPRINT); a shim from another commit may not match NanoT5's TorchSharp.dll"
  [ "$allow_unpinned" = 1 ] || die "$msg (check out $PINNED_COMMIT, or pass --allow-unpinned)"
  echo "build-libtorchsharp: warning: $msg" >&2
fi
if [ "$check_source_only" = 1 ]; then echo "build-libtorchsharp: $source_dir is $identity: the pinned TorchSharp source"; exit 0; fi

# --- 2. The torch to build against ---
if [ -n "$python" ]; then
  command -v "$python" >/dev/null 2>&1 || [ -x "$python" ] || die "--python: $python is not an executable"
  info="$("$python" -c 'import os, torch, torch.utils
print(torch.__version__); print(torch.utils.cmake_prefix_path); print(os.path.dirname(torch.__file__))
print(int(torch.compiled_with_cxx11_abi())); print(torch.version.cuda or "")')" || die "--python: '$python -c \"import torch\"' failed; is PyTorch installed for it?"
  { read -r torch_version; read -r cmake_prefix; read -r torch_root; read -r cxx11_abi; read -r torch_cuda; } <<<"$info"
  torch_lib="$torch_root/lib"; torch_include="$torch_root/include"
else
  [ -d "$libtorch" ] || die "--libtorch: $libtorch does not exist"
  libtorch="$(cd "$libtorch" && pwd)"
  [ -f "$libtorch/lib/libtorch_cpu.so" ] || die "--libtorch: $libtorch/lib/libtorch_cpu.so is missing; give the folder that holds lib/, include/ and share/"
  torch_version="$(cat "$libtorch/build-version" 2>/dev/null || echo unknown)"
  cmake_prefix="$libtorch/share/cmake"; torch_lib="$libtorch/lib"; torch_include="$libtorch/include"
  torch_cuda=""; [ -f "$torch_lib/libtorch_cuda.so" ] && torch_cuda=present
  # libtorch 2.x ships the cxx11 ABI; the pre-cxx11 variant has no __cxx11 symbols.
  cxx11_abi=0; if [ "$(nm -D --defined-only "$torch_lib/libc10.so" 2>/dev/null | grep -c __cxx11)" != 0 ]; then cxx11_abi=1; fi
fi
[ -d "$torch_lib" ] || die "torch's lib folder $torch_lib does not exist"
[ "$dry_run" = 1 ] || [ -f "$torch_include/torch/csrc/api/include/torch/torch.h" ] || die "torch's headers are missing under $torch_include (a pip wheel and a libtorch download have them; the NuGet libtorch does not)"
if [ "$torch_cmake" = auto ]; then
  torch_cmake=config
  if [ -n "$torch_cuda" ] && ! command -v nvcc >/dev/null 2>&1; then torch_cmake=explicit; fi
fi
echo "build-libtorchsharp: torch $torch_version (cuda: ${torch_cuda:-none}, cxx11 abi: $cxx11_abi) at $torch_lib; cmake: $torch_cmake"
[ "$cxx11_abi" = 1 ] || echo "build-libtorchsharp: warning: this torch uses the pre-cxx11 ABI; TorchSharp builds with -D_GLIBCXX_USE_CXX11_ABI=1, so the shim will not link against it" >&2

# --- 3. A copy of the source, patched ---
work="$out/build"
src_copy="$work/src/Native"
patches=()
patch_note() { patches+=("$1"); echo "build-libtorchsharp: patch: $1"; }
# P1: TorchSharp compiles with -Werror; a newer libtorch deprecates APIs the shim still uses (2.10 -> 2.11 is such a
# step), which must stay warnings. Only deprecations are let through; every other warning still fails the build.
if [ "${torch_version%%+*}" != "$BUILT_FOR" ]; then
  patch_note "P1 CMakeLists.txt: -Werror keeps failing on warnings except deprecated-declarations (torch $torch_version is not $BUILT_FOR)"
fi
# P2: explicit torch: find_package(Torch) replaced by the include dirs and libraries given on the cmake line.
if [ "$torch_cmake" = explicit ]; then
  patch_note "P2 LibTorchSharp/CMakeLists.txt: find_package(Torch) skipped when NANOT5_TORCH_EXPLICIT is set (CUDA torch without the toolkit)"
fi
# P3/P4: the two spots the 2.7 -> 2.10 upgrade touched. No 2.11 headers were available to write a rewrite against,
# so the script prints torch's declaration next to the shim's use: a compile error there is then read at a glance.
probe() { # file-in-torch-include pattern shim-file
  local header="$torch_include/$1"
  if [ -f "$header" ]; then
    echo "build-libtorchsharp: probe: $1: $(grep -n -m1 "$2" "$header" | tr -s ' ' || echo "'$2' not declared (the shim's $3 will not compile as is)")"
  fi
}
run() { echo "+ $*"; [ "$dry_run" = 1 ] || "$@"; }

if [ "$dry_run" = 0 ]; then
  rm -rf "$work" && mkdir -p "$work/src" "$work/cmake"
  cp -R "$native" "$work/src/"
  if [ "${torch_version%%+*}" != "$BUILT_FOR" ]; then
    sed -i 's/add_definitions(-Werror)/add_definitions(-Werror -Wno-error=deprecated-declarations)/' "$src_copy/CMakeLists.txt"
    grep -q 'Wno-error=deprecated-declarations' "$src_copy/CMakeLists.txt" || die "P1 did not apply: -Werror not found in $src_copy/CMakeLists.txt"
  fi
  if [ "$torch_cmake" = explicit ]; then
    sed -i 's/^find_package(Torch REQUIRED PATHS \${LIBTORCH_PATH})$/if(NOT NANOT5_TORCH_EXPLICIT)\n  find_package(Torch REQUIRED PATHS ${LIBTORCH_PATH})\nendif()/' "$src_copy/LibTorchSharp/CMakeLists.txt"
    grep -q NANOT5_TORCH_EXPLICIT "$src_copy/LibTorchSharp/CMakeLists.txt" || die "P2 did not apply: find_package(Torch ...) not found in $src_copy/LibTorchSharp/CMakeLists.txt"
  fi
fi
probe torch/csrc/autograd/custom_function.h "_wrap_outputs(" THSAutograd.cpp
probe ATen/Context.h "allowFP16ReductionCuBLAS" THSTorch.cpp

# --- 4. cmake, TorchSharp's flags (its build.sh: Release, LIBTORCH_PATH; its CMakeLists: -Werror, cxx11 ABI, -fvisibility=hidden, -Bsymbolic) ---
defines=(-DCMAKE_BUILD_TYPE=Release -DLIBTORCH_ARCH=x64 "-DCMAKE_INSTALL_PREFIX=$work/install")
if [ "$torch_cmake" = config ]; then
  defines+=("-DLIBTORCH_PATH=$cmake_prefix/Torch" "-DCMAKE_PREFIX_PATH=$cmake_prefix")
else
  defines+=(-DNANOT5_TORCH_EXPLICIT=ON "-DTORCH_INCLUDE_DIRS=$torch_include;$torch_include/torch/csrc/api/include"
            "-DTORCH_LIBRARIES=$torch_lib/libtorch.so;$torch_lib/libtorch_cpu.so;$torch_lib/libc10.so")
fi
export __CMakeBinDir="$work/install"
run cmake -S "$src_copy" -B "$work/cmake" "${defines[@]}"
run cmake --build "$work/cmake" --target LibTorchSharp -j "$jobs"

if [ "$dry_run" = 1 ]; then
  echo "build-libtorchsharp: dry run: would write $out/libLibTorchSharp.so, $out/lib -> $torch_lib and $out/nanot5-libtorch.json"
  exit 0
fi

shim="$(find "$work/cmake" -name libLibTorchSharp.so -type f | head -n1)"
[ -n "$shim" ] || die "cmake finished but no libLibTorchSharp.so is under $work/cmake"
cp "$shim" "$out/libLibTorchSharp.so"
ln -sfn "$torch_lib" "$out/lib"
# Every symbol the shim needs must be defined by this libtorch (the runtime checks again with RTLD_NOW).
missing="$(LD_LIBRARY_PATH="$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ldd -r "$out/libLibTorchSharp.so" 2>&1 | grep -c 'undefined symbol' || true)"
[ "$missing" = 0 ] || die "$out/libLibTorchSharp.so has $missing undefined symbols against $torch_lib (ldd -r lists them)"
{
  printf '{\n  "torch_version": "%s",\n  "torch_cuda": "%s",\n  "torch_lib": "%s",\n' "$torch_version" "$torch_cuda" "$torch_lib"
  printf '  "torchsharp_source": "%s",\n  "torchsharp_identity": "%s",\n  "torch_cmake": "%s",\n  "patches": [' "$source_dir" "$identity" "$torch_cmake"
  sep=""; for p in "${patches[@]+"${patches[@]}"}"; do printf '%s\n    "%s"' "$sep" "$p"; sep=","; done
  printf '\n  ]\n}\n'
} > "$out/nanot5-libtorch.json"
echo "build-libtorchsharp: wrote $out (libLibTorchSharp.so for torch $torch_version); use it with --libtorch $out or NANOT5_LIBTORCH=$out"
