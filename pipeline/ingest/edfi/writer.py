"""Extract rows written as the Ed-Fi API resources ctesnap reads (`ctesnap generate --format edfi`;
docs/inputs.md#ed-fi-resources).

The same students and courses as the CSV extracts, as an ODS/API would return them: JSON lines,
one file per resource, Ed-Fi's default descriptors where they carry the code and the generated
state's own namespace where they do not (exit codes one to one, its assessments), with those
rows in the state's reference/edfi_descriptor_map.csv. Rows the CSV would reject are written
too, so the same rows are rejected either way.
"""

from pathlib import Path

import polars as pl

from pipeline.ingest.edfi.extracts import TEACHER_OF_RECORD

EDFI = "uri://ed-fi.org/"
STATE = "uri://doe.example.gov/"
GRADES = ("Kindergarten", "First grade", "Second grade", "Third grade", "Fourth grade", "Fifth grade",
          "Sixth grade", "Seventh grade", "Eighth grade", "Ninth grade", "Tenth grade", "Eleventh grade",
          "Twelfth grade", "Grade 13")
SEXES = {"F": "Female", "M": "Male", "X": "Non-binary"}
RACES = {"AI": ["American Indian - Alaska Native"], "AS": ["Asian"], "BL": ["Black - African American"],
         "PI": ["Native Hawaiian - Pacific Islander"], "WH": ["White"], "MR": ["White", "Black - African American"],
         "HI": []}
CHARACTERISTICS = {"econ_disadvantaged": "Economic Disadvantaged", "homeless": "Homeless",
                   "foster_care": "Foster Care", "military_parent": "Parent in Military",
                   "single_parent": "Single Parent", "out_of_workforce": "Displaced Homemaker",
                   "migrant": "Migratory"}
TERMS = {"1": "Fall Semester", "2": "Spring Semester", "0": "Year Round"}
EXIT_CODES = ("G", "S7", "W7", "A", "S4", "W4", "S5", "W5", "S6", "W6", "S11", "W11", "T", "D")
NOT_COUNTED = "Not included in accountability"
ASSESSMENT_NAMESPACE = f"{STATE}Assessment"
SECTION_COLUMNS = ["section_id", "course_code", "school_id", "session_name"]  # one section a school and session


def state_descriptor_map() -> pl.DataFrame:
    """The generated state's own descriptor values, as its reference/edfi_descriptor_map.csv."""
    rows = [(f"{STATE}ExitWithdrawTypeDescriptor", code, "exit_code", code) for code in EXIT_CODES]
    rows += [(ASSESSMENT_NAMESPACE, f"HS-{subject}", "subject", subject) for subject in ("READING", "MATH", "SCIENCE")]
    rows += [(f"{STATE}EventCircumstanceDescriptor", NOT_COUNTED, "included_in_accountability", "N")]
    return pl.DataFrame(rows, schema=["namespace", "code_value", "column", "value"], orient="row")


def _descriptor(namespace: str, code: pl.Expr) -> pl.Expr:
    return pl.lit(f"{EDFI}{namespace}#") + code


def _whole(column: str) -> pl.Expr:
    """An identifier Ed-Fi keeps as an integer (schoolId, localEducationAgencyId)."""
    return pl.col(column).cast(pl.Int64, strict=False)


def _student() -> pl.Expr:
    return pl.struct(studentUniqueId=pl.col("student_id")).alias("studentReference")


def _coded(column: str, names: dict[str, str], namespace: str) -> pl.Expr:
    """A known code as its Ed-Fi default value; anything else as itself (so the map rejects it)."""
    return _descriptor(namespace, pl.col(column).replace(names))


def _write(frame: pl.DataFrame, folder: Path, name: str) -> None:
    frame.write_ndjson(folder / f"{name}.json")


