"""Data sets, batching, fit() and its history, accuracy and gradient norms."""

import math

import pytest

from autograd import Value
from nn import MLP, accuracy, data, fit, layer_gradient_norms, predict
from nn.optim import SGD, Adam, LinearLR


@pytest.mark.parametrize("make", [data.make_moons, data.make_circles, data.make_xor, data.make_spirals])
def test_data_sets_are_plain_lists_and_reproducible(make):
    X, y = make(60, seed=3)
    assert len(X) == len(y) == 60
    assert all(isinstance(row, list) and len(row) == 2 and all(type(v) is float for v in row) for row in X)
    assert all(type(label) is int for label in y)
    assert make(60, seed=3) == (X, y) and make(60, seed=4) != (X, y)


def test_moons_without_noise_lie_on_their_half_circles():
    X, y = data.make_moons(40, noise=0.0, seed=0)
    for (a, b), label in zip(X, y):
        centre = (0.0, 0.0) if label == 0 else (1.0, 0.5)
        assert math.hypot(a - centre[0], b - centre[1]) == pytest.approx(1.0)
    assert y.count(0) == y.count(1) == 20


def test_spirals_have_every_class():
    X, y = data.make_spirals(31, classes=4, seed=0)
    assert sorted(set(y)) == [0, 1, 2, 3] and len(X) == 31


def test_batches_cover_everything_once_and_shuffle_with_a_seed():
    X, y = list(range(10)), list(range(10))
    seen = [x for bx, _ in data.batches(X, y, 3, seed=1) for x in bx]
    assert sorted(seen) == X and seen != X
    assert seen == [x for bx, _ in data.batches(X, y, 3, seed=1) for x in bx]
    assert all(bx == by for bx, by in data.batches(X, y, 4, seed=2))


def test_train_test_split_is_disjoint_and_complete():
    X, y = data.make_moons(20, seed=0)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, 0.25, seed=0)
    assert (len(X_train), len(X_test), len(y_train), len(y_test)) == (15, 5, 15, 5)
    assert sorted(map(tuple, X_train + X_test)) == sorted(map(tuple, X))


def test_data_arguments_are_checked():
    with pytest.raises(ValueError, match="n must be an int >= 2, got 1"):
        data.make_moons(1)
    with pytest.raises(ValueError, match="noise must be a finite number from 0 to 1e.06, got -1"):
        data.make_moons(10, noise=-1)
    with pytest.raises(ValueError, match="X has 2 rows but y has 1"):
        list(data.batches([1, 2], [1], 1))


def test_micrograds_moons_recipe_reaches_100_percent():
    X, y = data.make_moons(100, noise=0.1, seed=1)
    model = MLP(2, [16, 16, 1], seed=1337)
    optimizer = SGD(model.parameters(), lr=1.0)
    history = fit(model, X, y, loss="hinge", optimizer=optimizer, epochs=100, l2=1e-4,
                  schedule=LinearLR(optimizer, 1.0, 0.1, 100), progress=False)
    assert history.stopped is None and len(history.loss) == 100
    assert history.lr[0] == 1.0 and history.lr[-1] == pytest.approx(1.0 - 0.9 * 99 / 100)
    assert history.loss[-1] < history.loss[0] / 10
    assert accuracy(model, X, y) == 1.0


def test_minibatch_training_with_adam_and_softmax_learns_spirals_partly():
    X, y = data.make_spirals(90, classes=3, seed=0)
    model = MLP(2, [16, 3], activation="tanh", seed=0)
    history = fit(model, X, y, loss="softmax_cross_entropy", optimizer=Adam(model.parameters(), lr=0.05),
                  epochs=30, batch_size=30, progress=False, seed=0)
    assert history.loss[-1] < history.loss[0]
    assert accuracy(model, X, y) > 0.5
    assert set(predict(model, X)) <= {0, 1, 2}


def test_a_diverging_loss_stops_training_with_a_clear_warning():
    X, y = data.make_moons(20, seed=0)
    model = MLP(2, [8, 1], activation="relu", seed=0)
    with pytest.warns(RuntimeWarning, match="(the loss became (nan|inf)|overflowed).*; try a smaller learning rate than 1e\\+20"):
        history = fit(model, X, y, loss="mse", optimizer=SGD(model.parameters(), lr=1e20), epochs=50, progress=False)
    assert history.stopped and len(history.loss) < 50


def test_bad_fit_arguments():
    model = MLP(2, [2, 1], seed=0)
    with pytest.raises(ValueError, match="unknown loss 'l1'"):
        fit(model, [[0.0, 0.0]], [1], loss="l1", progress=False)
    with pytest.raises(ValueError, match="1 rows, 2 labels"):
        fit(model, [[0.0, 0.0]], [1, 0], progress=False)


def test_sigmoid_outputs_threshold_at_one_half():
    model = MLP(1, [1], output_activation="sigmoid", seed=0)
    model.layers[0].neurons[0].w[0].data = 1.0
    assert predict(model, [[-0.1], [0.1]]) == [0, 1]
    assert accuracy(model, [[-0.1], [0.1]], [0, 1]) == 1.0


def test_layer_gradient_norms_show_vanishing_gradients():
    deep = MLP(2, [8] * 8 + [1], activation="sigmoid", seed=0)
    out = deep([1.0, -1.0])
    out.backward()
    norms = layer_gradient_norms(deep)
    assert len(norms) == 9 and all(n >= 0 for n in norms)
    assert norms[0] < norms[-1] / 100  # sigmoid squeezes the gradient layer by layer
    with pytest.raises(TypeError, match="needs a model with .layers"):
        layer_gradient_norms(Value(1.0))


def test_mse_on_zero_one_labels_counts_accuracy_at_one_half():
    X, y = data.make_moons(60, noise=0.1, seed=0)
    model = MLP(2, [16, 1], activation="tanh", seed=0)
    history = fit(model, X, y, loss="mse", optimizer=Adam(model.parameters(), lr=0.05), epochs=60, progress=False)
    assert history.accuracy[-1] == pytest.approx(accuracy(model, X, y, threshold=0.5), abs=0.05)
    assert history.accuracy[-1] > 0.8
