"""Computation graphs drawn with Graphviz: value nodes (name, data, grad) and op nodes between them."""

from __future__ import annotations

import html
import math
import os
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import graphviz

from ..engine.arguments import check_int, check_real
from ..engine.files import write_atomically, write_target
from ..engine.formatting import bracketed, format_constant, format_number
from ..engine.graph import edges, scratch_grads, topological_order
from ..engine.value import edge_rule, operands
from ..teach.naming import PLAIN, formula, node_names
from ..teach.tensors import forward_records, made_text, matrix_text, op_terms, shape_text, tensor_graph
from .collapse import collapsed

if TYPE_CHECKING:
    from ..engine.steps import BackwardStep
    from ..engine.value import Value
    from ..teach.paths import GraphPath as EdgePath

# Past this many value nodes Graphviz takes more than a few seconds to lay a graph out.
MAX_NODES = 1500
FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot"}
HIGHLIGHT = "#d9480f"
PATH_COLOUR = "#2b8a3e"


class GraphTooLargeError(ValueError):
    """The graph has more nodes than ``draw`` lays out by default."""


# The element ids (and the grad text) that the player's script finds in the SVG: spelled here once,
# used by draw() and sent to the page in its JSON data ("ids"), where the script fills in the fields.
PAGE_IDS = {
    "value": "value-{node}",  # a value's box; node: its index in forward order
    "copy": "value-{node}-row-{row}",  # its dashed copy in a later row of a wrapped picture
    "op": "op-{node}",  # the op circle that made the value
    "edge": "edge-{parent}-op-{node}",  # from a parent's box (or its copy) into the op
    "output": "edge-op-{node}",  # from the op circle to its value's box
    "grad": "grad {grad}",  # the grad's text in a value box
}


def value_node_id(index: int) -> str:
    """The Graphviz (and SVG) id of the value node at ``index`` in forward order.

    >>> value_node_id(3)
    'value-3'
    """
    return PAGE_IDS["value"].format(node=index)


def value_copy_id(index: int, row: int) -> str:
    """The id of the dashed copy of value node ``index`` drawn in ``row`` of a wrapped picture.

    >>> value_copy_id(3, 2)
    'value-3-row-2'
    """
    return PAGE_IDS["copy"].format(node=index, row=row)


