"""A second hand-built state for the rules of SPEC version 2: course counting across years and a
cluster's programs, the graduation cohort, assessments, dual credit, non-traditional fields,
migrant students, eligible recipients, performance levels and earlier certified snapshots.

Years 2022-23 to 2024-25 (the year under test). Districts D1 and D2 form the consortium CONS;
D3 is a recipient of its own. Expected results are worked out in tests/test_rules_v2.py.

Programs: P1 11000001 (cluster 11, nontrad F) and P3 13000003 (cluster 11, nontrad F) share
course SH; P2 12000002 (cluster 9) has courses B1-B3. Every course is worth 1.0 credit.
"""

from pathlib import Path

import duckdb

from tests.fixtures import _label, _write

P1, P2, P3 = "11000001", "12000002", "13000003"
A1, SH, C3, B1, B2, B3 = "11000101", "19000001", "13000301", "12000201", "12000202", "12000203"
COURSES = [(P1, A1), (P1, SH), (P3, C3), (P3, SH), (P2, B1), (P2, B2), (P2, B3)]
X = [f"X{i:02d}" for i in range(1, 11)]  # ten D3 leavers: nine graduates, one dropout

# student: (district, gender, migrant)
STUDENT = {"R1": ("D1", "F", "N"), "R2": ("D1", "M", "N"), "R3": ("D1", "M", "N"), "E1": ("D1", "F", "N"),
           "N1": ("D1", "M", "N"), "G1": ("D2", "F", "Y"), "G2": ("D2", "M", "N"), "H1": ("D2", "M", "N"),
           "Z1": ("D2", "F", "N"), "DROP1": ("D2", "M", "N"), **{x: ("D3", "FM"[i % 2], "N") for i, x in enumerate(X)}}
GRADES = {  # year: student: grade
    2023: {"G1": 10, "DROP1": 10},
    2024: {"R1": 10, "R2": 10, "R3": 10, "E1": 11, "G1": 11, "G2": 11, "H1": 11},
    2025: {"R1": 11, "R2": 11, "R3": 11, "E1": 12, "N1": 12, "G1": 12, "G2": 12, "H1": 12, "Z1": 9,
           **dict.fromkeys(X, 12)},
}
ROSTER = {  # year: [(student, program, course, dual_credit)], every row passed with 1.0 credit
    2023: [("G1", P2, B1, "Y"), ("DROP1", P2, B1, "N"), ("DROP1", P2, B2, "N")],
    2024: [("R1", P1, A1, "N"), ("R2", P1, SH, "N"), ("R3", P1, SH, "N"), ("E1", P2, B1, "N"),
           ("G1", P2, B2, "N"), ("G2", P2, B1, "N"), ("H1", P2, B1, "N")],
    2025: [("R1", P1, A1, "N"), ("R2", P3, SH, "N"), ("R3", P3, C3, "N"), ("E1", P2, B2, "N"),
           ("N1", P2, B1, "N"), ("G1", P2, B3, "N"), ("G1", P1, A1, "N"), ("G2", P2, B2, "N"),
           ("H1", P2, B2, "N")] + [(x, P2, course, "N") for x in X for course in (B1, B2)],
}
EXITS = {2023: [("DROP1", "2023-02-01", "W5")], 2024: [],
         2025: [("G1", "2025-06-01", "G"), ("G2", "2025-06-01", "G"), ("E1", "2025-06-01", "G"),
                ("H1", "2025-03-01", "W5"), ("N1", "2025-06-01", "G")]
         + [(x, "2025-06-01", "G" if x != "X10" else "W5") for x in X]}
# student, in_four_year_cohort, graduated_four_year, in_extended_cohort, graduated_extended
COHORT_2025 = [("G1", "Y", "Y", "N", "N"), ("G2", "Y", "Y", "N", "N"), ("DROP1", "Y", "N", "N", "N"),
               ("N1", "Y", "Y", "N", "N"), ("E1", "N", "N", "Y", "Y"), ("BAD1", "N", "Y", "N", "N")]
# year: [(student, subject, test_date, proficient, included)]
ASSESSMENTS = {2024: [("G1", "READING", "2024-03-15", "N", "Y")],
               2025: [("G1", "READING", "2025-03-15", "Y", "Y"), ("G1", "MATH", "2025-03-15", "N", "Y"),
                      ("G2", "READING", "2025-03-15", "Y", "N"), ("G2", "HISTORY", "2025-03-15", "Y", "Y"),
                      ("G2", "MATH", "2023-03-15", "Y", "Y")]}
