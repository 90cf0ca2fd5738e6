//! The server's clock, against which session timeouts are measured. Nothing in the
//! application moves it, so in production it is the system clock; the in-process tests
//! move it forward to reach a timeout without sleeping.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, TimeDelta, Utc};

/// The system clock plus an offset (zero unless a test sets it). Clones share the offset.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset_seconds: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + TimeDelta::seconds(self.offset_seconds.load(Ordering::Relaxed))
    }

    /// Moves this clock, and every clone of it, forward by `by` (whole seconds).
    pub fn advance(&self, by: TimeDelta) {
        self.offset_seconds
            .fetch_add(by.num_seconds(), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_offset() {
        let clock = Clock::default();
        let shared = clock.clone();
        let before = shared.now();
        clock.advance(TimeDelta::hours(13));
        let moved = shared.now() - before;
        assert!(
            moved >= TimeDelta::hours(13) && moved < TimeDelta::hours(13) + TimeDelta::minutes(1)
        );
    }
}
