// `tt-arena serve`: the HTTP server (cpp-httplib) over the database, the board cache and an
// executor. One process serves the page, the JSON API and the live boards; it never runs
// student code (workers run tt-grade, which sandboxes it).
// Not the routes themselves (routes_*.cpp) and not the queue (queue.hpp).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tt/arena/executor.hpp"

namespace tt::arena {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                           // 0: any free port (tests)
  std::filesystem::path data = "var/arena";  // arena.db, uploads/, runs/
  std::filesystem::path web;                 // the page's files (arena/web)
  std::string executor = "local";            // local | slurm | none
  std::filesystem::path self_exe;  // the tt-arena whose `worker` the local executor starts (default: this one)
  int workers = 1;
  int threads = 64;  // HTTP worker threads (cpp-httplib's pool; each request holds one briefly)
  double session_ttl_seconds = 14 * 24 * 3600;
  bool secure_cookies = false;  // behind TLS: add Secure to the cookies
  WorkerConfig worker;          // db and data are filled in from `data`
  SlurmSettings slurm;
  double reaper_seconds = 1;  // how often expired leases are requeued and phases advanced
};

class Server {
 public:
  explicit Server(ServerOptions o);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  // Binds and starts serving in the background; returns the port. Throws when it cannot bind.
  int start();
  // Blocks until stop() (or a signal handler calling stop()).
  void wait();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// `tt-arena serve …` / `tt-arena admin …` / `tt-arena worker …`.
int arena_main(int argc, char** argv);

}  // namespace tt::arena
