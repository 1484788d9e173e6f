"""The one query: parsed from links (hostile ones included), written back, applied to frames."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from components.filters import contains_text, filter_shared, names_any_country, overlaps_years
from components.labels import LABELS
from components.query import (
    CHOICE_PARAMS,
    MAX_NOTICES,
    MAX_TEXT,
    Query,
    default_query,
    parse_link,
    parse_query,
    query_options,
    to_params,
)
from components.schema import tables
from components.text import WORD_JOINER, as_text

NAMES = {"ARM": "Armenia", "AZE": "Azerbaijan", "KAZ": "Kazakhstan", "RUS": "Russia"}
OPTIONS = query_options(NAMES)
LAST = 2025


def parse(params: dict) -> tuple[Query, list[str]]:
    as_lists = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    return parse_query(as_lists, OPTIONS, LAST, ("mode",))


@pytest.mark.parametrize(
    ("params", "expected", "notices"),
    [
        ({}, Query(1992, LAST), 0),
        ({"years": ["2001", "2010"]}, Query(2001, 2010), 0),
        ({"years": ["2010", "2001"]}, Query(2001, 2010), 0),
        ({"years": ["2001"]}, Query(1992, LAST), 1),
        ({"years": ["1800", "2001"]}, Query(1992, LAST), 1),
        ({"years": ["20O1", "2002"]}, Query(1992, LAST), 1),
        ({"from": "2001", "to": "2010"}, Query(2001, 2010), 0),
        ({"from": "2001"}, Query(2001, LAST), 0),
        ({"from": "2015", "to": "2001"}, Query(1992, LAST), 1),
        ({"from": ["2001", "2002"]}, Query(1992, LAST), 1),
        ({"from": "٢٠٠١"}, Query(1992, LAST), 1),
        ({"country": ["ARM", "Azerbaijan"]}, Query(1992, LAST, ("ARM", "AZE")), 0),
        ({"country": ["arm", "RUSSIA", "XXX"]}, Query(1992, LAST, ("ARM", "RUS")), 1),
        (
            {"kind": ["border_clash", "Exercise"]},
            Query(1992, LAST, kinds=("border_clash", "exercise")),
            0,
        ),
        ({"type": "Clash or crisis"}, Query(1992, LAST, categories=("clash",)), 0),
        (
            {"asked": ["CSTO", "Russia (bilaterally)"]},
            Query(1992, LAST, request_to=("CSTO", "RUS")),
            0,
        ),
        ({"q": "  osh  "}, Query(1992, LAST, text="osh"), 0),
        ({"q": ["a", "b"]}, Query(1992, LAST, text="b"), 1),
        ({"q": "x" * 500}, Query(1992, LAST, text="x" * MAX_TEXT), 1),
        ({"colour": "red"}, Query(1992, LAST), 1),
        ({"mode": "On a date", "embed": "true"}, Query(1992, LAST), 0),
    ],
)
def test_parse_query(params: dict, expected: Query, notices: int) -> None:
    query, messages = parse(params)
    assert query == expected
    assert len(messages) == notices, messages


def test_notice_names_the_parameter_as_plain_text_and_is_escaped_when_shown() -> None:
    _, messages = parse({"[x](http://evil)": "1"})
    assert messages == ["Ignored unknown parameter '[x](http://evil)'."]
    assert as_text(messages[0]) == (
        "Ignored unknown parameter &#39;&#91;x&#93;&#40;"
        f"http{WORD_JOINER}&#58;&#47;&#47;evil&#41;&#39;&#46;"
    )


def test_many_bad_parameters_give_one_short_summary() -> None:
    _, messages = parse({f"p{i}": "1" for i in range(500)})
    assert len(messages) == MAX_NOTICES + 1
    assert messages[-1] == f"… and {500 - MAX_NOTICES} more parameter problems."


@pytest.mark.parametrize(
    "query",
    [
        Query(1992, LAST),
        Query(2001, 2010, ("ARM", "RUS")),
        Query(
            2020,
            2020,
            ("KAZ",),
            ("clash",),
            ("border_clash",),
            ("yes",),
            ("refused",),
            ("CSTO", "RUS"),
            ("one_side_member",),
            "osh",
        ),
    ],
)
@pytest.mark.parametrize("words", [False, True])
def test_link_round_trip(query: Query, words: bool) -> None:
    """Written as codes (the API's form) or as words (the controls' form), a link reads back."""
    params = to_params(query, LAST, OPTIONS if words else None)
    assert parse(params) == (query, [])


def test_default_query_writes_an_empty_link() -> None:
    assert to_params(default_query(LAST), LAST) == {}


def test_every_code_of_the_schema_has_words() -> None:
    """The screen shows words, never codes: every allowed code has its own label."""
    for table in tables().values():
        for field in table.fields:
            missing = [code for code in field.allowed if code not in LABELS]
            assert not missing, f"{table.name}.{field.name}: {missing}"
    for field in CHOICE_PARAMS.values():
        if field != "countries":
            assert all(code in LABELS for code in OPTIONS[field]), field


query_values = st.lists(st.text(max_size=300), min_size=0, max_size=4)


@settings(max_examples=400)
@given(
    params=st.dictionaries(
        st.one_of(
            st.sampled_from(["years", "from", "to", "country", "kind", "q", "embed"]),
            st.text(max_size=50),
        ),
        query_values,
        max_size=8,
    )
)
def test_any_link_gives_a_valid_query(params: dict) -> None:
    query, messages = parse_query(params, OPTIONS, LAST)
    assert 1992 <= query.year_from <= query.year_to <= LAST
    assert set(query.countries) <= set(NAMES)
    assert len(query.text) <= MAX_TEXT
    assert len(messages) <= MAX_NOTICES + 1
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


def test_filter_shared(events: pd.DataFrame) -> None:
    out = filter_shared(events, Query(2020, 2022, ("ARM",)), ["countries"])
    assert out["name"].tolist() == ["Karabakh war", "Kazakhstan force"]


def test_describe_is_a_phrase() -> None:
    assert Query(2020, 2020).describe() == "2020, all countries"
    assert Query(2020, 2023, ("ARM",)).describe(NAMES) == "2020–2023, Armenia"


def test_an_open_spell_lasts_while_an_open_event_counts_in_its_start_year() -> None:
    rows = pd.DataFrame(
        {"start_date": pd.to_datetime(["1992-05-15", "2020-09-27"]), "end_date": [pd.NaT] * 2}
    )
    assert overlaps_years(rows, 2021, 2023, open_ended=True).tolist() == [True, True]
    assert overlaps_years(rows, 2021, 2023).tolist() == [False, False]
    assert overlaps_years(rows, 2020, 2020).tolist() == [False, True]


@pytest.mark.parametrize(
    ("params", "noticed"),
    [
        ({"section": ["Codebook"]}, []),
        ({"section": ["codebook"]}, []),
        ({"section": ["КОДОВАЯ КНИГА"]}, []),
        ({"section": ["<b>x</b>"]}, ["section"]),
        ({"table": ["clashes"]}, []),
        ({"table": ["clashes.csv"]}, ["table"]),
        ({"table": ["clashes", "../x"], "section": ["nope"]}, ["section", "table"]),
        ({"mode": ["On a date"]}, []),
        ({"year": ["whatever"]}, []),  # not choice-like: its control reads it
    ],
)
def test_view_values_the_pages_do_not_have_get_a_notice(
    params: dict[str, list[str]], noticed: list[str]
) -> None:
    from components.controls import VIEW_PARAMS, view_values

    _, notices = parse_link(params, {}, 2024, VIEW_PARAMS, view_values=view_values())
    assert sorted(dict(n.params)["name"] for n in notices) == noticed
    assert all(n.text().endswith("not one of the choices.") for n in notices)
