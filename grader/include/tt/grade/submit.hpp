// `tt-grade submit --server URL --token T path/`: packs a student's files (or takes an archive as
// it is) and uploads it to a tt-arena server, optionally waiting for the job's end.
// Not the arena: the server checks and grades the upload; this is only its command-line client.
#pragma once

#include <filesystem>
#include <string>

namespace CLI {
class App;
}

namespace tt::grade {

struct SubmitOptions {
  std::string server;       // http://host:port (https:// goes through curl)
  std::string token;        // the student's token (or TT_ARENA_TOKEN)
  std::string description;  // the method, required by the server
  std::filesystem::path path;
  std::filesystem::path course_root;  // which files are student files (module.json)
  bool wait = false;
};

// The archive a directory becomes: every student file module.json lists, found under
// modules/<module>/ or <module>/ (a checkout, a modules/ tree or solutions/), as a .tar.gz.
// Throws std::runtime_error when none is there.
std::string pack_student_files(const std::filesystem::path& dir, const std::filesystem::path& course_root);

void add_submit_subcommand(CLI::App& app, SubmitOptions& o);
int run_submit(const SubmitOptions& o);

}  // namespace tt::grade
