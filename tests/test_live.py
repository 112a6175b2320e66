"""fit(live=True): one plot redrawn in a notebook; the plain progress bar elsewhere."""

import sys

from nn import MLP, data, fit, live


def test_outside_a_notebook_live_keeps_the_bar(capsys):
    assert live.notebook_display() is None  # pytest is no Jupyter kernel
    X, y = data.make_xor(20, seed=0)
    history = fit(MLP(2, [4, 1], seed=0), X, y, epochs=2, live=True)
    assert len(history.loss) == 2 and "training" in capsys.readouterr().err


def test_without_ipython_installed_live_still_trains(monkeypatch):
    monkeypatch.setitem(sys.modules, "IPython", None)  # import IPython fails
    assert live.notebook_display() is None
    X, y = data.make_xor(20, seed=0)
    assert len(fit(MLP(2, [4, 1], seed=0), X, y, epochs=2, live=True, progress=False).loss) == 2


def test_in_a_notebook_one_plot_is_updated_each_epoch(monkeypatch):
    shown, updates = [], []

    class Handle:
        def update(self, image):
            updates.append(image)

    def display(image, display_id=False):
        shown.append(image)
        return Handle()

    monkeypatch.setattr(live, "notebook_display", lambda: display)
    plots = []
    monkeypatch.setattr(live.LivePlot, "update", lambda self, history, real=live.LivePlot.update: (
        plots.append(self), real(self, history))[1])
    X, y = data.make_xor(20, seed=0)
    fit(MLP(2, [4, 1], seed=0), X, y, epochs=3, live=True)
    assert len(shown) == 1 and len(updates) == 3
    assert all(image.data[:4] == b"\x89PNG" for image in updates)
    titles = [ax.get_title() for ax in plots[-1].figure.axes]
    assert titles[0].startswith("loss: ") and titles[2].startswith("learning rate: ")
    assert all(ax.get_xlabel() == "epoch" for ax in plots[-1].figure.axes)
