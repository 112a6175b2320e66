"""Backward one node at a time: step records, and the whole pass explained as text."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .graph import chain_rule_at, one_pass, topological_order
from .naming import formula, node_names
from .text import format_number

if TYPE_CHECKING:
    from .value import Value


@dataclass(frozen=True)
class EdgeStep:
    """One edge of a step: what the chain rule added to one parent."""

    parent: Value
    parent_name: str
    local: float  # d node / d parent
    contribution: float  # local * upstream
    grad_after: float  # the parent's .grad once the contribution is in


@dataclass(frozen=True)
class BackwardStep:
    """The chain rule applied at one node: its upstream gradient sent to each parent.

    ``str(step)`` gives one line per edge, e.g.
    ``do/dw1 += do/dn * dn/dw1 = 0.5 * 2.0 = 1.0``.
    """

    index: int  # 1-based
    total: int
    node: Value
    node_name: str
    root_name: str
    upstream: float  # d root / d node, this pass
    edges: tuple[EdgeStep, ...]
    digits: int = 4

    def lines(self) -> list[str]:
        root, node, fmt = self.root_name, self.node_name, self._fmt
        out = []
        for e in self.edges:
            line = (
                f"d{root}/d{e.parent_name} += d{root}/d{node} * d{node}/d{e.parent_name}"
                f" = {fmt(self.upstream)} * {fmt(e.local)} = {fmt(e.contribution)}"
            )
            if e.grad_after != e.contribution:
                line += f"  (d{root}/d{e.parent_name} is now {fmt(e.grad_after)})"
            out.append(line)
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def _fmt(self, x: float) -> str:
        return format_number(x, self.digits)

    def as_dict(self) -> dict:
        """The step as plain data (names and numbers), for JSON and the HTML player."""
        return {
            "index": self.index,
            "node": self.node_name,
            "upstream": self.upstream,
            "edges": [
                {"parent": e.parent_name, "local": e.local, "contribution": e.contribution, "grad": e.grad_after}
                for e in self.edges
            ],
            "text": str(self),
        }


def backward_steps(root: Value, grad: float = 1.0, digits: int = 4) -> Iterator[BackwardStep]:
    """``backward()`` one op node at a time, in reverse topological order.

    Each ``next()`` applies the chain rule at one node and returns its ``BackwardStep``;
    exhausting the generator leaves exactly the grads ``backward()`` gives.

    >>> from autograd import Value
    >>> x = Value(3.0, "x"); y = x * x; y.label = "y"
    >>> steps = y.backward_steps()
    >>> print(next(steps))
    dy/dx += dy/dy * dy/dx = 1.0 * 3.0 = 3.0
    dy/dx += dy/dy * dy/dx = 1.0 * 3.0 = 3.0  (dy/dx is now 6.0)
    """
    order = topological_order(root)
    names = node_names(root)
    inner = [node for node in order if node.op]
    with one_pass(order):
        root.grad += grad
        for index, node in enumerate(inner, start=1):
            upstream = node.grad
            edges = tuple(EdgeStep(parent, names[parent], *numbers) for parent, *numbers in chain_rule_at(node))
            yield BackwardStep(index, len(inner), node, names[node], names[root], upstream, edges, digits)


def explain(root: Value, digits: int = 4) -> str:
    """The forward pass (one line per node) and the backward pass (one line per edge) as text.

    The explanation runs its own backward pass and then puts every ``.grad`` back as it was.

    >>> from autograd import Value
    >>> x = Value(2.0, "x"); y = (x * 3).tanh(); y.label = "y"
    >>> print(explain(y))
    forward
      x = 2.0
      v1 = x * 3 = 6.0
      y = tanh(v1) = 1.0
    backward: the chain rule from y back to the inputs, dy/dy = 1
      dy/dv1 += dy/dy * dy/dv1 = 1.0 * 2.458e-05 = 2.458e-05
      dy/dx += dy/dv1 * dv1/dx = 2.458e-05 * 3.0 = 7.373e-05
    gradients
      dy/dx = 7.373e-05
    """
    names = node_names(root)
    order = topological_order(root)
    fmt = lambda x: format_number(x, digits)  # noqa: E731
    lines = ["forward"]
    for node in reversed(order):
        shown = f"{formula(node, names, digits)} = {fmt(node.data)}" if node.op else fmt(node.data)
        lines.append(f"  {names[node]} = {shown}")

    saved = [(node, node.grad) for node in order]
    for node in order:
        node.grad = 0.0
    try:
        lines.append(f"backward: the chain rule from {names[root]} back to the inputs, d{names[root]}/d{names[root]} = 1")
        for step in backward_steps(root, digits=digits):
            lines.extend(f"  {line}" for line in step.lines())
        leaves = [node for node in reversed(order) if not node.op and node is not root]
        lines.append("gradients")
        lines.extend(f"  d{names[root]}/d{names[leaf]} = {fmt(leaf.grad)}" for leaf in leaves)
    finally:
        for node, grad in saved:
            node.grad = grad
    return "\n".join(lines)
