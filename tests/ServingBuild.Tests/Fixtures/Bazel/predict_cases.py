"""Calls the miniature tensorflow_model_server with Python stubs generated from the workspace's protos.

Usage: predict_cases.py STUBS_DIR PORT MODEL_NAME. Prints one JSON object per case: its name and either
{"y": [...], "shape": [...], "version": N} or {"code": "NOT_FOUND", "details": "..."}.
"""
import json
import struct
import sys

sys.path.insert(0, sys.argv[1])

import grpc  # noqa: E402
from tensorflow.core.framework import types_pb2  # noqa: E402
from tensorflow_serving.apis import (classification_pb2, get_model_metadata_pb2, inference_pb2, predict_pb2,  # noqa: E402
                                     prediction_service_pb2_grpc, regression_pb2)

port, model = sys.argv[2], sys.argv[3]
stub = prediction_service_pb2_grpc.PredictionServiceStub(grpc.insecure_channel("127.0.0.1:" + port))


def request(name=model, key="x", dtype=types_pb2.DT_FLOAT, values=(1.0, 2.0, 5.0), shape=(3,), content=False, signature=""):
    r = predict_pb2.PredictRequest()
    r.model_spec.name = name
    r.model_spec.signature_name = signature
    t = r.inputs[key]
    t.dtype = dtype
    for d in shape:
        t.tensor_shape.dim.add().size = d
    if content:
        t.tensor_content = struct.pack("<%df" % len(values), *values)
    else:
        t.float_val.extend(values)
    return r


def run(name, call):
    try:
        out = call()
        if isinstance(out, predict_pb2.PredictResponse):
            y = out.outputs["y"]
            result = {"y": list(y.float_val), "shape": [d.size for d in y.tensor_shape.dim],
                      "version": out.model_spec.version.value, "dtype": y.dtype}
        else:
            result = {"ok": True}
    except grpc.RpcError as e:
        result = {"code": e.code().name, "details": e.details()}
    result["case"] = name
    print(json.dumps(result), flush=True)


run("float_val", lambda: stub.Predict(request(), timeout=10))
run("tensor_content_2x2", lambda: stub.Predict(request(values=(0.0, 1.0, -4.0, 10.0), shape=(2, 2), content=True,
                                                       signature="serving_default"), timeout=10))
run("other_model", lambda: stub.Predict(request(name="no_such_model"), timeout=10))
run("missing_input_key", lambda: stub.Predict(request(key="z"), timeout=10))
run("wrong_dtype", lambda: stub.Predict(request(dtype=types_pb2.DT_INT32), timeout=10))
run("Classify", lambda: stub.Classify(classification_pb2.ClassificationRequest(), timeout=10))
run("Regress", lambda: stub.Regress(regression_pb2.RegressionRequest(), timeout=10))
run("MultiInference", lambda: stub.MultiInference(inference_pb2.MultiInferenceRequest(), timeout=10))
run("GetModelMetadata", lambda: stub.GetModelMetadata(get_model_metadata_pb2.GetModelMetadataRequest(), timeout=10))
