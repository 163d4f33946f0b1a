#!/usr/bin/env python3
"""What the lessons say of the demo model's held-out figures is what the evaluation measured (issue 23, item 4).

usage: check_lesson_figures.py REPO

The evaluation's numbers are the json block of docs/demo-model.md (the test
demo_model_figures_are_measured checks them against scripts/eval_demo.py run with the
binary); the held-out sentences and their templates are data/models/demo/heldout.json.
For every step of a lesson that runs `"model": "demo"`, with the layer and head in force
there, this reads the claims its lines make about held-out templates, named by their
verb in quotes ("fed", "kicked", "walked", "chased", "saw", "threw", "sat", "dropped"):
  - `N of M "verb"` (or `N of M "verb" sentences`): M is the template's held-out count and
    N the sentences where the head's largest weight from "it" is on its noun;
  - `every time for "a", "b" and "c"`, `always ...`: each share is 1;
  - `never for "a" ...`, `none of the "a" ...`: each share is 0.
At least one claim must be found. Stdlib only.
"""
import glob
import json
import os
import re
import sys

MARKER = "<!-- eval_demo.py figures -->"
VERBS = ("fed", "kicked", "walked", "chased", "saw", "threw", "sat", "dropped")


def figures(repo):
    with open(os.path.join(repo, "docs", "demo-model.md"), encoding="utf-8") as f:
        text = f.read()
    m = re.search(re.escape(MARKER) + r"\s*```json\n(.*?)\n```", text, re.S)
    if not m:
        raise SystemExit("docs/demo-model.md: no figures block")
    return json.loads(m.group(1))


def template_of(verb, templates):
    found = [t for t in templates if t.startswith(verb + "_")]
    return found[0] if len(found) == 1 else None


def check_step(where, text, head, counts, failures):
    """The claims of one step's text about `head`'s shares by template; returns how many."""
    shares = head.get("antecedent_share_by_template", {})
    claims = 0
    for n, m, verb in re.findall(r"(\d+) of (\d+) \"(\w+)\"", text):
        template = template_of(verb, shares)
        if template is None:
            continue
        claims += 1
        measured = round(shares[template] * counts[template])
        if int(m) != counts[template] or int(n) != measured:
            failures.append(f"{where}: says {n} of {m} \"{verb}\"; measured {measured} of {counts[template]}")
    for word, want in (("every time for", 1.0), ("always", 1.0), ("never for", 0.0), ("none of the", 0.0)):
        for clause in re.findall(re.escape(word) + r"([^.;]*)", text):
            clause = re.split(r"\band never\b|\bbut\b", clause)[0]
            for verb in re.findall(r"\"(\w+)\"", clause):
                template = template_of(verb, shares) if verb in VERBS else None
                if template is None:
                    continue
                claims += 1
                if shares[template] != want:
                    failures.append(f"{where}: says \"{word}\" \"{verb}\"; the measured share is "
                                    f"{shares[template]:.3f} ({round(shares[template] * counts[template])} of "
                                    f"{counts[template]})")
    return claims


def main(argv):
    repo = argv[0]
    measured = figures(repo)
    heads = {(h["layer"], h["head"]): h for h in measured["heads"]}
    with open(os.path.join(repo, "data", "models", "demo", "heldout.json"), encoding="utf-8") as f:
        heldout = json.load(f)
    counts = {}
    for s in heldout:
        counts[s["template"]] = counts.get(s["template"], 0) + 1
    failures, claims = [], 0
    for path in sorted(glob.glob(os.path.join(repo, "data", "lessons", "*.json"))):
        with open(path, encoding="utf-8") as f:
            lesson = json.load(f)
        run = dict(lesson.get("run", {}))
        for i, step in enumerate(lesson["steps"]):
            run.update(step.get("run", {}))
            if run.get("model") != "demo":
                continue
            head = heads[(run.get("layer", 1), run.get("head", 1))]
            text = " ".join(step.get("say", []))
            claims += check_step(f"{os.path.relpath(path, repo)}: step {i + 1}", text, head, counts, failures)
    if claims == 0:
        failures.append("no claim about the held-out figures found in the lessons")
    for line in failures:
        print(f"FAIL {line}")
    if not failures:
        print(f"ok: the lessons' {claims} claims about held-out figures are the evaluation's")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
