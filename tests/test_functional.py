"""Derivatives of derivatives, Hessians, Jacobians and forward mode, against closed forms and PyTorch."""

import math
import os

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autograd import Value, custom_op, explain, grad, hessian, jacobian, jvp, mode_costs
from autograd.engine.ops import TABLE, NotDifferentiableAgainError

from .programs import evaluate, finite, library_of, programs, value_lib
from .test_op_table import PARAMS, TORCH, apply

ELEMENTWISE = [op for op in TABLE if op.symbol_kind != "nary"]


def derivatives(f, x, order):
    """[f(x), f'(x), ..., f^(order)(x)] at the float x, each by grad(create_graph=True) of the last."""
    v = Value(x, "x")
    out = [f(v)]
    for _ in range(order):
        (d,) = grad(out[-1], v, create_graph=True)
        out.append(d)
    return [d.data for d in out]


@pytest.mark.parametrize("f, x, expected", [
    (lambda x: x**3, 2.0, [8.0, 12.0, 12.0, 6.0, 0.0]),
    (lambda x: x.exp(), 0.5, [math.exp(0.5)] * 5),
    (lambda x: x.log(), 2.0, [math.log(2.0), 0.5, -0.25, 0.25, -0.375]),
    (lambda x: x.sin(), 0.3, [math.sin(0.3), math.cos(0.3), -math.sin(0.3), -math.cos(0.3), math.sin(0.3)]),
    (lambda x: x.tanh(), 0.4, [math.tanh(0.4), 1 - math.tanh(0.4) ** 2, -2 * math.tanh(0.4) * (1 - math.tanh(0.4) ** 2),
                               None, None]),
    (lambda x: x.sigmoid(), 0.7, [None, None, (lambda s: s * (1 - s) * (1 - 2 * s))(1 / (1 + math.exp(-0.7))), None, None]),
    (lambda x: x.sqrt(), 4.0, [2.0, 0.25, -1 / 32, 3 / 256, None]),
    (lambda x: 1 / x, 2.0, [0.5, -0.25, 0.25, -0.375, 0.75]),
    (lambda x: 2**x, 1.0, [2.0, 2 * math.log(2), 2 * math.log(2) ** 2, 2 * math.log(2) ** 3, None]),
    (lambda x: x * x.exp(), 1.0, [math.e, 2 * math.e, 3 * math.e, 4 * math.e, 5 * math.e]),  # the x e^x
    (lambda x: x.asin(), 0.5, [math.asin(0.5), 1 / math.sqrt(0.75), 0.5 / 0.75**1.5, None, None]),
    (lambda x: x.softplus(), 0.0, [math.log(2), 0.5, 0.25, 0.0, None]),
    (lambda x: x.relu() * x, 2.0, [4.0, 4.0, 2.0, 0.0, 0.0]),
    (lambda x: x**0, 0.0, [1.0, 0.0, 0.0, 0.0, 0.0]),
])
def test_higher_derivatives_match_closed_forms(f, x, expected):
    got = derivatives(f, x, len(expected) - 1)
    for k, (g, e) in enumerate(zip(got, expected)):
        if e is not None:
            assert g == pytest.approx(e, rel=1e-12, abs=1e-14), (k, got)


if os.environ.get("CI") == "true":
    import torch  # CI installs the parity extra: a missing torch there is a failure, not a skip
else:
    torch = pytest.importorskip("torch")


def torch_derivatives(function, xs, params, order):
    """The derivatives of each order by each input, from torch.autograd.grad(create_graph=True)."""
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    outs = [function(*ts, *params)]
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


def our_derivatives(op, xs, params, order):
    vs = [Value(x) for x in xs]
    outs = [apply(op, vs, params)]
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


def test_grad_leaves_every_grad_as_it_was():
    x, y = Value(2.0, "x"), Value(3.0, "y")
    z = (x * y).tanh() + x
    x.grad, y.grad, z.grad = 0.25, -1.0, 7.0
    dx, dy = grad(z, [x, y])
    assert (x.grad, y.grad, z.grad) == (0.25, -1.0, 7.0)
    assert dx.data == pytest.approx(y.data * (1 - math.tanh(6.0) ** 2) + 1, rel=1e-15)
    grad(z, [x, y], create_graph=True)
    assert (x.grad, y.grad, z.grad) == (0.25, -1.0, 7.0)


