"""The nudge lab: what a gradient predicts, and how finite differences fail at both ends.

Nudge one input of the classroom neuron by h and compare the output's change with
grad * h (``autograd.nudge``). Then estimate the gradient by finite differences for h from
1e-1 down to 1e-15: the forward difference's error falls like h and the central one's like
h^2 (truncation), until round-off, which grows like 1/h, takes over: the V shape, and why
autodiff, which has neither error, is used instead.
Writes out/nudge_lab.png. Run: python demos/nudge_lab.py [--quick]
"""

from __future__ import annotations

from pathlib import Path

from _common import arguments, plt, save

from autograd import Value, nudge
from autograd.engine.replay import replay


def neuron() -> tuple[Value, Value]:
    x1, w1 = Value(2.0, "x1"), Value(-3.0, "w1")
    x2, w2 = Value(0.0, "x2"), Value(1.0, "w2")
    b = Value(6.8813735870195432, "b")
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.label = "o"
    return o, w1


def main(out: Path, quick: bool = False) -> dict:
    o, w1 = neuron()
    o.backward()
    exact = w1.grad
    steps = [10.0**-k for k in range(1, 16, 2 if quick else 1)]
    forward, central = [], []
    for h in steps:
        up, down = replay(o, {w1: w1.data + h}), replay(o, {w1: w1.data - h})
        forward.append(abs((up - o.data) / h - exact))
        central.append(abs((up - down) / (2 * h) - exact))
    change, predicted = nudge(o, w1, 0.01)

    figure, ax = plt.subplots(figsize=(8, 5.5))
    ax.loglog(steps, forward, "o-", label="forward difference (f(w+h) - f(w)) / h")
    ax.loglog(steps, central, "s-", label="central difference (f(w+h) - f(w-h)) / 2h")
    ax.set(xlabel="step h", ylabel="|estimate - do/dw1 from backward()|",
           title="Finite differences against the exact gradient do/dw1 = 1.0")
    ax.invert_xaxis()
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="upper center")
    path = save(figure, out, "nudge_lab.png")

    best_forward = min(zip(forward, steps))
    best_central = min(zip(central, steps))
    print(f"nudge w1 by 0.01: o changes by {change:.6f}; the gradient predicts {predicted:.6f}")
    print(f"forward difference: best error {best_forward[0]:.1e} at h = {best_forward[1]:.0e}")
    print(f"central difference: best error {best_central[0]:.1e} at h = {best_central[1]:.0e}")
    print(f"at h = 1e-15 both are off by about {forward[-1]:.0e}: round-off")
    print(f"wrote {path}")
    return {"steps": steps, "forward": forward, "central": central}


if __name__ == "__main__":
    args = arguments(__doc__.splitlines()[0])
    main(args.out, args.quick)
