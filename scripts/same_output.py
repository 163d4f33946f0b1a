#!/usr/bin/env python3
"""Run a broad sample of command lines on two attn-explain binaries and compare
everything they produce: stdout, stderr, the exit status and every file written.

A restructuring (issue 24: the typed run plan, the split CLI, the API boundary)
must not change a byte of what a learner sees. This script is how that is shown:

  same_output.py OLD_BINARY NEW_BINARY [--model DIR] [--only REGEX] [--list]

OLD_BINARY is a build or an install of the commit before the change (e.g.
`git worktree add /tmp/old HEAD~1 && cmake --preset release ... && cmake --install
build --prefix /tmp/old-install`), NEW_BINARY the one to check. --model names a
GPT-2 checkpoint folder of random weights (tests/oracle/make_gpt2_checkpoint.py
writes one; the default is build/tests/model_cli/tiny when it exists); the bundled
demo model is always used.

Each case runs in a fresh directory of its own with a fixed environment (no
terminal, NO_COLOR unset, COLUMNS unset, a fresh XDG_STATE_HOME for exercise
progress). Paths that differ only because the two binaries find their data in
different places are written as <DATA>/ in both before comparing, and so are the
cases' own directories (<CASE>/). Exit status: 0 when every case matches, 1 when
one differs (each difference is listed), 2 for bad usage.
"""

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "data")

TOY = "How are you doing?"
DOG = "The dog chased the ball, and it rolled away."
JOURNEY = "Your journey starts with one step"


def table_runs():
    """(name, argv, stdin) of the explorer on tables."""
    journey = ["--embeddings", os.path.join(DATA, "journey.json")]
    runs = [
        ("toy", [TOY]),
        ("dog", [DOG]),
        ("words", ["How", "are", "you", "doing?"]),
        ("journey-simplified", ["--projection", "none", "--no-scale"] + journey + [JOURNEY]),
        ("journey-rand", ["--projection", "rand", "--seed", "123", "--d-out", "2"] + journey + [JOURNEY]),
        ("journey-linear-bias", ["--projection", "linear", "--qkv-bias"] + journey + [JOURNEY]),
        ("journey-causal", ["--causal", "--projection", "rand", "--d-out", "2"] + journey + [JOURNEY]),
        ("journey-causal-mask-after", ["--causal", "--causal-method", "mask-after"] + journey + [JOURNEY]),
        ("journey-dropout", ["--causal", "--dropout", "0.5", "--dropout-seed", "123", "--projection", "rand"] + journey + [JOURNEY]),
        ("journey-heads", ["--heads", "2", "--projection", "rand", "--d-out", "2"] + journey + [JOURNEY]),
        ("journey-split", ["--heads", "2", "--multihead", "split", "--projection", "rand", "--d-out", "4"] + journey + [JOURNEY]),
        ("explain", ["--explain", TOY]),
        ("focus-word", ["--focus", "it", DOG]),
        ("focus-number", ["--focus", "2", TOY]),
        ("focus-stages", ["--focus", "you", "--stages", "weights", TOY]),
        ("stages", ["--stages", "scores,weights,context", DOG]),
        ("precision", ["--precision", "2", DOG]),
        ("precision-9", ["--precision", "9", TOY]),
        ("color", ["--color", "always", DOG]),
        ("width", ["--width", "40", DOG]),
        ("width-0", ["--width", "0", DOG]),
        ("head", ["--heads", "3", "--head", "2", "--projection", "rand", DOG]),
        ("softmax-naive", ["--softmax", "naive", TOY]),
        ("no-scale", ["--no-scale", TOY]),
        ("oov-zero", ["--oov", "zero", "The quokka smiled."]),
        ("oov-hash", ["The quokka smiled at the wombat and the platypus, the echidna, the numbat, "
                      "the bilby, the potoroo, the bettong and the dunnart."]),
        ("compare-scale", ["--compare", "scale", TOY]),
        ("compare-softmax", ["--compare", "softmax", TOY]),
        ("compare-scale-ineffective", ["--compare", "scale", "--causal", "--explain", TOY]),
        ("json", ["--json", DOG]),
        ("json-heads", ["--json", "--heads", "2", "--multihead", "split", "--projection", "rand", DOG]),
        ("trace", ["--trace", "out/t.json", DOG]),
        ("svg", ["--svg", "out/w.svg", DOG]),
        ("svg-heads", ["--svg", "out/w.svg", "--heads", "4", "--projection", "rand", DOG]),
        ("html", ["--html", "out/r.html", DOG]),
        ("html-explain-focus", ["--html", "out/r.html", "--explain", "--focus", "it", DOG]),
        ("html-head", ["--html", "out/r.html", "--heads", "2", "--head", "2", "--projection", "rand", DOG]),
        ("html-stages", ["--html", "out/r.html", "--stages", "weights", TOY]),
        ("all-outputs", ["--trace", "out/t.json", "--svg", "out/w.svg", "--html", "out/r.html", TOY]),
        ("svg-stdout", ["--svg", "-", TOY]),
        ("html-stdout", ["--html", "-", TOY]),
        ("trace-stdout", ["--trace", "-", TOY]),
        ("ineffective-notes", ["--seed", "7", "--causal-method", "mask-after", TOY]),
        ("max-memory", ["--max-memory", "1G", TOY]),
        ("step-not-terminal", ["--step", TOY]),
    ]
    out = [(name, argv, None) for name, argv in runs]
    out.append(("stdin", ["-"], TOY + "\n"))
    out.append(("stdin-json", ["--json", "-"], DOG))
    return out


