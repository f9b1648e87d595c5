"""dlcore.attention (slide 43): scaled dot-product attention, forward and backward.

Forward against a loop over queries, backward against central differences in float64
(relative error <= 1e-7), a retrieval task whose answer is known, and clear errors.
"""

import re

import numpy as np
import pytest

from dlcore import functions as F
from dlcore.attention import ScaledDotProductAttention, scaled_dot_product_attention
from dlcore.gradcheck import numerical_gradient, relative_error

TOL = 1e-7
E = re.escape


def attention_gradient_errors(Q, K, V, seed=0):
    att = ScaledDotProductAttention()
    R = np.random.default_rng(seed + 1000).normal(size=att.forward(Q, K, V).shape)

    def f(_):
        return float(np.sum(att.forward(Q, K, V) * R))

    att.forward(Q, K, V)
    dQ, dK, dV = att.backward(R.copy())
    return {name: relative_error(g, numerical_gradient(f, a))
            for name, g, a in (("Q", dQ, Q), ("K", dK, K), ("V", dV, V))}


def test_forward_matches_a_loop_over_queries():
    rng = np.random.default_rng(0)
    Q, K, V = rng.normal(size=(3, 4)), rng.normal(size=(5, 4)), rng.normal(size=(5, 2))
    out, A = scaled_dot_product_attention(Q, K, V)
    assert out.shape == (3, 2) and A.shape == (3, 5)
    for i in range(3):
        scores = np.array([Q[i] @ K[j] for j in range(5)]) / np.sqrt(4)
        weights = np.exp(scores) / np.exp(scores).sum()
        np.testing.assert_allclose(A[i], weights, rtol=1e-13)
        np.testing.assert_allclose(out[i], weights @ V, rtol=1e-13)
    np.testing.assert_allclose(A.sum(axis=1), 1.0)
    assert np.all(A > 0)


def test_batched_equals_one_by_one():
    rng = np.random.default_rng(1)
    Q, K, V = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 6, 4)), rng.normal(size=(2, 6, 3))
    out, A = scaled_dot_product_attention(Q, K, V)
    for b in range(2):
        out_b, A_b = scaled_dot_product_attention(Q[b], K[b], V[b])
        np.testing.assert_allclose(out[b], out_b, rtol=1e-13)
        np.testing.assert_allclose(A[b], A_b, rtol=1e-13)


@pytest.mark.parametrize("shapes", [((3, 4), (5, 4), (5, 2)), ((1, 2), (1, 2), (1, 1)),
                                    ((2, 3, 4), (2, 6, 4), (2, 6, 3)),
                                    ((2, 2, 3, 2), (2, 2, 4, 2), (2, 2, 4, 5))],
                         ids=["2d", "single", "batched", "two-batch-axes"])
def test_gradients(shapes):
    rng = np.random.default_rng(2)
    Q, K, V = (rng.normal(size=s) for s in shapes)
    errors = attention_gradient_errors(Q, K, V)
    bad = {k: v for k, v in errors.items() if not v <= TOL}
    assert not bad, f"relative errors above {TOL}: {bad}"


def test_gradients_with_sharp_weights():
    # large scores: the softmax is almost one-hot, the backward pass must stay accurate
    rng = np.random.default_rng(3)
    Q, K, V = 3 * rng.normal(size=(3, 8)), 3 * rng.normal(size=(4, 8)), rng.normal(size=(4, 2))
    errors = attention_gradient_errors(Q, K, V)
    assert max(errors.values()) <= TOL


def test_retrieves_the_value_whose_key_matches_the_query():
    rng = np.random.default_rng(4)
    n, d = 6, 16
    K = rng.normal(size=(n, d))
    V = np.arange(n, dtype=float)[:, None]  # value j is the number j
    order = rng.permutation(n)
    Q = 3.0 * K[order] + 0.1 * rng.normal(size=(n, d))  # query i looks for key order[i]
    out, A = scaled_dot_product_attention(Q, K, V)
    np.testing.assert_array_equal(A.argmax(axis=1), order)
    np.testing.assert_allclose(out[:, 0], order, atol=0.05)


