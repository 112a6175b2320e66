"""Property tests: every op against central differences, random graphs against themselves."""

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from autograd import Value, gradcheck, maximum, minimum, topological_order

from .programs import backpropagated, evaluate, finite, kink_distance, output, programs, run, value_lib


def reals(lo, hi):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def away_from(points, margin=1e-3):
    return lambda x: all(abs(x - p) > margin for p in points)


def positive(lo=1e-300, hi=1e300):
    """Positive floats across the whole range, drawn evenly in log scale."""
    return st.floats(math.log(lo), math.log(hi)).map(math.exp)


# op, its domain (all of it where floats allow; kinks left out, where central differences
# straddle two slopes), and whether the step must shrink with x (functions that end at 0)
UNARY = {
    "exp": (lambda x: x.exp(), reals(-700, 700), False),
    "log": (lambda x: x.log(), positive(), True),
    "tanh": (lambda x: x.tanh(), reals(-1e3, 1e3), False),
    "sigmoid": (lambda x: x.sigmoid(), reals(-1e3, 1e3), False),
    "relu": (lambda x: x.relu(), reals(-1e300, 1e300).filter(away_from([0])), False),
    "leaky_relu": (lambda x: x.leaky_relu(0.2), reals(-1e300, 1e300).filter(away_from([0])), False),
    "sin": (lambda x: x.sin(), reals(-1e3, 1e3), False),
    "cos": (lambda x: x.cos(), reals(-1e3, 1e3), False),
    "sqrt": (lambda x: x.sqrt(), positive(), True),
    "abs": (lambda x: abs(x), reals(-1e300, 1e300).filter(away_from([0])), False),
    "neg": (lambda x: -x, reals(-1e300, 1e300), False),
    "pow_int": (lambda x: x**3, reals(-1e100, 1e100), False),
    "pow_negative_int": (lambda x: x**-2, reals(-1e100, 1e100).filter(away_from([0], 1e-3)), False),
    "pow_fraction": (lambda x: x**1.5, positive(1e-200, 1e200), True),
    "rpow": (lambda x: 2.5**x, reals(-700, 700), False),
    "rsub": (lambda x: 3.0 - x, reals(-1e300, 1e300), False),
    "rdiv": (lambda x: 3.0 / x, reals(-1e300, 1e300).filter(away_from([0], 1e-3)), False),
    "tan": (lambda x: x.tan(), reals(-100, 100).filter(lambda x: abs(math.cos(x)) > 0.1), False),  # off its poles
    "asin": (lambda x: x.asin(), reals(-0.999, 0.999), False),
    "acos": (lambda x: x.acos(), reals(-0.999, 0.999), False),
    "atan": (lambda x: x.atan(), reals(-1e300, 1e300), False),
    "sinh": (lambda x: x.sinh(), reals(-700, 700), False),
    "cosh": (lambda x: x.cosh(), reals(-700, 700), False),
    "log1p": (lambda x: x.log1p(), reals(-0.999, 1e300), False),
    "expm1": (lambda x: x.expm1(), reals(-700, 700), False),
    "log2": (lambda x: x.log2(), positive(), True),
    "log10": (lambda x: x.log10(), positive(), True),
    "softplus": (lambda x: x.softplus(), reals(-700, 700), False),
    "clamp": (lambda x: x.clamp(-1.0, 2.0), reals(-1e300, 1e300).filter(away_from([-1.0, 2.0])), False),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_op_matches_central_differences(name):
    f, domain, relative_step = UNARY[name]

    @given(domain)
    def check(x):
        # gradcheck steps by eps * max(1, |x|); below 1 a function that ends at 0 needs a step below x
        eps = 1e-6 * min(1.0, abs(x)) if relative_step else 1e-6
        gradcheck(f, [x], eps=eps, atol=1e-6, rtol=1e-5)

    check()


BINARY = {
    "add": (lambda a, b: a + b, reals(-1e3, 1e3), reals(-1e3, 1e3)),
    "sub": (lambda a, b: a - b, reals(-1e3, 1e3), reals(-1e3, 1e3)),
    "mul": (lambda a, b: a * b, reals(-1e3, 1e3), reals(-1e3, 1e3)),
    "div": (lambda a, b: a / b, reals(-1e3, 1e3), reals(-1e3, 1e3).filter(away_from([0], 0.1))),
    "pow": (lambda a, b: a**b, reals(1e-2, 50), reals(-5, 5)),
    "sum": (lambda a, b: Value.sum([a, b, a, 1.0]), reals(-1e3, 1e3), reals(-1e3, 1e3)),
    "dot": (lambda a, b: Value.dot([a, b, 2.0], [b, 3.0, a]), reals(-1e3, 1e3), reals(-1e3, 1e3)),
    # kinks and jumps (a tie, a multiple of b) left out, as for relu
    "maximum": (lambda a, b: maximum(a, b + 0.5), reals(-1e3, 1e3), reals(-1e3, 1e3)),
    "minimum": (lambda a, b: minimum(a, b + 0.5), reals(-1e3, 1e3), reals(-1e3, 1e3)),
    "mod": (lambda a, b: a % b, reals(-1e3, 1e3), reals(-1e3, 1e3).filter(away_from([0], 0.1))),
}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_op_matches_central_differences(name):
    f, left, right = BINARY[name]

    @given(left, right)
    def check(a, b):
        if name in ("maximum", "minimum"):
            assume(abs(a - b - 0.5) > 1e-3)
        if name == "mod":  # no multiple of b within the steps: a/b moves by up to this much between them
            shift = 1e-6 * (max(1.0, abs(a)) / abs(b) + abs(a) * max(1.0, abs(b)) / b**2)
            assume(abs(a / b - round(a / b)) > 2 * shift + 1e-3)
        gradcheck(f, [a, b], atol=1e-6, rtol=1e-5)

    check()


@given(programs())
def test_random_graphs_match_central_differences(program):
    inputs, steps = program
    registers = evaluate(steps, [Value(x) for x in inputs], value_lib)
    assume(finite(output(registers).data))
    # Central differences straddling a relu or abs kink see neither slope: stay clear of kinks.
    assume(kink_distance(steps, registers) > 1e-3)
    gradcheck(lambda *xs: run(steps, xs, value_lib), inputs, atol=1e-4, rtol=1e-4)


@given(programs(), st.integers(1, 3))
def test_backward_twice_doubles_every_leaf_grad(program, times):
    _, leaves, out = backpropagated(program)
    once = [leaf.grad for leaf in leaves]
    # A leaf grad that is a sum of contributions cancelling to ~0 is exact only to their rounding.
    scale = max(abs(node.grad) for node in topological_order(out))
    for _ in range(times):
        with pytest.warns(UserWarning, match="accumulate"):
            out.backward()
    for leaf, g in zip(leaves, once):
        assert leaf.grad == pytest.approx((times + 1) * g, rel=1e-12, abs=1e-15 * scale) or not math.isfinite(g)
