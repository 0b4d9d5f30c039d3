// Miniature tensorflow_model_server for the ServingBuild toolkit's tests. It speaks upstream's
// PredictionService and ModelService over gRPC (generated from the full protos), takes upstream's flags and
// serves one model: y = slope * x + intercept, read from the one *.model file in the highest numeric version
// folder (or the folder --model_version names).
//
// The *.model format: "key value" lines, '#' starts a comment.
//   signature NAME   (default serving_default)
//   input NAME       (default x)
//   output NAME      (default y)
//   slope NUMBER     (required)
//   intercept NUMBER (required)

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <dirent.h>
#include <sys/stat.h>

#include <grpcpp/grpcpp.h>

#include "curl/curl.h"
#include "tensorflow_serving/apis/model_service.grpc.pb.h"
#include "tensorflow_serving/apis/prediction_service.grpc.pb.h"

namespace {

constexpr char kDefaultSignature[] = "serving_default";
constexpr char kModelSuffix[] = ".model";

struct Flags {
  int port = 8500;
  int rest_api_port = 0;
  std::string model_name = "default";
  std::string model_base_path;
  // Not upstream's: stand-ins for a model config's specific version policy and for a slow load, so tests
  // can pin a version folder and watch GetModelStatus report LOADING.
  int64_t model_version = -1;
  double load_delay_seconds = 0;
};

struct LinearModel {
  int64_t version = 0;
  std::string signature = kDefaultSignature;
  std::string input = "x";
  std::string output = "y";
  float slope = 0;
  float intercept = 0;
};

[[noreturn]] void Die(const std::string& message) {
  std::cerr << "tensorflow_model_server: " << message << std::endl;
  std::exit(1);
}

bool ParseInt(const std::string& text, int* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  long value = std::strtol(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || value < 0 || value > 65535) return false;
  *out = static_cast<int>(value);
  return true;
}

Flags ParseFlags(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << "usage: tensorflow_model_server --port=8500 [--rest_api_port=0] --model_name=NAME "
                   "--model_base_path=DIR [--model_version=N] [--load_delay=SECONDS]"
                << std::endl;
      std::exit(0);
    }
    if (arg.rfind("--", 0) != 0) Die("unexpected argument '" + arg + "'; flags look like --port=8500");
    std::string name = arg.substr(2);
    std::string value;
    auto eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      Die("flag --" + name + " needs a value");
    }
    if (name == "port") {
      if (!ParseInt(value, &flags.port)) Die("--port=" + value + ": expected a port from 0 to 65535");
    } else if (name == "rest_api_port") {
      // Accepted for upstream compatibility; this miniature server has no REST endpoint.
      if (!ParseInt(value, &flags.rest_api_port)) Die("--rest_api_port=" + value + ": expected a port from 0 to 65535");
    } else if (name == "model_name") {
      flags.model_name = value;
    } else if (name == "model_base_path") {
      flags.model_base_path = value;
    } else if (name == "model_version") {
      char* end = nullptr;
      errno = 0;
      long long v = std::strtoll(value.c_str(), &end, 10);
      if (value.empty() || errno != 0 || *end != '\0' || v < 0) Die("--model_version=" + value + ": expected a version number (0 or more)");
      flags.model_version = v;
    } else if (name == "load_delay" || name == "load-delay") {
      char* end = nullptr;
      errno = 0;
      double v = std::strtod(value.c_str(), &end);
      if (value.empty() || errno != 0 || *end != '\0' || !(v >= 0) || v > 3600) Die("--load_delay=" + value + ": expected seconds from 0 to 3600");
      flags.load_delay_seconds = v;
    } else {
      Die("unknown flag --" + name + "; known: --port, --rest_api_port, --model_name, --model_base_path, --model_version, --load_delay");
    }
  }
  if (flags.model_base_path.empty()) Die("--model_base_path is required (a folder holding numeric version folders)");
  if (flags.model_name.empty()) Die("--model_name is empty");
  return flags;
}

// The highest all-digits subfolder of base, as upstream's default version policy picks it, or the one
// numbered `wanted` when it is 0 or more.
bool FindVersion(const std::string& base, int64_t wanted, int64_t* version, std::string* dir) {
  DIR* d = opendir(base.c_str());
  if (d == nullptr) return false;
  bool found = false;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name.empty() || name.size() > 18 ||
        !std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      continue;
    }
    std::string path = base + "/" + name;
    struct stat st;
    if (stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    int64_t v = std::stoll(name);
    if (wanted >= 0 ? v == wanted : (!found || v > *version)) {
      *version = v;
      *dir = path;
      found = true;
    }
  }
  closedir(d);
  return found;
}

