"""An HTML backprop player: one self-contained file that steps through a backward pass.

The page holds the graph as inline SVG (laid out once by Graphviz, each edge labelled with
its rule), the steps as JSON, and a small script. The graph fills the window and can be
zoomed and panned; the current step's chain rule is written as math (MathML, which
Chromium and Firefox render offline) with the op's rule beside it; each node's grad fills
in as the steps reach it. A presenter needs only the keyboard: Space or the right arrow for
the next step, the left arrow back, Home and End, + and - to zoom, 0 to fit. No network
access, nothing to install to view it. A network drawn collapsed (one box per neuron or
layer) opens a box's own picture and steps on a click.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

import graphviz

from ..engine.files import HTML_SUFFIXES, write_atomically
from ..engine.formatting import format_number
from ..engine.graph import scratch_grads
from ..engine.value import edge_rule
from ..teach.codegen import NotCompilableError, step_code
from ..teach.naming import node_names
from ..teach.trace import step_mathml
from .collapse import collapsed
from .drawing import svg_text, value_label, value_node_id

if TYPE_CHECKING:
    from ..engine.value import Value


def player_data(root: Value, digits: int = 4, **draw_options) -> dict:
    """What the player shows: the graph as SVG, its nodes, and one record per backward step.

    Runs its own backward pass and puts every ``.grad`` back as it was. Edges carry their
    rules (``edge_labels="rule"``), ops are written inside their boxes (``ops="inline"``) and
    text is drawn at ``scale=1.3`` unless ``draw_options`` say otherwise. With
    ``collapse="neuron"`` or ``"layer"`` (and ``sample=k``) the page opens on the collapsed
    picture, and each box holds its own picture and steps (``details``, by box id).
    """
    collapse, sample = draw_options.pop("collapse", None), draw_options.pop("sample", None)
    draw_options.setdefault("edge_labels", "rule")
    draw_options.setdefault("scale", 1.3)  # fonts grow faster than the gaps between ranks: larger text once fitted
    draw_options.setdefault("ops", "inline")  # half the ranks: 20 px text for the neuron even at 1280x720
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
            svg, details = svg_text(root, digits=digits, **draw_options), {}
        else:
            svg = svg_text(root, digits=digits, collapse=collapse, sample=sample, scale=draw_options["scale"])
            details = {key: {"title": box.title,
                             "svg": svg_text(root, digits=digits, only=box.nodes, names=names, **draw_options),
                             "start": [[index[out], final[index[out]]] for out in box.outputs],
                             "steps": [step for node, step in steps if inside[node] == key]}
                       for key, box in boxes.items()}
    return {
        "root": index[root],
        "root_name": names[root],
        "nodes": [{"id": value_node_id(k), "name": names[node], "final": final[k]} for k, node in enumerate(forward)],
        "steps": [step for _, step in steps] if collapse is None else [],
        "details": details,
        "svg": svg,
    }


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
        rules = sorted({edge_rule(step.node, k, names) for k in range(len(step.edges))})
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
    return player(root, digits, title, **draw_options).save(_html_path(path))  # refused before any work


def _html_path(path: str | os.PathLike) -> Path:
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

    >>> from autograd import Value
    >>> x = Value(2.0, "x"); y = (x * 3).tanh(); y.label = "y"
    >>> view = player(y)
    >>> view._repr_html_().startswith("<iframe") and "dy/dx" in view.page
    True
    """
    if quiz and draw_options.get("collapse") is not None:
        raise ValueError("a quiz asks for every node's gradient, so it cannot collapse them: pass quiz=True or collapse=, not both")
    data = player_data(root, digits, **draw_options)
    svg = data.pop("svg")
    data["quiz"] = _quiz_data(root, data) if quiz else None
    page = PAGE.format(
        title=html.escape(title or f"Backpropagation through {data['root_name']}"),
        svg=svg,
        data=json.dumps(data, allow_nan=False).replace("</", "<\\/"),
        style=STYLE,
        script=SCRIPT,
    )
    return Player(page)


