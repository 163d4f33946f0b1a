#!/usr/bin/python3
"""Hostile checkpoints, run through the binary (issue 23, items 12 and 15).

Makes a good tiny GPT-2 checkpoint (tests/oracle/make_gpt2_checkpoint.py), then three
copies with one thing changed, and runs the binary on each as a user would:

hostile-vocab   vocab.json's last piece ("<|endoftext|>") becomes the bytes
                U+202E, ESC [2J, NUL, U+0085, a newline, U+2066, ESC ]0;pwned BEL
                (spelled in GPT-2's byte symbols), and ln_f is made to pick it: ln_f's
                weight 0 and bias e_0, that piece's wte row 50 in dimension 0, so its
                logit is 50 and every other one below 1 (PyTorch checks it: it is the
                most likely next token). Every output of a model run that shows it
                (the tables of --layer 1 and --layer all, --html, --svg, --json, a
                --trace rendered again) must hold none of those bytes raw (no C0
                control but the newline, no DEL, no C1 control, no U+202A-202E or
                U+2066-2069); the tables must show it escaped.
nan-ln-f        ln_f.weight[3] = NaN: every logit is NaN (PyTorch says so). The run
                succeeds, warns "next-token logits, N values: N are not a number (NaN)", and the
                --top 5 list is ids 0 to 4 (NaN after every number, ties by id: the
                rule, not our output), each shown as "nan" and null in the JSON, the
                same bytes on every run.
huge-c-fc       h.0.mlp.c_fc.weight[:, 0] = 3e38: the block's MLP overflows (one 3e38 alone
                is not enough: its products stay finite, in PyTorch and here). The rows
                PyTorch finds not finite in block 1's output are the rows the warning
                of --layer 1 names ("block output, row i"), the rows of block 2's ln_1
                output the ones --layer 2 names ("inputs, row i"), and the logits
                warning is there too.

usage: /usr/bin/python3 tests/model/check_hostile_checkpoints.py BINARY WORKDIR
Prints one line per failure and ends with "N passed, N failed"; exit 1 when anything failed.
"""
import json
import os
import re
import shutil
import subprocess
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "oracle"))
import gpt2_bpe  # noqa: E402
import gpt2_torch  # noqa: E402
import make_gpt2_checkpoint as maker  # noqa: E402
import safetensors_io as st  # noqa: E402

SENTENCE = "The dog chased the ball."
GOOD = dict(layers=2, heads=4, embd=32, positions=64, seed=1, vocab="tiny")
HOSTILE_BYTES = "\u202e\x1b[2J\x00\u0085\n\u2066\x1b]0;pwned\x07".encode("utf-8")
# What may never reach a terminal or a page raw.
RAW = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")

RESULTS = {"passed": 0, "failed": 0}


def expect(ok, what):
    RESULTS["passed" if ok else "failed"] += 1
    if not ok:
        print(f"FAIL {what}", flush=True)
    return ok


def run(binary, args, cwd):
    done = subprocess.run([binary] + args, capture_output=True, timeout=300, cwd=cwd)
    return done.returncode, done.stdout, done.stderr.decode("utf-8", errors="replace")


