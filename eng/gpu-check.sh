#!/usr/bin/env bash
# The one-command GPU proof (issue 12 part 2), run on a machine with an NVIDIA GPU, a CUDA PyTorch, transformers,
# cmake and a C++ compiler, but no .NET and no network, from the bundle eng/make-gpu-bundle.sh builds:
#   1. builds TorchSharp's shim against that machine's PyTorch (eng/build-libtorchsharp.sh)
#   2. native-info: which libtorch the runtime mapped, CUDA available
#   3. parity on the GPU in fp32 (tests/fixtures/t5-parity-tiny) and in bf16 (bounds in ParityTolerances.Bf16), with
#      the eager attention and with the fused one (sdpa: checks the CUDA kernel's position-bias gradient in fp32)
#   4. training-step throughput of T5-v1.1-base at nanoT5's shapes (batch 128, 512/114, bf16, AdamWScale): ours for
#      each GPU lever ({eager, sdpa} attention x {bf16 autocast, + bf16 residual stream}, TF32 on for what stays fp32),
#      and nanoT5's own MyT5 + AdamWScale eager and with torch.compile (eng/nanot5_bench.py), tokens/s, memory, MFU
#   5. real pretraining on the GPU: interrupted (SIGTERM) mid-way, resumed, finished, loss falling, exported model
#      loaded by transformers' T5ForConditionalGeneration and its logits compared with ours (eng/hf_export_check.py)
#   6. one table, last. Logs of every step under OUT/logs.
# --cpu is the dry run for machines without a GPU: the same steps on tiny shapes on the CPU, with the shim taken
# from a build's NuGet natives (--cpu-natives) instead of built, and the PyTorch-side steps skipped, each saying so.
set -uo pipefail

usage() {
  cat <<'USAGE'
usage: eng/gpu-check.sh --bundle FILE.tar.gz|DIR --out DIR [--python PYTHON] [--nanot5-source DIR]
                        [--steps N] [--pretrain-preset NAME] [--peak-tflops X] [--lever-deadline S]
                        [--cpu --cpu-natives DIR]
  --bundle          eng/make-gpu-bundle.sh's output (or the folder it unpacks to)
  --out             logs, results and the table (the device tool's $OUT)
  --python          the python of the CUDA PyTorch (default python3)
  --nanot5-source   a PiotrNawrot/nanoT5 checkout, for the side-by-side throughput
  --steps           pretraining steps (default 200; --cpu: 40)
  --pretrain-preset model preset of the pretraining run (default t5-v1_1-small; --cpu: mini)
  --peak-tflops     the GPU's dense bf16 peak for MFU (default 989: H100/H200 SXM)
  --lever-deadline  seconds after the start past which the lever rows after the first are skipped, so the
                    nanoT5 rows and the pretraining still fit the 8-minute call (default 300)
  --cpu             dry run on the CPU: tiny shapes, PyTorch-side steps skipped
  --cpu-natives     with --cpu: a folder with TorchSharp's NuGet natives (a Release build's runtimes/linux-x64/native)
USAGE
}

bundle="" out="" python=python3 nanot5="" steps="" preset="" peak_tflops=989 lever_deadline=300 cpu=0 cpu_natives=""
while [ $# -gt 0 ]; do
  case "$1" in
    --bundle) bundle="${2:?}"; shift 2 ;;
    --out) out="${2:?}"; shift 2 ;;
    --python) python="${2:?}"; shift 2 ;;
    --nanot5-source) nanot5="${2:?}"; shift 2 ;;
    --steps) steps="${2:?}"; shift 2 ;;
    --pretrain-preset) preset="${2:?}"; shift 2 ;;
    --peak-tflops) peak_tflops="${2:?}"; shift 2 ;;
    --lever-deadline) lever_deadline="${2:?}"; shift 2 ;;
    --cpu) cpu=1; shift ;;
    --cpu-natives) cpu_natives="${2:?}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; echo "gpu-check: error: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
