"""`nnscratch.viz`: `trace` lists a graph, `draw_dot` turns it into a Graphviz drawing."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("graphviz", reason="nnscratch.viz needs the graphviz Python package")

from nnscratch import MLP, Value  # noqa: E402
from nnscratch.viz import dot as viz  # noqa: E402
from nnscratch.viz import GraphvizNotFoundError, draw_dot, find_dot, trace  # noqa: E402


def example():
    """d = a·b + c, with gradients."""
    a, b, c = Value(2.0, "a"), Value(-3.0, "b"), Value(10.0, "c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    d.backward()
    return a, b, c, e, d


def record_labels(source: str) -> dict[str, str]:
    """Node name -> label, for the record nodes of a DOT source."""
    return dict(re.findall(r'^\s*(v\d+) \[label="(.*)" shape=record\]$', source, re.M))


# -- trace ------------------------------------------------------------------------------


def test_trace_lists_children_before_parents_in_child_order():
    a, b, c, e, d = example()
    nodes, edges = trace(d)
    assert nodes == [a, b, e, c, d]
    assert edges == [(e, d), (a, e), (b, e), (c, d)]


def test_trace_of_a_leaf():
    a = Value(1.0)
    assert trace(a) == ([a], [])


def test_trace_lists_a_node_used_twice_once_with_both_edges():
    a = Value(3.0)
    b = a + a
    nodes, edges = trace(b)
    assert nodes == [a, b]
    assert edges == [(a, b), (a, b)]


def test_trace_is_a_topological_order_of_a_whole_network():
    model = MLP(2, [3, 2, 1], seed=0)
    out = model([0.5, -1.0])
    nodes, edges = trace(out)
    position = {id(n): i for i, n in enumerate(nodes)}
    assert len(position) == len(nodes)  # each value once
    assert nodes[-1] is out
    for child, parent in edges:
        assert position[id(child)] < position[id(parent)]
    for node in nodes:
        for child in node.children:
            assert (child, node) in [(c, p) for c, p in edges if p is node]
    assert sum(len(n.children) for n in nodes) == len(edges)
    assert all(p in nodes for p in model.parameters())


def test_trace_is_the_same_for_the_same_program():
    def labels_and_data(seed):
        out = MLP(2, [3, 1], seed=seed)([0.25, 0.75])
        nodes, edges = trace(out)
        return [(n.op, n.data.hex()) for n in nodes], [(c.data.hex(), p.op) for c, p in edges]

    assert labels_and_data(1) == labels_and_data(1)


def test_trace_handles_deep_graphs_without_recursion():
    x = Value(1.0)
    v = x
    for _ in range(100_000):
        v = -v
    nodes, edges = trace(v)
    assert len(nodes) == 100_001 and len(edges) == 100_000
    assert nodes[0] is x and nodes[-1] is v


# -- draw_dot: the DOT source -----------------------------------------------------------


def test_draw_dot_records_ops_and_edges():
    *_, d = example()
    source = draw_dot(d).source
    assert record_labels(source) == {
        "v0": r"{ a | data 2.0000 | grad -3.0000 }",
        "v1": r"{ b | data -3.0000 | grad 2.0000 }",
        "v2": r"{ e | data -6.0000 | grad 1.0000 }",
        "v3": r"{ c | data 10.0000 | grad 1.0000 }",
        "v4": r"{ d | data 4.0000 | grad 1.0000 }",
    }
    ops = dict(re.findall(r'^\s*(v\d+_op) \[label="?([^" ]+)"? ', source, re.M))
    assert ops == {"v2_op": "*", "v4_op": "+"}
    edges = re.findall(r"^\s*(\w+) -> (\w+)$", source, re.M)
    assert sorted(edges) == sorted(
        [("v2_op", "v2"), ("v4_op", "v4"), ("v0", "v2_op"), ("v1", "v2_op"), ("v2", "v4_op"), ("v3", "v4_op")]
    )


def test_node_names_follow_the_trace_and_never_use_ids():
    a, b, c, e, d = example()
    source = draw_dot(d).source
    names = set(re.findall(r"\bv\d+\b", source))
    assert names == {"v0", "v1", "v2", "v3", "v4"}
    for value in (a, b, c, e, d):
        assert str(id(value)) not in source
    assert "0x" not in source


def test_draw_dot_is_the_same_in_another_process():
    code = """
        from nnscratch import Value, draw_dot
        a, b, c = Value(2.0, "a"), Value(-3.0, "b"), Value(10.0, "c")
        e = a * b
        e.label = "e"
        d = e + c
        d.label = "d"
        d.backward()
        print(draw_dot(d).source, end="")
    """
    run = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    *_, d = example()
    assert run.stdout == draw_dot(d).source


def test_the_text_form_of_a_drawing_is_its_dot_source():
    *_, d = example()
    drawing = draw_dot(d)
    assert repr(drawing) == drawing.source
    assert repr(drawing).startswith("digraph {")


def test_white_background_and_dark_text():
    *_, d = example()
    source = draw_dot(d).source
    graph_attrs = re.search(r"^\s*graph \[(.*)\]$", source, re.M).group(1)
    node_attrs = re.search(r"^\s*node \[(.*)\]$", source, re.M).group(1)
    assert "bgcolor=white" in graph_attrs
    assert "fillcolor=white" in node_attrs and "style=filled" in node_attrs
    assert "fontcolor=black" in node_attrs


def test_unlabelled_values_and_hidden_grads():
    a = Value(2.0)
    out = a * 3.0
    labels = record_labels(draw_dot(out).source)
    assert labels["v0"] == "{ data 2.0000 | grad 0.0000 }"
    labels = record_labels(draw_dot(out, show_grad=False).source)
    assert labels["v0"] == "{ data 2.0000 }"
    assert all("grad" not in label for label in labels.values())


def test_numbers_far_from_one_use_scientific_notation():
    a = Value(1.5e-7, "tiny")
    b = Value(2.5e8, "huge")
    labels = record_labels(draw_dot(a * b, show_grad=False).source)
    assert labels["v0"] == "{ tiny | data 1.500e-07 }"
    assert labels["v1"] == "{ huge | data 2.500e+08 }"
    assert labels["v2"] == "{ data 37.5000 }"


@pytest.mark.parametrize("rankdir", ["LR", "TB", "RL", "BT"])
def test_rankdir(rankdir):
    assert f"rankdir={rankdir}" in draw_dot(Value(1.0), rankdir=rankdir).source


def test_bad_rankdir():
    with pytest.raises(ValueError, match="rankdir"):
        draw_dot(Value(1.0), rankdir="left")


SPECIAL = 'x{1}|<p>"q"\\r'


def test_record_special_characters_in_labels_are_escaped():
    a = Value(1.0, SPECIAL)
    source = draw_dot(a).source
    label = record_labels(source)["v0"]
    assert label.startswith(r'{ x\{1\}\|\<p\>\"q\"\\r | data')
    # Unescaped, the label is one field: exactly two field separators remain.
    assert len(re.findall(r"(?<!\\)\|", label)) == 2


def test_escaped_labels_render_as_written():
    a = Value(1.0, SPECIAL)
    svg = draw_dot(a).pipe(format="svg").decode()
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg)]
    assert SPECIAL in texts
    assert "data 1.0000" in texts and "grad 0.0000" in texts


# -- draw_dot: size cap ------------------------------------------------------------------


def test_max_values_refuses_big_graphs_with_a_clear_message():
    x = Value(1.0)
    v = x
    for _ in range(9):
        v = v * 2.0  # each step adds a result and a constant: 19 values in all
    with pytest.raises(ValueError) as info:
        draw_dot(v, max_values=10)
    message = str(info.value)
    assert "19 values" in message
    assert "max_values=10" in message
    assert "max_values=19" in message  # how to draw it anyway
    assert draw_dot(v, max_values=19).source.count("shape=record") == 19


def test_the_default_cap_lets_a_small_network_through_and_stops_a_big_one():
    small = MLP(2, [4, 1], seed=0)([1.0, 2.0])
    assert draw_dot(small).source.count("shape=record") == len(trace(small)[0])
    big = MLP(2, [16, 16, 1], seed=0)([1.0, 2.0])
    with pytest.raises(ValueError, match="max_values=500"):
        draw_dot(big)


# -- any value-like class ----------------------------------------------------------------


class Scalar:
    """A value class such as a chapter writes: only the field names matter."""

    def __init__(self, data, children=(), op="", label=""):
        self.data = data
        self.grad = 0.0
        self.children = tuple(children)
        self.op = op
        self.label = label


def test_draw_dot_works_with_a_duck_typed_value_class():
    x = Scalar(3.0, label="x")
    y = Scalar(-1.0, label="y")
    s = Scalar(2.0, (x, y), "+", "s")
    s.grad = 1.0
    t = Scalar(6.0, (s, x), "*", "t")
    nodes, edges = trace(t)
    assert nodes == [x, y, s, t]
    assert edges == [(s, t), (x, s), (y, s), (x, t)]
    source = draw_dot(t).source
    assert record_labels(source) == {
        "v0": "{ x | data 3.0000 | grad 0.0000 }",
        "v1": "{ y | data -1.0000 | grad 0.0000 }",
        "v2": "{ s | data 2.0000 | grad 1.0000 }",
        "v3": "{ t | data 6.0000 | grad 0.0000 }",
    }
    assert "v0 -> v3_op" in source
    assert "<svg" in draw_dot(t).pipe(format="svg").decode()


def test_labels_that_are_not_strings_are_shown_as_text():
    x = Scalar(1.0, label=3)
    y = Scalar(2.0, label=None)
    z = Scalar(3.0, (x, y), "+", label=("z", 1))
    labels = record_labels(draw_dot(z).source)
    assert labels == {
        "v0": "{ 3 | data 1.0000 | grad 0.0000 }",
        "v1": "{ data 2.0000 | grad 0.0000 }",
        "v2": "{ ('z', 1) | data 3.0000 | grad 0.0000 }",
    }


# -- rendering --------------------------------------------------------------------------


def test_renders_to_svg_with_the_available_dot():
    *_, d = example()
    svg = draw_dot(d).pipe(format="svg").decode()
    assert svg.lstrip().startswith("<?xml")
    assert "<svg" in svg and svg.rstrip().endswith("</svg>")
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg)]
    for text in ("a", "b", "data 4.0000", "grad -3.0000", "*", "+"):
        assert text in texts
    assert 'fill="white"' in svg  # the background


def test_notebooks_get_an_svg():
    *_, d = example()
    bundle = draw_dot(d)._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"]


def test_find_dot_prefers_a_system_dot_then_graphviz_pure(monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(viz.shutil, "which", lambda name, *a, **k: "/opt/fake/dot" if name == "dot" else real_which(name, *a, **k))
    assert find_dot() == "/opt/fake/dot"
    monkeypatch.setattr(viz.shutil, "which", lambda name, *a, **k: None if name == "dot" else real_which(name, *a, **k))
    assert find_dot().endswith("graphviz-pure")


def test_graphviz_pure_is_found_next_to_python_even_off_the_path(monkeypatch):
    if shutil.which("graphviz-pure", path=str(__import__("pathlib").Path(sys.executable).parent)) is None:
        pytest.skip("graphviz-pure is not installed next to this Python")
    monkeypatch.setenv("PATH", "/nonexistent")
    assert find_dot().endswith("graphviz-pure")


def test_without_any_dot_the_error_says_how_to_install_one(monkeypatch):
    monkeypatch.setattr(viz.shutil, "which", lambda *a, **k: None)
    with pytest.raises(GraphvizNotFoundError) as info:
        draw_dot(Value(1.0))
    message = str(info.value)
    for word in ("apt", "brew", "conda", "pip", "graphviz-pure"):
        assert word in message
    with pytest.raises(GraphvizNotFoundError):
        find_dot()
    assert issubclass(GraphvizNotFoundError, RuntimeError)


# -- odd labels, odd numbers, odd values ---------------------------------------------------


def svg_texts(drawing) -> list[str]:
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", drawing.svg())]


def test_a_line_break_in_a_label_is_a_line_break_in_the_drawing():
    a = Value(1.0, "x1*w1\n+ x2*w2")
    texts = svg_texts(draw_dot(a))
    assert "x1*w1" in texts and "+ x2*w2" in texts
    assert not any("x1*w1+" in t or "w1\n" in t for t in texts)
    for ending in ("\r\n", "\r"):
        assert svg_texts(draw_dot(Value(1.0, f"top{ending}bottom")))[:2] == ["top", "bottom"]


def test_a_tab_in_a_label_separates_the_words():
    assert "left right" in svg_texts(draw_dot(Value(1.0, "left\tright")))


def test_other_control_characters_are_written_out_not_dropped():
    texts = svg_texts(draw_dot(Value(1.0, "bell\x07end\x00")))
    assert "bell\\x07end\\x00" in texts
    assert not any(ch in t for t in texts for ch in "\x07\x00")


def test_special_characters_in_an_operation_are_shown_as_written():
    x = Scalar(1.0, label="x")
    y = Scalar(2.0, (x,), 'f"\\n"\n|{<', "y")
    texts = svg_texts(draw_dot(y))
    assert 'f"\\n"' in texts and "|{<" in texts


def test_labels_that_are_falsy_but_not_empty_are_shown():
    labels = record_labels(draw_dot(Scalar(1.0, label=0)).source)
    assert labels["v0"] == "{ 0 | data 1.0000 | grad 0.0000 }"
    labels = record_labels(draw_dot(Scalar(1.0, label=False)).source)
    assert labels["v0"] == "{ False | data 1.0000 | grad 0.0000 }"
    assert record_labels(draw_dot(Scalar(1.0, label="")).source)["v0"] == "{ data 1.0000 | grad 0.0000 }"


@pytest.mark.parametrize(
    "x, text",
    [
        (-0.0, "0.0000"),
        (0.0, "0.0000"),
        (1e-4, "0.0001"),
        (-99999.99994, "-99999.9999"),
        (1e6, "1.000e+06"),
        (5e-324, "4.941e-324"),
        (1.7976931348623157e308, "1.798e+308"),
        (float("inf"), "inf"),
        (float("-inf"), "-inf"),
        (float("nan"), "nan"),
        (10**400, "1.000e+400"),
        (-(10**400), "-1.000e+400"),
        (3, "3.0000"),
    ],
)
def test_numbers_of_every_size_and_sign(x, text):
    assert viz.number_text(x) == text
    assert record_labels(draw_dot(Scalar(x), show_grad=False).source)["v0"] == f"{{ data {text} }}"


def test_a_negative_zero_gradient_is_drawn_as_zero():
    # chapter 04's wrong order leaves x1.grad = -3 * 0.0 = -0.0
    a = Value(-3.0, "w")
    a.grad = -3.0 * 0.0
    assert record_labels(draw_dot(a).source)["v0"] == "{ w | data -3.0000 | grad 0.0000 }"


@pytest.mark.parametrize("data", ["2.0", None, 1 + 2j, [1.0], True])
def test_data_that_is_not_a_real_number_is_an_error_that_names_the_value(data):
    with pytest.raises(TypeError, match=r"the data of value v0 \(label 'p'\) is") as info:
        draw_dot(Scalar(data, label="p"))
    assert type(data).__name__ in str(info.value)


def test_a_grad_that_is_not_a_number_is_an_error():
    x = Scalar(1.0, label="x")
    x.grad = "oops"
    with pytest.raises(TypeError, match=r"the grad of value v0 \(label 'x'\) is str 'oops'"):
        draw_dot(x)


def test_children_in_a_set_are_refused_since_their_order_changes():
    x = Scalar(1.0)
    y = Scalar(2.0)
    y.children = {x}
    with pytest.raises(TypeError, match="must be a tuple.*set"):
        draw_dot(y)


def test_a_child_that_is_not_a_value_is_an_error_that_names_its_type():
    y = Scalar(2.0, (Scalar(1.0), 3.0), "+")
    with pytest.raises(TypeError, match="got float 3.0"):
        draw_dot(y)
    with pytest.raises(TypeError, match="got int 7"):
        draw_dot(7)


def test_a_value_without_a_label_field_is_an_error_that_names_it():
    class Bare:
        def __init__(self):
            self.data, self.grad, self.children, self.op = 1.0, 0.0, (), ""

    with pytest.raises(TypeError, match="has no 'label'"):
        draw_dot(Bare())


@pytest.mark.parametrize("cap, error", [(0, ValueError), (-5, ValueError), (2.5, TypeError),
                                        (True, TypeError), ("10", TypeError)])
def test_bad_caps_are_refused(cap, error):
    with pytest.raises(error, match="max_values"):
        draw_dot(Value(1.0), max_values=cap)


def test_show_grad_must_be_a_bool():
    with pytest.raises(TypeError, match="show_grad"):
        draw_dot(Value(1.0), show_grad="no")


# -- fused nodes: many operands ------------------------------------------------------------


def fused_neuron(n: int):
    """A stand-in for a fused neuron: one node n = Σ wᵢxᵢ + b with 2n + 1 children."""
    ws = [Scalar(0.1 * (i + 1), label=f"w{i + 1}") for i in range(n)]
    xs = [Scalar(1.0 - 0.2 * i, label=f"x{i + 1}") for i in range(n)]
    b = Scalar(0.5, label="b")
    children = [v for pair in zip(ws, xs) for v in pair] + [b]
    total = Scalar(sum(w.data * x.data for w, x in zip(ws, xs)) + b.data, children, "Σwx+b", "n")
    total.local_grads = tuple(v for pair in zip(xs, ws) for v in (pair[0].data, pair[1].data)) + (1.0,)
    return total


@pytest.mark.parametrize("rankdir, side", [("TB", "n"), ("LR", "w"), ("BT", "s"), ("RL", "e")])
def test_a_fused_node_gets_one_numbered_slot_per_operand_in_order(rankdir, side):
    n = fused_neuron(8)
    source = draw_dot(n, rankdir=rankdir).source
    op = re.search(r'^\s*v17_op \[label="(.*?)" ', source, re.M).group(1)
    assert op == "{ {" + "|".join(f"<i{k}> {k + 1}" for k in range(17)) + "} | Σwx+b }"
    arrows = re.findall(rf"^\s*(v\d+) -> v17_op:i(\d+):{side}$", source, re.M)
    assert [int(slot) for _, slot in arrows] == list(range(17))
    names = record_labels(source)
    assert [names[v].split(" | ")[0][2:] for v, _ in arrows] == [c.label for c in n.children]
    texts = svg_texts(draw_dot(n, rankdir=rankdir))
    assert "Σwx+b" in texts and [str(k) for k in range(1, 18)] == [t for t in texts if t.isdigit()]


def test_a_fused_node_using_one_value_twice_gives_it_two_slots():
    x = Scalar(3.0, label="x")
    y = Scalar(1.0, label="y")
    s = Scalar(7.0, (x, y, x), "sum3", "s")
    source = draw_dot(s).source
    assert re.findall(r"^\s*(v\d) -> v2_op:i(\d):n$", source, re.M) == [("v0", "0"), ("v1", "1"), ("v0", "2")]


def test_two_operands_are_still_drawn_as_before():
    *_, d = example()
    source = draw_dot(d).source
    assert "v4_op [label=\"+\" fillcolor=\"#eef3fb\" fontsize=11 height=0.3 margin=\"0.04,0.02\" shape=ellipse]" in source
    assert "v2 -> v4_op\n" in source and ":i" not in source
