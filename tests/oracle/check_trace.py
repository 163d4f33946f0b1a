#!/usr/bin/python3
"""Differential test: attn-explain's --json trace against the same module in PyTorch.

For many random settings (sentence, table, projection, seed, d_out, scaling) it
runs the binary, rebuilds every stage with PyTorch from the table file alone,
and compares: inputs and weights exactly, every later stage within 1e-5.

usage: /usr/bin/python3 tests/oracle/check_trace.py BINARY DATA_DIR [CASES]
Ends with the line "N passed, N failed"; exit 1 when anything failed.
"""
import json
import random
import subprocess
import sys

import torch

TOLERANCE = 1e-5


def run(binary, args):
    done = subprocess.run([binary, "--json", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"exit {done.returncode}: {done.stderr.strip()}")
    return json.loads(done.stdout)


def tensor(rows):
    return torch.tensor(rows, dtype=torch.float32)


def lookup(table, token):
    vectors = table["vectors"]
    if token in vectors:
        return vectors[token]
    for word, vec in vectors.items():
        if word.lower() == token.lower():
            return vec
    return None


def expected(trace, table):
    cfg = trace["config"]
    d_in, d_out = cfg["d_in"], cfg["d_out"]
    rows = [lookup(table, t) for t in trace["tokens"]]
    # Unknown words get hashed vectors: take those rows from the trace, the rest from the table.
    x = tensor([r if r is not None else trace["inputs"][i] for i, r in enumerate(rows)])
    if cfg["projection"] == "none":
        w = None
        q = k = v = x
    else:
        if cfg["projection"] == "rand":
            torch.manual_seed(cfg["seed"])
            w = [torch.rand(d_in, d_out) for _ in range(3)]
        else:
            w = [tensor(table["weights"][name]) for name in ("W_query", "W_key", "W_value")]
        q, k, v = x @ w[0], x @ w[1], x @ w[2]
    scores = q @ k.T
    scaled = scores / k.shape[-1] ** 0.5 if cfg["scale"] else scores
    weights = torch.softmax(scaled, dim=-1)
    context = weights @ v
    stages = {"queries": q, "keys": k, "values": v, "scores": scores, "scaled_scores": scaled,
              "weights": weights, "context": context}
    return x, w, stages


def compare(trace, table):
    problems = []
    x, w, stages = expected(trace, table)
    if not torch.equal(tensor(trace["inputs"]), x):
        problems.append("inputs differ from the table")
    head = trace["heads"][0]
    if w is None:
        if head["W_query"] is not None:
            problems.append("W_query should be null")
    else:
        for name, want in zip(("W_query", "W_key", "W_value"), w):
            if not torch.equal(tensor(head[name]), want):
                problems.append(f"{name} differs")
    for name, want in stages.items():
        got = tensor(head[name])
        if got.shape != want.shape:
            problems.append(f"{name}: shape {tuple(got.shape)} != {tuple(want.shape)}")
            continue
        diff = (got - want).abs() / want.abs().clamp(min=1.0)
        if diff.max().item() > TOLERANCE:
            problems.append(f"{name}: off by {diff.max().item():.3g}")
    if trace["output"] != head["context"]:
        problems.append("output != context")
    return problems


def main():
    binary, data_dir = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 120
    tables = {name: f"{data_dir}/{name}.json" for name in ("journey", "default")}
    loaded = {name: json.load(open(path)) for name, path in tables.items()}
    rng = random.Random(20261123)
    passed = failed = 0
    for case in range(count):
        name = rng.choice(list(tables))
        table = loaded[name]
        words = list(table["vectors"]) + ["zebra", "Unknown", "42"]
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(1, 12)))
        projection = rng.choice(["none", "rand", "rand", "table" if "weights" in table else "rand", "auto"])
        args = ["--embeddings", tables[name], "--projection", projection]
        if projection == "rand":
            args += ["--seed", str(rng.choice([0, 1, 123, 789, rng.randrange(2**32)]))]
            args += ["--d-out", str(rng.randint(1, 9))]
        if rng.random() < 0.3:
            args.append("--no-scale")
        args.append(sentence)
        try:
            problems = compare(run(binary, args), table)
        except Exception as e:  # a crash or a bad exit is a failure too
            problems = [str(e)]
        if problems:
            failed += 1
            print(f"FAIL case {case}: {' '.join(args)}\n  " + "\n  ".join(problems))
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
