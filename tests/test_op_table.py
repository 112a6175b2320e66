"""The op table, entry by entry: every op against PyTorch float64 and central differences, its
Value-built derivative against its float one, its place in the CLI, and the recipe's promise
that an entry is all an op needs."""

import math
import operator

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from autograd import Value, check_op, maximum, minimum
from autograd.cli import main
from autograd.engine.ops import ARITIES, BY_NAME, TABLE, activations, cheat_sheet
from autograd.engine.value import value_local_grads

ELEMENTWISE = [op for op in TABLE if op.symbol_kind != "nary"]
INFIX = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "**": operator.pow,
         "%": operator.mod}
BINARY_CALLS = {"maximum": maximum, "minimum": minimum}
PARAMS = {"leaky_relu": (0.2,), "clamp": (-0.5, 1.5)}  # parameters used where a test does not draw them


def apply(op, args, params=None):
    """The op on Values and numbers, as a learner writes it: x * 3, 3 - x, x.tanh(), maximum(a, b)."""
    params = PARAMS.get(op.name, ()) if params is None else params
    if op.name in INFIX:
        return INFIX[op.name](*args)
    if op.name in BINARY_CALLS:
        return BINARY_CALLS[op.name](*args)
    return getattr(Value, op.method)(args[0], *params)


def reals(lo, hi):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def positive(lo=1e-300, hi=1e300):
    return st.floats(math.log(lo), math.log(hi)).map(math.exp)


BIG = reals(-1e300, 1e300)
WIDE = reals(-1e3, 1e3)
NONZERO = WIDE.filter(lambda b: abs(b) > 1e-3)
# Each op's whole domain (where floats allow), as strategies for its operands.
DOMAIN = {
    "+": (BIG, BIG), "-": (BIG, BIG), "*": (WIDE, WIDE), "/": (WIDE, NONZERO), "**": (positive(1e-100, 1e100), reals(-2, 2)),
    "%": (WIDE, NONZERO), "maximum": (BIG, BIG), "minimum": (BIG, BIG),
    "neg": (BIG,), "abs": (BIG,), "exp": (reals(-700, 700),), "log": (positive(),), "log2": (positive(),),
    "log10": (positive(),), "log1p": (st.floats(-1, 1e300, exclude_min=True),), "expm1": (reals(-700, 700),),
    "sqrt": (positive(),), "tanh": (WIDE,), "sigmoid": (reals(-700, 700),), "relu": (BIG,), "leaky_relu": (BIG,),
    "softplus": (reals(-700, 700),), "clamp": (WIDE,), "sin": (WIDE,), "cos": (WIDE,), "tan": (WIDE,),
    "asin": (reals(-1, 1),), "acos": (reals(-1, 1),), "atan": (BIG,), "sinh": (reals(-700, 700),),
    "cosh": (reals(-700, 700),),
}


def test_every_op_has_its_tests_and_every_part_of_an_entry():
    """The recipe: an entry plus its tests. An op added to the table without them fails here (no torch needed)."""
    table = {op.name for op in ELEMENTWISE}
    for where, listed in (("DOMAIN", set(DOMAIN)), ("torch_functions_names()", set(torch_functions_names()))):
        assert not table - listed, f"op(s) {sorted(table - listed)} of the table missing from {where} in tests/test_op_table.py"
        assert not listed - table, f"{sorted(listed - table)} in {where} in tests/test_op_table.py but not in the op table"
    for op in TABLE:
        assert len(op.rules) == len(op.latex_rules) == len(op.operands), op
        assert op.rule(0) and op.rule(0, "latex") and op.domain_text(), op
        if op.symbol_kind != "nary":
            assert len(op.derivatives) == len(op.value_derivatives) == len(op.operands), op
            assert callable(getattr(Value, op.method)), op
            assert op.name in cheat_sheet()
            assert not any(word in expression for expression in op.value_derivatives for word in ("==", "!=")), \
                f"{op}: == on Values is identity; compare with < <= > >= in derivative expressions"


def torch_functions_names():
    return ["+", "-", "*", "/", "**", "%", "maximum", "minimum", "neg", "abs", "exp", "log", "log2", "log10", "log1p",
            "expm1", "sqrt", "tanh", "sigmoid", "relu", "leaky_relu", "softplus", "clamp", "sin", "cos", "tan", "asin",
            "acos", "atan", "sinh", "cosh"]


def test_the_rules_read_as_people_write_them():
    assert BY_NAME["tanh"].rule() == "∂tanh(x)/∂x = 1 - tanh(x)^2"
    assert BY_NAME["*"].rule(0) == "∂(a * b)/∂a = b"
    assert BY_NAME["tanh"].rule(0, x="n") == "∂tanh(n)/∂n = 1 - tanh(n)^2"
    assert BY_NAME["tanh"].rule(0, "latex", x="n") == r"\frac{\partial}{\partial n} tanh(n) = 1 - \tanh^{2} n"
    assert BY_NAME["log"].domain_text() == "x > 0"
    assert BY_NAME["tanh"].math_name == "math.tanh" and BY_NAME["sigmoid"].math_name is None
    assert [op.name for op in activations()] == ["tanh", "sigmoid", "relu", "leaky_relu", "softplus"]


# ---- the Value-built derivative equals the float one ----

def float_and_value_derivatives(op, args):
    out = apply(op, args)
    built = [d.data if isinstance(d, Value) else d for d in value_local_grads(out)]
    return list(out.local_grads), built


def same(a, b, rel=1e-12):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or math.isclose(a, b, rel_tol=rel, abs_tol=1e-300)


