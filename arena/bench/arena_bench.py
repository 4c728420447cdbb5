#!/usr/bin/env python3
# ./scripts/bench arena: the arena's numbers (tt-bench/1): board update latency and upload accept
# time under 200 viewers and 50 uploads, lost and duplicate jobs over the fault test, the job
# overhead above the grade itself, and (--real) the timing spread of one entry over 5 real grades.
# Not a test runner: the same scripts run as ctest tests (arena:faults) with their own pass/fail.
import argparse, json, os, platform, shutil, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
from arena_proc import Arena, make_tar_gz  # noqa: E402


def run_json(cmd, out):
    subprocess.run(cmd + ["--json", out], check=False, stdout=sys.stderr)
    with open(out) as f:
        return json.load(f)


def overhead(exe, data, jobs, extra=(), grade_seconds=0.3, archive=None, timeout=600, **arena):
    """Jobs submitted one at a time to an idle queue: (finished - created) - the command's own time.
    Returns the overheads, the speedups and the fastest-trainer medians the grades reported."""
    a = Arena(exe, data, students=1, quota=jobs + 1, workers=1, grade_seconds=grade_seconds, extra=extra, **arena)
    out, speedups, trainer = [], [], []
    try:
        for i in range(jobs):
            path = archive or os.path.join(data, "o%d.tar.gz" % i)
            if not archive:
                make_tar_gz(path, "overhead %d" % i)
            status, body = a.upload("s000", path, "overhead run %d of the same entry" % i)
            assert status == 201, body
            t0 = time.time()
            while time.time() - t0 < timeout:
                s, j = a.get_json("/api/jobs/%d" % body["job_id"], login="s000")
                if j["state"] not in ("queued", "running"):
                    break
                time.sleep(0.1)
            with a.db() as db:
                created, finished, attempt, state = db.execute(
                    "SELECT created_at, finished_at, attempt, state FROM jobs WHERE id = ?", (body["job_id"],)).fetchone()
                metrics = db.execute("SELECT metrics FROM results WHERE job_id = ?", (body["job_id"],)).fetchone()
            run = os.path.join(data, "runs", "%d-%d" % (body["job_id"], attempt))
            with open(os.path.join(run, "timing.json")) as f:
                cmd = json.load(f)["command_seconds"]
            out.append((finished - created) - cmd)
            if metrics:
                m = json.loads(metrics[0])
                vs = m.get("vs_reference") or {}
                sp = vs.get("speedup") or (m.get("fields") or {}).get("latency_speedup")
                if sp:
                    speedups.append(sp)
                t = m.get("trainer") or {}
                if t.get("median_seconds") is not None:
                    trainer.append(t["median_seconds"])
            print("bench arena: job %d %s, overhead %.3f s (grade %.1f s)" % (body["job_id"], state, out[-1], cmd), file=sys.stderr)
        if trainer:  # what the fastest-trainer board shows for these real grades
            board = a.get_json("/api/boards/public")[1]
            rows = [c for c in board.get("categories", []) if c.get("id") == "fastest_trainer"]
            print("bench arena: fastest-trainer board rows: %d" % len(rows[0].get("rows", []) if rows else 0),
                  file=sys.stderr)
    finally:
        a.stop()
    return out, speedups, trainer


def context():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    git = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    return {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "host": platform.node(), "cpu": cpu,
            "cores": os.cpu_count(), "git": git, "python": platform.python_version()}


