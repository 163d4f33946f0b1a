#!/usr/bin/python3
"""The HTML report (attn-explain --html, lesson --html) in a real browser.

Usage: check_report.py BINARY SOURCE_DIR [--screenshot FILE] [--only TEXT]

--screenshot FILE keeps the screenshot of the first run (docs/report.png is one);
--only TEXT runs only the checks whose name holds TEXT.

For several runs (one head; two split heads with the causal mask and dropout at
3 decimals; the causal mask by renormalisation without scaling; 40 tokens, where
the n x n stages become heatmaps; a hostile sentence and table name; a lesson),
it writes the page with --html and the trace of the same run with --trace, then:

  - reads the file: the Content-Security-Policy is the strict one, and no src or
    href names anything but the page itself or a data: image;
  - opens it in headless Chromium (/usr/bin/chromium, or $CHROMIUM) from file://
    with every host unresolvable, and fails on any console message (a request
    the policy blocked, a script error);
  - reads the DOM back: every stage the trace holds is a table (or, too large for
    one, a heatmap), every number of every table prints the trace's float32 value
    at the run's precision, every cell's colour is the colour scale's (viridis
    over [0, the largest weight] for weights, blue-white-red over [-m, m]
    otherwise), each row's largest weights (every one of a tie) are marked, the
    heatmaps' PNG pixels are the scale's palette entries of the trace's weights,
    the line view's opacities are weight / largest weight, the page's JSON numbers
    are the trace's;
  - points at cells and moves through them with the arrow keys (events sent by a
    script added to a copy of the page), and selects tokens of the line view, and
    checks which popup and which selection each gives;
  - opens cells by #cell=hH-rR-cC and checks the popup's arithmetic line by line
    against the trace: the dot product term by term, the scaling, the exponential,
    the row sum, the division, the causal mask, renormalisation, dropout, with
    "=" or "≈" as exact decimal arithmetic on the printed digits says; and the
    same cell's lines in the focus view (--focus ROW, the C++ arithmetic the
    page's data carries) say the same: its dot product, its row sum, each
    division with the same "=" or "≈";
  - without its script, the page still has its tables, heatmaps and line views
    (headless Chromium cannot dump a page with JavaScript off: the page with its
    <script> element removed stands for it);
  - takes a 1366 x 768 screenshot and finds in it the heatmap's colours (several
    distinct ones, each over many pixels): the page is not blank.

The golden numbers are the trace's (the engine's float32 values, checked against
PyTorch by the oracle tests) and exact decimal arithmetic done here; nothing is
copied from the page under test. Exit status 1 when a check fails (or Chromium is
missing: bash scripts/dev.sh test installs it), 2 on bad usage.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report_checks as rc  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
TIMEOUT = 180
SENTENCE = "The dog chased the ball, and it rolled away."


class Browser:
    """Headless Chromium with a profile of its own and no network."""

    def __init__(self, folder):
        self.profile = os.path.join(folder, "profile")

    def run(self, url, *flags):
        command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                   "--user-data-dir=" + self.profile, "--host-resolver-rules=MAP * ~NOTFOUND",
                   "--enable-logging=stderr", "--v=0", "--no-first-run", "--disable-extensions", *flags, url]
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
        stderr = result.stderr.decode("utf-8", "replace")
        console = [line for line in stderr.splitlines() if ":CONSOLE" in line]
        return result.returncode, result.stdout.decode("utf-8", "replace"), console

    def dom(self, path, fragment="", *flags):
        code, out, console = self.run("file://" + path + fragment, "--dump-dom", *flags)
        return code, out, console

    def screenshot(self, path, png, fragment=""):
        return self.run("file://" + path + fragment, "--screenshot=" + png, "--window-size=1366,768")


def run_binary(binary, source, args):
    result = subprocess.run([binary] + args, cwd=source, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, timeout=TIMEOUT, env=dict(os.environ, NO_COLOR="1"))
    return result.returncode, result.stderr.decode("utf-8", "replace")


def focus_view(binary, source, args, head, row, heads):
    """The text of attn-explain --focus ROW on the same run (one head's): the C++ arithmetic the popups must show."""
    args = [a for a in args if a != "--explain"] + ["--focus", str(row)] + (["--head", str(head)] if heads > 1 else [])
    result = subprocess.run([binary] + args, cwd=source, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, timeout=TIMEOUT, env=dict(os.environ, NO_COLOR="1"))
    return result.stdout.decode("utf-8", "replace")


class Case:
    def __init__(self, name, args, cells=(), screenshot=False, javascript_off=False):
        self.name, self.args, self.cells = name, args, cells
        self.screenshot, self.javascript_off = screenshot, javascript_off


def long_sentence(n):
    words = SENTENCE.replace(",", " ,").replace(".", " .").split()
    return " ".join(words[k % len(words)] for k in range(n))


CASES = [
    Case("one head", ["--embeddings", "data/default.json", SENTENCE], cells=[(1, 8, 5), (1, 1, 1)], screenshot=True, javascript_off=True),
    Case("split heads, causal, dropout, 3 decimals",
         ["--heads", "2", "--multihead", "split", "--projection", "linear", "--d-out", "4", "--causal",
          "--dropout", "0.5", "--precision", "3", "--explain", SENTENCE],
         cells=[(2, 3, 5), (2, 5, 2), (1, 3, 2), (1, 8, 3)]),
    Case("no projection, renormalised causal mask, naive softmax, no scaling",
         ["--projection", "none", "--causal", "--causal-method", "renorm", "--no-scale", "--softmax", "naive", SENTENCE],
         cells=[(1, 4, 2), (1, 2, 6)]),
    Case("sum normalisation, causal, with biases",
         ["--projection", "linear", "--qkv-bias", "--causal", "--softmax", "sum", SENTENCE], cells=[(1, 3, 2), (1, 2, 9)]),
    Case("40 tokens: the n x n stages as heatmaps", [long_sentence(40)], cells=[(1, 40, 5)]),
]


def check_case(case, binary, source, browser, folder, screenshot_out):
    failures = []
    page = os.path.join(folder, re.sub(r"\W+", "-", case.name) + ".html")
    trace_file = page[:-5] + ".json"
    code, stderr = run_binary(binary, source, ["--html", page, "--trace", trace_file] + case.args)
    if code != 0:
        return ["attn-explain exited {}: {}".format(code, stderr.strip())]
    with open(page, encoding="utf-8") as f:
        html = f.read()
    with open(trace_file, encoding="utf-8") as f:
        trace = json.load(f)
    precision = int(case.args[case.args.index("--precision") + 1]) if "--precision" in case.args else 4

    failures += rc.check_static(html)
    code, dumped, console = browser.dom(page)
    if code != 0 or not dumped.strip():
        return failures + ["chromium --dump-dom failed (exit {})".format(code)]
    failures += ["console: " + line for line in console]
    dom = rc.parse_html(dumped)
    failures += rc.check_tables(dom, trace, precision)
    failures += rc.check_heatmaps(dom, trace, precision)
    failures += rc.check_line_views(dom, trace)
    failures += rc.check_numbers(dom, trace, precision)
    for head, row, col in case.cells:
        fragment = "#cell=h{}-r{}-c{}".format(head, row, col)
        code, dumped, console = browser.dom(page, fragment)
        failures += ["console ({}): {}".format(fragment, line) for line in console]
        failures += ["{}: {}".format(fragment, f) for f in rc.check_popup(rc.parse_html(dumped), trace, precision,
                                                                         head - 1, row - 1, col - 1)]
        focus = focus_view(binary, source, case.args, head, row, len(trace["heads"]))
        failures += ["{} against --focus: {}".format(fragment, f)
                     for f in rc.check_popup_against_focus(rc.parse_html(dumped), focus, trace, row - 1, col - 1)]
    if case.screenshot:
        failures += check_pointing(page, html, trace, browser)
    if case.javascript_off:
        # Headless Chromium cannot dump or draw a page with scripts disabled: the
        # page without its script stands for it.
        scriptless = page[:-5] + "-no-script.html"
        with open(scriptless, "w", encoding="utf-8") as f:
            f.write(re.sub(r"<script>.*?</script>", "", html, flags=re.S))
        code, dumped, console = browser.dom(scriptless)
        failures += ["JavaScript off: " + f for f in rc.check_without_script(rc.parse_html(dumped), trace)]
        png = os.path.join(folder, "no-script.png")
        browser.screenshot(scriptless, png)
        failures += ["JavaScript off: " + f for f in (rc.check_screenshot(png, trace) if os.path.exists(png) else ["no screenshot"])]
    if case.screenshot:
        png = os.path.join(folder, "screenshot.png")
        code, _, console = browser.screenshot(page, png, "#cell=h1-r8-c5")
        failures += ["console (screenshot): " + line for line in console]
        if not os.path.exists(png):
            failures.append("no screenshot written (exit {})".format(code))
        else:
            failures += rc.check_screenshot(png, trace)
            if screenshot_out:
                shutil.copyfile(png, screenshot_out)
    return failures


# Events a user's pointer and keyboard would send, sent by a script added to a
# copy of the page after its own: what the popup's title and the line view's
# selection then are, as a JSON list in <body data-probe>.
PROBE = """
(function () {
  var out = [];
  function shown() {
    var p = document.getElementById('attn-popup');
    return p && !p.hidden ? p.querySelector('.t').textContent : 'hidden';
  }
  function key(target, name) { target.dispatchEvent(new KeyboardEvent('keydown', {key: name, bubbles: true})); }
  var table = document.querySelector('table.matrix[data-m="h0.w"]');
  var td = table.tBodies[0].rows[7].cells[5];
  td.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
  out.push(shown());
  table.dispatchEvent(new MouseEvent('mouseleave'));
  out.push(shown());
  td.focus();
  key(td, 'ArrowRight');
  out.push(shown());
  key(document.activeElement, 'Escape');
  out.push(shown());
  var svg = document.querySelector('svg.heatmap[data-m="h0.w"]');
  var geo = svg.getAttribute('data-geo').split(' ').map(Number);
  var pt = svg.createSVGPoint();
  pt.x = geo[0] + geo[2] * 2.5; pt.y = geo[1] + geo[2] * 1.5;
  var at = pt.matrixTransform(svg.getScreenCTM());
  svg.dispatchEvent(new MouseEvent('mousemove', {clientX: at.x, clientY: at.y, bubbles: true}));
  out.push(shown());
  svg.focus();
  key(svg, 'ArrowRight');
  out.push(shown());
  key(svg, 'ArrowDown');
  out.push(shown());
  var lines = document.querySelector('svg.lines');
  key(lines, 'ArrowDown');
  key(lines, 'ArrowDown');
  out.push(Array.prototype.map.call(lines.querySelectorAll('g.q.sel'), function (g) { return g.getAttribute('data-i'); }).join(','));
  lines.querySelectorAll('g.q')[4].dispatchEvent(new MouseEvent('click', {bubbles: true}));
  out.push(Array.prototype.map.call(lines.querySelectorAll('g.q.sel'), function (g) { return g.getAttribute('data-i'); }).join(','));
  document.body.setAttribute('data-probe', JSON.stringify(out));
})();
"""


def with_script(html, script):
    """The page with `script` added after its own, and the page's policy letting it run (its hash added)."""
    added = "<script>" + script + "</script>"
    policy = html.replace("script-src 'sha256-", "script-src '{}' 'sha256-".format("sha256-" + rc.script_hash(script)), 1)
    return policy.replace("</body>", added + "\n</body>")


def check_pointing(page, html, trace, browser):
    """Pointing at and moving through cells by keyboard open their popups; the line view selects by key and click."""
    probed = page[:-5] + "-probe.html"
    with open(probed, "w", encoding="utf-8") as f:
        f.write(with_script(html, PROBE))
    code, dumped, console = browser.dom(probed)
    failures = ["pointing: console: " + line for line in console]
    body = rc.find_all(rc.parse_html(dumped), lambda n: n.tag == "body")
    if not body or "data-probe" not in body[0].attrs:
        return failures + ["pointing: the probe did not run"]
    seen = json.loads(body[0].attrs["data-probe"])
    t = trace["tokens"]
    cell = lambda i, j: '"{}" → "{}": query {}, key {}'.format(t[i], t[j], i + 1, j + 1)  # noqa: E731
    expected = [cell(7, 4), "hidden", cell(7, 5), "hidden", cell(1, 2), cell(1, 3), cell(2, 3), "1", "4"]
    names = ["pointing at a table cell", "leaving the table", "ArrowRight in the table", "Escape",
             "pointing at a heatmap cell", "ArrowRight in the heatmap", "ArrowDown in the heatmap",
             "ArrowDown twice in the line view (selected row)", "a click on a token of the line view"]
    for name, want, got in zip(names, expected, seen):
        if want != got:
            failures.append("pointing: {}: {!r}, expected {!r}".format(name, got, want))
    return failures


def check_hostile(binary, source, browser, folder):
    """A table whose name and a sentence that hold markup: shown as text, never run."""
    table = os.path.join(folder, "hostile.json")
    with open(table, "w", encoding="utf-8") as f:
        json.dump({"name": "</title><script>document.title='pwned'</script><img src=x onerror=alert(1)>",
                   "dim": 2, "vectors": {"a": [1, 0], "b": [0, 1]}}, f)
    page = os.path.join(folder, "hostile.html")
    sentence = "a </script><script>document.body.innerHTML='pwned'</script> b <!-- \"quote\" & 'apos'"
    code, stderr = run_binary(binary, source, ["-e", table, "--html", page, sentence])
    if code != 0:
        return ["hostile: attn-explain exited {}: {}".format(code, stderr.strip())]
    with open(page, encoding="utf-8") as f:
        html = f.read()
    failures = rc.check_static(html)
    code, dumped, console = browser.dom(page)
    failures += ["hostile: console: " + line for line in console]
    dom = rc.parse_html(dumped)
    scripts = rc.find_all(dom, lambda n: n.tag == "script")
    if len(scripts) != 2:
        failures.append("hostile: {} script elements, expected the page's 2".format(len(scripts)))
    if rc.find_all(dom, lambda n: n.tag == "img"):
        failures.append("hostile: an <img> element came from the table's name")
    title = rc.find_all(dom, lambda n: n.tag == "title")
    if not title or not rc.text(title[0]).startswith("attn-explain: a </script><script>"):
        failures.append("hostile: the title does not show the sentence as text")
    sentence_dd = rc.find_all(dom, lambda n: n.tag == "dd" and "sentence" in n.cls())
    if not sentence_dd or rc.text(sentence_dd[0]) != sentence:
        failures.append("hostile: the header's sentence is not the sentence as typed")
    table_dd = [dd for dd in rc.find_all(dom, lambda n: n.tag == "dd") if "onerror=alert(1)>" in rc.text(dd)]
    if not table_dd:
        failures.append("hostile: the header does not show the table's name as text")
    if not rc.find_all(dom, lambda n: n.tag == "table" and "matrix" in n.cls()):
        failures.append("hostile: the page's tables are gone (was the body replaced?)")
    return failures


INJECTED = ("<script>document.body.setAttribute('data-injected-script', '1')</script>"
            "<img src=\"no-such-image\" onerror=\"document.body.setAttribute('data-injected-handler', '1')\">")


def check_policy(binary, source, browser, folder):
    """Markup that got into the page (were escaping ever wrong) runs nothing: the policy names the page's own
    script by its hash, so another inline script and an onerror="..." attribute are refused, while the page's
    script runs. The same markup under a policy of 'unsafe-inline' does run: the check can tell."""
    page = os.path.join(folder, "policy.html")
    code, stderr = run_binary(binary, source, ["--html", page, SENTENCE])
    if code != 0:
        return ["policy: attn-explain exited {}: {}".format(code, stderr.strip())]
    with open(page, encoding="utf-8") as f:
        html = f.read()
    failures = []
    loose = re.sub(r"script-src 'sha256-[A-Za-z0-9+/=]+'", "script-src 'unsafe-inline'", html)
    for name, text, runs in (("the page's policy", html, False), ("a policy of 'unsafe-inline'", loose, True)):
        injected = page[:-5] + ("-loose" if runs else "") + "-injected.html"
        with open(injected, "w", encoding="utf-8") as f:
            f.write(text.replace("</body>", INJECTED + "\n</body>"))
        code, dumped, console = browser.dom(injected)
        body = rc.find_all(rc.parse_html(dumped), lambda n: n.tag == "body")
        attrs = body[0].attrs if body else {}
        if not rc.find_all(rc.parse_html(dumped), lambda n: n.attrs.get("id") == "attn-popup"):
            failures.append("policy: under {} the page's own script did not run".format(name))
        for what in ("script", "handler"):
            if ("data-injected-" + what in attrs) != runs:
                failures.append("policy: under {} the injected {} {}".format(name, what, "did not run" if runs else "ran"))
        if not runs and not any("Content Security Policy" in line for line in console):
            failures.append("policy: Chromium reported no refusal under the page's policy")
    return failures


def check_lesson(binary, source, browser, folder):
    page = os.path.join(folder, "lesson.html")
    code, stderr = run_binary(binary, source, ["lesson", "it-ball", "--html", page])
    if code != 0:
        return ["lesson: attn-explain exited {}: {}".format(code, stderr.strip())]
    with open(page, encoding="utf-8") as f:
        html = f.read()
    failures = ["lesson: " + f for f in rc.check_static(html)]
    steps = json.loads(subprocess.run([binary, "lesson", "it-ball", "--json"], cwd=source, stdout=subprocess.PIPE,
                                      timeout=TIMEOUT).stdout)["steps"]
    # The first step that shows the weights' pictures: one that shows the weights, or follows a token.
    pictured = [k + 1 for k, s in enumerate(steps) if re.search(r"--focus|--stages \S*weights", s.get("command", ""))]
    if not pictured:
        return failures + ["lesson: no step of it-ball shows the weights"]
    fragment = "#cell=s{}-h1-r8-c5".format(pictured[0])
    code, dumped, console = browser.dom(page, fragment)
    failures += ["lesson: console: " + line for line in console]
    dom = rc.parse_html(dumped)
    sections = rc.find_all(dom, lambda n: n.tag == "section" and "step" in n.cls())
    if len(sections) != len(steps):
        failures.append("lesson: {} step sections, the lesson has {} steps".format(len(sections), len(steps)))
    for k, (section, step) in enumerate(zip(sections, steps)):
        heading = rc.text(rc.find_all(section, lambda n: n.tag == "h2")[0])
        if step["title"] not in heading:
            failures.append("lesson: step {} is titled {!r}, expected {!r}".format(k + 1, heading, step["title"]))
        said = " ".join(line for line in step["say"] if line)
        shown = " ".join(rc.text(p) for p in rc.find_all(section, lambda n: n.tag == "p" and n.parent.cls() == ["say"]))
        if said.split() != shown.split():
            failures.append("lesson: step {}: the narration differs from the lesson's".format(k + 1))
        if "command" in step and step["command"] not in rc.text(section):
            failures.append("lesson: step {}: no 'Try it' command".format(k + 1))
    popup = rc.find_all(dom, lambda n: n.attrs.get("id") == "attn-popup")
    if not popup or popup[0].attrs.get("hidden") is not None or "α(8,5)" not in rc.text(popup[0]):
        failures.append("lesson: {} opened no popup for α(8,5)".format(fragment))
    return failures


def main(argv):
    args = argv[1:]
    screenshot_out, only = None, ""
    for option in ("--screenshot", "--only"):
        if option in args and args.index(option) + 1 < len(args):
            k = args.index(option)
            if option == "--screenshot":
                screenshot_out = os.path.abspath(args[k + 1])
            else:
                only = args[k + 1]
            del args[k:k + 2]
    if len(args) != 2:
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    binary, source = os.path.abspath(args[0]), os.path.abspath(args[1])
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        print("FAIL: no Chromium at {} (apt-get install chromium; bash scripts/dev.sh test installs it)".format(CHROMIUM))
        return 1
    failed = 0
    with tempfile.TemporaryDirectory(prefix="attn-html-") as folder:
        browser = Browser(folder)
        checks = [(case.name, lambda case=case: check_case(case, binary, source, browser, folder, screenshot_out))
                  for case in CASES]
        checks.append(("hostile sentence and table name", lambda: check_hostile(binary, source, browser, folder)))
        checks.append(("policy refuses injected scripts", lambda: check_policy(binary, source, browser, folder)))
        checks.append(("lesson it-ball", lambda: check_lesson(binary, source, browser, folder)))
        checks = [(name, check) for name, check in checks if only in name]
        for name, check in checks:
            failures = check()
            print("{} {}".format("ok  " if not failures else "FAIL", name))
            for failure in failures[:40]:
                print("    " + failure)
            if len(failures) > 40:
                print("    ... and {} more".format(len(failures) - 40))
            failed += bool(failures)
    print("{} checks, {} failed".format(len(checks), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
