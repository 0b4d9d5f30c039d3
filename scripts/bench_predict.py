"""The Verify stage's load from Python (Debian's python3-grpcio), for the C#/Python comparison.

Stubs are generated from protos/ by protoc + grpc_python_plugin (scripts/bench-verify.sh does it) and put on
PYTHONPATH. Prints one JSON line: p50/p99 over sequential Predicts and calls/s with N callers: threads on the
blocking stub (--mode=threads), or coroutines on grpc.aio (--mode=asyncio), one channel either way.
"""
import argparse
import asyncio
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
    parser.add_argument("--mode", choices=["threads", "asyncio"], default="threads")
    args = parser.parse_args()
    if args.mode == "asyncio":
        asyncio.run(main_asyncio(args))
        return

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

    began, cpu_before = time.perf_counter(), time.process_time()
    threads = [threading.Thread(target=caller, args=(i,)) for i in range(args.callers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    report(samples, args.callers, sum(calls), sum(errors), elapsed, time.process_time() - cpu_before)


def percentile(samples, q):
    return samples[min(len(samples) - 1, max(0, int(-(-q * len(samples) // 1)) - 1))]


def report(samples, callers, calls, errors, elapsed, cpu):
    samples.sort()
    print(json.dumps({
        "latency": {"calls": len(samples), "p50Ms": percentile(samples, 0.5), "p99Ms": percentile(samples, 0.99)},
        "throughput": {"callers": callers, "calls": calls, "errors": errors,
                       "seconds": elapsed, "callsPerSecond": calls / elapsed,
                       "cpuMicrosecondsPerCall": cpu * 1e6 / max(1, calls + errors)},
    }))


async def main_asyncio(args):
    async with grpc.aio.insecure_channel(args.server) as channel:
        stub = prediction_service_pb2_grpc.PredictionServiceStub(channel)
        req = request(args.model_name)
        y = (await stub.Predict(req, timeout=30)).outputs["y"]
        got = list(y.float_val) or list(struct.unpack("<3f", y.tensor_content))
        if [round(v, 4) for v in got] != [2.5, 3.0, 4.5]:
            raise SystemExit(f"unexpected answer {got}")

        for _ in range(50):
            await stub.Predict(req, timeout=10)
        samples = []
        for _ in range(args.latency_calls):
            start = time.perf_counter()
            await stub.Predict(req, timeout=10)
            samples.append((time.perf_counter() - start) * 1000)

        counts = {"calls": 0, "errors": 0}
        stop = time.perf_counter() + args.seconds

        async def caller():
            while time.perf_counter() < stop:
                try:
                    await stub.Predict(req, timeout=10)
                    counts["calls"] += 1
                except grpc.RpcError:
                    counts["errors"] += 1

        began, cpu_before = time.perf_counter(), time.process_time()
        await asyncio.gather(*(caller() for _ in range(args.callers)))
        report(samples, args.callers, counts["calls"], counts["errors"], time.perf_counter() - began,
               time.process_time() - cpu_before)


if __name__ == "__main__":
    main()
