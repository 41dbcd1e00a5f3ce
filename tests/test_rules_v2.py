"""SPEC version 2 rules on the second hand-built state (tests/fixture_v2.py), per profile.

Every expected value was worked out by hand from the fixture; the comments say why.
"""

from collections.abc import Callable

import pytest

from pipeline.core.paths import DataDir
from tests.conftest import THRESHOLD_ONE, built_per_profile, ids, materialize, query
from tests.fixture_v2 import P1, P2, P3, X, write_fixture_v2

PROFILES = ("federal", "az", "wi")
GRADUATES = {"G1", "G2", "E1", *X[:9]}  # concentrators (P2, two or more courses) with a G exit


@pytest.fixture(scope="module")
def v2(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], DataDir]:
    return built_per_profile(tmp_path_factory, "v2", write_fixture_v2)


def _cell(data: DataDir, indicator: str, level: str = "state", recipient: str | None = None,
          group: tuple[str, str] = ("all", "all")) -> tuple[int, int] | None:
    rows = query(data, 2025, f"""select numerator, denominator from perkins_indicators
        where indicator = '{indicator}' and level = '{level}' and recipient_id is not distinct from
        {f"'{recipient}'" if recipient else 'null'} and group_type = '{group[0]}' and group_value = '{group[1]}'""")
    return rows[0] if rows else None


@pytest.mark.parametrize(("profile", "concentrators"), [
    # R1 passed A1 twice (2023-24, 2024-25): one course, so not under federal; az counts credits,
    # and 1.0 + 1.0 reaches 2.0. R2 passed the shared course SH under P1, then under P3: one
    # course of cluster 11, so not under wi. R3 passed SH and C3: two courses of cluster 11 (wi).
    ("federal", {"E1": P2, "G1": P2, "G2": P2, "H1": P2, **dict.fromkeys(X, P2)}),
    ("az", {"R1": P1, "E1": P2, "G1": P2, "G2": P2, "H1": P2, **dict.fromkeys(X, P2)}),
    ("wi", {"R3": P3, "E1": P2, "G1": P2, "G2": P2, "H1": P2, **dict.fromkeys(X, P2)}),
])
def test_a_course_counts_once(v2, profile, concentrators):
    assert dict(query(v2(profile), 2025, "select student_id, primary_program_code from concentrators")) \
        == concentrators


def test_cumulative_courses_count_a_repeated_course_once(v2):
    rows = query(v2("federal"), 2025, """select student_id, program_code, courses_completed_year,
        courses_completed_cumulative, credits_earned_cumulative from program_participation
        where student_id in ('R1', 'R2') order by all""")
    assert [(s, p, y, c, float(cr)) for s, p, y, c, cr in rows] == [
        ("R1", P1, 1, 1, 2.0),  # A1 again: still one course, but its credits add up
        ("R2", P1, 0, 1, 1.0), ("R2", P3, 1, 1, 1.0),
    ]


@pytest.mark.parametrize(("profile", "expected"), [
    # Four-year cohort: G1, G2 graduated; DROP1 a concentrator of 2022-23 who dropped out then
    # (in the denominator, not the numerator); N1 never a concentrator (absent). Under wi DROP1
    # was in grade 10, below wi's concentrator grades, so never a concentrator.
    ("federal", {"1S1": (2, 3), "1S2": (1, 1)}),
    ("az", {"1S1": (2, 3), "1S2": (1, 1)}),
    ("wi", {"1S1": (2, 2), "1S2": (1, 1)}),  # E1 graduated in the extended cohort
])
def test_cohort_graduation_rates(v2, profile, expected):
    assert {k: _cell(v2(profile), k) for k in expected} == expected


def test_graduation_cohort_outcomes_carry_the_latest_attributes(v2):
    rows = query(v2("federal"), 2025, """select student_id, recipient_id, primary_program_code,
        in_four_year_cohort, graduated_four_year from graduation_cohort_outcomes order by 1""")
    assert rows == [("DROP1", "CONS", P2, True, False), ("E1", "CONS", P2, False, False),
                    ("G1", "CONS", P2, True, True), ("G2", "CONS", P2, True, True)]


@pytest.mark.parametrize("profile", PROFILES)
def test_academic_proficiency_uses_the_latest_included_result(v2, profile):
    data = v2(profile)
    # G1: reading not proficient in 2023-24, proficient in 2024-25 (the latest counts). G2's only
    # reading result is not included in accountability: absent. G1's math is not proficient.
    assert _cell(data, "2S1") == (1, 1)
    assert _cell(data, "2S2") == (0, 1)
    assert _cell(data, "2S3") is None  # nobody took science: no rows


