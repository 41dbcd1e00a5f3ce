"""A year's Ed-Fi resources turned into the extract kinds of docs/inputs.md, as docs/inputs.md#ed-fi-resources says.

Each kind comes out as text columns named as in the CSV contract, numbered by the document's
position in its anchor resource, so the ingest then applies exactly the checks and reasons of a
CSV file. What cannot be mapped (a descriptor value the map does not know, a missing reference,
a course transcript that is not there) is a rejected record here, naming what is missing.
"""

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipeline.core.years import label
from pipeline.ingest.edfi.descriptors import descriptor_map, map_descriptors
from pipeline.ingest.edfi.resources import read_resource, resource_file
from pipeline.ingest.input_files import REJECTED_SCHEMA, Check, ExtractError, FileResult, first_failure, sha256_of
from pipeline.ingest.schema import EXTRACTS, SPECIAL_POPULATIONS

# The resource whose documents are a kind's rows (its source file and row numbers), and the
# resources it needs besides.
ANCHORS = {"students": "studentSchoolAssociations", "roster": "studentSectionAssociations",
           "exits": "studentSchoolAssociations", "assessments": "studentAssessments"}
NEEDS = {"students": ("students", "studentEducationOrganizationAssociations", "schools"),
         "roster": ("sessions", "staffSectionAssociations", "courseTranscripts", "schools"),
         "exits": ("schools",), "assessments": ()}
OPTIONAL = {"roster": ("sections", "studentCTEProgramAssociations")}
FLAGS = (*SPECIAL_POPULATIONS, "migrant")
TEACHER_OF_RECORD = "#Teacher of Record"
# What identifies a section in the references that point at it.
SECTION_KEY = ["section_id", "course_code", "school_id", "section_year", "session_name"]
LAST_DAY = "-06-30"  # an exit after June 30 of the school year is a summer exit (docs/rules.md#exits-and-leavers)


def _ref(column: str, field: str) -> pl.Expr:
    return pl.col(column).struct.field(field)


def _text(value: str) -> pl.Expr:
    return pl.lit(value, pl.String)


def _field(frame: pl.DataFrame, field: str, descriptor: str | pl.Expr | None = None) -> pl.DataFrame:
    """(rid, field, descriptor) of one descriptor property of every row, for map_descriptors."""
    value = pl.col(descriptor or field) if not isinstance(descriptor, pl.Expr) else descriptor
    return frame.select("rid", _text(field).alias("field"), value.alias("descriptor"))


def _listed(frame: pl.DataFrame, column: str, field: str) -> pl.DataFrame:
    """(rid, field, descriptor) of every element of a list property (races, disabilities, ...)."""
    return _field(frame.select("rid", column).explode(column), field, _ref(column, field))


@dataclass
class EdfiKind:
    """One kind read from Ed-Fi: rows for the ingest's checks, the rows already rejected while
    mapping, and the resource files read (the anchor first)."""

    rows: pl.DataFrame
    rejected: pl.DataFrame
    files: list[FileResult]


