"""A lab of broken backward passes: what goes wrong without a topological order, or with ``=`` for ``+=``.

Two bugs that learners (and micrograd's issue tracker) meet again and again:

- ``"recursive"``: backward as plain recursion. Each node, when reached, applies its rule with
  the gradient it holds so far and then recurses into its parents in the order of
  ``.parents``. A node reached along two paths is reached twice, and passes its gradient on
  twice: everything under it is counted again. A topological order finishes a node's gradient
  before sending any of it on; that is why ``backward()`` sorts first.
- ``"overwrite"``: the chain rule in topological order, but ``parent.grad = local * grad``
  where it needs ``+=``: a node used twice keeps only its last contribution.

On a tree (no node used twice) both give the right gradients. Nothing here changes a
``.grad``: each pass keeps its numbers in a dict.

>>> from autograd import Value
>>> a = Value(1.0, "a"); b = 2 * a; b.label = "b"; d = b + 3 * b; d.label = "d"
>>> broken = backward(d, "recursive")
>>> broken[a], broken[b], a.grad
(10.0, 4.0, 0.0)
>>> print(compare(d, "recursive"))
the recursive backward (no topological order) against backward(), on d = b + 3*b:
  node  right  broken
  a     8.0    10.0    <- differs
  b     4.0    4.0
  3*b   1.0    1.0
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .engine.formatting import format_number
from .engine.graph import edges, scratch_grads, topological_order
from .engine.value import Value
from .teach.naming import formula, node_names

if TYPE_CHECKING:
    import graphviz

BUGS = {
    "recursive": "the recursive backward (no topological order)",
    "overwrite": "the overwriting backward (= where the chain rule needs +=)",
}
MAX_VISITS = 1_000_000  # the recursive pass visits a node once per path to it: that can explode


def _check(root: Value, bug: str) -> None:
    if not isinstance(root, Value):
        raise TypeError(f"the lab needs the output Value, got {type(root).__name__}")
    if bug not in BUGS:
        raise ValueError(f"bug must be one of {', '.join(map(repr, BUGS))}, got {bug!r}")


def backward(root: Value, bug: str) -> dict[Value, float]:
    """The gradient of every node under ``root`` (``root`` itself 1.0) from the broken pass ``bug``.

    Changes no ``.grad``.

    >>> from autograd import Value
    >>> x = Value(3.0, "x"); y = x * x
    >>> backward(y, "overwrite")[x], backward(y, "recursive")[x]   # the right answer is 6
    (3.0, 6.0)
    """
    _check(root, bug)
    order = topological_order(root)
    grads = dict.fromkeys(order, 0.0)
    grads[root] = 1.0
    if bug == "overwrite":
        for node in order:
            for parent, local in zip(*edges(node)):
                grads[parent] = local * grads[node]  # the bug: = where the chain rule needs +=
        return grads
    visits = _visits(order, root)
    if visits > MAX_VISITS:
        raise ValueError(f"the recursive pass would visit {visits:,} nodes (once per path to each): more than "
                         f"{MAX_VISITS:,}; try a smaller graph")
    stack = [root]  # recursion, written with a stack so deep graphs do not overflow Python's
    while stack:
        node = stack.pop()
        parents, local_grads = edges(node)
        for parent, local in zip(parents, local_grads):
            grads[parent] += local * grads[node]  # with the gradient it holds so far
        stack.extend(reversed(parents))  # then each parent in turn, the first one first
    return grads


def _visits(order: list[Value], root: Value) -> int:
    """How many times the recursive pass reaches a node: the number of paths from the root to it, summed."""
    paths = dict.fromkeys(order, 0)
    paths[root] = 1
    for node in order:
        for parent in edges(node)[0]:
            paths[parent] += paths[node]
    return sum(paths.values())


@dataclass(frozen=True, repr=False)
class Comparison:
    """The broken pass against ``backward()``: one row per node, ``differs`` the nodes where they part.

    In a REPL it shows as its table; in a notebook as the picture (``draw``).
    """

    bug: str
    root: Value
    rows: tuple[tuple[str, float, float], ...]  # name, right gradient, broken gradient
    differs: tuple[Value, ...]
    names: dict[Value, str]

    def __str__(self) -> str:
        made = formula(self.root, self.names)
        head = f"{BUGS[self.bug]} against backward(), on {self.names[self.root]}" + (f" = {made}" if made else "")
        table = [("node", "right", "broken"), *((n, format_number(r), format_number(b)) for n, r, b in self.rows)]
        width = [max(len(row[k]) for row in table) + 2 for k in range(3)]
        lines = [("  " + "".join(f"{cell:<{w}}" for cell, w in zip(row, width))
                  + ("<- differs" if k and self.rows[k - 1][1] != self.rows[k - 1][2] else "")).rstrip()
                 for k, row in enumerate(table)]
        if not self.differs:
            lines.append("  (no difference: no node here that passes a gradient on is reached along two paths)"
                         if self.bug == "recursive" else "  (no difference: no node here is used twice)")
        return "\n".join([f"{head}:", *lines])

    def __repr__(self) -> str:
        return str(self)

    def draw(self, **draw_options: Any) -> graphviz.Digraph:
        """The graph with the broken pass's grads, each node where it differs from ``backward()`` drawn in red."""
        from .show.drawing import _text, draw, value_node_id

        broken = backward(self.root, self.bug)
        with scratch_grads(self.root) as order:
            for node in order:
                node.grad = broken[node]
            picture = draw(self.root, **draw_options)
        forward = {node: k for k, node in enumerate(reversed(order))}
        for node in self.differs:
            picture.node(value_node_id(forward[node]), color="#d9480f", fontcolor="#d9480f", penwidth="3")
        shown = {name: (r, b) for name, r, b in self.rows}
        wrong = "; ".join(f"{name} gets {format_number(b)}, backward() {format_number(r)}"
                          for name, (r, b) in ((self.names[n], shown[self.names[n]]) for n in self.differs[:3]))
        title = f"broken backward ({self.bug}): " + (wrong + ("; ..." if len(self.differs) > 3 else "")
                                                      if wrong else "no difference here")
        picture.attr(label=_text(title), labelloc="t", fontname="Helvetica", fontcolor="#d9480f",
                     fontsize=f"{14 * float(draw_options.get('scale', 1.0)):g}")
        return picture

    def _repr_svg_(self) -> str | None:
        """In a notebook: the picture of the broken pass (None, so the text shows, without Graphviz)."""
        import shutil

        if shutil.which("dot") is None:
            return None
        from .show.drawing import run_dot

        svg = run_dot(self.draw().source, "svg").decode()
        return svg[svg.index("<svg"):]


