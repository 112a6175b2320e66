"""chainrule export: variants per student, read back from each format and recomputed by the engine."""

from __future__ import annotations

import base64
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import venv
import xml.etree.ElementTree as ET
import zipfile

import pytest

from autograd.cli import main
from autograd.teach.expr import build
from autograd.teach.grader import grade, key_data, variants_from_key
from autograd.teach.lms import gift, moodle_xml, qti_zip, questions, tolerance
from autograd.teach.variants import VariantError, parse_range, variants

from .conftest import require_module, require_program

NEURON = "tanh(x*w + b)"
RANGES = {"x": (1.0, 3.0), "w": (-3.0, -1.0), "b": (6.0, 7.0)}
MISTAKES = {"missed_path", "no_upstream", "no_local", "sign", "wrong_point"}


def stated(text: str) -> tuple[str, dict[str, float], str]:
    """From a question's text alone: the expression, the stated values and the input asked for."""
    plain = html.unescape(re.sub(r"<[^>]+>", " ", text))
    found = re.search(r"f = (.+?), with (.+?)\.\s+What is df/d(\w+)\?", plain)
    assert found, plain
    values = {name: float(number) for name, number in re.findall(r"(\w+) = (-?[0-9.e+-]+)", found.group(2))}
    return found.group(1), values, found.group(3)


def recomputed(text: str) -> float:
    """The gradient the question asks for, worked out by the engine from what the question states."""
    expression, values, asked = stated(text)
    out, inputs = build(expression, [f"{name}={value!r}" for name, value in values.items()])
    out.backward()
    return inputs[asked].grad


# --- variants ----------------------------------------------------------------------------------

def test_variants_are_drawn_from_the_ranges_to_two_decimals_and_reproducible():
    first = variants(NEURON, RANGES, 30, seed=4)
    assert first == variants(NEURON, RANGES, 30, seed=4)
    assert first != variants(NEURON, RANGES, 30, seed=5)
    assert [v.number for v in first] == list(range(1, 31))
    for v in first:
        assert [name for name, _ in v.values] == ["x", "w", "b"]  # as they appear in the expression
        for name, value in v.values:
            lo, hi = RANGES[name]
            assert lo <= value <= hi and round(value, 2) == value
        out, inputs = build(NEURON, [f"{n}={x!r}" for n, x in v.values])
        out.backward()
        assert dict(v.answers) == {name: leaf.grad for name, leaf in inputs.items()}


def test_draws_outside_the_domain_are_skipped():
    found = variants("log(x) * y", {"x": (-1.0, 1.0), "y": (2.0, 3.0)}, 20, seed=1)
    assert all(dict(v.values)["x"] > 0 for v in found)


def test_a_draw_whose_answers_agree_to_4_digits_is_skipped():
    # d(x*y)/dx = y and d/dy = x: equal to 4 digits whenever x and y round alike
    found = variants("x*y", {"x": (1.0, 1.02), "y": (1.0, 1.02)}, 5, seed=2)
    assert all(f"{v.answers[0][1]:.4g}" != f"{v.answers[1][1]:.4g}" for v in found)
    with pytest.raises(VariantError, match="two gradients are equal"):
        variants("x + y", {"x": (1.0, 2.0), "y": (1.0, 2.0)}, 3, seed=0)


@pytest.mark.parametrize("ranges, students, message", [
    ({"x": (3.0, 1.0)}, 3, "the range of x is empty"),
    ({"x": (1.0, 2.0)}, 0, "from 1 to 1000"),
    ({}, 3, "no range for x"),
    ({"x": (1.0, 2.0), "z": (0.0, 1.0)}, 3, "z is not in the expression"),
    ({"x": (-2.0, -1.0)}, 3, "log needs x > 0"),
])
def test_variants_refuse_what_cannot_give_an_exercise(ranges, students, message):
    with pytest.raises(VariantError, match=message):
        variants("log(x)", ranges, students)


def test_parse_range():
    assert parse_range("w=-3:-1") == ("w", (-3.0, -1.0))
    for bad in ("w", "w=1", "w=a:b", "=1:2"):
        with pytest.raises(VariantError, match="NAME=LO:HI"):
            parse_range(bad)


