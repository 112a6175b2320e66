"""The player's tensor view: the backward pass of a loss made with ``autograd.tensor``, one tensor op a step.

``tensor_player_data(root)`` gives the player's page (``assets/player.js``) the same kind of data as
``html_player.player_data``: the picture (one box per tensor, ``draw_tensors`` with the gradient as one
line the page fills in), one record per node (a tensor) and one per step (a tensor op: the matrix rule
for each tensor it read, and that tensor's gradient so far).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import graphviz

from ..engine.formatting import bracketed
from ..engine.graph import scratch_grads
from ..engine.tensor import flatten, made_by, nest
from ..teach.tensors import forward_records, made_text, matrix_text, op_terms, tensor_graph
from .drawing import PAGE_IDS, draw_tensors, svg_of, tensor_grad_text, value_node_id

if TYPE_CHECKING:
    from ..engine.value import Value


def tensor_player_data(root: Value, digits: int = 4, scale: float = 1.3,
                       layout: Callable[[graphviz.Digraph], dict[str, str]] | None = None) -> dict[str, Any]:
    """What the player shows for the tensor view; runs its own backward pass and puts every ``.grad`` back.

    ``layout`` turns the picture into the page's ``{"svg": ...}`` (Graphviz's ``dot``, the default) or
    ``{"dot": ...}`` (DOT for the page to lay out itself), as the player decides.

    >>> from autograd.tensor import Tensor, mse
    >>> X = Tensor([[1.0, 2.0]], "X"); W = Tensor([[3.0], [4.0]], "W")
    >>> data = tensor_player_data(mse(X @ W, [[10.0]]))
    >>> [step["text"] for step in data["steps"]][-1]
    'at X @ W = X @ W: dL/dX = dL/d(X @ W) · Wᵀ = [[6.0, 8.0]]; dL/dW = Xᵀ · dL/d(X @ W) = [[2.0], [4.0]]'
    """
    record = made_by(root)
    if record is None:
        raise ValueError("the player's tensor view needs a loss made by a tensor op (mse, bce, softmax_cross_entropy, "
                         "a Tensor's sum or mean); draw the scalar graph instead (view='scalar')")
    with scratch_grads(root):
        root.backward()
        graph = tensor_graph(root)
        forward = forward_records(graph)
        index = {id(r): k for k, r in enumerate(forward)}
        picture = (layout or (lambda dot: {"svg": svg_of(dot)}))(draw_tensors(root, digits, scale=scale, grad_line=True))
        root_name = graph.root_name
        so_far: dict[int, list[float]] = {}
        steps = []
        for r in graph.records:
            terms = op_terms(graph, r)
            if not terms:
                continue
            lines, grads, rules = [], [], []
            for x, text, value in terms:
                key = id(x._made)
                flat = [float(v) for v in flatten(value)] if isinstance(value, list) else [float(value)]
                so_far[key] = flat if key not in so_far else [a + b for a, b in zip(so_far[key], flat)]
                rule = f"d{root_name}/d{bracketed(graph.name(x._made))} = {text}"
                rules.append(rule)
                lines.append(f"{rule} = {matrix_text(value, digits)}")
                grads.append([index[key], tensor_grad_text(nest(so_far[key], x.shape))])
            steps.append({"node": index[id(r)], "text": f"at {graph.name(r)} = {made_text(graph, r)}: " + "; ".join(lines),
                          "grads": grads, "rules": rules, "code": [],
                          "math": "".join(f'<math display="block"><mtext>{html.escape(rule)}</mtext></math>'
                                          for rule in rules)})
        nodes = []
        for k, r in enumerate(forward):
            final = graph.outputs[id(r)].grad if id(r) in graph.outputs else graph.tensors[id(r)].grad
            nodes.append({"id": value_node_id(k), "name": graph.name(r), "final": tensor_grad_text(final)})
    return {"root": index[id(record)], "root_name": root_name, "nodes": nodes, "steps": steps, "details": {},
            **picture, "ids": PAGE_IDS}
