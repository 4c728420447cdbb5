#!/usr/bin/env python3
"""Checks of the Gradescope simulation (gradescope_test.sh): results.json against Gradescope's
documented schema, and a package that reveals no reference source. Not a grader: it only reads.

usage: gradescope_check.py results RESULTS_JSON SCHEMA [--min-score X] [--max-score X] [--say TEXT]
                                  [--portfolio-posts N]
       gradescope_check.py secrets PACKAGE_ROOT COURSE_ROOT
"""
import json
import pathlib
import re
import subprocess
import sys

TYPES = {"object": dict, "array": list, "string": str, "number": (int, float), "boolean": bool}


def validate(value, schema, where="results.json"):
    """The JSON Schema subset the schema file uses: type, enum, required, properties,
    additionalProperties false, items, minimum. Returns a list of problems."""
    problems = []
    types = schema.get("type")
    if types:
        names = types if isinstance(types, list) else [types]
        ok = any(isinstance(value, TYPES[n]) and not (n == "number" and isinstance(value, bool)) for n in names)
        if not ok:
            return [f"{where}: expected {'/'.join(names)}, found {type(value).__name__} {value!r:.60}"]
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if "minimum" in schema and isinstance(value, (int, float)) and value < schema["minimum"]:
        problems.append(f"{where}: {value} is below {schema['minimum']}")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                problems.append(f"{where}: missing required key '{key}'")
        for key, v in value.items():
            if key in props:
                problems += validate(v, props[key], f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                problems.append(f"{where}: unknown key '{key}' (Gradescope would ignore it)")
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            problems += validate(v, schema["items"], f"{where}[{i}]")
    return problems


def check_results(args):
    path, schema_path = args[0], args[1]
    opts = dict(zip(args[2::2], args[3::2]))
    results = json.loads(pathlib.Path(path).read_text())
    problems = validate(results, json.loads(pathlib.Path(schema_path).read_text()))
    tests_total = sum(t["score"] for t in results.get("tests", []))
    if not problems and abs(tests_total - results["score"]) > 0.05:
        problems.append(f"score {results['score']} is not the sum of the tests' scores {tests_total}")
    if "--min-score" in opts and results.get("score", 0) < float(opts["--min-score"]):
        problems.append(f"score {results.get('score')} is below the expected {opts['--min-score']}")
    if "--max-score" in opts and results.get("score", 0) > float(opts["--max-score"]):
        problems.append(f"score {results.get('score')} is above the expected {opts['--max-score']}")
    if "--say" in opts and opts["--say"] not in results.get("output", ""):
        problems.append(f"output does not say '{opts['--say']}': {results.get('output', '')[:300]!r}")
    if "--portfolio-posts" in opts:
        problems += portfolio_problems(results, int(opts["--portfolio-posts"]))
    for p in problems:
        print(f"gradescope_check: {p}", file=sys.stderr)
    print(f"gradescope_check: results.json: score {results.get('score')}, {len(results.get('tests', []))} tests, "
          f"{'valid' if not problems else 'INVALID'}")
    return 1 if problems else 0


def portfolio_problems(results, posts):
    """The write-ups as 0-point html entries (one per post), then the rubric for manual grading."""
    entries = [t for t in results.get("tests", []) if t.get("name", "").startswith("Portfolio · ")]
    problems = [f"{t['name']}: worth {t.get('max_score')} points (the portfolio is graded by hand: 0)"
                for t in entries if t.get("max_score") != 0 or t.get("score") != 0]
    problems += [f"{t['name']}: output_format {t.get('output_format')!r}, expected 'html'"
                 for t in entries if t.get("output_format") != "html"]
    written = [t for t in entries if "rubric" not in t["name"] and "not read" not in t["name"]]
    if len(written) != posts:
        problems.append(f"{len(written)} write-up entries in results.json, expected {posts}")
    if not any("rubric for manual grading" in t["name"] for t in entries):
        problems.append("no 'Portfolio · rubric for manual grading' entry in results.json")
    return problems


def norm(text):
    text = re.sub(r"//[^\n]*|/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"\s+", "", text)


def check_secrets(args):
    package, course = map(pathlib.Path, args)
    refs = {norm(p.read_text()): p.relative_to(course) for p in (course / "solutions").rglob("*") if p.is_file()}
    problems = []
    files = [p for p in package.rglob("*") if p.is_file()]
    for p in files:
        rel = p.relative_to(package)
        if "solutions" in rel.parts:
            problems.append(f"{rel}: a path under solutions/")
        data = p.read_bytes()
        if b"\0" in data[:4096]:
            if p.suffix == ".a":
                sections = subprocess.run(["objdump", "-h", str(p)], capture_output=True, text=True).stdout
                if ".debug_" in sections:
                    problems.append(f"{rel}: has debug information (source paths and lines)")
            continue
        if norm(data.decode(errors="replace")) in refs:
            problems.append(f"{rel}: is the reference source {refs[norm(data.decode(errors='replace'))]}")
    libs = [p for p in files if p.suffix == ".a"]
    if not libs:
        problems.append("no reference library (reference-lib/*.a) in the package")
    for p in problems:
        print(f"gradescope_check: {p}", file=sys.stderr)
    print(f"gradescope_check: package: {len(files)} files, {len(libs)} reference libraries, "
          f"{'no reference source' if not problems else 'REFERENCE REVEALED'}")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("results", "secrets"):
        sys.exit(__doc__)
    sys.exit(check_results(sys.argv[2:]) if sys.argv[1] == "results" else check_secrets(sys.argv[2:]))
