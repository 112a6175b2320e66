"""Drawing with Graphviz: the SVG parsed as XML, every format, the size limit, atomic writes."""

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value
from autograd.show.drawing import GraphTooLargeError, draw, render

from .conftest import require_program
from .examples import classic_neuron, recurrence
from .programs import programs, run, value_lib

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def needs_dot():
    require_program("dot", "apt-get install graphviz")


def svg_texts(path):
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    return [t.text for t in root.iter(f"{SVG}text")]


def test_svg_shows_labels_data_and_grads(tmp_path):
    o = classic_neuron()[0]
    o.backward()
    texts = svg_texts(render(o, tmp_path / "g.svg"))
    for expected in ("x1", "w1", "b", "n", "o", "data 0.7071", "data 6.881", "grad -1.5", "grad 1.0", "grad 0.5", "tanh", "*", "+"):
        assert expected in texts, expected
    assert texts.count("*") == 2 and texts.count("+") == 2  # op nodes are nodes of their own


def test_digits_are_configurable(tmp_path):
    o = classic_neuron()[0]
    texts = svg_texts(render(o, tmp_path / "g.svg", digits=8))
    assert "data 0.70710678" in texts and "data 6.8813736" in texts


def test_edge_labels_show_local_derivatives(tmp_path):
    x = Value(2.0, "x")
    y = x * 3
    texts = svg_texts(render(y, tmp_path / "g.svg", edge_labels=True))
    assert "∂(x*3)/∂x = 3.0" in texts and "* 3" in texts
    assert "∂(x*3)/∂x = 3.0" in svg_texts(render(y, tmp_path / "n.svg", edge_labels="number"))


def test_edge_labels_write_the_rule_of_the_op_table(tmp_path):
    o = classic_neuron()[0]
    o.backward()
    texts = svg_texts(render(o, tmp_path / "g.svg", edge_labels="rule"))
    assert "∂o/∂n = 1 - tanh(n)^2 = 0.5" in texts
    assert "∂(x1*w1)/∂w1 = x1 = 2.0" in texts and "∂n/∂b = 1.0" in texts
    with pytest.raises(ValueError, match="edge_labels must be one of"):
        draw(o, edge_labels="formula")


def test_scale_size_and_dpi_for_slides(tmp_path):
    o = classic_neuron()[0]
    source = draw(o, scale=2, size="16,9", dpi=150).source
    assert "fontsize=22" in source and 'size="16,9"' in source and "dpi=150" in source
    small, big = (render(o, tmp_path / f"{k}.png", dpi=dpi).read_bytes() for k, dpi in (("a", 50), ("b", 200)))
    width = lambda png: int.from_bytes(png[16:20], "big")
    assert width(big) > 3 * width(small)
    with pytest.raises(ValueError, match="size is Graphviz's"):
        draw(o, size="big")
    with pytest.raises(ValueError, match="scale must be a finite number from 0.1 to 10"):
        draw(o, scale=0)


def test_auto_direction_fits_a_slide():
    assert "rankdir=TB" in draw(classic_neuron()[0]).source  # a deep, narrow graph: top to bottom
    xs = [Value(float(k), f"x{k}") for k in range(12)]
    assert "rankdir=LR" in draw(Value.sum(xs)).source  # twelve leaves side by side would be too wide


def _rows(source):
    """Each wrapped row's node ids, from the clusters in the DOT source."""
    return {int(m[1]): set(re.findall(r'"([\w-]+)"', m[2]))
            for m in re.finditer(r"subgraph cluster_row(\d+) \{(.*?)\}", source, re.S)}


