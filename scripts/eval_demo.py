#!/usr/bin/env python3
"""What the bundled demo model learned, measured with the binary on held-out sentences (issues 15 and 28).

usage: eval_demo.py BINARY [--model demo|DIR] [--heldout FILE] [--out FILE] [--write FILE] [--jobs N]
                           [--processes]

For every sentence of the model's heldout.json (templates and template-noun pairs the training
never saw; see scripts/train_demo.py) this asks the binary (the program learners use, not
PyTorch) for the trace of `--model MODEL --layer all --json SENTENCE` and reads every head's attention weights
(layer_weights[layer][head], n x n). Per layer x head it reports
  antecedent_share      the share of sentences whose pronoun row ("it") puts its largest weight
                        on the antecedent's token (ties: the first largest counts);
  previous_token_share  the share of rows i >= 1 (every row of every sentence but the first)
                        whose largest weight is on token i - 1.
Then the next-token accuracy, with the binary too: for every STRIDE-th sentence (default 3: the
sentences are sorted, so every template is sampled) and every position i >= 1, the binary is run
on the first i tokens (`--layer 1 --top 1 --json`) and its most likely next token is compared with
token i; and, for every sentence, at the token after the pronoun (what "it" did), where the
antecedent decides the answer. For scale, baseline_fixed_offset is the share a head would reach by always
looking the same number of tokens back (the best such number). (A run of the binary gives the next token of its last position
only, hence one run a prefix, and the stride to keep the test under a few minutes.) Writes the figures as JSON to FILE (standard output by default); they are
deterministic. Stdlib only.

--write FILE also measures the two shares of every head on every training snapshot the model's
snapshots.json lists (scripts/train_demo.py: snapshots/step-N.safetensors, the last one
model.safetensors), and writes them to FILE (data/models/demo/evaluation.json for the bundled
model): {"about", "baseline_fixed_offset": the best fixed offset's share, "snapshots": [{"step",
"heads": [[{"antecedent_share", "previous_token_share"} a head] a layer]}]}, shares rounded to 3
decimals, in snapshots.json's order. Each snapshot is run as a GPT-2 folder of its own: a temporary
folder of symbolic links to the model's config.json, vocab.json and merges.txt and to the snapshot's
weights as model.safetensors.

The questions go to one `BINARY serve` on 127.0.0.1 (each model opened once, a folder given with
`serve --model DIR` and asked for by its folder's name; its /api/trace is the command line's --json
byte for byte, which tests/serve/check_serve.py asserts): about 2,000 runs take seconds instead of a
process each. --processes runs one `BINARY ... --json` process a question instead, as a learner
would type it; the figures are the same.
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Processes:
    """One `BINARY ... --json SENTENCE` process a question; a model's name is mapped to its folder."""

    def __init__(self, binary, folders=()):
        self.binary = binary
        self.folders = {os.path.basename(os.path.normpath(f)): f for f in folders}

    def trace(self, sentence, options):
        if options.get("model") in self.folders:
            options = dict(options, model=self.folders[options["model"]])
        args = [f"--{k}={v}" for k, v in options.items()] + ["--json", "--", sentence]
        out = subprocess.run([self.binary] + args, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise SystemExit(f"{self.binary} {' '.join(args)}: exit {out.returncode}: {out.stderr.strip()}")
        return json.loads(out.stdout)

    def close(self):
        pass


class Served:
    """One `BINARY serve` on a free port of 127.0.0.1; a question is a GET of /api/trace. The
    folders are given to serve at its start (`--model DIR`), each asked for by its folder's name."""

    def __init__(self, binary, jobs, folders=()):
        models = [arg for folder in folders for arg in ("--model", folder)]
        self.proc = subprocess.Popen([binary, "serve", "--port", "0", "--jobs", str(jobs)] + models,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self.close()
            raise SystemExit(f"{binary} serve printed {self.url!r}, not its address")

    def trace(self, sentence, options):
        query = urllib.parse.urlencode({"sentence": sentence, **options})
        for attempt in range(100):  # 503: every worker busy; bounded retries
            try:
                with urllib.request.urlopen(f"{self.url}api/trace?{query}", timeout=120) as answer:
                    return json.loads(answer.read())
            except urllib.error.HTTPError as e:
                if e.code != 503:
                    raise SystemExit(f"serve: {sentence!r} {options}: {e.code} {e.read().decode(errors='replace')}")
                time.sleep(0.05 * (attempt + 1))
        raise SystemExit(f"serve: {sentence!r}: still busy after 100 tries")

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def text_of(tokens):
    """The text of GPT-2 token strings (ASCII corpus: the leading-space symbol U+0120 is a space)."""
    return "".join(tokens).replace("\u0120", " ")


def argmax(row, upto):
    best = 0
    for j in range(1, upto + 1):
        if row[j] > row[best]:
            best = j
    return best


def attention_figures(traces, heldout):
    n_layer, n_head = len(traces[0]["layer_weights"]), len(traces[0]["layer_weights"][0])
    heads = []
    for layer in range(n_layer):
        for head in range(n_head):
            hits, prev, rows, by_template = 0, 0, 0, {}
            for trace, item in zip(traces, heldout):
                w = trace["layer_weights"][layer][head]
                p = item["pronoun"]
                hit = argmax(w[p], p) == item["antecedent"]
                hits += hit
                t = by_template.setdefault(item["template"], [0, 0])
                t[0] += hit
                t[1] += 1
                for i in range(1, len(w)):
                    prev += argmax(w[i], i) == i - 1
                    rows += 1
            heads.append({"layer": layer + 1, "head": head + 1, "antecedent_share": hits / len(heldout),
                          "previous_token_share": prev / rows,
                          "antecedent_share_by_template": {k: v[0] / v[1] for k, v in sorted(by_template.items())}})
    return heads


def next_token_figures(runner, model, heldout, jobs, stride):
    tasks = set()
    for s, item in enumerate(heldout):
        tasks.add((s, item["pronoun"] + 1))
        if s % stride == 0:
            tasks.update((s, i) for i in range(1, len(item["tokens"])))
    tasks = sorted(tasks)

    def predict(task):
        s, i = task
        item = heldout[s]
        trace = runner.trace(text_of(item["tokens"][:i]), {"model": model, "layer": "1", "top": "1"})
        if trace["tokens"] and len(trace["token_ids"]) != i:
            raise SystemExit(f"the prefix of {i} tokens of {item['sentence']!r} tokenizes to {len(trace['token_ids'])}")
        return trace["next_tokens"][0]["id"]

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        predicted = list(pool.map(predict, tasks))
    return tasks, predicted


def model_folder(model):
    """The folder of a model argument: a folder as given, else the bundled data/models/NAME."""
    if os.sep in model or os.path.isdir(model):
        return os.path.normpath(model)
    return os.path.join(REPO, "data", "models", model)


def snapshot_folders(model_dir, tmp):
    """[(step, folder)]: one GPT-2 folder a snapshot of model_dir's snapshots.json, made of symbolic
    links in tmp; each folder's name (snapshot-step-N) is the name serve knows it by."""
    with open(os.path.join(model_dir, "snapshots.json"), encoding="utf-8") as f:
        listing = json.load(f)
    out = []
    for snap in listing["snapshots"]:
        folder = os.path.join(tmp, f"snapshot-step-{snap['step']}")
        os.makedirs(folder)
        for name in ("config.json", "vocab.json", "merges.txt"):
            os.symlink(os.path.abspath(os.path.join(model_dir, name)), os.path.join(folder, name))
        os.symlink(os.path.abspath(os.path.join(model_dir, snap["file"])), os.path.join(folder, "model.safetensors"))
        out.append((snap["step"], folder))
    return out


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("binary")
    p.add_argument("--model", default="demo", help="a bundled model's name or a GPT-2 folder")
    p.add_argument("--heldout", help="the held-out sentences (default: the model folder's heldout.json)")
    p.add_argument("--out", help="the final model's figures (default: standard output)")
    p.add_argument("--write", metavar="FILE", help="also every snapshot's head shares, to FILE")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--stride", type=int, default=3)
    p.add_argument("--processes", action="store_true", help="a process a question instead of one serve")
    a = p.parse_args(argv)
    model_dir = model_folder(a.model)
    if a.heldout is None:
        a.heldout = os.path.join(model_dir, "heldout.json")
    tmp = tempfile.mkdtemp(prefix="eval_demo-")
    try:
        snapshots = snapshot_folders(model_dir, tmp) if a.write else []
        folders = [folder for _, folder in snapshots]
        # A folder model is asked for by its folder's name (a bundled one by its own).
        if os.sep in a.model or os.path.isdir(a.model):
            folders.append(model_dir)
            a.name = os.path.basename(model_dir)
        else:
            a.name = a.model
        runner = Processes(a.binary, folders) if a.processes else Served(a.binary, a.jobs, folders)
        try:
            return measure(a, runner, snapshots)
        finally:
            runner.close()
    finally:
        shutil.rmtree(tmp)


def traces_of(runner, model, heldout, jobs):
    """The binary's `--layer all` trace of every held-out sentence, run on the model."""
    def full(item):
        trace = runner.trace(item["sentence"], {"model": model, "layer": "all"})
        if len(trace["token_ids"]) != len(item["tokens"]):
            raise SystemExit(f"{item['sentence']!r}: {len(trace['token_ids'])} tokens, heldout.json has "
                             f"{len(item['tokens'])}")
        return trace

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(full, heldout))


def fixed_offset_baseline(heldout):
    """(k, share): the number of tokens back from "it" that is most often the antecedent, and how often."""
    offsets = {}
    for item in heldout:
        k = item["pronoun"] - item["antecedent"]
        offsets[k] = offsets.get(k, 0) + 1
    k_best = min(offsets, key=lambda k: (-offsets[k], k))
    return k_best, offsets[k_best] / len(heldout)


def snapshot_evaluation(runner, snapshots, heldout, jobs):
    """evaluation.json's content: every snapshot's heads, layer by layer, shares rounded to 3 decimals."""
    out = []
    for step, folder in snapshots:
        heads = attention_figures(traces_of(runner, os.path.basename(folder), heldout, jobs), heldout)
        n_head = max(h["head"] for h in heads)
        layers = [[{"antecedent_share": round(h["antecedent_share"], 3),
                    "previous_token_share": round(h["previous_token_share"], 3)}
                   for h in heads if h["layer"] == layer] for layer in range(1, len(heads) // n_head + 1)]
        out.append({"step": step, "heads": layers})
    return {
        "about": "Every head's antecedent share and previous-token share on the held-out sentences, measured "
                 "with the binary on every training snapshot of snapshots.json by scripts/eval_demo.py.",
        "baseline_fixed_offset": round(fixed_offset_baseline(heldout)[1], 3),
        "snapshots": out,
    }


def evaluation_text(evaluation):
    """evaluation.json's text: JSON, one line a layer of a snapshot."""
    lines = ["{", f' "about": {json.dumps(evaluation["about"])},',
             f' "baseline_fixed_offset": {json.dumps(evaluation["baseline_fixed_offset"])},', ' "snapshots": [']
    for i, snap in enumerate(evaluation["snapshots"]):
        lines.append(f'  {{"step": {snap["step"]}, "heads": [')
        layers = [json.dumps(layer, separators=(", ", ": ")) for layer in snap["heads"]]
        lines += [f"   {layer}," for layer in layers[:-1]] + [f"   {layers[-1]}"]
        lines.append("  ]}" + ("," if i + 1 < len(evaluation["snapshots"]) else ""))
    lines += [" ]", "}"]
    text = "\n".join(lines) + "\n"
    if json.loads(text) != evaluation:
        raise SystemExit("evaluation_text does not round-trip")
    return text


def measure(a, runner, snapshots):
    with open(a.heldout, encoding="utf-8") as f:
        heldout = json.load(f)
    if a.write:
        evaluation = snapshot_evaluation(runner, snapshots, heldout, a.jobs)
        with open(a.write, "w", encoding="utf-8") as f:
            f.write(evaluation_text(evaluation))
    traces = traces_of(runner, a.name, heldout, a.jobs)
    heads = attention_figures(traces, heldout)
    tasks, predicted = next_token_figures(runner, a.name, heldout, a.jobs, a.stride)
    right = [predicted[k] == traces[s]["token_ids"][i] for k, (s, i) in enumerate(tasks)]
    after_it = [r for r, (s, i) in zip(right, tasks) if i == heldout[s]["pronoun"] + 1]
    sampled = [r for r, (s, i) in zip(right, tasks) if s % a.stride == 0]
    k_best, k_share = fixed_offset_baseline(heldout)
    best = max(heads, key=lambda h: (h["antecedent_share"], -h["layer"], -h["head"]))
    prev = max(heads, key=lambda h: (h["previous_token_share"], -h["layer"], -h["head"]))
    result = {
        "model": a.model,
        "heldout_sentences": len(heldout),
        "heads": heads,
        "best_antecedent_head": {"layer": best["layer"], "head": best["head"], "share": best["antecedent_share"]},
        "baseline_fixed_offset": {"tokens_back": k_best, "share": k_share},
        "best_previous_token_head": {"layer": prev["layer"], "head": prev["head"], "share": prev["previous_token_share"]},
        "next_token": {"method": f"binary, --top 1 on every prefix of one held-out sentence in {a.stride}",
                       "positions": len(sampled), "accuracy": sum(sampled) / len(sampled),
                       "after_pronoun_positions": len(after_it), "after_pronoun_accuracy": sum(after_it) / len(after_it)},
    }
    text = json.dumps(result, indent=1) + "\n"
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
