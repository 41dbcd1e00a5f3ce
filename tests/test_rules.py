"""The Perkins V rules on the hand-built state (tests/fixtures.py), per profile.

Every expected value below was worked out by hand from the fixture; the comments say why.
"""

import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from pipeline.core.paths import DataDir
from pipeline.exports.report import ReportSource, write_report
from pipeline.exports.tables import export
from tests.conftest import THRESHOLD_ONE, ids, materialize, query
from tests.fixtures import NAMES, P1, P2, P3, P4

PROFILES = ("federal", "az", "wi")

# Loaded students in grades 9-12: S14 is in grade 8, S90 in grade 13, S91 is delivered twice,
# S92-S94 fail format checks.
ENROLLED = {f"S{n:02d}" for n in range(1, 18)} - {"S14"}

PARTICIPANTS = {
    # One course completed in the year, any program: all but S16 (failed its only course).
    "federal": ENROLLED - {"S16"},
    # 1.0 credit in one program in the year: S01, S06 earned 0.5; S16 nothing.
    "az": ENROLLED - {"S01", "S06", "S16"},
    "wi": ENROLLED - {"S16"},
}

CONCENTRATORS = {
    # student: primary program
    "federal": {
        "S01": P1, "S03": P3,  # S03: P1 1.5 credits, P3 2.0 -> most credits
        "S04": P2,  # P2 and P4 both 2.0 credits, both passed in 2024-25 -> smallest code
        "S05": P4,  # P1 and P4 both 2.0 credits; P4 passed last (2024-25), P1 in 2022-23
        "S06": P1, "S07": P3, "S08": P1,  # S08: two 0.5-credit semester courses
        "S10": P1, "S11": P4, "S12": P4, "S13": P3,
    },
    "az": {
        # 2.0 credits, internship/coop/dce left out, a roster row in the program this year.
        "S03": P3, "S04": P4,  # S04's P2 coop does not count: only P4 qualifies
        "S05": P4,  # P1 has 2.0 credits but no roster row in 2024-25
        "S07": P3, "S11": P4, "S12": P4, "S13": P3,
    },
    "wi": {
        # Career cluster, grades 11-12: S06 (grade 10) drops out, S17 joins (P1 + P3 = cluster 11).
        "S01": P1, "S03": P3, "S04": P2, "S05": P4, "S07": P3, "S08": P1, "S10": P1,
        "S11": P4, "S12": P4, "S13": P3, "S17": P3,  # S17: P1 and P3 1.0 each, P3 passed last
    },
}

GRADUATES = {  # counting exit (latest date) with a graduate code, among concentrators
    "federal": {"S01": "G", "S04": "W7", "S05": "S7", "S10": "G", "S11": "G"},
    "az": {"S04": "W7", "S05": "S7", "S11": "G"},
    "wi": {"S01": "G", "S04": "W7", "S05": "S7", "S10": "G", "S11": "G"},
}
ELIGIBLE = {  # graduates plus S13 (W5 dropout); S12's counting exit is T (transfer)
    profile: set(GRADUATES[profile]) | {"S13"} for profile in PROFILES
}

INDICATORS = {  # indicator: (numerator, denominator) for the `all` row
    "federal": {
        "PARTICIPANTS": (15, 16), "CONCENTRATORS": (11, 16),
        "GRAD_EXIT": (5, 6),  # exiting concentrators but S12 (T)
        "5S1": (3, 5),  # S01, S04, S05; S10's exam came after its exit; S11 has none
        "5S2": (0, 5),  # no dual-credit section in this fixture (tests/test_indicators.py has them)
        "5S3": (2, 5),  # S04 coop, S10 internship
        "4S1": (6, 10),  # nontrad primary programs; S04's P2 has none; S10 (X) stays in
        # Cohort L1-L6 less L3 (deceased by the survey); L4 has no survey but the Clearinghouse
        # finds it enrolled in its measurement quarter (tests/fixtures.py NSC_2025).
        "3S1": (5, 5),
    },
    "az": {
        "PARTICIPANTS": (13, 16), "CONCENTRATORS": (7, 16), "GRAD_EXIT": (3, 4), "5S1": (2, 3), "5S2": (0, 3),
        "5S3": (1, 3), "4S1": (4, 7), "3S1": (4, 5),  # survey only: L4 is not placed, as in version 2
    },
    "wi": {
        "PARTICIPANTS": (15, 16), "CONCENTRATORS": (11, 16), "GRAD_EXIT": (5, 6), "5S1": (3, 5), "5S2": (0, 5),
        "5S3": (2, 5), "4S1": (6, 10), "3S1": (5, 5),
    },
}


