//! The connection pool, the embedded migrations, and the one way handlers reach the
//! database: a closure run on the blocking thread pool, never on an async worker.

use std::time::Duration;

use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel::{PgConnection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::AppError;

pub type PgPool = Pool<ConnectionManager<PgConnection>>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Builds the pool without waiting for the database, so the server can start (and
/// `/healthz` can say 503) while PostgreSQL is still coming up.
pub fn pool(database_url: &str, max_size: u32) -> PgPool {
    let manager = ConnectionManager::<PgConnection>::new(database_url);
    Pool::builder()
        .max_size(max_size)
        .min_idle(Some(1))
        .connection_timeout(Duration::from_secs(5))
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

/// Runs `work` with a pooled connection on the blocking thread pool.
pub async fn run<T, F>(pool: &PgPool, work: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut PgConnection) -> Result<T, AppError> + Send + 'static,
{
    let pool = pool.clone();
    actix_web::web::block(move || {
        let mut conn = pool
            .get()
            .map_err(|error| AppError::DatabaseUnavailable(error.to_string()))?;
        work(&mut conn)
    })
    .await
    .map_err(|error| AppError::Internal(format!("blocking task failed: {error}").into()))?
}
