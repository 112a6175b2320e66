"""The ``chainrule`` command line: explain any expression's forward and backward pass.

    chainrule explain "tanh(x*w + b)" x=2 w=-3 b=6.88 --svg graph.svg --html steps.html
    chainrule quiz "tanh(x*w + b)" x=2 w=-3 b=6.88     (work out each gradient; answers on stdin)
    chainrule ops        (every op, its derivative rule and its domain: a cheat sheet)
    chainrule web DIR    (a static site that runs chainrule itself in the browser)

Bad input of any kind, or a write that fails, ends with exit status 2 and one line on stderr
(on a terminal, a caret under the expression shows where).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import sys
from collections.abc import Mapping, Sequence
from typing import NoReturn

from .engine.files import HTML_SUFFIXES, WriteError, write_target
from .engine.formatting import format_number
from .engine.graph import scratch_grads, topological_order
from .engine.ops import cheat_sheet
from .engine.value import Value
from .teach.expr import FUNCTIONS, OUTPUT_NAME, ExpressionError, build
from .teach.naming import formula, node_names
from .teach.trace import STYLES, explain, forward_rows

BAD_INPUT = 2
EXAMPLE = 'chainrule explain "tanh(x*w + b)" x=2 w=-3 b=6.88 --svg graph.svg --html steps.html'
EXPORT_EXAMPLE = ('chainrule export "tanh(x*w + b)" x=1:3 w=-3:-1 b=6:7 --students 30 --seed 1 '
                  '--format moodle --out neuron.xml')
# what each export format's file is called, checked before anything is computed
EXPORT_SUFFIXES = {"moodle": (".xml",), "gift": (".txt", ".gift"), "qti": (".zip",), "gradescope": (".zip",)}
WORKSHEET_EXAMPLE = "chainrule worksheet --count 5 --seed 1 --out worksheets"


class UsageError(Exception):
    """Bad command-line input: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: object, example: str = EXAMPLE, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.example = example  # the command's own, shown when a required argument is missing

    def error(self, message: str) -> NoReturn:  # argparse prints usage and more; one line is enough
        if "unrecognized arguments: -" in message or "expected one argument" in message:
            message += " (an expression that starts with '-' goes after '--': chainrule explain -- '-x*2' x=1)"
        elif "required" in message:
            message += f" (for example: {self.example})"
        raise UsageError(message)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chainrule")
    except PackageNotFoundError:  # run from a checkout without installing
        return "(not installed)"


