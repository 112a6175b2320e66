"""Random expression graphs as small programs, run on this engine or on PyTorch.

A program is a list of instructions ``(op, i, j)``: apply ``op`` to registers i and j
(j unused by unary ops) and append the result as a new register. Registers start as the
inputs, so later instructions reuse earlier results: shared subexpressions and diamonds
come for free. Every op is defined for every real input, so any program runs.
"""

from __future__ import annotations

import math
from operator import methodcaller
from types import SimpleNamespace

from hypothesis import strategies as st

from autograd import Value

# name -> (arity, function of (a, b, lib)); lib supplies the elementary functions
OPS = {
    "add": (2, lambda a, b, lib: a + b),
    "sub": (2, lambda a, b, lib: a - b),
    "mul": (2, lambda a, b, lib: a * b),
    "div": (2, lambda a, b, lib: a / (b * b + 1.0)),
    "rdiv": (1, lambda a, b, lib: 2.0 / (a * a + 0.5)),
    "pow_const": (1, lambda a, b, lib: a**3),
    "pow_value": (2, lambda a, b, lib: lib.sqrt(a * a + 1.0) ** lib.tanh(b)),
    "rpow": (1, lambda a, b, lib: 1.5 ** lib.tanh(a)),
    "neg": (1, lambda a, b, lib: -a),
    "abs": (1, lambda a, b, lib: abs(a)),
    "exp": (1, lambda a, b, lib: lib.exp(lib.tanh(a))),
    "log": (1, lambda a, b, lib: lib.log(a * a + 1.0)),
    "tanh": (1, lambda a, b, lib: lib.tanh(a)),
    "sigmoid": (1, lambda a, b, lib: lib.sigmoid(a)),
    "relu": (1, lambda a, b, lib: lib.relu(a)),
    "sin": (1, lambda a, b, lib: lib.sin(a)),
    "cos": (1, lambda a, b, lib: lib.cos(a)),
    "sqrt": (1, lambda a, b, lib: lib.sqrt(a * a + 0.25)),
    "const_mix": (1, lambda a, b, lib: 0.5 * a - 1.25 + a / 4.0),
    # the n-ary nodes, in each of the shapes they take a fast path for
    "sum": (2, lambda a, b, lib: lib.nsum([a, b, a])),
    "sum_mixed": (2, lambda a, b, lib: lib.nsum([a, 1.5, b])),
    "dot_values": (2, lambda a, b, lib: lib.ndot([a, b], [b, a])),
    "dot_numbers": (2, lambda a, b, lib: lib.ndot([a, b], [0.5, -1.5])),
    "dot_mixed": (2, lambda a, b, lib: lib.ndot([a, 2.0], [b, a])),
}


FUNCTIONS = ("exp", "log", "tanh", "sigmoid", "relu", "sin", "cos", "sqrt")

def _plain_dot(xs, ys):
    return sum(x * y for x, y in zip(xs, ys))


# The elementary functions as this engine spells them (Value methods), and its n-ary nodes.
value_lib = SimpleNamespace(**{name: methodcaller(name) for name in FUNCTIONS}, nsum=Value.sum, ndot=Value.dot)


def library_of(module):
    """The same functions from a module that has them by name (torch), n-ary ops as plain sums."""
    return SimpleNamespace(**{name: getattr(module, name) for name in FUNCTIONS}, nsum=sum, ndot=_plain_dot)


@st.composite
def programs(draw, max_inputs: int = 3, max_ops: int = 12):
    n_inputs = draw(st.integers(1, max_inputs))
    inputs = draw(st.lists(st.floats(-2.0, 2.0), min_size=n_inputs, max_size=n_inputs))
    steps = []
    for k in range(draw(st.integers(1, max_ops))):
        registers = n_inputs + k
        op = draw(st.sampled_from(sorted(OPS)))
        steps.append((op, draw(st.integers(0, registers - 1)), draw(st.integers(0, registers - 1))))
    return inputs, steps


def evaluate(steps, leaves, lib):
    """Every register of a program run on the given leaves: the leaves, then one per step."""
    registers = list(leaves)
    for op, i, j in steps:
        registers.append(OPS[op][1](registers[i], registers[j], lib))
    return registers


def output(registers):
    """A program's output: the sum of its last two registers (so two branches meet)."""
    return registers[-1] + registers[-2] if len(registers) > 1 else registers[-1] * 1.0


def run(steps, leaves, lib):
    return output(evaluate(steps, leaves, lib))


KINKED = ("relu", "abs")  # ops whose derivative jumps at 0


def kink_distance(steps, registers) -> float:
    """How close the input of any relu or abs in the program is to its kink."""
    return min((abs(registers[i].item()) for op, i, _ in steps if op in KINKED), default=math.inf)


def finite(x: float) -> bool:
    return math.isfinite(x) and abs(x) < 1e8


def backpropagated(program) -> tuple[list[float], list, Value]:
    """A program run on fresh leaves and backpropagated: (inputs, leaves, output); skips non-finite outputs."""
    from hypothesis import assume

    inputs, steps = program
    leaves = [Value(x) for x in inputs]
    out = run(steps, leaves, value_lib)
    assume(finite(out.data))
    out.backward()
    return inputs, leaves, out
