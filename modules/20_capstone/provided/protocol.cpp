// Provided course code: both ends of the capstone's server protocol and the clock service client.
// Not student code: every entry is served and measured by this same code (module.json "provided_files").
#include "tt/capstone/protocol.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <type_traits>

#include "tt/capstone/model_io.hpp"
#include "tt/capstone/trainer.hpp"
#include "tt/errors.hpp"

namespace tt::capstone {
using nlohmann::json;

namespace {

constexpr std::size_t kPixels = std::size_t{28} * 28;
constexpr std::size_t kClasses = 10;
constexpr std::size_t kMaxImages = 1 << 16;
constexpr std::size_t kMaxRequestBytes = 1 << 16;

void write_all(int fd, const void* data, std::size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w <= 0) throw protocol_error("the other end went away");
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

void read_all(int fd, void* data, std::size_t n) {
  char* p = static_cast<char*>(data);
  while (n > 0) {
    const ssize_t r = ::read(fd, p, n);
    if (r <= 0) throw protocol_error("the other end went away");
    p += r;
    n -= static_cast<std::size_t>(r);
  }
}

bool read_line(int fd, std::string& line) {
  line.clear();
  char c = 0;
  while (true) {
    const ssize_t r = ::read(fd, &c, 1);
    if (r <= 0) return false;
    if (c == '\n') return true;
    if (line.size() > 4096) throw protocol_error("a command line longer than 4096 bytes");
    line.push_back(c);
  }
}

void answer(const std::string& line, const void* data = nullptr, std::size_t n = 0) {
  const std::string l = line + "\n";
  write_all(kServerAnswerFd, l.data(), l.size());
  if (n) write_all(kServerAnswerFd, data, n);
}

// The training split of the trainer race, loaded once by "load" and handed (const) to every "train".
struct RaceData {
  Dataset train;
  std::string loaded;  // "dataset folder" of what `train` holds; empty before "load"
};

// A "load" / "train" request: its byte count on the command line, then the JSON.
TrainRequest read_request(std::istringstream& in, const std::string& verb) {
  std::size_t b = 0;
  if (!(in >> b) || b == 0 || b > kMaxRequestBytes) throw protocol_error(verb + " needs a 1..65536-byte request");
  std::string text(b, '\0');
  read_all(kServerCommandFd, text.data(), b);
  return train_request(json::parse(text, nullptr, false));
}

// One command; false on "quit".
bool handle(Submission& entry, RaceData& race, const std::string& cmd) {
  std::istringstream in(cmd);
  std::string verb;
  in >> verb;
  if (verb == "quit") return false;
  if (verb == "classify") {
    std::size_t n = 0;
    if (!(in >> n) || n == 0 || n > kMaxImages) throw protocol_error("classify needs 1..65536 images");
    Tensor images = Tensor::from_shape({n, 1, 28, 28});
    read_all(kServerCommandFd, images.data(), n * kPixels * sizeof(float));
    const Tensor logits = entry.classify(images);
    if (logits.size() != n * kClasses)
      throw shape_error("classify() returned " + std::to_string(logits.size()) + " values for " + std::to_string(n) +
                        " images; expected (" + std::to_string(n) + ", 10) logits");
    answer("logits " + std::to_string(n), logits.data(), logits.size() * sizeof(float));
  } else if (verb == "generate") {
    std::size_t p = 0, n = 0;
    if (!(in >> p >> n) || p == 0 || p > 4096 || n > 4096) throw protocol_error("generate needs 1..4096 prompt ids");
    TokenBatch prompt(1, std::vector<std::int32_t>(p));
    read_all(kServerCommandFd, prompt[0].data(), p * sizeof(std::int32_t));
    const TokenBatch out = entry.generate(prompt, n);
    if (out.size() != 1) throw shape_error("generate() must return one sequence for one prompt");
    answer("tokens " + std::to_string(out[0].size()), out[0].data(), out[0].size() * sizeof(std::int32_t));
  } else if (verb == "export") {
    const std::string text = export_classifier(entry.classifier()).dump();
    answer("model " + std::to_string(text.size()), text.data(), text.size());
  } else if (verb == "load") {
    const TrainRequest r = read_request(in, verb);
    race.train = load_trainer_split(trainer_dataset(r.dataset), Split::train, r.data);
    race.loaded = r.dataset + " " + r.data;
    answer("loaded " + std::to_string(race.train.size()));
  } else if (verb == "train") {
    const TrainRequest r = read_request(in, verb);
    if (race.loaded != r.dataset + " " + r.data)
      throw protocol_error("train " + r.dataset + " before the harness's load of it");
    TrainerOptions o;
    o.seed = r.seed;
    o.target_accuracy = r.target_accuracy;
    o.max_epochs = r.max_epochs;
    Sequential model = train_fastest(race.train, o);  // const: every run starts from the pristine split
    const std::string out = export_classifier(model).dump();
    answer("model " + std::to_string(out.size()), out.data(), out.size());
  } else if (verb == "info") {
    const std::string text = json{{"name", entry.name()}, {"description", entry.description()}}.dump(
        -1, ' ', false, json::error_handler_t::replace);
    answer("info " + std::to_string(text.size()), text.data(), text.size());
  } else {
    throw protocol_error("unknown command '" + verb + "'");
  }
  return true;
}

}  // namespace

json to_json(const TrainRequest& r) {
  return {{"seed", r.seed},
          {"target_accuracy", r.target_accuracy},
          {"max_epochs", r.max_epochs},
          {"dataset", r.dataset},
          {"data", r.data}};
}

TrainRequest train_request(const json& j) {
  TrainRequest r;
  const auto field = [&](const char* key, auto& out) {
    try {
      out = j.at(key).get<std::remove_reference_t<decltype(out)>>();
    } catch (const json::exception&) {
      throw protocol_error(std::string("a train request needs \"") + key + "\" of the right type; found " +
                           (j.is_object() && j.contains(key) ? j[key].dump() : std::string("none")));
    }
  };
  if (!j.is_object()) throw protocol_error("a train request is a JSON object; found " + j.dump().substr(0, 80));
  field("seed", r.seed);
  field("target_accuracy", r.target_accuracy);
  field("max_epochs", r.max_epochs);
  field("dataset", r.dataset);
  field("data", r.data);
  return r;
}

int serve(Submission& entry) {
  RaceData race;
  answer("ready");
  for (std::string cmd; read_line(kServerCommandFd, cmd);) {
    try {
      if (!handle(entry, race, cmd)) return 0;
    } catch (const protocol_error& e) {
      answer(std::string("error ") + e.what());
      return 2;
    } catch (const std::exception& e) {
      std::string msg = e.what();
      for (auto& c : msg)
        if (c == '\n') c = ' ';
      answer("error " + msg);
    }
  }
  return 0;
}

RemoteEntry::RemoteEntry(int answer_fd, int command_fd, std::string who)
    : in_(answer_fd), out_(command_fd), who_(std::move(who)) {
  if (fcntl(in_, F_GETFD) == -1 || fcntl(out_, F_GETFD) == -1)
    throw protocol_error("no " + who_ + " server on fds " + std::to_string(in_) + "/" + std::to_string(out_) +
                         " (the harness is started by tt-grade, which connects them)");
}

std::string RemoteEntry::line() {
  std::string l;
  if (!read_line(in_, l)) throw protocol_error("the " + who_ + " server stopped answering");
  if (l.rfind("error ", 0) == 0) throw protocol_error("the " + who_ + " server: " + l.substr(6));
  return l;
}

void RemoteEntry::bytes(void* out, std::size_t n) { read_all(in_, out, n); }

void RemoteEntry::send(const std::string& l, const void* data, std::size_t n) {
  const std::string s = l + "\n";
  write_all(out_, s.data(), s.size());
  if (n) write_all(out_, data, n);
}

void RemoteEntry::wait_ready() {
  const std::string l = line();
  if (l != "ready") throw protocol_error("the " + who_ + " server said '" + l + "' instead of 'ready'");
}

Tensor RemoteEntry::classify(const Tensor& images) {
  const std::size_t n = images.shape()[0];
  send("classify " + std::to_string(n), images.data(), images.size() * sizeof(float));
  std::istringstream h(line());
  std::string word;
  std::size_t got = 0;
  if (!(h >> word >> got) || word != "logits" || got != n)
    throw protocol_error("the " + who_ + " server answered classify with something else");
  Tensor logits = Tensor::from_shape({n, kClasses});
  bytes(logits.data(), logits.size() * sizeof(float));
  return logits;
}

std::vector<std::int32_t> RemoteEntry::generate(const std::vector<std::int32_t>& prompt, std::size_t n_new) {
  send("generate " + std::to_string(prompt.size()) + " " + std::to_string(n_new), prompt.data(),
       prompt.size() * sizeof(std::int32_t));
  std::istringstream h(line());
  std::string word;
  std::size_t k = 0;
  if (!(h >> word >> k) || word != "tokens" || k > prompt.size() + n_new + 4096)
    throw protocol_error("the " + who_ + " server answered generate with something else");
  std::vector<std::int32_t> out(k);
  bytes(out.data(), k * sizeof(std::int32_t));
  return out;
}

json RemoteEntry::blob(const char* expected) {
  std::istringstream h(line());
  std::string word;
  std::size_t b = 0;
  if (!(h >> word >> b) || word != expected || b > (std::size_t{256} << 20))
    throw protocol_error("the " + who_ + " server did not answer with its " + expected);
  std::string text(b, '\0');
  bytes(text.data(), b);
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) throw protocol_error("the " + who_ + " server's " + expected + " is not JSON");
  return j;
}

