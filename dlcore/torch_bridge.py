"""The same network in dlcore and in PyTorch (slide 44), with the weights copied between them.

PyTorch is optional for the course: this module imports it only inside its functions, so
``import dlcore.torch_bridge`` works without it, and every function that needs it raises an
ImportError that says how to install it (``pip install torch``, CPU build).

Layers map one to one, so layer k of a dlcore ``Sequential`` is module k of the
``torch.nn.Sequential`` and the parameter names correspond:

    dlcore                      torch
    Linear(in, out)   W, b      nn.Linear(in, out)   weight, bias
    ReLU, Sigmoid, Tanh         nn.ReLU, nn.Sigmoid, nn.Tanh
    LeakyReLU(slope), Identity  nn.LeakyReLU(slope), nn.Identity
    "k.W", "k.b"                "k.weight", "k.bias"

``W`` and ``weight`` both have shape (out, in): W[i, j] is w_ij, the weight from input j to
neuron i (slides 8 and 13, u = W x), so weights are copied without a transpose.
Dropout and BatchNorm are not mapped (their training-time randomness and running averages
follow different conventions in the two libraries).
"""

from .layers import (
    Identity,
    L1Loss,
    LeakyReLU,
    Linear,
    MSELoss,
    ReLU,
    Sigmoid,
    SigmoidCrossEntropy,
    SoftmaxCrossEntropy,
    Tanh,
)

INSTALL_HINT = (
    "PyTorch is not installed. It is optional for this course; install the CPU build with "
    "`pip install torch` (the course's CI uses torch==2.13.0)."
)

_PARAM_NAMES = {"W": "weight", "b": "bias"}  # dlcore name -> torch name


def torch_available():
    """True when PyTorch can be imported (a broken installation counts as missing)."""
    try:
        import_torch()
    except ImportError:
        return False
    return True


class _MissingTorchModule:
    """Stands in for ``torch.nn.Module`` without PyTorch: a class can still be defined on it
    (so a notebook runs top to bottom), but making an instance says how to install PyTorch."""

    def __init__(self, *args, **kwargs):
        raise ImportError(INSTALL_HINT)


def torch_nn():
    """``torch.nn``, or without PyTorch a stand-in whose ``Module`` can be subclassed (a class
    ``class MLP(nn.Module)`` is then defined, and only making an instance raises ImportError)."""
    if torch_available():
        return import_torch().nn
    import types

    return types.SimpleNamespace(Module=_MissingTorchModule)


def import_torch():
    """The ``torch`` module, or an ImportError that says how to install it."""
    try:
        import torch
    except ImportError as error:
        raise ImportError(INSTALL_HINT) from error
    return torch


def torch_name(name):
    """The torch parameter name of a dlcore one: "0.W" -> "0.weight", "2.b" -> "2.bias"."""
    layer, _, param = name.rpartition(".")
    if not layer or param not in _PARAM_NAMES:
        raise ValueError(f"expected a dlcore Linear parameter name like '0.W' or '0.b', "
                         f"got {name!r}")
    return f"{layer}.{_PARAM_NAMES[param]}"


def dlcore_name(name):
    """The dlcore parameter name of a torch one: "0.weight" -> "0.W", "2.bias" -> "2.b"."""
    inverse = {v: k for k, v in _PARAM_NAMES.items()}
    layer, _, param = name.rpartition(".")
    if not layer or param not in inverse:
        raise ValueError(f"expected a torch parameter name like '0.weight' or '0.bias', "
                         f"got {name!r}")
    return f"{layer}.{inverse[param]}"


def _torch_layer(layer, nn, dtype):
    """The torch module that computes what the dlcore ``layer`` computes."""
    if isinstance(layer, Linear):
        return nn.Linear(layer.in_features, layer.out_features, dtype=dtype)
    if isinstance(layer, LeakyReLU):
        return nn.LeakyReLU(layer.slope)
    for ours, theirs in ((ReLU, nn.ReLU), (Sigmoid, nn.Sigmoid), (Tanh, nn.Tanh),
                         (Identity, nn.Identity)):
        if isinstance(layer, ours):
            return theirs()
    raise ValueError(
        f"{layer!r} has no PyTorch counterpart in torch_bridge (supported: Linear, ReLU, "
        "Sigmoid, Tanh, LeakyReLU, Identity)"
    )


def to_torch(model, dtype=None):
    """A ``torch.nn.Sequential`` with the layers of the dlcore ``model`` and a copy of its weights.

    ``dtype`` defaults to torch.float64, dlcore's precision, so that both libraries compute
    the same numbers up to rounding (~1e-15); torch.float32 is PyTorch's usual default.
    """
    torch = import_torch()
    dtype = torch.float64 if dtype is None else dtype
    net = torch.nn.Sequential(*[_torch_layer(layer, torch.nn, dtype) for layer in model.layers])
    copy_to_torch(model, net)
    return net


