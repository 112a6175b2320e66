"""micrograd's demo training step, written four ways for the benchmark.

MLP(2, [16, 16, 1]) (relu hidden layers, linear output) on 100 moons points; loss = mean
hinge relu(1 - y * score) + 1e-4 * sum(p ** 2); forward, backward, one SGD update. Each
``make_*`` builds the model and data once and returns a function that runs one step and
returns the loss, so the timings cover exactly the step.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from nn import MLP, data, losses
from nn.optim import SGD

SIZES = [16, 16, 1]
ALPHA = 1e-4
LEARNING_RATE = 0.1


def moons() -> tuple[list[list[float]], list[int]]:
    X, y = data.make_moons(100, noise=0.1, seed=1)
    return X, [2 * t - 1 for t in y]


def make_chainrule() -> Callable[[], float]:
    X, y = moons()
    model = MLP(2, SIZES, seed=1337)
    parameters = model.parameters()
    optimizer = SGD(parameters, lr=LEARNING_RATE)

    def step() -> float:
        loss = losses.hinge([model(x) for x in X], y) + ALPHA * losses.l2(parameters)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.data

    return step


def make_compiled() -> Callable[[], float]:
    """chainrule's step from generated code: one sample's loss compiled once, called once per sample.

    The caller sums the gradients and adds the L2 term's 2 * alpha * p; the step function's
    ``compile_s`` is how long writing and compiling the code took (both labels).
    """
    import time

    from nn.compiled import CompiledLoss

    X, y = moons()
    model = MLP(2, SIZES, seed=1337)
    parameters = model.parameters()
    start = time.perf_counter()
    compiled = CompiledLoss(model, losses.hinge, "hinge", nin=2)
    for label in sorted(set(y)):
        compiled.value_and_grads(X[y.index(label)], label)
    compile_s = time.perf_counter() - start

    def step() -> float:
        value, grads = compiled.batch(X, y)
        total = value + ALPHA * sum(p.data * p.data for p in parameters)
        for p, g in zip(parameters, grads):
            p.data -= LEARNING_RATE * (g + 2 * ALPHA * p.data)
        return total

    step.compile_s = compile_s  # type: ignore[attr-defined]
    return step


def make_micrograd() -> Callable[[], float]:
    """micrograd 0.1.0's own MLP and loss, as in its demo notebook."""
    from micrograd.engine import Value as MValue
    from micrograd.nn import MLP as MMLP

    X, y = moons()
    random.seed(1337)
    model = MMLP(2, SIZES)

    def step() -> float:
        inputs = [list(map(MValue, row)) for row in X]
        scores = list(map(model, inputs))
        hinge = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        data_loss = sum(hinge) * (1.0 / len(hinge))
        loss = data_loss + ALPHA * sum(p * p for p in model.parameters())
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= LEARNING_RATE * p.grad
        return loss.data

    return step


def make_pytorch() -> Callable[[], float]:
    """One 0-d float64 tensor per scalar: the scalar-graph equivalent in PyTorch."""
    import torch

    X, y = moons()
    rng = random.Random(1337)
    widths = [2, *SIZES]
    layers = [
        [([torch.tensor(rng.uniform(-1, 1), dtype=torch.float64, requires_grad=True) for _ in range(widths[i])],
          torch.tensor(0.0, dtype=torch.float64, requires_grad=True)) for _ in range(widths[i + 1])]
        for i in range(len(SIZES))
    ]
    parameters = [p for layer in layers for w, b in layer for p in (*w, b)]
    rows = [[torch.tensor(v, dtype=torch.float64) for v in row] for row in X]

    def forward(x):
        for k, layer in enumerate(layers):
            sums = [sum((wi * xi for wi, xi in zip(w, x)), b) for w, b in layer]
            x = [torch.relu(s) for s in sums] if k < len(layers) - 1 else sums
        return x[0]

    def step() -> float:
        hinge = [torch.relu(1 - yi * forward(x)) for x, yi in zip(rows, y)]
        loss = sum(hinge) * (1.0 / len(hinge)) + ALPHA * sum(p * p for p in parameters)
        for p in parameters:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in parameters:
                p -= LEARNING_RATE * p.grad
        return loss.item()

    return step


def make_floor() -> Callable[[], float]:
    """The same step by hand over plain floats: no graph at all, the floor for pure Python."""
    X, y = moons()
    rng = random.Random(1337)
    widths = [2, *SIZES]
    weights = [[[rng.uniform(-1, 1) for _ in range(widths[i])] for _ in range(widths[i + 1])]
               for i in range(len(SIZES))]
    biases = [[0.0] * widths[i + 1] for i in range(len(SIZES))]
    last = len(SIZES) - 1

    def step() -> float:
        grad_w = [[[0.0] * len(row) for row in layer] for layer in weights]
        grad_b = [[0.0] * len(layer) for layer in biases]
        scale = 1.0 / len(X)
        total = 0.0
        for x, label in zip(X, y):
            activations = [x]
            for k, (W, B) in enumerate(zip(weights, biases)):
                sums = [sum(w * a for w, a in zip(row, activations[-1])) + b for row, b in zip(W, B)]
                activations.append(sums if k == last else [s if s > 0 else 0.0 for s in sums])
            margin = 1 - label * activations[-1][0]
            if margin <= 0:
                continue
            total += margin * scale
            upstream = [-label * scale]
            for k in range(last, -1, -1):
                below, W = activations[k], weights[k]
                if k < last:
                    upstream = [u if a > 0 else 0.0 for u, a in zip(upstream, activations[k + 1])]
                for j, u in enumerate(upstream):
                    if u:
                        row = grad_w[k][j]
                        for i, a in enumerate(below):
                            row[i] += u * a
                        grad_b[k][j] += u
                if k:
                    upstream = [sum(W[j][i] * upstream[j] for j in range(len(W))) for i in range(len(below))]
        regularisation = 0.0
        for k in range(len(weights)):
            for j, row in enumerate(weights[k]):
                for i, w in enumerate(row):
                    regularisation += w * w
                    row[i] = w - LEARNING_RATE * (grad_w[k][j][i] + 2 * ALPHA * w)
                b = biases[k][j]
                regularisation += b * b
                biases[k][j] = b - LEARNING_RATE * (grad_b[k][j] + 2 * ALPHA * b)
        return total + ALPHA * regularisation

    return step


ENGINES = {"chainrule": make_chainrule, "compiled": make_compiled, "micrograd": make_micrograd, "pytorch": make_pytorch,
           "floor": make_floor}
