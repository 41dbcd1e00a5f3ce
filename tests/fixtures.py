"""A hand-built state of a few dozen students, each designed to hit one edge of the rules.

Years 2022-23, 2023-24 and 2024-25 (the year under test). Expected results are worked out by
hand in tests/test_rules.py, student by student, per profile.

Programs (nontrad): P1 11000001 Software, cluster 11 (F); P2 12000002 Culinary, cluster 9;
P3 13000003 Networking, cluster 11 (F); P4 14000004 Nursing, cluster 8 (M).
"""

import csv
from pathlib import Path

P1, P2, P3, P4 = "11000001", "12000002", "13000003", "14000004"
COURSES = {  # course code: (program, type, credits)
    "11000101": (P1, "standard", 1.0), "11000102": (P1, "standard", 0.5),
    "11000103": (P1, "standard", 0.5), "11000104": (P1, "internship", 1.0),
    "12000201": (P2, "standard", 1.0), "12000202": (P2, "coop", 1.0),
    "13000301": (P3, "standard", 1.0), "13000302": (P3, "standard", 1.0),
    "14000401": (P4, "standard", 1.0), "14000402": (P4, "standard", 1.0),
}
C11, C12, C13, C14 = "11000101", "11000102", "11000103", "11000104"
C21, C22, C31, C32, C41, C42 = "12000201", "12000202", "13000301", "13000302", "14000401", "14000402"

GENDER = {"S01": "F", "S02": "M", "S03": "M", "S04": "F", "S05": "M", "S06": "F", "S07": "F",
          "S08": "M", "S09": "F", "S10": "X", "S11": "F", "S12": "M", "S13": "F", "S14": "M",
          "S15": "M", "S16": "F", "S17": "F", "S90": "F", "S91": "M",
          **{f"L{i}": "FM"[i % 2] for i in range(1, 7)}}

# (student, grade) per year
STUDENTS = {
    2023: [("S05", 10)] + [(f"L{i}", 11) for i in range(1, 7)],
    2024: [("S01", 11), ("S02", 9), ("S03", 10), ("S04", 11), ("S05", 11), ("S06", 9), ("S07", 10),
           ("S10", 11), ("S11", 11), ("S12", 11), ("S13", 10), ("S17", 10)]
          + [(f"L{i}", 12) for i in range(1, 7)],
    2025: [("S01", 12), ("S02", 10), ("S03", 11), ("S04", 12), ("S05", 12), ("S06", 10), ("S07", 11),
           ("S08", 11), ("S09", 11), ("S10", 12), ("S11", 12), ("S12", 12), ("S13", 11), ("S14", 8),
           ("S15", 9), ("S16", 9), ("S17", 11),
           ("S90", 13), ("S91", 10), ("S91", 10)],
}

# (student, course, term, credits_earned or None for the course's full credit)
ROSTER = {
    2023: [("S05", C11, "0", None), ("S05", C12, "1", None), ("S05", C13, "2", None)]
          + [(f"L{i}", C41, "0", None) for i in range(1, 7)],
    2024: [("S01", C11, "0", None), ("S02", C11, "0", None), ("S03", C11, "0", None),
           ("S03", C31, "0", None), ("S04", C21, "0", None), ("S04", C41, "0", None),
           ("S05", C41, "0", None), ("S06", C11, "0", None), ("S07", C31, "0", None),
           ("S10", C14, "0", None), ("S11", C41, "0", None), ("S12", C41, "0", None),
           ("S13", C31, "0", None), ("S17", C11, "0", None)]
          + [(f"L{i}", C42, "0", None) for i in range(1, 7)],
    2025: [("S01", C12, "S1", None), ("S02", C31, "FY", None), ("S03", C12, "1", None),
           ("S03", C32, "0", None), ("S04", C22, "0", None), ("S04", C42, "0", None),
           ("S05", C42, "0", None), ("S06", C12, "1", None), ("S07", C32, "0", None),
           ("S08", C12, "S1", None), ("S08", C13, "S2", None), ("S09", C11, "0", 0.0),
           ("S09", C21, "0", None), ("S10", C11, "0", None), ("S11", C42, "0", None),
           ("S12", C42, "0", None), ("S13", C32, "0", None), ("S14", C11, "0", None),
           ("S14", C11, "0", None), ("S15", C21, "0", None), ("S16", C11, "0", 0.0),
           ("S17", C31, "0", None)],
}

EXITS = {
    2023: [],
    2024: [("L1", "2024-06-01", "G"), ("L2", "2024-06-01", "G"), ("L3", "2024-06-01", "G"),
           ("L4", "2024-07-15", "S5"), ("L5", "2024-06-01", "A"), ("L6", "2024-06-01", "G")],
    2025: [("S01", "2025-06-05", "G"), ("S04", "01/20/2025", "W7"), ("S05", "2025-08-15", "S7"),
           ("S10", "2025-06-05", "G"), ("S11", "2024-11-01", "T"), ("S11", "2025-06-06", "G"),
           ("S12", "2025-06-01", "G"), ("S12", "2025-06-20", "T"), ("S13", "2025-02-01", "W5"),
           ("S13", "2023-01-01", "G"), ("S02", "2025-03-01", "ZZ"), ("S99", "2025-03-01", "W5")],
}

