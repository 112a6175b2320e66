"""Graphs the tests share."""

from autograd import Value


def classic_neuron() -> tuple[Value, dict[str, Value]]:
    """o = tanh(x1*w1 + x2*w2 + b) at the classroom point, where o = 0.7071; and its leaves by name."""
    leaves = {name: Value(x, name) for name, x in
              (("x1", 2.0), ("x2", 0.0), ("w1", -3.0), ("w2", 1.0), ("b", 6.8813735870195432))}
    n = leaves["x1"] * leaves["w1"] + leaves["x2"] * leaves["w2"] + leaves["b"]
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, leaves


def recurrence(steps: int) -> Value:
    """h_t = tanh(w*h_(t-1) + x_t) unrolled ``steps`` times: a long chain with one weight shared by every step."""
    h, w = Value(0.5, "h0"), Value(0.9, "w")
    for t in range(1, steps + 1):
        h = (w * h + Value(0.1 * t, f"x{t}")).tanh()
        h.label = f"h{t}"
    return h