class _Version(argparse.Action):
    """--version, read from the installed package's metadata only when asked (it costs 10 ms to load)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> NoReturn:
        print(f"chainrule {_version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="chainrule", description="Explain the chain rule through any expression.",
                     epilog=f"example: {EXAMPLE}", formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    explain_cmd = commands.add_parser(
        "explain",
        help="print the forward values, every backward step and each input's gradient",
        description=f"EXPR uses numbers, names, + - * / ** %, parentheses and {', '.join(FUNCTIONS)}.",
        epilog=f"example: {EXAMPLE}", formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    explain_cmd.add_argument("expression", metavar="EXPR", help='e.g. "tanh(x*w + b)"')
    explain_cmd.add_argument("inputs", metavar="NAME=VALUE", nargs="*", help="a value for every name in EXPR")
    explain_cmd.add_argument("--svg", metavar="PATH", help="also draw the graph to an SVG file")
    explain_cmd.add_argument("--png", metavar="PATH", help="also draw the graph to a PNG file")
    explain_cmd.add_argument("--html", metavar="PATH", help="also write the step-by-step HTML player")
    explain_cmd.add_argument("--gif", metavar="PATH", help="also write the backward pass as an animated GIF (for slides)")
    explain_cmd.add_argument("--size", metavar="W,H", help='the picture\'s size in inches, Graphviz\'s "width,height" '
                             '(! at the end scales up to fill it); a PNG fills a 16:9 screen by default')
    explain_cmd.add_argument("--dpi", type=float, metavar="N",
                             help="a PNG's pixels per inch (by default at least 1600 px on its long side)")
    explain_cmd.add_argument("--scale", type=float, metavar="S", help="multiplies every font and line (default 1)")
    explain_cmd.add_argument("--json", action="store_true", help="print the same as JSON data")
    explain_cmd.add_argument("--tree", action="store_true", help="also print the graph as a text tree (no Graphviz needed)")
    explain_cmd.add_argument("--code", action="store_true",
                             help="also print the forward and backward pass as plain Python (to_python)")
    explain_cmd.add_argument("--step", action="store_true", help="pause for Enter between backward steps")
    explain_cmd.add_argument("--style", choices=STYLES, default=None,
                             help="text (default), markdown (math in $...$) or latex (an align* block)")
    explain_cmd.add_argument("--digits", type=int, default=4, choices=range(1, 18), metavar="N",
                             help="significant digits shown (1-17, default 4)")
    quiz_cmd = commands.add_parser(
        "quiz", help="hide the gradients and ask for each one, reading one answer per line",
        description="Asks for each gradient in backward order; type a number and Enter (answers can be piped in). "
                    "A wrong answer is told which common mistake it matches; up to three tries a question, the hint "
                    "growing each time (the mistake, the numbers, the answer). q or end of input stops; the last "
                    "line is the score, counting answers right at the first try.")
    quiz_cmd.add_argument("expression", metavar="EXPR", help='e.g. "tanh(x*w + b)"')
    quiz_cmd.add_argument("inputs", metavar="NAME=VALUE", nargs="*", help="a value for every name in EXPR")
    quiz_cmd.add_argument("--hide-local", action="store_true", help="hints give each local derivative's rule, not its number")
    sheet_cmd = commands.add_parser(
        "worksheet", help="write N printable exercises and their answer key as HTML", example=WORKSHEET_EXAMPLE,
        description="Graded exercises (a sum, a product, a neuron, a shared subexpression, a loss), their graphs "
                    "with the grads left blank, and an answer key with every chain-rule line. Same seed, same files.")
    sheet_cmd.add_argument("--count", type=int, default=5, help="how many exercises (1-50, default 5)")
    sheet_cmd.add_argument("--seed", type=int, default=0, help="picks the numbers (default 0)")
    sheet_cmd.add_argument("--out", metavar="DIR", required=True, help="the folder for worksheet.html and answers.html")
    export_cmd = commands.add_parser(
        "export", help="write one exercise as a variant per student for Moodle, Canvas (QTI) or Gradescope",
        description="Each student's values are drawn from NAME=LO:HI (2 decimals); one question per input, "
                    "the gradient of EXPR by it. Formats: moodle (Moodle XML), gift (GIFT text), qti (a QTI 1.2 "
                    "zip for Canvas), gradescope (an autograder zip). Same seed, same file.",
        epilog=f"example: {EXPORT_EXAMPLE}", formatter_class=argparse.RawDescriptionHelpFormatter)
    export_cmd.add_argument("expression", metavar="EXPR", help='e.g. "tanh(x*w + b)"')
    export_cmd.add_argument("ranges", metavar="NAME=LO:HI", nargs="*", help="the range of every name's values")
    export_cmd.add_argument("--students", type=int, default=30, help="how many variants (1-1000, default 30)")
    export_cmd.add_argument("--seed", type=int, default=0, help="picks the values (default 0)")
    export_cmd.add_argument("--format", required=True, choices=EXPORT_SUFFIXES, help="the course system's format")
    export_cmd.add_argument("--out", metavar="PATH", required=True, help="the file to write (.xml, .txt or .zip)")
    commands.add_parser("ops", help="print every op with its derivative rule and domain (a cheat sheet)",
                        description="Every op chainrule knows: its derivative rule and where it is defined.")
    web_cmd = commands.add_parser(
        "web", help="write a static site that runs chainrule in the browser (Pyodide): no install for students",
        description="Writes DIR/index.html and the files it loads (Pyodide, Graphviz compiled to WebAssembly, "
                    "chainrule itself). Serve DIR with any static server, e.g. python -m http.server -d DIR; "
                    "the page requests nothing outside DIR.")
    web_cmd.add_argument("folder", metavar="DIR", help="the folder to write the site into (created if missing)")
    return parser


def _number(x: float) -> float | str:
    return x if math.isfinite(x) else str(x)  # JSON has no inf or nan


def as_json(text: str, out: Value, inputs: dict[str, Value], digits: int) -> dict:
    names = node_names(out)
    order = list(reversed(topological_order(out)))
    steps = [step.as_dict() for step in out.backward_steps(digits=digits)]
    for step in steps:
        step["upstream"] = _number(step["upstream"])
        for edge in step["edges"]:
            edge.update({k: _number(edge[k]) for k in ("local", "contribution", "grad")})
    return {
        "expression": text,
        "inputs": {name: v.data for name, v in inputs.items()},
        "output": _number(out.data),
        "forward": [{"name": names[n], "formula": formula(n, names, digits) if n.op else None,
                     "data": _number(n.data)} for n in order],
        "steps": steps,
        "gradients": {name: _number(v.grad) for name, v in inputs.items()},
    }


PICTURES = (("svg", (".svg",)), ("png", (".png",)), ("html", HTML_SUFFIXES), ("gif", (".gif",)))


def check_options(args: argparse.Namespace) -> None:
    """Refuse options that do not go together, or a picture path with the wrong suffix, before anything prints."""
    if args.json and (args.tree or args.code):
        raise UsageError("--json prints JSON data only; --tree and --code print text: use them without --json")
    if args.json and args.style is not None:
        raise UsageError("--json prints JSON data; --style sets how text reads: use one of them")
    args.style = args.style or "text"
    for option, suffixes in PICTURES:
        path = getattr(args, option)
        if path is None:
            continue
        name = os.path.basename(path)
        if not name.lower().endswith(suffixes) or name.lower() in suffixes:
            raise UsageError(f"--{option} writes a {suffixes[0]} file; got {path!r} (name it like graph{suffixes[0]})")
        try:
            write_target(path)
        except WriteError as error:
            raise UsageError(f"--{option}: {error}") from None
    if args.size is not None or args.dpi is not None or args.scale is not None:
        if not (args.svg or args.png):
            raise UsageError("--size, --dpi and --scale set the size of a picture: give --png PATH or --svg PATH too")
        from .show.drawing import picture_options  # the library's own checks, before anything prints

        try:
            picture_options(args.size, args.dpi, args.scale)
        except ValueError as error:
            raise UsageError(str(error)) from None
    if args.svg or args.png:  # Graphviz draws them: say it is missing before the explanation prints
        from .show.drawing import NO_DOT, GraphvizMissingError, dot_program

        try:
            dot_program()
        except GraphvizMissingError:  # (the library's hint, a .dot file, is no option here)
            raise UsageError(f"{NO_DOT}; without it, --tree prints the graph as text") from None


def run_explain(args: argparse.Namespace) -> int:
    check_options(args)
    out, inputs = build(args.expression, args.inputs)
    if args.json:
        print(json.dumps(as_json(args.expression, out, inputs, args.digits), indent=2))
    else:
        if args.style == "text":
            print(f"{OUTPUT_NAME} = {args.expression.strip()}")
        if args.step and sys.stdin.isatty():
            step_interactively(out, inputs, args.digits)
        else:
            print(explain(out, args.digits, args.style))
    if not out.grad:  # the CLI's own graph: its pictures and tree show the gradients just explained
        out.backward()
    if args.tree:
        from .teach.tree import text_graph

        print(text_graph(out, args.digits))
    if args.code:
        from .teach.codegen import to_python

        print(to_python(out, list(inputs.values()), "f_and_gradients"))
    write_pictures(out, args)
    return 0


def run_worksheet(args: argparse.Namespace) -> int:
    from .show.worksheet import write_worksheet

    if not 1 <= args.count <= 50:
        return fail(f"--count must be from 1 to 50, got {args.count}", None, None)
    if not args.out.strip():
        raise UsageError("--out needs a folder name, like --out sheets")
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        raise UsageError(f"--out is the folder for worksheet.html and answers.html; {args.out!r} is a file")
    for path in write_worksheet(args.count, args.seed, args.out):
        print(f"wrote {path}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Write the variants of one exercise in a course system's format."""
    from .teach.variants import VariantError  # imported here: the other commands never need it

    try:
        return _export(args)
    except VariantError as error:  # bad ranges or count: one line, exit 2
        raise UsageError(str(error)) from None


