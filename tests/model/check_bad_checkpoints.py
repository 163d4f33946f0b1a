#!/usr/bin/python3
"""Bad checkpoints, run through the binary (issue 14, "Bad checkpoints").

Makes one good tiny GPT-2 checkpoint (tests/oracle/make_gpt2_checkpoint.py), then, for
each bad case, a copy of its folder with one thing broken, and runs

    BINARY --model COPY --layer 1 --json "The dog chased the ball."

Each must be refused as docs/errors.md says: exit 1, nothing on stdout, at most 3
lines on stderr, the first starting "attn-explain: error: " and naming the file
(model.safetensors, config.json, vocab.json or merges.txt) and, where there is one,
the tensor, key or line. The cases: every kind of broken safetensors file that
tests/oracle/safetensors_io.py writes (a kind without an expectation here fails),
an empty file, a directory, a symbolic link loop and a dangling link in each file's
place, each file missing, config.json's mistakes (a key twice among them), a vocab.json
and a merges.txt that disagree, --model naming a file or a folder that does not exist.
merges.txt with CRLF or lone-CR line endings or a byte-order mark, and vocab.json with
one, give the good folder's token ids. The expected names and numbers come from the broken
files themselves (their headers, read here), not from the binary's output.

Then the checkpoints that must run: the good one, one stored as F16, one as BF16,
one whose weights are named "transformer.*" (exit 0, a trace of layer 1).

usage: /usr/bin/python3 tests/model/check_bad_checkpoints.py BINARY WORKDIR
Prints one line per failure and ends with "N passed, N failed"; exit 1 when anything failed.
"""
import json
import os
import shutil
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "oracle"))
import make_gpt2_checkpoint as maker  # noqa: E402
import safetensors_io as st  # noqa: E402

SENTENCE = "The dog chased the ball."
PREFIX = "attn-explain: error: "
FILES = ("config.json", "model.safetensors", "vocab.json", "merges.txt")
GOOD = dict(layers=2, heads=4, embd=32, positions=64, seed=1, vocab="tiny")

RESULTS = {"passed": 0, "failed": 0}


def expect(ok, what):
    RESULTS["passed" if ok else "failed"] += 1
    if not ok:
        print(f"FAIL {what}", flush=True)
    return ok


def run(binary, model_arg):
    done = subprocess.run([binary, "--model", model_arg, "--layer", "1", "--json", SENTENCE],
                          capture_output=True, timeout=300)
    return done.returncode, done.stdout, done.stderr.decode("utf-8", errors="replace")


def expect_refused(binary, case, model_arg, file_named, mentions=(), one_of=()):
    """The run of `case` exits 1 with nothing on stdout and at most 3 lines on stderr, the first
    an error naming `file_named`, every string of `mentions` and at least one of `one_of`."""
    status, out, err = run(binary, model_arg)
    lines = err.splitlines()
    first = lines[0] if lines else ""
    shown = f"{case}: exit {status}, stderr {err.strip()[:400]!r}"
    expect(status == 1, f"{shown}: expected exit 1")
    expect(out == b"", f"{case}: stdout not empty: {out[:200]!r}")
    expect(1 <= len(lines) <= 3, f"{shown}: expected 1 to 3 lines on stderr, got {len(lines)}")
    expect(first.startswith(PREFIX), f"{shown}: first line does not start with {PREFIX!r}")
    expect(file_named in first, f"{shown}: first line does not name {file_named}")
    for part in mentions:
        expect(part in first, f"{shown}: first line does not say {part!r}")
    if one_of:
        expect(any(part in first for part in one_of), f"{shown}: first line names none of {sorted(one_of)}")


def fresh_copy(good, workdir, case):
    """A copy of the good folder to break, WORKDIR/cases/CASE."""
    dst = os.path.join(workdir, "cases", case)
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(good, dst)
    return dst


def header_of(path):
    """(tensor entries as [(name, entry)] in data order, the data's size) of a good file."""
    header, data = st.read_raw(path)
    items = sorted(((k, v) for k, v in header.items() if k != "__metadata__"), key=lambda kv: tuple(kv[1]["data_offsets"]))
    return items, len(data)


def quoted(name):
    return f'"{name}"'


# ------------------------------------------------------------------ model.safetensors