def metric(name, value, unit, target, met, detail):
    return {"name": name, "value": value, "unit": unit, "target": target, "met": met, "detail": detail}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--exe", required=True)
    ap.add_argument("--grader", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--scratch", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--real", action="store_true", help="5 real grades of solutions/ (course build ~10 min, ~70 s each)")
    ap.add_argument("--json")
    o = ap.parse_args()
    shutil.rmtree(o.scratch, ignore_errors=True)
    os.makedirs(o.scratch)
    t0 = time.time()
    # The real grades first, before the load and fault phases stir the machine.
    real = None
    if o.real:
        archive = os.path.join(o.scratch, "solutions.tar.gz")
        subprocess.run(["tar", "czf", archive, "-C", ROOT, "solutions"], check=True)
        real = overhead(o.exe, os.path.join(o.scratch, "real"), 5,
                        extra=["--grader", o.grader, "--work", o.work], course=ROOT,
                        grade_command="{grader} run {submission} --out {out} --module 20 --course {course}"
                                      " --work {work} --format json,md --quiet",
                        archive=archive, timeout=1800)
    viewers, uploads = (20, 5) if o.quick else (200, 50)
    load = run_json([sys.executable, os.path.join(HERE, "..", "tests", "load_test.py"), o.exe, os.path.join(o.scratch, "load"),
                     "--viewers", str(viewers), "--uploads", str(uploads)], os.path.join(o.scratch, "load.json"))
    if o.quick:  # ctest's arena:faults runs the fault test; --quick is a smoke run of the rest
        faults = {"lost": None, "duplicates": None, "note": "not run with --quick (ctest arena:faults runs it)"}
    else:
        faults = run_json([sys.executable, os.path.join(HERE, "..", "tests", "fault_test.py"), o.exe,
                           os.path.join(o.scratch, "faults")], os.path.join(o.scratch, "faults.json"))
    over, _, _ = overhead(o.exe, os.path.join(o.scratch, "overhead"), 3 if o.quick else 5)
    metrics = [
        metric("arena_board_update_p95_seconds", load["board_update_p95_seconds"], "s", "<= 2",
               load["board_update_p95_seconds"] <= 2,
               {k: load[k] for k in ("viewers", "uploads", "results", "polls", "failures", "board_update_p50_seconds",
                                     "board_update_max_seconds")}),
        metric("arena_upload_accept_p95_ms", load["upload_accept_p95_ms"], "ms", "<= 200", load["upload_accept_p95_ms"] <= 200,
               {"upload_mb": load["upload_mb"], "p50_ms": load["upload_accept_p50_ms"], "viewers": load["viewers"]}),
        metric("arena_lost_jobs", faults["lost"], "jobs", "== 0", None if o.quick else faults["lost"] == 0, faults),
        metric("arena_duplicate_results", faults["duplicates"], "results", "== 0",
               None if o.quick else faults["duplicates"] == 0, faults),
        metric("arena_job_overhead_seconds", statistics.median(over), "s", "<= 2 (local)", statistics.median(over) <= 2,
               {"executor": "local", "jobs": len(over), "per_job": [round(x, 3) for x in over],
                "grade": "fake grade command (0.3 s); the overhead does not depend on the grade"}),
    ]
    if real:
        real_over, speedups, trainer = real
        cv = statistics.pstdev(speedups) / statistics.mean(speedups) if len(speedups) >= 2 else None
        metrics.append(metric("arena_timing_cv", cv, "ratio", "<= 0.05", cv is not None and cv <= 0.05,
                              {"jobs": len(speedups), "speedups": speedups, "entry": "solutions/ (the reference entry)",
                               "overhead_per_job_seconds": [round(x, 3) for x in real_over],
                               "trainer_median_seconds": trainer}))
    else:
        metrics.append(metric("arena_timing_cv", None, "ratio", "<= 0.05", None,
                              {"note": "needs real grades: ./scripts/bench arena --real"}))
    rep = {"schema": "tt-bench/1", "module": "arena", "context": context(), "seconds": round(time.time() - t0, 1),
           "metrics": metrics}
    for m in metrics:
        v = m["value"]
        print("%-34s %12s %-6s target %-14s %s" % (m["name"], "n/a" if v is None else ("%.4g" % v), m["unit"], m["target"],
                                                  {True: "met", False: "MISSED", None: "not measured"}[m["met"]]))
    if o.json:
        with open(o.json, "w") as f:
            json.dump(rep, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
