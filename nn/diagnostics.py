"""Training health, layer by layer, as in Karpathy's "activations and gradients" lecture.

``inspect(model, X)`` runs a batch through an MLP one layer at a time, backpropagates the
mean of the output (or a loss you pass), and reports per layer: the activations and their
gradients (for histograms), the fraction of saturated tanh/sigmoid units, the fraction of
dead ReLUs (zero on every example), and the gradient-to-data ratio of the weights.
``update_ratios(before, after)`` gives each layer's update-to-data ratio for one optimizer
step (about 1e-3 is the lecture's rule of thumb). ``Health.plot()`` draws it all.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from autograd import Value, parameter_labels

from .layers import MLP

SATURATED = 0.97  # |tanh| above this, or sigmoid within 0.03 of 0 or 1: the slope is under ~6% of its peak


@dataclass
class LayerHealth:
    """One layer's numbers over a batch."""

    name: str
    activation: str  # "linear" for none
    outputs: list[float]  # every unit's output on every example
    gradients: list[float]  # d loss / d output, for each of those
    saturated: float  # fraction of tanh/sigmoid outputs in the flat tails (0 for other activations)
    dead: float  # fraction of relu units that are zero on every example (0 for other activations)
    grad_to_data: float  # std of the weights' gradients / std of the weights


@dataclass
class Health:
    """The per-layer report of ``inspect``."""

    layers: list[LayerHealth]

    def __str__(self) -> str:
        rows = [f"{'layer':8}{'activation':12}{'mean':>9}{'std':>9}{'saturated':>11}{'dead':>7}{'grad/data':>11}"]
        for h in self.layers:
            rows.append(f"{h.name:8}{str(h.activation):12}{statistics.fmean(h.outputs):9.3f}"
                        f"{statistics.pstdev(h.outputs):9.3f}{h.saturated:11.1%}{h.dead:7.1%}{h.grad_to_data:11.2e}")
        return "\n".join(rows)

    def plot(self, figure=None):
        """Histograms of each layer's activations and gradients (matplotlib), one colour per layer."""
        import matplotlib.pyplot as plt

        figure = figure or plt.figure(figsize=(12, 4.2))
        left, right = figure.subplots(1, 2)
        for h in self.layers:
            label = f"{h.name} ({h.activation}): saturated {h.saturated:.0%}, dead {h.dead:.0%}"
            left.hist(h.outputs, bins=40, histtype="step", linewidth=1.5, label=label)
            right.hist(h.gradients, bins=40, histtype="step", linewidth=1.5, label=f"{h.name}")
        left.set(xlabel="activation value", ylabel="count", title="Activations per layer")
        right.set(xlabel="d loss / d activation", ylabel="count", title="Gradients per layer")
        left.legend(fontsize=8)
        right.legend(fontsize=8)
        return figure


def inspect(model: MLP, X: Sequence[Sequence[float]], loss: Callable[[list], Value] | None = None) -> Health:
    """Per-layer activations, gradients, saturation, dead units and gradient/data ratios on the batch ``X``.

    ``loss`` maps the list of outputs to one Value (default: their mean). The parameters'
    grads are zeroed first and left holding this pass's gradients.

    >>> from nn import MLP, data
    >>> X, _ = data.make_moons(20, seed=0)
    >>> health = inspect(MLP(2, [8, 8, 1], activation="tanh", seed=0), X)
    >>> [h.name for h in health.layers], 0 <= health.layers[0].saturated <= 1
    (['L1', 'L2', 'L3'], True)
    """
    if not isinstance(model, MLP):
        raise TypeError(f"inspect takes an nn.MLP, got {type(model).__name__}")
    per_layer: list[list[list[Value]]] = [[] for _ in model.layers]  # layer -> example -> unit outputs
    outputs: list = []  # a Value per example, or a list of them for several outputs
    for x in X:
        out = x
        for k, layer in enumerate(model.layers):
            out = layer(out)
            per_layer[k].append(out)
        outputs.append(out[0] if len(out) == 1 else out)
    total = loss(outputs) if loss is not None else Value.sum(outputs) * (1.0 / len(outputs))
    model.zero_grad()
    total.backward()
    return Health([_layer_health(parameter_labels.layer(k + 1), layer, per_layer[k]) for k, layer in enumerate(model.layers)])


def _layer_health(name: str, layer, examples: list[list[Value]]) -> LayerHealth:
    activation = layer.neurons[0].activation or "linear"
    values = [v.data for units in examples for v in units]
    grads = [v.grad for units in examples for v in units]
    saturated = dead = 0.0
    if activation == "tanh":
        saturated = sum(abs(v) > SATURATED for v in values) / len(values)
    elif activation == "sigmoid":
        saturated = sum(v < 1 - SATURATED or v > SATURATED for v in values) / len(values)
    elif activation == "relu":
        width = len(examples[0])
        dead = sum(all(units[j].data == 0.0 for units in examples) for j in range(width)) / width
    weights = [w for n in layer.neurons for w in n.w]
    spread = statistics.pstdev([w.data for w in weights])
    ratio = statistics.pstdev([w.grad for w in weights]) / spread if spread else math.inf
    return LayerHealth(name, activation, values, grads, saturated, dead, ratio)


def update_ratios(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """Per layer, std(update) / std(weights) for one step, from two ``state_dict()`` snapshots.

    >>> from nn import MLP
    >>> model = MLP(2, [4, 1], seed=0); before = model.state_dict()
    >>> for p in model.parameters(): p.data *= 1.001
    >>> {k: round(v, 4) for k, v in update_ratios(before, model.state_dict()).items()}
    {'L1': 0.001, 'L2': 0.001}
    """
    layers: dict[str, tuple[list[float], list[float]]] = {}
    for name, value in after.items():
        if ".w." not in name:
            continue
        layer = parameter_labels.layer(int(name.split('.')[1]) + 1)
        old, new = layers.setdefault(layer, ([], []))
        old.append(before[name])
        new.append(value - before[name])
    return {layer: statistics.pstdev(delta) / statistics.pstdev(old) if statistics.pstdev(old) else math.inf
            for layer, (old, delta) in layers.items()}
