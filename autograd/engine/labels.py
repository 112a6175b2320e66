"""nn's labels for its parameters, defined once: nn writes them, names and collapsed pictures read them.

A parameter is labelled by its place, counted from 1: ``L1.n3.w2`` is weight 2 of neuron 3 of
layer 1 and ``L1.n3.b`` is that neuron's bias; ``L1.n3`` names the neuron and ``L1`` its layer
(``named_parameters()`` gives the same places as ``layers.0.neurons.2.w.1``). autograd learns
nn's grouping from these labels without importing nn.

>>> weight(neuron(layer(1), 3), 2), bias(neuron(layer(1), 3)), weight("", 1)
('L1.n3.w2', 'L1.n3.b', 'w1')
>>> owner("L1.n3.w2"), owner("x"), layer_of("L1.n3")
('L1.n3', None, 'L1')
"""

from __future__ import annotations

import re

SEPARATOR = "."
PARAMETER = re.compile(r"(.+)\.(w\d+|b)")  # a weight or a bias of the neuron in group 1


def _child(owner: str, part: str) -> str:
    return f"{owner}{SEPARATOR}{part}" if owner else part


def layer(i: int) -> str:
    """Layer ``i`` (from 1): ``L1``."""
    return f"L{i}"


def neuron(owner: str, j: int) -> str:
    """Neuron ``j`` (from 1) of the layer ``owner``: ``L1.n3``; ``n3`` for a layer on its own."""
    return _child(owner, f"n{j}")


def weight(owner: str, k: int) -> str:
    """Weight ``k`` (from 1) of the neuron ``owner``: ``L1.n3.w2``; ``w2`` for a neuron on its own."""
    return _child(owner, f"w{k}")


def bias(owner: str) -> str:
    """The bias of the neuron ``owner``: ``L1.n3.b``."""
    return _child(owner, "b")


def owner(label: str) -> str | None:
    """The neuron whose weight or bias ``label`` is (``L1.n3``), or None for any other label."""
    match = PARAMETER.fullmatch(label)
    return match[1] if match else None


def layer_of(neuron: str) -> str:
    """The layer of a neuron: ``L1.n3`` -> ``L1``."""
    return neuron.split(SEPARATOR)[0]
