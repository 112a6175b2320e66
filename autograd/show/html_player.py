"""An HTML backprop player: one self-contained file that steps through a backward pass.

The page holds the graph as SVG (laid out once by Graphviz, each edge labelled with its rule)
and the steps in its JSON data, and the front end: ``assets/player.html``, ``player.css`` and
``player.js`` (package data; ``player.js`` says how a web page or a widget mounts it). Without
Graphviz's ``dot`` program the page carries draw()'s DOT instead and lays it out itself with
Graphviz compiled to WebAssembly (``make vendor`` puts it in the package; inlined, no network).
The graph fills the window and can be zoomed and panned; the current step's chain rule is written as math (MathML, which
Chromium and Firefox render offline) with the op's rule beside it; each node's grad fills
in as the steps reach it. A presenter needs only the keyboard: Space or the right arrow for
the next step, the left arrow back, Home and End, + and - to zoom, 0 to fit. No network
access, nothing to install to view it. A network drawn collapsed (one box per neuron or
layer) opens a box's own picture and steps on a click.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from collections.abc import Callable, Collection
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import graphviz

from ..engine.files import HTML_SUFFIXES, write_atomically, write_target
from ..engine.formatting import format_number
from ..engine.graph import scratch_grads, topological_order
from ..engine.value import edge_rule
from ..teach.codegen import NotCompilableError, step_code
from ..teach.naming import node_names
from ..teach.trace import step_mathml
from . import assets
from .collapse import collapsed
from .drawing import MAX_NODES, PAGE_IDS, GraphTooLargeError, dot_source, svg_of, svg_text, value_label, value_node_id
from .tensor_player import tensor_player_data

if TYPE_CHECKING:
    from importlib.abc import Traversable  # for the checker only: Python 3.14 (Pyodide) no longer has it

    from ..engine.value import Value


def player_data(root: Value, digits: int = 4, layout: str | None = None, **draw_options) -> dict:
    """What the player shows: the graph as SVG, its nodes, and one record per backward step.

    ``layout`` as ``_layout`` takes it: None lays the pictures out with ``dot`` when it is
    installed; ``"page"`` always leaves DOT (under ``"dot"``) for the page to lay out.

    Runs its own backward pass and puts every ``.grad`` back as it was. Edges carry their
    rules (``edge_labels="rule"``), ops are written inside their boxes (``ops="inline"``) and
    text is drawn at ``scale=1.3`` unless ``draw_options`` say otherwise. With
    ``collapse="neuron"`` or ``"layer"`` (and ``sample=k``) the page opens on the collapsed
    picture, and each box holds its own picture and steps (``details``, by box id). With
    ``view="tensor"`` (a loss made with ``autograd.tensor``) it steps one tensor op at a time
    through the picture of one box per tensor (``tensor_player.tensor_player_data``).
    """
    view = draw_options.pop("view", "scalar")
    if view != "scalar":
        if view != "tensor":
            raise ValueError(f"view must be 'scalar' (a step per node) or 'tensor' (a step per tensor op), got {view!r}")
        _layout(layout)  # checked as for the scalar view
        here = layout == "dot" or (layout is None and shutil.which("dot") is not None)
        arrange = (lambda dot: {"svg": svg_of(dot)}) if here else (lambda dot: {"dot": dot.source})
        return tensor_player_data(root, digits, draw_options.get("scale", 1.3), arrange)
    collapse, sample = draw_options.pop("collapse", None), draw_options.pop("sample", None)
    if collapse is None:  # counted first: a training step's loss is refused in milliseconds, not seconds
        count, most = len(topological_order(root)), draw_options.get("max_nodes", MAX_NODES)
        if count > most:
            raise GraphTooLargeError(
                f"the graph has {count} value nodes, too many to step through one by one (the player draws at most "
                f"{most}): for a network's loss pass collapse=\"neuron\" (or \"layer\") and sample=k to open one box "
                f"per neuron along the k-th data point, or build the loss on fewer points")
    picture = _layout(layout)  # Graphviz's dot here, or in the page (WebAssembly) when dot is not installed
    draw_options = PLAYER_DRAWING | draw_options
    names = node_names(root)
    with scratch_grads(root) as order:
        forward = order[::-1]
        index = {node: k for k, node in enumerate(forward)}
        boxes = {} if collapse is None else collapsed(root, collapse, sample, digits, graphviz.Digraph(), value_label)[0]
        if len(boxes) > MAX_BOXES:
            raise ValueError(f"the collapsed picture has {len(boxes)} boxes to open, more than the player holds "
                             f"({MAX_BOXES}): pass sample=k to follow one data point")
        inside = {node: key for key, box in boxes.items() for node in box.nodes}
        steps = _step_records(root, digits, names, index, inside if collapse else None)
        final = [format_number(node.grad, digits) for node in forward]
        # Lay the graphs out with the final grads so every box is wide enough for its number.
        if collapse is None:
            whole, details = picture(root, digits=digits, **draw_options), {}
        else:
            whole = picture(root, digits=digits, collapse=collapse, sample=sample, scale=draw_options["scale"])
            details = {key: {"title": box.title,
                             **picture(root, digits=digits, only=box.nodes, names=names, **draw_options),
                             "start": [[index[out], final[index[out]]] for out in box.outputs],
                             "steps": [step for node, step in steps if inside[node] == key]}
                       for key, box in boxes.items()}
    return {
        "root": index[root],
        "root_name": names[root],
        "nodes": [{"id": value_node_id(k), "name": names[node], "final": final[k]} for k, node in enumerate(forward)],
        "steps": [step for _, step in steps] if collapse is None else [],
        "details": details,
        **whole,
        "ids": PAGE_IDS,
    }


VIZ = "vendor/viz/viz-global.js"  # Graphviz compiled to WebAssembly (npm @viz-js/viz), put there by make vendor


def _layout(layout: str | None = None) -> Callable[..., dict[str, str]]:
    """How the player's pictures are laid out: ``{"svg": ...}`` by Graphviz's ``dot`` when it is installed,
    else ``{"dot": ...}`` (draw()'s DOT source) for the page to lay out with Graphviz-WASM.
    ``layout="dot"`` or ``"page"`` chooses (the notebook widget always lays out in the page).

    (A page that carries DOT needs Graphviz-WASM: ``player()`` checks it is there before any work.)
    """
    if layout not in (None, "dot", "page"):
        raise ValueError(f"layout must be 'dot' (laid out here), 'page' (DOT for the page) or None, got {layout!r}")
    if layout == "dot" or (layout is None and shutil.which("dot") is not None):
        return lambda root, **draw_options: {"svg": svg_text(root, **draw_options)}
    return lambda root, **draw_options: {"dot": dot_source(root, **draw_options)}


def _viz_script() -> str:
    """The vendored Graphviz-WASM script (it embeds its WebAssembly), or '' when it was not fetched."""
    return _viz_file().read_text(encoding="utf-8") if _viz_file().is_file() else ""


def _viz_file() -> Traversable:
    """Where ``make vendor`` puts Graphviz-WASM in the package."""
    return resources.files(__package__).joinpath(VIZ)


# How the player draws unless told otherwise: each edge's rule; fonts grow faster than the gaps
# between ranks, so larger text once fitted; ops inside their boxes (half the ranks: 20 px text
# for the neuron even at 1280x720).
PLAYER_DRAWING = {"edge_labels": "rule", "scale": 1.3, "ops": "inline"}
MAX_BOXES = 200  # each box of a collapsed player holds its own picture, drawn by Graphviz in advance


def _step_records(root: Value, digits: int, names: dict, index: dict,
                  at: Collection[Value] | None) -> list[tuple[Value, dict]]:
    """(node, what the page needs to show its step) for each backward step (only at the nodes ``at``, when given)."""
    try:
        code = step_code(root, at)
    except NotCompilableError:  # a custom op: its step has no line of code to show
        code = {}
    records = []
    for step in root.backward_steps(digits=digits):
        if at is not None and step.node not in at:
            continue
        # Numbers go to the page as text: JSON has no inf or nan.
        grads = [[index[e.parent], format_number(e.grad_after, digits)] for e in step.edges]
        # in the edges' order, as the math lines are (w1, w2, ..., w16; text order put w10 before w2), each rule once
        rules = list(dict.fromkeys(edge_rule(step.node, k, names) for k in range(len(step.edges))))
        records.append((step.node, {"node": index[step.node], "text": str(step), "grads": grads,
                                    "math": step_mathml(step), "rules": rules, "code": code.get(step.node, [])}))
    return records


def write_player(root: Value, path: str | os.PathLike, digits: int = 4, title: str | None = None,
                 **draw_options) -> Path:
    """Write the backward pass under ``root`` as one self-contained HTML player at ``path``.

    >>> import tempfile, os
    >>> from autograd import Value
    >>> x = Value(2.0, "x"); y = (x * 3).tanh(); y.label = "y"
    >>> page = write_player(y, os.path.join(tempfile.mkdtemp(), "steps.html"))
    >>> "dy/dx" in page.read_text()
    True
    """
    path = _html_path(path)  # refused before any work
    return player(root, digits, title, **draw_options).save(path)


def _html_path(path: str | os.PathLike) -> Path:
    write_target(path)  # a str or path, not a folder or a link to a device: refused before any work
    path = Path(path)
    if path.suffix.lower() not in HTML_SUFFIXES:
        raise ValueError(f"write_player writes an .html file; got {path.name!r}")
    return path


def player(root: Value, digits: int = 4, title: str | None = None, quiz: bool = False, **draw_options) -> Player:
    """The HTML player for the backward pass under ``root``: shown inline in a notebook, or saved.

    With ``quiz=True`` the gradients start hidden and a panel asks for each one, in backward
    order: the page judges each answer itself (offline, to 4 significant digits, as
    ``autograd.quiz`` does), colours it, writes a right one into the graph and gives a wrong
    one the hint. The answers are in the page: it is for practice, not for exams.

    With ``collapse="neuron"`` or ``"layer"`` (and ``sample=k``, one data point of a batch),
    a network's loss opens as one box per neuron or layer; clicking a box (or Tab and Enter)
    opens its own picture and steps through the chain rule inside it; Escape goes back.

    Graphviz's ``dot`` lays the graph out; without it, the page carries the graph as DOT and
    Graphviz compiled to WebAssembly (fetched into the package by ``make vendor``) to lay it
    out in the browser, still one file that requests nothing. Without either, a
    ``RuntimeError`` says how to get one.

    >>> from autograd import Value
    >>> x = Value(2.0, "x"); y = (x * 3).tanh(); y.label = "y"
    >>> view = player(y)
    >>> view._repr_html_().startswith("<iframe") and "dy/dx" in view.page
    True
    """
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str (the page's heading), got {type(title).__name__}")
    if quiz and draw_options.get("view", "scalar") != "scalar":
        raise ValueError("the player's quiz asks for each node's gradient: for a quiz per tensor use "
                         "autograd.quiz(root, view='tensor'), or pass quiz=True or view='tensor', not both")
    if quiz and draw_options.get("collapse") is not None:
        raise ValueError("a quiz asks for every node's gradient, so it cannot collapse them: pass quiz=True or collapse=, not both")
    if shutil.which("dot") is None and not _viz_file().is_file():
        raise RuntimeError("the player needs Graphviz to lay out its graph: install the dot program "
                           "('apt-get install graphviz' or 'brew install graphviz'), or put Graphviz compiled to "
                           "WebAssembly into the package with 'make vendor' (tools/fetch-vendor), which the page "
                           "then carries inline")
    data = player_data(root, digits, **draw_options)
    data["quiz"] = _quiz_data(root, data) if quiz else None
    title = html.escape(title or f"Backpropagation through {data['root_name']}")
    page = assets.fill(assets.read("player.html"), title=title, style=assets.read("player.css"),
                       markup=assets.fill(assets.read("player-markup.html"), title=title),
                       data=assets.script_json(data), scripts=_inline_script(_viz_script()) if "dot" in data else "",
                       script=assets.read("player.js"))
    return Player(page)


def _inline_script(source: str) -> str:
    """``source`` (a vendored library) as an inline ``<script>``; refused if its text could end the element early."""
    if re.search(r"</script|<!--", source, re.IGNORECASE):
        raise ValueError("the vendored script contains '</script' or '<!--' and cannot be inlined into the page")
    return f"<script>{source}</script>"


def _quiz_data(root: Value, data: dict) -> list[dict]:
    """One record per question: its node, prompt, true gradient (as text), hint, the answers it builds on and
    the common mistakes (each one's numbers and sentence, computed here once, judged in the page in order)."""
    from ..teach.quiz import ABS_TOL, REL_TOL, quiz

    test = quiz(root)
    node_of = {node["name"]: k for k, node in enumerate(data["nodes"])}
    return [{"node": node_of[q.name], "name": q.name, "prompt": q.prompt, "truth": repr(test.expected(q.name)),
             "hint": test.hint(q.name), "upstream": test.upstream_of(q.name), "rel": REL_TOL, "abs": ABS_TOL,
             "mistakes": test.mistake_records(q.name)}
            for q in test.questions]


class Player:
    """One self-contained player page. In Jupyter (Lab, classic, VS Code) it shows as a sandboxed
    iframe whose ``srcdoc`` holds the page: offline, and its script cannot reach the notebook."""

    HEIGHT = 720  # pixels of the inline frame

    def __init__(self, page: str) -> None:
        self.page = page

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.page, quote=True)}" sandbox="allow-scripts" '
                f'style="width: 100%; height: {self.HEIGHT}px; border: 1px solid #dee2e6"></iframe>')

    def save(self, path: str | os.PathLike) -> Path:
        """Write the page to ``path`` (.html), whole or not at all."""
        path = _html_path(path)
        write_atomically(path, self.page.encode())
        return path
