#!/usr/bin/python3
"""Differential test: attn-explain's --json trace against the same module built in PyTorch.

For many random settings (sentence, table, projection, seed, d_out, heads and how
they combine, qkv bias, scaling, softmax variant, causal mask and its method,
dropout and its seed) it runs the binary, builds the module in PyTorch from the
table file and the settings alone, the way chapter 3 of Raschka's book builds
SelfAttention_v1/v2, CausalAttention, MultiHeadAttentionWrapper and
MultiHeadAttention, and compares: inputs and weights exactly, every later stage
within 1e-5 (relative, for values above 1).

One exception to the 1e-5: under --softmax sum, a row's weights are its scores over
their sum, and a sum near zero amplifies the last bit of the scores: by
K = Σ|s| / |Σ s| (case 16 of the default run has K ≈ 390). Debian's torch on the
reference BLAS computes the scores in the engine's order and agrees to the bit;
on OpenBLAS (libopenblas0-pthread, what users run) q · k is summed in another
order and case 16's weights differ by 2.5e-5. So the stages after the
normalisation are compared within 1e-5 × K when K > 1 (K from PyTorch's scores).

usage: /usr/bin/python3 tests/oracle/check_trace.py BINARY DATA_DIR [CASES]
Ends with the line "N passed, N failed"; exit 1 when anything failed.
"""
import json
import math
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
    """A trace matrix (null for non-finite) as a float32 tensor with NaN for null."""
    if rows is None:
        return None
    if rows and not isinstance(rows[0], list):
        return torch.tensor([math.nan if v is None else v for v in rows], dtype=torch.float32)
    return torch.tensor([[math.nan if v is None else v for v in row] for row in rows], dtype=torch.float32)


def lookup(table, token):
    vectors = table["vectors"]
    if token in vectors:
        return vectors[token]
    for word, vec in vectors.items():
        if word.lower() == token.lower():
            return vec
    return None


def projections(cfg, table):
    """One set of (weight d_in x d_out, bias or None) for query, key, value, drawn as the book's modules do."""
    d_in, d_out = cfg["d_in"], cfg["d_out"]
    kind = cfg["projection"]
    if kind == "none":
        return None
    if kind == "rand":  # SelfAttention_v1: nn.Parameter(torch.rand(d_in, d_out))
        return [(torch.rand(d_in, d_out), None) for _ in range(3)]
    if kind == "linear":  # SelfAttention_v2: nn.Linear(d_in, d_out, bias=qkv_bias)
        layers = [torch.nn.Linear(d_in, d_out, bias=cfg["qkv_bias"]) for _ in range(3)]
        return [(l.weight.detach().T.contiguous(), None if l.bias is None else l.bias.detach()) for l in layers]
    return [(torch.tensor(table["weights"][k], dtype=torch.float32), None) for k in ("W_query", "W_key", "W_value")]


def project(x, wb):
    w, b = wb
    y = x @ w
    return y if b is None else y + b


def normalise(x, kind):
    if kind == "stable":
        return torch.softmax(x, dim=-1)
    if kind == "naive":
        return torch.exp(x) / torch.exp(x).sum(dim=-1, keepdim=True)
    masked = torch.isinf(x)  # masked entries are left out of the sum and get weight 0
    x = torch.where(masked, torch.zeros_like(x), x)
    return torch.where(masked, torch.zeros_like(x), x / x.sum(dim=-1, keepdim=True))


def attention(q, k, v, cfg, dropout):
    """Scores to context for q, k, v of shape (..., n, d): the book's CausalAttention forward."""
    n = q.shape[-2]
    stages = {"queries": q, "keys": k, "values": v}
    scores = q @ k.transpose(-2, -1)
    scaled = scores / k.shape[-1] ** 0.5 if cfg["scale"] else scores
    stages.update(scores=scores, scaled_scores=scaled)
    future = torch.triu(torch.ones(n, n), diagonal=1).bool()
    if cfg["causal"] and cfg["causal_method"] == "inf":
        scaled = scaled.masked_fill(future, -torch.inf)
        stages["masked_scores"] = scaled
    weights = normalise(scaled, cfg["softmax"])
    if cfg["causal"] and cfg["causal_method"] == "renorm":
        masked = weights * torch.tril(torch.ones(n, n))
        stages["masked_weights"] = masked
        weights = masked / masked.sum(dim=-1, keepdim=True)
    stages["weights"] = weights
    if cfg["dropout"] > 0:
        weights = dropout(weights)
        stages["dropped_weights"] = weights
    stages["context"] = weights @ v
    return stages


