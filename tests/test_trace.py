"""Stepping through backward, names and formulas, and explain()."""

import math

import pytest
from hypothesis import assume, given

from autograd import BackwardStep, Value, explain
from autograd.teach.naming import formula, node_names

from .examples import classic_neuron
from .programs import finite, programs, run, value_lib


def test_each_step_is_one_node_with_its_chain_rule_lines():
    o, leaves = classic_neuron()
    x1, w1, b = leaves["x1"], leaves["w1"], leaves["b"]
    steps = o.backward_steps()
    first = next(steps)
    assert isinstance(first, BackwardStep)
    assert (first.index, first.total, first.node, first.upstream) == (1, 5, o, 1.0)
    assert str(first) == "do/dn += do/do · ∂o/∂n = 1.0 · 0.5 = 0.5"
    second = next(steps)
    assert second.node_name == "n" and second.upstream == pytest.approx(0.5)
    assert [e.parent_name for e in second.edges] == ["x1*w1 + x2*w2", "b"]
    assert b.grad == pytest.approx(0.5) and x1.grad == 0.0  # x1 not reached yet
    rest = list(steps)
    last = rest[-1]
    assert str(last) == ("do/dx1 += do/d(x1*w1) · ∂(x1*w1)/∂x1 = 0.5 · -3.0 = -1.5\n"
                         "do/dw1 += do/d(x1*w1) · ∂(x1*w1)/∂w1 = 0.5 · 2.0 = 1.0")
    assert (x1.grad, w1.grad) == pytest.approx((-1.5, 1.0))


def test_a_step_records_the_parents_grad_after_each_edge():
    x = Value(3.0, "x")
    y = x * x
    y.label = "y"
    (step,) = list(y.backward_steps())
    assert [e.grad_after for e in step.edges] == [3.0, 6.0]
    assert [e.contribution for e in step.edges] == [3.0, 3.0]


@given(programs())
def test_exhausted_steps_leave_exactly_the_grads_of_backward(program):
    inputs, steps = program
    a = [Value(x) for x in inputs]
    b = [Value(x) for x in inputs]
    out_a, out_b = run(steps, a, value_lib), run(steps, b, value_lib)
    assume(finite(out_a.data))
    out_a.backward()
    for _ in out_b.backward_steps():
        pass
    for leaf_a, leaf_b in zip(a, b):
        assert leaf_a.grad == leaf_b.grad or (math.isnan(leaf_a.grad) and math.isnan(leaf_b.grad))


def test_steps_accumulate_on_top_of_an_earlier_backward_like_backward_does():
    x = Value(2.0)
    y = (x * x).sin()
    y.backward()
    list(y.backward_steps())
    assert x.grad == pytest.approx(2 * math.cos(4.0) * 4.0)


def test_abandoned_stepping_gives_back_inner_grads():
    x = Value(2.0)
    y = (x * 3).tanh()
    y.backward()
    inner = y.parents[0]
    before = inner.grad
    steps = y.backward_steps()
    next(steps)
    steps.close()
    assert inner.grad == pytest.approx(2 * before)  # this pass's share plus the earlier one


def test_auto_names_are_stable_and_labels_win():
    x = Value(1.0, "x")
    y = (x * 2 + 1).exp()
    first, second = node_names(y), node_names(y)
    assert first == second
    assert list(first.values()) == ["x", "x*2", "x*2 + 1", "exp(x*2 + 1)"]  # formulas nest while short
    y.label = "y"
    assert node_names(y)[y] == "y"


def test_repeated_labels_get_a_suffix_everywhere():
    a, b = Value(2.0, "x"), Value(3.0, "x")
    y = a * b
    y.label = "y"
    assert list(node_names(y).values()) == ["x", "x#2", "y"]
    text = explain(y)
    assert "dy/dx = 3.0" in text and "dy/dx#2 = 2.0" in text


@pytest.mark.parametrize(
    "make, text",
    [
        (lambda x, y: x + y, "x + y"),
        (lambda x, y: x * 2.5, "x * 2.5"),
        (lambda x, y: 2.5 * x, "2.5 * x"),  # as written: the node records which side the constant is on
        (lambda x, y: 2 + x, "2 + x"),
        (lambda x, y: x % 3, "x % 3"),
        (lambda x, y: x.clamp(0, 1), "clamp(x, 0, 1)"),
        (lambda x, y: x.clamp(hi=1), "clamp(x, -inf, 1)"),
        (lambda x, y: x.leaky_relu(0.1), "leaky_relu(x, 0.1)"),
        (lambda x, y: 1 - x, "1 - x"),
        (lambda x, y: x - 1, "x - 1"),
        (lambda x, y: x / 4, "x / 4"),
        (lambda x, y: 4 / x, "4 / x"),
        (lambda x, y: x**3, "x ** 3"),
        (lambda x, y: 3**x, "3 ** x"),
        (lambda x, y: x**0.5, "x ** 0.5"),
        (lambda x, y: x**y, "x ** y"),
        (lambda x, y: -x, "-x"),
        (lambda x, y: x.tanh(), "tanh(x)"),
        (lambda x, y: Value.sum([x, y, 2.0]), "sum(x, y) + 2"),
        (lambda x, y: Value.dot([x, y], [1.0, 2.0]), "x + y * 2"),  # a weighted sum, as it is
        (lambda x, y: Value.dot([x, y], [y, 2.0], start=0.5), "x * y + y * 2 + 0.5"),
        (lambda x, y: (-x).leaky_relu(0.1), "leaky_relu(-x, 0.1)"),
        (lambda x, y: (x + y) * 2, "(x + y) * 2"),  # an operand named by its formula, bracketed where needed
        (lambda x, y: (x * y) ** 2, "(x*y) ** 2"),
        (lambda x, y: 1 - (x - y), "1 - (x - y)"),
        (lambda x, y: x * y + 1, "x*y + 1"),
    ],
)
def test_formulas_show_number_operands(make, text):
    x, y = Value(2.0, "x"), Value(3.0, "y")
    out = make(x, y)
    assert formula(out, node_names(out)) == text


