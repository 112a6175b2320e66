"""Tensors of Values without PyTorch: shapes and their errors, the identity records, rules equal to
the scalar engine's grads on random shapes, the tensor view's text, and every element as any Value."""

from __future__ import annotations

import gc
import math
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, explain, paths, quiz
from autograd.engine.tensor import TensorOp, flatten, made_by
from autograd.teach.tensors import explain_tensors, tensor_graph
from autograd.tensor import Tensor, bce, mse, rules, softmax_cross_entropy


def test_shape_data_values_and_labels():
    W = Tensor([[1, 2, 3], [4, 5, 6]], "W")
    assert W.shape == (2, 3)
    assert W.data == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    assert [v.label for v in W.values[1]] == ["W[2,1]", "W[2,2]", "W[2,3]"]
    assert W.grad == [[0.0] * 3] * 2
    b = Tensor([Value(1.0, "mine"), 2.0])
    assert b.shape == (2,) and b.values[0].label == "mine"
    b.label = "b"
    assert [v.label for v in b.values] == ["mine", "b[2]"]  # a learner's own label stays


def test_matmul_is_one_dot_node_per_element():
    X = Tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], "X")
    W = Tensor([[1.0, -1.0], [0.5, 2.0]], "W")
    Z = X @ W
    assert Z.data == [[2.0, 3.0], [5.0, 5.0], [8.0, 7.0]]
    assert all(v.op == "dot" and len(v.parents) == 4 for v in Z._flat)
    assert (X @ Tensor([1.0, 1.0])).data == [3.0, 7.0, 11.0]
    assert (Tensor([1.0, 0.0, 1.0]) @ X).data == [6.0, 8.0]


@pytest.mark.parametrize("make, shapes", [
    (lambda: Tensor([[1.0, 2.0]]) @ Tensor([[1.0, 2.0]]), ("(1, 2)", "(1, 2)")),
    (lambda: Tensor([[1.0, 2.0]]) + Tensor([[1.0], [2.0]]), ("(1, 2)", "(2, 1)")),
    (lambda: Tensor([[1.0, 2.0]]) * Tensor([1.0, 2.0, 3.0]), ("(1, 2)", "(3,)")),
    (lambda: mse(Tensor([1.0, 2.0]), [1.0]), ("(2,)", "(1,)")),
    (lambda: Tensor([1.0, 2.0]) @ Tensor([1.0, 2.0]), ("(2,)", "(2,)")),
])
def test_a_shape_mismatch_names_both_shapes(make, shapes):
    with pytest.raises(ValueError) as error:
        make()
    assert all(shape in str(error.value) for shape in shapes), str(error.value)


@pytest.mark.parametrize("data, error", [
    ([], TypeError), ("abc", TypeError), ([[1.0], [2.0, 3.0]], ValueError), ([[[1.0]]], ValueError),
    ([1.0, [2.0]], ValueError), ([["x"]], TypeError),
])
def test_bad_data_is_a_clear_error(data, error):
    with pytest.raises(error, match="Tensor"):
        Tensor(data)


def test_bad_operands_and_arguments_are_clear_errors():
    t = Tensor([[1.0, 2.0]])
    with pytest.raises(TypeError, match="number or a Tensor, got a Value"):
        t * Value(2.0)
    with pytest.raises(TypeError, match="'@' needs two Tensors"):
        t @ 2
    with pytest.raises(ValueError, match="axis"):
        t.sum(axis=2)
    with pytest.raises(ValueError, match=r"\.T needs a 2-D tensor, got shape \(2,\)"):
        _ = Tensor([1.0, 2.0]).T
    with pytest.raises(ValueError, match="class indices"):
        softmax_cross_entropy(t, [2])
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        bce(Tensor([1.0]), [1.0])
    with pytest.raises(TypeError, match="ambiguous"):
        bool(t)