def copy_with(good, workdir, case, change):
    """WORKDIR/CASE: a copy of the good folder with `change(weights, vocab)` applied."""
    dst = os.path.join(workdir, case)
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(good, dst)
    path = os.path.join(dst, "model.safetensors")
    weights = st.read(path)
    with open(os.path.join(dst, "vocab.json"), encoding="utf-8") as f:
        vocab = json.load(f)
    change(weights, vocab)
    st.write(path, weights)
    with open(os.path.join(dst, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    return dst


def torch_forward(model_dir, ids):
    _, model = gpt2_torch.load_checkpoint(model_dir)
    return model.forward(ids)


def token_ids(binary, model_dir, cwd):
    code, out, err = run(binary, ["--model", model_dir, "--layer", "1", "--top", "0", "--json", SENTENCE], cwd)
    if not expect(code == 0, f"{model_dir}: the --json run failed: {err[:300]}"):
        return None
    return json.loads(out)["token_ids"]


# ------------------------------------------------------------------ hostile vocabulary

def make_hostile_vocab(weights, vocab):
    eot = vocab.pop("<|endoftext|>")
    vocab["".join(gpt2_bpe.BYTE_SYMBOL[b] for b in HOSTILE_BYTES)] = eot
    weights["ln_f.weight"].zero_()
    weights["ln_f.bias"].zero_()
    weights["ln_f.bias"][0] = 1.0
    weights["wte.weight"][eot].zero_()
    weights["wte.weight"][eot][0] = 50.0


def check_clean(what, data):
    bad = RAW.search(data)
    if bad is None:
        expect(True, what)
        return
    at = bad.start()
    expect(False, f"{what}: a raw {bad.group(0)!r} at byte {at}: {data[max(0, at - 60):at + 20]!r}")


def check_hostile_vocab(binary, model_dir, workdir):
    ids = token_ids(binary, model_dir, workdir)
    if ids is None:
        return
    probabilities = torch_forward(model_dir, ids)["probabilities"][-1]
    with open(os.path.join(model_dir, "vocab.json"), encoding="utf-8") as f:
        eot = max(json.load(f).values())
    expect(int(torch.argmax(probabilities)) == eot, "hostile-vocab: PyTorch does not make the hostile piece the most likely")
    for layer in ("1", "all"):
        code, out, err = run(binary, ["--model", model_dir, "--layer", layer, "--top", "5", SENTENCE], workdir)
        expect(code == 0, f"hostile-vocab --layer {layer}: exit {code}: {err[:300]}")
        check_clean(f"hostile-vocab --layer {layer}: stdout", out)
        check_clean(f"hostile-vocab --layer {layer}: stderr", err.encode())
        # The piece is shown escaped (a label is cut at 14 columns: its start is enough).
        expect(b"\\u202E\\x1B[2J" in out, f"hostile-vocab --layer {layer}: the next token is not shown escaped")
        html = os.path.join(workdir, f"hostile-{layer}.html")
        code, _, err = run(binary, ["--model", model_dir, "--layer", layer, "--top", "5", "--html", html, SENTENCE], workdir)
        expect(code == 0, f"hostile-vocab --layer {layer} --html: exit {code}: {err[:300]}")
        if code == 0:
            with open(html, "rb") as f:
                check_clean(f"hostile-vocab --layer {layer} --html", f.read())
    svg, trace = os.path.join(workdir, "hostile.svg"), os.path.join(workdir, "hostile.json")
    code, out, err = run(binary, ["--model", model_dir, "--layer", "1", "--top", "5", "--svg", svg, "--trace", trace,
                                  "--json", SENTENCE], workdir)
    expect(code == 0, f"hostile-vocab --svg --trace --json: exit {code}: {err[:300]}")
    if code != 0:
        return
    check_clean("hostile-vocab --json", out)
    with open(svg, "rb") as f:
        check_clean("hostile-vocab --svg", f.read())
    top = json.loads(out)["next_tokens"][0]
    expect(top["id"] == eot, f"hostile-vocab: the top next token is {top}, expected id {eot}")
    code, out, err = run(binary, ["render", trace, "--html", html], workdir)
    expect(code == 0, f"hostile-vocab render: exit {code}: {err[:300]}")
    check_clean("hostile-vocab render: stdout", out)
    with open(html, "rb") as f:
        check_clean("hostile-vocab render --html", f.read())


# ------------------------------------------------------------------ numbers that are not finite

def nan_ln_f(weights, vocab):
    weights["ln_f.weight"][3] = float("nan")


def huge_c_fc(weights, vocab):
    weights["h.0.mlp.c_fc.weight"][:, 0] = 3e38


def warnings_of(err):
    return [line[len("attn-explain: warning: "):] for line in err.splitlines() if line.startswith("attn-explain: warning: ")]


def check_nan_ln_f(binary, model_dir, workdir):
    ids = token_ids(binary, model_dir, workdir)
    if ids is None:
        return
    logits = torch_forward(model_dir, ids)["logits"][-1]
    expect(bool(torch.isnan(logits).all()), "nan-ln-f: PyTorch's logits are not all NaN")
    outputs = set()
    for _ in range(2):
        code, out, err = run(binary, ["--model", model_dir, "--layer", "1", "--top", "5", SENTENCE], workdir)
        expect(code == 0, f"nan-ln-f: exit {code}: {err[:300]}")
        outputs.add(out)
        expect(any(w.startswith(f"next-token logits, {len(logits)} values: {len(logits)} are not a number (NaN)")
                   for w in warnings_of(err)), f"nan-ln-f: no warning about the logits: {err[:600]}")
        next_line = [line for line in out.decode().splitlines() if line.strip().startswith("next token")]
        expect(len(next_line) == 1 and next_line[0].count(" nan") == 5 and "nan%" not in next_line[0]
               and "-nan" not in next_line[0], f"nan-ln-f: next token line {next_line}")
    expect(len(outputs) == 1, "nan-ln-f: two runs printed different tables")
    for layer in ("1", "all"):
        code, out, err = run(binary, ["--model", model_dir, "--layer", layer, "--top", "5", "--json", SENTENCE], workdir)
        expect(code == 0, f"nan-ln-f --layer {layer} --json: exit {code}: {err[:300]}")
        if code != 0:
            continue
        t = json.loads(out)
        expect([k["id"] for k in t["next_tokens"]] == [0, 1, 2, 3, 4],
               f"nan-ln-f --layer {layer}: next token ids {[k['id'] for k in t['next_tokens']]}, expected 0 to 4")
        expect(all(k["probability"] is None for k in t["next_tokens"]), f"nan-ln-f --layer {layer}: probabilities not null")
        expect(any(w.startswith("next-token logits, ") for w in t["warnings"]), f"nan-ln-f --layer {layer}: no warning in the JSON")


def rows_not_finite(m):
    return [i + 1 for i in range(m.shape[0]) if not bool(torch.isfinite(m[i]).all())]


def named_rows(warnings, stage):
    """The rows a warning names at `stage` (at most 3), and the count of "more rows"."""
    rows, more = [], 0
    for w in warnings:
        m = re.match(rf"{stage}, row (\d+) ", w)
        if m:
            rows.append(int(m.group(1)))
        m = re.match(rf"{stage}: (\d+) more rows? ", w)
        if m:
            more = int(m.group(1))
    return rows, more


def check_huge_c_fc(binary, model_dir, workdir):
    ids = token_ids(binary, model_dir, workdir)
    if ids is None:
        return
    forward = torch_forward(model_dir, ids)
    bad_out = rows_not_finite(forward["layers"][0]["block_output"])
    bad_in = rows_not_finite(forward["layers"][1]["ln_1"])
    expect(bool(bad_out), "huge-c-fc: PyTorch finds every row of block 1's output finite")
    for layer, stage, bad in (("1", "block output", bad_out), ("2", "inputs", bad_in)):
        code, out, err = run(binary, ["--model", model_dir, "--layer", layer, "--top", "3", SENTENCE], workdir)
        expect(code == 0, f"huge-c-fc --layer {layer}: exit {code}: {err[:300]}")
        warnings = warnings_of(err)
        rows, more = named_rows(warnings, stage)
        expect(rows == bad[:3] and more == max(0, len(bad) - 3),
               f"huge-c-fc --layer {layer}: {stage} rows named {rows} (+{more}), PyTorch's {bad}: {err[:800]}")
        logits_bad = not bool(torch.isfinite(forward["logits"][-1]).all())
        expect(any(w.startswith("next-token logits, ") for w in warnings) == logits_bad,
               f"huge-c-fc --layer {layer}: the logits warning disagrees with PyTorch ({logits_bad}): {err[:800]}")
        expect(b"-nan" not in out and b"nan%" not in out, f"huge-c-fc --layer {layer}: a -nan or nan% on stdout")
    code, out, err = run(binary, ["--model", model_dir, "--layer", "all", "--top", "3", SENTENCE], workdir)
    expect(code == 0 and any(w.startswith("layer 2, head ") for w in warnings_of(err)),
           f"huge-c-fc --layer all: no warning naming layer 2's weights: {err[:800]}")


def main(argv):
    if len(argv) != 2:
        print(__doc__.split("\n\n")[-2], file=sys.stderr)
        return 2
    binary, workdir = os.path.abspath(argv[0]), os.path.abspath(argv[1])
    os.makedirs(workdir, exist_ok=True)
    good = os.path.join(workdir, "good")
    maker.make(good, GOOD["layers"], GOOD["heads"], GOOD["embd"], GOOD["positions"], GOOD["seed"], vocab=GOOD["vocab"])
    check_hostile_vocab(binary, copy_with(good, workdir, "hostile-vocab", make_hostile_vocab), workdir)
    check_nan_ln_f(binary, copy_with(good, workdir, "nan-ln-f", nan_ln_f), workdir)
    check_huge_c_fc(binary, copy_with(good, workdir, "huge-c-fc", huge_c_fc), workdir)
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
