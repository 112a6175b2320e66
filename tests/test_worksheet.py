"""chainrule worksheet: graded exercises and an answer key, the same bytes for the same seed, printable."""

import subprocess

import pytest

from autograd.cli import main
from autograd.show.worksheet import EXERCISES, exercises

from .conftest import require_program


@pytest.fixture(autouse=True)
def needs_dot():
    require_program("dot", "apt-get install graphviz")


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_numbers(tmp_path, capsys):
    for folder, seed in (("a", 3), ("b", 3), ("c", 4)):
        assert main(["worksheet", "--count", "6", "--seed", str(seed), "--out", str(tmp_path / folder)]) == 0
    read = lambda folder, name: (tmp_path / folder / name).read_bytes()
    assert read("a", "worksheet.html") == read("b", "worksheet.html")
    assert read("a", "answers.html") == read("b", "answers.html")
    assert read("a", "worksheet.html") != read("c", "worksheet.html")
    assert "wrote" in capsys.readouterr().out


def test_exercises_are_graded_and_the_key_has_every_chain_rule_line(tmp_path):
    assert [e.level for e in exercises(5, seed=0)] == [level for level, _, _ in EXERCISES]
    main(["worksheet", "--count", "5", "--seed", "0", "--out", str(tmp_path)])
    sheet = (tmp_path / "worksheet.html").read_text()
    key = (tmp_path / "answers.html").read_text()
    assert sheet.count("<section>") == key.count("<section>") == 5
    assert "grad ______" in sheet and "df/dx1 = ____________" in sheet
    assert "df/df * df/dv" not in sheet and "+= df/d" in key and "gradients" in key


def test_the_worksheet_prints_to_pdf_in_chromium(tmp_path):
    chromium = require_program("chromium", "apt-get install chromium")
    main(["worksheet", "--count", "5", "--seed", "1", "--out", str(tmp_path)])
    pdf = tmp_path / "worksheet.pdf"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", (tmp_path / "worksheet.html").as_uri()],
                   capture_output=True, timeout=120, check=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 5


def test_bad_counts_are_refused(tmp_path, capsys):
    assert main(["worksheet", "--count", "0", "--out", str(tmp_path)]) == 2
    assert "--count must be from 1 to 50" in capsys.readouterr().err


def test_the_key_has_no_name_line_and_every_part_has_a_name(tmp_path):
    """Issue 22 item 8: the answer key repeated the Name/Date line; the neuron's pre-activation read v8."""
    import re

    main(["worksheet", "--count", "5", "--seed", "0", "--out", str(tmp_path)])
    sheet = (tmp_path / "worksheet.html").read_text()
    key = (tmp_path / "answers.html").read_text()
    assert sheet.count("Name: ____") == 1 and "Name:" not in key and "Date:" not in key
    assert "where n = x1*w1 + x2*w2 + b;" in key and "df/dn" in key
    assert not re.search(r"\bv\d+\b", sheet + key)  # no auto-name anywhere
