#!/usr/bin/python3
"""Check the SVG heatmap of real runs against their traces (issue 13, item 2),
and that `render TRACE.json` draws a saved run again byte for byte (item 3).

Usage: check_svg.py BINARY WORK_DIR

For each run below, writes the SVG with `--svg` and the trace with `--trace`
in the same run, then checks that the SVG parses as XML (xml.etree), is an
<svg> in the SVG namespace with a <title>, holds no reference to anything
outside itself (no href or src), has one panel per head and n x n cells per
panel in row order, and that each cell's data-value is the trace's weight
printed to the run's precision (the float32 value, rounded as printf rounds).
Then `render` on the trace must give the same SVG bytes (`--svg`), the same
HTML page bytes (`--html`) and the same tables on stdout as the run printed.
Exit status 1 on the first failure, with what differed.
"""

import json
import os
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"

RUNS = [
    ["How are you doing?"],
    ["--heads", "3", "--projection", "rand", "--causal", "The dog chased the ball, and it rolled away."],
    ["--precision", "2", "-e", "journey.json", "Your journey starts with one step"],
    ["--multihead", "split", "--heads", "2", "--d-out", "4", "--projection", "rand", "--dropout", "0.5", "Mary had a little lamb"],
]


def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


def printed(x, precision):
    s = "%.*f" % (precision, f32(x))
    return s[1:] if s.startswith("-") and s.strip("-0.") == "" else s


def fail(message):
    print("check_svg: " + message)
    sys.exit(1)


def check(binary, work, args, number):
    svg_path = os.path.join(work, "run%d.svg" % number)
    trace_path = os.path.join(work, "run%d.json" % number)
    env = dict(os.environ, NO_COLOR="1")
    html_path = os.path.join(work, "run%d.html" % number)
    run = subprocess.run([binary, "--svg", svg_path, "--html", html_path, "--trace", trace_path] + args,
                         capture_output=True, env=env)
    if run.returncode != 0:
        fail("%s: exit %d: %s" % (args, run.returncode, run.stderr))
    again = os.path.join(work, "again%d.svg" % number)
    display = [a for k, a in enumerate(args) if a == "--precision" or (k > 0 and args[k - 1] == "--precision")]
    drawn = subprocess.run([binary, "render", trace_path, "--svg", again] + display, capture_output=True, env=env)
    if drawn.returncode != 0 or open(again, "rb").read() != open(svg_path, "rb").read():
        fail("%s: render --svg does not give the run's SVG bytes (exit %d)" % (args, drawn.returncode))
    page = os.path.join(work, "again%d.html" % number)
    drawn = subprocess.run([binary, "render", trace_path, "--html", page] + display, capture_output=True, env=env)
    if drawn.returncode != 0 or open(page, "rb").read() != open(html_path, "rb").read():
        fail("%s: render --html does not give the run's page bytes (exit %d)" % (args, drawn.returncode))
    tables = subprocess.run([binary, "render", trace_path] + display, capture_output=True, env=env)
    if tables.returncode != 0 or tables.stdout != run.stdout:
        fail("%s: render prints other tables than the run (exit %d)" % (args, tables.returncode))
    precision = int(args[args.index("--precision") + 1]) if "--precision" in args else 4
    trace = json.load(open(trace_path, encoding="utf-8"))
    text = open(svg_path, encoding="utf-8").read()
    root = ET.fromstring(text)
    if root.tag != SVG + "svg":
        fail("%s: the root is %s, not svg" % (args, root.tag))
    if root.find(SVG + "title") is None:
        fail("%s: no <title>" % args)
    for element in root.iter():
        for name in element.attrib:
            if name.endswith("href") or name == "src":
                fail("%s: <%s %s=...> refers outside the file" % (args, element.tag, name))
    panels = [g for g in root.iter(SVG + "g") if g.get("class") == "panel"]
    heads = trace["heads"]
    if len(panels) != len(heads):
        fail("%s: %d panels for %d heads" % (args, len(panels), len(heads)))
    n = len(trace["tokens"])
    for h, (panel, head) in enumerate(zip(panels, heads)):
        cells = [r for r in panel.iter(SVG + "rect") if r.get("class") == "cell"]
        if len(cells) != n * n:
            fail("%s: head %d has %d cells, expected %d" % (args, h + 1, len(cells), n * n))
        for k, cell in enumerate(cells):
            i, j = divmod(k, n)
            want = printed(head["weights"][i][j], precision)
            got = (cell.get("data-row"), cell.get("data-col"), cell.get("data-value"))
            if got != (str(i + 1), str(j + 1), want):
                fail("%s: head %d cell %d holds %s, expected row %d col %d value %s" % (args, h + 1, k, got, i + 1, j + 1, want))
    return n * n * len(heads)


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    binary, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    cells = sum(check(binary, work, args, k) for k, args in enumerate(RUNS))
    print("check_svg: %d runs, %d cells, every one the trace's weight" % (len(RUNS), cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
