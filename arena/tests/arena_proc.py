# Test helper: a tt-arena server as a child process on a free loopback port, a competition made
# from a roster, multipart uploads and JSON requests with the standard library only.
# Not a client library for students: `tt-grade submit` is theirs.
import http.client, json, os, re, signal, sqlite3, subprocess, sys, time, uuid

HERE = os.path.dirname(os.path.abspath(__file__))
FAKE_GRADE = os.path.join(HERE, "fake_grade.py")
FIXTURE_COURSE = os.path.normpath(os.path.join(HERE, "..", "..", "grader", "tests", "fixtures", "course"))


def make_tar_gz(path, salt, pad_bytes=0, extra=()):
    """A submission archive: the fixture capstone entry (+ incompressible padding, + (name, text) files)."""
    import io, tarfile
    files = [("modules/20_capstone/src/entry.cpp", ("// %s\nint x;\n" % salt).encode()),
             ("modules/20_capstone/notes.bin", os.urandom(pad_bytes))]
    files += [(name, text.encode()) for name, text in extra]
    with tarfile.open(path, "w:gz") as t:
        for name, data in files:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))


class Arena:
    def __init__(self, exe, data, students=5, quota=50, workers=1, grade_seconds=0.3, extra=(), lease=3,
                 max_upload_mib=8, course=FIXTURE_COURSE, grade_command=None):
        self.exe, self.data = exe, data
        os.makedirs(data, exist_ok=True)
        roster = os.path.join(data, "roster.csv")
        with open(roster, "w") as f:
            f.write("login,name,role\n")
            for i in range(students):
                f.write("s%03d,Student %d,student\n" % (i, i))
            f.write("staff,The Staff,staff\n")
        out = subprocess.run([exe, "admin", "create", "--data", data, "--roster", roster, "--quota", str(quota),
                              "--max-upload-mib", str(max_upload_mib), "--title", "Arena test"],
                             check=True, capture_output=True, text=True).stdout
        self.tokens = {l.split(",")[0]: l.split(",")[-1] for l in out.strip().splitlines()[1:]}
        # The fake grade command by default; a real course and grade command (the bench's --real) instead.
        self.args = [exe, "serve", "--data", data, "--port", "0", "--course", course, "--workers",
                     str(workers), "--lease", str(lease), "--grade-command",
                     grade_command or "python3 %s {submission} {out}" % FAKE_GRADE] + list(extra)
        self.env = dict(os.environ, FAKE_GRADE_SECONDS=str(grade_seconds))
        self.proc = None
        self.start()

    def start(self):
        self.log = open(os.path.join(self.data, "server.log"), "a")
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=self.log, text=True, env=self.env)
        line = self.proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            raise RuntimeError("tt-arena did not start: %r (see %s/server.log)" % (line, self.data))
        self.port = int(m.group(1))

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill9()

    def workers(self):
        """PIDs of the worker processes (the server's children)."""
        out = []
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    with open("/proc/%s/stat" % d) as f:
                        fields = f.read().rsplit(")", 1)[1].split()
                    if int(fields[1]) == self.proc.pid:
                        out.append(int(d))
                except OSError:
                    pass
        return sorted(out)

    def request(self, method, path, body=None, headers=None, login=None, timeout=30):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = dict(headers or {})
        if login:
            h["Authorization"] = "Bearer " + self.tokens[login]
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, dict(r.getheaders()), data

    def get_json(self, path, login=None):
        s, _, d = self.request("GET", path, login=login)
        return s, json.loads(d) if d else None

    def upload(self, login, archive_path, description="a method with int8 and pruning"):
        boundary = uuid.uuid4().hex
        with open(archive_path, "rb") as f:
            data = f.read()
        body = (("--%s\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n%s\r\n" % (boundary, description)).encode()
                + ("--%s\r\nContent-Disposition: form-data; name=\"archive\"; filename=\"sub.tar.gz\"\r\n"
                   "Content-Type: application/gzip\r\n\r\n" % boundary).encode() + data
                + ("\r\n--%s--\r\n" % boundary).encode())
        s, _, d = self.request("POST", "/api/submissions", body=body, login=login,
                               headers={"Content-Type": "multipart/form-data; boundary=" + boundary})
        return s, json.loads(d)

    def db(self):
        return sqlite3.connect(os.path.join(self.data, "arena.db"), timeout=30)

    def wait_all_terminal(self, timeout):
        t0 = time.time()
        while time.time() - t0 < timeout:
            with self.db() as db:
                n = db.execute("SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')").fetchone()[0]
            if n == 0:
                return True
            time.sleep(0.2)
        return False


def exactly_once_report(arena, expected_submissions):
    """{lost, duplicates, integrity, states} over every submission the test made."""
    with arena.db() as db:
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        subs = db.execute("SELECT id, sha256 FROM submissions").fetchall()
        states = dict(db.execute("SELECT state, COUNT(*) FROM jobs GROUP BY state").fetchall())
        per_sub = dict(db.execute("SELECT submission_id, COUNT(*) FROM results WHERE kind = 'grade' GROUP BY submission_id").fetchall())
        per_job = db.execute("SELECT COUNT(*) - COUNT(DISTINCT job_id) FROM results").fetchone()[0]
        exts = dict(db.execute("SELECT sha256, ext FROM uploads").fetchall())
    lost = expected_submissions - len(subs)
    lost += sum(1 for sid, _ in subs if per_sub.get(sid, 0) == 0)
    lost += sum(1 for _, sha in subs if not os.path.exists(os.path.join(arena.data, "uploads", sha[:2], sha + exts.get(sha, ""))))
    duplicates = per_job + sum(n - 1 for n in per_sub.values() if n > 1)
    partial = [p for p, _, fs in os.walk(os.path.join(arena.data, "uploads")) for f in fs if f.endswith(".partial")]
    return {"lost": lost, "duplicates": duplicates, "integrity": integrity, "states": states, "partial_files": len(partial)}