def test_transpose_makes_one_identity_node_per_element():
    W = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], "W")
    WT = W.T
    assert WT.data == [[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]]
    assert all(v.parents == (W._flat[k % 2 * 3 + k // 2],) and v.local_grads == (1.0,) for k, v in enumerate(WT._flat))
    loss = (WT * Tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])).sum()
    loss.backward()
    assert WT.grad == [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]  # its own gradient
    assert W.grad == [[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]]


def test_the_record_rides_on_the_op_and_no_node_grows():
    X = Tensor([[1.0, 2.0]], "X")
    Z = (X * 2).tanh()
    node = Z._flat[0]
    assert node.op == "tanh" and isinstance(made_by(node), TensorOp)
    assert made_by(node) is Z.made and Z.made.inputs[0].made.inputs[0] is X
    assert not hasattr(node, "__dict__")
    assert sys.getsizeof(node) == sys.getsizeof(Value(1.0).tanh())  # a tagged node is a plain node
    assert made_by(Value(1.0).tanh()) is None


def test_a_dead_tensor_graph_is_freed_without_the_cycle_collector():
    gc.collect()
    gc.disable()
    try:
        X = Tensor([[1.0, 2.0], [3.0, 4.0]], "X")
        loss = mse((X @ X.T).tanh(), [[0.0, 0.0], [0.0, 0.0]])
        loss.backward()
        del X, loss
        assert gc.collect() == 0  # nothing sat in a reference cycle
    finally:
        gc.enable()


shapes = st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4))
numbers = st.floats(-2, 2, allow_nan=False)


@given(shapes, st.integers(0, 10_000), st.sampled_from(["tanh", "sigmoid", "relu", "exp"]),
       st.sampled_from([None, 0, 1]), st.booleans())
def test_rules_equal_the_scalar_engines_grad_for_every_record(dims, seed, activation, axis, scalar_use):
    import random

    rng = random.Random(seed)
    n, d, h = dims
    X = Tensor([[rng.uniform(-2, 2) for _ in range(d)] for _ in range(n)], "X")
    W = Tensor([[rng.uniform(-1, 1) for _ in range(h)] for _ in range(d)], "W")
    b = Tensor([rng.uniform(-1, 1) for _ in range(h)], "b")
    A = getattr(X @ W + b, activation)()
    A.label = "A"
    reduced = (A * 0.5 - b).mean(axis=axis) if axis is not None else (A.T @ A).sum()
    loss = reduced.sum() if axis is not None else reduced
    if scalar_use:  # a tensor's elements also used by scalar ops: that share is its own term
        loss = loss + W.values[0][0] * W.values[0][0] + A.values[0][0].sin()
    loss.backward()
    found = rules(loss)
    assert {r.name for r in found} >= {"X", "W", "b", "A"}
    for record in found:
        assert flatten(record.tensor.grad) == pytest.approx(flatten(record.value), rel=1e-9, abs=1e-12), record.rule
    by_name = {r.name: r for r in found}
    assert by_name["W"].rule.startswith("dL/dW = Xᵀ · dL/d") or by_name["W"].rule.startswith("dL/dW = Xᵀ")
    assert ("through scalar ops" in by_name["W"].rule) == scalar_use


def test_rules_read_as_a_course_writes_them():
    X = Tensor([[1.0, 2.0], [3.0, -1.0]], "X")
    W = Tensor([[0.5, -0.5], [0.25, 1.0]], "W")
    b = Tensor([0.1, -0.2], "b")
    Z = X @ W + b
    Z.label = "Z"
    A = Z.sigmoid()
    A.label = "A"
    loss = bce(A.mean(axis=1), [1.0, 0.0])
    loss.backward()
    written = {r.name: r.rule for r in rules(loss)}
    assert written["W"] == "dL/dW = Xᵀ · dL/d(X @ W)"
    assert written["b"] == "dL/db = Σ_rows (dL/dZ)"
    assert written["X @ W"] == "dL/d(X @ W) = dL/dZ"
    assert written["Z"] == "dL/dZ = dL/dA ⊙ sigmoid(Z) (1 - sigmoid(Z))"
    assert written["A"] == "dL/dA = dL/d(mean(A, axis=1)) / 2 copied to each of the 2 columns"
    assert written["mean(A, axis=1)"] == "dL/d(mean(A, axis=1)) = (mean(A, axis=1) - y) ⊘ (mean(A, axis=1) ⊙ (1 - mean(A, axis=1))) / 2"


