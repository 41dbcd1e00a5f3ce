"""Ingest: reading, normalising and format checks on small hand-made files."""

import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.core.paths import DataDir
from pipeline.ingest.read import ExtractError, ingest_year
from pipeline.ingest.schema import EXTRACT_KINDS
from pipeline.synthetic.generate import GenerateOptions, generate

STUDENT_HEADER = "student_id,district_id,school_id,last_name,first_name,birth_date,grade_level,gender,race_ethnicity"


def _year_dir(data: DataDir) -> Path:
    return data.raw / "2024-25"


def _write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())


def _staged(data: DataDir, name: str) -> pl.DataFrame:
    return pl.read_parquet(data.staged_year(2025) / f"{name}.parquet")


def _rejects(data: DataDir) -> dict[tuple[str, int], tuple[str, str]]:
    return {(r["source"], r["row_number"]): (r["reason_code"], r["reason"])
            for r in _staged(data, "rejected").iter_rows(named=True)}


def test_format_checks_give_each_reason_once(fixture_dir):
    _write(_year_dir(fixture_dir) / "students.csv", "\n".join([
        STUDENT_HEADER + ",disability",
        "A1,D1,S1,Doe,Jane,2008-01-02,09,F,WH,y",          # loads
        "A2,D1,S1,Doe,Jane,,10,F,WH,N",                    # MISSING_VALUE birth_date
        "A3,D1,S1,Doe,Jane,2008-13-45,10,F,WH,N",          # BAD_VALUE date (value not quoted)
        "A4,D1,S1,Doe,Jane,2008-01-02,ten,F,WH,N",         # BAD_VALUE grade
        "A5,D1,S1,Doe,Jane,2008-01-02,10,F,WH,maybe",      # BAD_VALUE yes/no
        "A6,D1,S1,Doe,Jane,2008-01-02,10,F,ZZ,N",          # BAD_VALUE code
        "A7,D1,S1234567890123,Doe,Jane,2008-01-02,10,F,WH,N",  # TOO_LONG school_id
        ",D1,S1,Doe,Jane,2008-13-45,ten,Q,WH,N",           # missing beats bad values
        "A9,D1,S1,Doe,Jane,01/02/2008,12,m,hi,TRUE",       # US date, lower-case codes: loads
    ]))
    ingest_year(fixture_dir, 2025)
    rejects = _rejects(fixture_dir)
    assert {k: v[0] for k, v in rejects.items() if k[0] == "students"} == {
        ("students", 3): "MISSING_VALUE", ("students", 4): "BAD_VALUE", ("students", 5): "BAD_VALUE",
        ("students", 6): "BAD_VALUE", ("students", 7): "BAD_VALUE", ("students", 8): "TOO_LONG",
        ("students", 9): "MISSING_VALUE",
    }
    assert rejects[("students", 4)][1] == "birth_date is not a date (YYYY-MM-DD or MM/DD/YYYY)"
    assert rejects[("students", 5)][1] == "grade_level 'ten' is not a whole number"
    assert rejects[("students", 9)][1] == "student_id is missing"
    loaded = _staged(fixture_dir, "students").sort("student_id")
    assert loaded["student_id"].to_list() == ["A1", "A9"]
    assert loaded["grade_level"].to_list() == [9, 12]
    assert loaded["gender"].to_list() == ["F", "M"]
    assert loaded["race_ethnicity"].to_list() == ["WH", "HI"]
    assert loaded["disability"].to_list() == [True, True]
    assert loaded["econ_disadvantaged"].to_list() == [False, False]  # absent optional column: N
    # Names, birth dates and emails are checked but never stored.
    assert not {"last_name", "first_name", "birth_date", "email"} & set(loaded.columns)


def test_bom_header_case_spaces_and_unknown_columns(fixture_dir):
    header = " Student_ID ,District_ID,SCHOOL_ID,Last_Name,First_Name,Birth_Date,Grade_Level,Gender,Race_Ethnicity"
    row = "B1,D1,S1,X,Y,2008-01-02,9,F,WH,hi"
    _write(_year_dir(fixture_dir) / "students.csv", b"\xef\xbb\xbf" + f"{header},Notes\n{row}\n".encode())
    messages: list[str] = []
    result = ingest_year(fixture_dir, 2025, messages.append)
    assert _staged(fixture_dir, "students")["student_id"].to_list() == ["B1"]
    students = next(f for f in result.files if f.kind == "students")
    assert students.ignored_columns == ["notes"]
    assert sum("ignored unknown columns notes" in m for m in messages) == 1


def test_terms_are_normalised(fixture_dir):
    roster = (_year_dir(fixture_dir) / "roster.csv").read_text().replace(",S1,", ",s1,")
    _write(_year_dir(fixture_dir) / "roster.csv", roster)
    ingest_year(fixture_dir, 2025)
    terms = _staged(fixture_dir, "roster")["term"].unique().sort().to_list()
    assert terms == ["0", "1", "2"]