def expected(trace, table):
    cfg = trace["config"]
    rows = [lookup(table, t) for t in trace["tokens"]]
    # Unknown words get hashed vectors: take those rows from the trace, the rest from the table.
    x = torch.tensor([r if r is not None else trace["inputs"][i] for i, r in enumerate(rows)], dtype=torch.float32)
    heads, hd = cfg["heads"], cfg["head_dim"]

    torch.manual_seed(cfg["seed"])
    if cfg["multihead"] == "wrapper":
        sets = [projections(cfg, table) for _ in range(heads)]
        out_proj = None
    else:
        sets = [projections(cfg, table)]
        out_proj = torch.nn.Linear(cfg["d_out"], cfg["d_out"])
    if cfg["dropout_seed"] is not None:
        torch.manual_seed(cfg["dropout_seed"])
    dropout = torch.nn.Dropout(cfg["dropout"])
    dropout.train()

    per_head = []
    if cfg["multihead"] == "wrapper":  # MultiHeadAttentionWrapper: heads one after another
        for wb in sets:
            q, k, v = (x, x, x) if wb is None else (project(x, wb[0]), project(x, wb[1]), project(x, wb[2]))
            per_head.append(attention(q, k, v, cfg, dropout))
        concatenated = torch.cat([s["context"] for s in per_head], dim=-1)
        output = concatenated
    else:  # MultiHeadAttention: one projection, viewed as (heads, n, head_dim), one dropout call
        wb = sets[0]
        q, k, v = (x, x, x) if wb is None else (project(x, wb[0]), project(x, wb[1]), project(x, wb[2]))
        split = lambda t: t.view(t.shape[0], heads, hd).transpose(0, 1)
        stages = attention(split(q), split(k), split(v), cfg, dropout)
        per_head = [{name: value[h] for name, value in stages.items()} for h in range(heads)]
        concatenated = stages["context"].transpose(0, 1).contiguous().view(x.shape[0], cfg["d_out"])
        output = out_proj(concatenated).detach()
    return x, sets, out_proj, per_head, concatenated, output


def close(got, want, tolerance=TOLERANCE):
    if got is None or got.shape != want.shape:
        return f"shape {None if got is None else tuple(got.shape)} != {tuple(want.shape)}"
    both_nan = torch.isnan(got) & torch.isnan(want)
    both_inf = torch.isinf(want) & torch.isnan(got)  # -inf is written as null
    ok = both_nan | both_inf
    diff = ((got - want).abs() / want.abs().clamp(min=1.0)).masked_fill(ok, 0)
    if torch.isnan(diff).any():
        return "NaN where PyTorch has a number (or the reverse)"
    if diff.max().item() > tolerance:
        return f"off by {diff.max().item():.3g}" + (f" (tolerance {tolerance:.3g})" if tolerance != TOLERANCE else "")
    return None


# The stages that come after a row's normalisation, and inherit its conditioning.
NORMALISED = {"weights", "masked_weights", "dropped_weights", "context"}


def sum_conditioning(cfg, per_head):
    """K = max over rows of Σ|s| / |Σ s| under --softmax sum (1 otherwise): how much a row's
    division by its sum amplifies a rounding of its scores (PyTorch's scaled or masked scores)."""
    if cfg["softmax"] != "sum":
        return 1.0
    worst = 1.0
    for stages in per_head:
        scores = stages.get("masked_scores", stages.get("scaled_scores"))
        if scores is None:
            continue
        finite = torch.where(torch.isfinite(scores), scores, torch.zeros_like(scores)).double()
        total = finite.sum(dim=-1).abs()
        spread = finite.abs().sum(dim=-1)
        ratio = torch.where(total > 0, spread / total.clamp(min=1e-300), torch.ones_like(total))
        worst = max(worst, ratio.max().item())
    return worst


def compare(trace, table):
    problems = []
    x, sets, out_proj, per_head, concatenated, output = expected(trace, table)
    cfg = trace["config"]
    after = TOLERANCE * sum_conditioning(cfg, per_head)
    if not torch.equal(tensor(trace["inputs"]), x):
        problems.append("inputs differ from the table")
    if len(trace["heads"]) != cfg["heads"]:
        problems.append(f"{len(trace['heads'])} heads in the trace")
        return problems
    for h, head in enumerate(trace["heads"]):
        wb = sets[h] if cfg["multihead"] == "wrapper" else sets[0]
        lo, hi = (0, cfg["head_dim"]) if cfg["multihead"] == "wrapper" else (h * cfg["head_dim"], (h + 1) * cfg["head_dim"])
        if wb is None:
            if head["W_query"] is not None:
                problems.append(f"head {h}: W_query should be null")
        else:
            for (w, b), name, bname in zip(wb, ("W_query", "W_key", "W_value"), ("b_query", "b_key", "b_value")):
                if not torch.equal(tensor(head[name]), w[:, lo:hi]):
                    problems.append(f"head {h}: {name} differs")
                if (b is None) != (head[bname] is None) or (b is not None and not torch.equal(tensor(head[bname]), b[lo:hi])):
                    problems.append(f"head {h}: {bname} differs")
        for name, want in per_head[h].items():
            why = close(tensor(head[name]), want, after if name in NORMALISED else TOLERANCE)
            if why:
                problems.append(f"head {h}: {name}: {why}")
        if cfg["dropout"] > 0:
            mask, weights, dropped = tensor(head["dropout_mask"]), tensor(head["weights"]), tensor(head["dropped_weights"])
            # Where a weight is a nonzero number, PyTorch kept it exactly when its dropped value is nonzero.
            telling = torch.isfinite(weights) & (weights != 0)
            kept = per_head[h]["dropped_weights"] != 0
            if not torch.equal(mask[telling], kept[telling].float()):
                problems.append(f"head {h}: dropout_mask disagrees with PyTorch's dropped weights")
    if cfg["heads"] > 1:
        why = close(tensor(trace["concatenated"]), concatenated, after)
        if why:
            problems.append(f"concatenated: {why}")
    if out_proj is not None:
        if not torch.equal(tensor(trace["out_proj"]["weight"]), out_proj.weight.detach().T.contiguous()):
            problems.append("out_proj weight differs")
        if not torch.equal(tensor(trace["out_proj"]["bias"]), out_proj.bias.detach()):
            problems.append("out_proj bias differs")
    why = close(tensor(trace["output"]), output, after)
    if why:
        problems.append(f"output: {why}")
    return problems


