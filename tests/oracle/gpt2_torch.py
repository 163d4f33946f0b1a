#!/usr/bin/python3
"""GPT-2 in PyTorch, written from the equations, for the oracle (issue 14).

Not Hugging Face's transformers (not installed, and the point is an independent
formulation): the model of Radford et al. 2019 as OpenAI's gpt-2/src/model.py and
chapter 4 of Raschka's book describe it, with Hugging Face's weight names.

  h0 = wte[ids] + wpe[0..n-1]                      (wte[ids] alone with positions=False)
  for each block N:
    a   = ln_1(h)                                   LayerNorm, eps = layer_norm_epsilon
    qkv = a @ c_attn.weight + c_attn.bias           Conv1D: weight stored in x out
    q, k, v = the three n_embd-wide thirds of qkv; head j takes columns j*hd..(j+1)*hd
    per head: scores = q k^T; scaled = scores / sqrt(hd); masked = scaled with -inf above
              the diagonal; weights = softmax(masked) by rows; context = weights @ v
    concatenated = the heads' contexts side by side
    attn = concatenated @ c_proj.weight + c_proj.bias
    h = h + attn
    m = ln_2(h) @ c_fc.weight + c_fc.bias; m = gelu_tanh(m); m = m @ mlp.c_proj.weight + bias
    h = h + m
  logits = ln_f(h) @ wte^T; probabilities = softmax(logits) by rows
  logit lens: the same head on h0 and on every block's output, softmax(logits / T)

GPT2.forward(ids) returns every one of those stages, per layer and per head; GPT2.lens(out, T)
the logit lens of such a forward; layer_norm_statistics(x, eps) the mean, variance and
standard deviation a LayerNorm divides by.
load_checkpoint(dir) reads config.json and model.safetensors with our own reader
(F16/BF16 weights come back as float32 holding the rounded values).
"""
import json
import math
import os

import torch

import safetensors_io

LAYER_WEIGHTS = ["ln_1.weight", "ln_1.bias", "attn.c_attn.weight", "attn.c_attn.bias",
                 "attn.c_proj.weight", "attn.c_proj.bias", "ln_2.weight", "ln_2.bias",
                 "mlp.c_fc.weight", "mlp.c_fc.bias", "mlp.c_proj.weight", "mlp.c_proj.bias"]


def weight_names(n_layer):
    """Every weight of a GPT-2 of n_layer blocks, by its Hugging Face name (no prefix)."""
    names = ["wte.weight", "wpe.weight"]
    for i in range(n_layer):
        names += [f"h.{i}.{w}" for w in LAYER_WEIGHTS]
    return names + ["ln_f.weight", "ln_f.bias"]


def weight_shapes(cfg):
    """{name: shape} for a config {n_layer, n_embd, n_positions, vocab_size}."""
    e, v, p = cfg["n_embd"], cfg["vocab_size"], cfg["n_positions"]
    per_layer = {"ln_1.weight": [e], "ln_1.bias": [e], "attn.c_attn.weight": [e, 3 * e], "attn.c_attn.bias": [3 * e],
                 "attn.c_proj.weight": [e, e], "attn.c_proj.bias": [e], "ln_2.weight": [e], "ln_2.bias": [e],
                 "mlp.c_fc.weight": [e, 4 * e], "mlp.c_fc.bias": [4 * e],
                 "mlp.c_proj.weight": [4 * e, e], "mlp.c_proj.bias": [e]}
    shapes = {"wte.weight": [v, e], "wpe.weight": [p, e], "ln_f.weight": [e], "ln_f.bias": [e]}
    for i in range(cfg["n_layer"]):
        shapes.update({f"h.{i}.{k}": s for k, s in per_layer.items()})
    return shapes


def layer_norm(x, weight, bias, eps):
    """(x - mean) / sqrt(biased variance + eps) * weight + bias, over the last dimension."""
    mean = x.mean(dim=-1, keepdim=True)
    centred = x - mean
    var = (centred * centred).mean(dim=-1, keepdim=True)
    return centred / torch.sqrt(var + eps) * weight + bias


def layer_norm_statistics(x, eps):
    """{"mean", "variance", "std"} of each row of x as layer_norm uses them: the variance
    without Bessel's correction (divided by n_embd), std = sqrt(variance + eps)."""
    mean = x.mean(dim=-1)
    centred = x - mean.unsqueeze(-1)
    var = (centred * centred).mean(dim=-1)
    return {"mean": mean, "variance": var, "std": torch.sqrt(var + eps)}


def gelu_tanh(x):
    """GELU, GPT-2's tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))."""
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x * x * x)))


def softmax_rows(x):
    """exp(x - row max) / row sum; a -inf entry gets weight 0."""
    shifted = x - x.max(dim=-1, keepdim=True).values
    e = torch.exp(shifted)
    return e / e.sum(dim=-1, keepdim=True)


