#!/usr/bin/env bash
# Prints the key of Bazel's disk and repository caches for a CI job, as GITHUB_OUTPUT lines:
#   key=servingbuild-bazel-<bazel version>-<serving commit>
#   restore-prefix=servingbuild-bazel-<bazel version>-
# The Bazel version is the one the checkout pins (.bazelversion, else ENV BAZEL_VERSION in
# tensorflow_serving/tools/docker/Dockerfile.devel, as BazelBuild reads it), else the installed one.
# The serving commit is the checkout's HEAD when it is its own repository, else the last commit that changed
# the folder (the bundled tests/serving-mini). Plain bash and git: runs on CentOS 7 too.
#   scripts/ci-cache-key.sh SERVING_DIR >> "$GITHUB_OUTPUT"
set -euo pipefail

dir=${1:?usage: scripts/ci-cache-key.sh SERVING_DIR}
[ -d "$dir" ] || { echo "error: $dir is not a folder; pass the serving checkout" >&2; exit 2; }

version=""
if [ -f "$dir/.bazelversion" ]; then
  version=$(grep -v '^[[:space:]]*\(#\|$\)' "$dir/.bazelversion" | head -n1 | tr -d '[:space:]') || true
fi
dockerfile="$dir/tensorflow_serving/tools/docker/Dockerfile.devel"
if [ -z "$version" ] && [ -f "$dockerfile" ]; then
  version=$(sed -n 's/^[[:space:]]*ENV[[:space:]]\{1,\}BAZEL_VERSION[=[:space:]]\{1,\}\([0-9][0-9.]*\).*/\1/p' "$dockerfile" | head -n1)
fi
if [ -z "$version" ] && command -v bazel >/dev/null 2>&1; then
  version=$(bazel --version 2>/dev/null | awk '{print $2}')
  [ "$version" != "no_version" ] || version=""
fi
version=${version:-unknown}

if [ -e "$dir/.git" ]; then
  commit=$(git -C "$dir" rev-parse HEAD)
else
  commit=$(git -C "$dir" log -1 --format=%H -- . 2>/dev/null || true)
fi
commit=${commit:-none}

printf 'key=servingbuild-bazel-%s-%s\n' "$version" "$commit"
printf 'restore-prefix=servingbuild-bazel-%s-\n' "$version"
