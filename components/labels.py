"""Words shown in place of codes: every coded value of the package and of the derived tables.

The CSV downloads keep the codes (documented in the codebook); the screen shows these labels,
in English here (the message ids) and translated through the catalogs (components.i18n). A test
checks that every code the schema allows has a label here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

import pandas as pd

from components.data import split_codes
from components.i18n import ENGLISH, N_, Translator

LABELS: dict[str, str] = {
    # sources.kind
    "treaty": N_("Treaty"),
    "official": N_("Official record"),
    "news": N_("News"),
    "analysis": N_("Analysis"),
    "opinion": N_("Opinion"),
    "reference": N_("Reference work"),
    "dataset": N_("Dataset"),
    # members
    "member": N_("Member"),
    "observer": N_("Observer"),
    "signed_treaty_1992": N_("Signed the treaty in 1992"),
    "acceded": N_("Acceded"),
    "rejoined": N_("Rejoined"),
    "withdrew": N_("Withdrew"),
    # precision
    "day": N_("Day"),
    "month": N_("Month"),
    "year": N_("Year"),
    # withdrawals.kind and status_after
    "treaty_not_renewed": N_("Did not renew the treaty"),
    "notice_of_intent": N_("Notice of intent"),
    "suspension_notice": N_("Suspension notice"),
    "membership_suspended": N_("Membership suspended"),
    "participation_frozen": N_("Participation frozen"),
    "participation_suspended": N_("Participation suspended"),
    "dues_stopped": N_("Stopped paying dues"),
    "summit_boycott": N_("Stayed away from a summit"),
    "exercise_refused": N_("Refused an exercise"),
    "declaration_refused": N_("Refused to sign a declaration"),
    "post_declined": N_("Declined a post"),
    "formal_withdrawal": N_("Formal withdrawal"),
    "statement": N_("Statement"),
    "unchanged": N_("Unchanged"),
    "former_member": N_("Former member"),
    "never_member": N_("Never a member"),
    # deployments.kind and operator
    "peacekeeping_operation": N_("Peacekeeping operation"),
    "collective_operation": N_("Collective operation"),
    "logistics_assistance": N_("Logistics assistance"),
    "fact_finding_mission": N_("Fact-finding mission"),
    "observer_mission": N_("Observer mission"),
    "exercise": N_("Exercise"),
    "exercise_cancelled": N_("Exercise (cancelled)"),
    "exercise_moved": N_("Exercise (moved)"),
    "special_operation": N_("Special operation (drugs, migration, cybercrime)"),
    "CST": N_("CST (the treaty, before 2002)"),
    "CSTO": N_("CSTO"),
    "CIS": N_("CIS"),
    # clashes.kind
    "interstate_war": N_("War between states"),
    "border_clash": N_("Border clash"),
    "incursion": N_("Incursion"),
    "civil_war": N_("Civil war"),
    "insurgency": N_("Insurgency"),
    "internal_unrest": N_("Internal unrest"),
    "coup_or_mutiny": N_("Coup or mutiny"),
    "terrorist_attack": N_("Terrorist attack"),
    # help and response
    "yes": N_("Yes"),
    "no": N_("No"),
    "unknown": N_("Unknown"),
    "RUS": N_("Russia (bilaterally)"),
    "UN": N_("United Nations"),
    "OSCE": N_("OSCE"),
    "EU": N_("European Union"),
    "OTHER": N_("Others"),
    "deployed": N_("Forces deployed"),
    "mission": N_("Mission sent"),
    "consultations": N_("Consultations"),
    "refused": N_("Refused"),
    "not_requested": N_("Not asked, nothing done"),
    # milestones.kind
    "treaty_signed": N_("Treaty signed"),
    "treaty_in_force": N_("Treaty in force"),
    "treaty_renewed": N_("Treaty renewed"),
    "charter_signed": N_("Charter signed"),
    "charter_in_force": N_("Charter in force"),
    "organisation_founded": N_("Organisation founded"),
    "agreement": N_("Agreement"),
    "summit": N_("Summit"),
    "decision": N_("Decision"),
    "council_session": N_("Council session"),
    "council_session_extraordinary": N_("Extraordinary council session"),
    "secretary_general_appointed": N_("Secretary General appointed"),
    "body_founded": N_("Body or force founded"),
    "status_granted": N_("Status granted"),
    # facilities.kind
    "military_base": N_("Military base"),
    "air_base": N_("Air base"),
    "radar_station": N_("Radar station"),
    "space_launch_site": N_("Space launch site"),
    "test_range": N_("Test range"),
    "naval_communication_station": N_("Naval communication station"),
    "border_guards": N_("Border guards"),
    "peacekeeping_contingent": N_("Peacekeeping contingent"),
    "nuclear_weapons": N_("Nuclear weapons"),
    "other": N_("Other"),
    # contested_values.record_table
    "members": N_("Membership spells"),
    "withdrawals": N_("Withdrawal steps"),
    "deployments": N_("Deployments and exercises"),
    "clashes": N_("Clashes and crises"),
    "milestones": N_("Milestones"),
    "facilities": N_("Foreign bases"),
    # derived: incidents.category and alignment
    "clash": N_("Clash or crisis"),
    "deployment": N_("Deployment or exercise"),
    "both_sides_members": N_("Both sides members"),
    "one_side_member": N_("One side a member"),
    "no_member": N_("No member involved"),
    "internal_member": N_("Internal crisis in a member"),
    "internal_non_member": N_("Internal crisis in a non-member"),
}


def label(code: object, t: Translator = ENGLISH) -> str:
    """The word for a code (the code itself if it has none; empty for missing values)."""
    if code is None or (not isinstance(code, str) and pd.isna(code)):
        return ""
    text = str(code)
    return translated_labels(t).get(text, text)


def labels_of(codes: pd.Series, t: Translator = ENGLISH) -> pd.Series:
    """Labels of a coded column, as strings (missing stays missing)."""
    text = codes.astype("string")
    words = translated_labels(t)
    # Cast back: a column with no value at all maps to Arrow's null type, which holds no text.
    return text.map(lambda code: words.get(code, code), na_action="ignore").astype(text.dtype)


@cache
def translated_labels(t: Translator = ENGLISH) -> dict[str, str]:
    """Every code's label in `t`'s language (read-only: shared by every session)."""
    return {code: t.gettext(english) for code, english in LABELS.items()}


def names_of(
    cells: pd.Series, names: Mapping[str, str], words: Mapping[str, str] | None = None
) -> pd.Series:
    """`;`-separated codes (countries, addressees) as a comma-separated list of names."""
    words = LABELS if words is None else words

    def spell(cell: object) -> object:
        items = split_codes(cell)
        return ", ".join(names.get(c, words.get(c, c)) for c in items) if items else pd.NA

    return cells.map(spell).astype("string")


def codes_by_label(codes: Iterable[str], t: Translator = ENGLISH) -> dict[str, str]:
    """Label -> code, for reading labels back from a link."""
    return {label(code, t): code for code in codes}