def table_errors():
    runs = [
        ("no-sentence", []),
        ("unknown-option", ["--nope", TOY]),
        ("heads-0", ["--heads", "0", TOY]),
        ("d-out-none", ["--projection", "none", "--d-out", "3", TOY]),
        ("projection-table-missing", ["--projection", "table", "--embeddings", os.path.join(DATA, "journey.json"), JOURNEY]),
        ("split-indivisible", ["--heads", "3", "--multihead", "split", "--projection", "rand", "--d-out", "4", TOY]),
        ("qkv-bias-rand", ["--qkv-bias", "--projection", "rand", TOY]),
        ("dropout-1", ["--dropout", "1", TOY]),
        ("focus-missing", ["--focus", "zebra", TOY]),
        ("focus-out-of-range", ["--focus", "99", TOY]),
        ("head-out-of-range", ["--head", "3", TOY]),
        ("layer-without-model", ["--layer", "2", TOY]),
        ("top-without-model", ["--top", "3", TOY]),
        ("stages-bad", ["--stages", "weights,nope", TOY]),
        ("precision-bad", ["--precision", "12", TOY]),
        ("width-bad", ["--width", "-1", TOY]),
        ("color-bad", ["--color", "sometimes", TOY]),
        ("max-tokens", ["--max-tokens", "3", TOY]),
        ("max-memory-low", ["--max-memory", "1M", "--heads", "64", "--projection", "rand", "--d-out", "512", DOG * 20]),
        ("two-stdout", ["--svg", "-", "--html", "-", TOY]),
        ("json-and-stdout", ["--json", "--trace", "-", TOY]),
        ("same-file", ["--svg", "out/x", "--html", "out/x", TOY]),
        ("onto-table", ["--embeddings", "table.json", "--html", "table.json", JOURNEY]),
        ("embeddings-missing", ["--embeddings", "missing.json", TOY]),
        ("empty-sentence", [""]),
        ("bad-utf8", [b"caf\xe9"]),
        ("compare-bad", ["--compare", "both", TOY]),
        ("format-bad", ["--format", "csv", TOY]),
        ("model-missing", ["--model", "no-such-model", TOY]),
        ("version-extra", ["--version", "x"]),
    ]
    return [(name, argv, None) for name, argv in runs]


