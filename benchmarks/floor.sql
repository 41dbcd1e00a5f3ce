-- The bare-SQL floor: the federal participant, concentrator, graduate and placement tables of
-- school year {year}, straight from the CSV extracts under {raw}, in one DuckDB script.
-- Same rules as the pipeline (duplicates, unknown students, coherent sequence, exit window,
-- exit cohort); it skips the per-column format checks, so it is run on error-free extracts.

create table programs as select * from read_csv('{raw}/reference/programs.csv', all_varchar = true);
create table courses as select * from read_csv('{raw}/reference/courses.csv', all_varchar = true);

create table students as
select cast(regexp_extract(filename, '/(\d{{4}})-\d{{2}}/', 1) as integer) + 1 as school_year,
       student_id, cast(grade_level as integer) as grade_level,
       count(*) over (partition by filename, student_id) as copies
from read_csv('{raw}/*/students.csv', all_varchar = true, filename = true, union_by_name = true);

create table roster as
select cast(regexp_extract(filename, '/(\d{{4}})-\d{{2}}/', 1) as integer) + 1 as school_year,
       student_id, program_code, course_code,
       case upper(term) when 'S1' then '1' when 'S2' then '2' when 'FY' then '0' when 'Y' then '0' else term end as term,
       period, teacher_id, cast(credits_earned as double) as credits_earned
from read_csv('{raw}/*/roster.csv', all_varchar = true, filename = true, union_by_name = true);

create table exits as
select cast(regexp_extract(filename, '/(\d{{4}})-\d{{2}}/', 1) as integer) + 1 as school_year,
       student_id, upper(exit_code) as exit_code,
       coalesce(try_strptime(exit_date, '%Y-%m-%d'), try_strptime(exit_date, '%m/%d/%Y'))::date as exit_date
from read_csv('{raw}/*/exits.csv', all_varchar = true, filename = true, union_by_name = true);

create table placements as
select cast(regexp_extract(filename, '/(\d{{4}})-\d{{2}}/', 1) as integer) + 1 as school_year,
       student_id, try_strptime(survey_date, '%Y-%m-%d')::date as survey_date,
       upper(deceased) in ('Y', 'YES', 'TRUE', '1') as deceased, education_status, employment_status,
       coalesce(nullif(service_program, ''), 'NONE') as service_program,
       upper(job_related) in ('Y', 'YES', 'TRUE', '1') as job_related
from read_csv('{raw}/*/placements.csv', all_varchar = true, filename = true, union_by_name = true);

-- The four placement record files (SPEC 11), as the state delivers them for year Y.
create table nsc as
select cast(regexp_extract(filename, '/(\d{{4}})-\d{{2}}/', 1) as integer) + 1 as school_year,
       "Your Unique Identifier" as student_id, "Record Found Y/N" = 'Y' as record_found,
       try_strptime(nullif("Enrollment Begin", ''), '%Y%m%d')::date as enrollment_begin,
       try_strptime(nullif("Enrollment End", ''), '%Y%m%d')::date as enrollment_end,
       nullif("Enrollment Status", '') as enrollment_status, "Graduated?" = 'Y' as graduated
from read_csv('{raw}/*/nsc_detail.csv', all_varchar = true, filename = true, union_by_name = true);

create table wages as
select cast(regexp_extract(filename, '/(\d{{4}})-\d{{2}}/', 1) as integer) + 1 as school_year,
       student_id, cast(year as integer) as year, cast(quarter as integer) as quarter, cast(wages as double) as wages
from read_csv('{raw}/*/wage_records.csv', all_varchar = true, filename = true, union_by_name = true);

create table military as
select cast(regexp_extract(filename, '/(\d{{4}})-\d{{2}}/', 1) as integer) + 1 as school_year, student_id,
       entry_date::date as entry_date, nullif(separation_date, '')::date as separation_date
from read_csv('{raw}/*/military_service.csv', all_varchar = true, filename = true, union_by_name = true);

create table service as
select cast(regexp_extract(filename, '/(\d{{4}})-\d{{2}}/', 1) as integer) + 1 as school_year, student_id,
       start_date::date as start_date, nullif(end_date, '')::date as end_date
from read_csv('{raw}/*/service_programs.csv', all_varchar = true, filename = true, union_by_name = true);

-- derive
create table loaded_students as
select * from students where copies = 1 and grade_level between 6 and 12 and school_year <= {year};
create table enrolled as select * from loaded_students where grade_level between 9 and 12;

create table passed as
select r.school_year, r.student_id, r.program_code, r.course_code, r.credits_earned
from (select *, count(*) over (partition by school_year, student_id, course_code, term, coalesce(period, ''), teacher_id) as n
      from roster where school_year <= {year}) r
join courses c on r.program_code = c.program_code and r.course_code = c.course_code
join enrolled e on r.school_year = e.school_year and r.student_id = e.student_id
where r.n = 1 and r.credits_earned > 0;