# --- the formats, read back -------------------------------------------------------------------

def read_gift(text: str) -> list[dict]:
    """A GIFT reader written from Moodle's description of the format (numerical questions only)."""
    def unescape(s: str) -> str:
        return re.sub(r"\\(.)", r"\1", s)

    def split(s: str, marker: str) -> list[str]:  # split on marker characters that are not escaped
        return [part for part in re.split(rf"(?<!\\){re.escape(marker)}", s)]

    found, category = [], None
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if not line.startswith("//")]
        if not lines:
            continue
        if lines[0].startswith("$CATEGORY:"):
            category = unescape(lines[0][len("$CATEGORY:"):].strip())
            continue
        source = "\n".join(lines)
        head = re.match(r"::(.*?)(?<!\\)::\s*(.*?)(?<!\\)\{#(.*)(?<!\\)\}\s*$", source, re.S)
        assert head, source
        title, stem, body = head.groups()
        body, _, general = body.partition("####")
        answers = []
        for part in split(body, "=")[1:]:
            weight, number, tol, feedback = re.match(r"\s*%(-?\d+)%(.*?)(?<!\\):(.*?)(?<!\\)#(.*)", part, re.S).groups()
            answers.append((int(weight), float(number), float(tol), unescape(feedback.strip())))
        found.append({"category": category, "title": unescape(title), "text": unescape(stem.strip()).removeprefix("[html]"),
                      "answers": answers, "general": unescape(general.strip())})
    return found


def test_gift_round_trip():
    found = variants(NEURON, RANGES, 30, seed=1)
    questions_read = read_gift(gift(found))
    assert len(questions_read) == 30 * 3
    assert {q["category"].rsplit("/", 1)[1] for q in questions_read} == {"gradient by x", "gradient by w", "gradient by b"}
    for q in questions_read:
        weight, number, tol, feedback = q["answers"][0]
        assert weight == 100 and feedback == "Right."
        truth = recomputed(q["text"])
        assert number == truth and tol == tolerance(truth)
        assert "df/d" in q["general"]
        for weight, number, tol, feedback in q["answers"][1:]:
            assert weight == 0 and abs(number - truth) > tolerance(truth) and feedback and tol == tolerance(number)


def test_gift_escapes_what_it_must():
    text = gift(variants("x*w + 1", {"x": (1.0, 2.0), "w": (3.0, 4.0)}, 1))
    stem = [line for line in text.splitlines() if line.startswith("::")][0]
    assert "f \\= x*w + 1" in stem and "x \\= " in stem


def test_moodle_xml_round_trip():
    found = variants(NEURON, RANGES, 30, seed=1)
    root = ET.fromstring(moodle_xml(found, picture=lambda v: f"<svg><text>{v.number} &lt;</text></svg>"))
    assert root.tag == "quiz"
    numerical = root.findall("question[@type='numerical']")
    assert len(numerical) == 90 and len(root.findall("question[@type='category']")) == 3
    wrong_feedback = set()
    for question in numerical:
        assert question.findtext("name/text").startswith("df/d")
        text = question.find("questiontext")
        assert text.get("format") == "html"
        assert '<img src="@@PLUGINFILE@@/graph.svg"' in text.findtext("text")
        file = text.find("file")
        assert file.get("name") == "graph.svg" and file.get("encoding") == "base64"
        assert base64.b64decode(file.text).startswith(b"<svg>")
        truth = recomputed(text.findtext("text"))
        answers = question.findall("answer")
        assert answers[0].get("fraction") == "100" and float(answers[0].findtext("text")) == truth
        assert float(answers[0].findtext("tolerance")) == tolerance(truth)
        for answer in answers[1:]:
            assert answer.get("fraction") == "0"
            assert abs(float(answer.findtext("text")) - truth) > tolerance(truth)
            wrong_feedback.add(answer.findtext("feedback/text"))
        assert "df/d" in question.findtext("generalfeedback/text")
        assert question.findtext("defaultgrade") == "1"
    assert wrong_feedback  # the neuron's variants give several mistakes' numbers their own feedback


