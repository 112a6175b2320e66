"""The graph as plain text, for a terminal without Graphviz: a tree from the output back to the inputs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..engine.arguments import check_int
from ..engine.formatting import format_number
from ..engine.graph import edges
from .naming import defining_formula, node_names

if TYPE_CHECKING:
    from ..engine.value import Value

MAX_LINES = 200
MAX_INDENT = 24  # levels; a deeper chain keeps its column so lines stay readable


def text_graph(root: Value, digits: int = 4, max_lines: int = MAX_LINES) -> str:
    """The graph under ``root`` as an indented tree: each node's name, how it was made, data and grad.

    The output is at the top and each node's inputs are listed under it, as backward visits
    them. A node reached again (a shared subexpression) is shown once in full and later as
    ``(shared, above)``. Past ``max_lines`` lines the nodes not yet shown are counted, not printed.

    >>> from autograd import Value
    >>> x = Value(2.0, "x"); y = x * x + 1; y.label = "y"
    >>> y.backward()
    >>> print(text_graph(y))
    y = x*x + 1              data 5.0  grad 1.0
    └─ x*x                   data 4.0  grad 1.0
       ├─ x                  data 2.0  grad 4.0
       └─ x (shared, above)
    """
    check_int(max_lines, "max_lines", 1)
    names = node_names(root)
    rows: list[tuple[str, str, str]] = []  # (tree part, data, grad)
    shown: set[Value] = set()
    stack: list[tuple[Value, str, str]] = [(root, "", "")]  # node, its line's prefix, its children's prefix
    while stack and len(rows) < max_lines:
        node, prefix, child_prefix = stack.pop()
        name = names[node]
        if node in shown:
            rows.append((f"{prefix}{name} (shared, above)", "", ""))
            continue
        shown.add(node)
        made = defining_formula(node, names, digits)
        made = f" = {made}" if made else ""
        rows.append((f"{prefix}{name}{made}", f"data {format_number(node.data, digits)}",
                     f"grad {format_number(node.grad, digits)}"))
        parents = edges(node)[0]
        deep = len(child_prefix) >= 3 * MAX_INDENT
        for k, parent in reversed(list(enumerate(parents))):
            last = k == len(parents) - 1
            if deep:
                stack.append((parent, child_prefix, child_prefix))
            else:
                stack.append((parent, child_prefix + ("└─ " if last else "├─ "), child_prefix + ("   " if last else "│  ")))
    tree_width, data_width = (max(len(row[i]) for row in rows) for i in (0, 1))
    lines = [f"{tree:<{tree_width}}  {data:<{data_width}}  {grad}".rstrip() for tree, data, grad in rows]
    if stack:
        lines.append(f"... {len(names) - len(shown)} more nodes (pass max_lines= to see them)")
    return "\n".join(lines)