def write_edfi_year(frames: dict[str, pl.DataFrame], folder: Path, year: int,
                    programs: pl.DataFrame) -> None:
    """Write the students, roster, exits and assessments of one year into folder/edfi/."""
    edfi = folder / "edfi"
    edfi.mkdir(parents=True, exist_ok=True)
    students, roster = frames["students"], frames["roster"]
    schools = pl.concat([f.select("school_id", "district_id") for f in (students, roster, frames["exits"])]) \
        .unique("school_id", keep="first", maintain_order=True)
    _write(schools.select(_whole("school_id").alias("schoolId"),
                          pl.struct(localEducationAgencyId=_whole("district_id")).alias("localEducationAgencyReference")),
           edfi, "schools")
    _write(students.select(pl.col("student_id").alias("studentUniqueId"), pl.col("first_name").alias("firstName"),
                           pl.col("last_name").alias("lastSurname"),
                           pl.when(pl.col("birth_date") != "").then(pl.col("birth_date")).alias("birthDate")),
           edfi, "students")
    _write(_school_associations(students, frames["exits"], year), edfi, "studentSchoolAssociations")
    _write(_education_organizations(students), edfi, "studentEducationOrganizationAssociations")
    _write_roster(roster, edfi, year, programs)
    _write(_assessments(frames["assessments"], year), edfi, "studentAssessments")


def _school_associations(students: pl.DataFrame, exits: pl.DataFrame, year: int) -> pl.DataFrame:
    """One primary association per students row; each exit on its student's association at that
    school, or on an association of its own where there is none."""
    grade = pl.col("grade_level").cast(pl.Int64, strict=False)
    enrolled = students.with_row_index("i").select(
        "i", "student_id", "school_id", pl.lit(f"{year - 1}-08-20").alias("entryDate"),
        _descriptor("GradeLevelDescriptor", grade.replace_strict(dict(enumerate(GRADES)), default=None,
                                                                 return_dtype=pl.String)
                    .fill_null(pl.col("grade_level"))).alias("entryGradeLevelDescriptor"),
        pl.lit(True).alias("primarySchool"))
    first = enrolled.unique(["student_id", "school_id"], keep="first", maintain_order=True).select(
        "i", "student_id", "school_id")
    exits = exits.with_row_index("e").join(first, on=["student_id", "school_id"], how="left")
    on_association = exits.filter(pl.col("i").is_not_null()).unique("i", keep="first", maintain_order=True)
    own = exits.join(on_association.select("e"), on="e", how="anti").select(
        "student_id", "school_id", pl.lit(f"{year - 1}-07-01").alias("entryDate"), pl.lit(False).alias("primarySchool"),
        "exit_date", "exit_code")
    rows = pl.concat([
        enrolled.join(on_association.select("i", "exit_date", "exit_code"), on="i", how="left").drop("i"),
        own,
    ], how="diagonal_relaxed")
    return rows.select(
        _student(), pl.struct(schoolId=_whole("school_id")).alias("schoolReference"), "entryDate",
        "entryGradeLevelDescriptor", pl.struct(schoolYear=pl.lit(year)).alias("schoolYearTypeReference"),
        "primarySchool", pl.col("exit_date").alias("exitWithdrawDate"),
        pl.when(pl.col("exit_code").is_not_null()).then(pl.lit(f"{STATE}ExitWithdrawTypeDescriptor#")
                                                        + pl.col("exit_code")).alias("exitWithdrawTypeDescriptor"))


def _descriptor_list(field: str, namespace: str, values: list[tuple[pl.Expr, str]]) -> pl.Expr:
    """A list of {field: descriptor} for each (condition, code value) that holds."""
    items = [pl.when(condition).then(pl.struct(pl.lit(f"{EDFI}{namespace}#{code}").alias(field)))
             for condition, code in values]
    return pl.concat_list(items).list.drop_nulls()


