"""A tiny scalar recurrent net trained with backpropagation through time.

h_t = tanh(w_h * h_(t-1) + w_x * x_t + b), prediction = w_o * h_T + c. The task: read a
sequence of +1/-1 inputs and output their mean. Every input counts equally, so the gradient
has to travel back through every step, and the net has to learn to integrate (w_h near 1).
Then one 20,000-step sequence shows that the engine backpropagates through a graph that
deep without recursion. Last, backpropagation through time laid bare: |dL/dh_t| against t
for a recurrent weight below, at and above 1 (vanishing, steady, exploding). Writes out/rnn.png,
and out/rnn_unrolled.png: a 6-step sequence unrolled, wrapped into rows to fit a slide.
Run: python demos/rnn.py [--quick]
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from _common import arguments, have_graphviz, plot_curves, plt, save

from autograd import Value, depth, render, topological_order
from nn import Module, losses
from nn.optim import Adam


class ScalarRNN(Module):
    """One hidden unit, one input, one output."""

    def __init__(self, seed: int = 0) -> None:
        rng = random.Random(seed)
        self.w_h, self.w_x, self.b = (Value(rng.uniform(-0.5, 0.5), n) for n in ("w_h", "w_x", "b"))
        self.w_o, self.c = Value(rng.uniform(-0.5, 0.5), "w_o"), Value(0.0, "c")

    def forward(self, sequence: list[float]) -> Value:
        h: Value | float = 0.0
        for t, x in enumerate(sequence, start=1):
            h = (self.w_h * h + self.w_x * x + self.b).tanh()
            h.label = f"h{t}"  # the pictures and explanations name each step's state
        return self.w_o * h + self.c


def sequences(count: int, length: int, seed: int) -> tuple[list[list[float]], list[float]]:
    """Random +1/-1 sequences and the mean of each."""
    rng = random.Random(seed)
    X = [[rng.choice((-1.0, 1.0)) for _ in range(length)] for _ in range(count)]
    return X, [sum(x) / length for x in X]


def bptt_gradients(w_h: float, steps: int = 40) -> list[float]:
    """|dL/dh_t| for t = 1..steps, L = h_T, in the linear recurrence h_t = w_h h_(t-1) + x_t.

    Each step back multiplies the gradient by w_h: it shrinks, holds or grows geometrically.
    (With tanh the same happens, times tanh's slope, which is at most 1.)
    """
    w = Value(w_h, "w_h")
    h, states = Value(0.0, "h0"), []
    for t in range(steps):
        h = w * h + (1.0 if t == 0 else 0.0)
        states.append(h)
    h.backward()
    return [abs(state.grad) for state in states]


def main(out: Path, epochs: int = 300, length: int = 12, long_length: int = 20_000) -> dict:
    X, y = sequences(32, length, seed=0)
    X_test, y_test = sequences(64, length, seed=1)
    model = ScalarRNN(seed=0)
    optimizer = Adam(model.parameters(), lr=0.02)
    history = []
    start = time.perf_counter()
    for _ in range(epochs):
        loss = losses.mse([model(x) for x in X], y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history.append(loss.data)
    seconds = time.perf_counter() - start
    test_loss = losses.mse([model(x) for x in X_test], y_test).data
    mean = sum(y_test) / len(y_test)
    variance = sum((t - mean) ** 2 for t in y_test) / len(y_test)
    one = model(X[0])
    result = {"loss": history[-1], "test_loss": test_loss, "explained": 1 - test_loss / variance, "seconds": seconds,
              "graph_depth": depth(one), "graph_nodes": len(topological_order(one))}
    print(f"trained {epochs} epochs in {seconds:.1f} s: training loss {history[-1]:.5f}; on unseen sequences "
          f"loss {test_loss:.5f}, which explains {result['explained']:.1%} of the targets' variance {variance:.4f}")
    print(f"one sequence of {length} steps is a graph of {result['graph_nodes']} nodes, {result['graph_depth']} ops deep")
    print("learned: " + ", ".join(f"{name} = {p.data:.3f}" for name, p in model.named_parameters()))

    long = [1.0] + [random.Random(2).gauss(0, 0.1) for _ in range(long_length - 1)]
    start = time.perf_counter()
    output = model(long)
    model.zero_grad()
    output.backward()
    result["long_depth"] = depth(output)
    result["long_seconds"] = time.perf_counter() - start
    print(f"a {long_length:,}-step sequence: graph {result['long_depth']:,} ops deep, forward + backward in "
          f"{result['long_seconds']:.2f} s, d(output)/dw_h = {model.w_h.grad:.3e} (no recursion, no stack overflow)")

    figure, (ax, bptt) = plt.subplots(1, 2, figsize=(12, 4))
    plot_curves(ax, {"training loss": history}, "epoch (full batch of 32 sequences)", "mean squared error",
                f"scalar RNN averaging {length} inputs\nR² {result['explained']:.3f} on unseen data", log=True)
    for w_h, lesson in ((0.8, "vanishing"), (1.0, "steady"), (1.2, "exploding")):
        grads = bptt_gradients(w_h)
        bptt.plot(range(1, len(grads) + 1), grads, marker=".", label=f"w_h = {w_h}: {lesson}")
        result[f"bptt_{lesson}"] = grads[0]
    bptt.set_yscale("log")
    bptt.set(xlabel="time step t (the loss is read at the last one)", ylabel="|dL/dh_t|",
             title="Backpropagation through time:\neach step back multiplies the gradient by w_h")
    bptt.legend()
    print("dL/dh_1 after 40 steps back: " + ", ".join(
        f"{lesson} {result[f'bptt_{lesson}']:.1e}" for lesson in ("vanishing", "steady", "exploding")))
    print(f"wrote {save(figure, out, 'rnn.png')}")

    if have_graphviz("the unrolled graph"):
        prediction = model([1.0, -1.0, 1.0, 1.0, -1.0, 1.0])
        prediction.label = "prediction"
        prediction.backward()
        print(f"wrote {render(prediction, out / 'rnn_unrolled.png', edge_labels='rule')}: six steps "
              f"unrolled, {len(topological_order(prediction))} nodes, wrapped into rows for a 16:9 slide")
    return result


if __name__ == "__main__":
    args = arguments(__doc__.splitlines()[0])
    main(args.out, epochs=20 if args.quick else 300, long_length=2_000 if args.quick else 20_000)
