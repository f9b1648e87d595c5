"""The tolerance and assertion shared by the gradient-check tests."""

TOL = 1e-7  # max relative error of a correct backward pass in float64


def assert_small(errors):
    """Fail, naming every entry of ``errors`` whose relative error is above TOL."""
    bad = {k: v for k, v in errors.items() if not v <= TOL}
    assert not bad, f"relative errors above {TOL}: {bad}"
