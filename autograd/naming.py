"""Names and formulas for nodes, shared by explanations, pictures and the player.

A node is called by its label when it has one, else by a stable auto-name ``v0``, ``v1``,
... numbered in forward order (leaves and early ops first). Number operands are not nodes
(they are folded into the local derivative), so ``formula`` recovers them for display from
the op, the operand and the local derivative.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from .graph import edges, topological_order
from .text import format_constant, format_number

if TYPE_CHECKING:
    from .value import Value

INFIX = ("+", "-", "*", "/", "**")


def node_names(root: Value) -> dict[Value, str]:
    """Every node under ``root`` mapped to its label, or an auto-name ``v<k>`` in forward order.

    >>> from autograd import Value
    >>> x = Value(2.0, "x")
    >>> names = node_names((x * 3).tanh())
    >>> sorted(names.values())
    ['v1', 'v2', 'x']
    """
    names = {}
    for k, node in enumerate(reversed(topological_order(root))):
        names[node] = node.label or f"v{k}"
    return names


class Notation:
    """How formulas are written: plain text (``x * w``, ``tanh(n)``). ``Latex`` overrides it."""

    def infix(self, a: str, op: str, b: str) -> str:
        return f"{a} {op} {b}"

    def call(self, function: str, args: list[str]) -> str:
        return f"{function}({', '.join(args)})"

    def name(self, name: str) -> str:
        return name

    def number(self, text: str) -> str:
        return text

    def derivative(self, of: str, by: str) -> str:
        return f"d{of}/d{by}"

    def times(self) -> str:
        return "*"


class Latex(Notation):
    """Formulas for LaTeX (and Markdown with math): ``x \\cdot w``, ``\\tanh\\left(n\\right)``."""

    FUNCTIONS = {"exp": r"\exp", "log": r"\log", "tanh": r"\tanh", "sin": r"\sin", "cos": r"\cos",
                 "sigmoid": r"\sigma"}

    def infix(self, a: str, op: str, b: str) -> str:
        if op == "*":
            return rf"{a} \cdot {b}"
        if op == "/":
            return rf"\frac{{{a}}}{{{b}}}"
        if op == "**":
            return rf"{{{a}}}^{{{b}}}"
        return f"{a} {op} {b}"

    def call(self, function: str, args: list[str]) -> str:
        if function == "sqrt":
            return rf"\sqrt{{{args[0]}}}"
        if function == "abs":
            return rf"\left\lvert {args[0]} \right\rvert"
        name = self.FUNCTIONS.get(function, rf"\operatorname{{{_escape(function)}}}")
        return rf"{name}\left({', '.join(args)}\right)"

    def name(self, name: str) -> str:
        """``w1`` -> ``w_{1}``, ``w_h`` -> ``w_{h}``; longer names upright."""
        match = re.fullmatch(r"([A-Za-z])(?:_([A-Za-z0-9]+)|([0-9]+))?", name)
        if match:
            index = match[2] or match[3]
            return match[1] + (f"_{{{index}}}" if index else "")
        return rf"\mathrm{{{_escape(name)}}}"

    def number(self, text: str) -> str:
        mantissa, _, exponent = text.partition("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}" if exponent else text

    def derivative(self, of: str, by: str) -> str:
        return rf"\frac{{\partial {of}}}{{\partial {by}}}"

    def times(self) -> str:
        return r"\cdot"


PLAIN = Notation()
LATEX = Latex()


def _escape(text: str) -> str:
    return re.sub(r"([\\{}_^#$%&~])", lambda m: "\\" + m[1] if m[1] != "\\" else r"\textbackslash{}", text)


def formula(node: Value, names: dict[Value, str], digits: int = 4, notation: Notation = PLAIN) -> str:
    """How ``node`` was computed, in terms of its parents' names: ``x * 3``, ``tanh(n)``.

    >>> from autograd import Value
    >>> x = Value(2.0, "x")
    >>> y = 1 - x / 4
    >>> formula(y, node_names(y))
    '1 - v1'
    >>> print(formula(y.parents[0], node_names(y), notation=LATEX))
    \\frac{x}{4}
    """
    parents, local_grads = edges(node)
    args = [notation.name(names[p]) for p in parents]
    constant = lambda c: notation.number(format_constant(c, digits))  # noqa: E731
    if not node.op:
        return notation.number(format_number(node.data, digits))
    if node.op in INFIX and len(parents) == 2:
        return notation.infix(args[0], node.op, args[1])
    if node.op in INFIX:
        left, right = _constant_operand(node, parents[0], local_grads[0])
        return notation.infix(args[0] if left is None else constant(left), node.op,
                              args[0] if right is None else constant(right))
    if node.op == "neg":
        return f"-{args[0]}"
    if node.op == "sum":
        rest = node.data - sum(p.data for p in parents)
        text = notation.call("sum", args)
        return notation.infix(text, "+", constant(rest)) if abs(rest) > 1e-12 * max(1.0, abs(node.data)) else text
    if node.op == "leaky_relu" and parents[0].data <= 0:
        return notation.call("leaky_relu", [args[0], constant(local_grads[0])])
    return notation.call(node.op, args)


def _constant_operand(node: Value, operand: Value, local: float) -> tuple[float | None, float | None]:
    """For ``x op c`` or ``c op x``: (None, c) or (c, None), the constant worked back out."""
    x, y, op = operand.data, node.data, node.op
    if op == "+":
        return None, y - x
    if op == "*":
        return None, local
    if op == "-":
        return (None, x - y) if local > 0 else (y + x, None)
    candidates: list[tuple[bool, float, float | None]] = []  # (on the right?, constant, predicted y)
    if op == "/":
        if local:
            candidates.append((True, 1.0 / local, x * local))
        candidates.append((False, -local * x * x, -local * x))
    else:  # "**": x ** c has local c * y / x; c ** x has local y * ln(c)
        if x and y:
            candidates.append((True, local * x / y, None))
        if y > 0:
            candidates.append((False, math.exp(local / y) if local else 0.0, None))
    best = min(candidates, key=lambda cand: _mismatch(x, y, cand))
    return (None, best[1]) if best[0] else (best[1], None)


def _mismatch(x: float, y: float, candidate: tuple) -> float:
    right, c, predicted = candidate
    if predicted is None:
        try:
            predicted = x**c if right else c**x
        except (OverflowError, ZeroDivisionError, ValueError):
            return math.inf
        if isinstance(predicted, complex):
            return math.inf
    return abs(predicted - y)
