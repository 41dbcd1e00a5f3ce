"""The simulated state: every student ever enrolled, and the programs and courses they take,
as NumPy arrays (no Python loop over students)."""

from datetime import date

import numpy as np

from pipeline.ingest.schema import SPECIAL_POPULATIONS
from pipeline.synthetic.reference_data import PROGRAMS

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
FIRST_DISTRICT = 1001


class Catalog:
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


class Population:
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


def student_ids(index: np.ndarray) -> np.ndarray:
    return (index + 1_000_000_001).astype(str)


def district_ids(district: np.ndarray) -> np.ndarray:
    return (district + FIRST_DISTRICT).astype(str)


def school_ids(school: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """District and school identifiers as whole numbers, as Ed-Fi has them (school 10012 is the
    second school of district 1001)."""
    district = school // 3
    return district_ids(district), ((district + FIRST_DISTRICT) * 10 + school % 3 + 1).astype(str)


def random_dates(start: date, span_days: int, count: int, rng: np.random.Generator) -> np.ndarray:
    days = rng.integers(0, max(span_days, 1), count)
    return np.datetime64(start) + days.astype("timedelta64[D]")
