"""Ed-Fi input (SPEC 10): hand-built Ed-Fi documents read into the extract kinds, and a generated
year certified from Ed-Fi resources equal to the same year certified from CSV extracts."""

import json
import shutil
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest

from pipeline.core.paths import DataDir
from pipeline.ingest.edfi.descriptors import DEFAULT_MAP
from pipeline.ingest.read import ExtractError, ingest_reference, ingest_year

YEAR = 2025
E = "uri://ed-fi.org/"
FALL = f"{E}TermDescriptor#Fall Semester"
WELDING, MACHINING = "48050800", "48050300"  # both list course 4805CORE; welding alone lists 4805WELD


def _sex(code: str) -> str:
    return f"{E}SexDescriptor#{code}"


def _student(sid: str) -> dict[str, Any]:
    return {"studentUniqueId": sid}


def _school_association(sid: str, school: int, entry: str = "2024-08-20", primary: bool | None = True,
                        exit_date: str | None = None, exit_type: str | None = None, **extra: Any) -> dict[str, Any]:
    document = {"id": f"ssa-{sid}-{school}", "studentReference": _student(sid),
                "schoolReference": {"schoolId": school, "link": {"rel": "School"}}, "entryDate": entry,
                "entryGradeLevelDescriptor": f"{E}GradeLevelDescriptor#Eleventh grade",
                "schoolYearTypeReference": {"schoolYear": YEAR}, **extra}
    if primary is not None:
        document["primarySchool"] = primary
    if exit_date:
        document |= {"exitWithdrawDate": exit_date,
                     "exitWithdrawTypeDescriptor": f"{E}ExitWithdrawTypeDescriptor#{exit_type}"}
    return document


def _organization(sid: str, sex: str = "Female", races: tuple[str, ...] = ("White",), hispanic: bool = False,
                  characteristics: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"educationOrganizationReference": {"educationOrganizationId": 255901}, "studentReference": _student(sid),
            "sexDescriptor": _sex(sex), "hispanicLatinoEthnicity": hispanic,
            "races": [{"raceDescriptor": f"{E}RaceDescriptor#{r}"} for r in races],
            "studentCharacteristics": [{"studentCharacteristicDescriptor": f"{E}StudentCharacteristicDescriptor#{c}"}
                                       for c in characteristics],
            "limitedEnglishProficiencyDescriptor": f"{E}LimitedEnglishProficiencyDescriptor#NotLimited"}


def _section(identifier: str, course: str, session: str = "Fall 2024") -> dict[str, Any]:
    return {"sectionIdentifier": identifier, "localCourseCode": course, "schoolId": 255901001,
            "schoolYear": YEAR, "sessionName": session}


def _program(name: str) -> dict[str, Any]:
    return {"educationOrganizationId": 255901, "programName": name,
            "programTypeDescriptor": f"{E}ProgramTypeDescriptor#Career and Technical Education"}


def _enrollment(sid: str, section: dict[str, Any], begin: str = "2024-08-26") -> dict[str, Any]:
    return {"sectionReference": section, "studentReference": _student(sid), "beginDate": begin,
            "endDate": "2025-01-10"}


def _transcript(sid: str, course: str, attempted: float, earned: float, result: str) -> dict[str, Any]:
    return {"courseReference": {"courseCode": course, "educationOrganizationId": 255901},
            "studentAcademicRecordReference": {"studentUniqueId": sid, "educationOrganizationId": 255901,
                                               "schoolYear": YEAR, "termDescriptor": FALL},
            "attemptedCredits": attempted, "earnedCredits": earned,
            "courseAttemptResultDescriptor": f"{E}CourseAttemptResultDescriptor#{result}"}


CORE_1, CORE_2, CORE_3 = (_section(f"CORE-{n}", "4805CORE") for n in (1, 2, 3))
WELD_1 = _section("WELD-1", "4805WELD")
STUDENTS = ("GRAD", "SUMMER", "MOVER", "TWO", "NOSEX", "NOSCHOOL", "DROP")

