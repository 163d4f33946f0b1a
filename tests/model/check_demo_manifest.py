#!/usr/bin/env python3
"""The bundled demo model (data/models/demo/) is what scripts/train_demo.py wrote (issue 15).

usage: check_demo_manifest.py [MODEL_DIR]

Every file MANIFEST.json lists has the recorded size and sha256; the folder holds the four files
`--model` reads (config.json, model.safetensors, vocab.json, merges.txt) and heldout.json, all
listed; config.json agrees with the manifest's model; the folder stays under 16 MB. Stdlib only.
"""
import hashlib
import json
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REQUIRED = ["config.json", "model.safetensors", "vocab.json", "merges.txt", "heldout.json"]
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
    unlisted = sorted(set(os.listdir(model_dir)) - set(files) - {"MANIFEST.json"})
    if unlisted:
        failures.append(f"files the manifest does not list: {unlisted}")
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