def model_runs(tiny):
    runs = []
    for model_name, model in (("demo", "demo"), ("tiny", tiny)):
        if not model:
            continue
        m = ["--model", model]
        runs += [
            (f"{model_name}", m + [DOG]),
            (f"{model_name}-layer2-head1", m + ["--layer", "2", "--head", "1", DOG]),
            (f"{model_name}-layer-all", m + ["--layer", "all", DOG]),
            (f"{model_name}-layer-all-html", m + ["--layer", "all", "--html", "out/h.html", DOG]),
            (f"{model_name}-json", m + ["--json", TOY]),
            (f"{model_name}-json-all", m + ["--json", "--layer", "all", TOY]),
            (f"{model_name}-html", m + ["--html", "out/r.html", DOG]),
            (f"{model_name}-html-explain", m + ["--html", "out/r.html", "--explain", "--focus", "it", DOG]),
            (f"{model_name}-svg", m + ["--svg", "out/w.svg", DOG]),
            (f"{model_name}-trace", m + ["--trace", "out/t.json", DOG]),
            (f"{model_name}-focus", m + ["--focus", "it", DOG]),
            (f"{model_name}-stages", m + ["--stages", "inputs,params,output", TOY]),
            (f"{model_name}-explain", m + ["--explain", TOY]),
            (f"{model_name}-top0", m + ["--top", "0", TOY]),
            (f"{model_name}-top10", m + ["--top", "10", TOY]),
            (f"{model_name}-width", m + ["--width", "50", DOG]),
            (f"{model_name}-max-tokens", m + ["--max-tokens", "3", DOG]),
            (f"{model_name}-layer-99", m + ["--layer", "99", TOY]),
            (f"{model_name}-layer-all-focus", m + ["--layer", "all", "--focus", "it", DOG]),
            (f"{model_name}-embeddings", m + ["--embeddings", "x.json", TOY]),
            (f"{model_name}-seed", m + ["--seed", "3", TOY]),
            (f"{model_name}-head-99", m + ["--head", "99", TOY]),
            (f"{model_name}-compare", m + ["--compare", "scale", TOY]),
        ]
    return [(name, argv, None) for name, argv in runs]


def render_runs():
    """Cases of `render`, on traces the OLD binary writes into fixtures/ first."""
    runs = []
    for trace in ("table", "heads", "model", "model-all"):
        f = f"fixtures/{trace}.json"
        runs += [
            (f"render-{trace}", ["render", f]),
            (f"render-{trace}-svg", ["render", f, "--svg", "out/w.svg"]),
            (f"render-{trace}-html", ["render", f, "--html", "out/r.html"]),
            (f"render-{trace}-focus", ["render", f, "--focus", "2"]),
            (f"render-{trace}-explain", ["render", f, "--explain", "--precision", "2", "--stages", "weights"]),
        ]
    runs += [("render-missing", ["render", "missing.json"]), ("render-onto-trace", ["render", "fixtures/table.json", "--html", "fixtures/table.json"])]
    return [(name, argv, None) for name, argv in runs]


def fixture_commands(tiny):
    model = tiny or "demo"
    return {
        "table": ["--trace", "{f}", DOG],
        "heads": ["--trace", "{f}", "--heads", "3", "--projection", "rand", "--causal", DOG],
        "model": ["--model", model, "--trace", "{f}", DOG],
        "model-all": ["--model", model, "--layer", "all", "--trace", "{f}", DOG],
    }


def lesson_runs(binary):
    names = sorted(f[:-5] for f in os.listdir(os.path.join(DATA, "lessons")) if f.endswith(".json"))
    runs = [("lesson-list", ["lesson"]), ("lesson-list-json", ["lesson", "--json"]),
            ("lesson-missing", ["lesson", "nope"]), ("lesson-check-no-name", ["lesson", "--check"])]
    for n in names:
        runs += [
            (f"lesson-{n}", ["lesson", n]),
            (f"lesson-{n}-explain", ["lesson", n, "--explain", "--precision", "3"]),
            (f"lesson-{n}-json", ["lesson", n, "--json"]),
            (f"lesson-{n}-check", ["lesson", n, "--check"]),
            (f"lesson-{n}-html", ["lesson", n, "--html", "out/l.html"]),
        ]
    return [(name, argv, None) for name, argv in runs]