RESOURCES: dict[str, list[dict[str, Any]]] = {
    "schools": [{"schoolId": 255901001, "localEducationAgencyReference": {"localEducationAgencyId": 255901}},
                {"schoolId": 255901002, "localEducationAgencyReference": {"localEducationAgencyId": 255901}}],
    "students": [{"studentUniqueId": sid, "firstName": "Pat", "lastSurname": "Doe", "birthDate": "2008-02-03"}
                 for sid in STUDENTS],
    "studentSchoolAssociations": [
        _school_association("GRAD", 255901001, exit_date="2025-06-01", exit_type="Graduated"),
        _school_association("SUMMER", 255901001, exit_date="2025-07-15", exit_type="Graduated"),
        # MOVER transferred out of school 1 in January and enrolled in school 2 (no primary flag).
        _school_association("MOVER", 255901001, primary=None, exit_date="2025-01-15", exit_type="Transferred"),
        _school_association("MOVER", 255901002, entry="2025-01-20", primary=None),
        # TWO is enrolled in two schools at once; school 1 is the primary one.
        _school_association("TWO", 255901001, entry="2024-08-20", primary=True),
        _school_association("TWO", 255901002, entry="2024-09-02", primary=False),
        _school_association("NOSEX", 255901001),
        {k: v for k, v in _school_association("NOSCHOOL", 255901001).items() if k != "schoolReference"},
        _school_association("DROP", 255901001, exit_date="2025-03-02", exit_type="Dropout"),
    ],
    "studentEducationOrganizationAssociations": [
        _organization("GRAD", races=("White", "Asian")),
        _organization("SUMMER", hispanic=True, characteristics=("Economic Disadvantaged", "Immigrant")),
        _organization("MOVER", sex="Male", races=("Black - African American",)),
        _organization("TWO", characteristics=("Homeless",)),
        _organization("NOSEX", sex="Unknown"),
        _organization("NOSCHOOL"),
        _organization("DROP"),
    ],
    "sessions": [{"sessionName": "Fall 2024", "schoolReference": {"schoolId": 255901001},
                  "schoolYearTypeReference": {"schoolYear": YEAR}, "termDescriptor": FALL}],
    "sections": [{"sectionIdentifier": s["sectionIdentifier"],
                  "courseOfferingReference": {k: s[k] for k in ("localCourseCode", "schoolId", "schoolYear",
                                                                "sessionName")},
                  "classPeriods": [{"classPeriodReference": {"classPeriodName": "03", "schoolId": 255901001}}],
                  # CORE-3 is the welding program's section of the course both programs list.
                  **({"programs": [{"programReference": _program("Welding")}]} if s is CORE_3 else {})}
                 for s in (CORE_1, CORE_2, WELD_1, CORE_3)],
    "staffSectionAssociations": [
        # Two staff on CORE-1: the assistant comes first, the teacher of record counts.
        {"sectionReference": CORE_1, "staffReference": {"staffUniqueId": "AIDE7"},
         "classroomPositionDescriptor": f"{E}ClassroomPositionDescriptor#Assistant Teacher"},
        {"sectionReference": CORE_1, "staffReference": {"staffUniqueId": "TCH1"},
         "classroomPositionDescriptor": f"{E}ClassroomPositionDescriptor#Teacher of Record"},
        {"sectionReference": CORE_2, "staffReference": {"staffUniqueId": "TCH2"},
         "classroomPositionDescriptor": f"{E}ClassroomPositionDescriptor#Teacher of Record"},
        {"sectionReference": WELD_1, "staffReference": {"staffUniqueId": "TCH3"},
         "classroomPositionDescriptor": f"{E}ClassroomPositionDescriptor#Teacher of Record"},
        {"sectionReference": CORE_3, "staffReference": {"staffUniqueId": "TCH3"},
         "classroomPositionDescriptor": f"{E}ClassroomPositionDescriptor#Teacher of Record"},
    ],
    "studentSectionAssociations": [
        _enrollment("GRAD", CORE_1),   # in the machining program: its association decides
        _enrollment("TWO", CORE_2),    # no program association: the course is on two sequences
        _enrollment("MOVER", WELD_1),  # only welding lists the course
        _enrollment("DROP", CORE_1),   # no transcript
        _enrollment("SUMMER", CORE_3),  # in both programs at once: the section names welding
    ],
    "courseTranscripts": [
        _transcript("GRAD", "4805CORE", 1.0, 1.0, "Pass"),
        _transcript("TWO", "4805CORE", 1.0, 1.0, "Pass"),
        _transcript("MOVER", "4805WELD", 1.0, 0.0, "Fail"),  # attempted, 0 earned
        _transcript("SUMMER", "4805CORE", 1.0, 1.0, "Pass"),
    ],
    "studentCTEProgramAssociations": [
        {"programReference": _program(name), "studentReference": _student(sid), "beginDate": "2024-08-01"}
        for sid, name in (("GRAD", "Machining"), ("SUMMER", "Machining"), ("SUMMER", "Welding"))
    ],
}


