//! When each step of a demo initiative happened: a year's workflow on that year's dates.
//!
//! Registrations in the first quarter (before the registration deadline), approvals a
//! few days later, completion reports after the completion date, acceptances before the
//! reporting deadline; returns a few days after what they return. Everything is derived
//! from the initiative's position in the demo list and its own dates, so two runs give
//! the same history. Times are office hours in Viet Nam (UTC+7).

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc, Weekday};

use super::data::DemoInitiative;

/// The registration deadline the demo sets for each of its years (month, day).
pub const REGISTRATION_DEADLINE: (u32, u32) = (3, 31);
/// The reporting deadline the demo sets for each of its years (month, day).
pub const REPORTING_DEADLINE: (u32, u32) = (12, 15);

/// The moments of one initiative's workflow; the seed uses those its target state needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    /// The secretary registers it.
    pub registered: DateTime<Utc>,
    /// The reviewer approves the registration (or returns it).
    pub approved: DateTime<Utc>,
    /// The completion date the report gives.
    pub completion_date: NaiveDate,
    /// The secretary reports it completed, with the evidence.
    pub reported: DateTime<Utc>,
    /// The reviewer accepts it (or returns the report).
    pub decided: DateTime<Utc>,
}

/// A date of a demo year.
pub fn day(year: i32, (month, day): (u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a valid demo date")
}

/// `date` at `minutes` past 7:30 in Viet Nam.
pub fn at(date: NaiveDate, minutes: usize) -> DateTime<Utc> {
    let local =
        date.and_hms_opt(7, 30, 0).expect("a valid time") + TimeDelta::minutes(minutes as i64);
    (local - TimeDelta::hours(7)).and_utc()
}

/// When the units and accounts were set up, and the 2021 deadlines set: before the demo's
/// first year starts.
pub fn set_up() -> DateTime<Utc> {
    at(day(2020, (12, 28)), 30)
}

/// When the deadlines of `year` were set: the last Monday of December before it.
pub fn deadlines_set(year: i32) -> DateTime<Utc> {
    let mut date = day(year - 1, (12, 31));
    while date.weekday() != Weekday::Mon {
        date -= TimeDelta::days(1);
    }
    at(date, 60)
}

/// When the report of `year` was signed: the reporting deadline, in the afternoon.
pub fn report_signed(year: i32) -> DateTime<Utc> {
    at(day(year, REPORTING_DEADLINE), 420)
}

/// The timeline of the `index`-th demo initiative.
pub fn of(index: usize, item: &DemoInitiative) -> Timeline {
    let year = item.year;
    let days = |n: usize| TimeDelta::days(n as i64);
    // Registered three days to two weeks before it starts, between 4 January and a week
    // before the registration deadline.
    let (first, last) = (day(year, (1, 4)), day(year, (3, 24)));
    let mut registered = item.start_date - days(3 + index * 7 % 11);
    if registered > last {
        registered = last - days(index % 21);
    }
    if registered < first {
        registered = first + days(index % 10);
    }
    let registered = weekday_before(registered);
    let approved = weekday_before(registered + days(3 + index % 7));
    // What is still open is reported done by late November at the latest.
    let completion_date = item
        .completion_date
        .unwrap_or_else(|| item.due_date.min(day(year, (11, 25))));
    let reported = weekday_after((completion_date + days(1 + index % 4)).max(approved + days(3)));
    let decided = weekday_after(reported + days(2 + index % 3)).min(day(year, REPORTING_DEADLINE));
    let minutes = |step: usize| (index * 37 + step * 101) % 540;
    Timeline {
        registered: at(registered, minutes(0)),
        approved: at(approved, minutes(1)),
        completion_date,
        reported: at(reported, minutes(2)),
        decided: at(decided, minutes(3)),
    }
}

/// The date, or the Friday before it when it falls on a weekend.
fn weekday_before(date: NaiveDate) -> NaiveDate {
    match date.weekday() {
        Weekday::Sat => date - TimeDelta::days(1),
        Weekday::Sun => date - TimeDelta::days(2),
        _ => date,
    }
}

/// The date, or the Monday after it when it falls on a weekend.
fn weekday_after(date: NaiveDate) -> NaiveDate {
    match date.weekday() {
        Weekday::Sat => date + TimeDelta::days(2),
        Weekday::Sun => date + TimeDelta::days(1),
        _ => date,
    }
}

#[cfg(test)]
mod tests {
    use super::super::data;
    use super::*;

    const VIETNAM: i32 = 7 * 3600;

    fn local(moment: DateTime<Utc>) -> chrono::NaiveDateTime {
        moment
            .with_timezone(&chrono::FixedOffset::east_opt(VIETNAM).expect("offset"))
            .naive_local()
    }

    #[test]
    fn every_timeline_reads_like_its_year() {
        for (index, item) in data::initiatives().iter().enumerate() {
            let year = item.year;
            let plan = of(index, item);
            let steps = [plan.registered, plan.approved, plan.reported, plan.decided];
            for step in steps {
                let when = local(step);
                assert_eq!(when.year(), year, "{}", item.title);
                assert!(
                    !matches!(when.weekday(), Weekday::Sat | Weekday::Sun),
                    "a weekday: {when} {}",
                    item.title
                );
                let hour = when.time().format("%H:%M").to_string();
                assert!(("07:30".."16:30").contains(&hour.as_str()), "{hour}");
            }
            assert!(local(plan.registered).date() <= day(year, REGISTRATION_DEADLINE));
            assert!(
                steps
                    .windows(2)
                    .all(|pair| local(pair[0]).date() < local(pair[1]).date()),
                "{steps:?} {}",
                item.title
            );
            assert!(
                plan.completion_date < local(plan.reported).date(),
                "{}",
                item.title
            );
            assert!(plan.completion_date >= item.start_date, "{}", item.title);
            if let Some(done) = item.completion_date {
                assert_eq!(plan.completion_date, done);
            }
            assert!(local(plan.decided).date() <= day(year, REPORTING_DEADLINE));
        }
        assert!(local(set_up()) < local(of(0, &data::initiatives()[0]).registered));
        assert_eq!(local(deadlines_set(2022)).date(), day(2021, (12, 27)));
    }

    #[test]
    fn timelines_are_deterministic_and_spread_over_the_quarter() {
        let items = data::initiatives();
        let first: Vec<Timeline> = items
            .iter()
            .enumerate()
            .map(|(i, item)| of(i, item))
            .collect();
        let again: Vec<Timeline> = items
            .iter()
            .enumerate()
            .map(|(i, item)| of(i, item))
            .collect();
        assert_eq!(first, again);
        let months: std::collections::HashSet<u32> = first
            .iter()
            .map(|plan| local(plan.registered).month())
            .collect();
        assert_eq!(months, [1, 2, 3].into_iter().collect());
    }
}
