"""The one translation layer: gettext catalogs (made with Babel) and CLDR names, dates and numbers.

One process serves every session, so nothing is installed globally: each language has one cached
`Translator`, and the page passes the active one to whatever draws text. English is the source
language (the message ids); Russian comes from `locale/ru/LC_MESSAGES/messages.mo`, compiled from
the `.po` beside it (`scripts/translations` extracts, updates and compiles them).

Messages are whole sentences with named placeholders (`%(country)s`); counts go through
`ngettext`, which picks Russian's three plural forms; `pgettext` separates one English word with
two meanings. Country names come from CLDR (Babel's locale data), dates and numbers are formatted
for the locale: «22 февраля 2024 г.», «1 234» (with a no-break space).
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
# Language code -> its own name, in the order the switch shows them.
LANGUAGES = {"en": "English", "ru": "Русский"}
# The CLDR locale that formats dates and numbers: British English writes "22 February 2024".
FORMAT_LOCALES = {"en": "en_GB", "ru": "ru"}

# ISO 3166-1 alpha-3 -> alpha-2 for every state in data/countries.geojson (CLDR keys by alpha-2).
ISO3_TO_ISO2 = {
    "AFG": "AF",
    "ARM": "AM",
    "AZE": "AZ",
    "BLR": "BY",
    "CHN": "CN",
    "CZE": "CZ",
    "DEU": "DE",
    "EST": "EE",
    "FIN": "FI",
    "GEO": "GE",
    "HUN": "HU",
    "IND": "IN",
    "IRN": "IR",
    "IRQ": "IQ",
    "JPN": "JP",
    "KAZ": "KZ",
    "KGZ": "KG",
    "KOR": "KR",
    "LTU": "LT",
    "LVA": "LV",
    "MDA": "MD",
    "MNG": "MN",
    "NOR": "NO",
    "PAK": "PK",
    "POL": "PL",
    "PRK": "KP",
    "ROU": "RO",
    "RUS": "RU",
    "SVK": "SK",
    "SWE": "SE",
    "SYR": "SY",
    "TJK": "TJ",
    "TKM": "TM",
    "TUR": "TR",
    "UKR": "UA",
    "USA": "US",
    "UZB": "UZ",
}


def N_(message: str) -> str:  # noqa: N802 (gettext's conventional name)
    """Mark a message for extraction where it is defined; it is translated where it is shown."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802
    """Mark a singular and plural pair for extraction (`-k Nn_:1,2`); `ngettext` picks the form."""
    return singular, plural


def normalise_language(value: object) -> str | None:
    """A language code from a code or a language's own name, in any letter case, else None."""
    text = str(value).strip().casefold()
    for code, name in LANGUAGES.items():
        if text in (code, name.casefold()):
            return code
    return None


def pick_language(link_values: Sequence[str], browser_locale: str | None) -> str:
    """The language a session starts in: the link's, else the browser's if Russian, else English."""
    for value in link_values:
        code = normalise_language(value)
        if code is not None:
            return code
    if browser_locale and browser_locale.replace("_", "-").casefold().split("-")[0] == "ru":
        return "ru"
    return SOURCE_LANGUAGE


