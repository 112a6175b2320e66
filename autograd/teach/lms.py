"""An exercise's variants as a course's systems import them: Moodle XML, GIFT and QTI 1.2 (Canvas).

Every question asks for one gradient of one variant (``df/dx = ?``), states the input values
as ``name = value``, and is judged with the quiz's relative tolerance (4 significant digits).
Its general feedback is the chain rule at that input with the variant's numbers, then the
whole worked backward pass; where the format allows feedback per answer (Moodle XML and
GIFT), each common mistake's number gets a sentence of its own, so a student who left out a
path is told so. Questions on the same input are grouped (a Moodle category, a Canvas
question group that draws one per student), one variant per student.

Pictures belong to the drawing layer: ``moodle_xml`` and ``qti_zip`` take a function that
gives a variant's picture as SVG text (``autograd.show.export`` passes one), or None.
"""

from __future__ import annotations

import base64
import html
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..engine.files import zip_bytes
from ..engine.formatting import format_number
from .expr import OUTPUT_NAME
from .naming import PLAIN
from .quiz import ABS_TOL, REL_TOL, Quiz, close
from .trace import explain
from .variants import Variant

Picture = Callable[[Variant], str] | None  # a variant's graph as SVG text


@dataclass(frozen=True)
class WrongAnswer:
    """A number a common mistake gives, and the sentence that names the mistake."""

    mistake: str
    number: float
    feedback: str


@dataclass(frozen=True)
class Question:
    """One gradient of one variant, ready for any format."""

    variant: Variant
    name: str  # the input
    prompt: str  # "df/dx"
    answer: float
    tolerance: float  # absolute, from the quiz's relative tolerance
    rule: str  # the chain rule at the input with this variant's numbers
    worked: str  # the whole backward pass, as explain() writes it
    wrong: tuple[WrongAnswer, ...]

    @property
    def title(self) -> str:
        """The question's name in a question bank: ``df/dx, variant 3``."""
        return f"{self.prompt}, variant {self.variant.number}"

    def text(self, picture_src: str | None = None) -> str:
        """The question as HTML: the expression, the values, the picture if any, what to find.

        >>> from autograd.teach.variants import variants
        >>> q = questions(variants("x*w", {"x": (1, 2), "w": (3, 4)}, 1, seed=1)[0])[0]
        >>> q.text()
        '<p>f = x*w, with x = 1.13, w = 3.85.</p><p>What is df/dx? (4 significant digits)</p>'
        """
        expression = html.escape(self.variant.expression.strip())
        shown = f'<p><img src="{html.escape(picture_src)}" alt="the graph of f"></p>' if picture_src else ""
        return (f"<p>{OUTPUT_NAME} = {expression}, with {html.escape(self.variant.given())}.</p>{shown}"
                f"<p>What is {html.escape(self.prompt)}? (4 significant digits)</p>")

    def general_feedback(self) -> str:
        """The rule and the worked pass, as HTML (shown after the attempt, whatever the answer)."""
        return (f"<p>{html.escape(self.rule)}</p>"
                f"<pre>{html.escape(self.worked)}</pre>")


def tolerance(answer: float) -> float:
    """The absolute tolerance that judges ``answer`` as the quiz does (4 significant digits).

    >>> tolerance(2.0), tolerance(0.0)
    (0.001, 1e-09)
    """
    return max(REL_TOL * abs(answer), ABS_TOL)


def questions(variant: Variant) -> list[Question]:
    """One ``Question`` per input of ``variant``, in the order the inputs are stated.

    >>> from autograd.teach.variants import variants
    >>> [(q.prompt, q.answer) for q in questions(variants("x*w", {"x": (1, 2), "w": (3, 4)}, 1, seed=1)[0])]
    [('df/dx', 3.85), ('df/dw', 1.13)]
    """
    test = variant.quiz()
    worked = explain(variant.graph()[0])
    found = []
    for name, answer in variant.answers:
        rule = test.hint(name).rsplit(" = ?", 1)[0]
        found.append(Question(variant, name, PLAIN.derivative(OUTPUT_NAME, name), answer, tolerance(answer),
                              f"{rule} = {format_number(answer)}", str(worked), _wrong_answers(test, name)))
    return found


