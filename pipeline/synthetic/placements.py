"""The follow-up survey of a generated year, about last year's leavers, and the placement
records the state's matches return for them (pipeline/synthetic/records.py)."""

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from pipeline.synthetic.population import FIRST_NAMES, LAST_NAMES, Catalog, Population, random_dates, student_ids
from pipeline.synthetic.records import Leavers, placement_records

EDUCATION = (["PUBLIC_POSTSECONDARY", "PRIVATE_POSTSECONDARY", "TECH_CENTER_ADULT", "NOT_ATTENDING",
              "SECONDARY", "UNKNOWN"], [0.42, 0.09, 0.07, 0.36, 0.02, 0.04])
EMPLOYMENT = (["FULL_TIME", "PART_TIME", "MILITARY", "UNEMPLOYED_SEEKING", "NOT_IN_LABOR_FORCE",
               "UNKNOWN"], [0.34, 0.34, 0.05, 0.06, 0.17, 0.04])


@dataclass(frozen=True)
class LastYear:
    """What the survey of a year needs of the year before: who left, its index, and every grade."""

    exits: np.ndarray
    index: int
    grade: np.ndarray


def placement_frames(pop: Population, rng: np.random.Generator, cat: Catalog, last_year: LastYear,
                     survey_profile: str, year: int) -> dict[str, pl.DataFrame]:
    """The follow-up survey of year Y about the leavers of Y-1, and the placement records the
    state's matches return for them (docs/placement-records.md)."""
    leavers = last_year.exits
    searched = leavers[~np.isin(pop["exit_code"][leavers], ["T", "D"])]
    eligible = searched[_surveyed(pop, last_year, survey_profile, searched)]
    surveyed = eligible[rng.random(eligible.size) < 0.96]
    n = surveyed.size
    deceased = rng.random(n) < 0.003
    employment = np.where(deceased, "UNKNOWN", rng.choice(EMPLOYMENT[0], n, p=EMPLOYMENT[1]))
    education = np.where(deceased, "UNKNOWN", rng.choice(EDUCATION[0], n, p=EDUCATION[1]))
    service = rng.choice(["NONE", "NATIONAL_SERVICE", "PEACE_CORPS"], n, p=[0.985, 0.012, 0.003])
    frame = pl.DataFrame({
        "student_id": student_ids(surveyed),
        "survey_date": random_dates(date(year - 1, 10, 1), 150, n, rng),
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
    records = placement_records(rng, _leavers(pop, cat, searched, surveyed, shown), year)
    return {"placements": frame.with_columns(pl.col("survey_date").cast(pl.String)), **records}

def _leavers(pop: Population, cat: Catalog, searched: np.ndarray, surveyed: np.ndarray,
             shown: dict[str, np.ndarray]) -> Leavers:
    """What the record generator needs of the leavers the state searches."""
    survey = {}
    for kind, flags in shown.items():
        everyone = np.zeros(pop.n, bool)
        everyone[surveyed[flags]] = True
        survey[kind] = everyone[searched]
    was_surveyed = np.zeros(pop.n, bool)
    was_surveyed[surveyed] = True
    program = pop["program"][searched]
    return Leavers(
        student_id=student_ids(searched), exit_date=pop["exit_date"][searched],
        first_name=np.array(FIRST_NAMES)[pop["first"][searched]],
        last_name=np.array(LAST_NAMES)[pop["last"][searched]],
        cip=np.where(program >= 0, cat.cip[np.maximum(program, 0)], ""),
        surveyed=was_surveyed[searched], survey=survey)

def _surveyed(pop: Population, last_year: LastYear, profile: str, leavers: np.ndarray) -> np.ndarray:
    """Which leavers the survey covers: concentrators as the chosen profile sees them (two
    courses; az: two credits without work-based learning and a course in the exit year;
    wi: grade 11 or 12), or under every profile at once."""
    chosen = pop["concentrator"][leavers].copy()
    if profile in ("az", "all"):
        chosen &= (pop["program_credits"][leavers] >= 2.0) & (pop["program_year"][leavers] == last_year.index)
    if profile in ("wi", "all"):
        chosen &= last_year.grade[leavers] >= 11
    return chosen
