"""The checkers of chapter 09's seven exercises: each worked solution is graded correct,
the blank is "not attempted", and each typical mistake gets the message meant for it."""

from __future__ import annotations

import pytest

import nnscratch.tree as tree
from nnscratch.exercises import ____
from nnscratch.exercises.core import _MISSING
from nnscratch.exercises.tree_exercises import q1, q2, q3, q4, q5, q6, q7
from nnscratch.tree import Add, Input, Macro, Multiply, Parameter, Sigmoid, topological_order


# Names that need the graphviz package (nnscratch.tree imports them only when asked).
GRAPHVIZ_NAMES = {"draw_tree", "tree_player", "TreePlayer"}

def run_solution(problem):
    namespace = {name: getattr(tree, name) for name in tree.__all__ if name not in GRAPHVIZ_NAMES}
    exec(problem._solution, namespace)
    return namespace


def assert_incorrect(result, *fragments):
    assert result.status == "incorrect", result
    for fragment in fragments:
        assert fragment in result.message, (fragment, result.message)


def test_every_solution_is_graded_correct():
    for problem in (q1, q2, q3, q4, q5, q6, q7):
        ns = run_solution(problem)
        assert problem.grade(*(ns[v] for v in problem.variables)).correct, problem.variables


def test_every_blank_and_missing_answer_is_unattempted():
    for problem in (q1, q2, q3, q4, q5, q6, q7):
        assert problem.grade(*([____] * len(problem.variables))).status == "unattempted"
        assert problem.grade(*([_MISSING] * len(problem.variables))).status == "unattempted"


# -- q1: two steps by hand -----------------------------------------------------------------------


def steps(w, b, lr, examples, factor=2.0, sign=1.0, bias_times_x=False):
    for x, y in examples:
        g = sign * factor * (w * x + b - y)
        w, b = w - lr * g * x, b - lr * g * (x if bias_times_x else 1)
    return w, b


EXAMPLES = [(3.0, 1.0), (-1.0, 2.0)]


def test_q1_expected_values_are_the_hand_computation():
    assert q1.grade(*steps(0.5, 1.0, 0.05, EXAMPLES)).correct
    assert q1.grade(-0.07, 0.97).correct


@pytest.mark.parametrize("answer, fragments", [
    (steps(0.5, 1.0, 0.05, EXAMPLES[:1]), ["after the first example"]),
    (steps(0.5, 1.0, 0.05, EXAMPLES, factor=1.0), ["factor 2"]),
    (steps(0.5, 1.0, 0.05, EXAMPLES, sign=-1.0), ["uphill"]),
    (steps(0.5, 1.0, 0.05, EXAMPLES, bias_times_x=True), ["picked up the input x"]),
    ((0.1, 0.97), ["`w_after`"]),
])
def test_q1_typical_mistakes(answer, fragments):
    result = q1.grade(*answer)
    assert_incorrect(result, *fragments)
    assert "-0.07" not in result.message and "0.97" not in result.message


# -- q2: find_inputs --------------------------------------------------------------------------------


def direct_children_only(node):
    return [c for c in node.children if isinstance(c, Input)]


def with_repeats(node):
    found = []
    for c in node.children:
        if isinstance(c, Input):
            found.append(c)
        else:
            found.extend(with_repeats(c))
    return found


def leaves(node):
    if not node.children:
        return [node]
    return [leaf for c in node.children for leaf in leaves(c)]


def right_to_left(node):
    return list(reversed(tree.find_input_nodes(node)))


@pytest.mark.parametrize("fn, fragments", [
    (direct_children_only, ["misses", "every depth"]),
    (with_repeats, ["more than once", "shared input"]),
    (leaves, ["lists a Parameter"]),
    (right_to_left, ["wrong order"]),
    (lambda node: None, ["forget `return`"]),
    (lambda node: 3, ["list of nodes"]),
    ("find", ["should be a function"]),
])
def test_q2_typical_mistakes(fn, fragments):
    assert_incorrect(q2.grade(fn), *fragments)


def test_q2_accepts_a_tuple_and_an_iterative_walk():
    assert q2.grade(lambda node: tuple(tree.find_input_nodes(node))).correct


