"""Beyond first derivatives, on the same recorded graph: Newton against gradient descent,
the Hessian of a tiny network's loss, and when forward mode beats reverse mode.

1. On f(x, y) = (1 - x)^2 + 10 (y - x^2)^2 (a curved valley) gradient descent creeps along
   the valley floor; Newton's method, x <- x - H^-1 g with g and H from autograd.grad and
   autograd.hessian, reaches the minimum in a few steps.
2. The 7x7 Hessian of a 1-2-1 tanh network's loss on four points, and its eigenvalues.
3. The multiply-adds of a whole Jacobian in forward and reverse mode (autograd.mode_costs)
   for 8 inputs as the number of outputs grows: they cross where outputs ~ inputs.
Writes out/second_order.png. Run: python demos/second_order.py [--quick]
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from _common import arguments, plt, save

from autograd import Value, grad, hessian, jacobian, jvp, mode_costs
from nn import MLP, losses

START = (-1.5, 2.0)
LEARNING_RATE = 0.01  # about the largest that does not bounce across the valley


def valley(x: Value | float, y: Value | float) -> Value | float:
    return (1 - x) ** 2 + 10 * (y - x**2) ** 2


def gradient_descent(steps: int, lr: float = LEARNING_RATE) -> list[tuple[float, float]]:
    path = [START]
    for _ in range(steps):
        x, y = Value(path[-1][0], "x"), Value(path[-1][1], "y")
        gx, gy = grad(valley(x, y), [x, y])
        path.append((x.data - lr * gx.data, y.data - lr * gy.data))
    return path


def newton(steps: int) -> list[tuple[float, float]]:
    """x <- x - H^-1 g, with H (2x2) inverted by hand; stops once the gradient is ~0."""
    path = [START]
    for _ in range(steps):
        x, y = Value(path[-1][0], "x"), Value(path[-1][1], "y")
        f = valley(x, y)
        gx, gy = (g.data for g in grad(f, [x, y]))
        (a, b), (c, d) = hessian(f, [x, y])
        det = a * d - b * c
        path.append((x.data - (d * gx - b * gy) / det, y.data - (-c * gx + a * gy) / det))
        if abs(gx) + abs(gy) < 1e-12:
            break
    return path


def tiny_network_hessian() -> tuple[list[str], list[list[float]]]:
    model = MLP(1, [2, 1], activation="tanh", seed=3)
    X, Y = [[-1.0], [-0.3], [0.4], [1.0]], [0.5, -0.2, 0.3, -0.6]
    loss = losses.mse([model(x) for x in X], Y)
    names, parameters = zip(*model.named_parameters())
    return list(names), hessian(loss, list(parameters))


def cost_table(n_inputs: int, outputs: list[int]) -> list[dict[str, int]]:
    """A weighted sum of the inputs through a chain of five ops, fanned out to m outputs: its Jacobian's costs."""
    table = []
    for m in outputs:
        xs = [Value(0.1 * (k + 1)) for k in range(n_inputs)]
        trunk = Value.dot(xs, [0.5] * n_inputs).tanh().exp().log1p().sin().sigmoid()
        table.append({"outputs": m, **mode_costs([trunk * (j + 1) for j in range(m)], xs)})
    return table


def both_modes(n_inputs: int = 8, n_outputs: int = 3) -> tuple[list[list[float]], list[list[float]], dict[str, int]]:
    """The whole Jacobian of one recorded graph twice: reverse mode (a pass per output), forward (a pass per input)."""
    xs = [Value(0.1 * (k + 1)) for k in range(n_inputs)]
    trunk = Value.dot(xs, [0.5] * n_inputs).tanh().exp().log1p().sin().sigmoid()
    outputs = [trunk * (j + 1) for j in range(n_outputs)]
    reverse = jacobian(outputs, xs)
    columns = [jvp(outputs, xs, [1.0 if k == i else 0.0 for k in range(n_inputs)]) for i in range(n_inputs)]
    forward = [[columns[i][j] for i in range(n_inputs)] for j in range(n_outputs)]
    return reverse, forward, mode_costs(outputs, xs)


