#!/usr/bin/python3
"""Print the values PyTorch's CPU generator gives, for tests/data/torch_generator.json.

The unit tests of attn::TorchGenerator compare against this file, so its numbers
must come from PyTorch itself (Debian's python3-torch), never from attn-explain.
Run:  /usr/bin/python3 tests/oracle/torch_generator_values.py > tests/data/torch_generator.json
"""
import json

import torch


def floats(t):
    # float32 values as Python floats: exact, so json keeps every bit.
    return [float(x) for x in t.flatten().tolist()]


cases = []
for seed in (123, 0, 42, 2**32 + 5, 2**63 - 1):
    torch.manual_seed(seed)
    cases.append({"seed": seed, "call": "rand(3, 2) three times",
                  "values": floats(torch.rand(3, 2)) + floats(torch.rand(3, 2)) + floats(torch.rand(3, 2))})
torch.manual_seed(7)
cases.append({"seed": 7, "call": "rand(40)", "values": floats(torch.rand(40))})
uniform = []
for seed, bound in ((123, 1 / 3 ** 0.5), (5, 0.125), (99, 1 / 768 ** 0.5)):
    torch.manual_seed(seed)
    uniform.append({"seed": seed, "from": -bound, "to": bound,
                    "values": floats(torch.empty(24).uniform_(-bound, bound))})

linear = []
for seed, d_in, d_out, bias in ((789, 3, 2, False), (123, 3, 2, True), (5, 6, 4, True), (0, 768, 3, True)):
    torch.manual_seed(seed)
    layer = torch.nn.Linear(d_in, d_out, bias=bias)
    linear.append({"seed": seed, "in": d_in, "out": d_out, "bias": bias,
                   "weight": floats(layer.weight.detach()),  # out x in, row-major
                   "bias_values": floats(layer.bias.detach()) if bias else None})
dropout = []
for seed, p, rows, cols in ((123, 0.5, 6, 6), (7, 0.1, 4, 5), (99, 0.8, 3, 3)):
    torch.manual_seed(seed)
    layer = torch.nn.Dropout(p)
    layer.train()
    dropout.append({"seed": seed, "p": p, "rows": rows, "cols": cols,
                    "kept": [1 if v != 0 else 0 for v in floats(layer(torch.ones(rows, cols)))]})

print(json.dumps({
    "about": "Values printed by PyTorch %s (Debian python3-torch) on the CPU, by "
             "tests/oracle/torch_generator_values.py" % torch.__version__,
    "rand": cases,
    "uniform": uniform,
    "linear": linear,
    "dropout": dropout,
}, indent=1))