def _matching_params(model, net):
    """Pairs (dlcore name, dlcore array, torch parameter), checked to have the same shapes."""
    ours = model.params()
    theirs = dict(net.named_parameters())
    expected = {torch_name(name) for name in ours}
    if expected != set(theirs):
        raise ValueError(f"the networks do not match: dlcore has {sorted(ours)}, "
                         f"torch has {sorted(theirs)}")
    pairs = []
    for name, p in ours.items():
        q = theirs[torch_name(name)]
        if tuple(q.shape) != p.shape:
            raise ValueError(f"{name} has shape {p.shape} but torch's {torch_name(name)} has "
                             f"shape {tuple(q.shape)}")
        pairs.append((name, p, q))
    return pairs


def copy_to_torch(model, net):
    """Copy every weight of the dlcore ``model`` into the torch ``net`` (in place): weight = W."""
    torch = import_torch()
    with torch.no_grad():  # copying is not part of the computation to differentiate
        for _, p, q in _matching_params(model, net):
            q.copy_(torch.from_numpy(p))
    return net


def copy_linears_to_torch(model, module):
    """Copy the weights of the dlcore ``model``'s Linear layers, in order, into the
    ``nn.Linear`` layers of any torch ``module`` (in the order ``module.modules()`` lists them,
    i.e. the order in which ``__init__`` created them). Used for a network written as an
    ``nn.Module`` subclass, whose parameter names are its author's choice."""
    torch = import_torch()
    ours = [layer for layer in model.layers if isinstance(layer, Linear)]
    theirs = [m for m in module.modules() if isinstance(m, torch.nn.Linear)]
    if len(ours) != len(theirs):
        raise ValueError(f"the dlcore model has {len(ours)} Linear layers but the torch module "
                         f"has {len(theirs)} nn.Linear layers")
    with torch.no_grad():
        for k, (layer, linear) in enumerate(zip(ours, theirs)):
            for name, q in (("W", linear.weight), ("b", linear.bias)):
                p = layer.params[name]
                if q is None or tuple(q.shape) != p.shape:
                    got = None if q is None else tuple(q.shape)
                    raise ValueError(f"Linear layer {k}: dlcore's {name} has shape {p.shape} but "
                                     f"the torch layer's has {got}")
                q.copy_(torch.from_numpy(p).to(q.dtype))
    return module


def copy_from_torch(net, model):
    """Copy every weight of the torch ``net`` into the dlcore ``model`` (in place): W = weight."""
    for _, p, q in _matching_params(model, net):
        p[...] = q.detach().cpu().double().numpy()
    return model


def torch_grads(net):
    """The gradients that ``loss.backward()`` left in ``net``, as {dlcore name: NumPy array}."""
    grads = {}
    for name, q in net.named_parameters():
        if q.grad is None:
            raise ValueError(f"{name} has no gradient yet: call loss.backward() first")
        grads[dlcore_name(name)] = q.grad.detach().cpu().double().numpy()
    return grads


def torch_loss(model):
    """The PyTorch function (u, y) -> L that equals the loss layer of the dlcore ``model``.

    Like dlcore, every loss is a mean over the samples (slide 16 sums; the mean only rescales):
    softmax cross-entropy = ``F.cross_entropy(u, y)`` with integer labels y;
    sigmoid cross-entropy = ``F.binary_cross_entropy_with_logits`` on u of shape (n, 1);
    MSE = Σ (u - y)² / n and L1 = Σ |u - y| / n (summed over outputs, mean over samples).
    """
    torch = import_torch()
    F = torch.nn.functional
    layer = model.loss_layer
    if isinstance(layer, SoftmaxCrossEntropy):
        return F.cross_entropy

    def sigmoid_cross_entropy(u, y):
        return F.binary_cross_entropy_with_logits(u[:, 0], y.reshape(-1).to(u.dtype))

    def mse(u, y):
        return ((u - y.reshape(u.shape).to(u.dtype)) ** 2).sum() / u.shape[0]

    def l1(u, y):
        return (u - y.reshape(u.shape).to(u.dtype)).abs().sum() / u.shape[0]

    for ours, theirs in ((SigmoidCrossEntropy, sigmoid_cross_entropy), (MSELoss, mse),
                         (L1Loss, l1)):
        if isinstance(layer, ours):
            return theirs
    raise ValueError(f"no PyTorch counterpart for the loss layer {type(layer).__name__}")


__all__ = ["INSTALL_HINT", "torch_available", "torch_nn", "import_torch", "torch_name",
           "dlcore_name", "to_torch", "copy_to_torch", "copy_linears_to_torch", "copy_from_torch",
           "torch_grads", "torch_loss"]