def random_case(rng, tables, loaded):
    name = rng.choice(list(tables))
    table = loaded[name]
    words = list(table["vectors"]) + ["zebra", "Unknown", "42"]
    sentence = " ".join(rng.choice(words) for _ in range(rng.randint(1, 10)))
    d_in = table["dim"]
    projection = rng.choice(["none", "rand", "linear", "linear", "table" if "weights" in table else "rand", "auto"])
    heads = rng.choice([1, 1, 2, 3, 4])
    multihead = rng.choice(["wrapper", "split"])
    if projection == "auto":
        projection_used = "table" if "weights" in table else "rand"
    else:
        projection_used = projection
    if projection_used == "table" and multihead == "wrapper":
        heads = 1
    args = ["--embeddings", tables[name], "--projection", projection, "--seed",
            str(rng.choice([0, 1, 123, 789, rng.randrange(2**32)]))]
    if projection_used in ("rand", "linear"):
        d_out = rng.randint(1, 4) * (heads if multihead == "split" else 1)
        args += ["--d-out", str(d_out)]
    else:
        d_out = len(table["weights"]["W_query"][0]) if projection_used == "table" else d_in
        if multihead == "split":
            heads = rng.choice([h for h in (1, 2, 3, 6) if d_out % h == 0])
    args += ["--heads", str(heads), "--multihead", multihead]
    if projection_used == "linear" and rng.random() < 0.5:
        args.append("--qkv-bias")
    if rng.random() < 0.3:
        args.append("--no-scale")
    args += ["--softmax", rng.choice(["stable", "stable", "naive", "sum"])]
    if rng.random() < 0.5:
        args += ["--causal", "--causal-method", rng.choice(["inf", "renorm"])]
    dropout = rng.choice([0.0, 0.0, 0.1, 0.5, 0.8])
    args += ["--dropout", str(dropout)]
    if rng.random() < 0.5:
        args += ["--dropout-seed", str(rng.choice([123, 7, rng.randrange(2**32)]))]
    args.append(sentence)
    return table, args


# The commands docs/chapter3.md gives for each listing of the chapter, checked first.
BOOK = "Your journey starts with one step"
CHAPTER = [
    ["--projection", "none", "--no-scale"],
    ["--projection", "none", "--no-scale", "--softmax", "sum"],
    ["--projection", "none", "--no-scale", "--softmax", "naive"],
    ["--projection", "rand", "--seed", "123", "--d-out", "2"],
    ["--projection", "rand", "--seed", "789", "--d-out", "2"],
    ["--projection", "linear", "--seed", "789", "--d-out", "2"],
    ["--projection", "linear", "--seed", "789", "--d-out", "2", "--causal", "--causal-method", "renorm"],
    ["--projection", "linear", "--seed", "789", "--d-out", "2", "--causal"],
    ["--projection", "linear", "--seed", "789", "--d-out", "2", "--causal", "--dropout", "0.5", "--dropout-seed", "123"],
    ["--projection", "linear", "--seed", "123", "--d-out", "2", "--causal"],
    ["--projection", "linear", "--seed", "123", "--d-out", "2", "--causal", "--heads", "2"],
    ["--projection", "linear", "--seed", "123", "--d-out", "2", "--causal", "--heads", "2", "--multihead", "split"],
    ["--projection", "linear", "--seed", "123", "--d-out", "1", "--causal", "--heads", "2"],
]


def main():
    binary, data_dir = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 250
    tables = {name: f"{data_dir}/{name}.json" for name in ("journey", "default")}
    loaded = {name: json.load(open(path)) for name, path in tables.items()}
    rng = random.Random(20261123)
    passed = failed = 0
    cases = [(loaded["journey"], ["--embeddings", tables["journey"], *c, BOOK]) for c in CHAPTER]
    cases += [random_case(rng, tables, loaded) for _ in range(count)]
    for case, (table, args) in enumerate(cases):
        try:
            problems = compare(run(binary, args), table)
        except Exception as e:  # a crash or a bad exit is a failure too
            problems = [f"{type(e).__name__}: {e}"]
        if problems:
            failed += 1
            print(f"FAIL case {case}: {' '.join(repr(a) if ' ' in a else a for a in args)}\n  " + "\n  ".join(problems))
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