def test_grad_outputs_weight_each_output():
    x = Value(2.0)
    a, b = x * 3, x * x
    (d,) = grad([a, b], x, grad_outputs=[2.0, -1.0])
    assert d.data == 2.0 * 3 - 1.0 * 4
    (d,) = grad([a, b], x)  # default: one for each output
    assert d.data == 3 + 4


def test_an_unused_input_gets_zero_not_an_error():
    x, unused = Value(2.0), Value(5.0)
    dx, du = grad(x * x, [x, unused], create_graph=True)
    assert dx.data == 4.0 and du.data == 0.0 and not du.op
    assert hessian(x * x, [x, unused]) == [[2.0, 0.0], [0.0, 0.0]]


def test_the_derivative_graph_can_be_explained_stepped_and_differentiated():
    x = Value(0.5, "x")
    (dy,) = grad(x.tanh(), x, create_graph=True)
    text = explain(dy)
    assert "tanh(x)" in text and "gradients" in text
    steps = list(dy.backward_steps())
    assert steps and x.grad == pytest.approx(-2 * math.tanh(0.5) * (1 - math.tanh(0.5) ** 2), rel=1e-14)


def test_paths_meeting_at_a_node_become_one_sum_node():
    x = Value(1.5, "x")
    y = x * x.sin() + x.exp()  # three paths into x
    (dy,) = grad(y, x, create_graph=True)
    assert dy.op == "sum" and len(dy.parents) == 3
    assert dy.data == pytest.approx(math.sin(1.5) + 1.5 * math.cos(1.5) + math.exp(1.5), rel=1e-15)


def test_a_deep_chain_gets_first_and_second_derivatives_without_recursion():
    x = Value(0.3, "x")
    y = x
    for _ in range(50_000):  # 100,000 ops: exp then log, so y = x and dy/dx = 1
        y = y.exp().log()
    (dy,) = grad(y, x, create_graph=True)
    (d2y,) = grad(dy, x)
    assert dy.data == pytest.approx(1.0, rel=1e-9) and abs(d2y.data) < 1e-6


def test_custom_ops_differentiate_again_only_with_their_value_rule():
    cube = custom_op("cube", lambda x: x**3, lambda x, out: 3 * x * x, value_derivative=lambda x, out: (3 * x * x,))
    assert derivatives(cube, 2.0, 3) == [8.0, 12.0, 12.0, 6.0]
    bare = custom_op("bare", lambda x: x**3, lambda x, out: 3 * x * x)
    assert grad(bare(Value(2.0)), Value(2.0))[0].data == 0.0  # not an input of it: zero, no error
    x = Value(2.0)
    assert grad(bare(x), x)[0].data == 12.0  # first order needs only the float rule
    with pytest.raises(NotDifferentiableAgainError, match="custom op 'bare' .* pass value_derivative="):
        grad(bare(x), x, create_graph=True)


@pytest.mark.parametrize("call, error, message", [
    (lambda x: grad(3.0, x), TypeError, "outputs must be Values"),
    (lambda x: grad(x * 2, [x, "y"]), TypeError, "inputs must be Values"),
    (lambda x: grad(x * 2, []), ValueError, "inputs is empty"),
    (lambda x: grad([x * 2, x * 3], x, grad_outputs=[1.0]), ValueError, "one number per output: got 1 for 2"),
    (lambda x: jvp(x * 2, [x], [1.0, 2.0]), ValueError, "one tangent per input: got 2 for 1"),
    (lambda x: hessian([x * 2], [x]), TypeError, "one output Value"),
])
def test_bad_arguments_say_what_is_accepted(call, error, message):
    with pytest.raises(error, match=message):
        call(Value(1.0))


def test_mode_costs_cross_over_as_inputs_and_outputs_change():
    x = Value(0.5)
    trunk = x.tanh().exp()
    many_out = mode_costs([trunk * k for k in range(1, 11)], [x])
    xs = [Value(0.1 * k) for k in range(10)]
    many_in = mode_costs(Value.sum([v * v for v in xs]).tanh(), xs)
    assert many_out["forward"] < many_out["reverse"] and many_in["reverse"] < many_in["forward"]
    assert many_out == {"forward": 12, "reverse": 30} and many_in == {"forward": 40, "reverse": 31}