LEVELS = [("2024-25", "GRAD_EXIT", "", "96"), ("2024-25", "GRAD_EXIT", "D3", "100"), ("2024-25", "1S1", "", "90")]
# Earlier certifications: (year label, date, [(level, recipient_id, indicator, below_90_percent)])
EARLIER_SNAPSHOTS = [
    ("2022-23", "2023-12-05", [("recipient", "CONS", "GRAD_EXIT", True), ("recipient", "D3", "GRAD_EXIT", True)]),
    ("2023-24", "2024-12-01", [("recipient", "CONS", "GRAD_EXIT", False)]),  # superseded by the later one
    ("2023-24", "2024-12-05", [("recipient", "CONS", "GRAD_EXIT", True), ("state", None, "GRAD_EXIT", True)]),
]


def write_earlier_snapshots(root: Path, snapshots: list = EARLIER_SNAPSHOTS) -> None:
    """performance_status files of earlier certified snapshots, as a certification leaves them."""
    for label, day, rows in snapshots:
        folder = root / "snapshots" / label / day
        folder.mkdir(parents=True)
        values = ", ".join(f"({int(label[:4]) + 1}, '{lv}', {f'{chr(39)}{r}{chr(39)}' if r else 'null'}, '{i}', {b})"
                           for lv, r, i, b in rows)
        with duckdb.connect() as con:
            con.execute(f"copy (select * from (values {values}) as t(school_year, level, recipient_id, indicator, "
                        f"below_90_percent)) to '{folder / 'performance_status.parquet'}' (format parquet)")


def write_fixture_v2(root: Path) -> None:
    ref = root / "raw" / "reference"
    _write(ref / "programs.csv", ["program_code", "program_name", "cip_code", "career_cluster", "program_area",
                                  "nontrad_gender"],
           [(P1, "Software Development", "11.0201", 11, "T", "F"), (P2, "Culinary Arts", "12.0500", 9, "F", ""),
            (P3, "Network Technologies", "11.0901", 11, "T", "F")])
    _write(ref / "courses.csv", ["program_code", "course_code", "course_title", "course_type", "credit_value"],
           [(p, c, f"Course {c}", "standard", 1.0) for p, c in COURSES])
    _write(ref / "credential_catalog.csv", ["credential_code", "credential_name", "provider", "program_code"],
           [("CERT-A", "Software cert", "Certiport", P1)])
    _write(ref / "recipients.csv", ["district_id", "recipient_id", "recipient_name", "recipient_type"],
           [("D1", "CONS", "North Consortium", "consortium"), ("D2", "CONS", "North Consortium", "consortium")])
    _write(ref / "performance_levels.csv", ["school_year", "indicator", "recipient_id", "level"], LEVELS)
    for year in (2023, 2024, 2025):
        folder = root / "raw" / _label(year)
        _write(folder / "students.csv",
               ["student_id", "district_id", "school_id", "last_name", "first_name", "birth_date", "grade_level",
                "gender", "race_ethnicity", "migrant"],
               [(s, STUDENT[s][0], f"{STUDENT[s][0]}-S", "Last", "First", "2007-05-01", grade, STUDENT[s][1], "WH",
                 STUDENT[s][2]) for s, grade in GRADES[year].items()])
        _write(folder / "roster.csv",
               ["student_id", "district_id", "school_id", "program_code", "course_code", "section_id", "term",
                "teacher_id", "credits_attempted", "credits_earned", "dual_credit"],
               [(s, STUDENT[s][0], f"{STUDENT[s][0]}-S", p, c, f"SEC-{c}", "0", "T1", 1.0, 1.0, dual)
                for s, p, c, dual in ROSTER[year]])
        _write(folder / "exits.csv", ["student_id", "district_id", "school_id", "exit_date", "exit_code"],
               [(s, STUDENT[s][0], f"{STUDENT[s][0]}-S", day, code) for s, day, code in EXITS[year]])
        if year in ASSESSMENTS:
            _write(folder / "assessments.csv",
                   ["student_id", "subject", "test_date", "proficient", "included_in_accountability"],
                   ASSESSMENTS[year])
    _write(root / "raw" / "2024-25" / "graduation_cohort.csv",
           ["student_id", "in_four_year_cohort", "graduated_four_year", "in_extended_cohort", "graduated_extended"],
           COHORT_2025)
    write_earlier_snapshots(root)
