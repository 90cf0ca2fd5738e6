//! The demo: the Lạng Sơn provincial agencies' bloc, whose 2022 figures reproduce the
//! article (94 registered, 61 completed, hơn 6 tỷ đồng, 100% of units registered).

pub mod data;

use std::collections::HashMap;

use diesel::prelude::*;

use crate::auth::password;
use crate::domain::initiative::InitiativeDraft;
use crate::domain::{Field, InitiativeKind, Role, Status, UnitKind, Vnd, Year};
use crate::store;
use crate::store::units::UnitFields;
use crate::store::users::NewUser;

pub const DEFAULT_PASSWORD: &str = "lamtheobac-demo";

/// What the demo created, for the message printed at start.
pub struct SeedSummary {
    pub units: usize,
    pub users: Vec<(String, String)>,
    pub initiatives: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("the demo data is inconsistent: {0}")]
    BadData(String),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error("could not hash the demo password: {0}")]
    Hash(String),
}

fn bad(what: &str, value: &str) -> SeedError {
    SeedError::BadData(format!("{what} {value:?}"))
}

/// True when the database holds the demo already (so `demo` can serve it again).
pub fn is_seeded(conn: &mut PgConnection) -> QueryResult<bool> {
    Ok(store::units::find_by_code(conn, "DUK")?.is_some()
        && store::users::find_by_username(conn, "khoi")?.is_some())
}

/// Whether the database holds anything at all (units or users).
pub fn is_empty(conn: &mut PgConnection) -> QueryResult<bool> {
    Ok(store::units::count(conn)? == 0 && store::users::count(conn)? == 0)
}

/// Creates the demo units, users and initiatives in one transaction.
pub fn seed(conn: &mut PgConnection, demo_password: &str) -> Result<SeedSummary, SeedError> {
    let password_hash = |_username: &str| {
        password::hash(demo_password).map_err(|error| SeedError::Hash(error.to_string()))
    };
    conn.transaction(|conn| {
        let admin_id = store::users::insert(
            conn,
            None,
            &NewUser {
                username: "admin".to_owned(),
                display_name: "Quản trị hệ thống".to_owned(),
                password_hash: password_hash("admin")?,
                role: Role::Admin,
                unit_id: None,
                active: true,
            },
        )?;
        let mut users = vec![("admin".to_owned(), "Quản trị hệ thống".to_owned())];

        let mut unit_ids: HashMap<&str, i32> = HashMap::new();
        let mut secretaries: HashMap<&str, i32> = HashMap::new();
        for demo_unit in data::units() {
            let parent_id = match demo_unit.parent {
                Some(code) => Some(
                    *unit_ids
                        .get(code)
                        .ok_or_else(|| bad("unknown parent", code))?,
                ),
                None => None,
            };
            let kind =
                UnitKind::parse(demo_unit.kind).ok_or_else(|| bad("unit kind", demo_unit.kind))?;
            let unit = store::units::insert(
                conn,
                Some(admin_id),
                &UnitFields {
                    code: demo_unit.code.to_owned(),
                    name: demo_unit.name.to_owned(),
                    kind,
                    parent_id,
                    expected_to_register: demo_unit.expected_to_register,
                    active: true,
                },
            )?;
            unit_ids.insert(demo_unit.code, unit.id);

            // A reviewer for each bloc, a secretary for each unit that registers.
            let account = match kind {
                UnitKind::BlocCommittee => Some((
                    if demo_unit.code == "DUK" {
                        "khoi".to_owned()
                    } else {
                        demo_unit.code.to_lowercase()
                    },
                    Role::Reviewer,
                )),
                _ if demo_unit.expected_to_register => {
                    Some((demo_unit.code.to_lowercase(), Role::Secretary))
                }
                _ => None,
            };
            if let Some((username, role)) = account {
                let user_id = store::users::insert(
                    conn,
                    Some(admin_id),
                    &NewUser {
                        username: username.clone(),
                        display_name: demo_unit.secretary_name.to_owned(),
                        password_hash: password_hash(&username)?,
                        role,
                        unit_id: Some(unit.id),
                        active: true,
                    },
                )?;
                if role == Role::Secretary {
                    secretaries.insert(demo_unit.code, user_id);
                }
                users.push((
                    username,
                    format!("{} – {}", role.label_vi(), demo_unit.name),
                ));
            }
        }

        let initiatives = data::initiatives();
        for item in &initiatives {
            let unit_id = *unit_ids
                .get(item.unit)
                .ok_or_else(|| bad("unknown unit", item.unit))?;
            let actor_id = secretaries.get(item.unit).copied().unwrap_or(admin_id);
            let money =
                |dong: i64| Vnd::new(dong).ok_or_else(|| bad("negative amount", &dong.to_string()));
            let draft = InitiativeDraft {
                year: Year::new(item.year).ok_or_else(|| bad("year", &item.year.to_string()))?,
                kind: InitiativeKind::parse(item.kind).ok_or_else(|| bad("kind", item.kind))?,
                title: item.title.clone(),
                field: Field::parse(item.field).ok_or_else(|| bad("field", item.field))?,
                description: item.description.clone(),
                unit_id,
                estimated_cost: money(item.estimated_cost_vnd)?,
                actual_value: item.actual_value_vnd.map(money).transpose()?,
                status: Status::parse(item.status).ok_or_else(|| bad("status", item.status))?,
                start_date: item.start_date,
                due_date: item.due_date,
                completion_date: item.completion_date,
            };
            store::initiatives::insert(conn, actor_id, &draft)?;
        }
        Ok(SeedSummary {
            units: unit_ids.len(),
            users,
            initiatives: initiatives.len(),
        })
    })
}
