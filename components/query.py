"""The one query: years, countries and every narrowing filter, parsed from and written to a link.

The link is a permanent contract (`?years=2020&years=2023&country=ARM&kind=border_clash&q=osh`).
Every page, download, figure and the API read a `Query`; none filters by anything else. Values
may be codes (`ARM`, `border_clash`) or the words the dashboard shows for them in any of its
languages (`Armenia`, `Армения`, `Border clash`, `Пограничный конфликт`), in any letter case, so a
link made in one language opens in the other. Links from before the year slider
(`from=2020&to=2023`) still open. Parsing never raises: what cannot be used falls back to the
default, with a plain-text notice that names the parameter (a `Notice`, shown in any language).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from components.i18n import ENGLISH, N_, Nn_, Translator, all_translators, cldr_country_names
from components.labels import label, translated_labels
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

    def describe(self, names: Mapping[str, str] | None = None, t: Translator = ENGLISH) -> str:
        """The years and countries as a phrase, for captions (plain text)."""
        if not self.countries:
            return t.gettext("%(years)s, all countries", years=self.years_text())
        shown = t.country_list(self.countries, names or {})
        return t.gettext("%(years)s, %(countries)s", years=self.years_text(), countries=shown)


def default_query(last_year: int) -> Query:
    """The whole history, every country, nothing narrowed."""
    return Query(FIRST_YEAR, last_year)


@dataclass(frozen=True)
class Notice:
    """A problem found in a link: an English message id, its placeholders, and a count if the
    message has plural forms. `text` writes it in any language."""

    message: str
    params: tuple[tuple[str, str], ...] = ()
    plural: str = ""
    count: int = 0

    def text(self, t: Translator = ENGLISH) -> str:
        params = dict(self.params)
        if self.plural:
            return t.ngettext(self.message, self.plural, self.count, **params)
        return t.gettext(self.message, **params)


def _notice(message: str, **params: object) -> Notice:
    return Notice(message, tuple((k, str(v)) for k, v in params.items()))


def _not_a_choice(name: str, value: str) -> Notice:
    return _notice(
        N_("Ignored '%(name)s' value '%(value)s': not one of the choices."),
        name=name,
        value=shown_value(value),
    )


def not_listed(name: str, value: str) -> Notice:
    """The notice for a link's `name` that names a row its table does not list."""
    return _notice(
        N_("Ignored '%(name)s' value '%(value)s': not among the rows listed."),
        name=name,
        value=shown_value(value),
    )


def _counted(singular: str, plural: str, count: int, **params: object) -> Notice:
    return Notice(singular, tuple((k, str(v)) for k, v in params.items()), plural, count)


@dataclass
class _Notices:
    """Problems found in a link, summarised so that a hostile link cannot flood the page."""

    items: list[Notice]

    def add(self, notice: Notice) -> None:
        self.items.append(notice)

    def summary(self) -> list[Notice]:
        if len(self.items) <= MAX_NOTICES:
            return self.items
        rest = len(self.items) - MAX_NOTICES
        more = _counted(
            *Nn_("… and %(n)s more parameter problem.", "… and %(n)s more parameter problems."),
            rest,
        )
        return [*self.items[:MAX_NOTICES], more]


def _year(text: str, name: str, last_year: int, notices: _Notices) -> int | None:
    value = text.strip()
    if not re.fullmatch(r"[0-9]{4}", value):
        notices.add(
            _notice(
                N_("Ignored '%(name)s': '%(value)s' is not a year."),
                name=name,
                value=shown_value(text),
            )
        )
        return None
    year = int(value)
    if not FIRST_YEAR <= year <= last_year:
        notices.add(
            _notice(
                N_("Ignored '%(name)s': %(year)s is outside %(first)s–%(last)s."),
                name=name,
                year=year,
                first=FIRST_YEAR,
                last=last_year,
            )
        )
        return None
    return year


def _years(
    params: Mapping[str, Sequence[str]], last_year: int, notices: _Notices
) -> tuple[int, int]:
    first, last = FIRST_YEAR, last_year
    if YEARS_PARAM in params:
        values = list(params[YEARS_PARAM])
        if len(values) != 2:
            notices.add(
                _counted(
                    *Nn_(
                        "Ignored '%(name)s': expected two years, got %(n)s value.",
                        "Ignored '%(name)s': expected two years, got %(n)s values.",
                    ),
                    len(values),
                    name=YEARS_PARAM,
                )
            )
            return first, last
        parsed = [_year(v, YEARS_PARAM, last_year, notices) for v in values]
        if None in parsed:
            return first, last
        low, high = sorted(y for y in parsed if y is not None)
        return low, high
    for position, name in enumerate(LEGACY_YEAR_PARAMS):
        values = list(params.get(name, []))
        if not values:
            continue
        if len(values) != 1:
            notices.add(
                _counted(
                    *Nn_(
                        "Ignored '%(name)s': given %(n)s time.",
                        "Ignored '%(name)s': given %(n)s times.",
                    ),
                    len(values),
                    name=name,
                )
            )
            continue
        year = _year(values[0], name, last_year, notices)
        if year is not None:
            first, last = (year, last) if position == 0 else (first, year)
    if first > last:
        notices.add(
            _notice(
                N_("Ignored 'from' and 'to': %(first)s is after %(last)s; showing every year."),
                first=first,
                last=last,
            )
        )
        return FIRST_YEAR, last_year
    return first, last


