#!/usr/bin/env bash
# GitHub Classroom, simulated: a student release (scripts/make-student-release, its classroom.yml)
# made into the assignment's template repository (git, tag v1); a student's clone with module NN's
# files filled in (the reference's) and its copy of NN's tests replaced by tests worth 100 points
# that always pass; the workflow's steps run locally (classroom_run.py); the reporter's points must
# be the pristine tests' full points for NN, error (0 of the module's points) for the others.
# Not a unit test: it builds tt-grade and the module from the release, as the workflow does.
#
# usage: classroom_test.sh COURSE_ROOT WORK_DIR MODULE
set -euo pipefail
course=$(realpath "$1") work=$(realpath -m "$2") module=$3
here=$(cd "$(dirname "$0")" && pwd)
say() { echo "classroom_test: [$(date +%T)] $*"; }
fail() { echo "classroom_test: FAIL: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
say "student release with its workflow (pristine course: $work/template at v1)"
"$course/scripts/make-student-release" "$work/template" --course-repo "$work/template" --course-ref v1 \
  --no-build-check >"$work/release.log" 2>&1 || { cat "$work/release.log" >&2; fail "make-student-release"; }
git_q() { git -c user.name=course -c user.email=course@example.invalid -c init.defaultBranch=main "$@" -q; }
(cd "$work/template" && git_q init && git add -A && git_q commit -m "release" && git tag v1)
git_q clone "$work/template" "$work/student"

name=$(basename "$(dirname "$(ls -d "$course"/modules/"$module"_*/module.json)")")
cp "$course/solutions/$name/src/"*.cpp "$work/student/modules/$name/src/"
for t in "$work/student/modules/$name/tests/"*_test.cpp; do
  printf '#include <catch2/catch.hpp>\nTEST_CASE("tampered %s", "[m%s][%s.1][points=100]") { SUCCEED(); }\n' \
    "$(basename "$t")" "$module" "$module" >"$t"
done

say "the workflow's steps (TT_GRADE_ARGS=--module $module)"
t0=$(date +%s)
(cd "$work/student" && TT_SKIP_APT=1 TT_GRADE_ARGS="--module $module" RUNNER_TEMP="$work/runner" \
  python3 "$here/classroom_run.py" .github/workflows/classroom.yml . "$work/reported.json") >"$work/run.log" 2>&1 ||
  { tail -n 40 "$work/run.log" >&2; fail "the workflow failed (log: $work/run.log)"; }
say "workflow: $(( $(date +%s) - t0 )) s"

python3 - "$work/reported.json" "$module" "$course" <<'PY' || fail "reported points (above)"
import json, pathlib, sys
view, module, course = json.load(open(sys.argv[1])), sys.argv[2], pathlib.Path(sys.argv[3])
points = {json.loads(p.read_text())["id"]: json.loads(p.read_text())["points"] for p in course.glob("modules/*/module.json")}
bad = []
for runner, r in view["runners"].items():
    mid = runner[1:]
    (test,) = r["tests"]
    if mid == module:
        if not (r["status"] == "pass" and test["score"] == r["max_score"] and 0 < r["max_score"] <= points[mid]):
            bad.append(f"{runner}: expected every pristine test passed, found {r['status']} {test['score']}/{r['max_score']}: {test['message']}")
    elif not (r["status"] == "error" and test["score"] == 0 and r["max_score"] == points[mid]):
        bad.append(f"{runner}: expected error 0/{points[mid]} (not graded), found {r['status']} {test['score']}/{r['max_score']}")
if sorted(view["runners"]) != sorted(f"m{i}" for i in points):
    bad.append(f"runners {sorted(view['runners'])}: expected one per module {sorted(points)}")
if view["total"] != view["runners"][f"m{module}"]["tests"][0]["score"]:
    bad.append(f"total {view['total']} is not module {module}'s score")
for b in bad:
    print("classroom_test:", b, file=sys.stderr)
print(f"classroom_test: reported {view['total']}/{view['max']}; m{module}: {view['runners']['m' + module]['tests'][0]['message']}")
sys.exit(1 if bad else 0)
PY
say "passed"
