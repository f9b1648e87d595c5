"""A scikit-learn compatible classifier around a dlcore MLP, so that scikit-learn's
cross_val_score and GridSearchCV (slide 38: cross-validation) can train and score it."""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from .network import build_mlp
from .optimizers import make_optimizer
from .training import train


class DLClassifier(ClassifierMixin, BaseEstimator):
    """MLP classifier: input -> hidden_layer_sizes (activation) -> softmax, trained by
    mini-batch ``optimizer`` with L2 weight decay ``weight_decay`` (slide 39).

    Labels may be any values; they are mapped to 0..K-1 internally (``classes_``).
    Input is checked by scikit-learn's own validation (``validate_data``,
    ``check_classification_targets``), so bad input gets the messages every scikit-learn
    user knows, and scikit-learn's estimator checks (``check_estimator``) all pass.
    """

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", optimizer="adam",
                 lr=1e-3, weight_decay=0.0, batch_size=32, epochs=30, dropout=0.0, seed=0):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.optimizer = optimizer
        self.lr = lr
        self.weight_decay = weight_decay
        self.batch_size = batch_size
        self.epochs = epochs
        self.dropout = dropout
        self.seed = seed

    def fit(self, X, y):
        """Train a fresh network on (X, y); returns self."""
        X, y = validate_data(self, X, y, dtype=np.float64)  # also sets n_features_in_
        check_classification_targets(y)  # continuous or NaN labels are not classes
        self.classes_, y_index = np.unique(y, return_inverse=True)
        sizes = (X.shape[1], *self.hidden_layer_sizes, len(self.classes_))
        self.model_ = build_mlp(sizes, activation=self.activation, seed=self.seed,
                                dropout=self.dropout)
        opt = make_optimizer(self.optimizer, lr=self.lr, weight_decay=self.weight_decay)
        self.history_ = train(self.model_, opt, X, y_index, epochs=self.epochs,
                              batch_size=self.batch_size, seed=self.seed)
        return self

    def predict_proba(self, X):
        """Class probabilities, columns in the order of ``classes_``."""
        check_is_fitted(self, "model_")
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return self.model_.predict_proba(X)

    def predict(self, X):
        """The most probable class for each sample."""
        check_is_fitted(self, "model_")
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return self.classes_[self.model_.predict(X)]