def _choices(
    name: str,
    values: Sequence[str],
    options: Mapping[str, str],
    words: Mapping[str, str],
    notices: _Notices,
) -> tuple[str, ...]:
    """Codes named by `values` (codes, labels or `words`, any case), in the options' order."""
    lookup = {word: code for word, code in words.items() if code in options}
    lookup.update({code.casefold(): code for code in options})
    lookup.update({label.casefold(): code for code, label in options.items()})
    chosen: set[str] = set()
    for value in values:
        code = lookup.get(value.strip().casefold())
        if code is None:
            notices.add(_not_a_choice(name, value))
        else:
            chosen.add(code)
    if len(chosen) > MAX_VALUES:
        notices.add(
            _counted(
                *Nn_(
                    "Ignored '%(name)s': more than %(n)s value.",
                    "Ignored '%(name)s': more than %(n)s values.",
                ),
                MAX_VALUES,
                name=name,
            )
        )
        return ()
    # Countries in code order (their options are sorted by name, which differs by language),
    # so that a link gives the same query in every language.
    order = sorted(options) if name == "country" else list(options)
    return tuple(code for code in order if code in chosen)


def link_words(country_names: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Choice field -> casefolded word -> code: the words of every language a link may use.

    `country_names` are the English names (the geometry file's); each language adds its own
    (CLDR's), and coded values their labels in every language.
    """
    countries: dict[str, str] = {}
    coded: dict[str, str] = {}
    for t in all_translators():
        for names in (t.countries(country_names), cldr_country_names(t.lang)):
            for code, name in names.items():
                countries.setdefault(name.casefold(), code)
        for code, word in translated_labels(t).items():
            coded.setdefault(word.casefold(), code)
    return {field: countries if field == "countries" else coded for field in CHOICE_PARAMS.values()}


def accepts(accepted: Collection[str], value: str) -> bool:
    """Whether a choice-like view parameter's `value` is one of its `accepted` values (as
    `view_values` gives them: casefolded), in any case and with spaces around it."""
    return value.strip().casefold() in accepted


def parse_link(
    params: Mapping[str, Sequence[str]],
    options: Mapping[str, Mapping[str, str]],
    last_year: int,
    other_params: Sequence[str] = (),
    words: Mapping[str, Mapping[str, str]] | None = None,
    view_values: Mapping[str, Collection[str]] | None = None,
) -> tuple[Query, list[Notice]]:
    """The query a link asks for, and notices about what it could not use.

    `params` maps each parameter to all its values; `options` maps each choice field of `Query`
    to its codes and their labels; `words` adds other words for them (default: the words of
    every language, `link_words` of the options' country names); `other_params` are the page's
    own view parameters (left to the page, which falls back to a default for a value it does
    not have): `view_values` gives the values, casefolded, that some of them accept, so that
    others get a notice too. Never raises.
    """
    if words is None:
        words = link_words(options.get("countries", {}))
    notices = _Notices([])
    known = {YEARS_PARAM, TEXT_PARAM, *LEGACY_YEAR_PARAMS, *CHOICE_PARAMS, *other_params}
    unknown = [key for key in params if key not in known and key not in RESERVED_PARAMS]
    for key in unknown:
        notices.add(_notice(N_("Ignored unknown parameter '%(name)s'."), name=shown_value(key)))

    for key, accepted in (view_values or {}).items():
        for value in params.get(key, ()):
            if not accepts(accepted, value):
                notices.add(_not_a_choice(key, value))

    year_from, year_to = _years(params, last_year, notices)
    # Keyword arguments of `replace`: only the tuple fields named in CHOICE_PARAMS, which a
    # dict built from that table cannot tell mypy (it checks them against every field).
    chosen: dict[str, Any] = {
        field: _choices(name, params[name], options.get(field, {}), words.get(field, {}), notices)
        for name, field in CHOICE_PARAMS.items()
        if name in params
    }
    text = ""
    if TEXT_PARAM in params:
        values = list(params[TEXT_PARAM])
        text = values[-1].strip() if values else ""
        if len(values) > 1:
            notices.add(
                _counted(
                    *Nn_(
                        "Used the last of %(n)s '%(name)s' value.",
                        "Used the last of %(n)s '%(name)s' values.",
                    ),
                    len(values),
                    name=TEXT_PARAM,
                )
            )
        if len(text) > MAX_TEXT:
            notices.add(
                _counted(
                    *Nn_(
                        "Cut the search text to its first %(n)s character.",
                        "Cut the search text to its first %(n)s characters.",
                    ),
                    MAX_TEXT,
                )
            )
            text = text[:MAX_TEXT]
    query = replace(Query(year_from, year_to, text=text), **chosen)
    return query, notices.summary()


def parse_query(
    params: Mapping[str, Sequence[str]],
    options: Mapping[str, Mapping[str, str]],
    last_year: int,
    other_params: Sequence[str] = (),
    t: Translator = ENGLISH,
) -> tuple[Query, list[str]]:
    """`parse_link` with its notices as plain text in `t`'s language (English by default)."""
    query, notices = parse_link(params, options, last_year, other_params)
    return query, [notice.text(t) for notice in notices]


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


def query_options(
    country_names: Mapping[str, str], t: Translator = ENGLISH
) -> dict[str, dict[str, str]]:
    """Every choice field's codes with the words shown for them in `t`'s language.

    `country_names` are the names to show (already in that language); countries are sorted by
    them.
    """
    coded = {
        "categories": ["clash", "deployment"],
        "kinds": allowed_codes("clashes", "kind") + allowed_codes("deployments", "kind"),
        "help_requested": allowed_codes("clashes", "help_requested"),
        "responses": allowed_codes("clashes", "response"),
        "request_to": allowed_codes("clashes", "request_to"),
        "alignments": list(ALIGNMENTS),
    }
    options = {field: {code: label(code, t) for code in codes} for field, codes in coded.items()}
    by_name = sorted(country_names, key=lambda code: country_names[code])
    options["countries"] = {code: country_names[code] for code in by_name}
    return options
