"""Derivatives of derivatives, Hessians, Jacobians and forward mode, against closed forms and PyTorch."""

import math

import pytest

from autograd import Value, custom_op, explain, grad, hessian, jvp, mode_costs
from autograd.engine.ops import TABLE, NotDifferentiableAgainError

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
    (lambda x: x * x.exp(), 1.0, [math.e, 2 * math.e, 3 * math.e, 4 * math.e, 5 * math.e]),  # the issue's x e^x
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
    assert many_out == {"forward": 12, "reverse": 30} and many_in == {"forward": 310, "reverse": 31}


class CountingFloat(float):
    """A local derivative that counts the multiplications jvp and backward do with it."""

    count = 0

    def __mul__(self, other):
        CountingFloat.count += 1
        return float(self) * other

    __rmul__ = __mul__


def executed_multiply_adds(outputs, inputs):
    """Run the whole Jacobian both ways with every local derivative counting: (forward, reverse)."""
    from autograd.engine.graph import edges, topological_order_of

    for node in topological_order_of(outputs):
        parents, local_grads = edges(node)
        if parents:
            counted = tuple(map(CountingFloat, local_grads))
            node._local_grads = counted if type(node._parents) is tuple else counted[0]
    CountingFloat.count = 0
    for k in range(len(inputs)):
        jvp(outputs, inputs, [float(i == k) for i in range(len(inputs))])
    forward, CountingFloat.count = CountingFloat.count, 0
    for output in outputs:
        output.backward()
        output.zero_grad()
    return forward, CountingFloat.count


def the_issue_s_graphs():
    """(outputs, inputs) pairs: the issue's sum of tanh(x_k * x_k), a fan-out, a shared trunk, a neuron."""
    xs = [Value(0.1 * k) for k in range(10)]
    yield [sum((x * x).tanh() for x in xs)], xs
    x = Value(0.5)
    trunk = x.tanh().exp()
    yield [trunk * k for k in range(1, 11)], [x]
    a, b, c = Value(1.0), Value(-2.0), Value(0.5)
    shared = a * b + c
    yield [shared.tanh(), shared * a, (shared / c).exp()], [a, b, c]
    ws = [Value(0.3 * k - 1) for k in range(5)]
    yield [Value.dot(ws, [1.0, 2.0, -1.0, 0.5, 3.0], start=ws[0]).sigmoid()], ws


def test_mode_costs_counts_what_jvp_and_backward_execute():
    for outputs, inputs in the_issue_s_graphs():
        costs = mode_costs(outputs, inputs)
        assert (costs["forward"], costs["reverse"]) == executed_multiply_adds(outputs, inputs)
        if len(outputs) == 1 and len(inputs) > 1:
            assert costs["reverse"] < costs["forward"], costs
        if len(inputs) == 1 and len(outputs) > 1:
            assert costs["forward"] < costs["reverse"], costs
    xs = [Value(0.1 * k) for k in range(10)]
    assert mode_costs(sum((x * x).tanh() for x in xs), xs) == {"forward": 490, "reverse": 49}  # the issue's: 40, 40
