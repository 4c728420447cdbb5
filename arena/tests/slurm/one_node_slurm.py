# A throwaway one-node Slurm for tests: munged and slurmctld + slurmd in the foreground (no
# systemd), a generated slurm.conf with its own ports, state and munge socket under one folder.
# Not a cluster setup guide: arena/README.md has the instructors' one.
import os, socket, subprocess, time


class OneNodeSlurm:
    def __init__(self, root, partition="arena"):
        self.root = os.path.abspath(root)
        self.partition = partition
        self.procs = []
        for d in ("state", "spool", "log", "munge"):
            os.makedirs(os.path.join(self.root, d), exist_ok=True)
        os.chmod(os.path.join(self.root, "munge"), 0o700)
        self.conf = os.path.join(self.root, "slurm.conf")
        self.env = dict(os.environ, SLURM_CONF=self.conf)

    def start(self, timeout=60):
        key = os.path.join(self.root, "munge", "munge.key")
        if not os.path.exists(key):
            with open(key, "wb") as f:
                f.write(os.urandom(1024))
            os.chmod(key, 0o400)
        sock = os.path.join(self.root, "munge", "munge.socket")
        self._spawn(["munged", "--foreground", "--force", "--socket", sock, "--key-file", key,
                     "--pid-file", os.path.join(self.root, "munge", "munged.pid"),
                     "--log-file", os.path.join(self.root, "log", "munged.log"),
                     "--seed-file", os.path.join(self.root, "munge", "munged.seed")], "munged")
        for _ in range(100):
            if os.path.exists(sock):
                break
            time.sleep(0.05)
        host = socket.gethostname().split(".")[0]
        cpus = os.cpu_count()
        mem = int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20 * 0.8)
        r = self.root
        with open(self.conf, "w") as f:
            f.write(f"""ClusterName=ttarena
SlurmctldHost={host}
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16917
SlurmdPort=16918
AuthType=auth/munge
AuthInfo=socket={sock}
CredType=cred/munge
StateSaveLocation={r}/state
SlurmdSpoolDir={r}/spool
SlurmctldPidFile={r}/state/slurmctld.pid
SlurmdPidFile={r}/spool/slurmd.pid
SlurmctldLogFile={r}/log/slurmctld.log
SlurmdLogFile={r}/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
SchedulerParameters=sched_interval=1
MinJobAge=300
NodeName={host} CPUs={cpus} RealMemory={mem} State=UNKNOWN
PartitionName={self.partition} Nodes={host} Default=YES MaxTime=INFINITE State=UP
""")
        self._spawn(["slurmctld", "-D", "-i", "-f", self.conf], "slurmctld")
        self._spawn(["slurmd", "-D", "-f", self.conf], "slurmd")
        t0 = time.time()
        while time.time() - t0 < timeout:
            r = subprocess.run(["sinfo", "-h", "-o", "%T"], env=self.env, capture_output=True, text=True)
            if r.stdout.strip() == "idle":
                return time.time() - t0
            time.sleep(0.5)
        raise RuntimeError("the one-node Slurm did not reach idle in %d s; logs in %s/log" % (timeout, self.root))

    def _spawn(self, argv, name):
        log = open(os.path.join(self.root, "log", name + ".out"), "a")
        self.procs.append(subprocess.Popen(argv, stdout=log, stderr=log, env=self.env, start_new_session=True))

    def stop(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
        for p in reversed(self.procs):
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