def _write_reference(data: DataDir) -> None:
    data.reference.mkdir(parents=True)
    (data.reference / "programs.csv").write_text(
        "program_code,program_name,cip_code,career_cluster,program_area,nontrad_gender\n"
        f"{WELDING},Welding,48.0508,13,T,F\n{MACHINING},Machining,48.0501,13,T,F\n")
    (data.reference / "courses.csv").write_text(
        "program_code,course_code,course_title,course_type,credit_value\n"
        f"{WELDING},4805CORE,Metals Core,standard,1.0\n{MACHINING},4805CORE,Metals Core,standard,1.0\n"
        f"{WELDING},4805WELD,Welding I,standard,1.0\n")
    (data.reference / "credential_catalog.csv").write_text(
        "credential_code,credential_name,provider,program_code\nAWS-D1,AWS D1.1,AWS,48050800\n")


def _write_edfi(data: DataDir, resources: dict[str, list[dict[str, Any]]], lines: bool = True) -> Path:
    folder = data.raw_year(YEAR) / "edfi"
    folder.mkdir(parents=True, exist_ok=True)
    for name, documents in resources.items():
        text = "\n".join(json.dumps(d) for d in documents) + "\n" if lines else json.dumps(documents, indent=1)
        (folder / f"{name}.json").write_text(text)
    return folder


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> DataDir:
    data = DataDir(tmp_path_factory.mktemp("edfi"))
    _write_reference(data)
    # Half the resources as JSON lines, half as one JSON array: both are what APIs hand out.
    names = list(RESOURCES)
    _write_edfi(data, {n: RESOURCES[n] for n in names[::2]}, lines=True)
    _write_edfi(data, {n: RESOURCES[n] for n in names[1::2]}, lines=False)
    ingest_reference(data)
    ingest_year(data, YEAR)
    return data


def _table(data: DataDir, kind: str) -> dict[str, dict[str, Any]]:
    rows = pl.read_parquet(data.staged_year(YEAR) / f"{kind}.parquet").to_dicts()
    return {row["student_id"]: row for row in rows}


def _rejected(data: DataDir) -> list[tuple[str, str, int, str | None, str]]:
    frame = pl.read_parquet(data.staged_year(YEAR) / "rejected.parquet").sort("source", "row_number")
    return [(r["source"], Path(r["source_file"]).name, r["row_number"], r["student_id"], r["reason_code"])
            for r in frame.to_dicts()]


def test_students_come_from_the_primary_or_latest_school_association(staged):
    students = _table(staged, "students")
    assert set(students) == {"GRAD", "SUMMER", "MOVER", "TWO", "DROP"}
    assert students["TWO"]["school_id"] == "255901001"  # primary, though school 2 was entered later
    assert students["MOVER"]["school_id"] == "255901002"  # no primary: the latest entry
    assert {s["district_id"] for s in students.values()} == {"255901"}
    assert students["GRAD"]["race_ethnicity"] == "MR" and students["SUMMER"]["race_ethnicity"] == "HI"
    assert students["MOVER"]["race_ethnicity"] == "BL" and students["MOVER"]["gender"] == "M"
    assert students["SUMMER"]["econ_disadvantaged"] and not students["SUMMER"]["homeless"]
    assert students["TWO"]["homeless"] and students["GRAD"]["grade_level"] == 11
    assert "last_name" not in pl.read_parquet(staged.staged_year(YEAR) / "students.parquet").columns


