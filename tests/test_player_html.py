"""`nnscratch.viz.backprop_player`: the frames, their captions, and the self-contained HTML.

What the page's script needs (the HTML contract: class, data-step, data-action buttons,
frame data), what nbval compares (byte-identical on every run and in every process; the
drawing, whose layout depends on the Graphviz version, masked as draw_dot's SVG is),
what a viewer without JavaScript shows (the last frame), sizes, and bad input. The
buttons, keys and slider are tested in a real browser in tests/browser/test_player.py.
"""

from __future__ import annotations

import configparser
import html
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import unquote

import pytest

pytest.importorskip("graphviz", reason="nnscratch.viz needs the graphviz Python package")

from test_player_steps import (  # noqa: E402
    chapter_engine, fused_neuron, neuron, running_example, used_twice)

import nnscratch  # noqa: E402
from nnscratch import MLP, draw_dot  # noqa: E402
from nnscratch.viz import Frame, Player, backprop_player, side_by_side  # noqa: E402
from nnscratch.viz.dot import GraphDrawing  # noqa: E402
from nnscratch.viz.player import still_svg, svg_data_url, widest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ACTIONS = ("first", "prev", "play", "next", "last")


def frame_data(page: str) -> dict:
    """The frames the page's script applies, as the page stores them."""
    text = re.search(r'<script type="application/json" class="nnp-data">(.*?)</script>', page, re.S).group(1)
    return json.loads(text)


def still_picture(page: str) -> str:
    """The SVG of the drawing shown before (or without) the script."""
    src = re.search(r'<img src="([^"]*)"', page).group(1)
    return unquote(html.unescape(src).split(",", 1)[1])


def svg_texts(svg: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg)]


def nbval_masked(page: str) -> str:
    """``page`` as nbval compares it, with the project's own replacements."""
    config = configparser.ConfigParser()
    config.read(ROOT / "tests" / "nbval_sanitize.cfg")
    for section in config.sections():
        page = re.sub(config[section]["regex"], config[section]["replace"], page)
    return page


@pytest.fixture
def example_player():
    L, v = running_example(nnscratch.Value)
    return backprop_player(L), v


# -- the frames and their captions ---------------------------------------------------------


def test_one_frame_per_step_plus_the_start(example_player):
    player, _ = example_player
    assert len(player.frames) == len(player.steps) + 1 == 4
    assert [f.label for f in player.frames] == ["Start", "Step 1 of 3", "Step 2 of 3", "Step 3 of 3"]


def test_captions_give_each_steps_arithmetic(example_player):
    player, _ = example_player
    start, first, second, third = player.frames
    assert start.title == "Before the first step"
    assert ("set", "backward() sets L.grad = 1, since ∂L/∂L = 1") in start.lines
    assert first.title == "L = d * f passes on L.grad = 1"
    assert first.lines == (("add", "d.grad += f · L.grad = (−2)·1 = −2"),
                           ("add", "f.grad += d · L.grad = 4·1 = 4"))
    assert second.lines[0] == ("add", "e.grad += 1 · d.grad = 1·(−2) = −2")
    assert third.title == "e = a * b passes on e.grad = −2"
    assert third.lines == (("add", "a.grad += b · e.grad = (−3)·(−2) = 6"),
                           ("add", "b.grad += a · e.grad = 2·(−2) = −4"))


def test_gradients_fill_in_frame_by_frame_and_highlights_follow_the_step(example_player):
    player, v = example_player
    names = {x.label: f"v{i}" for i, x in enumerate(player.steps.values)}
    index = {x.label: i for i, x in enumerate(player.steps.values)}
    texts = [dict((k, f.texts[i]) for k, i in index.items()) for f in player.frames]
    assert texts[0]["L"] == "grad 1.0000" and texts[0]["a"] == "grad 0.0000"
    assert texts[2]["e"] == "grad -2.0000" and texts[2]["a"] == "grad 0.0000"
    assert texts[3]["a"] == "grad 6.0000" and texts[3]["b"] == "grad -4.0000"
    third = player.frames[3]
    assert third.current == (names["e"], names["e"] + "_op")
    assert set(third.changed) == {names["a"], names["b"]}
    edges = player.steps.edges
    for edge in third.edges[1:]:
        child, parent = edges[int(edge[1:])]
        assert parent is v["e"] and child in (v["a"], v["b"])
    assert third.edges[0] == names["e"] + "_out"


