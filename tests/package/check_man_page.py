#!/usr/bin/env python3
"""The man page names every option --help names, command by command.

  check_man_page.py BINARY MAN_PAGE

Runs BINARY --help and BINARY SUBCOMMAND --help for each subcommand --help lists,
takes the option names of each "Options:" block (the first column: "-p,--projection"),
renders MAN_PAGE with `man -l` (man-db, no pager, 200 columns) and checks that each
name heads an item of the right part of the page: the main command's options under
OPTIONS, a subcommand's under its own heading in SUBCOMMANDS. And back: every item
of OPTIONS is an option --help names. Also checks the page has the sections the
issue asks for. Exit 0 when all hold, 1 with one line per finding otherwise.
"""

import os
import re
import subprocess
import sys

SECTIONS = ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "SUBCOMMANDS", "FILES", "ENVIRONMENT",
            "EXIT STATUS", "EXAMPLES"]


def help_text(binary, *args):
    out = subprocess.run([binary, *args, "--help"], capture_output=True, text=True, check=True).stdout
    return out


def block(text, title):
    """The lines of the block that starts with the line `title` and ends at a blank line."""
    lines = text.split("\n")
    if title not in lines:
        return []
    start = lines.index(title) + 1
    end = start
    while end < len(lines) and lines[end].strip():
        end += 1
    return lines[start:end]


def option_names(help_out):
    names = []
    for line in block(help_out, "Options:"):
        first = line.split()[0] if line.startswith("  -") else ""
        names += [n for n in first.split(",") if n.startswith("-")]
    return names


def subcommands(help_out):
    return [line.split()[0] for line in block(help_out, "Subcommands:")]


def render(man_page):
    env = dict(os.environ, MANWIDTH="200", MAN_KEEP_FORMATTING="", LC_ALL="C.UTF-8")
    out = subprocess.run(["man", "-l", "-P", "cat", man_page], capture_output=True, text=True, env=env, check=True)
    return re.sub(r".\x08", "", out.stdout)  # no overstrike, in case


def sections(page):
    """{section title: its text} for the page's top-level sections (lines without indent)."""
    result, current = {}, None
    for line in page.split("\n"):
        if line and not line[0].isspace() and line.upper() == line and not line.startswith("ATTN-EXPLAIN("):
            current = line.strip()
            result[current] = []
        elif current:
            result[current].append(line)
    return {k: "\n".join(v) for k, v in result.items()}


def item_heads(text, indent=7):
    """The names of the option items of a section: lines indented `indent` starting with '-'."""
    heads = set()
    for line in text.split("\n"):
        if len(line) > indent and line[:indent].isspace() and line[indent] == "-":
            head = line[indent:].split("  ")[0]  # "--json Print ..." when the text shares the line
            heads.update(re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", head.split(" ")[0] + " " + " ".join(
                w for w in head.split(" ")[1:] if w.startswith("-"))))
    return heads


def main():
    binary, man_page = sys.argv[1], sys.argv[2]
    page = render(man_page)
    parts = sections(page)
    findings = [f"the man page has no section {s}" for s in SECTIONS if s not in parts]

    main_help = help_text(binary)
    main_names = option_names(main_help)
    if len(main_names) < 20:
        findings.append(f"only {len(main_names)} options read from --help: has its format changed?")
    heads = item_heads(parts.get("OPTIONS", ""))
    findings += [f"OPTIONS: {n} (in --help) is missing" for n in main_names if n not in heads]
    findings += [f"OPTIONS: {n} is not in --help" for n in sorted(heads - set(main_names))]

    # SUBCOMMANDS: "   name" or "   name sub" headings (indent 3), each followed by its items.
    sub_text = parts.get("SUBCOMMANDS", "")
    pieces = re.split(r"^   (\S[^\n]*)$", sub_text, flags=re.M)
    by_name = dict(zip(pieces[1::2], pieces[2::2]))
    names = subcommands(main_help)
    if not names:
        findings.append("no subcommands read from --help")
    pending = [[sub] for sub in names]
    while pending:  # subcommands of subcommands too ("table extract")
        path = pending.pop(0)
        sub = " ".join(path)
        sub_help = help_text(binary, *path)
        pending += [path + [s] for s in subcommands(sub_help)]
        if sub not in by_name:
            findings.append(f"SUBCOMMANDS: no heading for {sub}")
            continue
        sub_heads = item_heads(by_name[sub])
        findings += [f"SUBCOMMANDS {sub}: {n} (in {sub} --help) is missing"
                     for n in option_names(sub_help) if n not in sub_heads]
    for f in findings:
        print(f"check_man_page: {f}")
    print(f"check_man_page: {len(main_names)} options and {len(names)} subcommands checked, "
          f"{len(findings)} findings")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
