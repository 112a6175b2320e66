"""Losses: each takes a batch of predictions and targets and returns the mean as one Value.

The Value is labelled with the loss's name (``mse``, ``hinge``...), so explanations and
pictures say ``d mse/d L1.n1.w1`` and a sum of losses is named by its parts.

All are written with autograd ops, so ``loss.backward()`` reaches every parameter, and each
is numerically stable where PyTorch's is (logits of any size, log-sum-exp).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from autograd import Value, check_real, check_sequence

Prediction = "Value | float"


def _pairs(predictions: Sequence, targets: Sequence, what: str,
           names: tuple[str, str] = ("predictions", "targets")) -> list[tuple]:
    check_sequence(predictions, f"{what}: {names[0]}", "one per row of the batch")
    check_sequence(targets, f"{what}: {names[1]}", "one per row of the batch")
    if len(predictions) != len(targets):
        raise ValueError(f"{what}: {len(predictions)} {names[0]} but {len(targets)} {names[1]}")
    if not predictions:
        raise ValueError(f"{what}: the batch is empty")
    return list(zip(predictions, targets))


def _mean(terms: list, name: str) -> Value:
    return _named(Value.sum(terms) * (1.0 / len(terms)), name)


def _named(loss: Value, name: str) -> Value:
    loss.label = name
    return loss


def mse(predictions: Sequence, targets: Sequence[float]) -> Value:
    """Mean squared error: mean((p - t) ** 2).

    >>> loss = mse([Value(1.0), Value(3.0)], [0.0, 1.0])
    >>> loss.data, loss.label
    (2.5, 'mse')
    """
    return _mean([(p - t) ** 2 for p, t in _pairs(predictions, targets, "mse")], "mse")


def binary_cross_entropy(probabilities: Sequence, targets: Sequence[float], eps: float = 1e-12) -> Value:
    """-mean(t log p + (1 - t) log(1 - p)) for probabilities p in [0, 1].

    Each log is clamped at log(eps) so that p of exactly 0 or 1 gives a large, finite loss
    (PyTorch clamps at -100). For raw scores use ``bce_with_logits``: it is stabler.

    >>> round(binary_cross_entropy([Value(0.8)], [1]).data, 6)
    0.223144
    """
    check_real(eps, "eps", above=0, below=1)
    terms = []
    for p, t in _pairs(probabilities, targets, "binary_cross_entropy", ("probabilities", "targets")):
        _check_probability_target(t)
        terms.append(t * _clamped_log(p, eps) + (1 - t) * _clamped_log(1 - p, eps))
    return _named(-Value.sum(terms) * (1.0 / len(terms)), "binary_cross_entropy")


def _clamped_log(p: Value, eps: float) -> Value:
    if not p.data >= 0 or p.data > 1 + 1e-12:
        raise ValueError(f"binary_cross_entropy needs probabilities in [0, 1], got {p.data}; use bce_with_logits for scores")
    return p.log() if p.data > eps else p * 0.0 + math.log(eps)


def bce_with_logits(logits: Sequence, targets: Sequence[float]) -> Value:
    """Binary cross-entropy on raw scores z: mean(max(z, 0) - z t + log(1 + exp(-|z|))).

    Stable for logits of any size: the exponent is never positive.

    >>> round(bce_with_logits([Value(1000.0)], [0]).data, 6)
    1000.0
    """
    terms = []
    for z, t in _pairs(logits, targets, "bce_with_logits", ("logits", "targets")):
        _check_probability_target(t)
        terms.append(z.relu() - z * t + (1.0 + (-abs(z)).exp()).log())
    return _mean(terms, "bce_with_logits")


def _check_probability_target(t: float) -> None:
    if not 0 <= t <= 1:
        raise ValueError(f"binary cross-entropy targets are in [0, 1] (class labels 0 and 1), got {t!r}")


def hinge(scores: Sequence, labels: Sequence[int]) -> Value:
    """The max-margin loss mean(relu(1 - y * s)) for labels y of -1 and +1.

    >>> hinge([Value(2.0), Value(0.5)], [1, -1]).data
    0.75
    """
    terms = []
    for s, y in _pairs(scores, labels, "hinge", ("scores", "labels")):
        if y not in (-1, 1):
            raise ValueError(f"hinge needs labels -1 and +1, got {y!r} (map 0/1 labels with 2*y - 1)")
        terms.append((1 - y * s).relu())
    return _mean(terms, "hinge")


def softmax_cross_entropy(batch_logits: Sequence[Sequence], targets: Sequence[int]) -> Value:
    """Mean over a batch of -log softmax(logits)[target], with a stable log-sum-exp.

    >>> round(softmax_cross_entropy([[Value(2.0), Value(0.0)]], [0]).data, 6)
    0.126928
    """
    return shifted_softmax_cross_entropy(batch_logits, targets, lambda logits: max(
        z.data if isinstance(z, Value) else z for z in logits))  # a constant: exp never overflows


def shifted_softmax_cross_entropy(batch_logits: Sequence[Sequence], targets: Sequence[int],
                                  shift: Callable[[Sequence], Value | float]) -> Value:
    """``softmax_cross_entropy`` with log-sum-exp shifted by ``shift(logits)``: any shift gives the
    same loss, and the largest logit keeps every exponent at most 0. Generated code needs the
    shift in the graph (``functools.reduce(maximum, logits)``): a constant would be stale.

    >>> from autograd import maximum
    >>> logits = [Value(2.0), Value(0.0)]
    >>> round(shifted_softmax_cross_entropy([logits], [0], lambda zs: maximum(*zs)).data, 6)
    0.126928
    """
    if not callable(shift):
        raise TypeError(f"shift must be a function of one row's logits, got {type(shift).__name__}")
    terms = []
    for logits, target in _pairs(batch_logits, targets, "softmax_cross_entropy", ("batch_logits", "targets")):
        if not isinstance(target, int) or not 0 <= target < len(logits):
            raise ValueError(f"softmax_cross_entropy: class index {target!r} is not in 0..{len(logits) - 1}")
        m = shift(logits)
        log_sum_exp = Value.sum([(z - m).exp() for z in logits]).log() + m
        terms.append(log_sum_exp - logits[target])
    return _mean(terms, "softmax_cross_entropy")


def l2(parameters: Sequence[Value]) -> Value:
    """The sum of squared parameters, as one node: multiply by the weight decay you want.

    >>> l2([Value(3.0), Value(4.0)]).data
    25.0
    """
    check_sequence(parameters, "parameters", "Values (model.parameters())")
    if not all(isinstance(p, Value) for p in parameters):
        raise TypeError("parameters must be Values (model.parameters()), not numbers or lists")
    return _named(Value.dot(parameters, parameters), "l2")
