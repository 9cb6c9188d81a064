{#- One row per raw row of every export file, parsed once, with its verdict: `event` (the first
    delivery of a distinct event), `duplicate` (a later delivery of an event already seen) or
    `rejected` (quarantined, with reason codes). stg_supervisely__activity,
    stg_supervisely__activity_duplicates and stg_supervisely__activity_rejected split this table.

    Incremental: a run parses only the files this table does not hold yet (export files are
    append-only, see stg_supervisely__export_files) and gives their rows a verdict together with
    the rows already held that could be deliveries of the same events (same legacy_event_key):
    those are rewritten, since a new delivery can come first in the order that picks the kept one,
    or be the full twin of a row of the older shape. No other row can change. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_partitions',
    partition_keys=['source_file', 'source_row_number'],
    on_schema_change='fail',
) }}
{%- set id_fields = activity_id_fields() -%}
{%- set name_fields = activity_name_fields() -%}
{%- set text_members = ['action', 'type', 'date'] + (id_fields.keys() | list) + (name_fields.keys() | list) -%}
{%- set meta_text_members = [
    'duration', 'reviewStatus', 'source', 'frame', 'seekPosition', 'sliceIndex', 'id', 'value',
    'startFrame', 'endFrame', 'ip', 'newEmail', 'oldEmail'
] -%}
{%- set pii_meta_members = ['ip', 'newEmail', 'oldEmail'] -%}
{#- Reasons a record of the older 13-field shape fails only because that shape has no meta, job or
    tag: such a row is still a duplicate when its full twin is in the exports. -#}
{%- set shape_limited_reasons = ['invalid_duration', 'invalid_review_status', 'missing_required_id'] -%}

with

records as (
    select * from {{ ref('base_supervisely__activity_records') }}
),

action_catalog as (
    select
        action,
        entity_kind,
        verb,
        category,
        required_id_column
    from {{ ref('activity_action_catalog') }}
),

review_statuses as (
    select review_status from {{ ref('review_statuses') }}
),

reject_reasons as (
    select
        reject_reason,
        priority
    from {{ ref('reject_reasons') }}
),

-- Parse each record's JSON once: every later step reads the parsed value.
records_parsed as (
    select
        source_file,
        source_format,
        source_row_number,
        record_text,
        {{ try_parse_json('record_text') }} as record
    from records
),

parsed as (
    select
        source_file,
        source_format,
        source_row_number,
        record_text,
        {{ team_id_from_path(
            'source_file',
            var('default_team_id', env_var('LABELING_ANALYTICS_DEFAULT_TEAM_ID', ''))
        ) }} as team_id,
        record,
        coalesce({{ json_is_object('record') }}, false) as record_is_object,
        {{ json_members('record', text_members, ['meta']) }} as members,
        -- The shape is told by which fields the record has, not by their values: the older
        -- 13-field export has none of meta, job, jobId, tag, tagId.
        case
            when record_text is null then null
            when {{ json_has_any_member('record', ['meta', 'job', 'jobId', 'tag', 'tagId']) }}
                then 'full'
            else 'legacy_13_field'
        end as record_shape
    from records_parsed
),

fields as (
    select
        source_file,
        source_format,
        source_row_number,
        record_text,
        team_id,
        record,
        record_is_object,
        record_shape,
        lower(trim(coalesce(
            {{ clean_text(json_member('members', 'action')) }},
            {{ clean_text(json_member('members', 'type')) }}
        ))) as action,
        {{ clean_text(json_member('members', 'date')) }} as date_text,
        {%- for member, column in id_fields.items() %}
        {{ clean_id_text(json_member('members', member)) }} as {{ column }}_text,
        {%- endfor %}
        {%- for member, column in name_fields.items() %}
        {{ clean_text(json_member('members', member)) }} as {{ column }},
        {%- endfor %}
        {{ json_member_json('members', 'meta') }} as meta_value,
        -- A `meta` that arrived as a string: the pandas CSV's Python repr, or double-encoded JSON.
        case
            when {{ json_is_string(json_member_json('members', 'meta')) }}
                then {{ clean_id_text(json_string_value(json_member_json('members', 'meta'))) }}
        end as meta_string
    from parsed
),

meta_parsed as (
    select
        *,
        case
            when {{ json_is_object('meta_value') }} then meta_value
            when meta_string is not null
                then coalesce(
                        {{ try_parse_json('meta_string') }},
                        {{ try_parse_json(python_literal_to_json('meta_string')) }}
                    )
        end as meta_json,
        -- Absent, null or a blank string all mean "no meta".
        meta_value is not null
        and (not {{ json_is_string('meta_value') }} or meta_string is not null) as has_meta
    from fields
),

typed as (
    select
        source_file,
        source_format,
        source_row_number,
        record_text,
        team_id,
        record,
        record_is_object,
        record_shape,
        action,
        date_text,
        {{ parse_utc_timestamp('date_text') }} as occurred_at,
        {%- for column in id_fields.values() %}
        {{ column }}_text,
        {{ parse_whole_number(column ~ '_text') }} as {{ column }},
        {%- endfor %}
        {%- for column in name_fields.values() %}
        {{ column }},
        {%- endfor %}
        has_meta,
        meta_json,
        coalesce({{ json_is_object('meta_json') }}, false) as meta_is_object,
        {{ canonical_json_object('meta_json') }} as meta_canonical
    from meta_parsed
),

meta_fields as (
    select
        *,
        {{ json_members('meta_canonical', meta_text_members, ['normal']) }} as meta_members
    from typed
),

meta_typed as (
    select
        source_file,
        source_format,
        source_row_number,
        record_text,
        team_id,
        record,
        record_is_object,
        record_shape,
        action,
        date_text,
        occurred_at,
        {%- for column in id_fields.values() %}
        {{ column }}_text,
        {{ column }},
        {%- endfor %}
        {%- for column in name_fields.values() %}
        {{ column }},
        {%- endfor %}
        has_meta,
        meta_json,
        meta_is_object,
        meta_canonical,
        {{ parse_decimal_number(json_member('meta_members', 'duration')) }} as duration_seconds,
        {{ clean_text(json_member('meta_members', 'duration')) }} as duration_text,
        lower(trim({{ json_member('meta_members', 'reviewStatus') }})) as review_status,
        lower(trim({{ json_member('meta_members', 'source') }})) as figure_source,
        {{ parse_whole_number(json_member('meta_members', 'frame')) }} as frame,
        {{ parse_decimal_number(json_member('meta_members', 'seekPosition')) }} as seek_position,
        {{ parse_whole_number(json_member('meta_members', 'sliceIndex')) }} as slice_index,
        {{ parse_decimal_number(json_field_text(json_member_json('meta_members', 'normal'), 'x')) }} as normal_x,
        {{ parse_decimal_number(json_field_text(json_member_json('meta_members', 'normal'), 'y')) }} as normal_y,
        {{ parse_decimal_number(json_field_text(json_member_json('meta_members', 'normal'), 'z')) }} as normal_z,
        {{ parse_whole_number(json_member('meta_members', 'id')) }} as meta_target_id,
        {{ json_member('meta_members', 'value') }} as tag_value,
        {{ parse_whole_number(json_member('meta_members', 'startFrame')) }} as tag_start_frame,
        {{ parse_whole_number(json_member('meta_members', 'endFrame')) }} as tag_end_frame,
        {{ hash_pii(json_member('meta_members', 'ip')) }} as ip_hash,
        {{ hash_pii(json_member('meta_members', 'newEmail')) }} as new_email_hash,
        {{ hash_pii(json_member('meta_members', 'oldEmail')) }} as old_email_hash
    from meta_fields
),

with_catalog as (
    select
        meta_typed.*,
        action_catalog.action is not null as is_known_action,
        action_catalog.entity_kind,
        action_catalog.verb as action_verb,
        action_catalog.category as action_category,
        action_catalog.required_id_column,
        review_statuses.review_status is not null as is_known_review_status
    from meta_typed
    left join action_catalog
        on meta_typed.action = action_catalog.action
    left join review_statuses
        on meta_typed.review_status = review_statuses.review_status
),

-- Every check of a parsed object, one column each: its reason, or null where the row passes it.
checks as (
    select
        *,
        case when team_id is null then 'missing_team' end as check_missing_team,
        case when action is null then 'missing_action' end as check_missing_action,
        case when action is not null and not is_known_action then 'unknown_action' end as check_unknown_action,
        case when date_text is null then 'missing_date' end as check_missing_date,
        case when date_text is not null and occurred_at is null then 'unparseable_date' end as check_unparseable_date,
        case
            when
            {%- for column in id_fields.values() %}
                ({{ column }}_text is not null and {{ column }} is null)
                {%- if not loop.last %} or{% endif %}
            {%- endfor %}
                then 'invalid_id'
        end as check_invalid_id,
        case when user_id_text is null then 'missing_user' end as check_missing_user,
        case
            when
                (action_verb = 'visit' or duration_text is not null)
                and (
                    duration_seconds is null
                    or not {{ is_finite_double('duration_seconds') }}
                    or duration_seconds < 0
                    or duration_seconds > {{ var('max_visit_duration_seconds') }}
                )
                then 'invalid_duration'
        end as check_invalid_duration,
        case
            when
                (action_verb = 'review' or review_status is not null)
                and not is_known_review_status
                then 'invalid_review_status'
        end as check_invalid_review_status,
        case when has_meta and not meta_is_object then 'meta_not_object' end as check_meta_not_object,
        case
            {%- for column in id_fields.values() %}
            when required_id_column = '{{ column }}' and {{ column }}_text is null
                then 'missing_required_id'
            {%- endfor %}
        end as check_missing_required_id
    from with_catalog
),

checked as (
    select
        *,
        {{ array_without_nulls(
            "case when record_text is null then " ~ array_literal("'invalid_encoding'")
            ~ " when record is null then " ~ array_literal("'malformed_json'")
            ~ " when not record_is_object then " ~ array_literal("'not_an_object'")
            ~ " else " ~ array_literal(
                'check_missing_team, check_missing_action, check_unknown_action, check_missing_date, '
                ~ 'check_unparseable_date, check_invalid_id, check_missing_user, check_invalid_duration, '
                ~ 'check_invalid_review_status, check_meta_not_object, check_missing_required_id'
            ) ~ " end"
        ) }} as reject_reasons
    from checks
),

keyed as (
    select
        -- lineage
        source_file,
        source_format,
        source_row_number,
        record_shape,

        -- verdict inputs
        reject_reasons,

        -- ids
        team_id,
        {%- for column in id_fields.values() %}
        {{ column }},
        {%- endfor %}
        meta_target_id,

        -- event
        action,
        entity_kind,
        action_category,
        occurred_at,

        -- display names
        {%- for column in name_fields.values() %}
        {{ column }},
        {%- endfor %}

        -- meta, typed
        duration_seconds,
        review_status,
        figure_source,
        frame,
        seek_position,
        slice_index,
        normal_x,
        normal_y,
        normal_z,
        tag_value,
        tag_start_frame,
        tag_end_frame,
        ip_hash,
        new_email_hash,
        old_email_hash,
        meta_canonical,
        -- The raw text of a row that fails a check, made here so that the wide JSON columns
        -- travel no further. Personal data is taken out of a parsed record (its meta, however it
        -- was encoded, replaced by the parsed one without ip and e-mails), and anything shaped
        -- like an e-mail or IP address is redacted from what is left.
        case
            when {{ array_size('reject_reasons') }} > 0
                then {{ redact_pii_text(
                    "case when record_is_object and meta_is_object then "
                    ~ json_to_text(json_patch_members(
                        json_without_members('record', ['meta']),
                        {'meta': json_without_members('meta_json', pii_meta_members)}
                    ))
                    ~ " else record_text end"
                ) }}
        end as quarantine_text,
        {{ array_size('reject_reasons') }} > 0 as is_rejected,
        {{ array_without_values('reject_reasons', shape_limited_reasons) }} as core_reject_reasons,
        -- The event's identity: what it says, typed, so that 150 and 150.0 or a Parquet struct's
        -- key order make no difference. Personal data is left out: a hash over it could be
        -- reversed by brute force, and no two events differ by an IP address alone. Doubles and
        -- the instant are written as text the same way on every engine.
        case
            when {{ array_size('reject_reasons') }} = 0
                then {{ generate_surrogate_key(
                    ['team_id', 'action', timestamp_to_iso_text('occurred_at')]
                    + activity_event_key_ids(include_extended=true)
                    + [
                        'meta_target_id', double_to_text('duration_seconds'), 'review_status', 'figure_source',
                        'frame', double_to_text('seek_position'), 'slice_index', double_to_text('normal_x'),
                        double_to_text('normal_y'), double_to_text('normal_z'),
                        'tag_value', 'tag_start_frame', 'tag_end_frame',
                        "case when meta_canonical is null then '{}' else "
                        ~ json_to_text(json_without_members('meta_canonical', meta_text_members + ['normal']))
                        ~ " end",
                    ]
                ) }}
        end as event_id,
        -- The fields the older 13-field export shares with the full one: what matches the two.
        {{ generate_surrogate_key(
            ['team_id', 'action', timestamp_to_iso_text('occurred_at')]
            + activity_event_key_ids(include_extended=false)
        ) }} as legacy_event_key
    from checked
),

-- Everything the verdict and the table need, for the rows parsed in this run.
new_rows as (
    select
        -- lineage
        source_file,
        source_format,
        source_row_number,
        record_shape,

        -- verdict inputs
        reject_reasons,
        is_rejected,
        core_reject_reasons,
        event_id,
        legacy_event_key,

        -- ids
        team_id,
        {%- for column in id_fields.values() %}
        {{ column }},
        {%- endfor %}
        meta_target_id,

        -- event
        action,
        entity_kind,
        action_category,
        occurred_at,

        -- display names
        {%- for column in name_fields.values() %}
        {{ column }},
        {%- endfor %}

        -- meta, typed
        duration_seconds,
        review_status,
        figure_source,
        frame,
        seek_position,
        slice_index,
        normal_x,
        normal_y,
        normal_z,
        tag_value,
        tag_start_frame,
        tag_end_frame,
        ip_hash,
        new_email_hash,
        old_email_hash,
        -- meta as JSON, personal data replaced by its hash (or removed when no salt is set)
        case
            when meta_canonical is not null
                then {{ json_patch_members(
                    'meta_canonical', {'ip': 'ip_hash', 'newEmail': 'new_email_hash', 'oldEmail': 'old_email_hash'}
                ) }}
        end as meta,
        quarantine_text
    from keyed
),

{%- if is_incremental() %}

-- Rows loaded earlier that may be deliveries of the same events as new rows.
held_rows as (
    select
        source_file,
        source_format,
        source_row_number,
        record_shape,
        reject_reasons,
        {{ array_size('reject_reasons') }} > 0 as is_rejected,
        {{ array_without_values('reject_reasons', shape_limited_reasons) }} as core_reject_reasons,
        event_id,
        legacy_event_key,
        team_id,
        {%- for column in id_fields.values() %}
        {{ column }},
        {%- endfor %}
        meta_target_id,
        action,
        entity_kind,
        action_category,
        occurred_at,
        {%- for column in name_fields.values() %}
        {{ column }},
        {%- endfor %}
        duration_seconds,
        review_status,
        figure_source,
        frame,
        seek_position,
        slice_index,
        normal_x,
        normal_y,
        normal_z,
        tag_value,
        tag_start_frame,
        tag_end_frame,
        ip_hash,
        new_email_hash,
        old_email_hash,
        meta,
        -- only a quarantined row keeps its text, and a row leaves the quarantine only to become a
        -- duplicate of a full twin (which drops the text), never the other way
        record_text as quarantine_text
    from {{ this }}
    where legacy_event_key in (select new_rows.legacy_event_key from new_rows)
),

candidates as (
    select * from new_rows
    union all
    select * from held_rows
),
{%- else %}

candidates as (
    select * from new_rows
),
{%- endif %}

-- The first delivery of each event is kept: a full record before one of the older 13-field shape,
-- then by file path and row number, so the choice is the same on every run.
ranked as (
    select
        *,
        case
            when not is_rejected
                then row_number() over (
                        partition by event_id
                        order by record_shape = 'legacy_13_field', source_file, source_row_number
                    )
        end as delivery_number
    from candidates
),

-- An event that reached us in the older 13-field shape and in the full one is the full one.
full_shape_keys as (
    select
        legacy_event_key,
        min(event_id) as event_id
    from ranked
    where not is_rejected and record_shape = 'full'
    group by legacy_event_key
),

verdicts as (
    select
        ranked.*,
        case
            when
                ranked.record_shape = 'legacy_13_field'
                and {{ array_size('ranked.core_reject_reasons') }} = 0
                and full_shape_keys.event_id is not null
                then full_shape_keys.event_id
            when not ranked.is_rejected and ranked.delivery_number > 1 then ranked.event_id
        end as duplicate_of_event_id
    from ranked
    left join full_shape_keys
        on
            ranked.record_shape = 'legacy_13_field'
            and ranked.legacy_event_key = full_shape_keys.legacy_event_key
),

classified as (
    select
        *,
        case
            when duplicate_of_event_id is not null then 'duplicate'
            when is_rejected then 'rejected'
            else 'event'
        end as row_status
    from verdicts
),

rejected_rows as (
    select
        source_file,
        source_row_number,
        reject_reasons
    from classified
    where row_status = 'rejected'
),

-- one row per reason of a rejected row
rejected_row_reasons as (
    {{ array_rows('rejected_rows', 'reject_reasons', ['source_file', 'source_row_number'], 'reason') }}
),

primary_reasons as (
    select
        rejected_row_reasons.source_file,
        rejected_row_reasons.source_row_number,
        {{ arg_min('reject_reasons.reject_reason', 'reject_reasons.priority') }} as reject_reason
    from rejected_row_reasons
    left join reject_reasons
        on rejected_row_reasons.reason = reject_reasons.reject_reason
    group by rejected_row_reasons.source_file, rejected_row_reasons.source_row_number
),

final as (
    select
        -- lineage
        classified.source_file,
        classified.source_format,
        classified.source_row_number,
        {{ run_loaded_at() }} as loaded_at,
        classified.record_shape,

        -- verdict
        classified.row_status,
        classified.duplicate_of_event_id,
        primary_reasons.reject_reason,
        classified.reject_reasons,

        -- ids
        classified.event_id,
        classified.legacy_event_key,
        classified.team_id,
        {%- for column in id_fields.values() %}
        classified.{{ column }},
        {%- endfor %}
        classified.meta_target_id,

        -- event
        classified.action,
        classified.entity_kind,
        classified.action_category,
        classified.occurred_at,

        -- display names
        {%- for column in name_fields.values() %}
        classified.{{ column }},
        {%- endfor %}

        -- meta, typed
        classified.duration_seconds,
        classified.review_status,
        classified.figure_source,
        classified.frame,
        classified.seek_position,
        classified.slice_index,
        classified.normal_x,
        classified.normal_y,
        classified.normal_z,
        classified.tag_value,
        classified.tag_start_frame,
        classified.tag_end_frame,
        classified.ip_hash,
        classified.new_email_hash,
        classified.old_email_hash,
        classified.meta,

        -- the raw text, personal data redacted, for quarantined rows only
        case when classified.row_status = 'rejected' then classified.quarantine_text end as record_text
    from classified
    left join primary_reasons
        on
            classified.source_file = primary_reasons.source_file
            and classified.source_row_number = primary_reasons.source_row_number
)

select * from final
