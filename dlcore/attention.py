"""Scaled dot-product attention, forward and backward (slide 43: Transformer / Attention).

Each query asks "which inputs matter for me?": its dot products with the keys, turned into
weights by a softmax, say where to look, and the output is the weighted sum of the values
(slide 43: 入力のどこに注目すべきかを表す内部表現を作り,それとデータとの内積をとることで
重要なデータを取り出す).

Shapes: Q (..., n_q, d), K (..., n_k, d), V (..., n_k, d_v); any leading (batch) axes are
shared. Everything is one batched matrix product; there are no loops.
"""

from types import MappingProxyType

import numpy as np

from . import functions as F
from .checks import check_positive_int
from .layers import require_forward


def _check_qkv(Q, K, V):
    for name, a in (("Q", Q), ("K", K), ("V", V)):
        if not isinstance(a, np.ndarray) or a.ndim < 2:
            raise ValueError(
                f"{name} must be an array of shape (..., items, features), "
                f"got shape {getattr(a, 'shape', None)}"
            )
    if Q.shape[-1] != K.shape[-1]:
        raise ValueError(
            f"queries and keys need the same length d for the dot product Q K^T: "
            f"Q has shape {Q.shape}, K has shape {K.shape}"
        )
    if K.shape[-2] != V.shape[-2]:
        raise ValueError(
            f"every key needs one value: K has {K.shape[-2]} keys (shape {K.shape}) but "
            f"V has {V.shape[-2]} values (shape {V.shape})"
        )
    for name, a in (("Q", Q), ("K", K), ("V", V)):
        if not np.issubdtype(a.dtype, np.number) or not np.isfinite(a).all():
            raise ValueError(f"{name} must hold finite numbers (no NaN or inf)")
    if not (Q.shape[:-2] == K.shape[:-2] == V.shape[:-2]):
        raise ValueError(
            f"Q, K and V must share their leading (batch) axes, got {Q.shape}, {K.shape}, "
            f"{V.shape}"
        )


def _check_mask(mask, scores_shape):
    mask = np.asarray(mask)
    if mask.dtype != bool:
        raise TypeError(f"mask must be a boolean array (True = may attend), got dtype {mask.dtype}")
    try:
        mask = np.broadcast_to(mask, scores_shape)
    except ValueError:
        raise ValueError(f"mask of shape {mask.shape} does not fit the scores of shape "
                         f"{scores_shape} (queries x keys)") from None
    if not np.all(mask.any(axis=-1)):
        raise ValueError("every query needs at least one key it may attend to "
                         "(a row of the mask is all False)")
    return mask


def scaled_dot_product_attention(Q, K, V, mask=None):
    """Attention(Q, K, V) = softmax(Q K^T / √d) V (slide 43). Returns (output, weights).

    S = Q K^T / √d holds the score of every query-key pair, shape (..., n_q, n_k);
    A = softmax(S) along the keys, so each row of A is ≥ 0 and sums to 1 (where to look);
    output = A V, shape (..., n_q, d_v): for each query, a weighted mean of the values.
    Dividing by √d keeps the scores of random d-dimensional vectors at variance ≈ 1, so the
    softmax does not saturate into a one-hot choice as d grows.
    mask (optional, boolean, broadcastable to (..., n_q, n_k)): where it is False the score
    is set to -∞ before the softmax, so that key gets weight exactly 0 (e.g. ``causal_mask``:
    a position may not look at later positions).
    """
    _check_qkv(Q, K, V)
    d = Q.shape[-1]
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d)
    if mask is not None:
        scores = np.where(_check_mask(mask, scores.shape), scores, -np.inf)
    weights = F.softmax(scores, axis=-1)
    return weights @ V, weights


def causal_mask(T):
    """Boolean (T, T) mask with True on and below the diagonal: position t may attend to
    positions 1..t only (no peeking at later inputs), as in a text-generating Transformer."""
    T = check_positive_int(T, "T")
    return np.tril(np.ones((T, T), dtype=bool))