def compare(root: Value, bug: str) -> Comparison:
    """The broken pass next to ``backward()``: every node's right and broken gradient, and where they differ.

    ``print`` it for a table; in a notebook it shows the graph with the differing nodes in red.

    >>> from autograd import Value
    >>> x = Value(3.0, "x"); y = x * x; y.label = "y"
    >>> compare(y, "overwrite").rows
    (('x', 6.0, 3.0),)
    """
    _check(root, bug)
    broken = backward(root, bug)
    names = node_names(root)
    with scratch_grads(root) as order:
        root.backward()
        right = {node: node.grad for node in order}
    nodes = [node for node in reversed(order) if node is not root]
    rows = tuple((names[node], right[node], broken[node]) for node in nodes)
    differs = tuple(node for node in nodes if broken[node] != right[node])
    return Comparison(bug, root, rows, differs, names)


def smallest_example(bug: str) -> Value:
    """The smallest graph that shows ``bug``: its output, labelled, ready for ``compare``.

    ``"recursive"``: ``b = 2*a; d = b + 3*b`` (b reached along two paths passes its gradient
    on twice, so a gets 10 instead of 8); ``"overwrite"``: ``y = x*x`` (x keeps one of its two
    contributions, 3 instead of 6).

    >>> print(compare(smallest_example("overwrite"), "overwrite"))
    the overwriting backward (= where the chain rule needs +=) against backward(), on y = x * x:
      node  right  broken
      x     6.0    3.0     <- differs
    """
    if bug not in BUGS:
        raise ValueError(f"bug must be one of {', '.join(map(repr, BUGS))}, got {bug!r}")
    if bug == "recursive":
        a = Value(1.0, "a")
        b = 2 * a
        b.label = "b"
        d = b + 3 * b
        d.label = "d"
        return d
    x = Value(3.0, "x")
    y = x * x
    y.label = "y"
    return y