MAX_WRONG_PER_MISTAKE = 6  # a long sum has many subsets of paths; the first few are feedback enough


def _wrong_answers(test: Quiz, name: str) -> tuple[WrongAnswer, ...]:
    """What each common mistake gives for ``name`` (``Quiz.mistakes``), each number once, with the
    sentence the quiz says to it; in the quiz's order, so the first mistake a number matches speaks."""
    seen = [test.expected(name)]
    found = []
    for mistake, numbers in test.mistakes(name).items():
        for number in numbers[:MAX_WRONG_PER_MISTAKE]:
            if any(close(number, s) for s in seen):
                continue
            seen.append(number)
            found.append(WrongAnswer(mistake, number, str(test.answer(name, number))))
    return tuple(found)


def exercise_title(variants: Sequence[Variant]) -> str:
    """``chainrule: f = tanh(x*w + b)``: the quiz's or question bank's name.

    >>> from autograd.teach.variants import Variant
    >>> exercise_title([Variant(1, "x*w", (("x", 1.0), ("w", 2.0)), ())])
    'chainrule: f = x*w'
    """
    return f"chainrule: {OUTPUT_NAME} = {variants[0].expression.strip()}"


def category(variants: Sequence[Variant], question: Question) -> str:
    """The question bank's category of a question: one per exercise and gradient asked.

    A ``/`` inside a name is doubled, as Moodle reads it (a single one nests a category).

    >>> from autograd.teach.variants import variants
    >>> found = variants("x/w", {"x": (1, 2), "w": (3, 4)}, 1, seed=1)
    >>> category(found, questions(found[0])[0])
    '$course$/top/chainrule: f = x//w/gradient by x'
    """
    return f"$course$/top/{exercise_title(variants).replace('/', '//')}/gradient by {question.name}"


def _number(x: float) -> str:
    return repr(float(x))


def by_input(variants: Sequence[Variant]) -> list[list[Question]]:
    """The questions grouped by input: one group per gradient asked, one question per variant."""
    table = [questions(variant) for variant in variants]
    return [list(group) for group in zip(*table)]


# --- GIFT -----------------------------------------------------------------------------------

_GIFT_SPECIAL = str.maketrans({c: "\\" + c for c in "\\~=#{}:"})


def gift_escape(text: str) -> str:
    """Text as GIFT reads it literally: its special characters behind a backslash, one line.

    >>> gift_escape("f = x:y {a}")
    'f \\\\= x\\\\:y \\\\{a\\\\}'
    """
    return " ".join(text.split()).translate(_GIFT_SPECIAL)


def gift(variants: Sequence[Variant]) -> str:
    """The variants as GIFT text: a category per gradient, a numerical question per variant.

    >>> from autograd.teach.variants import variants
    >>> text = gift(variants("x*w", {"x": (1, 2), "w": (3, 4)}, 1, seed=1))
    >>> text.splitlines()[2]
    '$CATEGORY: $course$/top/chainrule\\\\: f \\\\= x*w/gradient by x'
    """
    lines = [f"// {exercise_title(variants)}: {len(variants)} variants, made by chainrule", ""]
    for group in by_input(variants):
        lines += [f"$CATEGORY: {gift_escape(category(variants, group[0]))}", ""]
        for q in group:
            answers = [f"=%100%{_number(q.answer)}:{_number(q.tolerance)}#{gift_escape('Right.')}"]
            answers += [f"=%0%{_number(w.number)}:{_number(tolerance(w.number))}#{gift_escape(w.feedback)}" for w in q.wrong]
            feedback = gift_escape(q.general_feedback().replace("\n", "<br>"))  # one line: a blank one ends a question
            lines += [f"::{gift_escape(q.title)}:: [html]{gift_escape(q.text())} {{#",
                      *(f"    {a}" for a in answers), f"    ####{feedback}", "}", ""]
    return "\n".join(lines)


# --- Moodle XML -----------------------------------------------------------------------------

