"""The state's reference lists of a generated state: programs, courses, credential catalog,
eligible recipients and performance levels."""

import numpy as np
import polars as pl

from pipeline.core.years import label
from pipeline.synthetic.population import Catalog, district_ids
from pipeline.synthetic.reference_data import CREDENTIALS, PROGRAMS

# State performance levels (percent) per indicator, close to what the generated state reaches.
STATE_LEVELS = {"1S1": 92.0, "1S2": 93.0, "GRAD_EXIT": 90.0, "2S1": 52.0, "2S2": 38.0, "2S3": 44.0,
                "3S1": 72.0, "4S1": 25.0, "5S1": 40.0, "5S2": 20.0, "5S3": 25.0}


def reference_frames() -> dict[str, pl.DataFrame]:
    programs = pl.DataFrame({
        "program_code": [p[0] for p in PROGRAMS], "program_name": [p[1] for p in PROGRAMS],
        "cip_code": [p[2] for p in PROGRAMS], "career_cluster": [p[3] for p in PROGRAMS],
        "program_area": [p[4] for p in PROGRAMS], "nontrad_gender": [p[5] for p in PROGRAMS],
    })
    catalog = Catalog()
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


def recipient_frames(n_schools: int, years: list[int], seed: int) -> dict[str, pl.DataFrame]:
    """Eligible recipients (most districts alone, small ones in consortia, one area CTE center)
    and the state's performance levels with a few locally negotiated ones."""
    rng = np.random.default_rng(seed + 7)
    districts = district_ids(np.arange((n_schools + 2) // 3)).tolist()
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