def test_xlsx_and_folder_of_district_files_are_read_together(fixture_dir):
    folder = _year_dir(fixture_dir)
    exits = pl.read_csv(folder / "exits.csv", infer_schema=False)
    (folder / "exits.csv").unlink()
    exits.head(5).write_excel(folder / "exits.xlsx")
    (folder / "exits").mkdir()
    exits.slice(5).write_csv(folder / "exits" / "district_d1.csv")
    result = ingest_year(fixture_dir, 2025)
    paths = sorted(f.path for f in result.files if f.kind == "exits")
    assert paths == ["raw/2024-25/exits.xlsx", "raw/2024-25/exits/district_d1.csv"]
    staged = _staged(fixture_dir, "exits")
    assert staged.height + sum(1 for k in _rejects(fixture_dir) if k[0] == "exits") == exits.height
    assert staged.filter(pl.col("student_id") == "S04")["exit_date"].to_list() == [date(2025, 1, 20)]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("students.csv", bytes(range(256)) * 4, "raw/2024-25/students.csv: cannot be read as UTF-8 CSV"),
    ("students.csv", "student_id,grade\nJosé,9\n".encode("latin-1"),
     "raw/2024-25/students.csv: cannot be read as UTF-8 CSV"),
    ("students.xlsx", b"PK\x03\x04 not really a workbook", "raw/2024-25/students.xlsx: cannot be read as XLSX"),
    ("students.csv", "student_id,district_id\nA1,D1\n",
     "raw/2024-25/students.csv: required column school_id, last_name, first_name, birth_date, grade_level, "
     "gender, race_ethnicity is missing from the header"),
])
def test_unreadable_file_stops_the_year_with_one_line(fixture_dir, name, content, message):
    ingest_year(fixture_dir, 2025)
    before = {p.name: p.read_bytes() for p in fixture_dir.staged_year(2025).iterdir()}
    (_year_dir(fixture_dir) / "students.csv").unlink()
    _write(_year_dir(fixture_dir) / name, content)
    with pytest.raises(ExtractError) as caught:
        ingest_year(fixture_dir, 2025)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)
    # Nothing of the failed attempt replaced what was staged before.
    assert {p.name: p.read_bytes() for p in fixture_dir.staged_year(2025).iterdir()} == before


def test_missing_required_extract(fixture_dir):
    (_year_dir(fixture_dir) / "exits.csv").unlink()
    with pytest.raises(ExtractError, match=r"^raw/2024-25/exits: no exits extract"):
        ingest_year(fixture_dir, 2025)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), error_rate=st.sampled_from([0.0, 0.01, 0.05, 0.15]),
       mixed=st.booleans())
def test_every_generated_row_is_loaded_or_rejected_once(tmp_path_factory, seed, error_rate, mixed):
    """Property: for every input file, rows read = rows passing format checks + rows rejected,
    and each rejected row number is unique within its file."""
    root = tmp_path_factory.mktemp("gen")
    generate(GenerateOptions(400, [2024, 2025], seed, error_rate, mixed), root, lambda _: None)
    data = DataDir(root)
    result = ingest_year(data, 2025)
    rejected = _staged(data, "rejected")
    assert {f.kind for f in result.files} >= {"students", "roster", "exits"}
    for file in result.files:
        kind_rows = _staged(data, file.kind).filter(pl.col("source_file") == file.path).height
        file_rejects = rejected.filter(pl.col("source_file") == file.path)
        assert file.rows_read == kind_rows + file_rejects.height, file.path
        assert file_rejects["row_number"].n_unique() == file_rejects.height
    shutil.rmtree(root)


def test_generator_is_deterministic_for_a_seed(tmp_path):
    for name in ("a", "b"):
        generate(GenerateOptions(300, [2024, 2025], 7, 0.02, True), tmp_path / name, lambda _: None)
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.csv"))
    assert files_a == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.csv"))
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a)
    assert set(EXTRACT_KINDS) == {p.stem for p in (tmp_path / "a" / "raw" / "2024-25").iterdir()}



ROSTER_HEADER = ("student_id,district_id,school_id,program_code,course_code,section_id,term,period,teacher_id,"
                 "credits_attempted,credits_earned")


def _ingest_error(data: DataDir) -> str:
    with pytest.raises(ExtractError) as error:
        ingest_year(data, 2025)
    return str(error.value)


