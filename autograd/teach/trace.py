"""Backward one node at a time: step records, and the whole pass explained as text."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..engine.graph import chain_rule_at, one_pass, scratch_grads, topological_order
from .naming import PLAIN, Latex, Notation, defining_formula, node_names
from ..engine.formatting import format_number

if TYPE_CHECKING:
    from ..engine.value import Value


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
    root: Value | None = field(default=None, repr=False, compare=False)  # for the picture in a notebook

    def _repr_markdown_(self) -> str:
        """In a notebook: the step's chain-rule lines as math."""
        notation = Latex.for_names(node_names(self.root).values()) if self.root is not None else Latex()
        return "\n\n".join(f"$${line}$$" for line in self.lines(notation))

    def _repr_html_(self) -> str:
        """In a notebook: the highlighted picture (with Graphviz) above the chain rule as MathML (offline)."""
        from ..show.html_player import step_mathml

        picture = self._repr_svg_() or ""
        return f"<div>{picture}</div><div style=\"font-size: 130%\">{step_mathml(self)}</div>"

    def _repr_svg_(self) -> str | None:
        """In a notebook: the graph with this step highlighted (None, so text shows, without Graphviz)."""
        from ..show.drawing import svg_or_none

        return svg_or_none(self.root, highlight=self, edge_labels="rule") if self.root is not None else None

    def lines(self, notation: Notation = PLAIN) -> list[str]:
        """One chain-rule line per edge, in plain text or (a ``Latex`` notation) LaTeX."""
        n = notation
        root, node = n.name(self.root_name), n.name(self.node_name)
        fmt = lambda x: n.number(format_number(x, self.digits))  # noqa: E731
        factor = lambda x: rf"\left({fmt(x)}\right)" if isinstance(n, Latex) and x < 0 else fmt(x)  # noqa: E731
        plus_equals = r"\mathrel{+}=" if isinstance(n, Latex) else "+="
        out = []
        for e in self.edges:
            parent = n.name(e.parent_name)
            line = (
                f"{n.derivative(root, parent)} {plus_equals} {n.derivative(root, node)} {n.times()} "
                f"{n.derivative(node, parent)} = {fmt(self.upstream)} {n.times()} {factor(e.local)} = {fmt(e.contribution)}"
            )
            if e.grad_after != e.contribution:
                if isinstance(n, Latex):
                    line += rf"\quad \text{{(now {fmt(e.grad_after)})}}"
                else:
                    line += f"  ({n.derivative(root, parent)} is now {fmt(e.grad_after)})"
            out.append(line)
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())

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
            yield BackwardStep(index, len(inner), node, names[node], names[root], upstream, edges, digits, root)


STYLES = ("text", "markdown", "latex")


class Explanation(str):
    """An explanation: a ``str`` (print it) that a notebook shows as Markdown with math."""

    root: Value
    digits: int

    def _repr_markdown_(self) -> str:
        return explain(self.root, self.digits, "markdown")


def explain(root: Value, digits: int = 4, style: str = "text") -> Explanation:
    """The forward pass (one line per node) and the backward pass (one line per edge).

    ``style`` is "text", "markdown" (math in ``$...$``, for notebooks and notes) or "latex"
    (an ``align*`` block for slides). The explanation runs its own backward pass and then
    puts every ``.grad`` back as it was.

    >>> from autograd import Value
    >>> x = Value(2.0, "x"); y = (x * 3).tanh(); y.label = "y"
    >>> print(explain(y))
    forward
      x = 2.0
      x*3 = 6.0
      y = tanh(x*3) = 1.0
    backward: the chain rule from y back to the inputs, dy/dy = 1
      dy/d(x*3) += dy/dy * dy/d(x*3) = 1.0 * 2.458e-05 = 2.458e-05
      dy/dx += dy/d(x*3) * d(x*3)/dx = 2.458e-05 * 3.0 = 7.373e-05
    gradients
      dy/dx = 7.373e-05
    >>> print(explain(y, style="latex").splitlines()[3])
    y &= \\tanh\\left(\\left(x \\cdot 3\\right)\\right) = 1.0 \\\\
    """
    if style not in STYLES:
        raise ValueError(f"explain style must be one of {', '.join(STYLES)}, got {style!r}")
    names = node_names(root)
    n = Latex.for_names(names.values()) if style in ("markdown", "latex") else PLAIN
    fmt = lambda x: n.number(format_number(x, digits))  # noqa: E731
    forward = forward_rows(root, names, digits, n)
    with scratch_grads(root) as order:
        backward = [line for step in backward_steps(root, digits=digits) for line in step.lines(n)]
        leaves = [node for node in reversed(order) if not node.op and node is not root]
        gradients = [(n.derivative(n.name(names[root]), n.name(names[leaf])), fmt(leaf.grad)) for leaf in leaves]
    text = Explanation(_layout(style, n.name(names[root]), forward, backward, gradients))
    text.root, text.digits = root, digits
    return text


def forward_rows(root: Value, names: dict[Value, str], digits: int = 4,
                 notation: Notation = PLAIN) -> list[tuple[str, str]]:
    """(name, how it was computed and its value) for every node, leaves and early ops first.

    >>> from autograd import Value
    >>> x = Value(2.0, "x"); y = x * 3
    >>> forward_rows(y, node_names(y))
    [('x', '2.0'), ('x*3', '6.0')]
    """
    fmt = lambda x: notation.number(format_number(x, digits))  # noqa: E731
    rows = []
    for node in reversed(topological_order(root)):
        made = defining_formula(node, names, digits, notation)  # "" for x*w: not x*w = x * w = -6.0
        rows.append((notation.name(names[node]), f"{made} = {fmt(node.data)}" if made else fmt(node.data)))
    return rows


def _layout(style: str, root: str, forward: list, backward: list, gradients: list) -> str:
    if style == "text":
        return "\n".join([
            "forward", *(f"  {name} = {shown}" for name, shown in forward),
            f"backward: the chain rule from {root} back to the inputs, d{root}/d{root} = 1",
            *(f"  {line}" for line in backward),
            "gradients", *(f"  {name} = {value}" for name, value in gradients),
        ])
    if style == "markdown":
        return "\n".join([
            "**Forward**", "", *(f"- ${name} = {shown}$" for name, shown in forward), "",
            f"**Backward**: the chain rule from ${root}$ back to the inputs", "",
            *(f"{k}. ${line}$" for k, line in enumerate(backward, start=1)), "",
            "**Gradients**", "", *(f"- ${name} = {value}$" for name, value in gradients),
        ])
    rows = [f"{name} &= {shown} \\\\" for name, shown in forward]
    rows += [r"\intertext{backward: the chain rule}"] + [f"&{line} \\\\" for line in backward]
    rows += [r"\intertext{gradients}"] + [f"{name} &= {value} \\\\" for name, value in gradients]
    return "\n".join([r"\begin{align*}", *rows, r"\end{align*}"])
