"""`nnscratch.nn`: neurons, layers and MLPs built from `Value`."""

from __future__ import annotations

import math
import random

import pytest

import nnscratch
from nnscratch import MLP, Layer, Module, Neuron, Value
from nnscratch.nn import ACTIVATIONS


def hexes(module: Module) -> list[str]:
    return [p.data.hex() for p in module.parameters()]


def test_top_level_exports():
    assert nnscratch.MLP is MLP and nnscratch.Neuron is Neuron
    assert nnscratch.Layer is Layer and nnscratch.Module is Module


# -- parameter counts ------------------------------------------------------------------


@pytest.mark.parametrize(
    "nin, nouts, count",
    [
        (2, [16, 16, 1], 337),  # 16·3 + 16·17 + 1·17
        (3, [4, 4, 1], 41),  # 4·4 + 4·5 + 1·5
        (1, [1], 2),
        (5, [3], 18),
    ],
)
def test_parameter_counts(nin, nouts, count):
    model = MLP(nin, nouts)
    assert len(model.parameters()) == count
    assert len({id(p) for p in model.parameters()}) == count  # no parameter listed twice


def test_neuron_and_layer_parameter_counts_and_order():
    n = Neuron(3)
    assert len(n.parameters()) == 4
    assert n.parameters()[:3] == n.w and n.parameters()[3] is n.b
    layer = Layer(3, 5)
    assert len(layer.parameters()) == 20
    assert layer.parameters()[:4] == layer.neurons[0].parameters()


def test_parameters_are_leaves_in_minus_one_to_one():
    model = MLP(4, [8, 8, 2], seed=11)
    for p in model.parameters():
        assert isinstance(p, Value)
        assert p.children == () and p.op == ""
        assert -1.0 <= p.data <= 1.0
        assert p.grad == 0.0


def test_a_bare_module_has_no_parameters():
    assert Module().parameters() == []
    Module().zero_grad()


# -- seeds ------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_network():
    assert hexes(MLP(2, [16, 16, 1], seed=5)) == hexes(MLP(2, [16, 16, 1], seed=5))
    assert hexes(Neuron(3, seed=1)) == hexes(Neuron(3, seed=1))
    assert hexes(Layer(3, 4, seed=1)) == hexes(Layer(3, 4, seed=1))


def test_different_seeds_give_different_networks():
    a, b = hexes(MLP(2, [16, 16, 1], seed=0)), hexes(MLP(2, [16, 16, 1], seed=1))
    assert a != b
    assert sum(x != y for x, y in zip(a, b)) > 300


def test_the_default_seed_is_fixed():
    assert hexes(MLP(3, [4, 4, 1])) == hexes(MLP(3, [4, 4, 1], seed=0))


def test_weights_come_from_random_random_uniform():
    rng = random.Random(42)
    expected = [rng.uniform(-1.0, 1.0) for _ in range(4)]
    assert [p.data for p in Neuron(3, seed=42).parameters()] == expected


def test_a_random_instance_can_be_shared():
    rng = random.Random(3)
    first, second = Neuron(2, seed=rng), Neuron(2, seed=rng)
    assert hexes(first) != hexes(second)
    replay = random.Random(3)
    assert hexes(Neuron(2, seed=replay)) + hexes(Neuron(2, seed=replay)) == hexes(first) + hexes(second)


def test_the_activation_does_not_change_the_weights():
    assert hexes(MLP(2, [3, 1], activation="relu", seed=4)) == hexes(MLP(2, [3, 1], seed=4))


# -- forward ----------------------------------------------------------------------------


def _preactivation(neuron: Neuron, x: list[float]) -> float:
    total = neuron.b.data
    for w, xi in zip(neuron.w, x):
        total += w.data * xi
    return total


@pytest.mark.parametrize(
    "activation, phi",
    [
        ("tanh", math.tanh),
        ("relu", lambda z: max(0.0, z)),
        ("sigmoid", lambda z: 1 / (1 + math.exp(-z))),
        ("linear", lambda z: z),
    ],
)
def test_neuron_applies_its_activation(activation, phi):
    x = [0.5, -1.5, 2.0]
    for seed in range(6):
        neuron = Neuron(3, activation=activation, seed=seed)
        out = neuron(x)
        assert isinstance(out, Value)
        z = _preactivation(neuron, x)
        assert math.isclose(out.data, phi(z), rel_tol=1e-14, abs_tol=1e-15)
        if activation == "linear":
            assert out.op == "+"
        else:
            assert out.op == activation


