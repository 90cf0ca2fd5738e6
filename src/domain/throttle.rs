//! The sign-in throttle's rules: how many failures an account (as typed, whether or not
//! it exists) or a client address may have before further attempts must wait, and for
//! how long. The counts come from PostgreSQL (`store::sign_ins`), so every node of the
//! application applies the same throttle; this module only decides.

use std::net::IpAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};

/// When attempts on one key (an account or an address) start to wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Failures within `window` that are let through without waiting.
    pub free_failures: u32,
    /// How far back failures count.
    pub window: Duration,
    /// The wait after the last free failure; it doubles with every failure after that…
    pub first_delay: Duration,
    /// …up to this.
    pub max_delay: Duration,
}

/// An account: 5 failures within 15 minutes, then waits of 1 s, 2 s, 4 s… up to 15
/// minutes after each further failure. Old failures leave the window, so the owner is
/// never locked out for good; a success clears the account's failures.
pub const ACCOUNT: Limit = Limit {
    free_failures: 5,
    window: Duration::from_secs(15 * 60),
    first_delay: Duration::from_secs(1),
    max_delay: Duration::from_secs(15 * 60),
};

/// A client address, across every account it tries: 20 failures within 15 minutes
/// (several people behind one office router may each mistype a few times), then the
/// same doubling waits.
pub const ADDRESS: Limit = Limit {
    free_failures: 20,
    window: Duration::from_secs(15 * 60),
    first_delay: Duration::from_secs(1),
    max_delay: Duration::from_secs(15 * 60),
};

/// A throttled attempt is written to the log at most once in this long per account
/// and per address: attempts that wait cost no hashing, so they come cheap and fast,
/// and each must not cost a row.
pub const THROTTLED_LOGGED_EVERY: Duration = Duration::from_secs(60);

/// How long failed and throttled attempts are kept (for the throttle and the admin
/// page): long enough to read back over a weekend, short enough to keep the table small.
pub const KEPT_FOR: Duration = Duration::from_secs(3 * 24 * 60 * 60);

/// The limits the application applies (the tests use longer waits, to be sure an
/// attempt comes within one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub account: Limit,
    pub address: Limit,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            account: ACCOUNT,
            address: ADDRESS,
        }
    }
}

/// What the log holds for one key within its window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recent {
    /// Failures that still count.
    pub failures: i64,
    pub last_failure: Option<DateTime<Utc>>,
    /// The last throttled attempt written to the log, if any within the window.
    pub last_throttled: Option<DateTime<Utc>>,
}

impl Limit {
    /// How long the next attempt must still wait at `now`; `None` when it may go ahead.
    pub fn wait(&self, recent: &Recent, now: DateTime<Utc>) -> Option<Duration> {
        let beyond = recent.failures - i64::from(self.free_failures);
        if beyond < 0 {
            return None;
        }
        let last = recent.last_failure?;
        let doublings = u32::try_from(beyond).unwrap_or(u32::MAX).min(30);
        let delay = self
            .first_delay
            .saturating_mul(1 << doublings)
            .min(self.max_delay);
        let until = last + chrono::Duration::from_std(delay).ok()?;
        (until - now).to_std().ok().filter(|left| !left.is_zero())
    }
}

/// Whether an attempt may go ahead, or how long it must wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Go,
    Wait {
        left: Duration,
        /// Whether to write this throttled attempt to the log.
        log: bool,
    },
}

/// The verdict for an attempt on `account` from `address`: the longer wait of the two.
/// The attempt is logged unless every key that holds it back had a throttled attempt
/// logged within [`THROTTLED_LOGGED_EVERY`]; a key only holds attempts back after
/// failures that each cost a hash, so the log grows no faster than hashing allows.
pub fn verdict(limits: &Limits, account: &Recent, address: &Recent, now: DateTime<Utc>) -> Verdict {
    let logged_lately = |recent: &Recent| {
        recent.last_throttled.is_some_and(|at| {
            (now - at)
                .to_std()
                .map_or(true, |since| since < THROTTLED_LOGGED_EVERY)
        })
    };
    let holding_back: Vec<(Duration, bool)> = [
        (limits.account.wait(account, now), account),
        (limits.address.wait(address, now), address),
    ]
    .into_iter()
    .filter_map(|(wait, recent)| wait.map(|left| (left, logged_lately(recent))))
    .collect();
    match holding_back.iter().map(|(left, _)| *left).max() {
        None => Verdict::Go,
        Some(left) => Verdict::Wait {
            left,
            log: holding_back.iter().any(|(_, logged)| !logged),
        },
    }
}

/// The longest username kept for the throttle; longer input is cut here.
pub const MAX_USERNAME_CHARS: usize = 100;

/// The account key of what was typed in the username field: trimmed, lower-cased,
/// without control characters (PostgreSQL text cannot hold NUL), at most
/// [`MAX_USERNAME_CHARS`]. The same whether or not an account has this name.
pub fn account_key(typed: &str) -> String {
    typed
        .trim()
        .to_lowercase()
        .chars()
        .filter(|character| !character.is_control())
        .take(MAX_USERNAME_CHARS)
        .collect()
}

/// The address key: an IPv4 address itself; for IPv6 its /64 network, since one
/// household or server is usually handed a whole /64 and could otherwise take a new
/// address for every attempt.
pub fn address_key(address: IpAddr) -> String {
    match address.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let network = u128::from(v6) & !((1u128 << 64) - 1);
            format!("{}/64", std::net::Ipv6Addr::from(network))
        }
    }
}