def safetensors_cases(good):
    """{kind: (--tensor or None, function(items, data_size, broken_path) -> (mentions, one_of))}: what the
    first error line must say for each kind of broken file safetensors_io.py writes."""
    def truncated(items, size, path):
        half = size // 2
        past = [quoted(k) for k, e in items if e["data_offsets"][1] > half]
        return [f"end past the data ({half} bytes)"], past

    def short(items, size, path):
        return ["5 bytes, too short"], ()

    def header_past_end(items, size, path):
        with open(path, "rb") as f:
            (n,) = struct.unpack("<Q", f.read(8))
        return [f"header length {n} runs past the end of the file"], ()

    def overlap(items, size, path):
        nonempty = [k for k, e in items if e["data_offsets"][1] > e["data_offsets"][0]]
        return [quoted(nonempty[0]), quoted(nonempty[1]), "overlap"], ()

    cfg_shape = [GOOD["embd"], 4 * GOOD["embd"]]
    return {
        "truncated": (None, truncated),
        "short": (None, short),
        "header-past-end": (None, header_past_end),
        "offsets-outside": ("h.1.attn.c_proj.weight",
                            lambda i, s, p: ([quoted("h.1.attn.c_proj.weight"), f"end past the data ({s} bytes)"], ())),
        "overlap": (None, overlap),
        "unknown-dtype": ("h.0.ln_2.bias", lambda i, s, p: ([quoted("h.0.ln_2.bias"), '"Q7"'], ())),
        "wrong-shape": ("h.0.mlp.c_fc.weight",
                        lambda i, s, p: ([quoted("h.0.mlp.c_fc.weight"),
                                          f"config.json makes it [{cfg_shape[0]}, {cfg_shape[1]}]"], ())),
        "size-mismatch": ("wpe.weight", lambda i, s, p: ([quoted("wpe.weight"), "but data_offsets"], ())),
        "reversed": ("h.1.ln_1.weight", lambda i, s, p: ([quoted("h.1.ln_1.weight"), "reversed"], ())),
        "missing": ("h.1.attn.c_attn.bias", lambda i, s, p: (['missing tensor "h.1.attn.c_attn.bias"'], ())),
        "duplicate": ("ln_f.weight", lambda i, s, p: ([quoted("ln_f.weight"), "twice"], ())),
        "not-json": (None, lambda i, s, p: (["the header is not JSON"], ())),
    }


def check_safetensors(binary, good, workdir):
    items, size = header_of(os.path.join(good, "model.safetensors"))
    cases = safetensors_cases(good)
    for kind in st.BROKEN:
        if not expect(kind in cases, f"safetensors kind {kind}: no expectation in check_bad_checkpoints.py"):
            continue
        tensor, says = cases[kind]
        case = f"safetensors-{kind}"
        folder = fresh_copy(good, workdir, case)
        path = os.path.join(folder, "model.safetensors")
        st.broken(kind, os.path.join(good, "model.safetensors"), path, tensor)
        mentions, one_of = says(items, size, path)
        expect_refused(binary, case, folder, path, mentions, one_of)
    # the kind "missing" with its own choice: the last tensor in the data
    folder = fresh_copy(good, workdir, "safetensors-missing-last")
    st.broken("missing", os.path.join(good, "model.safetensors"), os.path.join(folder, "model.safetensors"))
    expect_refused(binary, "safetensors-missing-last", folder, "model.safetensors",
                   [f"missing tensor {quoted(items[-1][0])}"])


# ------------------------------------------------------------------ the four files

def check_files(binary, good, workdir):
    for name in FILES:
        folder = fresh_copy(good, workdir, f"no-{name}")
        os.remove(os.path.join(folder, name))
        expect_refused(binary, f"no-{name}", folder, f"missing {name}")

        folder = fresh_copy(good, workdir, f"dir-{name}")
        path = os.path.join(folder, name)
        os.remove(path)
        os.mkdir(path)
        expect_refused(binary, f"dir-{name}", folder, path, ["is a directory, not a file"])

        folder = fresh_copy(good, workdir, f"empty-{name}")
        path = os.path.join(folder, name)
        open(path, "wb").close()
        if name == "merges.txt":  # no merges: a tokenizer of single bytes, not an error
            status, _, err = run(binary, folder)
            expect(status == 0, f"empty-merges.txt: exit {status}, stderr {err.strip()[:400]!r}")
            continue
        expect_refused(binary, f"empty-{name}", folder, path,
                       ["0 bytes, too short"] if name == "model.safetensors" else ["malformed JSON"])

        # a symbolic link in its place that loops, or leads nowhere: said so, not "missing" (issue 23)
        folder = fresh_copy(good, workdir, f"loop-{name}")
        path = os.path.join(folder, name)
        os.remove(path)
        os.symlink(name, path)
        expect_refused(binary, f"loop-{name}", folder, path, ["too many levels of symbolic links"])
        os.remove(path)
        os.symlink("nowhere", path)
        expect_refused(binary, f"dangling-{name}", folder, path, ["a symbolic link to a file that does not exist"])


