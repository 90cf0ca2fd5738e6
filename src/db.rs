//! The connection pool, the embedded migrations, and the one way handlers reach the
//! database: a closure run on the blocking thread pool, never on an async worker.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel::{PgConnection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::AppError;

pub type PgPool = Pool<ConnectionManager<PgConnection>>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Builds the pool without waiting for the database, so the server can start (and
/// `/healthz` can say 503) while PostgreSQL is still coming up.
pub fn pool(database_url: &str, max_size: u32) -> PgPool {
    build_pool(database_url, max_size, 1)
}

/// How long a request waits for a free connection before it gets a 503.
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(5);

fn build_pool(database_url: &str, max_size: u32, min_idle: u32) -> PgPool {
    let manager = ConnectionManager::<PgConnection>::new(database_url);
    Pool::builder()
        .max_size(max_size)
        .min_idle(Some(min_idle))
        .connection_timeout(CONNECTION_TIMEOUT)
        .connection_customizer(Box::new(UntranslatedMessages))
        .build_unchecked(manager)
}

/// Asks PostgreSQL for its messages untranslated, so that a deadlock reads "deadlock
/// detected" whatever the server's language (see `store::tx`, which has no other way to
/// recognise one). Only a superuser, or a role granted `SET ON PARAMETER lc_messages`,
/// may change the setting; for others the server's own setting stays, which is
/// untranslated unless the server was set up otherwise.
#[derive(Debug)]
struct UntranslatedMessages;

impl CustomizeConnection<PgConnection, diesel::r2d2::Error> for UntranslatedMessages {
    fn on_acquire(&self, conn: &mut PgConnection) -> Result<(), diesel::r2d2::Error> {
        if let Err(error) = diesel::sql_query("SET lc_messages = 'C'").execute(conn) {
            tracing::debug!(%error, "messages stay in the server's language");
        }
        Ok(())
    }
}

/// Applies every migration not yet applied; returns how many ran.
pub fn migrate(conn: &mut PgConnection) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    Ok(conn.run_pending_migrations(MIGRATIONS)?.len())
}

/// How long `run` waits for a thread of the blocking pool before it gives up: together
/// with the pool's [`CONNECTION_TIMEOUT`] this bounds how long a request can wait for
/// the database when everything is busy (it then gets a 503, never a hang).
const THREAD_TIMEOUT: Duration = Duration::from_secs(2);

/// Whether the work handed to the blocking pool has started, or the caller gave up first.
const WAITING: u8 = 0;
const STARTED: u8 = 1;
const ABANDONED: u8 = 2;

/// Runs `work` with a pooled connection on the blocking thread pool. Work that has not
/// got a thread within [`THREAD_TIMEOUT`] is abandoned (it will never touch the
/// database); work that has started is waited for, since it may be writing.
pub async fn run<T, F>(pool: &PgPool, work: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut PgConnection) -> Result<T, AppError> + Send + 'static,
{
    let pool = pool.clone();
    let state = Arc::new(AtomicU8::new(WAITING));
    let task_state = Arc::clone(&state);
    let task = std::pin::pin!(actix_web::web::block(move || {
        if task_state
            .compare_exchange(WAITING, STARTED, Ordering::SeqCst, Ordering::SeqCst)
            .is_err()
        {
            return Err(AppError::DatabaseUnavailable("abandoned".to_owned()));
        }
        let mut conn = pool
            .get()
            .map_err(|error| AppError::DatabaseUnavailable(error.to_string()))?;
        work(&mut conn)
    }));
    let timeout = std::pin::pin!(actix_web::rt::time::sleep(THREAD_TIMEOUT));
    let finished = match futures_util::future::select(task, timeout).await {
        futures_util::future::Either::Left((finished, _)) => finished,
        futures_util::future::Either::Right(((), task)) => {
            let abandoned = state
                .compare_exchange(WAITING, ABANDONED, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok();
            if abandoned {
                return Err(AppError::DatabaseUnavailable(
                    "no thread free for the database".to_owned(),
                ));
            }
            task.await
        }
    };
    finished.map_err(|error| AppError::Internal(format!("blocking task failed: {error}").into()))?
}

/// The connections kept for downloads, apart from the pool every page uses: a file is
/// streamed straight from the database while the person's browser reads it, which can
/// take minutes on a slow line, and those minutes must not take connections from
/// sign-in or the dashboards. When every one is in use a new download is refused at
/// once ([`AppError::ExportsBusy`]) rather than made to wait.
#[derive(Clone)]
pub struct ExportPool {
    pool: PgPool,
    /// One permit per connection, taken for the whole download.
    permits: Arc<Semaphore>,
}

impl ExportPool {
    /// Opens connections only when downloads need them.
    pub fn new(database_url: &str, size: u32) -> ExportPool {
        ExportPool {
            pool: build_pool(database_url, size, 0),
            permits: Arc::new(Semaphore::new(size as usize)),
        }
    }

    /// A connection for one download, reserved until the lease is dropped.
    pub fn lease(&self) -> Result<ExportLease, AppError> {
        let permit = Arc::clone(&self.permits)
            .try_acquire_owned()
            .map_err(|_| AppError::ExportsBusy)?;
        Ok(ExportLease {
            pool: self.pool.clone(),
            _permit: permit,
        })
    }
}

/// The right to one export connection; see [`ExportPool::lease`].
pub struct ExportLease {
    pool: PgPool,
    _permit: OwnedSemaphorePermit,
}

impl ExportLease {
    /// The connection itself (there is one free for every lease, so this waits only
    /// for PostgreSQL to accept a new one).
    pub fn connect(
        &self,
    ) -> Result<
        diesel::r2d2::PooledConnection<ConnectionManager<PgConnection>>,
        diesel::r2d2::PoolError,
    > {
        self.pool.get()
    }
}
