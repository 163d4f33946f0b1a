#!/usr/bin/python3
"""Check that docs/errors.md documents every error message the program can throw.

Usage: check_errors.py SOURCE_DIR

Reads every `DataError(`, `UsageError(` and `OptionError(` in SOURCE_DIR/src/**/*.cpp
and src/**/*.hpp (comments and string contents are skipped when looking for them) and
takes the message (an OptionError's second argument, after its key): the first string literal, or, when that argument is a
fmt::format(...) call, its format string. Adjacent string literals are joined, as
the compiler joins them. Escapes (\\" \\n ...) are decoded; `{{` and `}}` in a
format string become `{` and `}`.

A message's literal parts must appear in docs/errors.md in order, within one line:
every `{}` / `{:...}` / `{0}` placeholder of a format string, and everything after
a literal that is joined with `+` to a variable (e.g. `path.string() + ": no such
file"`), is a wildcard that matches any text, so the doc may write `<file>` or
`<n>` there. A throw whose message is not a literal at all (`UsageError(e.what())`)
is listed as "passed through" and not checked.

Prints the number of throw sites found and each undocumented message with its
file:line. Exit status 1 when a message is undocumented or fewer than MIN_THROWS
throw sites were found (the extraction is broken); 2 on bad usage.
"""

import glob
import os
import re
import sys

MIN_THROWS = 50
DOC = "docs/errors.md"
CALL = re.compile(r"\b(DataError|UsageError|OptionError)\s*\(")


def blank_comments(text):
    """The text with comments replaced by spaces (line numbers kept); strings untouched."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == '"' or c == "'":
            j = skip_literal(text, i)
            out.append(text[i:j])
            i = j
        elif text.startswith('R"', i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            j = skip_raw(text, i)
            out.append(text[i:j])
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def skip_literal(text, i):
    """The index after the quoted literal starting at text[i]."""
    quote = text[i]
    j = i + 1
    while j < len(text) and text[j] != quote:
        j += 2 if text[j] == "\\" else 1
    return j + 1


def skip_raw(text, i):
    """The index after the raw string R"delim(...)delim" starting at text[i]."""
    open_paren = text.index("(", i)
    delim = text[i + 2:open_paren]
    return text.index(")" + delim + '"', open_paren) + len(delim) + 2


def decode(body):
    """A C++ string literal's body, unescaped."""
    simple = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'", "0": "\0", "r": "\r"}
    return re.sub(r"\\(.)", lambda m: simple.get(m.group(1), m.group(1)), body)


def first_argument(text, start):
    """The text of the call's first argument; `start` is just after the '('."""
    depth, i = 0, start
    while i < len(text):
        c = text[i]
        if c in "\"'":
            i = skip_literal(text, i)
            continue
        if text.startswith('R"', i):
            i = skip_raw(text, i)
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                return text[start:i]
            depth -= 1
        elif c == "," and depth == 0:
            return text[start:i]
        i += 1
    return text[start:]


def literals_at(text, i):
    """Adjacent string literals starting at text[i] (after white space), joined; and the end."""
    parts = []
    while True:
        m = re.compile(r"\s*").match(text, i)
        i = m.end()
        if i < len(text) and text[i] == '"':
            j = skip_literal(text, i)
            parts.append(decode(text[i + 1:j - 1]))
            i = j
        else:
            return ("".join(parts) if parts else None), i


