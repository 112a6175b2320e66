"""Training: fit() with a progress bar and a history, predictions, accuracy, gradient norms."""

from __future__ import annotations

import math
import random
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from autograd import Value, check_int, check_real, check_sequence

from . import live as live_plot
from . import losses
from .data import batches
from .module import Module
from .optim import SGD, Optimizer, Schedule

LOSSES: dict[str, Callable] = {
    "hinge": losses.hinge,
    "mse": losses.mse,
    "bce": losses.binary_cross_entropy,
    "binary_cross_entropy": losses.binary_cross_entropy,
    "bce_with_logits": losses.bce_with_logits,
    "softmax_cross_entropy": losses.softmax_cross_entropy,
}


@dataclass
class History:
    """Per-epoch loss, training accuracy and learning rate; ``stopped`` says why training ended early."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    stopped: str | None = None


def predict(model: Module, X: Sequence[Sequence[float]], threshold: float | None = None) -> list[int]:
    """Class labels: argmax for several outputs; for one output, 1 above ``threshold``.

    The threshold defaults to 0.5 after a sigmoid output and 0 for raw scores.

    >>> from nn import MLP
    >>> predict(MLP(2, [3], seed=0), [[1.0, 2.0]])  # three outputs: the index of the largest
    [0]
    """
    if not callable(model):
        raise TypeError(f"model must be a model (like MLP(2, [8, 1])), got {type(model).__name__}")
    check_sequence(X, "X", "rows (each a list of numbers)")
    threshold = _default_threshold(model) if threshold is None else check_real(threshold, "threshold")
    return [_label(model(x), threshold) for x in X]


def _default_threshold(model: Module) -> float:
    return 0.5 if getattr(model, "output_activation", None) == "sigmoid" else 0.0


def _label(output: Value | float | list, threshold: float) -> int:
    """The class of one output: a Value from the engine, or a float from compiled code."""
    data = lambda v: v.data if isinstance(v, Value) else v
    if isinstance(output, list):
        return max(range(len(output)), key=lambda k: data(output[k]))
    return int(data(output) > threshold)


def accuracy(model: Module, X: Sequence[Sequence[float]], y: Sequence[int], threshold: float | None = None) -> float:
    """The fraction of ``X`` that ``predict`` labels correctly (labels -1/+1 count as 0/1).

    >>> from nn import MLP
    >>> accuracy(MLP(1, [1], activation=None, seed=0), [[1.0], [-1.0]], [1, 0]) in (0.0, 0.5, 1.0)
    True
    """
    check_sequence(X, "X", "rows (each a list of numbers)")
    check_sequence(y, "y", "labels")
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)} labels")
    if len(X) == 0:
        raise ValueError("accuracy needs at least one row in X (and its label in y), got none")
    predicted = predict(model, X, threshold)
    return sum(p == _as_class(t) for p, t in zip(predicted, y)) / len(y)


def _as_class(label: int) -> int:
    return 0 if label == -1 else label


def layer_gradient_norms(model: Module) -> list[float]:
    """The L2 norm of the gradient in each layer, first to last: where gradients vanish or explode.

    >>> from nn import MLP
    >>> model = MLP(2, [4, 4, 1], seed=0); model([1.0, -1.0]).backward()
    >>> len(layer_gradient_norms(model))
    3
    """
    layers = getattr(model, "layers", None)
    if layers is None:
        raise TypeError(f"layer_gradient_norms needs a model with .layers (like MLP), got {type(model).__name__}")
    return [math.sqrt(sum(p.grad * p.grad for p in layer.parameters())) for layer in layers]


def fit(
    model: Module,
    X: Sequence[Sequence[float]],
    y: Sequence[int | float],
    loss: str | Callable = "hinge",
    optimizer: Optimizer | None = None,
    epochs: int = 100,
    batch_size: int | None = None,
    l2: float = 0.0,
    schedule: Schedule | None = None,
    progress: bool = True,
    seed: int | None = None,
    compile: bool = False,  # shadows the builtin: the word a learner looks for
    live: bool = False,
    widget: Any = None,
) -> History:
    """Train ``model`` on (X, y) and return the per-epoch history.

    ``loss`` is a name from ``LOSSES`` or a function(predictions, targets) -> Value; with
    "hinge" labels 0/1 are mapped to -1/+1. ``batch_size`` None means full batch. ``l2``
    adds l2 * sum(p**2) over the parameters. A loss that turns NaN or infinite stops
    training with a warning that says what to try, and ``History.stopped`` says so too.
    The history's accuracy counts an output above 0 as class 1 (above 0.5 after a sigmoid,
    or with "mse" on 0/1 labels); pass the same threshold to ``accuracy`` afterwards.
    ``live=True`` in a notebook draws one plot of loss, accuracy and learning rate and
    redraws it as epochs end, at most 4 times a second and within a tenth of the training
    time, and once at the end (in a terminal the progress bar stays).
    ``widget=w`` (an ``autograd.widget``, shown in the notebook) draws the loss graph of the
    sample with the largest loss (of the first 32) with its current data and grads, each edge as wide as the gradient it carries back
    and coloured by its sign, beside the loss curve: redrawn at most 4 times a second, within a
    fifth of the training time, and at the end as the player of that sample's backward pass.
    ``compile=True`` compiles one sample's loss to plain Python once (``autograd.compile``)
    and runs every step from that code: the same steps (to 1e-12), about 3.4x faster an epoch,
    accuracy included (the code returns the model's outputs too); for every named loss.

    >>> from nn import MLP, data
    >>> X, y = data.make_xor(40, seed=0)
    >>> history = fit(MLP(2, [8, 1], seed=0), X, y, epochs=3, progress=False)
    >>> len(history.loss), history.stopped
    (3, None)
    """
    loss_fn = _check_fit_arguments(model, X, y, loss, optimizer, epochs, batch_size, l2, schedule)
    targets = [2 * t - 1 if t in (0, 1) else t for t in y] if loss == "hinge" else list(y)
    parameters = model.parameters()
    optimizer = optimizer or SGD(parameters, lr=0.1)
    rng = random.Random(seed)
    # Regressing onto 0/1 labels (mse) puts the class boundary at 0.5, not at 0.
    threshold = 0.5 if loss == "mse" and set(targets) <= {0, 1} else _default_threshold(model)
    compiled = None
    if compile:
        if not isinstance(loss, str):
            raise ValueError("compile=True needs the loss by name (like loss='hinge'), not a function")
        from .compiled import CompiledLoss

        compiled = CompiledLoss(model, loss_fn, loss, nin=len(X[0]))
    history = History()
    display = live_plot.notebook_display() if live else None
    plot = live_plot.LivePlot(display, epochs) if display is not None else None
    throttle = live_plot.Throttle()
    if widget is not None and not callable(getattr(widget, "show_training", None)):
        raise TypeError(f"widget= takes a notebook widget made by autograd.widget(), got {type(widget).__name__}")
    watch = live_plot.Throttle(share=WIDGET_SHARE, final=WIDGET_FINAL_COST)

    def show_sample(final: bool = False) -> None:
        k = _worst_sample(model, X, targets, loss_fn)
        sample = loss_fn([model(X[k])], [targets[k]])
        sample.label = "loss"
        caption = live_plot.title(history, epochs).replace("   ", "\n")
        widget.show_training(sample, history.loss, f"{caption}\nthe graph: sample {k}, the largest loss", final=final)
    bar = _progress(epochs, progress and plot is None)
    for epoch in bar:
        total, correct = 0.0, 0
        for bx, by in batches(X, targets, batch_size or len(X), shuffle=batch_size is not None, seed=rng):
            try:
                if compiled is not None:
                    value, grads, outputs = compiled.run(bx, by)
                    if l2:
                        value += l2 * sum(p.data * p.data for p in parameters)
                        grads = [g + 2 * l2 * p.data for g, p in zip(grads, parameters)]
                    batch_loss = Value(value)
                else:
                    outputs = [model(x) for x in bx]
                    batch_loss = loss_fn(outputs, by)
                    if l2:
                        batch_loss = batch_loss + l2 * losses.l2(parameters)
                problem = None if math.isfinite(batch_loss.data) else f"the loss became {batch_loss.data}"
            except OverflowError as error:
                problem = f"the forward pass overflowed ({error})"
            if problem:
                history.stopped = (f"training stopped at epoch {epoch + 1}: {problem}; "
                                   f"try a smaller learning rate than {optimizer.lr:g}")
                warnings.warn(history.stopped, RuntimeWarning, stacklevel=2)
                bar.close()
                if plot is not None and history.loss:
                    throttle.finish(lambda: plot.update(history))
                return history  # the widget keeps its last picture: a broken pass has no gradients to show
            if compiled is not None:
                for p, g in zip(parameters, grads):
                    p.grad = g
            else:
                optimizer.zero_grad()
                batch_loss.backward()
            optimizer.step()
            total += batch_loss.data * len(bx)
            correct += sum(_label(o, threshold) == _as_class(t) for o, t in zip(outputs, by))
        history.loss.append(total / len(X))
        history.accuracy.append(correct / len(X))
        history.lr.append(optimizer.lr)
        if schedule is not None:
            schedule.step()
        bar.set_postfix(loss=f"{history.loss[-1]:.4f}", acc=f"{history.accuracy[-1]:.0%}", refresh=False)
        if plot is not None and epoch < epochs - 1:
            throttle.run(lambda: plot.update(history))
        if widget is not None and epoch < epochs - 1:
            watch.run(show_sample)
    if plot is not None and history.loss:
        throttle.finish(lambda: plot.update(history))
    if widget is not None and history.loss:
        watch.finish(lambda: show_sample(final=True))
    return history


MANY_OUTPUTS = {"softmax_cross_entropy"}  # named losses of one list of logits per row; the others take one output


def _check_fit_arguments(model: Module, X: Sequence[Sequence[float]], y: Sequence[int | float], loss: str | Callable,
                         optimizer: Optimizer | None, epochs: int, batch_size: int | None, l2: float,
                         schedule: Schedule | None) -> Callable:
    """fit's arguments, each checked before training starts; returns the loss function."""
    if not isinstance(model, Module):
        raise TypeError(f"fit: model must be an nn Module (like MLP(2, [8, 1])), got {type(model).__name__}")
    loss_fn = LOSSES.get(loss) if isinstance(loss, str) else loss
    if loss_fn is None or not callable(loss_fn):
        raise ValueError(f"unknown loss {loss!r}; use one of {', '.join(LOSSES)} or a function")
    for name, rows in (("X", X), ("y", y)):
        if isinstance(rows, (str, bytes)) or not hasattr(rows, "__len__"):
            raise TypeError(f"fit: {name} must be a list (or array) of rows, got {type(rows).__name__}")
    if len(X) != len(y) or len(X) == 0:
        raise ValueError(f"fit needs as many labels y as rows X (and at least one): {len(X)} rows, {len(y)} labels")
    check_int(epochs, "epochs", 0)
    if batch_size is not None:
        check_int(batch_size, "batch_size (None for the full batch)", 1)
    check_real(l2, "l2", 0)
    for name, given, example in (("optimizer", optimizer, "SGD(model.parameters())"), ("schedule", schedule, "StepLR(optimizer, 10)")):
        if given is not None and not callable(getattr(given, "step", None)):
            raise TypeError(f"fit: {name} must have a step() method (like {example}), got {type(given).__name__}")
    if isinstance(loss, str):
        count = _output_count(model, X[0])
        if loss in MANY_OUTPUTS and count < 2:
            raise ValueError(f"loss {loss!r} needs one output per class (2 or more), but the model has {count} output; "
                             "give its last layer one neuron per class, or use loss='bce_with_logits' for two classes")
        if loss not in MANY_OUTPUTS and count != 1:
            raise ValueError(f"loss {loss!r} needs a model with one output, but it has {count}; "
                             "use loss='softmax_cross_entropy' for one output per class")
    return loss_fn


def _output_count(model: Module, x: Sequence[float]) -> int:
    """How many numbers the model gives per row: an MLP's last width, else one forward pass tells."""
    sizes = getattr(model, "sizes", None)
    if isinstance(sizes, list) and sizes:
        return sizes[-1]
    outputs = model(x)
    return len(outputs) if isinstance(outputs, list) else 1


# The widget's last redraw builds the player (every step's math and code, each box's picture):
# 7 to 14 times a redraw while training, measured on the moons network (benchmarks/live_cost.py).
WIDGET_FINAL_COST = 12.0
# Within a tenth of the time, the player at the end would leave no redraw while a short run trains:
# the widget may take a fifth (a plot of numbers keeps to a tenth).
WIDGET_SHARE = 0.2


def _worst_sample(model: Module, X: Sequence[Sequence[float]], targets: Sequence, loss_fn: Callable,
                  look: int = 32) -> int:
    """The index of the sample with the largest loss among the first ``look``: the one whose graph
    the widget shows carries a gradient (a point outside a hinge's margin has none)."""
    from autograd import no_grad

    with no_grad():
        losses_now = [loss_fn([model(X[k])], [targets[k]]).data for k in range(min(look, len(X)))]
    return max(range(len(losses_now)), key=losses_now.__getitem__)


def _progress(epochs: int, show: bool):
    from tqdm import tqdm  # the plain bar: tqdm.auto wants ipywidgets in notebooks

    return tqdm(range(epochs), desc="training", unit="epoch", disable=not show, leave=True)
