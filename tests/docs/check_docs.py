#!/usr/bin/python3
"""Run the `$ attn-explain ...` examples of the documentation and compare their output.

Usage: check_docs.py BINARY SOURCE_DIR [DOC...]

DOC paths are relative to SOURCE_DIR; by default README.md, docs/tutorial.md and docs/demo-model.md.

A checked example is a fenced code block (``` or ~~~ at the start of a line) whose
first line is `$ attn-explain ARGS`. ARGS is split like a shell would (shlex, no
pipes or redirections), `attn-explain` is replaced by BINARY, and the command runs
with the working directory SOURCE_DIR, NO_COLOR=1 and stdin /dev/null. It must exit
with status 0. The remaining lines of the block are compared with its stdout:

- without a line that is exactly `...`: the whole output, line for line;
- with such lines: the block is an excerpt. The chunks between the `...` lines
  (leading and trailing blank lines of each chunk dropped) must each appear in the
  output as consecutive whole lines, in the order of the block.

Trailing white space at the end of a line and blank lines at the end are ignored.
Paths of the bundled tables are made relative to the repository on both sides:
`SOURCE_DIR/data/` and any `.../share/attn-explain/` (an installed copy) become
`data/`, so the documentation can show `data/default.json`.

Prints one line per block, each failure with the document, its line, the command
and a short diff, then "N blocks checked, M failed". Exit status 1 when a block
failed or when docs/tutorial.md has no checked block; 2 on bad usage.
"""

import difflib
import os
import re
import shlex
import subprocess
import sys

DEFAULT_DOCS = ["README.md", "docs/tutorial.md", "docs/demo-model.md"]
REQUIRED_DOC = "docs/tutorial.md"  # must hold at least one checked block
PROMPT = "$ attn-explain "
ELLIPSIS = "..."
TIMEOUT_SECONDS = 120
DIFF_LINES = 30
SHELL_TOKENS = {"|", "||", "&", "&&", ";", ">", ">>", "<", "<<", "2>", "2>&1", "&>"}


class Block:
    def __init__(self, doc, line, command, expected):
        self.doc = doc          # document path, relative to SOURCE_DIR
        self.line = line        # 1-based line of the `$ attn-explain` line
        self.command = command  # the text after "$ "
        self.expected = expected  # the lines after the command line


def find_blocks(doc, text):
    """Fenced blocks whose first line starts with PROMPT."""
    blocks = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        opening = re.match(r"^(`{3,}|~{3,})", lines[i])
        if not opening:
            i += 1
            continue
        fence = opening.group(1)
        closing = re.compile("^" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}\s*$")
        start = i + 1
        j = start
        while j < len(lines) and not closing.match(lines[j]):
            j += 1
        body = lines[start:j]
        if body and body[0].startswith(PROMPT):
            blocks.append(Block(doc, start + 1, body[0][2:].strip(), body[1:]))
        i = j + 1
    return blocks


def make_normaliser(source_dir):
    prefixes = {os.path.join(source_dir, "data") + "/",
                os.path.join(os.path.realpath(source_dir), "data") + "/"}
    # Longest first, so that no prefix is replaced inside a longer one.
    ordered = sorted(prefixes, key=len, reverse=True)
    installed = re.compile(r"[^\s()\[\]{}\"',]*/share/attn-explain/")

    def normalise(line):
        for prefix in ordered:
            line = line.replace(prefix, "data/")
        line = installed.sub("data/", line)
        return line.rstrip()

    return normalise


def trim_blank(lines):
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def short_diff(expected, actual, expected_name, actual_name):
    diff = list(difflib.unified_diff(expected, actual, expected_name, actual_name,
                                     n=1, lineterm=""))
    if len(diff) > DIFF_LINES:
        diff = diff[:DIFF_LINES] + ["    ... ({} more diff lines)".format(len(diff) - DIFF_LINES)]
    return diff


def find_chunk(chunk, actual, start):
    """Index at or after start where chunk occurs as consecutive lines, or -1."""
    n = len(chunk)
    for k in range(start, len(actual) - n + 1):
        if actual[k:k + n] == chunk:
            return k
    return -1