def draw(
    root: Value,
    digits: int = 4,
    rankdir: str = "auto",
    edge_labels: bool | str = False,
    highlight: BackwardStep | None = None,
    max_nodes: int = MAX_NODES,
    scale: float = 1.0,
    size: str | None = None,
    dpi: float | None = None,
    collapse: str | None = None,
    sample: int | None = None,
    hide_grads: bool = False,
    show_path: EdgePath | None = None,
    ops: str = "nodes",
    wrap: int | None = None,
    only: Collection[Value] | None = None,
    names: dict[Value, str] | None = None,
    view: str = "scalar",
) -> graphviz.Digraph:
    """The graph under ``root`` as a ``graphviz.Digraph`` (Jupyter shows it inline).

    Value nodes show name, data and grad to ``digits`` significant digits; each op is a
    small node of its own. ``edge_labels`` writes each edge's local derivative on it:
    ``"rule"`` (or True) with the op's rule, ``∂o/∂n = 1 - tanh(n)^2 = 0.5``; ``"number"``
    only its value. ``highlight`` marks a ``BackwardStep``: the node, its upstream gradient
    and what it sends to each parent (arrows keep pointing forward, as in the player).
    ``rankdir`` is Graphviz's (LR, TB, RL, BT) or "auto": whichever of LR, TB and LR in
    ``wrap`` rows gives a picture closer to a 16:9 slide (a short chain left to right, a wide
    graph top to bottom, a long chain wrapped like a line of text). ``wrap=k`` cuts the graph
    into k rows drawn left to right, one under the other; a node used in a later row is drawn
    there again, dashed, so no arrow crosses between rows (``wrap=1``: never wrap).
    For slides: ``scale`` multiplies every font and line, ``size`` is Graphviz's size in
    inches (``"16,9"`` fits a 16:9 slide; end it with ``!`` to scale up), ``dpi`` sets a PNG's
    resolution. ``collapse="neuron"`` or ``"layer"`` draws an nn graph with one box per neuron
    or per layer (found from nn's parameter labels, ``L1.n3.w2``), and ``sample=k`` keeps only
    the k-th data point's path through a batch, the others shown as one box. ``hide_grads``
    writes a blank for every grad but the output's (a worksheet to fill in). ``ops="inline"`` writes each
    op inside its result's box instead of as a node of its own: half the ranks, so larger
    text once a picture is fitted to a screen. ``show_path`` (one of
    ``autograd.paths``) is drawn in green with its product: one term of the leaf's gradient.
    ``only`` draws just those nodes of the graph (a neuron, say): a value they read from
    elsewhere is drawn dashed, as in a wrapped picture. ``names`` are ``node_names(root)``,
    worked out when not given (pass them to draw many parts of one big graph).
    ``view="tensor"`` draws a graph of ``autograd.tensor`` ops with one box per tensor (its
    shape, and its numbers when it is small) and the matrix rule on each edge (``draw_tensors``).

    >>> from autograd import Value
    >>> x = Value(2.0, "x"); y = (x * 3).tanh()
    >>> "tanh" in draw(y).source
    True
    """
    _check_draw_options(max_nodes, highlight, show_path, only, names)
    if view != "scalar":
        if view != "tensor":
            raise ValueError(f"view must be 'scalar' (one box per Value) or 'tensor' (one per tensor), got {view!r}")
        return draw_tensors(root, digits, "TB" if rankdir == "auto" else rankdir, scale, size, dpi)
    order = list(reversed(topological_order(root)))
    if names is not None and not all(node in names for node in order):
        raise ValueError("names must name every node under root: pass node_names(root)")
    index = {node: k for k, node in enumerate(order)}  # ids stay those of the whole graph
    if only is not None:
        keep = set(only)
        order = [node for node in order if node in keep]
        if not order:
            raise ValueError("only= names no node of the graph under root: pass nodes found under it")
    if len(order) > max_nodes and collapse is None:
        raise GraphTooLargeError(
            f"the graph has {len(order)} value nodes; draw() lays out at most {max_nodes} by default "
            f"because Graphviz slows down sharply past that. Pass max_nodes={len(order)} to draw it anyway."
        )
    if rankdir not in ("auto", "LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be one of auto, LR, TB, RL, BT, got {rankdir!r}")
    if edge_labels not in EDGE_LABELS:
        raise ValueError(f"edge_labels must be one of {', '.join(map(repr, EDGE_LABELS))}, got {edge_labels!r}")
    check_real(scale, "scale", 0.1, 10)
    if ops not in ("nodes", "inline"):
        raise ValueError(f"ops must be 'nodes' (a circle per op) or 'inline' (the op inside its box), got {ops!r}")
    if wrap is not None and (not isinstance(wrap, int) or isinstance(wrap, bool) or not 1 <= wrap <= 50):
        raise ValueError(f"wrap is the number of rows to wrap the picture into, a whole number from 1 to 50, got {wrap!r}")
    if wrap not in (None, 1) and collapse is not None:
        raise ValueError("wrap cuts the whole graph into rows; a collapsed picture is not wrapped: pass one or the other")
    names = names or node_names(root)
    rows = wrap or 1
    if rankdir == "auto" and collapse is None:
        rankdir, auto_rows = slide_layout(columns_of(order), {node: len(names[node]) for node in order}, ops,
                                          edge_labels, scale)
        rows = wrap or auto_rows
        rankdir = "LR" if rows > 1 else rankdir
    sent = {e.parent: e for e in highlight.edges} if highlight else {}
    step_node = highlight.node if highlight else None
    on_path = {(show_path.nodes[i + 1], show_path.edges[i]) for i in range(len(show_path.edges))} if show_path else set()

    dot = new_digraph(rankdir, scale, size, dpi)
    fmt = lambda x: format_number(x, digits)
    if collapse is not None:
        _, columns, name = collapsed(root, collapse, sample, digits, dot, value_label)
        if rankdir == "auto":  # the boxes' own shape, not the whole graph's
            dot.graph_attr["rankdir"] = slide_layout(columns, name, "inline", scale=scale, can_wrap=False)[0]
        return dot
    if show_path is not None:
        dot.attr(label=_text(show_path.describe(names, digits)), labelloc="t", fontcolor=PATH_COLOUR,
                 fontname="Helvetica", fontsize=f"{12 * scale:g}")
    row = wrapped_rows(order, rows) if rows > 1 else dict.fromkeys(order, 0)
    members: dict[int, list[str]] = {}  # each row's node ids, for its cluster
    copies: set[str] = set()

    def source(parent: Value, node: Value) -> str:
        """The id an edge into ``node`` starts from: the parent, or its dashed copy in the node's row."""
        if row.get(parent) == row[node]:
            return value_node_id(index[parent])
        copy = value_copy_id(index[parent], row[node])
        if copy not in copies:
            copies.add(copy)
            members[row[node]].append(copy)
            dot.node(copy, value_label(names[parent], fmt(parent.data), grad_of(parent)), tooltip=_text(names[parent]),
                     shape="box", style="rounded,dashed,filled", fillcolor="white", color="#868e96", id=copy)
        return copy

    def grad_of(node: Value) -> str:
        return "______" if hide_grads and node is not root else fmt(node.grad)

    for node in order:
        k = index[node]
        members.setdefault(row[node], []).append(value_node_id(k))
        attrs = {"shape": "box", "style": "rounded,filled", "fillcolor": "#f1f3f5", "id": value_node_id(k)}
        if node is step_node:
            attrs.update(color=HIGHLIGHT, penwidth="2.5", fillcolor="#fff4e6")
        elif node in sent:
            attrs.update(color=HIGHLIGHT, penwidth="1.5", fillcolor="#fff9db")
        inline = _op_label(node, digits) if node.op and ops == "inline" else None
        dot.node(value_node_id(k), value_label(names[node], fmt(node.data), grad_of(node), inline),
                 tooltip=_text(names[node]), **attrs)
        if not node.op:
            continue
        op_id = PAGE_IDS["op"].format(node=k)
        target = value_node_id(k) if inline else op_id  # where the edges from the parents end
        if not inline:
            members[row[node]].append(op_id)
            dot.node(op_id, _text(_op_label(node, digits)), shape="circle", width="0.3", fixedsize="false",
                     style="filled", fillcolor="#e7f5ff" if node is not step_node else "#ffe8cc",
                     id=op_id, fontsize=f"{10 * scale:g}", margin="0.02")
            out_style = {}
            if node is step_node:
                assert highlight is not None  # a step node is the highlighted step's
                upstream = f"{PLAIN.derivative(highlight.root_name, names[node])} = {fmt(highlight.upstream)}"
                out_style = {"color": HIGHLIGHT, "penwidth": f"{2.5 * scale:g}", "label": _text(upstream),
                             "fontcolor": HIGHLIGHT}
            if any(n is node for n, _ in on_path):
                out_style |= {"color": PATH_COLOUR, "penwidth": f"{3 * scale:g}"}
            dot.edge(op_id, value_node_id(k), id=PAGE_IDS["output"].format(node=k), **out_style)
        for j, (parent, local) in enumerate(zip(*edges(node))):
            attrs = {}
            if edge_labels:
                attrs["label"] = _text(_edge_label(node, j, parent, local, names, digits, edge_labels))
            if node is step_node:
                assert highlight is not None
                sends = f"{PLAIN.derivative(highlight.root_name, names[parent])} += {fmt(sent[parent].contribution)}"
                attrs = {"color": HIGHLIGHT, "penwidth": f"{2.5 * scale:g}", "label": _text(sends), "fontcolor": HIGHLIGHT}
            if (node, j) in on_path:
                attrs |= {"color": PATH_COLOUR, "penwidth": f"{3 * scale:g}", "fontcolor": PATH_COLOUR}
            dot.edge(source(parent, node), target, id=PAGE_IDS["edge"].format(parent=index[parent], node=k), **attrs)
    if rows > 1:
        declared = len(dot.body)
        for r, ids in sorted(members.items(), reverse=True):
            with dot.subgraph(name=f"cluster_row{r}") as cluster:  # a cluster keeps a row's nodes together
                cluster.attr(label="", style="rounded", color="#dee2e6", margin="12")  # a faint frame: where a row ends
                for node_id in ids:
                    cluster.node(node_id)
        # Named first, last row first: dot stacks unconnected rows of an LR picture bottom-up in that order.
        dot.body[:] = dot.body[declared:] + dot.body[:declared]
    return dot


