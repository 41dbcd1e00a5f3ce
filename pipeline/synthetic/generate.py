"""Realistic synthetic extracts for a whole state, deterministic for a seed.

A population is simulated year by year with NumPy arrays (no Python loop over students):
students move up a grade, join a CTE program, take its courses in sequence, pass or fail,
sometimes switch programs, and leave by graduating, dropping out, transferring or ageing out.
Credential exams and the follow-up survey of last year's leavers come from the same history.
The state's graduation cohorts, assessment results, eligible recipients and performance levels
come from the same population. A small, configurable share of rows carries the errors real
deliveries have.

One module per extract kind (students.py, roster.py, exits.py, credentials.py, placements.py with
records.py, cohort.py), the simulated population and catalog (population.py), the reference lists
(reference_lists.py) and how files are delivered (files.py); this module runs the years in order.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from pipeline.core.years import label
from pipeline.ingest.edfi.extracts import ANCHORS
from pipeline.ingest.edfi.writer import state_descriptor_map, write_edfi_year
from pipeline.synthetic.cohort import assessments_frame, graduation_cohort_frame
from pipeline.synthetic.credentials import credentials_frame
from pipeline.synthetic.exits import exits_frame
from pipeline.synthetic.files import delivery_style, inject_errors, us_dates, write_extract
from pipeline.synthetic.placements import LastYear, placement_frames
from pipeline.synthetic.population import Catalog, Population
from pipeline.synthetic.reference_lists import recipient_frames, reference_frames
from pipeline.synthetic.roster import roster_frame
from pipeline.synthetic.students import students_frame


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


class Generator:
    """The state, simulated one school year after another; each year gives its extracts."""

    def __init__(self, options: GenerateOptions) -> None:
        self.options = options
        self.rng = np.random.default_rng(options.seed)
        self.catalog = Catalog()
        # About 1,200 districts at 1.7 M students (three schools a district), as in Texas.
        n_schools = max(6, options.students // 470)
        self.population = Population(self.rng, options.students, n_schools)
        self.last_year = LastYear(exits=np.array([], dtype=int), index=-1, grade=np.array([], dtype=int))

    def year(self, index: int, year: int) -> dict[str, pl.DataFrame]:
        pop, rng = self.population, self.rng
        if index > 0:
            active_count = int(((pop["exit_year"] < 0) & (pop["grade0"] + index - pop["entry_year"] <= 12)).sum())
            pop.add(max(self.options.students - active_count, 0),
                    grades=rng.choice([8, 9], max(self.options.students - active_count, 0), p=[0.3, 0.7]),
                    year=index)
        grade = pop["grade0"] + index - pop["entry_year"]
        active = np.flatnonzero((pop["exit_year"] < 0) & (pop["entry_year"] <= index) & (grade <= 12))
        cat = self.catalog
        frames = {"students": students_frame(pop, active, grade, year)}
        roster, roster_rows = roster_frame(pop, rng, cat, active, grade, year, index)
        frames["roster"] = roster
        frames["exits"], leavers = exits_frame(pop, rng, active, grade, index, year)
        frames["credentials"] = credentials_frame(rng, cat, roster_rows, year)
        frames.update(placement_frames(pop, rng, cat, self.last_year, self.options.survey_profile, year))
        frames["graduation_cohort"] = graduation_cohort_frame(pop, index)
        frames["assessments"] = assessments_frame(pop, rng, active, grade, year)
        self.last_year = LastYear(exits=leavers, index=index, grade=grade)
        return frames


def generate(options: GenerateOptions, data_dir: Path, progress: Callable[[str], None]) -> None:
    generator = Generator(options)
    reference = data_dir / "raw" / "reference"
    lists = {**reference_frames(), **recipient_frames(generator.population.n_schools, options.years, options.seed)}
    if options.output_format == "edfi":
        lists["edfi_descriptor_map"] = state_descriptor_map()
    for kind, frame in lists.items():
        write_extract(frame, reference, kind, "csv")
    for index, year in enumerate(options.years):
        frames = {kind: inject_errors(kind, frame, options.error_rate, generator.rng)
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
                frame = us_dates(frame)
            write_extract(frame, folder, kind, delivery_style(kind, index, options.mixed_formats))
            progress(f"{label(year)} {kind}: {frame.height:,} rows")
