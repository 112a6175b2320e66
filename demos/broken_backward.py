"""The lab of broken backward passes: why backward() sorts the graph first, and why it adds.

Two bugs, each on the smallest graph that shows it and then on a neuron with a residual
connection, o = tanh(n) + n, where n is used twice (autograd.lab):
  recursive   backward as plain recursion, no topological order: a node reached along two
              paths passes its gradient on twice (b = 2*a; d = b + 3*b gives dd/da = 10, not 8)
  overwrite   = where the chain rule needs +=: a node used twice keeps one contribution
              (y = x*x gives dy/dx = 3, not 6)
Writes under out/, for each bug: lab_<bug>_right.png (backward()'s grads) and lab_<bug>.png
(the broken pass's grads, the nodes where they differ in red).
Run: python demos/broken_backward.py [--quick]
"""

from __future__ import annotations

from pathlib import Path

from _common import arguments, have_graphviz

from autograd import Value, draw, lab, write_atomically
from autograd.engine.graph import scratch_grads
from autograd.show.drawing import PNG_DEFAULTS, picture_options, run_dot


def residual_neuron() -> Value:
    """o = tanh(n) + n with n = x*w + b: n reaches o along two paths, and so does everything under it."""
    x, w, b = Value(0.5, "x"), Value(-2.0, "w"), Value(0.3, "b")
    n = x * w + b
    n.label = "n"
    o = n.tanh() + n
    o.label = "o"
    return o


def png(picture, path: Path) -> Path:
    picture.graph_attr.update(picture_options(**PNG_DEFAULTS))  # sized for a projector, as render's PNGs
    write_atomically(path, run_dot(picture.source, "png"))
    return path


def main(out: Path, quick: bool = False) -> None:
    for bug in lab.BUGS:
        print(f"---- {bug}: {lab.BUGS[bug]}")
        smallest = lab.smallest_example(bug)
        report = lab.compare(smallest, bug)
        print(report)
        print(lab.compare(residual_neuron(), bug))
        print()
        if have_graphviz(f"the pictures of the {bug} pass"):
            out.mkdir(parents=True, exist_ok=True)
            with scratch_grads(smallest):
                smallest.backward()
                right = draw(smallest, edge_labels="rule", scale=1.3)
            print("wrote", png(right, out / f"lab_{bug}_right.png"))
            print("wrote", png(report.draw(edge_labels="rule", scale=1.3), out / f"lab_{bug}.png"))
    print("A topological order finishes each node's gradient before sending any of it on, and += adds "
          "every path's share: backward() does both.")


if __name__ == "__main__":
    args = arguments(__doc__.splitlines()[0])
    main(args.out, args.quick)
