"""The Verify stage's load from Python (Debian's python3-grpcio), for the C#/Python comparison.

Stubs are generated from protos/ by protoc + grpc_python_plugin (scripts/bench-verify.sh does it) and put on
PYTHONPATH. Prints one JSON line: p50/p99 over sequential Predicts and calls/s with N threads.
"""
import argparse
import json
import struct
import threading
import time

import grpc
import predict_pb2
import prediction_service_pb2_grpc
from tensorflow.core.framework import tensor_pb2, tensor_shape_pb2, types_pb2


def request(model):
    x = tensor_pb2.TensorProto(
        dtype=types_pb2.DT_FLOAT,
        tensor_shape=tensor_shape_pb2.TensorShapeProto(dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=3)]),
        tensor_content=struct.pack("<3f", 1.0, 2.0, 5.0))
    req = predict_pb2.PredictRequest()
    req.model_spec.name = model
    req.model_spec.signature_name = "serving_default"
    req.inputs["x"].CopyFrom(x)
    return req


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--model-name", default="half_plus_two")
    parser.add_argument("--latency-calls", type=int, default=1000)
    parser.add_argument("--callers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=3)
    args = parser.parse_args()

    channel = grpc.insecure_channel(args.server)
    stub = prediction_service_pb2_grpc.PredictionServiceStub(channel)
    req = request(args.model_name)
    y = stub.Predict(req, timeout=30).outputs["y"]
    got = list(y.float_val) or list(struct.unpack("<3f", y.tensor_content))
    if [round(v, 4) for v in got] != [2.5, 3.0, 4.5]:
        raise SystemExit(f"unexpected answer {got}")

    for _ in range(50):
        stub.Predict(req, timeout=10)
    samples = []
    for _ in range(args.latency_calls):
        start = time.perf_counter()
        stub.Predict(req, timeout=10)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()

    def at(q):
        return samples[min(len(samples) - 1, max(0, int(-(-q * len(samples) // 1)) - 1))]

    calls = [0] * args.callers
    errors = [0] * args.callers
    stop = time.perf_counter() + args.seconds

    def caller(i):
        while time.perf_counter() < stop:
            try:
                stub.Predict(req, timeout=10)
                calls[i] += 1
            except grpc.RpcError:
                errors[i] += 1

    began = time.perf_counter()
    threads = [threading.Thread(target=caller, args=(i,)) for i in range(args.callers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    print(json.dumps({
        "latency": {"calls": len(samples), "p50Ms": at(0.5), "p99Ms": at(0.99)},
        "throughput": {"callers": args.callers, "calls": sum(calls), "errors": sum(errors),
                       "seconds": elapsed, "callsPerSecond": sum(calls) / elapsed},
    }))


if __name__ == "__main__":
    main()