def main(out: Path, quick: bool = False) -> dict:
    descent, jumps = gradient_descent(200 if quick else 1000), newton(30)
    names, H = tiny_network_hessian()
    n_inputs, outputs = 8, list(range(1, 25))  # jvp walks the whole graph per input: they cross near 17
    costs = cost_table(n_inputs, outputs)

    figure, axes = plt.subplots(1, 3, figsize=(18, 5.6))
    ax = axes[0]
    xs, ys = np.meshgrid(np.linspace(-2, 2, 300), np.linspace(-1, 3, 300))
    contours = ax.contour(xs, ys, valley(xs, ys), levels=np.logspace(-2, 2.5, 10), colors="0.6", linewidths=1.0)
    ax.clabel(contours, contours.levels[::2], fontsize=9, fmt="%.2g")
    for path, label, style in ((descent, f"gradient descent ({len(descent) - 1} steps, lr {LEARNING_RATE})", "o-"),
                               (jumps, f"Newton ({len(jumps) - 1} steps)", "s-")):
        ax.plot(*zip(*path), style, label=label, markersize=3 if "descent" in label else 6, linewidth=1.4)
    ax.plot([1], [1], "*", color="crimson", markersize=16, label="minimum (1, 1)")
    ax.set(xlabel="x", ylabel="y", title="f = (1 - x)² + 10 (y - x²)²: two ways down")
    ax.legend(loc="lower right", fontsize=9)

    ax = axes[1]
    image = ax.imshow(H, cmap="RdBu_r", vmin=-max(map(abs, np.ravel(H))), vmax=max(map(abs, np.ravel(H))))
    short = [name.replace("layers.", "L").replace("neurons.", "n").replace(".w.", ".w") for name in names]
    ax.set_xticks(range(len(names)), short, rotation=60, fontsize=8)
    ax.set_yticks(range(len(names)), short, fontsize=8)
    ax.set(xlabel="parameter", ylabel="parameter", title="Hessian of a 1-2-1 tanh net's mse loss")
    figure.colorbar(image, ax=ax, label="d²loss / dp_i dp_j", shrink=0.8)
    for i, row in enumerate(H):
        for j, value in enumerate(row):
            ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=7,
                    color="white" if abs(value) > 1.0 else "black")

    ax = axes[2]
    ax.plot(outputs, [c["forward"] for c in costs], "o-", label=f"forward mode: one pass per input ({n_inputs})")
    ax.plot(outputs, [c["reverse"] for c in costs], "s-", label="reverse mode: one pass per output")
    ax.axvline(n_inputs, color="grey", linestyle=":", label=f"outputs = inputs = {n_inputs}")
    ax.set(xlabel="number of outputs", ylabel="multiply-adds for the whole Jacobian",
           title=f"{n_inputs} inputs: which mode is cheaper")
    ax.legend(fontsize=9)
    path = save(figure, out, "second_order.png")

    eigenvalues = np.linalg.eigvalsh(np.array(H))
    print(f"gradient descent: {len(descent) - 1} steps end at ({descent[-1][0]:.4f}, {descent[-1][1]:.4f}), "
          f"f = {valley(*descent[-1]):.2e}")
    print(f"Newton: {len(jumps) - 1} steps end at ({jumps[-1][0]:.4f}, {jumps[-1][1]:.4f}), f = {valley(*jumps[-1]):.2e}")
    print("Hessian of the tiny network's loss (rows and columns: " + ", ".join(names) + ")")
    for name, row in zip(names, H):
        print(f"  {name:<22}" + " ".join(f"{v:8.4f}" for v in row))
    print("eigenvalues: " + ", ".join(f"{e:.4f}" for e in eigenvalues)
          + ("  (all positive: a local minimum's bowl)" if min(eigenvalues) > 0 else "  (mixed signs: a saddle)"))
    print(f"forward versus reverse, {n_inputs} inputs:")
    print("  outputs  forward  reverse  cheaper")
    for c in costs:
        cheaper = "forward" if c["forward"] < c["reverse"] else "reverse" if c["reverse"] < c["forward"] else "same"
        print(f"  {c['outputs']:>7}  {c['forward']:>7}  {c['reverse']:>7}  {cheaper}")
    reverse, forward, cost = both_modes()
    gap = max(abs(a - b) for row_r, row_f in zip(reverse, forward) for a, b in zip(row_r, row_f))
    print(f"the same 3x8 Jacobian both ways on one graph: largest difference {gap:.1e}; "
          f"reverse {cost['reverse']} multiply-adds (3 passes), forward {cost['forward']} (8 passes)")
    print(f"wrote {path}")
    return {"descent": descent, "newton": jumps, "hessian": H, "costs": costs}


if __name__ == "__main__":
    args = arguments(__doc__.splitlines()[0])
    main(args.out, args.quick)
