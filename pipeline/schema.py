"""The extract columns of SPEC section 3, as data: one place the ingest reads them from."""

from dataclasses import dataclass, field
from typing import Literal

ColumnType = Literal["str", "date", "dec", "int", "yn", "code"]

YN_VALUES = {"Y": True, "YES": True, "TRUE": True, "1": True,
             "N": False, "NO": False, "FALSE": False, "0": False}


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    required: bool
    max_len: int | None = None
    codes: tuple[str, ...] = ()
    # Spellings accepted and rewritten to a listed code (S1 -> 1).
    aliases: dict[str, str] = field(default_factory=dict)
    default: str | None = None
    # Personal columns never have their values quoted in reasons or logs.
    personal: bool = False


def _s(name: str, n: int, required: bool = True, personal: bool = False) -> Column:
    return Column(name, "str", required, max_len=n, personal=personal)


def _yn(name: str, required: bool = False, default: str | None = "N") -> Column:
    return Column(name, "yn", required, default=default)


SPECIAL_POPULATIONS = (
    "disability", "econ_disadvantaged", "english_learner", "homeless",
    "foster_care", "military_parent", "single_parent", "out_of_workforce",
)

EXTRACTS: dict[str, tuple[Column, ...]] = {
    "students": (
        _s("student_id", 20), _s("district_id", 12), _s("school_id", 12),
        _s("last_name", 60, personal=True), _s("first_name", 60, personal=True),
        Column("birth_date", "date", True, personal=True),
        Column("grade_level", "int", True),
        Column("gender", "code", True, codes=("F", "M", "X")),
        Column("race_ethnicity", "code", True, codes=("HI", "AI", "AS", "BL", "PI", "WH", "MR")),
        *(_yn(flag) for flag in SPECIAL_POPULATIONS),
        _s("email", 120, required=False, personal=True),
    ),
    "roster": (
        _s("student_id", 20), _s("district_id", 12), _s("school_id", 12),
        _s("program_code", 8), _s("course_code", 8), _s("section_id", 20),
        Column("term", "code", True, codes=("0", "1", "2"),
               aliases={"S1": "1", "S2": "2", "FY": "0", "Y": "0"}),
        _s("period", 4, required=False), _s("teacher_id", 12),
        Column("credits_attempted", "dec", True), Column("credits_earned", "dec", True),
        Column("begin_date", "date", False), Column("end_date", "date", False),
    ),
    "exits": (
        _s("student_id", 20), _s("district_id", 12), _s("school_id", 12),
        Column("exit_date", "date", True),
        # Checked against the exit-code reference list by the rules (UNKNOWN_EXIT_CODE).
        Column("exit_code", "str", True, max_len=4),
    ),
    "credentials": (
        _s("student_id", 20), _s("school_id", 12), _s("program_code", 8), _s("course_code", 8),
        _s("credential_code", 12), Column("exam_date", "date", True),
        Column("result", "code", True, codes=("P", "F", "N")),
        _s("proctor_id", 12, required=False), _s("teacher_id", 12),
        Column("evidence", "code", False, codes=("score_report", "certificate_pdf", "none"),
               default="none"),
        _s("evidence_ref", 200, required=False), _s("certificate_number", 40, required=False),
    ),
    "placements": (
        _s("student_id", 20), Column("survey_date", "date", True), _yn("deceased", True, None),
        Column("education_status", "code", True, codes=(
            "NOT_ATTENDING", "SECONDARY", "TECH_CENTER_ADULT", "PRIVATE_POSTSECONDARY",
            "PUBLIC_POSTSECONDARY", "UNKNOWN")),
        Column("employment_status", "code", True, codes=(
            "FULL_TIME", "PART_TIME", "MILITARY", "UNEMPLOYED_SEEKING", "NOT_IN_LABOR_FORCE",
            "UNKNOWN")),
        Column("service_program", "code", False,
               codes=("NONE", "NATIONAL_SERVICE", "PEACE_CORPS"), default="NONE"),
        _yn("job_related", default=None), _yn("self_employed", default=None),
    ),
}

REFERENCES: dict[str, tuple[Column, ...]] = {
    "programs": (
        _s("program_code", 8), _s("program_name", 100), _s("cip_code", 7),
        Column("career_cluster", "int", True),
        Column("program_area", "code", True, codes=("A", "B", "F", "H", "M", "T")),
        Column("nontrad_gender", "code", False, codes=("F", "M")),
    ),
    "courses": (
        _s("program_code", 8), _s("course_code", 8), _s("course_title", 100),
        Column("course_type", "code", True, codes=("standard", "internship", "coop", "dce")),
        Column("credit_value", "dec", True),
    ),
    "credential_catalog": (
        _s("credential_code", 12), _s("credential_name", 120), _s("provider", 80),
        _s("program_code", 8),
    ),
}
