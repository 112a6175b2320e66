"""Tensors of Values against PyTorch float64 on seeded random shapes: every op's values and gradients,
broadcasting, reductions, the three losses, and the closed form of logistic regression."""

from __future__ import annotations

import math
import os
import random

import pytest

from autograd.engine.ops import TABLE
from autograd.tensor import Tensor, bce, mse, rules, softmax_cross_entropy

if os.environ.get("CI") == "true":
    import torch  # CI installs the parity extra: a missing torch there is a failure, not a skip
else:
    torch = pytest.importorskip("torch")
F = torch.nn.functional

SEEDS = range(8)


def grid(rng: random.Random, shape: tuple[int, ...], lo: float = -2.0, hi: float = 2.0):
    if len(shape) == 1:
        return [rng.uniform(lo, hi) for _ in range(shape[0])]
    return [[rng.uniform(lo, hi) for _ in range(shape[1])] for _ in range(shape[0])]


def pair(data, label: str = ""):
    """The same numbers as our Tensor and as a float64 torch leaf."""
    return Tensor(data, label), torch.tensor(data, dtype=torch.float64, requires_grad=True)


def assert_close(ours, theirs, rel: float = 1e-9, abs_tol: float = 1e-12) -> None:
    theirs = theirs.tolist() if hasattr(theirs, "tolist") else theirs
    if isinstance(ours, list):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            assert_close(a, b, rel, abs_tol)
        return
    assert math.isclose(ours, theirs, rel_tol=rel, abs_tol=abs_tol), (ours, theirs)


def weighted_sum(ours, theirs, rng: random.Random):
    """Reduce both outputs with the same random weights, so every output element's gradient matters."""
    weights = grid(rng, ours.shape)
    return (ours * Tensor(weights)).sum(), (theirs * torch.tensor(weights, dtype=torch.float64)).sum()


def check(leaves, ours_out, theirs_out, rng):
    assert_close(ours_out.data, theirs_out)
    ours_loss, theirs_loss = weighted_sum(ours_out, theirs_out, rng)
    ours_loss.backward()
    theirs_loss.backward()
    for ours, theirs in leaves:
        assert_close(ours.grad, theirs.grad)
    for record in rules(ours_loss):  # the matrix form of every gradient equals the scalar engine's
        assert_close(record.value, record.tensor.grad)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shapes", [((3, 4), (4, 2)), ((1, 5), (5, 1)), ((4, 3), (3,)), ((3,), (3, 5))])
def test_matmul(seed, shapes):
    rng = random.Random(seed)
    (a, ta), (b, tb) = pair(grid(rng, shapes[0])), pair(grid(rng, shapes[1]))
    check([(a, ta), (b, tb)], a @ b, ta @ tb, rng)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("op", ["+", "-", "*", "/"])