def _text_element(parent: ET.Element, tag: str, text: str, fmt: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(element, "text").text = text
    return element


def moodle_xml(variants: Sequence[Variant], picture: Picture = None) -> bytes:
    """The variants as a Moodle XML quiz: numerical questions, a category per gradient asked.

    Each question embeds the variant's picture (when ``picture`` is given) as an SVG file,
    gives the rule and the worked pass as general feedback, and answers each common
    mistake's number with its own feedback (Moodle takes the first answer that matches).

    >>> from autograd.teach.variants import variants
    >>> xml = moodle_xml(variants("x*w", {"x": (1, 2), "w": (3, 4)}, 1, seed=1))
    >>> xml.count(b'<question type="numerical">')
    2
    """
    quiz_element = ET.Element("quiz")
    pictures: dict[int, str] = {}
    for group in by_input(variants):
        bank = ET.SubElement(quiz_element, "question", {"type": "category"})
        _text_element(bank, "category", category(variants, group[0]))
        for q in group:
            element = ET.SubElement(quiz_element, "question", {"type": "numerical"})
            _text_element(element, "name", q.title)
            svg = None
            if picture is not None:
                svg = pictures.setdefault(q.variant.number, picture(q.variant))
            text = _text_element(element, "questiontext", q.text("@@PLUGINFILE@@/graph.svg" if svg else None), "html")
            if svg:
                ET.SubElement(text, "file", {"name": "graph.svg", "path": "/", "encoding": "base64"}).text = \
                    base64.b64encode(svg.encode()).decode()
            _text_element(element, "generalfeedback", q.general_feedback(), "html")
            ET.SubElement(element, "defaultgrade").text = "1"
            ET.SubElement(element, "penalty").text = "0.3333333"
            ET.SubElement(element, "hidden").text = "0"
            answers = [(100, q.answer, q.tolerance, "<p>Right.</p>")]
            answers += [(0, w.number, tolerance(w.number), f"<p>{html.escape(w.feedback)}</p>") for w in q.wrong]
            for fraction, number, tol, feedback in answers:
                answer = _text_element(element, "answer", _number(number), "moodle_auto_format")
                answer.set("fraction", str(fraction))
                _text_element(answer, "feedback", feedback, "html")
                ET.SubElement(answer, "tolerance").text = _number(tol)
            for tag, value in (("unitgradingtype", "0"), ("unitpenalty", "0.1"), ("showunits", "3"), ("unitsleft", "0")):
                ET.SubElement(element, tag).text = value
    ET.indent(quiz_element)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz_element, encoding="utf-8") + b"\n"


# --- QTI 1.2 (Canvas) -----------------------------------------------------------------------

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
MANIFEST_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
ASSESSMENT_ID = "chainrule_exercise"


def _metadata(parent: ET.Element, fields: dict[str, str]) -> None:
    """Canvas's ``qtimetadata`` fields (label, entry) under ``parent``."""
    meta = ET.SubElement(parent, "qtimetadata")
    for label, entry in fields.items():
        field = ET.SubElement(meta, "qtimetadatafield")
        ET.SubElement(field, "fieldlabel").text = label
        ET.SubElement(field, "fieldentry").text = entry


def _material(parent: ET.Element, html_text: str) -> None:
    ET.SubElement(ET.SubElement(parent, "material"), "mattext", {"texttype": "text/html"}).text = html_text


def _qti_item(q: Question, ident: str, picture_src: str | None) -> ET.Element:
    item = ET.Element("item", {"ident": ident, "title": q.title})
    _metadata(ET.SubElement(item, "itemmetadata"), {"question_type": "numerical_question", "points_possible": "1.0"})
    presentation = ET.SubElement(item, "presentation")
    _material(presentation, q.text(picture_src))
    response = ET.SubElement(presentation, "response_str", {"ident": "response1", "rcardinality": "Single"})
    ET.SubElement(ET.SubElement(response, "render_fib", {"fibtype": "Decimal"}), "response_label", {"ident": "answer1"})
    processing = ET.SubElement(item, "resprocessing")
    ET.SubElement(ET.SubElement(processing, "outcomes"), "decvar",
                  {"maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"})
    shown = ET.SubElement(processing, "respcondition", {"continue": "Yes"})
    ET.SubElement(ET.SubElement(shown, "conditionvar"), "other")
    ET.SubElement(shown, "displayfeedback", {"feedbacktype": "Response", "linkrefid": "general_fb"})
    right = ET.SubElement(processing, "respcondition", {"continue": "No"})
    either = ET.SubElement(ET.SubElement(right, "conditionvar"), "or")
    ET.SubElement(either, "varequal", {"respident": "response1"}).text = _number(q.answer)
    within = ET.SubElement(either, "and")
    ET.SubElement(within, "vargte", {"respident": "response1"}).text = _number(q.answer - q.tolerance)
    ET.SubElement(within, "varlte", {"respident": "response1"}).text = _number(q.answer + q.tolerance)
    ET.SubElement(right, "setvar", {"action": "Set", "varname": "SCORE"}).text = "100"
    feedback = ET.SubElement(item, "itemfeedback", {"ident": "general_fb"})
    mistakes = "".join(f"<li>{_number(w.number)}: {html.escape(w.feedback)}</li>" for w in q.wrong)
    _material(ET.SubElement(feedback, "flow_mat"),
              q.general_feedback() + (f"<p>Common wrong answers:</p><ul>{mistakes}</ul>" if mistakes else ""))
    return item


