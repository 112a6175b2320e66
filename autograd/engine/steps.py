"""Backward one node at a time: the step records that ``Value.backward_steps()`` yields.

A step holds numbers and nodes only; how it reads (node names, chain-rule lines, math, a
picture) is the teaching and drawing layers' work, reached through the display methods
below, which import those layers when called (the only upward imports of the engine besides
``Value._repr_svg_``; ``tests/test_layers.py`` names each one).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .arguments import check_real
from .graph import chain_rule_at, one_pass, topological_order

if TYPE_CHECKING:
    from .value import Value


class StepNames:
    """The names of a graph's nodes as explanations give them, computed once, when first read."""

    def __init__(self, root: Value, names: Mapping[Value, str] | None = None) -> None:
        self.root = root
        self._names = names

    def __getitem__(self, node: Value) -> str:
        if self._names is None:
            from ..teach.naming import node_names  # display hook: names are teach's

            self._names = node_names(self.root)
        return self._names[node]


@dataclass(frozen=True)
class EdgeStep:
    """One edge of a step: what the chain rule added to one parent."""

    parent: Value
    local: float  # d node / d parent
    contribution: float  # local * upstream
    grad_after: float  # the parent's .grad once the contribution is in
    names: StepNames = field(repr=False, compare=False)

    @property
    def parent_name(self) -> str:
        """The parent's name as ``explain`` gives it."""
        return self.names[self.parent]


@dataclass(frozen=True)
class BackwardStep:
    """The chain rule applied at one node: its upstream gradient sent to each parent.

    ``str(step)`` gives one line per edge, e.g.
    ``do/dw1 += do/dn · ∂n/∂w1 = 0.5 · 2.0 = 1.0``.
    """

    index: int  # 1-based
    total: int
    node: Value
    upstream: float  # d root / d node, this pass
    edges: tuple[EdgeStep, ...]
    digits: int
    root: Value = field(repr=False, compare=False)
    names: StepNames = field(repr=False, compare=False)

    @property
    def node_name(self) -> str:
        """The node's name as ``explain`` gives it."""
        return self.names[self.node]

    @property
    def root_name(self) -> str:
        """The root's name as ``explain`` gives it."""
        return self.names[self.root]

    def lines(self, notation: Any = None) -> list[str]:
        """One chain-rule line per edge, in plain text or (a ``Latex`` notation) LaTeX."""
        from ..teach.trace import step_lines  # display hook

        return step_lines(self, notation)

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def _repr_markdown_(self) -> str:
        """In a notebook: the step's chain-rule lines as math."""
        from ..teach.trace import step_markdown  # display hook

        return step_markdown(self)

    def _repr_html_(self) -> str:
        """In a notebook: the highlighted picture (with Graphviz) above the chain rule as MathML (offline)."""
        from ..teach.trace import step_mathml  # display hook

        picture = self._repr_svg_() or ""
        return f"<div>{picture}</div><div style=\"font-size: 130%\">{step_mathml(self)}</div>"

    def _repr_svg_(self) -> str | None:
        """In a notebook: the graph with this step highlighted (None, so text shows, without Graphviz)."""
        from ..show.drawing import svg_or_none  # display hook

        return svg_or_none(self.root, highlight=self, edge_labels="rule")

    def as_dict(self) -> dict[str, Any]:
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


def backward_steps(root: Value, grad: float = 1.0, digits: int = 4,
                   names: Mapping[Value, str] | None = None) -> Iterator[BackwardStep]:
    """``backward()`` one op node at a time, in reverse topological order.

    Each ``next()`` applies the chain rule at one node and returns its ``BackwardStep``;
    exhausting the generator leaves exactly the grads ``backward()`` gives. ``names``
    (teach's ``node_names(root)``) saves naming the graph again when the caller has them.

    >>> from autograd import Value
    >>> x = Value(3.0, "x"); y = x * x; y.label = "y"
    >>> steps = y.backward_steps()
    >>> print(next(steps))
    dy/dx += dy/dy · ∂y/∂x = 1.0 · 3.0 = 3.0
    dy/dx += dy/dy · ∂y/∂x = 1.0 · 3.0 = 3.0  (dy/dx is now 6.0)
    """
    grad = check_real(grad, "grad")
    order = topological_order(root)
    step_names = StepNames(root, names)
    inner = [node for node in order if node.op]
    with one_pass(order):
        root.grad += grad
        for index, node in enumerate(inner, start=1):
            upstream = node.grad
            edges = tuple(EdgeStep(parent, local, contribution, after, step_names)
                          for parent, local, contribution, after in chain_rule_at(node))
            yield BackwardStep(index, len(inner), node, upstream, edges, digits, root, step_names)
