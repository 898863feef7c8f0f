"""The tree player: the visits it records, the frames it makes of them, its HTML.

The visits are those of the model's own backward pass, on chapter 08's classes (a
recursion) as on nnscratch.tree's (parents first); the model is left as it was; the
frames carry the arithmetic, the highlights and the derivatives on the arrows; the
HTML keeps the contract the page's script and the browser tests rely on, and is the
same bytes on every run. The controls are driven in a browser in
tests/browser/test_tree_player_page.py.
"""

from __future__ import annotations

import importlib.util
import math
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tree_chapter import chapter_08, two_layer_net

import nnscratch.tree as nt
from nnscratch.tree import backward_visits, backward_single_parent

ROOT = Path(__file__).resolve().parents[1]
NAMES = ("x", "w1", "b1", "w2", "b2")
# The player draws with the graphviz package; the visits need nothing but the tree.
needs_graphviz = pytest.mark.skipif(importlib.util.find_spec("graphviz") is None,
                                    reason="tree_player needs the graphviz Python package")


def shared_model():
    """y = a·h + c·h with h = σ(w·x + b): chapter 09's node with two parents."""
    x = nt.Input(name="x")
    w, b = nt.Parameter(0.8, 0.1), nt.Parameter(-0.3, 0.1)
    a, c = nt.Parameter(1.5, 0.1), nt.Parameter(-0.5, 0.1)
    h = nt.Sigmoid([nt.Add([nt.Multiply([w, x]), b])])
    root = nt.Add([nt.Multiply([a, h]), nt.Multiply([c, h])])
    root.predict([2.0])
    return root, dict(w=w, b=b, a=a, c=c, h=h)


def package_net(learning_rate: float = 0.1):
    """Chapter 08's two-layer net, built from nnscratch.tree."""
    x = nt.Input(2.0, name="x")
    w1, b1 = nt.Parameter(0.5, learning_rate), nt.Parameter(-0.25, learning_rate)
    w2, b2 = nt.Parameter(1.5, learning_rate), nt.Parameter(0.1, learning_rate)
    hidden = nt.ReLU([nt.Add([nt.Multiply([w1, x]), b1])])
    return nt.Add([nt.Multiply([w2, hidden]), b2]), dict(x=x, w1=w1, b1=b1, w2=w2, b2=b2, h=hidden)


# --- the visits ------------------------------------------------------------------------------

def test_the_chapters_recursion_is_recorded_visit_by_visit():
    ns = chapter_08()
    net, v = two_layer_net(ns)
    visits = backward_visits(net, 1.0)
    order = [next((k for k, n in v.items() if n is visit.node), type(visit.node).__name__) for visit in visits]
    assert order == ["Add", "Multiply", "w2", "h", "Add", "Multiply", "w1", "x", "b1", "b2"]
    received = {name: visits[visits.visits_of(v[name])[0] - 1].derivative for name in NAMES}
    assert received == {"x": 0.75, "w1": 3.0, "b1": 1.5, "w2": 0.75, "b2": 1.0}
    first = visits[1]  # the product w2·h: its local derivatives are the other factors
    assert first.local == (0.75, 1.5) and first.shares == (0.75, 1.5)
    w1 = visits[visits.visits_of(v["w1"])[0] - 1]
    assert (w1.value_before, w1.value_after, w1.learned) == (0.5, pytest.approx(0.2), True)
    assert visits.visits_of(v["w1"]) == [7]  # the frame in which w1 learns
    x = visits[visits.visits_of(v["x"])[0] - 1]
    assert x.learned is False and x.local == ()
    for visit in visits:  # each derivative is the one share its parent handed down
        assert visit.derivative == visit.expected
    assert visits[0].came_from == () and all(len(v_.came_from) == 1 for v_ in visits.visits[1:])