def test_numbers_that_are_not_finite_or_too_large_are_bad_values(fixture_dir):
    """NaN, inf and 1e308 parse as floats but are no credits (SPEC 3): BAD_VALUE rows, not a dbt crash."""
    rows = [f"S01,D1,SCH1,11000001,11000102,SEC{i},1,1,T1,1,{value}"
            for i, value in enumerate(["NaN", "inf", "-inf", "1e308", "1000001", "-1", "0.5"])]
    _write(_year_dir(fixture_dir) / "roster.csv", "\n".join([ROSTER_HEADER, *rows]))
    ingest_year(fixture_dir, 2025)
    rejects = _rejects(fixture_dir)
    assert {row: rejects[("roster", row)][0] for row in range(2, 8)} == dict.fromkeys(range(2, 8), "BAD_VALUE")
    assert rejects[("roster", 2)][1] == "credits_earned 'NaN' is not a number from 0 to 1,000,000"
    # SPEC 3.2 (version 3): credits below 0 are bad values, named by their column.
    assert rejects[("roster", 7)][1] == "credits_earned '-1' is not a number from 0 to 1,000,000"
    assert ("roster", 8) not in rejects
    assert _staged(fixture_dir, "roster")["credits_earned"].to_list() == [0.5]


def test_grades_too_large_or_not_numbers_are_bad_values(fixture_dir):
    rows = [f"G{i},D1,S1,Doe,Jane,2008-01-02,{grade},F,WH" for i, grade in enumerate(["1e10", "NaN", "9.0", "-inf"])]
    _write(_year_dir(fixture_dir) / "students.csv", "\n".join([STUDENT_HEADER, *rows]))
    ingest_year(fixture_dir, 2025)
    codes = {k[1]: v[0] for k, v in _rejects(fixture_dir).items() if k[0] == "students"}
    assert codes == {2: "BAD_VALUE", 3: "BAD_VALUE", 5: "BAD_VALUE"}
    assert _staged(fixture_dir, "students")["grade_level"].to_list() == [9]


def test_long_real_identifiers_load(fixture_dir):
    """Ed-Fi ids: a 32-character student id, a 200-character section id, a 60-character period."""
    student, section, period = "S" * 32, "X" * 200, "P" * 60
    _write(_year_dir(fixture_dir) / "students.csv",
           "\n".join([STUDENT_HEADER, f"{student},D1,SCH1,Doe,Jane,2008-01-02,10,F,WH",
                      f"{'T' * 33},D1,S,D,J,2008-01-02,10,F,WH"]))
    _write(_year_dir(fixture_dir) / "roster.csv",
           "\n".join([ROSTER_HEADER, f"{student},D1,SCH1,11000001,11000102,{section},1,{period},{'t' * 32},1,1"]))
    ingest_year(fixture_dir, 2025)
    assert _staged(fixture_dir, "students")["student_id"].to_list() == [student]
    assert _staged(fixture_dir, "roster")["section_id"].to_list() == [section]
    assert _rejects(fixture_dir)[("students", 3)] == ("TOO_LONG", "student_id is longer than 32 characters")


def test_a_row_longer_than_its_header_is_one_rejected_row(fixture_dir):
    _write(_year_dir(fixture_dir) / "students.csv", "\n".join([
        STUDENT_HEADER, "A1,D1,S1,Doe,Jane,2008-01-02,10,F,WH", "A2,D1,S1,Doe,Jane,2008-01-02,10,F,WH,N,N,extra",
        "A3,D1,S1,Doe,Jane,2008-01-02,10,F,WH"]))
    ingest_year(fixture_dir, 2025)
    assert _rejects(fixture_dir)[("students", 3)] == ("BAD_VALUE", "row has 12 fields, the header has 9")
    assert _staged(fixture_dir, "students")["student_id"].to_list() == ["A1", "A3"]


def test_a_value_holding_a_control_character_is_a_bad_value(fixture_dir):
    _write(_year_dir(fixture_dir) / "students.csv", "\n".join([
        STUDENT_HEADER, "A1,D1,S\x001,Doe,Jane,2008-01-02,10,F,WH", "A2,D1,S1,Do\x00e,Jane,2008-01-02,10,F,WH"]))
    ingest_year(fixture_dir, 2025)
    rejects = _rejects(fixture_dir)
    assert rejects[("students", 2)] == ("BAD_VALUE", "school_id 'S?1' is not text without control characters")
    assert rejects[("students", 3)] == ("BAD_VALUE", "last_name is not text without control characters")


@pytest.mark.parametrize(("content", "message"), [
    ("student_id,district_id\nA,B\n".encode("utf-16"), "is saved as UTF-16 text; save it as UTF-8 CSV"),
    (STUDENT_HEADER.encode() + b"\rA1,D1,S1,Doe,Jane,2008-01-02,10,F,WH\r",
     "has old Mac line endings (CR only); save it with Windows or Unix line endings"),
    ((STUDENT_HEADER + ",Grade_Level\nA1,D1,S1,Doe,Jane,2008-01-02,10,F,WH,11\n").encode(),
     "the header names column grade_level more than once"),
])
def test_unreadable_files_say_what_is_wrong(fixture_dir, content, message):
    _write(_year_dir(fixture_dir) / "students.csv", content)
    assert _ingest_error(fixture_dir) == f"raw/2024-25/students.csv: {message}"


