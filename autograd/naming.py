"""Names and formulas for nodes, shared by explanations, pictures and the player.

A node is called by its label when it has one, else by a stable auto-name ``v0``, ``v1``,
... numbered in forward order (leaves and early ops first). Number operands are not nodes
(they are folded into the local derivative), so ``formula`` recovers them for display from
the op, the operand and the local derivative.
"""

from __future__ import annotations

import math
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


def formula(node: Value, names: dict[Value, str], digits: int = 4) -> str:
    """How ``node`` was computed, in terms of its parents' names: ``x * 3``, ``tanh(n)``.

    >>> from autograd import Value
    >>> x = Value(2.0, "x")
    >>> y = 1 - x / 4
    >>> formula(y, node_names(y))
    '1 - v1'
    """
    parents, local_grads = edges(node)
    args = [names[p] for p in parents]
    if not node.op:
        return format_number(node.data, digits)
    if node.op in INFIX and len(parents) == 2:
        return f"{args[0]} {node.op} {args[1]}"
    if node.op in INFIX:
        left, right = _constant_operand(node, parents[0], local_grads[0], digits)
        return f"{left or args[0]} {node.op} {right or args[0]}"
    if node.op == "neg":
        return f"-{args[0]}"
    if node.op == "sum":
        constant = node.data - sum(p.data for p in parents)
        tail = f" + {format_constant(constant, digits)}" if abs(constant) > 1e-12 * max(1.0, abs(node.data)) else ""
        return f"sum({', '.join(args)}){tail}"
    if node.op == "leaky_relu" and parents[0].data <= 0:
        return f"leaky_relu({args[0]}, {format_constant(local_grads[0], digits)})"
    return f"{node.op}({', '.join(args)})"


def _constant_operand(node: Value, operand: Value, local: float, digits: int) -> tuple[str, str]:
    """For ``x op c`` or ``c op x``: ('', 'c') or ('c', ''), the constant worked back out."""
    x, y, op = operand.data, node.data, node.op
    if op == "+":
        return "", format_constant(y - x, digits)
    if op == "*":
        return "", format_constant(local, digits)
    if op == "-":
        return ("", format_constant(x - y, digits)) if local > 0 else (format_constant(y + x, digits), "")
    candidates = []  # (constant on the right?, constant, how far it is from reproducing y)
    if op == "/":
        if local:
            candidates.append((True, 1.0 / local, x * local))
        candidates.append((False, -local * x * x, -local * x))
    else:  # "**": x ** c has local c * y / x; c ** x has local y * ln(c)
        if x and y:
            candidates.append((True, local * x / y, None))
        if y > 0:
            candidates.append((False, math.exp(local / y) if local else 0.0, None))
    best = min(candidates, key=lambda cand: _mismatch(op, x, y, cand))
    text = format_constant(best[1], digits)
    return ("", text) if best[0] else (text, "")


def _mismatch(op: str, x: float, y: float, candidate: tuple) -> float:
    right, c, predicted = candidate
    if predicted is None:
        try:
            predicted = x**c if right else c**x
        except (OverflowError, ZeroDivisionError, ValueError):
            return math.inf
        if isinstance(predicted, complex):
            return math.inf
    return abs(predicted - y)
