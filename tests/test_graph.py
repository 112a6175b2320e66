"""The graph walk: shared nodes, accumulation, depth, no_grad, detach, anomalies."""

import gc
import math
import threading

import pytest

from autograd import AnomalyError, Value, detect_anomaly, no_grad, topological_order


def test_node_used_twice_gets_both_contributions():
    a = Value(3.0)
    out = a * a
    out.backward()
    assert a.grad == 6.0


def test_diamond_sums_the_paths():
    x = Value(2.0, "x")
    left, right = x * 3, x.exp()
    out = left * right  # d/dx = 3 e^x + 3x e^x
    out.backward()
    assert x.grad == pytest.approx(3 * math.exp(2) + 6 * math.exp(2), rel=1e-15)
    assert left.grad == pytest.approx(math.exp(2)) and right.grad == 6.0


def test_topological_order_puts_every_node_before_its_parents():
    x = Value(1.0)
    y = x * 2
    z = y + x
    w = z * y
    order = topological_order(w)
    assert order[0] is w and len(order) == 4
    position = {node: i for i, node in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert position[node] < position[parent]


def test_backward_twice_accumulates_like_pytorch():
    x = Value(2.0)
    y = (x * x).tanh() * 3  # inner nodes keep grads: they must not be pushed down twice
    y.backward()
    first = x.grad
    with pytest.warns(UserWarning, match=r"grads accumulate .* call zero_grad\(\)"):
        y.backward()
    assert x.grad == pytest.approx(2 * first, rel=1e-15)
    assert y.grad == 2.0


def test_two_outputs_sharing_a_subgraph_accumulate_separately():
    x = Value(1.5)
    shared = x * x
    a, b = shared * 2, shared.sin()
    a.backward()
    b.backward()
    assert x.grad == pytest.approx(2 * 2 * x.data + math.cos(2.25) * 2 * x.data, rel=1e-15)


def test_backward_with_explicit_upstream_gradient():
    x = Value(2.0)
    (x * 5).backward(grad=0.5)
    assert x.grad == 2.5


def test_zero_grad_zeroes_the_whole_graph():
    x = Value(2.0)
    y = x * x
    z = y + 1
    z.backward()
    z.zero_grad()
    assert (x.grad, y.grad, z.grad) == (0.0, 0.0, 0.0)
    z.backward()
    assert x.grad == 4.0


def test_million_op_chain_backpropagates_without_recursion():
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y * 1.0 + 0.0  # 2,000,000 nodes, every local derivative 1
    y.backward()
    assert x.grad == 1.0
    del x, y  # freeing a 2,000,000-deep chain must not overflow the C stack either
    assert live_values() < 1000


def live_values() -> int:
    return sum(1 for obj in gc.get_objects() if type(obj) is Value)


def test_graph_has_no_reference_cycles():
    gc.collect()
    gc.disable()
    try:
        before = live_values()
        x = Value(2.0)
        out = ((x * 3).tanh() + x).exp()
        out.backward()
        assert live_values() == before + 5
        del out
        assert live_values() == before + 1  # freed by reference counting alone: only x is left
    finally:
        gc.enable()


def test_no_grad_records_nothing_and_restores():
    x = Value(2.0)
    with no_grad():
        y = x * 3 + 1
        assert y.op == "" and y.parents == ()
    assert y.data == 7.0
    z = x * 3
    assert z.parents == (x,)


def test_no_grad_restores_after_an_exception():
    with pytest.raises(ValueError):
        with no_grad():
            Value(-1.0).log()
    assert (Value(1.0) * 2).op == "*"


def test_no_grad_is_per_thread():
    seen = {}
    entered, release = threading.Event(), threading.Event()

    def other_thread():
        entered.wait()
        seen["op"] = (Value(1.0) * 2).op
        release.set()

    worker = threading.Thread(target=other_thread)
    worker.start()
    with no_grad():
        entered.set()
        release.wait()
        assert (Value(1.0) * 2).op == ""
    worker.join()
    assert seen["op"] == "*"


def test_no_grad_works_as_a_decorator():
    @no_grad()
    def f(v):
        return v * 2

    assert f(Value(1.0)).parents == ()


def test_detach_makes_a_leaf_copy():
    x = Value(2.0, "x")
    y = (x * 3).detach()
    assert (y.data, y.op, y.parents, y.label) == (6.0, "", (), "")
    z = y * x
    z.backward()
    assert x.grad == 6.0 and y.grad == 2.0


def test_detect_anomaly_names_the_forward_op_and_inputs():
    x = Value(1e308, "x")
    with detect_anomaly():
        with pytest.raises(AnomalyError, match=r"'\*' gave the result inf; inputs: 1e\+308"):
            x * 10
        with pytest.raises(AnomalyError, match="'sqrt' gave the local derivative inf"):
            Value(0.0).sqrt()
    assert (x * 10).data == math.inf  # outside the context: plain float semantics


def test_detect_anomaly_in_backward_names_the_node():
    x = Value(1.0, "x")
    with detect_anomaly():
        y = x * 1e10  # finite forward, but 1e300 * 1e10 overflows in backward
        y.label = "y"
        with pytest.raises(AnomalyError, match=r"backward through 'y' .* gradient inf for its input 'x'"):
            y.backward(grad=1e300)


def test_backward_grad_must_be_a_number():
    with pytest.raises(TypeError, match="backward grad needs a real number"):
        Value(1.0).backward(grad="1")