# student, program, course, credential, exam_date, result, proctor, teacher, evidence
CREDENTIALS_2025 = [
    ("S01", P1, C12, "CERT-A", "2025-03-01", "P", "PR1", "T1", "score_report"),
    ("S01", P1, C12, "CERT-A", "2025-04-15", "P", "PR1", "T1", "certificate_pdf"),
    ("S04", P2, C22, "CERT-C", "2024-12-01", "F", "PR2", "T2", "score_report"),
    ("S04", P2, C22, "CERT-C", "2024-12-11", "P", "PR2", "T2", "score_report"),
    ("S05", P4, C42, "CERT-B", "2025-05-01", "P", "T4", "T4", ""),
    ("S10", P1, C11, "CERT-A", "2025-06-20", "P", "PR1", "T1", "score_report"),
    ("S03", P1, C12, "CERT-A", "2024-10-01", "F", "PR1", "T1", "score_report"),
    ("S03", P1, C12, "CERT-A", "2024-11-01", "F", "PR1", "T1", "score_report"),
    ("S03", P1, C12, "CERT-A", "2024-12-01", "F", "PR1", "T1", "score_report"),
    ("S03", P1, C12, "CERT-A", "2025-01-05", "F", "PR1", "T1", "score_report"),
    ("S02", P1, C11, "CERT-X", "2025-03-01", "P", "PR1", "T1", "score_report"),
    ("S02", P1, C11, "CERT-B", "2025-03-01", "P", "PR1", "T1", "score_report"),
    ("S15", P1, C11, "CERT-A", "2025-03-01", "P", "PR1", "T1", "score_report"),
]

# student, survey_date, deceased, education, employment, service, job_related
PLACEMENTS_2025 = [
    ("L1", "2024-11-01", "N", "PUBLIC_POSTSECONDARY", "NOT_IN_LABOR_FORCE", "", "N"),
    ("L2", "2024-11-01", "no", "NOT_ATTENDING", "FULL_TIME", "NONE", "Yes"),
    ("L3", "2024-11-01", "Y", "UNKNOWN", "UNKNOWN", "", ""),
    ("L5", "2024-10-01", "N", "NOT_ATTENDING", "UNEMPLOYED_SEEKING", "", ""),
    ("L5", "2025-02-01", "N", "NOT_ATTENDING", "MILITARY", "", ""),
    ("L6", "2024-11-01", "false", "NOT_ATTENDING", "NOT_IN_LABOR_FORCE", "NATIONAL_SERVICE", ""),
    ("S15", "2024-11-01", "N", "NOT_ATTENDING", "FULL_TIME", "", "N"),
]


# The Clearinghouse's return file as sent (SPEC 11.1): its own headers (two of them in another
# case and spacing), names the state sent, YYYYMMDD dates, columns ctesnap does not read.
NSC_HEADER = ["Your Unique  Identifier", "First Name", "Middle Initial", "Last Name", "Name Suffix",
              "Requester Return Field", "record found y/n", "Search Date", "College Code/Branch", "College Name",
              "College State", "2-year / 4-year", "Public / Private", "Enrollment Begin", "Enrollment End",
              "Enrollment Status", "Class Level", "Enrollment Major 1", "Enrollment CIP 1", "Graduated?",
              "Graduation Date", "Degree Title", "College Sequence"]
NAMES = ("Zebulon", "Quixotewright")  # planted in every name column: they must never travel
NSC_2025 = [
    # L4 (exit 2024-07-15, measured in 2025Q1) found enrolled, major 51.38 like its program 51.3902
    ("L4", "Y", "20250301", "001234-00", "2", "20250113", "20250509", "F", "513801", "N"),
    ("L1", "N", "20250301", "", "", "", "", "", "", ""),
    ("S50", "Y", "20250301", "001234-00", "2", "20240826", "20241213", "F", "11.0701", "N"),  # not in the cohort
    ("L2", "maybe", "20250301", "001234-00", "2", "20240826", "20241213", "F", "", "N"),  # BAD_VALUE
    ("L5", "Y", "20250301", "001234-00", "4", "20241213", "20240826", "F", "", "N"),  # end before begin
    ("", "Y", "20250301", "001234-00", "4", "20240826", "20241213", "F", "", "N"),  # no identifier
]
# student, year, quarter, employer, naics, wages
WAGES_2025 = [("L2", 2024, 4, "E1", "722511", "1800.50"), ("L2", 2024, 4, "E2", "445110", "950"),
              ("L6", 2024, 3, "E1", "722511", "400"), ("L4", 2024, 5, "E1", "", "100"),
              ("L5", 2024, 4, "E3", "", "-20")]
MILITARY_2025 = [("L5", "ARMY", "2024-09-03", ""), ("L1", "AIRFORCE", "2024-08-01", "")]
SERVICE_2025 = [("L6", "NATIONAL_SERVICE", "2024-10-15", "2025-08-15"),
                ("L2", "PEACE_CORPS", "2025-01-10", "2024-12-01")]  # ends before it starts


