#!/usr/bin/python3
"""A small model folder with training snapshots, for the tests of --snapshot and timeline (issue 28).

usage: make_snapshot_model.py OUT_DIR

Writes OUT_DIR as scripts/train_demo.py lays out the demo model's snapshots
(include/attn/snapshots.hpp): a GPT-2 folder of random weights (tests/oracle/make_gpt2_checkpoint.py,
2 layers x 4 heads x 32, seed 1) whose model.safetensors is the last snapshot, two earlier
snapshots of other random weights (seeds 2 and 3) in snapshots/step-0.safetensors and
snapshots/step-10.safetensors, snapshots.json with losses, and evaluation.json with shares.
The losses and shares are made up: they are what the program must report, read from the
files, not measured figures. Needs torch (the checkpoint maker's).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MAKER = os.path.join(os.path.dirname(HERE), "oracle", "make_gpt2_checkpoint.py")
STEPS = [(0, 2), (10, 3), (40, 1)]  # (step, seed); the last is model.safetensors
LOSSES = {0: (4.8123, 4.8201), 10: (3.0456, 3.2789), 40: (1.5012, 1.9034)}


def checkpoint(out_dir, seed):
    subprocess.run([sys.executable, MAKER, out_dir, "--layers", "2", "--heads", "4", "--embd", "32",
                    "--positions", "64", "--seed", str(seed), "--vocab", "tiny"], check=True)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = sys.argv[1]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "snapshots"))
    snapshots = []
    with tempfile.TemporaryDirectory() as scratch:
        for step, seed in STEPS:
            folder = os.path.join(scratch, f"seed{seed}")
            checkpoint(folder, seed)
            last = step == STEPS[-1][0]
            if last:
                for name in ("config.json", "vocab.json", "merges.txt", "model.safetensors"):
                    shutil.copy(os.path.join(folder, name), os.path.join(out, name))
            file = "model.safetensors" if last else f"snapshots/step-{step}.safetensors"
            if not last:
                shutil.copy(os.path.join(folder, "model.safetensors"), os.path.join(out, file))
            train, heldout = LOSSES[step]
            snapshots.append({"step": step, "file": file, "train_loss": train, "heldout_loss": heldout})
    with open(os.path.join(out, "snapshots.json"), "w") as f:
        json.dump({"about": "a test fixture: made-up losses", "snapshots": snapshots}, f, indent=1)
    evaluation = {"about": "a test fixture: made-up shares", "baseline_fixed_offset": 0.25, "snapshots": []}
    for k, (step, _) in enumerate(STEPS):
        heads = [[{"antecedent_share": round(0.05 * k + 0.01 * h + 0.1 * l, 3),
                   "previous_token_share": round(0.3 * k + 0.02 * h + (0.05 if (l, h) == (1, 2) else 0.0), 3)}
                  for h in range(4)] for l in range(2)]
        evaluation["snapshots"].append({"step": step, "heads": heads})
    with open(os.path.join(out, "evaluation.json"), "w") as f:
        json.dump(evaluation, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
