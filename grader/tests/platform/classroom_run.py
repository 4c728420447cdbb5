#!/usr/bin/env python3
"""Runs a GitHub Actions workflow's steps locally, as GitHub would run them for one job, and acts
as the Classroom reporter: the way the course's CI checks .github/workflows/classroom.yml.
Not GitHub Actions: `run:` steps go to bash in the checkout (env: the workflow's, then ours);
`actions/checkout` is the checkout itself; the autograding reporter is emulated (each runner's
<ID>_RESULTS decoded and summed as classroom-resources/autograding-grading-reporter does); any
other `uses:` step is an error. ${{ steps.ID.outputs.NAME }} is the only expression supported.

usage: classroom_run.py WORKFLOW CHECKOUT RESULT_JSON     (RESULT_JSON: the reporter's view, written)
"""
import base64
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

import yaml

REPORTER = "classroom-resources/autograding-grading-reporter"


def expand(text, outputs):
    def one(m):
        step, name = m.group(1), m.group(2)
        return outputs.get(step, {}).get(name, "")
    return re.sub(r"\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}", one, str(text))


def reporter(step, outputs):
    """NotifyClassroom's sums: total = every runner's tests' scores, max = every max_score."""
    env = {k: expand(v, outputs) for k, v in step.get("env", {}).items()}
    runners = [r.strip() for r in step["with"]["runners"].split(",")]
    view = {"runners": {}, "total": 0, "max": 0}
    for r in runners:
        encoded = env.get(f"{r.upper()}_RESULTS", "")
        results = json.loads(base64.b64decode(encoded).decode())
        view["runners"][r] = results
        if results.get("max_score"):
            view["max"] += results["max_score"]
            view["total"] += sum(t["score"] for t in results["tests"])
    print(f"classroom_run: Points {view['total']}/{view['max']}")
    return view


def main(workflow, checkout, result_json):
    wf = yaml.safe_load(pathlib.Path(workflow).read_text())
    (job,) = wf["jobs"].values()
    env = dict(os.environ)
    env.update({k: str(v) for k, v in (wf.get("env") or {}).items() if k not in os.environ})
    outputs, view = {}, None
    for i, step in enumerate(job["steps"]):
        name = step.get("name") or step.get("uses") or f"step {i}"
        uses = step.get("uses", "")
        if uses.startswith("actions/checkout"):
            continue
        if uses.startswith(REPORTER):
            view = reporter(step, outputs)
            continue
        if uses:
            sys.exit(f"classroom_run: step '{name}' uses {uses}, which this runner cannot emulate")
        with tempfile.NamedTemporaryFile("r", delete=False) as out:
            step_env = dict(env, GITHUB_OUTPUT=out.name)
            print(f"classroom_run: --- {name}", flush=True)
            # GitHub's default shell for run steps: bash --noprofile --norc -eo pipefail
            r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", expand(step["run"], outputs)],
                               cwd=checkout, env=step_env)
            if r.returncode != 0:
                sys.exit(f"classroom_run: step '{name}' failed (exit {r.returncode})")
            if "id" in step:
                outputs[step["id"]] = dict(line.split("=", 1) for line in pathlib.Path(out.name).read_text().splitlines()
                                           if "=" in line)
        os.unlink(out.name)
    if view is None:
        sys.exit(f"classroom_run: the workflow has no {REPORTER} step")
    pathlib.Path(result_json).write_text(json.dumps(view, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
