//! The demo: the Lạng Sơn provincial agencies' bloc, whose 2022 figures reproduce the
//! article (94 registered, 61 completed, hơn 6 tỷ đồng, 100% of units registered).

pub mod data;
pub mod timeline;

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use diesel::prelude::*;
use diesel::sql_types::Text;

use lamtheobac::auth::password;
use lamtheobac::domain::Scope;
use lamtheobac::domain::initiative::InitiativeDraft;
use lamtheobac::domain::workflow::{Review, Transition};
use lamtheobac::domain::{Field, InitiativeKind, Role, Status, UnitKind, Vnd, Year};
use lamtheobac::evidence::EvidenceStore;
use lamtheobac::store;
use lamtheobac::store::evidence::NewEvidence;
use lamtheobac::store::initiatives::{CompletionReport, StepChange};
use lamtheobac::store::units::UnitFields;
use lamtheobac::store::users::NewUser;

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
    #[error("could not store the demo evidence: {0}")]
    Evidence(String),
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
/// Evidence files go to `files`; initiatives walk the real workflow (approval,
/// report, acceptance) on the dates of their year (see `timeline`), so their history
/// reads like a real year's.
pub fn seed(
    conn: &mut PgConnection,
    demo_password: &str,
    files: &EvidenceStore,
) -> Result<SeedSummary, SeedError> {
    let password_hash = |_username: &str| {
        password::hash(demo_password).map_err(|error| SeedError::Hash(error.to_string()))
    };
    conn.transaction(|conn| {
        DemoClock::start(conn)?;
        DemoClock::set(conn, timeline::set_up())?;
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
                must_change_password: false,
                phone: None,
                email: None,
            },
        )?;
        let mut users = vec![("admin".to_owned(), "Quản trị hệ thống".to_owned())];

        let mut unit_ids: HashMap<&str, i32> = HashMap::new();
        let mut secretaries: HashMap<&str, i32> = HashMap::new();
        let mut reviewers: HashMap<&str, i32> = HashMap::new();
        let evidence = sample_evidence(files)?;
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
                        must_change_password: false,
                        phone: None,
                        email: None,
                    },
                )?;
                match role {
                    Role::Secretary => secretaries.insert(demo_unit.code, user_id),
                    _ => reviewers.insert(demo_unit.code, user_id),
                };
                users.push((
                    username,
                    format!("{} – {}", role.label_vi(), demo_unit.name),
                ));
            }
        }

        let initiatives = data::initiatives();
        let mut plan = DemoStates::default();
        for (index, item) in initiatives.iter().enumerate() {
            let dates = timeline::of(index, item);
            let unit_id = *unit_ids.get(item.unit).ok_or_else(|| bad("unknown unit", item.unit))?;
            let secretary_id = secretaries.get(item.unit).copied().unwrap_or(admin_id);
            let reviewer_id = bloc_of(item.unit)
                .and_then(|bloc| reviewers.get(bloc).copied())
                .unwrap_or(admin_id);
            let money = |dong: i64| Vnd::new(dong).ok_or_else(|| bad("negative amount", &dong.to_string()));
            let status = Status::parse(item.status).ok_or_else(|| bad("status", item.status))?;
            let draft = InitiativeDraft {
                year: Year::new(item.year).ok_or_else(|| bad("year", &item.year.to_string()))?,
                kind: InitiativeKind::parse(item.kind).ok_or_else(|| bad("kind", item.kind))?,
                title: item.title.clone(),
                field: Field::parse(item.field).ok_or_else(|| bad("field", item.field))?,
                description: item.description.clone(),
                unit_id,
                estimated_cost: money(item.estimated_cost_vnd)?,
                // Completion is reported and accepted below, through the workflow.
                actual_value: None,
                status: if status == Status::Completed { Status::InProgress } else { status },
                start_date: item.start_date,
                due_date: item.due_date,
                completion_date: None,
            };
            let unit = store::units::find_in_scope(conn, Scope::Everything, unit_id)?
                .ok_or(diesel::result::Error::NotFound)?;
            DemoClock::set(conn, dates.registered)?;
            let id = store::initiatives::insert(conn, secretary_id, &unit, &draft)?;
            let target = plan.target(item, status);
            let step = |conn: &mut PgConnection, at: DateTime<Utc>, actor: i32, from, to, status, reason: Option<&str>, report: Option<&CompletionReport>, files: &[NewEvidence]| {
                let change = StepChange {
                    transition: Transition { from, to, status },
                    reason,
                    report,
                    files,
                };
                DemoClock::set(conn, at)?;
                let item = store::initiatives::find_in_scope(conn, Scope::Everything, id)?
                    .ok_or(diesel::result::Error::NotFound)?;
                store::initiatives::take_step(conn, actor, &item, &change)?;
                DemoClock::stamp_step(conn, id)
            };
            if target == Review::PendingApproval {
                continue;
            }
            if target == Review::ReturnedRegistration {
                step(conn, dates.approved, reviewer_id, Review::PendingApproval, Review::ReturnedRegistration, None,
                    Some("Nội dung đăng ký còn chung chung, đề nghị nêu rõ kết quả cần đạt và mốc thời gian."), None, &[])?;
                continue;
            }
            step(conn, dates.approved, reviewer_id, Review::PendingApproval, Review::Approved, None, None, None, &[])?;
            if target == Review::Approved {
                continue;
            }
            let report = CompletionReport {
                actual_value: match item.actual_value_vnd {
                    Some(value) => money(value)?,
                    None => money(item.estimated_cost_vnd)?,
                },
                completion_date: dates.completion_date,
                result_summary: result_summary(&item.description),
            };
            step(conn, dates.reported, secretary_id, Review::Approved, Review::PendingAcceptance, Some(Status::InProgress),
                None, Some(&report), &evidence)?;
            match target {
                Review::Accepted => {
                    step(conn, dates.decided, reviewer_id, Review::PendingAcceptance, Review::Accepted, Some(Status::Completed), None, None, &[])?;
                }
                Review::ReturnedCompletion => {
                    step(conn, dates.decided, reviewer_id, Review::PendingAcceptance, Review::ReturnedCompletion, None,
                        Some("Biên bản nghiệm thu chưa có chữ ký của thủ trưởng cơ quan, đề nghị bổ sung."), None, &[])?;
                }
                _ => {}
            }
        }
        let bloc_id = *unit_ids.get("DUK").ok_or_else(|| bad("unknown unit", "DUK"))?;
        let date = |year, (month, day)| chrono::NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| bad("date", "deadline"));
        let bloc = store::units::find_in_scope(conn, Scope::Everything, bloc_id)?.ok_or_else(|| bad("unknown unit", "DUK"))?;
        for year in [2021, 2022] {
            DemoClock::set(conn, timeline::deadlines_set(year))?;
            let (registration, reporting) = (timeline::REGISTRATION_DEADLINE, timeline::REPORTING_DEADLINE);
            store::deadlines::set(conn, admin_id, &bloc, year, Some(date(year, registration)?), Some(date(year, reporting)?))?;
        }
        let reviewer_id = *reviewers.get("DUK").ok_or_else(|| bad("no reviewer for", "DUK"))?;
        let signer = data::units().iter().find(|unit| unit.code == "DUK").map(|unit| unit.secretary_name).unwrap_or_default();
        for (year, settings) in data::report_settings(signer) {
            DemoClock::set(conn, timeline::report_signed(year))?;
            store::report_settings::set(conn, reviewer_id, &bloc, year, &settings, None)?;
        }
        DemoClock::stop(conn)?;
        Ok(SeedSummary {
            units: unit_ids.len(),
            users,
            initiatives: initiatives.len(),
        })
    })
}