def _export(args: argparse.Namespace) -> int:
    from .teach.variants import parse_range

    suffixes = EXPORT_SUFFIXES[args.format]
    if not args.out.lower().endswith(suffixes) or len(os.path.basename(args.out)) <= len(suffixes[0]):
        raise UsageError(f"--format {args.format} writes a {suffixes[0]} file; got --out {args.out!r} "
                         f"(name it like exercise{suffixes[0]})")
    if os.path.isdir(args.out):
        raise UsageError(f"--out {args.out!r} is a folder; give the file to write, like {args.out}/exercise{suffixes[0]}")
    ranges = dict(parse_range(pair) for pair in args.ranges)
    from .show.export import export

    path = export(args.expression, ranges, args.students, args.seed, args.format, args.out)
    print(f"wrote {path} ({args.students} variants, format {args.format})", file=sys.stderr)
    return 0


def run_web(args: argparse.Namespace) -> int:
    from .show.web import write_site

    site = write_site(args.folder)  # a failure is one line, exit 2, like every other
    print(f"wrote {site.index} ({site.megabytes:.1f} MB in all)")
    print(f"serve it with: python -m http.server --bind 127.0.0.1 --directory {args.folder} 8000")
    print("then open http://127.0.0.1:8000/ (any static server will do; the page requests nothing outside the folder)")
    return 0


