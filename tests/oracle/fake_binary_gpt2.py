#!/usr/bin/python3
"""A stand-in for `attn-explain --model`, for the oracle's self-test only (issue 14).

It writes the trace the contract of check_gpt2.py describes, computed by gpt2_torch.py
itself, so check_gpt2.py must pass it; with a "break" it writes one thing wrong, the
way a bug in the C++ could, and check_gpt2.py must fail it (selftest_gpt2_oracle.py
runs both). It is not a second implementation and proves nothing about the binary.

usage: fake_binary_gpt2.py --model DIR --layer L|all --json [--top K] [--temperature T] [--lens]
                          [--no-positions] SENTENCE
       (ATTN_FAKE_BREAK=NAME in the environment breaks the output; see BREAKS)
"""
import argparse
import json
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gpt2_bpe  # noqa: E402
import gpt2_torch  # noqa: E402

BREAKS = {
    "weights": "one attention weight of head 1 off by 2e-4",
    "context": "head 1's context scaled by 1 + 1e-3",
    "masked-number": "masked_scores above the diagonal written as -1e30 instead of null",
    "W_query": "one element of head 1's W_query off by one float32 step",
    "out_proj": "out_proj.weight transposed (nn.Linear's out x in layout)",
    "inputs-before-ln": "inputs = the residual stream before ln_1",
    "block_output": "block_output = the stream after attention only (no MLP)",
    "ids": "the last token id replaced by the next id",
    "readable": "tokens with GPT-2's Ġ instead of ·",
    "next-order": "the two most likely next tokens swapped",
    "next-not-top": "the most likely next token replaced by the 6th",
    "probability": "next-token probabilities scaled by 1 + 1e-3",
    "layer-from-0": "layer numbered from 0",
    "head-dim": "config.head_dim = n_embd",
    "eps": "layer_norm_epsilon taken as 1e-5 whatever config.json says",
    "gelu-erf": "GELU computed exactly (erf) instead of GPT-2's tanh approximation",
    "accept-long": "a sentence longer than n_positions cut to n_positions instead of refused",
    "temperature-ignored": "--temperature written into the trace but the probabilities left at temperature 1",
    "positions-name": "config.positions \"learned\" with --no-positions",
    "no-positions-ignored": "--no-positions written into the config, but wpe still added",
    "block-input-normalised": "block.input = ln_1's output instead of the residual stream",
    "ln1-std-without-eps": "block.ln_1.std = sqrt(variance), without epsilon",
    "ln2-variance-bessel": "block.ln_2.variance divided by n_embd - 1 (Bessel's correction)",
    "ln2-weight": "block.ln_2.weight is ln_1's",
    "residual-is-attention-only": "block.residual = the attention output, without the block's input",
    "mlp-hidden-before-gelu": "block.mlp_hidden = c_fc's output before GELU",
    "mlp-output-is-block-output": "block.mlp_output = the block output (residual + MLP)",
    "block-with-layer-all": "--layer all writes the block of layer 1 instead of null",
    "layer-weights-transposed": "--layer all: each layer_weights matrix transposed",
    "lens-without-ln_f": "the lens multiplies the stream by wte without ln_f",
    "lens-off-by-one-layer": "lens entry l from the stream after block l + 1 (the embeddings left out)",
    "lens-temperature-ignored": "the lens at temperature 1 whatever --temperature says",
    "lens-last-rounded": "the lens's last entry's last probabilities off by 1e-6 relative (not next_tokens' numbers)",
    "lens-without-flag": "the lens written without --lens",
}

_MODELS = {}


def model_of(model_dir, eps=None):
    key = (model_dir, eps)
    if key not in _MODELS:
        cfg, model = gpt2_torch.load_checkpoint(model_dir)
        if eps is not None:
            model.eps = eps
        encoder = gpt2_bpe.Encoder.load(os.path.join(model_dir, "vocab.json"), os.path.join(model_dir, "merges.txt"))
        _MODELS[key] = (cfg, model, encoder)
    return _MODELS[key]


def plain(t):
    """A tensor as nested lists of floats, None for non-finite."""
    if bool(torch.isfinite(t).all()):
        return t.tolist()
    if t.dim() == 0:
        return None
    return [plain(x) for x in t] if t.dim() > 1 else [v if math.isfinite(v) else None for v in t.tolist()]