def exercise_runs():
    ids = sorted(f[:-5] for f in os.listdir(os.path.join(DATA, "exercises")) if f.endswith(".json"))
    runs = [("exercise-list", ["exercise"]), ("exercise-list-json", ["exercise", "--json"]),
            ("exercise-missing", ["exercise", "nope"]), ("exercise-hint-no-id", ["exercise", "--hint"])]
    for i in ids:
        runs += [
            (f"exercise-{i}", ["exercise", i]),
            (f"exercise-{i}-hint", ["exercise", i, "--hint"]),
            (f"exercise-{i}-solution", ["exercise", i, "--solution"]),
            (f"exercise-{i}-solution-json", ["exercise", i, "--solution", "--json"]),
            (f"exercise-{i}-wrong", ["exercise", i, "--answer", "0.123"]),
            (f"exercise-{i}-wrong-json", ["exercise", i, "--answer", "1", "--json"]),
        ]
    return [(name, argv, None) for name, argv in runs]


def other_runs():
    runs = [
        ("help", ["--help"]),
        ("help-lesson", ["lesson", "--help"]),
        ("help-exercise", ["exercise", "--help"]),
        ("help-render", ["render", "--help"]),
        ("params", ["params", "--d-in", "3", "--d-out", "2"]),
        ("params-split", ["params", "--d-in", "768", "--d-out", "768", "--heads", "12", "--multihead", "split"]),
        ("params-json", ["params", "--d-in", "6", "--d-out", "4", "--heads", "2", "--qkv-bias", "--json"]),
        ("params-bad", ["params", "--d-in", "6", "--d-out", "4", "--heads", "3", "--multihead", "split"]),
        ("table-extract", ["table", "extract", os.path.join(DATA, "journey.json"), "--words", "your journey starts"]),
        ("table-extract-weights", ["table", "extract", os.path.join(DATA, "journey.json"), "--words", "your step",
                                   "--weights", "rand", "--seed", "5", "--d-out", "2", "-o", "out/t.json"]),
    ]
    return [(name, argv, None) for name, argv in runs]


def normalise(data, case_dir, data_dirs):
    for d in data_dirs:
        data = data.replace(d.encode() + b"/", b"<DATA>/")
    data = data.replace(case_dir.encode(), b"<CASE>")
    # The places a binary looks for its data before finding it (next to an install).
    return re.sub(rb"[^\s,'\"]*/share/attn-explain/", b"<DATA>/", data)


def run_case(binary, argv, stdin, case_dir, data_dirs):
    os.makedirs(os.path.join(case_dir, "out"), exist_ok=True)
    os.makedirs(os.path.join(case_dir, "state"), exist_ok=True)
    env = {"PATH": "/usr/bin:/bin", "HOME": case_dir, "XDG_STATE_HOME": os.path.join(case_dir, "state"),
           "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    proc = subprocess.run([binary] + argv, input=(stdin or "").encode(), capture_output=True, cwd=case_dir, env=env,
                          timeout=600)
    files = {}
    for folder, _, names in os.walk(case_dir):
        for n in names:
            path = os.path.join(folder, n)
            rel = os.path.relpath(path, case_dir)
            if rel.startswith("fixtures/") or rel == "table.json":
                continue
            with open(path, "rb") as f:
                files[rel] = normalise(f.read(), case_dir, data_dirs)
    return {"exit": proc.returncode, "stdout": normalise(proc.stdout, case_dir, data_dirs),
            "stderr": normalise(proc.stderr, case_dir, data_dirs), "files": files}