def test_the_tensor_view_explains_one_element_as_a_sum_over_paths():
    X = Tensor([[1.0, 2.0, 0.5], [0.0, -1.0, 2.0]], "X")
    W = Tensor([[0.1, 0.2], [-0.3, 0.4], [0.5, -0.6]], "W")
    Z = X @ W
    Z.label = "Z"
    A = Z.tanh()
    A.label = "A"
    loss = mse(A, [[0.0, 1.0], [1.0, 0.0]])
    text = explain_tensors(loss, element=("W", 1, 2))
    assert "Z (2, 2) = X @ W = " in text
    assert "dL/dW = Xᵀ · dL/dZ = " in text
    assert "dL/dZ = dL/dA ⊙ (1 - tanh(Z)^2) = " in text
    assert "one element, W[1,2]: dL/dW[1,2] is the sum over every path from W[1,2] up to L" in text
    assert "W[1,2] -> Z[1,2] -> A[1,2] -> " in text and "W[1,2] -> Z[2,2] -> A[2,2] -> " in text
    last = text.splitlines()[-1]
    loss.backward()
    expected = W.grad[0][1]
    assert last.startswith("  dL/dW[1,2] = ") and "(2 paths) = (Xᵀ · dL/dZ)[1,2] = " in last
    assert float(last.rpartition(" = ")[2]) == pytest.approx(expected, rel=1e-3)
    assert W.grad[0][1] == expected  # explaining put every grad back
    with pytest.raises(ValueError, match="no tensor named 'V'"):
        explain_tensors(loss, element=("V", 1, 1))
    with pytest.raises(ValueError, match=r"W has shape \(3, 2\)"):
        explain_tensors(loss, element=("W", 4, 1))


def test_every_element_is_an_ordinary_value():
    X = Tensor([[1.0, 2.0]], "X")
    W = Tensor([[0.5], [-1.0]], "W")
    loss = mse(X @ W, [[1.0]])
    w = W.values[1][0]
    assert sum(p.product for p in paths(loss, w)) == pytest.approx(2 * (-1.5 - 1.0) * 2.0)
    assert "dL/dW[2,1]" in explain(loss)
    q = quiz(loss)
    loss.backward()
    assert q.answer("W[2,1]", w.grad).correct


def test_numpy_round_trip():
    numpy = pytest.importorskip("numpy")
    array = numpy.arange(6, dtype=numpy.float64).reshape(2, 3)
    t = Tensor.from_numpy(array, "M")
    assert t.shape == (2, 3) and t.values[1][2].label == "M[2,3]"
    assert (t.numpy() == array).all() and t.numpy().dtype == numpy.float64
    assert (numpy.float64(2.0) * t).data == (array * 2).tolist()
    with pytest.raises(TypeError, match="1-D or 2-D"):
        Tensor.from_numpy(numpy.zeros((2, 2, 2)))


def test_tensor_graph_names_unlabelled_tensors_by_what_they_compute():
    X = Tensor([[1.0, 2.0]], "X")
    loss = (X.tanh() * 2).sum()
    g = tensor_graph(loss)
    assert [g.name(r) for r in g.records] == ["L", "tanh(X) * 2", "tanh(X)", "X"]
    assert math.isclose(loss.data, 2 * (math.tanh(1) + math.tanh(2)))


def two_layer_loss():
    X = Tensor([[0.5, -1.0], [1.5, 0.25], [-0.5, 2.0]], "X")
    W1 = Tensor([[0.2, -0.4, 0.1], [0.3, 0.5, -0.2]], "W1")
    W2 = Tensor([[0.7], [-0.6], [0.4]], "W2")
    A1 = (X @ W1).tanh()
    A1.label = "A1"
    return mse(A1 @ W2, [[1.0], [0.0], [-1.0]]), W1


