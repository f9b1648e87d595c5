"""Weight initializers (slide 35 context: the scale of the initial weights decides whether
gradients vanish or explode). Each takes a shape (out, in) and a numpy Generator.
"""

import numpy as np

from .checks import check_positive


def he(shape, rng):
    """He initialization for ReLU-like layers: W ~ N(0, 2 / fan_in).

    ReLU zeroes half of its inputs, so the factor 2 keeps Var(u) the same in every layer.
    """
    fan_in = shape[1]
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=shape)


def xavier(shape, rng):
    """Xavier (Glorot) initialization for sigmoid/tanh layers: W ~ N(0, 2 / (fan_in + fan_out)).

    Keeps the variance of the signal in the forward pass and of the gradient in the backward
    pass roughly constant.
    """
    fan_out, fan_in = shape
    return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=shape)


def normal(std):
    """Initializer drawing W ~ N(0, std^2) with a fixed std (e.g. 0.01, or 1.0 to explode)."""
    check_positive(std, "std")

    def init(shape, rng):
        return rng.normal(0.0, std, size=shape)

    init.__name__ = f"normal({std})"
    return init


INITIALIZERS = {"he": he, "xavier": xavier}


def get_initializer(init):
    """Return the initializer for a name ("he", "xavier") or a callable(shape, rng)."""
    if callable(init):
        return init
    if init not in INITIALIZERS:
        raise ValueError(
            f"unknown initializer {init!r}; use one of {sorted(INITIALIZERS)} or normal(std)"
        )
    return INITIALIZERS[init]
