"""What watching training costs: the moons notebook's fit, epoch time with and without a live view.

The workload is demos/train_moons.ipynb's: MLP(2, [16, 16, 1]) on 100 moons points, hinge
loss + 1e-4 L2, SGD with a linear schedule, 60 epochs, full batch. Three runs of fit each:
plain, ``live=True`` (the matplotlib plot, as a notebook's display receives it: a PNG each
redraw) and ``widget=`` (the notebook widget's state built and set each redraw; no browser
is attached, so this is the kernel's side of the cost: the page lays the graph out). Prints the median epoch time of
each, and the time the redraws themselves took (each timed as it ran) as a share of the
plain epoch: on a busy machine the wall times of whole runs differ by more than that. Run: .venv/bin/python benchmarks/live_cost.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nn import MLP, data, fit, live  # noqa: E402
from nn.optim import SGD, LinearLR  # noqa: E402

EPOCHS = 60
RUNS = 3
# issue 22 item 7: the live plot costs at most a tenth of training time; the widget, which ends
# on the player of a sample (costly to build), keeps to a fifth (nn.training.WIDGET_SHARE)
LIMIT = {"live": 0.10, "widget": 0.20}


class _Handle:
    def update(self, image: Any) -> None:
        self.last = image


def _display(image: Any, display_id: bool = False) -> _Handle:
    return _Handle()


def one_fit(**watch: Any) -> tuple[float, int, float]:
    """Seconds of one notebook fit, how many redraws it made and the seconds they took."""
    X, y = data.make_moons(100, noise=0.1, seed=1)
    model = MLP(2, [16, 16, 1], seed=1337)
    sgd = SGD(model.parameters(), lr=1.0)
    made = []
    real = live.Throttle

    def counting(*args: Any, **kwargs: Any) -> live.Throttle:
        made.append(real(*args, **kwargs))
        return made[-1]

    live.Throttle = counting  # type: ignore[misc]
    try:
        start = time.perf_counter()
        fit(model, X, y, loss="hinge", optimizer=sgd, epochs=EPOCHS, l2=1e-4,
            schedule=LinearLR(sgd, 1.0, 0.1, EPOCHS), progress=False, **watch)
        return time.perf_counter() - start, sum(t.redraws for t in made), sum(t.spent for t in made)
    finally:
        live.Throttle = real  # type: ignore[misc]


def measure() -> dict[str, dict[str, float]]:
    """Median seconds per epoch, redraws per fit and seconds spent redrawing, for each way of watching.

    The ways take turns, run after run, so a machine that slows down slows each alike.
    """
    live.notebook_display = lambda: _display  # as in a Jupyter kernel
    ways: dict[str, dict[str, Any]] = {"plain": {}, "live": {"live": True}}
    try:
        import anywidget  # noqa: F401

        ways["widget"] = {"widget": None}
    except ImportError as missing:
        print(f"widget: not measured ({missing}; pip install -e '.[notebooks]')")
    runs: dict[str, list[tuple[float, int, float]]] = {name: [] for name in ways}
    for _ in range(RUNS):
        for name, watch in ways.items():
            if name == "widget":
                import autograd

                watch = {"widget": autograd.widget()}  # filled by fit
            runs[name].append(one_fit(**watch))
    return {name: {"epoch_s": statistics.median(r[0] for r in rows) / EPOCHS,
                   "redraws": statistics.median(r[1] for r in rows),
                   "redraw_s": statistics.median(r[2] for r in rows) / EPOCHS} for name, rows in runs.items()}


def main() -> None:
    results = measure()
    plain = results["plain"]["epoch_s"]
    print(f"moons notebook fit, {EPOCHS} epochs, median of {RUNS} runs")
    print(f"{'watching':<10}{'epoch (ms)':>12}{'redraws':>9}{'redrawing (ms/epoch)':>22}{'its share':>11}")
    for name, row in results.items():
        share = row["redraw_s"] / plain
        verdict = "" if name == "plain" else ("  ok" if share <= LIMIT[name] else f"  over {LIMIT[name]:.0%}")
        print(f"{name:<10}{row['epoch_s'] * 1000:>12.1f}{row['redraws']:>9g}{row['redraw_s'] * 1000:>22.2f}"
              f"{share:>11.1%}{verdict}")
    print("its share: the time the redraws took (timed by the throttle) over the plain epoch's time")


if __name__ == "__main__":
    main()
