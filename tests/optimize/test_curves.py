import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crewplan.optimize.curves import Hill, Logistic, adstock_weights, geometric_adstock


def test_weights_sum_to_one_and_decay_geometrically():
    weights = adstock_weights(0.5, 3)
    assert weights.sum() == pytest.approx(1.0)
    assert weights.tolist() == pytest.approx([8 / 15, 4 / 15, 2 / 15, 1 / 15])
    assert adstock_weights(0.0, 8).tolist() == [1.0] + [0.0] * 8


def test_constant_spend_carries_over_to_itself():
    # The steady state: after max_lag weeks a constant spend x carries over to exactly x.
    carried = geometric_adstock([1000.0] * 12, 0.7, 8)
    assert carried[8:] == pytest.approx([1000.0] * 4)
    assert carried[0] < carried[1] < 1000.0


def test_history_flows_into_the_first_weeks():
    assert geometric_adstock([0.0, 0.0], 0.5, 2, history=[7.0]).tolist() == pytest.approx(
        [7 * 2 / 7, 7 * 1 / 7]
    )
    assert geometric_adstock([0.0], 0.5, 2).tolist() == [0.0]


def test_hill_value_and_shape():
    hill = Hill(top=10.0, half_saturation=5.0, slope=1.0)
    assert hill.value([0.0, 5.0]).tolist() == [0.0, 5.0]
    assert hill.concave
    assert not Hill(10.0, 5.0, 2.5).concave
    with pytest.raises(ValueError, match="half_saturation"):
        Hill(10.0, 0.0, 1.0)


def test_logistic_is_the_documented_formula():
    curve = Logistic(top=3.0, rate=0.2)
    x = 7.0
    assert curve.value(x) == pytest.approx(3.0 * (1 - np.exp(-1.4)) / (1 + np.exp(-1.4)))


@given(
    st.floats(0.1, 1e6),
    st.floats(1.0, 1e6),
    st.floats(0.3, 3.0),
    st.floats(0.01, 20.0),
)
def test_marginal_is_the_derivative(top, half, slope, share):
    x = half * share
    step = x * 1e-6
    for curve in (Hill(top, half, slope), Logistic(top, 1.0 / half)):
        numeric = (curve.value(x + step) - curve.value(x - step)) / (2 * step)
        # abs: far out on a curve the central difference loses digits to cancellation.
        scale = top / half
        assert float(curve.marginal(x)) == pytest.approx(float(numeric), rel=1e-4, abs=1e-7 * scale)