# -- q3: nodes_to_invalidate -----------------------------------------------------------------------------


def parents_only(leaf):
    return list(leaf.parents)


def first_parent_chain(leaf):
    out, node = [], leaf
    while node.parents:
        node = node.parents[0]
        out.append(node)
    return out


def with_the_leaf(leaf):
    return [leaf] + tree.ancestors(leaf)


def whole_model(leaf):
    top = tree.ancestors(leaf)[-1]
    return [n for n in tree.walk(top) if n.children]


def with_repeats_up(leaf):
    out = []
    for p in leaf.parents:
        out.append(p)
        out.extend(with_repeats_up(p))
    return out


@pytest.mark.parametrize("fn, fragments", [
    (parents_only, ["stop at its parents"]),
    (first_parent_chain, ["misses the sum h + c"]),
    (with_the_leaf, ["that leaf itself"]),
    (whole_model, ["does not depend on it"]),
    (with_repeats_up, ["more than once"]),
    (lambda leaf: None, ["forget `return`"]),
])
def test_q3_typical_mistakes(fn, fragments):
    assert_incorrect(q3.grade(fn), *fragments)


def test_q3_accepts_any_order():
    assert q3.grade(lambda leaf: list(reversed(tree.ancestors(leaf)))).correct


# -- q4: MyLinear ------------------------------------------------------------------------------------------


def macro(expand):
    return type("MyLinear", (Macro,), {"__slots__": (), "expand": expand})


@pytest.mark.parametrize("cls, fragments", [
    (macro(lambda self: Add([Multiply([Parameter(), c]) for c in self.children])), ["needs 3 products", "one bias"]),
    (macro(lambda self: Add([Parameter()] + [Multiply([Parameter(), c]) for c in self.children])),
     ["last child of the Add should be the bias"]),
    (macro(lambda self: Add([Multiply([Parameter(), Input()]) for _ in self.children] + [Parameter()])),
     ["new Input", "self.children"]),
    (macro(lambda self: Add([Multiply([c, c]) for c in self.children] + [Parameter()])), ["no Parameter"]),
    (macro(lambda self: (lambda w: Add([Multiply([w, c]) for c in self.children] + [Parameter()]))(Parameter())),
     ["used twice"]),
    (macro(lambda self: Sigmoid([Add([Multiply([Parameter(), c]) for c in self.children] + [Parameter()])])),
     ["is an Add"]),
    (macro(lambda self: 1.0), ["should return the root of a tree"]),
    (macro(lambda self: Add([Multiply([Parameter(), c, Parameter()]) for c in self.children] + [Parameter()])),
     ["Multiply of a weight and an input"]),
    (tree.Linear, None),
    (Add, ["extends Macro"]),
])
def test_q4_typical_mistakes(cls, fragments):
    result = q4.grade(cls)
    if fragments is None:
        assert result.correct  # the package's own Linear is a right answer
    else:
        assert_incorrect(result, *fragments)


def test_q4_accepts_the_weight_after_the_input():
    ok = macro(lambda self: Add([Multiply([c, Parameter()]) for c in self.children] + [Parameter()]))
    assert q4.grade(ok).correct


def test_q4_a_blank_inside_expand_is_unattempted():
    assert q4.grade(macro(lambda self: ____)).status == "unattempted"


# -- q5: softmax_backward ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fn, fragments", [
    (lambda p, g: list(g), ["unchanged"]),
    (lambda p, g: [pi * gi for pi, gi in zip(p, g)], ["only the diagonal"]),
    (lambda p, g: [pi * (1 - pi) * gi for pi, gi in zip(p, g)], ["like a sigmoid"]),
    (lambda p, g: [-x for x in tree.softmax_backward(p, g)], ["sign flipped"]),
    (lambda p, g: [0.0] * len(p), ["is not right"]),
    (lambda p, g: tree.softmax_backward(p, g)[:-1], ["one per input"]),
    (lambda p, g: 0.0, ["should return a list"]),
    (lambda p, g: [____] * len(p), None),
])
def test_q5_typical_mistakes(fn, fragments):
    result = q5.grade(fn)
    if fragments is None:
        assert result.status == "unattempted"
    else:
        assert_incorrect(result, *fragments)


