// The Verify stage's load from a C++ gRPC client (synchronous API, one channel), for scripts/bench-verify.sh:
// 50 warm-up calls, N sequential Predicts for p50/p99, then C concurrent callers (threads sharing the channel)
// for S seconds. Prints one JSON line shaped like the C# verifier's and the Python client's reports.
//
//   predict_bench --server=127.0.0.1:8500 [--model_name=half_plus_two] [--latency_calls=1000] [--callers=16] [--seconds=3]

#include <algorithm>
#include <atomic>
#include <chrono>
#include <sys/resource.h>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "tensorflow_serving/apis/prediction_service.grpc.pb.h"

namespace {

using Clock = std::chrono::steady_clock;

std::string Flag(int argc, char** argv, const std::string& name, const std::string& fallback) {
  const std::string prefix = "--" + name + "=";
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], prefix.c_str(), prefix.size()) == 0) return argv[i] + prefix.size();
  }
  return fallback;
}

// The same request as the C# verifier's load: x = [1, 2, 5] as little-endian tensor_content, shape [3].
tensorflow::serving::PredictRequest Request(const std::string& model) {
  tensorflow::serving::PredictRequest request;
  request.mutable_model_spec()->set_name(model);
  request.mutable_model_spec()->set_signature_name("serving_default");
  tensorflow::TensorProto& x = (*request.mutable_inputs())["x"];
  x.set_dtype(tensorflow::DT_FLOAT);
  x.mutable_tensor_shape()->add_dim()->set_size(3);
  const float values[] = {1.0f, 2.0f, 5.0f};
  x.set_tensor_content(std::string(reinterpret_cast<const char*>(values), sizeof(values)));
  return request;
}

grpc::Status Call(tensorflow::serving::PredictionService::Stub& stub, const tensorflow::serving::PredictRequest& request) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  tensorflow::serving::PredictResponse response;
  return stub.Predict(&context, request, &response);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string server = Flag(argc, argv, "server", "");
  if (server.empty()) {
    std::cerr << "predict_bench: --server=host:port is required" << std::endl;
    return 2;
  }
  const std::string model = Flag(argc, argv, "model_name", "half_plus_two");
  const int latency_calls = std::atoi(Flag(argc, argv, "latency_calls", "1000").c_str());
  const int callers = std::atoi(Flag(argc, argv, "callers", "16").c_str());
  const double seconds = std::atof(Flag(argc, argv, "seconds", "3").c_str());

  auto channel = grpc::CreateChannel(server, grpc::InsecureChannelCredentials());
  auto stub = tensorflow::serving::PredictionService::NewStub(channel);
  const auto request = Request(model);

  for (int i = 0; i < 50; ++i) {
    grpc::Status status = Call(*stub, request);
    if (!status.ok()) {
      std::cerr << "predict_bench: Predict failed: " << status.error_code() << " " << status.error_message() << std::endl;
      return 1;
    }
  }

  std::vector<double> samples;
  samples.reserve(latency_calls);
  for (int i = 0; i < latency_calls; ++i) {
    auto start = Clock::now();
    Call(*stub, request);
    samples.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::sort(samples.begin(), samples.end());
  auto at = [&samples](double q) {
    size_t index = static_cast<size_t>(std::ceil(q * samples.size())) - 1;
    return samples[std::min(samples.size() - 1, index)];
  };

  // CPU the whole process spent (user + system) over the concurrent phase, per call, as the other clients report.
  auto cpu_seconds = [] {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  };
  std::atomic<long> calls{0}, errors{0};
  const double cpu_before = cpu_seconds();
  const auto began = Clock::now();
  const auto stop = began + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<std::thread> threads;
  for (int c = 0; c < callers; ++c) {
    threads.emplace_back([&] {
      while (Clock::now() < stop) {
        if (Call(*stub, request).ok()) {
          calls.fetch_add(1, std::memory_order_relaxed);
        } else {
          errors.fetch_add(1, std::memory_order_relaxed);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - began).count();
  const double cpu_per_call = (cpu_seconds() - cpu_before) * 1e6 / std::max(1L, calls.load() + errors.load());

  std::printf(
      "{\"latency\": {\"calls\": %zu, \"p50Ms\": %.4f, \"p99Ms\": %.4f}, "
      "\"throughput\": {\"callers\": %d, \"calls\": %ld, \"errors\": %ld, \"seconds\": %.3f, \"callsPerSecond\": %.1f, "
      "\"cpuMicrosecondsPerCall\": %.1f}}\n",
      samples.size(), at(0.5), at(0.99), callers, calls.load(), errors.load(), elapsed, calls.load() / elapsed, cpu_per_call);
  return 0;
}
