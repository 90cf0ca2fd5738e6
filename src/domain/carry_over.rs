//! Carrying an unfinished initiative into the next year: which ones may be carried, and
//! the dates the carried one gets. The store repeats the state rule under a row lock.

use chrono::{Datelike, NaiveDate};

use crate::domain::{Review, Status, Year};

/// Statuses an initiative can be carried over from: it is still to be done.
pub const CARRIABLE_STATUSES: &[Status] = &[Status::Registered, Status::InProgress];

/// Review states it can be carried over from: the bloc approved the registration, and
/// no completion report is waiting or accepted. A report that was returned
/// (`returned_completion`) means the work is not finished, so it can be carried; a
/// registration still pending or returned was never approved for year Y, so it cannot.
pub const CARRIABLE_REVIEWS: &[Review] = &[Review::Approved, Review::ReturnedCompletion];

/// Why a second carry is refused.
pub const ALREADY_CARRIED: &str = "Mô hình, công trình này đã được chuyển tiếp sang năm sau rồi; mỗi mô hình, công trình chỉ chuyển tiếp một lần.";

/// Why a carried initiative, or the one it came from, cannot move to another year or unit.
pub const PAIR_STAYS: &str = "Mô hình, công trình này gắn với bản chuyển tiếp giữa hai năm nên không đổi được năm hoặc đơn vị.";

/// Why a carried-over initiative is not reported in its first year.
pub const REPORT_IN_NEXT_YEAR: &str =
    "Mô hình, công trình đã được chuyển tiếp sang năm sau: hãy báo cáo hoàn thành ở bản năm sau.";

/// Whether an initiative in this state may be carried into the next year.
pub fn is_carriable(status: Status, review: Review) -> bool {
    CARRIABLE_STATUSES.contains(&status) && CARRIABLE_REVIEWS.contains(&review)
}

/// Where an edit puts an initiative, compared with where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Same year, same unit.
    Stays,
    /// Another year or unit: it is registered there, so that year's deadline applies.
    Moves,
    /// It is one of a carried-over pair ([`PAIR_STAYS`]): it may not move, or the same
    /// work would count twice in one year.
    PairStays,
}

/// The rule for an edit that sets `(year, unit_id)` on an initiative standing at
/// `(year, unit_id)`; `linked`: it was carried from or into another year.
pub fn placement(from: (i32, i32), to: (i32, i32), linked: bool) -> Placement {
    match (from == to, linked) {
        (true, _) => Placement::Stays,
        (false, true) => Placement::PairStays,
        (false, false) => Placement::Moves,
    }
}

/// The year and dates of the carried initiative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CarriedDates {
    pub year: Year,
    pub start_date: NaiveDate,
    pub due_date: NaiveDate,
}

/// The year after `year`, with the original's dates moved into it: it starts on
/// 1 January at the earliest and keeps its due date when that falls in the new year or
/// later, else it is due on 31 December. `None` past the last year the application keeps.
pub fn carried_dates(
    year: i32,
    start_date: NaiveDate,
    due_date: NaiveDate,
) -> Option<CarriedDates> {
    let next = Year::new(year.checked_add(1)?)?;
    let first_day = NaiveDate::from_ymd_opt(next.get(), 1, 1)?;
    let last_day = NaiveDate::from_ymd_opt(next.get(), 12, 31)?;
    let start_date = start_date.max(first_day);
    let due_date = if due_date.year() >= next.get() {
        due_date
    } else {
        last_day
    };
    // A due date kept from the original is on or after both its start and 1 January.
    Some(CarriedDates {
        year: next,
        start_date,
        due_date: due_date.max(start_date),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
    }

    #[test]
    fn a_work_of_one_year_moves_to_the_whole_next_year() {
        let carried = carried_dates(2022, day(2022, 3, 1), day(2022, 11, 30));
        assert_eq!(
            carried,
            Some(CarriedDates {
                year: Year::new(2023).expect("year"),
                start_date: day(2023, 1, 1),
                due_date: day(2023, 12, 31),
            })
        );
    }

    #[test]
    fn a_due_date_in_the_next_year_or_later_is_kept() {
        let carried = carried_dates(2022, day(2022, 3, 1), day(2023, 6, 30)).expect("carried");
        assert_eq!(carried.start_date, day(2023, 1, 1));
        assert_eq!(carried.due_date, day(2023, 6, 30));
        let carried = carried_dates(2022, day(2022, 3, 1), day(2024, 5, 19)).expect("carried");
        assert_eq!(carried.due_date, day(2024, 5, 19));
        // 1 January of the new year is already in it.
        let carried = carried_dates(2022, day(2022, 3, 1), day(2023, 1, 1)).expect("carried");
        assert_eq!(
            (carried.start_date, carried.due_date),
            (day(2023, 1, 1), day(2023, 1, 1))
        );
    }

    #[test]
    fn a_start_already_in_the_next_year_is_kept() {
        let carried = carried_dates(2022, day(2023, 2, 15), day(2023, 9, 1)).expect("carried");
        assert_eq!(carried.start_date, day(2023, 2, 15));
        assert_eq!(carried.due_date, day(2023, 9, 1));
    }

    #[test]
    fn a_start_on_new_year_s_eve_and_a_leap_year() {
        let carried = carried_dates(2023, day(2023, 12, 31), day(2023, 12, 31)).expect("carried");
        assert_eq!(carried.year.get(), 2024);
        assert_eq!(
            (carried.start_date, carried.due_date),
            (day(2024, 1, 1), day(2024, 12, 31))
        );
        let carried = carried_dates(2023, day(2023, 1, 1), day(2024, 2, 29)).expect("carried");
        assert_eq!(carried.due_date, day(2024, 2, 29));
    }

    #[test]
    fn nothing_is_carried_past_the_last_year() {
        assert_eq!(
            carried_dates(Year::MAX, day(2100, 1, 1), day(2100, 6, 1)),
            None
        );
        assert!(carried_dates(Year::MAX - 1, day(2099, 1, 1), day(2099, 6, 1)).is_some());
    }

    #[test]
    fn a_carried_pair_stays_in_its_years_and_unit() {
        assert_eq!(placement((2023, 4), (2023, 4), true), Placement::Stays);
        assert_eq!(placement((2023, 4), (2024, 4), false), Placement::Moves);
        assert_eq!(placement((2023, 4), (2023, 5), true), Placement::PairStays);
    }

    #[test]
    fn only_approved_unfinished_initiatives_are_carriable() {
        for status in Status::ALL {
            for review in Review::ALL {
                let expected = matches!(status, Status::Registered | Status::InProgress)
                    && matches!(review, Review::Approved | Review::ReturnedCompletion);
                assert_eq!(
                    is_carriable(*status, *review),
                    expected,
                    "{status} {review}"
                );
            }
        }
    }
}