// The one regular *.model file in dir; dies naming the folder when there is none or more than one.
std::string FindModelFile(const std::string& dir) {
  std::vector<std::string> found;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (name.size() <= std::strlen(kModelSuffix) ||
          name.compare(name.size() - std::strlen(kModelSuffix), std::string::npos, kModelSuffix) != 0) {
        continue;
      }
      struct stat st;
      if (stat((dir + "/" + name).c_str(), &st) == 0 && S_ISREG(st.st_mode)) found.push_back(name);
    }
    closedir(d);
  }
  std::sort(found.begin(), found.end());
  if (found.empty()) Die("no *.model file in " + dir + "; each version folder needs one (e.g. half_plus_two.model)");
  if (found.size() > 1) {
    std::string names;
    for (const auto& f : found) names += (names.empty() ? "" : ", ") + f;
    Die(dir + " holds several model files (" + names + "); keep exactly one *.model per version folder");
  }
  return dir + "/" + found[0];
}

// Reads the model file of the chosen version folder (format at the top of this file).
LinearModel LoadModel(const std::string& base, int64_t wanted) {
  struct stat st;
  if (stat(base.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    Die("--model_base_path=" + base + ": no such directory; point it at a folder holding version folders such as 00000123/");
  }
  LinearModel model;
  std::string dir;
  if (!FindVersion(base, wanted, &model.version, &dir)) {
    if (wanted >= 0) Die("--model_version=" + std::to_string(wanted) + ": no version folder with that number under " + base);
    Die("no numeric version folder under " + base + " (expected e.g. " + base + "/00000123/half_plus_two.model)");
  }
  std::string path = FindModelFile(dir);
  std::ifstream in(path);
  if (!in) Die("cannot read " + path);
  bool have_slope = false, have_intercept = false;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    auto hash = line.find('#');
    if (hash != std::string::npos) line = line.substr(0, hash);
    std::istringstream words(line);
    std::string key, value, extra;
    if (!(words >> key)) continue;
    if (!(words >> value) || (words >> extra)) {
      Die(path + ":" + std::to_string(number) + ": expected 'key value'");
    }
    try {
      if (key == "slope") {
        model.slope = std::stof(value);
        have_slope = true;
      } else if (key == "intercept") {
        model.intercept = std::stof(value);
        have_intercept = true;
      } else if (key == "signature") {
        model.signature = value;
      } else if (key == "input") {
        model.input = value;
      } else if (key == "output") {
        model.output = value;
      } else {
        Die(path + ":" + std::to_string(number) + ": unknown key '" + key + "'");
      }
    } catch (const std::exception&) {
      Die(path + ":" + std::to_string(number) + ": '" + value + "' is not a number");
    }
  }
  if (!have_slope || !have_intercept) Die(path + ": needs both 'slope' and 'intercept'");
  return model;
}

// The served model and where its one version is in its life; shared by both services.
struct ServedModel {
  std::string name;
  LinearModel model;
  std::atomic<bool> available{false};
};

using tensorflow::serving::ModelVersionStatus;

class ModelServiceImpl final : public tensorflow::serving::ModelService::Service {
 public:
  explicit ModelServiceImpl(const ServedModel& served) : served_(served) {}

  // HandleReloadConfigRequest keeps the generated UNIMPLEMENTED answer.

  grpc::Status GetModelStatus(grpc::ServerContext*, const tensorflow::serving::GetModelStatusRequest* request,
                              tensorflow::serving::GetModelStatusResponse* response) override {
    const auto& spec = request->model_spec();
    if (spec.name().empty()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "model_spec.name is empty; name the model to report on");
    }
    if (spec.name() != served_.name) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "No versions of model " + spec.name() + " are known to this server");
    }
    if (spec.has_version() && spec.version().value() != served_.model.version) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "Version " + std::to_string(spec.version().value()) + " of model " +
                                                           spec.name() + " is not known to this server");
    }
    auto* status = response->add_model_version_status();
    status->set_version(served_.model.version);
    status->set_state(served_.available ? ModelVersionStatus::AVAILABLE : ModelVersionStatus::LOADING);
    status->mutable_status()->set_error_code(tensorflow::error::OK);
    return grpc::Status::OK;
  }

 private:
  const ServedModel& served_;
};

class PredictionServiceImpl final : public tensorflow::serving::PredictionService::Service {
 public:
  explicit PredictionServiceImpl(const ServedModel& served)
      : name_(served.name), model_(served.model), available_(served.available) {}

  // Classify, Regress, MultiInference and GetModelMetadata keep the generated UNIMPLEMENTED answer.

