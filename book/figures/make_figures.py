"""Draw the two pictures on the book's landing page, with the nnscratch package.

    expression_graph.svg the computation graph of d = a·b + c after d.backward():
                         every box shows its value and its gradient
    moons_boundary.svg   an MLP(2, [16, 16, 1]) trained on the two moons, and the
                         decision boundary it learnt

Both are SVG with real text, drawn as the chapters draw theirs (CONTRIBUTING.md,
Figures): at most 6 inches wide, no text under 10 points.

To regenerate them (under a minute), from the repository root:

    make figures        # or: .venv/bin/python book/figures/make_figures.py

Everything is seeded, so the numbers in the pictures come out the same every time. The
images are committed; the book does not run this script when it is built.
"""

from __future__ import annotations

import pathlib

import matplotlib

matplotlib.use("Agg")
# The chapters' figure style (their figure cell), for a figure saved to a file.
matplotlib.rcParams.update({
    "figure.figsize": (5.6, 3.6), "font.size": 11, "legend.fontsize": 10,
    "figure.facecolor": "white", "axes.facecolor": "white", "savefig.facecolor": "white",
    "svg.fonttype": "none", "svg.hashsalt": "nnscratch",
})
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from nnscratch import MLP, Value  # noqa: E402
from nnscratch.data import make_moons  # noqa: E402
from nnscratch.losses import hinge, l2  # noqa: E402
from nnscratch.viz import draw_dot  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent


def expression_graph() -> str:
    """The SVG of d = a·b + c after d.backward(): every box shows its value and the
    gradient of d with respect to it."""
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    d.backward()
    return draw_dot(d).pipe(format="svg", encoding="utf-8")


def train_moons(steps: int = 60) -> tuple[MLP, list[list[float]], list[int]]:
    """Train MLP(2, [16, 16, 1]) on 100 seeded moon points with the hinge loss."""
    X, y = make_moons(n_samples=100, noise=0.1, seed=0, signed=True)
    model = MLP(2, [16, 16, 1], activation="relu", linear_output=True, seed=3)
    for k in range(steps):
        scores = [model(point) for point in X]
        loss = hinge(scores, y) + 1e-4 * l2(model.parameters())
        model.zero_grad()
        loss.backward()
        lr = 1.0 - 0.9 * k / steps
        for p in model.parameters():
            p.data -= lr * p.grad
    return model, X, y


def grid_scores(model: MLP, points: np.ndarray) -> np.ndarray:
    """The model's scores at many points at once: its forward pass with NumPy arrays."""
    h = points
    for layer in model.layers:
        W = np.array([[w.data for w in neuron.w] for neuron in layer.neurons])
        b = np.array([neuron.b.data for neuron in layer.neurons])
        h = h @ W.T + b
        if layer.neurons[0].activation == "relu":
            h = np.maximum(h, 0.0)
    return h[:, 0]


def moons_figure(model: MLP, X: list[list[float]], y: list[int]) -> plt.Figure:
    xs = np.asarray(X)
    labels = np.asarray(y)
    accuracy = np.mean((grid_scores(model, xs) > 0) == (labels > 0))
    g1, g2 = np.meshgrid(np.linspace(-1.6, 2.6, 300), np.linspace(-1.2, 1.7, 220))
    grid = grid_scores(model, np.column_stack([g1.ravel(), g2.ravel()])).reshape(g1.shape)

    fig, ax = plt.subplots(figsize=(4.8, 3.6))
    ax.contourf(g1, g2, grid, levels=[-1e9, 0, 1e9], colors=["#c6dbef", "#fdd0a2"])
    ax.contour(g1, g2, grid, levels=[0], colors="black", linewidths=1.2)
    for label, colour, marker, name in ((-1, "#2171b5", "o", "label −1"), (1, "#d94801", "s", "label +1")):
        pts = xs[labels == label]
        ax.scatter(pts[:, 0], pts[:, 1], c=colour, marker=marker, s=22, edgecolors="white",
                   linewidths=0.5, label=name)
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.set_title(f"What MLP(2, [16, 16, 1]) learnt:\n{accuracy:.0%} of the points right")
    ax.set_aspect("equal")
    ax.legend(loc="upper right")
    fig.tight_layout()
    return fig


def main() -> None:
    (HERE / "expression_graph.svg").write_text(expression_graph(), encoding="utf-8")
    model, X, y = train_moons()
    fig = moons_figure(model, X, y)
    # No date in the metadata, so regenerating gives the same bytes.
    fig.savefig(HERE / "moons_boundary.svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    print("wrote", HERE / "expression_graph.svg", "and", HERE / "moons_boundary.svg")


if __name__ == "__main__":
    main()