# -- q6: funcify ----------------------------------------------------------------------------------------------


def no_parentheses(node):
    if isinstance(node, Parameter):
        return repr(node.value)
    if isinstance(node, Input):
        return node.name
    parts = [no_parentheses(c) for c in node.children]
    if isinstance(node, Add):
        return " + ".join(parts)
    if isinstance(node, Multiply):
        return " * ".join(parts)
    return f"{type(node).__name__.lower()}({parts[0]})"


def always_parentheses(node):
    if isinstance(node, Parameter):
        return repr(node.value)
    if isinstance(node, Input):
        return node.name
    parts = [always_parentheses(c) for c in node.children]
    if isinstance(node, Add):
        return "(" + " + ".join(parts) + ")"
    if isinstance(node, Multiply):
        return "(" + " * ".join(parts) + ")"
    return f"{type(node).__name__.lower()}({parts[0]})"


def test_q6_the_package_funcify_and_generous_parentheses_are_both_right():
    assert q6.grade(tree.funcify).correct
    assert q6.grade(always_parentheses).correct


@pytest.mark.parametrize("fn, fragments", [
    (no_parentheses, ["means something else", "needs parentheses"]),
    (lambda node: "0.1 + 0.2", ["does not compute what the model computes"]),
    (lambda node: "0.1 plus 0.2", ["should read 0.1 + 0.2"]),
    (lambda node: repr(node), ["should read 0.1 + 0.2"]),
    (lambda node: 0.3, ["a formula is a str"]),
])
def test_q6_typical_mistakes(fn, fragments):
    assert_incorrect(q6.grade(fn), *fragments)


def test_q6_an_unreadable_formula_says_so():
    def with_dots(node):
        return tree.funcify(node).replace("*", "/") if node.children and not isinstance(node.children[0], Parameter) \
            else tree.funcify(node)

    assert_incorrect(q6.grade(with_dots), "cannot be read as a formula")


# -- q7: backward_shared ---------------------------------------------------------------------------------------


def single_parent(root, d):
    tree.backward_single_parent(root, d, update=False)


def no_reset(root, d):
    root.derivative = d
    for node in topological_order(root):
        if node.children:
            for child, share in zip(node.children, node.child_derivatives(node.derivative)):
                child.derivative += share


def accumulate_on_leaves_only(root, d):
    for node in topological_order(root):
        node.derivative = 0.0

    def visit(node, share):
        node.derivative = share if node.children else node.derivative + share
        for child, s in zip(node.children, node.child_derivatives(share)):
            visit(child, s)

    visit(root, d)


def with_updates(root, d):
    root.backward(d)


def sum_over_paths(root, d):
    # correct too: recursion that adds the share of every path (slow on big graphs, but right)
    for node in topological_order(root):
        node.derivative = 0.0

    def visit(node, share):
        node.derivative += share
        for child, s in zip(node.children, node.child_derivatives(share)):
            visit(child, s)

    visit(root, d)


@pytest.mark.parametrize("fn, fragments", [
    (single_parent, ["only one of its two parents"]),
    (no_reset, ["carry over", "Set every node's derivative to 0"]),
    (accumulate_on_leaves_only, ["only one of its two parents"]),
    (with_updates, ["changed a parameter"]),
    (lambda root, d: None, ["is not right"]),
])
def test_q7_typical_mistakes(fn, fragments):
    assert_incorrect(q7.grade(fn), *fragments)


def test_q7_accepts_summing_over_every_path():
    assert q7.grade(sum_over_paths).correct


def test_q7_w_needs_both_shares():
    def h_right_w_wrong(root, d):
        root.backward(d, update=False)
        shared_w = next(n for n in tree.walk(root) if isinstance(n, Parameter) and len(n.parents) == 2)
        shared_w.derivative /= 2

    assert_incorrect(q7.grade(h_right_w_wrong), "w has two parents too")


def test_messages_never_print_the_expected_answer():
    answer = q1.expected
    for value in answer:
        assert repr(value) not in str(q1.grade(0.0, 0.0))