def _quiz_data(root: Value, data: dict) -> list[dict]:
    """One record per question: its node, prompt, true gradient (as text), hint and the answers it builds on."""
    from ..teach.quiz import ABS_TOL, REL_TOL, quiz

    test = quiz(root)
    node_of = {node["name"]: k for k, node in enumerate(data["nodes"])}
    return [{"node": node_of[q.name], "name": q.name, "prompt": q.prompt, "truth": repr(test.expected(q.name)),
             "hint": test.hint(q.name), "upstream": test.upstream_of(q.name), "rel": REL_TOL, "abs": ABS_TOL}
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


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<header>
  <div class="controls">
    <h1>{title}</h1>
    <button id="back" hidden title="back to the whole network (Escape)">&#9650; network</button>
    <button id="prev" title="previous step (left arrow)">&#9664; prev</button>
    <input id="slider" type="range" min="0" max="0" value="0" aria-label="step">
    <button id="next" title="next step (right arrow or space)">next &#9654;</button>
    <span id="counter"></span>
    <button id="zoom-out" title="zoom out (-)">&minus;</button>
    <button id="zoom-in" title="zoom in (+)">+</button>
    <label title="fit the graph to the window (0); drag to pan, + and - to zoom"><input id="fit" type="checkbox" checked> fit</label>
  </div>
  <div class="step">
    <div id="math" aria-hidden="true"></div>
    <div id="rule"></div>
    <pre id="code" title="this step as a line of generated Python (autograd.to_python)"></pre>
  </div>
  <pre id="line"></pre>
</header>
<div id="body"><main id="graph" class="fit"><div id="canvas">{svg}</div></main><aside id="quiz" hidden></aside></div>
<script id="steps" type="application/json">{data}</script>
<script>{script}</script>
</body>
</html>
"""

STYLE = """
html, body { height: 100%; }
[hidden] { display: none !important; }  /* over the flex boxes below */
body { font-family: Helvetica, Arial, sans-serif; margin: 0; color: #212529; display: flex; flex-direction: column; }
header { flex: none; background: #f8f9fa; border-bottom: 1px solid #dee2e6; padding: 8px 16px; font-size: 20px; }
h1 { font-size: 22px; margin: 0 12px 0 0; white-space: nowrap; }
.controls { display: flex; align-items: center; gap: 12px; }
#slider { flex: 1; max-width: 420px; }
button, label { font-size: 20px; }
button { padding: 4px 14px; cursor: pointer; }
#counter { font-variant-numeric: tabular-nums; min-width: 130px; }
.step { display: flex; align-items: safe center; gap: 24px; min-height: 80px; margin-top: 6px;
        max-height: 30vh; overflow-y: auto; }  /* a step with many edges scrolls: the graph keeps the window */
#math { font-size: 26px; }
#math math { margin: 2px 0; }
#rule { font-size: 20px; color: #495057; font-family: Menlo, Consolas, monospace; white-space: pre-line; }
#code { font-size: 17px; color: #1864ab; margin: 0; }
#line { font-family: Menlo, Consolas, monospace; font-size: 14px; color: #6c757d; margin: 4px 0 0 0;
        max-height: 4.5em; overflow-y: auto;
        white-space: pre-wrap; }
#body { flex: 1; min-height: 0; display: flex; }
#graph { flex: 1; min-height: 0; overflow: hidden; position: relative; cursor: grab; }
#quiz { width: 430px; overflow-y: auto; border-left: 1px solid #dee2e6; padding: 8px 12px; font-size: 18px; }
#quiz .row { margin: 6px 0 10px 0; }
#quiz input { font-size: 18px; width: 8em; margin-left: 6px; }
#quiz .right input { background: #d3f9d8; border-color: #2f9e44; }
#quiz .wrong input { background: #ffe3e3; border-color: #e03131; }
#quiz .hint { font-family: Menlo, Consolas, monospace; font-size: 14px; color: #c92a2a; white-space: pre-wrap; }
#quiz .score { font-weight: bold; margin-bottom: 8px; }
g.node.quiz-right path, g.node.quiz-right polygon { fill: #d3f9d8; }
g.node.openable { cursor: pointer; }
g.node.openable:hover path, g.node.openable:focus path, g.node.openable:hover polygon, g.node.openable:focus polygon
  { stroke: #1864ab; stroke-width: 3; }
g.node.openable:focus { outline: none; }
#graph.dragging { cursor: grabbing; }
#canvas { position: absolute; left: 0; top: 0; transform-origin: 0 0; }
g.node.pending text.grad { fill: #adb5bd; }
g.node.arrived path, g.node.arrived polygon { fill: #ebfbee; }
g.node.current path, g.node.current polygon, g.node.current ellipse { fill: #fff4e6; stroke: #d9480f; stroke-width: 2.5; }
g.node.receiving path, g.node.receiving polygon { fill: #fff9db; stroke: #d9480f; stroke-width: 1.5; }
g.edge.flow > path { stroke: #d9480f; stroke-width: 2.5; }
g.edge.flow > polygon { fill: #d9480f; stroke: #d9480f; }
g.edge.flow text { fill: #d9480f; font-weight: bold; }
"""

SCRIPT = r"""
(function () {
  const data = JSON.parse(document.getElementById("steps").textContent);
  const slider = document.getElementById("slider");
  const counter = document.getElementById("counter");
  const line = document.getElementById("line");
  const math = document.getElementById("math");
  const rule = document.getElementById("rule");
  const code = document.getElementById("code");
  const graph = document.getElementById("graph");
  const canvas = document.getElementById("canvas");
  const stepping = document.querySelectorAll("#prev, #next, #slider, #counter");
  const back = document.getElementById("back");
  const stepArea = document.querySelector(".step");
  const network = canvas.innerHTML;  // a collapsed network: the picture the page opens on
  // the picture shown, each node's boxes in it, their grad texts, its steps and the grads known before them
  let svg, box, boxes, gradTexts, steps = [], start = [], intro = "", opened = null, current = 0;
  const setGrad = (i, text) => gradTexts[i].forEach(t => t.textContent = "grad " + text);
  const mark = (i, name, on) => boxes[i].forEach(g => g.classList.toggle(name, on));

  function load(picture, stepList, known) {
    if (picture !== null) canvas.innerHTML = picture;  // Graphviz's SVG of escaped names, as inlined in the page
    svg = canvas.querySelector("svg");
    box = svg.viewBox.baseVal;
    svg.setAttribute("width", box.width); svg.setAttribute("height", box.height);
    const byId = {};  // a node's box, and its dashed copies (in a wrapped picture's later rows, or read from outside)
    canvas.querySelectorAll("g.node").forEach(g => (byId[g.id.split("-row-")[0]] ||= []).push(g));
    boxes = data.nodes.map(n => byId[n.id] || []);
    gradTexts = boxes.map(gs => gs.map(g => Array.from(g.querySelectorAll("text"))
                                           .find(t => t.textContent.startsWith("grad "))).filter(Boolean));
    gradTexts.flat().forEach(t => t.classList.add("grad"));
    steps = stepList; start = known; slider.max = steps.length;
    stepping.forEach(e => e.hidden = steps.length === 0 && data.steps.length === 0);
    view.fit = true;
  }

  // ---- a collapsed network: click a neuron's or a layer's box to step through the chain rule inside it ----
  function showNetwork() {
    opened = null;
    load(network, [], []);
    back.hidden = stepArea.hidden = true;  // no step here: the network gets the room
    intro = "click a box (or Tab to it and press Enter) to step through the chain rule inside it";
    for (const [id, detail] of Object.entries(data.details)) {
      const g = document.getElementById(id);
      if (!g) continue;
      g.classList.add("openable");
      g.setAttribute("tabindex", "0"); g.setAttribute("role", "button");
      g.setAttribute("aria-label", "step through " + detail.title);
      g.addEventListener("click", () => { if (!moved) openBox(id); });
      g.addEventListener("keydown", e => { if (e.key === "Enter") { openBox(id); e.preventDefault(); } });
    }
    show(0);
  }
  function openBox(id) {
    const detail = data.details[id];
    opened = id;
    load(detail.svg, detail.steps, detail.start);
    back.hidden = stepArea.hidden = false;
    intro = "inside " + detail.title + ": the gradient from above has arrived at its output; " +
            "press next (space or the right arrow) to send it back, Escape for the whole network";
    show(0);
  }

  // ---- view: fit the graph to the window, zoom, pan ----
  const view = {scale: 1, x: 0, y: 0, fit: true};
  const MAX_FIT = 3;  // a small graph is enlarged, but not without bound
  function fitView() {
    const w = graph.clientWidth, h = graph.clientHeight;
    view.scale = Math.min(w / box.width, h / box.height, MAX_FIT);
    view.x = (w - box.width * view.scale) / 2;
    view.y = Math.max(0, (h - box.height * view.scale) / 2);
  }
  function apply() {
    if (view.fit) fitView();
    canvas.style.transform = "translate(" + view.x + "px," + view.y + "px) scale(" + view.scale + ")";
    document.getElementById("fit").checked = view.fit;
  }
  function zoom(factor) {
    const cx = graph.clientWidth / 2, cy = graph.clientHeight / 2;
    view.fit = false;
    view.x = cx - (cx - view.x) * factor; view.y = cy - (cy - view.y) * factor;
    view.scale *= factor;
    apply();
  }
  let drag = null, moved = false;  // a drag that moved is not a click on a box
  graph.addEventListener("pointerdown", e => { drag = {x: e.clientX - view.x, y: e.clientY - view.y, from: [e.clientX, e.clientY]};
                                              moved = false; graph.classList.add("dragging"); });
  window.addEventListener("pointermove", e => { if (!drag) return;
                                                if (Math.hypot(e.clientX - drag.from[0], e.clientY - drag.from[1]) < 4) return;
                                                moved = true; view.fit = false;
                                                view.x = e.clientX - drag.x; view.y = e.clientY - drag.y; apply(); });
  window.addEventListener("pointerup", () => { drag = null; graph.classList.remove("dragging"); });
  graph.addEventListener("wheel", e => { e.preventDefault(); zoom(e.deltaY < 0 ? 1.1 : 1 / 1.1); }, {passive: false});
  window.addEventListener("resize", apply);

  // ---- steps ----
  function gradsAfter(k) {  // grads as text after k steps; null = not reached yet
    const grads = data.nodes.map(() => null);
    for (const [node, grad] of start) grads[node] = grad;
    for (let i = 0; i < k; i++) for (const [node, grad] of steps[i].grads) grads[node] = grad;
    return grads;
  }

  function show(k) {
    current = Math.max(0, Math.min(steps.length, k));
    const grads = gradsAfter(current);
    boxes.forEach((_, i) => {
      mark(i, "current", false); mark(i, "receiving", false);
      mark(i, "arrived", grads[i] !== null); mark(i, "pending", grads[i] === null);
      setGrad(i, grads[i] === null ? "?" : grads[i]);
    });
    canvas.querySelectorAll("g.edge.flow, g.node.current").forEach(e => e.classList.remove("flow", "current"));
    const step = current > 0 ? steps[current - 1] : null;
    if (step) {
      mark(step.node, "current", true);
      for (const [node] of step.grads) {
        mark(node, "receiving", true);
        const edge = document.getElementById("edge-" + node + "-op-" + step.node);
        edge && edge.classList.add("flow");
      }
      const out = document.getElementById("edge-op-" + step.node);
      out && out.classList.add("flow");
      const op = document.getElementById("op-" + step.node);
      op && op.classList.add("current");
      line.textContent = step.text;
      math.innerHTML = step.math;  // built in Python from escaped names and numbers
      rule.textContent = step.rules.join("\n");
      code.textContent = step.code.map(l => l.split("  #")[0]).join("\n");
    } else {
      line.textContent = intro;
      math.innerHTML = "";
      rule.textContent = "";
      code.textContent = "";
    }
    slider.value = current;
    counter.textContent = "step " + current + " / " + steps.length;
    if (view.fit) apply();  // the step's math may change the header's height
  }

  document.getElementById("fit").addEventListener("change", e => { view.fit = e.target.checked; apply(); });
  document.getElementById("zoom-in").addEventListener("click", () => zoom(1.25));
  document.getElementById("zoom-out").addEventListener("click", () => zoom(0.8));
  document.getElementById("next").addEventListener("click", () => show(current + 1));
  document.getElementById("prev").addEventListener("click", () => show(current - 1));
  slider.addEventListener("input", () => show(Number(slider.value)));
  document.addEventListener("keydown", e => {
    const keys = {"ArrowRight": () => show(current + 1), " ": () => show(current + 1),
                  "ArrowLeft": () => show(current - 1), "Home": () => show(0), "End": () => show(steps.length),
                  "+": () => zoom(1.25), "=": () => zoom(1.25), "-": () => zoom(0.8),
                  "0": () => { view.fit = true; apply(); },
                  "Escape": () => opened !== null && showNetwork()};
    if (keys[e.key] && e.target.tagName !== "INPUT") { keys[e.key](); e.preventDefault(); }
    else if ((e.key === "ArrowRight" || e.key === "ArrowLeft") && e.target === slider) { e.preventDefault();
      show(current + (e.key === "ArrowRight" ? 1 : -1)); }
  });
  back.addEventListener("click", showNetwork);
  if (Object.keys(data.details).length) {
    showNetwork();
  } else {
    load(null, data.steps, [[data.root, "1.0"]]);
    intro = "d" + data.root_name + "/d" + data.root_name + " = 1: press next (space or the right arrow) to send it back";
    apply();
    show(0);
  }
  if (data.quiz) startQuiz(data.quiz);

  // ---- quiz: each answer judged here, offline, as autograd.quiz judges it ----
  function startQuiz(questions) {
    document.querySelector(".controls").querySelectorAll("#prev, #next, #slider, #counter")
      .forEach(e => e.hidden = true);
    const panel = document.getElementById("quiz");
    panel.hidden = false;
    const score = document.createElement("div");
    score.className = "score";
    panel.appendChild(score);
    const results = {};
    const update = () => score.textContent = "score: " + Object.values(results).filter(Boolean).length +
                                              " of " + questions.length + " (Enter checks an answer)";
    boxes.forEach((_, i) => { if (i !== data.root) setGrad(i, "?"); });
    for (const q of questions) {
      const row = document.createElement("div");
      row.className = "row";
      const label = document.createElement("label");
      label.textContent = q.prompt.replace(/ = \?$/, " =");
      const input = document.createElement("input");
      input.setAttribute("aria-label", q.prompt);
      input.dataset.name = q.name;
      const hint = document.createElement("div");
      hint.className = "hint";
      label.appendChild(input);
      row.append(label, hint);
      panel.appendChild(row);
      input.addEventListener("focus", () => boxes.forEach((_, i) => mark(i, "current", i === q.node)));
      input.addEventListener("keydown", e => { if (e.key === "Enter") judge(); e.stopPropagation(); });
      input.addEventListener("change", judge);
      function judge() {
        const value = Number(input.value.trim()), truth = Number(q.truth);
        const right = input.value.trim() !== "" && Number.isFinite(value) &&
                      Math.abs(value - truth) <= Math.max(q.rel * Math.abs(truth), q.abs);
        results[q.name] = right;
        row.classList.toggle("right", right);
        row.classList.toggle("wrong", !right);
        const wrongBefore = q.upstream.find(name => results[name] === false);
        hint.textContent = right ? "" : "not quite. " + q.hint +
          (wrongBefore ? "; first fix the answer for " + wrongBefore : "");
        setGrad(q.node, right ? input.value.trim() : "?");
        mark(q.node, "quiz-right", right);
        mark(q.node, "pending", !right);
        update();
      }
    }
    line.textContent = "work out each gradient, from d" + data.root_name + "/d" + data.root_name +
                       " = 1 backward; type it in the panel and press Enter";
    update();
    apply();  // the panel took some of the width: fit the graph again
  }
})();
"""
