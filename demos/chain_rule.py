"""The classic neuron o = tanh(x1*w1 + x2*w2 + b), forward and backward, every grad printed.

Run: python demos/chain_rule.py
"""

from autograd import Value


def main() -> None:
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(6.8813735870195432, "b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()

    print("o = tanh(x1*w1 + x2*w2 + b)")
    print(f"forward:  n = {n.data:.4f}, o = {o.data:.4f}")
    print("backward: do/dn = 1 - o**2 =", f"{n.grad:.4f}")
    for leaf in (x1, w1, x2, w2, b):
        print(f"  do/d{leaf.label:2} = {leaf.grad: .4f}   ({leaf.label} = {leaf.data:g})")


if __name__ == "__main__":
    main()