def test_equal_keys_give_uniform_weights():
    K = np.ones((4, 3))
    _, A = scaled_dot_product_attention(np.random.default_rng(5).normal(size=(2, 3)), K,
                                        np.eye(4))
    np.testing.assert_allclose(A, 0.25)


def test_scaling_keeps_scores_near_unit_variance():
    rng = np.random.default_rng(6)
    d = 256
    Q, K = rng.normal(size=(200, d)), rng.normal(size=(200, d))
    assert np.var(Q @ K.T) == pytest.approx(d, rel=0.1)  # unscaled: variance d
    assert np.var(Q @ K.T / np.sqrt(d)) == pytest.approx(1.0, rel=0.1)
    _, A = scaled_dot_product_attention(Q, K, K)
    assert A.max(axis=1).mean() < F.softmax(Q @ K.T, axis=1).max(axis=1).mean()


BAD = [
    ("different d for Q and K",
     lambda: scaled_dot_product_attention(np.ones((2, 3)), np.ones((4, 5)), np.ones((4, 1))),
     ValueError, E("Q has shape (2, 3), K has shape (4, 5)")),
    ("more keys than values",
     lambda: scaled_dot_product_attention(np.ones((2, 3)), np.ones((4, 3)), np.ones((3, 1))),
     ValueError, E("K has 4 keys (shape (4, 3)) but V has 3 values (shape (3, 1))")),
    ("1-D query",
     lambda: scaled_dot_product_attention(np.ones(3), np.ones((4, 3)), np.ones((4, 1))),
     ValueError, E("Q must be an array of shape (..., items, features), got shape (3,)")),
    ("list instead of array",
     lambda: scaled_dot_product_attention(np.ones((1, 3)), [[1.0, 2.0, 3.0]], np.ones((1, 1))),
     ValueError, "K must be an array of shape"),
    ("batch axes differ",
     lambda: scaled_dot_product_attention(np.ones((2, 1, 3)), np.ones((3, 4, 3)),
                                          np.ones((3, 4, 1))),
     ValueError, "must share their leading"),
]


