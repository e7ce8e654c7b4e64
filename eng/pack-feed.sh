#!/usr/bin/env bash
# Getting NanoT5.Sdk outside this repository, in one command: packs NanoT5.Sdk, NanoT5.Runtime and the
# t5experiment template into a local folder feed and installs the template with that feed (its absolute path)
# and this version as its defaults. Then `dotnet new t5experiment -o my-t5` makes an experiment that builds.
#
#   eng/pack-feed.sh [FEED] [--version VERSION] [--no-install] [--for-nuget]
#
# --for-nuget: the packages are for a NuGet server (release.yml): the template's default is the NuGet route
# (no feed folder, no nuget.config).
#
# FEED defaults to ~/.nanot5/feed. VERSION defaults to 0.1.0-local.<UTC time>: every pack is a new version, so a
# NuGet cache never serves an older pack under the same number. Needs the .NET SDK, jq and git.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

feed="$HOME/.nanot5/feed"
version=""
install=1
template_feed=1
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version="$2"; shift 2 ;;
    --no-install) install=0; shift ;;
    --for-nuget) template_feed=0; install=0; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) feed="$1"; shift ;;
  esac
done
feed=$(realpath -m "$feed")
version="${version:-0.1.0-local.$(date -u +%Y%m%d%H%M%S)}"
mkdir -p "$feed"

# Build as usual, then pack without restoring again: a restore with another PackageVersion would rewrite the
# assets files and make the next ordinary build of the repository rebuild everything.
pack() {
  dotnet build "$@" -c Release -nologo -tl:off -v:q
  dotnet pack "$@" -c Release --no-build -o "$feed" -p:PackageVersion="$version" -nologo -tl:off -v:q
}
pack "$repo/Sdk/NanoT5.Sdk.Tasks/NanoT5.Sdk.Tasks.csproj"
pack "$repo/src/NanoT5.Runtime/NanoT5.Runtime.csproj"

# The template, its defaults set to this pack: version, feed, and the sources a CI runner packs from.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -r "$repo/templates/T5Experiment" "$stage/"
source_url=$(git -C "$repo" remote get-url origin 2>/dev/null || echo "")
source_ref=$(git -C "$repo" rev-parse HEAD 2>/dev/null || echo HEAD)
config="$stage/T5Experiment/.template.config/template.json"
template_default_feed="$feed"
if [ "$template_feed" = 0 ]; then template_default_feed=""; source_url=""; source_ref=HEAD; fi
jq --arg version "$version" --arg feed "$template_default_feed" --arg url "$source_url" --arg ref "$source_ref" \
  '.symbols.sdkVersion.defaultValue = $version | .symbols.feed.defaultValue = $feed
   | .symbols.nanot5Source.defaultValue = $url | .symbols.nanot5Ref.defaultValue = $ref' "$config" > "$config.new"
mv "$config.new" "$config"
pack "$repo/templates/NanoT5.Templates.csproj" -p:NanoT5TemplateDirectory="$stage/T5Experiment"

if [ "$install" = 1 ]; then
  dotnet new install "$feed/NanoT5.Templates.$version.nupkg" --force >/dev/null
fi

echo "NanoT5 $version packed into $feed (NanoT5.Sdk, NanoT5.Runtime, NanoT5.Templates)."
if [ "$install" = 1 ]; then
  echo "Template installed with that feed and version as defaults. A new experiment:"
  echo "  dotnet new t5experiment -o my-t5 && cd my-t5 && dotnet build -t:Pretrain"
fi
