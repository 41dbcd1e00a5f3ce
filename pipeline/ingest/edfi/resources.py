"""The Ed-Fi API resources docs/inputs.md#ed-fi-resources reads: the properties used, and reading one resource file.

A file is a JSON array or JSON lines of the documents an ODS/API returns. Only the properties
below are read, column by column, so tens of millions of documents stream through without a
Python loop; everything else in a document (`id`, `_etag`, `link`, ...) is skipped. Integer
identifiers (schoolId, localEducationAgencyId) are read as their decimal text.
"""

import json
from pathlib import Path

import duckdb
import polars as pl

from pipeline.ingest.input_files import FIRST_DATA_ROW, ExtractError, check_inside

S = pl.String


def _ref(*names: str) -> pl.Struct:
    return pl.Struct({name: S for name in names})


def _list(**fields: pl.DataType) -> pl.List:
    return pl.List(pl.Struct(fields))


STUDENT = _ref("studentUniqueId")
SECTION = _ref("sectionIdentifier", "localCourseCode", "schoolId", "schoolYear", "sessionName")
SCHOOL_YEAR = _ref("schoolYear")

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "schools": {"schoolId": S, "localEducationAgencyReference": _ref("localEducationAgencyId")},
    "students": {"studentUniqueId": S, "firstName": S, "lastSurname": S, "birthDate": S},
    "studentSchoolAssociations": {
        "studentReference": STUDENT, "schoolReference": _ref("schoolId"), "entryDate": S,
        "entryGradeLevelDescriptor": S, "schoolYearTypeReference": SCHOOL_YEAR, "primarySchool": pl.Boolean,
        "exitWithdrawDate": S, "exitWithdrawTypeDescriptor": S,
    },
    "studentEducationOrganizationAssociations": {
        "educationOrganizationReference": _ref("educationOrganizationId"), "studentReference": STUDENT,
        "sexDescriptor": S, "hispanicLatinoEthnicity": pl.Boolean, "races": _list(raceDescriptor=S),
        "studentCharacteristics": _list(studentCharacteristicDescriptor=S),
        "limitedEnglishProficiencyDescriptor": S, "disabilities": _list(disabilityDescriptor=S),
    },
    "studentCTEProgramAssociations": {
        "programReference": _ref("educationOrganizationId", "programName", "programTypeDescriptor"),
        "studentReference": STUDENT, "beginDate": S, "endDate": S,
        "cteProgramServices": _list(cteProgramServiceDescriptor=S, cipCode=S, primaryIndicator=pl.Boolean),
    },
    "sections": {
        "sectionIdentifier": S, "courseOfferingReference": _ref("localCourseCode", "schoolId", "schoolYear",
                                                                 "sessionName"),
        "classPeriods": _list(classPeriodReference=_ref("classPeriodName")),
        "programs": _list(programReference=_ref("educationOrganizationId", "programName", "programTypeDescriptor")),
    },
    "sessions": {"sessionName": S, "schoolReference": _ref("schoolId"), "schoolYearTypeReference": SCHOOL_YEAR,
                 "termDescriptor": S},
    "studentSectionAssociations": {"sectionReference": SECTION, "studentReference": STUDENT,
                                   "beginDate": S, "endDate": S},
    "staffSectionAssociations": {"sectionReference": SECTION, "staffReference": _ref("staffUniqueId"),
                                 "classroomPositionDescriptor": S},
    "courseTranscripts": {
        "courseReference": _ref("courseCode", "educationOrganizationId"),
        "studentAcademicRecordReference": _ref("studentUniqueId", "educationOrganizationId", "schoolYear",
                                               "termDescriptor"),
        "attemptedCredits": pl.Float64, "earnedCredits": pl.Float64, "courseAttemptResultDescriptor": S,
        "earnedAdditionalCredits": _list(additionalCreditTypeDescriptor=S, credits=pl.Float64),
    },
    "studentAssessments": {
        "assessmentReference": _ref("assessmentIdentifier", "namespace"), "studentReference": STUDENT,
        "administrationDate": S, "schoolYearTypeReference": SCHOOL_YEAR, "eventCircumstanceDescriptor": S,
        "performanceLevels": _list(performanceLevelDescriptor=S, performanceLevelMet=pl.Boolean),
    },
}
SUFFIXES = (".json", ".jsonl", ".ndjson")


def resource_file(folder: Path, name: str) -> Path | None:
    """`<name>.json` (or .jsonl/.ndjson) in the edfi/ folder, if delivered."""
    found = [folder / f"{name}{suffix}" for suffix in SUFFIXES if (folder / f"{name}{suffix}").is_file()]
    return found[0] if found else None


def _sql_type(dtype: pl.DataType) -> str:
    """A property's type as DuckDB's JSON reader takes it (the schema above stays the one place)."""
    if isinstance(dtype, pl.Struct):
        return "STRUCT(" + ", ".join(f'"{f.name}" {_sql_type(f.dtype)}' for f in dtype.fields) + ")"
    if isinstance(dtype, pl.List):
        return _sql_type(dtype.inner) + "[]"
    return {pl.String: "VARCHAR", pl.Boolean: "BOOLEAN", pl.Float64: "DOUBLE"}[dtype]


def _first_broken_line(path: Path) -> int | None:
    """The line number of the first line of a JSON-lines file that is not a JSON document.
    Only called once the fast reader failed."""
    with path.open("rb") as handle:
        if handle.read(4096).lstrip().startswith(b"["):
            return None  # one JSON array: there are no lines to name
        handle.seek(0)
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                if not isinstance(json.loads(line), dict):
                    return number
            except ValueError:
                return number
    return None


def read_resource(path: Path, name: str, display: str, root: Path) -> pl.DataFrame:
    """The documents of one resource file, the properties docs/inputs.md#ed-fi-resources uses, and each document's
    position counting from 2 (as CSV rows are counted) in `position`.

    DuckDB's JSON reader does the reading: it streams the file in parallel and builds only the
    columns asked for (Polars' reader needed 10 GiB for 1.7 M documents with lists of races).
    """
    check_inside(path, root, display)
    columns = {column: _sql_type(dtype) for column, dtype in SCHEMAS[name].items()}
    try:
        with duckdb.connect() as con:
            frame = con.sql("select * from read_json(?, format = 'auto', columns = ?)",
                            params=[str(path), columns]).pl()
    except duckdb.Error as error:
        line = _first_broken_line(path)
        if line is not None:
            raise ExtractError(f"{display} line {line}: is not a JSON document; the file stops here") from None
        problem = "it is not a JSON array or JSON lines" if "Malformed JSON" in str(error) \
            else "a property does not have the type Ed-Fi gives it"
        raise ExtractError(f"{display}: cannot be read as Ed-Fi documents ({problem})") from None
    return frame.with_row_index("position", offset=FIRST_DATA_ROW).with_columns(pl.col("position").cast(pl.Int64))