@pytest.mark.parametrize("profile", PROFILES)
def test_enrolled_students(hand_built, profile):
    assert ids(hand_built(profile), "students") == ENROLLED


@pytest.mark.parametrize("profile", PROFILES)
def test_participants(hand_built, profile):
    assert ids(hand_built(profile), "participants") == PARTICIPANTS[profile]


@pytest.mark.parametrize("profile", PROFILES)
def test_concentrators_and_primary_program(hand_built, profile):
    rows = query(hand_built(profile), 2025, "select student_id, primary_program_code from concentrators")
    assert dict(rows) == CONCENTRATORS[profile]


@pytest.mark.parametrize("profile", PROFILES)
def test_cte_graduates_take_the_latest_exit(hand_built, profile):
    rows = query(hand_built(profile), 2025, "select student_id, exit_code from cte_graduates")
    assert dict(rows) == GRADUATES[profile]


@pytest.mark.parametrize("profile", PROFILES)
def test_placement_eligibility(hand_built, profile):
    assert ids(hand_built(profile), "placement_eligibility") == ELIGIBLE[profile]


@pytest.mark.parametrize("profile", PROFILES)
def test_indicator_totals(hand_built, profile):
    rows = query(hand_built(profile), 2025, "select indicator, numerator, denominator from perkins_indicators "
                                            "where group_type = 'all' and level = 'state'")
    assert {r[0]: (r[1], r[2]) for r in rows} == INDICATORS[profile]


# The survey alone (version 2's rule, and the az profile's): student, responded, deceased, placed,
# related, placement type.
SURVEYED = [
    ("L1", True, False, True, False, "postsecondary"),
    ("L2", True, False, True, True, "employment"),  # full time, job related
    ("L3", True, True, False, False, None),  # deceased: out of the denominator
    ("L4", False, False, False, False, None),  # no survey: in the denominator, not placed
    ("L5", True, False, True, False, "military"),  # the later of two surveys counts
    ("L6", True, False, True, True, "service"),  # national service is a related placement
]
# Records and survey (SPEC 11.5): placement source, measurement quarter, status known.
FOUND_IN_RECORDS = {
    "L1": ("survey", "2024Q4", True),  # the Clearinghouse found nothing; its military row has a bad branch
    "L2": ("wage", "2024Q4", True),  # 1,800.50 + 950 in 2024Q4 from two employers
    "L3": (None, "2024Q4", True),
    "L4": ("nsc", "2025Q1", True),  # a summer exit (2024-07-15) is measured in 2025Q1
    "L5": ("military", "2024Q4", True),  # enlisted 2024-09-03, not separated
    "L6": ("service", "2024Q4", True),  # national service from 2024-10-15
}


@pytest.mark.parametrize("profile", PROFILES)
def test_placement_outcomes_of_last_years_leavers(hand_built, profile):
    rows = query(hand_built(profile), 2025, """
        select student_id, responded, deceased, placed, related, placement_type, placement_source,
               measurement_quarter, status_known
        from placement_outcomes order by student_id""")
    if profile == "az":  # records read and checked, not used: the survey decides, as in version 2
        expected = [(*row, row[5] and "survey", FOUND_IN_RECORDS[row[0]][1], row[1]) for row in SURVEYED]
    else:  # L4 is placed and related: enrolled in 51.3801, the CIP family of its program 51.3902
        expected = [(*row, *FOUND_IN_RECORDS[row[0]]) for row in SURVEYED]
        expected[3] = ("L4", False, False, True, True, "postsecondary", "nsc", "2025Q1", True)
    assert rows == expected


def test_placement_types_and_sources_are_shares_of_the_whole_cohort(hand_built):
    rows = query(hand_built("federal"), 2025, """select group_type, group_value, numerator, denominator
        from perkins_indicators where indicator = '3S1' and group_type like 'placement_%' and level = 'state'
        order by 1, 2""")
    assert rows == [
        ("placement_source", "military", 1, 5), ("placement_source", "nsc", 1, 5),
        ("placement_source", "service", 1, 5), ("placement_source", "survey", 1, 5),
        ("placement_source", "wage", 1, 5),
        ("placement_type", "employment", 1, 5), ("placement_type", "military", 1, 5),
        ("placement_type", "postsecondary", 2, 5), ("placement_type", "service", 1, 5),
    ]
    survey_only = query(hand_built("az"), 2025, """select group_value, numerator from perkins_indicators
        where indicator = '3S1' and group_type = 'placement_source' and level = 'state' order by 1""")
    assert survey_only == [("military", 0), ("nsc", 0), ("service", 0), ("survey", 4), ("wage", 0)]