def test_the_model_is_left_as_it_was_and_its_methods_unwrapped():
    ns = chapter_08()
    net, v = two_layer_net(ns)
    methods = {cls: dict(vars(cls)) for cls in (ns.NeuralNetNode, ns.Parameter, ns.Add, ns.Multiply, ns.ReLU)}
    backward_visits(net, 1.0)
    assert [v[k].value for k in NAMES] == [2.0, 0.5, -0.25, 1.5, 0.1]
    assert not any(hasattr(v[k], "derivative") for k in NAMES)  # never had one: none added
    assert {cls: dict(vars(cls)) for cls in methods} == methods
    v["w1"].derivative = 7.0
    backward_visits(net, 1.0)
    assert v["w1"].derivative == 7.0 and v["w1"].value == 0.5
    # the pass itself still trains, as before
    net.backward(1.0)
    assert v["w1"].value == pytest.approx(0.2)


def test_methods_are_unwrapped_and_values_restored_when_the_pass_fails():
    ns = chapter_08()
    net, v = two_layer_net(ns)
    original = vars(ns.ReLU)["grad"]

    def broken(self):
        raise ArithmeticError("a grad that fails")

    ns.ReLU.grad = broken
    with pytest.raises(ArithmeticError, match="a grad that fails"):
        backward_visits(net, 1.0)
    assert vars(ns.ReLU)["grad"] is broken and vars(ns.NeuralNetNode)["on_backward"].__name__ == "on_backward"
    assert not hasattr(vars(ns.NeuralNetNode)["on_backward"], "__wrapped__")
    assert v["w2"].value == 1.5  # w2 learnt before the failure, and was put back
    ns.ReLU.grad = original


def test_the_package_gives_the_same_visits_and_keeps_its_counts_and_cache():
    net, v = package_net()
    net.predict([2.0])
    calls = nt.total_forward_calls(net)
    visits = backward_visits(net, 1.0)
    assert {k: visits[visits.visits_of(v[k])[0] - 1].derivative for k in NAMES} == {
        "x": 0.75, "w1": 3.0, "b1": 1.5, "w2": 0.75, "b2": 1.0}
    assert nt.total_forward_calls(net) == calls
    assert [p.value for p in net.parameters()] == [1.5, 0.5, -0.25, 0.1]
    assert all(n.derivative == 0.0 for n in nt.walk(net))
    assert net.predict([2.0]) == 1.225  # the cache saw every value put back


def test_a_shared_node_in_both_passes():
    model, v = shared_model()
    recursive = backward_visits(model, 1.0, backward=backward_single_parent)
    parents_first = backward_visits(model, 1.0)
    assert len(recursive) == 17 and len(parents_first) == 11
    once = [parents_first[k - 1] for k in parents_first.visits_of(v["h"])]
    assert len(once) == 1 and len(once[0].came_from) == 2 and once[0].derivative == 1.0
    twice = [recursive[k - 1] for k in recursive.visits_of(v["h"])]
    assert [t.derivative for t in twice] == [1.5, -0.5]
    assert all(len(t.came_from) == 1 for t in twice)
    assert [t.derivative == t.expected for t in recursive] == [True] * 17
    # the recursion moves w twice, the second time from a moved value
    w = [recursive[k - 1] for k in recursive.visits_of(v["w"])]
    assert len(w) == 2 and w[1].value_before == w[0].value_after


def test_a_node_shared_by_a_parent_and_a_grandparent():
    # y = a·h + h: the recursion reaches h through a·h first, while the root's own share
    # for h is still waiting; it must be matched to the share just handed.
    h = nt.Sigmoid([nt.Input(0.5, name="x")])
    a = nt.Parameter(3.0, 0.0)
    model = nt.Add([nt.Multiply([a, h]), h])
    recursive = backward_visits(model, 1.0, backward=backward_single_parent)
    first, second = (recursive[k - 1] for k in recursive.visits_of(h))
    assert (first.derivative, second.derivative) == (3.0, 1.0)
    assert all(v.derivative == v.expected for v in recursive)
    edges = recursive.edges
    assert edges[first.came_from[0]][0] is model.children[0] and edges[second.came_from[0]][0] is model
    (once,) = (v for v in backward_visits(model, 1.0) if v.node is h)
    assert once.derivative == 4.0 and len(once.came_from) == 2


