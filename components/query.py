"""The one query: years, countries and every narrowing filter, parsed from and written to a link.

The link is a permanent contract (`?years=2020&years=2023&country=ARM&kind=border_clash&q=osh`).
Every page, download, figure and the API read a `Query`; none filters by anything else. Values
may be codes (`ARM`, `border_clash`) or the words the dashboard shows for them (`Armenia`,
`Border clash`), in any letter case. Links from before the year slider (`from=2020&to=2023`) still
open. Parsing never raises: what cannot be used falls back to the default, with a plain-text
notice that names the parameter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from components.labels import label
from components.schema import allowed_codes
from components.text import shown_value

FIRST_YEAR = 1992
MAX_TEXT = 200
MAX_VALUES = 50
MAX_NOTICES = 4

# How the states named by a clash relate to the alliance on its start date (incidents.alignment).
ALIGNMENTS = (
    "both_sides_members",
    "one_side_member",
    "no_member",
    "internal_member",
    "internal_non_member",
)
# Link parameter -> Query field, for the coded choices.
CHOICE_PARAMS = {
    "country": "countries",
    "type": "categories",
    "kind": "kinds",
    "requested": "help_requested",
    "response": "responses",
    "asked": "request_to",
    "members": "alignments",
}
YEARS_PARAM = "years"
TEXT_PARAM = "q"
LEGACY_YEAR_PARAMS = ("from", "to")
# Streamlit's own parameters, left alone.
RESERVED_PARAMS = frozenset({"embed", "embed_options"})


@dataclass(frozen=True)
class Query:
    """What to show: a year range (inclusive), countries and narrowing filters (empty = any)."""

    year_from: int
    year_to: int
    countries: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    help_requested: tuple[str, ...] = ()
    responses: tuple[str, ...] = ()
    request_to: tuple[str, ...] = ()
    alignments: tuple[str, ...] = ()
    text: str = ""

    @property
    def narrowed(self) -> bool:
        """Whether any filter beyond years and countries is set."""
        return self != self.shared()

    def shared(self) -> Query:
        """Only the years and countries (what every page applies)."""
        return Query(self.year_from, self.year_to, self.countries)

    def years_text(self) -> str:
        if self.year_from == self.year_to:
            return str(self.year_from)
        return f"{self.year_from}–{self.year_to}"

    def describe(self, names: Mapping[str, str] | None = None) -> str:
        """The years and countries as a phrase, for captions (plain text)."""
        if not self.countries:
            return f"{self.years_text()}, all countries"
        shown = [(names or {}).get(code, code) for code in self.countries]
        return f"{self.years_text()}, {', '.join(shown)}"


def default_query(last_year: int) -> Query:
    """The whole history, every country, nothing narrowed."""
    return Query(FIRST_YEAR, last_year)


@dataclass
class _Notices:
    """Problems found in a link, summarised so that a hostile link cannot flood the page."""

    items: list[str]

    def add(self, text: str) -> None:
        self.items.append(text)

    def summary(self) -> list[str]:
        if len(self.items) <= MAX_NOTICES:
            return self.items
        rest = len(self.items) - MAX_NOTICES
        return [*self.items[:MAX_NOTICES], f"… and {rest} more parameter problems."]


def _year(text: str, name: str, last_year: int, notices: _Notices) -> int | None:
    value = text.strip()
    if not re.fullmatch(r"[0-9]{4}", value):
        notices.add(f"Ignored {name}: '{shown_value(text)}' is not a year.")
        return None
    year = int(value)
    if not FIRST_YEAR <= year <= last_year:
        notices.add(f"Ignored {name}: {year} is outside {FIRST_YEAR}–{last_year}.")
        return None
    return year


def _years(
    params: Mapping[str, Sequence[str]], last_year: int, notices: _Notices
) -> tuple[int, int]:
    first, last = FIRST_YEAR, last_year
    if YEARS_PARAM in params:
        values = list(params[YEARS_PARAM])
        if len(values) != 2:
            notices.add(f"Ignored '{YEARS_PARAM}': expected two years, got {len(values)} values.")
            return first, last
        parsed = [_year(v, f"'{YEARS_PARAM}'", last_year, notices) for v in values]
        if None in parsed:
            return first, last
        low, high = sorted(y for y in parsed if y is not None)
        return low, high
    for position, name in enumerate(LEGACY_YEAR_PARAMS):
        values = list(params.get(name, []))
        if not values:
            continue
        if len(values) != 1:
            notices.add(f"Ignored '{name}': given {len(values)} times.")
            continue
        year = _year(values[0], f"'{name}'", last_year, notices)
        if year is not None:
            first, last = (year, last) if position == 0 else (first, year)
    if first > last:
        notices.add(f"Ignored 'from' and 'to': {first} is after {last}; showing every year.")
        return FIRST_YEAR, last_year
    return first, last


def _choices(
    name: str, values: Sequence[str], options: Mapping[str, str], notices: _Notices
) -> tuple[str, ...]:
    """Codes named by `values` (codes or labels, any case), in the options' order."""
    lookup = {code.casefold(): code for code in options}
    lookup.update({label.casefold(): code for code, label in options.items()})
    chosen: set[str] = set()
    for value in values:
        code = lookup.get(value.strip().casefold())
        if code is None:
            notices.add(f"Ignored '{name}' value '{shown_value(value)}': not one of the choices.")
        else:
            chosen.add(code)
    if len(chosen) > MAX_VALUES:
        notices.add(f"Ignored '{name}': more than {MAX_VALUES} values.")
        return ()
    return tuple(code for code in options if code in chosen)


