"""dlcore: the small NumPy deep-learning library of the course 1から作る Deep Learning.

Modules (each one idea, readable in one sitting):
    functions     activations, their derivatives, losses (slides 5, 16, 28, 34-36)
    layers        forward/backward layers: Linear, activations, Dropout, BatchNorm, Residual
    network       Sequential and build_mlp (slides 7-13)
    initializers  He, Xavier, normal(std) (slides 34-35)
    optimizers    SGD, Momentum, AdaGrad, RMSProp, Adam (slides 18, 29-33)
    training      the mini-batch training loop and History (slides 29, 38-39)
    gradcheck     central-difference gradients (slide 19)
    datasets      gates, XOR, moons/circles/spirals, slide 37's cubic, digits, MNIST reader
    perceptron    the perceptron learning rule (slides 4-6)
    augment       shifted, rotated and noisy images (slide 40)
    conv          Conv2D, MaxPool2D, Flatten via im2col (slide 42)
    rnn           a tanh RNN with backpropagation through time (slide 43)
    attention     scaled dot-product attention (slide 43)
    plotting      Japanese-labelled figures
    sklearn_api   DLClassifier for scikit-learn's cross-validation tools (slide 38)
    torch_bridge  copying a network to PyTorch and back (slide 44; needs torch)
    backprop_demo the computational-graph picture and the cost of numerical gradients (slides 22-27)
    exercises     checking the notebooks' exercise answers
    checks        input validation with clear error messages
    widgets       pure compute functions + thin ipywidgets views, one module per notebook
"""

from .network import Sequential, build_mlp
from .optimizers import SGD, AdaGrad, Adam, Momentum, RMSProp
from .training import History, TrainingDiverged, train

__all__ = [
    "Sequential", "build_mlp", "SGD", "Momentum", "AdaGrad", "RMSProp", "Adam",
    "History", "TrainingDiverged", "train",
]
__version__ = "0.1.0"
