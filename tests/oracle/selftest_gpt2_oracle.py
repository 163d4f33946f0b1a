#!/usr/bin/python3
"""Self-test of the GPT-2 oracle's own parts (issue 14), without attn-explain.

  1. safetensors_io: write then read gives the tensors back (F32 exactly, F16/BF16 as
     rounded), the bytes are those the format prescribes (checked with struct, numpy's
     float16 and integer arithmetic for bfloat16, not with torch), the header is aligned
     and spelled as the spec says; every kind of broken file is refused by our reader or,
     for the kinds that are valid safetensors (wrong-shape, missing), by the model loader.
  2. make_gpt2_checkpoint: the tiny vocabulary is a consistent BPE vocabulary, F16/BF16
     files hold the F32 draw rounded, the prefix and mask buffers are where they should be.
  3. gpt2_torch: its per-head loops agree with an independent batched formulation built
     on torch.nn.functional (layer_norm, softmax, gelu(approximate="tanh"), linear, einsum),
     both in float64, with and without the position embeddings, and so do its logit lens
     and LayerNorm statistics (torch.var_mean); its float32 rounding is well under
     check_gpt2's tolerance.
  4. check_gpt2: it passes the traces fake_binary_gpt2.py makes from gpt2_torch itself,
     and fails each of the fake's deliberate breaks (a wrong weight, a transposed out_proj,
     GELU without the tanh, layer_norm_epsilon ignored, the MLP's hidden layer before GELU,
     the lens without ln_f, --no-positions ignored, ...).

usage: /usr/bin/python3 tests/oracle/selftest_gpt2_oracle.py WORKDIR
Ends with "N passed, N failed"; exit 1 when anything failed.
"""
import contextlib
import io
import json
import math
import os
import struct
import sys

import numpy
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_gpt2  # noqa: E402
import fake_binary_gpt2  # noqa: E402
import gpt2_bpe  # noqa: E402
import gpt2_torch  # noqa: E402
import make_gpt2_checkpoint as maker  # noqa: E402
import safetensors_io as st  # noqa: E402

RESULTS = {"passed": 0, "failed": 0}


def expect(ok, what):
    RESULTS["passed" if ok else "failed"] += 1
    if not ok:
        print(f"FAIL {what}", flush=True)


# ------------------------------------------------------------------ 1. safetensors_io

def bf16_bits(x):
    """bfloat16 bits of the float32 x, rounded to nearest even, by integer arithmetic."""
    (u,) = struct.unpack("<I", struct.pack("<f", x))
    return ((u + 0x7FFF + ((u >> 16) & 1)) >> 16) & 0xFFFF


def test_round_trip(workdir):
    g = torch.Generator().manual_seed(5)
    tensors = {"a.weight": torch.randn(3, 5, generator=g), "b": torch.randn(7, generator=g) * 1000,
               "scalar": torch.tensor(0.1), "empty": torch.zeros(0, 4), "c.d.e": torch.randn(2, 3, 4, generator=g),
               "tiny": torch.tensor([1e-8, -3e-6, 65504.0, 70000.0, 1.0 / 3])}
    for dtype in ("F32", "F16", "BF16"):
        path = os.path.join(workdir, f"roundtrip_{dtype}.safetensors")
        st.write(path, tensors, dtype, metadata={"format": "pt", "n": 3})
        back, dtypes = st.read(path, with_dtypes=True)
        expect(set(back) == set(tensors), f"{dtype}: names {sorted(back)}")
        for name, t in tensors.items():
            want = st.rounded(t, dtype)
            expect(back[name].dtype == torch.float32 and back[name].shape == t.shape and
                   torch.equal(back[name], want), f"{dtype}: {name} read back differs")
            expect(dtypes[name] == dtype, f"{dtype}: {name} stored as {dtypes[name]}")
        expect(st.metadata(path) == {"format": "pt", "n": "3"}, f"{dtype}: metadata {st.metadata(path)}")
        with open(path, "rb") as f:
            blob = f.read()
        (n,) = struct.unpack("<Q", blob[:8])
        expect((8 + n) % 8 == 0, f"{dtype}: data starts at {8 + n}, not a multiple of 8")
        header = json.loads(blob[8:8 + n])
        expect(blob[8:8 + n].rstrip(b" ").endswith(b"}"), f"{dtype}: header padded with something else than spaces")
        data = blob[8 + n:]
        offset = 0
        for name, t in tensors.items():  # in the order written, back to back
            e = header[name]
            size = {"F32": 4, "F16": 2, "BF16": 2}[dtype] * t.numel()
            expect(e == {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + size]},
                   f"{dtype}: header entry {name}: {e}")
            raw = data[offset:offset + size]
            values = t.flatten().tolist()
            if dtype == "F32":
                want = struct.pack(f"<{len(values)}f", *values)
            elif dtype == "F16":
                with numpy.errstate(over="ignore"):  # 70000 is past F16's range: infinity
                    want = numpy.array(values, dtype=numpy.float32).astype("<f2").tobytes()
            else:
                want = struct.pack(f"<{len(values)}H", *[bf16_bits(v) for v in values])
            expect(raw == want, f"{dtype}: bytes of {name} are not the format's")
            offset += size
        expect(offset == len(data), f"{dtype}: {len(data) - offset} bytes after the last tensor")
    mixed = os.path.join(workdir, "mixed.safetensors")
    st.write(mixed, tensors, {"b": "BF16", "tiny": "F16"})
    back, dtypes = st.read(mixed, with_dtypes=True)
    expect(dtypes == {n: {"b": "BF16", "tiny": "F16"}.get(n, "F32") for n in tensors}, f"mixed dtypes {dtypes}")
    expect(torch.equal(back["tiny"], st.rounded(tensors["tiny"], "F16")) and math.isinf(back["tiny"][3]),
           "F16 70000 is not rounded to infinity")