def data_dir_of(binary):
    """Where a binary finds its data: an install's share/attn-explain, else the source tree's data."""
    prefix = os.path.dirname(os.path.dirname(os.path.abspath(binary)))
    installed = os.path.join(prefix, "share", "attn-explain")
    if os.path.isdir(installed):
        return installed
    build_dir = os.path.dirname(os.path.abspath(binary))
    cache = os.path.join(build_dir, "CMakeCache.txt")
    if os.path.exists(cache):
        with open(cache) as f:
            for line in f:
                if line.startswith("CMAKE_HOME_DIRECTORY:"):
                    return os.path.join(line.split("=", 1)[1].strip(), "data")
    return DATA


def describe(name, a, b):
    lines = [f"DIFFERS: {name}"]
    if a["exit"] != b["exit"]:
        lines.append(f"  exit {a['exit']} -> {b['exit']}")
    for part in ("stdout", "stderr"):
        if a[part] != b[part]:
            diff = difflib.unified_diff(a[part].decode(errors="replace").splitlines(),
                                        b[part].decode(errors="replace").splitlines(), "old", "new", lineterm="", n=1)
            lines.append(f"  {part}:")
            lines += ["    " + l for l in list(diff)[:12]]
    for f in sorted(set(a["files"]) | set(b["files"])):
        if a["files"].get(f) != b["files"].get(f):
            sa, sb = len(a["files"].get(f, b"")), len(b["files"].get(f, b""))
            lines.append(f"  file {f}: {sa} -> {sb} bytes" + ("" if f in a["files"] and f in b["files"] else " (written by one only)"))
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("old")
    p.add_argument("new")
    default_tiny = os.path.join(ROOT, "build", "tests", "model_cli", "tiny")
    p.add_argument("--model", default=default_tiny if os.path.isdir(default_tiny) else "")
    p.add_argument("--only", default="", help="run only the cases whose name matches this regex")
    p.add_argument("--list", action="store_true", help="list the cases and exit")
    args = p.parse_args()
    for b in (args.old, args.new):
        if not os.access(b, os.X_OK):
            print(f"same_output.py: error: {b}: not an executable", file=sys.stderr)
            return 2
    args.old, args.new = os.path.abspath(args.old), os.path.abspath(args.new)
    tiny = os.path.abspath(args.model) if args.model else ""
    cases = (table_runs() + table_errors() + model_runs(tiny) + render_runs() + lesson_runs(args.old) + exercise_runs() +
             other_runs())
    cases = [c for c in cases if re.search(args.only, c[0])]
    if args.list:
        for name, argv, _ in cases:
            print(name, " ".join(a if isinstance(a, str) else repr(a) for a in argv))
        return 0
    work = tempfile.mkdtemp(prefix="same-output-")
    try:
        fixtures = os.path.join(work, "fixtures")
        os.makedirs(fixtures)
        for name, argv in fixture_commands(tiny).items():
            f = os.path.join(fixtures, name + ".json")
            subprocess.run([args.old] + [a.replace("{f}", f) for a in argv], check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        dirs = {args.old: data_dir_of(args.old), args.new: data_dir_of(args.new)}
        differ = 0
        for name, argv, stdin in cases:
            results = []
            for b in (args.old, args.new):
                case_dir = os.path.join(work, "case")
                shutil.rmtree(case_dir, ignore_errors=True)
                os.makedirs(case_dir)
                os.symlink(fixtures, os.path.join(case_dir, "fixtures"))
                shutil.copy(os.path.join(DATA, "journey.json"), os.path.join(case_dir, "table.json"))
                results.append(run_case(b, argv, stdin, case_dir, list(dirs.values())))
            if results[0] != results[1]:
                differ += 1
                print(describe(name, *results))
        print(f"same_output: {len(cases) - differ} of {len(cases)} command lines give the same bytes"
              f" (stdout, stderr, exit status, files written); {differ} differ")
        return 1 if differ else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