def test_each_mistake_number_is_diagnosed_as_its_mistake():
    found = variants("(x + y) * x", {"x": (1.0, 2.0), "y": (2.0, 3.0)}, 5, seed=3)
    for q in (q for v in found for q in questions(v)):
        quiz = q.variant.quiz()
        for wrong in q.wrong:
            assert wrong.mistake in MISTAKES
            assert quiz.answer(q.name, wrong.number).mistake == wrong.mistake
            assert str(quiz.answer(q.name, wrong.number)) == wrong.feedback
    mistakes = {w.mistake for v in found for q in questions(v) for w in q.wrong}
    assert {"missed_path", "sign"} <= mistakes


def test_qti_package_read_back_by_an_independent_reader(tmp_path):
    qti2latex = require_module("qti2latex", "pip install -e '.[test]'")
    found = variants(NEURON, RANGES, 30, seed=1)
    with zipfile.ZipFile(io.BytesIO(qti_zip(found, picture=lambda v: "<svg/>"))) as archive:
        archive.extractall(tmp_path)
        names = set(archive.namelist())
    manifest = ET.parse(tmp_path / "imsmanifest.xml").getroot()
    hrefs = {f.get("href") for f in manifest.iter() if f.tag.endswith("file")}
    assert hrefs == names - {"imsmanifest.xml"}
    assert any(r.get("type") == "imsqti_xmlv1p2" for r in manifest.iter() if r.tag.endswith("resource"))
    (assessment_file,) = qti2latex.read_qti_dir(tmp_path)
    root = ET.parse(assessment_file).getroot()
    groups = [s for s in qti2latex.findall_anyns(root, "section") if s.get("ident", "").startswith("group_")]
    assert [g.get("title") for g in groups] == ["df/dx", "df/dw", "df/db"]
    for group in groups:
        assert qti2latex.findall_anyns(group, "selection_number")[0].text == "1"
    items = qti2latex.findall_anyns(root, "item")
    assert len(items) == 90
    for item in items:
        meta = qti2latex.get_qti_metadata(item)
        assert qti2latex.guess_type(meta, item) == "numerical_question" and meta["points_possible"] == "1.0"
        stem = qti2latex.get_item_stem(item)
        assert "$IMS-CC-FILEBASE$/graphs/variant_" in stem
        truth = recomputed(stem)
        (exact,) = qti2latex.findall_anyns(item, "varequal")
        (low,), (high,) = qti2latex.findall_anyns(item, "vargte"), qti2latex.findall_anyns(item, "varlte")
        assert float(exact.text) == truth
        assert float(low.text) <= truth <= float(high.text)
        assert float(high.text) - float(low.text) == pytest.approx(2 * tolerance(truth))


@pytest.mark.parametrize("fmt, suffix", [("moodle", "xml"), ("gift", "txt"), ("qti", "zip"), ("gradescope", "zip")])
def test_same_seed_same_bytes(tmp_path, fmt, suffix):
    args = ["export", "x*w + sin(b)", "x=1:3", "w=-3:-1", "b=0:1", "--students", "4", "--seed", "7", "--format", fmt]
    assert main([*args, "--out", str(tmp_path / f"a.{suffix}")]) == 0
    assert main([*args, "--out", str(tmp_path / f"b.{suffix}")]) == 0
    assert (tmp_path / f"a.{suffix}").read_bytes() == (tmp_path / f"b.{suffix}").read_bytes()


def test_cli_moodle_embeds_each_variants_graph(tmp_path):
    require_program("dot", "apt-get install graphviz")
    out = tmp_path / "neuron.xml"
    assert main(["export", NEURON, "x=1:3", "w=-3:-1", "b=6:7", "--students", "2", "--format", "moodle",
                 "--out", str(out)]) == 0
    files = ET.parse(out).getroot().findall(".//questiontext/file")
    assert len(files) == 6
    assert all(b"<svg" in base64.b64decode(f.text) for f in files)


