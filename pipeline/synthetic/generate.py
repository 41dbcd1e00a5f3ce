"""Realistic synthetic extracts for a whole state, deterministic for a seed.

A population is simulated year by year with NumPy arrays (no Python loop over students):
students move up a grade, join a CTE program, take its courses in sequence, pass or fail,
sometimes switch programs, and leave by graduating, dropping out, transferring or ageing out.
Credential exams and the follow-up survey of last year's leavers come from the same history.
The state's graduation cohorts, assessment results, eligible recipients and performance levels
come from the same population. A small, configurable share of rows carries the errors real
deliveries have.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from pipeline.core.years import label
from pipeline.ingest.edfi.extracts import ANCHORS
from pipeline.ingest.edfi.writer import state_descriptor_map, write_edfi_year
from pipeline.ingest.schema import SPECIAL_POPULATIONS
from pipeline.synthetic.records import Leavers, placement_records
from pipeline.synthetic.reference_data import CREDENTIALS, PROGRAMS

FIRST_NAMES = (
    "Ava", "Liam", "Mia", "Noah", "Emma", "Elijah", "Sofia", "Mateo", "Aaliyah", "Ethan", "Maya", "Diego",
    "Zoe", "Jayden", "Chloe", "Aiden", "Layla", "Carlos", "Nora", "Malik", "Grace", "Luis", "Hannah",
    "Xavier", "Isla", "Kai", "Leah", "Omar", "Ruby", "Andre", "Lucia", "Tyler", "Fatima", "Owen", "Naomi",
    "Jamal", "Elena", "Caleb", "Amara", "Wyatt",
)
LAST_NAMES = (
    "Smith", "Johnson", "Garcia", "Martinez", "Brown", "Lee", "Nguyen", "Williams", "Davis", "Rodriguez",
    "Lopez", "Wilson", "Anderson", "Thomas", "Jackson", "White", "Harris", "Clark", "Lewis", "Walker",
    "Young", "Hall", "Allen", "King", "Wright", "Scott", "Torres", "Hill", "Green", "Adams", "Baker",
    "Nelson", "Carter", "Mitchell", "Perez", "Roberts", "Turner", "Phillips", "Campbell", "Parker",
    "Yazzie", "Begay", "Kim", "Patel", "Chen",
)
RACES = np.array(["HI", "AI", "AS", "BL", "PI", "WH", "MR"])
RACE_SHARES = [0.27, 0.02, 0.05, 0.15, 0.005, 0.465, 0.04]
POP_SHARES = [0.14, 0.45, 0.10, 0.01, 0.003, 0.005, 0.01, 0.06]  # disability .. out_of_workforce
MIGRANT_SHARE = 0.01
# Course taking: chance a student in a program (or not yet in one) takes CTE courses in a year,
# chance of switching programs, and how many courses a year.
TAKE_CONTINUING, TAKE_NEW, SWITCH_SHARE = 0.50, 0.42, 0.10
COURSES_PER_YEAR = [0.85, 0.13, 0.02]
SIBLING_COURSE_SHARE = 0.03  # takers who also take a course of a sibling program in the year
NONTRAD_AVOIDED = 0.65  # share of non-traditional choices made again
GRADUATE_CODES = ["G", "S7", "W7"]
# Proficiency by subject, less for some groups, as state results show (shares, not a model).
PROFICIENCY = {"READING": 0.58, "MATH": 0.44, "SCIENCE": 0.50}
PROFICIENCY_GAPS = {"econ_disadvantaged": 0.14, "english_learner": 0.25, "disability": 0.30}
SUBJECT_GRADE = {"READING": 10, "MATH": 10, "SCIENCE": 11}
# State performance levels (percent) per indicator, close to what the generated state reaches.
STATE_LEVELS = {"1S1": 92.0, "1S2": 93.0, "GRAD_EXIT": 90.0, "2S1": 52.0, "2S2": 38.0, "2S3": 44.0,
                "3S1": 72.0, "4S1": 25.0, "5S1": 40.0, "5S2": 20.0, "5S3": 25.0}

# Exit codes by the grade a student leaves from, with their shares.
GRADUATE_EXITS = (["G", "S7", "W7", "A", "S4", "S6", "S11"], [0.88, 0.05, 0.03, 0.02, 0.01, 0.005, 0.005])
EARLY_EXITS = (["T", "W5", "S5", "W11", "W4", "D"], [0.62, 0.18, 0.08, 0.06, 0.058, 0.002])

EDUCATION = (["PUBLIC_POSTSECONDARY", "PRIVATE_POSTSECONDARY", "TECH_CENTER_ADULT", "NOT_ATTENDING",
              "SECONDARY", "UNKNOWN"], [0.42, 0.09, 0.07, 0.36, 0.02, 0.04])
EMPLOYMENT = (["FULL_TIME", "PART_TIME", "MILITARY", "UNEMPLOYED_SEEKING", "NOT_IN_LABOR_FORCE",
               "UNKNOWN"], [0.34, 0.34, 0.05, 0.06, 0.17, 0.04])


FIRST_DISTRICT = 1001
PERIODS = 8


@dataclass(frozen=True)
class GenerateOptions:
    students: int
    years: list[int]
    seed: int = 1
    error_rate: float = 0.01
    mixed_formats: bool = False  # also write XLSX and per-district folders, as deliveries come
    # Whose exit cohort the follow-up survey covers: a profile's, or `all` (concentrators under
    # every profile, so that one survey file certifies whichever profile a state runs).
    survey_profile: str = "all"
    # `edfi`: students, roster, exits and assessments as Ed-Fi API resources (docs/inputs.md#ed-fi-resources).
    output_format: str = "csv"


class _Catalog:
    """Programs and courses as arrays, so a course is picked for many students at once."""

    def __init__(self) -> None:
        self.codes = np.array([p[0] for p in PROGRAMS])
        self.n_courses = np.array([len(p[6]) for p in PROGRAMS])
        self.offset = np.concatenate([[0], np.cumsum(self.n_courses)[:-1]])
        self.course_code = np.array([f"{p[0][:4]}{i + 1:04d}" for p in PROGRAMS for i in range(len(p[6]))])
        self.course_credit = np.array([c[2] for p in PROGRAMS for c in p[6]])
        self.course_type = np.array([c[1] for p in PROGRAMS for c in p[6]])
        # Programs of one area share course numbers: a course number is taught by one teacher a school.
        self.code_index = np.unique(self.course_code, return_inverse=True)[1]
        self.cip = np.array([p[2] for p in PROGRAMS])
        self.cred_count = np.array([len(p[7]) for p in PROGRAMS])
        self.cred_offset = np.concatenate([[0], np.cumsum(self.cred_count)[:-1]])
        self.cred_code = np.array([code for p in PROGRAMS for code in p[7]])
        weights = np.array([3.0 if p[3] in (8, 11, 13, 16) else 1.5 if p[3] in (4, 9) else 1.0
                            for p in PROGRAMS])
        self.weights = weights / weights.sum()
        self.nontrad = np.array([p[5] for p in PROGRAMS])
        # Advanced (not first) standard courses of every third program carry college credit.
        first = np.zeros(self.course_code.size, bool)
        first[self.offset] = True
        program_of = np.repeat(np.arange(len(PROGRAMS)), self.n_courses)
        self.dual_credit = ~first & (self.course_type == "standard") & (program_of % 3 == 0)
        # A program's sibling shares its course numbers: the next program of its area (-1: none).
        area = np.array([code[:4] for code in self.codes])
        self.sibling = np.array([next((j for j in [*range(i + 1, len(area)), *range(i)] if area[j] == area[i]), -1)
                                 for i in range(len(area))])
        self.shared = np.bincount(self.code_index)[self.code_index] > 1


def reference_frames() -> dict[str, pl.DataFrame]:
    programs = pl.DataFrame({
        "program_code": [p[0] for p in PROGRAMS], "program_name": [p[1] for p in PROGRAMS],
        "cip_code": [p[2] for p in PROGRAMS], "career_cluster": [p[3] for p in PROGRAMS],
        "program_area": [p[4] for p in PROGRAMS], "nontrad_gender": [p[5] for p in PROGRAMS],
    })
    catalog = _Catalog()
    courses = pl.DataFrame({
        "program_code": [p[0] for p in PROGRAMS for _ in p[6]],
        "course_code": catalog.course_code.tolist(),
        "course_title": [c[0] for p in PROGRAMS for c in p[6]],
        "course_type": catalog.course_type.tolist(),
        "credit_value": catalog.course_credit.tolist(),
    })
    credential_catalog = pl.DataFrame(
        [(code, *CREDENTIALS[code], p[0]) for p in PROGRAMS for code in p[7]],
        schema=["credential_code", "credential_name", "provider", "program_code"], orient="row",
    )
    return {"programs": programs, "courses": courses, "credential_catalog": credential_catalog}


class _Population:
    """Every student ever enrolled, one array slot each; grows by an incoming cohort a year."""

    def __init__(self, rng: np.random.Generator, size: int, n_schools: int) -> None:
        self.rng, self.n_schools = rng, n_schools
        self.n = 0
        self.columns: dict[str, np.ndarray] = {}
        self.add(size, grades=rng.choice([8, 9, 10, 11, 12], size, p=[0.06, 0.25, 0.24, 0.23, 0.22]),
                 year=0)

    def add(self, count: int, grades: np.ndarray, year: int) -> None:
        rng = self.rng
        new = {
            "entry_year": np.full(count, year), "grade0": grades,
            "school": rng.integers(0, self.n_schools, count),
            "gender": rng.choice(np.array(["F", "M", "X"]), count, p=[0.49, 0.50, 0.01]),
            "race": rng.choice(RACES, count, p=RACE_SHARES),
            "first": rng.integers(0, len(FIRST_NAMES), count),
            "last": rng.integers(0, len(LAST_NAMES), count),
            "birth_offset": rng.integers(0, 365, count),
            "exit_year": np.full(count, -1), "exit_code": np.full(count, "", dtype=object),
            "exit_date": np.full(count, np.datetime64("NaT"), dtype="datetime64[D]"),
            "program": np.full(count, -1), "prog_years": np.zeros(count, int),
            "passed_mask": np.zeros(count, int), "concentrator": np.zeros(count, bool),
            # Credits of the current program without work-based learning, and the last year a
            # course of it was taken: with them the survey targets concentrators of every profile.
            "program_credits": np.zeros(count), "program_year": np.full(count, -1),
            "migrant": rng.random(count) < MIGRANT_SHARE,
        }
        for flag, share in zip(SPECIAL_POPULATIONS, POP_SHARES, strict=True):
            new[flag] = rng.random(count) < share
        self.columns = new if not self.columns else {
            key: np.concatenate([self.columns[key], value]) for key, value in new.items()
        }
        self.n += count

    def __getitem__(self, key: str) -> np.ndarray:
        return self.columns[key]


def _student_ids(index: np.ndarray) -> np.ndarray:
    return (index + 1_000_000_001).astype(str)


def _district_ids(district: np.ndarray) -> np.ndarray:
    return (district + FIRST_DISTRICT).astype(str)


def _school_ids(school: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """District and school identifiers as whole numbers, as Ed-Fi has them (school 10012 is the
    second school of district 1001)."""
    district = school // 3
    return _district_ids(district), ((district + FIRST_DISTRICT) * 10 + school % 3 + 1).astype(str)


def _dates(start: date, span_days: int, count: int, rng: np.random.Generator) -> np.ndarray:
    days = rng.integers(0, max(span_days, 1), count)
    return np.datetime64(start) + days.astype("timedelta64[D]")


class Generator:
    def __init__(self, options: GenerateOptions) -> None:
        self.options = options
        self.rng = np.random.default_rng(options.seed)
        self.catalog = _Catalog()
        # About 1,200 districts at 1.7 M students (three schools a district), as in Texas.
        n_schools = max(6, options.students // 470)
        self.population = _Population(self.rng, options.students, n_schools)
        self.previous_exits = np.array([], dtype=int)
        self.previous_index, self.previous_grade = -1, np.array([], dtype=int)

    def year(self, index: int, year: int) -> dict[str, pl.DataFrame]:
        pop, rng = self.population, self.rng
        if index > 0:
            active_count = int(((pop["exit_year"] < 0) & (pop["grade0"] + index - pop["entry_year"] <= 12)).sum())
            pop.add(max(self.options.students - active_count, 0),
                    grades=rng.choice([8, 9], max(self.options.students - active_count, 0), p=[0.3, 0.7]),
                    year=index)
        grade = pop["grade0"] + index - pop["entry_year"]
        active = np.flatnonzero((pop["exit_year"] < 0) & (pop["entry_year"] <= index) & (grade <= 12))
        frames = {"students": self._students(active, grade, year)}
        roster, roster_rows = self._roster(active, grade, year, index)
        frames["roster"] = roster
        frames["exits"], leavers = self._exits(active, grade, index, year)
        frames["credentials"] = self._credentials(roster_rows, year)
        frames.update(self._placements(year))
        frames["graduation_cohort"] = self._graduation_cohort(index)
        frames["assessments"] = self._assessments(active, grade, year)
        self.previous_exits, self.previous_index, self.previous_grade = leavers, index, grade
        return frames

    def _students(self, active: np.ndarray, grade: np.ndarray, year: int) -> pl.DataFrame:
        pop = self.population
        district, school = _school_ids(pop["school"][active])
        g = grade[active]
        birth = np.datetime64(date(year - 1, 9, 1)) - ((g + 5) * 365 + pop["birth_offset"][active]).astype(
            "timedelta64[D]")
        first = np.array(FIRST_NAMES)[pop["first"][active]]
        last = np.array(LAST_NAMES)[pop["last"][active]]
        frame = pl.DataFrame({
            "student_id": _student_ids(active), "district_id": district, "school_id": school,
            "last_name": last, "first_name": first, "birth_date": birth,
            "grade_level": np.char.mod("%02d", g),
            "gender": pop["gender"][active], "race_ethnicity": pop["race"][active],
            **{flag: np.where(pop[flag][active], "Y", "N") for flag in SPECIAL_POPULATIONS},
            "migrant": np.where(pop["migrant"][active], "Y", "N"),
            "email": np.char.add(np.char.add(np.char.lower(first.astype(str)), "."),
                                 np.char.add(_student_ids(active), "@students.example.org")),
        })
        return frame.with_columns(pl.col("birth_date").cast(pl.String))

    def _roster(self, active: np.ndarray, grade: np.ndarray, year: int, index: int
                ) -> tuple[pl.DataFrame, dict]:
        pop, rng, cat = self.population, self.rng, self.catalog
        high = active[(grade[active] >= 9)]
        # Many students sample one CTE course and stop; fewer go on in a program, so that
        # concentrators are a clear minority of participants, as in real states.
        takes = high[rng.random(high.size) < np.where(pop["program"][high] >= 0, TAKE_CONTINUING, TAKE_NEW)]
        # Newcomers choose a program; some others switch and start the new sequence.
        switch = takes[(pop["program"][takes] < 0) | (rng.random(takes.size) < SWITCH_SHARE)]
        pop["program"][switch] = self._choose_programs(pop["gender"][switch])
        pop["prog_years"][switch] = 0
        pop["passed_mask"][switch] = 0
        pop["program_credits"][switch] = 0.0
        pop["program_year"][takes] = index
        # A student takes a course at most once a year (Ed-Fi has one transcript per course and term).
        n = np.minimum(rng.choice([1, 2, 3], takes.size, p=COURSES_PER_YEAR), cat.n_courses[pop["program"][takes]])
        student = np.repeat(takes, n)
        k = np.arange(student.size) - np.repeat(np.cumsum(n) - n, n)
        program = pop["program"][student]
        idx = (pop["prog_years"][student] * 2 + k) % cat.n_courses[program]
        course = cat.offset[program] + idx
        credit = cat.course_credit[course]
        passed = rng.random(student.size) < 0.88
        np.bitwise_or.at(pop["passed_mask"], student[passed], 1 << idx[passed])
        counted = passed & (cat.course_type[course] == "standard")
        np.add.at(pop["program_credits"], student[counted], credit[counted])
        pop["prog_years"][takes] += 1
        masks = pop["passed_mask"][takes]
        pop["concentrator"][takes] |= np.bitwise_count(masks) >= 2
        student, program, idx, passed, k = (np.concatenate([a, b]) for a, b in zip(
            (student, program, idx, passed, k), self._sibling_course(takes, n, program, idx), strict=True))
        course = cat.offset[program] + idx
        credit = cat.course_credit[course]
        district, school = _school_ids(pop["school"][student])
        term = np.where(credit < 1, np.where(k % 2 == 0, "1", "2"), "0")
        teacher = np.char.mod("T%05d", pop["school"][student]) + np.char.mod("%03d", cat.code_index[course] % 50)
        begin = np.where(term == "2", np.datetime64(date(year, 1, 10)), np.datetime64(date(year - 1, 8, 25)))
        end = np.where(term == "1", np.datetime64(date(year, 1, 5)), np.datetime64(date(year, 6, 5)))
        # A section meets in one period: its identifier is the course and the period.
        period = rng.integers(1, PERIODS + 1, student.size).astype(str)
        frame = pl.DataFrame({
            "student_id": _student_ids(student), "district_id": district, "school_id": school,
            "program_code": cat.codes[program], "course_code": cat.course_code[course],
            # A course that sibling programs share has a section a program (an Ed-Fi section's
            # `programs`: docs/inputs.md#ed-fi-resources).
            "section_id": np.char.add(np.where(cat.shared[course], np.char.add(cat.codes[program], "-"), ""),
                                      np.char.add(cat.course_code[course], np.char.add("-", period))),
            "term": term, "period": period,
            "teacher_id": teacher, "credits_attempted": credit,
            "credits_earned": np.where(passed, credit, 0.0),
            "begin_date": begin, "end_date": end,
            # The advanced courses of some programs are dual-credit sections (5S2).
            "dual_credit": np.where(cat.dual_credit[course], "Y", "N"),
        }).with_columns(pl.col("begin_date", "end_date").cast(pl.String),
                        pl.col("credits_attempted", "credits_earned").round(1))
        rows = {"student": student, "program": program, "idx": idx, "passed": passed, "teacher": teacher,
                "school": school}
        return frame, rows

    def _sibling_course(self, takes: np.ndarray, n: np.ndarray, program: np.ndarray, idx: np.ndarray
                        ) -> tuple[np.ndarray, ...]:
        """A few students also take, in the same year, the next course of a sibling program (one that
        shares its course numbers): they hold two program associations at once, and the course is on
        both programs' sequences (docs/inputs.md#ed-fi-resources). (student, program, idx, passed, k) of those rows; the
        students' own program state is left as it is."""
        rng, cat = self.rng, self.catalog
        last = np.cumsum(n) - 1  # each taker's last row of the year
        sibling = cat.sibling[program[last]]
        nxt = (idx[last] + 1) % cat.n_courses[program[last]]
        chosen = (rng.random(takes.size) < SIBLING_COURSE_SHARE) & (sibling >= 0) \
            & (n < cat.n_courses[program[last]]) & (nxt < cat.n_courses[np.maximum(sibling, 0)])
        return takes[chosen], sibling[chosen], nxt[chosen], rng.random(int(chosen.sum())) < 0.88, n[chosen]

    def _choose_programs(self, gender: np.ndarray) -> np.ndarray:
        """Programs chosen by weight; a program non-traditional for the student's gender is
        often chosen again, so non-traditional concentration is as rare as real states report."""
        rng, cat = self.rng, self.catalog
        programs = rng.choice(len(cat.codes), gender.size, p=cat.weights)
        again = (cat.nontrad[programs] == gender) & (rng.random(gender.size) < NONTRAD_AVOIDED)
        programs[again] = rng.choice(len(cat.codes), int(again.sum()), p=cat.weights)
        return programs

    def _exits(self, active: np.ndarray, grade: np.ndarray, index: int, year: int
               ) -> tuple[pl.DataFrame, np.ndarray]:
        pop, rng = self.population, self.rng
        g = grade[active]
        seniors = active[g == 12]
        early = active[(g < 12) & (rng.random(active.size) < np.where(g >= 9, 0.05, 0.02))]
        codes = np.concatenate([rng.choice(GRADUATE_EXITS[0], seniors.size, p=GRADUATE_EXITS[1]),
                                rng.choice(EARLY_EXITS[0], early.size, p=EARLY_EXITS[1])])
        leavers = np.concatenate([seniors, early])
        pop["exit_year"][leavers] = index
        pop["exit_code"][leavers] = codes
        first, last = date(year - 1, 9, 1), date(year, 6, 30)
        during = _dates(first, (last - first).days, leavers.size, rng)
        june = _dates(date(year, 5, 25), 14, leavers.size, rng)
        january = _dates(date(year, 1, 10), 20, leavers.size, rng)
        summer = _dates(date(year, 7, 1), 90, leavers.size, rng)
        exit_date = np.where(np.isin(codes, ["G", "A"]), june,
                             np.where(codes == "W7", january,
                                      np.where(np.char.startswith(codes.astype(str), "S"), summer, during)))
        pop["exit_date"][leavers] = exit_date
        district, school = _school_ids(pop["school"][leavers])
        frame = pl.DataFrame({"student_id": _student_ids(leavers), "district_id": district,
                              "school_id": school, "exit_date": exit_date, "exit_code": codes.astype(str)})
        return frame.with_columns(pl.col("exit_date").cast(pl.String)), leavers

    def _credentials(self, rows: dict, year: int) -> pl.DataFrame:
        rng, cat = self.rng, self.catalog
        count = cat.cred_count[rows["program"]]
        pick = np.flatnonzero((count > 0) & (rows["idx"] >= 1) & (rng.random(count.size) < 0.35))
        program = rows["program"][pick]
        creds = cat.cred_code[cat.cred_offset[program] + rng.integers(0, 1 << 30, pick.size) % cat.cred_count[program]]
        exam = _dates(date(year, 3, 1), 80, pick.size, rng)
        result = rng.choice(["P", "F", "N"], pick.size, p=[0.70, 0.25, 0.05])
        # Half of those who failed try again, some far too soon; a few pass twice.
        again = np.flatnonzero(((result == "F") & (rng.random(pick.size) < 0.5))
                               | ((result == "P") & (rng.random(pick.size) < 0.02)))
        gap = np.where(rng.random(again.size) < 0.15, rng.integers(3, 19, again.size),
                       rng.integers(21, 60, again.size)).astype("timedelta64[D]")
        rows_at = np.concatenate([pick, pick[again]])
        exam = np.concatenate([exam, exam[again] + gap])
        result = np.concatenate([result, rng.choice(["P", "F"], again.size, p=[0.65, 0.35])])
        creds = np.concatenate([creds, creds[again]])
        teacher = rows["teacher"][rows_at]
        proctor = np.where(rng.random(rows_at.size) < 0.06, teacher,
                           np.char.mod("P%05d", rng.integers(0, 9999, rows_at.size)))
        evidence = np.where(result == "P",
                            rng.choice(["score_report", "certificate_pdf", "none"], rows_at.size,
                                       p=[0.55, 0.35, 0.10]),
                            rng.choice(["score_report", "none"], rows_at.size, p=[0.6, 0.4]))
        program = cat.codes[rows["program"][rows_at]]
        course = cat.course_code[cat.offset[rows["program"][rows_at]] + rows["idx"][rows_at]]
        frame = pl.DataFrame({
            "student_id": _student_ids(rows["student"][rows_at]), "school_id": rows["school"][rows_at],
            "program_code": program, "course_code": course, "credential_code": creds.astype(str),
            "exam_date": exam, "result": result, "proctor_id": proctor, "teacher_id": teacher,
            "evidence": evidence,
            "evidence_ref": np.where(evidence == "none", "", np.char.add("doc-", rows_at.astype(str))),
            "certificate_number": np.where(result == "P", np.char.add("C", rows_at.astype(str)), ""),
        })
        return frame.with_columns(pl.col("exam_date").cast(pl.String))

    def _placements(self, year: int) -> dict[str, pl.DataFrame]:
        """The follow-up survey of year Y about the leavers of Y-1, and the placement records the
        state's matches return for them (docs/placement-records.md)."""
        pop, rng = self.population, self.rng
        leavers = self.previous_exits
        searched = leavers[~np.isin(pop["exit_code"][leavers], ["T", "D"])]
        eligible = searched[self._surveyed(searched)]
        surveyed = eligible[rng.random(eligible.size) < 0.96]
        n = surveyed.size
        deceased = rng.random(n) < 0.003
        employment = np.where(deceased, "UNKNOWN", rng.choice(EMPLOYMENT[0], n, p=EMPLOYMENT[1]))
        education = np.where(deceased, "UNKNOWN", rng.choice(EDUCATION[0], n, p=EDUCATION[1]))
        service = rng.choice(["NONE", "NATIONAL_SERVICE", "PEACE_CORPS"], n, p=[0.985, 0.012, 0.003])
        frame = pl.DataFrame({
            "student_id": _student_ids(surveyed),
            "survey_date": _dates(date(year - 1, 10, 1), 150, n, rng),
            "deceased": np.where(deceased, "Y", "N"),
            "education_status": education,
            "employment_status": employment,
            "service_program": service,
            "job_related": np.where(np.isin(employment, ["FULL_TIME", "PART_TIME"]),
                                    np.where(rng.random(n) < 0.45, "Y", "N"), ""),
            "self_employed": np.where(rng.random(n) < 0.03, "Y", "N"),
        })
        shown = {"postsecondary": np.isin(education, ["TECH_CENTER_ADULT", "PRIVATE_POSTSECONDARY",
                                                      "PUBLIC_POSTSECONDARY"]),
                 "employment": np.isin(employment, ["FULL_TIME", "PART_TIME"]), "military": employment == "MILITARY",
                 "service": (service != "NONE") & ~deceased}
        searched = searched[~np.isin(searched, surveyed[deceased])]  # the state searches the living
        records = placement_records(rng, self._leavers(searched, surveyed, shown), year)
        return {"placements": frame.with_columns(pl.col("survey_date").cast(pl.String)), **records}

    def _leavers(self, searched: np.ndarray, surveyed: np.ndarray, shown: dict[str, np.ndarray]) -> Leavers:
        """What the record generator needs of the leavers the state searches."""
        pop, cat = self.population, self.catalog
        survey = {}
        for kind, flags in shown.items():
            everyone = np.zeros(pop.n, bool)
            everyone[surveyed[flags]] = True
            survey[kind] = everyone[searched]
        was_surveyed = np.zeros(pop.n, bool)
        was_surveyed[surveyed] = True
        program = pop["program"][searched]
        return Leavers(
            student_id=_student_ids(searched), exit_date=pop["exit_date"][searched],
            first_name=np.array(FIRST_NAMES)[pop["first"][searched]],
            last_name=np.array(LAST_NAMES)[pop["last"][searched]],
            cip=np.where(program >= 0, cat.cip[np.maximum(program, 0)], ""),
            surveyed=was_surveyed[searched], survey=survey)


    def _surveyed(self, leavers: np.ndarray) -> np.ndarray:
        """Which leavers the survey covers: concentrators as the chosen profile sees them (two
        courses; az: two credits without work-based learning and a course in the exit year;
        wi: grade 11 or 12), or under every profile at once."""
        pop, profile = self.population, self.options.survey_profile
        chosen = pop["concentrator"][leavers].copy()
        if profile in ("az", "all"):
            chosen &= (pop["program_credits"][leavers] >= 2.0) & (pop["program_year"][leavers] == self.previous_index)
        if profile in ("wi", "all"):
            chosen &= self.previous_grade[leavers] >= 11
        return chosen

    def _graduation_cohort(self, index: int) -> pl.DataFrame:
        """The adjusted cohorts reported in this year: four-year (grade 12 this year on time) and
        five-year extended (grade 12 the year before); transfers out and deaths leave a cohort."""
        pop = self.population
        on_time = pop["grade0"] + index - pop["entry_year"]
        four = on_time == 12
        extended = on_time == 13
        members = np.flatnonzero((four | extended) & ~np.isin(pop["exit_code"], ["T", "D"]))
        graduated = np.isin(pop["exit_code"][members], GRADUATE_CODES) & (pop["exit_year"][members] <= index)
        return pl.DataFrame({
            "student_id": _student_ids(members),
            "in_four_year_cohort": np.where(four[members], "Y", "N"),
            "graduated_four_year": np.where(four[members] & graduated, "Y", "N"),
            "in_extended_cohort": np.where(extended[members], "Y", "N"),
            "graduated_extended": np.where(extended[members] & graduated, "Y", "N"),
        })

    def _assessments(self, active: np.ndarray, grade: np.ndarray, year: int) -> pl.DataFrame:
        """ESEA high-school tests: reading and mathematics in grade 10, science in grade 11."""
        pop, rng = self.population, self.rng
        parts = []
        for subject, share in PROFICIENCY.items():
            tested = active[grade[active] == SUBJECT_GRADE[subject]]
            chance = share - sum(np.where(pop[flag][tested], gap, 0.0) for flag, gap in PROFICIENCY_GAPS.items())
            parts.append(pl.DataFrame({
                "student_id": _student_ids(tested),
                "subject": np.full(tested.size, subject),
                "test_date": _dates(date(year, 3, 10), 70, tested.size, rng),
                "proficient": np.where(rng.random(tested.size) < chance, "Y", "N"),
                "included_in_accountability": np.where(rng.random(tested.size) < 0.97, "Y", "N"),
            }).with_columns(pl.col("test_date").cast(pl.String)))
        return pl.concat(parts)