def test_relu_neurons_output_zero_for_some_and_positive_for_others():
    x = [0.5, -1.5, 2.0]
    outs = [Neuron(3, activation="relu", seed=s)(x).data for s in range(20)]
    assert any(o == 0.0 for o in outs) and any(o > 0.0 for o in outs)


def test_neuron_accepts_values_and_passes_gradients_to_inputs():
    neuron = Neuron(2, seed=0)
    x = [Value(1.0), Value(-2.0)]
    out = neuron(x)
    out.backward()
    slope = 1 - out.data**2
    assert math.isclose(x[0].grad, slope * neuron.w[0].data, rel_tol=1e-14)
    assert math.isclose(x[1].grad, slope * neuron.w[1].data, rel_tol=1e-14)
    assert math.isclose(neuron.b.grad, slope, rel_tol=1e-14)


def test_mlp_is_a_chain_of_layers():
    model = MLP(3, [4, 2], seed=9)
    x = [1.0, -0.5, 0.25]
    hidden = [math.tanh(_preactivation(n, x)) for n in model.layers[0].neurons]
    out = [math.tanh(_preactivation(n, hidden)) for n in model.layers[1].neurons]
    got = model(x)
    assert isinstance(got, list) and len(got) == 2
    for g, o in zip(got, out):
        assert math.isclose(g.data, o, rel_tol=1e-14)


def test_mlp_with_one_output_returns_a_value():
    out = MLP(3, [4, 1])([1.0, 2.0, 3.0])
    assert isinstance(out, Value)


def test_layer_returns_a_list_even_for_one_neuron():
    out = Layer(3, 1)([1.0, 2.0, 3.0])
    assert isinstance(out, list) and len(out) == 1


def test_linear_output_only_changes_the_last_layer():
    model = MLP(2, [3, 3, 1], activation="relu", linear_output=True, seed=2)
    assert [layer.neurons[0].activation for layer in model.layers] == ["relu", "relu", "linear"]
    x = [0.3, -0.7]
    h1 = [max(0.0, _preactivation(n, x)) for n in model.layers[0].neurons]
    h2 = [max(0.0, _preactivation(n, h1)) for n in model.layers[1].neurons]
    expected = _preactivation(model.layers[2].neurons[0], h2)
    assert math.isclose(model(x).data, expected, rel_tol=1e-14, abs_tol=1e-15)


def test_a_linear_output_can_leave_minus_one_to_one():
    model = MLP(2, [1], activation="tanh", linear_output=True, seed=0)
    big = model([100.0, 100.0]).data
    w, b = model.layers[0].neurons[0].w, model.layers[0].neurons[0].b
    assert big == b.data + w[0].data * 100.0 + w[1].data * 100.0
    assert abs(big) > 1.0


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_every_activation_is_accepted_everywhere(activation):
    for model in (Neuron(2, activation), Layer(2, 3, activation), MLP(2, [3, 1], activation)):
        model([0.5, -0.5])


# -- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize("x", [[1.0, 2.0], [1.0, 2.0, 3.0, 4.0], []])
def test_wrong_number_of_inputs_is_an_error_naming_both_counts(x):
    with pytest.raises(ValueError) as info:
        MLP(3, [4, 1])(x)
    message = str(info.value)
    assert "3 inputs" in message and f"got {len(x)}" in message


def test_a_neuron_checks_its_input_count():
    with pytest.raises(ValueError, match="takes 2 inputs, got 3"):
        Neuron(2)([1.0, 2.0, 3.0])


@pytest.mark.parametrize("bad", [0, -1, 2.0, "3", None, True])
def test_bad_sizes_are_errors(bad):
    with pytest.raises(ValueError) as info:
        MLP(bad, [4, 1])
    assert "nin" in str(info.value) and repr(bad) in str(info.value)
    with pytest.raises(ValueError, match="nin"):
        Neuron(bad)
    with pytest.raises(ValueError, match="nout"):
        Layer(2, bad)
    with pytest.raises(ValueError, match="nout"):
        MLP(2, [4, bad])


@pytest.mark.parametrize("bad", [[], (), 4, "4"])
def test_bad_layer_lists_are_errors(bad):
    with pytest.raises(ValueError, match="nouts"):
        MLP(2, bad)


@pytest.mark.parametrize("bad", ["Tanh", "softmax", "", None])
def test_bad_activations_are_errors_listing_the_choices(bad):
    for make in (lambda: Neuron(2, bad), lambda: Layer(2, 2, bad), lambda: MLP(2, [2], bad)):
        with pytest.raises(ValueError) as info:
            make()
        message = str(info.value)
        assert repr(bad) in message
        assert all(name in message for name in ACTIVATIONS)


