"""The exercise framework: blanks, verdicts, messages that never give the answer away,
`check()` reading the notebook's variables, hints, solutions and their markdown."""

from __future__ import annotations

import math
import re
import types
from html.parser import HTMLParser

import pytest

from nnscratch import Value
from nnscratch.exercises import ____, FunctionProblem, NumberProblem, Problem, Result, Wrong, is_blank
from nnscratch.exercises.core import _MISSING, Blank, Unattempted, as_number, describe_number_error

NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def assert_no_answer(message: str, expected: float | tuple[float, ...], *allowed: float) -> None:
    """``message`` does not state any expected number (numbers equal to ``allowed``,
    what the learner typed or the inputs of a call, are fine)."""
    expected = expected if isinstance(expected, tuple) else (expected,)
    for token in NUMBER.findall(message):
        x = float(token)
        if any(math.isclose(x, a, rel_tol=1e-9, abs_tol=1e-12) for a in allowed):
            continue
        for e in expected:
            assert not math.isclose(x, e, rel_tol=1e-6, abs_tol=1e-12), (message, e)
    if 0.0 in expected:
        assert "zero" not in message.lower(), message


def slope_problem(**kwargs) -> NumberProblem:
    return NumberProblem(
        "slope",
        14.0,
        hints=["Differentiate term by term.", "The derivative of 3x² is 6x."],
        solution="slope = 6 * 3 - 4",
        **kwargs,
    )


# -- the blank ---------------------------------------------------------------------------


def test_the_blank_is_one_object_that_shows_as_four_underscores():
    assert Blank() is ____
    assert repr(____) == "____"


@pytest.mark.parametrize(
    "answer",
    [____, [____], (1, ____), [1, [2, (3, ____)]], {"a": ____}, {____: 1}, {1, ____}, frozenset([____]),
     [{"k": [____]}]],
)
def test_blanks_are_found_however_deeply_nested(answer):
    assert is_blank(answer)


@pytest.mark.parametrize("answer", [0, None, "", "____", [], [1, [2, (3,)]], {"a": 1}, Value(1.0), math.nan])
def test_non_blanks(answer):
    assert not is_blank(answer)


# -- NumberProblem ---------------------------------------------------------------------


@pytest.mark.parametrize("answer", [14.0, 14, 14.000001, 13.999999, Value(14.0).data])
def test_number_correct(answer):
    result = slope_problem().grade(answer)
    assert result.status == "correct" and result.correct


@pytest.mark.parametrize("answer", [____, [____], _MISSING])
def test_number_unattempted(answer):
    result = slope_problem().grade(answer)
    assert result.status == "unattempted" and not result.correct
    assert "slope" in result.message


@pytest.mark.parametrize(
    "answer, fragment",
    [
        (-14.0, "right size but the wrong sign"),
        (-3.0, "wrong sign"),
        (28.0, "twice as large"),
        (7.0, "half as large"),
        (100.0, "too large"),
        (1.0, "too small"),
        (0.0, "too small"),
        (14.1, "too large"),
        (math.nan, "nan"),
        (math.inf, "infinite"),
        (-math.inf, "infinite"),
    ],
)
def test_number_incorrect_says_what_is_off(answer, fragment):
    result = slope_problem().grade(answer)
    assert result.status == "incorrect"
    assert fragment in result.message
    assert "`slope`" in result.message
    assert_no_answer(result.message, 14.0, answer)


@pytest.mark.parametrize(
    "answer, fragment",
    [(Value(14.0), "is a Value"), ("14", "it is a str"), (True, "it is a bool"), ([14.0], "it is a list"), (None, "NoneType")],
)
def test_number_problem_wants_a_plain_number(answer, fragment):
    result = slope_problem().grade(answer)
    assert result.status == "incorrect"
    assert fragment in result.message
    assert_no_answer(result.message, 14.0)


def test_a_negative_answer_off_in_size_says_so_unambiguously():
    p = NumberProblem("grad", -3.0, hints=["h"], solution="grad = -3")
    assert "too large in size" in p.grade(-10.0).message
    assert "too small in size" in p.grade(-1.0).message
    assert "twice" in p.grade(-6.0).message
    assert "wrong sign" in p.grade(3.0).message
    for got in (-10.0, -1.0, -6.0, 3.0):
        assert_no_answer(p.grade(got).message, -3.0, got)