class EdfiYear:
    """The edfi/ folder of one school year; each resource is read once, when first needed."""

    def __init__(self, year_folder: Path, root: Path, year: int, staged_reference: Path,
                 progress: Callable[[str], None]) -> None:
        self.folder, self.root, self.year, self.progress = year_folder / "edfi", root, year, progress
        self.reference = staged_reference
        self.mapping = descriptor_map(staged_reference)
        self._frames: dict[str, pl.DataFrame] = {}
        self._hasher = ThreadPoolExecutor(max_workers=1)
        self._hashes: dict[str, Future[str]] = {}
        self._listed: set[str] = set()

    def __enter__(self) -> "EdfiYear":
        return self

    def __exit__(self, *_: object) -> None:
        self._hasher.shutdown(cancel_futures=True)

    @property
    def kinds(self) -> list[str]:
        """The extract kinds this year delivers as Ed-Fi resources."""
        return [kind for kind, anchor in ANCHORS.items() if resource_file(self.folder, anchor)]

    def anchor_display(self, kind: str) -> str:
        return self._display(resource_file(self.folder, ANCHORS[kind]))

    def _display(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _resource(self, name: str, kind: str) -> pl.DataFrame:
        if name not in self._frames:
            path = resource_file(self.folder, name)
            if path is None:
                shown = self._display(self.folder)
                raise ExtractError(f"{shown}: {ANCHORS[kind]} is there but {name} is missing; "
                                   f"{kind} cannot be read without it")
            self.progress(f"reading {self._display(path)}")
            # The manifest's hash is taken beside the work: resource files run to gigabytes.
            self._hashes[name] = self._hasher.submit(sha256_of, path)
            self._frames[name] = read_resource(path, name, self._display(path), self.root)
        return self._frames[name]

    def _optional(self, name: str, kind: str) -> pl.DataFrame | None:
        return self._resource(name, kind) if resource_file(self.folder, name) else None

    def _file(self, name: str, kind: str, rows: int = 0, rejected: int = 0) -> FileResult:
        path = resource_file(self.folder, name)
        digest = self._hashes[name].result() if name in self._hashes else sha256_of(path)
        return FileResult(kind, self._display(path), path.stat().st_size, digest, rows, rejected)

    def read(self, kind: str) -> EdfiKind:
        marked = {"students": self._students, "roster": self._roster, "exits": self._exits,
                  "assessments": self._assessments}[kind]()
        columns = [c for c in EXTRACTS[kind].column_names if c in marked.columns]
        rows = marked.filter(pl.col("reason_code").is_null()).select(
            *(pl.col(c).cast(pl.String) for c in columns), pl.col("position").alias("row_number"))
        rejected = marked.filter(pl.col("reason_code").is_not_null()).select(
            _text(kind).alias("source"), _text(self.anchor_display(kind)).alias("source_file"),
            pl.col("position").alias("row_number"), pl.col("student_id").str.slice(0, 32),
            pl.col("district_id"), "reason_code", "reason").cast(REJECTED_SCHEMA)
        # The anchor is counted per kind; a resource that only feeds rows is listed once, with no rows.
        files = [self._file(ANCHORS[kind], kind, marked.height, rejected.height)]
        for name in (*NEEDS[kind], *OPTIONAL.get(kind, ())):
            if name not in self._listed and name != ANCHORS[kind] and resource_file(self.folder, name):
                files.append(self._file(name, kind))
                self._listed.add(name)
        return EdfiKind(rows, rejected, files)

    # --- shared pieces -------------------------------------------------------------------------

    def _schools(self, kind: str) -> pl.DataFrame:
        schools = self._resource("schools", kind).select(
            pl.col("schoolId").alias("school_id"),
            _ref("localEducationAgencyReference", "localEducationAgencyId").alias("district_id"),
            pl.lit(True).alias("school_known"))
        return schools.unique("school_id", keep="first", maintain_order=True)

    def _year_check(self, column: str) -> Check:
        return (pl.col(column).is_not_null() & (pl.col(column) != str(self.year)), "BAD_VALUE",
                pl.lit("schoolYear ") + pl.col(column)
                + pl.lit(f" is not this folder's school year ({label(self.year)})"))

    def _school_check(self) -> Check:
        return (pl.col("school_known").is_null(), "BAD_VALUE",
                pl.lit("schoolId ") + pl.col("school_id") + pl.lit(" is not in schools"))

    def _school_associations(self, kind: str) -> tuple[pl.DataFrame, pl.DataFrame]:
        """studentSchoolAssociations with their district: the documents that can be read, and
        those rejected for a missing reference or another school year."""
        ssa = self._resource("studentSchoolAssociations", kind).select(
            "position",
            _ref("studentReference", "studentUniqueId").alias("student_id"),
            _ref("schoolReference", "schoolId").alias("school_id"),
            pl.col("entryDate").alias("entry_date"),
            pl.col("entryGradeLevelDescriptor").alias("grade"),
            _ref("schoolYearTypeReference", "schoolYear").alias("doc_year"),
            pl.col("primarySchool").fill_null(False).alias("primary"),
            pl.col("exitWithdrawDate").alias("exit_date"),
            pl.col("exitWithdrawTypeDescriptor").alias("exit_type"),
        ).join(self._schools(kind), on="school_id", how="left")
        checked = ssa.with_columns(*first_failure([
            (pl.col("student_id").is_null(), "MISSING_VALUE", _text("studentReference is missing")),
            (pl.col("school_id").is_null(), "MISSING_VALUE", _text("schoolReference is missing")),
            self._year_check("doc_year"),
        ]))
        return checked.filter(pl.col("reason_code").is_null()), checked.filter(pl.col("reason_code").is_not_null())

    def _mapped(self, rows: pl.DataFrame, long: list[pl.DataFrame], allowed: dict[str, tuple[str, ...]]
                ) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Descriptor values of `rows` (numbered by `rid`) mapped; `rows` gains `unmapped`."""
        values, unmapped = map_descriptors(pl.concat(long, how="vertical_relaxed"), self.mapping, allowed)
        return values, rows.join(unmapped, on="rid", how="left")

    # --- students ------------------------------------------------------------------------------

    def _students(self) -> pl.DataFrame:
        kind = "students"
        valid, rejected = self._school_associations(kind)
        # One row per student: the association marked primary, else the latest entry.
        chosen = valid.sort(["primary", "entry_date", "position"], descending=True, nulls_last=True) \
            .unique("student_id", keep="first", maintain_order=True)
        people = self._resource("students", kind).select(
            pl.col("studentUniqueId").alias("student_id"), pl.col("lastSurname").alias("last_name"),
            pl.col("firstName").alias("first_name"), pl.col("birthDate").alias("birth_date"),
            pl.lit(True).alias("has_document"), pl.len().over("studentUniqueId").alias("documents"),
        ).unique("student_id", keep="first", maintain_order=True)
        rows = chosen.join(people, on="student_id", how="left")
        rows = self._with_education_organization(rows).sort("position").with_row_index("rid")
        values, rows = self._mapped(rows, [
            _field(rows, "entryGradeLevelDescriptor", "grade"), _field(rows, "sexDescriptor"),
            _field(rows, "limitedEnglishProficiencyDescriptor"), _listed(rows, "races", "raceDescriptor"),
            _listed(rows, "disabilities", "disabilityDescriptor"),
            _listed(rows, "studentCharacteristics", "studentCharacteristicDescriptor"),
        ], {"entryGradeLevelDescriptor": ("grade_level",), "sexDescriptor": ("gender",),
            "limitedEnglishProficiencyDescriptor": ("english_learner",), "raceDescriptor": ("race_ethnicity",),
            "disabilityDescriptor": ("disability", "ignored"),
            "studentCharacteristicDescriptor": (*FLAGS, "ignored")})
        rows = rows.join(self._single(values, "grade_level"), on="rid", how="left") \
            .join(self._single(values, "gender"), on="rid", how="left") \
            .join(self._races(values), on="rid", how="left") \
            .join(self._flags(values), on="rid", how="left")
        rows = rows.with_columns(
            pl.when(pl.col("hispanicLatinoEthnicity").fill_null(False)).then(_text("HI"))
            .otherwise(pl.col("race")).alias("race_ethnicity"),
            *(pl.col(flag).fill_null("N") for flag in FLAGS),
            *first_failure([
                self._school_check(),
                (pl.col("has_document").is_null(), "MISSING_VALUE", _text("the student has no document in students")),
                # docs/inputs.md: a student given twice is loaded from neither document.
                (pl.col("documents") > 1, "DUPLICATE_STUDENT",
                 pl.lit("the student has ") + pl.col("documents").cast(pl.String) + pl.lit(" documents in students")),
                (pl.col("has_association").is_null(), "MISSING_VALUE",
                 _text("the student has no studentEducationOrganizationAssociations document "
                       "for the district or the school")),
                (pl.col("unmapped").is_not_null(), "BAD_VALUE", pl.col("unmapped")),
            ]))
        return pl.concat([rows, rejected], how="diagonal_relaxed")

    def _with_education_organization(self, rows: pl.DataFrame) -> pl.DataFrame:
        """The student's studentEducationOrganizationAssociations document of the district,
        else of the school."""
        seoa = self._resource("studentEducationOrganizationAssociations", "students").select(
            _ref("studentReference", "studentUniqueId").alias("student_id"),
            _ref("educationOrganizationReference", "educationOrganizationId").alias("organization"),
            "sexDescriptor", "hispanicLatinoEthnicity", "races", "studentCharacteristics",
            "limitedEnglishProficiencyDescriptor", "disabilities", pl.lit(True).alias("has_association"),
        ).unique(["student_id", "organization"], keep="first", maintain_order=True)
        # Chosen on the keys alone (the documents' lists move once): the district's document
        # before the school's; one of another organization is none.
        seoa = seoa.with_row_index("document")
        ranked = rows.select("position", "student_id", "district_id", "school_id") \
            .join(seoa.select("student_id", "organization", "document"), on="student_id") \
            .filter((pl.col("organization") == pl.col("district_id")) | (pl.col("organization") == pl.col("school_id")))
        best = ranked.sort(pl.col("organization") != pl.col("district_id")).unique("position", keep="first") \
            .select("position", "document")
        return rows.join(best, on="position", how="left") \
            .join(seoa.drop("student_id", "organization"), on="document", how="left").drop("document")

    @staticmethod
    def _single(values: pl.DataFrame, column: str) -> pl.DataFrame:
        return values.filter(pl.col("column") == column).group_by("rid").agg(pl.col("value").first().alias(column))

    @staticmethod
    def _races(values: pl.DataFrame) -> pl.DataFrame:
        """One race its code, several races MR (docs/inputs.md#ed-fi-resources)."""
        races = values.filter(pl.col("column") == "race_ethnicity").group_by("rid").agg(pl.col("value").unique())
        return races.select("rid", pl.when(pl.col("value").list.len() > 1).then(_text("MR"))
                            .otherwise(pl.col("value").list.first()).alias("race"))

    @staticmethod
    def _flags(values: pl.DataFrame) -> pl.DataFrame:
        """Y for every special-population flag some characteristic, disability or English
        proficiency value of the student sets."""
        set_flags = values.filter(pl.col("column").is_in(FLAGS) & (pl.col("value") == "Y"))
        return set_flags.group_by("rid").agg(
            pl.when((pl.col("column") == flag).any()).then(_text("Y")).otherwise(_text("N")).alias(flag)
            for flag in FLAGS)

    # --- exits ---------------------------------------------------------------------------------

    def _exits(self) -> pl.DataFrame:
        valid, _ = self._school_associations("exits")  # the rejected ones are counted under students
        rows = valid.filter(pl.col("exit_date").is_not_null() | pl.col("exit_type").is_not_null()) \
            .sort("position").with_row_index("rid")
        values, rows = self._mapped(rows, [
            _field(rows, "exitWithdrawTypeDescriptor", "exit_type"),
        ], {"exitWithdrawTypeDescriptor": ("exit_code",)})
        rows = rows.join(self._single(values, "exit_code"), on="rid", how="left")
        # `W5/S5`: the summer form after June 30 of the school year; an empty value is no exit.
        summer = pl.col("exit_date") > pl.lit(f"{self.year}{LAST_DAY}")
        forms = pl.col("exit_code").str.split("/")
        rows = rows.filter(pl.col("exit_code").is_null() | (pl.col("exit_code") != "")).with_columns(
            pl.when(forms.list.len() > 1).then(pl.when(summer).then(forms.list.get(1, null_on_oob=True))
                                              .otherwise(forms.list.first()))
            .otherwise(pl.col("exit_code")).alias("exit_code"),
            *first_failure([
                self._school_check(),
                (pl.col("unmapped").is_not_null(), "BAD_VALUE", pl.col("unmapped")),
            ]))
        return rows

    # --- roster --------------------------------------------------------------------------------

    def _roster(self) -> pl.DataFrame:
        kind = "roster"
        rows = self._resource("studentSectionAssociations", kind).select(
            "position",
            _ref("studentReference", "studentUniqueId").alias("student_id"),
            *self._section_reference(),
            pl.col("beginDate").alias("begin_date"), pl.col("endDate").alias("end_date"),
        ).join(self._schools(kind), on="school_id", how="left")
        rows = rows.join(self._sessions(kind), on=["session_name", "school_id", "section_year"], how="left") \
            .join(self._periods(kind, SECTION_KEY), on=SECTION_KEY, how="left") \
            .join(self._teachers(kind, SECTION_KEY), on=SECTION_KEY, how="left")
        rows = rows.join(self._transcripts(kind), on=["student_id", "course_code", "section_year", "term"],
                         how="left")
        rows = rows.join(self._programs(rows), on="position", how="left")
        return rows.with_columns(
            pl.when(pl.col("course_passed") == "N").then(pl.lit(0.0)).otherwise(pl.col("earned"))
            .alias("credits_earned"),
            pl.col("attempted").alias("credits_attempted"),
            *first_failure([
                self._year_check("section_year"),
                self._school_check(),
                (pl.col("session_known").is_null(), "MISSING_VALUE",
                 pl.lit("session '") + pl.col("session_name") + pl.lit("' of school ") + pl.col("school_id")
                 + pl.lit(" is not in sessions")),
                (pl.col("term_unmapped").is_not_null(), "BAD_VALUE", pl.col("term_unmapped")),
                (pl.col("transcript_known").is_null(), "MISSING_VALUE",
                 pl.lit("no courseTranscripts document for this student, course ") + pl.col("course_code")
                 + pl.lit(", school year and term")),
                (pl.col("transcript_unmapped").is_not_null(), "BAD_VALUE", pl.col("transcript_unmapped")),
                (pl.col("program_code").is_null(), "COURSE_NOT_IN_SEQUENCE", pl.col("program_problem")),
            ]))

    @staticmethod
    def _section_reference(column: str = "sectionReference") -> list[pl.Expr]:
        return [_ref(column, "sectionIdentifier").alias("section_id"),
                _ref(column, "localCourseCode").alias("course_code"),
                _ref(column, "schoolId").alias("school_id"),
                _ref(column, "schoolYear").alias("section_year"),
                _ref(column, "sessionName").alias("session_name")]

    def _sessions(self, kind: str) -> pl.DataFrame:
        """Each session's term code (docs/inputs.md: 1, 2 or 0), or why its term cannot be mapped."""
        sessions = self._resource("sessions", kind).select(
            pl.col("sessionName").alias("session_name"), _ref("schoolReference", "schoolId").alias("school_id"),
            _ref("schoolYearTypeReference", "schoolYear").alias("section_year"), "termDescriptor",
            pl.lit(True).alias("session_known"),
        ).unique(["session_name", "school_id", "section_year"], keep="first", maintain_order=True) \
            .with_row_index("rid")
        values, sessions = self._mapped(sessions, [
            _field(sessions, "termDescriptor"),
        ], {"termDescriptor": ("term",)})
        return sessions.join(self._single(values, "term"), on="rid", how="left").select(
            "session_name", "school_id", "section_year", "session_known", "term",
            pl.col("unmapped").alias("term_unmapped"))

    def _periods(self, kind: str, key: list[str]) -> pl.DataFrame:
        """The first class period of each section (no sections resource: no period)."""
        sections = self._optional("sections", kind)
        if sections is None:
            return pl.DataFrame(schema={**{k: pl.String for k in key}, "period": pl.String})
        return sections.select(
            pl.col("sectionIdentifier").alias("section_id"), *self._section_reference("courseOfferingReference")[1:],
            pl.col("classPeriods").list.first().struct.field("classPeriodReference")
            .struct.field("classPeriodName").alias("period"),
        ).unique(key, keep="first", maintain_order=True)

    def _teachers(self, kind: str, key: list[str]) -> pl.DataFrame:
        """The section's teacher of record, else its first staff association."""
        staff = self._resource("staffSectionAssociations", kind).select(
            "position", *self._section_reference(), _ref("staffReference", "staffUniqueId").alias("teacher_id"),
            pl.col("classroomPositionDescriptor").str.ends_with(TEACHER_OF_RECORD).fill_null(False)
            .alias("of_record"))
        return staff.sort(["of_record", "position"], descending=[True, False]) \
            .unique(key, keep="first", maintain_order=True).select(*key, "teacher_id")

    def _transcripts(self, kind: str) -> pl.DataFrame:
        """Credits per (student, course, school year, term) from courseTranscripts, with the
        attempt result and dual credit through the map; the first document of a key counts."""
        transcripts = self._resource("courseTranscripts", kind).select(
            "position",
            _ref("studentAcademicRecordReference", "studentUniqueId").alias("student_id"),
            _ref("courseReference", "courseCode").alias("course_code"),
            _ref("studentAcademicRecordReference", "schoolYear").alias("section_year"),
            _ref("studentAcademicRecordReference", "termDescriptor").alias("term_descriptor"),
            pl.col("attemptedCredits").alias("attempted"), pl.col("earnedCredits").alias("earned"),
            "courseAttemptResultDescriptor", "earnedAdditionalCredits",
        ).with_row_index("rid")
        values, transcripts = self._mapped(transcripts, [
            _field(transcripts, "termDescriptor", "term_descriptor"),
            _field(transcripts, "courseAttemptResultDescriptor"),
            _listed(transcripts, "earnedAdditionalCredits", "additionalCreditTypeDescriptor"),
        ], {"termDescriptor": ("term",), "courseAttemptResultDescriptor": ("course_passed",),
            "additionalCreditTypeDescriptor": ("dual_credit", "ignored")})
        dual = values.filter((pl.col("column") == "dual_credit") & (pl.col("value") == "Y")).select("rid").unique()
        return transcripts.join(self._single(values, "term"), on="rid", how="left") \
            .join(self._single(values, "course_passed"), on="rid", how="left") \
            .filter(pl.col("term").is_not_null()) \
            .sort("position").unique(["student_id", "course_code", "section_year", "term"], keep="first",
                                     maintain_order=True) \
            .select("student_id", "course_code", "section_year", "term", "attempted", "earned", "course_passed",
                    pl.when(pl.col("rid").is_in(dual["rid"].implode())).then(_text("Y")).otherwise(_text("N"))
                    .alias("dual_credit"),
                    # The term was mapped (that is how the row found it): any other unknown value is named.
                    pl.col("unmapped").alias("transcript_unmapped"), pl.lit(True).alias("transcript_known"))

    def _programs(self, rows: pl.DataFrame) -> pl.DataFrame:
        """The program of each section enrollment (docs/inputs.md#ed-fi-resources), among the programs whose coherent
        sequence lists the course: the one the section's `programs` collection names (several: as
        below among them), else the one for which the student has a CTE program association active
        on the enrollment's begin date (several: the lowest program code), else the only one."""
        courses = pl.read_parquet(self.reference / "courses.parquet", columns=["program_code", "course_code"])
        candidates = rows.select("position", "student_id", "begin_date", *SECTION_KEY) \
            .join(courses, on="course_code", how="inner")
        begin = pl.col("begin_date")
        active = candidates.join(self._associations(), on=["student_id", "program_code"], how="inner") \
            .filter((pl.col("from") <= begin) & (pl.col("to").is_null() | (pl.col("to") >= begin))) \
            .select("position", "program_code").unique().with_columns(pl.lit(True).alias("active"))
        named = self._section_programs().with_columns(pl.lit(True).alias("named"))
        chosen = candidates.join(named, on=[*SECTION_KEY, "program_code"], how="left") \
            .join(active, on=["position", "program_code"], how="left") \
            .with_columns(pl.col("named", "active").fill_null(False)) \
            .filter(pl.col("named") | pl.col("active")) \
            .sort(["position", "named", "active", "program_code"], descending=[False, True, True, False]) \
            .unique("position", keep="first").select("position", "program_code")
        listed = candidates.group_by("position").agg(pl.col("program_code").unique().sort().alias("listed"))
        programs = rows.select("position", "course_code", "begin_date").join(chosen, on="position", how="left") \
            .join(listed, on="position", how="left")
        return programs.select(
            "position",
            pl.coalesce(pl.col("program_code"),
                        pl.when(pl.col("listed").list.len() == 1).then(pl.col("listed").list.first()))
            .alias("program_code"),
            pl.when(pl.col("listed").is_null())
            .then(pl.lit("course ") + pl.col("course_code") + pl.lit(" is not on the coherent sequence of any program"))
            .otherwise(pl.lit("course ") + pl.col("course_code") + pl.lit(" is on the sequences of programs ")
                       + pl.col("listed").list.join(", ")
                       + pl.lit(", its section names none of them and the student has no CTE program association "
                                "for one of them active on ")
                       + pl.col("begin_date").fill_null("the begin date")).alias("program_problem"))

    def _section_programs(self) -> pl.DataFrame:
        """(section key, program_code) for each program a section's `programs` collection names,
        matched to reference/programs by name."""
        schema = {**{k: pl.String for k in SECTION_KEY}, "program_code": pl.String}
        sections = self._optional("sections", "roster")
        if sections is None:
            return pl.DataFrame(schema=schema)
        programs = pl.read_parquet(self.reference / "programs.parquet", columns=["program_code", "program_name"])
        return sections.select(
            pl.col("sectionIdentifier").alias("section_id"), *self._section_reference("courseOfferingReference")[1:],
            "programs",
        ).explode("programs").select(
            *SECTION_KEY, _ref("programs", "programReference").struct.field("programName").alias("program_name"),
        ).join(programs, on="program_name", how="inner").select(*schema).unique()

    def _associations(self) -> pl.DataFrame:
        """(student, program, from, to) of every studentCTEProgramAssociations document, its
        program matched to reference/programs by name, else by the CIP code of its services."""
        found = self._optional("studentCTEProgramAssociations", "roster")
        schema = {"student_id": pl.String, "program_code": pl.String, "from": pl.String, "to": pl.String}
        if found is None:
            return pl.DataFrame(schema=schema)
        programs = pl.read_parquet(self.reference / "programs.parquet",
                                   columns=["program_code", "program_name", "cip_code"])
        documents = found.select(
            "position", _ref("studentReference", "studentUniqueId").alias("student_id"),
            _ref("programReference", "programName").alias("program_name"),
            pl.col("beginDate").alias("from"), pl.col("endDate").alias("to"), "cteProgramServices")
        by_name = documents.join(programs.select("program_code", "program_name"), on="program_name")
        by_cip = documents.join(by_name.select("position"), on="position", how="anti") \
            .explode("cteProgramServices") \
            .with_columns(_ref("cteProgramServices", "cipCode").alias("cip_code")) \
            .join(programs.select("program_code", "cip_code"), on="cip_code")
        return pl.concat([by_name.select(*schema), by_cip.select(*schema)]).unique()

    # --- assessments ---------------------------------------------------------------------------

    def _assessments(self) -> pl.DataFrame:
        rows = self._resource("studentAssessments", "assessments").select(
            "position",
            _ref("studentReference", "studentUniqueId").alias("student_id"),
            (_ref("assessmentReference", "namespace") + pl.lit("#")
             + _ref("assessmentReference", "assessmentIdentifier")).alias("assessment"),
            pl.col("administrationDate").str.slice(0, 10).alias("test_date"),
            _ref("schoolYearTypeReference", "schoolYear").alias("doc_year"),
            "performanceLevels", "eventCircumstanceDescriptor",
        ).with_row_index("rid")
        # A level counts unless the document says it was not met.
        levels = rows.select("rid", "performanceLevels").explode("performanceLevels") \
            .filter(_ref("performanceLevels", "performanceLevelMet").fill_null(True))
        values, rows = self._mapped(rows, [
            _field(rows, "assessmentReference", "assessment"),
            _field(levels, "performanceLevelDescriptor", _ref("performanceLevels", "performanceLevelDescriptor")),
            _field(rows, "eventCircumstanceDescriptor"),
        ], {"assessmentReference": ("subject",), "performanceLevelDescriptor": ("proficient",),
            "eventCircumstanceDescriptor": ("included_in_accountability",)})
        proficient = values.filter(pl.col("column") == "proficient").group_by("rid").agg(
            pl.when((pl.col("value") == "Y").any()).then(_text("Y")).otherwise(_text("N")).alias("proficient"))
        return rows.join(self._single(values, "subject"), on="rid", how="left") \
            .join(proficient, on="rid", how="left") \
            .join(self._single(values, "included_in_accountability"), on="rid", how="left") \
            .with_columns(pl.lit(None, pl.String).alias("district_id"), *first_failure([
                self._year_check("doc_year"),
                (pl.col("unmapped").is_not_null(), "BAD_VALUE", pl.col("unmapped")),
            ]))