def test_program_participation_rows(hand_built):
    rows = query(hand_built("federal"), 2025, """
        select program_code, credits_earned_year, credits_earned_cumulative, courses_completed_year,
               courses_completed_cumulative, is_participant, is_concentrator
        from program_participation where student_id = 'S05' order by program_code""")
    assert rows == [
        (P1, Decimal("0.00"), Decimal("2.00"), 0, 3, False, True),  # 2022-23 credits roll over
        (P4, Decimal("1.00"), Decimal("2.00"), 1, 2, True, True),
    ]
    # A failed course gives no row: S09 passed only its culinary course.
    assert query(hand_built("federal"), 2025,
                 "select program_code from program_participation where student_id = 'S09'") == [(P2,)]


def test_az_program_participation_marks_only_the_qualifying_program(hand_built):
    rows = query(hand_built("az"), 2025, """select program_code, is_participant, is_concentrator
        from program_participation where student_id = 'S04' order by program_code""")
    assert rows == [(P2, True, False), (P4, True, True)]


def test_wi_cluster_grouping_marks_every_program_of_the_cluster(hand_built):
    rows = query(hand_built("wi"), 2025, """select program_code, is_concentrator
        from program_participation where student_id = 'S17' order by program_code""")
    assert rows == [(P1, True), (P3, True)]


def test_credentials_attained_and_review(hand_built):
    data = hand_built("federal")
    assert query(data, 2025, """select student_id, credential_code, program_code, cast(exam_date as varchar)
        from credentials_attained order by 1""") == [
        ("S01", "CERT-A", P1, "2025-03-01"),  # passed twice: counted once, at the first pass
        ("S04", "CERT-C", P2, "2024-12-11"),
        ("S05", "CERT-B", P4, "2025-05-01"),
        ("S10", "CERT-A", P1, "2025-06-20"),
    ]
    assert sorted(query(data, 2025, """select student_id, credential_code, cast(exam_date as varchar), reason_code
        from credential_review""")) == [
        ("S01", "CERT-A", "2025-04-15", "CREDENTIAL_DUPLICATE"),
        ("S03", "CERT-A", "2025-01-05", "TOO_MANY_ATTEMPTS"),  # the fourth attempt of the year
        ("S04", "CERT-C", "2024-12-11", "RETAKE_TOO_SOON"),  # ten days after the failed attempt
        ("S05", "CERT-B", "2025-05-01", "NO_EVIDENCE"),
        ("S05", "CERT-B", "2025-05-01", "PROCTOR_IS_TEACHER"),
    ]


def test_every_reason_code_with_its_row(hand_built):
    rows = query(hand_built("federal"), 2025, """select source_file, row_number, student_id, reason_code
        from records_not_added order by source_file, row_number""")
    assert rows == [
        ("raw/2024-25/credentials.csv", 12, "S02", "CREDENTIAL_NOT_APPROVED"),
        ("raw/2024-25/credentials.csv", 13, "S02", "CREDENTIAL_PROGRAM_MISMATCH"),
        ("raw/2024-25/credentials.csv", 14, "S15", "CREDENTIAL_WITHOUT_ENROLLMENT"),
        ("raw/2024-25/exits.csv", 11, "S13", "EXIT_DATE_OUTSIDE_YEAR"),
        ("raw/2024-25/exits.csv", 12, "S02", "UNKNOWN_EXIT_CODE"),
        ("raw/2024-25/exits.csv", 13, "S99", "UNKNOWN_STUDENT"),
        ("raw/2024-25/military_service.csv", 3, "L1", "BAD_VALUE"),  # branch AIRFORCE
        ("raw/2024-25/nsc_detail.csv", 5, "L2", "BAD_VALUE"),  # Record Found Y/N 'maybe'
        ("raw/2024-25/nsc_detail.csv", 6, "L5", "BAD_VALUE"),  # Enrollment End before Begin
        ("raw/2024-25/nsc_detail.csv", 7, None, "MISSING_VALUE"),  # no Your Unique Identifier
        ("raw/2024-25/placements.csv", 8, "S15", "NOT_IN_EXIT_COHORT"),
        ("raw/2024-25/roster.csv", 19, "S14", "DUPLICATE_ENROLLMENT"),
        ("raw/2024-25/roster.csv", 20, "S14", "DUPLICATE_ENROLLMENT"),
        ("raw/2024-25/roster.csv", 24, "S99", "UNKNOWN_STUDENT"),
        ("raw/2024-25/roster.csv", 25, "S15", "COURSE_NOT_IN_SEQUENCE"),
        ("raw/2024-25/roster.csv", 26, "S16", "BAD_VALUE"),
        ("raw/2024-25/service_programs.csv", 3, "L2", "BAD_VALUE"),  # ends before it starts
        ("raw/2024-25/students.csv", 19, "S90", "GRADE_OUT_OF_RANGE"),
        ("raw/2024-25/students.csv", 20, "S91", "DUPLICATE_STUDENT"),
        ("raw/2024-25/students.csv", 21, "S91", "DUPLICATE_STUDENT"),
        ("raw/2024-25/students.csv", 22, "S92", "BAD_VALUE"),
        ("raw/2024-25/students.csv", 23, "S93", "MISSING_VALUE"),
        ("raw/2024-25/students.csv", 24, "S94", "TOO_LONG"),
        ("raw/2024-25/wage_records.csv", 5, "L4", "BAD_VALUE"),  # quarter 5
        ("raw/2024-25/wage_records.csv", 6, "L5", "BAD_VALUE"),  # negative wages
    ]


