"""Numerical gradients by central differences (slide 19), to check backpropagation."""

import numpy as np

from .checks import check_positive


def numerical_gradient(f, x, h=1e-5):
    """∂f/∂x_i ≈ (f(x + h e_i) - f(x - h e_i)) / (2h) for every element of the array x.

    The central difference has error O(h²) (the one-sided difference of slide 19 has O(h)).
    ``f(x)`` must return a scalar; x is perturbed in place, one element at a time, and
    restored. Costs two evaluations of f per element -- fine for checking, far too slow for
    training (that is why backpropagation exists).
    """
    if not (isinstance(x, np.ndarray) and np.issubdtype(x.dtype, np.floating)):
        raise TypeError("x must be a float numpy array (it is perturbed in place)")
    check_positive(h, "step h")
    grad = np.zeros_like(x, dtype=np.float64)
    flat_x, flat_grad = x.reshape(-1), grad.reshape(-1)
    if not np.shares_memory(flat_x, x):
        raise ValueError("x must be contiguous so that it can be perturbed in place")
    for i in range(flat_x.size):
        old = flat_x[i]
        flat_x[i] = old + h
        f_plus = f(x)
        flat_x[i] = old - h
        f_minus = f(x)
        flat_x[i] = old
        flat_grad[i] = (f_plus - f_minus) / (2.0 * h)
    return grad


def relative_error(a, b):
    """||a - b|| / (||a|| + ||b||): 0 when equal, about 1e-9 or less for a correct backward
    pass in float64. Measured over the whole array, so tiny entries do not dominate."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"cannot compare gradients of shapes {a.shape} and {b.shape}")
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


def check_gradients(model, X, y, h=1e-5):
    """Relative error between backprop and numerical gradients, for every parameter.

    Returns {parameter name: relative error}. The model must be deterministic in training
    mode (a Dropout layer draws new masks: give it rate 0 or reseed it inside ``f``).
    """
    model.loss(X, y, train=True)
    model.backward(need_dx=False)
    analytic = {name: g.copy() for name, g in model.grads().items()}
    errors = {}
    for name, p in model.params().items():
        numeric = numerical_gradient(lambda _: model.loss(X, y, train=True), p, h)
        errors[name] = relative_error(analytic[name], numeric)
    return errors


def check_layer_gradients(layer, x, train=True, seed=0, before_forward=None):
    """Relative errors of one layer's backward pass: dL/dx and every dL/d(parameter).

    Uses the scalar L = Σ (output ⊙ R) with a fixed random R, so dL/d(output) = R is fed to
    ``backward`` and every output element takes part. ``before_forward()`` runs before each
    forward pass (e.g. to reseed a Dropout layer so that it draws the same mask every time).
    Returns {"x": error, "<param>": error, ...}.
    """
    def forward():
        if before_forward is not None:
            before_forward()
        return layer.forward(x, train)

    R = np.random.default_rng(seed + 1000).normal(size=forward().shape)

    def f(_):
        return float(np.sum(forward() * R))

    forward()
    dx = layer.backward(R.copy())
    analytic = {name: g.copy() for name, g in layer.grads.items()}
    errors = {"x": relative_error(dx, numerical_gradient(f, x))}
    for name, p in layer.params.items():
        errors[name] = relative_error(analytic[name], numerical_gradient(f, p))
    return errors
