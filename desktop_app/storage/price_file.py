"""The price table shipped in ``resources/prices.json`` (easy to update without code).

Its format (base prices, an optional ``long_context`` tier) is read by ``core.cost.Price``."""

from __future__ import annotations

import json
import logging
from importlib import resources

from desktop_app.core.cost import PriceTable

log = logging.getLogger(__name__)


def load_prices() -> PriceTable:
    try:
        text = resources.files("desktop_app.resources").joinpath("prices.json").read_text("utf-8")
        return PriceTable.from_json(json.loads(text))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ModuleNotFoundError) as exc:
        log.warning("price table unreadable: %s", exc)
        return PriceTable({})