def layer_norm_object(x, weight, bias, eps, broken_key=None):
    """A block's "ln_1"/"ln_2": the statistics of x, the weight, bias and epsilon."""
    stats = gpt2_torch.layer_norm_statistics(x, eps)
    if broken_key == "bessel":
        stats["variance"] = stats["variance"] * x.shape[-1] / (x.shape[-1] - 1)
    if broken_key == "no-eps":
        stats["std"] = torch.sqrt(stats["variance"])
    return {**{k: plain(v) for k, v in stats.items()}, "weight": plain(weight), "bias": plain(bias), "epsilon": eps}


def block_object(model, st, i, broken):
    """The "block" object of a layer's stages st (layer i from 0)."""
    w = lambda name: model.w[f"h.{i}.{name}"]  # noqa: E731
    ln_2_weight = w("ln_1.weight") if broken == "ln2-weight" else w("ln_2.weight")
    return {
        "input": plain(st["ln_1"] if broken == "block-input-normalised" else st["input"]),
        "ln_1": layer_norm_object(st["input"], w("ln_1.weight"), w("ln_1.bias"), model.eps,
                                  "no-eps" if broken == "ln1-std-without-eps" else None),
        "residual": plain(st["output"] if broken == "residual-is-attention-only" else st["after_attn"]),
        "ln_2": layer_norm_object(st["after_attn"], ln_2_weight, w("ln_2.bias"), model.eps,
                                  "bessel" if broken == "ln2-variance-bessel" else None),
        "ln_2_output": plain(st["ln_2"]),
        "mlp_hidden": plain(st["fc"] if broken == "mlp-hidden-before-gelu" else st["gelu"]),
        "mlp_output": plain(st["block_output"] if broken == "mlp-output-is-block-output" else st["mlp"]),
    }


def lens_object(model, out, temperature, top, readable, broken):
    """The logit lens: per entry, per position, the top K {token, id, probability}."""
    if broken == "lens-without-ln_f":
        streams = torch.stack([out["embeddings"]] + [st["block_output"] for st in out["layers"]])
        probs = torch.softmax(streams @ model.w["wte.weight"].T / temperature, dim=-1)
    else:
        probs = model.lens(out, 1.0 if broken == "lens-temperature-ignored" else temperature)
    if broken == "lens-off-by-one-layer":
        probs = torch.cat([probs[1:], probs[-1:]])
    k = min(top, probs.shape[-1])
    best = torch.topk(probs, k)
    return [[[{"token": readable(i), "id": i, "probability": p} for i, p in zip(ids, ps)]
             for ids, ps in zip(level_ids.tolist(), level_ps.tolist())]
            for level_ids, level_ps in zip(best.indices, best.values)]