@pytest.mark.parametrize("answer", [0, 0.0, -0.0, 1e-12])
def test_zero_expected_correct(answer):
    p = NumberProblem("w2_grad", 0.0, hints=["h"], solution="w2_grad = 0")
    assert p.grade(answer).correct


@pytest.mark.parametrize("answer", [3.0, -3.0, 0.5, 1e-3])
def test_zero_expected_incorrect_does_not_give_the_zero_away(answer):
    p = NumberProblem("w2_grad", 0.0, hints=["h"], solution="w2_grad = 0")
    result = p.grade(answer)
    assert result.status == "incorrect"
    assert "`w2_grad`" in result.message
    assert_no_answer(result.message, 0.0, answer)


def test_several_variables_name_only_the_wrong_ones():
    p = NumberProblem(["a_grad", "b_grad"], [6.0, -4.0], hints=["h"], solution="...")
    assert p.grade(6.0, -4.0).correct
    result = p.grade(6.0, 4.0)
    assert result.status == "incorrect"
    assert "`b_grad`" in result.message and "`a_grad`" not in result.message
    assert_no_answer(result.message, (6.0, -4.0), 4.0)
    both = p.grade(-6.0, -8.0)
    assert "`a_grad`" in both.message and "`b_grad`" in both.message
    half = p.grade(____, 1.0)
    assert half.status == "unattempted" and "a_grad" in half.message and "b_grad" not in half.message


def test_tolerances():
    loose = NumberProblem("x", 1.0, hints=["h"], solution="x = 1", rel_tol=1e-2)
    assert loose.grade(1.005).correct
    assert not slope_problem().grade(14.01).correct
    absolute = NumberProblem("x", 0.0, hints=["h"], solution="x = 0", abs_tol=1e-3)
    assert absolute.grade(5e-4).correct and not absolute.grade(5e-3).correct


def test_specific_mistakes_come_first_in_order():
    p = slope_problem(
        mistakes=[
            (lambda s: s == 20.0, "That is f(3), the height of the curve, not its slope."),
            (lambda s: s > 15, "Larger than any slope nearby."),
        ]
    )
    assert p.grade(20.0).message == "That is f(3), the height of the curve, not its slope."
    assert p.grade(28.0).message == "Larger than any slope nearby."  # before "twice"
    assert "too small" in p.grade(1.0).message
    assert p.grade(14.0).correct  # a correct answer is never a mistake


def test_praise_and_explanation():
    p = slope_problem(praise="The tangent at x = 3 rises 14 for each 1.", explanation="Because 6·3 − 4 = 14.")
    result = p.grade(14.0)
    assert result.message == "The tangent at x = 3 rises 14 for each 1."
    assert str(result).startswith("✓ Correct: ")


