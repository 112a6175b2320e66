"""From scalars to matrices: the formulas a course writes next, built from the scalar graph and checked by it.

1. Logistic regression in numpy's matrix form: at every step chainrule's gradient of the mean
   binary cross-entropy equals the closed form X^T (sigmoid(X theta) - y) / m computed by numpy.
2. A two-layer network written as Z1 = X W1 + b1, A1 = tanh(Z1), Z2 = A1 W2 + b2: its per-layer
   gradients equal those of nn.MLP with the same weights, and rules() writes each one in matrix
   form (dL/dW1 = X^T · dL/dZ1).
3. The vanishing-gradient picture read from the matrix view: a deep sigmoid network's per-layer
   gradient norms, from rules(), equal nn's layer_gradient_norms.
Writes out/tensor_bridge.png (the norms), out/tensor_view.png (the 2-layer network's loss, one
box per tensor) and out/weight_paths.png (the scalar graph of one weight's paths), Graphviz allowing.
Run: python demos/tensor_bridge.py [--quick]
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from _common import arguments, have_graphviz, plt, save

from autograd import Value, explain, paths, render
from autograd.teach.tensors import element_names, tensor_graph
from autograd.tensor import Tensor, bce, mse, rules
from nn import MLP, data, layer_gradient_norms, losses


def logistic_regression(steps: int, m: int = 200, seed: int = 0) -> float:
    """Gradient descent on numpy data; returns the largest difference from the closed form over all steps."""
    rng = np.random.default_rng(seed)
    y = (np.arange(m) % 2).astype(np.float64)
    X = np.column_stack([np.ones(m), rng.normal(0, 0.9, (m, 2)) + np.where(y[:, None] == 1, 1.0, -0.75)])
    theta = np.zeros(3)
    worst = 0.0
    for _ in range(steps):
        weights = Tensor.from_numpy(theta, "theta")
        loss = bce((Tensor.from_numpy(X, "X") @ weights).sigmoid(), y.tolist())
        loss.backward()
        ours = np.array(weights.grad)
        closed = X.T @ (1.0 / (1.0 + np.exp(-X @ theta)) - y) / m
        worst = max(worst, float(np.max(np.abs(ours - closed))))
        theta = theta - 0.5 * ours
    (record,) = [r for r in rules(loss) if r.name == "theta"]
    print(f"logistic regression, {steps} steps: {record.rule}")
    print(f"  chainrule vs numpy's closed form X^T(sigmoid(X theta) - y)/m: largest difference {worst:.1e}")
    assert worst <= 1e-12, worst
    return worst


def weights_of(model: MLP) -> list[tuple[list[list[float]], list[float]]]:
    """Each layer's weights as a matrix (inputs x neurons) and its biases, copied out of nn's neurons."""
    return [([[n.w[i].data for n in layer.neurons] for i in range(len(layer.neurons[0].w))],
             [n.b.data for n in layer.neurons]) for layer in model.layers]


def two_layer_network(out: Path, batch: int, hidden: int = 4, draw: bool = False) -> float:
    """The same 2-layer tanh network, scalar (nn.MLP) and in matrix form; returns the largest grad difference."""
    X, y = data.make_moons(batch, noise=0.1, seed=1)
    targets = [2.0 * t - 1.0 for t in y]
    model = MLP(2, [hidden, 1], activation="tanh", seed=3)
    losses.mse([model(x) for x in X], targets).backward()

    (w1, c1), (w2, c2) = weights_of(model)
    W1, b1, W2, b2 = Tensor(w1, "W1"), Tensor(c1, "b1"), Tensor(w2, "W2"), Tensor(c2, "b2")
    Z1 = Tensor(X, "X") @ W1 + b1
    Z1.label = "Z1"
    A1 = Z1.tanh()
    A1.label = "A1"
    Z2 = A1 @ W2 + b2
    Z2.label = "Z2"
    loss = mse(Z2, [[t] for t in targets])
    loss.backward()
    worst = 0.0
    for layer, (W, b) in zip(model.layers, ((W1, b1), (W2, b2))):
        for j, neuron in enumerate(layer.neurons):
            worst = max(worst, abs(neuron.b.grad - b.grad[j]),
                        *(abs(w.grad - W.grad[i][j]) for i, w in enumerate(neuron.w)))
    print(f"two-layer network on {batch} points: matrix form vs nn.MLP, largest gradient difference {worst:.1e}")
    for record in rules(loss):
        if record.name in ("W1", "b1", "W2", "b2", "Z1"):
            print(f"  {record.rule}")
    assert worst <= 1e-12, worst
    if not draw:
        return worst
    print(explain(loss, view="tensor", element=("W1", 1, 2)).split("one element, ")[1])
    if have_graphviz("the tensor view and the weight's paths"):
        print(f"wrote {render(loss, out / 'tensor_view.png', view='tensor', dpi=110)}")
        weight = W1.values[0][1]
        found = paths(loss, weight)
        on_paths = {node for path in found for node in path.nodes}
        names = element_names(tensor_graph(loss))  # every element called by its tensor's name: (X @ W1)[1,2]
        print(f"wrote {render(loss, out / 'weight_paths.png', only=on_paths, show_path=found[0], names=names, dpi=110)}"
              f" ({len(found)} paths from W1[1,2] up to L; the first in green)")
    return worst


def deep_sigmoid_norms(batch: int, depth: int = 10) -> tuple[list[float], list[float]]:
    """Per-layer gradient norms of a deep sigmoid MLP's mean score: from rules() and from nn."""
    X, _ = data.make_moons(batch, noise=0.1, seed=0)
    model = MLP(2, [16] * depth + [1], activation="sigmoid", seed=0)
    model.zero_grad()
    (Value.sum([model(x) for x in X]) * (1.0 / len(X))).backward()
    theirs = layer_gradient_norms(model)

    layers = weights_of(model)
    A = Tensor(X, "X")
    names = []
    for k, (w, c) in enumerate(layers, start=1):
        Z = A @ Tensor(w, f"W{k}") + Tensor(c, f"b{k}")
        A = Z.sigmoid() if k < len(layers) else Z
        names.append((f"W{k}", f"b{k}"))
    mean_score = A.mean()
    mean_score.backward()
    found = {r.name: r.value for r in rules(mean_score) if r.name.startswith(("W", "b"))}
    ours = [math.sqrt(sum(v * v for row in found[w] for v in row) + sum(v * v for v in found[b])) for w, b in names]
    worst = max(abs(a - b) / b for a, b in zip(ours, theirs))
    print(f"deep sigmoid MLP, {depth} hidden layers: per-layer ||dL/dW_l||, ||dL/db_l|| read from rules(): "
          + " ".join(f"{v:.1e}" for v in ours))
    print(f"  layer 1 / last layer: {ours[0] / ours[-1]:.1e}; vs nn's layer_gradient_norms, largest relative "
          f"difference {worst:.1e}")
    assert worst <= 1e-9, worst
    return ours, theirs