@pytest.mark.parametrize("args, message", [
    (["x=3:1", "--students", "3", "--format", "gift", "--out", "OUT.txt"], "the range of x is empty"),
    (["x=1:3", "--students", "0", "--format", "gift", "--out", "OUT.txt"], "from 1 to 1000"),
    (["x=1:3", "--format", "word", "--out", "OUT.txt"], "invalid choice: 'word'"),
    (["x=-3:-1", "--format", "gift", "--out", "OUT.txt"], "log needs x > 0"),
    (["x=1:3", "--format", "moodle", "--out", "OUT.txt"], "writes a .xml file"),
    (["x", "--format", "gift", "--out", "OUT.txt"], "NAME=LO:HI"),
    (["x=1:3", "--format", "gift", "--out", "."], "writes a .txt file"),
])
def test_cli_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path, capsys, args, message):
    out = tmp_path / "OUT.txt"
    argv = ["export", "log(x)"] + [str(out) if a == "OUT.txt" else a for a in args]
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert message in error and len(error.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


# --- the Gradescope grader --------------------------------------------------------------------

def test_grade_right_wrong_missing_and_malformed():
    found = variants(NEURON, RANGES, 3, seed=1)
    key = variants_from_key(json.loads(json.dumps(key_data(found))))
    assert key == found
    right = {name: value for name, value in found[1].answers}
    result = grade(key, {"variant": 2, "answers": right})
    assert result["score"] == 3.0 and [t["score"] for t in result["tests"]] == [1.0, 1.0, 1.0]
    half = dict(right, w=-right["w"], b="not a number")
    del half["x"]
    result = grade(key, {"variant": 2, "answers": half})
    assert [t["score"] for t in result["tests"]] == [0.0, 0.0, 0.0]
    assert "no answer for 'x'" in result["tests"][0]["output"]
    assert "sign" in result["tests"][1]["output"]
    assert "must be a number" in result["tests"][2]["output"]
    for bad, says in [([], "one JSON object"), ({"variant": 9, "answers": right}, "from 1 to 3"),
                      ({"variant": True, "answers": right}, "from 1 to 3"), ({"variant": 1}, '"answers" must map'),
                      ({"variant": 1, "answers": {"x": float("nan")}}, "finite number")]:
        result = grade(key, bad)
        assert result["score"] == 0.0 and says in json.dumps(result, ensure_ascii=False).replace(chr(92), ""), bad
        assert len(result["tests"]) == 3


@pytest.fixture(scope="module")
def autograder(tmp_path_factory):
    """The exported zip unpacked as Gradescope lays it out, set up with its own setup.sh in a fresh venv."""
    root = tmp_path_factory.mktemp("autograder")
    found = variants(NEURON, RANGES, 4, seed=1)
    from autograd.teach.gradescope import autograder_zip

    with zipfile.ZipFile(io.BytesIO(autograder_zip(found))) as archive:
        archive.extractall(root / "source")
        for info in archive.infolist():
            os.chmod(root / "source" / info.filename, info.external_attr >> 16)
    venv.create(root / "venv", with_pip=True, symlinks=True)
    python = root / "venv" / "bin" / "python"
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"PYTHON": str(python)}
    setup = subprocess.run(["bash", str(root / "source" / "setup.sh")], env=environment, capture_output=True,
                           text=True, timeout=300)
    assert setup.returncode == 0, setup.stderr
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    return root, found, environment | {"AUTOGRADER_ROOT": str(root)}


def run_autograder(autograder, submission: bytes | None) -> dict:
    root, _, environment = autograder
    shutil.rmtree(root / "submission", ignore_errors=True)
    shutil.rmtree(root / "results", ignore_errors=True)
    (root / "submission").mkdir()
    if submission is not None:
        (root / "submission" / "answers.json").write_bytes(submission)
    done = subprocess.run([str(root / "run_autograder")], env=environment, capture_output=True, text=True,
                          timeout=60, cwd=root)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return json.loads((root / "results" / "results.json").read_text())


def test_autograder_grades_from_its_own_wheel(autograder):
    root, found, environment = autograder
    where = subprocess.run([environment["PYTHON"], "-c", "import autograd; print(autograd.__file__)"],
                           env=environment, capture_output=True, text=True, cwd=root)
    assert str(root / "venv") in where.stdout  # the wheel's copy, not this checkout
    right = {name: value for name, value in found[2].answers}
    result = run_autograder(autograder, json.dumps({"variant": 3, "answers": right}).encode())
    assert result["score"] == 3.0 and all(t["max_score"] == 1.0 for t in result["tests"])
    quiz = found[2].quiz()
    for q in questions(found[2]):
        for wrong in q.wrong:  # one submission per mistake: the test's output names it
            answers = dict(right, **{q.name: wrong.number})
            result = run_autograder(autograder, json.dumps({"variant": 3, "answers": answers}).encode())
            test = next(t for t in result["tests"] if t["name"] == f"df/d{q.name}")
            assert test["score"] == 0.0 and str(quiz.answer(q.name, wrong.number)) in test["output"]
            assert result["score"] == 2.0


