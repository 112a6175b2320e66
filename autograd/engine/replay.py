"""Running a recorded forward pass again on other input values, from each node's op entry.

A node keeps its op (a table entry) and its constants exactly, so its value can be computed
again from new parent values without the Python code that built the graph. ``nudge`` uses
this to show what a gradient predicts: move one input a little, see the output move.
"""

from __future__ import annotations

from .graph import topological_order
from .value import Value, operands


def float_derivative(op: Op, k: int = 0) -> Callable[..., float]:
    """The op's local derivative by operand ``k`` as a function of floats (operands, parameters, then
    ``out``), from the table's own text; compiled once per entry and operand.

    >>> from autograd.engine.ops import BY_NAME
    >>> float_derivative(BY_NAME["tanh"])(0.5, 0.0), float_derivative(BY_NAME["*"], 1)(2.0, 3.0, 6.0)
    (1.0, 2.0)
    """
    cache = op.__dict__.setdefault("_float_derivatives", {})
    if k not in cache:
        args = ", ".join([*op.operands, *(name for name, _ in op.params), "out"])
        cache[k] = eval(f"lambda {args}: {op.derivatives[k]}", {"math": math})  # the table's own text
    return cache[k]


def value_of(node: Value, data: dict[Value, float]) -> float:
    """The node's value from its parents' values in ``data`` (a leaf's own value if it is not there)."""
    if node in data or not node.op:
        return data.get(node, node.data)
    value = lambda v: data.get(v, v.data) if isinstance(v, Value) else float(v)
    try:
        return node.op.evaluate(node, value)
    except (ValueError, ZeroDivisionError, OverflowError) as error:
        xs = [value(a) for a in operands(node)[0]]
        raise type(error)(f"'{node.op}' cannot be computed at {', '.join(map(repr, xs))}: {error}") from None


def replay(root: Value, changes: dict[Value, float]) -> float:
    """``root``'s value with some nodes' values replaced (usually inputs), computed again node by node.

    Changes no ``.data`` and no ``.grad``.

    >>> x = Value(2.0, "x"); y = x * x + 1
    >>> replay(y, {x: 3.0}), y.data
    (10.0, 5.0)
    """
    data = {node: float(value) for node, value in changes.items()}
    for node in reversed(topological_order(root)):
        if node not in data:
            data[node] = value_of(node, data)
    return data[root]