def recipient_frames(n_schools: int, years: list[int], seed: int) -> dict[str, pl.DataFrame]:
    """Eligible recipients (most districts alone, small ones in consortia, one area CTE center)
    and the state's performance levels with a few locally negotiated ones."""
    rng = np.random.default_rng(seed + 7)
    districts = _district_ids(np.arange((n_schools + 2) // 3)).tolist()
    pooled = districts[len(districts) // 2:]  # the later (smaller) districts pool their funds
    rows = [(d, d, f"District {d}", "district") for d in districts[:len(districts) // 2]]
    center, rest = pooled[:2], pooled[2:]
    rows += [(d, "CTC01", "Area Career and Technical Center", "area_cte_center") for d in center]
    for start in range(0, len(rest), 3):
        members = rest[start:start + 3]
        rows += [(d, f"CONS{start // 3 + 1:02d}", f"Consortium {start // 3 + 1}",
                  "consortium" if len(members) > 1 else "district") for d in members]
    recipients = pl.DataFrame(rows, schema=["district_id", "recipient_id", "recipient_name", "recipient_type"],
                              orient="row")
    local = [r for r in dict.fromkeys(recipients["recipient_id"]) if rng.random() < 0.2][:3]
    levels = [(label(y), code, "", level) for y in years for code, level in STATE_LEVELS.items()]
    levels += [(label(y), "3S1", r, 65.0) for y in years for r in local]
    performance_levels = pl.DataFrame(levels, schema=["school_year", "indicator", "recipient_id", "level"],
                                      orient="row")
    return {"recipients": recipients, "performance_levels": performance_levels}


def _inject_errors(kind: str, frame: pl.DataFrame, rate: float, rng: np.random.Generator) -> pl.DataFrame:
    """Add the mistakes real deliveries carry, each at a fraction of `rate`."""
    if frame.height == 0 or rate <= 0:
        return frame
    n = frame.height

    def sample(share: float) -> np.ndarray:
        return rng.choice(n, size=min(n, int(round(n * rate * share))), replace=False)

    duplicates = frame[sample(0.3)]
    broken = frame.with_row_index("__i")
    bad = {
        "students": [("gender", "Q", 0.2), ("birth_date", "", 0.2), ("grade_level", "13", 0.1)],
        "roster": [("student_id", "9999999999", 0.3), ("course_code", "99990001", 0.2), ("term", "Q3", 0.1)],
        "exits": [("exit_code", "X9", 0.3), ("exit_date", "2001-01-01", 0.2)],
        "credentials": [("credential_code", "FAKE-CERT", 0.3), ("credential_code", "CNA", 0.2)],
        "placements": [("employment_status", "WORKING", 0.3)],
        "nsc_detail": [("Record Found Y/N", "maybe", 0.2), ("Enrollment Status", "Z", 0.1)],
        "wage_records": [("quarter", "5", 0.2), ("wages", "-100", 0.2)],
        "military_service": [("branch", "AIRFORCE", 0.3)],
        "service_programs": [("program", "VISTA", 0.3)],
        "graduation_cohort": [("in_four_year_cohort", "maybe", 0.2)],
        "assessments": [("subject", "HISTORY", 0.3), ("student_id", "9999999999", 0.2)],
    }[kind]
    for column, value, share in bad:
        rows = sample(share)
        broken = broken.with_columns(
            pl.when(pl.col("__i").is_in(rows.tolist())).then(pl.lit(value)).otherwise(pl.col(column)).alias(column))
    broken = broken.drop("__i")
    if kind in ("students", "roster"):
        broken = pl.concat([broken, duplicates])
    return broken


def _us_dates(frame: pl.DataFrame) -> pl.DataFrame:
    """Rewrite ISO dates as MM/DD/YYYY, as some student information systems export them."""
    columns = [c for c in frame.columns if c.endswith("_date")]
    return frame.with_columns(
        pl.col(c).str.to_date("%Y-%m-%d", strict=False).dt.strftime("%m/%d/%Y").fill_null(pl.col(c))
        for c in columns)


def write_extract(frame: pl.DataFrame, folder: Path, kind: str, style: str) -> None:
    """Write one extract as `csv`, `bom` (CSV with a byte-order mark), `xlsx` or `split` (a folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    if style == "xlsx":
        frame.write_excel(folder / f"{kind}.xlsx", autofit=False)
    elif style == "split" and "district_id" in frame.columns:
        (folder / kind).mkdir(exist_ok=True)
        for (district,), part in frame.group_by("district_id", maintain_order=True):
            part.write_csv(folder / kind / f"{kind}_{district}.csv")
    elif style == "bom":
        with (folder / f"{kind}.csv").open("wb") as handle:
            handle.write(b"\xef\xbb\xbf")
            frame.write_csv(handle)
    else:
        frame.write_csv(folder / f"{kind}.csv")


def _style(kind: str, index: int, mixed: bool) -> str:
    if not mixed:
        return "bom" if (kind == "students" and index == 0) else "csv"
    return {("exits", 3): "xlsx", ("credentials", 2): "xlsx", ("roster", 1): "split",
            ("students", 0): "bom"}.get((kind, index), "csv")


def generate(options: GenerateOptions, data_dir: Path, progress: Callable[[str], None]) -> None:
    generator = Generator(options)
    reference = data_dir / "raw" / "reference"
    lists = {**reference_frames(), **recipient_frames(generator.population.n_schools, options.years, options.seed)}
    if options.output_format == "edfi":
        lists["edfi_descriptor_map"] = state_descriptor_map()
    for kind, frame in lists.items():
        write_extract(frame, reference, kind, "csv")
    for index, year in enumerate(options.years):
        frames = {kind: _inject_errors(kind, frame, options.error_rate, generator.rng)
                  for kind, frame in generator.year(index, year).items()}
        folder = data_dir / "raw" / label(year)
        if options.output_format == "edfi":
            write_edfi_year(frames, folder, year, lists["programs"])
            progress(f"{label(year)} Ed-Fi resources: {frames['students'].height:,} students")
            frames = {kind: frame for kind, frame in frames.items() if kind not in ANCHORS}
        for kind, frame in frames.items():
            if kind == "roster" and index % 2 == 1:
                # Some systems export semester codes and a notes column nobody asked for.
                frame = frame.with_columns(pl.col("term").replace({"0": "FY", "1": "S1", "2": "S2"}),
                                           pl.lit("").alias("notes"))
            if kind == "exits" and index % 2 == 1:
                frame = _us_dates(frame)
            write_extract(frame, folder, kind, _style(kind, index, options.mixed_formats))
            progress(f"{label(year)} {kind}: {frame.height:,} rows")
