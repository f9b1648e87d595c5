"""Fixtures shared by the unit tests."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    """Close every figure a test made, so figures never pile up across tests."""
    yield
    plt.close("all")