/// One sign-in attempt, as the throttle and the log know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// See [`account_key`].
    pub username: String,
    /// The client's address, as written to the log.
    pub address: String,
    /// See [`address_key`].
    pub address_key: String,
}

impl Attempt {
    pub fn new(typed_username: &str, address: IpAddr) -> Attempt {
        Attempt {
            username: account_key(typed_username),
            address: address.to_canonical().to_string(),
            address_key: address_key(address),
        }
    }
}

/// "2 phút", "45 giây": how long to wait, rounded up, for the message.
pub fn wait_vi(left: Duration) -> String {
    let seconds = retry_after_seconds(left);
    if seconds < 60 {
        format!("{seconds} giây")
    } else {
        format!("{} phút", seconds.div_ceil(60))
    }
}

/// The `Retry-After` value: whole seconds, rounded up, at least 1.
pub fn retry_after_seconds(left: Duration) -> u64 {
    let whole = left.as_secs() + u64::from(left.subsec_nanos() > 0);
    whole.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).expect("a valid time")
    }

    fn recent(failures: i64, last: i64) -> Recent {
        Recent {
            failures,
            last_failure: Some(at(last)),
            last_throttled: None,
        }
    }

    #[test]
    fn five_failures_are_free_then_each_further_one_doubles_the_wait_up_to_the_cap() {
        assert_eq!(ACCOUNT.wait(&recent(4, 0), at(0)), None);
        assert_eq!(
            ACCOUNT.wait(&recent(5, 0), at(0)),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            ACCOUNT.wait(&recent(6, 0), at(0)),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            ACCOUNT.wait(&recent(8, 0), at(3)),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            ACCOUNT.wait(&recent(40, 0), at(0)),
            Some(Duration::from_secs(15 * 60))
        );
        assert_eq!(
            ACCOUNT.wait(&recent(i64::MAX, 0), at(0)),
            Some(Duration::from_secs(15 * 60))
        );
        // Once the wait has passed, the next attempt goes ahead: no lock-out for good.
        assert_eq!(ACCOUNT.wait(&recent(40, 0), at(15 * 60)), None);
        assert_eq!(ACCOUNT.wait(&recent(5, 0), at(1)), None);
    }

    #[test]
    fn the_longer_of_the_account_and_address_waits_applies() {
        let limits = Limits::default();
        let quiet = Recent::default();
        assert_eq!(verdict(&limits, &quiet, &quiet, at(0)), Verdict::Go);
        assert_eq!(
            verdict(&limits, &recent(19, 0), &recent(19, 0), at(0)),
            Verdict::Wait {
                left: Duration::from_secs(900),
                log: true
            }
        );
        assert_eq!(
            verdict(&limits, &recent(4, 0), &recent(21, 0), at(0)),
            Verdict::Wait {
                left: Duration::from_secs(2),
                log: true
            }
        );
    }

    #[test]
    fn a_throttled_attempt_is_logged_once_a_minute_per_key_that_holds_it_back() {
        let limits = Limits::default();
        let mut account = recent(7, 0);
        account.last_throttled = Some(at(-30));
        // The address has failures, not enough to hold attempts back: only the
        // account's log counts.
        let address = recent(3, 0);
        assert!(matches!(
            verdict(&limits, &account, &address, at(0)),
            Verdict::Wait { log: false, .. }
        ));
        account.last_throttled = Some(at(-61));
        assert!(matches!(
            verdict(&limits, &account, &address, at(0)),
            Verdict::Wait { log: true, .. }
        ));
        let mut busy_address = recent(25, 0);
        busy_address.last_throttled = Some(at(-10));
        account.last_throttled = Some(at(-10));
        assert!(matches!(
            verdict(&limits, &account, &busy_address, at(0)),
            Verdict::Wait { log: false, .. }
        ));
        assert!(matches!(
            verdict(&limits, &recent(0, 0), &recent(25, 0), at(0)),
            Verdict::Wait { log: true, .. }
        ));
    }

    #[test]
    fn usernames_are_keyed_as_typed_without_revealing_anything() {
        assert_eq!(account_key("  Bi.Thu \n"), "bi.thu");
        assert_eq!(account_key("a\0b"), "ab");
        assert_eq!(account_key(&"x".repeat(500)).chars().count(), 100);
        assert_eq!(account_key("Nguyễn"), "nguyễn");
    }

    #[test]
    fn ipv6_addresses_count_by_their_64_network() {
        let one: IpAddr = "2001:db8:1:2:3:4:5:6".parse().expect("an address");
        let other: IpAddr = "2001:db8:1:2:ffff::1".parse().expect("an address");
        assert_eq!(address_key(one), "2001:db8:1:2::/64");
        assert_eq!(address_key(one), address_key(other));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().expect("an address");
        assert_eq!(address_key(mapped), "192.0.2.7");
    }

    #[test]
    fn waits_read_in_seconds_or_minutes_rounded_up() {
        assert_eq!(wait_vi(Duration::from_millis(300)), "1 giây");
        assert_eq!(wait_vi(Duration::from_secs(59)), "59 giây");
        assert_eq!(wait_vi(Duration::from_secs(61)), "2 phút");
        assert_eq!(retry_after_seconds(Duration::from_millis(1500)), 2);
    }
}
