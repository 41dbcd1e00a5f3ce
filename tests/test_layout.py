"""The README's "Layout" is where a newcomer looks first (issue 21): every folder and module it
names is there, and every stage folder of pipeline/ and of models/intermediate/ is named."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME_WIDTH = 23  # the layout's first column: names; then what they hold


def _entries() -> dict[Path, str]:
    """Each path of the layout with its description (continuation lines included)."""
    block = ROOT.joinpath("README.md").read_text().split("## Layout", 1)[1].split("```")[1]
    entries: dict[Path, str] = {}
    parent, last = ROOT, None
    for line in block.strip("\n").splitlines():
        names, description = line[:NAME_WIDTH].split(), line[NAME_WIDTH:]
        if not names:  # a description goes on
            entries[last] += " " + description
            continue
        nested = line.startswith("  ")
        for name in names:
            path = (parent if nested else ROOT) / name
            entries[path] = description
            last = path
        if not nested:
            parent = ROOT / names[0]
    return entries


def test_every_path_the_layout_names_exists():
    entries = _entries()
    assert len(entries) > 15
    assert [p.relative_to(ROOT).as_posix() for p in entries if not p.exists()] == []
    # Modules a stage's description names are in that stage's folder.
    missing = [(folder.name, module) for folder, text in entries.items() if folder.is_dir()
               and folder.parent.name == "pipeline" for module in re.findall(r"\b[a-z_]+\.py\b", text)
               if not any(folder.rglob(module))]
    assert missing == []


def test_every_stage_and_rule_folder_is_in_the_layout():
    entries = _entries()
    stages = {p for p in (ROOT / "pipeline").iterdir() if p.is_dir() and not p.name.startswith("__")}
    assert stages <= set(entries)
    intermediate = ROOT / "dbt_project" / "models" / "intermediate"
    folders = {p.name for p in intermediate.iterdir() if p.is_dir()}
    assert folders and folders <= set(re.findall(r"(\w+)/", entries[intermediate]))