def test_explain_shows_forward_backward_and_gradients_and_restores_grads():
    o, leaves = classic_neuron()
    x1 = leaves["x1"]
    text = explain(o)
    assert text.splitlines()[0].startswith("notation: do/dv is the total derivative") and text.splitlines()[1] == "forward"
    assert "  x1*w1 = -6.0" in text and "  x1*w1 + x2*w2 = -6.0" in text
    assert "  o = tanh(n) = 0.7071" in text
    assert "  do/dw1 += do/d(x1*w1) · ∂(x1*w1)/∂w1 = 0.5 · 2.0 = 1.0" in text
    assert text.splitlines()[-5:] == ["  do/dx1 = -1.5", "  do/dw1 = 1.0", "  do/dx2 = 0.5", "  do/dw2 = 0.0", "  do/db = 0.5"]
    assert x1.grad == 0.0  # explain leaves the grads as they were


def test_explain_digits():
    x = Value(1.0 / 3.0, "x")
    y = x * 3
    assert "x = 0.33333333" in explain(y, digits=8)


def test_explain_in_latex_and_markdown():
    x = Value(2.0, "x")
    w = Value(-3.0, "w1")
    y = (x * w).tanh()
    y.label = "y"
    latex = explain(y, style="latex").splitlines()
    assert latex[0].startswith("Notation: ") and latex[2] == r"\begin{align*}" and latex[-1] == r"\end{align*}"
    xw = r"\left(x \cdot w_{1}\right)"  # the node named x*w1, as math
    assert xw + r" &= -6.0 \\" in latex
    assert r"y &= \tanh\left(" + xw + r"\right) = -1.0 \\" in latex
    assert (r"&\frac{\mathrm{d} y}{\mathrm{d} x} \mathrel{+}= \frac{\mathrm{d} y}{\mathrm{d} " + xw + r"} \cdot "
            r"\frac{\partial " + xw + r"}{\partial x} = 2.458 \times 10^{-5} \cdot \left(-3.0\right) = "
            r"-7.373 \times 10^{-5} \\") in latex
    markdown = explain(y, style="markdown")
    assert markdown.startswith("*Notation*: ") and "\n**Forward**\n" in markdown
    assert r"- $\frac{\mathrm{d} y}{\mathrm{d} w_{1}} = 4.915 \times 10^{-5}$" in markdown
    with pytest.raises(ValueError, match="style must be one of text, markdown, latex"):
        explain(y, style="html")


@pytest.mark.parametrize("name, latex", [("x", "x"), ("w1", "w_{1}"), ("w_h", "w_{h}"), ("v12", "v_{12}"),
                                         ("x1w1", r"\mathrm{x1w1}"), ("a_b_c", r"\mathrm{a\_b\_c}"),
                                         ("theta", r"\theta"), ("alpha1", r"\alpha_{1}"), ("sigma_h", r"\sigma_{h}"),
                                         ("thetax", r"\mathrm{thetax}")])
def test_latex_names(name, latex):
    from autograd.teach.naming import LATEX

    assert LATEX.name(name) == latex


def test_a_constant_is_shown_as_recorded_not_worked_back_from_rounded_numbers():
    big = Value(1e17, "x")
    out = big + 1.0
    assert out.data == 1e17  # the 1 is lost in the sum, but not in the formula
    assert formula(out, node_names(out)) == "x + 1"
    assert "x + 1 = 1e+17" in explain(out)
    assert formula(big * 3, node_names(big * 3)) == "x * 3"


def test_latex_never_merges_x1_and_x_1():
    """Both read as x sub 1 alone; in one graph each is written as typed so the page tells them apart."""
    a, b, w = Value(2.0, "x1"), Value(3.0, "x_1"), Value(4.0, "w1")
    y = a * b + w
    y.label = "y"
    markdown = explain(y, style="markdown")
    assert r"\mathrm{x1}" in markdown and r"\mathrm{x\_1}" in markdown and "w_{1}" in markdown
    assert "x_{1}" not in markdown
    assert r"\frac{\mathrm{d} y}{\mathrm{d} \mathrm{x\_1}} = 2.0" in markdown
    step_math = next(y.backward_steps())._repr_markdown_()
    assert "x_{1}" not in step_math
    alone = explain(Value(2.0, "x_1") * 3, style="latex")  # alone, the usual subscript
    assert "x_{1}" in alone