@pytest.mark.parametrize("submission, says", [
    (None, "no answers.json"), (b"", "not valid JSON"), (b"{\"variant\": 1,", "not valid JSON"),
    (b"\xff\xfe", "not valid JSON"), (b"[1, 2]", "one JSON object"), (b'{"variant": "1", "answers": {}}', "from 1 to 4"),
])
def test_autograder_never_crashes_on_a_malformed_submission(autograder, submission, says):
    result = run_autograder(autograder, submission)
    assert result["score"] == 0 and says in result["output"]
    assert [t["score"] for t in result["tests"]] == [0.0, 0.0, 0.0]


def test_read_submission_accepts_a_utf8_bom(tmp_path):
    from autograd.teach.grader import read_submission

    (tmp_path / "answers.json").write_bytes(b"\xef\xbb\xbf" + b'{"variant": 1, "answers": {}}')
    assert read_submission(tmp_path) == {"variant": 1, "answers": {}}


# --- animate ------------------------------------------------------------------------------------

def test_animate_writes_one_frame_per_step_plus_forward_and_end(tmp_path):
    require_program("dot", "apt-get install graphviz")
    image = require_module("PIL.Image", "pip install pillow")
    from autograd import Value, animate

    x, w, b = Value(2.0, "x"), Value(-3.0, "w"), Value(6.88, "b")
    y = (x * w + b).tanh()
    y.label = "o"
    x.grad = 5.0  # a learner's accumulated grad is left alone
    path = animate(y, tmp_path / "neuron.gif", width=1280)
    gif = image.open(path)
    assert gif.n_frames == 3 + 2 and gif.size == (1280, 720)
    durations = []
    for k in range(gif.n_frames):
        gif.seek(k)
        durations.append(gif.info["duration"])
    assert durations[0] >= 3000 and durations[1] == 2500 and durations[-1] >= 4000
    assert x.grad == 5.0 and w.grad == 0.0


def test_animate_refuses_bad_arguments(tmp_path):
    from autograd import Value, animate

    with pytest.raises(ValueError, match=r"\.gif"):
        animate(Value(1.0) * 2, tmp_path / "a.png")
    with pytest.raises(ValueError, match="from 640 to 1920"):
        animate(Value(1.0) * 2, tmp_path / "a.gif", width=4000)
    with pytest.raises(ValueError, match="multiple of 16"):
        animate(Value(1.0) * 2, tmp_path / "a.gif", width=650)
    with pytest.raises(TypeError, match="Value"):
        animate(3, tmp_path / "a.gif")
    assert list(tmp_path.iterdir()) == []


def test_cli_gif(tmp_path):
    require_program("dot", "apt-get install graphviz")
    require_module("PIL", "pip install pillow")
    path = tmp_path / "steps.gif"
    assert main(["explain", "x*y + x", "x=2", "y=3", "--gif", str(path)]) == 0
    assert path.read_bytes().startswith(b"GIF89a")
    assert main(["explain", "x*y", "x=2", "y=3", "--gif", str(tmp_path / "steps.png")]) == 2


def test_the_grader_module_runs_as_a_script(tmp_path):
    found = variants("x*w", {"x": (1.0, 2.0), "w": (3.0, 4.0)}, 2, seed=1)
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "variants.json").write_text(json.dumps(key_data(found)))
    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / "answers.json").write_text(json.dumps({"variant": 1, "answers": dict(found[0].answers)}))
    done = subprocess.run([sys.executable, "-m", "autograd.teach.grader", "--source", str(tmp_path / "source"),
                           "--submission", str(tmp_path / "submission"), "--results", str(tmp_path / "results")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "results" / "results.json").read_text())["score"] == 2.0
