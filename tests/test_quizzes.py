"""The chapters' self-check questions (book/quizzes/, shown by nnscratch.quiz).

* Every file is a chapter's and keeps the format: each multiple-choice question has
  one right answer and feedback on every wrong one; each numeric one ends in feedback
  for any other number.
* Every right numeric answer is computed, not typed: the question's ``computed_by``
  names a function registered with ``@computes`` in ``tests/quiz_answers/``, that works
  it out with the package; the test fails if the file disagrees or if no function is registered.
* Every chapter's question cells show exactly the questions of its file, in order,
  and store the output they make now (none lost, none stale).
* The output is the same bytes every run and loads nothing from the network; the
  wheel carries the questions, so a chapter opened alone on Colab finds them.
"""

from __future__ import annotations

import ast
import copy
import json
import math
import os
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from nnscratch.quiz import QuestionFileError, grade, load, questions, read_number, validate
from nnscratch.quiz.grading import WORDS, rounded
from quiz_answers import load_all

ROOT = Path(__file__).resolve().parent.parent
QUIZZES = ROOT / "book" / "quizzes"
CHAPTERS = sorted(p.stem for p in QUIZZES.glob("*.json"))
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


# --- the right numeric answers, computed -------------------------------------------------
# A numeric question's "computed_by" names a function registered with @computes in
# tests/quiz_answers/chNN.py (one module per chapter).

ANSWERS = load_all()


# --- the questions of every chapter -----------------------------------------------------

def all_questions(kind: str) -> list[tuple[str, dict]]:
    return [(c, q) for c in CHAPTERS for q in load(c) if q["type"] == kind]


NUMERIC = all_questions("numeric")
CHOICE = all_questions("multiple_choice")


def label(item: tuple[str, dict]) -> str:
    return f"{item[0]}:{item[1]['id']}"


def check_computed(question: dict) -> None:
    """Fails unless the question's right answer is the one its function computes."""
    name = question.get("computed_by")
    assert name, f"{question['id']}: no \"computed_by\": name a @computes function in tests/quiz_answers/"
    assert name in ANSWERS, f"{question['id']}: no function {name!r} registered with @computes in tests/quiz_answers/"
    expected = ANSWERS[name]()
    (right,) = [a for a in question["answers"] if a.get("correct") is True]
    precision = question.get("precision")
    if right["type"] == "range":
        assert tuple(right["range"]) == tuple(expected), (question["id"], right["range"], expected)
        return
    assert isinstance(expected, float) and math.isfinite(expected), (name, expected)
    assert rounded(expected, precision) == rounded(right["value"], precision), (
        f"{question['id']}: the file says {right['value']!r}, {name}() computes {expected!r}"
        + (f" (compared to {precision} significant figures)" if precision else ""))
    # A reader who types the computed number is told it is right.
    assert grade(question, repr(expected)).correct is True


def test_every_chapter_has_questions():
    missing = [p.stem for p in NOTEBOOKS if p.stem not in CHAPTERS]
    assert not missing, f"no file in book/quizzes/ for {missing}"
    assert NUMERIC and CHOICE


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_file_belongs_to_a_chapter_and_keeps_the_format(chapter):
    assert f"{chapter}.ipynb" in {p.name for p in NOTEBOOKS}, f"{chapter}.json names no chapter"
    bank = load(chapter)  # raises QuestionFileError with the rule broken
    kinds = [q["type"] for q in bank]
    assert len(bank) >= 3, f"{chapter}: at least three questions"
    assert "numeric" in kinds and "multiple_choice" in kinds, f"{chapter}: numeric and multiple choice"
    text = (QUIZZES / f"{chapter}.json").read_text(encoding="utf-8")
    assert text == json.dumps(bank, indent=2, ensure_ascii=False) + "\n", (
        f"{chapter}.json: write it as json.dumps(questions, indent=2, ensure_ascii=False)")


@pytest.mark.parametrize("item", NUMERIC, ids=label)
def test_numeric_answers_are_computed(item):
    check_computed(item[1])


def test_every_registered_computation_is_used():
    used = {q.get("computed_by") for _, q in NUMERIC}
    assert set(ANSWERS) <= used, f"registered but asked by no question: {sorted(set(ANSWERS) - used)}"


