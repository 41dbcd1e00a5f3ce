"""School-year labels: year 2025 is labelled 2024-25 (Ed-Fi convention, the year it ends)."""

import re

_LABEL = re.compile(r"^(\d{4})-(\d{2})$")


class YearError(ValueError):
    """A school year typed by a user that is neither `2024-25` nor `2025`."""


def parse_year(text: str) -> int:
    """Return the ending calendar year of a school year typed as `2024-25` or `2025`."""
    text = text.strip()
    if text.isdigit() and len(text) == 4:
        return int(text)
    match = _LABEL.match(text)
    if match:
        start, end = int(match.group(1)), int(match.group(2))
        if (start + 1) % 100 == end:
            return start + 1
    raise YearError(f"'{text}' is not a school year: type it as 2024-25 or 2025")


def label(year: int) -> str:
    """Return the label people see for a school year: 2025 -> '2024-25'."""
    return f"{year - 1}-{year % 100:02d}"


def year_range(first: str, last: str) -> list[int]:
    """Every school year from `first` to `last`, both included, in order."""
    start, end = parse_year(first), parse_year(last)
    if end < start:
        raise YearError(f"{first} comes after {last}")
    return list(range(start, end + 1))


def parse_range(text: str) -> list[int]:
    """A range typed as `2021-22..2024-25`."""
    first, sep, last = text.partition("..")
    if not sep:
        return [parse_year(text)]
    return year_range(first, last)

