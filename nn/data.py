"""Toy data sets in pure Python (lists, like scikit-learn's X and y), batching and splits."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence

from autograd import check_int, check_real, check_sequence

Dataset = tuple[list[list[float]], list[int]]


def _check(n: int, noise: float) -> None:
    check_int(n, "n", 2)
    check_real(noise, "noise", 0, 1e6)


def _check_rows(X: Sequence, y: Sequence) -> None:
    """X and y: lists (or arrays) of as many rows as labels."""
    check_sequence(X, "X", "rows (each a list of numbers)")
    check_sequence(y, "y", "labels")
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)} labels")


def _finish(points: list[tuple[float, float]], labels: list[int], noise: float, rng: random.Random) -> Dataset:
    X = [[x + rng.gauss(0, noise), y + rng.gauss(0, noise)] for x, y in points]
    order = list(range(len(X)))
    rng.shuffle(order)
    return [X[i] for i in order], [labels[i] for i in order]


def make_moons(n: int = 100, noise: float = 0.1, seed: int | None = None) -> Dataset:
    """Two interleaving half circles, labels 0 (upper) and 1 (lower).

    >>> X, y = make_moons(10, seed=0)
    >>> len(X), sorted(set(y)), len(X[0])
    (10, [0, 1], 2)
    """
    _check(n, noise)
    rng = random.Random(seed)
    n_upper = n // 2
    n_lower = n - n_upper
    upper = [(math.cos(t), math.sin(t)) for t in _linspace(0, math.pi, n_upper)]
    lower = [(1 - math.cos(t), 0.5 - math.sin(t)) for t in _linspace(0, math.pi, n_lower)]
    return _finish(upper + lower, [0] * n_upper + [1] * n_lower, noise, rng)


def make_circles(n: int = 100, noise: float = 0.05, factor: float = 0.5, seed: int | None = None) -> Dataset:
    """A small circle (label 1) inside a large one (label 0); ``factor`` is their radius ratio."""
    _check(n, noise)
    check_real(factor, "factor", above=0, below=1)
    rng = random.Random(seed)
    n_outer = n // 2
    n_inner = n - n_outer
    ring = lambda k, r: [(r * math.cos(t), r * math.sin(t)) for t in _linspace(0, 2 * math.pi, k, endpoint=False)]
    return _finish(ring(n_outer, 1.0) + ring(n_inner, factor), [0] * n_outer + [1] * n_inner, noise, rng)


def make_xor(n: int = 100, noise: float = 0.0, seed: int | None = None) -> Dataset:
    """Points in [-1, 1]^2 labelled 1 where x and y have different signs (not linearly separable)."""
    _check(n, noise)
    rng = random.Random(seed)
    points = [(rng.uniform(-1, 1), rng.uniform(-1, 1)) for _ in range(n)]
    return _finish(points, [int((x > 0) != (y > 0)) for x, y in points], noise, rng)


def make_spirals(n: int = 150, classes: int = 3, noise: float = 0.2, seed: int | None = None) -> Dataset:
    """``classes`` interleaved spiral arms, labels 0..classes-1 (CS231n's toy problem)."""
    _check(n, noise)
    check_int(classes, "classes", 2)
    rng = random.Random(seed)
    points, labels = [], []
    for c in range(classes):
        k = n // classes + (c < n % classes)
        for i, r in enumerate(_linspace(0.0, 1.0, k)):
            t = c * 4.0 + 4.0 * i / max(k - 1, 1) + rng.gauss(0, noise)
            points.append((r * math.sin(t), r * math.cos(t)))
            labels.append(c)
    return _finish(points, labels, 0.0, rng)


def _linspace(start: float, stop: float, k: int, endpoint: bool = True) -> list[float]:
    steps = (k - 1 if endpoint else k) or 1
    return [start + (stop - start) * i / steps for i in range(k)]


def batches(X: Sequence, y: Sequence, batch_size: int, shuffle: bool = True,
            seed: int | random.Random | None = None) -> Iterator[tuple[list, list]]:
    """Mini-batches (X_batch, y_batch); the last may be smaller.

    >>> [len(bx) for bx, _ in batches(list(range(5)), list(range(5)), 2, shuffle=False)]
    [2, 2, 1]
    """
    _check_rows(X, y)
    check_int(batch_size, "batch_size", 1)
    order = list(range(len(X)))
    if shuffle:
        (seed if isinstance(seed, random.Random) else random.Random(seed)).shuffle(order)
    for start in range(0, len(order), batch_size):
        chosen = order[start:start + batch_size]
        yield [X[i] for i in chosen], [y[i] for i in chosen]


def train_test_split(X: Sequence, y: Sequence, test_fraction: float = 0.25,
                     seed: int | None = None) -> tuple[list, list, list, list]:
    """Shuffle and split into X_train, X_test, y_train, y_test (scikit-learn's order).

    >>> X_train, X_test, y_train, y_test = train_test_split(list(range(8)), [0] * 8, 0.25, seed=0)
    >>> len(X_train), len(X_test)
    (6, 2)
    """
    _check_rows(X, y)
    check_real(test_fraction, "test_fraction", above=0, below=1)
    order = list(range(len(X)))
    random.Random(seed).shuffle(order)
    n_test = max(1, round(len(X) * test_fraction))
    test, train = order[:n_test], order[n_test:]
    return [X[i] for i in train], [X[i] for i in test], [y[i] for i in train], [y[i] for i in test]