def test_the_computed_check_fails_on_a_typed_wrong_answer_or_no_computation():
    _, question = NUMERIC[0]
    typed = copy.deepcopy(question)
    right = next(a for a in typed["answers"] if a.get("correct") is True)
    right["value"] = right["value"] + 1
    with pytest.raises(AssertionError, match="computes"):
        check_computed(typed)
    for broken in ({"computed_by": None}, {"computed_by": "no_such_function"}):
        orphan = {**question, **broken}
        with pytest.raises(AssertionError, match="@computes"):
            check_computed(orphan)


def feedback_says_why(text: str) -> bool:
    # More than "Wrong" or "Try again": a sentence or two.
    return len(text.split()) >= 8


@pytest.mark.parametrize("item", CHOICE, ids=label)
def test_a_multiple_choice_question_has_one_right_answer_and_says_why_each_wrong_one_is(item):
    _, question = item
    answers = question["answers"]
    assert sum(a["correct"] is True for a in answers) == 1
    wrong = [a for a in answers if a["correct"] is False]
    assert len(wrong) >= 2
    for a in wrong:
        assert feedback_says_why(a["feedback"]), (a["answer"], a["feedback"])
    assert len({a["feedback"] for a in answers}) == len(answers), "each answer has its own feedback"
    for k, a in enumerate(answers):
        verdict = grade(question, k)
        assert verdict.correct is a["correct"] and verdict.feedback == a["feedback"]


@pytest.mark.parametrize("item", NUMERIC, ids=label)
def test_a_numeric_question_says_why_each_listed_wrong_number_is_wrong(item):
    _, question = item
    listed = [a for a in question["answers"] if a["type"] != "default"]
    assert any(a["correct"] is False for a in listed), "lists the typical wrong answers"
    for a in question["answers"]:
        assert feedback_says_why(a["feedback"]), a
    for a in listed:
        if a["type"] == "value":
            # Each typical wrong number reaches its own feedback: nothing before it takes it.
            verdict = grade(question, repr(a["value"]))
            assert verdict.correct is a["correct"] and verdict.feedback == a["feedback"], a
    other = grade(question, "123456789")
    assert other.correct is False and other.feedback == question["answers"][-1]["feedback"]


# --- the format is checked: each rule can fail ------------------------------------------

CHOICE_Q = {
    "id": "sum-rule", "type": "multiple_choice", "question": "What does a <code>+</code> node pass on?",
    "answers": [
        {"answer": "g", "correct": True, "feedback": "Yes."},
        {"answer": "g/2", "correct": False, "feedback": "No: each input moves the sum fully."},
        {"answer": "0", "correct": False, "feedback": "No: the sum does depend on its inputs."},
    ],
}
NUMERIC_Q = {
    "id": "grad-a", "type": "numeric", "question": "∂L/∂a?", "precision": 3, "computed_by": "x",
    "answers": [
        {"type": "value", "value": 6, "correct": True, "feedback": "Yes."},
        {"type": "value", "value": -6, "correct": False, "feedback": "Check the sign."},
        {"type": "range", "range": [100, 1000], "correct": False, "feedback": "Far too big."},
        {"type": "default", "feedback": "Multiply along the path."},
    ],
}


def changed(question: dict, path: tuple, value=None, delete: bool = False) -> dict:
    q = copy.deepcopy(question)
    target = q
    for key in path[:-1]:
        target = target[key]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return q


