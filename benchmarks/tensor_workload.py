"""A 100x16 by 16x16 matmul with its backward: as a Tensor, and as the same sums of scalar Values in a loop.

Each ``make_*`` builds the two matrices once and returns a function that runs the forward pass
(the product, then the sum of its elements as the loss) and ``backward()``, and returns the
gradient of the right matrix, so the three ways can be checked against each other.

- ``tensor``: ``(X @ W).sum()`` with ``autograd.tensor``: one ``dot`` node per output element,
  each tagged with the tensor op's record;
- ``scalar dots``: the same ``Value.dot`` per output element, written as a loop by hand (the
  fairest scalar code: the target compares the tensor against it);
- ``scalar products``: the sums written as ``z = z + x * w``, as a learner's first loop would.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from autograd import Value
from autograd.tensor import Tensor

ROWS, INNER, COLUMNS = 100, 16, 16


def matrices(seed: int = 0) -> tuple[list[list[float]], list[list[float]]]:
    rng = random.Random(seed)
    return ([[rng.uniform(-1, 1) for _ in range(INNER)] for _ in range(ROWS)],
            [[rng.uniform(-1, 1) for _ in range(COLUMNS)] for _ in range(INNER)])


def make_tensor() -> Callable[[], list[list[float]]]:
    x, w = matrices()

    def run() -> list[list[float]]:
        X, W = Tensor(x, "X"), Tensor(w, "W")
        (X @ W).sum().backward()
        return W.grad  # type: ignore[return-value]

    return run


def make_scalar_dots() -> Callable[[], list[list[float]]]:
    x, w = matrices()

    def run() -> list[list[float]]:
        X = [[Value(v) for v in row] for row in x]
        W = [[Value(v) for v in row] for row in w]
        columns = [[W[k][j] for k in range(INNER)] for j in range(COLUMNS)]
        Value.sum([Value.dot(column, row) for row in X for column in columns]).backward()
        return [[v.grad for v in row] for row in W]

    return run


def make_scalar_products() -> Callable[[], list[list[float]]]:
    x, w = matrices()

    def run() -> list[list[float]]:
        X = [[Value(v) for v in row] for row in x]
        W = [[Value(v) for v in row] for row in w]
        total = Value(0.0)
        for row in X:
            for j in range(COLUMNS):
                z = row[0] * W[0][j]
                for k in range(1, INNER):
                    z = z + row[k] * W[k][j]
                total = total + z
        total.backward()
        return [[v.grad for v in row] for row in W]

    return run


ENGINES = {"tensor": make_tensor, "scalar dots": make_scalar_dots, "scalar products": make_scalar_products}