EDGE_LABELS = (False, True, "rule", "number")


def new_digraph(rankdir: str, scale: float, size: str | None, dpi: float | None) -> graphviz.Digraph:
    """An empty picture with the house style: Helvetica, grey edges, every size times ``scale``."""
    graph_attr = {"rankdir": rankdir, "bgcolor": "white", **picture_options(size, dpi)}
    return graphviz.Digraph(graph_attr=graph_attr,
                            node_attr={"fontname": "Helvetica", "fontsize": f"{11 * scale:g}", "penwidth": f"{scale:g}"},
                            edge_attr={"color": "#495057", "arrowsize": f"{0.7 * scale:g}", "fontname": "Helvetica",
                                       "fontsize": f"{10 * scale:g}", "penwidth": f"{scale:g}"})


def value_label(name: str, data: str, grad: str, op: str | None = None) -> str:
    """A value box's text as a Graphviz HTML label: the name in bold, ``data <number>``, ``grad <number>``
    (after the op that made it, in blue, when ops are drawn inline)."""
    made = f'<td><font color="#1864ab">{html.escape(op)}</font></td><td>│</td>' if op else ""
    return (f'<<table border="0" cellborder="0" cellspacing="0" cellpadding="3"><tr>{made}'
            f"<td><b>{html.escape(name)}</b></td><td>│</td><td>data {data}</td>"
            f"<td>│</td><td>{PAGE_IDS['grad'].format(grad=grad)}</td></tr></table>>")