@needs_graphviz
def test_a_wrong_engine_is_shown_doing_what_it_does():
    ns = chapter_08(hand_on_local=True)  # forgets to multiply by the parent's derivative
    net, v = two_layer_net(ns)
    visits = backward_visits(net, 2.0)
    b2 = visits[visits.visits_of(v["b2"])[0] - 1]
    assert b2.derivative == 1.0 and b2.expected == 2.0
    player = nt.tree_player(net, 2.0, names={k: v[k] for k in NAMES})
    assert "The chain rule hands b2 2, but it received 1." in repr(player)
    last = player.frames[-1]
    assert last.lost == (f"t{list(visits.nodes).index(v['b2'])}",) and last.current == ()


def test_bad_input_is_refused_with_a_clear_error():
    ns = chapter_08()
    net, v = two_layer_net(ns)
    with pytest.raises(TypeError, match="root node of a tree model, got float"):
        backward_visits(1.5)
    with pytest.raises(ValueError, match="finite"):
        backward_visits(net, math.inf)
    with pytest.raises(TypeError, match="real number"):
        backward_visits(net, "1")
    with pytest.raises(TypeError, match="function of \\(root, derivative\\)"):
        backward_visits(net, 1.0, backward="recursive")
    softmax = nt.softmax_classifier().compile()
    with pytest.raises(TypeError, match="gives a list"):
        backward_visits(softmax, 1.0)

    class Quiet:  # a node whose backward never calls on_backward
        children = ()

        def on_backward(self, d):
            pass

        def backward(self, d):
            pass

    with pytest.raises(ValueError, match="no visit"):
        backward_visits(Quiet())

    class Mute:
        children = ()

        def backward(self, d):
            pass

    with pytest.raises(TypeError, match="no on_backward"):
        backward_visits(Mute())


@needs_graphviz
def test_player_arguments_are_checked_before_the_pass():
    ns = chapter_08()
    net, v = two_layer_net(ns)
    with pytest.raises(ValueError, match="'w9' is not a node of this tree"):
        nt.tree_player(net, names={"w9": ns.Parameter(1.0)})
    with pytest.raises(ValueError, match="two names"):
        nt.tree_player(net, names={"a": v["w1"], "b": v["w1"]})
    with pytest.raises(ValueError, match="not a name"):
        nt.tree_player(net, names={"": v["w1"]})
    with pytest.raises(TypeError, match="map a name"):
        nt.tree_player(net, names=[("w1", v["w1"])])
    with pytest.raises(TypeError, match="title"):
        nt.tree_player(net, title=3)
    with pytest.raises(ValueError, match="seconds"):
        nt.tree_player(net, seconds_per_visit=0)
    big = ns.Input(0.5)
    for _ in range(120):
        big = ns.Sigmoid([big])
    with pytest.raises(ValueError, match="121 nodes, more than max_nodes=100.*draw_tree"):
        nt.tree_player(big)
    assert v["w1"].value == 0.5


# --- the frames ------------------------------------------------------------------------------

@pytest.fixture
def player():
    ns = chapter_08()
    net, v = two_layer_net(ns)
    return nt.tree_player(net, 1.0, names={k: v[k] for k in (*NAMES, "h")}), v


@needs_graphviz
def test_one_frame_per_visit_with_its_arithmetic(player):
    p, v = player
    assert len(p.frames) == 11
    assert [f.label for f in p.frames] == ["Start"] + [f"Visit {k} of 10" for k in range(1, 11)]
    start, *visits = p.frames
    assert start.title == "Before the backward pass" and start.current == () and start.edges == ()
    assert visits[5].title == "w1*x receives ∂L/∂(w1*x) = 1.5"
    assert [text for _, text in visits[5].lines] == [
        "∂L/∂w1 = ∂L/∂(w1*x) · x = 1.5·2 = 3", "∂L/∂x = ∂L/∂(w1*x) · w1 = 1.5·0.5 = 0.75"]
    assert visits[6].title == "w1 receives ∂L/∂w1 = 3 and learns"
    assert visits[6].lines == (("set", "w1 ← w1 − η·∂L/∂w1 = 0.5 − 0.1·3 = 0.2"),)
    assert visits[8].lines == (("set", "b1 ← b1 − η·∂L/∂b1 = −0.25 − 0.1·1.5 = −0.4"),)
    assert visits[3].lines[0][1] == "∂L/∂(w1*x+b1) = ∂L/∂h · 1 (its input is positive) = 1.5·1 = 1.5"
    assert visits[7].lines == (("note", "An input does not learn: the derivative stops at x."),)