json RemoteEntry::export_model() {
  send("export");
  return blob("model");
}

std::size_t RemoteEntry::load_training(const TrainRequest& request) {
  const std::string text = to_json(request).dump();
  send("load " + std::to_string(text.size()), text.data(), text.size());
  std::istringstream h(line());
  std::string word;
  std::size_t n = 0;
  if (!(h >> word >> n) || word != "loaded")
    throw protocol_error("the " + who_ + " server answered load with something else");
  return n;
}

json RemoteEntry::train(const TrainRequest& request, double timeout_seconds) {
  const std::string text = to_json(request).dump();
  send("train " + std::to_string(text.size()), text.data(), text.size());
  pollfd p{in_, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(timeout_seconds * 1000)) == 0)
    throw protocol_error("the " + who_ + " server returned no model within " + std::to_string(timeout_seconds) +
                         " s (the race's limit per run)");
  return blob("model");
}

json RemoteEntry::info() {
  send("info");
  return blob("info");
}

void RemoteEntry::quit() {
  try {
    send("quit");
  } catch (const protocol_error&) {
  }
}

Clock::Clock() { available_ = fcntl(kClockRequestFd, F_GETFD) != -1 && fcntl(kClockAnswerFd, F_GETFD) != -1; }

std::string Clock::ask(const std::string& request) {
  if (!available_) throw protocol_error("no clock service (the harness is started by tt-grade)");
  const std::string r = request + "\n";
  write_all(kClockRequestFd, r.data(), r.size());
  std::string l;
  if (!read_line(kClockAnswerFd, l)) throw protocol_error("the clock service went away");
  if (l.rfind("error ", 0) == 0) throw protocol_error("the clock service: " + l.substr(6));
  return l;
}

double Clock::cpu(int server) {
  if (!available_) return std::nan("");
  return std::stod(ask("cpu " + std::to_string(server)));
}

std::pair<std::size_t, std::size_t> Clock::memory(int server) {
  std::istringstream in(ask("rss " + std::to_string(server)));
  std::size_t rss = 0, peak = 0;
  in >> rss >> peak;
  return {rss, peak};
}

void Clock::reset_peak(int server) { ask("reset-peak " + std::to_string(server)); }

}  // namespace tt::capstone
