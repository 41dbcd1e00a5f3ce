select
    district_id,
    recipient_id,
    recipient_name,
    recipient_type
from {{ source('reference', 'recipients') }}