# ------------------------------------------------------------------ config.json

def edit_config(good, workdir, case, change):
    folder = fresh_copy(good, workdir, case)
    path = os.path.join(folder, "config.json")
    with open(path, encoding="utf-8") as f:
        cfg = json.load(f)
    change(cfg)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(cfg, f, indent=2)
    return folder


def check_config(binary, good, workdir):
    folder = fresh_copy(good, workdir, "config-not-json")
    path = os.path.join(folder, "config.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write('{\n  "n_layer": 2,\n  n_head: 4\n}\n')  # a bare key on line 3
    expect_refused(binary, "config-not-json", folder, path + ":3:", ["malformed JSON"])

    folder = edit_config(good, workdir, "config-no-n_head", lambda c: c.pop("n_head"))
    expect_refused(binary, "config-no-n_head", folder, os.path.join(folder, "config.json"), ['missing "n_head"'])

    folder = edit_config(good, workdir, "config-n_embd-not-divisible", lambda c: c.update(n_embd=30))
    expect_refused(binary, "config-n_embd-not-divisible", folder, os.path.join(folder, "config.json"),
                   ['"n_embd" 30', '"n_head" 4'])

    folder = edit_config(good, workdir, "config-n_head-zero", lambda c: c.update(n_head=0))
    expect_refused(binary, "config-n_head-zero", folder, os.path.join(folder, "config.json"), ['"n_head" is 0'])

    # three layers, weights for two: the first weight of the third block is missing
    folder = edit_config(good, workdir, "config-n_layer-too-large", lambda c: c.update(n_layer=GOOD["layers"] + 1))
    expect_refused(binary, "config-n_layer-too-large", folder, os.path.join(folder, "model.safetensors"),
                   [f'missing tensor "h.{GOOD["layers"]}.'])

    # a key twice: refused as in every other JSON file, not "the last one wins" (issue 23)
    folder = fresh_copy(good, workdir, "config-key-twice")
    path = os.path.join(folder, "config.json")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace("{", '{\n  "n_head": 1,', 1))
    expect_refused(binary, "config-key-twice", folder, path, ['duplicate key "n_head"'])

    with open(os.path.join(good, "vocab.json"), encoding="utf-8") as f:
        ids = len(json.load(f))
    folder = edit_config(good, workdir, "config-vocab_size-too-small", lambda c: c.update(vocab_size=ids - 1))
    expect_refused(binary, "config-vocab_size-too-small", folder, os.path.join(folder, "vocab.json"),
                   [f"{ids} ids", f'"vocab_size" is {ids - 1}'])


# ------------------------------------------------------------------ vocab.json and merges.txt

def merge_lines(folder):
    with open(os.path.join(folder, "merges.txt"), encoding="utf-8") as f:
        return f.read().split("\n")


