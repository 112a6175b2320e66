"""Ops a learner defines: through backward, steps, explain and pictures like built-ins; and the checker."""

import math

import pytest

from autograd import GradcheckError, Value, check_op, custom_op, explain
from autograd.engine.ops import BY_NAME, NotDifferentiableAgainError
from autograd.engine.value import value_local_grads
from autograd.show.drawing import draw, render

from .conftest import require_program

cube = custom_op("cube", lambda x: x**3, lambda x, out: 3 * x * x)
hypot = custom_op("hypot", lambda a, b: math.hypot(a, b), lambda a, b, out: (a / out, b / out))


def test_a_custom_op_is_one_node_with_its_name_and_local_derivatives():
    x, y = Value(3.0, "x"), Value(4.0, "y")
    h = hypot(x, y)
    assert (h.op, h.data, h.parents, h.local_grads) == ("hypot", 5.0, (x, y), (0.6, 0.8))
    out = cube(h) * 2
    out.backward()
    assert x.grad == pytest.approx(2 * 75 * 0.6) and y.grad == pytest.approx(2 * 75 * 0.8)


def test_numbers_are_constants_of_a_custom_op():
    x = Value(3.0, "x")
    h = hypot(x, 4)
    h.backward()
    assert h.parents == (x,) and x.grad == 0.6
    assert "hypot(x, 4) = 5.0" in explain(h)


def test_a_custom_op_is_stepped_explained_and_drawn_like_a_built_in():
    x = Value(2.0, "x")
    y = cube(x)
    y.label = "y"
    step = next(y.backward_steps())
    assert str(step) == "dy/dx += dy/dy · ∂y/∂x = 1.0 · 12.0 = 12.0"
    text = explain(y)
    assert "y = cube(x) = 8.0" in text and "dy/dx = 12.0" in text
    assert "cube" in draw(y).source


def test_a_custom_op_renders_to_svg(tmp_path):
    require_program("dot", "apt-get install graphviz")
    y = cube(Value(2.0, "x"))
    y.backward()
    text = render(y, tmp_path / "cube.svg").read_text()
    assert ">cube<" in text and "grad 12.0" in text


def test_names_may_repeat_and_a_built_in_is_never_replaced():
    my_tanh = custom_op("tanh", lambda x: 2 * x, lambda x, out: 2.0)
    other = custom_op("tanh", lambda x: 3 * x, lambda x, out: 3.0)
    x = Value(0.5)
    assert my_tanh(x).data == 1.0 and other(x).data == 1.5
    assert x.tanh().data == math.tanh(0.5) and BY_NAME["tanh"].custom is False
    assert my_tanh(x).op == "tanh" and my_tanh(x).op.custom


def test_a_hostile_name_is_data_in_pictures():
    y = custom_op("</b><x>", lambda x: x, lambda x, out: 1.0)(Value(1.0, "x"))
    source = draw(y).source
    assert "</b><x>" not in source and "&lt;/b&gt;&lt;x&gt;" in source


@pytest.mark.parametrize("make, message", [
    (lambda: custom_op("", abs, abs), "needs a name"),
    (lambda: custom_op("f", 3, abs), "forward must be a function"),
    (lambda: custom_op("f", abs, None), "derivative must be a function"),
    (lambda: custom_op("f", lambda *xs: 0.0, lambda *xs, out: 0.0), "fixed number of inputs"),
])
def test_bad_definitions_are_refused_clearly(make, message):
    with pytest.raises(TypeError, match=message):
        make()


def test_bad_calls_and_bad_derivatives_are_refused_clearly():
    with pytest.raises(TypeError, match=r"custom op 'hypot' takes 2 input\(s\) \(a, b\), got 1"):
        hypot(Value(1.0))
    short = custom_op("short", lambda a, b: a + b, lambda a, b, out: 1.0)
    with pytest.raises(ValueError, match=r"derivative must give 2 number\(s\), one per input \(a, b\), got 1"):
        short(Value(1.0), Value(2.0))
    with pytest.raises(TypeError, match="custom op 'text': forward's result needs a real number"):
        custom_op("text", lambda x: "1", lambda x, out: 1.0)(Value(1.0))


# ---- check_op ----

def test_check_op_passes_right_rules():
    assert len(check_op(cube)) == 20
    assert len(check_op(hypot, domain=(0.5, 3.0))) == 20
    assert len(check_op(Value.log)) == 20  # a built-in, sampled where it is defined


