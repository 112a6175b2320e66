"""Training you can watch: in a notebook, one plot of loss, accuracy and learning rate updated in place.

Redrawing costs time that training does not get, so every live view goes through a
``Throttle``: at most a few redraws a second, only while redrawing has taken at most a tenth
of the time so far, and always one at the end.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def notebook_display() -> Any | None:
    """IPython's ``display`` when running in a Jupyter kernel (not a terminal IPython), else None."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return None
    shell = get_ipython()
    return display if shell is not None and getattr(shell, "kernel", None) is not None else None


class Throttle:
    """When a live view may redraw: at most ``per_second`` times a second, and only while the
    redraws so far plus this one and the final one (``finish``) cost at most ``share`` of the
    time since the start. The first redraw is always allowed (its cost is not known yet).
    The final redraw is taken to cost ``final`` times the last one (a view that ends on more
    than it shows while running, like the widget's player, says so here).

    ``clock`` is any function returning seconds (a fake one in tests).

    >>> now = [0.0]
    >>> throttle = Throttle(per_second=4, share=0.1, clock=lambda: now[0])
    >>> throttle.run(lambda: now.__setitem__(0, now[0] + 0.01))   # a redraw that takes 10 ms
    True
    >>> now[0] = 0.1; throttle.run(lambda: None)        # too soon: 4 a second at most
    False
    >>> now[0] = 0.4; throttle.run(lambda: None)        # 10 ms so far + 2 x 10 ms <= 10% of 0.4 s
    True
    """

    def __init__(self, per_second: float = 4.0, share: float = 0.1, clock: Callable[[], float] = time.perf_counter,
                 final: float = 1.0) -> None:
        if not per_second > 0 or not 0 < share <= 1:
            raise ValueError(f"a throttle needs per_second > 0 and share in (0, 1], got {per_second!r} and {share!r}")
        self.per_second, self.share, self.clock, self.final = per_second, share, clock, final
        self.start = clock()
        self.last: float | None = None  # when the last redraw ended
        self.spent = 0.0  # seconds spent redrawing so far
        self.cost = 0.0  # what the last redraw took
        self.redraws = 0

    def due(self) -> bool:
        """Whether a redraw now keeps within both limits."""
        now = self.clock()
        if self.last is None:
            return True
        if now - self.last < 1 / self.per_second:
            return False
        return self.spent + (1 + self.final) * self.cost <= self.share * (now - self.start)

    def run(self, redraw: Callable[[], Any]) -> bool:
        """Redraw if due (timing it); True when it redrew."""
        if not self.due():
            return False
        self._timed(redraw)
        return True

    def finish(self, redraw: Callable[[], Any]) -> None:
        """The last redraw, always made: the view ends showing the end of training."""
        self._timed(redraw)

    def _timed(self, redraw: Callable[[], Any]) -> None:
        began = self.clock()
        redraw()
        self.last = self.clock()
        self.cost = self.last - began
        self.spent += self.cost
        self.redraws += 1


class LivePlot:
    """One figure shown at the first redraw and then updated in place (``fit(..., live=True)`` in a notebook):
    the loss and the training accuracy by epoch, the latest numbers and the learning rate in its title.

    The figure is sent as a PNG image, so it shows whatever matplotlib backend the notebook uses.
    Its axes, lines and margins are made once; a redraw only moves the lines, the title and the
    loss axis's range, and ``Throttle`` decides how often. One panel (accuracy on a second y
    axis) costs half of what three panels did: drawing text is most of a redraw.
    """

    def __init__(self, display: Any, epochs: int) -> None:
        self.display = display
        self.epochs = epochs
        self.handle: Any = None
        self.figure: Any = None  # made at the first redraw, so the throttle counts its cost too

    def _make_figure(self) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator

        self.figure = Figure(figsize=(8, 3), dpi=90)
        FigureCanvasAgg(self.figure)
        self.loss_axes = self.figure.subplots()
        self.accuracy_axes = self.loss_axes.twinx()
        (self.loss_line,) = self.loss_axes.plot([], [], color="#1c7ed6")
        (self.accuracy_line,) = self.accuracy_axes.plot([], [], color="#2f9e44")
        self.loss_axes.set(xlabel="epoch", xlim=(1, max(2, self.epochs)))
        self.loss_axes.set_ylabel("loss", color="#1c7ed6")
        self.accuracy_axes.set_ylabel("training accuracy", color="#2f9e44")
        self.accuracy_axes.set_ylim(-0.02, 1.02)
        self.loss_axes.xaxis.set_major_locator(MaxNLocator(6, integer=True))
        for axes in (self.loss_axes, self.accuracy_axes):
            axes.yaxis.set_major_locator(MaxNLocator(5))  # few tick labels: text is most of a redraw
        # fixed margins: tight_layout would cost as much as a redraw, and the labels' lengths hardly change
        self.figure.subplots_adjust(left=0.09, right=0.9, bottom=0.16, top=0.89)

    def _image(self) -> Any:
        import io

        from IPython.display import Image

        buffer = io.BytesIO()
        self.figure.canvas.print_png(buffer)
        return Image(data=buffer.getvalue(), format="png")

    def update(self, history: Any) -> None:
        """Show ``history`` (loss, accuracy, lr per epoch): the first call displays the figure."""
        if self.figure is None:
            self._make_figure()
        epochs = range(1, len(history.loss) + 1)
        self.loss_line.set_data(epochs, history.loss)
        self.accuracy_line.set_data(epochs, history.accuracy)
        low, high = min(history.loss), max(history.loss)
        pad = (high - low) * 0.05 or abs(high) * 0.05 or 0.05
        self.loss_axes.set_ylim(low - pad, high + pad)
        self.loss_axes.set_title(title(history, self.epochs), fontsize=11)
        image = self._image()
        if self.handle is None:
            self.handle = self.display(image, display_id=True)
        else:
            self.handle.update(image)


def title(history: Any, epochs: int) -> str:
    """The live plot's title: where training is and its latest numbers.

    >>> from nn.training import History
    >>> title(History(loss=[0.9, 0.25], accuracy=[0.5, 0.875], lr=[0.1, 0.05]), 60)
    'epoch 2 of 60   loss 0.25   training accuracy 87.5%   learning rate 0.05'
    """
    return (f"epoch {len(history.loss)} of {epochs}   loss {history.loss[-1]:.4g}   "
            f"training accuracy {history.accuracy[-1]:.1%}   learning rate {history.lr[-1]:.4g}")
