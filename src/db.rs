//! The connection pool, the embedded migrations, and the one way handlers reach the
//! database: a closure run on the blocking thread pool, never on an async worker.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::{Connection, ConnectionError, PgConnection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::AppError;

pub type PgPool = Pool<ConnectionManager<PgConnection>>;

/// The connection a use case of `crate::app` takes: the web hands it over (from a pool,
/// see [`run_app`] and [`ExportPool`]) without using it itself.
pub type DbConnection = PgConnection;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Builds the pool without waiting for the database: once started, the server keeps
/// answering (`/healthz` and pages with a 503) while PostgreSQL is away, and the pool
/// reconnects by itself when it is back. `serve` waits for PostgreSQL before it builds
/// the pool (see [`wait_for_database`]), since it must migrate first.
pub fn pool(database_url: &str, max_size: u32) -> PgPool {
    build_pool(database_url, max_size, 1)
}

/// How long a request waits for a connection when the pool could open more but cannot
/// reach PostgreSQL: during an outage a page gets its 503 within this (plus the moment
/// it takes to find a thread), under 2 s in all. r2d2 caps its back-off between two
/// attempts to reconnect at half of it, so a server that is back is noticed within
/// 0.75 s.
const OUTAGE_WAIT: Duration = Duration::from_millis(1500);
/// How long in all a request waits when every connection is open and busy with other
/// requests: those finish in milliseconds, so waiting is worth it before a 503.
const BUSY_WAIT: Duration = Duration::from_secs(5);

fn build_pool(database_url: &str, max_size: u32, min_idle: u32) -> PgPool {
    let manager = ConnectionManager::<PgConnection>::new(database_url);
    Pool::builder()
        .max_size(max_size)
        .min_idle(Some(min_idle))
        .connection_timeout(OUTAGE_WAIT)
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

/// A connection from the pool: [`OUTAGE_WAIT`] when PostgreSQL cannot be reached,
/// [`BUSY_WAIT`] in all when the pool is merely busy. The two are told apart by the
/// pool's size: a pool that has every connection it may open is busy; one that has
/// fewer after waiting could not open them, so the database is away.
fn connection(
    pool: &PgPool,
) -> Result<PooledConnection<ConnectionManager<PgConnection>>, AppError> {
    let unavailable =
        |error: diesel::r2d2::PoolError| AppError::DatabaseUnavailable(error.to_string());
    match pool.get_timeout(OUTAGE_WAIT) {
        Ok(conn) => Ok(conn),
        Err(error) if pool.state().connections < pool.max_size() => Err(unavailable(error)),
        Err(_) => pool
            .get_timeout(BUSY_WAIT.saturating_sub(OUTAGE_WAIT))
            .map_err(unavailable),
    }
}

/// The first pause between two attempts to reach PostgreSQL at start-up; it doubles up
/// to [`STARTUP_RETRY_MAX`].
const STARTUP_RETRY_FIRST: Duration = Duration::from_secs(1);
const STARTUP_RETRY_MAX: Duration = Duration::from_secs(10);

/// Connects to PostgreSQL for `serve`'s start, trying again with a growing pause (logged
/// each time) while it cannot: in a container PostgreSQL often starts after the
/// application. Gives up only once `give_up_after` has passed, if it is given.
pub async fn wait_for_database(
    database_url: &str,
    give_up_after: Option<Duration>,
) -> Result<PgConnection, ConnectionError> {
    let started = Instant::now();
    let mut pause = STARTUP_RETRY_FIRST;
    let mut attempt = 1u32;
    loop {
        let error = match PgConnection::establish(database_url) {
            Ok(conn) => return Ok(conn),
            Err(error) => error,
        };
        if give_up_after.is_some_and(|limit| started.elapsed() + pause > limit) {
            return Err(error);
        }
        // libpq's messages run over several lines; a log line is one.
        let reason = error
            .to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        tracing::warn!(
            attempt,
            "PostgreSQL is not ready ({reason}); trying again in {} s",
            pause.as_secs()
        );
        actix_web::rt::time::sleep(pause).await;
        pause = (pause * 2).min(STARTUP_RETRY_MAX);
        attempt += 1;
    }
}

/// Applies every migration not yet applied; returns how many ran.
pub fn migrate(conn: &mut PgConnection) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    Ok(conn.run_pending_migrations(MIGRATIONS)?.len())
}

/// How long `run` waits for a thread of the blocking pool before it gives up: together
/// with [`connection`]'s waits this bounds how long a request can wait for
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
        let mut conn = connection(&pool)?;
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
    finished?
}

/// [`run`] for a use case of `crate::app`: its error becomes the web's.
pub async fn run_app<T, F>(pool: &PgPool, work: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut PgConnection) -> Result<T, crate::app::Error> + Send + 'static,
{
    run(pool, move |conn| work(conn).map_err(AppError::from)).await
}

/// Whether a pooled connection can be had and the database answers on it, within the
/// waits of [`run`] (the health check).
pub async fn ping(pool: &PgPool) -> Result<(), AppError> {
    run(pool, |conn| Ok(crate::store::ping(conn)?)).await
}

/// The connections kept for downloads, apart from the pool every page uses: a national
/// export reads the database for seconds, and those reads must not take connections
/// from sign-in or the dashboards. A download holds one only while the database hands
/// its rows over (into a temporary file, see `web::exports`), never while the browser
/// reads. When every one is in use a new download is refused at once
/// ([`AppError::ExportsBusy`]) rather than made to wait.
#[derive(Clone)]
pub struct ExportPool {
    pool: PgPool,
    /// One permit per connection, taken while the download reads the database.
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
