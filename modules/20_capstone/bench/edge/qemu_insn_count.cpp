// qemu_insn_count: a QEMU TCG plugin that counts the guest instructions a program executes and writes
// the total to a file at exit (qemu-aarch64 -plugin libtt_qemu_insn_count.so,out=FILE prog …).
// Not a profiler: one counter for the whole process; scripts/bench-edge subtracts two runs to get
// the instructions of the queries alone. Single-threaded guests only (the inline add is not atomic).
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#if __has_include(<qemu-plugin.h>)
extern "C" {
#include <qemu-plugin.h>
}
#else
// Debian 12 ships no qemu-plugin.h: the few declarations this plugin uses, from QEMU's documented
// plugin API (version 1, QEMU 4.2–8.x; qemu-user loads plugins through dlopen and checks the version).
extern "C" {
#define QEMU_PLUGIN_EXPORT __attribute__((visibility("default")))
#define QEMU_PLUGIN_VERSION 1
typedef std::uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t;  // only passed through
struct qemu_plugin_tb;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };  // NOLINT(readability-identifier-naming): QEMU's API
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb* tb);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void* userdata);
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
std::size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb* tb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb* tb, enum qemu_plugin_op op, void* ptr,
                                              std::uint64_t imm);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void* userdata);
}
#endif

namespace {

std::uint64_t g_instructions = 0;
std::string g_out_path;

// At translation, each block gets an inline "count += its instruction count" run every time it executes.
void on_translate(qemu_plugin_id_t /*id*/, struct qemu_plugin_tb* tb) {
  qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &g_instructions, qemu_plugin_tb_n_insns(tb));
}

void on_exit(qemu_plugin_id_t /*id*/, void* /*userdata*/) {
  if (std::FILE* f = std::fopen(g_out_path.c_str(), "w")) {
    std::fprintf(f, "%llu\n", static_cast<unsigned long long>(g_instructions));
    std::fclose(f);
  } else {
    std::fprintf(stderr, "qemu_insn_count: cannot write %s\n", g_out_path.c_str());
  }
}

}  // namespace

extern "C" {
QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t* /*info*/, int argc, char** argv) {
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "out=", 4) == 0) g_out_path = argv[i] + 4;
  }
  if (g_out_path.empty()) {
    std::fprintf(stderr, "qemu_insn_count: expected the argument out=FILE (-plugin lib.so,out=FILE)\n");
    return -1;
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
  qemu_plugin_register_atexit_cb(id, on_exit, nullptr);
  return 0;
}
}