def test_broken(workdir):
    model_dir = os.path.join(workdir, "broken_base")
    maker.make(model_dir, 1, 2, 8, 8, seed=9)
    good = os.path.join(model_dir, "model.safetensors")
    with open(os.path.join(model_dir, "config.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    n_good = len(st.read(good))
    for kind in st.BROKEN:
        bad = os.path.join(workdir, f"broken_{kind}.safetensors")
        st.broken(kind, good, bad)
        try:
            tensors = st.read(bad)
        except st.FormatError as e:
            expect(kind not in ("wrong-shape", "missing") and str(e).startswith(bad), f"broken {kind}: {e}")
            continue
        expect(kind in ("wrong-shape", "missing"), f"broken {kind}: our reader accepts it")
        if kind == "missing":
            expect(len(tensors) == n_good - 1, f"broken missing: {len(tensors)} tensors of {n_good}")
        try:
            gpt2_torch.GPT2(cfg, tensors)
            expect(False, f"broken {kind}: the model loads it")
        except (KeyError, ValueError):
            expect(True, "")
    bad = os.path.join(workdir, "broken_named.safetensors")
    st.broken("unknown-dtype", good, bad, tensor="h.0.mlp.c_fc.bias")
    try:
        st.read(bad)
        expect(False, "unknown-dtype --tensor: accepted")
    except st.FormatError as e:
        expect("h.0.mlp.c_fc.bias" in str(e) and "Q7" in str(e), f"unknown-dtype --tensor: {e}")


# ------------------------------------------------------------------ 2. make_gpt2_checkpoint

def test_checkpoints(workdir):
    vocab, merges = maker.tiny_vocab(300)
    expect(len(merges) == 300, f"{len(merges)} merges learned, 300 asked")
    expect(list(vocab)[:256] == list(gpt2_bpe.BYTE_SYMBOL.values()), "the first 256 ids are not the byte symbols")
    expect(sorted(vocab.values()) == list(range(len(vocab))), "tiny vocabulary ids not 0..n-1")
    expect(all(a in vocab and b in vocab and a + b in vocab for a, b in merges), "a merge outside the vocabulary")
    expect(len(vocab) == 256 + len(set(a + b for a, b in merges)) + 1, "tiny vocabulary size")
    encoder = gpt2_bpe.Encoder(vocab, merges)
    for s in maker.SEED_SENTENCES:
        ids = encoder.encode(s)
        expect(b"".join(encoder.token_bytes(i) for i in ids) == s.encode(), f"tiny vocabulary does not spell {s!r}")
    expect(len(encoder.encode("The dog chased the ball, and it rolled away.")) < 20, "tiny merges do not merge")

    base = dict(layers=2, heads=2, embd=8, positions=8, seed=11)
    dirs = {d: os.path.join(workdir, f"ck_{d}") for d in ("F32", "F16", "BF16")}
    for d, path in dirs.items():
        maker.make(path, dtype=d, **base)
    f32 = st.read(os.path.join(dirs["F32"], "model.safetensors"))
    expect(torch.equal(f32["wte.weight"], maker.random_weights(json.load(open(os.path.join(dirs["F32"], "config.json"))),
                                                               11, 0.02)["wte.weight"]), "F32 file is not the draw")
    for d in ("F16", "BF16"):
        got, dtypes = st.read(os.path.join(dirs[d], "model.safetensors"), with_dtypes=True)
        expect(set(dtypes.values()) == {d}, f"{d} file has dtypes {set(dtypes.values())}")
        expect(all(torch.equal(got[n], st.rounded(t, d)) for n, t in f32.items()), f"{d} file is not the F32 draw rounded")
        expect(any(not torch.equal(got[n], t) for n, t in f32.items()), f"{d} file equals the F32 one")
    names = list(f32)
    expect(names == gpt2_torch.weight_names(2), "weight names or order")
    ln = f32["h.0.ln_1.weight"]
    expect(0.5 < ln.mean().item() < 1.5 and ln.std().item() > 0.01, "ln weights not around 1 with noise")
    expect(all((t != 0).all() for n, t in f32.items() if n.endswith("bias")), "a bias with zeros")

    pre = os.path.join(workdir, "ck_prefix")
    maker.make(pre, prefix=True, hf_buffers=True, **base)
    got = st.read(os.path.join(pre, "model.safetensors"))
    expect(all(n.startswith("transformer.") for n in got), "prefix: a name without transformer.")
    expect(got["transformer.h.1.attn.bias"].shape == (1, 1, 8, 8) and
           torch.equal(got["transformer.h.1.attn.bias"][0, 0], torch.tril(torch.ones(8, 8))), "mask buffer")
    _, model = gpt2_torch.load_checkpoint(pre)
    expect(torch.equal(model.w["wte.weight"], f32["wte.weight"]), "prefix: the loader does not strip it")
    if os.path.isfile(os.path.join(maker.DEFAULT_ENCODER_DIR, "encoder.json")):
        g2 = os.path.join(workdir, "ck_gpt2vocab")
        cfg = maker.make(g2, vocab="gpt2", **base)
        expect(cfg["vocab_size"] == 50257, f"gpt2 vocab_size {cfg['vocab_size']}")
        with open(os.path.join(g2, "merges.txt"), encoding="utf-8") as f:
            expect(f.readline().startswith("#version"), "gpt2 merges.txt first line")
    else:
        print(f"# skipped the gpt2 vocabulary: no {maker.DEFAULT_ENCODER_DIR}")


# ------------------------------------------------------------------ 3. gpt2_torch

def reference(cfg, w, ids, positions=True):
    """GPT-2 batched over heads, with torch.nn.functional: a second formulation. Returns
    (layers, probabilities, lens probabilities)."""
    n, e, h = len(ids), cfg["n_embd"], cfg["n_head"]
    hd, eps = e // h, cfg["layer_norm_epsilon"]
    x = F.embedding(torch.tensor(ids), w["wte.weight"])
    if positions:
        x = x + F.embedding(torch.arange(n), w["wpe.weight"])
    streams = [x]
    causal = torch.tril(torch.ones(n, n)).bool()
    layers = []
    for i in range(cfg["n_layer"]):
        p = lambda s: w[f"h.{i}.{s}"]  # noqa: E731
        a = F.layer_norm(x, (e,), p("ln_1.weight"), p("ln_1.bias"), eps)
        qkv = F.linear(a, p("attn.c_attn.weight").T, p("attn.c_attn.bias"))
        q, k, v = (t.reshape(n, h, hd).permute(1, 0, 2) for t in qkv.split(e, dim=-1))
        scores = torch.einsum("hid,hjd->hij", q, k)
        masked = torch.where(causal, scores / math.sqrt(hd), torch.tensor(-math.inf))
        weights = F.softmax(masked, dim=-1)
        context = torch.einsum("hij,hjd->hid", weights, v)
        concatenated = context.permute(1, 0, 2).reshape(n, e)
        out = F.linear(concatenated, p("attn.c_proj.weight").T, p("attn.c_proj.bias"))
        x = x + out
        m = F.gelu(F.linear(F.layer_norm(x, (e,), p("ln_2.weight"), p("ln_2.bias"), eps),
                            p("mlp.c_fc.weight").T, p("mlp.c_fc.bias")), approximate="tanh")
        x = x + F.linear(m, p("mlp.c_proj.weight").T, p("mlp.c_proj.bias"))
        streams.append(x)
        layers.append(dict(ln_1=a, queries=q, keys=k, values=v, scores=scores, masked_scores=masked,
                           weights=weights, context=context, concatenated=concatenated, output=out, block_output=x))
    lens = F.softmax(F.linear(F.layer_norm(torch.stack(streams), (e,), w["ln_f.weight"], w["ln_f.bias"], eps),
                              w["wte.weight"]), dim=-1)
    return layers, lens[-1], lens


def relative(got, want):
    """The largest |got - want| / max(|want|, 1), -inf entries (the mask) left out."""
    finite = torch.isfinite(want)
    return ((got.double() - want.double()).abs() / want.double().abs().clamp(min=1.0))[finite].max().item()


def test_module(workdir):
    """gpt2_torch against the batched formulation, both in float64 (they must agree to
    rounding); then gpt2_torch in float32 against itself in float64: the oracle's own
    rounding must stay well under check_gpt2's tolerance, or 1e-4 would be luck."""
    noise = 0.0
    for name, args in (("mod_a", dict(layers=3, heads=4, embd=32, positions=40, seed=21, std=0.3)),
                       ("mod_b", dict(layers=2, heads=3, embd=24, positions=40, seed=22, eps=1e-3)),
                       ("mod_c", dict(layers=2, heads=12, embd=96, positions=40, seed=23))):
        path = os.path.join(workdir, name)
        cfg = maker.make(path, **args)
        _, m64 = gpt2_torch.load_checkpoint(path, dtype=torch.float64)
        _, m32 = gpt2_torch.load_checkpoint(path)
        encoder = gpt2_bpe.Encoder.load(os.path.join(path, "vocab.json"), os.path.join(path, "merges.txt"))
        for index, sentence in enumerate(maker.SEED_SENTENCES + ["a"]):
            ids = encoder.encode(sentence)
            positions = index % 2 == 0
            with torch.no_grad():
                mine, low = m64.forward(ids, positions=positions), m32.forward(ids, positions=positions)
                layers, probs, lens = reference(cfg, m64.w, ids, positions)
                temperature = (0.5, 2.0)[index % 2]
                diff = relative(m64.lens(mine, temperature), F.softmax(lens.log() / temperature, dim=-1))
                expect(diff < 1e-10, f"{name} lens at T = {temperature}: off by {diff:.3g}")
                noise = max(noise, relative(m32.lens(low), m64.lens(mine)))
            for got in mine["layers"]:
                for key, x in (("input", got["input"]), ("after_attn", got["after_attn"])):
                    stats = gpt2_torch.layer_norm_statistics(x, cfg["layer_norm_epsilon"])
                    var, mean = torch.var_mean(x, dim=-1, unbiased=False)
                    diff = max(relative(stats["mean"], mean), relative(stats["variance"], var),
                               relative(stats["std"], (var + cfg["layer_norm_epsilon"]).sqrt()))
                    expect(diff < 1e-12, f"{name} LayerNorm statistics of {key}: off by {diff:.3g}")
            for i, (got, want, got32) in enumerate(zip(mine["layers"], layers, low["layers"])):
                for key in ("ln_1", "concatenated", "output", "block_output"):
                    diff = relative(got[key], want[key])
                    expect(diff < 1e-10, f"{name} layer {i + 1} {key}: off by {diff:.3g}")
                    noise = max(noise, relative(got32[key], got[key]))
                for key in ("queries", "keys", "values", "scores", "masked_scores", "weights", "context"):
                    stacked = torch.stack([hd[key] for hd in got["heads"]])
                    expect(torch.equal(torch.isinf(stacked), torch.isinf(want[key])), f"{name} {key}: -inf elsewhere")
                    diff = relative(stacked, want[key])
                    expect(diff < 1e-10, f"{name} layer {i + 1} {key}: off by {diff:.3g}")
                    noise = max(noise, relative(torch.stack([hd[key] for hd in got32["heads"]]), stacked))
            diff = ((mine["probabilities"] - probs).abs() / probs).max().item()
            expect(diff < 1e-10, f"{name} probabilities: off by {diff:.3g}")
            expect(abs(mine["probabilities"][-1].sum().item() - 1) < 1e-12, f"{name}: probabilities do not sum to 1")
            noise = max(noise, ((low["probabilities"].double() - mine["probabilities"]).abs()
                                / mine["probabilities"]).max().item())
    print(f"# gpt2_torch in float32 against float64: off by at most {noise:.2g} (tolerance {check_gpt2.TOLERANCE:g})")
    expect(noise < check_gpt2.TOLERANCE / 3, f"float32 rounding {noise:.3g} is close to the tolerance")
    x = torch.linspace(-6, 6, 1001)
    expect(torch.allclose(gpt2_torch.gelu_tanh(x), F.gelu(x, approximate="tanh"), atol=1e-6), "gelu_tanh")
    expect(not torch.allclose(gpt2_torch.gelu_tanh(x), F.gelu(x), atol=1e-4), "gelu_tanh equals the exact GELU")


# ------------------------------------------------------------------ 4. check_gpt2 against the fake

# Each break, and the checkpoints where it must show (GELU's tanh and the epsilon need
# the configurations that make them matter: large activations, a large epsilon). Else two
# checkpoints, not the whole tiny group ("tiny" names both): with the block and the lens in
# the traces, a break over all seven costs 4 s.
BREAK_WHERE = {"eps": "three-layers", "gelu-erf": "sharp", "accept-long": "three-layers"}
BREAK_WHERE_DEFAULT = "three-layers,f16"


def run_checker(workdir, argv, broken=None):
    """(exit status, printed lines) of check_gpt2 with the fake binary in-process."""
    check_gpt2.invoke = lambda binary, args: fake_binary_gpt2.main(args, broken)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = check_gpt2.main(["fake", workdir, *argv])
    return status, out.getvalue().splitlines()


def test_checker(workdir):
    sizes = "tiny"
    if not os.path.isfile(os.path.join(maker.DEFAULT_ENCODER_DIR, "encoder.json")):
        sizes = ",".join(name for name, group, args, _ in check_gpt2.CHECKPOINTS
                         if group == "tiny" and args.get("vocab", "tiny") == "tiny")
        print(f"# the checker without the checkpoints of GPT-2's vocabulary: no {maker.DEFAULT_ENCODER_DIR}")
    status, lines = run_checker(workdir, ["--sizes", sizes, "--quick"])
    expect(status == 0 and lines[-1].endswith(" 0 failed"), "the checker fails the faithful fake:\n  " + "\n  ".join(lines[-12:]))
    for broken in fake_binary_gpt2.BREAKS:
        where = BREAK_WHERE.get(broken, BREAK_WHERE_DEFAULT)
        status, lines = run_checker(workdir, ["--sizes", where, "--sentences", "2"], broken)
        expect(status == 1 and any(line.startswith("FAIL") for line in lines),
               f"the checker misses the break {broken!r} ({fake_binary_gpt2.BREAKS[broken]}) on {where}")
    # And once through a real process, as the binary is run.
    import subprocess
    model_dir = os.path.join(workdir, "tiny")
    done = subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake_binary_gpt2.py"),
                           "--model", model_dir, "--layer", "2", "--json", "--top", "5", maker.SEED_SENTENCES[0]],
                          capture_output=True)
    check_gpt2.invoke = lambda binary, args: (done.returncode, done.stdout, done.stderr)
    cfg, model = gpt2_torch.load_checkpoint(model_dir)
    encoder = gpt2_bpe.Encoder.load(os.path.join(model_dir, "vocab.json"), os.path.join(model_dir, "merges.txt"))
    try:
        problems = check_gpt2.compare(check_gpt2.run("fake", model_dir, 2, maker.SEED_SENTENCES[0]),
                                      maker.SEED_SENTENCES[0], cfg, model, encoder, 2, {})
    except Exception as e:  # noqa: BLE001
        problems = [f"{type(e).__name__}: {e}"]
    expect(not problems, f"the fake as a process: {problems}")


def main(argv):
    if len(argv) != 1:
        print(__doc__.split("\n\n")[-2], file=sys.stderr)
        return 2
    workdir = argv[0]
    os.makedirs(workdir, exist_ok=True)
    for test in (test_round_trip, test_broken, test_checkpoints, test_module, test_checker):
        before = RESULTS["failed"]
        try:
            test(workdir)
        except Exception as e:  # noqa: BLE001 - a crash is one more failure, the rest still runs
            expect(False, f"{test.__name__}: {type(e).__name__}: {e}")
        print(f"# {test.__name__}: {'ok' if RESULTS['failed'] == before else 'FAILED'}", flush=True)
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
