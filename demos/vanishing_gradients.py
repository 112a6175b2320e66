"""Vanishing gradients: per-layer gradient norms of a deep sigmoid MLP against a deep relu MLP.

Both have 10 hidden layers of width 16 and see the same batch. We backpropagate the mean
output score (not a loss, whose terms can cancel) and measure each layer's gradient: the
sigmoid's derivative is at most 1/4, so its gradient shrinks layer after layer on the way
down to the inputs; the relu's passes through at full strength where units are active.
Then nn.diagnostics looks inside each kind: the histograms of every layer's activations
and gradients, the saturated tanh/sigmoid units and the dead ReLUs.
Writes out/vanishing_gradients.png and out/activations_and_gradients.png.
Run: python demos/vanishing_gradients.py [--quick]
"""

from __future__ import annotations

from pathlib import Path

from _common import arguments, plt, save

from autograd import Value
from nn import MLP, data, diagnostics, layer_gradient_norms


def gradient_norms(activation: str, X: list, depth: int) -> list[float]:
    model = MLP(2, [16] * depth + [1], activation=activation, seed=0)
    mean_score = Value.sum([model(x) for x in X]) * (1.0 / len(X))
    model.zero_grad()
    mean_score.backward()
    return layer_gradient_norms(model)


def main(out: Path, depth: int = 10, batch: int = 64) -> dict:
    X, _ = data.make_moons(batch, noise=0.1, seed=0)
    norms = {activation: gradient_norms(activation, X, depth) for activation in ("sigmoid", "relu")}
    for activation, values in norms.items():
        print(f"{activation:8} layer 1 .. {len(values)}: " + " ".join(f"{v:.1e}" for v in values))
        print(f"{'':8} layer 1 / last layer: {values[0] / values[-1]:.1e}")

    figure, ax = plt.subplots(figsize=(7, 4.2))
    for (activation, values), colour in zip(norms.items(), ("#e03131", "#1c7ed6")):
        ax.plot(range(1, len(values) + 1), values, marker="o", color=colour, label=f"{activation} MLP")
    ax.set_yscale("log")
    ax.set_xlabel("layer (1 = next to the inputs)")
    ax.set_ylabel("L2 norm of d(mean score)/d(layer weights)")
    ax.set_title(f"{depth} hidden layers of 16 at initialisation, one batch of {batch}")
    ax.legend()
    print(f"wrote {save(figure, out, 'vanishing_gradients.png')}")

    figure = plt.figure(figsize=(13, 8.5))
    for row, activation in zip(figure.subfigures(2, 1), ("tanh", "relu")):
        health = diagnostics.inspect(MLP(2, [16] * 5 + [1], activation=activation, seed=0), X)
        health.plot(row)
        row.suptitle(f"{activation} MLP, 5 hidden layers of 16, at initialisation", fontsize=11)
        print(f"{activation}: saturated " + " ".join(f"{h.saturated:.0%}" for h in health.layers[:-1])
              + " | dead " + " ".join(f"{h.dead:.0%}" for h in health.layers[:-1]))
    print(f"wrote {save(figure, out, 'activations_and_gradients.png')}")
    return {activation: {"first": v[0], "last": v[-1]} for activation, v in norms.items()}


if __name__ == "__main__":
    args = arguments(__doc__.splitlines()[0])
    main(args.out, batch=16 if args.quick else 64)