def explain_json(expression: str, values: Mapping[str, object] | Sequence[str], digits: int = 4) -> str:
    """What ``chainrule explain EXPRESSION NAME=VALUE... --json`` prints, as text (the web page's ``run()``).

    Runs the command line itself on ``values``: ``NAME=VALUE`` texts, or a mapping made into them;
    bad input gives ``{"error": "<the one line the CLI prints>"}``.

    >>> json.loads(explain_json("x*y", {"x": 2, "y": "3"}))["gradients"]
    {'x': 3.0, 'y': 2.0}
    >>> explain_json("x.__class__", {"x": 1})
    '{"error": "attribute access is not allowed: x.__class__ (column 1)"}'
    """
    pairs = [f"{name}={value}" for name, value in values.items()] if isinstance(values, Mapping) else list(values)
    printed, errors = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(errors):
        status = main(["explain", f"--digits={digits}", "--json", "--", expression, *pairs])
    if status == 0:
        return printed.getvalue()
    line = errors.getvalue().partition("\n")[0].removeprefix("chainrule: ").removeprefix("error: ")
    return json.dumps({"error": line})


def run_quiz(args: argparse.Namespace) -> int:
    """Ask for every hidden gradient in turn, up to three tries each with a growing hint; the score last."""
    from .teach.quiz import TRIES, ask, quiz
    from .teach.trace import notation_line

    out, _ = build(args.expression, args.inputs)
    test = quiz(out, hide_local=args.hide_local)
    print(f"{OUTPUT_NAME} = {args.expression.strip()}")
    for name, shown in forward_rows(out, node_names(out)):
        print(f"  {name} = {shown}")
    print(notation_line(OUTPUT_NAME))
    print(f"work out each gradient, backward from d{OUTPUT_NAME}/d{OUTPUT_NAME} = 1 (4 significant digits are "
          f"enough; {TRIES} tries each; q stops)")
    right, asked = ask(test, sys.stdin.readline, lambda text: print(text, end="", flush=True),
                       echo=not sys.stdin.isatty())
    if asked < len(test.questions):
        print(f"stopped after {asked} of {len(test.questions)} questions")
    print(f"score: {right} of {len(test.questions)}")
    return 0