@pytest.mark.parametrize("bad", [None, 1.5, "0", True])
def test_bad_seeds_are_errors(bad):
    # seed=None would mean "different every run": refused, like anything else not an int.
    for make in (lambda: Neuron(2, seed=bad), lambda: Layer(2, 2, seed=bad), lambda: MLP(2, [2], seed=bad)):
        with pytest.raises(TypeError, match="seed"):
            make()


# -- reprs ------------------------------------------------------------------------------


def test_reprs_are_readable_and_stable():
    assert repr(Neuron(3)) == "Neuron(3, tanh)"
    assert repr(Neuron(2, "relu")) == "Neuron(2, relu)"
    assert repr(Layer(3, 4, "sigmoid")) == "Layer(3 -> 4, sigmoid)"
    assert repr(MLP(2, [16, 16, 1])) == "MLP(2 -> 16 -> 16 -> 1, tanh, 337 parameters)"
    assert repr(MLP(3, [4, 4, 1], linear_output=True)) == (
        "MLP(3 -> 4 -> 4 -> 1, tanh, linear output, 41 parameters)"
    )
    assert repr(MLP(2, [16, 16, 1], seed=3)) == repr(MLP(2, [16, 16, 1], seed=4))
    assert "0x" not in repr(MLP(2, [1]))


# -- zero_grad ----------------------------------------------------------------------------


def test_zero_grad_resets_every_parameter():
    model = MLP(3, [4, 4, 1], seed=0)
    out = model([1.0, -1.0, 0.5])
    out.backward()
    assert sum(p.grad != 0.0 for p in model.parameters()) > 20
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())
    assert all(type(p.grad) is float for p in model.parameters())


def test_zero_grad_leaves_the_data_alone():
    model = MLP(3, [4, 1], seed=0)
    before = hexes(model)
    model([1.0, 2.0, 3.0]).backward()
    model.zero_grad()
    assert hexes(model) == before


def test_zero_grad_on_a_layer_or_neuron():
    for module in (Neuron(2), Layer(2, 3)):
        for p in module.parameters():
            p.grad = 5.0
        module.zero_grad()
        assert all(p.grad == 0.0 for p in module.parameters())


# -- numbers of any whole-number type; errors that name the argument -----------------------------


def test_numpy_and_other_whole_numbers_are_accepted_as_sizes_and_seeds():
    np = pytest.importorskip("numpy", reason="numpy integers as sizes")
    model = MLP(np.int64(2), [np.int64(3), np.int32(1)], seed=np.int64(4))
    assert repr(model) == repr(MLP(2, [3, 1], seed=4))
    assert hexes(model) == hexes(MLP(2, [3, 1], seed=4))
    assert type(model.layers[0].neurons[0].nin) is int
    assert hexes(MLP(2, np.array([3, 1]), seed=4)) == hexes(MLP(2, (3, 1), seed=4))
    assert len(Layer(np.uint8(3), np.int16(2)).neurons) == 2


@pytest.mark.parametrize(
    "nouts, words",
    [(2.0, ["nouts", "float 2.0"]), (None, ["nouts", "NoneType"]), ([4, 2.0], ["nouts[1]", "float 2.0"]),
     ([4, 0], ["nouts[1]", "0"]), ([True], ["nouts[0]", "bool"]), ("41", ["nouts", "str"])],
)
def test_bad_layer_sizes_name_the_argument(nouts, words):
    with pytest.raises(ValueError) as info:
        MLP(2, nouts)
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize("flag", ["linear_output", "fused"])
@pytest.mark.parametrize("bad", [1, "yes", None])
def test_flags_must_be_true_or_false(flag, bad):
    with pytest.raises(TypeError, match=flag):
        MLP(2, [1], **{flag: bad})
    if flag == "fused":
        with pytest.raises(TypeError, match=flag):
            Neuron(2, fused=bad)


def test_inputs_that_are_not_a_list_are_named():
    with pytest.raises(TypeError, match="takes a list of 2 inputs, got a generator"):
        Neuron(2)(x for x in (1.0, 2.0))


def test_a_module_without_forward_says_so():
    with pytest.raises(NotImplementedError, match="does not define forward"):
        Module()([1.0])


def test_modules_can_be_subclassed_with_forward():
    class Double(Module):
        def forward(self, x):
            return [2 * xi for xi in x]

    assert [v.data for v in Double()([Value(1.0), Value(2.5)])] == [2.0, 5.0]
