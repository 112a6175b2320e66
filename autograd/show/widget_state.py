"""What the notebook widget's page receives (``autograd.widget``): plain data, built without a
browser and without anywidget, so it is tested as it is. The page is ``assets/widget.mjs``
mounting the player (``assets/player.js``); the widget class is ``widget_model.Widget``.
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..engine.formatting import format_number
from ..engine.graph import edges, scratch_grads, topological_order
from ..teach.naming import node_names
from . import assets
from .collapse import groups
from .drawing import PAGE_IDS, dot_source, svg_or_none, svg_text
from .html_player import PLAYER_DRAWING, player_data

if TYPE_CHECKING:
    from ..engine.value import Value

# One sample's graph bigger than this is drawn one box per neuron while training (unless told).
LIVE_MAX_NODES = 30


def graph_state(root: Value, digits: int = 4, layout: str | None = None, **draw_options: Any) -> dict:
    """What the widget's page receives for the graph under ``root``: the player's data with the
    pictures as DOT (laid out in the page; as SVG from ``dot`` when ``make vendor`` was not
    run), each node's whole chain-rule sum (``sums``, by node
    index), its index by name, and ``steps``, how many steps ``backward_steps()`` yields.
    ``layout`` ("page" or "dot") overrides ``page_layout()``'s choice.

    >>> from autograd import Value
    >>> x = Value(3.0, "x"); y = x * x; y.label = "y"
    >>> state = graph_state(y, layout="page")
    >>> state["count"], state["dot"].startswith("digraph"), state["sums"][state["index"]["x"]][-1]
    (1, True, 'dy/dx = 3.0 + 3.0 = 6.0')
    """
    state = player_data(root, digits, layout=layout or page_layout(), **draw_options)
    state["sums"], state["count"] = _sums_and_count(root, digits)  # "steps" holds the player's step records
    state["index"] = {node["name"]: k for k, node in enumerate(state["nodes"])}
    return state


def step_count(root: Value) -> int:
    """How many steps ``root.backward_steps()`` yields: one per node that has parents.

    >>> from autograd import Value
    >>> x = Value(2.0); step_count((x * 3).tanh()), step_count(x)
    (2, 0)
    """
    return sum(1 for node in topological_order(root) if node.op)


def chain_rule_sums(root: Value, digits: int = 4) -> dict[int, list[str]]:
    """Each node's gradient as the whole chain-rule sum: one line per edge into it, in the
    order backward adds them, then ``dy/dx = a + b = total`` when there are several (nodes
    by index in forward order; the root and leaves no edge reaches have none).

    >>> from autograd import Value
    >>> x = Value(2.0, "x"); y = x * 3 + x; y.label = "y"
    >>> sums = chain_rule_sums(y)
    >>> len(sums[0]), sums[0][-1]     # x: two edges, then their sum
    (3, 'dy/dx = 1.0 + 3.0 = 4.0')
    """
    return _sums_and_count(root, digits)[0]


def _sums_and_count(root: Value, digits: int) -> tuple[dict[int, list[str]], int]:
    """``chain_rule_sums`` and ``step_count`` from one backward pass (the page needs both)."""
    forward = topological_order(root)[::-1]
    index = {node: k for k, node in enumerate(forward)}
    sums: dict[int, list[str]] = {}
    terms: dict[int, list[str]] = {}
    count = 0
    with scratch_grads(root):
        for step in root.backward_steps(digits=digits):
            count += 1
            for edge, line in zip(step.edges, str(step).split("\n")):
                k = index[edge.parent]
                sums.setdefault(k, []).append(line)
                terms.setdefault(k, []).append(format_number(edge.contribution, digits))
        for k, lines in sums.items():
            if len(lines) > 1:
                head = lines[0].split(" += ")[0]
                lines.append(f"{head} = {' + '.join(terms[k])} = {format_number(forward[k].grad, digits)}")
    return sums, count


def live_state(root: Value, digits: int = 4, layout: str | None = None, **draw_options: Any) -> dict:
    """What the widget's page receives while a network trains: one sample's picture as DOT
    (current data and grads, from a backward pass of its own; every ``.grad`` is put back),
    no steps and no nodes (the player leaves the grads as drawn), and ``flows``: the gradient each drawn edge carries back (the local derivative
    times the gradient at its head), keyed by the edge's SVG id, and in a collapsed picture also
    by ``"tail->head"`` (its Graphviz title) between boxes. A graph of more than ``LIVE_MAX_NODES`` nodes is
    drawn one box per neuron unless ``collapse`` is given. ``layout`` overrides ``page_layout()``'s choice.

    >>> from autograd import Value
    >>> x = Value(2.0, "x"); w = Value(-3.0, "w"); y = (x * w).tanh(); y.label = "y"
    >>> state = live_state(y, layout="page")
    >>> state["steps"], state["count"], sorted(state["flows"])
    ([], 2, ['edge-0-op-2', 'edge-1-op-2', 'edge-2-op-3'])
    >>> state["flows"]["edge-0-op-2"] == state["flows"]["edge-2-op-3"] * -3.0   # dy/dx: dy/d(x*w) times w
    True
    """
    options = live_options(root, draw_options)
    collapse = options.pop("collapse", None)
    order = topological_order(root)
    names = node_names(root)
    forward = order[::-1]
    index = {node: k for k, node in enumerate(forward)}
    picture, picture_key = (dot_source, "dot") if (layout or page_layout()) == "page" else (svg_text, "svg")
    with scratch_grads(root):
        root.backward()
        if collapse is None:
            dot = picture(root, digits=digits, names=names, **(PLAYER_DRAWING | options))
            key: Callable[[Value, Value], str | None] = lambda parent, node: PAGE_IDS["edge"].format(
                parent=index[parent], node=index[node])
        else:
            dot = picture(root, digits=digits, collapse=collapse, scale=PLAYER_DRAWING["scale"], **options)
            box = collapsed_boxes(forward, collapse)
            key = lambda parent, node: None if box(parent) == box(node) else f"{box(parent)}->{box(node)}"
        edge_id = lambda parent, node: PAGE_IDS["edge"].format(parent=index[parent], node=index[node])
        flows: dict[str, float] = {}
        for node in forward:
            for parent, local in zip(*edges(node)):
                for k in dict.fromkeys((key(parent, node), edge_id(parent, node))):  # by id too: a box's picture
                    if k is not None:
                        flows[k] = flows.get(k, 0.0) + local * node.grad
    return {"root": index[root], "root_name": names[root], picture_key: dot, "steps": [], "details": {}, "ids": PAGE_IDS,
            "nodes": [], "sums": {}, "index": {}, "count": step_count(root), "flows": flows, "live": True}


def live_options(root: Value, draw_options: dict) -> dict:
    """The draw options for training: one box per neuron past ``LIVE_MAX_NODES`` nodes, unless told.

    >>> from autograd import Value
    >>> live_options(Value(1.0) * 2, {"digits": 3})
    {'digits': 3}
    """
    if len(topological_order(root)) > LIVE_MAX_NODES:
        return {"collapse": "neuron", **draw_options}
    return dict(draw_options)


VIZ = Path(__file__).resolve().parent / "vendor" / "viz" / "viz-global.js"


def page_layout() -> str:
    """``"page"`` when Graphviz for the page is installed (``make vendor``) or ``dot`` is missing
    (the page then says what to install), else ``"dot"``: lay the picture out here."""
    return "page" if VIZ.is_file() or shutil.which("dot") is None else "dot"


def viz_source() -> tuple[str | None, str | None]:
    """(Graphviz-WASM's script, None), or (None, what to do to get it)."""
    if VIZ.is_file():
        return VIZ.read_text(encoding="utf-8"), None
    return None, ("Graphviz for the page (npm @viz-js/viz) is not installed: run 'make vendor' "
                  "(tools/fetch-vendor) in chainrule's folder, or install Graphviz's dot")


def fallback_bundle(root: Value | None, digits: int, draw_options: dict) -> dict[str, str]:
    """What a notebook shows where the widget cannot run (a terminal, a front end without widgets): a sentence
    saying so, and the static picture (SVG from ``dot``, else the text tree).

    >>> from autograd import Value
    >>> bundle = fallback_bundle(Value(2.0, "x") * 3, 4, {})
    >>> bundle["text/plain"].splitlines()[0]
    'autograd.widget: a live view for a notebook (JupyterLab, Notebook 7, VS Code, Colab, marimo); it cannot run here, so here is the graph:'
    """
    from ..teach.tree import text_graph

    note = ("autograd.widget: a live view for a notebook (JupyterLab, Notebook 7, VS Code, Colab, marimo); "
            "it cannot run here, so here is the graph:")
    page = assets.read("widget-fallback.html")
    if root is None:
        return {"text/plain": note.replace("so here is the graph:", "and has no graph yet"),
                "text/html": assets.fill(page, note=html.escape(note), svg="", tree="")}
    tree = text_graph(root)
    try:
        svg = svg_or_none(root, digits=digits, **draw_options)
    except (RuntimeError, ValueError):
        svg = None
    return {"text/plain": f"{note}\n{tree}",
            "text/html": assets.fill(page, note=html.escape(note), svg=svg or "", tree="" if svg else html.escape(tree))}


def collapsed_boxes(forward: list[Value], level: str) -> Callable[[Value], str]:
    """The function giving each node's box id in a picture collapsed by ``level``, as
    ``collapse.collapsed`` names them: its neuron's or layer's group, or a box of its own."""
    member = groups(forward, level)[0]
    return lambda node: f"g-{member[node]}" if node in member else f"n-{id(node)}"