def _education_organizations(students: pl.DataFrame) -> pl.DataFrame:
    race = pl.col("race_ethnicity")
    names = sorted({name for races in RACES.values() for name in races})
    return students.select(
        pl.struct(educationOrganizationId=_whole("district_id")).alias("educationOrganizationReference"),
        _student(),
        _coded("gender", SEXES, "SexDescriptor").alias("sexDescriptor"),
        (race == "HI").alias("hispanicLatinoEthnicity"),
        # A race code that is not ctesnap's (a delivery error) is sent as a race of its own.
        pl.concat_list(
            [pl.when(race.is_in([c for c, r in RACES.items() if n in r]))
             .then(pl.struct(pl.lit(f"{EDFI}RaceDescriptor#{n}").alias("raceDescriptor"))) for n in names]
            + [pl.when(~race.is_in(list(RACES))).then(pl.struct(
                (pl.lit(f"{EDFI}RaceDescriptor#") + race).alias("raceDescriptor")))]).list.drop_nulls().alias("races"),
        _descriptor_list("studentCharacteristicDescriptor", "StudentCharacteristicDescriptor",
                         [(pl.col(flag) == "Y", name) for flag, name in CHARACTERISTICS.items()])
        .alias("studentCharacteristics"),
        _descriptor("LimitedEnglishProficiencyDescriptor",
                    pl.when(pl.col("english_learner") == "Y").then(pl.lit("Limited")).otherwise(pl.lit("NotLimited")))
        .alias("limitedEnglishProficiencyDescriptor"),
        _descriptor_list("disabilityDescriptor", "DisabilityDescriptor",
                         [(pl.col("disability") == "Y", "Specific Learning Disability")]).alias("disabilities"),
    )


def _write_roster(roster: pl.DataFrame, edfi: Path, year: int, programs: pl.DataFrame) -> None:
    session = pl.col("term").replace(TERMS) + pl.lit(f" {year - 1}-{year % 100:02d}")
    roster = roster.with_columns(session.alias("session_name"))
    section = pl.struct(sectionIdentifier=pl.col("section_id"), localCourseCode=pl.col("course_code"),
                        schoolId=_whole("school_id"), schoolYear=pl.lit(year), sessionName=pl.col("session_name"))
    sections = roster.unique(SECTION_COLUMNS, keep="first", maintain_order=True).with_row_index("n")
    _write(sections.select("school_id", "session_name", "term").unique(keep="first", maintain_order=True).select(
        pl.col("session_name").alias("sessionName"), pl.struct(schoolId=_whole("school_id")).alias("schoolReference"),
        pl.struct(schoolYear=pl.lit(year)).alias("schoolYearTypeReference"),
        _coded("term", TERMS, "TermDescriptor").alias("termDescriptor")), edfi, "sessions")
    _write(sections.join(_section_programs(roster, programs), on=SECTION_COLUMNS, how="left").select(
        pl.col("section_id").alias("sectionIdentifier"),
        pl.struct(localCourseCode=pl.col("course_code"), schoolId=_whole("school_id"), schoolYear=pl.lit(year),
                  sessionName=pl.col("session_name")).alias("courseOfferingReference"),
        pl.concat_list(pl.struct(pl.struct(classPeriodName=pl.col("period"), schoolId=_whole("school_id"))
                                 .alias("classPeriodReference"))).alias("classPeriods"),
        "programs"), edfi, "sections")
    _write(roster.select(section.alias("sectionReference"), _student(), pl.col("begin_date").alias("beginDate"),
                         pl.col("end_date").alias("endDate")), edfi, "studentSectionAssociations")
    # Every seventh section also has an assistant, listed before its teacher of record.
    assistants = sections.filter(pl.col("n") % 7 == 0).select(
        section.alias("sectionReference"), pl.struct(staffUniqueId=pl.lit("A") + pl.col("teacher_id"))
        .alias("staffReference"), pl.lit(f"{EDFI}ClassroomPositionDescriptor#Assistant Teacher")
        .alias("classroomPositionDescriptor"))
    teachers = sections.select(section.alias("sectionReference"),
                               pl.struct(staffUniqueId=pl.col("teacher_id")).alias("staffReference"),
                               pl.lit(f"{EDFI}ClassroomPositionDescriptor{TEACHER_OF_RECORD}")
                               .alias("classroomPositionDescriptor"))
    _write(pl.concat([assistants, teachers]), edfi, "staffSectionAssociations")
    _write(_transcripts(roster, year), edfi, "courseTranscripts")
    _write(_program_associations(roster, programs), edfi, "studentCTEProgramAssociations")


def _program_reference() -> pl.Expr:
    return pl.struct(educationOrganizationId=_whole("district_id"), programName=pl.col("program_name"),
                     programTypeDescriptor=pl.lit(f"{EDFI}ProgramTypeDescriptor#Career and Technical Education")
                     ).alias("programReference")


