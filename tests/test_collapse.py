"""Big nn graphs: one box per neuron or layer, one data point of a batch."""

import xml.etree.ElementTree as ET

import pytest

from autograd import Value, draw, player, render
from nn import MLP, data, losses

from .conftest import require_program


def batch_loss(points=100):
    X, y = data.make_moons(points, noise=0.1, seed=1)
    model = MLP(2, [16, 16, 1], seed=1337)
    loss = losses.hinge([model(x) for x in X], [2 * t - 1 for t in y]) + 1e-4 * losses.l2(model.parameters())
    loss.label = "loss"
    loss.backward()
    return loss


def boxes(source, prefix):
    return {line.split()[0].strip('"') for line in source.splitlines() if line.strip().startswith(f'"{prefix}')
            and "->" not in line}


def test_a_training_steps_loss_over_100_points_gives_a_picture_that_says_something(tmp_path):
    require_program("dot", "apt-get install graphviz")
    loss = batch_loss()
    with pytest.raises(Exception, match="lays out at most"):
        draw(loss)  # 7,000 nodes: refused
    source = draw(loss, collapse="layer", sample=3).source
    assert len(boxes(source, "g-")) == 3  # three layers of point 3
    assert "L1, 16 neurons" in source and "the other 99 data points" in source
    assert 'label="data point 4 of 100 (sample=3)"' in source and "(point" not in source  # the point is named once, on top
    texts = [t.text for t in ET.parse(render(loss, tmp_path / "c.svg", collapse="layer", sample=3))
             .getroot().iter("{http://www.w3.org/2000/svg}text")]
    assert "loss" in texts and "grad 1.0" in texts


def test_neuron_boxes_for_one_point():
    source = draw(batch_loss(10), collapse="neuron", sample=0).source
    assert len(boxes(source, "g-")) == 16 + 16 + 1
    assert "<b>L1.n3</b>" in source and "L1.n3.w2" not in source  # parameters live inside their boxes
    assert 'label="data point 1 of 10 (sample=0)"' in source


def test_collapse_of_a_single_forward_pass_without_sample():
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    out = model([0.5, -1.0])
    out.backward()
    source = draw(out, collapse="neuron").source
    assert len(boxes(source, "g-")) == 4 and "(point" not in source


def test_bad_collapse_arguments_say_what_is_accepted():
    loss = batch_loss(5)
    with pytest.raises(ValueError, match="collapse must be one of neuron, layer"):
        draw(loss, collapse="block")
    with pytest.raises(ValueError, match="sample must be from 0 to 4: the graph holds 5 data points"):
        draw(loss, collapse="layer", sample=5)
    with pytest.raises(ValueError, match="collapse found no nn neurons"):
        draw(Value(1.0, "x") * 2, collapse="neuron")
    with pytest.raises(ValueError, match="collapse must be one of neuron, layer"):
        player(loss, collapse="block")


def test_a_collapsed_picture_is_laid_out_by_its_own_shape():
    """One data point's layers and its loss are a chain of boxes: top to bottom fits a slide;
    the whole graph it stands for is wide, which would have picked left to right."""
    loss = batch_loss(5)
    assert "rankdir=TB" in draw(loss, collapse="layer", sample=1).source
    assert "rankdir=LR" in draw(loss, collapse="layer", sample=1, rankdir="LR").source


def test_a_single_neuron_collapses_to_one_box():
    from nn import MLP

    source = draw(MLP(2, [1], seed=0)([1.0, 2.0]), collapse="neuron").source
    assert len(boxes(source, "g-")) == 1 and "->" not in source


def test_without_sample_each_box_names_its_point():
    source = draw(batch_loss(3), collapse="layer").source
    assert "L1 (point 1), 16 neurons" in source and "L1 (point 3), 16 neurons" in source
    assert "data point" not in source and "the other" not in source