def parse_query(
    params: Mapping[str, Sequence[str]],
    options: Mapping[str, Mapping[str, str]],
    last_year: int,
    other_params: Sequence[str] = (),
) -> tuple[Query, list[str]]:
    """The query a link asks for, and plain-text notices about what it could not use.

    `params` maps each parameter to all its values; `options` maps each choice field of `Query`
    to its codes and their labels; `other_params` are the page's own view parameters (left to
    the page). Never raises.
    """
    notices = _Notices([])
    known = {YEARS_PARAM, TEXT_PARAM, *LEGACY_YEAR_PARAMS, *CHOICE_PARAMS, *other_params}
    unknown = [key for key in params if key not in known and key not in RESERVED_PARAMS]
    for key in unknown:
        notices.add(f"Ignored unknown parameter '{shown_value(key)}'.")

    year_from, year_to = _years(params, last_year, notices)
    chosen = {
        field: _choices(name, params[name], options.get(field, {}), notices)
        for name, field in CHOICE_PARAMS.items()
        if name in params
    }
    text = ""
    if TEXT_PARAM in params:
        values = list(params[TEXT_PARAM])
        text = values[-1].strip() if values else ""
        if len(values) > 1:
            notices.add(f"Used the last of {len(values)} '{TEXT_PARAM}' values.")
        if len(text) > MAX_TEXT:
            notices.add(f"Cut the search text to its first {MAX_TEXT} characters.")
            text = text[:MAX_TEXT]
    query = replace(Query(year_from, year_to, text=text), **chosen)
    return query, notices.summary()


def to_params(
    query: Query, last_year: int, options: Mapping[str, Mapping[str, str]] | None = None
) -> dict[str, list[str]]:
    """The link parameters of `query`, leaving out defaults (a stable, short link).

    Choices are written as codes, or, with `options`, as the words the controls show (the form
    the dashboard's own controls keep in the address).
    """
    params: dict[str, list[str]] = {}
    if (query.year_from, query.year_to) != (FIRST_YEAR, last_year):
        params[YEARS_PARAM] = [str(query.year_from), str(query.year_to)]
    for name, field in CHOICE_PARAMS.items():
        values = getattr(query, field)
        words = (options or {}).get(field, {})
        if values:
            params[name] = [words.get(code, code) for code in values]
    if query.text.strip():
        params[TEXT_PARAM] = [query.text.strip()]
    return params


def query_options(country_names: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Every choice field's codes with the words shown for them (countries sorted by name)."""
    coded = {
        "categories": ["clash", "deployment"],
        "kinds": allowed_codes("clashes", "kind") + allowed_codes("deployments", "kind"),
        "help_requested": allowed_codes("clashes", "help_requested"),
        "responses": allowed_codes("clashes", "response"),
        "request_to": allowed_codes("clashes", "request_to"),
        "alignments": list(ALIGNMENTS),
    }
    options = {field: {code: label(code) for code in codes} for field, codes in coded.items()}
    by_name = sorted(country_names, key=lambda code: country_names[code])
    options["countries"] = {code: country_names[code] for code in by_name}
    return options