BROKEN = [
    ("no feedback on a wrong choice", changed(CHOICE_Q, ("answers", 1, "feedback"), delete=True), "missing feedback"),
    ("empty feedback", changed(CHOICE_Q, ("answers", 2, "feedback"), "  "), "expected some text"),
    ("two right choices", changed(CHOICE_Q, ("answers", 1, "correct"), True), "exactly one answer is right"),
    ("no right choice", changed(CHOICE_Q, ("answers", 0, "correct"), False), "exactly one answer is right"),
    ("two choices only", changed(CHOICE_Q, ("answers",), CHOICE_Q["answers"][:2]), "at least three"),
    ("a misspelt key", changed(CHOICE_Q, ("answers", 0, "feeback"), "x"), "unknown key feeback"),
    ("correct as a string", changed(CHOICE_Q, ("answers", 0, "correct"), "true"), "true or false"),
    ("TeX", changed(CHOICE_Q, ("question",), "What is $x^2$?"), "TeX"),
    ("a script", changed(CHOICE_Q, ("question",), "Hi <script>alert(1)</script>"), "<script>"),
    ("an attribute", changed(CHOICE_Q, ("question",), '<code class="x">a</code>'), "attributes"),
    ("an unclosed tag", changed(CHOICE_Q, ("question",), "<code>a"), "never closed"),
    ("a bare less-than", changed(CHOICE_Q, ("answers", 0, "feedback"), "Yes, since 0<x holds."), "bare <"),
    ("a spaced less-than", changed(CHOICE_Q, ("question",), "Is 1 < 2?"), "bare <"),
    ("an unsupported type", changed(CHOICE_Q, ("type",), "many_choice"), "\"type\" must be"),
    ("a bad id", changed(CHOICE_Q, ("id",), "Sum Rule"), "\"id\""),
    ("no default", changed(NUMERIC_Q, ("answers",), NUMERIC_Q["answers"][:-1]), "default"),
    ("default not last", changed(NUMERIC_Q, ("answers",), NUMERIC_Q["answers"][::-1]), "default"),
    ("a wrong value that rounds to the right one",
     changed(NUMERIC_Q, ("answers", 1, "value"), 6.001), "also matches the right one"),
    ("a wrong range around the right value",
     changed(NUMERIC_Q, ("answers", 2, "range"), [0, 10]), "also matches the right one"),
    ("an empty range", changed(NUMERIC_Q, ("answers", 2, "range"), [5, 5]), "low < high"),
    ("precision zero", changed(NUMERIC_Q, ("precision",), 0), "precision"),
    ("precision as text", changed(NUMERIC_Q, ("precision",), "3"), "precision"),
    ("a value that is not a number", changed(NUMERIC_Q, ("answers", 1, "value"), "6"), "finite number"),
    ("NaN", changed(NUMERIC_Q, ("answers", 1, "value"), float("nan")), "finite number"),
    ("a function name that is not one", changed(NUMERIC_Q, ("computed_by",), "a b"), "computed_by"),
    ("two right numbers", changed(NUMERIC_Q, ("answers", 1, "correct"), True), "exactly one answer is right"),
]


def test_the_examples_of_the_format_are_valid():
    assert validate([CHOICE_Q, NUMERIC_Q], "example.json") == [CHOICE_Q, NUMERIC_Q]


