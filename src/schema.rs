// @generated automatically by Diesel CLI.

pub mod sql_types {
    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "ltree"))]
    pub struct Ltree;
}

diesel::table! {
    audit_log (id) {
        id -> Int8,
        at -> Timestamptz,
        actor_id -> Nullable<Int4>,
        entity -> Text,
        entity_id -> Int4,
        action -> Text,
        before -> Nullable<Jsonb>,
        after -> Nullable<Jsonb>,
        reason -> Nullable<Text>,
    }
}

diesel::table! {
    deadlines (year, unit_id) {
        year -> Int4,
        unit_id -> Int4,
        registration_deadline -> Nullable<Date>,
        reporting_deadline -> Nullable<Date>,
        updated_by -> Int4,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    evidence_files (id) {
        id -> Int4,
        initiative_id -> Int4,
        sha256 -> Text,
        original_name -> Text,
        content_type -> Text,
        size_bytes -> Int8,
        uploaded_by -> Int4,
        uploaded_at -> Timestamptz,
        removed_by -> Nullable<Int4>,
        removed_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    import_batches (id) {
        id -> Int4,
        kind -> Text,
        file_name -> Text,
        bytes -> Bytea,
        sha256 -> Text,
        scope_unit_id -> Nullable<Int4>,
        created_by -> Int4,
        created_at -> Timestamptz,
        applied_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    initiatives (id) {
        id -> Int4,
        year -> Int4,
        kind -> Text,
        title -> Text,
        field -> Text,
        description -> Text,
        unit_id -> Int4,
        estimated_cost_vnd -> Int8,
        actual_value_vnd -> Nullable<Int8>,
        status -> Text,
        start_date -> Date,
        due_date -> Date,
        completion_date -> Nullable<Date>,
        created_by -> Int4,
        updated_by -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
        review -> Text,
        review_changed_at -> Timestamptz,
        review_note -> Nullable<Text>,
        result_summary -> Text,
        carried_from_id -> Nullable<Int4>,
        reference -> Text,
    }
}

diesel::table! {
    registration_reopenings (year, unit_id) {
        year -> Int4,
        unit_id -> Int4,
        reopened_by -> Int4,
        reopened_at -> Timestamptz,
        until -> Date,
    }
}

diesel::table! {
    sign_in_events (id) {
        id -> Int8,
        at -> Timestamptz,
        username -> Text,
        address -> Text,
        address_key -> Text,
        outcome -> Text,
        cleared -> Bool,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::Ltree;

    units (id) {
        id -> Int4,
        code -> Text,
        name -> Text,
        kind -> Text,
        parent_id -> Nullable<Int4>,
        path -> Ltree,
        expected_to_register -> Bool,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        document_abbreviation -> Nullable<Text>,
    }
}

diesel::table! {
    users (id) {
        id -> Int4,
        username -> Text,
        display_name -> Text,
        password_hash -> Text,
        role -> Text,
        unit_id -> Nullable<Int4>,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        must_change_password -> Bool,
        last_sign_in_at -> Nullable<Timestamptz>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
    }
}

diesel::table! {
    report_settings (unit_id, year) {
        unit_id -> Int4,
        year -> Int4,
        document_number -> Nullable<Int4>,
        report_date -> Nullable<Date>,
        place -> Text,
        signer_name -> Text,
        signer_position -> Text,
        recipients -> Text,
        assessment -> Text,
        next_year -> Text,
        updated_by -> Int4,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    sessions (id) {
        id -> Int8,
        token_hash -> Bytea,
        user_id -> Int4,
        created_at -> Timestamptz,
        last_seen_at -> Timestamptz,
        user_agent -> Text,
        ip -> Nullable<Text>,
    }
}

diesel::joinable!(audit_log -> users (actor_id));
diesel::joinable!(deadlines -> units (unit_id));
diesel::joinable!(deadlines -> users (updated_by));
diesel::joinable!(evidence_files -> initiatives (initiative_id));
diesel::joinable!(import_batches -> units (scope_unit_id));
diesel::joinable!(import_batches -> users (created_by));
diesel::joinable!(initiatives -> units (unit_id));
diesel::joinable!(registration_reopenings -> units (unit_id));
diesel::joinable!(registration_reopenings -> users (reopened_by));
diesel::joinable!(report_settings -> units (unit_id));
diesel::joinable!(report_settings -> users (updated_by));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(users -> units (unit_id));

diesel::allow_tables_to_appear_in_same_query!(
    audit_log,
    deadlines,
    evidence_files,
    import_batches,
    initiatives,
    registration_reopenings,
    report_settings,
    sessions,
    sign_in_events,
    units,
    users,
);