def test_reasons_are_plain_english_without_personal_values(hand_built):
    reasons = dict(query(hand_built("federal"), 2025,
                         "select student_id, reason from records_not_added where source = 'students'"))
    assert reasons["S93"] == "birth_date is missing"
    assert reasons["S94"] == "last_name is longer than 60 characters"
    assert "L" * 61 not in " ".join(reasons.values())
    assert reasons["S92"] == "gender 'Q' is not one of F, M, X"


def test_rows_read_equal_loaded_plus_rejected(hand_built):
    rows = query(hand_built("federal"), 2025,
                 "select source_file, rows_read, rows_loaded, rows_rejected from int_input_files_counted")
    assert len(rows) == 15  # every file of every year the tables were built from
    for source_file, read, loaded, rejected in rows:
        assert read == loaded + rejected, source_file
    assert ("raw/2024-25/students.csv", 23, 17, 6) in rows


def test_every_run_starts_from_the_installs_parse_and_applies_its_own_profile(hand_built, tmp_path):
    """The run parameters are not dbt vars (macros/run_var.sql), so no run parses the project in
    full: not the first run of a data directory (each hand-built state's), nor a later one there
    under another profile, which still applies the rules of its own profile, not stale ones."""
    def full_parses(data: DataDir) -> int:  # dbt rotates its JSON log: count I024 (UnableToPartialParse)
        logs = (data.root / "dbt" / "2024-25").glob("dbt.log*")
        return sum(log.read_text().count('"code": "I024"') for log in logs)

    assert [full_parses(hand_built(profile)) for profile in ("federal", "az")] == [0, 0]
    # A copy of the federal state, materialized again under az (a copy: the fixture is shared).
    data = DataDir(tmp_path / "data")
    shutil.copytree(hand_built("federal").root, data.root)
    materialize(data, 2025, "az", THRESHOLD_ONE)
    assert full_parses(data) == 0
    rows = query(data, 2025, "select student_id, primary_program_code from concentrators")
    assert dict(rows) == CONCENTRATORS["az"]


def _text_of(path: Path) -> str:
    """What a written file says: every text value of a Parquet or DuckDB file (compressed on disk),
    the bytes of any other file."""
    if path.suffix == ".parquet":
        return duckdb.sql(f"select * from read_parquet('{path}')").pl().write_csv()
    if path.suffix == ".duckdb":
        with duckdb.connect(str(path), read_only=True) as con:
            tables = con.execute("select table_schema, table_name from information_schema.tables").fetchall()
            return "".join(con.sql(f'select * from "{schema}"."{t}"').pl().write_csv() for schema, t in tables)
    return path.read_bytes().decode("utf-8", errors="replace")


def test_no_name_from_any_file_travels(hand_built):
    """SPEC 11.1: the Clearinghouse file carries the names the state sent, students its own. No name
    is in any file the run, the report or the exports wrote: tables, logs, dbt's and Dagster's files."""
    data = hand_built("federal")
    source = ReportSource(data, 2025, None)
    write_report(source)
    export(source)
    written = [p for p in data.root.rglob("*") if p.is_file() and data.raw not in p.parents
               and not p.name.endswith((".wal", ".lock"))]
    assert len(written) > 50 and any(p.suffix == ".parquet" for p in written)
    planted = (*NAMES, "LastS01", "FirstS01")
    assert [(p, name) for p in written for name in planted if name in _text_of(p)] == []