@cache
def _catalog(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of `lang` (the message ids themselves for English); read once."""
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])


@cache
def cldr_country_names(lang: str) -> dict[str, str]:
    """alpha-3 -> the CLDR name in `lang`."""
    territories = Locale.parse(FORMAT_LOCALES[lang]).territories
    return {iso3: territories[iso2] for iso3, iso2 in ISO3_TO_ISO2.items() if iso2 in territories}


def _format(message: str, params: Mapping[str, object]) -> str:
    return message % params if params else message


@dataclass(frozen=True)
class Translator:
    """Messages, names, dates and numbers in one language. Cheap to pass around; pure."""

    lang: str

    @property
    def locale(self) -> str:
        return FORMAT_LOCALES[self.lang]

    # --- messages ----------------------------------------------------------------------------

    def gettext(self, message: str, /, **params: object) -> str:
        """The message in this language, with `%(name)s` placeholders filled from `params`."""
        return _format(_catalog(self.lang).gettext(message), params)

    def ngettext(self, singular: str, plural: str, n: int, /, **params: object) -> str:
        """The form for `n` (Russian: 1, 2–4, 5–20…); `%(n)s` is `n` formatted for the locale."""
        params = {"n": self.number(n), **params}
        return _format(_catalog(self.lang).ngettext(singular, plural, n), params)

    def pgettext(self, context: str, message: str, /, **params: object) -> str:
        """The message in this language, told apart from the same English words by `context`."""
        return _format(_catalog(self.lang).pgettext(context, message), params)

    def npgettext(
        self, context: str, singular: str, plural: str, n: int, /, **params: object
    ) -> str:
        params = {"n": self.number(n), **params}
        return _format(_catalog(self.lang).npgettext(context, singular, plural, n), params)

    # --- numbers and dates -------------------------------------------------------------------

    def number(self, value: object, decimals: int = 0) -> str:
        """A number for the locale: 1,234 or 1 234 (no-break space)."""
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        # Babel's hint names float, Decimal and str only; it formats ints and numpy numbers too.
        return format_decimal(value, format=pattern, locale=self.locale)  # type: ignore[arg-type]

    def number_range(self, low: object, high: object) -> str:
        """ "1,200–1,500", or one number when both bounds are the same."""
        if low == high:
            return self.number(low)
        return f"{self.number(low)}–{self.number(high)}"

    def date(self, value: object, length: str = "long") -> str:
        """A date: "22 February 2024" / «22 февраля 2024 г.» (long) or "22 Feb 2024" (medium)."""
        return format_date(pd.Timestamp(value).date(), format=length, locale=self.locale)

    def month(self, value: object) -> str:
        """A month of a year: "Feb 2024" / «февр. 2024 г.»."""
        return format_skeleton("yMMM", pd.Timestamp(value).date(), locale=self.locale)

    def dates(self, start: object, end: object, length: str = "medium") -> str:
        """A period: "2 Jan 2022 – 11 Jan 2022", "2 Jan 2022 –" while it lasts, or one day."""
        first = self.date(start, length)
        if pd.isna(end):
            return f"{first} –"
        last = self.date(end, length)
        return first if first == last else f"{first} – {last}"

    # --- names -------------------------------------------------------------------------------

    def countries(self, english: Mapping[str, str]) -> dict[str, str]:
        """Code -> name: the geometry file's English names, or CLDR's (English kept if absent)."""
        if self.lang == SOURCE_LANGUAGE:
            return dict(english)
        cldr = cldr_country_names(self.lang)
        return {code: cldr.get(code, name) for code, name in english.items()}

    def country_list(self, codes: Iterable[str], names: Mapping[str, str]) -> str:
        """Several states as one comma-separated phrase."""
        return ", ".join(names.get(code, code) for code in codes)

    def name(self, english: object, russian: object) -> str:
        """An event's or facility's name: the sourced Russian one in Russian where there is one,
        else the English one, marked as English."""
        if self.lang == "ru":
            if isinstance(russian, str) and russian.strip():
                return russian
            if isinstance(english, str) and english:
                return self.gettext("%(name)s (in English)", name=english)
        return "" if english is None or pd.isna(english) else str(english)

    def names(self, english: pd.Series, russian: pd.Series | None) -> pd.Series:
        """`name` for every row of a column (missing stays missing)."""
        if self.lang == SOURCE_LANGUAGE or russian is None:
            return english.astype("string")
        values = [self.name(e, r) for e, r in zip(english.astype(object), russian, strict=True)]
        return pd.Series(values, index=english.index, dtype="string").replace("", pd.NA)

    def in_english(self, title: str) -> str:
        """A column or field title for text kept in English, marked so in other languages."""
        if self.lang == SOURCE_LANGUAGE:
            return title
        return self.gettext("%(title)s (in English)", title=title)


@cache
def translator(lang: str) -> Translator:
    """The translator of `lang` (English for an unknown code)."""
    return Translator(lang if lang in LANGUAGES else SOURCE_LANGUAGE)


ENGLISH = translator(SOURCE_LANGUAGE)


def all_translators() -> list[Translator]:
    return [translator(lang) for lang in LANGUAGES]