@pytest.mark.parametrize("wrong, what", [
    (custom_op("sign_flip", math.sin, lambda x, out: -math.cos(x)), "wrong sign"),
    (custom_op("sin2x", lambda x: math.sin(2 * x), lambda x, out: math.cos(2 * x)), "a chain factor forgotten"),
    (custom_op("swapped", lambda a, b: a * b * b, lambda a, b, out: (2 * a * b, b * b)), "partials swapped"),
    (custom_op("from_out", math.exp, lambda x, out: x), "the input used for the result"),
])
def test_check_op_catches_wrong_rules_naming_input_point_and_both_numbers(wrong, what):
    with pytest.raises(GradcheckError) as caught:
        check_op(wrong)
    message = str(caught.value)
    name = str(wrong.op)
    assert message.startswith(f"check_op({name!r}), upstream gradient 0.37, at "), what
    assert "MISMATCH d/d" in message and "backward " in message and "central difference " in message


def test_check_op_uses_a_value_twice():
    # A maximum whose tie rule sends the whole gradient both ways: right wherever a != b,
    # so only the check with one Value as both inputs sees it.
    bad_max = custom_op("bad_max", lambda a, b: max(a, b), lambda a, b, out: (1.0 if a >= b else 0.0, 1.0 if b >= a else 0.0))
    with pytest.raises(GradcheckError, match=r"check_op\(.bad_max.\), one Value used twice, at a=(?s:.*)backward 0\.74, central difference 0\.37"):
        check_op(bad_max)


def test_check_op_checks_the_value_derivative_too():
    good = custom_op("sq", lambda x: x * x, lambda x, out: 2 * x, value_derivative=lambda x, out: (2 * x,))
    check_op(good)
    assert value_local_grads(good(Value(3.0)))[0].data == 6.0
    bad = custom_op("sq", lambda x: x * x, lambda x, out: 2 * x, value_derivative=lambda x, out: (3 * x,))
    with pytest.raises(GradcheckError, match=r"value_derivative gives .* but derivative gives .* for d/dx"):
        check_op(bad)


def test_without_a_value_derivative_differentiating_again_says_what_to_pass():
    with pytest.raises(NotDifferentiableAgainError, match="custom op 'cube' has no derivative built from Values: pass value_derivative="):
        value_local_grads(cube(Value(2.0)))


def test_check_op_refuses_an_op_undefined_everywhere_it_looks():
    nowhere = custom_op("nowhere", lambda x: math.log(-abs(x) - 1), lambda x, out: 0.0)
    with pytest.raises(ValueError, match=r"undefined at every point tried in -3.0..3.0; pass domain="):
        check_op(nowhere, samples=2)


# ---- issue 22 item 1: a forward whose signature cannot be read ----

def test_a_builtin_forward_takes_its_inputs_from_the_derivative():
    hyp = custom_op("hypot", math.hypot, lambda x, y, out: (x / out, y / out))
    x, y = Value(3.0, "x"), Value(4.0, "y")
    z = hyp(x, y)
    z.backward()
    assert (z.data, x.grad, y.grad) == (5.0, 0.6, 0.8)
    assert hyp.op.operands == ("x", "y")


def test_arity_counts_the_inputs_when_no_signature_tells():
    import operator

    times = custom_op("times", operator.mul, lambda *xs, out: (xs[1], xs[0]), arity=2)
    a, b = Value(2.0), Value(-5.0)
    c = times(a, b)
    c.backward()
    assert (c.data, a.grad, b.grad) == (-10.0, -5.0, 2.0)
    biggest = custom_op("biggest", max, lambda *xs, out: tuple(float(x == out) for x in xs), arity=3)
    assert biggest.op.operands == ("x1", "x2", "x3") and biggest(1.0, Value(4.0), 2.0).data == 4.0


def test_arity_that_contradicts_a_signature_or_nothing_to_count_is_refused():
    with pytest.raises(ValueError, match=r"arity=3 but the forward takes 2 input\(s\) \(y, x\)"):
        custom_op("atan2", math.atan2, lambda y, x, out: (0.0, 0.0), arity=3)
    with pytest.raises(ValueError, match="arity must be a positive int, got 0"):
        custom_op("f", max, lambda *xs, out: 0.0, arity=0)
    with pytest.raises(TypeError, match=r"cannot tell how many inputs.*pass arity=N"):
        custom_op("f", max, lambda *xs, out: 0.0)