def message_pattern(argument):
    """The message's literal parts (a list, wildcards between them), or None when it has none."""
    arg = argument.strip()
    m = re.match(r"(?:fmt::)?format\s*\(", arg)
    if m:
        fmt_string, _ = literals_at(arg, m.end())
        if fmt_string is None:
            return None
        fmt_string = fmt_string.replace("{{", "\x01").replace("}}", "\x02")
        pieces = re.split(r"\{[^{}]*\}", fmt_string)
        return [p.replace("\x01", "{").replace("\x02", "}") for p in pieces]
    # A concatenation: literals joined with + to other expressions; each run of
    # adjacent literals is a literal part, anything else a wildcard.
    pieces, i, last_was_literal = [], 0, False
    while i < len(arg):
        lit, j = literals_at(arg, i)
        if lit is not None:
            pieces.append(lit)
            i, last_was_literal = j, True
            continue
        # skip one non-literal operand up to the next top-level '+'
        depth = 0
        while i < len(arg):
            c = arg[i]
            if c in "\"'":
                if depth == 0 and c == '"':
                    break  # a literal operand starts (cannot happen without a '+' before it)
                i = skip_literal(arg, i)
                continue
            if c in "([{":
                depth += 1
            elif c in ")]}":
                depth -= 1
            elif c == "+" and depth == 0:
                break
            i += 1
        if i < len(arg) and arg[i] == "+":
            i += 1
        if last_was_literal or not pieces:
            pieces.append(None)  # a wildcard
        last_was_literal = False
    literal = [p for p in pieces if p is not None]
    if not literal:
        return None
    # Collapse to literal parts with wildcards between (None marks kept as splits).
    parts, current = [], None
    for p in pieces:
        if p is None:
            parts.append(current or "")
            current = None
        else:
            current = (current or "") + p
    parts.append(current or "")
    return parts


def find_throws(source_dir):
    """[(file, line, kind, parts or None, argument text)] for every throw site."""
    found = []
    files = sorted(glob.glob(os.path.join(source_dir, "src", "**", "*.cpp"), recursive=True) + glob.glob(os.path.join(source_dir, "src", "**", "*.hpp"), recursive=True))
    for path in files:
        with open(path, encoding="utf-8") as f:
            text = blank_comments(f.read())
        for m in CALL.finditer(text):
            # Only string contents are skipped by the match: make sure we are not inside a literal.
            line_start = text.rfind("\n", 0, m.start()) + 1
            if text[line_start:m.start()].count('"') % 2 == 1:
                continue
            argument = first_argument(text, m.end())
            if m.group(1) == "OptionError":
                # OptionError(key, message, hint): the message is the second argument.
                argument = first_argument(text, m.end() + len(argument) + 1)
            if not argument.strip():
                continue  # a declaration such as `DataError()` would land here; there is none
            line = text.count("\n", 0, m.start()) + 1
            found.append((os.path.relpath(path, source_dir), line, m.group(1), message_pattern(argument), argument))
    return found


def documented(parts, doc_lines):
    """Whether one line of the doc holds the literal parts in order."""
    needles = [p for p in parts if p.strip()]
    if not needles:
        return True
    for line in doc_lines:
        at = 0
        for k, needle in enumerate(needles):
            # The first part anchors the message; the doc's placeholders sit between parts.
            hit = line.find(needle, at)
            if hit < 0:
                break
            at = hit + len(needle)
        else:
            return True
    return False


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    source_dir = argv[1]
    with open(os.path.join(source_dir, DOC), encoding="utf-8") as f:
        # Backticks and the markdown escapes of | are not part of a message.
        doc_lines = [line.replace("\\|", "|") for line in f.read().split("\n")]
    throws = find_throws(source_dir)
    missing, passed = [], []
    for path, line, kind, parts, argument in throws:
        if parts is None:
            passed.append(f"{path}:{line}: {kind}({' '.join(argument.split())[:60]})")
        elif not documented(parts, doc_lines):
            missing.append(f"{path}:{line}: {kind}: " + "<...>".join(parts))
    print(f"{len(throws)} DataError/UsageError throw sites in src/, {len(throws) - len(passed)} with a literal message, "
          f"{len(passed)} passing another message through")
    for p in passed:
        print(f"  passed through (not checked): {p}")
    if len(throws) < MIN_THROWS:
        print(f"FAIL: only {len(throws)} throw sites found, expected at least {MIN_THROWS}: the extraction is broken")
        return 1
    if missing:
        print(f"FAIL: {len(missing)} message(s) not in {DOC} (write each on one line, placeholders as <name>):")
        for m in missing:
            print(f"  {m}")
        return 1
    print(f"every message is documented in {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