SLIDE = 16 / 9
MIN_ROW_LEVELS = 3  # a row of a wrapped picture holds at least this many levels of the graph


def columns_of(order: list[Value]) -> dict[Value, int]:
    """Each node's column, left to right, as late as it can be: one before the first node that
    uses it, the output last. An input (or ``x * w`` of one) then sits beside its use, which
    keeps the rows of a wrapped picture to themselves.

    >>> from autograd import Value
    >>> x = Value(1.0, "x"); b = Value(2.0, "b"); y = (x * 3).tanh() + b
    >>> level = columns_of(list(reversed(topological_order(y))))
    >>> level[x], level[y], level[b]
    (0, 3, 2)
    """
    drawn = set(order)
    height: dict[Value, int] = {}  # the longest way on to an output
    for node in reversed(order):  # users first
        height.setdefault(node, 0)
        for parent in edges(node)[0]:
            if parent in drawn:
                height[parent] = max(height.get(parent, 0), height[node] + 1)
    top = max(height.values())
    return {node: top - height[node] for node in order}


def slide_layout(level: Mapping[Any, int], name: Mapping[Any, int], ops: str = "nodes",
                 edge_labels: bool | str = False, scale: float = 1.0, can_wrap: bool = True) -> tuple[str, int]:
    """(rankdir, rows): LR, TB or LR wrapped into rows, whichever lays out a graph closest to 16:9.

    ``level`` is each box's column (see ``columns_of``) and ``name`` the length of its name. The
    picture's shape is estimated in inches: a column as wide as its widest box and edge label,
    as many boxes high as the most in one column, and Graphviz's gaps (ranksep 0.5, nodesep
    0.25). That is within about 1.5x of what dot draws: enough to choose between shapes that
    differ by far more.

    >>> chain = {k: k for k in range(40)}  # forty boxes in a row: ten rows of four; two boxes: one above the other
    >>> slide_layout(chain, dict.fromkeys(chain, 2)), slide_layout({"a": 0, "b": 1}, {"a": 1, "b": 1})
    (('LR', 10), ('TB', 1))
    """
    depth = max(level.values()) + 1
    breadth = max(Counter(level.values()).values())
    longest = [0] * depth
    for box, k in level.items():
        longest[k] = max(longest[k], name[box])
    box_h = 0.36 * scale + 0.14
    op = 0.0 if ops == "inline" else 0.3 * scale + 0.5  # an op circle and the gap after it
    label_chars = {False: None, "number": 10, True: 24, "rule": 24}[edge_labels]  # beside the two names

    def box_w(k: int) -> float:
        return (longest[k] + 24) * 0.075 * scale + 0.3  # "x | data 0.1234 | grad -0.5678"

    def label(k: int) -> float:  # on the edges into column k
        return 0.0 if label_chars is None or k == 0 else (longest[k] + longest[k - 1] + label_chars) * 0.06 * scale

    column = [box_w(k) + 0.5 + op + label(k) for k in range(depth)]  # one level, left to right
    widest_label = max(map(label, range(depth)))
    shapes = {("LR", 1): sum(column) / (breadth * (box_h + 0.25)),
              ("TB", 1): breadth * (max(map(box_w, range(depth))) + 0.25 + widest_label)
              / (depth * (box_h + 0.5 + op + widest_label / 4))}
    for per_row in range(MIN_ROW_LEVELS, depth if can_wrap else 0):  # a row starts with copies of what it uses
        rows = math.ceil(depth / per_row)
        width = max(sum(column[k: k + per_row]) + column[k] for k in range(0, depth, per_row))
        shapes["LR", rows] = width / (rows * (breadth * (box_h + 0.25) + 0.25))
    miss = {layout: abs(math.log(aspect / SLIDE)) for layout, aspect in shapes.items()}
    unwrapped = min(miss[("LR", 1)], miss[("TB", 1)])
    best = min(miss, key=lambda layout: miss[layout])
    if best[1] > 1 and miss[best] + math.log(2) >= unwrapped:  # wrap only where it fits far better
        best = ("LR", 1) if miss[("LR", 1)] <= miss[("TB", 1)] else ("TB", 1)
    return best


