"""The exits extract of a generated year."""

from datetime import date

import numpy as np
import polars as pl

from pipeline.synthetic.population import Population, random_dates, school_ids, student_ids

# Exit codes by the grade a student leaves from, with their shares.
GRADUATE_EXITS = (["G", "S7", "W7", "A", "S4", "S6", "S11"], [0.88, 0.05, 0.03, 0.02, 0.01, 0.005, 0.005])
EARLY_EXITS = (["T", "W5", "S5", "W11", "W4", "D"], [0.62, 0.18, 0.08, 0.06, 0.058, 0.002])


def exits_frame(pop: Population, rng: np.random.Generator, active: np.ndarray, grade: np.ndarray, index: int,
                year: int) -> tuple[pl.DataFrame, np.ndarray]:
    """The exits extract of the year, and who left: seniors graduate (mostly), a few others leave early."""
    g = grade[active]
    seniors = active[g == 12]
    early = active[(g < 12) & (rng.random(active.size) < np.where(g >= 9, 0.05, 0.02))]
    codes = np.concatenate([rng.choice(GRADUATE_EXITS[0], seniors.size, p=GRADUATE_EXITS[1]),
                            rng.choice(EARLY_EXITS[0], early.size, p=EARLY_EXITS[1])])
    leavers = np.concatenate([seniors, early])
    pop["exit_year"][leavers] = index
    pop["exit_code"][leavers] = codes
    first, last = date(year - 1, 9, 1), date(year, 6, 30)
    during = random_dates(first, (last - first).days, leavers.size, rng)
    june = random_dates(date(year, 5, 25), 14, leavers.size, rng)
    january = random_dates(date(year, 1, 10), 20, leavers.size, rng)
    summer = random_dates(date(year, 7, 1), 90, leavers.size, rng)
    exit_date = np.where(np.isin(codes, ["G", "A"]), june,
                         np.where(codes == "W7", january,
                                  np.where(np.char.startswith(codes.astype(str), "S"), summer, during)))
    pop["exit_date"][leavers] = exit_date
    district, school = school_ids(pop["school"][leavers])
    frame = pl.DataFrame({"student_id": student_ids(leavers), "district_id": district,
                          "school_id": school, "exit_date": exit_date, "exit_code": codes.astype(str)})
    return frame.with_columns(pl.col("exit_date").cast(pl.String)), leavers
