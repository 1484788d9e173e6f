"""The data package's tables and columns: one declaration that drives parsing, validation and docs.

Every CSV column is described once, by a `Field`. The loader turns the fields into pandera
schemas (text-level checks on the raw cells, then typed checks), and tests compare the fields with
the codebook in data/README.md, so the three cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FieldKind = Literal[
    "id",  # lowercase slug, unique in its table
    "ref",  # an id of another table
    "refs",  # `;`-separated ids of another table
    "text",
    "url",
    "date",  # YYYY-MM-DD
    "partial_date",  # YYYY, YYYY-MM or YYYY-MM-DD
    "code",  # one of `allowed`
    "iso3",  # ISO 3166-1 alpha-3
    "iso3_list",  # `;`-separated ISO 3166-1 alpha-3 codes
    "count",  # non-negative integer
    "latitude",
    "longitude",
]

PRECISIONS = ("day", "month", "year")
STATUSES = (
    "member",
    "participation_frozen",
    "participation_suspended",
    "former_member",
    "never_member",
)


@dataclass(frozen=True)
class Field:
    """One CSV column: its name, kind, whether it may be empty, and allowed codes."""

    name: str
    kind: FieldKind
    required: bool = False
    allowed: tuple[str, ...] = ()
    table: str = ""  # for ref/refs: the table whose ids it names


def _date_pair(prefix: str, required: bool) -> tuple[Field, Field]:
    return (
        Field(f"{prefix}_date", "date", required),
        Field(f"{prefix}_date_precision", "code", required, PRECISIONS),
    )


SOURCE_IDS = Field("source_ids", "refs", True, table="sources")
NOTE = Field("note", "text")

TABLES: dict[str, tuple[Field, ...]] = {
    "sources": (
        Field("source_id", "id", True),
        Field("title", "text", True),
        Field("author", "text"),
        Field("publisher", "text", True),
        Field("published_date", "partial_date"),
        Field("url", "url"),
        Field(
            "kind",
            "code",
            True,
            ("treaty", "official", "news", "analysis", "opinion", "reference", "dataset"),
        ),
        NOTE,
    ),
    "members": (
        Field("spell_id", "id", True),
        Field("country_iso3", "iso3", True),
        Field("role", "code", True, ("member", "observer")),
        *_date_pair("start", True),
        Field("start_mode", "code", True, ("signed_treaty_1992", "acceded", "rejoined")),
        *_date_pair("end", False),
        Field(
            "end_mode", "code", False, ("treaty_not_renewed", "membership_suspended", "withdrew")
        ),
        SOURCE_IDS,
        NOTE,
    ),
    "withdrawals": (
        Field("step_id", "id", True),
        Field("country_iso3", "iso3", True),
        *_date_pair("step", True),
        Field(
            "kind",
            "code",
            True,
            (
                "treaty_not_renewed",
                "notice_of_intent",
                "suspension_notice",
                "membership_suspended",
                "participation_frozen",
                "dues_stopped",
                "summit_boycott",
                "exercise_refused",
                "declaration_refused",
                "post_declined",
                "formal_withdrawal",
                "statement",
            ),
        ),
        Field(
            "status_after",
            "code",
            True,
            ("unchanged", "participation_suspended", "participation_frozen", "former_member"),
        ),
        Field("statement", "text"),
        Field("actor", "text"),
        SOURCE_IDS,
        NOTE,
    ),
    "deployments": (
        Field("deployment_id", "id", True),
        Field("name", "text", True),
        Field(
            "kind",
            "code",
            True,
            (
                "peacekeeping_operation",
                "collective_operation",
                "logistics_assistance",
                "fact_finding_mission",
                "observer_mission",
                "exercise",
                "exercise_cancelled",
            ),
        ),
        Field("operator", "code", True, ("CST", "CSTO", "CIS")),
        Field("host_iso3", "iso3", True),
        Field("contributors", "iso3_list"),
        Field("personnel_low", "count"),
        Field("personnel_high", "count"),
        Field("requested_by", "iso3"),
        Field("request_date", "date"),
        Field("decision_date", "date"),
        *_date_pair("start", True),
        *_date_pair("end", False),
        Field("place_name", "text", True),
        Field("latitude", "latitude", True),
        Field("longitude", "longitude", True),
        Field("outcome", "text"),
        SOURCE_IDS,
        NOTE,
    ),
    "contingents": (
        Field("deployment_id", "ref", True, table="deployments"),
        Field("country_iso3", "iso3", True),
        Field("personnel_low", "count"),
        Field("personnel_high", "count"),
        SOURCE_IDS,
        NOTE,
    ),
    "clashes": (
        Field("clash_id", "id", True),
        Field("name", "text", True),
        Field(
            "kind",
            "code",
            True,
            (
                "interstate_war",
                "border_clash",
                "incursion",
                "civil_war",
                "insurgency",
                "internal_unrest",
            ),
        ),
        *_date_pair("start", True),
        *_date_pair("end", False),
        Field("side_a", "iso3_list", True),
        Field("side_b", "iso3_list"),
        Field("non_state_actors", "text"),
        Field("place_name", "text", True),
        Field("latitude", "latitude", True),
        Field("longitude", "longitude", True),
        Field("fatalities_low", "count"),
        Field("fatalities_best", "count"),
        Field("fatalities_high", "count"),
        Field("displaced_low", "count"),
        Field("displaced_high", "count"),
        Field("help_requested", "code", True, ("yes", "no", "unknown")),
        Field("requested_by", "iso3"),
        Field("request_to", "text"),
        *_date_pair("request", False),
        Field(
            "response",
            "code",
            True,
            ("deployed", "mission", "consultations", "statement", "refused", "not_requested"),
        ),
        Field("response_date", "date"),
        Field("response_note", "text"),
        Field("deployment_id", "ref", table="deployments"),
        SOURCE_IDS,
        NOTE,
    ),
    "milestones": (
        Field("milestone_id", "id", True),
        *_date_pair("milestone", True),
        Field(
            "kind",
            "code",
            True,
            (
                "treaty_signed",
                "treaty_in_force",
                "treaty_renewed",
                "charter_signed",
                "charter_in_force",
                "organisation_founded",
                "agreement",
                "summit",
                "decision",
            ),
        ),
        Field("title", "text", True),
        Field("place_name", "text"),
        SOURCE_IDS,
        NOTE,
    ),
    "contested_values": (
        Field("record_table", "code", True, ("members", "withdrawals", "deployments", "clashes")),
        Field("record_id", "text", True),
        Field("field", "text", True),
        Field("value", "text", True),
        SOURCE_IDS,
        NOTE,
    ),
}


def allowed_codes(table: str, column: str) -> list[str]:
    """The codes a coded column of `table` accepts."""
    return next(list(spec.allowed) for spec in TABLES[table] if spec.name == column)


# The id column of each table that has one.
ID_COLUMNS = {
    name: next(f.name for f in fields if f.kind == "id")
    for name, fields in TABLES.items()
    if any(f.kind == "id" for f in fields)
}

# Pairs (low, high) of count columns where low must not exceed high.
RANGES = {
    "deployments": [("personnel_low", "personnel_high")],
    "contingents": [("personnel_low", "personnel_high")],
    "clashes": [
        ("fatalities_low", "fatalities_best"),
        ("fatalities_best", "fatalities_high"),
        ("fatalities_low", "fatalities_high"),
        ("displaced_low", "displaced_high"),
    ],
}
