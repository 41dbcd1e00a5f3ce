"""The credentials extract of a generated year."""

from datetime import date

import numpy as np
import polars as pl

from pipeline.synthetic.population import Catalog, random_dates, student_ids


def credentials_frame(rng: np.random.Generator, cat: Catalog, rows: dict, year: int) -> pl.DataFrame:
    """Credential exams of the year's course takers, with the retakes and slips districts check for."""
    count = cat.cred_count[rows["program"]]
    pick = np.flatnonzero((count > 0) & (rows["idx"] >= 1) & (rng.random(count.size) < 0.35))
    program = rows["program"][pick]
    creds = cat.cred_code[cat.cred_offset[program] + rng.integers(0, 1 << 30, pick.size) % cat.cred_count[program]]
    exam = random_dates(date(year, 3, 1), 80, pick.size, rng)
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
        "student_id": student_ids(rows["student"][rows_at]), "school_id": rows["school"][rows_at],
        "program_code": program, "course_code": course, "credential_code": creds.astype(str),
        "exam_date": exam, "result": result, "proctor_id": proctor, "teacher_id": teacher,
        "evidence": evidence,
        "evidence_ref": np.where(evidence == "none", "", np.char.add("doc-", rows_at.astype(str))),
        "certificate_number": np.where(result == "P", np.char.add("C", rows_at.astype(str)), ""),
    })
    return frame.with_columns(pl.col("exam_date").cast(pl.String))
