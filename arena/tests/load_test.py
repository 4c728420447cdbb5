#!/usr/bin/env python3
# Load test on loopback: V board viewers poll the public board (ETag, every second) while U uploads
# of 2 MB arrive and are graded (the fake grade); bounded in count and time, stops by itself.
# Reports: every request's outcome, each upload's accept time, and for every (result, viewer) the
# time from the result's commit to that viewer first holding a board that includes it.
# Not the fault test. Usage: load_test.py TT_ARENA DATA_DIR [--viewers 200] [--uploads 50] [--json FILE]
import argparse, json, os, random, shutil, sys, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from arena_proc import Arena, make_tar_gz
import http.client


def pctl(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))] if v else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("exe"), ap.add_argument("data")
    ap.add_argument("--viewers", type=int, default=200)
    ap.add_argument("--uploads", type=int, default=50)
    ap.add_argument("--upload-mb", type=float, default=2.0)
    ap.add_argument("--json")
    o = ap.parse_args()
    shutil.rmtree(o.data, ignore_errors=True)
    students = max(10, o.uploads // 5)
    a = Arena(o.exe, o.data, students=students, quota=10, workers=1, grade_seconds=0.2)
    stop = threading.Event()
    lock = threading.Lock()
    failures, polls = [], [0]
    seen = []  # per viewer: [(wall time, board updated_at)]

    def viewer(k):
        mine = []
        seen.append(mine)
        etag = None
        time.sleep(random.random())  # spread the viewers over the second
        while not stop.is_set():
            t = time.time()
            try:
                c = http.client.HTTPConnection("127.0.0.1", a.port, timeout=10)
                c.request("GET", "/api/boards/public", headers={"If-None-Match": etag} if etag else {})
                r = c.getresponse()
                body = r.read()
                c.close()
                if r.status == 200:
                    etag = r.getheader("ETag")
                    mine.append((time.time(), json.loads(body)["updated_at"]))
                elif r.status != 304:
                    raise RuntimeError("HTTP %d" % r.status)
                with lock:
                    polls[0] += 1
            except Exception as e:
                with lock:
                    failures.append("viewer %d: %s" % (k, e))
            stop.wait(max(0.0, 1.0 - (time.time() - t)))

    threads = [threading.Thread(target=viewer, args=(k,), daemon=True) for k in range(o.viewers)]
    for t in threads:
        t.start()
    time.sleep(2)
    accept_ms = []

    def uploader(u, n):
        for i in range(n):
            path = os.path.join(o.data, "up-%d-%d.tar.gz" % (u, i))
            make_tar_gz(path, "load %d %d" % (u, i), pad_bytes=int(o.upload_mb * 1e6))
            t0 = time.time()
            try:
                status, body = a.upload("s%03d" % ((u * n + i) % students), path)
                if status != 201:
                    raise RuntimeError("HTTP %d %s" % (status, body))
                with lock:
                    accept_ms.append(1000 * (time.time() - t0))
            except Exception as e:
                with lock:
                    failures.append("upload: %s" % e)
            os.remove(path)
            time.sleep(0.3)

    per = 5
    ups = [threading.Thread(target=uploader, args=(u, o.uploads // per)) for u in range(per)]
    t_start = time.time()
    for t in ups:
        t.start()
    for t in ups:
        t.join()
    ok = a.wait_all_terminal(180)
    time.sleep(3)  # let every viewer poll once more
    stop.set()
    for t in threads:
        t.join(timeout=15)
    with a.db() as db:
        commits = [r[0] for r in db.execute("SELECT created_at FROM results").fetchall()]
        states = dict(db.execute("SELECT state, COUNT(*) FROM jobs GROUP BY state").fetchall())
    lags = []
    for mine in seen:
        for c in commits:
            first = next((w for w, upd in mine if upd >= c - 1e-6), None)
            lags.append(first - c if first is not None else float("inf"))
    a.stop()
    rep = {"viewers": o.viewers, "uploads": o.uploads, "upload_mb": o.upload_mb, "results": len(commits),
           "jobs": states, "polls": polls[0], "failures": len(failures), "failure_examples": failures[:5],
           "board_update_p50_seconds": pctl(lags, 50), "board_update_p95_seconds": pctl(lags, 95),
           "board_update_max_seconds": max(lags) if lags else None,
           "upload_accept_p50_ms": pctl(accept_ms, 50), "upload_accept_p95_ms": pctl(accept_ms, 95),
           "seconds": round(time.time() - t_start, 1), "all_jobs_ended": ok}
    print(json.dumps(rep, indent=1))
    if o.json:
        with open(o.json, "w") as f:
            json.dump(rep, f)
    good = ok and not failures and rep["board_update_p95_seconds"] is not None and rep["board_update_p95_seconds"] <= 2
    print("1 passed, 0 failed" if good else "0 passed, 1 failed")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