@pytest.mark.parametrize("shapes", [((3, 4), (3, 4)), ((3, 4), (4,)), ((4,), (3, 4)), ((5,), (5,))])
def test_elementwise_and_row_broadcast(seed, op, shapes):
    rng = random.Random(seed)
    (a, ta) = pair(grid(rng, shapes[0]))
    (b, tb) = pair(grid(rng, shapes[1], 0.5, 2.0) if op == "/" else grid(rng, shapes[1]))
    apply = {"+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y, "/": lambda x, y: x / y}[op]
    check([(a, ta), (b, tb)], apply(a, b), apply(ta, tb), rng)


@pytest.mark.parametrize("seed", SEEDS)
def test_with_numbers_on_either_side(seed):
    rng = random.Random(seed)
    a, ta = pair(grid(rng, (3, 2), 0.5, 2.0))
    c = rng.uniform(-3, 3)
    ours = ((c - a) * c + c / a) ** 2 / c - (-a) + abs(a - 1)
    theirs = ((c - ta) * c + c / ta) ** 2 / c - (-ta) + abs(ta - 1)
    check([(a, ta)], ours, theirs, rng)


UNARY = {"leaky_relu": lambda x: F.leaky_relu(x, 0.01), "softplus": lambda x: F.softplus(x, threshold=40.0),
         "clamp": lambda x: torch.clamp(x, -1.0, 1.0)}


@pytest.mark.parametrize("seed", SEEDS[:3])
@pytest.mark.parametrize("op", [op for op in TABLE if op.forward and len(op.operands) == 1
                                and not op.method.startswith("__")], ids=str)
def test_every_unary_op_of_the_table(seed, op):
    rng = random.Random(seed)
    a, ta = pair(grid(rng, (3, 4), *op.points))
    ours = a.clamp(-1.0, 1.0) if op.name == "clamp" else getattr(a, op.method)()
    theirs = UNARY[op.name](ta) if op.name in UNARY else getattr(torch, op.name)(ta)
    check([(a, ta)], ours, theirs, rng)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("axis", [None, 0, 1])
@pytest.mark.parametrize("kind", ["sum", "mean"])
def test_reductions(seed, axis, kind):
    rng = random.Random(seed)
    a, ta = pair(grid(rng, (rng.randint(1, 5), rng.randint(1, 5))))
    ours = getattr(a.tanh(), kind)(axis=axis)
    theirs = getattr(ta.tanh(), kind)() if axis is None else getattr(ta.tanh(), kind)(dim=axis)
    if axis is None:
        assert_close(ours.data, theirs.item())
        ours.backward()
        theirs.backward()
        assert_close(a.grad, ta.grad)
        for record in rules(ours):
            assert_close(record.value, record.tensor.grad)
    else:
        check([(a, ta)], ours, theirs, rng)


@pytest.mark.parametrize("seed", SEEDS)
def test_transpose(seed):
    rng = random.Random(seed)
    (a, ta), (b, tb) = pair(grid(rng, (3, 4))), pair(grid(rng, (3, 2)))
    check([(a, ta), (b, tb)], a.T @ b, ta.T @ tb, rng)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_three_losses(seed):
    rng = random.Random(seed)
    n, m = rng.randint(1, 6), rng.randint(2, 4)
    logits, tlogits = pair(grid(rng, (n, m), -5, 5))
    classes = [rng.randrange(m) for _ in range(n)]
    probabilities, tprob = pair(grid(rng, (n,), 0.05, 0.95))
    labels = [float(rng.random() < 0.5) for _ in range(n)]
    pred, tpred = pair(grid(rng, (n, m)))
    y = grid(rng, (n, m))
    cases = [
        (softmax_cross_entropy(logits, classes), F.cross_entropy(tlogits, torch.tensor(classes)), logits, tlogits),
        (bce(probabilities, labels), F.binary_cross_entropy(tprob, torch.tensor(labels, dtype=torch.float64)),
         probabilities, tprob),
        (mse(pred, y), F.mse_loss(tpred, torch.tensor(y, dtype=torch.float64)), pred, tpred),
    ]
    for ours, theirs, leaf, tleaf in cases:
        assert_close(ours.data, theirs.item())
        ours.backward()
        theirs.backward()
        assert_close(leaf.grad, tleaf.grad)
        (record,) = rules(ours)  # the closed form: softmax - onehot, (p - y)/(p(1 - p)), 2(pred - y), over n
        assert_close(record.value, tleaf.grad)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_two_layer_network_in_matrix_form(seed):
    rng = random.Random(seed)
    n, d, h, k = 5, 3, 4, 3
    (X, tX), (W1, tW1), (b1, tb1) = pair(grid(rng, (n, d))), pair(grid(rng, (d, h))), pair(grid(rng, (h,)))
    (W2, tW2), (b2, tb2) = pair(grid(rng, (h, k))), pair(grid(rng, (k,)))
    classes = [rng.randrange(k) for _ in range(n)]
    loss = softmax_cross_entropy((X @ W1 + b1).sigmoid() @ W2 + b2, classes)
    reference = F.cross_entropy(torch.sigmoid(tX @ tW1 + tb1) @ tW2 + tb2, torch.tensor(classes))
    loss.backward()
    reference.backward()
    assert_close(loss.data, reference.item())
    for ours, theirs in [(X, tX), (W1, tW1), (b1, tb1), (W2, tW2), (b2, tb2)]:
        assert_close(ours.grad, theirs.grad)
    found = rules(loss)
    assert len(found) == 10  # the five leaves and the five tensors made from them: @, +, sigmoid, @, +
    for record in found:
        assert_close(record.value, record.tensor.grad)
