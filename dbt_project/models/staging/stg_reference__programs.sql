select
    program_code,
    program_name,
    cip_code,
    cast(career_cluster as integer) as career_cluster,
    program_area,
    nontrad_gender
from {{ source('reference', 'programs') }}
