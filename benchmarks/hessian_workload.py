"""A 10x10 Hessian of a small network's loss, here and in PyTorch scalars, for the benchmark.

MLP(1, [3, 1]) with tanh (10 parameters) and its mse loss on 20 points. Each ``make_*``
builds the model once and returns a function that computes the whole Hessian (a list of
rows), so the timings cover exactly that: the first derivatives as a graph, then one
reverse pass per parameter.
"""

from __future__ import annotations

from collections.abc import Callable

from autograd import hessian
from nn import MLP, losses

POINTS = [(-1.0 + 2.0 * k / 19, (k % 5) / 5.0 - 0.4) for k in range(20)]


def model() -> MLP:
    return MLP(1, [3, 1], activation="tanh", seed=7)


def make_chainrule() -> Callable[[], list[list[float]]]:
    net = model()
    parameters = net.parameters()

    def run() -> list[list[float]]:
        loss = losses.mse([net([x]) for x, _ in POINTS], [y for _, y in POINTS])
        return hessian(loss, parameters)

    return run


def make_pytorch() -> Callable[[], list[list[float]]]:
    """The same network with one 0-d float64 tensor per weight, differentiated twice by torch.autograd.grad."""
    import torch

    net = model()
    first, last = net.layers
    w1 = [torch.tensor(n.w[0].data, dtype=torch.float64, requires_grad=True) for n in first.neurons]
    b1 = [torch.tensor(n.b.data, dtype=torch.float64, requires_grad=True) for n in first.neurons]
    w2 = [torch.tensor(w.data, dtype=torch.float64, requires_grad=True) for w in last.neurons[0].w]
    b2 = torch.tensor(last.neurons[0].b.data, dtype=torch.float64, requires_grad=True)
    # in the order of net.parameters(): each neuron's weights, then its bias
    parameters = [p for pair in zip(w1, b1) for p in pair] + [*w2, b2]

    def run() -> list[list[float]]:
        loss = 0.0
        for x, y in POINTS:
            out = sum(w * torch.tanh(a * x + b) for w, a, b in zip(w2, w1, b1)) + b2
            loss = loss + (out - y) ** 2
        loss = loss / len(POINTS)
        grads = torch.autograd.grad(loss, parameters, create_graph=True)
        return [[0.0 if h is None else h.item()
                 for h in torch.autograd.grad(g, parameters, retain_graph=True, allow_unused=True)] for g in grads]

    return run


ENGINES = {"chainrule": make_chainrule, "pytorch": make_pytorch}