create table yearly as
select school_year, student_id, program_code, sum(credits_earned) as credits,
       count(distinct course_code) as courses
from passed group by all;

-- A course counts once (SPEC 4.1): cumulative courses are distinct course codes up to the year.
create table first_passes as
select student_id, program_code, course_code, min(school_year) as first_year from passed group by all;

create table accumulated as
select e.school_year, e.student_id, y.program_code,
       sum(y.courses) filter (where y.school_year = e.school_year) as courses_year,
       any_value(c.courses_cum) as courses_cum, sum(y.credits) as credits_cum, max(y.school_year) as last_year
from enrolled e
join yearly y on y.student_id = e.student_id and y.school_year <= e.school_year
join (select e.school_year, e.student_id, f.program_code, count(*) as courses_cum
      from enrolled e join first_passes f on f.student_id = e.student_id and f.first_year <= e.school_year
      group by all) c
  on c.school_year = e.school_year and c.student_id = e.student_id and c.program_code = y.program_code
group by e.school_year, e.student_id, y.program_code;

create table floor_participants as
select school_year, student_id from accumulated group by all having sum(courses_year) >= 1;

create table floor_concentrators as
select school_year, student_id, program_code as primary_program_code from (
    select *, row_number() over (partition by school_year, student_id
                                 order by credits_cum desc, last_year desc, program_code) as preference
    from accumulated where courses_cum >= 2)
where preference = 1;

create table counting_exits as
select school_year, student_id, exit_code, exit_date from (
    select x.*, row_number() over (partition by x.school_year, x.student_id order by x.exit_date desc) as latest
    from exits x join loaded_students s on x.school_year = s.school_year and x.student_id = s.student_id
    where x.exit_code in ('G', 'S7', 'W7', 'A', 'S4', 'W4', 'S5', 'W5', 'S6', 'W6', 'S11', 'W11', 'T', 'D')
      and x.exit_date between make_date(x.school_year - 1, 7, 1)
          and case when x.exit_code like 'S%' then make_date(x.school_year, 9, 30) else make_date(x.school_year, 6, 30) end)
where latest = 1;

create table floor_leavers as
select c.school_year, c.student_id, x.exit_code, x.exit_code in ('G', 'S7', 'W7') as graduate,
       x.exit_code not in ('T', 'D') as eligible
from floor_concentrators c join counting_exits x using (school_year, student_id);

-- The measurement quarter: the second calendar quarter after the exit's (SPEC 11.5).
create table cohort_quarters as
select x.student_id, make_date(q // 4, (q % 4) * 3 + 1, 1) as quarter_start,
       make_date(q // 4, (q % 4) * 3 + 1, 1) + interval 3 month - interval 1 day as quarter_end,
       q // 4 as quarter_year, q % 4 + 1 as quarter_number
from (select l.student_id, year(x.exit_date) * 4 + (month(x.exit_date) - 1) // 3 + 2 as q
      from floor_leavers l join counting_exits x using (school_year, student_id)
      where l.school_year = {year} - 1 and l.eligible) x;

create table floor_placement_outcomes as
select cohort.student_id,
       not coalesce(s.deceased, false) and not exists (
               select 1 from nsc where nsc.school_year = {year} and nsc.student_id = cohort.student_id
               and nsc.record_found and nsc.enrollment_status = 'D')
       and (coalesce(s.education_status in ('TECH_CENTER_ADULT', 'PRIVATE_POSTSECONDARY', 'PUBLIC_POSTSECONDARY')
                or s.employment_status in ('FULL_TIME', 'PART_TIME', 'MILITARY')
                or s.service_program in ('NATIONAL_SERVICE', 'PEACE_CORPS'), false)
            or exists (select 1 from nsc where nsc.school_year = {year} and nsc.student_id = cohort.student_id
                       and nsc.record_found and not coalesce(nsc.graduated, false)
                       and nsc.enrollment_begin <= cohort.quarter_end and nsc.enrollment_end >= cohort.quarter_start
                       and coalesce(nsc.enrollment_status, '') not in ('W', 'A', 'D'))
            or exists (select 1 from military m where m.school_year = {year} and m.student_id = cohort.student_id
                       and m.entry_date <= cohort.quarter_end
                       and coalesce(m.separation_date >= cohort.quarter_start, true))
            or exists (select 1 from service v where v.school_year = {year} and v.student_id = cohort.student_id
                       and v.start_date <= cohort.quarter_end and coalesce(v.end_date >= cohort.quarter_start, true))
            or coalesce((select sum(w.wages) from wages w where w.school_year = {year}
                         and w.student_id = cohort.student_id and w.year = cohort.quarter_year
                         and w.quarter = cohort.quarter_number), 0) > 0) as placed
from cohort_quarters cohort
left join (select * from placements where school_year = {year}
           qualify row_number() over (partition by student_id order by survey_date desc) = 1) s using (student_id);
