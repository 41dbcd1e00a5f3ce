"""Jobs: compute a school year, certify it, report on it."""

import dagster as dg

compute_selection = dg.AssetSelection.groups("ingest", "staging", "rules", "perkins", "audit")

school_year_job = dg.define_asset_job(
    "school_year", selection=compute_selection,
    description="Ingest, derive and check one school year (the current view).")

certify_job = dg.define_asset_job(
    "certify", selection=compute_selection | dg.AssetSelection.groups("snapshot"),

    description="Recompute the year, run every expectation, and publish the December snapshot.")

amend_job = dg.define_asset_job(
    "amend", selection=compute_selection | dg.AssetSelection.groups("snapshot"),
    description="Certify a certified year again (docs/snapshot.md#amendments): give snapshot_date, reason, "
                "approved_by and requested_by in the run configuration of december_snapshot.")

report_job = dg.define_asset_job(
    "report", selection=dg.AssetSelection.groups("reports"),
    description="Write the review report of the year's current view.")

export_job = dg.define_asset_job(
    "export", selection=dg.AssetSelection.groups("exports"),
    description="Write the CAR tables, public tables and recipient packets of the year's latest snapshot.")

compare_job = dg.define_asset_job(
    "compare", selection=dg.AssetSelection.groups("compare"),
    description="Compare the year under two profiles (run configuration: comparison.config.profiles = A,B) or "
                "proposed levels against certified years (comparison.config.levels_file).")
