"""MkDocs hook: the tables the rules are made of, generated from where they live.

A page names a table with a marker on a line of its own, for example `<!-- table: profiles -->`;
the marker is replaced by a Markdown table read from the dbt seeds, the extract declaration
(pipeline/ingest/schema.py) or the CLI, so the documentation says what the code does.
"""

import re
from collections.abc import Callable
from typing import Any

import click

from pipeline.cli import main as cli
from pipeline.core.paths import DBT_PROJECT_DIR, seed_rows
from pipeline.exports.report import indicator_definitions
from pipeline.ingest.schema import EXTRACTS, REFERENCES, Column, Extract

MARKER = re.compile(r"^<!-- table: (\w+) -->$", re.MULTILINE)


def _table(header: list[str], rows: list[list[str]]) -> str:
    def cell(value: str) -> str:
        return value.replace("|", "\\|").replace("\n", " ") or " "

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def profiles() -> str:
    """seeds/rule_profiles.csv turned on its side: one row per parameter, one column per profile."""
    rows = seed_rows("rule_profiles")
    parameters = [p for p in rows[0] if p != "profile"]
    return _table(["parameter", *(f"`{r['profile']}`" for r in rows)],
                  [[f"`{p}`", *(r[p] for r in rows)] for p in parameters])


def indicators() -> str:
    rows = indicator_definitions().values()
    return _table(["indicator", "name", "numerator", "denominator", "source"],
                  [[f"`{r['indicator']}`", r["name"], r["numerator"], r["denominator"], r["source"]] for r in rows])


def exit_codes() -> str:
    rows = seed_rows("exit_codes")
    yes = {"true": "yes", "false": ""}
    return _table(["code", "meaning", "graduate", "placement eligible", "summer exit"],
                  [[f"`{r['exit_code']}`", r["meaning"], yes[r["is_graduate"]], yes[r["is_placement_eligible"]],
                    yes[r["is_summer"]]] for r in rows])


def group_values() -> str:
    rows = seed_rows("group_values")
    return _table(["group type", "values (every one has a cell, zero counts included)"],
                  [[f"`{t}`", ", ".join(f"`{r['group_value']}`" for r in rows if r["group_type"] == t)]
                   for t in dict.fromkeys(r["group_type"] for r in rows)])


def rule_checks() -> str:
    """The reason codes of each kind's rule checks, in the order they are tried: read from the
    first_failure() list of its int_<kind>_rejected model."""
    models = sorted((DBT_PROJECT_DIR / "models" / "intermediate" / "extracts").glob("int_*_rejected.sql"))
    rows = []
    for model in models:
        codes = dict.fromkeys(re.findall(r'\(\s*"[^"]*",\s*"([A-Z][A-Z_0-9]+)"', model.read_text()))
        rows.append([model.stem.removeprefix("int_").removesuffix("_rejected"), f"`{model.stem}`",
                     ", ".join(f"`{code}`" for code in codes) or "(formats only)"])
    return _table(["kind", "model", "reason codes, in the order they are tried"], rows)


def _limits(column: Column) -> str:
    parts = []
    if column.max_len:
        parts.append(f"at most {column.max_len} characters")
    if column.codes:
        parts.append("one of " + ", ".join(f"`{c}`" for c in column.codes))
    if column.aliases:
        parts.append("also written " + ", ".join(f"`{a}` for `{c}`" for a, c in column.aliases.items()))
    if column.bounds:
        parts.append(f"from {column.bounds[0]:,g} to {column.bounds[1]:,g}")
    if column.type == "yn":
        parts.append("Y or N" + (f" (empty: {column.default})" if column.default else ""))
    if column.personal:
        parts.append("personal: read, never written anywhere")
    return "; ".join(parts)


def _extract_table(extract: Extract) -> str:
    return _table(["column", "in the file", "type", "required", "limits"],
                  [[f"`{c.name}`", f"`{c.label}`", c.type, "yes" if c.required else "", _limits(c)]
                   for c in extract.columns])


def extracts() -> str:
    return "\n\n".join(f"### {kind}{' (optional)' if e.optional else ''}\n\n{_extract_table(e)}"
                       for kind, e in EXTRACTS.items())


def references() -> str:
    return "\n\n".join(f"### reference/{kind}{' (optional)' if e.optional else ''}\n\n{_extract_table(e)}"
                       for kind, e in REFERENCES.items())


def commands() -> str:
    """Every `ctesnap` command with its options, as `--help` prints them."""
    context = click.Context(cli, info_name="ctesnap")
    sections = []
    for name in cli.list_commands(context):
        command = cli.get_command(context, name)
        help_text = command.get_help(click.Context(command, info_name=f"ctesnap {name}", parent=context))
        sections.append(f"### ctesnap {name}\n\n```text\n{help_text}\n```")
    return "\n\n".join(sections)


TABLES: dict[str, Callable[[], str]] = {
    "profiles": profiles, "indicators": indicators, "exit_codes": exit_codes, "group_values": group_values,
    "rule_checks": rule_checks, "extracts": extracts, "references": references, "commands": commands,
}


def on_page_markdown(markdown: str, **_: Any) -> str:
    return MARKER.sub(lambda match: TABLES[match.group(1)](), markdown)
