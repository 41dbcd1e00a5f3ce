"""The rules in the project's own words (docs/, issue 21): the site builds without a warning, and
its tables of profiles, indicators and commands are the seeds and the CLI, not copies of them."""

import csv
import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.core.paths import DBT_PROJECT_DIR

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = str(Path(sys.executable).with_name("mkdocs"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    result = subprocess.run([MKDOCS, "build", "--strict", "--site-dir", str(target)], cwd=ROOT,
                            capture_output=True, text=True, timeout=300,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    return target


def _tables(page: Path) -> list[list[list[str]]]:
    """Every table of a built page: its rows, each a list of cell texts (markup removed)."""
    text = page.read_text()
    return [[[html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
              for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
             for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
            for table in re.findall(r"<table>(.*?)</table>", text, re.S)]


def _seed(name: str) -> list[dict[str, str]]:
    with (DBT_PROJECT_DIR / "seeds" / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_profiles_page_is_the_seed(site):
    profiles = _seed("rule_profiles")
    table = _tables(site / "profiles" / "index.html")[0]
    assert table[0] == ["parameter", *(p["profile"] for p in profiles)]
    assert table[1:] == [[parameter, *(p[parameter] for p in profiles)] for parameter in profiles[0]
                         if parameter != "profile"]
    assert ["excluded_course_types", "", "internship|coop|dce", ""] in table  # a cell with a bar in it


def test_the_indicators_page_lists_every_indicator_in_order(site):
    table = _tables(site / "indicators" / "index.html")[0]
    expected = sorted(_seed("indicators"), key=lambda row: int(row["display_order"]))
    assert [row[:2] for row in table[1:]] == [[row["indicator"], row["name"]] for row in expected]


def test_every_command_and_extract_kind_has_its_section(site):
    from pipeline.cli import main
    from pipeline.ingest.schema import EXTRACT_KINDS

    commands = (site / "commands" / "index.html").read_text()
    assert all(f'id="ctesnap-{name}"' in commands for name in main.commands)
    assert "--reason TEXT" in commands  # the snapshot command's own help
    inputs = (site / "inputs" / "index.html").read_text()
    assert all(f'id="{kind}' in inputs for kind in EXTRACT_KINDS)
    assert "Your Unique Identifier" in inputs  # a Clearinghouse header, from the declaration
