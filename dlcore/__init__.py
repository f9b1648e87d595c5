"""dlcore: the small NumPy deep-learning library of the course 1から作る Deep Learning.

Modules (each one idea, readable in one sitting):
    functions    activations, their derivatives, losses (slides 5, 16, 28, 34-36)
    layers       forward/backward layers: Linear, activations, Dropout, BatchNorm, Residual
    network      Sequential and build_mlp (slides 7-13)
    initializers He, Xavier, normal(std)
    optimizers   SGD, Momentum, AdaGrad, RMSProp, Adam (slides 18, 29-33)
    training     the mini-batch training loop and History (slides 29, 38-39)
    gradcheck    central-difference gradients (slide 19)
    datasets     gates, XOR, moons/circles/spirals, slide 37's cubic, digits, MNIST reader
    plotting     Japanese-labelled figures
    sklearn_api  DLClassifier for scikit-learn's cross-validation tools (slide 38)
    widgets      pure compute functions + thin ipywidgets views
"""

from .network import Sequential, build_mlp
from .optimizers import SGD, AdaGrad, Adam, Momentum, RMSProp
from .training import History, TrainingDiverged, train

__all__ = [
    "Sequential", "build_mlp", "SGD", "Momentum", "AdaGrad", "RMSProp", "Adam",
    "History", "TrainingDiverged", "train",
]
__version__ = "0.1.0"