def qti_zip(variants: Sequence[Variant], picture: Picture = None) -> bytes:
    """The variants as a QTI 1.2 package that Canvas imports (Settings, Import course content).

    One assessment; per gradient asked, a question group that draws one of the variants for
    each student. Pictures travel in the zip and are listed in the manifest.

    >>> import io, zipfile
    >>> from autograd.teach.variants import variants
    >>> names = zipfile.ZipFile(io.BytesIO(qti_zip(variants("x*w", {"x": (1, 2), "w": (3, 4)}, 1)))).namelist()
    >>> sorted(names)
    ['chainrule_exercise/chainrule_exercise.xml', 'imsmanifest.xml']
    """
    title = exercise_title(variants)
    root = ET.Element("questestinterop", {"xmlns": QTI_NS})
    assessment = ET.SubElement(root, "assessment", {"ident": ASSESSMENT_ID, "title": title})
    _metadata(assessment, {"cc_maxattempts": "1"})
    top = ET.SubElement(assessment, "section", {"ident": "root_section"})
    files: dict[str, bytes] = {}
    for g, group in enumerate(by_input(variants), start=1):
        section = ET.SubElement(top, "section", {"ident": f"group_{g}", "title": group[0].prompt})
        selection = ET.SubElement(ET.SubElement(section, "selection_ordering"), "selection")
        ET.SubElement(selection, "selection_number").text = "1"
        ET.SubElement(ET.SubElement(selection, "selection_extension"), "points_per_item").text = "1.0"
        for q in group:
            src = None
            if picture is not None:
                path = f"graphs/variant_{q.variant.number}.svg"
                if path not in files:
                    files[path] = picture(q.variant).encode()
                src = f"$IMS-CC-FILEBASE$/{path}"
            section.append(_qti_item(q, f"q{q.variant.number}_{g}", src))
    ET.indent(root)
    assessment_xml = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"
    entries = {f"{ASSESSMENT_ID}/{ASSESSMENT_ID}.xml": assessment_xml, **files}
    entries = {"imsmanifest.xml": _manifest(title, list(files)), **entries}
    return zip_bytes(entries)


def _manifest(title: str, files: list[str]) -> bytes:
    manifest = ET.Element("manifest", {"identifier": "chainrule_manifest", "xmlns": MANIFEST_NS})
    meta = ET.SubElement(manifest, "metadata")
    ET.SubElement(meta, "schema").text = "IMS Content"
    ET.SubElement(meta, "schemaversion").text = "1.1.3"
    ET.SubElement(meta, "title").text = title
    ET.SubElement(manifest, "organizations")
    resources = ET.SubElement(manifest, "resources")
    quiz_resource = ET.SubElement(resources, "resource", {"identifier": ASSESSMENT_ID, "type": "imsqti_xmlv1p2"})
    ET.SubElement(quiz_resource, "file", {"href": f"{ASSESSMENT_ID}/{ASSESSMENT_ID}.xml"})
    for k, path in enumerate(files, start=1):
        resource = ET.SubElement(resources, "resource", {"identifier": f"graph_{k}", "type": "webcontent", "href": path})
        ET.SubElement(resource, "file", {"href": path})
    ET.indent(manifest)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(manifest, encoding="utf-8") + b"\n"