def step_interactively(out: Value, inputs: dict[str, Value], digits: int) -> None:
    """Print the forward pass, then one backward step per Enter, like a debugger."""
    print("forward")
    for name, shown in forward_rows(out, node_names(out), digits):
        print(f"  {name} = {shown}")
    print("backward: press Enter for each step (q then Enter, or end of input, to finish at once)")
    with scratch_grads(out):
        steps = out.backward_steps(digits=digits)
        for step in steps:
            print(f"step {step.index}/{step.total}:")
            print("\n".join(f"  {line}" for line in step.lines()))
            if step.index < step.total and _wants_to_stop():
                for _ in steps:
                    pass
        print("gradients")
        for name, leaf in inputs.items():
            print(f"  d{OUTPUT_NAME}/d{name} = {format_number(leaf.grad, digits)}")


def _wants_to_stop() -> bool:
    try:
        return input().strip().lower() == "q"
    except EOFError:
        return True


def write_pictures(out: Value, args: argparse.Namespace) -> None:
    """Draw the pictures asked for (the drawing layer loads only then)."""
    if not any(getattr(args, option) for option, _ in PICTURES):
        return
    from .show.drawing import render
    from .show.html_player import write_player

    sizing = {k: v for k, v in {"size": args.size, "dpi": args.dpi, "scale": args.scale}.items() if v is not None}
    for path, write, options in ((args.svg, render, sizing), (args.png, render, sizing), (args.html, write_player, {})):
        if path:  # (a missing dot was said by check_options, before anything printed)
            write(out, path, digits=args.digits, edge_labels="rule", **options)
            print(f"wrote {path}", file=sys.stderr)
    if args.gif:
        from .show.animate import animate

        animate(out, args.gif, digits=args.digits)
        print(f"wrote {args.gif}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 fine, 2 bad input or a failed write).

    Whatever goes wrong is one line on stderr, never a traceback; output into a closed pipe
    (``chainrule ops | head -1``) ends quietly.
    """
    try:
        status = _run(argv)
        sys.stdout.flush()  # here, not at exit: a full disk is reported like any other failed write
        return status
    except BrokenPipeError:
        _drop_stdout()
        return 0
    except OSError as error:
        _drop_stdout()
        return fail(f"cannot write the output: {error.strerror or error}", None, None)


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so that Python's flush at exit finds nothing left to fail on."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # stdout replaced by a non-file object (tests)
        pass


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    if not (sys.argv[1:] if argv is None else argv):  # a bare chainrule: what can it do?
        parser.print_help()
        return fail("give a command: explain, quiz, worksheet or ops (the help above says what each does)", None, None)
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        return fail(str(error), None, None)
    try:
        if args.command == "ops":
            print(cheat_sheet())
            return 0
        if args.command == "worksheet":
            return run_worksheet(args)
        if args.command == "web":
            return run_web(args)
        return {"quiz": run_quiz, "export": run_export}.get(args.command, run_explain)(args)
    except (UsageError, ExpressionError) as error:
        return fail(str(error), getattr(error, "column", None), getattr(args, "expression", None))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        raise
    except (OSError, RuntimeError, TimeoutError, ValueError) as error:
        if isinstance(error, OSError) and not isinstance(error, WriteError) and error.filename is None:
            raise  # writing stdout failed: main says so
        return fail(str(error), None, None)


def fail(message: str, column: int | None, expression: str | None) -> int:
    """Report bad input in one line, plus the expression with a caret when it fits on a line."""
    print(f"chainrule: error: {_one_line(message)}", file=sys.stderr)
    shown = (expression or "").strip()
    if column and shown and len(shown) <= 200 and shown.isprintable() and sys.stderr.isatty():  # else one line
        print(f"  {shown}\n  {' ' * (column - 1)}^", file=sys.stderr)
    return BAD_INPUT


def _one_line(text: str) -> str:
    text = " ".join(text.split())  # newlines and other line breaks in quoted input
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


if __name__ == "__main__":
    sys.exit(main())
