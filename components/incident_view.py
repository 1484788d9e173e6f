"""The Incidents page's tables as a reader sees them: words, names, one column each, in order.

The CSV downloads keep the codes (components.incidents); these frames are for the screen, in
the reader's language: headers and coded values translated, country names from CLDR, event names
from the sourced `name_ru` (the English name, marked so, where there is none). Notes and places
are the sources' English, and their headers say so.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from components.i18n import ENGLISH, N_, Translator
from components.labels import labels_of, names_of, translated_labels

# Screen column -> header (English, shown translated), in the order shown.
INCIDENT_HEADERS = {
    "start_date": N_("Began"),
    "end_date": N_("Ended"),
    "name": N_("Incident"),
    "category": N_("Type"),
    "kind": N_("Kind"),
    "countries": N_("States involved"),
    "alignment": N_("Members involved"),
    "help_requested": N_("Help requested?"),
    "request_to": N_("Asked"),
    "response": N_("Alliance response"),
    "fatalities_low": N_("Deaths (low)"),
    "fatalities_high": N_("Deaths (high)"),
    "personnel_low": N_("Personnel (low)"),
    "personnel_high": N_("Personnel (high)"),
    "place_name": N_("Place"),
    "source_url": N_("First source"),
}
REQUEST_HEADERS = {
    "request_date": N_("Requested"),
    "clash": N_("Clash or crisis"),
    "requested_by": N_("Asked by"),
    "request_to": N_("Asked"),
    "response": N_("Alliance response"),
    "response_date": N_("Answered"),
    "days_to_response": N_("Days to answer"),
    "response_note": N_("What happened"),
}


def dates_as_known(dates: pd.Series, precisions: pd.Series) -> pd.Series:
    """Dates only as precise as they are known, in an order-keeping text form: 2023-02-13,
    2023-02 (month known) or 2023 (year known); empty where there is no date."""
    widths = precisions.astype("string").map({"day": 10, "month": 7, "year": 4}).fillna(10)
    text = dates.dt.strftime("%Y-%m-%d").astype("string")
    cut = [
        value[: int(width)] if isinstance(value, str) else pd.NA
        for value, width in zip(text, widths, strict=True)
    ]
    return pd.Series(cut, index=dates.index, dtype="string")


# Columns whose text is the sources' English in every language.
ENGLISH_COLUMNS = ("place_name", "response_note", "note")


def row_position(ids: pd.Series, wanted: str) -> int | None:
    """The position of the first of `ids` equal to `wanted` (None if there is none)."""
    found = np.flatnonzero(ids.astype(str).to_numpy() == wanted)
    return int(found[0]) if len(found) else None


def headers(titles: Mapping[str, str], t: Translator = ENGLISH) -> dict[str, str]:
    """Column -> header in `t`'s language; columns kept in English say so."""
    return {
        column: t.in_english(t.gettext(title)) if column in ENGLISH_COLUMNS else t.gettext(title)
        for column, title in titles.items()
    }


def first_source_urls(source_ids: pd.Series, sources: pd.DataFrame) -> pd.Series:
    """The first cited source's URL for each row (NA when it has none), for link columns."""
    urls = sources.set_index("source_id")["url"]
    first = source_ids.astype("string").str.split(";").str[0]
    return first.map(urls).astype("string")


def incidents_for_screen(
    incidents: pd.DataFrame,
    names: Mapping[str, str],
    sources: pd.DataFrame,
    t: Translator = ENGLISH,
) -> pd.DataFrame:
    """INCIDENT_HEADERS' columns with words for codes and names for countries."""
    return pd.DataFrame(
        {
            "start_date": dates_as_known(
                incidents["start_date"], incidents["start_date_precision"]
            ),
            "end_date": dates_as_known(incidents["end_date"], incidents["end_date_precision"]),
            "name": t.names(incidents["name"], incidents.get("name_ru")),
            "category": labels_of(incidents["category"], t),
            "kind": labels_of(incidents["kind"], t),
            "countries": names_of(incidents["countries"], names),
            "alignment": labels_of(incidents["alignment"], t),
            "help_requested": labels_of(incidents["help_requested"], t),
            "request_to": names_of(incidents["request_to"], {}, translated_labels(t)),
            "response": labels_of(incidents["response"], t),
            "fatalities_low": incidents["fatalities_low"],
            "fatalities_high": incidents["fatalities_high"],
            "personnel_low": incidents["personnel_low"],
            "personnel_high": incidents["personnel_high"],
            "place_name": incidents["place_name"],
            "source_url": first_source_urls(incidents["source_ids"], sources),
        }
    )


def requests_for_screen(
    requests: pd.DataFrame,
    names: Mapping[str, str],
    t: Translator = ENGLISH,
    names_ru: pd.Series | None = None,
) -> pd.DataFrame:
    """REQUEST_HEADERS' columns with words for codes and names for countries.

    `names_ru`: each clash's sourced Russian name, by clash_id (for the Russian screen).
    """
    russian = None if names_ru is None else requests["clash_id"].map(names_ru)
    return pd.DataFrame(
        {
            "request_date": requests["request_date"],
            "clash": t.names(requests["clash"], russian),
            "requested_by": requests["requested_by"].map(names.get, na_action="ignore"),
            "request_to": names_of(requests["request_to"], {}, translated_labels(t)),
            "response": labels_of(requests["response"], t),
            "response_date": requests["response_date"],
            "days_to_response": requests["days_to_response"],
            "response_note": requests["response_note"],
        }
    )


def contingents_for_screen(
    contingents: pd.DataFrame, deployment_id: str, names: Mapping[str, str]
) -> pd.DataFrame:
    """Who sent how many to one deployment: state, personnel low and high, note."""
    sent = contingents[contingents["deployment_id"] == deployment_id]
    return pd.DataFrame(
        {
            "state": sent["country_iso3"].map(names.get).astype("string"),
            "personnel_low": sent["personnel_low"],
            "personnel_high": sent["personnel_high"],
            "note": sent["note"],
        }
    )