def trace(model_dir, layer, sentence, top, broken=None, temperature=1.0, lens=False, positions=True):
    """(exit status, JSON text or error line); layer "all" for --layer all."""
    cfg, model, encoder = model_of(model_dir, 1e-5 if broken == "eps" else None)
    ids = encoder.encode(sentence, approximate=True)
    if len(ids) > cfg["n_positions"]:
        if broken != "accept-long":
            return 1, f"the sentence has {len(ids)} tokens, more than the limit of {cfg['n_positions']}"
        ids = ids[:cfg["n_positions"]]
    every = layer == "all"
    layer = 1 if every else int(layer)
    if not 1 <= layer <= cfg["n_layer"]:
        return 1, f"--layer: {layer} is not a layer of the model (1 to {cfg['n_layer']})"
    if broken == "gelu-erf":
        saved = gpt2_torch.gelu_tanh
        gpt2_torch.gelu_tanh = torch.nn.functional.gelu
    try:
        with torch.no_grad():
            out = model.forward(ids, positions=positions or broken == "no-positions-ignored")
    finally:
        if broken == "gelu-erf":
            gpt2_torch.gelu_tanh = saved
    st = out["layers"][layer - 1]
    heads = []
    for h in st["heads"]:
        head = {k: (v if k == "scale" else plain(v)) for k, v in h.items()}
        heads.append(head)
    if broken == "weights":
        heads[0]["weights"][-1][0] += 2e-4
    if broken == "context":
        heads[0]["context"] = plain(st["heads"][0]["context"] * (1 + 1e-3))
    if broken == "masked-number":
        heads[0]["masked_scores"] = [[-1e30 if v is None else v for v in row] for row in heads[0]["masked_scores"]]
    if broken == "W_query":
        w = st["heads"][0]["W_query"].clone()
        w[0, 0] = torch.nextafter(w[0, 0], torch.tensor(math.inf))
        heads[0]["W_query"] = plain(w)
    probs = out["probabilities"][-1]
    if temperature != 1.0 and broken != "temperature-ignored":
        probs = torch.softmax(out["logits"][-1] / temperature, dim=-1)
    k = min(top, probs.numel())
    best = torch.topk(probs, min(k + 1, probs.numel()))
    order = best.indices.tolist()[:k]
    if broken == "next-order" and k > 1:
        order[0], order[1] = order[1], order[0]
    if broken == "next-not-top" and probs.numel() > k:
        order[0] = best.indices.tolist()[k]
    scale = 1 + 1e-3 if broken == "probability" else 1.0

    def readable(b):
        if broken == "readable":
            return "".join(gpt2_bpe.BYTE_SYMBOL[x] for x in b)
        r = gpt2_bpe.readable(b)
        return r if r is not None else b.decode("utf-8", errors="replace")

    pieces = [encoder.token_bytes(i) for i in ids]
    next_tokens = [{"token": readable(encoder.token_bytes(i)), "id": i, "probability": probs[i].item() * scale}
                   for i in order]
    lens_doc = None
    if lens or broken == "lens-without-flag":
        with torch.no_grad():
            lens_doc = lens_object(model, out, temperature, top, lambda i: readable(encoder.token_bytes(i)), broken)
        lens_doc[-1][-1] = [dict(entry) for entry in next_tokens]  # the binary's numbers, not torch's again
        if broken == "lens-last-rounded":
            for entry in lens_doc[-1][-1]:
                entry["probability"] *= 1 + 1e-6
    if broken == "ids":
        ids = ids[:-1] + [(ids[-1] + 1) % cfg["vocab_size"]]

    w_out = model.w[f"h.{layer - 1}.attn.c_proj.weight"]
    doc = {
        "tokens": [readable(p) for p in pieces],
        "token_ids": ids,
        "model": {"name": os.path.basename(os.path.normpath(model_dir)), "n_layer": cfg["n_layer"],
                  "n_head": cfg["n_head"], "n_embd": cfg["n_embd"], "vocab_size": cfg["vocab_size"],
                  "n_positions": cfg["n_positions"]},
        "layer": layer - 1 if broken == "layer-from-0" else layer,
        "config": {"projection": "model", "heads": cfg["n_head"],
                   "head_dim": cfg["n_embd"] if broken == "head-dim" else cfg["n_embd"] // cfg["n_head"],
                   "d_in": cfg["n_embd"], "d_out": cfg["n_embd"], "causal": True, "scale": True,
                   "positions": "learned" if positions or broken == "positions-name" else "none"},
        "inputs": plain(st["input"] if broken == "inputs-before-ln" else st["ln_1"]),
        "heads": heads,
        "concatenated": plain(st["concatenated"]),
        "out_proj": {"weight": plain(w_out.T if broken == "out_proj" else w_out),
                     "bias": plain(model.w[f"h.{layer - 1}.attn.c_proj.bias"])},
        "output": plain(st["output"]),
        "block_output": plain(st["after_attn"] if broken == "block_output" else st["block_output"]),
        "block": block_object(model, st, layer - 1, broken),
        "next_tokens": next_tokens,
        "temperature": temperature,
        "layer_weights": [],
        "lens": lens_doc,
    }
    if every:  # --layer all: no layer's stages, every layer's weights
        doc.update(layer=None, inputs=[], heads=[], concatenated=None, out_proj=None, output=[], block_output=None,
                   block=doc["block"] if broken == "block-with-layer-all" else None,
                   layer_weights=[[plain(h["weights"].T if broken == "layer-weights-transposed" else h["weights"])
                                   for h in st["heads"]] for st in out["layers"]])
    return 0, json.dumps(doc)


def main(argv, broken=None):
    """(exit status, stdout bytes, stderr bytes), as check_gpt2.invoke gives them."""
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--layer", required=True)
    p.add_argument("--json", action="store_true")
    p.add_argument("--top", type=int, default=5)
    p.add_argument("--temperature", type=float, default=1.0)
    p.add_argument("--lens", action="store_true")
    p.add_argument("--no-positions", action="store_true")
    p.add_argument("sentence")
    a = p.parse_args(argv)
    status, text = trace(a.model, a.layer, a.sentence, a.top, broken, a.temperature, a.lens, not a.no_positions)
    return (0, (text + "\n").encode(), b"") if status == 0 else (status, b"", (f"attn-explain: error: {text}\n").encode())


if __name__ == "__main__":
    status, out, err = main(sys.argv[1:], os.environ.get("ATTN_FAKE_BREAK"))
    sys.stdout.buffer.write(out)
    sys.stderr.buffer.write(err)
    sys.exit(status)
