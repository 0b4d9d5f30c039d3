#!/usr/bin/env bash
# Benchmark, not a test: the Verify stage's load (1,000 sequential Predicts for p50/p99, then 16 concurrent
# callers for a fixed time) from the generated C# client (the verifier built by the Stubs stage) and from a
# Python client on Debian's python3-grpcio with stubs generated from protos/ by protoc + grpc_python_plugin,
# against the same server. Rounds alternate C# and Python; prints the medians and the ratio.
#
#   scripts/bench-verify.sh [--server=host:port] [--binary=PATH] [--model-base-path=DIR] [--rounds=5] [--seconds=3]
#
# Without --server it starts --binary (default: the bundled workspace's Bazel-built tensorflow_model_server)
# on a free port and stops it at the end. Needs: protobuf-compiler, protobuf-compiler-grpc, python3-grpcio.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
server=""
binary="$root/tests/serving-mini/bazel-bin/tensorflow_serving/model_servers/tensorflow_model_server"
model_base=""
rounds=5
seconds=3
for arg in "$@"; do
  case "$arg" in
    --server=*) server=${arg#*=} ;;
    --binary=*) binary=${arg#*=} ;;
    --model-base-path=*) model_base=${arg#*=} ;;
    --rounds=*) rounds=${arg#*=} ;;
    --seconds=*) seconds=${arg#*=} ;;
    *) echo "error: unknown argument $arg; see the header of $0" >&2; exit 2 ;;
  esac
done

for tool in protoc /usr/bin/grpc_python_plugin /usr/bin/python3 dotnet; do
  command -v "$tool" >/dev/null || { echo "error: $tool not found; apt-get install protobuf-compiler protobuf-compiler-grpc python3-grpcio" >&2; exit 3; }
done

verifier="$root/artifacts/dotnet/bin/ServingBuild.Verifier/release/ServingBuild.Verifier.dll"
if [[ ! -f "$verifier" ]]; then
  echo "error: $verifier is missing; run ./build.sh --target=Stubs first" >&2
  exit 3
fi

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true  # a background job of a script ignores SIGINT
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# Python stubs from protos/ (Debian's protoc 3.21 understands proto3 optional).
mkdir -p "$work/py"
(cd "$root/protos" && find . -name '*.proto' | sed 's|^\./||' | sort | xargs protoc -I . \
  --python_out="$work/py" --grpc_out="$work/py" --plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin)

if [[ -z "$server" ]]; then
  [[ -x "$binary" ]] || { echo "error: $binary is not built; run ./build.sh --target=BazelBuild or pass --server=host:port" >&2; exit 3; }
  tree=$(cd "$(dirname "$binary")/../../.." && pwd -P)
  [[ -n "$model_base" ]] || model_base="$tree/tensorflow_serving/servables/tensorflow/testdata/saved_model_half_plus_two_cpu"
  port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])')
  "$binary" --port="$port" --model_name=half_plus_two --model_base_path="$model_base" >"$work/server.log" 2>&1 &
  server_pid=$!
  server="127.0.0.1:$port"
  echo "started $binary on $server (pid $server_pid)"
fi

for round in $(seq "$rounds"); do
  dotnet "$verifier" --server="$server" --report="$work/cs-$round.json" --latency-calls=1000 --callers=16 \
    --throughput-seconds="$seconds" >"$work/cs-$round.out" || { cat "$work/cs-$round.out" >&2; exit 1; }
  PYTHONPATH="$work/py" /usr/bin/python3 "$root/scripts/bench_predict.py" --server="$server" --latency-calls=1000 \
    --callers=16 --seconds="$seconds" >"$work/py-$round.json"
  echo "round $round done"
done

/usr/bin/python3 - "$work" "$rounds" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
cs = [json.load(open(f"{work}/cs-{r}.json")) for r in range(1, rounds + 1)]
py = [json.load(open(f"{work}/py-{r}.json")) for r in range(1, rounds + 1)]
def med(xs, *keys):
    vals = []
    for x in xs:
        for k in keys:
            x = x[k]
        vals.append(x)
    return statistics.median(vals)
cs_t, py_t = med(cs, "throughput", "callsPerSecond"), med(py, "throughput", "callsPerSecond")
print(f"medians over {rounds} rounds, 16 concurrent callers, 1,000 sequential calls for latency")
print(f"C#     (generated client, Grpc.Net.Client): {cs_t:8.0f} Predicts/s   p50 {med(cs, 'latency', 'p50Ms'):.3f} ms   p99 {med(cs, 'latency', 'p99Ms'):.3f} ms")
print(f"Python (python3-grpcio 1.51, Debian):       {py_t:8.0f} Predicts/s   p50 {med(py, 'latency', 'p50Ms'):.3f} ms   p99 {med(py, 'latency', 'p99Ms'):.3f} ms")
print(f"throughput ratio C#/Python: {cs_t / py_t:.2f}x (goal: at least 2x)")
PY
