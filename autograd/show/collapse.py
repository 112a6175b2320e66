"""Big nn graphs made readable: one box per neuron or per layer, and one data point of a batch.

autograd does not import nn: it learns the grouping from the labels nn gives its
parameters (``L1.n3.w2``, ``L1.n3.b``). A dot node over parameters of one neuron is that
neuron's weighted sum for one input; with the activation applied to it (its only user) it
forms one neuron box. The neurons of one layer that read the same inputs form a layer box.
In a batch, each data point runs through its own copies of these; ``sample=k`` keeps the
k-th point's path and shows the others as a single box.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ..engine import labels as parameter_labels
from ..engine.formatting import format_number
from ..engine.graph import edges, topological_order
from ..engine.value import Value
from ..teach.naming import neuron_of, node_names

COLLAPSE = ("neuron", "layer")  # the values of draw(..., collapse=)
FIRST_LAYER = parameter_labels.layer(1)


def groups(order: list[Value], level: str) -> tuple[dict[Value, str], dict[str, list[Value]]]:
    """Each grouped node's group name (``L1.n3#2`` or ``L1#2``) and each group's output nodes.

    Parameters are members of no instance: they belong to every use of their neuron, and a
    collapsed picture leaves them inside the boxes.
    """
    users: dict[Value, list[Value]] = defaultdict(list)
    for node in order:
        for parent in edges(node)[0]:
            users[parent].append(node)
    member: dict[Value, str] = {}
    output: dict[str, list[Value]] = defaultdict(list)
    instances: dict[tuple, int] = {}
    for node in order:
        neuron = neuron_of(node)
        if neuron is None:
            continue
        # what the neuron reads: the same for every neuron of a layer on one data point
        inputs = tuple(id(b) if isinstance(b, Value) else b for a, b in node.op.products(node) if parameter_labels.owner(a.label))
        key = neuron if level == "neuron" else parameter_labels.layer_of(neuron)
        copy = instances.setdefault((key, inputs if level == "layer" else id(node)), len(instances))
        name = f"{key}#{copy}"
        member[node] = name
        out = node
        after = users.get(node, [])
        if len(after) == 1 and getattr(after[0].op, "activation", False) and len(after[0].parents) == 1:
            out = after[0]
            member[out] = name
        output[name].append(out)
    return member, output


def samples(order: list[Value], member: dict[Value, str]) -> dict[Value, frozenset[int]]:
    """Which data points each node depends on: a first-layer group starts one (in forward order)."""
    first_layer: dict[tuple[float, ...], int] = {}
    seen: dict[Value, frozenset[int]] = {}
    for node in order:
        parents = edges(node)[0]
        found = frozenset().union(*(seen.get(p, frozenset()) for p in parents)) if parents else frozenset()
        group = member.get(node)
        if group and parameter_labels.layer_of(group.partition("#")[0]) == FIRST_LAYER and not found:
            inputs = tuple(b for a, b in node.op.products(node) if parameter_labels.owner(a.label) and isinstance(b, float))
            found = frozenset({first_layer.setdefault(inputs, len(first_layer))})
        seen[node] = found
    return seen


def collapsed(root: Value, level: str, sample: int | None, digits: int, dot,
              label: Callable[[str, str, str], str]) -> tuple[dict[str, Box], dict[str, int], dict[str, int]]:
    """Add the collapsed picture of the graph under ``root`` to the graphviz Digraph ``dot``.

    ``label(name, data, grad)`` makes a box's text, as ``draw`` writes it. Returns each drawn
    neuron or layer box by its id with the nodes inside it, each drawn box's column (one past
    the boxes it reads) and the length of its name (to choose a layout).
    """
    if level not in COLLAPSE:
        raise ValueError(f"collapse must be one of {', '.join(COLLAPSE)} or None, got {level!r}")
    order = list(reversed(topological_order(root)))
    names = node_names(root)
    member, output = groups(order, level)
    if not member:
        raise ValueError("collapse found no nn neurons: it groups dot nodes over parameters labelled like "
                         "L1.n3.w2 (as nn.MLP labels them)")
    depends = samples(order, member)
    count = len({k for s in depends.values() for k in s})
    if sample is not None and not 0 <= sample < max(count, 1):
        raise ValueError(f"sample must be from 0 to {count - 1}: the graph holds {count} data points")
    fmt = lambda x: format_number(x, digits)

    def shown(node: Value) -> bool:
        if parameter_labels.owner(node.label) and node not in member:
            return False  # inside its neuron's box
        if sample is None or not depends[node]:
            return True
        return sample in depends[node]

    def box(node: Value) -> str:
        return f"g-{member[node]}" if node in member else f"n-{id(node)}"

    drawn: dict[str, str] = {}  # box id -> its name, in forward order
    linked: dict[tuple[str, str], None] = {}  # in forward order too
    boxes: dict[str, Box] = {}

    def link(a: str, b: str) -> None:
        if (a, b) not in linked:
            linked[a, b] = None
            dot.edge(a, b)

    for node in order:
        if not shown(node):
            continue
        key = box(node)
        if key not in drawn:
            if node in member:
                outs = output[member[node]]
                # points are counted from 1 where people read them, as the names' suffixes are (L1.n1#4: the 4th)
                point = "" if count <= 1 or sample is not None else f" (point {min(depends[outs[0]]) + 1})"
                title = member[node].split("#")[0] + point  # with sample=k the picture's title names the point
                if len(outs) == 1:
                    data, grad = fmt(outs[0].data), fmt(outs[0].grad)
                else:  # a layer: its outputs' mean and its output gradient's length
                    title += f", {len(outs)} neurons"
                    data = "mean " + fmt(sum(o.data for o in outs) / len(outs))
                    grad = "norm " + fmt(math.sqrt(sum(o.grad * o.grad for o in outs)))
                dot.node(key, label(title, data, grad), shape="box", style="rounded,filled,bold",
                         fillcolor="#e7f5ff", id=key)
                boxes[key] = Box(title, [], outs)
                drawn[key] = f"{title} {data}"  # its width: "data mean" is longer than a number
            else:
                dot.node(key, label(names[node], fmt(node.data), fmt(node.grad)), shape="box",
                         style="rounded,filled", fillcolor="#f1f3f5", id=key)
                drawn[key] = names[node]
        for parent in edges(node)[0]:
            if box(parent) == key:
                continue
            if shown(parent):
                link(box(parent), key)
            elif sample is not None and depends[parent] and sample not in depends[parent]:
                link("others", key)
    if any(a == "others" for a, _ in linked):
        dot.node("others", f"the other {count - 1} data points", shape="box", style="dashed", id="others")
    if sample is not None and count > 1:
        size = 1.4 * float(dot.node_attr.get("fontsize", 11))  # a title: larger than the boxes' text, at any scale
        dot.attr(label=f"data point {sample + 1} of {count} (sample={sample})", labelloc="t", fontname="Helvetica", fontsize=f"{size:g}")
    for node in order:  # what each box holds: its nodes and the parameters they read
        if node in member and box(node) in boxes:
            inside = boxes[box(node)].nodes
            inside += [p for p in edges(node)[0] if p not in member and parameter_labels.owner(p.label)] + [node]
    return boxes, _columns(drawn, linked), {key: len(text) for key, text in drawn.items()} | {"others": 12}


def _columns(drawn: dict[str, str], linked: dict[tuple[str, str], None]) -> dict[str, int]:
    """Each box's column: one past the boxes it reads (a few passes: a layer's box spans many nodes)."""
    column = dict.fromkeys([*drawn, *(key for pair in linked for key in pair)], 0)
    changed = True
    while changed:
        changed = False
        for a, b in linked:
            if column[b] <= column[a]:
                column[b], changed = column[a] + 1, True
    return column


@dataclass
class Box:
    """A neuron's or a layer's box in a collapsed picture: its title, its nodes and its outputs."""

    title: str
    nodes: list[Value]
    outputs: list[Value]