def main(out: Path, quick: bool = False) -> dict:
    worst_closed_form = logistic_regression(steps=10 if quick else 100)
    worst_network = two_layer_network(out, batch=8 if quick else 64)
    two_layer_network(out, batch=3, hidden=3, draw=True)  # small enough to read every number in both pictures
    ours, theirs = deep_sigmoid_norms(batch=8 if quick else 32)
    figure, ax = plt.subplots(figsize=(7, 4.2))
    ax.plot(range(1, len(ours) + 1), ours, marker="o", color="#e03131", label="from rules(): matrix view")
    ax.plot(range(1, len(theirs) + 1), theirs, linestyle="none", marker="x", color="#212529",
            label="nn.layer_gradient_norms: scalar view")
    ax.set_yscale("log")
    ax.set_xlabel("layer (1 = next to the inputs)")
    ax.set_ylabel("norm of the layer's gradient")
    ax.set_title("a deep sigmoid network's gradients vanish: the same numbers in both views")
    ax.legend()
    print(f"wrote {save(figure, out, 'tensor_bridge.png')}")
    return {"closed_form": worst_closed_form, "network": worst_network, "norms": ours}


if __name__ == "__main__":
    args = arguments(__doc__.splitlines()[0])
    main(args.out, quick=args.quick)