def check_vocab_and_merges(binary, good, workdir):
    # a merge whose left part is no symbol of the vocabulary, on a new last line
    folder = fresh_copy(good, workdir, "merge-part-not-in-vocab")
    lines = [line for line in merge_lines(folder) if line]
    lines.append("qqqq zzzz")
    with open(os.path.join(folder, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    expect_refused(binary, "merge-part-not-in-vocab", folder, os.path.join(folder, "merges.txt") + f":{len(lines)}:",
                   ['the left symbol "qqqq"', "vocab.json"])

    # the vocabulary without the symbol the first merge (line 2) makes
    folder = fresh_copy(good, workdir, "merged-symbol-not-in-vocab")
    left, right = merge_lines(folder)[1].split(" ")
    with open(os.path.join(folder, "vocab.json"), encoding="utf-8") as f:
        vocab = json.load(f)
    del vocab[left + right]
    with open(os.path.join(folder, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    expect_refused(binary, "merged-symbol-not-in-vocab", folder, os.path.join(folder, "merges.txt") + ":2:",
                   [f'the merged symbol "{left + right}"'])

    # the vocabulary without the space's symbol "Ġ" (byte 0x20)
    folder = fresh_copy(good, workdir, "vocab-without-a-byte")
    with open(os.path.join(folder, "vocab.json"), encoding="utf-8") as f:
        vocab = json.load(f)
    del vocab["\u0120"]
    with open(os.path.join(folder, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    expect_refused(binary, "vocab-without-a-byte", folder, os.path.join(folder, "vocab.json"),
                   ['no id for "\u0120"', "0x20"])


def check_line_endings(binary, good, workdir):
    """merges.txt with CRLF or lone CR line endings, or a byte-order mark first, and vocab.json with
    one: the same token ids as the good folder (a lone CR once gave 0 merges, silently)."""
    status, out, err = run(binary, good)
    if not expect(status == 0, f"good (for line endings): exit {status}, stderr {err.strip()[:400]!r}"):
        return
    want = json.loads(out)["token_ids"]
    with open(os.path.join(good, "merges.txt"), "rb") as f:
        merges = f.read()
    with open(os.path.join(good, "vocab.json"), "rb") as f:
        vocab = f.read()
    bom = "\ufeff".encode("utf-8")
    variants = {"merges-crlf": ("merges.txt", merges.replace(b"\n", b"\r\n")),
                "merges-cr": ("merges.txt", merges.replace(b"\n", b"\r")),
                "merges-bom": ("merges.txt", bom + merges),
                "vocab-bom": ("vocab.json", bom + vocab)}
    for case, (name, data) in variants.items():
        folder = fresh_copy(good, workdir, case)
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)
        status, out, err = run(binary, folder)
        if expect(status == 0, f"{case}: exit {status}, stderr {err.strip()[:400]!r}"):
            got = json.loads(out)["token_ids"]
            expect(got == want, f"{case}: token ids {got}, expected {want}")


# ------------------------------------------------------------------ --model itself

def check_model_argument(binary, good, workdir):
    path = os.path.join(good, "config.json")
    expect_refused(binary, "model-is-a-file", path, f"--model {path}: not a folder")
    missing = os.path.join(workdir, "no-such-model")
    shutil.rmtree(missing, ignore_errors=True)
    expect_refused(binary, "model-does-not-exist", missing, f"--model {missing}: no such folder")


# ------------------------------------------------------------------ checkpoints that run

def expect_runs(binary, case, folder):
    status, out, err = run(binary, folder)
    if not expect(status == 0, f"{case}: exit {status}, stderr {err.strip()[:400]!r}"):
        return
    try:
        trace = json.loads(out)
    except ValueError as e:
        expect(False, f"{case}: stdout is not JSON: {e}")
        return
    expect(trace.get("layer") == 1, f"{case}: layer {trace.get('layer')!r}, expected 1")
    expect(len(trace.get("heads", [])) == GOOD["heads"], f"{case}: {len(trace.get('heads', []))} heads")
    expect("\u00b7dog" in trace.get("tokens", []), f"{case}: tokens {trace.get('tokens')} lack \u00b7dog")


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-3], file=sys.stderr)
        return 2
    binary, workdir = os.path.abspath(argv[0]), os.path.abspath(argv[1])
    os.makedirs(workdir, exist_ok=True)
    good = os.path.join(workdir, "good")
    shutil.rmtree(good, ignore_errors=True)
    maker.make(good, **GOOD)
    expect_runs(binary, "good", good)
    for dtype in ("F16", "BF16"):
        folder = os.path.join(workdir, dtype.lower())
        shutil.rmtree(folder, ignore_errors=True)
        maker.make(folder, **dict(GOOD, seed=2), dtype=dtype)
        expect_runs(binary, dtype, folder)
    folder = os.path.join(workdir, "prefix")
    shutil.rmtree(folder, ignore_errors=True)
    maker.make(folder, **dict(GOOD, seed=3), prefix=True, hf_buffers=True)
    expect_runs(binary, "transformer-prefix", folder)

    check_safetensors(binary, good, workdir)
    check_files(binary, good, workdir)
    check_config(binary, good, workdir)
    check_vocab_and_merges(binary, good, workdir)
    check_line_endings(binary, good, workdir)
    check_model_argument(binary, good, workdir)
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
