"""An HTML backprop player: one self-contained file that steps through a backward pass.

The page holds the graph as inline SVG (laid out once by Graphviz), the steps as JSON, and
a small script: next/previous buttons, a slider and the arrow keys move through the steps;
the chain-rule lines of the current step are shown, and each node's grad fills in as the
steps reach it. No network access, nothing to install to view it.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from .graph import scratch_grads
from .naming import node_names
from .drawing import draw, run_dot, value_node_id
from .files import write_atomically
from .text import format_number

if TYPE_CHECKING:
    from .value import Value


def player_data(root: Value, digits: int = 4, **draw_options) -> dict:
    """What the player shows: the graph as SVG, its nodes, and one record per backward step.

    Runs its own backward pass and puts every ``.grad`` back as it was. Edges carry their
    rules (``edge_labels="rule"``) unless ``draw_options`` say otherwise.
    """
    draw_options.setdefault("edge_labels", "rule")
    names = node_names(root)
    with scratch_grads(root) as order:
        forward = order[::-1]
        index = {node: k for k, node in enumerate(forward)}
        steps = []
        for step in root.backward_steps(digits=digits):
            # Numbers go to the page as text: JSON has no inf or nan.
            grads = [[index[e.parent], format_number(e.grad_after, digits)] for e in step.edges]
            steps.append({"node": index[step.node], "text": str(step), "grads": grads})
        final = [format_number(node.grad, digits) for node in forward]
        # Lay the graph out with the final grads so every box is wide enough for its number.
        svg = run_dot(draw(root, digits=digits, **draw_options).source, "svg").decode()
    return {
        "root": index[root],
        "root_name": names[root],
        "nodes": [{"id": value_node_id(k), "name": names[node], "final": final[k]} for k, node in enumerate(forward)],
        "steps": steps,
        "svg": svg[svg.index("<svg"):],
    }


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
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"write_player writes an .html file; got {path.name!r}")
    data = player_data(root, digits, **draw_options)
    svg = data.pop("svg")
    page = PAGE.format(
        title=html.escape(title or f"Backpropagation through {data['root_name']}"),
        svg=svg,
        data=json.dumps(data, allow_nan=False).replace("</", "<\\/"),
        style=STYLE,
        script=SCRIPT,
    )
    write_atomically(path, page.encode())
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
  <h1>{title}</h1>
  <div class="controls">
    <button id="prev" title="previous step (left arrow)">&#9664; prev</button>
    <input id="slider" type="range" min="0" max="0" value="0" aria-label="step">
    <button id="next" title="next step (right arrow)">next &#9654;</button>
    <span id="counter"></span>
    <label title="shrink a large graph to the window, or show it at full size to scroll"><input id="fit" type="checkbox" checked> fit to window</label>
  </div>
  <pre id="line"></pre>
</header>
<main id="graph" class="fit">{svg}</main>
<script id="steps" type="application/json">{data}</script>
<script>{script}</script>
</body>
</html>
"""

STYLE = """
body { font-family: Helvetica, Arial, sans-serif; margin: 0; color: #212529; }
header { position: sticky; top: 0; background: #f8f9fa; border-bottom: 1px solid #dee2e6; padding: 10px 16px; }
h1 { font-size: 18px; margin: 0 0 8px 0; }
.controls { display: flex; align-items: center; gap: 10px; }
#slider { flex: 1; max-width: 480px; }
button { font-size: 14px; padding: 4px 12px; cursor: pointer; }
#counter { font-variant-numeric: tabular-nums; min-width: 110px; }
#line { font-family: Menlo, Consolas, monospace; font-size: 14px; background: #fff; border: 1px solid #dee2e6;
        padding: 8px; margin: 8px 0 0 0; min-height: 2.6em; white-space: pre-wrap; }
#graph { padding: 12px; overflow: auto; }
#graph.fit svg { max-width: 100%; height: auto; }
g.node.pending text.grad { fill: #adb5bd; }
g.node.arrived path, g.node.arrived polygon { fill: #ebfbee; }
g.node.current path, g.node.current polygon, g.node.current ellipse { fill: #fff4e6; stroke: #d9480f; stroke-width: 2.5; }
g.node.receiving path, g.node.receiving polygon { fill: #fff9db; stroke: #d9480f; stroke-width: 1.5; }
g.edge.flow > path { stroke: #d9480f; stroke-width: 2.5; }
g.edge.flow > polygon { fill: #d9480f; stroke: #d9480f; }
"""

SCRIPT = r"""
(function () {
  const data = JSON.parse(document.getElementById("steps").textContent);
  const steps = data.steps;
  const slider = document.getElementById("slider");
  const counter = document.getElementById("counter");
  const line = document.getElementById("line");
  const groups = data.nodes.map(n => document.getElementById(n.id));
  // the <text> that shows each node's grad
  const gradText = groups.map(g => Array.from(g ? g.querySelectorAll("text") : [])
                                   .find(t => t.textContent.startsWith("grad ")));
  gradText.forEach(t => t && t.classList.add("grad"));
  slider.max = steps.length;
  let current = 0;

  function gradsAfter(k) {  // grads as text after k steps; null = not reached yet
    const grads = data.nodes.map(() => null);
    grads[data.root] = "1.0";
    for (let i = 0; i < k; i++) for (const [node, grad] of steps[i].grads) grads[node] = grad;
    return grads;
  }

  function show(k) {
    current = Math.max(0, Math.min(steps.length, k));
    const grads = gradsAfter(current);
    groups.forEach((g, i) => {
      if (!g) return;
      g.classList.remove("current", "receiving");
      g.classList.toggle("arrived", grads[i] !== null);
      g.classList.toggle("pending", grads[i] === null);
      if (gradText[i]) gradText[i].textContent = "grad " + (grads[i] === null ? "?" : grads[i]);
    });
    document.querySelectorAll("g.edge.flow, g.node.current").forEach(e => e.classList.remove("flow", "current"));
    const step = current > 0 ? steps[current - 1] : null;
    if (step) {
      groups[step.node] && groups[step.node].classList.add("current");
      for (const [node] of step.grads) {
        groups[node] && groups[node].classList.add("receiving");
        const edge = document.getElementById("edge-" + node + "-op-" + step.node);
        edge && edge.classList.add("flow");
      }
      const out = document.getElementById("edge-op-" + step.node);
      out && out.classList.add("flow");
      const op = document.getElementById("op-" + step.node);
      op && op.classList.add("current");
      line.textContent = step.text;
    } else {
      line.textContent = "d" + data.root_name + "/d" + data.root_name + " = 1: press next (or the right arrow) to send it back";
    }
    slider.value = current;
    counter.textContent = "step " + current + " / " + steps.length;
  }

  document.getElementById("fit").addEventListener("change", e =>
    document.getElementById("graph").classList.toggle("fit", e.target.checked));
  document.getElementById("next").addEventListener("click", () => show(current + 1));
  document.getElementById("prev").addEventListener("click", () => show(current - 1));
  slider.addEventListener("input", () => show(Number(slider.value)));
  document.addEventListener("keydown", e => {
    if (e.key === "ArrowRight") { show(current + 1); e.preventDefault(); }
    if (e.key === "ArrowLeft") { show(current - 1); e.preventDefault(); }
    if (e.key === "Home") show(0);
    if (e.key === "End") show(steps.length);
  });
  show(0);
})();
"""
