"""Update rules (slides 18, 29, 31-33), one small class each.

``step(params, grads)`` updates every parameter array in place from its gradient g = dL/dW.
Per-parameter state (velocity, squared-gradient averages) is kept by parameter name
(``step_vector`` keeps one state vector, named "θ", for the whole parameter vector).
With ``weight_decay`` λ > 0 the gradient of the L2 penalty (λ/2)||W||² is added to weight
matrices (arrays with 2 or more dimensions, not biases): g ← g + λ W (slide 39).

Every rule works element by element, so it can also update all of a network's parameters
at once as one long vector θ: ``step_vector(θ, g, is_weight)``, which the training loop
uses because one update of a long vector costs far less than one update per small array.
"""

import math

import numpy as np

from .checks import check_in_range, check_positive


class Optimizer:
    """Shared part of every rule: hyperparameter checks, weight decay, the loop over params."""

    def __init__(self, lr, weight_decay=0.0):
        self.lr = check_positive(lr, "learning rate lr")
        if weight_decay != 0:
            check_positive(weight_decay, "weight_decay")
        self.weight_decay = weight_decay
        self.state = {}
        self.t = 0

    def step(self, params, grads):
        """Apply one update to every array in ``params`` (in place)."""
        self.t += 1
        for name, p in params.items():
            g = grads[name]
            if self.weight_decay and p.ndim >= 2:
                g = g + self.weight_decay * p
            self.update(name, p, g)

    def step_vector(self, theta, grad, is_weight):
        """Apply one update to the whole parameter vector θ (in place), e.g. for SGD
        θ ← θ - η g (slides 18, 29).

        ``is_weight`` is 1.0 where θ holds a weight-matrix entry and 0.0 for biases, so weight
        decay adds g ← g + λ (is_weight ⊙ θ) only where ``step`` would (slide 39; see
        Sequential.param_vector).
        """
        self.t += 1
        if self.weight_decay:
            grad = grad + self.weight_decay * (is_weight * theta)
        self.update("θ", theta, grad)

    def zeros(self, name, p, key):
        """The state array ``key`` of parameter ``name``, created as zeros on first use."""
        slot = self.state.setdefault(name, {})
        if key not in slot:
            slot[key] = np.zeros_like(p)
        return slot[key]

    def __repr__(self):
        return f"{type(self).__name__}(lr={self.lr})"


class SGD(Optimizer):
    """Gradient descent (slides 18, 29): W ← W - η g."""

    def update(self, name, p, g):
        p -= self.lr * g


class Momentum(Optimizer):
    """Momentum SGD (slides 31, 33): v ← β v - η g;  W ← W + v.

    The velocity v remembers past steps, so the ball keeps rolling over small bumps
    (local minima, slide 31) and the zig-zag across a ravine cancels out (slide 32).
    """

    def __init__(self, lr=0.01, beta=0.9, weight_decay=0.0):
        super().__init__(lr, weight_decay)
        self.beta = check_in_range(beta, "momentum beta", 0.0, 1.0)

    def update(self, name, p, g):
        v = self.zeros(name, p, "v")
        v *= self.beta
        v -= self.lr * g
        p += v


class AdaGrad(Optimizer):
    """AdaGrad: h ← h + g²;  W ← W - η g / (sqrt(h) + ε).

    Each weight gets its own step size, shrinking where gradients have been large.
    """

    def __init__(self, lr=0.01, eps=1e-8, weight_decay=0.0):
        super().__init__(lr, weight_decay)
        self.eps = check_positive(eps, "eps")

    def update(self, name, p, g):
        h = self.zeros(name, p, "h")
        h += g * g
        p -= self.lr * g / (np.sqrt(h) + self.eps)


class RMSProp(Optimizer):
    """RMSProp (slide 33): h ← ρ h + (1 - ρ) g²;  W ← W - η g / (sqrt(h) + ε).

    Like AdaGrad, but h is a moving average, so old large gradients are forgotten:
    "前に大きく変化したところは変化を抑える".
    """

    def __init__(self, lr=0.001, rho=0.9, eps=1e-8, weight_decay=0.0):
        super().__init__(lr, weight_decay)
        self.rho = check_in_range(rho, "rho", 0.0, 1.0)
        self.eps = check_positive(eps, "eps")

    def update(self, name, p, g):
        h = self.zeros(name, p, "h")
        h *= self.rho
        h += (1.0 - self.rho) * g * g
        p -= self.lr * g / (np.sqrt(h) + self.eps)


class Adam(Optimizer):
    """Adam (slide 33): momentum and RMSProp combined, with bias correction.

    m ← β₁ m + (1 - β₁) g;   v ← β₂ v + (1 - β₂) g²
    m̂ = m / (1 - β₁ᵗ);       v̂ = v / (1 - β₂ᵗ)
    W ← W - η m̂ / (sqrt(v̂) + ε)
    The last line is computed as W ← W - η_t m / (sqrt(v) + ε_t) with
    η_t = η sqrt(1 - β₂ᵗ) / (1 - β₁ᵗ) and ε_t = ε sqrt(1 - β₂ᵗ): the same number, with
    fewer temporary arrays.
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
        super().__init__(lr, weight_decay)
        self.beta1 = check_in_range(beta1, "beta1", 0.0, 1.0)
        self.beta2 = check_in_range(beta2, "beta2", 0.0, 1.0)
        self.eps = check_positive(eps, "eps")

    def update(self, name, p, g):
        m = self.zeros(name, p, "m")
        v = self.zeros(name, p, "v")
        m *= self.beta1
        m += (1.0 - self.beta1) * g
        v *= self.beta2
        v += (1.0 - self.beta2) * (g * g)
        correction2 = math.sqrt(1.0 - self.beta2 ** self.t)
        lr_t = self.lr * correction2 / (1.0 - self.beta1 ** self.t)
        p -= lr_t * m / (np.sqrt(v) + self.eps * correction2)


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adagrad": AdaGrad, "rmsprop": RMSProp,
              "adam": Adam}


def make_optimizer(name, **kwargs):
    """An optimizer from its name ("sgd", "momentum", "adagrad", "rmsprop", "adam")."""
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {sorted(OPTIMIZERS)}")
    return OPTIMIZERS[name](**kwargs)
