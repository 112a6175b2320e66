"""Path sums (the chain rule, path by path) and the nudge lab."""

import math

import pytest
from hypothesis import given

from autograd import TooManyPathsError, Value, nudge, paths, topological_order

from .programs import backpropagated, programs


def test_x_times_x_gives_two_paths():
    x = Value(3.0, "x")
    y = x * x
    found = paths(y, x)
    assert len(found) == 2 and all(p.nodes == (x, y) for p in found)
    assert [p.local_grads for p in found] == [(3.0,), (3.0,)]


@given(programs(max_inputs=3, max_ops=10))
def test_path_products_add_up_to_the_gradient(program):
    _, leaves, out = backpropagated(program)
    in_graph = set(topological_order(out))
    for leaf in leaves:
        if leaf not in in_graph:  # an input the program never used: said, not an empty list (issue 25)
            with pytest.raises(ValueError, match="is not in the graph under the root"):
                paths(out, leaf)
            continue
        total = math.fsum(p.product for p in paths(out, leaf, limit=100_000))
        assert total == pytest.approx(leaf.grad, rel=1e-9, abs=1e-12)


def test_too_many_paths_says_how_many():
    x = Value(1.0, "x")
    y = x
    for _ in range(12):
        y = y * y  # every level doubles the paths: 2**12
    with pytest.raises(TooManyPathsError, match="there are 4,096 paths .* more than limit=1,000"):
        paths(y, x)
    assert len(paths(y, x, limit=5000)) == 4096


def test_a_leaf_outside_the_graph_is_an_error_as_in_nudge():
    x, other = Value(1.0), Value(2.0, "z")
    with pytest.raises(ValueError, match="leaf 'z' is not in the graph under the root"):
        paths(x * 2, other)


def test_nudge_compares_the_change_with_the_gradient_and_changes_nothing():
    x, w = Value(0.5, "x"), Value(-1.5, "w")
    y = (x * w).tanh() + x.exp()
    y.backward()
    before = [(n.data, n.grad) for n in (x, w, y)]
    for h in (1e-1, 1e-3, 1e-5):
        change, predicted = nudge(y, x, h)
        assert predicted == x.grad * h
        assert abs(change - predicted) < 2 * h * h  # first order: the error shrinks like h^2
    assert [(n.data, n.grad) for n in (x, w, y)] == before


def test_nudge_of_a_node_not_in_the_graph_says_so():
    x = Value(1.0, "x")
    with pytest.raises(ValueError, match="leaf 'x' is not in the graph under the root"):
        nudge(Value(2.0) * 3, x, 0.1)


def test_draw_shows_one_path_and_its_product():
    from autograd import draw

    x = Value(3.0, "x")
    y = x * x + 2 * x
    y.label = "y"
    second = paths(y, x)[1]
    assert second.edges == (1, 0)  # the second edge into x*x, then the first into the sum
    source = draw(y, show_path=second).source
    assert "x -&gt; x*x -&gt; y: 3.0 * 1.0 = 3.0" in source or "x -> x*x -> y: 3.0 * 1.0 = 3.0" in source
    green = [line for line in source.splitlines() if "->" in line.split("[")[0] and "#2b8a3e" in line]
    assert len(green) == 4  # x -> *, * -> x*x, x*x -> +, + -> y