def test_explain_and_draw_take_the_tensor_view():
    from autograd import draw

    loss, W1 = two_layer_loss()
    text = explain(loss, view="tensor", element=("W1", 2, 3))
    assert text.startswith("tensor view: forward") and "dL/dW1 = Xᵀ · dL/d(X @ W1)" in text
    assert "<pre>" in text._repr_markdown_() and "&lt;" not in text._repr_markdown_()
    with pytest.raises(ValueError, match="view"):
        explain(loss, view="matrix")
    with pytest.raises(ValueError, match="view='tensor'"):
        explain(loss, element=("W1", 1, 1))
    source = draw(loss, view="tensor").source
    assert source.count("shape=box") == 7  # X, W1, X @ W1, A1, W2, A1 @ W2, and the loss
    assert "dL/dW1 = Xᵀ · dL/d(X @ W1)" in source and "dL/dA1 = dL/d(A1 @ W2) · W2ᵀ" in source
    assert all(shape in source for shape in ("(3, 2)", "(2, 3)", "(3, 3)", "(3, 1)", "scalar"))
    assert W1.grad == [[0.0] * 3] * 2  # the picture ran its own backward pass and put the grads back
    with pytest.raises(ValueError, match="view"):
        draw(loss, view="tensors")


def test_the_tensor_picture_escapes_a_learners_label():
    from autograd import draw

    X = Tensor([[1.0, 2.0]], '<b>"X"&')
    source = draw((X * 2).sum(), view="tensor").source
    assert "<b>\"X\"&" not in source and "&lt;b&gt;" in source


def test_the_tensor_quiz_asks_a_question_per_tensor_answered_as_a_matrix_or_per_element():
    loss, W1 = two_layer_loss()
    q = quiz(loss, view="tensor")
    assert [question.name for question in q.questions] == ["A1 @ W2", "A1", "W2", "X @ W1", "X", "W1"]
    assert q.questions[-1].prompt == "dL/dW1 = ? (a 2 x 3 matrix)"
    loss.backward()
    right = W1.grad
    assert q.expected("W1") == right and W1.grad == right
    assert q.answer("W1", right).correct and q.score == 1
    wrong = [row[:] for row in right]
    wrong[1][2] = -wrong[1][2] + 1.0
    feedback = q.answer("W1", wrong)
    assert not feedback.correct and feedback.wrong == ("W1[2,3]",) and q.score == 0
    assert str(feedback).startswith("not quite. dL/dW1 = Xᵀ · dL/d(X @ W1): 1 of 6 entries off, first W1[2,3]. dL/dW1[2,3] = ")
    assert q.answer("W1[2,3]", right[1][2]).correct and not q.answer("(X @ W1)[1,1]", 123.0).correct
    with pytest.raises(ValueError, match=r"a 2 x 3 matrix \(2, 3\), the answer has shape \(3, 2\)"):
        q.answer("W1", [[0.0, 0.0]] * 3)
    with pytest.raises(ValueError, match="no question is called 'V'"):
        q.answer("V", 1.0)
    with pytest.raises(ValueError, match="view"):
        quiz(loss, view="matrix")
    assert all(v.label == "" for v in (loss.parents[0].parents[0],))  # the temporary names are gone


def test_generated_code_and_second_derivatives_read_tensor_nodes_as_any_node():
    from autograd import compile, grad

    X = Tensor([[1.0, 2.0], [0.5, -1.0]], "X")
    W = Tensor([[0.3, -0.2], [0.1, 0.4]], "W")
    loss = softmax_cross_entropy((X @ W).tanh() @ W.T, [0, 1])
    weights = [v for row in W.values for v in row]
    value, grads = compile(loss, weights)(*[w.data for w in weights])
    loss.backward()
    assert value == loss.data and list(grads) == pytest.approx([w.grad for w in weights], rel=1e-12)
    (first,) = grad(loss, [weights[0]], create_graph=True)
    (second,) = grad(first, [weights[0]])
    h = 1e-5
    weights[0].data += h
    shifted = softmax_cross_entropy((X @ W).tanh() @ W.T, [0, 1])
    (first_shifted,) = grad(shifted, [weights[0]])
    assert second.data == pytest.approx((first_shifted.data - first.data) / h, rel=1e-3)
