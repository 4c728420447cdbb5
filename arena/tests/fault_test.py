#!/usr/bin/env python3
# Fault test: uploads queue up, a worker is killed -9 mid-job, then the server is killed -9
# mid-queue and restarted; every job must end exactly once, no upload lost, the database intact.
# Not a load test (load_test.py). Usage: fault_test.py TT_ARENA DATA_DIR [--json FILE]
import json, os, shutil, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from arena_proc import Arena, exactly_once_report, make_tar_gz

N = 12


def main():
    exe, data = sys.argv[1], sys.argv[2]
    shutil.rmtree(data, ignore_errors=True)
    a = Arena(exe, data, students=4, workers=2, grade_seconds=1.5, lease=3)
    try:
        for i in range(N):
            path = os.path.join(data, "sub%d.tar.gz" % i)
            make_tar_gz(path, "fault %d" % i)
            status, body = a.upload("s%03d" % (i % 4), path)
            assert status == 201, body
        # Kill a worker while it grades.
        while True:
            with a.db() as db:
                if db.execute("SELECT COUNT(*) FROM jobs WHERE state = 'running'").fetchone()[0] > 0:
                    break
            time.sleep(0.05)
        time.sleep(0.5)
        victim = a.workers()[0]
        os.kill(victim, 9)
        print("fault test: killed worker pid %d mid-job" % victim)
        time.sleep(2.0)
        a.kill9()
        print("fault test: killed the server mid-queue")
        with a.db() as db:
            print("fault test: jobs at the kill:", dict(db.execute("SELECT state, COUNT(*) FROM jobs GROUP BY state").fetchall()))
        a.start()
        print("fault test: restarted the server")
        if not a.wait_all_terminal(120):
            print("fault test: FAILED: jobs still pending after 120 s")
            return 1
        rep = exactly_once_report(a, N)
        with a.db() as db:
            attempts = db.execute("SELECT MAX(attempt) FROM jobs").fetchone()[0]
        print("fault test:", json.dumps(rep), "max attempt", attempts)
        if "--json" in sys.argv:
            with open(sys.argv[sys.argv.index("--json") + 1], "w") as f:
                json.dump(rep, f)
        ok = rep["lost"] == 0 and rep["duplicates"] == 0 and rep["integrity"] == "ok" and \
            rep["states"] == {"done": N} and rep["partial_files"] == 0 and attempts >= 2
        print("1 passed, 0 failed" if ok else "0 passed, 1 failed")
        return 0 if ok else 1
    finally:
        a.stop()


if __name__ == "__main__":
    sys.exit(main())
