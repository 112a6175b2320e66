"""The classroom walkthrough: the neuron o = tanh(x1*w1 + x2*w2 + b), one chain-rule step at a time.

Prints the forward pass and every backward step, then writes under out/:
  chain_rule.svg        the graph with every grad filled in
  chain_rule_step.svg   the graph at the step through n, highlighted
  chain_rule.html       the step-by-step player (open it in a browser)
Run: python demos/chain_rule.py
"""

from pathlib import Path

from autograd import Value, explain, write_player
from autograd.show.drawing import render

OUT = Path(__file__).resolve().parent.parent / "out"


def neuron() -> Value:
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(6.8813735870195432, "b")
    x1w1 = x1 * w1
    x1w1.label = "x1w1"
    x2w2 = x2 * w2
    x2w2.label = "x2w2"
    n = x1w1 + x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def main() -> None:
    o = neuron()
    print("o = tanh(x1*w1 + x2*w2 + b)\n")
    print(explain(o))

    steps = o.backward_steps()
    print("\nstepping by hand: the first two steps")
    for step in (next(steps), next(steps)):
        print(f"step {step.index}/{step.total} at {step.node_name} (do/d{step.node_name} = {step.upstream:.4g})")
        print("\n".join(f"  {line}" for line in step.lines()))
    render(o, OUT / "chain_rule_step.svg", highlight=step, edge_labels=True)
    for _ in steps:  # finish the pass: the same grads as o.backward()
        pass

    print(f"\nwrote {render(o, OUT / 'chain_rule.svg', edge_labels=True).relative_to(OUT.parent)}")
    print(f"wrote {(OUT / 'chain_rule_step.svg').relative_to(OUT.parent)}")
    o.zero_grad()
    print(f"wrote {write_player(o, OUT / 'chain_rule.html').relative_to(OUT.parent)} (open it in a browser)")


if __name__ == "__main__":
    main()
