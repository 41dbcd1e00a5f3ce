"""Great Expectations Data Docs across runs."""

import re
import shutil

from pipeline.checks.expectations import load_suites, run_suites
from pipeline.core.paths import DataDir


def test_a_validation_renders_its_own_pages_and_indexes_every_run(hand_built, tmp_path):
    """Earlier runs' pages are left as they are (re-rendering them all would slow every run down),
    while the index still links every run's results."""
    data = DataDir(tmp_path / "data")
    shutil.copytree(hand_built("federal").root, data.root)
    site = data.root / "reports" / "gx" / "gx" / "uncommitted" / "data_docs" / "local_site"

    def pages() -> dict[str, int]:
        return {str(p.relative_to(site)): p.stat().st_mtime_ns for p in (site / "validations").rglob("*.html")}

    before = pages()
    run_suites(data, 2025)
    after = pages()

    batches = sum(len(suite["meta"]["batches"]) for suite in load_suites())
    assert len(before) == batches  # the materialization's own validation
    assert len(after) == 2 * batches
    assert all(after[page] == modified for page, modified in before.items())
    linked = set(re.findall(r'validations/[^"]+\.html', (site / "index.html").read_text()))
    assert linked == set(after)