@pytest.mark.parametrize("profile", PROFILES)
def test_postsecondary_credit_from_a_dual_credit_course_in_grade_10(v2, profile):
    assert _cell(v2(profile), "5S2") == (1, len(GRADUATES))  # G1's B1 of 2022-23 was dual credit


def test_nontraditional_field_and_migrant_flags(v2):
    data = v2("federal")
    rows = dict(query(data, 2025, "select student_id, nontraditional_field from students where nontraditional_field"))
    assert set(rows) == {"G1", "R1"}  # women passing a course of a program non-traditional for women
    assert ids(data, "students where migrant") == {"G1"}
    assert _cell(data, "GRAD_EXIT", group=("migrant", "Y")) == (1, 1)
    assert _cell(data, "CONCENTRATORS", group=("nontraditional_field", "Y")) == (1, 2)


def test_new_extracts_reject_their_bad_rows(v2):
    rows = query(v2("federal"), 2025, """select source_file, row_number, student_id, reason_code from records_not_added
        where source in ('graduation_cohort', 'assessments') order by all""")
    assert rows == [
        ("raw/2024-25/assessments.csv", 5, "G2", "BAD_VALUE"),  # subject HISTORY
        ("raw/2024-25/assessments.csv", 6, "G2", "BAD_VALUE"),  # test date in 2022-23
        ("raw/2024-25/graduation_cohort.csv", 7, "BAD1", "BAD_VALUE"),  # graduated, not in the cohort
    ]


def test_a_consortium_rate_is_over_all_its_students(v2):
    data = v2("federal")
    # D1: 5 of 5 enrolled are participants; D2: 3 of 4 (Z1 took no course). The consortium is
    # 8 of 9 = 88.89%, not the mean of 100% and 75% (87.5%).
    rows = query(data, 2025, """select numerator, denominator, rate from perkins_indicators
        where indicator = 'PARTICIPANTS' and level = 'recipient' and recipient_id = 'CONS' and group_type = 'all'""")
    assert rows == [(8, 9, 88.89)]


@pytest.mark.parametrize("profile", PROFILES)
def test_recipient_denominators_add_up_to_the_state(v2, profile):
    assert query(v2(profile), 2025, """
        select indicator from perkins_indicators where group_type = 'all'
        group by indicator
        having sum(denominator) filter (where level = 'recipient') <> sum(denominator) filter (where level = 'state')
        """) == []


def test_performance_status_and_the_90_percent_rule(v2):
    rows = query(v2("federal"), 2025, """select level, recipient_id, recipient_name, numerator, denominator, rate,
        cast(performance_level as double), level_source, meets_level, below_90_percent, consecutive_years_below_90,
        improvement_plan_required, funds_at_risk, small_denominator
        from performance_status where indicator = 'GRAD_EXIT' order by level, recipient_id""")
    assert rows == [
        # CONS: G1, G2, E1 graduated, H1 dropped out: 75% against the state's 96 (below 86.4);
        # below in both earlier certified years too (the later 2023-24 snapshot counts): 3 years.
        ("recipient", "CONS", "North Consortium", 3, 4, 75.0, 96.0, "state", False, True, 3, True, True, False),
        # D3: 9 of 10 = 90% against its local level of 100: exactly 90 percent, so not below.
        ("recipient", "D3", "D3", 9, 10, 90.0, 100.0, "local", False, False, 0, False, False, False),
        # State: 12 of 14 against 96; 2023-24 below, 2022-23 has no state row: the count ends.
        ("state", None, None, 12, 14, 85.71, 96.0, "state", False, True, 2, True, False, False),
    ]


def test_a_missing_earlier_snapshot_ends_the_count(tmp_path):
    data = DataDir(tmp_path)
    write_fixture_v2(data.root)
    for folder in (data.root / "snapshots" / "2023-24").iterdir():
        (folder / "performance_status.parquet").unlink()
        folder.rmdir()
    materialize(data, 2025, "federal", THRESHOLD_ONE)
    assert query(data, 2025, """select consecutive_years_below_90, funds_at_risk from performance_status
        where indicator = 'GRAD_EXIT' and recipient_id = 'CONS'""") == [(1, False)]
