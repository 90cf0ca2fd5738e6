//! The downloads running now, per person: at most two each, so that one person cannot
//! hold the export connections, the server's disk or its sockets with downloads they
//! do not read. In-process: a person's downloads go through one node of the cluster at
//! a time, and nothing outlives a restart.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::error::AppError;

/// Downloads one person may have running at once.
pub const EXPORTS_PER_PERSON: usize = 2;

/// The downloads in progress, counted per person, and how long each may go without its
/// browser taking anything (see [`super::spool`]).
#[derive(Clone)]
pub struct RunningExports {
    counts: Arc<Mutex<HashMap<i32, usize>>>,
    stall_limit: Duration,
}

impl RunningExports {
    pub fn new(stall_limit: Duration) -> RunningExports {
        RunningExports {
            counts: Arc::default(),
            stall_limit,
        }
    }

    pub fn stall_limit(&self) -> Duration {
        self.stall_limit
    }

    /// A place for one more download of `user_id`, kept until the ticket is dropped;
    /// refused ([`AppError::TooManyExports`]) when they have their two already.
    pub fn begin(&self, user_id: i32) -> Result<ExportTicket, AppError> {
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        let running = counts.entry(user_id).or_default();
        if *running >= EXPORTS_PER_PERSON {
            return Err(AppError::TooManyExports);
        }
        *running += 1;
        Ok(ExportTicket {
            counts: Arc::clone(&self.counts),
            user_id,
        })
    }
}

/// One running download of one person; see [`RunningExports::begin`].
pub struct ExportTicket {
    counts: Arc<Mutex<HashMap<i32, usize>>>,
    user_id: i32,
}

impl Drop for ExportTicket {
    fn drop(&mut self) {
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(running) = counts.get_mut(&self.user_id) {
            *running = running.saturating_sub(1);
            if *running == 0 {
                counts.remove(&self.user_id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_gets_two_places_and_a_third_once_one_is_given_back() {
        let running = RunningExports::new(Duration::from_secs(30));
        let first = running.begin(7).expect("a first download");
        let _second = running.begin(7).expect("a second download");
        assert!(matches!(running.begin(7), Err(AppError::TooManyExports)));
        let _other_person = running.begin(8).expect("another person is not counted");
        drop(first);
        assert!(running.begin(7).is_ok());
    }
}
