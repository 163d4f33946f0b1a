#!/usr/bin/env python3
"""attn-explain serve, through HTTP on 127.0.0.1 (issue 27): the API's answers are the
command line's bytes, a bad question is a 400 with the CLI's message and its key, the
limits hold, the server outlives bad requests and stops on SIGTERM.

usage: check_serve.py BINARY MODEL_DIR
MODEL_DIR: a GPT-2 checkpoint of random weights (the fixture model_cli_checkpoint's).
"""
import base64
import concurrent.futures
import hashlib
import json
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_util import Server, check, failures  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "data")
DOG = "The dog chased the ball, and it rolled away."
def cli(binary, args):
    return subprocess.run([binary, *args], capture_output=True, check=False).stdout


def same_bytes(server, binary, model_name, model_dir):
    """(query, the command line's arguments) pairs: the answers must be its stdout."""
    cases = [
        ({"sentence": "How are you doing?"}, []),
        ({"sentence": DOG, "heads": "2", "projection": "rand", "causal": "true"}, ["--heads", "2", "--projection", "rand", "--causal"]),
        ({"sentence": "Your journey starts with one step", "table": "journey", "projection": "none"},
         ["-e", "journey.json", "--projection", "none"]),
        ({"sentence": DOG, "multihead": "split", "heads": "3", "projection": "rand", "d-out": "6", "seed": "7"},
         ["--multihead", "split", "--heads", "3", "--projection", "rand", "--d-out", "6", "--seed", "7"]),
        ({"sentence": DOG, "model": "demo", "layer": "2"}, ["--model", "demo", "--layer", "2"]),
        ({"sentence": DOG, "model": "demo", "layer": "3", "head": "2", "top": "3", "stages": "scores,weights"},
         ["--model", "demo", "--layer", "3", "--head", "2", "--top", "3", "--stages", "scores,weights"]),
        ({"sentence": DOG, "model": model_name, "layer": "all"}, ["--model", model_dir, "--layer", "all"]),
    ]
    for query, args in cases:
        sentence = query["sentence"]
        for product, flag in (("trace", ["--json"]), ("report", ["--html", "-"]), ("svg", ["--svg", "-"])):
            if product == "svg" and query.get("layer") == "all":
                continue
            extra = ["--focus", "it"] if product == "report" and "model" not in query and "it" in sentence.split() else []
            q = dict(query, **({"focus": "it"} if extra else {}))
            status, headers, body = server.get(f"/api/{product}", q)
            shown = args
            if product == "trace" and "--stages" in args:  # the trace is the run's, however shown
                i = args.index("--stages")
                shown = args[:i] + args[i + 2:]
            expected = cli(binary, flag + shown + extra + [sentence])
            check(status == 200 and body == expected and len(body) > 100,
                  f"GET /api/{product} {q} is the bytes of attn-explain {' '.join(flag + args + extra)} ({len(body)} bytes)")


def many_option_sets(server, binary):
    """40 option sets of table runs: /api/trace and /api/report equal --json and --html."""
    sentences = ["How are you doing?", DOG, "Your journey starts with one step"]
    sets = []
    combos = [(p, h, m, c, b) for p in ("auto", "rand", "linear", "none") for h in ("1", "2", "3")
              for m in ("wrapper", "split") for c in (False, True) for b in (False, True)]
    # The default table holds one head's weights (auto: those), none has no weights to split or bias.
    combos = [x for x in combos if not (x[0] in ("auto", "none") and x[1] != "1") and not (x[0] == "none" and x[2] == "split")
              and not (x[4] and x[0] != "linear")]
    for i, (projection, heads, multihead, causal, bias) in enumerate(combos):
        q = {"sentence": sentences[i % 3], "projection": projection, "heads": heads, "multihead": multihead, "seed": str(i),
             "softmax": ("stable", "naive", "sum")[i % 3]}
        args = ["--projection", projection, "--heads", heads, "--multihead", multihead, "--seed", str(i), "--softmax", q["softmax"]]
        if bias:
            q["qkv-bias"] = "true"
            args.append("--qkv-bias")
        if multihead == "split":
            q["d-out"] = str(6 * int(heads))
            args += ["--d-out", q["d-out"]]
        if causal:
            q["causal"] = "true"
            args.append("--causal")
        sets.append((q, args))
    same = 0
    for q, args in sets:
        ok = all(server.get(f"/api/{product}", q)[2] == cli(binary, flag + args + [q["sentence"]])
                 for product, flag in (("trace", ["--json"]), ("report", ["--html", "-"])))
        same += ok
        if not ok:
            print(f"     differs: {args}")
    check(len(sets) >= 40 and same == len(sets), f"{same} of {len(sets)} option sets: /api/trace and /api/report are the CLI's bytes")


