// The server: cpp-httplib configured for many short requests (a pool of threads, no keep-alive
// so an idle browser never holds a thread), the routes, the board-version watcher, the reaper of
// expired leases and closing phases, and the executor.
// Not a route: see routes_*.cpp.
#include "tt/arena/server.hpp"

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <iostream>

#include "app.hpp"
#include "tt/arena/queue.hpp"
#include "tt/arena/schema.hpp"
#include "tt/arena/uploads.hpp"

namespace tt::arena {
namespace fs = std::filesystem;
using nlohmann::json;

struct Server::Impl {
  std::unique_ptr<App> app;
  httplib::Server http;
  std::unique_ptr<Executor> executor;
  std::thread listener, watcher;
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::condition_variable cv;
};

namespace {

json module20_targets(const fs::path& course) {
  std::ifstream in(course / "modules" / "20_capstone" / "module.json");
  const json j = json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.contains("measure")) return json::array();
  return j["measure"].value("fields", json::array());
}

// Closing → closed once no verify job is queued or running.
void advance_phase(Db& db) {
  if (load_competition(db).phase != "closing") return;
  {
    auto lock = db.lock();
    auto st = db.prepare("SELECT COUNT(*) FROM jobs WHERE kind = 'verify' AND state IN ('queued', 'running')");
    st.step();
    if (st.col_int(0) > 0) return;
  }
  set_phase(db, "closed");
}

}  // namespace

Server::Server(ServerOptions o) : impl_(std::make_unique<Impl>()) {
  fs::create_directories(o.data / "uploads");
  fs::create_directories(o.data / "runs");
  o.data = fs::absolute(o.data);
  o.worker.db = o.data / "arena.db";
  o.worker.data = o.data;
  impl_->app = std::make_unique<App>(o);
  App& a = *impl_->app;
  migrate(a.db);
  load_competition(a.db);  // refuses to serve before `tt-arena admin create`
  sweep_partial_uploads(o.data / "uploads");
  a.student_files = course_student_files(o.worker.course);
  a.targets = module20_targets(o.worker.course);
  a.board_version = board_version(a.db);
  const std::int64_t cap = load_competition(a.db).max_upload_bytes;

  auto& s = impl_->http;
  const std::size_t threads = static_cast<std::size_t>(std::max(2, o.threads));
  s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s.set_keep_alive_max_count(1);  // one request per connection: an idle viewer holds no thread
  s.set_read_timeout(10);
  s.set_write_timeout(10);
  s.set_payload_max_length(static_cast<std::size_t>(cap) + (256 << 10));  // the multipart wrapping
  s.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    HttpError e{res.status, "http_" + std::to_string(res.status), "this request cannot be served"};
    if (res.status == 404) e = {404, "not_found", "no such page or API route; the API is under /api/"};
    if (res.status == 413)
      e = {413, "too_large", "the upload is larger than the competition's cap; send only your sources"};
    if (res.status == 400) e = {400, "bad_request", "the request is malformed (check the method, headers and body)"};
    send_error(res, e);
    return httplib::Server::HandlerResponse::Handled;
  }));
  add_auth_routes(s, a);
  add_submission_routes(s, a);
  add_staff_routes(s, a);
  add_board_routes(s, a);
  add_static_routes(s, a);
  add_showcase_routes(s, a);
}

Server::~Server() { stop(); }

int Server::start() {
  App& a = *impl_->app;
  const int port = a.o.port == 0 ? impl_->http.bind_to_any_port(a.o.host)
                                 : (impl_->http.bind_to_port(a.o.host, a.o.port) ? a.o.port : -1);
  if (port < 0)
    throw std::runtime_error("cannot listen on " + a.o.host + ":" + std::to_string(a.o.port) +
                             " (in use? pass --port)");
  // Local workers died with the previous server; their jobs go back to the queue at once.
  if (const int n = requeue_worker_jobs(a.db, "local-", a.o.worker.max_attempts))
    std::cerr << "tt-arena: requeued " << n << " job(s) left running by the previous server\n";
  if (a.o.executor == "local") {
    LocalSettings ls;
    ls.workers = a.o.workers;
    ls.exe = a.o.self_exe.empty() ? fs::read_symlink("/proc/self/exe") : a.o.self_exe;
    ls.config_file = a.o.data / "worker-config.json";
    impl_->executor = make_local_executor(a.o.worker, ls);
  } else if (a.o.executor == "slurm") {
    impl_->executor = make_slurm_executor(a.db, a.o.worker, a.o.slurm);
  }
  if (impl_->executor) impl_->executor->start();
  impl_->watcher = std::thread([this] {
    App& a = *impl_->app;
    double last_reap = 0;
    while (!impl_->stopping) {
      try {
        a.board_version = board_version(a.db);
        if (now_seconds() - last_reap > a.o.reaper_seconds) {
          last_reap = now_seconds();
          requeue_expired(a.db, a.o.worker.max_attempts);
          advance_phase(a.db);
        }
      } catch (const std::exception& e) {
        std::cerr << "tt-arena: " << e.what() << "\n";
      }
      std::unique_lock<std::mutex> lock(impl_->mu);
      impl_->cv.wait_for(lock, std::chrono::milliseconds(100), [this] { return impl_->stopping.load(); });
    }
  });
  impl_->listener = std::thread([this] { impl_->http.listen_after_bind(); });
  while (!impl_->http.is_running() && !impl_->stopping) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  return port;
}

void Server::wait() {
  if (impl_->listener.joinable()) impl_->listener.join();
}

void Server::stop() {
  if (impl_->stopping.exchange(true)) return;
  impl_->cv.notify_all();
  impl_->http.stop();
  if (impl_->listener.joinable()) impl_->listener.join();
  if (impl_->watcher.joinable()) impl_->watcher.join();
  if (impl_->executor) impl_->executor->stop();
}

}  // namespace tt::arena
