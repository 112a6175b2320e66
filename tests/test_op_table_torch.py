"""The op table against PyTorch float64: every op's value and derivatives over its whole domain (extra
parity). The table's own checks, which need no torch, are in test_op_table.py."""

import math
import operator
import os

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from autograd import Value

from .test_op_table import BINARY_CALLS, DOMAIN, ELEMENTWISE, WIDE, apply, reals, torch_functions_names

pytestmark = pytest.mark.torch

# ---- PyTorch float64: values and derivatives over the whole domain ----

if os.environ.get("CI") == "true":
    import torch  # CI installs the parity extra: a missing torch there is a failure, not a skip
else:
    torch = pytest.importorskip("torch")
F = torch.nn.functional

TORCH = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "**": operator.pow,
    "%": torch.remainder, "maximum": torch.maximum, "minimum": torch.minimum,
    "neg": torch.neg, "abs": torch.abs, "exp": torch.exp, "log": torch.log, "log2": torch.log2, "log10": torch.log10,
    "log1p": torch.log1p, "expm1": torch.expm1, "sqrt": torch.sqrt, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
    "relu": torch.relu, "leaky_relu": F.leaky_relu,
    # PyTorch returns x itself above threshold=20; at 40 its log1p(exp(x)) is exact in float64, as ours is everywhere
    "softplus": lambda x: F.softplus(x, threshold=40.0) if x.item() < 40 else x + 0 * x,
    "clamp": torch.clamp, "sin": torch.sin, "cos": torch.cos, "tan": torch.tan, "asin": torch.asin,
    "acos": torch.acos, "atan": torch.atan, "sinh": torch.sinh, "cosh": torch.cosh,
}
assert set(TORCH) == set(torch_functions_names())


def close(ours, theirs, rel=1e-9, abs_tol=1e-300):
    if math.isnan(theirs):
        return math.isnan(ours)
    return ours == theirs or math.isclose(ours, theirs, rel_tol=rel, abs_tol=abs_tol)


# A derivative computed from the result, like tanh's 1 - out^2 near |x| = 10, cancels: both engines lose
# the same few ulps of 1, so derivatives agree to 1e-9 relative or to a few ulps of 1.
GRAD_ABS = 1e-15


@pytest.mark.parametrize("op", ELEMENTWISE, ids=str)
def test_every_op_matches_pytorch(op):
    @given(st.tuples(*DOMAIN[op.name]), st.integers(0, 2), st.data())
    def check(xs, form, data):
        params = ()
        if op.name == "leaky_relu":
            params = (data.draw(reals(0, 1), "slope"),)
        if op.name == "clamp":
            params = tuple(sorted(data.draw(st.tuples(WIDE, WIDE), "bounds")))
        args = [Value(x) for x in xs]
        tensors = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
        if len(args) == 2 and form:  # one operand a number: a constant on that side
            args[form - 1] = tensors[form - 1] = xs[form - 1]
        try:
            out = apply(op, args, params)
        except (ValueError, ZeroDivisionError, OverflowError):
            assume(False)
        reference = TORCH[op.name](*[t if isinstance(t, torch.Tensor) else torch.tensor(t, dtype=torch.float64)
                                     for t in tensors], *params)
        out.backward()
        reference.backward()
        assert close(out.data, reference.item()), (xs, params, out.data, reference.item())
        for arg, tensor in zip(args, tensors):
            if isinstance(arg, Value):
                assert close(arg.grad, tensor.grad.item(), abs_tol=GRAD_ABS), (xs, params, arg.grad, tensor.grad.item())

    check()


@pytest.mark.parametrize("a, b", [(2.0, 2.0), (-1.0, -1.0), (0.0, -0.0), (1.0, 3.0)])
@pytest.mark.parametrize("name", ["maximum", "minimum"])
def test_ties_split_the_gradient_as_pytorch_does(name, a, b):
    va, vb = Value(a), Value(b)
    ta, tb = (torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in (a, b))
    BINARY_CALLS[name](va, vb).backward()
    TORCH[name](ta, tb).backward()
    assert (va.grad, vb.grad) == (ta.grad.item(), tb.grad.item())


@pytest.mark.parametrize("x", [-1.0, 0.0, 1.0, 2.0, 0.5])
def test_clamp_at_its_bounds_matches_pytorch(x):
    v, t = Value(x), torch.tensor(x, dtype=torch.float64, requires_grad=True)
    v.clamp(0.0, 1.0).backward()
    torch.clamp(t, 0.0, 1.0).backward()
    assert v.grad == t.grad.item()


@pytest.mark.parametrize("a, b", [(5.5, 2.0), (-5.5, 2.0), (5.5, -2.0), (-5.5, -2.0), (4.0, 2.0), (1e-3, 7.0)])
def test_remainder_of_both_operands_matches_pytorch(a, b):
    va, vb = Value(a), Value(b)
    ta, tb = (torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in (a, b))
    out, reference = va % vb, torch.remainder(ta, tb)
    out.backward()
    reference.backward()
    assert out.data == reference.item() and va.grad == ta.grad.item() and vb.grad == tb.grad.item()