def test_one_expected_number_per_variable():
    with pytest.raises(ValueError, match="one expected number per variable"):
        NumberProblem(["a", "b"], [1.0], hints=["h"], solution="...")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(variables=[], hints=["h"], solution="x"), "at least one variable"),
        (dict(variables="x", hints=[], solution="x"), "at least one hint"),
        (dict(variables="x", hints=["h"], solution="  \n"), "needs a solution"),
    ],
)
def test_a_problem_needs_variables_hints_and_a_solution(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Problem(**kwargs)


def test_grade_needs_one_answer_per_variable():
    with pytest.raises(TypeError, match=r"expected 1 answers \(slope\), got 2"):
        slope_problem().grade(1.0, 2.0)


# -- FunctionProblem ---------------------------------------------------------------------


def square_problem() -> FunctionProblem:
    return FunctionProblem(
        "square",
        cases=[((2.0,), 4.0), ((-3.0,), 9.0), ((0.5,), 0.25)],
        hints=["Multiply x by itself."],
        solution="def square(x):\n    return x * x",
    )


EXPECTED_OUTPUTS = (4.0, 9.0, 0.25)
INPUTS = (2.0, -3.0, 0.5)


def test_function_correct():
    assert square_problem().grade(lambda x: x * x).correct
    assert square_problem().grade(lambda x: x**2).correct


def test_function_returning_the_blank_is_unattempted():
    result = square_problem().grade(lambda x: ____)
    assert result.status == "unattempted"
    assert "still returns ____" in result.message


def test_function_returning_none_asks_about_return():
    def square(x):
        x * x  # noqa: B018 - the missing return is the point

    result = square_problem().grade(square)
    assert result.status == "incorrect"
    assert "returned None" in result.message and "return" in result.message
    assert "square(2.0)" in result.message


def test_function_that_raises_names_the_exception():
    result = square_problem().grade(lambda x: x / 0)
    assert result.status == "incorrect"
    assert "ZeroDivisionError" in result.message


def test_function_with_the_wrong_arity_is_incorrect_not_a_crash():
    result = square_problem().grade(lambda: 1.0)
    assert result.status == "incorrect"
    assert "TypeError" in result.message


@pytest.mark.parametrize(
    "f, call",
    [
        (lambda x: x**3, "square(2.0)"),  # right on none
        (lambda x: 2 * x, "square(-3.0)"),  # right at 2, wrong at -3
        (lambda x: x * x if abs(x) > 1 else 2 * x, "square(0.5)"),  # right on the first two
        (lambda x: -x * x, "square(2.0)"),
    ],
)
def test_wrong_output_names_the_input_but_not_the_expected_value(f, call):
    result = square_problem().grade(f)
    assert result.status == "incorrect"
    assert call in result.message
    got = f(float(call[len("square("):-1]))
    assert f"returned {got!r}" in result.message
    assert_no_answer(result.message, EXPECTED_OUTPUTS, got, *INPUTS)


def test_function_problem_wants_a_function_returning_a_number():
    assert "should be a function" in square_problem().grade(4.0).message
    assert "is a Value" in square_problem().grade(lambda x: Value(x * x)).message
    assert "should be a number" in square_problem().grade(lambda x: str(x * x)).message


def test_function_problem_needs_cases():
    with pytest.raises(ValueError, match="test cases"):
        FunctionProblem("f", cases=[], hints=["h"], solution="...")


# -- a custom Problem ------------------------------------------------------------------------


class Parity(Problem):
    def _grade(self, n):
        if not isinstance(n, int):
            raise Wrong("`n` should be an int.")
        return None if n % 2 == 0 else "`n` is odd."


def test_a_subclass_returns_a_message_or_raises_wrong():
    p = Parity("n", hints=["h"], solution="n = 2")
    assert p.grade(4).correct
    assert p.grade(3) == Result("incorrect", "`n` is odd.")
    assert p.grade(2.0) == Result("incorrect", "`n` should be an int.")
    assert p.grade(____).status == "unattempted"


class Pair(Problem):
    """The answer is a function returning two numbers that add up to 3."""

    def _grade(self, make_pair):
        a, b = make_pair()
        if is_blank(a) or is_blank(b):  # a blank the check cannot see before calling
            raise Unattempted("`make_pair` still returns ____.")
        return None if as_number(a, "first") + as_number(b, "second") == 3 else "the sum is off."


def test_a_subclass_can_report_unattempted_and_use_as_number():
    p = Pair("make_pair", hints=["h"], solution="def make_pair():\n    return 1, 2")
    assert p.grade(lambda: (1, 2)).correct
    assert p.grade(lambda: (1, 5)) == Result("incorrect", "the sum is off.")
    assert p.grade(lambda: (1, ____)) == Result("unattempted", "`make_pair` still returns ____.")
    assert p.grade(lambda: ("1", 2)) == Result("incorrect", "`first` should be a number, but it is a str.")
    assert "is a Value" in p.grade(lambda: (Value(1.0), 2)).message


def test_as_number():
    assert as_number(3, "x") == 3.0 and type(as_number(3, "x")) is float
    for bad in (True, "3", None, Value(3.0), [3]):
        with pytest.raises(Wrong):
            as_number(bad, "x")


def test_the_base_class_cannot_grade():
    p = Problem("x", hints=["h"], solution="x = 1")
    result = p.grade(1)
    assert result.status == "incorrect" and "NotImplementedError" in result.message


# -- check(): reading the notebook's variables ---------------------------------------------


def test_check_reads_the_callers_globals_and_prints(capsys):
    q = slope_problem()
    exec("q.check()", {"q": q, "slope": 14.0})
    assert capsys.readouterr().out == "✓ Correct.\n"
    exec("q.check()", {"q": q, "slope": 28.0})
    assert capsys.readouterr().out.startswith("✗ Not quite: `slope` is twice as large")
    exec("q.check()", {"q": q, "slope": ____})
    assert capsys.readouterr().out.startswith("○ Not attempted yet: replace the ____ in `slope`")
    exec("q.check()", {"q": q})
    assert capsys.readouterr().out.startswith("○ Not attempted yet: `slope` is not defined yet")


def test_check_from_a_function_reads_its_modules_globals_not_its_locals(capsys):
    module = types.ModuleType("learner")
    module.q = slope_problem()
    exec(
        "def run():\n"
        "    slope = 14.0  # a local: the check reads the notebook's globals\n"
        "    q.check()\n",
        module.__dict__,
    )
    module.run()
    assert "not defined" in capsys.readouterr().out
    module.slope = 14.0
    module.run()
    assert capsys.readouterr().out == "✓ Correct.\n"


def test_check_returns_nothing(capsys):
    assert slope_problem().check() is None  # a notebook shows only the printed verdict
    capsys.readouterr()


def test_printed_verdicts_wrap_to_the_page():
    long = NumberProblem("x", 1.0, hints=["h"], solution="x = 1", mistakes=[(lambda x: True, "word " * 60)])
    text = str(long.grade(2.0))
    assert all(len(line) <= 76 for line in text.splitlines())
    assert all(line.startswith("  ") for line in text.splitlines()[1:])


# -- hints, solution, markdown ----------------------------------------------------------------


def test_hints_are_numbered_from_one(capsys):
    p = slope_problem()
    p.hint()
    assert capsys.readouterr().out == "Hint 1: Differentiate term by term.  (more: hint(2))\n"
    p.hint(2)
    assert capsys.readouterr().out == "Hint 2: The derivative of 3x² is 6x.\n"


@pytest.mark.parametrize("n", [0, 3, -1, True, "1", 1.0])
def test_a_hint_out_of_range_says_how_many_there_are(capsys, n):
    slope_problem().hint(n)
    assert capsys.readouterr().out == "There are 2 hints: ask for one with hint(1) to hint(2).\n"


def test_a_single_hint(capsys):
    p = NumberProblem("x", 1.0, hints=["Only this."], solution="x = 1")
    p.hint()
    assert capsys.readouterr().out == "Hint 1: Only this.\n"
    p.hint(2)
    assert capsys.readouterr().out == "There is 1 hint: ask for one with hint(1).\n"


def test_solution_prints_the_code_and_the_explanation(capsys):
    slope_problem().solution()
    assert capsys.readouterr().out == "Solution:\n\nslope = 6 * 3 - 4\n"
    slope_problem(explanation="6·3 − 4 = 14.").solution()
    assert capsys.readouterr().out == "Solution:\n\nslope = 6 * 3 - 4\n\n6·3 − 4 = 14.\n"


def dropdowns(md: str) -> list[str]:
    """The dropdowns of ``as_markdown()``, in order (each starts with its box's <div>)."""
    return ["<div " + part for part in md.split("<div ")[1:]]


def test_as_markdown_has_one_dropdown_per_hint_and_one_for_the_solution():
    md = slope_problem(explanation="Because 6·3 − 4 = 14.").as_markdown()
    assert md.count("<details>") == md.count("</details>") == 3
    assert re.findall(r"<summary>(.*?)</summary>", md) == ["Hint 1", "Hint 2", "Solution"]
    blocks = dropdowns(md)
    assert len(blocks) == 3 and md == "\n\n".join(b.rstrip("\n") for b in blocks)
    assert "Differentiate term by term." in blocks[0]
    assert "The derivative of 3x² is 6x." in blocks[1]
    assert "```python\nslope = 6 * 3 - 4\n```" in blocks[2]
    assert blocks[2].index("```python") < blocks[2].index("Because 6·3 − 4 = 14.")


def test_as_markdown_with_one_hint_calls_it_hint():
    md = NumberProblem("x", 1.0, hints=["Only this."], solution="x = 1").as_markdown()
    assert re.findall(r"<summary>(.*?)</summary>", md) == ["Hint", "Solution"]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.boxes: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.open.append(tag)
        if tag == "div":
            self.boxes.append(dict(attrs))

    def handle_endtag(self, tag):
        assert self.open and self.open.pop() == tag, f"</{tag}> closes nothing"


# CSS properties JupyterLab 4's markdown sanitizer keeps in a style attribute (a few of
# its long list); a property outside it would be dropped without a word.
SANITIZER_KEEPS = {"margin", "padding", "border-left", "border-radius", "background-color"}


def test_each_dropdown_is_a_styled_box_around_a_details_block():
    md = slope_problem(explanation="6·3 − 4 = 14.").as_markdown()
    kinds = []
    for block in dropdowns(md):
        tags = _Tags()
        tags.feed(block)
        assert tags.open == [], "tags left open"
        (box,) = tags.boxes
        kinds.append(box["class"])
        properties = {rule.split(":")[0].strip() for rule in box["style"].split(";")}
        assert properties <= SANITIZER_KEEPS
        assert "border-left" in properties and "background-color" in properties
        # The box, the <details> and its <summary> open on consecutive lines (one HTML
        # block), and a blank line parts them from the markdown inside, so that it is
        # read as markdown (code, math, emphasis) in JupyterLab, Colab and the book.
        head, body = block.split("</summary>\n\n", 1)
        assert "\n\n" not in head
        assert body.rstrip("\n").endswith("\n\n</details>\n</div>")
    assert kinds == ["nnscratch-hint", "nnscratch-hint", "nnscratch-solution"]


def test_hints_and_the_solution_have_different_colours():
    md = slope_problem().as_markdown()
    hint, _, solution = (re.search(r'style="([^"]*)"', b).group(1) for b in dropdowns(md))
    assert hint != solution

def test_repr_says_how_to_use_it():
    assert repr(slope_problem()) == "<exercise: check(), hint(), solution(); reads slope>"


# -- describe_number_error ----------------------------------------------------------------


@pytest.mark.parametrize("expected", [14.0, -3.0, 0.5, -0.25, 0.0, 1e6])
@pytest.mark.parametrize("factor", [-1.0, -2.0, 2.0, 0.5, 10.0, 0.1, 1.3])
def test_describe_number_error_never_states_the_expected_value(expected, factor):
    got = expected * factor if expected != 0 else factor
    message = describe_number_error("x", got, expected)
    assert message.startswith("`x` ")
    assert_no_answer(message, expected, got)


def test_describe_number_error_on_the_results_of_a_sign_slip():
    assert describe_number_error("x", -2.5, 2.5) == "`x` has the right size but the wrong sign."


# -- answers that are hard to look at: every one gets a verdict, never a crash ----------


def _self_referential() -> list:
    loop: list = [1.0]
    loop.append(loop)
    return loop


def _nested(depth: int, inner: object) -> list:
    answer: list = [inner]
    for _ in range(depth):
        answer = [answer]
    return answer


def test_a_list_that_contains_itself_gets_a_verdict():
    loop = _self_referential()
    assert not is_blank(loop)
    result = slope_problem().grade(loop)
    assert result.status == "incorrect" and "number" in result.message
    loop.append(____)
    assert is_blank(loop)
    assert slope_problem().grade(loop).status == "unattempted"


def test_a_dict_that_contains_itself_gets_a_verdict():
    loop: dict = {}
    loop["me"] = loop
    assert not is_blank(loop)
    assert slope_problem().grade(loop).status == "incorrect"


def test_a_list_nested_far_deeper_than_the_recursion_limit_gets_a_verdict():
    assert is_blank(_nested(100_000, ____))
    assert not is_blank(_nested(100_000, 1.0))
    assert slope_problem().grade(_nested(100_000, 14.0)).status == "incorrect"


class _Hostile(float):
    """A real number whose comparisons, iteration and attribute lookups all raise."""

    def __eq__(self, other):
        raise RuntimeError("no comparing me")

    __hash__ = float.__hash__

    def __iter__(self):
        raise RuntimeError("no iterating me")

    def __getattr__(self, name):
        raise RuntimeError(f"no {name} here")


class _Unconvertible(float):
    def __float__(self):
        raise RuntimeError("no float for you")


class _BadList(list):
    def __iter__(self):
        raise RuntimeError("cannot look inside")


class _Unprintable(Exception):
    def __str__(self):
        raise RuntimeError("cannot say")


def test_huge_ints_are_wrong_with_a_reason_not_a_crash():
    result = slope_problem().grade(10**400)
    assert result.status == "incorrect"
    assert "too large" in result.message
    with pytest.raises(Wrong, match="too large"):
        as_number(10**5000, "x")  # beyond the length str() accepts, too


@pytest.mark.parametrize("answer, fragment", [(math.nan, "nan"), (math.inf, "infinite"), (-math.inf, "infinite")])
def test_nan_and_infinity_are_explained(answer, fragment):
    result = slope_problem().grade(answer)
    assert result.status == "incorrect" and fragment in result.message


def test_a_number_whose_float_conversion_raises_gets_a_verdict():
    result = slope_problem().grade(_Unconvertible(14.0))
    assert result.status == "incorrect"
    assert "RuntimeError" in result.message and "no float for you" in result.message


def test_a_number_whose_comparisons_and_lookups_raise_gets_a_verdict():
    assert slope_problem().grade(_Hostile(14.0)).status == "correct"  # it is a float, and 14
    assert slope_problem().grade(_Hostile(3.0)).status == "incorrect"
    assert not is_blank(_Hostile(1.0))


def test_a_container_that_cannot_be_iterated_holds_no_blank():
    bad = _BadList([____])
    assert not is_blank(bad)
    assert slope_problem().grade(bad).status == "incorrect"


def test_an_exception_that_cannot_be_printed_is_still_named():
    def f(x):
        raise _Unprintable()

    problem = FunctionProblem("f", [((1.0,), 1.0)], hints=["h"], solution="def f(x): return x")
    result = problem.grade(f)
    assert result.status == "incorrect" and "_Unprintable" in result.message


def test_a_function_that_recurses_forever_gets_a_verdict():
    def f(x):
        return f(x)

    problem = FunctionProblem("f", [((1.0,), 1.0)], hints=["h"], solution="def f(x): return x")
    result = problem.grade(f)
    assert result.status == "incorrect" and "RecursionError" in result.message


def test_a_function_returning_a_list_that_contains_itself_gets_a_verdict():
    problem = FunctionProblem("f", [((1.0,), 1.0)], hints=["h"], solution="def f(x): return x")
    result = problem.grade(lambda x: _self_referential())
    assert result.status == "incorrect" and "list" in result.message


# -- open-ended exercises -------------------------------------------------------------

def test_an_open_ended_exercise_says_there_is_nothing_to_check(capsys):
    from nnscratch.exercises.core import OpenEnded

    q = OpenEnded("What one finds.", hints=["Start small.", "Then grow it."])
    q.check()
    assert capsys.readouterr().out.startswith("◇ Open-ended: there is no single answer to check.\n")
    q.hint(2)
    assert capsys.readouterr().out == "Hint 2: Then grow it.\n"
    q.hint(3)
    assert "There are 2 hints" in capsys.readouterr().out
    q.discussion()
    assert capsys.readouterr().out == "Discussion:\n\nWhat one finds.\n"
    assert q.solution == q.discussion


def test_an_open_ended_exercise_shows_its_hints_and_discussion_as_dropdowns():
    from nnscratch.exercises.core import OpenEnded

    text = OpenEnded("Compare **this**.", hints=["One hint."]).as_markdown()
    boxes = text.split("\n\n<div")
    assert len(boxes) == 2
    assert boxes[0].startswith('<div class="nnscratch-hint"') and "<summary>Hint</summary>" in boxes[0]
    assert 'class="nnscratch-solution"' in boxes[1]
    assert "<summary>Discussion</summary>\n\nCompare **this**.\n\n</details>" in boxes[1]
    no_hints = OpenEnded("Only this.").as_markdown()
    assert no_hints.count("<details>") == 1 and "Discussion" in no_hints


def test_an_open_ended_exercise_needs_a_discussion_and_a_list_of_hints():
    from nnscratch.exercises.core import OpenEnded

    with pytest.raises(ValueError, match="needs a discussion"):
        OpenEnded("   ")
    with pytest.raises(TypeError, match="list of strings"):
        OpenEnded("Fine.", hints="one string")