def _section_programs(roster: pl.DataFrame, programs: pl.DataFrame) -> pl.DataFrame:
    """Each section's `programs` collection: the programs its roster rows are in (docs/inputs.md#ed-fi-resources)."""
    return roster.select(*SECTION_COLUMNS, "program_code", "district_id").unique(maintain_order=True) \
        .join(programs.select("program_code", "program_name"), on="program_code", how="inner") \
        .group_by(SECTION_COLUMNS, maintain_order=True) \
        .agg(pl.struct(_program_reference()).alias("programs"))


def _transcripts(roster: pl.DataFrame, year: int) -> pl.DataFrame:
    attempted = pl.col("credits_attempted").cast(pl.Float64, strict=False)
    earned = pl.col("credits_earned").cast(pl.Float64, strict=False)
    return roster.unique(["student_id", "course_code", "term"], keep="first", maintain_order=True).select(
        pl.struct(courseCode=pl.col("course_code"), educationOrganizationId=_whole("district_id"))
        .alias("courseReference"),
        pl.struct(studentUniqueId=pl.col("student_id"), educationOrganizationId=_whole("district_id"),
                  schoolYear=pl.lit(year), termDescriptor=_coded("term", TERMS, "TermDescriptor"))
        .alias("studentAcademicRecordReference"),
        attempted.alias("attemptedCredits"), earned.alias("earnedCredits"),
        _descriptor("CourseAttemptResultDescriptor", pl.when(earned > 0).then(pl.lit("Pass")).otherwise(pl.lit("Fail")))
        .alias("courseAttemptResultDescriptor"),
        pl.concat_list(pl.when(pl.col("dual_credit") == "Y").then(pl.struct(
            additionalCreditTypeDescriptor=pl.lit(f"{EDFI}AdditionalCreditTypeDescriptor#Dual credit"),
            credits=attempted))).list.drop_nulls().alias("earnedAdditionalCredits"))


def _program_associations(roster: pl.DataFrame, programs: pl.DataFrame) -> pl.DataFrame:
    """One association per student and program of the year, from the first section's begin date."""
    taken = roster.group_by("student_id", "program_code", "district_id", maintain_order=True) \
        .agg(pl.col("begin_date").min()).join(programs.select("program_code", "program_name", "cip_code"),
                                              on="program_code", how="inner")
    return taken.select(
        _program_reference(),
        _student(), pl.col("begin_date").alias("beginDate"),
        pl.concat_list(pl.struct(cteProgramServiceDescriptor=pl.lit(f"{STATE}CTEProgramServiceDescriptor#Program"),
                                 cipCode=pl.col("cip_code"), primaryIndicator=pl.lit(True)))
        .alias("cteProgramServices"))


def _assessments(assessments: pl.DataFrame, year: int) -> pl.DataFrame:
    return assessments.with_row_index("n").select(
        (pl.col("student_id") + pl.lit("-") + pl.col("n").cast(pl.String)).alias("studentAssessmentIdentifier"),
        pl.struct(assessmentIdentifier=pl.lit("HS-") + pl.col("subject"),
                  namespace=pl.lit(ASSESSMENT_NAMESPACE)).alias("assessmentReference"),
        _student(), pl.col("test_date").alias("administrationDate"),
        pl.struct(schoolYear=pl.lit(year)).alias("schoolYearTypeReference"),
        pl.concat_list(pl.struct(
            assessmentReportingMethodDescriptor=pl.lit(f"{EDFI}AssessmentReportingMethodDescriptor#Proficiency level"),
            performanceLevelDescriptor=_descriptor(
                "PerformanceLevelDescriptor",
                pl.when(pl.col("proficient") == "Y").then(pl.lit("Proficient")).otherwise(pl.lit("Below Basic"))),
            performanceLevelMet=pl.lit(True))).alias("performanceLevels"),
        pl.when(pl.col("included_in_accountability") == "N")
        .then(pl.lit(f"{STATE}EventCircumstanceDescriptor#{NOT_COUNTED}")).alias("eventCircumstanceDescriptor"))
