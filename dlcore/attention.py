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
    if not (Q.shape[:-2] == K.shape[:-2] == V.shape[:-2]):
        raise ValueError(
            f"Q, K and V must share their leading (batch) axes, got {Q.shape}, {K.shape}, "
            f"{V.shape}"
        )


def scaled_dot_product_attention(Q, K, V):
    """Attention(Q, K, V) = softmax(Q K^T / √d) V (slide 43). Returns (output, weights).

    S = Q K^T / √d holds the score of every query-key pair, shape (..., n_q, n_k);
    A = softmax(S) along the keys, so each row of A is ≥ 0 and sums to 1 (where to look);
    output = A V, shape (..., n_q, d_v): for each query, a weighted mean of the values.
    Dividing by √d keeps the scores of random d-dimensional vectors at variance ≈ 1, so the
    softmax does not saturate into a one-hot choice as d grows.
    """
    _check_qkv(Q, K, V)
    d = Q.shape[-1]
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d)
    weights = F.softmax(scores, axis=-1)
    return weights @ V, weights


class ScaledDotProductAttention:
    """softmax(Q K^T / √d) V with a backward pass (slide 43); no parameters of its own.

    forward(Q, K, V) returns the output and keeps the weights A in ``self.weights``.
    backward(dout) returns (dQ, dK, dV), with dS the gradient of the scores:
        dV = A^T dout,  dA = dout V^T,
        dS = A ⊙ (dA - Σ_k dA ⊙ A)        (softmax backward, row by row),
        dQ = dS K / √d,  dK = dS^T Q / √d.
    """

    params = MappingProxyType({})
    grads = MappingProxyType({})

    def forward(self, Q, K, V):
        out, self.weights = scaled_dot_product_attention(Q, K, V)
        self.Q, self.K, self.V = Q, K, V
        return out

    def backward(self, dout):
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


__all__ = ["scaled_dot_product_attention", "ScaledDotProductAttention"]
