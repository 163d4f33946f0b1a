#!/usr/bin/env python3
"""The bundled demo model (data/models/demo/) is what scripts/train_demo.py wrote (issues 15 and 28).

usage: check_demo_manifest.py [MODEL_DIR]

Every file MANIFEST.json lists has the recorded size and sha256; the folder holds the four files
`--model` reads (config.json, model.safetensors, vocab.json, merges.txt), heldout.json and
snapshots.json, all listed, and nothing unlisted but MANIFEST.json and evaluation.json (which
scripts/eval_demo.py writes after training); config.json agrees with the manifest's model. The
training snapshots: every file snapshots.json names is listed in the manifest (so it exists with
the manifest's size and sha256), steps strictly ascend from 0, the last snapshot is
model.safetensors and only the last, the others are snapshots/step-N.safetensors with their own
step N, each has a training and a held-out loss, and snapshots/ holds no other file. The folder,
snapshots included, stays under 16 MB. Stdlib only.
"""
import hashlib
import json
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REQUIRED = ["config.json", "model.safetensors", "vocab.json", "merges.txt", "heldout.json", "snapshots.json"]
# Written after training by scripts/eval_demo.py --write: not in the manifest.
AFTER_TRAINING = {"evaluation.json"}
LIMIT = 16 * 1024 * 1024


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check(model_dir):
    """A list of failures (empty when the folder is what the manifest says)."""
    failures = []
    with open(os.path.join(model_dir, "MANIFEST.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    files = manifest.get("files", {})
    for name in REQUIRED:
        if name not in files:
            failures.append(f"MANIFEST.json does not list {name}")
    total = os.path.getsize(os.path.join(model_dir, "MANIFEST.json"))
    for name, want in sorted(files.items()):
        path = os.path.join(model_dir, name)
        if not os.path.isfile(path):
            failures.append(f"{name}: missing")
            continue
        size = os.path.getsize(path)
        total += size
        if size != want["size"]:
            failures.append(f"{name}: {size} bytes, the manifest says {want['size']}")
        digest = sha256(path)
        if digest != want["sha256"]:
            failures.append(f"{name}: sha256 {digest}, the manifest says {want['sha256']}")
    present = set(os.listdir(model_dir)) - {"snapshots"}
    if os.path.isdir(os.path.join(model_dir, "snapshots")):
        present |= {"snapshots/" + name for name in os.listdir(os.path.join(model_dir, "snapshots"))}
    unlisted = sorted(present - set(files) - {"MANIFEST.json"} - AFTER_TRAINING)
    if unlisted:
        failures.append(f"files the manifest does not list: {unlisted}")
    if "snapshots.json" in files and os.path.isfile(os.path.join(model_dir, "snapshots.json")):
        check_snapshots(model_dir, files, failures)
    with open(os.path.join(model_dir, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    for key, value in manifest.get("model", {}).items():
        if config.get(key) != value:
            failures.append(f"config.json {key} = {config.get(key)}, the manifest says {value}")
    with open(os.path.join(model_dir, "vocab.json"), encoding="utf-8") as f:
        ids = sorted(json.load(f).values())
    if ids != list(range(config["vocab_size"])):
        failures.append(f"vocab.json's ids are not 0..{config['vocab_size'] - 1}")
    if total > LIMIT:
        failures.append(f"the folder holds {total} bytes, more than 16 MB")
    return failures


def check_snapshots(model_dir, files, failures):
    """snapshots.json's list against the manifest and the rules of scripts/train_demo.py."""
    with open(os.path.join(model_dir, "snapshots.json"), encoding="utf-8") as f:
        snapshots = json.load(f).get("snapshots", [])
    if not snapshots:
        failures.append("snapshots.json lists no snapshot")
        return
    steps = [s.get("step") for s in snapshots]
    if steps[0] != 0:
        failures.append(f"snapshots.json: the first snapshot is step {steps[0]}, not 0")
    if any(not isinstance(b, int) or not isinstance(a, int) or b <= a for a, b in zip(steps, steps[1:])):
        failures.append(f"snapshots.json: steps {steps} do not ascend")
    for i, snap in enumerate(snapshots):
        name = snap.get("file")
        last = i + 1 == len(snapshots)
        want = "model.safetensors" if last else f"snapshots/step-{snap.get('step')}.safetensors"
        if name != want:
            failures.append(f"snapshots.json: step {snap.get('step')}'s file is {name!r}, not {want!r}")
        if name not in files:
            failures.append(f"snapshots.json: {name} is not in the manifest")
        for key in ("train_loss", "heldout_loss"):
            if not isinstance(snap.get(key), (int, float)) or isinstance(snap.get(key), bool):
                failures.append(f"snapshots.json: step {snap.get('step')} has no {key}")
    named = {s.get("file") for s in snapshots}
    strays = sorted(f for f in files if f.startswith("snapshots/") and f not in named)
    if strays:
        failures.append(f"the manifest lists snapshots snapshots.json does not: {strays}")


def main(argv):
    model_dir = argv[0] if argv else os.path.join(REPO, "data", "models", "demo")
    failures = check(model_dir)
    for line in failures:
        print(f"FAIL {line}")
    if not failures:
        print(f"ok: {model_dir} is what MANIFEST.json says")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
