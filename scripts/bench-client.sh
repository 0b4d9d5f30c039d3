#!/usr/bin/env bash
# Benchmark, not a test: a 1,000,000-element float tensor to TensorProto and back (tensor_content), medians and
# GB/s each way (goal: at least 1 GB/s).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exec dotnet run -c Release --project "$root/benchmarks/TensorFlowServing.Client.Benchmarks"
