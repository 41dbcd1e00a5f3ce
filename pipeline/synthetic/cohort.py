"""The state's files about a generated year's students: graduation cohorts and assessment results."""

from datetime import date

import numpy as np
import polars as pl

from pipeline.synthetic.population import Population, random_dates, student_ids

GRADUATE_CODES = ["G", "S7", "W7"]
# Proficiency by subject, less for some groups, as state results show (shares, not a model).
PROFICIENCY = {"READING": 0.58, "MATH": 0.44, "SCIENCE": 0.50}
PROFICIENCY_GAPS = {"econ_disadvantaged": 0.14, "english_learner": 0.25, "disability": 0.30}
SUBJECT_GRADE = {"READING": 10, "MATH": 10, "SCIENCE": 11}


def graduation_cohort_frame(pop: Population, index: int) -> pl.DataFrame:
    """The adjusted cohorts reported in this year: four-year (grade 12 this year on time) and
    five-year extended (grade 12 the year before); transfers out and deaths leave a cohort."""
    on_time = pop["grade0"] + index - pop["entry_year"]
    four = on_time == 12
    extended = on_time == 13
    members = np.flatnonzero((four | extended) & ~np.isin(pop["exit_code"], ["T", "D"]))
    graduated = np.isin(pop["exit_code"][members], GRADUATE_CODES) & (pop["exit_year"][members] <= index)
    return pl.DataFrame({
        "student_id": student_ids(members),
        "in_four_year_cohort": np.where(four[members], "Y", "N"),
        "graduated_four_year": np.where(four[members] & graduated, "Y", "N"),
        "in_extended_cohort": np.where(extended[members], "Y", "N"),
        "graduated_extended": np.where(extended[members] & graduated, "Y", "N"),
    })

def assessments_frame(pop: Population, rng: np.random.Generator, active: np.ndarray, grade: np.ndarray,
                      year: int) -> pl.DataFrame:
    """ESEA high-school tests: reading and mathematics in grade 10, science in grade 11."""
    parts = []
    for subject, share in PROFICIENCY.items():
        tested = active[grade[active] == SUBJECT_GRADE[subject]]
        chance = share - sum(np.where(pop[flag][tested], gap, 0.0) for flag, gap in PROFICIENCY_GAPS.items())
        parts.append(pl.DataFrame({
            "student_id": student_ids(tested),
            "subject": np.full(tested.size, subject),
            "test_date": random_dates(date(year, 3, 10), 70, tested.size, rng),
            "proficient": np.where(rng.random(tested.size) < chance, "Y", "N"),
            "included_in_accountability": np.where(rng.random(tested.size) < 0.97, "Y", "N"),
        }).with_columns(pl.col("test_date").cast(pl.String)))
    return pl.concat(parts)
