"""The translation layer: complete catalogs, plural forms, CLDR names, locale formats, and links
that open in either language."""

from __future__ import annotations

import html
import io
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from components.data import DataPackage
from components.export import with_clash_names_ru, with_russian_columns
from components.i18n import (
    ISO3_TO_ISO2,
    LANGUAGES,
    LOCALE_DIR,
    Translator,
    normalise_language,
    pick_language,
    translator,
)
from components.incidents import make_requests
from components.labels import LABELS, translated_labels
from components.query import (
    CHOICE_PARAMS,
    Query,
    link_words,
    parse_link,
    parse_query,
    query_options,
    to_params,
)
from components.schema import tables
from tests.conftest import loaded_of
from tests.test_figures import timeline

ROOT = Path(__file__).resolve().parent.parent
PO_FILE = LOCALE_DIR / "ru" / "LC_MESSAGES" / "messages.po"
MO_FILE = PO_FILE.with_suffix(".mo")
# The marker for plural pairs defined away from their ngettext call (scripts/translations: -k).
KEYWORDS = {**DEFAULT_KEYWORDS, "Nn_": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
RU = translator("ru")
EN = translator("en")
NAMES = {
    "ARM": "Armenia",
    "AZE": "Azerbaijan",
    "KAZ": "Kazakhstan",
    "USA": "United States of America",
}
LAST = 2025


def catalog():
    with PO_FILE.open("rb") as file:
        return read_po(file)


def messages():
    return [m for m in catalog() if m.id]


def forms(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def ids(message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple) else [message.id]


@pytest.mark.parametrize("message", messages(), ids=lambda m: str(ids(m)[0])[:60])
def test_every_message_has_a_russian_translation_with_the_same_placeholders(message) -> None:
    assert "fuzzy" not in message.flags, "a changed message needs its translation checked"
    translations = forms(message)
    assert all(t.strip() for t in translations), "no empty msgstr: English would leak through"
    if isinstance(message.id, tuple):
        assert len(translations) == 3, "Russian has three plural forms"
    expected = set(PLACEHOLDER.findall(ids(message)[-1]))
    for text in translations:
        assert set(PLACEHOLDER.findall(text)) == expected, text
        assert text.count("**") % 2 == 0 and text.count("`") % 2 == 0, "Markdown pairs stay paired"


def test_catalog_holds_exactly_the_strings_of_the_code() -> None:
    """Run scripts/translations after changing an interface string: this fails until then."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    extracted = {
        (context, message if isinstance(message, str) else message[0])
        for _, _, message, _, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS
        )
    }
    in_catalog = {(m.context, ids(m)[0]) for m in messages()}
    assert extracted - in_catalog == set(), "new strings missing from the catalog"
    assert in_catalog - extracted == set(), "strings no longer used are still in the catalog"


def test_compiled_catalog_is_current() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, catalog())
    assert MO_FILE.read_bytes() == compiled.getvalue(), "run scripts/translations to compile"


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "<b>1 событие</b> в 2022 г."),
        (2, "<b>2 события</b> в 2022 г."),
        (5, "<b>5 событий</b> в 2022 г."),
        (11, "<b>11 событий</b> в 2022 г."),
        (21, "<b>21 событие</b> в 2022 г."),
        (1234, "<b>1\xa0234 события</b> в 2022 г."),
    ],
)
def test_russian_plural_forms(n: int, expected: str) -> None:
    text = RU.ngettext(
        "<b>%(n)s event</b> in %(year)s", "<b>%(n)s events</b> in %(year)s", n, year=2022
    )
    assert text == expected


@pytest.mark.parametrize(
    ("n", "word"), [(1, "строку"), (2, "строки"), (5, "строк"), (11, "строк"), (21, "строку")]
)
def test_download_button_counts_rows_in_russian(n: int, word: str) -> None:
    label = RU.ngettext("Download %(n)s row as CSV", "Download %(n)s rows as CSV", n)
    assert label == f"Скачать {n} {word} в CSV"


def test_english_keeps_its_own_plurals() -> None:
    assert (
        EN.ngettext("Download %(n)s row as CSV", "Download %(n)s rows as CSV", 1)
        == "Download 1 row as CSV"
    )
    assert EN.ngettext("Download %(n)s row as CSV", "Download %(n)s rows as CSV", 1234) == (
        "Download 1,234 rows as CSV"
    )


def test_pgettext_tells_one_english_word_apart() -> None:
    assert RU.pgettext("codebook", "kind") != RU.pgettext("incident", "Kind")
    assert EN.pgettext("codebook", "kind") == "kind"


def test_dates_and_numbers_for_the_locale() -> None:
    assert RU.date(date(2024, 2, 22)) == "22 февраля 2024\u202fг."
    assert EN.date(date(2024, 2, 22)) == "22 February 2024"
    assert RU.number(1234) == "1\xa0234"
    assert EN.number(1234) == "1,234"
    assert RU.number(47.25, 1) == "47,2"


def test_country_names_come_from_cldr(real_package: DataPackage) -> None:
    codes = set(real_package.country_names)
    assert codes <= set(ISO3_TO_ISO2), "every state of the geometry has an alpha-2 code"
    russian = RU.countries(real_package.country_names)
    assert russian["ARM"] == "Армения" and russian["KGZ"] == "Киргизия"
    assert all(re.fullmatch(r"[А-ЯЁа-яё .-]+", name) for name in russian.values()), russian
    assert EN.countries(real_package.country_names) == real_package.country_names


@pytest.mark.parametrize(
    ("values", "locale", "expected"),
    [
        (["ru"], None, "ru"),
        (["RU"], "en-US", "ru"),
        (["Русский"], None, "ru"),
        (["en"], "ru-RU", "en"),
        (["xx"], "ru-RU", "ru"),
        ([], "ru", "ru"),
        ([], "en-GB", "en"),
        ([], None, "en"),
    ],
)
def test_language_from_the_link_then_the_browser(values, locale, expected) -> None:
    assert pick_language(values, locale) == expected


def test_language_names() -> None:
    assert {normalise_language(name) for name in LANGUAGES.values()} == set(LANGUAGES)


@pytest.mark.parametrize("t", [EN, RU], ids=["en", "ru"])
def test_every_choice_has_its_own_words_in_each_language(t: Translator) -> None:
    """Bound controls write their words into the address: two choices may not share them."""
    options = query_options(t.countries(NAMES), t)
    for field, words in options.items():
        assert len(set(words.values())) == len(words), field


def test_every_label_is_translated() -> None:
    russian = translated_labels(RU)
    untranslated = [code for code, english in LABELS.items() if russian[code] == english]
    assert not untranslated


# --- the link contract ---------------------------------------------------------------------


def parse(params: dict, t: Translator) -> tuple[Query, list]:
    options = query_options(t.countries(NAMES), t)
    as_lists = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    return parse_link(as_lists, options, LAST, ("lang",), link_words(NAMES))


@pytest.mark.parametrize("shown", [EN, RU], ids=["shown-en", "shown-ru"])
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": ["Армения", "Armenia", "ARM"]}, Query(1992, LAST, ("ARM",))),
        ({"country": ["армения", "AZERBAIJAN"]}, Query(1992, LAST, ("ARM", "AZE"))),
        ({"country": "Соединенные Штаты"}, Query(1992, LAST, ("USA",))),
        ({"country": "United States of America"}, Query(1992, LAST, ("USA",))),
        (
            {"kind": ["Пограничное столкновение", "Exercise"]},
            Query(1992, LAST, kinds=("border_clash", "exercise")),
        ),
        ({"type": "Столкновение или кризис"}, Query(1992, LAST, categories=("clash",))),
        (
            {"response": ["Направлена миссия", "refused"]},
            Query(1992, LAST, responses=("mission", "refused")),
        ),
        (
            {"asked": ["ОДКБ", "Russia (bilaterally)"]},
            Query(1992, LAST, request_to=("CSTO", "RUS")),
        ),
        ({"members": "Одна сторона — член"}, Query(1992, LAST, alignments=("one_side_member",))),
        ({"requested": "Да", "lang": "en"}, Query(1992, LAST, help_requested=("yes",))),
    ],
)
def test_links_in_either_language_open_in_either_language(
    shown: Translator, params: dict, expected: Query
) -> None:
    assert parse(params, shown) == (expected, [])


@pytest.mark.parametrize("t", [EN, RU], ids=["en", "ru"])
def test_controls_write_the_words_of_their_language_and_read_them_back(t: Translator) -> None:
    query = Query(2020, 2022, ("ARM", "KAZ"), ("clash",), ("border_clash",), ("yes",), ("refused",))
    options = query_options(t.countries(NAMES), t)
    params = to_params(query, LAST, options)
    assert params["country"] == [options["countries"]["ARM"], options["countries"]["KAZ"]]
    assert params["country"][0] == ("Armenia" if t is EN else "Армения")
    for other in (EN, RU):
        assert parse(params, other) == (query, [])


def test_parse_query_keeps_its_plain_english_notices_and_speaks_russian_when_asked() -> None:
    options = query_options(NAMES)
    _, english = parse_query({"colour": ["red"]}, options, LAST)
    assert english == ["Ignored unknown parameter 'colour'."]
    _, russian = parse_query({"colour": ["red"]}, options, LAST, (), RU)
    assert russian == ["Неизвестный параметр «colour» пропущен."]
    _, many = parse_query({f"p{i}": ["1"] for i in range(26)}, options, LAST, (), RU)
    assert many[-1] == "… и ещё 22 ошибки в параметрах."


def test_the_api_reads_russian_words_with_english_options() -> None:
    """parse_query's callers that know only the English names still read Russian links."""
    query, notices = parse_query(
        {"country": ["Армения"], "kind": ["Учения"]}, query_options(NAMES), LAST
    )
    assert (query.countries, query.kinds, notices) == (("ARM",), ("exercise",), [])


def test_describe_in_russian() -> None:
    names = RU.countries(NAMES)
    assert Query(2020, 2020).describe(names, RU) == "2020, все страны"
    assert (
        Query(2020, 2023, ("ARM", "AZE")).describe(names, RU) == "2020–2023, Армения, Азербайджан"
    )


# --- names and downloads ---------------------------------------------------------------------


def test_russian_names_fall_back_to_english_marked_so() -> None:
    english = pd.Series(["Batken events", "Border clash", None], dtype="string")
    russian = pd.Series(["Баткенские события", None, None], dtype="string")
    shown = RU.names(english, russian)
    assert shown.tolist()[:2] == ["Баткенские события", "Border clash (англ.)"]
    assert pd.isna(shown.iloc[2])
    assert EN.names(english, russian).tolist()[:2] == ["Batken events", "Border clash"]


def test_russian_downloads_add_russian_names_beside_the_codes(mini_package: DataPackage) -> None:
    names = mini_package.country_names
    loaded = loaded_of(mini_package)
    incidents = with_russian_columns(loaded.incidents, names)
    columns = list(incidents.columns)
    assert columns.index("countries_ru") == columns.index("countries") + 1
    added = {"countries_ru", "members_at_start_ru", "requested_by_ru"}
    assert [c for c in columns if c not in added] == list(loaded.incidents.columns)
    row = incidents[incidents["incident_id"] == "kaz-unrest-2022"].iloc[0]
    assert row["countries_ru"] == "Казахстан"
    members = with_russian_columns(mini_package["members"], names)
    assert "country_ru" in members and members["country_ru"].notna().all()
    requests = with_clash_names_ru(make_requests(loaded.incidents), loaded.incidents)
    assert list(requests.columns).index("clash_ru") == list(requests.columns).index("clash") + 1


def test_every_description_has_its_russian_beside_it() -> None:
    """`csto:description_ru` in datapackage.json: written where the English is, so both change
    together."""
    for table in tables().values():
        assert table.description_ru, table.name
        for field in table.fields:
            where = f"{table.name}.{field.name}"
            assert bool(field.description_ru) == bool(field.description), where
            if field.description:
                assert re.search("[а-я]", field.description_ru), where
                english_codes = set(re.findall(r"`[^`\s]+`", field.description))
                assert english_codes <= set(re.findall(r"`[^`\s]+`", field.description_ru)), where


def test_choice_fields_are_all_covered() -> None:
    assert set(query_options(NAMES)) == set(CHOICE_PARAMS.values())


def figure_texts(figure) -> list[str]:
    """Every string a reader can see in a figure: trace names, hover texts and templates,
    marker labels, axis categories and tick formats."""
    texts = []
    for trace in figure.data:
        texts.append(trace.name or "")
        for attribute in ("text", "hovertemplate", "customdata"):
            value = getattr(trace, attribute, None)
            if value is None:
                continue
            flat = value if isinstance(value, str) else [str(v) for v in value]
            texts += [flat] if isinstance(flat, str) else flat
    yaxis = figure.layout.yaxis
    texts += list(getattr(yaxis, "categoryarray", None) or [])
    return texts


def without_data(texts: list[str], package: DataPackage) -> list[str]:
    data = sorted(
        {
            str(v)
            for table, fields in ((t.name, t.fields) for t in tables().values())
            for f in fields
            if f.kind == "text"
            for v in package[table][f.name].dropna()
        },
        key=len,
        reverse=True,
    )
    left = []
    for text in texts:
        rest = html.unescape(re.sub(r"<[^>]+>|%\{[^}]+\}", " ", text))
        for value in data:
            rest = rest.replace(value, " ")
        if re.search("[A-Za-z]{2,}", rest):
            left.append(text)
    return left


def test_russian_figures_hold_no_english_but_data(mini_package: DataPackage) -> None:
    from components.figures import (
        contingent_summary,
        country_outlines,
        facility_points,
        incident_points,
        make_map_legend,
        make_status_map,
    )
    from components.membership import status_on

    loaded = loaded_of(mini_package)
    names = RU.countries(mini_package.country_names)
    sent = contingent_summary(mini_package["contingents"], names, RU)
    points = incident_points(loaded.incidents, loaded.source_titles, sent, t=RU)
    many = incident_points(loaded.incidents, loaded.source_titles, sent, threshold=0, t=RU)
    bases = facility_points(mini_package["facilities"], names, loaded.source_titles, RU)
    status = status_on(loaded.history, date(2024, 6, 30), names)
    figures = [
        make_status_map(
            country_outlines(mini_package.geometry), status, points, names, bases, t=RU
        ),
        make_status_map(country_outlines(mini_package.geometry), status, many, names, bases, t=RU),
        make_map_legend(True, RU),
        timeline(mini_package, names=names, t=RU),
    ]
    texts = [text for figure in figures for text in figure_texts(figure)]
    texts += [t for trace in figures[2].data for t in trace.text]
    # Trace names of hover-less layers (map points) are never shown.
    shown = [t for t in texts if t not in {"Deployments", "Deployment centres", "Clashes"}]
    shown = [t for t in shown if t not in {"Foreign bases", "Base centres", "Status"}]
    assert any("Источник:" in t for t in texts)
    assert without_data(shown, mini_package) == []
