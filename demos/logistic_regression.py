"""Logistic regression: sigmoid + binary cross-entropy, trained by gradient descent.

Checks, at every step, that the engine's gradient equals the closed form
X^T (sigmoid(X theta) - y) / m. Writes out/logistic_regression.png.
Run: python demos/logistic_regression.py [--quick]
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from _common import arguments, plot_curves, plt, save

from autograd import Value
from nn import losses


def blobs(m: int, seed: int = 0) -> tuple[list[list[float]], list[int]]:
    """Two overlapping Gaussian clouds in 2-D, labels 0 and 1."""
    rng = random.Random(seed)
    X, y = [], []
    for i in range(m):
        label = i % 2
        centre = (1.0, 1.0) if label else (-1.0, -0.5)
        X.append([rng.gauss(centre[0], 0.9), rng.gauss(centre[1], 0.9)])
        y.append(label)
    return X, y


def closed_form_gradient(X: list[list[float]], y: list[int], theta: list[float]) -> list[float]:
    """X^T (sigmoid(X theta) - y) / m, with a column of ones for the bias."""
    m = len(X)
    rows = [[1.0, *x] for x in X]
    residual = [1 / (1 + math.exp(-sum(t * r for t, r in zip(theta, row)))) - label for row, label in zip(rows, y)]
    return [sum(row[j] * e for row, e in zip(rows, residual)) / m for j in range(len(theta))]


def main(out: Path, steps: int = 200) -> dict:
    X, y = blobs(200)
    theta = [Value(0.0, "b"), Value(0.0, "w1"), Value(0.0, "w2")]
    learning_rate, history, worst = 0.5, [], 0.0
    for _ in range(steps):
        probabilities = [Value.dot(theta, [1.0, *x]).sigmoid() for x in X]
        loss = losses.binary_cross_entropy(probabilities, y)
        for p in theta:
            p.grad = 0.0
        loss.backward()
        expected = closed_form_gradient(X, y, [p.data for p in theta])
        worst = max(worst, *(abs(p.grad - e) for p, e in zip(theta, expected)))
        for p in theta:
            p.data -= learning_rate * p.grad
        history.append(loss.data)
    correct = sum((Value.dot(theta, [1.0, *x]).data > 0) == bool(label) for x, label in zip(X, y))
    result = {"loss": history[-1], "accuracy": correct / len(X), "max_gradient_difference": worst, "steps": steps}
    print(f"theta = {[round(p.data, 4) for p in theta]} after {steps} steps")
    print(f"final loss {result['loss']:.4f}, accuracy {result['accuracy']:.0%}")
    print(f"engine vs closed-form gradient X^T(sigmoid(X theta) - y)/m: largest difference {worst:.2e}")

    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for label, colour in ((0, "#1c7ed6"), (1, "#e03131")):
        left.scatter([x[0] for x, t in zip(X, y) if t == label], [x[1] for x, t in zip(X, y) if t == label],
                     c=colour, s=14, label=f"class {label}")
    b, w1, w2 = (p.data for p in theta)
    xs = [-4.0, 4.0]
    left.plot(xs, [-(b + w1 * x) / w2 for x in xs], color="#212529", label="sigmoid(theta . x) = 0.5")
    left.set_ylim(-4, 4)
    left.legend(loc="upper left")
    left.set_title(f"decision boundary: {result['accuracy']:.0%} correct")
    plot_curves(right, {"loss": history}, "step", "binary cross-entropy",
                f"loss (gradient matches closed form to {worst:.0e})")
    print(f"wrote {save(figure, out, 'logistic_regression.png')}")
    return result


if __name__ == "__main__":
    args = arguments(__doc__.splitlines()[0])
    main(args.out, steps=20 if args.quick else 200)