@needs_graphviz
def test_the_highlights_and_the_derivatives_on_the_arrows(player):
    p, v = player
    slots = dict(p.slots)
    keys = [key for key, _ in p.slots]
    product = p.frames[6]  # the visit of w1*x
    assert product.current == ("t5",) and product.edges == ("e7", "e8")
    texts = dict(zip(keys, product.texts))
    assert texts["e7"] == "3" and texts["e8"] == "0.75"  # handed to w1 and to x
    assert texts["t6"] == "w1 = 0.5"  # w1 has not learnt yet
    texts = dict(zip(keys, p.frames[7].texts))
    assert texts["t6"] == "w1 = 0.2" and p.frames[7].current == ("t6",)
    assert all(text == "" for key, text in zip(keys, p.frames[0].texts) if key.startswith("e"))
    assert slots["t2"] == "w2 = 1.425" and slots["e0"] == "1"  # laid out with the widest text
    assert 'label="x = 2"' in p.drawing.source and "id=e_loss" in p.drawing.source


@needs_graphviz
def test_the_html_keeps_the_players_contract_and_the_same_bytes(player):
    p, v = player
    page = p.html()
    assert page.startswith('<div class="nnscratch-player" id="nnscratch-player-')
    assert 'data-step="10"' in page
    for action in ("first", "prev", "play", "next", "last"):
        assert f'data-action="{action}"' in page
    assert "<script" in page and "http" not in page.replace("http://www.w3.org", "")
    again, _ = chapter_08(), None
    net, w = two_layer_net(again)
    assert nt.tree_player(net, 1.0, names={k: w[k] for k in (*NAMES, "h")}).html() == page
    assert repr(p).splitlines()[0] == "Start: Before the backward pass"


@needs_graphviz
def test_the_same_html_in_another_process(player):
    p, _ = player
    code = textwrap.dedent("""
        import sys
        sys.path.insert(0, "tests")
        from tree_chapter import chapter_08, two_layer_net
        import nnscratch.tree as nt
        net, v = two_layer_net(chapter_08())
        names = {k: v[k] for k in ("x", "w1", "b1", "w2", "b2", "h")}
        sys.stdout.write(nt.tree_player(net, 1.0, names=names).html())
    """)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={"PYTHONHASHSEED": "123", "PATH": "", "PYTHONPATH": str(ROOT)}, check=True)
    assert out.stdout == p.html()


@needs_graphviz
def test_names_default_to_something_readable():
    model, v = shared_model()
    p = nt.tree_player(model, 1.0)
    text = repr(p)
    assert "Visit 1 of 11: ŷ receives ∂L/∂ŷ = 1" in text
    assert "p4*σ(p1*x+p2)" not in text  # too long for a name: the operation's symbol instead
    assert re.search(r"∂L/∂p\d = ", text) and "∂L/∂x" in text


@needs_graphviz
def test_a_forty_node_tree_stays_small():
    ns = chapter_08()
    deep = ns.Multiply([ns.Parameter(0.5, 0.1), ns.Input(1.0)])
    for _ in range(37):
        deep = ns.Sigmoid([deep])
    p = nt.tree_player(deep, 1.0)
    assert len(nt.walk(deep)) == 40 and len(p.frames) == 41
    assert len(p.html().encode()) < 1_000_000


@needs_graphviz
def test_a_node_one_parent_uses_twice_is_said_to_be_used_twice():
    h = nt.Sigmoid([nt.Input(0.5, name="x")])
    text = repr(nt.tree_player(nt.Multiply([h, h]), 1.0, names={"h": h}))
    assert "h is used 2 times, and has heard from every use: ∂L/∂h = " in text
    assert "h is used 2 times; this visit brings the share of one use only (visit 1 of h)." in repr(
        nt.tree_player(nt.Multiply([h, h]), 1.0, names={"h": h}, backward=backward_single_parent))
