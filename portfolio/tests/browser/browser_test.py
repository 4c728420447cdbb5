#!/usr/bin/env python3
# A fixture student's portfolio and the class showcase in headless Chromium: measured through
# `tt-portfolio measure` with a stand-in bench, rendered with `render` and `showcase`, then checked by
# browser_test.mjs (badges, charts, no request off the machine, no script run). Exit 77 (skipped)
# without /usr/bin/chromium or playwright-core (TT_BROWSER_TESTS=1 ./scripts/setup installs both;
# the arena's copy under arena/tests/browser is used). Usage: browser_test.py TT_PORTFOLIO OUT_DIR [SHOTS_DIR]
import json, os, shutil, stat, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))

FAKE_BENCH = r"""#!/bin/sh
# Stands in for ./scripts/bench: writes a tt-bench/1 report with a before/after comparison.
id=$1
while [ $# -gt 0 ]; do [ "$1" = --json ] && out=$2; shift; done
cat > "$out" <<JSON
{"schema": "tt-bench/1", "module": "$id", "metrics": [
 {"name": "kv_speedup_256", "value": 94.2, "unit": "ratio", "target": ">= 10", "met": true},
 {"name": "gpt_generation_best_speedup", "value": 31.0, "unit": "ratio", "target": "", "detail": {"variants": [
   {"name": "baseline (reference backend)", "speedup": 1.0, "ci": [0.96, 1.04]},
   {"name": "KV cache (m16)", "speedup": 12.5, "ci": [11.8, 13.1]},
   {"name": "KV cache + optimized backend", "speedup": 31.0, "ci": [29.0, 33.2]}]}}]}
JSON
"""

POST = """# My KV cache

With the cache, 256-token generation got {{m16.kv_speedup_256}} faster than without it.
The best variant of the profile is {{m16.gpt_generation_best_speedup}} faster.
My notes said kv_speedup_256 was 200 before I measured it properly.

<script>window.__xss = 1</script>
<img src="https://cdn.example.com/tracker.png" onerror="window.__xss = 2">

![remote](https://cdn.example.com/chart.png)

I read [vLLM's paper](https://arxiv.org/abs/2309.06180).
"""


def write(path, text, mode=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    if mode:
        os.chmod(path, mode)


def make_tree(tree, consent, pseudonym):
    write(os.path.join(tree, "modules/16_memory/module.json"), json.dumps(
        {"id": "16", "name": "16_memory", "student_files": ["src/kv_cache.cpp"], "depends_on": [],
         "bench": ["bench/m16_bench.cpp"]}))
    write(os.path.join(tree, "modules/16_memory/src/kv_cache.cpp"), "// the student's KV cache\nint kv = 1;\n")
    write(os.path.join(tree, "portfolio/16.md"), POST)
    write(os.path.join(tree, "portfolio/case-study.md"), "# vLLM's paged KV cache\n\nPages, not one buffer.\n")
    write(os.path.join(tree, "portfolio/consent"), consent + "\npseudonym: " + pseudonym + "\n")


def main():
    exe, out = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    shots = os.path.abspath(sys.argv[3]) if len(sys.argv) > 3 else ""
    pw = [d for d in (os.environ.get("PLAYWRIGHT_NODE_MODULES", ""), os.path.join(HERE, "node_modules"),
                      os.path.join(ROOT, "arena/tests/browser/node_modules"))
          if os.path.isdir(os.path.join(d, "playwright-core"))]
    if not os.access("/usr/bin/chromium", os.X_OK) or not pw or not shutil.which("node"):
        print("SKIPPED: needs /usr/bin/chromium, node and playwright-core: TT_BROWSER_TESTS=1 ./scripts/setup")
        return 77
    shutil.rmtree(out, ignore_errors=True)
    bench = os.path.join(out, "fake_bench")
    write(bench, FAKE_BENCH, stat.S_IRWXU)
    trees = {"ada": ("public", "Ada L."), "bob": ("private", "Bob B.")}
    for name, (consent, pseudonym) in trees.items():
        tree = os.path.join(out, name)
        make_tree(tree, consent, pseudonym)
        subprocess.run([exe, "--tree", tree, "measure", "--bench", bench], check=True)
        subprocess.run([exe, "--tree", tree, "render"], check=True)
    subprocess.run([exe, "--tree", os.path.join(out, "ada"), "showcase", "--out", os.path.join(out, "showcase"),
                    os.path.join(out, "ada"), os.path.join(out, "bob")], check=True)
    env = dict(os.environ, PLAYWRIGHT_NODE_MODULES=pw[0])
    r = subprocess.run(["node", os.path.join(HERE, "browser_test.mjs"), os.path.join(out, "ada/portfolio/site"),
                        os.path.join(out, "showcase"), shots], env=env, timeout=240)
    return r.returncode


if __name__ == "__main__":
    sys.exit(main())
