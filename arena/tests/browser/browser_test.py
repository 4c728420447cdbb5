#!/usr/bin/env python3
# Starts an arena with the fake grade and another student's entry on the board, then runs
# browser_test.mjs in Chromium. Exit 77 (skipped) without /usr/bin/chromium or playwright-core
# (TT_BROWSER_TESTS=1 ./scripts/setup installs both). Usage: browser_test.py TT_ARENA OUT_DIR
import os, shutil, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from arena_proc import Arena, make_tar_gz  # noqa: E402


def main():
    exe, out = sys.argv[1], os.path.abspath(sys.argv[2])
    if not os.access("/usr/bin/chromium", os.X_OK) or not os.path.isdir(os.path.join(HERE, "node_modules", "playwright-core")):
        print("SKIPPED: needs /usr/bin/chromium and playwright-core: TT_BROWSER_TESTS=1 ./scripts/setup")
        return 77
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    a = Arena(exe, os.path.join(out, "data"), students=2, quota=5, workers=1, grade_seconds=2.0)
    try:
        # alice is s000 in the roster Arena makes; s001 submits first through the API.
        other = os.path.join(out, "other.tar.gz")
        make_tar_gz(other, "another student's entry")
        status, body = a.upload("s001", other, "structured pruning and distillation")
        assert status == 201, body
        a.wait_all_terminal(60)
        with a.db() as db:
            db.execute("UPDATE people SET login = 'alice', name = 'Alice <b>Ada</b>' WHERE login = 's000'")
        mine = os.path.join(out, "mine.tar.gz")
        make_tar_gz(mine, "alice's entry", extra=[("portfolio/consent", "public\npseudonym: Ada L.\n")])
        r = subprocess.run(["node", os.path.join(HERE, "browser_test.mjs"), "http://127.0.0.1:%d" % a.port,
                            a.tokens["s000"], mine, out], timeout=240)
        return r.returncode
    finally:
        a.stop()


if __name__ == "__main__":
    sys.exit(main())
