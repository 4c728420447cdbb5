#!/usr/bin/env python3
# The Slurm path on a one-node Slurm this test starts: tt-arena's Slurm executor grades uploads
# (fake grade) submitted with sbatch and collected from the run folders, and `tt-grade batch
# --slurm` regrades a folder of the fixture course's submissions as a job array. Opt-in:
# TT_ARENA_SLURM=1 (skipped, exit 77, otherwise); TT_ARENA_SLURM=executor (what CI sets) runs the
# executor's part alone: it mostly waits for Slurm, while the batch part builds the fixture course
# and would compete with the other tests for the two cores. Usage: slurm_test.py TT_ARENA TT_GRADE OUT_DIR
import json, os, shutil, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from arena_proc import FIXTURE_COURSE, Arena, make_tar_gz  # noqa: E402
from one_node_slurm import OneNodeSlurm  # noqa: E402


def main():
    mode = os.environ.get("TT_ARENA_SLURM", "0")
    if mode not in ("1", "executor"):
        print("SKIPPED: the Slurm test is opt-in: TT_ARENA_SLURM=1 ./scripts/setup && TT_ARENA_SLURM=1 ctest -L arena")
        return 77
    if not all(shutil.which(p) for p in ("munged", "slurmctld", "slurmd", "sbatch")):
        print("SKIPPED: slurm-wlm and munge are not installed: TT_ARENA_SLURM=1 ./scripts/setup")
        return 77
    arena_exe, grader, out = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    slurm = OneNodeSlurm(os.path.join(out, "slurm"))
    ok = True
    try:
        t = slurm.start()
        print("slurm test: one-node Slurm idle after %.1f s" % t)
        os.environ["SLURM_CONF"] = slurm.conf
        # 1. The arena's Slurm executor.
        a = Arena(arena_exe, os.path.join(out, "arena"), students=2, quota=5, grade_seconds=0.5,
                  extra=["--executor", "slurm", "--slurm-partition", "arena", "--slurm-time", "5"])
        try:
            jobs = []
            for i in range(3):
                p = os.path.join(out, "s%d.tar.gz" % i)
                make_tar_gz(p, "slurm %d" % i)
                status, body = a.upload("s%03d" % (i % 2), p)
                assert status == 201, body
                jobs.append(body["job_id"])
            done = a.wait_all_terminal(240)
            with a.db() as db:
                rows = db.execute("SELECT j.id, j.state, j.external_id, j.created_at, j.finished_at, j.attempt, r.worker "
                                  "FROM jobs j LEFT JOIN results r ON r.job_id = j.id").fetchall()
            overheads = []
            for jid, state, ext, created, finished, attempt, worker in rows:
                with open(os.path.join(a.data, "runs", "%d-%d" % (jid, attempt), "timing.json")) as f:
                    cmd = json.load(f)["command_seconds"]
                overheads.append(finished - created - cmd)
                print("slurm test: job %d %s (Slurm job %s, worker %s): %.1f s end to end, grade %.1f s" %
                      (jid, state, ext, worker, finished - created, cmd))
                ok = ok and state == "done" and ext and worker.startswith("slurm:")
            ok = ok and done
            overheads.sort()
            print("slurm test: arena_job_overhead_seconds (slurm, median of %d) = %.2f" % (len(overheads), overheads[len(overheads) // 2]))
            with open(os.path.join(out, "slurm-overhead.json"), "w") as f:
                json.dump({"per_job": overheads, "median": overheads[len(overheads) // 2]}, f)
        finally:
            a.stop()
        # 2. tt-grade batch --slurm on the fixture course: a correct entry and the stubs.
        if mode == "executor":
            print("slurm test: TT_ARENA_SLURM=executor: the batch part left out (TT_ARENA_SLURM=1 runs it)")
            return 0 if ok else 1
        subs = os.path.join(out, "class")
        os.makedirs(subs)
        shutil.copytree(os.path.join(FIXTURE_COURSE, "solutions"), os.path.join(subs, "good"))
        shutil.copytree(os.path.join(FIXTURE_COURSE, "modules"), os.path.join(subs, "stubs"))
        t0 = time.time()
        r = subprocess.run([grader, "batch", subs, "--out", os.path.join(out, "reports"), "--slurm", "--slurm-partition",
                            "arena", "--slurm-time", "10", "--course", FIXTURE_COURSE, "--work", os.path.join(out, "work"),
                            "--timeout", "5", "--perf-runs", "3", "--format", "json,md"], timeout=900)
        reports = {}
        for name in ("good", "stubs"):
            with open(os.path.join(out, "reports", name, "report.json")) as f:
                reports[name] = json.load(f)
        print("slurm test: batch --slurm in %.0f s: good %s / %s, stubs %s / %s" % (
            time.time() - t0, reports["good"]["score"], reports["good"]["max_score"], reports["stubs"]["score"],
            reports["stubs"]["max_score"]))
        ok = ok and r.returncode == 0 and reports["good"]["score"] == reports["good"]["max_score"] and \
            reports["stubs"]["score"] < reports["good"]["score"] and all(
            os.path.exists(os.path.join(out, "reports", f)) for f in ("gradebook.csv", "showcase/index.html"))
    finally:
        slurm.stop()
    print("1 passed, 0 failed" if ok else "0 passed, 1 failed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