def test_the_neuron_reads_like_chapter_03():
    o, _ = neuron(nnscratch.Value)
    frames = backprop_player(o).frames
    assert frames[1].lines == (("add", "n.grad += (1 − o²) · o.grad = 0.5·1 = 0.5"),)
    lines = [line for frame in frames for line in frame.lines]
    assert ("add", "w2.grad += x2 · (x2*w2).grad = 0·0.5 = 0") in lines
    assert ("add", "x2.grad += w2 · (x2*w2).grad = 1·0.5 = 0.5") in lines
    assert ("add", "x1.grad += w1 · (x1*w1).grad = (−3)·0.5 = −1.5") in lines


def test_the_used_twice_bug_is_captioned_and_drawn_as_lost():
    f, v = used_twice(chapter_engine(accumulate=False))
    player = backprop_player(f)
    last = player.frames[-1]
    assert ("lost", "a.grad = b · (a*b).grad = 3·1 = 3  (overwrites −6: that contribution is lost)") in last.lines
    a = f"v{player.steps.position(v['a'])}"
    assert a in last.lost and a not in last.changed
    fixed = backprop_player(used_twice(chapter_engine(accumulate=True))[0]).frames[-1]
    assert ("add", "a.grad += b · (a*b).grad = 3·1 = 3  →  a.grad = −6 + 3 = −3") in fixed.lines
    assert fixed.lost == ()


def test_a_wrong_order_shows_a_step_passing_on_nothing():
    o, v = neuron(chapter_engine())
    player = backprop_player(o, order=[v["x1w1"], v["o"], v["n"], v["s"], v["x2w2"]])
    first = player.frames[1]
    assert first.title == "x1*w1 passes on (x1*w1).grad = 0"
    assert first.lines[0] == ("add", "x1.grad += w1 · (x1*w1).grad = 0, since (x1*w1).grad is 0")
    assert first.lines[-1][0] == "lost" and "still 0 when this step runs" in first.lines[-1][1]
    assert f"v{player.steps.position(v['x1w1'])}_op" in first.lost
    assert ("set", "The player sets o.grad = 1, since ∂o/∂o = 1") in player.frames[0].lines


def test_a_fused_node_steps_all_its_operands_at_once():
    o, ws, xs, b = fused_neuron(8)
    player = backprop_player(o)
    fused = player.frames[2]
    assert fused.title.startswith("n = Σwx+b(w1, x1, w2, …, b) passes on n.grad = ")
    assert len(fused.lines) == 17 and fused.lines[0][1].startswith("w1.grad += ∂n/∂w1 · n.grad = 1·")
    assert len(fused.edges) == 18 and len(fused.changed) == 17  # every operand, and n's own arrow
    assert re.search(r"v\d+ -> v\d+_op:i16:n \[id=e\d+\]", player.drawing.source)
    texts = svg_texts(still_picture(player.html()))
    assert [str(k) for k in range(1, 18)] == [t for t in texts if t.isdigit()]


def test_unlabelled_values_are_named_by_what_made_them():
    a, b = nnscratch.Value(-2.0, "a"), nnscratch.Value(3.0, "b")
    f = (a * b) * (a + b)
    frames = backprop_player(f).frames
    assert frames[1].title == "(a*b)*(a+b) passes on ((a*b)*(a+b)).grad = 1"
    x = nnscratch.Value(0.5, "x")
    frames = backprop_player((2 * x).tanh()).frames
    assert frames[1].title == "tanh(2*x) passes on tanh(2*x).grad = 1"
    assert frames[1].lines[0][1] == "(2*x).grad += (1 − tanh(2*x)²) · tanh(2*x).grad = 0.42·1 = 0.42"
    assert frames[2].lines[0][1] == "(2).grad += x · (2*x).grad = 0.5·0.42 = 0.21"
    long = (x - 1 / x) ** 2 / x.exp()  # a name that long is shortened to its operation
    assert backprop_player(long).frames[1].title == "[/] passes on [/].grad = 1"


