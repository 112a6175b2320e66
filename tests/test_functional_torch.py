"""Derivatives of every order, Hessians, Jacobians and forward mode against PyTorch (extra parity); the
closed forms, which need no torch, are in test_functional.py."""

import math
import os

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autograd import Value, grad, hessian, jacobian, jvp

from .programs import evaluate, finite, library_of, programs, value_lib
from .test_functional import ELEMENTWISE
from .test_op_table import PARAMS, apply
from .test_op_table_torch import TORCH

pytestmark = pytest.mark.torch

if os.environ.get("CI") == "true":
    import torch  # CI installs the parity extra: a missing torch there is a failure, not a skip
else:
    torch = pytest.importorskip("torch")


def torch_derivatives(function, xs, params, order, constants=()):
    """The derivatives of each order by each input, from torch.autograd.grad(create_graph=True).

    The inputs at the positions in ``constants`` are plain numbers (no derivative by them)."""
    args = [torch.tensor(x, dtype=torch.float64, requires_grad=k not in constants) for k, x in enumerate(xs)]
    ts = [t for k, t in enumerate(args) if k not in constants]
    outs = [function(*args, *params)]
    found = []
    for _ in range(order):
        if not outs[-1].requires_grad:  # the last order was a constant: the rest are zero
            found.append([0.0] * len(ts))
            continue
        gs = torch.autograd.grad(outs[-1], ts, create_graph=True, allow_unused=True)
        gs = [torch.zeros((), dtype=torch.float64) if g is None else g for g in gs]
        found.append([g.item() for g in gs])
        outs.append(sum(gs))  # the next order differentiates the sum of this order's partials
    return found


def our_derivatives(op, xs, params, order, constants=()):
    args = [x if k in constants else Value(x) for k, x in enumerate(xs)]
    vs = [v for v in args if isinstance(v, Value)]
    outs = [apply(op, args, params)]
    found = []
    for _ in range(order):
        gs = grad(outs[-1], vs, create_graph=True)
        found.append([g.data for g in gs])
        outs.append(Value.sum(gs))
    return found


def close(ours, theirs):
    if math.isnan(theirs):
        return math.isnan(ours)
    return ours == theirs or math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize("op", ELEMENTWISE, ids=str)
def test_second_and_third_derivatives_of_every_op_match_pytorch(op):
    lo, hi = op.points

    @settings(max_examples=40)
    @given(st.lists(st.floats(lo, hi), min_size=len(op.operands), max_size=len(op.operands)))
    def check(xs):
        if op.name in ("maximum", "minimum"):
            assume(abs(xs[0] - xs[1]) > 1e-6)
        if op.name == "%":
            assume(abs(xs[1]) > 1e-3)
        params = PARAMS.get(op.name, ())
        try:
            ours = our_derivatives(op, xs, params, 3)
        except (ValueError, ZeroDivisionError):
            assume(False)
        theirs = torch_derivatives(TORCH[op.name], xs, params, 3)
        for order, (a, b) in enumerate(zip(ours, theirs), start=1):
            assert all(close(p, q) for p, q in zip(a, b)), (op, xs, order, a, b)

    check()


def torch_program(steps, outputs=1):
    lib = library_of(torch)

    def function(*ts):
        registers = evaluate(steps, list(ts), lib)
        chosen = registers[-outputs:]
        return chosen[0] if outputs == 1 else tuple(chosen)

    return function


@given(programs(max_inputs=3, max_ops=10))
def test_hessian_of_random_graphs_matches_pytorch(program):
    inputs, steps = program
    leaves = [Value(x) for x in inputs]
    out = evaluate(steps, leaves, value_lib)[-1]
    assume(finite(out.data) and out.op)
    ours = hessian(out, leaves)
    theirs = torch.autograd.functional.hessian(torch_program(steps), tuple(torch.tensor(x, dtype=torch.float64)
                                                                               for x in inputs))
    for i in range(len(inputs)):
        for j in range(len(inputs)):
            assume(math.isfinite(theirs[i][j].item()))
            assert close(ours[i][j], theirs[i][j].item()), (steps, i, j, ours, theirs)


@given(programs(max_inputs=3, max_ops=10))
def test_jacobian_and_jvp_of_random_graphs_match_pytorch(program):
    inputs, steps = program
    assume(len(steps) >= 2)
    leaves = [Value(x) for x in inputs]
    outs = evaluate(steps, leaves, value_lib)[-2:]
    assume(all(finite(o.data) for o in outs))
    tensors = tuple(torch.tensor(x, dtype=torch.float64) for x in inputs)
    theirs = torch.autograd.functional.jacobian(torch_program(steps, 2), tensors)
    ours = jacobian(outs, leaves)
    for i in range(2):
        for j in range(len(inputs)):
            assert close(ours[i][j], theirs[i][j].item()), (steps, ours, theirs)
    tangents = [0.5 - k for k in range(len(inputs))]
    _, their_jvp = torch.func.jvp(torch_program(steps, 2), tensors,
                                  tuple(torch.tensor(t, dtype=torch.float64) for t in tangents))
    our_jvp = jvp(outs, leaves, tangents)
    for a, b in zip(our_jvp, their_jvp):
        assert close(a, b.item()), (steps, our_jvp, their_jvp)