@pytest.mark.parametrize("op", ELEMENTWISE, ids=str)
def test_value_built_derivative_equals_the_float_one(op):
    lo, hi = op.points

    @given(st.lists(reals(lo, hi), min_size=len(op.operands), max_size=len(op.operands)), st.integers(0, 2))
    def check(xs, form):
        # form 0: all Values; 1: the second operand a constant; 2: the first one a constant
        args = [Value(x) for x in xs]
        if len(args) == 2 and form:
            args[form - 1] = xs[form - 1]
        try:
            floats, built = float_and_value_derivatives(op, args)
        except (ValueError, ZeroDivisionError):
            assume(False)
        assert all(same(f, b) for f, b in zip(floats, built)), (xs, floats, built)

    check()


@pytest.mark.parametrize("make, x", [
    (lambda x: x**0, 0.0), (lambda x: x**1, 0.0), (lambda x: x**2, 0.0), (lambda x: x**0.5, 0.0),
    (lambda x: x**-1, 2.0), (lambda x: 0.0**x, 2.0), (lambda x: x**x, 0.0), (lambda x: (-2.0) ** x, 3.0),
    (lambda x: x.sqrt(), 0.0), (lambda x: x.relu(), 0.0), (lambda x: abs(x), 0.0), (lambda x: x.leaky_relu(), 0.0),
    (lambda x: x.asin(), 1.0), (lambda x: x.acos(), -1.0), (lambda x: maximum(x, 1.0), 1.0),
    (lambda x: minimum(x, x), 3.0), (lambda x: x.clamp(0, 1), 1.0), (lambda x: x % 2, 4.0),
    (lambda x: x.softplus(), -700.0), (lambda x: x.softplus(), 700.0),
])
def test_value_built_derivative_at_special_points(make, x):
    out = make(Value(x))
    built = [d.data if isinstance(d, Value) else d for d in value_local_grads(out)]
    assert all(same(f, b) for f, b in zip(out.local_grads, built)), (out.local_grads, built)


def test_value_built_derivatives_of_sum_and_dot_name_the_other_factor():
    a, b, c = Value(2.0), Value(3.0), Value(5.0)
    d = Value.dot([a, b, 4.0], [c, 7.0, a], start=b)
    assert d.data == 2 * 5 + 3 * 7 + 4 * 2 + 3
    assert value_local_grads(d) == (c, a, 7.0, 4.0, 1.0)
    assert d.parents == (a, c, b, a, b)
    assert value_local_grads(Value.sum([a, 2.0, b])) == (1.0, 1.0)


# ---- central differences, with the checker a learner uses ----

@pytest.mark.parametrize("op", ELEMENTWISE, ids=str)
def test_every_op_passes_check_op(op):
    check_op(lambda *xs: apply(op, list(xs)), arity=len(op.operands), domain=op.points, samples=30)


def test_softplus_stays_exact_where_pytorch_approximates():
    x = Value(25.0)
    out = x.softplus()
    out.backward()
    assert out.data == 25.0 + math.log1p(math.exp(-25.0)) and out.data != 25.0
    assert x.grad == pytest.approx(1.0 / (1.0 + math.exp(-25.0)), rel=1e-15) and x.grad < 1.0


# ---- domains and the CLI ----

@pytest.mark.parametrize("make, error, message", [
    (lambda: Value(2.0).asin(), ValueError, "asin needs -1 <= x <= 1, got 2.0"),
    (lambda: Value(-2.0).acos(), ValueError, "acos needs -1 <= x <= 1, got -2.0"),
    (lambda: Value(0.0).log2(), ValueError, "log2 needs x > 0, got 0.0"),
    (lambda: Value(-1.0).log10(), ValueError, "log10 needs x > 0, got -1.0"),
    (lambda: Value(-1.0).log1p(), ValueError, "log1p needs x > -1, got -1.0"),
    (lambda: Value(1.0) % 0, ZeroDivisionError, "'%' divides by zero: 1.0 % 0.0"),
    (lambda: 3 % Value(0.0), ZeroDivisionError, "'%' divides by zero: 3.0 % 0.0"),
    (lambda: Value(800.0).sinh(), OverflowError, "sinh overflows a float at x=800.0"),
    (lambda: Value(800.0).expm1(), OverflowError, "expm1 overflows a float at x=800.0"),
    (lambda: Value(1.0).leaky_relu("a"), TypeError, "leaky_relu slope needs a real number"),
    (lambda: Value(1.0).clamp(0, "1"), TypeError, "clamp hi needs a real number"),
    (lambda: maximum("a", 1), TypeError, "maximum needs a real number"),
])
def test_domain_errors_name_the_op_and_the_value(make, error, message):
    with pytest.raises(error) as caught:
        make()
    assert message in str(caught.value)


@pytest.mark.parametrize("name", sorted(ARITIES))
def test_the_cli_accepts_every_function_of_the_table(capsys, name):
    least, most = ARITIES[name]
    args = ["x", "y", "z"][:least] + ["0.25"] * (most - least)
    inputs = [f"{n}=0.5" for n in ("x", "y", "z")[:least]]
    assert main(["explain", f"{name}({', '.join(args)})", *inputs]) == 0
    out = capsys.readouterr().out
    assert f"{name}(" in out and "gradients" in out


def test_the_cli_has_remainder_clamp_and_maximum(capsys):
    assert main(["explain", "clamp(x, 0, 1) + maximum(x, y) % 2", "x=1.5", "y=0.5"]) == 0
    out = capsys.readouterr().out
    assert "clamp(x, 0, 1) = 1.0" in out and "df/dx = 1.0" in out and "df/dy = 0.0" in out


def test_chainrule_ops_prints_the_cheat_sheet(capsys):
    assert main(["ops"]) == 0
    out = capsys.readouterr().out
    assert "∂tanh(x)/∂x = 1 - tanh(x)^2" in out and "x > 0" in out and len(out.splitlines()) > len(TABLE)