def test_a_long_chain_wraps_into_rows_like_text(tmp_path):
    h = recurrence(12)
    h.backward()
    source = draw(h, edge_labels="rule").source
    rows = _rows(source)
    assert "rankdir=LR" in source and len(rows) >= 3, source[:200]
    row_of = {node_id: r for r, ids in rows.items() for node_id in ids}
    for tail, head in re.findall(r'"([\w-]+)" -> "([\w-]+)"', source):
        assert row_of[tail] == row_of[head], (tail, head)  # no arrow leaves its row: a copy starts it

    svg = ET.parse(render(h, tmp_path / "wrapped.svg", edge_labels="rule")).getroot()
    width, height = map(float, svg.get("viewBox").split()[2:])
    assert 1.2 <= width / height <= 3.5, (width, height)  # the same graph in one row is about 25:1
    nodes = {g.get("id"): g for g in svg.iter(f"{SVG}g") if g.get("class") == "node"}
    ys = {node_id: [float(t.get("y")) for t in g.iter(f"{SVG}text")] for node_id, g in nodes.items()}
    bands = [(min(y for i in ids for y in ys[i]), max(y for i in ids for y in ys[i])) for _, ids in sorted(rows.items())]
    assert all(above[1] < below[0] for above, below in zip(bands, bands[1:])), bands  # row 0 on top, no overlap

    copies = {node_id: g for node_id, g in nodes.items() if "-row-" in node_id}
    assert copies, "a later row uses w and the previous h: they are drawn again there"
    for node_id, g in copies.items():
        original = [t.text for t in nodes[node_id.split("-row-")[0]].iter(f"{SVG}text")]
        assert [t.text for t in g.iter(f"{SVG}text")] == original  # the same name, data and grad
        assert any("5,2" in (shape.get("stroke-dasharray") or "") for shape in g.iter()), node_id  # dashed


def test_wrap_option(tmp_path):
    h = recurrence(6)
    assert len(_rows(draw(h, wrap=3).source)) == 3
    assert "cluster_row" not in draw(h, wrap=1).source
    assert "cluster_row" not in draw(classic_neuron()[0]).source  # short graphs are never wrapped
    for bad in (0, 2.5, True, "2", 51):
        with pytest.raises(ValueError, match="wrap is the number of rows"):
            draw(h, wrap=bad)
    with pytest.raises(ValueError, match="a collapsed picture is not wrapped"):
        draw(h, wrap=2, collapse="layer")


def test_hostile_labels_never_break_graphviz(tmp_path):
    for label in ("</b>", "<x>", "a\\Nb", '"quoted"', "&amp;", "{x}", "<<table>>"):
        x = Value(1.0, label)
        y = (x * 2).tanh()
        y.label = label
        text = render(y, tmp_path / "h.svg", edge_labels="rule").read_text()
        assert "<x>" not in text.replace("&lt;x&gt;", "")


def test_highlighted_step_shows_upstream_and_contributions(tmp_path):
    o = classic_neuron()[0]
    steps = o.backward_steps()
    next(steps)
    step = next(steps)  # at n: sends 0.5 to x1*w1 + x2*w2 and to b
    texts = svg_texts(render(o, tmp_path / "g.svg", highlight=step))
    assert "do/dn = 0.5" in texts
    assert "do/db += 0.5" in texts and "do/d(x1*w1 + x2*w2) += 0.5" in texts


@pytest.mark.parametrize("suffix, magic", [(".svg", b"<?xml"), (".png", b"\x89PNG"), (".pdf", b"%PDF"), (".dot", b"digraph")])
def test_every_format_by_suffix(tmp_path, suffix, magic):
    path = render(classic_neuron()[0], tmp_path / f"graph{suffix}")
    assert path.read_bytes().startswith(magic)
    assert [p.name for p in tmp_path.iterdir()] == [f"graph{suffix}"]  # no temporary left behind


def test_unknown_suffix_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"writes .svg, .png, .pdf or .dot files; got 'g.gif'"):
        render(classic_neuron()[0], tmp_path / "g.gif")


def test_top_to_bottom_and_bad_rankdir():
    assert "rankdir=TB" in draw(classic_neuron()[0], rankdir="TB").source
    with pytest.raises(ValueError, match="rankdir must be one of"):
        draw(classic_neuron()[0], rankdir="sideways")


