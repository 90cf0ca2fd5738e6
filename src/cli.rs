//! The commands behind `lamtheobac serve | migrate | create-admin`. `demo` and
//! `bench-seed` are in the dev-support crate (`lamtheobac-dev`), behind the binary's
//! default feature `dev`.

use std::io::{BufRead, IsTerminal, Write};

use diesel::{Connection, PgConnection};

use crate::config::{self, Settings};
use crate::domain::Role;
use crate::store::users::NewUser;
use crate::{Application, auth, db, store};

pub type CliResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// DATABASE_URL, or an error that says how to set it.
pub fn database_url() -> Result<String, config::ConfigError> {
    std::env::var("DATABASE_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
        .ok_or(config::ConfigError::Missing(
            "DATABASE_URL",
            "set it to postgres://USER:PASSWORD@HOST:5432/DATABASE",
        ))
}

/// One connection, with an error that names DATABASE_URL.
pub fn connect(url: &str) -> Result<PgConnection, Box<dyn std::error::Error + Send + Sync>> {
    PgConnection::establish(url)
        .map_err(|error| format!("cannot connect to the database at DATABASE_URL: {error}").into())
}

/// `migrate`: applies the pending migrations.
pub fn migrate() -> CliResult {
    let mut conn = connect(&database_url()?)?;
    let applied = db::migrate(&mut conn)?;
    println!("Đã áp dụng {applied} migration. / {applied} migration(s) applied.");
    Ok(())
}

/// `serve`: waits for PostgreSQL, migrates, then serves until stopped.
pub async fn serve(settings: Settings) -> CliResult {
    let mut conn = db::wait_for_database(&settings.database_url, settings.database_wait)
        .await
        .map_err(|error| format!("cannot connect to the database at DATABASE_URL: {error}"))?;
    let applied = db::migrate(&mut conn)?;
    drop(conn);
    tracing::info!(applied, "migrations up to date");
    let pool = db::pool(&settings.database_url, settings.pool_size);
    let application = Application::build(&settings, pool)?;
    let host = settings
        .bind
        .rsplit_once(':')
        .map_or(settings.bind.as_str(), |(host, _)| host);
    tracing::info!("listening on http://{host}:{}", application.port());
    application.run().await?;
    Ok(())
}

/// `create-admin --username U`: the first account, with the password from
/// LAMTHEOBAC_ADMIN_PASSWORD or typed at a prompt.
pub fn create_admin(username: &str) -> CliResult {
    let username = username.trim().to_lowercase();
    let password = match std::env::var("LAMTHEOBAC_ADMIN_PASSWORD") {
        Ok(password) if !password.is_empty() => password,
        _ => prompt_password()?,
    };
    if let Some(problem) = auth::password::weakness(&password, &username, "Quản trị hệ thống")
    {
        return Err(format!("password refused: {problem}").into());
    }
    let mut conn = connect(&database_url()?)?;
    db::migrate(&mut conn)?;
    if store::users::find_by_username(&mut conn, &username)?.is_some() {
        return Err(format!("a user named {username:?} exists already").into());
    }
    let new_user = NewUser {
        username: username.clone(),
        display_name: "Quản trị hệ thống".to_owned(),
        password_hash: auth::password::hash(&password).map_err(|error| error.to_string())?,
        role: Role::Admin,
        unit_id: None,
        active: true,
        must_change_password: false,
        phone: None,
        email: None,
    };
    store::users::insert(&mut conn, None, &new_user).map_err(|error| {
        if store::is_unique_violation(&error) {
            format!("a user named {username:?} exists already")
        } else {
            format!("could not create the user: {error}")
        }
    })?;
    println!("Đã tạo tài khoản quản trị {username:?}. / Admin {username:?} created.");
    Ok(())
}

/// Reads a password from the terminal without echoing it.
fn prompt_password() -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    let read = |label: &str| -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
        eprint!("{label}");
        std::io::stderr().flush()?;
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    };
    let set_echo = |on: bool| {
        if interactive {
            let _ = std::process::Command::new("stty")
                .arg(if on { "echo" } else { "-echo" })
                .status();
        }
    };
    set_echo(false);
    let first = read("Mật khẩu / Password: ");
    if interactive {
        eprintln!();
    }
    let second = read("Nhập lại / Repeat: ");
    set_echo(true);
    if interactive {
        eprintln!();
    }
    let (first, second) = (first?, second?);
    if first != second {
        return Err("the two passwords differ".into());
    }
    Ok(first)
}
