"""draw_tree: a model drawn as a tree, the same text every time, a shared node once."""

from __future__ import annotations

import pytest

from nnscratch.tree import Add, Input, Linear, Multiply, Parameter, Sigmoid, draw_tree


def test_the_drawing_is_deterministic_and_labels_every_kind_of_node():
    def build():
        return Add([Multiply([Parameter(0.5), Input(2.0, name="f")]), Parameter(-17.0)])

    dot = draw_tree(build())
    assert repr(dot) == dot.source == repr(draw_tree(build()))
    source = dot.source
    for label in ('label="+"', 'label="*"', 'label=0.5', 'label="f = 2"', 'label=-17'):
        assert label in source
    assert source.count(" -> ") == 4
    assert "bgcolor=white" in source


def test_a_shared_node_is_drawn_once_with_two_lines_up():
    h = Sigmoid([Input(name="x")])
    source = draw_tree(Add([Multiply([Parameter(2.0), h]), h])).source
    assert source.count('label=sigmoid') == 1
    assert source.count("-> t3") == 2  # t3 is h, reached from the product and from the sum


def test_derivatives_can_be_shown():
    w = Parameter(3.0)
    model = Multiply([w, Input(2.0)])
    model.backward(1.0, update=False)
    assert 'label="3\\ndL/dn = 2"' in draw_tree(model, show_derivatives=True).source


def test_a_macro_is_drawn_dashed_and_any_tree_like_object_can_be_drawn():
    assert "dashed" in draw_tree(Linear([Input()])).source

    class Node:
        def __init__(self, *children, value=None):
            self.children, self.value = list(children), value

    class Add(Node):
        pass

    class Parameter(Node):
        pass

    assert 'label="+"' in draw_tree(Add(Parameter(value=1.0), Parameter(value=2.0))).source


def test_the_drawing_renders_to_svg():
    svg = draw_tree(Add([Parameter(1.0), Parameter(2.0)])).pipe(format="svg").decode()
    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg


def test_bad_arguments():
    with pytest.raises(ValueError, match="rankdir"):
        draw_tree(Add([Parameter(1.0)]), rankdir="up")
    with pytest.raises(ValueError, match="max_nodes"):
        draw_tree(Add([Parameter(float(i)) for i in range(10)]), max_nodes=5)
