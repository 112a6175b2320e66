"""The lab of broken backward passes: hand-worked numbers, and on trees the true gradients."""

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, lab

from .conftest import require_program


def shared():
    """b = 2*a; d = b + 3*b at a = 1: dd/db = 4, dd/da = 8."""
    a = Value(1.0, "a")
    b = 2 * a
    b.label = "b"
    three_b = 3 * b
    d = b + three_b
    d.label = "d"
    return d, a, b, three_b


def test_the_recursive_pass_sends_a_shared_nodes_gradient_on_twice():
    d, a, b, three_b = shared()
    grads = lab.backward(d, "recursive")
    # d sends 1 to b and 1 to 3*b; b (holding 1) sends 2 to a; 3*b sends 3 to b, which, now holding 4,
    # sends 8 to a again: a gets 2 + 8 = 10 where the chain rule gives 8
    assert grads == {d: 1.0, b: 4.0, three_b: 1.0, a: 10.0}
    assert all(node.grad == 0.0 for node in (d, a, b, three_b))  # no .grad changed


def test_the_overwriting_pass_keeps_only_the_last_contribution():
    d, a, b, three_b = shared()
    # in topological order d, 3*b, b, a: b = 1 then b = 3 * 1 (its 1 from d lost); a = 2 * 3
    assert lab.backward(d, "overwrite") == {d: 1.0, three_b: 1.0, b: 3.0, a: 6.0}
    x = Value(3.0, "x")
    assert lab.backward(x * x, "overwrite")[x] == 3.0 and lab.backward(x * x, "recursive")[x] == 6.0


def test_a_grad_already_there_is_left_alone():
    d, a, *_ = shared()
    d.backward()
    before = a.grad
    lab.backward(d, "recursive"), lab.backward(d, "overwrite"), lab.compare(d, "recursive")
    assert a.grad == before == 8.0


def test_compare_names_the_nodes_that_differ():
    d, a, b, _ = shared()
    report = lab.compare(d, "recursive")
    assert report.differs == (a,)
    assert report.rows == (("a", 8.0, 10.0), ("b", 4.0, 4.0), ("3*b", 1.0, 1.0))
    text = str(report)
    assert text.splitlines()[0] == "the recursive backward (no topological order) against backward(), on d = b + 3*b:"
    assert "  a     8.0    10.0    <- differs" in text and "  b     4.0    4.0\n" in text
    overwrite = lab.compare(d, "overwrite")
    assert overwrite.differs == (a, b)


def test_the_smallest_examples_show_their_bug():
    for bug in lab.BUGS:
        root = lab.smallest_example(bug)
        assert lab.compare(root, bug).differs, bug
    recursive = lab.smallest_example("recursive")
    assert recursive.label == "d" and len(autograd.topological_order(recursive)) == 4


def test_bad_arguments_say_what_is_accepted():
    with pytest.raises(ValueError, match="bug must be one of 'recursive', 'overwrite', got 'sorted'"):
        lab.backward(Value(1.0), "sorted")
    with pytest.raises(TypeError, match="the lab needs the output Value, got float"):
        lab.compare(1.0, "recursive")
    y = Value(1.0)
    for _ in range(40):
        y = y + y  # 2^40 paths: the recursive pass would never end
    with pytest.raises(ValueError, match="would visit .* nodes"):
        lab.backward(y, "recursive")
    assert lab.backward(y, "overwrite")[y] == 1.0


def test_a_deep_chain_does_not_overflow_the_stack():
    x = Value(0.5, "x")
    y = x
    for _ in range(5000):
        y = y * 1.0
    assert lab.backward(y, "recursive")[x] == 1.0


def test_the_picture_draws_the_broken_grads_and_marks_where_they_differ():
    require_program("dot", "apt-get install graphviz")
    d, a, *_ = shared()
    source = lab.compare(d, "recursive").draw().source
    assert "grad 10.0" in source and "#d9480f" in source
    assert lab.compare(d, "recursive")._repr_svg_().startswith("<svg")


@st.composite
def trees(draw, depth=4):
    """A random expression tree: every leaf and every node is used exactly once."""
    leaves = []

    def grow(level):
        if level == 0 or draw(st.booleans()):
            leaf = Value(draw(st.floats(-2.0, 2.0)), f"x{len(leaves)}")
            leaves.append(leaf)
            return leaf
        kind = draw(st.sampled_from(["+", "*", "-", "tanh", "sin", "exp", "const"]))
        if kind in ("tanh", "sin", "exp"):
            operand = grow(level - 1)
            assume(kind != "exp" or operand.data < 700)  # exp of exp of ... overflows: no tree to test
            return getattr(operand, kind)()
        if kind == "const":
            return grow(level - 1) * draw(st.floats(-3.0, 3.0))
        left, right = grow(level - 1), grow(level - 1)
        return {"+": left + right, "*": left * right, "-": left - right}[kind]

    root = grow(depth)
    return root * 1.0, leaves


@settings(max_examples=60)
@given(trees())
def test_on_a_tree_both_broken_passes_give_the_true_gradients(tree):
    root, leaves = tree
    root.backward()
    assume(all(math.isfinite(node.grad) for node in autograd.topological_order(root)))  # inf * 0 is no gradient
    for bug in lab.BUGS:
        grads = lab.backward(root, bug)
        for node in autograd.topological_order(root):
            assert math.isclose(grads[node], node.grad, rel_tol=1e-12, abs_tol=1e-300), (bug, node)
        assert lab.compare(root, bug).differs == ()
