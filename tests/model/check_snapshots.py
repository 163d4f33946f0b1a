#!/usr/bin/env python3
"""--snapshot and `attn-explain timeline` on a model with training snapshots (issue 28).

usage: check_snapshots.py BINARY FIXTURE_DIR

FIXTURE_DIR is tests/model/make_snapshot_model.py's folder: three snapshots of different
random weights (steps 0, 10 and 40, the last model.safetensors) with snapshots.json and
evaluation.json. Checks that:
  - --snapshot STEP runs those weights: its trace is the trace of a plain folder whose
    model.safetensors is that snapshot's file (the final model's numbers are checked against
    PyTorch elsewhere), first/last name the ends, and the trace says which step it ran;
  - --snapshot list prints snapshots.json's steps and losses (and --json gives them back);
  - timeline shows every snapshot: the head's weights are --snapshot STEP's, the focus row's
    largest key is the one it names, the losses and shares are the files', and the default
    head is the one with the largest previous-token share at the last snapshot;
  - --html draws one heatmap a snapshot and a curve through every snapshot's shares;
  - serve's /api/trace?snapshot=STEP is the command line's bytes;
  - bad steps, bad files and options out of place are refused with exit 2 or 1 and a message.
Stdlib only.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

FAILURES = []
SENTENCE = "The dog chased the ball, and it rolled away."


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        FAILURES.append(what)


def run(binary, *args):
    p = subprocess.run([binary, *args], capture_output=True, text=True, check=False)
    return p.returncode, p.stdout, p.stderr


def trace(binary, *args):
    code, out, err = run(binary, "--json", *args)
    if code != 0:
        raise SystemExit(f"{' '.join(args)}: exit {code}: {err}")
    return json.loads(out)


def plain_folder(fixture, weights, into):
    """A GPT-2 folder whose model.safetensors is `weights` (a snapshot's file)."""
    os.makedirs(into)
    for name in ("config.json", "vocab.json", "merges.txt"):
        shutil.copy(os.path.join(fixture, name), into)
    shutil.copy(os.path.join(fixture, weights), os.path.join(into, "model.safetensors"))
    return into


def weights_of(t):
    return [h["weights"] for h in t["heads"]]


def check_runs(binary, fixture, snapshots, scratch):
    for s in snapshots:
        folder = plain_folder(fixture, s["file"], os.path.join(scratch, f"plain{s['step']}"))
        snap = trace(binary, "--model", fixture, "--snapshot", str(s["step"]), "--layer", "2", SENTENCE)
        plain = trace(binary, "--model", folder, "--layer", "2", SENTENCE)
        check(weights_of(snap) == weights_of(plain) and snap["next_tokens"] == plain["next_tokens"]
              and snap["output"] == plain["output"],
              f"--snapshot {s['step']} runs {s['file']}: the trace of a folder of those weights")
        check(snap["model"].get("snapshot") == s["step"] and "snapshot" not in plain["model"],
              f"the trace of --snapshot {s['step']} says model.snapshot = {s['step']}, a plain run says nothing")
    code, out, _ = run(binary, "--model", fixture, "--snapshot", "10", "--stages", "weights", SENTENCE)
    _, plain_out, _ = run(binary, "--model", fixture, "--stages", "weights", SENTENCE)
    check(code == 0 and "the weights at step 10 of its training" in out and "of its training" not in plain_out,
          "the header of a --snapshot run says which step it ran, a plain run's says nothing")
    first = trace(binary, "--model", fixture, "--snapshot", "first", SENTENCE)
    zero = trace(binary, "--model", fixture, "--snapshot", "0", SENTENCE)
    last = trace(binary, "--model", fixture, "--snapshot", "last", SENTENCE)
    final = trace(binary, "--model", fixture, SENTENCE)
    check(weights_of(first) == weights_of(zero) and weights_of(last) == weights_of(final)
          and weights_of(first) != weights_of(final),
          "--snapshot first is step 0, last is the final weights, and they differ")


def check_list(binary, fixture, snapshots):
    code, out, _ = run(binary, "--model", fixture, "--snapshot", "list")
    rows = [line.split() for line in out.splitlines() if line.strip() and line.split()[0].isdigit()]
    wanted = [[str(s["step"]), f"{s['train_loss']:.4f}", f"{s['heldout_loss']:.4f}", s["file"]] for s in snapshots]
    check(code == 0 and rows == wanted, f"--snapshot list prints every step, both losses and the file ({rows})")
    code, out, _ = run(binary, "--model", fixture, "--snapshot", "list", "--json")
    listed = json.loads(out)["snapshots"] if code == 0 else None
    check(listed == [{k: s[k] for k in ("step", "file", "train_loss", "heldout_loss")} for s in snapshots],
          "--snapshot list --json gives snapshots.json's entries back")


def argmax(row):
    return max(range(len(row)), key=lambda k: (row[k], -k))


def check_timeline(binary, fixture, snapshots, evaluation):
    code, out, err = run(binary, "timeline", "--model", fixture, "--json", "--focus", "it", SENTENCE)
    if code != 0:
        return check(False, f"timeline --json: exit {code}: {err}")
    t = json.loads(out)
    last = evaluation["snapshots"][-1]["heads"]
    best = max(((l, h) for l in range(len(last)) for h in range(len(last[l]))),
               key=lambda lh: (last[lh[0]][lh[1]]["previous_token_share"], -lh[0], -lh[1]))
    check((t["layer"], t["head"]) == (best[0] + 1, best[1] + 1),
          f"the default head is the largest previous-token share at the last snapshot (layer {t['layer']} head {t['head']})")
    check([f["step"] for f in t["snapshots"]] == [s["step"] for s in snapshots], "timeline: one frame per snapshot, in order")
    focus = t["focus"]
    check(t["tokens"][focus] == "·it", f"--focus it follows the row of ·it ({t['tokens'][focus]})")
    for f, s, e in zip(t["snapshots"], snapshots, evaluation["snapshots"]):
        run_trace = trace(binary, "--model", fixture, "--snapshot", str(s["step"]), "--layer", str(t["layer"]), SENTENCE)
        shares = e["heads"][t["layer"] - 1][t["head"] - 1]
        check(f["weights"] == run_trace["heads"][t["head"] - 1]["weights"] and f["looks_at"] == argmax(f["weights"][focus])
              and (f["train_loss"], f["heldout_loss"]) == (s["train_loss"], s["heldout_loss"])
              and (f["previous_token_share"], f["antecedent_share"]) == (shares["previous_token_share"], shares["antecedent_share"]),
              f"step {s['step']}: the head's weights are --snapshot {s['step']}'s, the focus looks at its largest key, "
              "the losses and shares are the files'")
    check(t["baseline_fixed_offset"] == evaluation["baseline_fixed_offset"], "the baseline is evaluation.json's")
    code, out, _ = run(binary, "timeline", "--model", fixture, "--layer", "all", SENTENCE)
    check(code == 0 and out.count("Every head on this sentence") == len(snapshots) and out.count("step ") >= len(snapshots),
          "timeline --layer all: every head's pattern at every snapshot")


def check_html(binary, fixture, snapshots, scratch):
    page = os.path.join(scratch, "t.html")
    code, _, err = run(binary, "timeline", "--model", fixture, "--html", page, SENTENCE)
    text = open(page, encoding="utf-8").read() if code == 0 else ""
    curves = [line for line in text.split("<polyline")[1:]]
    points = [c.split('points="')[1].split('"')[0].split() for c in curves]
    check(code == 0 and text.count('<figure class="frame">') == len(snapshots) and len(points) == 2
          and all(len(p) == len(snapshots) for p in points),
          f"timeline --html: one heatmap a snapshot and two curves through every snapshot ({err.strip()})")


def check_errors(binary, fixture, scratch):
    cases = [
        (["--model", fixture, "--snapshot", "5", "x"], 2, "has no snapshot at that step"),
        (["--model", fixture, "--snapshot", "soon", "x"], 2, "expected a training step, first, last or list"),
        (["--model", fixture, "--snapshot", "1" * 20, "x"], 2, "expected a training step, first, last or list"),
        (["--model", fixture, "--snapshot", "1" * 19, "x"], 2, "has no snapshot at that step"),
        (["--snapshot", "0", "x"], 2, "--snapshot needs --model"),
        (["--model", fixture, "--snapshot", "list", "--html", os.path.join(scratch, "x.html")], 2, "--snapshot list prints"),
        (["timeline", "--model", fixture, "--layer", "3", "x"], 2, "has layers 1 to 2"),
        (["timeline", "--model", fixture, "--head", "9", "x"], 2, "has heads 1 to 4"),
        (["timeline", "--model", fixture, "--focus", "cat", "x y"], 2, "not a token of the sentence"),
    ]
    plain = plain_folder(fixture, "model.safetensors", os.path.join(scratch, "no-snapshots"))
    cases += [(["--model", plain, "--snapshot", "0", "x"], 2, "has no training snapshots"),
              (["timeline", "--model", plain, "x"], 2, "has no training snapshots")]
    for name, entries in [("descending", [{"step": 5, "file": "model.safetensors", "train_loss": 1, "heldout_loss": 1},
                                          {"step": 1, "file": "model.safetensors", "train_loss": 1, "heldout_loss": 1}]),
                          ("outside", [{"step": 0, "file": "../model.safetensors", "train_loss": 1, "heldout_loss": 1}])]:
        bad = plain_folder(fixture, "model.safetensors", os.path.join(scratch, name))
        with open(os.path.join(bad, "snapshots.json"), "w") as f:
            json.dump({"snapshots": entries}, f)
        cases.append((["--model", bad, "--snapshot", "first", "x"], 1, "snapshots.json: snapshot"))
    for name, entries, says in [
            ("negative", [{"step": -5, "file": "model.safetensors", "train_loss": 1, "heldout_loss": 1}],
             '"step" is -5, expected a whole number from 0'),
            ("missing", [{"step": 0, "file": "nosuch.safetensors", "train_loss": 1, "heldout_loss": 1}],
             "the snapshot at step 0 names nosuch.safetensors, which is not there")]:
        bad = plain_folder(fixture, "model.safetensors", os.path.join(scratch, name))
        with open(os.path.join(bad, "snapshots.json"), "w") as f:
            json.dump({"snapshots": entries}, f)
        cases.append((["--model", bad, "--snapshot", "first", "x"], 1, says))
    cases += [(["timeline", "--model", fixture, "--focus", "", "x y"], 2, 'not a token of the sentence'),
              (["timeline", "--model", "", "x"], 2, "expected a model's folder or name"),
              (["timeline", "--model", fixture, "--layer", "999999", "x"], 2, "has layers 1 to 2")]
    for args, want_code, want in cases:
        code, out, err = run(binary, *args)
        check(code == want_code and want in err and out == "",
              f"{' '.join(a if len(a) < 30 else '…' + a[-12:] for a in args)}: exit {want_code}, \"{want}\" ({code}: {err.strip()[:90]})")
    # "-" reads the sentence from standard input, as the main command does.
    piped = subprocess.run([binary, "timeline", "--model", fixture, "--json", "-"], input="x y\n", capture_output=True,
                           text=True, check=False)
    given = run(binary, "timeline", "--model", fixture, "--json", "x y")
    check(piped.returncode == 0 and piped.stdout == given[1], f"timeline - reads the sentence from stdin ({piped.stderr.strip()[:90]})")
    # Options --snapshot list does not act on are named in a note.
    code, out, err = run(binary, "--model", fixture, "--snapshot", "list", "--lens", "--generate", "2")
    check(code == 0 and "--snapshot list prints only the list of snapshots; --lens, --generate did nothing" in err,
          f"--snapshot list names the options it ignored ({err.strip()[:120]})")
    # Without evaluation.json, the timeline does not claim to have chosen by it.
    unevaluated = plain_folder(fixture, "model.safetensors", os.path.join(scratch, "unevaluated"))
    shutil.copytree(os.path.join(fixture, "snapshots"), os.path.join(unevaluated, "snapshots"))
    shutil.copy(os.path.join(fixture, "snapshots.json"), unevaluated)
    code, out, err = run(binary, "timeline", "--model", unevaluated, "x y")
    check(code == 0 and "no evaluation.json to choose by" in out and "by the evaluation" not in out
          and "The shares are measured" not in out, f"timeline without evaluation.json says so ({err.strip()[:90]})")
    # A step is a number: "010" is step 10.
    padded = run(binary, "--model", fixture, "--snapshot", "010", "--json", "x")
    plain_step = run(binary, "--model", fixture, "--snapshot", "10", "--json", "x")
    check(padded[0] == 0 and padded[1] == plain_step[1], f"--snapshot 010 is step 10 ({padded[0]}: {padded[2].strip()[:90]})")


def check_serve(binary, fixture):
    proc = subprocess.Popen([binary, "serve", "--port", "0", "--model", fixture], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        url = proc.stdout.readline().strip()
        name = os.path.basename(os.path.normpath(fixture))

        def get(params):
            try:
                with urllib.request.urlopen(url + "api/trace?" + urllib.parse.urlencode(params), timeout=60) as a:
                    return a.status, a.read()
            except urllib.error.HTTPError as e:
                return e.code, e.read()
        status, body = get({"sentence": SENTENCE, "model": name, "snapshot": "10"})
        expected = subprocess.run([binary, "--json", "--model", fixture, "--snapshot", "10", SENTENCE],
                                  capture_output=True, check=True).stdout
        check(status == 200 and body == expected, "serve: /api/trace?snapshot=10 is the command line's bytes")
        status, body = get({"sentence": "x", "model": name, "snapshot": "7"})
        check(status == 400 and json.loads(body)["key"] == "snapshot" and b"has no snapshot at that step" in body,
              f"serve: a step the model lacks is a 400 about the key snapshot ({body[:80]!r})")
        status, body = get({"sentence": "x", "model": name, "snapshot": "list"})
        check(status == 400 and json.loads(body)["key"] == "snapshot", "serve: snapshot=list is a 400: a page asks for one")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    binary, fixture = sys.argv[1], sys.argv[2]
    with open(os.path.join(fixture, "snapshots.json"), encoding="utf-8") as f:
        snapshots = json.load(f)["snapshots"]
    with open(os.path.join(fixture, "evaluation.json"), encoding="utf-8") as f:
        evaluation = json.load(f)
    with tempfile.TemporaryDirectory() as scratch:
        check_runs(binary, fixture, snapshots, scratch)
        check_list(binary, fixture, snapshots)
        check_timeline(binary, fixture, snapshots, evaluation)
        check_html(binary, fixture, snapshots, scratch)
        check_errors(binary, fixture, scratch)
        check_serve(binary, fixture)
    print(f"{len(FAILURES)} failure(s)")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
