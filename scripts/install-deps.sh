#!/usr/bin/env bash
# Installs exactly the Debian 12 packages Samråd needs to build, test and run.
# Idempotent: runs `apt-get update` only when a package is missing.
set -euo pipefail

PACKAGES=(
  build-essential cmake make ninja-build pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler libabsl-dev
  librdkafka-dev
  librocksdb-dev
  prometheus-cpp-dev
  libgtest-dev libgmock-dev googletest
  libbenchmark-dev
  libspdlog-dev libfmt-dev
  nlohmann-json3-dev
  libcpp-httplib-dev
  libcli11-dev
  libssl-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
