"""SGD, momentum, RMSprop and Adam train the same model on the same moons; one plot of their losses.

Writes out/optimizers.png. Run: python demos/optimizers.py [--quick]
"""

from __future__ import annotations

import time
from pathlib import Path

from _common import arguments, plot_curves, plt, save

from nn import MLP, accuracy, data, fit
from nn.optim import SGD, Adam, RMSprop

OPTIMIZERS = {
    "SGD (lr 0.1)": lambda p: SGD(p, lr=0.1),
    "SGD + momentum 0.9 (lr 0.1)": lambda p: SGD(p, lr=0.1, momentum=0.9),
    "RMSprop (lr 0.01)": lambda p: RMSprop(p, lr=0.01),
    "Adam (lr 0.02)": lambda p: Adam(p, lr=0.02),
}


def main(out: Path, epochs: int = 80) -> dict:
    X, y = data.make_moons(100, noise=0.1, seed=1)
    results, curves = {}, {}
    for name, make in OPTIMIZERS.items():
        model = MLP(2, [16, 16, 1], seed=1337)  # the same start for every optimizer
        start = time.perf_counter()
        history = fit(model, X, y, loss="hinge", optimizer=make(model.parameters()), epochs=epochs, l2=1e-4,
                      progress=False)
        results[name] = {"loss": history.loss[-1], "accuracy": accuracy(model, X, y),
                         "seconds": time.perf_counter() - start}
        print(f"{name:28} final loss {history.loss[-1]:.4f}  accuracy {results[name]['accuracy']:.0%}"
              f"  ({results[name]['seconds']:.1f} s)")
        curves[name] = history.loss
    figure, ax = plt.subplots(figsize=(7, 4.2))
    plot_curves(ax, curves, "epoch (full batch)", "hinge loss + 1e-4 L2",
                "MLP(2, [16, 16, 1]) on the moons: four optimizers, one start", log=True)
    print(f"wrote {save(figure, out, 'optimizers.png')}")
    return results


if __name__ == "__main__":
    args = arguments(__doc__.splitlines()[0])
    main(args.out, epochs=10 if args.quick else 80)
