"""Synthetic placement records (docs/placement-records.md) for `ctesnap generate`: what a state's matches with the
National Student Clearinghouse, its unemployment-insurance wage records and its military and
national-service lists return for one year's leavers.

What it assumes (said in the README too): the state searches every leaver who did not transfer or
die; the records find most of what the survey says about a student (the college 90 percent of the
time, the job 85, the enlistment or service term 90) and rarely something the survey missed;
leavers nobody surveyed are in college, employed, enlisted or serving as often as surveyed ones.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

# How often records find what is there, and find something the survey did not report.
FOUND = {"postsecondary": 0.90, "employment": 0.85, "military": 0.90, "service": 0.90}
FOUND_UNREPORTED = 0.03
# For leavers with no survey: how often each placement is there to be found.
UNSURVEYED = {"postsecondary": 0.62, "employment": 0.68, "military": 0.04, "service": 0.015}
BRANCHES = np.array(["ARMY", "NAVY", "AIR_FORCE", "MARINE_CORPS", "COAST_GUARD", "SPACE_FORCE", "NATIONAL_GUARD",
                     "RESERVE"])
OTHER_CIPS = np.array(["24.0101", "52.0201", "51.3801", "11.0701", "45.1001", "26.0101", "13.1210", "47.0604"])
STATUSES = (np.array(["F", "H", "Q", "L", ""]), [0.62, 0.14, 0.08, 0.06, 0.10])
# The Clearinghouse's detail return file, in its own column order (docs/placement-records.md).
NSC_COLUMNS = ("Your Unique Identifier", "First Name", "Middle Initial", "Last Name", "Name Suffix",
               "Requester Return Field", "Record Found Y/N", "Search Date", "College Code/Branch", "College Name",
               "College State", "2-year / 4-year", "Public / Private", "Enrollment Begin", "Enrollment End",
               "Enrollment Status", "Class Level", "Enrollment Major 1", "Enrollment CIP 1", "Graduated?",
               "Graduation Date", "Degree Title", "Degree Major 1", "Degree CIP 1", "College Sequence")


@dataclass(frozen=True)
class Leavers:
    """The leavers of Y-1 the state searches, and what the survey of Y says about each."""

    student_id: np.ndarray
    exit_date: np.ndarray  # datetime64[D]
    first_name: np.ndarray
    last_name: np.ndarray
    cip: np.ndarray  # the CIP code of their last program ("" when none)
    surveyed: np.ndarray  # bool
    survey: dict[str, np.ndarray]  # placement type -> the survey shows it (bool)


def _quarter_bounds(exit_date: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last day of each measurement quarter: the second after the exit's quarter."""
    months = exit_date.astype("datetime64[M]")
    quarter = (months.astype(int) // 3) * 3 + 6  # months since 1970 of the measurement quarter's start
    start = quarter.astype("datetime64[M]").astype("datetime64[D]")
    end = (quarter + 3).astype("datetime64[M]").astype("datetime64[D]") - np.timedelta64(1, "D")
    return start, end


def _present(rng: np.random.Generator, leavers: Leavers) -> dict[str, np.ndarray]:
    """Which placements records find, per type."""
    n = leavers.student_id.size
    found = {}
    for kind, share in FOUND.items():
        there = np.where(leavers.surveyed, leavers.survey[kind], rng.random(n) < UNSURVEYED[kind])
        found[kind] = np.where(there, rng.random(n) < share, rng.random(n) < FOUND_UNREPORTED * leavers.surveyed)
    return found


def _days(rng: np.random.Generator, low: int, high: int, n: int) -> np.ndarray:
    return rng.integers(low, high, n).astype("timedelta64[D]")


def _compact(days: np.ndarray) -> np.ndarray:
    """Dates as the Clearinghouse writes them: YYYYMMDD."""
    return np.char.replace(days.astype(str), "-", "")


def _nsc_detail(rng: np.random.Generator, leavers: Leavers, enrolled: np.ndarray, start: np.ndarray,
                end: np.ndarray, year: int) -> pl.DataFrame:
    """One row per enrollment found, one `N` row per leaver with nothing found."""
    n = leavers.student_id.size
    begin = start - _days(rng, 0, 40, n)
    finish = end - _days(rng, 0, 20, n)
    related = rng.random(n) < 0.55
    cip = np.where(related & (leavers.cip != ""), leavers.cip, rng.choice(OTHER_CIPS, n))
    cip = np.where(rng.random(n) < 0.3, np.char.replace(cip.astype(str), ".", ""), cip)
    status = rng.choice(STATUSES[0], n, p=STATUSES[1])
    college = np.char.add(np.char.mod("%06d", rng.integers(1000, 40000, n)), "-00")
    columns = {
        "Your Unique Identifier": leavers.student_id, "First Name": leavers.first_name, "Middle Initial": "",
        "Last Name": leavers.last_name, "Name Suffix": "", "Requester Return Field": "",
        "Record Found Y/N": np.where(enrolled, "Y", "N"),
        "Search Date": np.full(n, date(year, 2, 15).strftime("%Y%m%d")),
        "College Code/Branch": np.where(enrolled, college, ""), "College Name": np.where(enrolled, "STATE COLLEGE", ""),
        "College State": np.where(enrolled, "AZ", ""),
        "2-year / 4-year": np.where(enrolled, rng.choice(["2", "4", "L"], n, p=[0.5, 0.45, 0.05]), ""),
        "Public / Private": np.where(enrolled, "Public", ""),
        "Enrollment Begin": np.where(enrolled, _compact(begin), ""),
        "Enrollment End": np.where(enrolled, _compact(finish), ""),
        "Enrollment Status": np.where(enrolled, status, ""), "Class Level": np.where(enrolled, "F", ""),
        "Enrollment Major 1": "", "Enrollment CIP 1": np.where(enrolled, cip, ""),
        "Graduated?": np.where(enrolled, "N", ""), "Graduation Date": "", "Degree Title": "", "Degree Major 1": "",
        "Degree CIP 1": "", "College Sequence": np.where(enrolled, "1", ""),
    }
    return pl.DataFrame({name: np.broadcast_to(np.asarray(columns[name]), n) for name in NSC_COLUMNS})


def _wage_records(rng: np.random.Generator, leavers: Leavers, employed: np.ndarray, start: np.ndarray
                  ) -> pl.DataFrame:
    """Wages from one to three employers in the measurement quarter and the one before it."""
    who = np.flatnonzero(employed)
    employers = rng.integers(1, 4, who.size)
    student = np.repeat(who, employers * 2)
    quarter_start = np.repeat(start[who], employers * 2)
    earlier = np.tile([1, 0], int(employers.sum())).astype(bool)
    months = quarter_start.astype("datetime64[M]").astype(int) - np.where(earlier, 3, 0)
    employer = np.char.mod("EMP%05d", rng.integers(0, 20000, student.size))
    return pl.DataFrame({
        "student_id": leavers.student_id[student],
        "year": months // 12 + 1970, "quarter": (months % 12) // 3 + 1,
        "employer_id": employer, "naics": rng.choice(["722511", "445110", "621111", "238210", "452210"],
                                                      student.size),
        "wages": np.round(rng.uniform(600, 6500, student.size), 2),
    })


def _terms(rng: np.random.Generator, leavers: Leavers, found: np.ndarray, start: np.ndarray, end: np.ndarray,
           kind: str) -> pl.DataFrame:
    """Enlistments or service terms that began before the quarter's end and last past its start."""
    who = np.flatnonzero(found)
    begins = start[who] - _days(rng, 0, 90, who.size)
    if kind == "military_service":
        return pl.DataFrame({"student_id": leavers.student_id[who], "branch": rng.choice(BRANCHES, who.size),
                             "entry_date": begins.astype(str), "separation_date": np.full(who.size, "")})
    return pl.DataFrame({"student_id": leavers.student_id[who],
                         "program": rng.choice(["NATIONAL_SERVICE", "PEACE_CORPS"], who.size, p=[0.8, 0.2]),
                         "start_date": begins.astype(str), "end_date": (end[who] + _days(rng, 90, 300, who.size))
                         .astype(str)})


def placement_records(rng: np.random.Generator, leavers: Leavers, year: int) -> dict[str, pl.DataFrame]:
    """The four record files of year Y about the leavers of Y-1 (the first year has none: no file)."""
    if leavers.student_id.size == 0:
        return {}
    start, end = _quarter_bounds(leavers.exit_date)
    found = _present(rng, leavers)
    return {
        "nsc_detail": _nsc_detail(rng, leavers, found["postsecondary"], start, end, year),
        "wage_records": _wage_records(rng, leavers, found["employment"], start),
        "military_service": _terms(rng, leavers, found["military"], start, end, "military_service"),
        "service_programs": _terms(rng, leavers, found["service"], start, end, "service_programs"),
    }
