// The capstone's measurement across processes: the entry answers in a child process (the server,
// built with the student's code), the course's harness (the parent, reference build) asks and
// times. Frames on a pair of pipes: one text line, then exactly the bytes it announces.
// Not the measurement itself (m20_harness) and not a network protocol: both ends are on one machine.
//
//   harness → server                              server → harness
//   "classify N" + N·784 float32 (images)         "logits N" + N·10 float32
//   "generate P N" + P int32 (one prompt)         "tokens K" + K int32 (the prompt, then N new ids)
//   "export"                                      "model B" + B bytes (model_io JSON of the classifier)
//   "info"                                        "info B" + B bytes ({"name", "description"} JSON)
//   "load B" + B bytes (a TrainRequest as JSON)    "loaded N" (the server read the N-image training split)
//   "train B" + B bytes (a TrainRequest as JSON)   "model B" + B bytes (model_io JSON of train_fastest's model)
//   "quit"                                        (exits)
//   anything that fails                           "error MESSAGE"
// A server announces itself with "ready" once its Submission is built.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tt/capstone/submission.hpp"

namespace tt::capstone {

inline constexpr int kServerCommandFd = 5;  // the server reads commands here
inline constexpr int kServerAnswerFd = 6;   // and answers here
inline constexpr int kClockRequestFd = 20;  // the harness asks the grader for a server's CPU clock
inline constexpr int kClockAnswerFd = 21;
// Server i of the harness: answers come in on fd 7 + 2i, commands go out on fd 8 + 2i.
inline int harness_answer_fd(int server) { return 7 + 2 * server; }
inline int harness_command_fd(int server) { return 8 + 2 * server; }

// What the harness asks the entry to train (20.6): "load" makes the server read the training split
// (untimed, once); each "train" calls train_fastest (trainer.hpp) on that same pristine, const split
// (a train of another data set than the one loaded is a protocol error). Crosses the pipe as
// {"seed", "target_accuracy", "max_epochs", "dataset", "data"}.
struct TrainRequest {
  std::uint64_t seed = 0;
  double target_accuracy = 0.83;
  int max_epochs = 8;
  std::string dataset = "fashion-mnist";  // trainer_dataset() names
  std::string data;                       // the data folder ("": the data set's default)
};
nlohmann::json to_json(const TrainRequest& r);
// protocol_error naming the field for a request that is not an object of those fields.
TrainRequest train_request(const nlohmann::json& j);

// Raised when the other end breaks the protocol, goes away or reports an error.
struct protocol_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Serves `entry` on the server fds until "quit" or end of input; returns the exit code.
int serve(Submission& entry);

// The harness's end of one server.
class RemoteEntry {
 public:
  RemoteEntry(int answer_fd, int command_fd, std::string who);
  // Waits for "ready" (the entry is built).
  void wait_ready();
  // images: (N, 1, 28, 28) → logits (N, 10).
  Tensor classify(const Tensor& images);
  std::vector<std::int32_t> generate(const std::vector<std::int32_t>& prompt, std::size_t n_new);
  nlohmann::json export_model();
  nlohmann::json info();
  // The server reads the request's training split; returns its image count.
  std::size_t load_training(const TrainRequest& request);
  // The model train_fastest returned in the server (model_io JSON); protocol_error when it fails or
  // has not started answering after timeout_seconds (the server is then still busy: ask it nothing more).
  nlohmann::json train(const TrainRequest& request, double timeout_seconds);
  void quit();

 private:
  std::string line();
  void bytes(void* out, std::size_t n);
  nlohmann::json blob(const char* expected);
  void send(const std::string& line, const void* data = nullptr, std::size_t n = 0);
  int in_, out_;
  std::string who_, pending_;
};

// The grader's clock service: another process's CPU time and memory, read by the grader (which
// sees the server) for the harness (which cannot). Without it (run by hand), cpu() is NaN.
class Clock {
 public:
  Clock();
  bool available() const { return available_; }
  double cpu(int server);                                  // CPU seconds of server `server`
  std::pair<std::size_t, std::size_t> memory(int server);  // {resident, peak resident} bytes
  void reset_peak(int server);                             // the peak restarts from now

 private:
  std::string ask(const std::string& request);
  bool available_ = false;
};

}  // namespace tt::capstone
