"""Calls ModelService.GetModelStatus and Predict on the miniature tensorflow_model_server with Python stubs
generated from the workspace's protos.

Usage: model_status_cases.py STUBS_DIR PORT CASE_JSON... Each case is a JSON object:
  {"case": NAME, "rpc": "status", "name": MODEL, "version": N (optional)}
  {"case": NAME, "rpc": "predict", "name": MODEL, "signature": SIG, "input": ALIAS, "values": [...]}
  {"case": NAME, "rpc": "wait", "name": MODEL, "seconds": S}: GetModelStatus until AVAILABLE, listing each state seen
Prints one JSON object per case: the answer ({"versions": [[version, state, error_code]]}, {"outputs": {...}},
{"states": [...]}) or {"code": "NOT_FOUND", "details": "..."}.
"""
import json
import sys
import time

sys.path.insert(0, sys.argv[1])

import grpc  # noqa: E402
from tensorflow.core.framework import types_pb2  # noqa: E402
from tensorflow_serving.apis import (get_model_status_pb2, model_service_pb2_grpc, predict_pb2,  # noqa: E402
                                     prediction_service_pb2_grpc)

channel = grpc.insecure_channel("127.0.0.1:" + sys.argv[2])
models = model_service_pb2_grpc.ModelServiceStub(channel)
predictions = prediction_service_pb2_grpc.PredictionServiceStub(channel)
State = get_model_status_pb2.ModelVersionStatus.State


def status(name, version=None):
    r = get_model_status_pb2.GetModelStatusRequest()
    r.model_spec.name = name
    if version is not None:
        r.model_spec.version.value = version
    answer = models.GetModelStatus(r, timeout=10)
    return [[s.version, State.Name(s.state), s.status.error_code] for s in answer.model_version_status]


def predict(case):
    r = predict_pb2.PredictRequest()
    r.model_spec.name = case["name"]
    r.model_spec.signature_name = case.get("signature", "")
    t = r.inputs[case["input"]]
    t.dtype = types_pb2.DT_FLOAT
    t.tensor_shape.dim.add().size = len(case["values"])
    t.float_val.extend(case["values"])
    answer = predictions.Predict(r, timeout=10)
    return {k: list(v.float_val) for k, v in answer.outputs.items()}, answer.model_spec.version.value


for case in map(json.loads, sys.argv[3:]):
    result = {"case": case["case"]}
    try:
        if case["rpc"] == "status":
            result["versions"] = status(case["name"], case.get("version"))
        elif case["rpc"] == "predict":
            result["outputs"], result["version"] = predict(case)
        else:
            states, deadline = [], time.monotonic() + case["seconds"]
            while time.monotonic() < deadline:
                seen = status(case["name"])[0][1]
                if not states or states[-1] != seen:
                    states.append(seen)
                if seen == "AVAILABLE":
                    break
                time.sleep(0.1)
            result["states"] = states
    except grpc.RpcError as e:
        result["code"] = e.code().name
        result["details"] = e.details()
    print(json.dumps(result), flush=True)
