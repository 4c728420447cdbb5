// tt-arena's command line (CLI11): serve, admin (create, add-people, reissue, check) and the
// internal worker subcommand the local executor starts.
// Not the server (server.cpp) and not the queue (queue.cpp).
#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "tt/arena/people.hpp"
#include "tt/arena/result.hpp"
#include "tt/arena/schema.hpp"
#include "tt/arena/server.hpp"

namespace tt::arena {
namespace fs = std::filesystem;

namespace {

#ifndef TT_ARENA_DEFAULT_COURSE
#define TT_ARENA_DEFAULT_COURSE "."
#endif
#ifndef TT_ARENA_DEFAULT_GRADER
#define TT_ARENA_DEFAULT_GRADER "tt-grade"
#endif
#ifndef TT_ARENA_DEFAULT_WEB
#define TT_ARENA_DEFAULT_WEB "arena/web"
#endif
#ifndef TT_ARENA_DEFAULT_WORK
#define TT_ARENA_DEFAULT_WORK "build/grader-work"
#endif

std::atomic<bool> g_stop{false};
Server* g_server = nullptr;

void on_signal(int) {
  g_stop = true;
  // Server::stop() is not async-signal-safe; a helper thread below does it.
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> split_words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// Tokens are shown once: to a file only the instructor can read, or to stdout.
void print_tokens(const std::vector<IssuedToken>& tokens, const std::string& out_file) {
  std::string csv = "login,name,role,token\n";
  for (const auto& t : tokens)
    csv += t.person.login + ",\"" + t.person.name + "\"," + to_string(t.person.role) + "," + t.token + "\n";
  if (out_file.empty()) {
    std::cout << csv;
    return;
  }
  const auto old = umask(077);
  std::ofstream(out_file) << csv;
  umask(old);
  std::cerr << "tt-arena: wrote " << tokens.size() << " token(s) to " << out_file
            << " (mode 600; they are shown only this once, the database keeps their SHA-256)\n";
}

std::unique_ptr<Db> open_db(const std::string& data) {
  fs::create_directories(data);
  auto db = std::make_unique<Db>(fs::path(data) / "arena.db");
  migrate(*db);
  return db;
}

}  // namespace

int arena_main(int argc, char** argv) {
  CLI::App app{"tt-arena: the live optimization competition (see arena/README.md)"};
  app.require_subcommand(1);
  std::string data = "var/arena";

  ServerOptions so;
  so.web = TT_ARENA_DEFAULT_WEB;
  so.worker.course = TT_ARENA_DEFAULT_COURSE;
  so.worker.grader = TT_ARENA_DEFAULT_GRADER;
  so.worker.work = TT_ARENA_DEFAULT_WORK;
  so.worker.command = default_grade_command();
  std::string grade_command, slurm_extra;
  auto* serve = app.add_subcommand("serve", "serve the competition (page, API, live boards) and run its executor");
  serve->add_option("--data", data, "the data folder (arena.db, uploads/, runs/)")->capture_default_str();
  serve->add_option("--host", so.host, "address to listen on")->capture_default_str();
  serve->add_option("--port", so.port, "port (0: any free port, printed)")->capture_default_str();
  serve->add_option("--web", so.web, "the page's files")->capture_default_str();
  serve->add_option("--course", so.worker.course, "the pristine course tree tt-grade grades against")
      ->capture_default_str();
  serve->add_option("--grader", so.worker.grader, "the tt-grade executable")->capture_default_str();
  serve->add_option("--work", so.worker.work, "tt-grade's build slots")->capture_default_str();
  serve->add_option("--executor", so.executor, "local | slurm | none")
      ->check(CLI::IsMember({"local", "slurm", "none"}))
      ->capture_default_str();
  serve->add_option("--workers", so.workers, "local workers (one job each, CPUs split between them)")
      ->capture_default_str();
  serve->add_option("--threads", so.threads, "HTTP threads")->capture_default_str();
  serve->add_option("--grade-command", grade_command,
                    "the grading command (words; {grader} {submission} {out} {course} {work} {job} {attempt})");
  serve->add_option("--lease", so.worker.lease_seconds, "seconds a job lease lasts between renewals")
      ->capture_default_str();
  serve->add_option("--job-timeout", so.worker.job_timeout_seconds, "seconds one grade may take")
      ->capture_default_str();
  serve->add_option("--max-attempts", so.worker.max_attempts, "attempts before a job is an infra-error")
      ->capture_default_str();
  serve->add_option("--slurm-partition", so.slurm.partition, "the partition of identical nodes")->capture_default_str();
  serve->add_option("--slurm-time", so.slurm.time_limit_minutes, "time limit of one Slurm job (minutes)")
      ->capture_default_str();
  serve->add_option("--slurm-max", so.slurm.max_in_flight, "jobs handed to Slurm at once")->capture_default_str();
  serve->add_option("--slurm-extra", slurm_extra, "more #SBATCH options, separated by spaces");
  serve->add_flag("--secure-cookies", so.secure_cookies, "mark cookies Secure (behind a TLS proxy)");

  Competition comp;
  comp.title = "Optimization arena";
  std::string roster, tokens_out, login;
  int max_upload_mib = 8;
  auto* admin = app.add_subcommand("admin", "create the competition, add people, reissue tokens, check the database");
  admin->require_subcommand(1);
  auto* create = admin->add_subcommand("create", "create the competition from a roster CSV (login,name[,role])");
  create->add_option("--data", data, "the data folder")->capture_default_str();
  create->add_option("--roster", roster, "CSV with a header login,name[,role]")->required()->check(CLI::ExistingFile);
  create->add_option("--title", comp.title, "shown on the page")->capture_default_str();
  create->add_option("--quota", comp.daily_quota, "submissions per student per day (UTC)")->capture_default_str();
  create->add_option("--max-upload-mib", max_upload_mib, "upload cap (HTTP 413 beyond)")->capture_default_str();
  create->add_option("--hardware-class", comp.hardware_class,
                     "CPU model every timed result must come from (default: this machine's)");
  create->add_option("--tokens-out", tokens_out, "write the tokens here (mode 600) instead of stdout");
  auto* add = admin->add_subcommand("add-people", "add people from a roster CSV");
  add->add_option("--data", data, "the data folder")->capture_default_str();
  add->add_option("--roster", roster, "CSV with a header login,name[,role]")->required()->check(CLI::ExistingFile);
  add->add_option("--tokens-out", tokens_out, "write the tokens here (mode 600) instead of stdout");
  auto* reissue = admin->add_subcommand("reissue", "a new token for one person (the old one stops working)");
  reissue->add_option("--data", data, "the data folder")->capture_default_str();
  reissue->add_option("--login", login, "whose token")->required();
  auto* check = admin->add_subcommand("check", "PRAGMA integrity_check and the jobs by state");
  check->add_option("--data", data, "the data folder")->capture_default_str();

  std::string config, worker_id, cpus;
  auto* worker = app.add_subcommand("worker", "(internal) one local worker; the server starts these");
  worker->add_option("--config", config, "worker-config.json")->required();
  worker->add_option("--id", worker_id, "worker id")->required();
  worker->add_option("--cpus", cpus, "CPUs to pin to, e.g. 0-1");

  CLI11_PARSE(app, argc, argv);
  try {
    if (*worker) {
      signal(SIGTERM, on_signal);
      signal(SIGINT, on_signal);
      return run_worker(worker_config_from_json(nlohmann::json::parse(read_all(config))), worker_id, cpus, g_stop);
    }
    if (*create) {
      comp.max_upload_bytes = static_cast<std::int64_t>(max_upload_mib) << 20;
      if (comp.hardware_class.empty()) comp.hardware_class = this_hardware().cpu;
      auto db = open_db(data);
      print_tokens(create_competition(*db, comp, parse_roster(read_all(roster))), tokens_out);
      return 0;
    }
    if (*add) {
      auto db = open_db(data);
      print_tokens(add_people(*db, parse_roster(read_all(roster))), tokens_out);
      return 0;
    }
    if (*reissue) {
      auto db = open_db(data);
      print_tokens({reissue_token(*db, login)}, "");
      return 0;
    }
    if (*check) {
      auto owned = open_db(data);
      Db& db = *owned;
      auto lock = db.lock();
      auto ic = db.prepare("PRAGMA integrity_check");
      ic.step();
      std::cout << "integrity_check: " << ic.col_text(0) << "\n";
      auto st = db.prepare("SELECT state, COUNT(*) FROM jobs GROUP BY state ORDER BY state");
      while (st.step()) std::cout << "jobs " << st.col_text(0) << ": " << st.col_int(1) << "\n";
      return ic.col_text(0) == "ok" ? 0 : 1;
    }
    if (*serve) {
      so.data = data;
      if (!grade_command.empty()) so.worker.command = split_words(grade_command);
      so.slurm.extra_args = split_words(slurm_extra);
      Server server(so);
      const int port = server.start();
      std::cout << "tt-arena: serving http://" << so.host << ":" << port << "/ (data " << fs::absolute(data).string()
                << ", executor " << so.executor << ")" << std::endl;
      signal(SIGTERM, on_signal);
      signal(SIGINT, on_signal);
      g_server = &server;
      while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      server.stop();
      return 0;
    }
  } catch (const RosterError& e) {
    std::cerr << "tt-arena: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "tt-arena: error: " << e.what() << "\n";
    return 1;
  }
  return 2;
}

}  // namespace tt::arena