def still_answers(server):
    """The status of a small question, asked again while the one worker is busy (bounded retries)."""
    for _ in range(120):
        status, _, _ = server.get("/api/trace", {"sentence": "still here"})
        if status != 503:
            return status
        time.sleep(0.5)
    return status


def load(binary):
    """8 clients × 250 questions at once (--jobs 8): every answer the CLI's bytes; the latencies."""
    server = Server(binary, "--jobs", "8")
    queries = [({"sentence": "How are you doing?"}, []),
               ({"sentence": DOG, "heads": "2", "projection": "rand"}, ["--heads", "2", "--projection", "rand"]),
               ({"sentence": "Your journey starts with one step", "table": "journey"}, ["-e", "journey.json"])]
    expected = [cli(binary, ["--json"] + args + [q["sentence"]]) for q, args in queries]
    times, wrong = [], []

    def client(c):
        for k in range(250):
            q = queries[(c + k) % len(queries)]
            start = time.perf_counter()
            status, _, body = server.get("/api/trace", q[0], 60)
            times.append(time.perf_counter() - start)
            if status != 200 or body != expected[(c + k) % len(queries)]:
                wrong.append(status)
    try:
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            list(pool.map(client, range(8)))
    finally:
        code, seconds, _ = server.stop()
    times.sort()
    p50, p99 = times[len(times) // 2] * 1000, times[int(len(times) * 0.99)] * 1000
    check(not wrong and len(times) == 2000,
          f"8 clients × 250 questions at once: {len(times) - len(wrong)} of {len(times)} the CLI's bytes; "
          f"p50 {p50:.1f} ms, p99 {p99:.1f} ms (client side); wrong: {sorted(set(wrong))}")
    check(code == 0 and seconds < 10, f"SIGTERM after the load: exit {code} in {seconds:.2f} s (bounded by the 5 s keep-alive, not timed)")


def head_view(server):
    """/api/heads: one group of lines per head, each line's opacity the weight over the head's largest."""
    import xml.etree.ElementTree as ET
    query = {"sentence": DOG, "heads": "3", "projection": "rand", "causal": "true"}
    status, headers, body = server.get("/api/heads", query)
    trace = json.loads(server.get("/api/trace", query)[2])
    svg = ET.fromstring(body)
    ns = "{http://www.w3.org/2000/svg}"
    groups = [g for g in svg.iter(ns + "g") if g.get("class") == "head"]
    ok = status == 200 and headers.get("Content-Type") == "image/svg+xml" and len(groups) == 3
    for h, group in enumerate(groups):
        # The trace's shortest decimals read back as the float32 the engine holds.
        weights = [[struct.unpack("f", struct.pack("f", w))[0] for w in row] for row in trace["heads"][h]["weights"]]
        high = max(max(row) for row in weights)
        expected = [f"{w / high:.2f}".lstrip("0") for row in weights for w in row if w / high >= 0.01]
        got = [p.get("stroke-opacity") for p in group.iter(ns + "path")]
        ok = ok and group.get("data-head") == str(h) and got == expected
    check(ok, "GET /api/heads: a well-formed SVG, one group per head, each line's opacity its weight over the head's largest")


def security(server):
    """The defences of serve.hpp: Host, Origin, JSON, the headers, no file names."""
    port = server.url.rstrip("/").rsplit(":", 1)[1]
    first = server.raw(f"GET /api/trace?sentence=x HTTP/1.1\r\nHost: attacker.example:{port}\r\n\r\n".encode())
    check(first.startswith(b"HTTP/1.1 421"), f"a Host that is not this server's gets 421 ({first!r})")
    first = server.raw(f"GET /api/trace?sentence=x HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n".encode())
    check(first.startswith(b"HTTP/1.1 200"), f"localhost:PORT is this server ({first!r})")
    body = {"options": {"sentence": "x"}}
    status, _, _ = server.post("/api/trace", body, headers={"Origin": "http://evil.example"})
    check(status == 403, f"a POST from another origin gets 403 ({status})")
    request_without_origin = urllib.request.Request(server.url + "api/trace", data=json.dumps(body).encode(),
                                                    headers={"Content-Type": "application/json"})
    status = server._open(request_without_origin, 30)[0]
    check(status == 403, f"a POST without an Origin gets 403 ({status})")
    status, _, _ = server.post("/api/trace", body, headers={"Content-Type": "text/plain"})
    check(status == 415, f"a POST that is not JSON gets 415 ({status})")
    status, headers, page = server.get("/")
    check(headers.get("Content-Security-Policy", "").startswith("default-src 'self'")
          and headers.get("X-Content-Type-Options") == "nosniff" and headers.get("Referrer-Policy") == "no-referrer",
          "every answer carries the security headers")
    # The scripts that may run are the page's and a report's, named by their SHA-256 (hashlib's here).
    _, _, report = server.get("/api/report?sentence=a")
    scripts = [s for text in (page, report) for s in re.findall(r"<script>(.*?)</script>", text.decode(), flags=re.S)]
    allowed = ["'self'"] + ["'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
                            for s in scripts]
    script_src = re.search(r"script-src ([^;]*)", headers.get("Content-Security-Policy", ""))
    check(len(scripts) == 2 and script_src is not None and script_src.group(1).split() == allowed,
          f"the policy lets run only the page's script and a report's, by hash ({script_src and script_src.group(1)})")
    for path in ("/../../etc/passwd", "/data/default.json", "/html/explorer.js"):
        status, _, _ = server.get(path)
        check(status == 404, f"no file is served by its path: {path} is 404 ({status})")
    first = server.raw(b"GARBAGE\r\n\r\n")
    check(first.startswith(b"HTTP/1.1 400") or first == b"", f"malformed HTTP is refused ({first!r})")
    first = server.raw(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Big: {'a' * 20000}\r\n\r\n".encode())
    check(not first.startswith(b"HTTP/1.1 200"), f"a 20 KB header is refused ({first[:40]!r})")
    status, _, _ = server.get("/api/trace", {"sentence": "still here"})
    check(status == 200, "and the server goes on")


def errors(server, binary):
    cases = [({"sentence": "x", "heads": "0"}, "heads", ["--heads", "0", "x"]),
             ({"sentence": "x", "precision": "12"}, "precision", ["--precision", "12", "x"]),
             ({"sentence": "x", "layer": "2"}, "layer", ["--layer", "2", "x"]),
             ({"sentence": "x", "compare": "scale"}, "compare", None),
             ({"sentence": "x", "colour": "red"}, "colour", None),
             ({"sentence": "x", "trace": "/tmp/x.json"}, "trace", None),
             ({"sentence": "x", "table": "../../etc/passwd"}, "table", None),
             ({"sentence": "x", "model": "/etc"}, "model", None),
             ({"sentence": "x", "head": "5"}, "head", ["--head", "5", "x"])]
    for query, key, args in cases:
        status, _, body = server.get("/api/report", query)
        answer = json.loads(body) if status == 400 else {}
        ok = status == 400 and answer.get("key") == key
        if args:
            cli_message = subprocess.run([binary, *args], capture_output=True, text=True).stderr.splitlines()[0]
            ok = ok and cli_message == "attn-explain: error: " + answer.get("error", "")
        check(ok, f"GET /api/report {query}: 400 naming the key {key!r} with the command line's message ({body[:90]!r})")
    status, _, body = server.get("/api/trace", {"sentence": "x", "projection": "none", "d-out": "3"})
    answer = json.loads(body) if status == 400 else {}
    cli_message = subprocess.run([binary, "--projection", "none", "--d-out", "3", "x"], capture_output=True,
                                 text=True).stderr.splitlines()[0]
    check(cli_message == "attn-explain: error: " + answer.get("error", "") and answer.get("key") == "d-out",
          f"an engine error is a 400 with the command line's message and its key ({body[:100]!r})")
    status, _, body = server.get("/api/table?name=journey&name=default")
    check(status == 400 and json.loads(body)["error"] == "name: given more than once", f"/api/table with two names is a 400 ({status})")
    # The trace too refuses a head the run does not have (as --json does).
    status, _, body = server.get("/api/trace", {"sentence": "x", "head": "5"})
    check(status == 400 and json.loads(body).get("key") == "head", f"/api/trace with head=5 of 1 is a 400 ({body[:80]!r})")
    status, _, body = server.get("/api/heads", {"sentence": "x", "heads": "2", "projection": "rand", "head": "9"})
    check(status == 400 and json.loads(body).get("key") == "head", f"/api/heads with head=9 of 2 is a 400 ({body[:80]!r})")
    # A page may lower the memory budget (the command line's message when it is too low), not raise it.
    status, _, body = server.get("/api/trace", {"sentence": "x", "max-memory": "1T"})
    answer = json.loads(body) if status == 400 else {}
    check(answer.get("key") == "max-memory" and "at most 1G" in answer.get("error", ""),
          f"max-memory above the command line's 1G is a 400 ({body[:100]!r})")
    status, _, body = server.get("/api/trace", {"sentence": "x", "max-memory": "1K"})
    answer = json.loads(body) if status == 400 else {}
    cli_message = subprocess.run([binary, "--max-memory", "1K", "x"], capture_output=True, text=True).stderr.splitlines()[0]
    check(answer.get("key") == "max-memory" and cli_message == "attn-explain: error: " + answer.get("error", ""),
          f"a max-memory the command line refuses is refused with its message ({body[:100]!r})")
    status, _, body = server.get("/api/trace", {"sentence": "x", "max-memory": ""})
    check(status == 400 and json.loads(body).get("key") == "max-memory", f"an empty max-memory is a 400 ({body[:90]!r})")
    status, _, _ = server.get("/api/trace", {"sentence": "x", "max-memory": "512M"})
    check(status == 200, f"max-memory below 1G is taken ({status})")
    status, _, body = server.post("/api/trace", b"{not json")
    check(status == 400 and json.loads(body)["error"].startswith("the body:1:3: malformed JSON: syntax error"),
          f"a malformed body is a 400 saying where ({body[:90]!r})")
    status, _, body = server.post("/api/trace", b"[1, 2]")
    check(status == 400 and json.loads(body)["error"] == "the body is not a JSON object", "a body not an object is a 400")
    # A key given twice is refused, as in a file: an option, or a token of the edited table.
    status, _, body = server.post("/api/trace", b'{"options": {"sentence": "a b", "heads": 2, "heads": 3}}')
    check(status == 400 and json.loads(body)["error"] == 'the body: duplicate key "heads"', f"an option given twice is a 400 ({body[:90]!r})")
    status, _, body = server.post("/api/trace", b'{"options": {"sentence": "a"}, "table": {"dim": 1, "vectors": {"a": [1], "a": [2]}}}')
    check(status == 400 and json.loads(body)["error"] == 'the body: duplicate key "a"', f"a token given twice is a 400 ({body[:90]!r})")
    status, _, body = server.post("/api/trace", b'{"options": {"sentence": "a", "seed": 1e400}}')
    check(status == 400 and "1e400" in json.loads(body)["error"], f"a number no double holds is a 400 naming it ({body[:90]!r})")


def edited_table(server, binary):
    with open(os.path.join(DATA, "journey.json")) as f:
        table = json.load(f)
    table["vectors"]["journey"] = [1.0, 0.0, 0.5]
    status, _, body = server.post("/api/trace", {"options": {"sentence": "Your journey starts", "projection": "none"}, "table": table})
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(table, f)
    try:
        expected = json.loads(cli(binary, ["--json", "--projection", "none", "-e", f.name, "Your journey starts"]))
    finally:
        os.unlink(f.name)
    got = json.loads(body) if status == 200 else {}
    for trace in (got, expected):
        trace.get("config", {}).pop("embeddings", None)
    check(status == 200 and got == expected and got["inputs"][1] == [1.0, 0.0, 0.5],
          "POST /api/trace on an edited table gives the numbers of -e on the same table")
    bad = dict(table, dim=4)
    status, _, body = server.post("/api/trace", {"options": {"sentence": "Your journey"}, "table": bad})
    check(status == 400 and b"the edited table" in body, f"an edited table that breaks the table format is a 400 ({body[:80]!r})")


def limits(binary):
    server = Server(binary, "--jobs", "1")
    try:
        big = {"options": {"sentence": "x"}, "pad": "a" * (1 << 20)}
        status, _, _ = server.post("/api/trace", big)
        check(status == 413, f"a body over 1 MiB is refused with 413 (got {status})")
        status, _, _ = server.get("/api/trace", {"sentence": "x" * 9000})
        check(status in (414, 400), f"a request line over 8 KiB is refused (got {status})")
        # With one worker, questions asked at once: one is computed, the others get 503
        # and Retry-After (a burst of 6 medium runs; tried again, at most 5 times, if
        # they happened not to overlap).
        medium = {"sentence": " ".join(["dog", "cat", "ball"] * 80), "heads": "8", "projection": "rand"}
        busy, answered = [], []
        for _ in range(5):
            barrier = threading.Barrier(6)

            def ask():
                barrier.wait()
                return server.get("/api/report", medium, 300)
            with concurrent.futures.ThreadPoolExecutor(6) as pool:
                answers = [f.result() for f in [pool.submit(ask) for _ in range(6)]]
            busy += [a for a in answers if a[0] == 503]
            answered += [a for a in answers if a[0] == 200]
            if busy and answered:
                break
        check(busy and answered and busy[0][1].get("Retry-After") == "1",
              f"with --jobs 1, questions asked at once: 503 with Retry-After ({len(busy)}) and answers ({len(answered)})")
        # A page held whole for sending counts in the memory budget: a run the command line
        # streams can be too big to send as a page.
        huge = {"sentence": " ".join(["dog"] * 1500), "heads": "16", "projection": "rand", "max-tokens": "2048"}
        status, _, body = server.get("/api/report", huge, 300)
        check(status == 400 and b"memory" in body, f"a page too big to hold is refused by the memory budget ({body[:100]!r})")
        # A client that sends half a request and hangs up costs nothing else.
        host, port = server.url[len("http://"):].rstrip("/").split(":")
        own = f"{host}:{port}".encode()
        with socket.create_connection((host, int(port)), timeout=10) as s:
            s.sendall(b"GET /api/trace?sentence=x HTTP/1.1\r\nHost: x\r\n")
        status, _, _ = server.get("/api/trace", {"sentence": "still here"})
        check(status == 200, "after a client hangs up mid-request the server still answers")
        # A client that asks for a big answer and goes away before reading it.
        with socket.create_connection((host, int(port)), timeout=10) as s:
            s.sendall(b"GET /api/report?sentence=" + b"+".join([b"dog"] * 300) + b" HTTP/1.1\r\nHost: " + own + b"\r\n\r\n")
        status = still_answers(server)
        check(status == 200, "after a client goes away before its answer the server still answers")
        # A trace is written as it is sent, in chunks, holding the one worker's ticket: a client
        # that reads its first bytes and goes away stops the writing and the ticket comes back.
        with socket.create_connection((host, int(port)), timeout=10) as s:
            s.sendall(b"GET /api/trace?heads=4&projection=rand&sentence=" + b"+".join([b"dog"] * 200) + b" HTTP/1.1\r\nHost: " + own + b"\r\n\r\n")
            first = s.recv(4096)
        status = still_answers(server)
        check(first.startswith(b"HTTP/1.1 200") and b"transfer-encoding: chunked" in first.lower() and status == 200,
              f"a big trace comes in chunks, and after its client goes away the server still answers ({first[:40]!r}, {status})")
        # A client that connects and says nothing is dropped after the read timeout (5 s).
        with socket.create_connection((host, int(port)), timeout=30) as s:
            started = time.monotonic()
            closed = s.recv(1) == b""
            waited = time.monotonic() - started
        check(closed and 4 <= waited < 20, f"a silent client is dropped after the read timeout ({waited:.1f} s)")
    finally:
        code, seconds, log = server.stop()
    check(code == 0 and seconds < 10, f"SIGTERM: exit 0 without waiting out its clients (exit {code}, {seconds:.2f} s; bound 10 s, not a timing test)")
    lines = log.splitlines()
    check(any(l.startswith("POST /api/trace 413") for l in lines) and any(l.startswith("GET /api/trace 200") for l in lines),
          f"one line per request on stderr ({len(lines)} lines)")


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    binary, model_dir = sys.argv[1], os.path.abspath(sys.argv[2])
    server = Server(binary, "--model", model_dir)
    try:
        status, _, page = server.get("/")
        check(status == 200 and b'id="sentence"' in page and b"/*EXPLORER_JS*/" not in page, "GET / is the explorer page, script put in")
        catalogue = json.loads(server.get("/api/catalogue")[2])
        names = [m["name"] for m in catalogue["models"]]
        model_name = os.path.basename(model_dir)
        check(model_name in names and "demo" in names and "journey" in [t["name"] for t in catalogue["tables"]],
              f"the catalogue lists the bundled and given tables and models ({names})")
        same_bytes(server, binary, model_name, model_dir)
        many_option_sets(server, binary)
        head_view(server)
        security(server)
        errors(server, binary)
        edited_table(server, binary)
    finally:
        code, _, _ = server.stop()
    check(code == 0, "the server stops with exit 0 on SIGTERM")
    limits(binary)
    load(binary)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
