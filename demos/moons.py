"""micrograd's demo, here: MLP(2, [16, 16, 1]) learns the two moons with hinge loss and SGD.

100 full-batch steps on 100 points (noise 0.1), hinge loss + 1e-4 L2, learning rate
1.0 - 0.9 k/100. Writes out/moons_boundary.png and out/moons_loss.png, and
out/moons_network.html: the trained network's loss as one box per neuron along the path of
a point inside the margin; click a neuron to step through the chain rule inside it.
Run: python demos/moons.py [--quick]
"""

from __future__ import annotations

import time
from pathlib import Path

from _common import arguments, have_graphviz, plt, save

from autograd import no_grad, topological_order, write_player
from nn import MLP, accuracy, data, fit, losses
from nn.optim import SGD, LinearLR


def main(out: Path, steps: int = 100) -> dict:
    X, y = data.make_moons(100, noise=0.1, seed=1)
    model = MLP(2, [16, 16, 1], seed=1337)
    optimizer = SGD(model.parameters(), lr=1.0)
    start = time.perf_counter()
    history = fit(model, X, y, loss="hinge", optimizer=optimizer, epochs=steps, l2=1e-4,
                  schedule=LinearLR(optimizer, 1.0, 0.1, 100))
    seconds = time.perf_counter() - start
    result = {"accuracy": accuracy(model, X, y), "loss": history.loss[-1], "seconds": seconds, "steps": steps}
    print(f"{model}")
    print(f"{steps} steps in {seconds:.1f} s ({1000 * seconds / steps:.0f} ms a step): "
          f"final loss {result['loss']:.4f}, training accuracy {result['accuracy']:.0%}")

    figure, ax = plt.subplots(figsize=(6, 5))
    grid = 70
    xs = [-1.6 + 4.2 * i / (grid - 1) for i in range(grid)]
    ys = [-1.2 + 2.9 * j / (grid - 1) for j in range(grid)]
    with no_grad():
        scores = [[model([a, b]).data for a in xs] for b in ys]
    ax.contourf(xs, ys, scores, levels=[-1e9, 0, 1e9], colors=["#a5d8ff", "#ffc9c9"], alpha=0.8)
    ax.contour(xs, ys, scores, levels=[0], colors="#495057", linewidths=1)
    for label, colour in ((0, "#1c7ed6"), (1, "#e03131")):
        points = [p for p, t in zip(X, y) if t == label]
        ax.scatter([p[0] for p in points], [p[1] for p in points], c=colour, s=22, edgecolors="white",
                   linewidths=0.6, label=f"class {label}")
    ax.set_title(f"MLP(2, [16, 16, 1]) after {steps} steps: {result['accuracy']:.0%} correct")
    ax.legend(loc="upper right")
    print(f"wrote {save(figure, out, 'moons_boundary.png')}")

    figure, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(range(1, len(history.loss) + 1), history.loss, color="#1c7ed6", label="hinge + L2 loss")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.set_yscale("log")
    twin = ax.twinx()
    twin.plot(range(1, len(history.accuracy) + 1), history.accuracy, color="#e8590c", label="training accuracy")
    twin.set_ylabel("accuracy")
    twin.set_ylim(0, 1.05)
    ax.set_title("the moons: loss and accuracy per step")
    figure.legend(loc="center right", bbox_to_anchor=(0.85, 0.5))
    print(f"wrote {save(figure, out, 'moons_loss.png')}")

    if have_graphviz("the network player"):
        labels = [2 * t - 1 for t in y]
        outputs = [model(x) for x in X]
        loss = losses.hinge(outputs, labels)
        # A point inside the margin: hinge sends it a gradient (past the margin every gradient is 0).
        point = next((k for k, (o, t) in enumerate(zip(outputs, labels)) if t * o.data < 1), 0)
        page = write_player(loss, out / "moons_network.html", collapse="neuron", sample=point)
        print(f"wrote {page}: the loss over {len(X)} points ({len(topological_order(loss)):,} nodes) as one box "
              f"per neuron along point {point}'s path; click a neuron to step through it")
    return result


if __name__ == "__main__":
    args = arguments(__doc__.splitlines()[0])
    main(args.out, steps=20 if args.quick else 100)
