"""Every op's value and derivative at hand-worked points."""

import math

import pytest

from autograd import Value


def grads_of(out, *leaves):
    out.backward()
    return tuple(leaf.grad for leaf in leaves)


# (op, x, expected value, expected d/dx), each worked out by hand
UNARY = [
    (lambda x: x.exp(), math.log(2.0), 2.0, 2.0),
    (lambda x: x.log(), 2.0, math.log(2.0), 0.5),
    (lambda x: x.log(), 1.0, 0.0, 1.0),
    (lambda x: x.tanh(), 0.0, 0.0, 1.0),
    (lambda x: x.tanh(), math.log(2.0), 0.6, 0.64),  # tanh(ln 2) = 3/5
    (lambda x: x.sigmoid(), 0.0, 0.5, 0.25),
    (lambda x: x.sigmoid(), math.log(3.0), 0.75, 0.1875),  # 3/4 * 1/4
    (lambda x: x.sigmoid(), -math.log(3.0), 0.25, 0.1875),
    (lambda x: x.relu(), 3.0, 3.0, 1.0),
    (lambda x: x.relu(), -3.0, 0.0, 0.0),
    (lambda x: x.relu(), 0.0, 0.0, 0.0),  # PyTorch: relu'(0) = 0
    (lambda x: x.leaky_relu(0.1), -2.0, -0.2, 0.1),
    (lambda x: x.leaky_relu(0.1), 2.0, 2.0, 1.0),
    (lambda x: x.leaky_relu(), 0.0, 0.0, 0.01),  # PyTorch: slope at 0
    (lambda x: x.sin(), math.pi / 6, 0.5, math.sqrt(3) / 2),
    (lambda x: x.cos(), math.pi / 3, 0.5, -math.sqrt(3) / 2),
    (lambda x: x.cos(), 0.0, 1.0, 0.0),
    (lambda x: x.sqrt(), 4.0, 2.0, 0.25),
    (lambda x: x.sqrt(), 0.0, 0.0, math.inf),  # PyTorch: infinite slope at 0
    (lambda x: abs(x), -2.0, 2.0, -1.0),
    (lambda x: abs(x), 0.0, 0.0, 0.0),  # PyTorch: |x|'(0) = 0
    (lambda x: -x, 3.0, -3.0, -1.0),
    (lambda x: x**3, 2.0, 8.0, 12.0),
    (lambda x: x**3, -2.0, -8.0, 12.0),
    (lambda x: x**-1, 4.0, 0.25, -0.0625),
    (lambda x: x**0.5, 9.0, 3.0, 1 / 6),
    (lambda x: x**0, 0.0, 1.0, 0.0),
    (lambda x: x**1, 0.0, 0.0, 1.0),
    (lambda x: x**2, 0.0, 0.0, 0.0),
    (lambda x: 2**x, 3.0, 8.0, 8 * math.log(2.0)),
    (lambda x: 0**x, 2.0, 0.0, 0.0),
    (lambda x: x + 1, 2.0, 3.0, 1.0),
    (lambda x: 1 + x, 2.0, 3.0, 1.0),
    (lambda x: x - 1, 2.0, 1.0, 1.0),
    (lambda x: 1 - x, 2.0, -1.0, -1.0),
    (lambda x: x * 3, 2.0, 6.0, 3.0),
    (lambda x: 3 * x, 2.0, 6.0, 3.0),
    (lambda x: x / 4, 2.0, 0.5, 0.25),
    (lambda x: 1 / x, 4.0, 0.25, -0.0625),
]


@pytest.mark.parametrize("f, x, value, derivative", UNARY)
def test_unary_value_and_derivative(f, x, value, derivative):
    v = Value(x)
    out = f(v)
    assert out.data == pytest.approx(value, rel=1e-15, abs=1e-15)
    assert grads_of(out, v) == pytest.approx((derivative,), rel=1e-14, abs=1e-15)


# (op, a, b, expected value, d/da, d/db)
BINARY = [
    (lambda a, b: a + b, 2.0, 3.0, 5.0, 1.0, 1.0),
    (lambda a, b: a - b, 2.0, 3.0, -1.0, 1.0, -1.0),
    (lambda a, b: a * b, 2.0, 3.0, 6.0, 3.0, 2.0),
    (lambda a, b: a / b, 3.0, 4.0, 0.75, 0.25, -3 / 16),
    (lambda a, b: a**b, 2.0, 3.0, 8.0, 12.0, 8 * math.log(2.0)),
    (lambda a, b: a**b, 0.0, 2.0, 0.0, 0.0, 0.0),  # PyTorch: d/db of 0**b is 0
]