/// Dates what the seed writes with the demo's own dates instead of the day it runs.
///
/// Every timestamp the seed leaves behind comes from a column default `now()` (the audit
/// log's `at`, written by triggers; `created_at`, `uploaded_at`, `updated_at`…) or from
/// the store's `updated_at = now()` and `review_changed_at = now()`, and `now()` is the
/// time the transaction began. Inside its own transaction, as the owner of the tables,
/// the seed points those defaults at a transaction-local setting, moves the setting
/// before each step, and puts `now()` back before committing. So the audit log is only
/// ever appended to, each row once with its date: its append-only triggers stay on all
/// along, and no UPDATE of it is needed. The catalog change is part of the transaction:
/// no other session ever sees it (the ALTERs lock the tables until commit), a failed
/// seed rolls it back with everything else, and the running application has no way to
/// date anything but `now()`. The only plain UPDATE is of an initiative's own
/// `updated_at`/`review_changed_at` after each workflow step, which the audit trigger
/// leaves out of the history.
struct DemoClock;

/// The columns dated by `DemoClock`, all `DEFAULT now()` in the migrations.
const DATED_COLUMNS: [(&str, &str); 11] = [
    ("audit_log", "at"),
    ("units", "created_at"),
    ("units", "updated_at"),
    ("users", "created_at"),
    ("users", "updated_at"),
    ("initiatives", "created_at"),
    ("initiatives", "updated_at"),
    ("initiatives", "review_changed_at"),
    ("evidence_files", "uploaded_at"),
    ("deadlines", "updated_at"),
    ("report_settings", "updated_at"),
];

/// The transaction-local setting `DemoClock` reads.
const DEMO_CLOCK: &str = "lamtheobac.demo_at";

impl DemoClock {
    fn point_defaults(conn: &mut PgConnection, expression: &str) -> QueryResult<()> {
        for (table, column) in DATED_COLUMNS {
            diesel::sql_query(format!(
                "ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {expression}"
            ))
            .execute(conn)?;
        }
        Ok(())
    }

    fn start(conn: &mut PgConnection) -> QueryResult<()> {
        Self::point_defaults(
            conn,
            &format!("current_setting('{DEMO_CLOCK}')::timestamptz"),
        )
    }