@pytest.mark.parametrize("what, call, exc, match", BAD, ids=[c[0] for c in BAD])
def test_bad_input_raises_a_clear_error(what, call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_backward_with_wrong_dout_shape():
    att = ScaledDotProductAttention()
    att.forward(np.ones((2, 3)), np.ones((4, 3)), np.ones((4, 5)))
    with pytest.raises(ValueError, match=E("expects dout of shape (2, 5), got (2, 4)")):
        att.backward(np.ones((2, 4)))


# ---- mask, positional encoding, multi-head attention --------------------------------------

def test_mask_gives_zero_weight_and_equals_attention_over_the_allowed_keys():
    from dlcore.attention import causal_mask
    rng = np.random.default_rng(7)
    Q, K, V = rng.normal(size=(4, 3)), rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    out, A = scaled_dot_product_attention(Q, K, V, mask=causal_mask(4))
    assert np.all(A[np.triu_indices(4, 1)] == 0.0)
    for i in range(4):
        out_i, _ = scaled_dot_product_attention(Q[i:i + 1], K[:i + 1], V[:i + 1])
        np.testing.assert_allclose(out[i], out_i[0], rtol=1e-13)


def test_masked_attention_gradients():
    from dlcore.attention import causal_mask
    rng = np.random.default_rng(8)
    Q, K, V = rng.normal(size=(5, 3)), rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    att = ScaledDotProductAttention()
    R = rng.normal(size=(5, 2))
    mask = causal_mask(5)

    def f(_):
        return float(np.sum(att.forward(Q, K, V, mask=mask) * R))

    att.forward(Q, K, V, mask=mask)
    grads = att.backward(R)
    for g, a in zip(grads, (Q, K, V)):
        assert relative_error(g, numerical_gradient(f, a)) <= TOL


def test_bad_masks():
    Q = np.zeros((2, 3))
    with pytest.raises(TypeError, match="mask must be a boolean array"):
        scaled_dot_product_attention(Q, Q, Q, mask=np.ones((2, 2)))
    with pytest.raises(ValueError, match=E("mask of shape (3, 3) does not fit")):
        scaled_dot_product_attention(Q, Q, Q, mask=np.ones((3, 3), dtype=bool))
    with pytest.raises(ValueError, match="a row of the mask is all False"):
        scaled_dot_product_attention(Q, Q, Q, mask=np.array([[True, False], [False, False]]))


def test_positional_encoding_formula():
    from dlcore.attention import positional_encoding
    PE = positional_encoding(7, 6)
    assert PE.shape == (7, 6) and np.all(np.abs(PE) <= 1.0)
    for t in range(7):
        for i in range(3):
            angle = t / 10000 ** (2 * i / 6)
            assert np.isclose(PE[t, 2 * i], np.sin(angle)) and np.isclose(PE[t, 2 * i + 1],
                                                                          np.cos(angle))
    assert len({tuple(row) for row in PE.round(6)}) == 7  # every position is different


def test_multi_head_equals_heads_one_by_one():
    from dlcore.attention import multi_head_attention
    rng = np.random.default_rng(9)
    X = rng.normal(size=(2, 5, 6))
    Wq, Wk, Wv, Wo = (rng.normal(size=(6, 6)) for _ in range(4))
    out, A = multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads=3)
    assert out.shape == (2, 5, 6) and A.shape == (2, 3, 5, 5)
    for b in range(2):
        heads = []
        for h in range(3):
            cut = slice(2 * h, 2 * h + 2)
            o, a = scaled_dot_product_attention(X[b] @ Wq[cut].T, X[b] @ Wk[cut].T,
                                                X[b] @ Wv[cut].T)
            np.testing.assert_allclose(A[b, h], a, rtol=1e-12)
            heads.append(o)
        np.testing.assert_allclose(out[b], np.hstack(heads) @ Wo.T, rtol=1e-12, atol=1e-13)
    one, _ = multi_head_attention(X[0], Wq, Wk, Wv, np.eye(6), n_heads=1)
    np.testing.assert_allclose(one, scaled_dot_product_attention(X[0] @ Wq.T, X[0] @ Wk.T,
                                                                 X[0] @ Wv.T)[0], rtol=1e-12)


def test_self_attention_ignores_order_without_positional_encoding():
    from dlcore.attention import multi_head_attention, positional_encoding
    rng = np.random.default_rng(10)
    X = rng.normal(size=(5, 4))
    W = [rng.normal(size=(4, 4)) for _ in range(4)]
    perm = np.array([3, 0, 4, 1, 2])
    out, _ = multi_head_attention(X, *W, n_heads=2)
    out_perm, _ = multi_head_attention(X[perm], *W, n_heads=2)
    np.testing.assert_allclose(out_perm, out[perm], rtol=1e-12)
    PE = positional_encoding(5, 4)
    with_pe, _ = multi_head_attention(X + PE, *W, n_heads=2)
    with_pe_perm, _ = multi_head_attention(X[perm] + PE, *W, n_heads=2)
    assert not np.allclose(with_pe_perm, with_pe[perm])


def test_multi_head_bad_input():
    from dlcore.attention import multi_head_attention
    X, W = np.zeros((3, 6)), np.zeros((6, 6))
    with pytest.raises(ValueError, match="not divisible by n_heads = 4"):
        multi_head_attention(X, W, W, W, W, n_heads=4)
    with pytest.raises(ValueError, match=E("Wo must have shape (6, 6)")):
        multi_head_attention(X, W, W, W, np.zeros((6, 5)), n_heads=2)
