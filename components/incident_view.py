"""The Incidents page's tables as a reader sees them: words, names, one column each, in order.

The CSV downloads keep the codes (components.incidents); these frames are for the screen.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from components.labels import labels_of, names_of

# Screen column -> header, in the order shown.
INCIDENT_HEADERS = {
    "start_date": "Began",
    "end_date": "Ended",
    "name": "Incident",
    "category": "Type",
    "kind": "Kind",
    "countries": "States involved",
    "alignment": "Members involved",
    "help_requested": "Help requested?",
    "request_to": "Asked",
    "response": "Alliance response",
    "fatalities_low": "Deaths (low)",
    "fatalities_high": "Deaths (high)",
    "personnel_low": "Personnel (low)",
    "personnel_high": "Personnel (high)",
    "place_name": "Place",
    "source_url": "First source",
}
REQUEST_HEADERS = {
    "request_date": "Requested",
    "clash": "Clash or crisis",
    "requested_by": "Asked by",
    "request_to": "Asked",
    "response": "Alliance response",
    "response_date": "Answered",
    "days_to_response": "Days to answer",
    "response_note": "What happened",
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


def first_source_urls(source_ids: pd.Series, sources: pd.DataFrame) -> pd.Series:
    """The first cited source's URL for each row (NA when it has none), for link columns."""
    urls = sources.set_index("source_id")["url"]
    first = source_ids.astype("string").str.split(";").str[0]
    return first.map(urls).astype("string")


def incidents_for_screen(
    incidents: pd.DataFrame, names: Mapping[str, str], sources: pd.DataFrame
) -> pd.DataFrame:
    """INCIDENT_HEADERS' columns with words for codes and names for countries."""
    return pd.DataFrame(
        {
            "start_date": dates_as_known(
                incidents["start_date"], incidents["start_date_precision"]
            ),
            "end_date": dates_as_known(incidents["end_date"], incidents["end_date_precision"]),
            "name": incidents["name"],
            "category": labels_of(incidents["category"]),
            "kind": labels_of(incidents["kind"]),
            "countries": names_of(incidents["countries"], names),
            "alignment": labels_of(incidents["alignment"]),
            "help_requested": labels_of(incidents["help_requested"]),
            "request_to": names_of(incidents["request_to"], {}),
            "response": labels_of(incidents["response"]),
            "fatalities_low": incidents["fatalities_low"],
            "fatalities_high": incidents["fatalities_high"],
            "personnel_low": incidents["personnel_low"],
            "personnel_high": incidents["personnel_high"],
            "place_name": incidents["place_name"],
            "source_url": first_source_urls(incidents["source_ids"], sources),
        }
    )


def requests_for_screen(requests: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """REQUEST_HEADERS' columns with words for codes and names for countries."""
    return pd.DataFrame(
        {
            "request_date": requests["request_date"],
            "clash": requests["clash"],
            "requested_by": requests["requested_by"].map(names.get, na_action="ignore"),
            "request_to": names_of(requests["request_to"], {}),
            "response": labels_of(requests["response"]),
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
