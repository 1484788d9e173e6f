"""Words shown in place of codes: every coded value of the package and of the derived tables.

The CSV downloads keep the codes (documented in the codebook); the screen shows these labels. A
test checks that every code the schema allows has a label here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from components.data import split_codes

LABELS: dict[str, str] = {
    # sources.kind
    "treaty": "Treaty",
    "official": "Official record",
    "news": "News",
    "analysis": "Analysis",
    "opinion": "Opinion",
    "reference": "Reference work",
    "dataset": "Dataset",
    # members
    "member": "Member",
    "observer": "Observer",
    "signed_treaty_1992": "Signed the treaty in 1992",
    "acceded": "Acceded",
    "rejoined": "Rejoined",
    "withdrew": "Withdrew",
    # precision
    "day": "Day",
    "month": "Month",
    "year": "Year",
    # withdrawals.kind and status_after
    "treaty_not_renewed": "Did not renew the treaty",
    "notice_of_intent": "Notice of intent",
    "suspension_notice": "Suspension notice",
    "membership_suspended": "Membership suspended",
    "participation_frozen": "Participation frozen",
    "participation_suspended": "Participation suspended",
    "dues_stopped": "Stopped paying dues",
    "summit_boycott": "Stayed away from a summit",
    "exercise_refused": "Refused an exercise",
    "declaration_refused": "Refused to sign a declaration",
    "post_declined": "Declined a post",
    "formal_withdrawal": "Formal withdrawal",
    "statement": "Statement",
    "unchanged": "Unchanged",
    "former_member": "Former member",
    "never_member": "Never a member",
    # deployments.kind and operator
    "peacekeeping_operation": "Peacekeeping operation",
    "collective_operation": "Collective operation",
    "logistics_assistance": "Logistics assistance",
    "fact_finding_mission": "Fact-finding mission",
    "observer_mission": "Observer mission",
    "exercise": "Exercise",
    "exercise_cancelled": "Exercise (cancelled)",
    "exercise_moved": "Exercise (moved)",
    "special_operation": "Special operation (drugs, migration, cybercrime)",
    "CST": "CST (the treaty, before 2002)",
    "CSTO": "CSTO",
    "CIS": "CIS",
    # clashes.kind
    "interstate_war": "War between states",
    "border_clash": "Border clash",
    "incursion": "Incursion",
    "civil_war": "Civil war",
    "insurgency": "Insurgency",
    "internal_unrest": "Internal unrest",
    "coup_or_mutiny": "Coup or mutiny",
    "terrorist_attack": "Terrorist attack",
    # help and response
    "yes": "Yes",
    "no": "No",
    "unknown": "Unknown",
    "RUS": "Russia (bilaterally)",
    "UN": "United Nations",
    "OSCE": "OSCE",
    "EU": "European Union",
    "OTHER": "Others",
    "deployed": "Forces deployed",
    "mission": "Mission sent",
    "consultations": "Consultations",
    "refused": "Refused",
    "not_requested": "Not asked, nothing done",
    # milestones.kind
    "treaty_signed": "Treaty signed",
    "treaty_in_force": "Treaty in force",
    "treaty_renewed": "Treaty renewed",
    "charter_signed": "Charter signed",
    "charter_in_force": "Charter in force",
    "organisation_founded": "Organisation founded",
    "agreement": "Agreement",
    "summit": "Summit",
    "decision": "Decision",
    "council_session": "Council session",
    "council_session_extraordinary": "Extraordinary council session",
    "secretary_general_appointed": "Secretary General appointed",
    "body_founded": "Body or force founded",
    "status_granted": "Status granted",
    # facilities.kind
    "military_base": "Military base",
    "air_base": "Air base",
    "radar_station": "Radar station",
    "space_launch_site": "Space launch site",
    "test_range": "Test range",
    "naval_communication_station": "Naval communication station",
    "border_guards": "Border guards",
    "peacekeeping_contingent": "Peacekeeping contingent",
    "nuclear_weapons": "Nuclear weapons",
    "other": "Other",
    # contested_values.record_table
    "members": "Membership spells",
    "withdrawals": "Withdrawal steps",
    "deployments": "Deployments and exercises",
    "clashes": "Clashes and crises",
    "milestones": "Milestones",
    "facilities": "Foreign bases",
    # derived: incidents.category and alignment
    "clash": "Clash or crisis",
    "deployment": "Deployment or exercise",
    "both_sides_members": "Both sides members",
    "one_side_member": "One side a member",
    "no_member": "No member involved",
    "internal_member": "Internal crisis in a member",
    "internal_non_member": "Internal crisis in a non-member",
}


def label(code: object) -> str:
    """The word for a code (the code itself if it has none; empty for missing values)."""
    if code is None or (not isinstance(code, str) and pd.isna(code)):
        return ""
    return LABELS.get(str(code), str(code))


def labels_of(codes: pd.Series) -> pd.Series:
    """Labels of a coded column, as strings (missing stays missing)."""
    return codes.astype("string").map(LABELS.get, na_action="ignore").fillna(codes.astype("string"))


def names_of(
    cells: pd.Series, names: Mapping[str, str], words: Mapping[str, str] = LABELS
) -> pd.Series:
    """`;`-separated codes (countries, addressees) as a comma-separated list of names."""

    def spell(cell: object) -> object:
        items = split_codes(cell)
        return ", ".join(names.get(c, words.get(c, c)) for c in items) if items else pd.NA

    return cells.map(spell).astype("string")


def codes_by_label(codes: Iterable[str]) -> dict[str, str]:
    """Label -> code, for reading labels back from a link."""
    return {label(code): code for code in codes}
