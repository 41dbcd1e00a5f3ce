"""The students extract of a generated year."""

from datetime import date

import numpy as np
import polars as pl

from pipeline.ingest.schema import SPECIAL_POPULATIONS
from pipeline.synthetic.population import FIRST_NAMES, LAST_NAMES, Population, school_ids, student_ids


def students_frame(pop: Population, active: np.ndarray, grade: np.ndarray, year: int) -> pl.DataFrame:
    """The students extract: every active student, with the personal columns real extracts carry."""
    district, school = school_ids(pop["school"][active])
    g = grade[active]
    birth = np.datetime64(date(year - 1, 9, 1)) - ((g + 5) * 365 + pop["birth_offset"][active]).astype(
        "timedelta64[D]")
    first = np.array(FIRST_NAMES)[pop["first"][active]]
    last = np.array(LAST_NAMES)[pop["last"][active]]
    frame = pl.DataFrame({
        "student_id": student_ids(active), "district_id": district, "school_id": school,
        "last_name": last, "first_name": first, "birth_date": birth,
        "grade_level": np.char.mod("%02d", g),
        "gender": pop["gender"][active], "race_ethnicity": pop["race"][active],
        **{flag: np.where(pop[flag][active], "Y", "N") for flag in SPECIAL_POPULATIONS},
        "migrant": np.where(pop["migrant"][active], "Y", "N"),
        "email": np.char.add(np.char.add(np.char.lower(first.astype(str)), "."),
                             np.char.add(student_ids(active), "@students.example.org")),
    })
    return frame.with_columns(pl.col("birth_date").cast(pl.String))