def test_a_leaf_gives_one_frame_with_nothing_to_propagate():
    player = backprop_player(nnscratch.Value(4.0, "x"))
    (frame,) = player.frames
    assert frame.title == "Nothing to propagate: x is a leaf"
    assert player.html().count('data-step="0"') == 1


def test_non_zero_gradients_are_said_to_be_set_aside_or_added_to():
    L, v = running_example(nnscratch.Value)
    L.backward()
    before = {k: x.grad for k, x in v.items()}
    zero = backprop_player(L).frames[0]
    assert "set aside, and put back afterwards" in zero.lines[0][1]
    current = backprop_player(L, start="current")
    assert current.frames[0].lines[0][1].startswith(
        "Every grad starts where it was (start='current'), so the steps add on top: a.grad = 6")
    assert current.frames[-1].texts[current.steps.position(v["a"])] == "grad 12.0000"
    assert {k: x.grad for k, x in v.items()} == before


def test_the_transcript_is_the_text_form():
    L, _ = running_example(nnscratch.Value)
    text = repr(backprop_player(L))
    assert text.splitlines()[0] == "Start: Before the first step"
    assert "Step 3 of 3: e = a * b passes on e.grad = −2\n    a.grad += b · e.grad = (−3)·(−2) = 6" in text
    assert "0x" not in text


# -- the drawing ---------------------------------------------------------------------------


def test_the_drawing_is_draw_dots_with_ids(example_player):
    player, v = example_player
    mine = player.drawing.source
    theirs = draw_dot(v["L"]).source
    def strip(source):
        source = re.sub(r"grad -?\d+\.\d+", "grad G", source)
        return re.sub(r" id=\w+", "", re.sub(r" \[id=\w+\]", "", source))

    assert strip(mine) == strip(theirs)
    assert set(re.findall(r"\bid=(\w+)", mine)) >= {"v0", "v6", "v6_op", "v6_out", "e0", "e5"}


def test_each_box_is_laid_out_for_its_widest_gradient():
    assert widest(["grad 0.0000", "grad -4.0000", "grad 6.0000"]) == "grad -4.0000"
    assert widest(["grad 1.000e-07", "grad 999.0000"]) == "grad 1.000e-07"
    player, _ = backprop_player(running_example(nnscratch.Value)[0]), None
    for i, (_, layout) in enumerate(player.slots):
        assert layout == widest([f.texts[i] for f in player.frames])


def test_without_a_script_the_picture_is_the_last_frame(example_player):
    player, v = example_player
    page = player.html()
    texts = svg_texts(still_picture(page))
    assert "grad 6.0000" in texts and "grad -4.0000" in texts  # a and b, after the last step
    assert 'class="nnp-controls" hidden="hidden" style="display:none"' in page
    assert "Step 3 of 3: e = a * b passes on e.grad = −2" in html.unescape(page)
    assert "trust the notebook" in page


def test_still_svg_refuses_a_slot_it_cannot_find():
    with pytest.raises(ValueError, match="no text to change for slots"):
        still_svg('<g id="v0" class="node"><text>grad 1</text></g>', [("v0", "grad 2")], ["grad 3"])


def test_the_svg_survives_the_trip_through_a_data_url():
    svg = '<?xml version="1.0"?>\n<svg><text>a &amp; b # 50% "q"</text></svg>'
    url = svg_data_url(svg)
    assert "\n" not in url and '"' not in url and url.count("&") == url.count("&amp;")
    assert unquote(html.unescape(url).split(",", 1)[1]) == svg


# -- the HTML contract -----------------------------------------------------------------------


