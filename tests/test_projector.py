"""Pictures for a projector from the command line (issue 22 item 5): the library's size, dpi and
scale as options, and a default PNG that a class can read on a 1920x1080 screen."""

import struct

import pytest

from autograd.cli import main

from .conftest import require_program
from .test_player import _sized, browser  # noqa: F401  (the Chromium fixture, as the player's tests use it)

NEURON = ["tanh(x*w + b)", "x=2", "w=-3", "b=6.88"]


@pytest.fixture(autouse=True)
def needs_dot():
    require_program("dot", "apt-get install graphviz")


def png_size(path):
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_default_png_is_projector_sized(tmp_path, capsys):
    assert main(["explain", *NEURON, "--png", str(tmp_path / "g.png")]) == 0
    assert max(png_size(tmp_path / "g.png")) >= 1600


def test_size_dpi_and_scale_are_the_library_s(tmp_path, capsys):
    small = tmp_path / "small.png"
    assert main(["explain", *NEURON, "--png", str(small), "--size", "4,3", "--dpi", "100", "--scale", "2"]) == 0
    width, height = png_size(small)
    assert width <= 400 and height <= 300
    assert main(["explain", *NEURON, "--svg", str(tmp_path / "g.svg"), "--size", "16,9!"]) == 0
    assert '<svg width="1152pt"' in (tmp_path / "g.svg").read_text() or 'height="648pt"' in (tmp_path / "g.svg").read_text()
    capsys.readouterr()


@pytest.mark.parametrize("options, says", [
    (["--dpi", "5"], "dpi must be a finite number from 10 to 1200"),
    (["--size", "big"], 'size is Graphviz\'s "width,height"'),
    (["--scale", "0"], "scale must be a finite number from 0.1 to 10"),
    (["--no-picture"], None),
])
def test_bad_sizes_exit_2_in_one_line(tmp_path, capsys, options, says):
    if says is None:  # a size without a picture to size
        options, says = ["--dpi", "100"], "give --png PATH or --svg PATH too"
        status = main(["explain", *NEURON, *options])
    else:
        status = main(["explain", *NEURON, "--png", str(tmp_path / "g.png"), *options])
    out, err = capsys.readouterr()
    assert status == 2 and out == "" and len(err.splitlines()) == 1 and says in err
    assert not (tmp_path / "g.png").exists()


EDGE_TEXT = """
const height = arguments[0];  // the PNG's height in pixels, shown fitted to the window
const fit = Math.min(innerWidth / arguments[1], innerHeight / height);
const canvas = document.querySelector('g.graph > polygon').getBoundingClientRect();  // the whole picture
const heights = Array.from(document.querySelectorAll('g.edge text')).map(t => t.getBoundingClientRect().height);
return {edge: Math.min(...heights) / canvas.height * height * fit, count: heights.length,
        window: [innerWidth, innerHeight]};
"""


def test_edge_text_of_the_default_png_is_18_px_at_1920x1080(tmp_path, capsys, browser):  # noqa: F811
    """Measured as the player test measures, in Chromium: the same drawing (render's PNG defaults, as
    SVG), each edge label's height as a share of the whole picture's, times the PNG's height shown
    fitted to a 1920x1080 window."""
    from autograd.show.drawing import PNG_DEFAULTS, render
    from autograd.teach.expr import build

    assert main(["explain", *NEURON, "--png", str(tmp_path / "g.png")]) == 0
    width, height = png_size(tmp_path / "g.png")
    out, _ = build(NEURON[0], NEURON[1:])
    out.backward()
    svg = render(out, tmp_path / "g.svg", edge_labels="rule", **PNG_DEFAULTS).read_text()
    page = tmp_path / "shown.html"
    page.write_text(f"<!DOCTYPE html><html><body style='margin:0'>{svg[svg.index('<svg'):]}</body></html>")
    _sized(browser, 1920, 1080)
    browser.get(page.as_uri())
    shape = browser.execute_script(EDGE_TEXT, height, width)
    assert shape["count"] == 5 and shape["window"] == [1920, 1080], shape
    assert shape["edge"] >= 18, shape
    capsys.readouterr()

