"""Random expression graphs against PyTorch float64: values and grads to 1e-9 relative."""

import math
import os

import pytest
from hypothesis import given

from autograd import Value

from .programs import backpropagated, library_of, programs, run

if os.environ.get("CI") == "true":
    import torch  # CI installs the parity extra: a missing torch there is a failure, not a skip
else:
    torch = pytest.importorskip("torch")


def close(ours: float, theirs: float) -> bool:
    if math.isnan(theirs):
        return math.isnan(ours)
    return math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-12)


@given(programs(max_inputs=4, max_ops=16))
def test_random_graph_matches_pytorch(program):
    inputs, leaves, out = backpropagated(program)
    steps = program[1]
    tensors = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in inputs]
    reference = run(steps, tensors, library_of(torch))
    reference.backward()

    assert close(out.data, reference.item()), (out.data, reference.item())
    for leaf, tensor in zip(leaves, tensors):
        theirs = 0.0 if tensor.grad is None else tensor.grad.item()
        assert close(leaf.grad, theirs), (steps, leaf.grad, theirs)


@pytest.mark.parametrize("x", [-3.0, -1e-3, 0.0, 1e-3, 2.0])
@pytest.mark.parametrize("name", ["relu", "abs", "sigmoid", "tanh", "sqrt_sq", "leaky_relu"])
def test_conventions_at_kinks_match_pytorch(name, x):
    ours, t = Value(x), torch.tensor(x, dtype=torch.float64, requires_grad=True)
    funcs = {
        "relu": (lambda v: v.relu(), torch.relu),
        "abs": (lambda v: abs(v), torch.abs),
        "sigmoid": (lambda v: v.sigmoid(), torch.sigmoid),
        "tanh": (lambda v: v.tanh(), torch.tanh),
        "sqrt_sq": (lambda v: (v * v).sqrt(), lambda v: torch.sqrt(v * v)),
        "leaky_relu": (lambda v: v.leaky_relu(0.1), lambda v: torch.nn.functional.leaky_relu(v, 0.1)),
    }
    f, g = funcs[name]
    out, reference = f(ours), g(t)
    out.backward()
    reference.backward()
    assert close(out.data, reference.item())
    assert close(ours.grad, t.grad.item()), (ours.grad, t.grad.item())


@pytest.mark.parametrize("base, exponent", [(0.0, 2.0), (0.0, 0.5), (2.0, 0.0), (-2.0, 3.0), (0.0, 0.0), (0.0, 1.0)])
def test_power_edge_cases_match_pytorch(base, exponent):
    a, b = Value(base), Value(exponent)
    ta = torch.tensor(base, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(exponent, dtype=torch.float64, requires_grad=True)
    out, reference = a**b, ta**tb
    out.backward()
    reference.backward()
    assert close(out.data, reference.item())
    assert close(a.grad, ta.grad.item()), (a.grad, ta.grad.item())
    assert close(b.grad, tb.grad.item()), (b.grad, tb.grad.item())