def _write(path: Path, header: list[str], rows: list[list[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _label(year: int) -> str:
    return f"{year - 1}-{year % 100:02d}"


def write_reference(root: Path) -> None:
    ref = root / "raw" / "reference"
    _write(ref / "programs.csv",
           ["program_code", "program_name", "cip_code", "career_cluster", "program_area", "nontrad_gender"],
           [[P1, "Software Development", "11.0201", 11, "T", "F"], [P2, "Culinary Arts", "12.0500", 9, "F", ""],
            [P3, "Network Technologies", "11.0901", 11, "T", "F"], [P4, "Nursing Assistant", "51.3902", 8, "H", "M"]])
    _write(ref / "courses.csv", ["program_code", "course_code", "course_title", "course_type", "credit_value"],
           [[p, c, f"Course {c}", t, v] for c, (p, t, v) in COURSES.items()])
    _write(ref / "credential_catalog.csv", ["credential_code", "credential_name", "provider", "program_code"],
           [["CERT-A", "Software cert", "Certiport", P1], ["CERT-B", "Nursing cert", "State", P4],
            ["CERT-C", "Food safety", "NRA", P2]])


def _student_rows(year: int) -> list[list[object]]:
    rows = [[sid, "D1", "SCH1", f"Last{sid}", f"First{sid}", "2008-05-01", grade, GENDER[sid],
             "WH" if int(sid[1:]) % 2 else "HI", "N", "Y" if sid in ("S01", "S03") else "N"]
            for sid, grade in STUDENTS[year]]
    if year == 2025:
        rows += [["S92", "D1", "SCH1", "Last", "First", "2008-05-01", 10, "Q", "WH", "N", "N"],
                 ["S93", "D1", "SCH1", "Last", "First", "", 10, "F", "WH", "N", "N"],
                 ["S94", "D1", "SCH1", "L" * 61, "First", "2008-05-01", 10, "F", "WH", "N", "N"]]
    return rows


def _roster_rows(year: int) -> list[list[object]]:
    rows = []
    for index, (sid, course, term, earned) in enumerate(ROSTER[year]):
        program, _, credits = COURSES[course]
        rows.append([sid, "D1", "SCH2" if sid == "S07" else "SCH1", program, course, f"SEC{index}", term,
                     "1", "T1", credits, credits if earned is None else earned])
    if year == 2025:
        rows += [["S99", "D1", "SCH1", P1, C11, "SECX", "0", "2", "T1", 1.0, 1.0],
                 ["S15", "D1", "SCH1", P2, C11, "SECY", "0", "3", "T1", 1.0, 1.0],
                 ["S16", "D1", "SCH1", P2, C21, "SECZ", "Q", "4", "T1", 1.0, 1.0]]
    return rows


def write_fixture(root: Path) -> None:
    """Write the reference lists and the three school years' extracts under root/raw."""
    write_reference(root)
    for year in (2023, 2024, 2025):
        folder = root / "raw" / _label(year)
        _write(folder / "students.csv",
               ["student_id", "district_id", "school_id", "last_name", "first_name", "birth_date", "grade_level",
                "gender", "race_ethnicity", "disability", "econ_disadvantaged"], _student_rows(year))
        _write(folder / "roster.csv",
               ["student_id", "district_id", "school_id", "program_code", "course_code", "section_id", "term",
                "period", "teacher_id", "credits_attempted", "credits_earned"], _roster_rows(year))
        _write(folder / "exits.csv", ["student_id", "district_id", "school_id", "exit_date", "exit_code"],
               [[sid, "D1", "SCH1", day, code] for sid, day, code in EXITS[year]])
    folder = root / "raw" / "2024-25"
    _write(folder / "credentials.csv",
           ["student_id", "school_id", "program_code", "course_code", "credential_code", "exam_date", "result",
            "proctor_id", "teacher_id", "evidence"],
           [[sid, "SCH1", *rest] for sid, *rest in CREDENTIALS_2025])
    _write(folder / "placements.csv",
           ["student_id", "survey_date", "deceased", "education_status", "employment_status", "service_program",
            "job_related"], [list(row) for row in PLACEMENTS_2025])
    write_placement_records(folder)


def write_placement_records(folder: Path) -> None:
    """The four placement-record files of SPEC 11 for the 2023-24 leavers, a bad row of each kind."""
    _write(folder / "nsc_detail.csv", NSC_HEADER,
           [[sid, NAMES[0], "Q", NAMES[1], "", "", found, search, college, "Example College", "AZ", years, "Public",
             begin, end, status, "FR", "NURSING", cip, graduated, "", "", "1"]
            for sid, found, search, college, years, begin, end, status, cip, graduated in NSC_2025])
    _write(folder / "wage_records.csv", ["student_id", "year", "quarter", "employer_id", "naics", "wages"],
           [list(row) for row in WAGES_2025])
    _write(folder / "military_service.csv", ["student_id", "branch", "entry_date", "separation_date"],
           [list(row) for row in MILITARY_2025])
    _write(folder / "service_programs.csv", ["student_id", "program", "start_date", "end_date"],
           [list(row) for row in SERVICE_2025])
