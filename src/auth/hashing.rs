//! The one path argon2 takes while serving requests. Each hash holds 19 MiB for tens of
//! milliseconds, so hashes that run all at once take memory without bound (the issue
//! measured 8.7 GB for 128 concurrent wrong passwords). Here at most `concurrency`
//! run at once (one per core by default), on the blocking pool; a few more wait their
//! turn for a short while, and the rest are refused at once with [`HashingError::Busy`]
//! (503, "Hệ thống đang bận…").

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{Semaphore, TryAcquireError};

use crate::auth::password;
use crate::error::AppError;

/// How much hashing may go on at once, and how much may wait for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashingLimits {
    /// Hashes computed at once.
    pub concurrency: usize,
    /// Requests waiting for a turn; one more is refused.
    pub queue: usize,
    /// How long a request waits for its turn before it is refused.
    pub wait: Duration,
}

/// A waiting request is refused after this long.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(3);

impl HashingLimits {
    /// One hash per core (`std::thread::available_parallelism`), four times as many
    /// waiting, for at most [`DEFAULT_WAIT`].
    pub fn for_this_machine() -> HashingLimits {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        HashingLimits {
            concurrency: cores,
            queue: 4 * cores,
            wait: DEFAULT_WAIT,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HashingError {
    /// Every turn is taken and the queue is full, or the wait ran out.
    #[error("password hashing is busy")]
    Busy,
    #[error("password hashing failed: {0}")]
    Failed(String),
}

impl From<HashingError> for AppError {
    fn from(error: HashingError) -> AppError {
        match error {
            HashingError::Busy => AppError::HashingBusy,
            HashingError::Failed(cause) => AppError::Internal(cause.into()),
        }
    }
}

/// The bounded hashing path, shared by every request (in the application's data).
pub struct Hashing {
    turns: Arc<Semaphore>,
    waiting: AtomicUsize,
    limits: HashingLimits,
}

/// Counts a request among the waiting for as long as it waits, even when the request
/// is dropped meanwhile (the client went away).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Hashing {
    pub fn new(limits: HashingLimits) -> Hashing {
        Hashing {
            turns: Arc::new(Semaphore::new(limits.concurrency.max(1))),
            waiting: AtomicUsize::new(0),
            limits,
        }
    }

    pub fn limits(&self) -> HashingLimits {
        self.limits
    }

    /// Whether `password` matches `stored_hash` (a malformed hash never matches).
    pub async fn verify(
        &self,
        password: String,
        stored_hash: String,
    ) -> Result<bool, HashingError> {
        self.run(move || password::verify(&password, &stored_hash))
            .await
    }

    /// The PHC string of `password`.
    pub async fn hash(&self, password: String) -> Result<String, HashingError> {
        self.run(move || password::hash(&password))
            .await?
            .map_err(|error| HashingError::Failed(error.to_string()))
    }

    /// Runs `work` when a turn is free, on the blocking pool. The turn goes with the
    /// work, so it is held until the hash is done even if the request is dropped.
    async fn run<T, F>(&self, work: F) -> Result<T, HashingError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let turn = match Arc::clone(&self.turns).try_acquire_owned() {
            Ok(turn) => turn,
            Err(TryAcquireError::Closed) => return Err(HashingError::Busy),
            Err(TryAcquireError::NoPermits) => {
                let ahead = self.waiting.fetch_add(1, Ordering::SeqCst);
                let _waiting = Waiting(&self.waiting);
                if ahead >= self.limits.queue {
                    return Err(HashingError::Busy);
                }
                let acquire = Arc::clone(&self.turns).acquire_owned();
                match actix_web::rt::time::timeout(self.limits.wait, acquire).await {
                    Ok(Ok(turn)) => turn,
                    Ok(Err(_)) | Err(_) => return Err(HashingError::Busy),
                }
            }
        };
        actix_web::web::block(move || {
            let _turn = turn;
            work()
        })
        .await
        .map_err(|error| HashingError::Failed(error.to_string()))
    }
}
