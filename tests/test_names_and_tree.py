"""Names that mean something (labels, label_locals, nn's places) and the graph as text."""

import shutil
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, explain, label_locals, text_graph
from autograd.cli import main
from autograd.teach.naming import node_names
from nn import MLP, Neuron

from .conftest import require_program

MODULE_LEVEL = Value(3.0)
label_locals()  # at a module's top level: the module's globals


def test_label_locals_at_module_level():
    assert MODULE_LEVEL.label == "MODULE_LEVEL"


def test_label_locals_in_a_function_keeps_existing_labels():
    x, w = Value(2.0), Value(-3.0, "weight")
    n = x * w
    _hidden = Value(1.0)
    labelled = label_locals()
    assert (x.label, w.label, n.label, _hidden.label) == ("x", "weight", "n", "")
    assert set(labelled) == {"x", "n"}
    assert "dn/dx = -3.0" in explain(n)


def test_nn_parameters_are_labelled_by_their_place():
    model = MLP(2, [3, 1], seed=0)
    named = dict(model.named_parameters())
    assert named["layers.0.neurons.2.w.1"].label == "L1.n3.w2"
    assert named["layers.0.neurons.2.b"].label == "L1.n3.b"
    assert named["layers.1.neurons.0.w.0"].label == "L2.n1.w1"
    assert [p.label for p in Neuron(2, seed=0).parameters()] == ["w1", "w2", "b"]
    out = model([0.5, -1.0])
    names = set(node_names(out).values())
    assert {"L1.n1", "relu(L1.n3)", "L2.n1", "L1.n3.w2"} <= names  # a neuron's sum is named for the neuron


def test_text_graph_needs_no_graphviz(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    x = Value(2.0, "x")
    y = (x * x).tanh()
    y.label = "y"
    y.backward()
    lines = text_graph(y).splitlines()
    assert lines[0].startswith("y = tanh(x*x)") and lines[0].endswith("grad 1.0")
    assert lines[1].startswith("└─ x*x") and "x (shared, above)" in lines[-1]


def test_text_graph_of_a_long_chain_is_capped():
    y = Value(1.0, "x")
    for _ in range(5000):
        y = y * 1.0
    text = text_graph(y, max_lines=50)
    assert len(text.splitlines()) == 51 and text.endswith("4951 more nodes (pass max_lines= to see them)")
    assert max(len(line) for line in text.splitlines()) < 200  # indentation stops growing


def test_cli_tree_and_pictures_show_the_gradients(capsys, tmp_path):
    require_program("dot", "apt-get install graphviz")
    svg = tmp_path / "g.svg"
    assert main(["explain", "tanh(x*w + b)", "x=2", "w=-3", "b=6.8813735870195432", "--tree", "--svg", str(svg)]) == 0
    out = capsys.readouterr().out
    assert "└─ x*w + b " in out and "grad -1.5" in out
    texts = [t.text for t in ET.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}text")]
    assert "grad -1.5" in texts and "grad 1.0" in texts and "∂f/∂(x*w + b) = 1 - tanh(x*w + b)^2 = 0.5" in texts


def test_a_picture_path_with_the_wrong_suffix_is_refused_before_printing(capsys, tmp_path):
    assert main(["explain", "x*2", "x=1", "--png", str(tmp_path / "g.svg")]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "--png writes a .png file" in captured.err


def test_cli_code_prints_the_generated_function(capsys):
    assert main(["explain", "tanh(x*w + b)", "x=2", "w=-3", "b=6.88", "--code"]) == 0
    out = capsys.readouterr().out
    assert "def f_and_gradients(x, w, b):" in out and "    d_x_w_b = d_f * (1.0 - f * f)  # ∂tanh(x*w + b)/∂(x*w + b) = 1 - tanh(x*w + b)^2" in out
    assert main(["explain", "x*2", "x=1", "--json", "--code"]) == 2
    assert "--json prints JSON data only" in capsys.readouterr().err


def test_rules_bracket_a_formula_name_where_precedence_needs_it():
    from autograd.engine.value import edge_rule

    a, b, c = Value(1.0, "a"), Value(2.0, "b"), Value(3.0, "c")
    y = (a + b) * c
    y.label = "y"
    assert edge_rule(y, 0, node_names(y)) == "∂((a + b) * c)/∂(a + b) = c"
    z = (a * b).tanh() / (a - c)
    z.label = "z"
    assert edge_rule(z, 1, node_names(z)) == "∂(tanh(a*b) / (a - c))/∂(a - c) = -tanh(a*b)/(a - c)^2"
    t = (a * b + c).tanh()
    t.label = "t"
    assert edge_rule(t, 0, node_names(t)) == "∂tanh(a*b + c)/∂(a*b + c) = 1 - tanh(a*b + c)^2"
    assert list(node_names(-(a + b)).values())[-1] == "-(a + b)"  # it read -a + b
    assert list(node_names(a - (b + c)).values())[-1] == "a - (b + c)"


OPS = {"+": lambda p, q: p + q, "-": lambda p, q: p - q, "*": lambda p, q: p * q, "/": lambda p, q: p / q,
       "tanh": lambda p, q: p.tanh(), "sin": lambda p, q: p.sin(), "exp": lambda p, q: (p * 0.1).exp(),
       "neg": lambda p, q: -p, "pow": lambda p, q: p ** 2}


@given(st.lists(st.tuples(st.sampled_from(sorted(OPS)), st.integers(0, 20), st.integers(0, 20)), min_size=1, max_size=6),
       st.lists(st.floats(0.5, 2.0), min_size=3, max_size=3))
def test_every_rule_read_as_written_gives_the_local_derivative(steps, data):
    """Each edge's rule, its names read as the formulas they stand for, evaluates to the recorded
    local derivative, and each name that is a formula evaluates to its node's value: a missing
    bracket would change the number."""
    import math

    from autograd.engine.graph import edges, topological_order
    from autograd.engine.value import edge_rule

    nodes = [Value(x, name) for x, name in zip(data, "abc")]
    for op, i, j in steps:
        p, q = nodes[i % len(nodes)], nodes[j % len(nodes)]
        if op == "/" and abs(q.data) < 1e-3:
            continue
        try:
            nodes.append(OPS[op](p, q))
        except OverflowError:  # squares of squares grow fast: exp of them overflows
            break
    root = nodes[-1]
    names = node_names(root)
    values = {name: node.data for node, name in names.items() if name.isidentifier()}  # a, b, c and v-names
    scope = {"tanh": math.tanh, "sin": math.sin, "cos": math.cos, "exp": math.exp, **values}
    for node in topological_order(root):
        if "#" not in names[node]:  # a repeated name's suffix is no formula
            assert math.isclose(eval(names[node], scope), node.data, rel_tol=1e-9, abs_tol=1e-12), names[node]
        for k, (_parent, local) in enumerate(zip(*edges(node))):
            rule = edge_rule(node, k, names, whole=False).replace("^", "**")
            if "#" in rule:  # a repeated name's suffix is no formula
                continue
            assert math.isclose(eval(rule, scope), local, rel_tol=1e-9, abs_tol=1e-12), (rule, local)
