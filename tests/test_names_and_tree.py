"""Names that mean something (labels, label_locals, nn's places) and the graph as text."""

import shutil
import xml.etree.ElementTree as ET

from autograd import Value, explain, label_locals, text_graph
from autograd.cli import main
from autograd.naming import node_names
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
    assert "def f_and_gradients(x, w, b):" in out and "    d_x_w_b = d_f * (1.0 - f * f)  # d tanh(x*w + b)/d(x*w + b) = 1 - tanh(x*w + b)^2" in out
    assert main(["explain", "x*2", "x=1", "--json", "--code"]) == 2
    assert "--json prints JSON data only" in capsys.readouterr().err