@pytest.mark.parametrize("f, a, b, value, da, db", BINARY)
def test_binary_value_and_derivatives(f, a, b, value, da, db):
    va, vb = Value(a), Value(b)
    out = f(va, vb)
    assert out.data == pytest.approx(value, rel=1e-15)
    assert grads_of(out, va, vb) == pytest.approx((da, db), rel=1e-14)


def test_negative_base_to_integer_value_power_has_nan_exponent_grad():
    a, b = Value(-2.0), Value(3.0)
    out = a**b
    assert out.data == -8.0
    da, db = grads_of(out, a, b)
    assert da == 12.0 and math.isnan(db)  # ln of a negative base: no real derivative (PyTorch: nan)


def test_sum_is_one_node_with_unit_derivatives():
    xs = [Value(float(i)) for i in range(5)]
    total = Value.sum([*xs, 10, xs[0]])
    assert total.data == 20.0
    assert total.op == "sum" and len(total.parents) == 6
    total.backward()
    assert [x.grad for x in xs] == [2.0, 1.0, 1.0, 1.0, 1.0]


def test_dot_is_one_node_with_both_sides_differentiated():
    ws = [Value(2.0), Value(-1.0), Value(0.5)]
    xs = [Value(3.0), 4.0, Value(-2.0)]
    out = Value.dot(ws, xs)
    assert out.data == 2 * 3 - 4 - 1
    assert out.op == "dot" and len(out.parents) == 5
    out.backward()
    assert [w.grad for w in ws] == [3.0, 4.0, -2.0]
    assert (xs[0].grad, xs[2].grad) == (2.0, 0.5)


def test_sum_and_dot_edge_cases():
    assert Value.sum([]).data == 0.0 and Value.sum([]).op == ""
    assert Value.sum([1, 2.5]).op == "" and Value.sum([1, 2.5]).data == 3.5
    x = Value(2.0)
    single = Value.dot([x], [3.0])
    assert single.parents == (x,) and single.local_grads == (3.0,)
    assert Value.dot([], []).data == 0.0


def test_module_level_sum_and_dot_are_the_value_methods():
    import autograd

    assert autograd.sum([Value(1.0), Value(2.0)]).data == 3.0
    assert autograd.dot([Value(1.0)], [Value(2.0)]).data == 2.0


@pytest.mark.parametrize("x", [1e3, 800.0, 50.0, -50.0, -800.0, -1e3])
def test_sigmoid_and_tanh_are_stable_for_large_inputs(x):
    s, t = Value(x).sigmoid(), Value(x).tanh()
    assert s.data == (1.0 if x > 0 else pytest.approx(0.0, abs=1e-21))
    assert t.data == math.copysign(1.0, x)
    for out in (s, t):
        assert math.isfinite(out.local_grads[0]) and out.local_grads[0] == pytest.approx(0.0, abs=1e-21)


def test_records_parents_local_grads_and_op():
    a, b = Value(2.0, "a"), Value(5.0, "b")
    c = a * b
    assert (c.op, c.parents, c.local_grads) == ("*", (a, b), (5.0, 2.0))
    d = c.tanh()
    assert d.parents == (c,) and d.local_grads == pytest.approx((1 - math.tanh(10.0) ** 2,))
    leaf = Value(1.0)
    assert (leaf.op, leaf.parents, leaf.local_grads) == ("", (), ())


def test_constants_are_folded_into_the_local_derivative():
    x = Value(2.0)
    y = 3 * x
    assert y.parents == (x,) and y.local_grads == (3.0,)


def test_repr_float_and_hash():
    o = Value(0.70710678, "o")
    o.grad = 1.0
    assert repr(Value(2.0)) == "Value(data=2.0, grad=0.0)"
    assert repr((o * 1).tanh()) == "Value(data=0.6089, grad=0.0, op='tanh')"
    o2 = o.tanh()
    o2.label = "o"
    assert repr(o2) == "Value(data=0.6089, grad=0.0, op='tanh', label='o')"
    assert Value(2.5).item() == 2.5
    a, b = Value(1.0), Value(1.0)
    assert len({a, b, a}) == 2 and a != b and a == a
    assert {a: 1}[a] == 1


def test_comparisons_look_at_data():
    assert Value(1.0) < Value(2.0) and Value(1.0) < 2 and Value(3.0) >= 3 and Value(3.0) > 2.5
    assert max([Value(1.0), Value(3.0), Value(2.0)]).data == 3.0


@pytest.mark.parametrize("data", [3, 3.0, True, False])
def test_value_accepts_python_reals(data):
    assert Value(data).data == float(data) and type(Value(data).data) is float


def test_value_accepts_numpy_scalars():
    import numpy as np

    for scalar in (np.float64(1.5), np.float32(1.5), np.int64(3), np.bool_(True), np.array(2.0)):
        v = Value(scalar)
        assert type(v.data) is float and v.data == float(scalar)