die() { echo "gpu-check: error: $*" >&2; exit 2; }
[ -n "$bundle" ] || die "--bundle is required"
[ -n "$out" ] || die "--out is required"
[ "$cpu" = 0 ] || [ -d "$cpu_natives" ] || die "--cpu needs --cpu-natives DIR (a folder holding libLibTorchSharp.so and libtorch_cpu.so)"
case "${steps:-200}" in ''|*[!0-9]*) die "--steps must be a number" ;; esac
case "$lever_deadline" in ''|*[!0-9]*) die "--lever-deadline must be a number of seconds" ;; esac
if [ "$cpu" = 1 ]; then steps="${steps:-40}"; preset="${preset:-mini}"; device=cpu; else steps="${steps:-200}"; preset="${preset:-t5-v1_1-small}"; device=cuda; fi

mkdir -p "$out/logs" || die "cannot create $out/logs"
out="$(cd "$out" && pwd)"
work="$out/work"
rm -rf "$work" && mkdir -p "$work"
results="$out/results.tsv"
: > "$results"
row() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$results"; echo "gpu-check: [$2] $1: $3"; }
started=$(date +%s)

# --- the bundle ---
if [ -f "$bundle" ]; then
  tar -C "$work" -xzf "$bundle" || die "cannot unpack $bundle"
  bundle="$work/bundle"
fi
bundle="$(cd "$bundle" && pwd)"
runtime="$bundle/runtime/NanoT5.Runtime"
[ -x "$runtime" ] || die "$runtime is missing: --bundle must be eng/make-gpu-bundle.sh's output"
export DOTNET_ROOT="$bundle/dotnet-docs"   # the built-in corpus (builtin:dotnet-docs) reads the XML docs under packs/
export TERM=dumb
nt5() { "$runtime" "$@"; }

# --- 1. the shim ---
libtorch="$work/libtorch"
if [ "$cpu" = 1 ]; then
  mkdir -p "$libtorch/lib"
  cp "$cpu_natives/libLibTorchSharp.so" "$libtorch/"
  for f in "$cpu_natives"/libtorch*.so "$cpu_natives"/libc10*.so "$cpu_natives"/libgomp*; do [ -e "$f" ] && ln -s "$(readlink -f "$f")" "$libtorch/lib/"; done
  if "$bundle/eng/build-libtorchsharp.sh" --torchsharp-source "$bundle/torchsharp" --libtorch "$libtorch" --out "$work/shim-dry-run" --dry-run > "$out/logs/1-shim.log" 2>&1; then
    row "shim build" "DRY RUN" "source checked, cmake commands in logs/1-shim.log; built shim needs torch headers (CPU: the build's patched NuGet shim is used)"
  else
    row "shim build" "FAIL" "see logs/1-shim.log"
  fi
else
  jobs=$(nproc 2>/dev/null || echo 8)
  t0=$(date +%s)
  if "$bundle/eng/build-libtorchsharp.sh" --torchsharp-source "$bundle/torchsharp" --python "$python" --out "$libtorch" --jobs "$jobs" > "$out/logs/1-shim.log" 2>&1; then
    row "shim build" "ok" "$(grep -m1 'torch ' "$out/logs/1-shim.log" | sed 's/^build-libtorchsharp: //') in $(( $(date +%s) - t0 )) s"
  else
    row "shim build" "FAIL" "see logs/1-shim.log (tail: $(tail -n1 "$out/logs/1-shim.log"))"
  fi
fi
export NANOT5_LIBTORCH="$libtorch"

