"""fit(live=True): one plot redrawn in a notebook; the plain progress bar elsewhere."""

import functools
import sys

import pytest

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


class FakeClock:
    """Seconds that pass only when told to."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class EpochsTake:
    """A stand-in schedule: fit calls step() once an epoch, and the fake clock moves on by ``seconds``."""

    def __init__(self, clock: FakeClock, seconds: float) -> None:
        self.clock, self.seconds = clock, seconds

    def step(self) -> None:
        self.clock.now += self.seconds


def in_a_notebook(monkeypatch, clock):
    """fit's live plot shown through a fake display on a fake clock; returns (shown, updates, plots)."""
    shown, updates, plots = [], [], []

    class Handle:
        def update(self, image):
            updates.append(image)

    def display(image, display_id=False):
        assert display_id
        shown.append(image)
        return Handle()

    monkeypatch.setattr(live, "notebook_display", lambda: display)
    monkeypatch.setattr(live, "Throttle", functools.partial(live.Throttle, clock=clock))
    monkeypatch.setattr(live.LivePlot, "update", lambda self, history, real=live.LivePlot.update: (
        plots.append(self), real(self, history))[1])
    return shown, updates, plots


def test_in_a_notebook_one_plot_is_shown_then_updated_in_place(monkeypatch):
    clock = FakeClock()
    shown, updates, plots = in_a_notebook(monkeypatch, clock)
    X, y = data.make_xor(20, seed=0)
    history = fit(MLP(2, [4, 1], seed=0), X, y, epochs=3, live=True, schedule=EpochsTake(clock, 1.0))
    # epoch 1 shows the plot, epoch 2 updates it (a second later), epoch 3 is the final redraw
    assert len(shown) == 1 and len(updates) == 2
    assert all(image.data[:4] == b"\x89PNG" for image in shown + updates)
    plot = plots[-1]
    assert plot.loss_axes.get_title() == live.title(history, 3)
    assert plot.loss_axes.get_title().startswith("epoch 3 of 3   loss ")
    assert plot.loss_axes.get_xlabel() == "epoch" and plot.accuracy_axes.get_ylabel() == "training accuracy"
    assert list(plot.loss_line.get_ydata()) == history.loss
    assert list(plot.accuracy_line.get_ydata()) == history.accuracy


def test_fast_epochs_redraw_four_times_a_second_and_once_at_the_end(monkeypatch):
    clock = FakeClock()
    shown, updates, _ = in_a_notebook(monkeypatch, clock)
    X, y = data.make_xor(20, seed=0)
    fit(MLP(2, [4, 1], seed=0), X, y, epochs=40, live=True, progress=False, schedule=EpochsTake(clock, 0.05))
    # 40 epochs of 50 ms: redraws at 0, 0.25, ..., 1.75 s (8 in 2 s; each costs nothing on this clock) + the end
    assert len(shown) == 1 and len(shown) + len(updates) == 9


def test_the_throttle_keeps_redraws_to_a_tenth_of_the_time():
    clock = FakeClock()
    throttle = live.Throttle(per_second=4, share=0.1, clock=clock)

    def redraw():  # each redraw takes 0.2 s
        clock.now += 0.2

    made = []
    for _ in range(200):  # 200 epochs of 0.05 s: 10 s of training
        made.append(throttle.run(redraw))
        clock.now += 0.05
    throttle.finish(redraw)
    assert made[0] and throttle.redraws == sum(made) + 1
    assert throttle.spent <= 0.1 * clock.now + 1e-9  # the final redraw was kept room for
    assert throttle.spent >= 0.1 * clock.now - 3 * 0.2  # and the budget was used, not wasted
    gaps = [b - a for a, b in zip([k for k, m in enumerate(made) if m], [k for k, m in enumerate(made) if m][1:])]
    assert min(gaps) * 0.05 >= 0.25  # never more than 4 a second


def test_a_throttle_refuses_nonsense_limits():
    with pytest.raises(ValueError, match="per_second > 0"):
        live.Throttle(per_second=0)
    with pytest.raises(ValueError, match="share in"):
        live.Throttle(share=1.5)


def test_fast_training_draws_only_the_first_and_last_epoch(monkeypatch):
    clock = FakeClock()
    shown, updates, _ = in_a_notebook(monkeypatch, clock)
    monkeypatch.setattr(live.LivePlot, "_image", lambda self, real=live.LivePlot._image: (
        setattr(clock, "now", clock.now + 0.2), real(self))[1])  # a redraw costs 0.2 s, an epoch 0.01 s
    X, y = data.make_xor(20, seed=0)
    fit(MLP(2, [4, 1], seed=0), X, y, epochs=30, live=True, progress=False, schedule=EpochsTake(clock, 0.01))
    assert len(shown) == 1 and len(updates) == 1
