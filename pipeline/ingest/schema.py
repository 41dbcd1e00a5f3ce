"""The extract contract of docs/inputs.md, as data: the one place the ingest, the asset keys,
the input-file accounting and the generator read the extract kinds and their columns from."""

from dataclasses import dataclass, field
from typing import Literal

from pipeline.core.paths import seed_rows

ColumnType = Literal["str", "date", "dec", "int", "yn", "code"]

YN_VALUES = {"Y": True, "YES": True, "TRUE": True, "1": True,
             "N": False, "NO": False, "FALSE": False, "0": False}
DEC_LIMIT = 1_000_000  # docs/inputs.md: a dec is finite and at most this in absolute value


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
    # Inclusive range of a number (dec columns default to +-DEC_LIMIT).
    bounds: tuple[float, float] | None = None
    # The column's name in the file when it is not `name` (the Clearinghouse's own headers).
    header: str | None = None
    # Date forms accepted beside ISO and MM/DD/YYYY (the Clearinghouse writes YYYYMMDD).
    date_formats: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """How the file names the column: what messages call it."""
        return self.header or self.name

    @property
    def limits(self) -> tuple[float, float]:
        """The inclusive range a number must fall in: its bounds, else +-DEC_LIMIT."""
        return self.bounds or (-DEC_LIMIT, DEC_LIMIT)


@dataclass(frozen=True)
class Extract:
    """One kind of input file: its columns, whether a year may lack it, and (reference lists)
    the key that may not repeat (docs/inputs.md). The dbt sources and the extracts() macro are
    written from these declarations (pipeline/rules/sources.py)."""

    kind: str
    columns: tuple[Column, ...]
    optional: bool = False
    key: tuple[str, ...] = ()
    # Said of the kind's table in the dbt sources when more than its name is needed.
    description: str | None = None
    # Read by the dbt rules (a dbt source); the Ed-Fi descriptor map is read by the ingest alone.
    in_rules: bool = True

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _s(name: str, n: int, required: bool = True, personal: bool = False) -> Column:
    return Column(name, "str", required, max_len=n, personal=personal)


def _yn(name: str, required: bool = False, default: str | None = "N") -> Column:
    return Column(name, "yn", required, default=default)


def _nsc_date(name: str, header: str, required: bool = False) -> Column:
    return Column(name, "date", required, header=header, date_formats=("%Y%m%d",))


def _indicator_codes() -> tuple[str, ...]:
    """Indicators a performance level can be set for: seeds/indicators.csv, less the counts."""
    return tuple(row["indicator"] for row in seed_rows("indicators") if row["is_count"] != "true")


SPECIAL_POPULATIONS = (
    "disability", "econ_disadvantaged", "english_learner", "homeless",
    "foster_care", "military_parent", "single_parent", "out_of_workforce",
)
# The ctesnap columns an Ed-Fi descriptor value can be mapped to (docs/inputs.md#ed-fi-resources); `ignored` marks a
# known value that sets none of them.
EDFI_MAPPED_COLUMNS = (
    "gender", "race_ethnicity", "grade_level", *SPECIAL_POPULATIONS, "migrant", "exit_code", "term",
    "course_passed", "dual_credit", "subject", "proficient", "included_in_accountability", "ignored",
)
STUDENT_ID = _s("student_id", 32)
PROGRAM_CODE, COURSE_CODE = _s("program_code", 20), _s("course_code", 20)
DISTRICT_ID, SCHOOL_ID = _s("district_id", 12), _s("school_id", 12)

