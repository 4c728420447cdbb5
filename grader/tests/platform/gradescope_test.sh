#!/usr/bin/env bash
# Gradescope, simulated end to end: `tt-grade package gradescope --module NN`, the zip unpacked into
# a fresh root mounted at /autograder (bubblewrap bind: the scripts' paths are Gradescope's own),
# setup.sh (TT_SKIP_APT=1: this machine has the packages), a submission (the reference files of
# module NN), run_autograder, results.json checked against Gradescope's schema (full points, the ISA
# level said), the package checked for reference sources; the stubs' files score 0; then
# run_autograder without a working bubblewrap refuses (score 0, non-zero exit), and the package
# made with --allow-unsandboxed grades and says so. The portfolio: the package holds the rubric as
# manual-grading questions, and a submission's post for the module is in results.json (0 points),
# followed by the rubric entry.
# Not a unit test: it builds the course twice (reference at package time, the image's build).
#
# usage: gradescope_test.sh TT_GRADE COURSE_ROOT WORK_DIR MODULE     (exit 77: cannot simulate here)
set -euo pipefail
tt_grade=$1 course=$(realpath "$2") work=$(realpath -m "$3") module=$4
here=$(cd "$(dirname "$0")" && pwd)
say() { echo "gradescope_test: [$(date +%T)] $*"; }
fail() { echo "gradescope_test: FAIL: $*" >&2; exit 1; }

# /autograder is Gradescope's fixed path: a bind mount puts the fresh root there without touching
# the machine. bubblewrap inside bubblewrap works here when the outer one only binds (no new
# /proc): the grader's own sandbox still runs inside.
if ! bwrap --dev-bind / / --bind /tmp /autograder true 2>/dev/null; then
  echo "gradescope_test: bubblewrap cannot bind /autograder here; skipped" >&2
  exit 77
fi

mkdir -p "$work"
timings="$work/timings.txt"
: >"$timings"
clock() {  # clock NAME CMD…: runs CMD, appends "NAME seconds" to timings
  local name=$1 t0 rc=0
  shift
  t0=$(date +%s.%N)
  "$@" || rc=$?
  echo "$name $(echo "$(date +%s.%N) - $t0" | bc)" >>"$timings"
  return $rc
}

say "package (module $module, x86-64-v3)"
clock package "$tt_grade" package gradescope --module "$module" --course "$course" --work "$work/package-work" \
  --out "$work/autograder.zip"
"$tt_grade" package gradescope --module "$module" --course "$course" --work "$work/package-work" \
  --out "$work/autograder-unsandboxed.zip" --allow-unsandboxed >/dev/null

root="$work/root"
rm -rf "$root"
mkdir -p "$root/source" "$root/submission" "$root/results"
unzip -q "$work/autograder.zip" -d "$root/source"
cp "$root/source/run_autograder" "$root/run_autograder"
python3 "$here/gradescope_check.py" secrets "$root/source" "$course" || fail "the package reveals the reference"
for f in manual-grading.md manual-grading.json; do
  [[ -s "$root/source/$f" ]] || fail "the package has no $f (the portfolio rubric's manual-grading questions)"
done

in_autograder() {  # the command inside the simulated image: /autograder bound, cwd /autograder
  bwrap --dev-bind / / --bind "$root" /autograder --chdir /autograder "$@"
}
say "setup.sh (the image's build)"
clock setup in_autograder env TT_SKIP_APT=1 bash /autograder/source/setup.sh >"$work/setup.log" 2>&1 ||
  { tail -n 40 "$work/setup.log" >&2; fail "setup.sh failed (log: $work/setup.log)"; }

name=$(basename "$(dirname "$(ls -d "$course"/modules/"$module"_*/module.json)")")
mkdir -p "$root/submission/modules/$name"
cp -r "$course/solutions/$name/src" "$root/submission/modules/$name/"
# The assignment's own post (an assignment knows its module's write-up slot, the case study and the
# innovation post; another module's post belongs to that module's assignment).
mkdir -p "$root/submission/portfolio"
printf '# What I built in module %s\n\nA packed GEMM micro-kernel and why it is faster.\n' "$module" \
  >"$root/submission/portfolio/$module.md"
printf 'private\n' >"$root/submission/portfolio/consent"
posts=1
say "run_autograder (a submission of the reference's files and a portfolio post)"
clock run_autograder in_autograder /autograder/run_autograder >"$work/run.log" 2>&1 ||
  { tail -n 40 "$work/run.log" >&2; fail "run_autograder failed (log: $work/run.log)"; }
points=$(python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print(m['points'])" \
  "$course/modules/$name/module.json")
python3 "$here/gradescope_check.py" results "$root/results/results.json" "$here/gradescope-results.schema.json" \
  --min-score "$points" --say "TT_ISA=x86-64-v3" --portfolio-posts "$posts" || fail "results.json (above)"
cp "$root/results/results.json" "$work/results-graded.json"

say "run_autograder (a submission of the stubs' files): score 0"
rm -rf "$root/submission/modules/$name/src" "$root/results/"*
cp -r "$course/modules/$name/src" "$root/submission/modules/$name/"
clock run_stub in_autograder /autograder/run_autograder >"$work/stub.log" 2>&1 ||
  { tail -n 40 "$work/stub.log" >&2; fail "run_autograder on the stubs failed (log: $work/stub.log)"; }
python3 "$here/gradescope_check.py" results "$root/results/results.json" "$here/gradescope-results.schema.json" \
  --max-score 0 || fail "the stubs' results.json (above)"
rm -rf "$root/submission/modules/$name/src"
cp -r "$course/solutions/$name/src" "$root/submission/modules/$name/"  # the reference's files again

# No working sandbox: a bwrap that cannot start, first on the PATH.
mkdir -p "$root/fake-bin"
printf '#!/bin/sh\necho "bwrap: No permissions to create new namespace" >&2\nexit 1\n' >"$root/fake-bin/bwrap"
chmod +x "$root/fake-bin/bwrap"
rm -rf "$root/results/"*
say "run_autograder without a working bubblewrap: must refuse"
if in_autograder env PATH="/autograder/fake-bin:$PATH" /autograder/run_autograder >"$work/refuse.log" 2>&1; then
  fail "run_autograder exited 0 without a sandbox"
fi
grep -q "tt-grade: error: .*bubblewrap" "$work/refuse.log" || fail "no one-line sandbox error (log: $work/refuse.log)"
python3 "$here/gradescope_check.py" results "$root/results/results.json" "$here/gradescope-results.schema.json" \
  --max-score 0 --say "sandbox" || fail "the refusal's results.json (above)"

say "the --allow-unsandboxed package's run_autograder without a working bubblewrap: grades, says so"
unzip -q -o "$work/autograder-unsandboxed.zip" run_autograder -d "$root"
rm -rf "$root/results/"*
clock run_unsandboxed in_autograder env PATH="/autograder/fake-bin:$PATH" /autograder/run_autograder \
  >"$work/unsandboxed.log" 2>&1 || { tail -n 20 "$work/unsandboxed.log" >&2; fail "run_autograder (allowed) failed"; }
python3 "$here/gradescope_check.py" results "$root/results/results.json" "$here/gradescope-results.schema.json" \
  --min-score "$points" --say "WITHOUT a sandbox" || fail "the unsandboxed results.json (above)"
say "passed; wall seconds: $(tr '\n' ' ' <"$timings")"
