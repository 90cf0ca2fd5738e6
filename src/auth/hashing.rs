//! The one path argon2 takes while serving requests. Each hash holds 19 MiB for tens of
//! milliseconds, so hashes that run all at once take memory without bound (the issue
//! measured 8.7 GB for 128 concurrent wrong passwords). Here at most `concurrency`
//! run at once (one per core by default); a few more wait their turn for a short
//! while, and the rest are refused at once with [`HashingError::Busy`] (503, "Hệ thống
//! đang bận…").
//!
//! The hashes run on `concurrency` threads of their own rather than on the blocking
//! pool, so that they never hold threads the database work needs, and the other way
//! round. What keeps memory down once a storm has passed is
//! [`return_large_blocks_to_the_system`]: with hashing bounded but without it, 128
//! concurrent wrong passwords still left 165 MB held in malloc's arenas.

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Semaphore, TryAcquireError};

use crate::auth::password;

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
    #[error("argon2 refused the password")]
    Argon2(#[source] argon2::password_hash::Error),
    #[error("the hashing threads have stopped")]
    Stopped,
    #[error("a hashing thread failed")]
    ThreadFailed,
}

/// Large blocks (argon2's 19 MiB among them) are given back to the system as soon as
/// they are freed: glibc's malloc otherwise raises its mmap threshold after the first
/// such block is freed and from then on keeps freed blocks in its arenas, where 19 MiB
/// per arena stayed held after a storm of sign-ins. Setting the threshold fixes it
/// (and turns the raising off); this costs a map and an unmap per large block, little
/// beside the work each does. Called once at start-up; a no-op elsewhere than glibc.
pub fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const THRESHOLD_BYTES: libc::c_int = 4 * 1024 * 1024;
        // SAFETY: mallopt only sets a parameter of the allocator; it is thread-safe and
        // takes no pointers.
        let applied = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, THRESHOLD_BYTES) };
        if applied != 1 {
            tracing::warn!("malloc kept its own mmap threshold");
        }
    }
}

/// The bounded hashing path, shared by every request (in the application's data).
pub struct Hashing {
    turns: Arc<Semaphore>,
    waiting: AtomicUsize,
    limits: HashingLimits,
    /// To the hashing threads; they stop when it is dropped.
    jobs: Sender<Job>,
}

type Job = Box<dyn FnOnce() + Send>;

/// One hashing thread: runs jobs until the sender is dropped. A job that panics
/// drops its reply (the request sees [`HashingError::Failed`]); the thread goes on.
fn work_through(jobs: Arc<Mutex<Receiver<Job>>>) {
    loop {
        let next = match jobs.lock() {
            Ok(receiver) => receiver.recv(),
            Err(poisoned) => poisoned.into_inner().recv(),
        };
        let Ok(job) = next else {
            return;
        };
        let _ = std::panic::catch_unwind(AssertUnwindSafe(job));
    }
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
    /// Starts the hashing threads. Also makes the dummy hash unknown usernames are
    /// checked against, so that no request computes it outside the bounded path.
    pub fn start(limits: HashingLimits) -> std::io::Result<Hashing> {
        password::dummy_hash();
        let concurrency = limits.concurrency.max(1);
        let (jobs, receiver) = std::sync::mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        for number in 0..concurrency {
            let receiver = Arc::clone(&receiver);
            std::thread::Builder::new()
                .name(format!("argon2-{number}"))
                .spawn(move || work_through(receiver))?;
        }
        Ok(Hashing {
            turns: Arc::new(Semaphore::new(concurrency)),
            waiting: AtomicUsize::new(0),
            limits,
            jobs,
        })
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
            .map_err(HashingError::Argon2)
    }

    /// Runs `work` on a hashing thread when a turn is free. The turn goes with the work,
    /// so it is held until the hash is done even if the request is dropped meanwhile.
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
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _turn = turn;
            let _ = reply.send(work());
        });
        self.jobs.send(job).map_err(|_| HashingError::Stopped)?;
        answer.await.map_err(|_| HashingError::ThreadFailed)
    }
}