class GPT2:
    def __init__(self, config, weights, dtype=torch.float32):
        """config: config.json's dict; weights: {name without prefix: tensor}. Computes in `dtype`."""
        self.cfg = config
        self.n_layer, self.n_head, self.n_embd = config["n_layer"], config["n_head"], config["n_embd"]
        self.eps = config.get("layer_norm_epsilon", 1e-5)
        if self.n_embd % self.n_head:
            raise ValueError(f"n_embd {self.n_embd} is not a multiple of n_head {self.n_head}")
        self.head_dim = self.n_embd // self.n_head
        shapes = weight_shapes(config)
        self.w = {}
        for name, shape in shapes.items():
            if name not in weights:
                raise KeyError(f"missing weight {name}")
            if list(weights[name].shape) != shape:
                raise ValueError(f"{name}: shape {list(weights[name].shape)}, config says {shape}")
            self.w[name] = weights[name].to(dtype)
        self.dtype = dtype

    def attention(self, a, i):
        """One layer's attention on its ln_1 output a (n x n_embd), head by head, every stage."""
        n, e, hd = a.shape[0], self.n_embd, self.head_dim
        w, b = self.w[f"h.{i}.attn.c_attn.weight"], self.w[f"h.{i}.attn.c_attn.bias"]
        future = torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)
        heads = []
        for j in range(self.n_head):
            cols = [slice(part * e + j * hd, part * e + (j + 1) * hd) for part in range(3)]
            W_query, W_key, W_value = (w[:, c] for c in cols)
            b_query, b_key, b_value = (b[c] for c in cols)
            q, k, v = a @ W_query + b_query, a @ W_key + b_key, a @ W_value + b_value
            scores = q @ k.T
            scale = math.sqrt(hd)
            scaled = scores / scale
            masked = scaled.masked_fill(future, -math.inf)
            weights = softmax_rows(masked)
            heads.append({"W_query": W_query, "W_key": W_key, "W_value": W_value,
                          "b_query": b_query, "b_key": b_key, "b_value": b_value,
                          "queries": q, "keys": k, "values": v, "scale": scale, "scores": scores,
                          "scaled_scores": scaled, "masked_scores": masked, "weights": weights,
                          "context": weights @ v})
        concatenated = torch.cat([h["context"] for h in heads], dim=-1)
        out = concatenated @ self.w[f"h.{i}.attn.c_proj.weight"] + self.w[f"h.{i}.attn.c_proj.bias"]
        return heads, concatenated, out

    def forward(self, ids, positions=True):
        """Every stage for the token ids `ids` (a list of ints): a dict with "embeddings",
        "layers" (one dict a block), "ln_f", "logits", "probabilities" (n x vocab).
        positions=False leaves out the position embeddings (attn-explain --no-positions)."""
        n = len(ids)
        if n == 0 or n > self.cfg["n_positions"]:
            raise ValueError(f"{n} tokens; the model takes 1 to {self.cfg['n_positions']}")
        idx = torch.tensor(ids, dtype=torch.long)
        h = self.w["wte.weight"][idx]
        if positions:
            h = h + self.w["wpe.weight"][:n]
        out = {"embeddings": h, "layers": []}
        for i in range(self.n_layer):
            p = f"h.{i}."
            a = layer_norm(h, self.w[p + "ln_1.weight"], self.w[p + "ln_1.bias"], self.eps)
            heads, concatenated, attn = self.attention(a, i)
            after_attn = h + attn
            m_in = layer_norm(after_attn, self.w[p + "ln_2.weight"], self.w[p + "ln_2.bias"], self.eps)
            fc = m_in @ self.w[p + "mlp.c_fc.weight"] + self.w[p + "mlp.c_fc.bias"]
            act = gelu_tanh(fc)
            mlp = act @ self.w[p + "mlp.c_proj.weight"] + self.w[p + "mlp.c_proj.bias"]
            block_out = after_attn + mlp
            out["layers"].append({"input": h, "ln_1": a, "heads": heads, "concatenated": concatenated,
                                  "output": attn, "after_attn": after_attn, "ln_2": m_in, "fc": fc,
                                  "gelu": act, "mlp": mlp, "block_output": block_out})
            h = block_out
        final = layer_norm(h, self.w["ln_f.weight"], self.w["ln_f.bias"], self.eps)
        logits = final @ self.w["wte.weight"].T
        out.update(ln_f=final, logits=logits, probabilities=softmax_rows(logits))
        return out

    def lens(self, out, temperature=1.0):
        """The logit lens of a forward's stages: (n_layer + 1) x n x vocab probabilities,
        softmax(ln_f(h) @ wte^T / T) of the embeddings (entry 0) and of each block's output."""
        streams = torch.stack([out["embeddings"]] + [st["block_output"] for st in out["layers"]])
        final = layer_norm(streams, self.w["ln_f.weight"], self.w["ln_f.bias"], self.eps)
        return softmax_rows(final @ self.w["wte.weight"].T / temperature)


def strip_prefix(weights):
    """Hugging Face's names without a leading "transformer." (GPT2LMHeadModel's checkpoints have it)."""
    out = {}
    for name, t in weights.items():
        out[name[len("transformer."):] if name.startswith("transformer.") else name] = t
    return out


def load_checkpoint(model_dir, dtype=torch.float32):
    """(config dict, GPT2) from a folder with config.json and model.safetensors."""
    with open(os.path.join(model_dir, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    weights = strip_prefix(safetensors_io.read(os.path.join(model_dir, "model.safetensors")))
    return config, GPT2(config, weights, dtype)
