#!/usr/bin/env bash
# Inference latency and peak memory of predict on the fine-tuning demo's test split, TorchSharp against ONNX Runtime
# (docs/onnx.md). It reads the fine-tuned demo run and its ONNX export, made by:
#   dotnet build experiments/default -t:Pretrain
#   dotnet build experiments/finetune-demo -t:Finetune
#   dotnet build experiments/finetune-demo -t:Export
#
#   eng/onnx-bench.sh [RUN_FOLDER]    RUN_FOLDER defaults to experiments/finetune-demo/runs/finetune-demo
#
# Environment: BATCHES (default "32 1": the demo's batch, and one instance at a time as a service would see them),
# THREADS (intra-op threads of both engines, default 0 = all cores), SINGLE_PER_TASK (instances per test task for
# batch 1, default 10: 30 of the demo's 300, one at a time takes long on a CPU; larger batches use them all). Each engine runs predict in its own process on
# a copy of the run's config whose run folder is a scratch folder (the run itself is only read); the generation time
# is predict's own "predictions: ... (N s)" line, the peak memory /usr/bin/time's maximum resident set of that
# process. Prints the machine, its load before and after, and one markdown row per engine and batch.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
run="$(cd "${1:-$repo/experiments/finetune-demo/runs/finetune-demo}" && pwd)"
[ -f "$run/config.resolved.json" ] || { echo "onnx-bench: $run/config.resolved.json is missing (fine-tune the demo first)" >&2; exit 2; }
[ -f "$run/onnx/nanot5_onnx.json" ] || { echo "onnx-bench: $run/onnx has no export (dotnet build experiments/finetune-demo -t:Export)" >&2; exit 2; }
scratch="$(mktemp -d "${TMPDIR:-/tmp}/onnx-bench.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

dotnet build "$repo/src/NanoT5.Runtime" -c Release -nologo -v q >/dev/null
dll="$repo/src/NanoT5.Runtime/bin/Release/net10.0/NanoT5.Runtime.dll"
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); $(nproc) cores ($cpu), $(free -g | awk '/Mem:/ {print $2}') GiB; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| engine | batch | test split generation | per instance | peak RSS |"
echo "| --- | --- | --- | --- | --- |"
for batch in ${BATCHES:-32 1}; do
  for engine in torchsharp onnx; do
    config="$scratch/$engine-$batch.json"
    jq --arg dir "$scratch/run-$engine-$batch" --arg init "$run" --arg export "$run/onnx" --argjson batch "$batch" --argjson threads "${THREADS:-0}" \
      --argjson single "${SINGLE_PER_TASK:-10}" \
      '.run_directory = $dir | .model.init_from = $init | .export.directory = $export | .optim.batch_size = $batch | .optim.grad_acc = 1 | .threads = $threads | .tracker.kind = "none"
       | if $batch == 1 then .finetune.max_instances_per_task = $single else . end' \
      "$run/config.resolved.json" > "$config"
    log="$scratch/$engine-$batch.log"
    /usr/bin/time -f "peak_rss_kb=%M" dotnet "$dll" predict --config "$config" --engine "$engine" > "$log" 2>&1 || { cat "$log" >&2; exit 1; }
    seconds="$(sed -n 's/^predictions: .* (\([0-9.]*\) s)$/\1/p' "$log")"
    instances="$(wc -l < "$scratch/run-$engine-$batch/predictions.jsonl")"
    rss="$(sed -n 's/^peak_rss_kb=//p' "$log")"
    awk -v e="$engine" -v b="$batch" -v s="$seconds" -v n="$instances" -v r="$rss" \
      'BEGIN { printf "| %s | %d | %.1f s (%d instances) | %.0f ms | %.0f MiB |\n", e, b, s, n, 1000 * s / n, r / 1024 }'
  done
done
for batch in ${BATCHES:-32 1}; do
  if cmp -s "$scratch/run-torchsharp-$batch/predictions.jsonl" "$scratch/run-onnx-$batch/predictions.jsonl"; then
    echo "batch $batch: the two engines' predictions.jsonl are identical"
  else
    trap - EXIT
    echo "batch $batch: the predictions DIFFER (kept in $scratch)"
  fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
