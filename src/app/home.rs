//! The secretary's home page, "Việc cần làm": what was returned (of any year, as the
//! menu's badge counts it), and for the current year in Vietnam what owes a completion
//! report, what waits for the reviewer, and how far the unit's deadlines are. Each list shows its first few items and how many there are.

use chrono::NaiveDate;
use diesel::PgConnection;
use serde::Serialize;

use crate::app::Error;
use crate::auth::CurrentUser;
use crate::domain::workflow::Review;
use crate::domain::{Year, registration, today_in_vietnam};
use crate::store::deadlines::Reopening;
use crate::store::home::TodoFilter;
use crate::store::initiatives::InitiativeListed;
use crate::store::units::Unit;
use crate::store::{self};

/// How many items each list shows before "Xem tất cả".
pub const SHOWN: i64 = 5;

/// The first items of one list and how many it holds in all.
#[derive(Debug, Serialize)]
pub struct TodoList {
    pub rows: Vec<TodoItem>,
    pub total: i64,
}

/// One initiative of a list, and whether its due date has passed.
#[derive(Debug, Serialize)]
pub struct TodoItem {
    #[serde(flatten)]
    pub listed: InitiativeListed,
    pub overdue: bool,
}

/// A deadline that applies to the unit, and how far it is from today.
#[derive(Debug, Serialize)]
pub struct DeadlineAhead {
    pub date: NaiveDate,
    /// "còn 12 ngày", "hết hạn hôm nay", "đã quá hạn 3 ngày".
    pub words: String,
    pub passed: bool,
}

impl DeadlineAhead {
    fn of(date: Option<NaiveDate>, today: NaiveDate) -> Option<DeadlineAhead> {
        date.map(|date| DeadlineAhead {
            date,
            words: registration::days_left_vi(date, today),
            passed: today > date,
        })
    }
}

/// Everything the page shows, read in one snapshot.
#[derive(Debug, Serialize)]
pub struct Todo {
    pub year: i32,
    pub today: NaiveDate,
    /// The secretary's unit (none for an account attached to no unit).
    pub unit: Option<Unit>,
    /// Returned work of every year: the badge's count.
    pub returned: TodoList,
    pub owing_report: TodoList,
    pub waiting: TodoList,
    pub registration_deadline: Option<DeadlineAhead>,
    pub reporting_deadline: Option<DeadlineAhead>,
    /// Whether the secretary may register for the year now (the deadline has not
    /// passed, or registration was reopened for the unit).
    pub registration_open: bool,
    /// The reopening that lets the unit register after the deadline (until when, by whom).
    pub reopening: Option<Reopening>,
}

/// The to-do page of a secretary for the current year, scoped to their unit.
pub fn todo(conn: &mut PgConnection, actor: &CurrentUser) -> Result<Todo, Error> {
    let (year, today) = (Year::current().get(), today_in_vietnam());
    let scope = actor.scope();
    store::read_snapshot(conn, |conn| {
        let list =
            |conn: &mut PgConnection, year, states, still_running| -> Result<TodoList, Error> {
                let filter = TodoFilter {
                    year,
                    states,
                    still_running,
                };
                let (rows, total) = store::home::first(conn, scope, filter, SHOWN)?;
                let rows = rows
                    .into_iter()
                    .map(|listed| TodoItem {
                        overdue: listed.initiative.due_date < today,
                        listed,
                    })
                    .collect();
                Ok(TodoList { rows, total })
            };
        let returned = list(conn, None, Review::RETURNED, false)?;
        let owing_report = list(conn, Some(year), &[Review::Approved], true)?;
        let waiting = list(conn, Some(year), Review::AWAITING_REVIEW, false)?;
        let unit = match actor.unit_id {
            Some(unit_id) => {
                store::units::find_in_scope(conn, scope, unit_id)?.map(|unit| unit.into_inner())
            }
            None => None,
        };
        let deadline = match &unit {
            Some(unit) => store::deadlines::for_unit(conn, unit.id, year)?,
            None => None,
        };
        let registration_at = deadline.as_ref().and_then(|d| d.registration_deadline);
        let reporting_at = deadline.as_ref().and_then(|d| d.reporting_deadline);
        // The reopening is read only once the deadline has passed, when it matters.
        let mut reopening = None;
        let registration_open = match &unit {
            Some(unit) => registration::closed(year, registration_at, today, || {
                reopening = store::deadlines::reopening_for(conn, unit.id, year, today)?;
                Ok::<_, Error>(reopening.is_some())
            })?
            .is_none(),
            None => false,
        };
        Ok(Todo {
            year,
            today,
            unit,
            returned,
            owing_report,
            waiting,
            registration_deadline: DeadlineAhead::of(registration_at, today),
            reporting_deadline: DeadlineAhead::of(reporting_at, today),
            registration_open,
            reopening,
        })
    })
}
