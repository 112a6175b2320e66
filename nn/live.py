"""Training you can watch: in a notebook, one plot of loss, accuracy and learning rate updated in place."""

from __future__ import annotations

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


class LivePlot:
    """One figure shown once and redrawn after every epoch (``fit(..., live=True)`` in a notebook).

    The figure is sent as a PNG image, so it shows whatever matplotlib backend the notebook uses.
    """

    def __init__(self, display: Any, epochs: int) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=(11, 3.4))
        FigureCanvasAgg(self.figure)
        self.axes = self.figure.subplots(1, 3)
        self.epochs = epochs
        self.handle = display(self._image(), display_id=True)

    def _image(self) -> Any:
        import io

        from IPython.display import Image

        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=90)
        return Image(data=buffer.getvalue(), format="png")

    def update(self, history: Any) -> None:
        epochs = range(1, len(history.loss) + 1)
        for ax, values, name in zip(self.axes, (history.loss, history.accuracy, history.lr),
                                    ("loss", "training accuracy", "learning rate")):
            ax.clear()
            ax.plot(epochs, values, color="#1c7ed6")
            ax.set(xlabel="epoch", ylabel=name, title=f"{name}: {values[-1]:.4g}", xlim=(1, max(2, self.epochs)))
        self.figure.tight_layout()
        self.handle.update(self._image())
