#!/usr/bin/env python3
"""The listings docs/chapter3.md maps to commands print what the book prints.

usage: check_chapter3_map.py BINARY SOURCE_DIR

Reads the table of docs/chapter3.md (| chapter | what it builds | OPTIONS |), runs
the OPTIONS of each row named below on the book's example with --json, and
compares the context vectors with the rows the book prints for that listing, to
its four decimals. The expected numbers are the book's (Raschka, "Build a Large
Language Model (From Scratch)", ch. 3.4.2: the outputs of SelfAttention_v1 after
torch.manual_seed(123) and of SelfAttention_v2 after torch.manual_seed(789)),
never this program's own output. Standard library only.
"""
import json
import re
import shlex
import subprocess
import sys

BOOK = "Your journey starts with one step"

# Listing (as the table's "what it builds" column starts) → rows the book prints.
EXPECTED = {
    "`SelfAttention_v1`": [[0.2996, 0.8053], [0.3061, 0.8210]],
    "`SelfAttention_v2`": [[-0.0739, 0.0713], [-0.0748, 0.0703]],
}


def table_rows(markdown):
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("3."):
            yield cells


def main():
    binary, source_dir = sys.argv[1], sys.argv[2]
    doc = open(f"{source_dir}/docs/chapter3.md", encoding="utf-8").read()
    failed = passed = 0
    for listing, rows in EXPECTED.items():
        found = [r for r in table_rows(doc) if r[1].startswith(listing)]
        if len(found) != 1:
            print(f"FAIL {listing}: {len(found)} rows of docs/chapter3.md's table name it, expected 1")
            failed += 1
            continue
        options = shlex.split(re.sub(r"^`|`$", "", found[0][2]))
        args = [binary, "-e", f"{source_dir}/data/journey.json", *options, "--json", BOOK]
        run = subprocess.run(args, capture_output=True, text=True)
        if run.returncode != 0:
            print(f"FAIL {listing}: {' '.join(options)} exited {run.returncode}: {run.stderr.strip()}")
            failed += 1
            continue
        context = json.loads(run.stdout)["heads"][0]["context"]
        got = [[round(x, 4) for x in context[i]] for i in range(len(rows))]
        if got != rows:
            print(f"FAIL {listing}: {' '.join(options)} gives {got}, the book prints {rows}")
            failed += 1
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
