"""Every op's derivatives up to order 6 against PyTorch float64, over the whole float range.

Tiny and huge operands and points at the edge of each op's domain, on a fixed grid: a rule
that squares a factor (``-a / (b * b)`` for division) under- or overflows there, and squares
again at each order of ``grad(create_graph=True)``; the rules of the table must not.
"""

import math
import os

import pytest

from autograd import Value
from autograd.engine.ops import TABLE

from .test_functional_torch import our_derivatives, torch_derivatives
from .test_op_table import PARAMS, apply
from .test_op_table_torch import TORCH

if os.environ.get("CI") == "true":
    import torch  # CI installs the parity extra: a missing torch there is a failure, not a skip
else:
    torch = pytest.importorskip("torch")

ORDER = 6
MAGNITUDES = [1e-300, 1e-100, 1e-20, 1e-5, 0.3, 1.0, 2.5, 30.0, 1e5, 1e20, 1e100, 1e300]
EDGES = [1 - 1e-12, -1 + 1e-12, 1 - 1e-6, 1.5707963, 40.0, 700.0, -740.0, 1e-308]  # domain edges, overflow
GRID = sorted({*MAGNITUDES, *(-m for m in MAGNITUDES), *EDGES})
BINARY_GRID = [-1e200, -3.0, -1e-200, 1e-200, 0.5, 7.0, 1e200]
ELEMENTWISE = [op for op in TABLE if op.symbol_kind != "nary"]


def defined(op, xs, constants=()):
    """Is the op's forward defined at xs (our domain check, or a result beyond a float)?"""
    try:
        apply(op, [x if k in constants else Value(x) for k, x in enumerate(xs)], PARAMS.get(op.name, ()))
    except (ValueError, ArithmeticError):
        return False
    return True


# Where both engines compute a derivative from a result that rounds near 1, they keep few digits:
# softplus'' = s (1 - s) with s = sigmoid(30) = 1 - 9.4e-14 has 3 (PyTorch's 1e-3 off, ours 1.6e-4).
CANCELS = {"softplus": 2e-3}


def close(ours, theirs, lower, rel=1e-6):
    """Equal to ``rel``, or within a few ulps of the next lower order: a rule evaluated on the
    op's result, like tanh's 1 - out^2 at x = 30, cancels against it in either engine alike."""
    if math.isnan(theirs):
        return math.isnan(ours)
    if math.isinf(theirs):
        return ours == theirs
    return math.isclose(ours, theirs, rel_tol=rel, abs_tol=1e-300) or abs(ours - theirs) <= 1e-15 * lower


def check(op, xs, constants=()):
    """Our derivatives of orders 1..6 at xs against PyTorch's; positions in ``constants`` are numbers."""
    params = PARAMS.get(op.name, ())
    ours = our_derivatives(op, xs, params, ORDER, constants)
    theirs = torch_derivatives(TORCH[op.name], xs, params, ORDER, constants)
    lower = [max(abs(x) for x in xs)]
    for order, (mine, reference) in enumerate(zip(ours, theirs), start=1):
        scale = max(lower[-1], *map(abs, (r for r in reference if math.isfinite(r))), 0.0)
        rel = CANCELS.get(op.name, 1e-6) if max(map(abs, xs)) >= 20 else 1e-6
        assert all(close(p, q, scale, rel) for p, q in zip(mine, reference)), (op, xs, constants, order, ours, theirs)
        lower.append(max(map(abs, (r for r in reference if math.isfinite(r))), default=0.0))


@pytest.mark.parametrize("op", [op for op in ELEMENTWISE if len(op.operands) == 1], ids=str)
def test_unary_ops_to_order_6_over_the_whole_range(op):
    # at the domain's edge itself (asin at 1) every order is infinite; ours from the second on is 0, the
    # derivative of the constant inf: points near the edge are checked, the edge is not
    points = [x for x in GRID if defined(op, [x]) and not (op.name in ("asin", "acos") and abs(x) == 1)]
    assert len(points) >= 8, points
    for x in points:
        check(op, [x])


@pytest.mark.parametrize("op", [op for op in ELEMENTWISE if len(op.operands) == 2], ids=str)
@pytest.mark.parametrize("constants", [(), (1,), (0,)], ids=["values", "constant right", "constant left"])
def test_binary_ops_to_order_6_over_the_whole_range(op, constants):
    pairs = [(a, b) for a in BINARY_GRID for b in BINARY_GRID if defined(op, [a, b], constants)]
    if op.name == "**" and 0 not in constants:
        # A tiny base a (a Value) makes a local derivative too large for a float, 1/a^2 (of ln a) or
        # a^(b-2) at b < 1: its product with the next one is inf - inf (NaN) here, inf in PyTorch, whose
        # formulas take the upstream gradient in; and with both Values PyTorch's d/db of a negative
        # base is NaN and poisons every mixed partial.
        pairs = [(a, b) for a, b in pairs if abs(a) > 1e-100 and (a > 0 or constants)]
    assert len(pairs) >= 10, pairs
    for a, b in pairs:
        check(op, [a, b], constants)


def test_the_issue_s_reproducers():
    from autograd import grad

    a, b = Value(3.0), Value(2e-170)
    q = a / b  # finite though b * b underflows to 0
    q.backward()
    assert q.data == 1.5e170 and b.grad == -math.inf  # -3 / (2e-170)^2 is beyond a float, as in PyTorch
    c, d = Value(1e200), Value(1e200)
    (c / d).backward()
    assert d.grad == pytest.approx(-1e-200, rel=1e-12)
    x = Value(1e6)
    g = 1 / x
    for _ in range(7):
        (g,) = grad(g, x, create_graph=True)
    assert g.data == pytest.approx(-5040 / 1e6**8, rel=1e-9)  # the 7th derivative of 1/x: -7!/x^8
    x = Value(1e-3)
    g = 1 / x
    for _ in range(7):
        (g,) = grad(g, x, create_graph=True)
    assert g.data == pytest.approx(-5040 / 1e-3**8, rel=1e-9)


def test_hips_autograd_s_tanh_as_a_quotient_to_order_6():
    """HIPS autograd's README example: tanh written as (1 - e^-2x) / (1 + e^-2x), differentiated 6 times."""
    from autograd import grad

    def tanh(x):
        y = (-2.0 * x).exp()
        return (1.0 - y) / (1.0 + y)

    for at in (-7.0, -3.0, 0.5, 4.0, 7.0):  # HIPS plots it on -7..7
        x, t = Value(at), torch.tensor(at, dtype=torch.float64, requires_grad=True)
        ours, theirs = tanh(x), torch.tanh(t)
        for order in range(1, 7):
            (ours,) = grad(ours, x, create_graph=True)
            (theirs,) = torch.autograd.grad(theirs, t, create_graph=True)
            assert ours.data == pytest.approx(theirs.item(), rel=1e-8, abs=1e-12), (at, order)