@pytest.mark.parametrize("name, question, message", BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_question_is_refused_with_the_rule_it_breaks(name, question, message):
    with pytest.raises(QuestionFileError, match="example.json, question") as info:
        validate([question], "example.json")
    assert message in str(info.value)


def test_a_repeated_id_and_an_empty_file_are_refused():
    with pytest.raises(QuestionFileError, match="used twice"):
        validate([CHOICE_Q, CHOICE_Q], "example.json")
    with pytest.raises(QuestionFileError, match="non-empty list"):
        validate([], "example.json")


# --- judging an answer ---------------------------------------------------------------

@pytest.mark.parametrize("text, number", [
    ("6", 6.0), (" -6 ", -6.0), ("−6", -6.0), ("+0.5", 0.5), (".5", 0.5), ("5.", 5.0),
    ("2e-3", 0.002), ("5/9", 5 / 9), ("-1 / 4", -0.25), ("1/0", None), ("1/2/3", None),
    ("", None), ("six", None), ("6,5", None), ("inf", None), ("nan", None), ("1e999", None),
    ("0x10", None), ("--6", None), ("\u0663", None),  # an Arabic-Indic 3: digits are ASCII
])
def test_read_number(text, number):
    assert read_number(text) == number


def test_rounding_to_significant_figures_goes_half_away_from_zero_as_in_the_page():
    # JavaScript's toPrecision: 0.125 (exact in binary) to 2 figures is 0.13, not 0.12.
    assert rounded(0.125, 2) == 0.13 and rounded(-0.125, 2) == -0.13
    assert rounded(72.0 * -0.05, 3) == -3.6 and rounded(1 / 3, 3) == 0.333
    assert rounded(9.0, None) == 9.0


def test_a_numeric_answer_is_judged_by_the_first_entry_that_matches():
    assert grade(NUMERIC_Q, "6.0004").correct is True  # 6.00 to three figures
    assert grade(NUMERIC_Q, "6.01").correct is False
    assert grade(NUMERIC_Q, "-6").feedback == "Check the sign."
    assert grade(NUMERIC_Q, "100").feedback == "Far too big."  # low <= x
    assert grade(NUMERIC_Q, "1000").feedback == "Multiply along the path."  # x < high
    assert grade(NUMERIC_Q, "").state == "empty"
    assert grade(NUMERIC_Q, "six").state == "unreadable"
    assert grade(CHOICE_Q, None).state == "choose"


# --- the output a question cell makes -------------------------------------------------

class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = _Elements()
    parser.feed(html)
    return parser.tags


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_output_is_the_same_every_time_and_needs_no_network(chapter):
    ids = [q["id"] for q in load(chapter)]
    html = questions(chapter, *ids)._repr_html_()
    assert html == questions(chapter, *ids)._repr_html_()
    for needle in ("http:", "https:", "//cdn", "src=", "@import", "url(", "fetch(", "XMLHttpRequest"):
        assert needle not in html, needle
    tags = elements(html)
    element_ids = [a["id"] for _, a in tags if "id" in a]
    assert len(element_ids) == len(set(element_ids)), "element ids are unique"
    assert all(i.startswith(f"nnq-{chapter}-") for i in element_ids)


def test_the_answers_reach_the_page_intact():
    # What the page judges with is the file's answers, whatever quotes or signs they hold.
    chapter = CHAPTERS[0]
    bank = load(chapter)
    html = questions(chapter, *(q["id"] for q in bank))._repr_html_()
    data = [json.loads(a["data-nnq"]) for t, a in elements(html) if "data-nnq" in a]
    assert [d["answers"] for d in data] == [
        [{k: v for k, v in a.items() if k != "answer"} for a in q["answers"]] for q in bank]
    words = next(json.loads(a["data-nnq-words"]) for t, a in elements(html) if "data-nnq-words" in a)
    assert words == WORDS


def test_questions_are_numbered_by_their_place_in_the_chapter():
    chapter = CHAPTERS[0]
    bank = load(chapter)
    shown = questions(chapter, bank[-1]["id"])
    assert shown.numbered[0][0] == f"{int(chapter[:2])}.{len(bank)}"
    assert f"Question {int(chapter[:2])}.{len(bank)}" in repr(shown)


def test_asking_for_what_is_not_there_says_what_is():
    chapter = CHAPTERS[0]
    with pytest.raises(KeyError, match="its questions are: "):
        questions(chapter, "no-such-question")
    with pytest.raises(TypeError, match="name the questions"):
        questions(chapter)
    first = load(chapter)[0]["id"]
    with pytest.raises(ValueError, match="named twice"):
        questions(chapter, first, first)
    with pytest.raises(FileNotFoundError, match="chapters with questions are"):
        questions("99_no_such_chapter", "x")
    with pytest.raises(ValueError, match="named like its notebook"):
        questions("backprop", "x")


# --- the chapters' question cells -----------------------------------------------------

IMPORT = "from nnscratch.quiz import questions"


def question_cells(nb: dict) -> list[tuple[int, dict, tuple[str, ...]]]:
    """(index, cell, arguments) of every cell that calls questions(...)."""
    found = []
    for i, cell in enumerate(nb["cells"]):
        text = "".join(cell["source"])
        if cell["cell_type"] != "code" or "questions(" not in text:
            continue
        tree = ast.parse(text)
        call = tree.body[0].value if len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr) else None
        assert (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "questions"
                and not call.keywords and all(isinstance(a, ast.Constant) and isinstance(a.value, str)
                                               for a in call.args)), (
            f"cell {i}: a question cell is one call, questions(\"<chapter>\", \"<id>\", ...), and nothing else")
        found.append((i, cell, tuple(a.value for a in call.args)))
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_a_chapter_shows_every_question_of_its_file_once_in_order_with_its_output_stored(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = question_cells(nb)
    if path.stem not in CHAPTERS:
        assert not cells, f"{path.name} shows questions but has no book/quizzes/{path.stem}.json"
        return
    assert cells, f"book/quizzes/{path.stem}.json has questions that {path.name} never shows"
    shown = []
    for i, cell, (chapter, *ids) in cells:
        source = "".join(cell["source"])
        assert chapter == path.stem, f"cell {i} shows {chapter}'s questions"
        assert "\n" not in source.strip() and len(source) <= 80, f"cell {i}: one line of at most 80 characters"
        assert "remove-input" in cell["metadata"].get("tags", []), f"cell {i}: tag remove-input (the book shows only the questions)"
        expected = questions(chapter, *ids)
        results = [o for o in cell["outputs"] if o["output_type"] == "execute_result"]
        assert len(cell["outputs"]) == 1 and results, f"cell {i}: one output, the questions"
        data = results[0]["data"]
        assert "".join(data["text/html"]) == expected._repr_html_(), (
            f"cell {i}: stored output is stale; re-run the notebook")
        assert "".join(data["text/plain"]) == repr(expected), f"cell {i}: stored output is stale"
        shown += ids
    in_file = [q["id"] for q in load(path.stem)]
    assert shown == in_file, "the cells show the file's questions, each once, in the file's order"
    first = cells[0][0]
    imports = [i for i, c in enumerate(nb["cells"])
               if c["cell_type"] == "code" and IMPORT in "".join(c["source"]).splitlines()]
    assert imports and imports[0] < first, f"a code cell before the first question imports them: {IMPORT}"


# --- the package as Colab installs it ---------------------------------------------------

def test_showing_questions_needs_only_the_standard_library():
    script = (
        "import sys, json\n"
        "from nnscratch.quiz import questions, chapters, load\n"
        "for c in chapters():\n"
        "    questions(c, *(q['id'] for q in load(c)))._repr_html_()\n"
        "print(json.dumps(sorted(m for m in ('numpy', 'graphviz', 'matplotlib', 'IPython', 'torch')"
        " if m in sys.modules)))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == []


def test_the_wheel_carries_the_questions_and_shows_them_with_no_book_folder(tmp_path):
    """Build the wheel as pip does from the repository, unpack it as an install does,
    and show a chapter's questions from a folder with no book/ beside it."""
    pytest.importorskip("setuptools", reason="building the wheel needs setuptools")
    source = tmp_path / "checkout"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "_build", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
        ".hypothesis", ".ipynb_checkpoints"))
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "-q", "-w", str(tmp_path / "wheel"), str(source)],
        capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    (wheel,) = (tmp_path / "wheel").glob("nnscratch-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        package = [p for p in (ROOT / "nnscratch").rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts]
        for p in package:
            name = p.relative_to(ROOT).as_posix()
            assert name in names, f"the wheel lacks {name} (pyproject.toml's [tool.setuptools])"
            assert archive.read(name) == p.read_bytes(), name
        for p in QUIZZES.glob("*.json"):
            name = f"nnscratch/quizzes/{p.name}"
            assert name in names, f"the wheel lacks {name}"
            assert archive.read(name) == p.read_bytes(), name
        archive.extractall(tmp_path / "site-packages")

    elsewhere = tmp_path / "a_colab_folder"
    elsewhere.mkdir()
    chapter = CHAPTERS[0]
    ids = [q["id"] for q in load(chapter)]
    script = (
        "import json, nnscratch.quiz as quiz\n"
        f"shown = quiz.questions({chapter!r}, *{ids!r})\n"
        "print(json.dumps([quiz.__file__, str(quiz.quiz_folder()), shown._repr_html_()]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(tmp_path / "site-packages")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=elsewhere, env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    module, folder, html = json.loads(run.stdout)
    installed = tmp_path / "site-packages" / "nnscratch"
    assert Path(module).is_relative_to(installed), module
    assert Path(folder) == installed / "quizzes"
    assert html == questions(chapter, *ids)._repr_html_()