def test_the_html_contract(example_player):
    player, _ = example_player
    page = player.html()
    assert re.match(r'<div class="nnscratch-player" id="nnscratch-player-[0-9a-f]{12}" data-step="3"', page)
    markup = page.split("<script", 1)[0]
    for action in ACTIONS:
        assert len(re.findall(f'<button type="button" data-action="{action}"', markup)) == 1
    assert re.search(r'<input type="range" class="nnp-slider" min="0" max="3" value="3"', page)
    data = frame_data(page)
    assert len(data["frames"]) == 4 and data["interval"] == 1200
    assert data["frames"][3]["lines"][0] == ["add", "a.grad += b · e.grad = (−3)·(−2) = 6"]
    assert player._repr_html_() == page


def test_nothing_is_fetched_from_anywhere(example_player):
    page = example_player[0].html()
    assert "<link" not in page and "<iframe" not in page
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert not re.search(r'\b(?:src|href)="(?!data:)', page)
    assert set(re.findall(r"https?://[\w./-]+", page)) <= {  # the SVG's namespaces only
        "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd", "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink"}
    assert re.search(r'<img src="data:image/svg\+xml;charset=utf-8,<\?xml', page)
    assert "@import" not in page and "url(" not in page


def test_hostile_labels_cannot_break_out():
    x = nnscratch.Value(1.0, '</script><script>alert(1)</script>"><b>')
    y = x * 2.0
    y.label = "<!--"
    page = backprop_player(y).html()
    assert "alert(1)</script>" not in page.replace("\\u003c/script\\u003e", "")
    data = frame_data(page)  # still valid JSON, holding the label as written
    assert any('</script><script>alert(1)</script>"><b>' in line[1]
               for frame in data["frames"] for line in frame["lines"])
    assert "<b>" not in re.sub(r"<script.*?</script>", "", page, flags=re.S).split("<img", 1)[0]


def test_several_players_have_different_ids_and_one_page_holds_them(example_player):
    player, _ = example_player
    other = backprop_player(used_twice(nnscratch.Value)[0])
    assert player.uid != other.uid
    both = side_by_side(player, other)._repr_html_()
    assert both.startswith('<div class="nnscratch-players">') and both.count('class="nnscratch-player"') == 2
    with pytest.raises(TypeError, match="takes players"):
        side_by_side(player, "not a player")
    with pytest.raises(ValueError):
        side_by_side()


def test_a_title_is_shown_above_the_drawing():
    page = backprop_player(used_twice(nnscratch.Value)[0], title="With += <fixed>").html()
    assert '<div class="nnp-heading">With += &lt;fixed&gt;</div>' in page


# -- determinism and what nbval compares ------------------------------------------------------


def test_the_same_graph_gives_byte_identical_html():
    pages = [backprop_player(running_example(nnscratch.Value)[0]).html() for _ in range(2)]
    assert pages[0] == pages[1]
    pages = [backprop_player(used_twice(chapter_engine(False))[0]).html() for _ in range(2)]
    assert pages[0] == pages[1]


PROGRAM = """
    import hashlib, sys
    sys.path.insert(0, {tests!r})
    import nnscratch
    from nnscratch.viz import backprop_player
    from test_player_steps import chapter_engine, neuron, used_twice
    pages = [backprop_player(neuron(nnscratch.Value)[0]).html(),
             backprop_player(used_twice(chapter_engine(False))[0], start="current").html(),
             backprop_player(neuron(chapter_engine())[0], rankdir="LR").html()]
    print(hashlib.sha256("".join(pages).encode()).hexdigest())
"""


def test_the_html_is_the_same_in_other_processes_and_hash_seeds():
    program = textwrap.dedent(PROGRAM.format(tests=str(ROOT / "tests")))
    digests = set()
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": os.pathsep.join(
            [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])}
        run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                             env=env, timeout=300)
        assert run.returncode == 0, run.stderr
        digests.add(run.stdout.strip())
    assert len(digests) == 1


