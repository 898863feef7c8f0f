"""`nnscratch.data`: small seeded data sets, as plain Python lists."""

from __future__ import annotations

import math
import statistics

import pytest

from nnscratch.data import above_below_line, fahrenheit_celsius, make_moons

MAKERS = [make_moons, fahrenheit_celsius, above_below_line]


# -- all data sets ---------------------------------------------------------------------


@pytest.mark.parametrize("make", MAKERS)
def test_same_seed_same_data_other_seed_other_data(make):
    X1, y1 = make(seed=4)
    X2, y2 = make(seed=4)
    assert [[v.hex() for v in row] for row in X1] == [[v.hex() for v in row] for row in X2]
    assert y1 == y2
    X3, _ = make(seed=5)
    assert X3 != X1


@pytest.mark.parametrize("make", MAKERS)
def test_the_default_seed_is_fixed(make):
    assert make() == make(seed=0)


@pytest.mark.parametrize("make", MAKERS)
def test_plain_lists_of_floats(make):
    X, y = make(n_samples=50)
    assert type(X) is list and type(y) is list
    assert len(X) == len(y) == 50
    assert all(type(row) is list for row in X)
    assert all(type(v) is float for row in X for v in row)


@pytest.mark.parametrize("make", MAKERS)
@pytest.mark.parametrize("bad", [1, 0, -5, 2.0, True, "10", None])
def test_bad_sample_counts(make, bad):
    with pytest.raises(ValueError, match="n_samples"):
        make(n_samples=bad)


@pytest.mark.parametrize("make", MAKERS)
@pytest.mark.parametrize("bad", [None, 1.5, "0", True])
def test_seeds_must_be_ints(make, bad):
    # seed=None would give different data on every run.
    with pytest.raises(TypeError, match="seed"):
        make(seed=bad)


# -- two moons ------------------------------------------------------------------------


def test_moons_shapes_and_labels():
    X, y = make_moons()
    assert len(X) == 100 and all(len(row) == 2 for row in X)
    assert sorted(set(y)) == [0, 1]
    assert y.count(0) == y.count(1) == 50
    X, y = make_moons(n_samples=101)
    assert (y.count(0), y.count(1)) == (50, 51)


def test_signed_moons_have_labels_minus_one_and_one_and_the_same_points():
    X, y = make_moons(seed=2)
    Xs, ys = make_moons(seed=2, signed=True)
    assert Xs == X
    assert ys == [2 * label - 1 for label in y]
    assert sorted(set(ys)) == [-1, 1]


def test_without_noise_the_points_lie_exactly_on_the_arcs():
    X, y = make_moons(n_samples=200, noise=0.0, seed=1)
    for (a, b), label in zip(X, y):
        if label == 0:  # (cos t, sin t)
            assert math.isclose(a * a + b * b, 1.0, rel_tol=1e-15)
            assert b >= -1e-15  # sin(t) at t = π is a rounding error away from 0
        else:  # (1 - cos t, 1/2 - sin t)
            assert math.isclose((a - 1.0) ** 2 + (b - 0.5) ** 2, 1.0, rel_tol=1e-15)
            assert b <= 0.5 + 1e-15
    upper = sorted(tuple(p) for p, label in zip(X, y) if label == 0)
    lower = sorted(tuple(p) for p, label in zip(X, y) if label == 1)
    assert upper[0] == (-1.0, pytest.approx(0.0, abs=1e-15)) and upper[-1] == (1.0, 0.0)
    assert lower[0] == (0.0, 0.5) and lower[-1] == (2.0, pytest.approx(0.5, abs=1e-15))


def test_noise_is_gaussian_with_the_given_spread():
    # The same seed shuffles the same way, so the noisy points sit over the clean ones.
    clean, y_clean = make_moons(n_samples=2000, noise=0.0, seed=3)
    noisy, y_noisy = make_moons(n_samples=2000, noise=0.2, seed=3)
    assert y_clean == y_noisy
    offsets = [n - c for pn, pc in zip(noisy, clean) for n, c in zip(pn, pc)]
    assert abs(statistics.fmean(offsets)) < 0.02
    assert 0.19 < statistics.pstdev(offsets) < 0.21


def _distance_to_arc(point, label):
    a, b = point
    if label == 0:
        cx, cy, lower = 0.0, 0.0, False
    else:
        cx, cy, lower = 1.0, 0.5, True
    dx, dy = a - cx, b - cy
    on_side = dy <= 0 if lower else dy >= 0
    if on_side:
        return abs(math.hypot(dx, dy) - 1.0)
    return min(math.hypot(dx - 1.0, dy), math.hypot(dx + 1.0, dy))  # nearest end point