# --- 2. which libtorch is mapped ---
if nt5 native-info > "$out/logs/2-native-info.log" 2>&1; then
  # The folder's files and, where they are links (lib/ -> torch/lib), their targets: anything else is foreign.
  for f in "$libtorch"/* "$libtorch"/lib/*; do echo "mapped: $(readlink -f "$f")"; echo "mapped: $f"; done > "$work/own-files.txt"
  foreign=$(grep '^mapped: ' "$out/logs/2-native-info.log" | grep -cvxF -f "$work/own-files.txt" || true)
  cuda_line=$(grep '^cuda:' "$out/logs/2-native-info.log")
  if [ "$cpu" = 0 ] && [ "${cuda_line#cuda: available}" = "$cuda_line" ]; then
    row "native-info" "FAIL" "$cuda_line"
  else
    [ "$foreign" = 0 ] && status=ok || status=FAIL
    row "native-info" "$status" "$cuda_line; $(grep -c '^mapped: ' "$out/logs/2-native-info.log") torch files mapped, $foreign not from $libtorch"
  fi
else
  row "native-info" "FAIL" "see logs/2-native-info.log"
fi

# --- 3. parity ---
# sdpa against the same golden values: in fp32 every gradient the fixture holds is compared, the encoder's
# relative_attention_bias among them, which reaches the fused kernel only through its mask.
for attention in eager sdpa; do
  for precision in fp32 bf16; do
    log="$out/logs/3-parity-$attention-$precision.log"
    if nt5 parity "$bundle/fixtures/t5-parity-tiny" --device "$device" --precision "$precision" --attention "$attention" > "$log" 2>&1; then
      row "parity $device $precision $attention" "ok" "$(tail -n1 "$log")"
    else
      row "parity $device $precision $attention" "FAIL" "$(tail -n1 "$log")"
    fi
  done
done

# --- 4. throughput ---
# T5-v1.1-base at nanoT5's shapes on the GPU; the default bench's tiny shapes on the CPU.
if [ "$cpu" = 1 ]; then
  shape=(--batch 2 --input-length 32 --target-length 8 --vocab 512); bench_steps=(--steps 2 --warmup 1); batch=2 lin=32 lout=8 vocab=512 d=64 dkv=16 heads=4 dff=128 layers=2
  shape+=(--d-model $d --d-kv $dkv --heads $heads --d-ff $dff --layers $layers --decoder-layers $layers)
else
  batch=128 lin=512 lout=114 vocab=32128 d=768 dkv=64 heads=12 dff=2048 layers=12
  shape=(--batch $batch --input-length $lin --target-length $lout --vocab $vocab --d-model $d --d-kv $dkv --heads $heads --d-ff $dff --layers $layers --decoder-layers $layers)
  # 2 warm-up steps (cuBLAS picks its kernels and the caching allocator fills in the first; fixed shapes and
  # no data loading after that) and the median of 6: the row's fixed cost (process start, CUDA context, init
  # and upload of 248M parameters, ~10-15 s) dominates, and 6 steps resolve the >= 5 % effects predicted.
  bench_steps=(--steps 6 --warmup 2)
fi
# The bench runs bf16 on the CPU too (tiny shapes): the dry run goes through every lever's code path.
bench_precision=bf16
# Training FLOPs per step (3 x forward): every matmul's 2 x m x n x k, attention's scores and values included.
flops=$(awk -v B=$batch -v I=$lin -v O=$lout -v V=$vocab -v d=$d -v k=$dkv -v h=$heads -v f=$dff -v L=$layers 'BEGIN {
  hk = h * k
  enc = L * (2*B*I*(4*d*hk + 3*d*f) + 4*B*h*I*I*k)
  dec = L * (2*B*O*(8*d*hk + 3*d*f) + 4*B*h*O*O*k + 4*B*h*O*I*k)
  head = 2*B*O*d*V
  printf "%.6e", 3 * (enc + dec + head) }')
gpu_peak_sampler() { # prints the peak memory.used (MiB) nvidia-smi saw while "$@" ran
  if command -v nvidia-smi >/dev/null 2>&1 && [ "$cpu" = 0 ]; then
    nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 200 > "$work/smi.txt" 2>/dev/null & local smi=$!
    "$@"; local rc=$?
    kill "$smi" 2>/dev/null; wait "$smi" 2>/dev/null
    peak_mib=$(sort -n "$work/smi.txt" | tail -n1); return $rc
  fi
  peak_mib="n/a"; "$@"
}
mfu() { awk -v F="$flops" -v s="$1" -v P="$peak_tflops" -v cpu=$cpu 'BEGIN { if (cpu == 1 || s == "") print "n/a"; else printf "%.1f %%", 100 * F / s / (P * 1e12) }'; }
# One row per GPU lever (docs/benchmarks.md, "GPU levers"): the attention kernel and the residual stream's dtype,
# each on top of bf16 autocast with TF32 for what stays fp32. The first row is the baseline and always runs.
lever=0
for attention in eager sdpa; do
  for residual in fp32 bf16; do
    name="throughput NanoT5 .NET $bench_precision attention $attention, residual $residual"
    log="$out/logs/4-bench-nanot5-dotnet-$attention-residual-$residual.log"
    lever=$(( lever + 1 ))
    if [ "$lever" -gt 1 ] && [ $(( $(date +%s) - started )) -gt "$lever_deadline" ]; then
      row "$name" "SKIPPED" "past --lever-deadline ${lever_deadline}s: left the time to the nanoT5 rows and the pretraining"
      continue
    fi
    if gpu_peak_sampler nt5 bench "${shape[@]}" "${bench_steps[@]}" --device "$device" --precision "$bench_precision" --attention "$attention" --residual "$residual" > "$log" 2>&1; then
      s=$(grep -o 's_per_step=[0-9.]*' "$log" | cut -d= -f2)
      tps=$(grep -o 'tokens_per_s=[0-9.]*' "$log" | cut -d= -f2)
      row "$name" "ok" "$tps tokens/s, $s s/step, peak GPU memory $peak_mib MiB (nvidia-smi), MFU $(mfu "$s")"
    else
      row "$name" "FAIL" "see $(basename "$log") (tail: $(tail -n1 "$log"))"
    fi
  done
done
for mode in eager compile; do
  if [ "$cpu" = 1 ]; then
    row "throughput nanoT5 PyTorch $mode" "SKIPPED" "--cpu: nanoT5's side runs on the GPU machine's CUDA PyTorch"
    continue
  fi
  if [ -z "$nanot5" ] || [ ! -f "$nanot5/nanoT5/utils/t5_model.py" ]; then
    row "throughput nanoT5 PyTorch $mode" "SKIPPED" "--nanot5-source not given (a PiotrNawrot/nanoT5 checkout)"
    continue
  fi
  flag=(); [ "$mode" = compile ] && flag=(--compile)
  log="$out/logs/4-bench-nanot5-pytorch-$mode.log"
  if gpu_peak_sampler "$python" "$bundle/eng/nanot5_bench.py" --nanot5-source "$nanot5" --batch $batch --input-length $lin --target-length $lout "${bench_steps[@]}" "${flag[@]}" > "$log" 2>&1; then
    json=$(grep '^{' "$log" | tail -n1)
    s=$(echo "$json" | "$python" -c 'import json,sys; print(json.load(sys.stdin)["s_per_step"])')
    tps=$(echo "$json" | "$python" -c 'import json,sys; print(round(json.load(sys.stdin)["tokens_per_s"], 1))')
    alloc=$(echo "$json" | "$python" -c 'import json,sys; print(round(json.load(sys.stdin)["peak_allocated_mib"]))')
    row "throughput nanoT5 PyTorch $mode bf16" "ok" "$tps tokens/s, $s s/step, peak GPU memory $peak_mib MiB (nvidia-smi; allocator peak $alloc MiB), MFU $(mfu "$s")"
  else
    row "throughput nanoT5 PyTorch $mode bf16" "FAIL" "see $(basename "$log") (tail: $(tail -n1 "$log"))"
  fi
done

# --- 5. pretraining: interrupt, resume, finish, export, transformers ---
# The transformers comparison is fp32 on both sides (TF32 off) but on a trained model several times deeper and wider
# than t5-parity-tiny, where summation-order differences (fused q/k/v vs separate projections) add up over more
# layers: the fixture's tolerances x10 (logits 1e-3 absolute, loss 1e-4 relative).
run="$work/pretrain"
if [ "$cpu" = 1 ]; then batch_pt=4 len_pt=64 precision_pt=fp32; else batch_pt=64 len_pt=256 precision_pt=bf16; fi
cat > "$work/pretrain.json" <<JSON
{
  "name": "gpu-check", "device": "$device", "precision": "$precision_pt", "run_directory": "$run",
  "model": { "preset": "$preset" }, "tokenizer": { "kind": "gpt2" },
  "data": { "train_sources": ["builtin:dotnet-docs"], "input_length": $len_pt },
  "optim": { "batch_size": $batch_pt, "total_steps": $steps, "warmup_steps": $(( steps / 10 + 1 )), "base_lr": 0.02 },
  "eval": { "every_steps": $steps, "steps": 5 },
  "logging": { "every_steps": $(( steps / 12 > 0 ? steps / 12 : 1 )) },
  "checkpoint": { "every_steps": $steps }
}
JSON
half=$(( steps / 2 ))
# SIGTERM, not SIGINT: a script's background jobs start with SIGINT ignored. The runtime treats both alike.
"$runtime" pretrain --config "$work/pretrain.json" > "$out/logs/5-pretrain-1.log" 2>&1 & pid=$!
while kill -0 "$pid" 2>/dev/null; do
  last=$(grep -o '^\[train\] step [0-9]*' "$out/logs/5-pretrain-1.log" 2>/dev/null | tail -n1 | grep -o '[0-9]*$')
  if [ -n "$last" ] && [ "$last" -ge "$half" ]; then kill -TERM "$pid"; break; fi
  sleep 0.2
done
wait "$pid"; first_exit=$?
nt5 pretrain --config "$work/pretrain.json" > "$out/logs/5-pretrain-2.log" 2>&1; second_exit=$?
resumed=$(grep -o 'resuming from step [0-9]*' "$out/logs/5-pretrain-2.log" | head -n1)
losses=$(grep -o '"name":"train/loss","step":[0-9]*,"value":[-0-9.e+]*' "$run/metrics.jsonl" 2>/dev/null | sed 's/.*"value"://')
first_loss=$(echo "$losses" | head -n1); last_loss=$(echo "$losses" | tail -n1)
falling=$(awk -v a="$first_loss" -v b="$last_loss" 'BEGIN { print (a != "" && b != "" && b < a) ? "yes" : "no" }')
if [ "$first_exit" = 3 ] && [ "$second_exit" = 0 ] && [ -n "$resumed" ] && [ "$falling" = yes ] && [ -f "$run/model/model.safetensors" ]; then
  row "pretrain $steps steps $device $precision_pt ($preset)" "ok" "SIGTERM at step $half+ -> exit 3, $resumed, exit 0; train loss $first_loss -> $last_loss; exported $run/model"
else
  row "pretrain $steps steps $device $precision_pt ($preset)" "FAIL" "exits $first_exit/$second_exit (want 3/0), '${resumed:-no resume line}', loss $first_loss -> $last_loss, export $( [ -f "$run/model/model.safetensors" ] && echo present || echo missing)"
fi
if [ "$cpu" = 1 ]; then
  row "transformers loads the export" "SKIPPED" "--cpu: needs PyTorch and transformers (the GPU machine has them)"
elif "$python" "$bundle/eng/hf_export_check.py" "$run/model" "$work/hf-fixture" --device cuda > "$out/logs/5-hf-export.log" 2>&1 &&
     nt5 parity "$work/hf-fixture" --device "$device" --scale-tolerances 10 >> "$out/logs/5-hf-export.log" 2>&1; then
  row "transformers loads the export" "ok" "T5ForConditionalGeneration.from_pretrained; ours vs HF fp32: $(tail -n1 "$out/logs/5-hf-export.log")"
else
  row "transformers loads the export" "FAIL" "see logs/5-hf-export.log (tail: $(tail -n1 "$out/logs/5-hf-export.log"))"
fi

# --- 6. the table ---
{
  echo
  echo "gpu-check $( [ "$cpu" = 1 ] && echo '(--cpu dry run)' ) on $(hostname), $(date -u '+%Y-%m-%d %H:%M UTC'), $(( $(date +%s) - started )) s"
  [ "$cpu" = 0 ] && command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
  echo "training FLOPs/step used for MFU: $flops; peak $peak_tflops TFLOP/s"
  awk -F'\t' '{ if (length($1) > w1) w1 = length($1); if (length($2) > w2) w2 = length($2); r[NR] = $0 }
    END { for (i = 1; i <= NR; i++) { split(r[i], c, "\t"); printf "%-" w1 "s  %-" w2 "s  %s\n", c[1], c[2], c[3] } }' "$results"
} | tee "$out/table.txt"
! grep -q "$(printf '\tFAIL\t')" "$results"
