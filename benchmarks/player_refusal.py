"""How long write_player takes to refuse a graph too big to step through (issue 22 item 9).

The workload: the hinge loss of MLP(2, [16, 16, 1]) over 100 moons points, 7,139 value nodes,
far past the player's 1,500. It is refused with a GraphTooLargeError that suggests
collapse=/sample=; before the count came first, the player named every node, ran its backward
steps and generated their code (2 to 12 s here) before draw() refused. Prints the median of
five refusals, and the time of the collapsed player that the message suggests (one run).
Run: .venv/bin/python benchmarks/player_refusal.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograd import write_player  # noqa: E402
from autograd.engine.graph import topological_order  # noqa: E402
from autograd.show.drawing import GraphTooLargeError  # noqa: E402
from nn import MLP, data, losses  # noqa: E402


def main() -> None:
    """Time the refusal five times and the suggested collapsed player once."""
    points, labels = data.make_moons(100, noise=0.1, seed=1)
    model = MLP(2, [16, 16, 1], seed=1337)
    loss = losses.hinge([model(x) for x in points], [2 * t - 1 for t in labels])
    folder = Path(tempfile.mkdtemp())
    times = []
    for _ in range(5):
        started = time.perf_counter()
        try:
            write_player(loss, folder / "all.html")
        except GraphTooLargeError as refused:
            message = str(refused)
        times.append(time.perf_counter() - started)
    print(f"{len(topological_order(loss))} nodes: refused in {statistics.median(times) * 1000:.1f} ms (median of 5)")
    print(f"  {message}")
    started = time.perf_counter()
    write_player(loss, folder / "net.html", collapse="neuron", sample=3)
    print(f"the suggested collapse='neuron', sample=3 player: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
