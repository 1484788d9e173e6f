"""The shared filters: URL parsing (hostile input included) and frame filtering."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from components.filters import (
    Filters,
    apply_filters,
    contains_text,
    names_any_country,
    overlaps_years,
    parse_query_params,
    to_query_params,
)
from components.text import WORD_JOINER, as_text

KNOWN = ["ARM", "AZE", "KAZ", "RUS"]
LAST = 2025


@pytest.mark.parametrize(
    ("params", "expected", "notices"),
    [
        ({}, Filters(1992, 2025), 0),
        ({"from": ["2020"], "to": ["2023"]}, Filters(2020, 2023), 0),
        ({"country": ["ARM", "aze"]}, Filters(1992, 2025, ("ARM", "AZE")), 0),
        ({"country": ["AZE,ARM"]}, Filters(1992, 2025, ("ARM", "AZE")), 0),
        ({"from": ["abc"]}, Filters(1992, 2025), 1),
        ({"from": ["2023"], "to": ["2020"]}, Filters(1992, 2025), 1),
        ({"from": ["1900"]}, Filters(1992, 2025), 1),
        ({"to": ["3000"]}, Filters(1992, 2025), 1),
        ({"from": ["2020", "2021"]}, Filters(1992, 2025), 1),
        ({"country": ["XYZ", "ARM"]}, Filters(1992, 2025, ("ARM",)), 1),
        ({"colour": ["red"]}, Filters(1992, 2025), 1),
        ({"embed": ["true"]}, Filters(1992, 2025), 0),
        ({"from": ["٢٠٢٠"]}, Filters(1992, 2025), 1),
        ({"from": ["<script>alert(1)</script>"]}, Filters(1992, 2025), 1),
    ],
)
def test_parse_query_params(params, expected, notices) -> None:
    filters, messages = parse_query_params(params, KNOWN, LAST)
    assert filters == expected
    assert len(messages) == notices


def test_notice_names_the_parameter_as_plain_text_and_is_escaped_when_shown() -> None:
    _, messages = parse_query_params({"[x](http://evil)": ["1"]}, KNOWN, LAST)
    assert messages == ["Ignored unknown parameter '[x](http://evil)'."]
    assert as_text(messages[0]) == (
        "Ignored unknown parameter &#39;&#91;x&#93;&#40;"
        f"http{WORD_JOINER}&#58;&#47;&#47;evil&#41;&#39;&#46;"
    )


def test_round_trip_through_the_url() -> None:
    filters = Filters(2001, 2010, ("ARM", "RUS"))
    params = {
        k: v if isinstance(v, list) else [v] for k, v in to_query_params(filters, LAST).items()
    }
    assert parse_query_params(params, KNOWN, LAST) == (filters, [])
    assert to_query_params(Filters(1992, 2025), LAST) == {}


query_values = st.lists(st.text(max_size=300), min_size=0, max_size=4)


@settings(max_examples=400, deadline=None)
@given(
    params=st.dictionaries(
        st.one_of(st.sampled_from(["from", "to", "country", "embed"]), st.text(max_size=50)),
        query_values,
        max_size=6,
    )
)
def test_any_query_string_gives_valid_filters(params) -> None:
    filters, messages = parse_query_params(params, KNOWN, LAST)
    assert 1992 <= filters.year_from <= filters.year_to <= LAST
    assert set(filters.countries) <= set(KNOWN)
    for message in messages:
        assert len(message) < 200, "a notice names the parameter and a short cut of its value"
        assert "<" not in as_text(message), "notices are escaped where they are shown"


@given(st.text())
def test_as_text_leaves_no_bare_punctuation(text: str) -> None:
    escaped = as_text(text)
    assert html.unescape(escaped).replace(WORD_JOINER, "") == text.replace(WORD_JOINER, "")
    assert not re.search(r"[!-/:-@\[-`{-~]", re.sub(r"&#[0-9]+;", "", escaped))


@pytest.fixture
def events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "start_date": pd.to_datetime(["1992-06-01", "2010-06-10", "2020-09-27", "2022-01-06"]),
            "end_date": pd.to_datetime(["1997-06-27", None, "2020-11-10", "2022-01-19"]),
            "countries": ["TJK;RUS", "KGZ", "ARM;AZE", "KAZ;RUS;ARM"],
            "name": ["Civil war", "Osh events", "Karabakh war", "Kazakhstan force"],
        }
    )


def test_overlaps_years_uses_the_whole_period(events: pd.DataFrame) -> None:
    assert overlaps_years(events, 1995, 1995).tolist() == [True, False, False, False]
    assert overlaps_years(events, 2010, 2010).tolist() == [False, True, False, False]
    assert overlaps_years(events, 2011, 2019).tolist() == [False, False, False, False]


def test_names_any_country_matches_whole_codes(events: pd.DataFrame) -> None:
    assert names_any_country(events, ["countries"], ["RUS"]).tolist() == [True, False, False, True]
    assert names_any_country(events, ["countries"], ["AR"]).tolist() == [False] * 4
    assert names_any_country(events, ["countries"], []).all()


def test_contains_text_is_literal_and_case_blind(events: pd.DataFrame) -> None:
    assert contains_text(events, ["name"], "osh").tolist() == [False, True, False, False]
    assert not contains_text(events, ["name"], ".*").any()


def test_apply_filters(events: pd.DataFrame) -> None:
    out = apply_filters(events, Filters(2020, 2022, ("ARM",)), ["countries"])
    assert out["name"].tolist() == ["Karabakh war", "Kazakhstan force"]


def test_describe() -> None:
    assert Filters(2020, 2020).describe() == "2020, all countries"
    assert Filters(2020, 2023, ("ARM",)).describe({"ARM": "Armenia"}) == "2020–2023, Armenia"