    fn set(conn: &mut PgConnection, at: DateTime<Utc>) -> QueryResult<()> {
        diesel::sql_query("SELECT set_config($1, $2, true)")
            .bind::<Text, _>(DEMO_CLOCK)
            .bind::<Text, _>(at.to_rfc3339())
            .execute(conn)
            .map(drop)
    }

    /// Dates the step an initiative just took (the store stamps it with `now()`).
    fn stamp_step(conn: &mut PgConnection, id: i32) -> QueryResult<()> {
        diesel::sql_query(format!(
            "UPDATE initiatives SET updated_at = current_setting('{DEMO_CLOCK}')::timestamptz, \
             review_changed_at = current_setting('{DEMO_CLOCK}')::timestamptz WHERE id = $1"
        ))
        .bind::<diesel::sql_types::Integer, _>(id)
        .execute(conn)
        .map(drop)
    }

    /// Puts the migrations' `DEFAULT now()` back, before the transaction commits.
    fn stop(conn: &mut PgConnection) -> QueryResult<()> {
        Self::point_defaults(conn, "now()")
    }
}

/// The bloc a demo unit belongs to (its nearest bloc committee above or at it).
fn bloc_of(code: &str) -> Option<&'static str> {
    let units = data::units();
    let mut current = units.iter().find(|unit| unit.code == code)?;
    loop {
        if current.kind == "bloc_committee" {
            return Some(current.code);
        }
        let parent = current.parent?;
        current = units.iter().find(|unit| unit.code == parent)?;
    }
}

/// Picks, deterministically, the demo's initiatives that show each workflow state,
/// among the bloc's 2022 initiatives that are not completed (so the article's
/// figures stay as they are).
#[derive(Default)]
struct DemoStates {
    in_progress_seen: usize,
    registered_seen: usize,
}

impl DemoStates {
    fn target(&mut self, item: &data::DemoInitiative, status: Status) -> Review {
        let showcase = item.year == 2022 && bloc_of(item.unit) == Some("DUK");
        match status {
            Status::Completed => Review::Accepted,
            Status::InProgress if showcase => {
                self.in_progress_seen += 1;
                match self.in_progress_seen {
                    1 | 2 => Review::PendingAcceptance,
                    3 => Review::ReturnedCompletion,
                    _ => Review::Approved,
                }
            }
            Status::Registered if showcase => {
                self.registered_seen += 1;
                match self.registered_seen {
                    1 => Review::PendingApproval,
                    2 => Review::ReturnedRegistration,
                    _ => Review::Approved,
                }
            }
            _ => Review::Approved,
        }
    }
}

/// The "Kết quả đạt được" part of a demo description, or the description itself.
fn result_summary(description: &str) -> String {
    description
        .split_once("Kết quả đạt được:")
        .map(|(_, result)| result.trim().to_owned())
        .unwrap_or_else(|| {
            "Đã hoàn thành các nội dung đăng ký; có biên bản nghiệm thu và ảnh công trình kèm theo."
                .to_owned()
        })
}

/// Two sample evidence files: a photo and a signed-minutes PDF, stored (again) in
/// `files`. Their bytes never change, so a demo database seeded earlier finds them.
pub fn sample_evidence(files: &EvidenceStore) -> Result<Vec<NewEvidence>, SeedError> {
    let photo = sample_photo().map_err(SeedError::Evidence)?;
    let stored = [
        files.store_bytes("anh-cong-trinh.png", &photo),
        files.store_bytes("bien-ban-nghiem-thu.pdf", SAMPLE_PDF),
    ];
    stored
        .into_iter()
        .map(|file| {
            let file = file.map_err(|error| SeedError::Evidence(error.to_string()))?;
            Ok(NewEvidence {
                sha256: file.sha256,
                original_name: file.original_name,
                content_type: file.kind.mime(),
                size_bytes: i64::try_from(file.size_bytes).unwrap_or(i64::MAX),
            })
        })
        .collect()
}

/// A 480×320 picture in the colours of the flag, drawn here so the demo ships no binary.
fn sample_photo() -> Result<Vec<u8>, String> {
    let picture = image::RgbImage::from_fn(480, 320, |x, y| {
        let (dx, dy) = (x as f32 - 240.0, y as f32 - 160.0);
        if (dx * dx + dy * dy).sqrt() < 70.0 {
            image::Rgb([255, 212, 59])
        } else {
            image::Rgb([179, 22, 27])
        }
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut bytes, image::ImageFormat::Png)
        .map_err(|error| error.to_string())?;
    Ok(bytes.into_inner())
}

const SAMPLE_PDF: &[u8] = b"%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj
4 0 obj << /Length 58 >> stream
BT /F1 18 Tf 72 760 Td (Bien ban nghiem thu - ban demo) Tj ET
endstream endobj
5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
trailer << /Root 1 0 R >>
%%EOF
";