def test_large_graphs_get_a_clear_error_with_the_way_out():
    x = Value(1.0)
    for _ in range(2000):
        x = x * 1.0
    with pytest.raises(GraphTooLargeError, match=r"2001 value nodes; .* Pass max_nodes=2001"):
        draw(x)
    assert draw(x, max_nodes=2001).source.count("value-") > 2000


def test_a_failed_render_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "g.svg"
    target.write_text("old")
    from autograd.show import drawing

    def broken(*args, **kwargs):
        raise RuntimeError("Graphviz failed: boom")

    monkeypatch.setattr(drawing, "run_dot", broken)
    with pytest.raises(RuntimeError):
        render(classic_neuron()[0], target)
    assert target.read_text() == "old"


def test_labels_are_escaped(tmp_path):
    x = Value(1.0, "<b>&x")
    texts = svg_texts(render(x * 2, tmp_path / "g.svg"))
    assert "<b>&x" in texts


def test_ops_inline_put_each_op_in_its_box(tmp_path):
    o = classic_neuron()[0]
    source = draw(o, ops="inline").source
    assert '"op-' not in source.split("->")[0] and 'shape=circle' not in source
    assert '<font color="#1864ab">tanh</font>' in source and '"value-8" -> "value-9"' in source
    with pytest.raises(ValueError, match="ops must be 'nodes'"):
        draw(o, ops="hidden")
    texts = svg_texts(render(o, tmp_path / "i.svg", ops="inline"))
    assert "tanh" in texts and "o" in texts


def test_only_draws_part_of_a_graph_with_its_inputs_dashed():
    o, leaves = classic_neuron()
    n = o.parents[0]
    source = draw(o, only=[o, n]).source
    node_ids = set(re.findall(r'^\s*"([\w-]+)" \[', source, re.M))
    assert {i for i in node_ids if "-row-" not in i} == {"value-8", "op-8", "value-9", "op-9"}  # n and o: ids as in the whole graph
    copies = [i for i in node_ids if "-row-" in i]
    assert len(copies) == 2 and "dashed" in source  # n reads x1*w1 + x2*w2 and b from outside the part
    assert "<b>x1</b>" not in source  # the leaves further up are not drawn
    with pytest.raises(ValueError, match="only= names no node of the graph under root"):
        draw(o, only=[Value(1.0)])


def test_the_players_wrapped_recurrence_is_near_16_9():
    """The player's settings (ops inside boxes, rules, larger text): one time step a row."""
    from autograd.show.drawing import svg_text

    svg = ET.fromstring(svg_text(recurrence(8), ops="inline", edge_labels="rule", scale=1.3))
    width, height = map(float, svg.get("viewBox").split()[2:])
    assert 1.2 <= width / height <= 2.6, (width, height)  # one row: 34:1


@given(programs(max_ops=20), st.integers(1, 6))
def test_a_wrapped_picture_draws_each_node_once_and_keeps_every_arrow_in_its_row(program, wrap):
    from autograd.engine.graph import topological_order

    inputs, steps = program
    root = run(steps, [Value(x, f"x{k}") for k, x in enumerate(inputs)], value_lib)
    source = draw(root, wrap=wrap).source
    defined = re.findall(r'^\s*"((?:value|op)-[\w-]+)" \[', source, re.M)
    originals = [i for i in defined if "-row-" not in i]
    assert len(originals) == len(set(originals))  # each node drawn once
    assert {i for i in originals if i.startswith("value-")} == {f"value-{k}" for k in range(len(topological_order(root)))}
    rows = _rows(source) if wrap > 1 else {0: set(defined)}
    row_of = {node_id: r for r, ids in rows.items() for node_id in ids}
    assert set(row_of) == set(defined)  # every box, copies included, sits in one row
    for tail, head in re.findall(r'"([\w-]+)" -> "([\w-]+)"', source):
        assert row_of[tail] == row_of[head], (tail, head)
    for copy in (i for i in defined if "-row-" in i):  # a copy stands in its own row for a node drawn elsewhere
        assert row_of[copy] == int(copy.rsplit("-", 1)[1]) != row_of[copy.split("-row-")[0]]