def test_what_nbval_compares_does_not_depend_on_the_layout(example_player, monkeypatch):
    player, v = example_player
    page = player.html()
    masked = nbval_masked(page)
    assert masked.count("<svg drawing>") == 1 and "<polygon" not in masked and "viewBox" not in masked
    assert "a.grad += b · e.grad = (−3)·(−2) = 6" in masked  # the frames are still compared
    # Another Graphviz, another layout: every coordinate moves, the compared text does not.
    real_svg = GraphDrawing.svg

    def elsewhere(attribute):  # every number in a geometric attribute, moved
        numbers = re.sub(r"\d+(?:\.\d+)?", lambda m: f"{float(m[0]) * 1.5 + 3:.2f}", attribute[2])
        return f'{attribute[1]}="{numbers}"'

    monkeypatch.setattr(GraphDrawing, "svg", lambda self: re.sub(
        r'\b(points|x|y|cx|cy|rx|ry|d|width|height|viewBox|transform)="([^"]*)"', elsewhere,
        real_svg(self)))
    moved = backprop_player(running_example(nnscratch.Value)[0]).html()
    assert moved != page
    assert nbval_masked(moved) == masked


# -- size and bad input ---------------------------------------------------------------------------


def test_a_forty_node_graph_stays_well_under_a_megabyte():
    out = MLP(2, [3, 1], seed=0)([0.5, -1.0])
    player = backprop_player(out)
    assert 40 <= len(player.steps.values) <= 45
    assert len(player.html().encode("utf-8")) < 1_000_000
    biggest = MLP(2, [5, 1], seed=0)([0.5, -1.0])
    assert len(backprop_player(biggest, max_values=100).html().encode("utf-8")) < 1_000_000


def test_too_big_a_graph_is_refused_with_a_message_that_suggests_draw_dot():
    out = MLP(2, [8, 8, 1], seed=0)([0.5, -1.0])
    with pytest.raises(ValueError) as info:
        backprop_player(out)
    message = str(info.value)
    assert "more than max_values=100" in message and "draw_dot(root)" in message
    assert "one neuron" in message


@pytest.mark.parametrize("bad", [2.0, None, "L", [nnscratch.Value(1.0)]])
def test_a_non_value_is_a_type_error_naming_its_type(bad):
    with pytest.raises(TypeError, match=f"got {type(bad).__name__}"):
        backprop_player(bad)


@pytest.mark.parametrize("kwargs, error, words", [
    ({"rankdir": "up"}, ValueError, "rankdir"),
    ({"max_values": 0}, ValueError, "max_values"),
    ({"title": 3}, TypeError, "title"),
    ({"seconds_per_step": 0}, ValueError, "seconds_per_step"),
    ({"seconds_per_step": float("nan")}, ValueError, "seconds_per_step"),
    ({"seconds_per_step": "1"}, ValueError, "seconds_per_step"),
    ({"start": "fresh"}, ValueError, "start"),
])
def test_bad_options_are_refused(kwargs, error, words):
    with pytest.raises(error, match=words):
        backprop_player(running_example(nnscratch.Value)[0], **kwargs)


def test_a_gradient_that_is_not_a_number_is_an_error():
    Value = chapter_engine()
    a = Value(2.0, label="a")
    out = a * 3.0

    def broken():
        a.grad = "six"

    out._backward = broken
    with pytest.raises(TypeError, match="a grad in the graph is not a number"):
        backprop_player(out)
    assert a.grad == 0.0


def test_a_generic_player_checks_its_frames():
    drawing = GraphDrawing()
    with pytest.raises(ValueError, match="at least one frame"):
        Player(drawing=drawing, slots=(), frames=(), description="d")
    with pytest.raises(ValueError, match="frame 0 has 1 texts for 0 slots"):
        Player(drawing=drawing, slots=(), frames=(Frame(("x",), "Start", "t"),), description="d")
    with pytest.raises(ValueError, match="line kind 'shout'"):
        Player(drawing=drawing, slots=(), frames=(Frame((), "Start", "t", (("shout", "hi"),)),),
               description="d")
