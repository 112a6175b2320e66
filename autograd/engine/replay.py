"""Running a recorded forward pass again on other input values, from each node's op entry.

A node keeps its op (a table entry) and its constants exactly, so its value can be computed
again from new parent values without the Python code that built the graph. ``nudge`` uses
this to show what a gradient predicts: move one input a little, see the output move.
"""

from __future__ import annotations

from .graph import topological_order
from .value import Value, operands


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
