#!/usr/bin/env python3
"""docs/demo-model.md's figures are what scripts/eval_demo.py measures with the binary (issue 15).

usage: check_demo_eval.py BINARY [REPO]

Runs scripts/eval_demo.py BINARY (the bundled model, its held-out sentences) and compares its
JSON with the fenced json block that follows the line `<!-- eval_demo.py figures -->` in
docs/demo-model.md: every value in the block must be in the measurement, numbers within 1e-9,
everything else equal; the block must give every head (antecedent and previous-token shares)
and the next-token accuracy. Stdlib only.
"""
import json
import os
import re
import subprocess
import sys

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
    out = subprocess.run([sys.executable, os.path.join(repo, "scripts", "eval_demo.py"), binary],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        print(out.stderr)
        return 1
    measured = json.loads(out.stdout)
    failures = []
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
        print(f"ok: docs/demo-model.md's figures are measured ({measured['heldout_sentences']} held-out sentences)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
