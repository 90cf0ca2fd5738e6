//! The registration deadline: after the deadline that applies to a unit and year, a
//! secretary may register there only where a reviewer reopened registration, until the
//! end date of the reopening.
//! Registering, moving an initiative into another year or unit and carrying one over
//! into the next year all follow it.

use chrono::NaiveDate;

use crate::domain::Role;

/// Why registering for this unit and year is closed to the person now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegistrationClosed {
    pub year: i32,
    pub deadline: NaiveDate,
}

/// Only secretaries are bound by the deadline; reviewers and admins register any time.
pub fn deadline_binds(role: Role) -> bool {
    role == Role::Secretary
}

/// The rule for one year: closed when `today` is past the deadline (if there is one)
/// and registration was not reopened. `reopened` is asked only when the deadline has
/// passed, since only then does it matter.
pub fn closed<E>(
    year: i32,
    deadline: Option<NaiveDate>,
    today: NaiveDate,
    reopened: impl FnOnce() -> Result<bool, E>,
) -> Result<Option<RegistrationClosed>, E> {
    let Some(deadline) = deadline.filter(|deadline| today > *deadline) else {
        return Ok(None);
    };
    Ok((!reopened()?).then_some(RegistrationClosed { year, deadline }))
}

/// A reopening lasts at most this many days from today: a longer one is a slip of the
/// keyboard (a wrong year), not a decision.
pub const REOPENING_LONGEST_DAYS: i64 = 366;

/// How long a reopening lasts when the reviewer does not change the date offered.
pub const REOPENING_SUGGESTED_DAYS: i64 = 14;

/// Why the end date of a reopening was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReopeningUntilRefused {
    /// The end date has passed: the reopening would end before it starts.
    Past { today: NaiveDate },
    /// More than [`REOPENING_LONGEST_DAYS`] ahead.
    TooFar { latest: NaiveDate },
}

impl ReopeningUntilRefused {
    /// A sentence to show beside the field.
    pub fn message_vi(self) -> String {
        use crate::domain::format::date_vi;
        match self {
            ReopeningUntilRefused::Past { today } => format!(
                "Ngày kết thúc mở lại đăng ký phải từ hôm nay ({}) trở đi.",
                date_vi(today)
            ),
            ReopeningUntilRefused::TooFar { latest } => format!(
                "Chỉ mở lại đăng ký tối đa một năm: muộn nhất đến ngày {}.",
                date_vi(latest)
            ),
        }
    }
}

/// The end date of a reopening (the last day a secretary may register), if it is today
/// or later and no more than a year ahead.
pub fn reopening_until(
    until: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, ReopeningUntilRefused> {
    let latest = today + chrono::Duration::days(REOPENING_LONGEST_DAYS);
    if until < today {
        Err(ReopeningUntilRefused::Past { today })
    } else if until > latest {
        Err(ReopeningUntilRefused::TooFar { latest })
    } else {
        Ok(until)
    }
}

/// How far a deadline is from `today`, as the to-do page says it: "còn 12 ngày",
/// "hết hạn hôm nay", "đã quá hạn 3 ngày".
pub fn days_left_vi(deadline: NaiveDate, today: NaiveDate) -> String {
    let days = (deadline - today).num_days();
    match days {
        0 => "hết hạn hôm nay".to_owned(),
        days if days > 0 => format!("còn {days} ngày"),
        days => format!("đã quá hạn {} ngày", -days),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_left_in_words() {
        assert_eq!(days_left_vi(day(21), day(9)), "còn 12 ngày");
        assert_eq!(days_left_vi(day(9), day(9)), "hết hạn hôm nay");
        assert_eq!(days_left_vi(day(6), day(9)), "đã quá hạn 3 ngày");
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 3, d).unwrap_or_default()
    }

    #[test]
    fn a_reopening_ends_today_or_later_and_within_a_year() {
        let today = day(9);
        assert_eq!(reopening_until(day(9), today), Ok(day(9)));
        assert_eq!(
            reopening_until(day(8), today),
            Err(ReopeningUntilRefused::Past { today })
        );
        let latest = today + chrono::Duration::days(REOPENING_LONGEST_DAYS);
        assert_eq!(reopening_until(latest, today), Ok(latest));
        assert!(matches!(
            reopening_until(latest + chrono::Duration::days(1), today),
            Err(ReopeningUntilRefused::TooFar { .. })
        ));
    }

    #[test]
    fn closed_after_the_deadline_unless_reopened() {
        let never = || -> Result<bool, ()> { panic!("asked whether reopened before the deadline") };
        assert_eq!(closed(2024, None, day(9), never), Ok(None));
        assert_eq!(closed(2024, Some(day(9)), day(9), never), Ok(None));
        assert_eq!(
            closed(2024, Some(day(8)), day(9), || Ok::<_, ()>(false)),
            Ok(Some(RegistrationClosed {
                year: 2024,
                deadline: day(8)
            }))
        );
        assert_eq!(
            closed(2024, Some(day(8)), day(9), || Ok::<_, ()>(true)),
            Ok(None)
        );
        assert!(deadline_binds(Role::Secretary));
        assert!(!deadline_binds(Role::Reviewer) && !deadline_binds(Role::Admin));
    }
}