EXTRACTS: dict[str, Extract] = {e.kind: e for e in (
    Extract("students", (
        STUDENT_ID, DISTRICT_ID, SCHOOL_ID,
        _s("last_name", 60, personal=True), _s("first_name", 60, personal=True),
        Column("birth_date", "date", True, personal=True),
        Column("grade_level", "int", True),
        Column("gender", "code", True, codes=("F", "M", "X")),
        Column("race_ethnicity", "code", True, codes=("HI", "AI", "AS", "BL", "PI", "WH", "MR")),
        *(_yn(flag) for flag in SPECIAL_POPULATIONS),
        _yn("migrant"),
        _s("email", 120, required=False, personal=True),
    )),
    Extract("roster", (
        STUDENT_ID, DISTRICT_ID, SCHOOL_ID, PROGRAM_CODE, COURSE_CODE, _s("section_id", 255),
        Column("term", "code", True, codes=("0", "1", "2"),
               aliases={"S1": "1", "S2": "2", "FY": "0", "Y": "0"}),
        _s("period", 60, required=False), _s("teacher_id", 32),
        # docs/inputs.md: credits are at least 0.
        Column("credits_attempted", "dec", True, bounds=(0, DEC_LIMIT)),
        Column("credits_earned", "dec", True, bounds=(0, DEC_LIMIT)),
        Column("begin_date", "date", False), Column("end_date", "date", False),
        _yn("dual_credit"),
    )),
    Extract("exits", (
        STUDENT_ID, DISTRICT_ID, SCHOOL_ID,
        Column("exit_date", "date", True),
        # Checked against the exit-code reference list by the rules (UNKNOWN_EXIT_CODE).
        Column("exit_code", "str", True, max_len=4),
    )),
    Extract("credentials", (
        STUDENT_ID, SCHOOL_ID, PROGRAM_CODE, COURSE_CODE,
        _s("credential_code", 12), Column("exam_date", "date", True),
        Column("result", "code", True, codes=("P", "F", "N")),
        _s("proctor_id", 32, required=False), _s("teacher_id", 32),
        Column("evidence", "code", False, codes=("score_report", "certificate_pdf", "none"),
               default="none"),
        _s("evidence_ref", 200, required=False), _s("certificate_number", 40, required=False),
    ), optional=True),
    Extract("placements", (
        STUDENT_ID, Column("survey_date", "date", True), _yn("deceased", True, None),
        Column("education_status", "code", True, codes=(
            "NOT_ATTENDING", "SECONDARY", "TECH_CENTER_ADULT", "PRIVATE_POSTSECONDARY",
            "PUBLIC_POSTSECONDARY", "UNKNOWN")),
        Column("employment_status", "code", True, codes=(
            "FULL_TIME", "PART_TIME", "MILITARY", "UNEMPLOYED_SEEKING", "NOT_IN_LABOR_FORCE",
            "UNKNOWN")),
        Column("service_program", "code", False,
               codes=("NONE", "NATIONAL_SERVICE", "PEACE_CORPS"), default="NONE"),
        _yn("job_related", default=None), _yn("self_employed", default=None),
    ), optional=True),
    Extract("graduation_cohort", (
        STUDENT_ID, _yn("in_four_year_cohort", True, None), _yn("graduated_four_year", True, None),
        _yn("in_extended_cohort"), _yn("graduated_extended"),
    ), optional=True),
    Extract("assessments", (
        STUDENT_ID, Column("subject", "code", True, codes=("READING", "MATH", "SCIENCE")),
        Column("test_date", "date", True), _yn("proficient", True, None),
        _yn("included_in_accountability", default="Y"),
    ), optional=True),
    # Placement records of the Y-1 exit cohort (docs/placement-records.md). The Clearinghouse's return file comes as
    # it is sent: its own headers, YYYYMMDD dates, names and other columns beside (never read).
    Extract("nsc_detail", description="The Clearinghouse's StudentTracker detail return file "
            "(docs/placement-records.md), its columns renamed.", columns=(
        Column("student_id", "str", True, max_len=32, header="Your Unique Identifier"),
        Column("record_found", "yn", True, header="Record Found Y/N"),
        _nsc_date("search_date", "Search Date", required=True),
        # Required on a found row: a rule check (it depends on Record Found).
        Column("college_code", "str", False, max_len=20, header="College Code/Branch"),
        Column("college_years", "code", False, codes=("2", "4", "L"), header="2-year / 4-year"),
        _nsc_date("enrollment_begin", "Enrollment Begin"), _nsc_date("enrollment_end", "Enrollment End"),
        Column("enrollment_status", "code", False, codes=("F", "Q", "H", "L", "A", "W", "D"),
               header="Enrollment Status"),
        Column("enrollment_cip", "str", False, max_len=7, header="Enrollment CIP 1"),
        Column("graduated", "yn", False, header="Graduated?"),
    ), optional=True),
    Extract("wage_records", (
        STUDENT_ID, Column("year", "int", True, bounds=(2000, 2100)), Column("quarter", "int", True, bounds=(1, 4)),
        _s("employer_id", 32, required=False), _s("naics", 6, required=False),
        Column("wages", "dec", True, bounds=(0, DEC_LIMIT)),
    ), optional=True),
    Extract("military_service", (
        STUDENT_ID,
        Column("branch", "code", True, codes=("ARMY", "NAVY", "AIR_FORCE", "MARINE_CORPS", "COAST_GUARD",
                                               "SPACE_FORCE", "NATIONAL_GUARD", "RESERVE")),
        Column("entry_date", "date", True), Column("separation_date", "date", False),
    ), optional=True),
    Extract("service_programs", (
        STUDENT_ID, Column("program", "code", True, codes=("NATIONAL_SERVICE", "PEACE_CORPS")),
        Column("start_date", "date", True), Column("end_date", "date", False),
    ), optional=True),
)}

REFERENCES: dict[str, Extract] = {e.kind: e for e in (
    Extract("programs", (
        PROGRAM_CODE, _s("program_name", 100), _s("cip_code", 7),
        Column("career_cluster", "int", True, bounds=(1, 16)),
        Column("program_area", "code", True, codes=("A", "B", "F", "H", "M", "T")),
        Column("nontrad_gender", "code", False, codes=("F", "M")),
    ), key=("program_code",)),
    Extract("courses", (
        PROGRAM_CODE, COURSE_CODE, _s("course_title", 100),
        Column("course_type", "code", True, codes=("standard", "internship", "coop", "dce")),
        Column("credit_value", "dec", True),
    ), key=("program_code", "course_code")),
    Extract("credential_catalog", (
        _s("credential_code", 12), _s("credential_name", 120), _s("provider", 80), PROGRAM_CODE,
    ), key=("credential_code", "program_code")),
    Extract("recipients", (
        DISTRICT_ID, _s("recipient_id", 12), _s("recipient_name", 100),
        Column("recipient_type", "code", True, codes=("district", "consortium", "area_cte_center")),
    ), optional=True, key=("district_id",)),
    Extract("performance_levels", (
        _s("school_year", 7), Column("indicator", "code", True, codes=_indicator_codes()),
        _s("recipient_id", 12, required=False), Column("level", "dec", True, bounds=(0, 100)),
    ), optional=True, key=("school_year", "indicator", "recipient_id")),
    # docs/inputs.md#ed-fi-resources: a state's own Ed-Fi descriptor values, each overriding the shipped default row.
    Extract("edfi_descriptor_map", (
        _s("namespace", 255), _s("code_value", 255),
        Column("column", "code", True, codes=EDFI_MAPPED_COLUMNS), _s("value", 12, required=False),
    ), optional=True, key=("namespace", "code_value", "column"), in_rules=False),
)}

EXTRACT_KINDS = tuple(EXTRACTS)
REFERENCE_KINDS = tuple(REFERENCES)
