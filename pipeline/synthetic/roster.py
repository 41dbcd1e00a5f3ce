"""The roster extract of a generated year: CTE course taking."""

from datetime import date

import numpy as np
import polars as pl

from pipeline.synthetic.population import Catalog, Population, school_ids, student_ids

# Course taking: chance a student in a program (or not yet in one) takes CTE courses in a year,
# chance of switching programs, and how many courses a year.
TAKE_CONTINUING, TAKE_NEW, SWITCH_SHARE = 0.50, 0.42, 0.10
COURSES_PER_YEAR = [0.85, 0.13, 0.02]
SIBLING_COURSE_SHARE = 0.03  # takers who also take a course of a sibling program in the year
NONTRAD_AVOIDED = 0.65  # share of non-traditional choices made again
PERIODS = 8


def roster_frame(pop: Population, rng: np.random.Generator, cat: Catalog, active: np.ndarray, grade: np.ndarray,
                 year: int, index: int) -> tuple[pl.DataFrame, dict]:
    """The roster extract of the year (and its rows as arrays, for the credentials): students take
    their program's courses in sequence, pass or fail, and sometimes switch programs."""
    high = active[(grade[active] >= 9)]
    # Many students sample one CTE course and stop; fewer go on in a program, so that
    # concentrators are a clear minority of participants, as in real states.
    takes = high[rng.random(high.size) < np.where(pop["program"][high] >= 0, TAKE_CONTINUING, TAKE_NEW)]
    # Newcomers choose a program; some others switch and start the new sequence.
    switch = takes[(pop["program"][takes] < 0) | (rng.random(takes.size) < SWITCH_SHARE)]
    pop["program"][switch] = _choose_programs(rng, cat, pop["gender"][switch])
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
        (student, program, idx, passed, k), _sibling_course(rng, cat, takes, n, program, idx), strict=True))
    course = cat.offset[program] + idx
    credit = cat.course_credit[course]
    district, school = school_ids(pop["school"][student])
    term = np.where(credit < 1, np.where(k % 2 == 0, "1", "2"), "0")
    teacher = np.char.mod("T%05d", pop["school"][student]) + np.char.mod("%03d", cat.code_index[course] % 50)
    begin = np.where(term == "2", np.datetime64(date(year, 1, 10)), np.datetime64(date(year - 1, 8, 25)))
    end = np.where(term == "1", np.datetime64(date(year, 1, 5)), np.datetime64(date(year, 6, 5)))
    # A section meets in one period: its identifier is the course and the period.
    period = rng.integers(1, PERIODS + 1, student.size).astype(str)
    frame = pl.DataFrame({
        "student_id": student_ids(student), "district_id": district, "school_id": school,
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

def _sibling_course(rng: np.random.Generator, cat: Catalog, takes: np.ndarray, n: np.ndarray, program: np.ndarray,
                    idx: np.ndarray) -> tuple[np.ndarray, ...]:
    """A few students also take, in the same year, the next course of a sibling program (one that
    shares its course numbers): they hold two program associations at once, and the course is on
    both programs' sequences (docs/inputs.md#ed-fi-resources). (student, program, idx, passed, k) of those rows; the
    students' own program state is left as it is."""
    last = np.cumsum(n) - 1  # each taker's last row of the year
    sibling = cat.sibling[program[last]]
    nxt = (idx[last] + 1) % cat.n_courses[program[last]]
    chosen = (rng.random(takes.size) < SIBLING_COURSE_SHARE) & (sibling >= 0) \
        & (n < cat.n_courses[program[last]]) & (nxt < cat.n_courses[np.maximum(sibling, 0)])
    return takes[chosen], sibling[chosen], nxt[chosen], rng.random(int(chosen.sum())) < 0.88, n[chosen]

def _choose_programs(rng: np.random.Generator, cat: Catalog, gender: np.ndarray) -> np.ndarray:
    """Programs chosen by weight; a program non-traditional for the student's gender is
    often chosen again, so non-traditional concentration is as rare as real states report."""
    programs = rng.choice(len(cat.codes), gender.size, p=cat.weights)
    again = (cat.nontrad[programs] == gender) & (rng.random(gender.size) < NONTRAD_AVOIDED)
    programs[again] = rng.choice(len(cat.codes), int(again.sum()), p=cat.weights)
    return programs