def test_the_two_moons_are_separable_by_their_arcs():
    X, y = make_moons(n_samples=400, noise=0.1, seed=0)
    nearest = [0 if _distance_to_arc(p, 0) < _distance_to_arc(p, 1) else 1 for p in X]
    accuracy = sum(n == label for n, label in zip(nearest, y)) / len(y)
    assert accuracy > 0.95
    # and no straight line in y alone separates them: they interleave
    top_of_lower = max(b for (a, b), label in zip(X, y) if label == 1)
    bottom_of_upper = min(b for (a, b), label in zip(X, y) if label == 0)
    assert top_of_lower > bottom_of_upper


def test_points_are_shuffled():
    _, y = make_moons(n_samples=100, seed=0)
    assert y != sorted(y)
    assert sum(y[:50]) not in (0, 50)


@pytest.mark.parametrize("bad", [-0.1, math.nan, math.inf, -math.inf, 10**400, "0.1", None, True])
def test_bad_noise(bad):
    with pytest.raises(ValueError, match="noise"):
        make_moons(noise=bad)


def test_noise_so_large_that_points_overflow_is_refused():
    with pytest.raises(ValueError, match="not finite"):
        make_moons(noise=1e308)
    X, _ = make_moons(noise=1e300)  # huge, but every point still a float
    assert all(math.isfinite(v) for row in X for v in row)


def test_signed_must_be_true_or_false():
    with pytest.raises(TypeError, match="signed"):
        make_moons(signed="no")


@pytest.mark.parametrize("make", MAKERS)
def test_numpy_integers_are_accepted_as_counts_and_seeds(make):
    np = pytest.importorskip("numpy", reason="numpy integers as arguments")
    assert make(n_samples=np.int64(30), seed=np.int32(4)) == make(n_samples=30, seed=4)


def test_fractions_and_numpy_floats_are_accepted_as_noise_and_bounds():
    np = pytest.importorskip("numpy", reason="numpy floats as arguments")
    from fractions import Fraction

    assert make_moons(noise=Fraction(1, 10)) == make_moons(noise=0.1)
    assert fahrenheit_celsius(low=np.float32(-1.0), high=Fraction(1)) == fahrenheit_celsius(low=-1.0, high=1.0)


# -- Fahrenheit to Celsius --------------------------------------------------------------


def test_fahrenheit_to_celsius_relation():
    X, y = fahrenheit_celsius(n_samples=500, seed=7)
    assert all(len(row) == 1 for row in X)
    for (f,), c in zip(X, y):
        assert -1.0 <= f <= 1.0
        assert math.isclose(c, (f - 32.0) / 1.8, rel_tol=1e-15)
        assert math.isclose(c * 9.0 / 5.0 + 32.0, f, rel_tol=0.0, abs_tol=1e-13)


def test_fahrenheit_celsius_is_a_line_of_slope_five_ninths():
    X, y = fahrenheit_celsius(n_samples=100, seed=0, low=-40.0, high=212.0)
    (f0,), c0 = X[0], y[0]
    for (f,), c in zip(X[1:], y[1:]):
        if abs(f - f0) > 1.0:
            assert math.isclose((c - c0) / (f - f0), 5 / 9, rel_tol=1e-12)
    assert min(f for (f,) in X) >= -40.0 and max(f for (f,) in X) <= 212.0
    assert math.isclose((32.0 - 32.0) * 5.0 / 9.0, 0.0)


def test_fahrenheit_celsius_spreads_over_the_range():
    X, _ = fahrenheit_celsius(n_samples=1000, seed=0, low=10.0, high=20.0)
    fs = [f for (f,) in X]
    assert min(fs) < 10.1 and max(fs) > 19.9
    assert 14.5 < statistics.fmean(fs) < 15.5


@pytest.mark.parametrize("low, high", [(1.0, 1.0), (2.0, 1.0)])
def test_fahrenheit_celsius_needs_low_below_high(low, high):
    with pytest.raises(ValueError, match="low < high"):
        fahrenheit_celsius(low=low, high=high)


@pytest.mark.parametrize(
    "low, high, fragment",
    [(math.nan, 1.0, "low must be a finite"), (-1.0, math.inf, "high must be a finite"),
     (-1e308, 1e308, "too far apart"), (1e307, 1.7e308, "too far apart"), ("0", 1.0, "low must be a real")],
)
def test_fahrenheit_celsius_bounds_give_finite_data_or_an_error(low, high, fragment):
    with pytest.raises(ValueError, match=fragment):
        fahrenheit_celsius(low=low, high=high)


# -- above or below a line ------------------------------------------------------------------


def test_above_below_labels():
    X, y = above_below_line(n_samples=1000, seed=3)
    assert sorted(set(y)) == [0, 1]
    for (a, b), label in zip(X, y):
        assert -1.0 <= a <= 1.0 and -1.0 <= b <= 1.0
        assert label == (1 if b > a else 0)
    assert 400 < sum(y) < 600
