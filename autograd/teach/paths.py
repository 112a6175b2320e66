"""Why gradients add where paths meet: every path from an input up to the output, and the nudge lab."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..engine.arguments import check_int, check_real
from ..engine.formatting import format_number
from ..engine.graph import edges, topological_order
from ..engine.replay import replay
from ..engine.value import Value
from .naming import node_names


class TooManyPathsError(ValueError):
    """More paths than ``limit``: the message says how many there are."""


@dataclass(frozen=True)
class GraphPath:
    """One path from a leaf up to the root: its nodes (leaf first) and the local derivatives along it."""

    nodes: tuple[Value, ...]
    local_grads: tuple[float, ...]  # d nodes[k+1] / d nodes[k]
    edges: tuple[int, ...] = ()  # which parent slot of nodes[k+1] nodes[k] is (x * x has two)

    @property
    def product(self) -> float:
        """The product of the local derivatives: this path's share of the leaf's gradient."""
        return math.prod(self.local_grads)

    def describe(self, names: dict[Value, str], digits: int = 4) -> str:
        """``x -> x*x -> y: 3.0 * 1.0 = 3.0``."""
        route = " -> ".join(names[n] for n in self.nodes)
        factors = " * ".join(format_number(d, digits) for d in self.local_grads)
        return f"{route}: {factors} = {format_number(self.product, digits)}"


def paths(root: Value, leaf: Value, limit: int = 1000) -> list[GraphPath]:
    """Every path from ``leaf`` up to ``root``, one per sequence of edges (``x * x`` gives two).

    Their products add up to d root / d leaf: the chain rule, path by path. More than
    ``limit`` paths is an error that says how many there are (they multiply fast).

    >>> x = Value(3.0, "x"); y = x * x + 2 * x
    >>> found = paths(y, x)
    >>> [p.product for p in found], sum(p.product for p in found)
    ([3.0, 3.0, 2.0], 8.0)
    >>> print(found[0].describe(node_names(y)))
    x -> x*x -> x*x + 2*x: 3.0 * 1.0 = 3.0
    """
    if not isinstance(leaf, Value) or not isinstance(root, Value):
        raise TypeError("paths needs the output and an input, both Values: paths(loss, w) (root and leaf)")
    check_int(limit, "limit", 1)
    order = topological_order(root)
    _check_in_graph(order, leaf, "paths")
    counts = _path_counts(order, leaf)
    total = counts.get(root, 0)
    if total > limit:
        raise TooManyPathsError(f"there are {total:,} paths from that input to the output, more than "
                                f"limit={limit:,}; pass a larger limit to list them all")
    found: list[GraphPath] = []
    stack: list[tuple[Value, tuple[Value, ...], tuple[float, ...], tuple[int, ...]]] = [(root, (root,), (), ())]
    while stack:  # from the root down, following only edges that lead to the leaf
        node, route, local_grads, slots = stack.pop()
        if node is leaf:
            found.append(GraphPath(route[::-1], local_grads[::-1], slots[::-1]))
            continue
        for k, (parent, local) in reversed(list(enumerate(zip(*edges(node))))):
            if counts.get(parent):
                stack.append((parent, (*route, parent), (*local_grads, local), (*slots, k)))
    return found


def _check_in_graph(order: list[Value], leaf: Value, what: str) -> None:
    """``ValueError`` unless ``leaf`` is a node of the graph under the root."""
    if leaf not in set(order):
        raise ValueError(f"leaf {node_names(leaf)[leaf]!r} is not in the graph under the root: "
                         f"{what} needs a Value the root was computed from")


def _path_counts(order: list[Value], leaf: Value) -> dict[Value, int]:
    """How many edge paths lead from ``leaf`` to each node (0 for nodes it does not reach)."""
    counts = {leaf: 1}
    for node in reversed(order):  # parents first
        if node is leaf:
            continue
        n = sum(counts.get(parent, 0) for parent in edges(node)[0])
        if n:
            counts[node] = n
    return counts


def nudge(root: Value, leaf: Value, h: float) -> tuple[float, float]:
    """(how much ``root`` changes when ``leaf`` moves by ``h``, what the gradient predicts: ``leaf.grad * h``).

    Call it after ``root.backward()``. It runs the recorded forward pass again with the leaf
    moved and changes no ``.data`` or ``.grad``.

    >>> x = Value(3.0, "x"); y = x * x
    >>> y.backward()
    >>> change, predicted = nudge(y, x, 0.01)
    >>> round(change, 6), predicted
    (0.0601, 0.06)
    """
    h = check_real(h, "h (the nudge)")
    if not isinstance(leaf, Value):
        raise TypeError(f"leaf must be a Value of the graph, got {type(leaf).__name__}")
    _check_in_graph(topological_order(root), leaf, "nudge")
    if root.grad == 0.0:
        raise ValueError("nudge compares with leaf.grad, which backward() fills: call root.backward() first "
                         "(the root's grad is still 0.0)")
    return replay(root, {leaf: leaf.data + h}) - root.data, leaf.grad * h
