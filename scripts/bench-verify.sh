#!/usr/bin/env bash
# Benchmark, not a test: the Verify stage's load (1,000 sequential Predicts for p50/p99, then 16 concurrent
# callers for a fixed time) against one server from four clients: the generated C# client (the verifier built
# by the Stubs stage); a C++ client on Debian's gRPC built by Bazel in the miniature workspace
# (//tensorflow_serving/example:predict_bench), the ceiling; and Debian's python3-grpcio, with threads on the
# blocking stub and with grpc.aio coroutines (stubs generated from protos/ by protoc + grpc_python_plugin).
# Each round runs the four in turn; prints the medians and C#'s ratios against each. Beside the rate, each client
# reports the CPU time its process spent per call under load: on a host shared with the server (as here), the CPU
# a client spends per call is CPU the server does not get, so that figure explains the rates.
#
#   scripts/bench-verify.sh [--server=host:port] [--binary=PATH] [--model-base-path=DIR] [--rounds=5] [--seconds=3]
#
# Without --server it starts --binary (default: the bundled workspace's Bazel-built tensorflow_model_server)
# on a free port and stops it at the end. Needs: protobuf-compiler, protobuf-compiler-grpc, python3-grpcio,
# bazel (bazel-bootstrap) and libgrpc++-dev for the C++ client.
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

for tool in protoc /usr/bin/grpc_python_plugin /usr/bin/python3 dotnet "${BAZEL:-bazel}"; do
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

# The C++ client, built by Bazel in the miniature workspace with the host's gRPC (a no-op when up to date).
mini="$root/tests/serving-mini"
(cd "$mini" && "${BAZEL:-bazel}" build --config=release //tensorflow_serving/example:predict_bench >"$work/bazel.log" 2>&1) \
  || { tail -20 "$work/bazel.log" >&2; echo "error: building the C++ client failed (log above)" >&2; exit 1; }
cpp_client="$mini/bazel-bin/tensorflow_serving/example/predict_bench"

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
  "$cpp_client" --server="$server" --latency_calls=1000 --callers=16 --seconds="$seconds" >"$work/cpp-$round.json"
  for mode in threads asyncio; do
    PYTHONPATH="$work/py" /usr/bin/python3 "$root/scripts/bench_predict.py" --server="$server" --latency-calls=1000 \
      --callers=16 --seconds="$seconds" --mode="$mode" >"$work/py-$mode-$round.json"
  done
  echo "round $round done"
done

/usr/bin/python3 - "$work" "$rounds" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
def load(prefix):
    return [json.load(open(f"{work}/{prefix}-{r}.json")) for r in range(1, rounds + 1)]
def med(xs, *keys):
    vals = []
    for x in xs:
        for k in keys:
            x = x[k]
        vals.append(x)
    return statistics.median(vals)
clients = [("C#", load("cs")), ("C++", load("cpp")), ("Python (threads)", load("py-threads")), ("Python (asyncio)", load("py-asyncio"))]
rate = {name: med(runs, "throughput", "callsPerSecond") for name, runs in clients}
p50 = {name: med(runs, "latency", "p50Ms") for name, runs in clients}
print(f"medians over {rounds} rounds: 1,000 sequential Predicts (p50, p99), then 16 concurrent callers "
      f"(Predicts/s, and the client process's CPU time per call in that phase)")
for name, runs in clients:
    print(f"{name:<17} {rate[name]:8.0f} Predicts/s   p50 {p50[name]:.3f} ms   p99 {med(runs, 'latency', 'p99Ms'):.3f} ms   "
          f"CPU {med(runs, 'throughput', 'cpuMicrosecondsPerCall'):.1f} us/call")
cs = rate["C#"]
print(f"C#/C++ {cs / rate['C++']:.2f}x (goal >= 0.8x), C#/Python (threads) {cs / rate['Python (threads)']:.2f}x (goal >= 2x), "
      f"C#/Python (asyncio) {cs / rate['Python (asyncio)']:.2f}x (goal >= 1.5x)")
best_py = min(p50["Python (threads)"], p50["Python (asyncio)"])
print(f"C# p50 {p50['C#']:.3f} ms vs Python's best {best_py:.3f} ms ({'no worse' if p50['C#'] <= best_py else 'worse'})")
PY
