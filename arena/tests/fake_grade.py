#!/usr/bin/env python3
# A stand-in for `tt-grade run SUBMISSION --out DIR`: writes a tt-grade-report/2 report.json with a
# measured module 20 whose numbers follow from the archive's bytes (same upload, same numbers).
# Not a grader: the arena's tests use it so a job takes a second, not a minute. FAKE_GRADE_SECONDS
# sets how long it "grades"; an archive holding the text FAKE_NOT_MEASURED grades as not measured.
# An archive holding portfolio/consent gets a portfolio section (consent and pseudonym from that
# file) and a rendered site in OUT/portfolio-site/, as tt-grade writes them.
import hashlib, json, os, random, sys, tarfile, time, zipfile

sub, out = sys.argv[1], sys.argv[2]
data = open(sub, "rb").read()
h = int(hashlib.sha256(data).hexdigest()[:8], 16)
time.sleep(float(os.environ.get("FAKE_GRADE_SECONDS", "0.3")))
rng = random.Random(h)
speed = 1.5 + (h % 1000) / 250.0          # student/reference per round ~ 1/speed
rounds = [1.0 / speed * (1 + rng.uniform(-0.02, 0.02)) for _ in range(5)]
ref_ms = [0.20 * (1 + rng.uniform(-0.02, 0.02)) for _ in range(5)]
p50 = 0.20 / speed
measured = b"FAKE_NOT_MEASURED" not in data
acc = 0.86 + (h % 20) / 1000.0  # above the gate (0.99 x 0.8668)
results = {"latency_p50_ms": p50, "latency_p90_ms": p50 * 1.2, "throughput_ips": 1000 / p50,
           "accuracy": acc, "baseline_accuracy": 0.8668, "model_bytes": 200000 + h % 50000,
           "baseline_model_bytes": 1100000, "generation_tokens_per_s": 5000 + h % 3000,
           "generation_peak_bytes": 3000000 + h % 1000000, "max_rss_bytes": 40000000}
checks = {"model.verified": True, "baseline_latency_p50_ms": 6.2, "gate_passed": acc >= 0.99 * 0.8668,
          "rounds": 5, "reference": {"latency_p50_ms": ref_ms},
          "latency_vs_reference": {"per_round": rounds},
          "anti_caching": {"repeated_p50_ms": p50, "distinct_p50_ms": p50, "ratio": 1.0, "suspicious": False},
          "profile": {"breakdown": [{"op": "attention", "share": 0.45}, {"op": "matmul", "share": 0.4}],
                      "gemm_fraction_of_peak": 0.15, "cached_generation": False, "weights_dtype": "fp32"},
          "trainer": {"target_accuracy": 0.85, "runs": [30 + h % 20, 31 + h % 20, None], "median_seconds": 31 + h % 20}}
measure = {"name": "capstone", "status": "measured" if measured else "skipped",
           "reason": "" if measured else "tests of task 20.1 did not pass", "entry": "fake",
           "gate_passed": checks["gate_passed"], "score": 3.0, "max_score": 3.0, "fields": [],
           "result": {"submission": {"schema": "tt-capstone-submission/1", "name": "fake", "description": "fake",
                                     "results": results, "environment": {"cpu": "fake"}},
                      "fields": {"latency_speedup": 6.2 / p50, "size_ratio": 1100000 / results["model_bytes"],
                                 "accuracy_ratio": acc / 0.8668, "generation_speedup": 8.0},
                      "checks": checks} if measured else None}
report = {"schema": "tt-grade-report/2", "status": "graded", "score": 10, "max_score": 12, "error": "",
          "modules": [{"id": "20", "score": 2, "build_status": "ok", "links": {"15": "yours", "17": "the reference (yours did not build)"},
                       "measure": measure}]}


def member(path, name):
    """The text of one member of the uploaded archive, or None."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                return z.read(name).decode()
        with tarfile.open(path) as t:
            f = t.extractfile(name)
            return f.read().decode() if f else None
    except (KeyError, OSError, tarfile.TarError):
        return None


os.makedirs(out, exist_ok=True)
consent = member(sub, "portfolio/consent")
if consent is None:
    report["portfolio"] = {"status": "none", "note": "the submission has no portfolio/ folder"}
else:
    lines = consent.splitlines()
    pseudonym = next((l.split(":", 1)[1].strip() for l in lines if l.startswith("pseudonym:")), "")
    report["portfolio"] = {"status": "read", "consent": lines[0].strip() if lines else "", "pseudonym": pseudonym,
                           "citations": {"verified": 2, "stale": 0, "missing": 0},
                           "site": "portfolio-site/index.html"}
    os.makedirs(os.path.join(out, "portfolio-site"), exist_ok=True)
    with open(os.path.join(out, "portfolio-site", "index.html"), "w") as f:
        f.write("<!doctype html><title>portfolio</title><h1>%s's ML-systems portfolio</h1>"
                "<a href=\"16.html\">KV cache</a><p><img id=\"roofline\" src=\"roofline.svg\" alt=\"roofline\"></p>\n"
                % pseudonym.replace("<", "&lt;"))
    with open(os.path.join(out, "portfolio-site", "roofline.svg"), "w") as f:
        f.write('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>\n')
    with open(os.path.join(out, "portfolio-site", "16.html"), "w") as f:
        f.write("<!doctype html><title>KV cache</title><p>12x faster</p>\n")
with open(os.path.join(out, "report.json.tmp"), "w") as f:
    json.dump(report, f)
os.rename(os.path.join(out, "report.json.tmp"), os.path.join(out, "report.json"))
with open(os.path.join(out, "summary.md"), "w") as f:
    f.write("# fake grade\n\nmeasured: %s\n" % measured)
print("fake grade of %s: speed %.2f" % (os.path.basename(sub), speed))