  grpc::Status Predict(grpc::ServerContext*, const tensorflow::serving::PredictRequest* request,
                       tensorflow::serving::PredictResponse* response) override {
    const auto& spec = request->model_spec();
    // Upstream answers a request for a servable that is still loading as for one it does not have.
    if (spec.name() != name_ || !available_) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND,
                          "Servable not found for request: Latest(" + spec.name() + ")");
    }
    if (spec.has_version() && spec.version().value() != model_.version) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND,
                          "Servable not found for request: Specific(" + spec.name() + ", " +
                              std::to_string(spec.version().value()) + ")");
    }
    if (!spec.signature_name().empty() && spec.signature_name() != model_.signature) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "Serving signature key \"" + spec.signature_name() + "\" not found.");
    }
    for (const auto& entry : request->inputs()) {
      if (entry.first != model_.input) {
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                            "input tensor alias not found in signature: " + entry.first +
                                ". Inputs expected to be in the set {" + model_.input + "}.");
      }
    }
    auto it = request->inputs().find(model_.input);
    if (it == request->inputs().end()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "Missing input '" + model_.input + "' for signature " + model_.signature);
    }
    for (const auto& filter : request->output_filter()) {
      if (filter != model_.output) {
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                            "output tensor alias not found in signature: " + filter);
      }
    }
    const tensorflow::TensorProto& x = it->second;
    if (x.dtype() != tensorflow::DT_FLOAT) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "Expects arg[0] to be float but " + tensorflow::DataType_Name(x.dtype()) + " is provided");
    }

    std::vector<float> values;
    if (!x.tensor_content().empty()) {
      const std::string& bytes = x.tensor_content();
      if (bytes.size() % 4 != 0) {
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                            "tensor_content holds " + std::to_string(bytes.size()) + " bytes, not a whole number of floats");
      }
      values.resize(bytes.size() / 4);
      for (size_t i = 0; i < values.size(); ++i) {
        // tensor_content is little-endian; assemble explicitly so a big-endian host reads it right too.
        const auto* b = reinterpret_cast<const unsigned char*>(bytes.data()) + 4 * i;
        uint32_t bits = uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
        std::memcpy(&values[i], &bits, 4);
      }
    } else {
      values.assign(x.float_val().begin(), x.float_val().end());
    }

    if (x.has_tensor_shape() && !x.tensor_shape().unknown_rank()) {
      int64_t expected = 1;
      for (const auto& dim : x.tensor_shape().dim()) {
        if (dim.size() < 0) {
          return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "input shape has a negative dimension");
        }
        expected *= dim.size();
      }
      if (expected != static_cast<int64_t>(values.size())) {
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                            "input shape holds " + std::to_string(expected) + " values but " +
                                std::to_string(values.size()) + " were given");
      }
    }

    tensorflow::TensorProto y;
    y.set_dtype(tensorflow::DT_FLOAT);
    *y.mutable_tensor_shape() = x.tensor_shape();
    if (!x.has_tensor_shape()) {
      y.mutable_tensor_shape()->add_dim()->set_size(static_cast<int64_t>(values.size()));
    }
    for (float v : values) y.add_float_val(model_.slope * v + model_.intercept);
    (*response->mutable_outputs())[model_.output] = std::move(y);
    auto* out_spec = response->mutable_model_spec();
    out_spec->set_name(name_);
    out_spec->mutable_version()->set_value(model_.version);
    out_spec->set_signature_name(model_.signature);
    return grpc::Status::OK;
  }

 private:
  const std::string name_;
  const LinearModel model_;
  const std::atomic<bool>& available_;
};

}  // namespace

int main(int argc, char** argv) {
  Flags flags = ParseFlags(argc, argv);
  // Static: the detached loader below may still sleep while main returns.
  static ServedModel served;
  served.name = flags.model_name;
  served.model = LoadModel(flags.model_base_path, flags.model_version);
  served.available = flags.load_delay_seconds <= 0;
  std::cerr << "Read servable version " << served.model.version << " of model " << flags.model_name << " from "
            << flags.model_base_path << " (signature " << served.model.signature << ", input " << served.model.input
            << ", output " << served.model.output << "; curl " << curl_mini_version() << ")" << std::endl;

  // Block SIGINT/SIGTERM before gRPC starts its threads, so only the waiting thread below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  PredictionServiceImpl service(served);
  ModelServiceImpl model_service(served);
  grpc::ServerBuilder builder;
  int bound_port = 0;
  std::string address = "0.0.0.0:" + std::to_string(flags.port);
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &bound_port);
  builder.RegisterService(&service);
  builder.RegisterService(&model_service);
  // gRPC sets SO_REUSEPORT by default, which would let a second server share a taken port silently.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || bound_port == 0) {
    Die("cannot listen on " + address + " (is the port already in use?); pass a free --port");
  }
  std::cout << "Running gRPC ModelServer at 0.0.0.0:" << bound_port << " ..." << std::endl;
  if (flags.rest_api_port != 0) {
    std::cerr << "note: --rest_api_port=" << flags.rest_api_port << " ignored; this server has no REST API" << std::endl;
  }

  // The load's last step, delayed on request: until it ends, GetModelStatus says LOADING.
  std::thread loader([delay = flags.load_delay_seconds] {
    if (delay > 0) {
      std::this_thread::sleep_for(std::chrono::duration<double>(delay));
      served.available = true;
    }
    std::cerr << "Successfully loaded servable version " << served.model.version << " of model " << served.name << std::endl;
  });
  loader.detach();

  std::thread stopper([&server, &stop_signals] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    std::cerr << "Received signal " << signal_number << ", shutting down" << std::endl;
    server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  });
  server->Wait();
  stopper.join();
  std::cout << "Server stopped" << std::endl;
  return 0;
}
