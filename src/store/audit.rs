//! Reading the audit log (the triggers in the migrations write it).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::schema::{audit_log, users};

#[derive(Debug, Clone, Queryable, Serialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub actor_name: Option<String>,
    pub action: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub reason: Option<String>,
}

/// The history of one row, oldest first.
pub fn history(
    conn: &mut PgConnection,
    entity: &str,
    entity_id: i32,
) -> QueryResult<Vec<AuditEntry>> {
    audit_log::table
        .left_join(users::table)
        .filter(audit_log::entity.eq(entity))
        .filter(audit_log::entity_id.eq(entity_id))
        .order(audit_log::id)
        .select((
            audit_log::at,
            users::display_name.nullable(),
            audit_log::action,
            audit_log::before,
            audit_log::after,
            audit_log::reason,
        ))
        .load(conn)
}
