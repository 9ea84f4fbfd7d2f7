"""The CURVES document (docs/optimize.md, docs/curves.schema.json): what `crewplan fit`
writes and `crewplan optimize` reads, also from other tools. Pure: no Django.

Reading is lenient in what it may omit (only each channel's `name` and `response` are
required) and strict in what it says: a wrong value is refused with its place in the
document (`channels[2].response.slope: must be a number > 0`), never guessed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from crewplan.optimize.curves import (
    DEFAULT_MAX_LAG,
    ChannelCurve,
    Hill,
    Logistic,
    Response,
)

PERIOD = "week"
STATUSES = ("ok", "not_enough_data")
_OPTIONAL_NUMBERS = (
    "roi",
    "roi_low",
    "roi_high",
    "current",
    "min",
    "max",
    "observed_max",
    "observed_min",
)


class DocumentError(ValueError):
    """A CURVES document that cannot be used; the message names the place."""


@dataclass(frozen=True)
class Curves:
    channels: tuple[ChannelCurve, ...]
    currency: str | None = None
    fit: Mapping[str, Any] = field(default_factory=dict)

    def channel(self, name: str) -> ChannelCurve:
        for curve in self.channels:
            if curve.name == name:
                return curve
        raise KeyError(name)


def loads(text: str | bytes) -> Curves:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise DocumentError(f"not a JSON document ({error})") from None
    return load(data)


def load(data: object) -> Curves:
    if not isinstance(data, dict):
        raise DocumentError("the document must be a JSON object with a `channels` list")
    period = data.get("period", PERIOD)
    if period != PERIOD:
        raise DocumentError(f"period: only {PERIOD!r} curves are supported (got {period!r})")
    currency = data.get("currency")
    if currency is not None and not (isinstance(currency, str) and currency.strip()):
        raise DocumentError("currency: must be a currency code such as TWD")
    channels = data.get("channels")
    if not isinstance(channels, list) or not channels:
        raise DocumentError("channels: must be a non-empty list")
    curves = tuple(_channel(item, f"channels[{index}]") for index, item in enumerate(channels))
    seen: set[str] = set()
    for index, curve in enumerate(curves):
        if curve.name in seen:
            raise DocumentError(f"channels[{index}].name: {curve.name!r} appears twice")
        seen.add(curve.name)
    fit = data.get("fit", {})
    if not isinstance(fit, dict):
        raise DocumentError("fit: must be an object")
    return Curves(channels=curves, currency=currency.strip() if currency else None, fit=fit)


def dump(curves: Curves) -> dict[str, Any]:
    document: dict[str, Any] = {"period": PERIOD}
    if curves.currency:
        document["currency"] = curves.currency
    document["channels"] = [_channel_document(curve) for curve in curves.channels]
    if curves.fit:
        document["fit"] = dict(curves.fit)
    return document


def dumps(curves: Curves) -> str:
    return json.dumps(dump(curves), ensure_ascii=False, indent=2, allow_nan=False)


def response_document(response: Response) -> dict[str, Any]:
    if isinstance(response, Hill):
        return {
            "form": "hill",
            "top": response.top,
            "half_saturation": response.half_saturation,
            "slope": response.slope,
        }
    return {"form": "logistic", "top": response.top, "rate": response.rate}


def _channel_document(curve: ChannelCurve) -> dict[str, Any]:
    item: dict[str, Any] = {"name": curve.name, "status": curve.status}
    if curve.reason:
        item["reason"] = curve.reason
    for key in ("roi", "roi_low", "roi_high"):
        item[key] = getattr(curve, key)
    if curve.roi_known is not None:
        item["roi_known"] = curve.roi_known
    item["adstock"] = {"form": "geometric", "decay": curve.decay, "max_lag": curve.max_lag}
    item["response"] = response_document(curve.response)
    for key in ("current", "min", "max", "observed_max"):
        item[key] = getattr(curve, key)
    if curve.observed_min is not None:
        item["observed_min"] = curve.observed_min
    if curve.draws:
        item["draws"] = [response_document(draw) for draw in curve.draws]
    return item


def _channel(item: object, place: str) -> ChannelCurve:
    if not isinstance(item, dict):
        raise DocumentError(f"{place}: must be an object with `name` and `response`")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise DocumentError(f"{place}.name: must be a non-empty text")
    if "response" not in item:
        raise DocumentError(f"{place}.response: missing")
    status = item.get("status", "ok")
    if status not in STATUSES:
        raise DocumentError(f"{place}.status: must be one of {', '.join(STATUSES)}")
    reason = item.get("reason") or ""
    if not isinstance(reason, str):
        raise DocumentError(f"{place}.reason: must be a text")
    decay, max_lag = _adstock(item.get("adstock"), f"{place}.adstock")
    numbers = {key: _optional_number(item.get(key), f"{place}.{key}") for key in _OPTIONAL_NUMBERS}
    for key in ("current", "min", "max", "observed_max", "observed_min"):
        value = numbers[key]
        if value is not None and value < 0:
            raise DocumentError(f"{place}.{key}: must be ≥ 0")
    if (
        numbers["min"] is not None
        and numbers["max"] is not None
        and numbers["min"] > numbers["max"]
    ):
        raise DocumentError(f"{place}: min is above max")
    roi_known = item.get("roi_known")
    if roi_known is not None and not isinstance(roi_known, bool):
        raise DocumentError(f"{place}.roi_known: must be true, false or null")
    draws = item.get("draws", [])
    if not isinstance(draws, list):
        raise DocumentError(f"{place}.draws: must be a list of responses")
    return ChannelCurve(
        name=name.strip(),
        response=_response(item["response"], f"{place}.response"),
        decay=decay,
        max_lag=max_lag,
        status=status,
        reason=reason,
        roi_known=roi_known,
        draws=tuple(_response(draw, f"{place}.draws[{index}]") for index, draw in enumerate(draws)),
        **numbers,
    )


def _adstock(value: object, place: str) -> tuple[float, int]:
    if value is None:
        return 0.0, DEFAULT_MAX_LAG
    if not isinstance(value, dict):
        raise DocumentError(f"{place}: must be an object")
    if value.get("form", "geometric") != "geometric":
        raise DocumentError(f"{place}.form: only geometric carry-over is supported")
    decay = _number(value.get("decay", 0.0), f"{place}.decay")
    if not 0 <= decay < 1:
        raise DocumentError(f"{place}.decay: must be ≥ 0 and < 1")
    max_lag = value.get("max_lag", DEFAULT_MAX_LAG)
    if isinstance(max_lag, bool) or not isinstance(max_lag, int) or not 0 <= max_lag <= 104:
        raise DocumentError(f"{place}.max_lag: must be a whole number of weeks from 0 to 104")
    return decay, max_lag


def _response(value: object, place: str) -> Response:
    if not isinstance(value, dict):
        raise DocumentError(f"{place}: must be an object with a `form`")
    form = value.get("form")
    if form == "hill":
        top = _positive(value.get("top"), f"{place}.top", allow_zero=True)
        half = _positive(value.get("half_saturation"), f"{place}.half_saturation")
        slope = _positive(value.get("slope"), f"{place}.slope")
        return Hill(top=top, half_saturation=half, slope=slope)
    if form == "logistic":
        top = _positive(value.get("top"), f"{place}.top", allow_zero=True)
        return Logistic(top=top, rate=_positive(value.get("rate"), f"{place}.rate"))
    raise DocumentError(f"{place}.form: must be hill or logistic")


def _number(value: object, place: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DocumentError(f"{place}: must be a number")
    number = float(value)
    if not math.isfinite(number):
        raise DocumentError(f"{place}: must be a finite number")
    return number


def _optional_number(value: object, place: str) -> float | None:
    return None if value is None else _number(value, place)


def _positive(value: object, place: str, *, allow_zero: bool = False) -> float:
    if value is None:
        raise DocumentError(f"{place}: missing")
    number = _number(value, place)
    if number < 0 or (number == 0 and not allow_zero):
        raise DocumentError(f"{place}: must be a number {'≥' if allow_zero else '>'} 0")
    return number
