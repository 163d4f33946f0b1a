#!/usr/bin/env python3
"""A sentence the bundled texts quote as a document's is in that document (issue 23, item 2).

usage: check_quotations.py REPO [SEEDS_DIR]

data/documents/sentences.json lists each seed document's example sentences and the names
the texts call it by ("RustGPT", "explainer", "workshop", "seed 001", ...). This checks:

1. each listed sentence (its 'as_written' spelling when given) is in its seed file, when
   the seed files are at hand (SEEDS_DIR, else REPO/../shared/seeds, else
   /work/shared/seeds; skipped, and said so, when none is);
2. in every lesson (its title, summary and source, and each step's title and lines),
   exercise (title, task, hints, source) and Markdown file (README.md, docs/*.md: each
   paragraph, list item or table row, under its headings' general words too), a unit of
   text that names a document, or speaks of the documents' or seed sentences in general,
   quotes as a sentence ("..." or “...”, a capital and three words or more) only that
   document's sentences (any document's, for the general words), up to the final stop;
   unless the unit says the sentence is not the document's ("our own", "not the
   document's", "none of the documents", "not in the document"). A document's own title
   in quotes is not a sentence.
3. a lesson or exercise whose "source" names one document with example sentences runs
   one of them as its main sentence.
Stdlib only.
"""
import glob
import json
import os
import re
import sys

GENERAL = re.compile(r"seed sentence|documents' (own )?sentence|document's (own )?(example|sentence)", re.I)
DISOWNED = re.compile(r"our own|not the document|none of the documents|not in the document|not a document", re.I)
QUOTE = re.compile(r"[\"“”]")


def norm(sentence):
    return sentence.strip().rstrip(".?!").strip()


def quotations(text):
    """The sentence-like quotations of a text: quote marks paired in order."""
    marks = [m.start() for m in QUOTE.finditer(text)]
    out = []
    for a, b in zip(marks[0::2], marks[1::2]):
        inner = text[a + 1:b].strip()
        if re.match(r"^[A-Z]", inner) and len(inner.split()) >= 3 and not inner.startswith("attn-explain"):
            out.append(inner)
    return out


def named(text, documents):
    return [d for d in documents if any(n.lower() in text.lower() for n in d["names"])]


def check_unit(where, text, documents, failures, context=""):
    docs = named(text, documents)
    general = bool(GENERAL.search(text + " " + context))  # a heading speaks for its section in general words only
    if not docs and not general:
        return
    pool = docs if docs else documents
    allowed = {norm(s["sentence"]) for d in pool for s in d["sentences"]}
    for q in quotations(text):
        titles = " ".join(d["title"] + " " + " ".join(d["names"]) for d in documents)
        if norm(q) in allowed or DISOWNED.search(text) or q in titles:
            continue
        names = ", ".join(d["title"] for d in docs) if docs else "the documents"
        failures.append(f"{where}: quotes \"{q}\" as {names}'s, which is not one of its sentences")


def markdown_units(path):
    """(unit text, the headings above it) for each paragraph, list item or table row."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    units, current, headings, fenced = [], [], {}, False

    def flush():
        if current:
            units.append((" ".join(current), " ".join(headings[k] for k in sorted(headings))))
            current.clear()

    for line in lines:
        if line.startswith("```"):
            flush()
            fenced = not fenced
            continue
        if fenced:
            continue
        m = re.match(r"^(#+) (.*)", line)
        if m:
            flush()
            level = len(m.group(1))
            headings = {k: v for k, v in headings.items() if k < level}
            headings[level] = m.group(2)
            continue
        if not line.strip() or re.match(r"^\s*([-*] |\d+\. |\|)", line):
            flush()
        if line.strip():
            current.append(line.strip())
    flush()
    return units


def main(argv):
    repo = argv[0]
    with open(os.path.join(repo, "data", "documents", "sentences.json"), encoding="utf-8") as f:
        documents = json.load(f)["documents"]
    failures = []

    seeds = next((d for d in [*(argv[1:2]), os.path.join(repo, "..", "shared", "seeds"), "/work/shared/seeds"]
                  if os.path.isdir(d)), None)
    if seeds:
        for d in documents:
            with open(os.path.join(seeds, d["seed"]), encoding="utf-8", errors="replace") as f:
                text = f.read()
            for s in d["sentences"]:
                if s.get("as_written", s["sentence"]) not in text:
                    failures.append(f"sentences.json: \"{s['sentence']}\" is not in {d['seed']}")
    else:
        print("note: no seed documents at hand; the listed sentences are not checked against them")

    for path in sorted(glob.glob(os.path.join(repo, "data", "lessons", "*.json"))):
        with open(path, encoding="utf-8") as f:
            lesson = json.load(f)
        name = os.path.relpath(path, repo)
        head = " ".join([lesson["title"], lesson.get("summary", ""), lesson["source"]])
        check_unit(name, head, documents, failures)
        for i, step in enumerate(lesson["steps"]):
            check_unit(f"{name}: step {i + 1}", " ".join([step["title"], *step.get("say", [])]), documents, failures)
        check_run(name, lesson["source"], lesson.get("run", {}).get("sentence"), documents, failures)
    for path in sorted(glob.glob(os.path.join(repo, "data", "exercises", "*.json"))):
        with open(path, encoding="utf-8") as f:
            ex = json.load(f)
        name = os.path.relpath(path, repo)
        text = " ".join([ex["title"], *ex["task"], *ex["hints"], ex["source"]])
        check_unit(name, text, documents, failures)
        check_run(name, ex["source"], ex.get("run", {}).get("sentence"), documents, failures)
    for path in [os.path.join(repo, "README.md"), *sorted(glob.glob(os.path.join(repo, "docs", "*.md")))]:
        for text, context in markdown_units(path):
            check_unit(os.path.relpath(path, repo), text, documents, failures, context)

    for line in failures:
        print(f"FAIL {line}")
    if not failures:
        print("ok: every sentence quoted as a document's is in it")
    return 1 if failures else 0


def check_run(where, source, sentence, documents, failures):
    docs = [d for d in named(source, documents) if d["sentences"]]
    if sentence is None or len(docs) != 1 or "demo model" in source:
        return
    if norm(sentence) not in {norm(s["sentence"]) for s in docs[0]["sentences"]}:
        failures.append(f"{where}: its source is {docs[0]['title']}, but it runs \"{sentence}\", not one of its sentences")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