def test_exit_types_become_exit_codes_with_the_summer_form_after_june(staged):
    exits = _table(staged, "exits")
    assert {sid: (e["exit_code"], str(e["exit_date"]), e["school_id"]) for sid, e in exits.items()} == {
        "GRAD": ("G", "2025-06-01", "255901001"),
        "SUMMER": ("S7", "2025-07-15", "255901001"),
        "MOVER": ("T", "2025-01-15", "255901001"),
        "DROP": ("W5", "2025-03-02", "255901001"),
    }


def test_roster_rows_take_program_teacher_term_and_credits_from_their_resources(staged):
    roster = _table(staged, "roster")
    assert set(roster) == {"GRAD", "MOVER", "SUMMER"}
    grad, mover = roster["GRAD"], roster["MOVER"]
    # Associated with machining and welding at once: the section's own program decides, not the
    # lowest program code of the two.
    assert roster["SUMMER"]["program_code"] == WELDING
    assert (grad["program_code"], grad["course_code"], grad["section_id"]) == (MACHINING, "4805CORE", "CORE-1")
    assert (grad["teacher_id"], grad["term"], grad["period"], grad["credits_earned"]) == ("TCH1", "1", "03", 1.0)
    assert mover["program_code"] == WELDING
    assert (mover["credits_attempted"], mover["credits_earned"]) == (1.0, 0.0)


def test_what_cannot_be_mapped_is_a_rejected_record_at_its_document(staged):
    rejected = _rejected(staged)
    ssa, ssec = "studentSchoolAssociations.json", "studentSectionAssociations.json"
    assert rejected == [
        ("roster", ssec, 3, "TWO", "COURSE_NOT_IN_SEQUENCE"),
        ("roster", ssec, 5, "DROP", "MISSING_VALUE"),
        ("students", ssa, 8, "NOSEX", "BAD_VALUE"),
        ("students", ssa, 9, "NOSCHOOL", "MISSING_VALUE"),
    ]
    reasons = pl.read_parquet(staged.staged_year(YEAR) / "rejected.parquet")["reason"].to_list()
    assert f"sexDescriptor {E}SexDescriptor#Unknown is not in the Ed-Fi descriptor map" in " ".join(reasons)
    assert "schoolReference is missing" in reasons


def test_every_resource_read_is_in_the_input_files(staged):
    files = pl.read_parquet(staged.staged_year(YEAR) / "files.parquet")
    assert {Path(p).stem for p in files["path"]} == set(RESOURCES)
    students = files.filter((pl.col("kind") == "students") & pl.col("path").str.contains("studentSchool")).row(
        0, named=True)
    assert (students["rows_read"], students["rows_rejected_format"]) == (7, 2)


def test_a_state_map_row_replaces_the_default(tmp_path):
    data = DataDir(tmp_path)
    _write_reference(data)
    (data.reference / "edfi_descriptor_map.csv").write_text(
        f"namespace,code_value,column,value\n{E}SexDescriptor,Unknown,gender,X\n"
        f"{E}ExitWithdrawTypeDescriptor,Dropout,exit_code,W4/S4\n")
    _write_edfi(data, RESOURCES)
    ingest_reference(data)
    ingest_year(data, YEAR)
    assert _table(data, "students")["NOSEX"]["gender"] == "X"
    assert _table(data, "exits")["DROP"]["exit_code"] == "W4"


def test_the_shipped_descriptor_map_is_a_valid_reference_list(tmp_path):
    data = DataDir(tmp_path)
    _write_reference(data)
    shutil.copy(DEFAULT_MAP, data.reference / "edfi_descriptor_map.csv")
    ingest_reference(data)  # stops on a bad value or a key listed twice
    assert pl.read_parquet(data.staged / "reference" / "edfi_descriptor_map.parquet").height > 80