def closest_window(chunk, actual, start):
    """The window of len(chunk) lines at or after start sharing the most lines with chunk."""
    n = len(chunk)
    best, best_score = start, -1
    for k in range(start, max(start, len(actual) - n) + 1):
        window = actual[k:k + n]
        score = sum(1 for a, b in zip(chunk, window) if a == b)
        if score > best_score:
            best, best_score = k, score
    return best


def check_output(block, actual, normalise):
    """A list of message lines; empty when the output matches."""
    expected = [normalise(line) for line in block.expected]
    doc_name = "{}:{}".format(block.doc, block.line)

    if ELLIPSIS not in expected:
        want, got = trim_end(expected), trim_end(actual)
        if want == got:
            return []
        return short_diff(want, got, doc_name, "stdout")

    chunks, current = [], []
    for line in expected:
        if line == ELLIPSIS:
            chunks.append(current)
            current = []
        else:
            current.append(line)
    chunks.append(current)

    position = 0
    for number, raw in enumerate(chunks, 1):
        chunk = trim_blank(raw)
        if not chunk:
            continue
        found = find_chunk(chunk, actual, position)
        if found >= 0:
            position = found + len(chunk)
            continue
        message = ["excerpt chunk {} of {} ({} lines, starting {!r}) is not in stdout{}".format(
            number, len(chunks), len(chunk), chunk[0],
            "" if position == 0 else " after the previous chunk")]
        if find_chunk(chunk, actual, 0) >= 0:
            message.append("(it does occur earlier: the chunks are out of order)")
            return message
        k = closest_window(chunk, actual, position)
        message += short_diff(chunk, actual[k:k + len(chunk)], doc_name,
                              "stdout, lines {}-{}".format(k + 1, k + len(chunk)))
        return message
    return []


def trim_end(lines):
    """The lines without the blank lines at the end."""
    end = len(lines)
    while end > 0 and not lines[end - 1].strip():
        end -= 1
    return lines[:end]


def run_block(block, binary, source_dir, env, normalise):
    """A list of message lines; empty when the block passes."""
    try:
        args = shlex.split(block.command)
    except ValueError as error:
        return ["cannot split the command: {}".format(error)]
    shell = [a for a in args if a in SHELL_TOKENS]
    if shell:
        return ["shell syntax ({}) is not supported in a checked example".format(" ".join(shell))]
    args[0] = binary
    try:
        result = subprocess.run(args, cwd=source_dir, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return ["timed out after {} s".format(TIMEOUT_SECONDS)]
    except OSError as error:
        return ["cannot run {}: {}".format(binary, error)]
    stderr = result.stderr.decode("utf-8", "replace").strip()
    if result.returncode != 0:
        message = ["exit status {} (expected 0)".format(result.returncode)]
        message += ["  stderr: " + line for line in stderr.splitlines()[:10]]
        return message
    stdout = result.stdout.decode("utf-8", "replace")
    actual = [normalise(line) for line in stdout.split("\n")]
    return check_output(block, actual, normalise)


def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    binary = os.path.abspath(argv[1])
    source_dir = os.path.abspath(argv[2])
    docs = argv[3:] or DEFAULT_DOCS
    if not os.access(binary, os.X_OK):
        sys.stderr.write("check_docs: {} is not an executable\n".format(binary))
        return 2
    if not os.path.isdir(source_dir):
        sys.stderr.write("check_docs: {} is not a directory\n".format(source_dir))
        return 2

    env = dict(os.environ)
    env["NO_COLOR"] = "1"
    normalise = make_normaliser(source_dir)

    checked = failed = 0
    problems = []
    for doc in docs:
        path = os.path.join(source_dir, doc)
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except OSError as error:
            problems.append("{}: cannot read: {}".format(doc, error.strerror))
            continue
        blocks = find_blocks(doc, text)
        if doc == REQUIRED_DOC and not blocks:
            problems.append("{}: no `{}` example found".format(doc, PROMPT.strip()))
        for block in blocks:
            checked += 1
            message = run_block(block, binary, source_dir, env, normalise)
            if message:
                failed += 1
                print("FAIL {}:{}  $ {}".format(block.doc, block.line, block.command))
                for line in message:
                    print("    " + line)
            else:
                print("ok   {}:{}  $ {}".format(block.doc, block.line, block.command))

    for problem in problems:
        print("FAIL " + problem)
    print("{} blocks checked, {} failed".format(checked, failed))
    return 1 if failed or problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
