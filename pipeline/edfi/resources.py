"""The Ed-Fi API resources SPEC 10 reads: the properties used, and reading one resource file.

A file is a JSON array or JSON lines of the documents an ODS/API returns. Only the properties
below are read (Polars reads them column by column, so tens of millions of documents stream
through without a Python loop); everything else in a document (`id`, `_etag`, `link`, ...) is
skipped. Integer identifiers (schoolId, localEducationAgencyId) are read as their decimal text.
"""

import json
from pathlib import Path

import polars as pl

from pipeline.input_files import FIRST_DATA_ROW, ExtractError

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


def _is_array(path: Path) -> bool:
    with path.open("rb") as handle:
        while block := handle.read(4096):
            text = block.lstrip()
            if text:
                return text.startswith(b"[")
    return False


def _first_broken_line(path: Path) -> int | None:
    """The line number of the first line of a JSON-lines file that is not a JSON document.
    Only called once the fast reader failed."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                if not isinstance(json.loads(line), dict):
                    return number
            except ValueError:
                return number
    return None


def read_resource(path: Path, name: str, display: str) -> pl.DataFrame:
    """The documents of one resource file, the properties SPEC 10 uses, and each document's
    position counting from 2 (as CSV rows are counted) in `position`."""
    schema = SCHEMAS[name]
    try:
        if _is_array(path):
            frame = pl.read_json(path, schema=schema)
        else:
            frame = pl.read_ndjson(path, schema=schema, ignore_errors=False)
    except Exception as error:  # Polars raises several kinds; the user needs one line
        line = None if _is_array(path) else _first_broken_line(path)
        if line is not None:
            raise ExtractError(f"{display} line {line}: is not a JSON document; the file stops here") from None
        kind = "a JSON array or JSON lines" if "pars" in str(error).lower() else "Ed-Fi documents of this resource"
        raise ExtractError(f"{display}: cannot be read as {kind} ({type(error).__name__})") from None
    return frame.with_row_index("position", offset=FIRST_DATA_ROW).with_columns(pl.col("position").cast(pl.Int64))
