"""Names and formulas for nodes, shared by explanations, pictures and the player.

A node is called by its label when it has one, else by a stable auto-name ``v0``, ``v1``,
... numbered in forward order (leaves and early ops first). Number operands are not nodes;
each node keeps its constants exactly, and ``formula`` shows them as they were written.
"""

from __future__ import annotations

import re

from .graph import topological_order
from .text import format_constant, format_number
from .value import Value, operands


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

    def infix(self, a: str, op: str, b: str) -> str:
        if op == "*":
            return rf"{a} \cdot {b}"
        if op == "/":
            return rf"\frac{{{a}}}{{{b}}}"
        if op == "**":
            return rf"{{{a}}}^{{{b}}}"
        if op == "%":
            return rf"{a} \bmod {b}"
        return f"{a} {op} {b}"

    def call(self, function: str, args: list[str]) -> str:
        if function == "sqrt":
            return rf"\sqrt{{{args[0]}}}"
        if function == "abs":
            return rf"\left\lvert {args[0]} \right\rvert"
        name = getattr(function, "latex_name", None) or rf"\operatorname{{{_escape(function)}}}"  # an op knows its own
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

    Constants and parameters appear exactly as recorded, to ``digits`` significant digits.

    >>> from autograd import Value
    >>> x = Value(2.0, "x")
    >>> y = 1 - x / 4
    >>> formula(y, node_names(y))
    '1 - v1'
    >>> print(formula(y.parents[0], node_names(y), notation=LATEX))
    \\frac{x}{4}
    """
    op = node.op
    if not op:
        return notation.number(format_number(node.data, digits))
    args, params = operands(node)
    constant = lambda c: notation.number(format_constant(c, digits))  # noqa: E731
    shown = [notation.name(names[a]) if isinstance(a, Value) else constant(a) for a in args]
    if op.symbol_kind == "infix":
        return notation.infix(shown[0], op, shown[1])
    if op.symbol_kind == "prefix":
        return f"-{shown[0]}"
    if op.symbol_kind == "nary":  # sum(...) or dot(...) of the parents, the constant part added after
        parents = shown[: len(node.parents)]
        rest = params[1] if op.name == "dot" else args[-1] if len(args) > len(parents) else 0
        text = notation.call(op, parents)
        return notation.infix(text, "+", constant(rest)) if rest else text
    return notation.call(op, [*shown, *map(constant, params)])


def edge_rule(node: Value, k: int, names: dict[Value, str] | None = None, notation: str = "plain") -> str:
    """The rule behind the local derivative on the node's ``k``-th edge, in the names of its operands.

    >>> from autograd import Value
    >>> n = Value(0.5, "n"); o = n.tanh(); o.label = "o"
    >>> edge_rule(o, 0)
    'd tanh(n)/dn = 1 - tanh(n)^2'
    >>> x = Value(2.0, "x"); edge_rule(3 * x, 0)
    'd(3 * x)/dx = 3'
    """
    names = names or {}
    args, params = operands(node)
    op = node.op
    name = lambda v, default: names.get(v) or v.label or default  # noqa: E731
    if op.symbol_kind == "nary":  # sum: 1; dot: the other factor of the pair, or the constant one
        parent, pairs = node.parents[k], params[0] if op.name == "dot" else 0
        partner = node.parents[k + pairs] if k < pairs else node.parents[k - pairs] if k < 2 * pairs else None
        local = name(partner, "the other factor") if partner is not None else format_constant(node.local_grads[k])
        return f"d {op}(...)/d{name(parent, 'x_i')} = {local}"
    value_positions = [i for i, arg in enumerate(args) if isinstance(arg, Value)]
    shown = {operand: name(arg, operand) if isinstance(arg, Value) else format_constant(arg)
             for operand, arg in zip(op.operands, args)}
    shown |= {name: format_constant(value) for (name, _), value in zip(op.params, params)}
    shown["out"] = names.get(node, node.label or "out")
    return op.rule(value_positions[k], notation, **shown)
