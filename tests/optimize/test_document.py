import json
from pathlib import Path

import jsonschema
import pytest

from crewplan.optimize.curves import ChannelCurve, Hill, Logistic
from crewplan.optimize.document import Curves, DocumentError, dump, dumps, load, loads

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "curves.schema.json").read_text())


def fitted():
    return Curves(
        currency="TWD",
        fit={
            "weeks": 104,
            "r2": 0.91,
            "holdout_mape": 0.07,
            "recent_spend": {"Google Ads": [30000.0, 31000.0]},
        },
        channels=(
            ChannelCurve(
                name="Google Ads",
                response=Hill(top=90000.0, half_saturation=40000.0, slope=1.4),
                decay=0.4,
                max_lag=8,
                roi=2.1,
                roi_low=1.6,
                roi_high=2.7,
                current=30000.0,
                min=0.0,
                max=80000.0,
                observed_max=52000.0,
                observed_min=12000.0,
                roi_known=False,
                draws=(Hill(88000.0, 41000.0, 1.3), Hill(93000.0, 39000.0, 1.5)),
            ),
            ChannelCurve(
                name="LINE 廣告",
                response=Logistic(top=20000.0, rate=0.0001),
                status="not_enough_data",
                reason="spend never varied",
            ),
        ),
    )


def test_round_trip_keeps_every_field():
    assert loads(dumps(fitted())) == fitted()


def test_what_fit_writes_follows_the_published_schema():
    jsonschema.validate(dump(fitted()), SCHEMA)
    assert json.loads(dumps(fitted()))["channels"][1]["name"] == "LINE 廣告"


def test_roi_known_and_observed_min_are_additions_other_tools_may_omit():
    item = dump(fitted())["channels"][0]
    assert (item["roi_known"], item["observed_min"]) == (False, 12000.0)
    other = dump(fitted())["channels"][1]
    assert "roi_known" not in other and "observed_min" not in other
    assert load(dump(fitted())).channels[1].roi_known is None
    bad = dump(fitted())
    bad["channels"][0]["roi_known"] = "yes"
    with pytest.raises(DocumentError, match=r"channels\[0\]\.roi_known"):
        load(bad)
    bad["channels"][0]["roi_known"] = None
    bad["channels"][0]["observed_min"] = -1
    with pytest.raises(DocumentError, match=r"channels\[0\]\.observed_min: must be ≥ 0"):
        load(bad)


def test_the_observed_range_has_both_ends_in_the_document_and_the_schema():
    written = dump(fitted())["channels"][0]
    assert (written["observed_min"], written["observed_max"]) == (12000.0, 52000.0)
    properties = SCHEMA["$defs"]["channel"]["properties"]
    assert {"observed_min", "observed_max"} <= set(properties)
    written["observed_min"] = -1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"channels": [written]}, SCHEMA)
    with pytest.raises(DocumentError, match=r"channels\[0\].observed_min: must be ≥ 0"):
        load({"channels": [written]})


def test_another_tools_minimal_document_is_accepted():
    document = {
        "channels": [
            {
                "name": "Meta",
                "response": {"form": "hill", "top": 5, "half_saturation": 2, "slope": 1},
            }
        ]
    }
    jsonschema.validate(document, SCHEMA)
    curves = load(document)
    (meta,) = curves.channels
    assert meta.response == Hill(5.0, 2.0, 1.0)
    assert (meta.status, meta.decay, meta.current, meta.draws) == ("ok", 0.0, None, ())


@pytest.mark.parametrize(
    ("document", "says"),
    [
        ([], "JSON object"),
        ({"channels": []}, "channels: must be a non-empty list"),
        ({"channels": [{"name": "A"}]}, r"channels\[0\].response: missing"),
        (
            {"channels": [{"name": "A", "response": {"form": "hill", "top": 1, "slope": 1}}]},
            r"channels\[0\].response.half_saturation: missing",
        ),
        (
            {"channels": [{"name": "A", "response": {"form": "cubic"}}]},
            "must be hill or logistic",
        ),
        (
            {"channels": [{"name": "A", "response": {"form": "logistic", "top": 1, "rate": -2}}]},
            r"rate: must be a number > 0",
        ),
        (
            {
                "channels": [
                    {"name": "A", "response": {"form": "logistic", "top": 1, "rate": 1}},
                    {"name": "A", "response": {"form": "logistic", "top": 2, "rate": 1}},
                ]
            },
            "appears twice",
        ),
        (
            {
                "channels": [
                    {
                        "name": "A",
                        "response": {"form": "logistic", "top": 1, "rate": 1},
                        "adstock": {"decay": 1.2},
                    }
                ]
            },
            "decay: must be ≥ 0 and < 1",
        ),
        (
            {
                "period": "month",
                "channels": [{"name": "A", "response": {"form": "logistic", "top": 1, "rate": 1}}],
            },
            "only 'week'",
        ),
        (
            {
                "channels": [
                    {
                        "name": "A",
                        "response": {"form": "logistic", "top": 1, "rate": 1},
                        "min": 5,
                        "max": 2,
                    }
                ]
            },
            "min is above max",
        ),
        (
            {"channels": [{"name": "A", "response": {"form": "logistic", "top": True, "rate": 1}}]},
            "top: must be a number",
        ),
    ],
)
def test_a_wrong_document_is_refused_with_its_place(document, says):
    with pytest.raises(DocumentError, match=says):
        load(document)


def test_not_json_is_refused():
    with pytest.raises(DocumentError, match="not a JSON document"):
        loads("{channels: ")
    with pytest.raises(DocumentError, match="not a JSON document"):
        loads(b"\xff\xfe")


def test_nan_cannot_be_written_or_read():
    with pytest.raises(DocumentError, match="finite"):
        loads(
            '{"channels": [{"name": "A", "response": {"form": "hill", "top": NaN, '
            '"half_saturation": 1, "slope": 1}}]}'
        )


def test_the_schema_refuses_recent_spend_that_is_not_amounts():
    written = dump(fitted())
    written["fit"]["recent_spend"] = {"Google Ads": ["a lot"]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(written, SCHEMA)