def positional_encoding(T, d):
    """Sinusoidal positional encoding of the Transformer (slide 43), shape (T, d):
        PE[t, 2i] = sin(t / 10000^{2i/d}),  PE[t, 2i+1] = cos(t / 10000^{2i/d}),  t = 0..T-1.
    Attention itself ignores order (permuting the inputs only permutes the outputs); adding
    PE to the inputs tells each position where it is. Every entry lies in [-1, 1].
    """
    T, d = check_positive_int(T, "T"), check_positive_int(d, "d")
    t = np.arange(T)[:, None]
    freq = 10000.0 ** (-(np.arange(d) // 2 * 2) / d)
    angle = t * freq
    return np.where(np.arange(d) % 2 == 0, np.sin(angle), np.cos(angle))


def multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads, mask=None):
    """Multi-head self-attention (slide 43: Transformer), forward only. Returns (output, weights).

    X (..., T, d_model); Wq, Wk, Wv (d_model, d_model) and Wo (d_model, d_model), shaped like
    ``Linear.W`` (out, in). Q = X Wq^T, K = X Wk^T, V = X Wv^T are cut into ``n_heads``
    heads of d_model / n_heads features each; every head runs its own
        head_h = softmax(Q_h K_h^T / √(d_model / n_heads)) V_h
    (so each head can look at different positions), and the heads are joined again and
    mixed: output = concat(head_1, ..., head_H) Wo^T, shape (..., T, d_model).
    weights has shape (..., n_heads, T, T). ``mask`` as in scaled_dot_product_attention.
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim < 2:
        raise ValueError(f"X must have shape (..., T, d_model), got shape {X.shape}")
    d_model = X.shape[-1]
    n_heads = check_positive_int(n_heads, "n_heads")
    if d_model % n_heads:
        raise ValueError(f"d_model = {d_model} is not divisible by n_heads = {n_heads}")
    for name, W in (("Wq", Wq), ("Wk", Wk), ("Wv", Wv), ("Wo", Wo)):
        if np.shape(W) != (d_model, d_model):
            raise ValueError(f"{name} must have shape ({d_model}, {d_model}), "
                             f"got {np.shape(W)}")
    d_head = d_model // n_heads

    def split(W):  # (..., T, d_model) -> (..., n_heads, T, d_head)
        return np.swapaxes((X @ W.T).reshape(X.shape[:-1] + (n_heads, d_head)), -2, -3)

    heads, weights = scaled_dot_product_attention(split(Wq), split(Wk), split(Wv), mask=mask)
    joined = np.swapaxes(heads, -2, -3).reshape(X.shape)
    return joined @ Wo.T, weights


class ScaledDotProductAttention:
    """softmax(Q K^T / √d) V with a backward pass (slide 43); no parameters of its own.

    forward(Q, K, V, mask=None) returns the output and keeps the weights A in ``self.weights``
    (masked entries have A = 0, so they get no gradient either).
    backward(dout) returns (dQ, dK, dV), with dS the gradient of the scores:
        dV = A^T dout,  dA = dout V^T,
        dS = A ⊙ (dA - Σ_k dA ⊙ A)        (softmax backward, row by row),
        dQ = dS K / √d,  dK = dS^T Q / √d.
    """

    params = MappingProxyType({})
    grads = MappingProxyType({})
    weights = None  # the attention weights A, kept by forward

    def forward(self, Q, K, V, mask=None):
        out, self.weights = scaled_dot_product_attention(Q, K, V, mask=mask)
        self.Q, self.K, self.V = Q, K, V
        return out

    def backward(self, dout):
        require_forward(self, self.weights)
        A, Q, K, V = self.weights, self.Q, self.K, self.V
        expected = A.shape[:-1] + (V.shape[-1],)
        if dout.shape != expected:
            raise ValueError(f"attention backward expects dout of shape {expected}, "
                             f"got {dout.shape}")
        scale = 1.0 / np.sqrt(Q.shape[-1])
        dV = np.swapaxes(A, -1, -2) @ dout
        dA = dout @ np.swapaxes(V, -1, -2)
        dS = A * (dA - np.sum(dA * A, axis=-1, keepdims=True))
        dQ = dS @ K * scale
        dK = np.swapaxes(dS, -1, -2) @ Q * scale
        return dQ, dK, dV

    def __repr__(self):
        return "ScaledDotProductAttention()"


__all__ = ["scaled_dot_product_attention", "ScaledDotProductAttention", "causal_mask",
           "positional_encoding", "multi_head_attention"]
