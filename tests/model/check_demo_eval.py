#!/usr/bin/env python3
"""docs/demo-model.md's figures and data/models/demo/evaluation.json are what scripts/eval_demo.py
measures with the binary (issues 15 and 28).

usage: check_demo_eval.py BINARY [REPO]

Runs scripts/eval_demo.py BINARY --write FILE (the bundled model, its held-out sentences, and
every training snapshot of its snapshots.json) and compares
1. its JSON for the final model with the fenced json block that follows the line
   `<!-- eval_demo.py figures -->` in docs/demo-model.md: every value in the block must be in the
   measurement, numbers within 1e-9, everything else equal; the block must give every head
   (antecedent and previous-token shares) and the next-token accuracy;
2. FILE, the fresh measurement of every snapshot, with the bundled evaluation.json: equal as JSON
   (the shares are rounded to 3 decimals), one entry a snapshot of snapshots.json, in its order.
Stdlib only.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

MARKER = "<!-- eval_demo.py figures -->"


def documented(doc_path):
    with open(doc_path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(re.escape(MARKER) + r"\s*```json\n(.*?)\n```", text, re.S)
    if not m:
        raise SystemExit(f"{doc_path}: no ```json block after {MARKER}")
    return json.loads(m.group(1))


def compare(doc, measured, where, failures):
    if isinstance(doc, dict):
        if not isinstance(measured, dict):
            failures.append(f"{where}: the measurement has {measured!r}")
            return
        for key, value in doc.items():
            if key not in measured:
                failures.append(f"{where}.{key}: not in the measurement")
            else:
                compare(value, measured[key], f"{where}.{key}", failures)
    elif isinstance(doc, list):
        if not isinstance(measured, list) or len(doc) != len(measured):
            failures.append(f"{where}: {len(doc)} items documented, the measurement differs")
            return
        for i, (d, m) in enumerate(zip(doc, measured)):
            compare(d, m, f"{where}[{i}]", failures)
    elif isinstance(doc, (int, float)) and not isinstance(doc, bool):
        if not isinstance(measured, (int, float)) or abs(doc - measured) > 1e-9:
            failures.append(f"{where}: documented {doc}, measured {measured}")
    elif doc != measured:
        failures.append(f"{where}: documented {doc!r}, measured {measured!r}")


def main(argv):
    binary = argv[0]
    repo = argv[1] if len(argv) > 1 else os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    doc = documented(os.path.join(repo, "docs", "demo-model.md"))
    model_dir = os.path.join(repo, "data", "models", "demo")
    with tempfile.TemporaryDirectory(prefix="check_demo_eval-") as tmp:
        fresh_path = os.path.join(tmp, "evaluation.json")
        out = subprocess.run([sys.executable, os.path.join(repo, "scripts", "eval_demo.py"), binary,
                              "--write", fresh_path], capture_output=True, text=True, check=False)
        if out.returncode != 0:
            print(out.stderr)
            return 1
        with open(fresh_path, encoding="utf-8") as f:
            fresh = json.load(f)
    measured = json.loads(out.stdout)
    failures = []
    with open(os.path.join(model_dir, "evaluation.json"), encoding="utf-8") as f:
        bundled = json.load(f)
    with open(os.path.join(model_dir, "snapshots.json"), encoding="utf-8") as f:
        steps = [s["step"] for s in json.load(f)["snapshots"]]
    if [s.get("step") for s in bundled.get("snapshots", [])] != steps:
        failures.append(f"evaluation.json's steps are not snapshots.json's {steps}")
    if bundled != fresh:
        for key in sorted(set(bundled) | set(fresh)):
            if key != "snapshots" and bundled.get(key) != fresh.get(key):
                failures.append(f"evaluation.json {key}: bundled {bundled.get(key)!r}, measured {fresh.get(key)!r}")
        for b, m in zip(bundled.get("snapshots", []), fresh.get("snapshots", [])):
            if b != m:
                failures.append(f"evaluation.json step {b.get('step')}: the bundled shares are not the measured ones")
        if len(bundled.get("snapshots", [])) != len(fresh.get("snapshots", [])):
            failures.append("evaluation.json: not one entry a snapshot")
    if len(doc.get("heads", [])) != len(measured["heads"]):
        failures.append("the block does not give every head")
    for i, head in enumerate(doc.get("heads", [])):
        for key in ("layer", "head", "antecedent_share", "previous_token_share"):
            if key not in head:
                failures.append(f"heads[{i}] lacks {key}")
    if "accuracy" not in doc.get("next_token", {}):
        failures.append("the block lacks next_token.accuracy")
    compare(doc, measured, "figures", failures)
    for line in failures:
        print(f"FAIL {line}")
    if not failures:
        print(f"ok: docs/demo-model.md's figures and evaluation.json's {len(steps)} snapshots are measured "
              f"({measured['heldout_sentences']} held-out sentences)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