def test_a_broken_json_line_stops_the_year_naming_file_and_line(tmp_path):
    data = DataDir(tmp_path)
    _write_reference(data)
    folder = _write_edfi(data, RESOURCES)
    lines = (folder / "students.json").read_text().splitlines()
    lines[2] = lines[2][:25]
    (folder / "students.json").write_text("\n".join(lines) + "\n")
    ingest_reference(data)
    with pytest.raises(ExtractError) as error:
        ingest_year(data, YEAR)
    assert str(error.value) == ("raw/2024-25/edfi/students.json line 3: is not a JSON document; "
                                "the file stops here")
    assert not data.staged_year(YEAR).exists()


def test_a_kind_delivered_both_as_csv_and_as_edfi_stops_the_year(tmp_path):
    data = DataDir(tmp_path)
    _write_reference(data)
    _write_edfi(data, RESOURCES)
    (data.raw_year(YEAR) / "roster.csv").write_text("student_id\n")
    ingest_reference(data)
    with pytest.raises(ExtractError) as error:
        ingest_year(data, YEAR)
    assert str(error.value) == ("raw/2024-25/roster.csv: roster is also delivered as Ed-Fi resources "
                                "(raw/2024-25/edfi/studentSectionAssociations.json); keep one of them")


def test_a_resource_a_kind_needs_is_named_when_missing(tmp_path):
    data = DataDir(tmp_path)
    _write_reference(data)
    folder = _write_edfi(data, RESOURCES)
    (folder / "studentEducationOrganizationAssociations.json").unlink()
    ingest_reference(data)
    with pytest.raises(ExtractError) as error:
        ingest_year(data, YEAR)
    assert str(error.value) == ("raw/2024-25/edfi: studentSchoolAssociations is there but "
                                "studentEducationOrganizationAssociations is missing; "
                                "students cannot be read without it")


@pytest.mark.parametrize("profile", ["federal", "az", "wi"])
def test_a_year_from_edfi_certifies_equal_to_the_same_year_from_csv(generated, profile):
    """SPEC 10: the same students and courses as CSV or as Ed-Fi give identical snapshots,
    records not added aside; both certifications run at once."""
    folders = generated.snapshots(("csv", profile), ("edfi", profile))
    assert _rows_under_the_higher_of_two_active_programs(generated.certified_data("csv", profile)) > 0
    csv_folder, edfi_folder = folders["csv", profile], folders["edfi", profile]
    tables = sorted(p.name for p in csv_folder.glob("*.parquet") if p.name != "records_not_added.parquet")
    assert len(tables) == 12
    for name in tables:
        csv_table, edfi_table = pl.read_parquet(csv_folder / name), pl.read_parquet(edfi_folder / name)
        assert csv_table.height > 0, name
        assert csv_table.equals(edfi_table), name  # snapshots are written sorted


def _rows_under_the_higher_of_two_active_programs(data: DataDir) -> int:
    """Roster rows of a course two programs list, under the program with the higher code, of a
    student whose other program (the lower code) began on or before the row: a reader choosing by
    program association alone would put them in the wrong program (SPEC 10 version 3)."""
    with duckdb.connect() as con:
        return con.execute(f"""
        with roster as (select * from read_parquet('{data.staged_year(YEAR)}/roster.parquet')),
        listing as (
            select course_code, min(program_code) as lowest
            from read_parquet('{data.staged}/reference/courses.parquet')
            group by course_code having count(*) > 1
        ),
        firsts as (select student_id, program_code, min(begin_date) as first_begin from roster group by all)
        select count(*) from roster
        inner join listing on roster.course_code = listing.course_code
        inner join firsts on firsts.student_id = roster.student_id and firsts.program_code = listing.lowest
        where roster.program_code <> listing.lowest and firsts.first_begin <= roster.begin_date
    """).fetchone()[0]
