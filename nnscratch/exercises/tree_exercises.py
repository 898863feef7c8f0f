"""Exercises for chapter 09, *Seven exercises*: the tree framework's seven extensions.

* ``q1``: two steps of gradient descent on a linear model, by hand (``w_after``, ``b_after``).
* ``q2``: find a model's inputs, each once, in order (``find_inputs``).
* ``q3``: which cached values a change to a leaf makes stale (``nodes_to_invalidate``).
* ``q4``: a linear layer as a macro (``MyLinear``).
* ``q5``: the backward pass through softmax (``softmax_backward``).
* ``q6``: a model as a formula, with parentheses where needed (``funcify``).
* ``q7``: a backward pass that sums the derivatives of a shared node (``backward_shared``).

Each reference answer is the one `nnscratch.tree` uses.
"""

from __future__ import annotations

import math
from typing import Any, Optional

from ..tree import (Add, Input, Macro, Multiply, NeuralNetNode, Parameter, ReLU, Sigmoid, ancestors,
                    evaluate_formula, find_input_nodes, softmax, softmax_backward)
from ..tree.formula import FormulaError
from .core import NumberProblem, Problem, Wrong, as_number, Unattempted, is_blank

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]


def _close(a: float, b: float, rel: float = 1e-9, abs_: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def _blank_out(name: str) -> Unattempted:
    return Unattempted(f"`{name}` still returns ____: fill in its body, run that cell, then check again.")


# -- q1: two steps by hand ------------------------------------------------------------------------
# ŷ = w·x + b, squared error, w = 0.5, b = 1, learning rate 0.05, examples (3, 1) then (−1, 2).

START_W, START_B, LEARNING_RATE = 0.5, 1.0, 0.05
EXAMPLES = ((3.0, 1.0), (-1.0, 2.0))


def two_steps(factor: float = 2.0, sign: float = 1.0, steps: int = 2, x_in_bias: bool = False) -> tuple[float, float]:
    """Gradient descent on (w·x + b − y)², as the tree framework does it; the keyword
    arguments reproduce common slips (no factor 2, the wrong sign, one step only, ...)."""
    from ..tree import linear_regression, mse_loss, mse_loss_grad, train_model

    if (factor, sign, x_in_bias) == (2.0, 1.0, False):
        model = linear_regression(weight=START_W, bias=START_B, learning_rate=LEARNING_RATE)
        train_model(model, mse_loss, mse_loss_grad, [([x], y) for x, y in EXAMPLES[:steps]], epochs=1,
                    print_every=None)
        w, b = model.parameters()
        return w.value, b.value
    w, b = START_W, START_B
    for x, y in EXAMPLES[:steps]:
        g = sign * factor * ((w * x + b) - y)
        w, b = w - LEARNING_RATE * g * x, b - LEARNING_RATE * g * (x if x_in_bias else 1.0)
    return w, b


q1 = NumberProblem(
    ("w_after", "b_after"),
    two_steps(),
    hints=[
        "One step: predict ŷ = w·x + b, get ∂L/∂ŷ = 2(ŷ − y) from the loss, pass it down the tree "
        "(∂L/∂w = ∂L/∂ŷ · x, ∂L/∂b = ∂L/∂ŷ), then step each parameter: p ← p − 0.05 · ∂L/∂p. "
        "The second step starts from the parameters the first one left.",
        "Step 1 with (x, y) = (3, 1): ŷ = 0.5·3 + 1 = 2.5 and ∂L/∂ŷ = 3. Finish that step, then do "
        "the same with (x, y) = (−1, 2) and the new w and b.",
    ],
    solution="""\
w, b, lr = 0.5, 1.0, 0.05
for x, y in [(3.0, 1.0), (-1.0, 2.0)]:
    dL_dpred = 2 * ((w * x + b) - y)
    w, b = w - lr * dL_dpred * x, b - lr * dL_dpred
w_after, b_after = w, b     # about -0.07 and 0.97""",
    explanation="Step 1: ŷ = 2.5, ∂L/∂ŷ = 3, so w drops by 0.05·9 = 0.45 to 0.05 and b by 0.15 to 0.85. "
    "Step 2: ŷ = 0.05·(−1) + 0.85 = 0.8, ∂L/∂ŷ = −2.4; w drops by 0.05·2.4 = 0.12 to −0.07 (the input −1 "
    "flips the sign) and b rises by 0.12 to 0.97.",
    mistakes=[
        (lambda w, b: _close(w, two_steps(steps=1)[0]) and _close(b, two_steps(steps=1)[1]),
         "these are the values after the first example; take the second step too."),
        (lambda w, b: _close(w, two_steps(factor=1.0)[0]) and _close(b, two_steps(factor=1.0)[1]),
         "the steps are too small: ∂L/∂ŷ = 2(ŷ − y); the factor 2 is missing."),
        (lambda w, b: _close(w, two_steps(sign=-1.0)[0]) and _close(b, two_steps(sign=-1.0)[1]),
         "the steps go uphill: the derivative of (y − ŷ)² with respect to ŷ is 2(ŷ − y), and a "
         "parameter moves *against* its derivative."),
        (lambda w, b: _close(w, two_steps(x_in_bias=True)[0]) and _close(b, two_steps(x_in_bias=True)[1]),
         "the bias's derivative picked up the input x; the bias is a child of the Add, which passes "
         "∂L/∂ŷ on unchanged."),
    ],
    praise="two steps of stochastic gradient descent, exactly what train_model does.",
)


# -- q2: find the inputs ---------------------------------------------------------------------------


def _q2_cases() -> list[tuple[str, NeuralNetNode]]:
    a, b, c = Input(name="a"), Input(name="b"), Input(name="c")
    p, q = Input(name="p"), Input(name="q")
    u, v, s = Input(name="u"), Input(name="v"), Input(name="s")
    return [
        ("Add([Multiply([Parameter(2.0), a]), Parameter(1.0)])",
         Add([Multiply([Parameter(2.0), a]), Parameter(1.0)])),
        ("Sigmoid([Add([Multiply([Parameter(1.0), p]), ReLU([Multiply([Parameter(2.0), q])])])])",
         Sigmoid([Add([Multiply([Parameter(1.0), p]), ReLU([Multiply([Parameter(2.0), q])])])])),
        ("Add([Multiply([u, v]), Multiply([v, s]), u])  (u and v are each used twice)",
         Add([Multiply([u, v]), Multiply([v, s]), u])),
        ("Add([Multiply([b, c]), a])", Add([Multiply([b, c]), a])),
    ]


class FindInputs(Problem):
    def __init__(self) -> None:
        super().__init__(
            "find_inputs",
            hints=[
                "Walk the whole tree, not just the root's children: an Input can sit at any depth. "
                "Keep the nodes that are Inputs, in the order a left-to-right walk meets them.",
                "Recursion works: for each child, if it is an Input, add it; otherwise add what "
                "find_inputs finds below it. Then drop repeats, keeping the first: compare by identity "
                "(`is`, or `id(node)` in a set), since two different inputs can hold equal values.",
            ],
            solution="""\
def find_inputs(node):
    found, seen = [], set()

    def visit(n):
        if id(n) in seen:
            return
        seen.add(id(n))
        if isinstance(n, Input):
            found.append(n)
        for child in n.children:
            visit(child)

    visit(node)
    return found""",
            explanation="compile() runs this once and keeps the list, so predict only fills it in. A shared "
            "input appears once: predict takes one value per input, not one per use.",
            praise="found once, reused on every predict.",
        )

    def _grade(self, fn: Any) -> Optional[str]:
        if not callable(fn):
            return f"`find_inputs` should be a function, but it is a {type(fn).__name__}."
        for text, tree in _q2_cases():
            got = fn(tree)
            if is_blank(got):
                raise _blank_out("find_inputs")
            if got is None:
                return f"find_inputs({text}) returned None: did you forget `return`?"
            if isinstance(got, (str, bytes)) or not hasattr(got, "__iter__"):
                return f"find_inputs({text}) returned a {type(got).__name__}; it should return a list of nodes."
            got = list(got)
            want = find_input_nodes(tree)
            if any(not isinstance(n, Input) for n in got):
                wrong = next(n for n in got if not isinstance(n, Input))
                return f"find_inputs({text}) lists a {type(wrong).__name__}; keep only the Input nodes."
            ids = [id(n) for n in got]
            if len(set(ids)) < len(ids):
                twice = next(n for n in got if ids.count(id(n)) > 1)
                return (f"find_inputs({text}) lists the input {twice.name} more than once; a shared input "
                        "must appear once, or predict would ask for its value twice.")
            if set(ids) != {id(n) for n in want}:
                missing = [n.name for n in want if id(n) not in ids]
                return (f"find_inputs({text}) misses {', '.join(missing)}: look below the root's "
                        "children too, at every depth.")
            if ids != [id(n) for n in want]:
                return (f"find_inputs({text}) has the right inputs in the wrong order; predict fills them "
                        "left to right, in the order a recursive walk first meets them.")
        return None


q2 = FindInputs()


# -- q3: what a change makes stale -----------------------------------------------------------------


def _q3_model() -> tuple[dict[str, NeuralNetNode], NeuralNetNode]:
    """h = σ(w·x) is shared by two parents: y = (h · v) + relu(h + c)."""
    x, w, v, c = Input(name="x"), Parameter(0.5), Parameter(2.0), Parameter(-1.0)
    wx = Multiply([w, x])
    h = Sigmoid([wx])
    hv = Multiply([h, v])
    hc = Add([h, c])
    relu = ReLU([hc])
    root = Add([hv, relu])
    names = dict(x=x, w=w, v=v, c=c, wx=wx, h=h, hv=hv, hc=hc, relu=relu, root=root)
    return names, root


_Q3_LABELS = {"x": "the input x", "w": "the parameter w", "v": "the parameter v", "c": "the parameter c",
              "wx": "the product w·x", "h": "the shared node h = σ(w·x)", "hv": "the product h·v",
              "hc": "the sum h + c", "relu": "the ReLU", "root": "the root"}


class NodesToInvalidate(Problem):
    def __init__(self) -> None:
        super().__init__(
            "nodes_to_invalidate",
            hints=[
                "A node's cached value depends on every node below it. So when a leaf changes, "
                "the nodes whose value may change are those *above* it: its parents, their "
                "parents, and so on up to the root.",
                "Walk up with `node.parents` (a node shared by two parents has two), collecting "
                "each node once: a loop with a to-do list, or recursion, both work.",
            ],
            solution="""\
def nodes_to_invalidate(leaf):
    found, todo = [], [leaf]
    while todo:
        node = todo.pop()
        for parent in node.parents:
            if parent not in found:
                found.append(parent)
                todo.append(parent)
    return found""",
            explanation="Everything else keeps its cache: a sibling subtree that does not contain the leaf "
            "computes the same value as before. nnscratch.tree marks exactly these nodes stale when a "
            "leaf's value changes, and stops early at a node that is already stale.",
            praise="exactly the ancestors: the only nodes whose value can change.",
        )

    def _grade(self, fn: Any) -> Optional[str]:
        if not callable(fn):
            return f"`nodes_to_invalidate` should be a function, but it is a {type(fn).__name__}."
        for leaf_name in ("c", "x", "v"):
            names, _ = _q3_model()
            leaf = names[leaf_name]
            label = {id(n): _Q3_LABELS[k] for k, n in names.items()}
            got = fn(leaf)
            if is_blank(got):
                raise _blank_out("nodes_to_invalidate")
            if got is None:
                return f"for {_Q3_LABELS[leaf_name]}, nodes_to_invalidate returned None: did you forget `return`?"
            if isinstance(got, (str, bytes)) or not hasattr(got, "__iter__"):
                return f"nodes_to_invalidate should return a list of nodes, not a {type(got).__name__}."
            got = list(got)
            ids = [id(n) for n in got]
            want = {id(n) for n in ancestors(leaf)}
            where = f"when {_Q3_LABELS[leaf_name]} changes"
            if id(leaf) in ids:
                return f"{where}, your list includes that leaf itself; a leaf holds no cached value to throw away."
            extra = [label.get(i, "a node from outside the model") for i in ids if i not in want]
            if extra:
                return f"{where}, your list includes {extra[0]}, which does not depend on it: its cache can stay."
            missing = [n for n in ancestors(leaf) if id(n) not in ids]
            if missing:
                direct = {id(p) for p in leaf.parents}
                if set(ids) == direct:
                    return f"{where}, you stop at its parents; their parents depend on it too, up to the root."
                return f"{where}, your list misses {label[id(missing[0])]}, whose value depends on it."
            if len(set(ids)) < len(ids):
                return f"{where}, your list names a node more than once; list each node once."
        return None


q3 = NodesToInvalidate()


# -- q4: a linear layer as a macro -------------------------------------------------------------------


class LinearMacro(Problem):
    def __init__(self) -> None:
        super().__init__(
            "MyLinear",
            hints=[
                "expand() returns an ordinary tree built over self.children: one "
                "Multiply([Parameter(), child]) per child, and an Add of all the products and one "
                "more Parameter(), the bias, at the end.",
                "Use the macro's own children (the very same nodes), not new Inputs: "
                "`Add([Multiply([Parameter(), c]) for c in self.children] + [Parameter()])`.",
            ],
            solution="""\
class MyLinear(Macro):
    def expand(self):
        products = [Multiply([Parameter(), child]) for child in self.children]
        return Add(products + [Parameter()])""",
            explanation="compile() calls expand() once and puts the result where the macro was; "
            "after that, forward, backward and funcify see only Add, Multiply and Parameter. "
            "nnscratch.tree.Linear also accepts starting weights and a bias.",
            praise="one line of macro, n + 1 parameters in the compiled tree.",
        )

    def _grade(self, cls: Any) -> Optional[str]:
        if not (isinstance(cls, type) and issubclass(cls, Macro)):
            what = cls.__name__ if isinstance(cls, type) else type(cls).__name__
            return f"`MyLinear` should be a class that extends Macro (class MyLinear(Macro): ...); it is {what}."
        for n in (3, 1):
            xs = [Input(name=f"x{i + 1}") for i in range(n)]
            layer = cls(xs)
            tree = layer.expand()
            if is_blank(tree):
                raise _blank_out("MyLinear.expand")
            if not isinstance(tree, NeuralNetNode):
                return f"expand() returned a {type(tree).__name__}; it should return the root of a tree of nodes."
            where = f"over {n} input{'s' * (n != 1)}"
            if not isinstance(tree, Add):
                return f"{where}, expand() returned a {type(tree).__name__}; the sum of the products and the bias is an Add."
            kids = tree.children
            if len(kids) != n + 1:
                return (f"{where}, the Add has {len(kids)} children; it needs {n} products (one per input) "
                        "and one bias.")
            if not isinstance(kids[-1], Parameter):
                return f"{where}, the last child of the Add should be the bias, a Parameter."
            weights = []
            for i, (product, x) in enumerate(zip(kids[:-1], xs)):
                if not isinstance(product, Multiply) or len(product.children) != 2:
                    return f"{where}, child {i} of the Add should be a Multiply of a weight and an input."
                w, inp = product.children
                if isinstance(inp, Parameter) and not isinstance(w, Parameter):
                    w, inp = inp, w
                if not isinstance(w, Parameter):
                    return f"{where}, product {i} has no Parameter: each input needs its own weight."
                if isinstance(inp, Input) and inp is not x:
                    return (f"{where}, product {i} multiplies a new Input; use the macro's own children "
                            "(self.children), so the expansion hangs from the same inputs.")
                if inp is not x:
                    return f"{where}, product {i} should multiply the weight by child {i} of the macro."
                weights.append(w)
            bias = kids[-1]
            params = weights + [bias]
            if len({id(p) for p in params}) < len(params):
                return f"{where}, one Parameter is used twice; every weight and the bias need their own."
        # and it compiles, predicts and learns like a linear layer
        xs = [Input(name="a"), Input(name="b")]
        model = Sigmoid([cls(xs)]).compile()
        (w1, w2, bias) = model.parameters()
        out = model.predict([0.5, -2.0])
        z = w1.value * 0.5 + w2.value * -2.0 + bias.value
        if not _close(out, 1 / (1 + math.exp(-z))):
            raise Wrong("after compile, the layer does not compute w₁x₁ + w₂x₂ + b.")
        return None


q4 = LinearMacro()


# -- q5: backward through softmax -----------------------------------------------------------------------

_Q5_CASES = (
    ([0.2, 0.5, 0.3], [0.0, -2.0, 0.0]),
    ([0.7, 0.1, 0.1, 0.1], [1.0, -1.0, 0.5, 2.0]),
    (softmax([1.0, -1.0]), [0.25, -0.5]),
)


class SoftmaxBackward(Problem):
    def __init__(self) -> None:
        super().__init__(
            "softmax_backward",
            hints=[
                "Each output pᵢ depends on every input zⱼ, so ∂L/∂zⱼ sums over all outputs: "
                "Σᵢ gᵢ · ∂pᵢ/∂zⱼ, where ∂pᵢ/∂zⱼ = pᵢ(δᵢⱼ − pⱼ) (δᵢⱼ is 1 if i = j, else 0).",
                "Work the sum out: Σᵢ gᵢ pᵢ (δᵢⱼ − pⱼ) = pⱼ gⱼ − pⱼ Σᵢ gᵢ pᵢ. Compute the dot product "
                "s = Σᵢ gᵢ pᵢ once; then the answer for j is pⱼ · (gⱼ − s).",
            ],
            solution="""\
def softmax_backward(p, g):
    s = sum(gi * pi for gi, pi in zip(g, p))
    return [pj * (gj - s) for pj, gj in zip(p, g)]""",
            explanation="With cross-entropy, g is −1/pₖ at the true class k and 0 elsewhere, so s = −1 "
            "and the result is pⱼ − 1 for j = k and pⱼ for the others: the famous p − onehot.",
            praise="the vector–Jacobian product, without ever building the Jacobian.",
        )

    def _grade(self, fn: Any) -> Optional[str]:
        if not callable(fn):
            return f"`softmax_backward` should be a function, but it is a {type(fn).__name__}."
        for p, g in _Q5_CASES:
            call = f"softmax_backward({[round(x, 4) for x in p]}, {g})"
            got = fn(list(p), list(g))
            if is_blank(got) or (isinstance(got, (list, tuple)) and any(is_blank(x) for x in got)):
                raise _blank_out("softmax_backward")
            if got is None:
                return f"{call} returned None: did you forget `return`?"
            if isinstance(got, (str, bytes, dict, set, frozenset)) or not (
                    hasattr(type(got), "__len__") and hasattr(type(got), "__getitem__")):
                return f"{call} returned a {type(got).__name__}; it should return a list, one derivative per input."
            got = list(got)  # a tuple or a NumPy array is fine too
            if len(got) != len(p):
                return f"{call} returned {len(got)} numbers; it needs one per input ({len(p)})."
            got = [as_number(x, call) for x in got]
            want = softmax_backward(p, g)
            if all(_close(a, b, abs_=1e-12) for a, b in zip(got, want)):
                continue
            if all(_close(a, b, abs_=1e-12) for a, b in zip(got, g)):
                return f"{call} passes the derivatives through unchanged; softmax is not the identity."
            if all(_close(a, pi * gi, abs_=1e-12) for a, pi, gi in zip(got, p, g)):
                return (f"{call} keeps only the diagonal, pⱼgⱼ: each output depends on every input, "
                        "so the other outputs contribute too (the −pⱼ Σᵢ gᵢpᵢ part).")
            if all(_close(a, pi * (1 - pi) * gi, abs_=1e-12) for a, pi, gi in zip(got, p, g)):
                return (f"{call} treats each output as depending on its own input only, like a "
                        "sigmoid; the other outputs contribute too.")
            if all(_close(a, -b, abs_=1e-12) for a, b in zip(got, want)):
                return f"{call} has the sign flipped."
            return f"{call} is not right."
        return None


q5 = SoftmaxBackward()


# -- q6: funcify -----------------------------------------------------------------------------------------


def _q6_cases() -> list[tuple[str, NeuralNetNode, bool]]:
    """(description, model, whether parentheses matter)."""
    P = Parameter
    a, b, c = Input(1.5, name="a"), Input(-2.0, name="b"), Input(0.5, name="c")
    return [
        ("Add([Parameter(0.1), Parameter(0.2)])", Add([P(0.1), P(0.2)]), False),
        ("Add([Multiply([Parameter(0.5), a]), Parameter(3.0)])", Add([Multiply([P(0.5), a]), P(3.0)]), False),
        ("Multiply([Add([a, Parameter(1.0)]), b])", Multiply([Add([a, P(1.0)]), b]), True),
        ("Sigmoid([Multiply([Parameter(2.0), ReLU([Add([a, b])])])])",
         Sigmoid([Multiply([P(2.0), ReLU([Add([a, b])])])]), False),
        ("Multiply([c, Add([a, Multiply([b, c])]), Add([b, Parameter(4.0)])])",
         Multiply([c, Add([a, Multiply([b, c])]), Add([b, P(4.0)])]), True),
    ]


class Funcify(Problem):
    def __init__(self) -> None:
        super().__init__(
            "funcify",
            hints=[
                "Recurse: a Parameter gives its value (`repr(node.value)`), an Input its name, "
                "an Add joins its children's formulas with ' + ', a Multiply with ' * ', and "
                "ReLU and Sigmoid write `relu(...)` and `sigmoid(...)` around their child's.",
                "Multiplication binds tighter than addition, so a sum that is a factor of a product "
                "needs parentheses: in a Multiply, wrap a child's formula in ( ) when the child is "
                "an Add. Nothing else needs them.",
            ],
            solution="""\
def funcify(node):
    if isinstance(node, Parameter):
        return repr(node.value)
    if isinstance(node, Input):
        return node.name
    parts = [funcify(child) for child in node.children]
    if isinstance(node, Add):
        return " + ".join(parts)
    if isinstance(node, Multiply):
        return " * ".join(f"({p})" if isinstance(c, Add) else p
                          for p, c in zip(parts, node.children))
    if isinstance(node, ReLU):
        return f"relu({parts[0]})"
    if isinstance(node, Sigmoid):
        return f"sigmoid({parts[0]})"
    raise TypeError(f"no formula for {type(node).__name__}")""",
            explanation="nnscratch.tree's funcify goes one step further: each node class writes its own "
            "formula (its to_formula method), and a negative term reads a − 2.0 * b instead of "
            "a + -2.0 * b.",
            praise="a readable formula, parentheses only where precedence needs them.",
        )

    def _grade(self, fn: Any) -> Optional[str]:
        if not callable(fn):
            return f"`funcify` should be a function, but it is a {type(fn).__name__}."
        for text, model, needs_parens in _q6_cases():
            got = fn(model)
            if is_blank(got):
                raise _blank_out("funcify")
            if got is None:
                return f"funcify({text}) returned None: did you forget `return`?"
            if not isinstance(got, str):
                return f"funcify({text}) returned a {type(got).__name__}; a formula is a str."
            if text.startswith("Add([Parameter(0.1)") and got.strip() not in ("0.1 + 0.2", "(0.1 + 0.2)"):
                return f"funcify({text}) returned {got!r}; it should read 0.1 + 0.2."
            values = {x.name: x.value for x in find_input_nodes(model)}
            try:
                value = evaluate_formula(got, values)
            except FormulaError as exc:
                return (f"funcify({text}) returned {got!r}, which cannot be read as a formula ({exc}). "
                        "Use + and * between terms, and relu(...) and sigmoid(...).")
            if _close(value, model.forward()):
                continue
            if needs_parens:
                return (f"funcify({text}) returned {got!r}, which means something else: multiplication binds "
                        "tighter than addition, so a sum inside a product needs parentheses.")
            return f"funcify({text}) returned {got!r}, which does not compute what the model computes."
        return None


q6 = Funcify()


# -- q7: a backward pass for shared nodes -----------------------------------------------------------------


def _q7_model() -> tuple[dict[str, NeuralNetNode], NeuralNetNode]:
    """y = a·h + relu(h · w) with h = σ(w·x + b): h and w each have two parents."""
    x, w, b, a = Input(0.8, name="x"), Parameter(1.5), Parameter(-0.5), Parameter(2.0)
    h = Sigmoid([Add([Multiply([w, x]), b])])
    hw = Multiply([h, w])
    root = Add([Multiply([a, h]), ReLU([hw])])
    return dict(x=x, w=w, b=b, a=a, h=h, hw=hw), root


class BackwardShared(Problem):
    def __init__(self) -> None:
        super().__init__(
            "backward_shared",
            hints=[
                "A node must not pass its derivative on until it has heard from *all* its parents. "
                "Visit the nodes in a topological order, every parent before its children: "
                "`topological_order(root)` gives one.",
                "Start every node's derivative at 0, set root.derivative to the given value, then for "
                "each node in order add its share to each child: "
                "`child.derivative += share` for each `child, share` in "
                "`zip(node.children, node.child_derivatives(node.derivative))`.",
            ],
            solution="""\
def backward_shared(root, derivative_from_parent):
    order = topological_order(root)     # every parent before its children
    for node in order:
        node.derivative = 0.0
    root.derivative = derivative_from_parent
    for node in order:
        if node.children:
            shares = node.child_derivatives(node.derivative)
            for child, share in zip(node.children, shares):
                child.derivative += share""",
            explanation="By the time the loop reaches a node, every parent has added its share, so the "
            "node's derivative is complete. nnscratch.tree's backward does this and lets each "
            "parameter step right there, once, with its full derivative: every node that reads the "
            "parameter's value is above it, so it has already been visited.",
            praise="each node visited once, each shared node with the sum of its parents' shares.",
        )

    def _grade(self, fn: Any) -> Optional[str]:
        if not callable(fn):
            return f"`backward_shared` should be a function, but it is a {type(fn).__name__}."
        names, root = _q7_model()
        ref_names, ref_root = _q7_model()
        ref_root.forward()
        ref_root.backward(1.0, update=False)
        want = {k: n.derivative for k, n in ref_names.items()}
        values_before = {k: getattr(n, "value", None) for k, n in names.items()}
        root.forward()
        for attempt in (1, 2):
            out = fn(root, 1.0)
            if is_blank(out):
                raise _blank_out("backward_shared")
            got = {k: n.derivative for k, n in names.items()}
            if any(is_blank(v) for v in got.values()):
                raise _blank_out("backward_shared")
            if {k: getattr(n, "value", None) for k, n in names.items()} != values_before:
                return "backward_shared changed a parameter's value; it should only compute derivatives."
            if all(isinstance(v, (int, float)) and _close(v, want[k]) for k, v in got.items()):
                continue
            if attempt == 2:
                return ("right the first time, wrong the second: the derivatives carry over from the "
                        "earlier pass. Set every node's derivative to 0 before adding the shares.")
            h, w = names["h"], names["w"]
            a = names["a"].value
            if _close(got["h"], a) or _close(got["h"], want["h"] - a):
                return ("the shared node h has the derivative from only one of its two parents; it needs "
                        "the sum of both.")
            if _close(got["h"], want["h"]) and not _close(got["w"], want["w"]):
                return ("h is right but w is not: w has two parents too (inside h, and in h·w), and it "
                        "needs both shares.")
            wrong = next(k for k in got if not _close(got[k], want[k]))
            label = {"x": "the input x", "w": "the parameter w", "b": "the parameter b", "a": "the parameter a",
                     "h": "the shared node h", "hw": "the product h·w"}[wrong]
            return f"the derivative of {label} is not right."
        return None


q7 = BackwardShared()
