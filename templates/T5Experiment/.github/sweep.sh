#!/usr/bin/env bash
# The sweep workflow's steps (.github/workflows/sweep.yml runs exactly these; run them locally the same way).
#   .github/sweep.sh plan                 the matrix: .github/sweep.json, one value list per NanoT5 property
#   .github/sweep.sh obtain-sdk           make NanoT5.Sdk and NanoT5.Runtime restorable (NANOT5_ROUTE)
#   .github/sweep.sh validate CELL [ARG]  check one cell (CELL: a JSON object of property values), no training
#   .github/sweep.sh train CELL [ARG]     train one cell; copies its metrics, plots and summary (not its
#                                         checkpoints) to sweep-artifacts/ for upload
set -euo pipefail
cd "$(dirname "$0")/.."

# Which way this experiment gets NanoT5's packages, as `dotnet new t5experiment` chose: nuget (a package source
# that has them, nuget.org once released) or feed (a folder of packed packages, nuget.config's "nanot5" source).
NANOT5_ROUTE="${NANOT5_ROUTE:-NANOT5_ROUTE_CHOSEN}"
TARGET="NANOT5_LAUNCH_TARGET"

cell_properties() {
  jq -r 'to_entries[] | "-p:\(.key)=\(.value)"' <<<"$1"
}

case "${1:-}" in
  plan)
    jq -c . .github/sweep.json
    ;;
  obtain-sdk)
    if [ "$NANOT5_ROUTE" = nuget ]; then
      echo "NanoT5.Sdk $(jq -r '."msbuild-sdks"."NanoT5.Sdk"' global.json) restores from the package sources in nuget.config (or nuget.org)."
      exit 0
    fi
    feed=$(sed -n 's/.*key="nanot5" value="\([^"]*\)".*/\1/p' nuget.config)
    if [ -d "$feed" ]; then
      echo "NanoT5 packages: the local feed $feed"
      exit 0
    fi
    # A hosted runner has no such folder: pack the packages from NanoT5's sources (NANOT5_SOURCE, NANOT5_REF).
    : "${NANOT5_SOURCE:?the feed $feed is not on this machine; set NANOT5_SOURCE (a git URL of NanoT5) and NANOT5_REF to pack it here}"
    work="${RUNNER_TEMP:-/tmp}/nanot5-source"
    rm -rf "$work" && git clone --quiet "$NANOT5_SOURCE" "$work" && git -C "$work" checkout --quiet "${NANOT5_REF:-HEAD}"
    version=$(jq -r '."msbuild-sdks"."NanoT5.Sdk"' global.json)
    "$work/eng/pack-feed.sh" "${RUNNER_TEMP:-/tmp}/nanot5-feed" --version "$version" --no-install
    dotnet nuget update source nanot5 --source "${RUNNER_TEMP:-/tmp}/nanot5-feed" --configfile nuget.config
    ;;
  validate)
    mapfile -t properties < <(cell_properties "$2")
    dotnet msbuild -t:Validate -nologo "${properties[@]}" "${@:3}"
    ;;
  train)
    mapfile -t properties < <(cell_properties "$2")
    dotnet build -t:"$TARGET" -nologo "${properties[@]}" "${@:3}" | tee sweep-train.log
    # The run folder this cell trained (-p: overrides name it), from the launch line.
    run=$(sed -n 's/.*exited with code 0; run folder: //p' sweep-train.log | tail -n 1)
    mkdir -p sweep-artifacts
    for entry in metrics.jsonl summary.json config.resolved.json plots; do
      if [ -e "$run/$entry" ]; then cp -r "$run/$entry" sweep-artifacts/; fi
    done
    echo "artifacts of $(basename "$run"): $(ls sweep-artifacts | tr '\n' ' ')"
    ;;
  *)
    sed -n '2,7p' "$0"
    exit 2
    ;;
esac