def wrapped_rows(order: list[Value], rows: int) -> dict[Value, int]:
    """Each node's row when the graph is cut into ``rows`` bands of equally many levels; a leaf
    sits in the row of its first use, so it is drawn once, beside the op that reads it.

    >>> from autograd import Value
    >>> x = Value(0.5, "x"); y = x.sin().cos().exp().tanh()
    >>> list(wrapped_rows(list(reversed(topological_order(y))), 2).values())
    [0, 0, 0, 1, 1]
    """
    level = columns_of(order)
    per_row = math.ceil((max(level.values()) + 1) / rows)
    return {node: (level[node] + (not node.op)) // per_row for node in order}  # a leaf: with its first use


def _edge_label(node: Value, k: int, parent: Value, local: float, names: dict[Value, str], digits: int,
                mode: bool | str) -> str:
    """``∂o/∂n = 1 - tanh(n)^2 = 0.5``, or ``∂o/∂n = 0.5``: the local derivative on one edge."""
    head = f"∂{bracketed(names[node])}/∂{bracketed(names[parent])}"
    number = format_number(local, digits)
    if mode == "number":
        return f"{head} = {number}"
    rule = edge_rule(node, k, names, whole=False)
    plain_number = rule.replace(".", "", 1).lstrip("-").isdigit()  # "3", "-1": the rule is already the number
    return f"{head} = {number}" if plain_number else f"{head} = {rule} = {number}"


def _check_draw_options(max_nodes: object, highlight: object, show_path: object, only: object, names: object) -> None:
    """draw()'s options that are objects, each checked for what it must be, before any drawing."""
    check_int(max_nodes, "max_nodes", 1)
    for name, given, needs, what in (("highlight", highlight, "edges", "a BackwardStep (one of root.backward_steps())"),
                                     ("show_path", show_path, "nodes", "one of autograd.paths(root, leaf)")):
        if given is not None and not hasattr(given, needs):
            raise TypeError(f"{name} must be {what}, got {type(given).__name__}")
    if only is not None and (not isinstance(only, Collection) or isinstance(only, str) or hasattr(only, "_parents")
                             or not all(hasattr(node, "_parents") for node in only)):
        raise TypeError(f"only must be a collection of nodes of the graph, like [n1, n2], got {type(only).__name__}")
    if names is not None and not isinstance(names, Mapping):
        raise TypeError(f"names must be a dict of node -> name (node_names(root)), got {type(names).__name__}")


def _text(text: str) -> str:
    """A learner's text as a DOT string: never HTML, never an escape sequence (``\\N``), entities escaped."""
    return graphviz.nohtml(html.escape(text).replace("\\", "\\\\"))


def _checked_size(size: str) -> str:
    if not isinstance(size, str) or not re.fullmatch(r"\d+(\.\d+)?,\d+(\.\d+)?!?", size.strip()):
        raise ValueError(f'size is Graphviz\'s "width,height" in inches, like "16,9" or "16,9!", got {size!r}')
    return size.strip()


def picture_options(size: str | None = None, dpi: float | None = None, scale: float | None = None) -> dict[str, str]:
    """The Graphviz attributes for ``draw``'s ``size``, ``dpi`` and ``scale``, checked; a ValueError says what is accepted.

    >>> picture_options("16,9!", 180)
    {'size': '16,9!', 'dpi': '180'}
    """
    attributes = {}
    if size is not None:
        attributes["size"] = _checked_size(size)
    if dpi is not None:
        attributes["dpi"] = f"{check_real(dpi, 'dpi', 10, 1200):g}"
    if scale is not None:
        check_real(scale, "scale", 0.1, 10)
    return attributes


def _op_label(node: Value, digits: int) -> str:
    """The op node's text: the symbol, with a constant on its side (``* 3``, ``1 -``) or its parameters."""
    params = operands(node)[1]
    if node.op.symbol_kind == "infix" and len(node.parents) == 1:
        return formula(node, {node.parents[0]: ""}, digits).strip()  # the operand is the edge coming in
    if params:
        return f"{node.op} {', '.join(format_constant(p, digits) for p in params)}"
    return node.op


# A PNG for a projector unless told otherwise: the drawing scaled up to fill a 16:9 screen (16 x 9 inches),
# at 180 dpi at least 1600 px on its long side (9 in * 180), its text as large as the screen allows.
PNG_DEFAULTS = {"size": "16,9!", "dpi": 180}


def render(root: Value, path: str | os.PathLike, timeout: float = 60.0, **draw_options) -> Path:
    """Draw the graph under ``root`` and write it to ``path``: .svg, .png, .pdf or .dot by suffix.

    The file appears whole or not at all (written beside it, then renamed). A PNG fills a 16:9
    screen at 180 dpi (``PNG_DEFAULTS``) unless ``size`` or ``dpi`` say otherwise.

    >>> import tempfile, os
    >>> from autograd import Value
    >>> path = render(Value(2.0, "x") * 3, os.path.join(tempfile.mkdtemp(), "g.dot"))
    >>> path.read_text().startswith("digraph")
    True
    """
    write_target(path)  # a path no write can honour is refused before any drawing
    timeout = check_real(timeout, "timeout", above=0, high=86400)
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"render writes .svg, .png, .pdf or .dot files; got {path.name!r}")
    if fmt == "png" and "size" not in draw_options and "dpi" not in draw_options:
        draw_options = {**PNG_DEFAULTS, **draw_options}
    source = draw(root, **draw_options).source
    try:
        data = source.encode() if fmt == "dot" else run_dot(source, fmt, timeout)
    except GraphvizMissingError as error:  # render itself can do without: the graph as Graphviz source
        raise GraphvizMissingError(f"{error}, or render to a .dot file (Graphviz source) instead") from None
    write_atomically(path, data)
    return path