def test_a_broken_quote_is_reported_without_quoting_personal_data(fixture_dir):
    _write(_year_dir(fixture_dir) / "students.csv", "\n".join([
        STUDENT_HEADER, 'A1,D1,S1,"Zebrowski,Jane,2008-01-02,10,F,WH', "A2,D1,S1,Quintana,Ana,2007-03-04,10,F,WH"]))
    message = _ingest_error(fixture_dir)
    assert message.startswith("raw/2024-25/students.csv: ")
    for personal in ("Zebrowski", "Quintana", "Jane", "Ana", "2008-01-02", "2007-03-04"):
        assert personal not in message


def test_a_link_out_of_the_data_dir_is_refused(fixture_dir, tmp_path):
    outside = tmp_path / "elsewhere.csv"
    outside.write_text((_year_dir(fixture_dir) / "roster.csv").read_text())
    (_year_dir(fixture_dir) / "roster.csv").unlink()
    (_year_dir(fixture_dir) / "roster.csv").symlink_to(outside)
    assert _ingest_error(fixture_dir) == ("raw/2024-25/roster.csv: is a link to a file outside the data "
                                          "directory; copy the file in instead")


def test_a_reference_key_listed_twice_stops_with_its_rows(fixture_dir):
    from pipeline.ingest.read import ingest_reference

    ingest_reference(fixture_dir)
    before = {p.name: p.read_bytes() for p in (fixture_dir.staged / "reference").iterdir()}
    courses = fixture_dir.reference / "courses.csv"
    lines = courses.read_text().splitlines()
    courses.write_text("\n".join([*lines, lines[3]]) + "\n")
    with pytest.raises(ExtractError) as error:
        ingest_reference(fixture_dir)
    assert str(error.value) == ("raw/reference/courses.csv: program_code, course_code 11000001, 11000103 is listed "
                                "more than once (rows 4 and 12); each may appear once")
    assert {p.name: p.read_bytes() for p in (fixture_dir.staged / "reference").iterdir()} == before


@pytest.mark.parametrize(("file", "row", "message"), [
    ("recipients.csv", "D1,R1,North,consortium\nD1,R2,South,district",
     "raw/reference/recipients.csv: district_id D1 is listed more than once (rows 2 and 3); each may appear once"),
    ("performance_levels.csv", "2024-25,3S1,,140",
     "raw/reference/performance_levels.csv row 2: level '140' is not a number from 0 to 100"),
    ("performance_levels.csv", "2024-25,9Z9,,70",
     "raw/reference/performance_levels.csv row 2: indicator '9Z9' is not one of "
     "1S1, 1S2, GRAD_EXIT, 2S1, 2S2, 2S3, 3S1, 4S1, 5S1, 5S2, 5S3"),
])
def test_bad_recipient_and_level_lists_stop_with_one_line(fixture_dir, file, row, message):
    from pipeline.ingest.read import ingest_reference

    header = {"recipients.csv": "district_id,recipient_id,recipient_name,recipient_type",
              "performance_levels.csv": "school_year,indicator,recipient_id,level"}[file]
    _write(fixture_dir.reference / file, f"{header}\n{row}\n")
    with pytest.raises(ExtractError) as error:
        ingest_reference(fixture_dir)
    assert str(error.value) == message




def test_a_clearinghouse_file_saved_as_xlsx_reads_like_the_one_sent(fixture_dir):
    """SPEC 11.1: nsc_detail as sent (tests/fixtures.py), then opened and saved as XLSX: Excel keeps
    YYYYMMDD dates as numbers and drops nothing else; the same rows load and are rejected."""
    sent = _year_dir(fixture_dir) / "nsc_detail.csv"
    ingest_year(fixture_dir, 2025)
    as_sent = _staged(fixture_dir, "nsc_detail").drop("source_file")
    rejected = {k[1]: v for k, v in _rejects(fixture_dir).items() if k[0] == "nsc_detail"}
    dates = ["Search Date", "Enrollment Begin", "Enrollment End"]
    pl.read_csv(sent, infer_schema=False).with_columns(pl.col(dates).cast(pl.Int64)) \
        .write_excel(sent.with_suffix(".xlsx"))
    sent.unlink()
    ingest_year(fixture_dir, 2025)
    assert _staged(fixture_dir, "nsc_detail").drop("source_file").equals(as_sent)
    assert {k[1]: v for k, v in _rejects(fixture_dir).items() if k[0] == "nsc_detail"} == rejected
    assert len(rejected) == 2 and as_sent.height == 4  # format checks here; the dates' order is a rule (dbt)