class GraphvizMissingError(RuntimeError, ValueError):
    """Graphviz's ``dot`` program is not installed; the message says how to install it (a ValueError too,
    as every error of the project is: what was asked for cannot be drawn here)."""


NO_DOT = ("Graphviz's dot program is not installed: install it with 'apt-get install graphviz' "
          "(Debian/Ubuntu) or 'brew install graphviz' (macOS)")


def run_dot(source: str, fmt: str, timeout: float = 60.0) -> bytes:
    """Graphviz's ``dot`` run on ``source``; clear errors when it is missing, fails or hangs."""
    exe = dot_program()
    try:
        done = subprocess.run([exe, f"-T{fmt}"], input=source.encode(), capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise TimeoutError(f"Graphviz took longer than {timeout:g} s to lay out the graph; draw fewer nodes") from None
    if done.returncode != 0:
        raise RuntimeError(f"Graphviz failed: {done.stderr.decode(errors='replace').strip()[:500]}")
    return done.stdout


def dot_program() -> str:
    """The path of Graphviz's ``dot``; a ``GraphvizMissingError`` that says how to install it when it is missing."""
    exe = shutil.which("dot")
    if exe is None:
        raise GraphvizMissingError(NO_DOT)
    return exe


NOTEBOOK_MAX_NODES = 200  # past this a picture inline says less than the text


def dot_source(root: Value, **draw_options) -> str:
    """The drawing as DOT source, for a page that lays it out itself (no ``dot`` needed here).

    >>> from autograd import Value
    >>> dot_source(Value(2.0, "x") * 3).startswith("digraph")
    True
    """
    return draw(root, **draw_options).source


def svg_text(root: Value, **draw_options) -> str:
    """The drawing as an ``<svg>`` element to put inside a page (without the XML prolog)."""
    return svg_of(draw(root, **draw_options))


def svg_of(dot: graphviz.Digraph) -> str:
    """A Graphviz graph laid out as an ``<svg>`` element (without the XML prolog)."""
    svg = run_dot(dot.source, "svg").decode()
    return svg[svg.index("<svg"):]


def svg_or_none(root: Value, **draw_options) -> str | None:
    """The graph as SVG text for a notebook, or None (the text repr shows) when it is big or Graphviz is missing."""
    if shutil.which("dot") is None or len(topological_order(root)) > NOTEBOOK_MAX_NODES:
        return None
    return svg_text(root, **draw_options)


# ---- the tensor view: one box per tensor, the matrix rule on each edge ----

MAX_SHOWN = 16  # elements: a tensor with more is drawn by its shape and the norm of its gradient
OP_SYMBOLS = {"T": "ᵀ", "softmax_cross_entropy": "softmax CE"}


def draw_tensors(root: Value, digits: int = 4, rankdir: str = "TB", scale: float = 1.0, size: str | None = None,
                 dpi: float | None = None, grad_line: bool = False) -> graphviz.Digraph:
    """The tensors under ``root`` (a loss made with ``autograd.tensor``) as one box each: name, shape,
    data and grad (or the gradient's norm for a big tensor); each tensor op a small node; on each edge
    into an op, the rule that sends the gradient back along it (``dL/dW = Xᵀ · dL/dZ``). The grads
    shown are those of a backward pass run for the picture (every ``.grad`` is put back after).
    Boxes, op nodes and edges carry the player's ids (``PAGE_IDS``, a tensor's index in forward
    order); ``grad_line=True`` writes each gradient as one line of text, ``grad [[...]]``, which the
    player fills in step by step.

    >>> from autograd.tensor import Tensor, mse
    >>> X = Tensor([[1.0, 2.0]], "X"); W = Tensor([[3.0], [4.0]], "W")
    >>> "dL/dW = Xᵀ · dL/d(X @ W)" in draw_tensors(mse(X @ W, [[1.0]])).source
    True
    """
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be one of auto, LR, TB, RL, BT, got {rankdir!r}")
    check_real(scale, "scale", 0.1, 10)
    dot = new_digraph(rankdir, scale, size, dpi)
    dot.edge_attr["fontcolor"] = "#1864ab"  # the rules on the edges
    with scratch_grads(root):
        root.backward()
        graph = tensor_graph(root)
        forward = forward_records(graph)
        index = {id(record): k for k, record in enumerate(forward)}
        ids = {key: value_node_id(k) for key, k in index.items()}
        for record in forward:
            key = id(record)
            data: Any
            grad: Any
            if key in graph.outputs:
                value = graph.outputs[key]
                data, grad, count = value.data, value.grad, 1
            else:
                tensor = graph.tensors[key]
                data, grad, count = tensor.data, tensor.grad, len(tensor._flat)
            dot.node(ids[key], _tensor_label(graph.name(record), shape_text(record.shape), data, grad, count, digits,
                                             graph.root_name, grad_line),
                     shape="box", style="rounded,filled", fillcolor="#fff3bf" if key in graph.outputs else "#f1f3f5",
                     tooltip=html.escape(graph.name(record)), id=ids[key])
            if record.kind == "leaf":
                continue
            op_id = PAGE_IDS["op"].format(node=index[key])
            symbol = OP_SYMBOLS.get(record.kind, record.kind)
            dot.node(op_id, _text(symbol), shape="circle" if len(symbol) <= 2 else "ellipse", style="filled", fillcolor="#e7f5ff", width="0.3", margin="0.02",
                     fontsize=f"{10 * scale:g}", id=op_id, tooltip=html.escape(made_text(graph, record)))
            dot.edge(op_id, ids[key], id=PAGE_IDS["output"].format(node=index[key]))
            for x, text, _ in op_terms(graph, record):
                rule = f"d{graph.root_name}/d{bracketed(graph.name(x._made))} = {text}"
                dot.edge(ids[id(x._made)], op_id, label=_text(rule),
                         id=PAGE_IDS["edge"].format(parent=index[id(x._made)], node=index[key]))
    return dot


def _tensor_label(name: str, shape: str, data: Any, grad: Any, count: int, digits: int, root: str,
                  grad_line: bool = False) -> str:
    """A tensor's box: its name and shape in bold, then data and grad as small matrices side by side
    (a big tensor: the norm of its gradient); with ``grad_line`` the grad as one line of text."""
    head = f"<b>{html.escape(name)}</b>  {html.escape(shape)}"
    by = f"d{root}/d{bracketed(name)}"
    if grad_line:
        return (f'<<table border="0" cellborder="0" cellspacing="0" cellpadding="2"><tr><td>{head}</td></tr>'
                f"<tr><td>data {html.escape(matrix_text(data, 3))}</td></tr>"
                f"<tr><td>{html.escape(PAGE_IDS['grad'].format(grad=tensor_grad_text(grad)))}</td></tr></table>>")
    if count > MAX_SHOWN:
        flat = [g for row in grad for g in row] if isinstance(grad[0], list) else grad
        norm = math.sqrt(math.fsum(g * g for g in flat))
        return (f'<<table border="0" cellborder="0" cellspacing="0" cellpadding="2"><tr><td>{head}</td></tr>'
                f"<tr><td>‖{html.escape(by)}‖ = {format_number(norm, digits)}</td></tr></table>>")
    return (f'<<table border="0" cellborder="0" cellspacing="0" cellpadding="1">'
            f'<tr><td colspan="3">{head}</td></tr>'
            f'<tr><td><font point-size="9">data</font></td><td></td>'
            f'<td><font point-size="9">{html.escape(by)}</font></td></tr>'
            f"<tr><td>{_matrix_cells(data)}</td><td>  </td><td>{_matrix_cells(grad, '#1864ab')}</td></tr></table>>")


def tensor_grad_text(grad: Any) -> str:
    """A tensor's gradient as the player writes it in its box: ``[[0.1, -0.2], [0.3, 0.4]]`` to 3 digits.

    >>> tensor_grad_text([[0.123456, 2.0]]), tensor_grad_text(1.0)
    ('[[0.123, 2.0]]', '1.0')
    """
    return matrix_text(grad, 3)


def _matrix_cells(value: Any, colour: str = "#212529") -> str:
    """A scalar, vector or matrix as a small HTML table of numbers (3 significant digits), one row per row."""
    rows = value if isinstance(value, list) and value and isinstance(value[0], list) else [
        value if isinstance(value, list) else [value]]
    cells = "".join("<tr>" + "".join(f'<td align="right"><font color="{colour}">{html.escape(format_number(x, 3))}'
                                      "</font></td>" for x in row) + "</tr>" for row in rows)
    return f'<table border="0" cellborder="0" cellspacing="2" cellpadding="1" bgcolor="white">{cells}</table>'
