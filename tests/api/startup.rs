//! `serve` as it runs in production: the built binary, in a process of its own, on a
//! PostgreSQL server of its own that the test stops and starts. Started before
//! PostgreSQL, it waits (saying so in its log) and serves once PostgreSQL is up; when
//! PostgreSQL goes away under it, pages answer 503 within 2 s, and it recovers.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use diesel::{Connection, PgConnection, RunQueryDsl};
use lamtheobac::domain::Role;
use lamtheobac_dev::private_postgres::PrivatePostgres;

use crate::helpers::*;

const NOT_READY: &str = "PostgreSQL is not ready";

/// A running `lamtheobac serve`, killed and cleaned up on drop.
struct Served {
    child: Child,
    /// Every line of its log so far.
    log: Arc<Mutex<Vec<String>>>,
    upload_dir: std::path::PathBuf,
}

impl Served {
    fn start(database_url: &str) -> Served {
        let upload_dir =
            std::env::temp_dir().join(format!("lamtheobac-startup-{}", std::process::id()));
        let key = base64::engine::general_purpose::STANDARD
            .encode(lamtheobac::config::random_session_key().master());
        let mut child = Command::new(env!("CARGO_BIN_EXE_lamtheobac"))
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("SESSION_KEY", key)
            .env("BIND", "127.0.0.1:0")
            .env("UPLOAD_DIR", &upload_dir)
            .env("COOKIE_SECURE", "false")
            .env("DATABASE_POOL_SIZE", "4")
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start lamtheobac serve");
        let log = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().expect("the server's log");
        let lines = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                lines.lock().expect("the log").push(line);
            }
        });
        Served {
            child,
            log,
            upload_dir,
        }
    }

    fn lines(&self) -> Vec<String> {
        self.log.lock().expect("the log").clone()
    }

    /// Waits (at most `limit`) for the log to satisfy `ready`; panics with the log if not.
    fn wait_for_log<T>(&self, limit: Duration, ready: impl Fn(&[String]) -> Option<T>) -> T {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(found) = ready(&self.lines()) {
                return found;
            }
            assert!(
                Instant::now() < deadline,
                "not in the log within {limit:?}:\n{}",
                self.lines().join("\n")
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn is_running(&mut self) -> bool {
        self.child.try_wait().expect("the server's state").is_none()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.upload_dir);
    }
}

/// The status of GET `path`, or `None` when nothing answers.
fn status_of(address: &str, path: &str) -> Option<u16> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    match agent.get(&format!("{address}{path}")).call() {
        Ok(response) => Some(response.status().as_u16()),
        Err(_) => None,
    }
}

#[test]
fn serve_waits_for_postgresql_and_answers_503_within_2_s_while_it_is_away() {
    let mut postgres = PrivatePostgres::start().expect("a private PostgreSQL");
    let mut maintenance =
        PgConnection::establish(&postgres.url("postgres")).expect("connect to PostgreSQL");
    diesel::sql_query("CREATE DATABASE lamtheobac")
        .execute(&mut maintenance)
        .expect("create the database");
    drop(maintenance);
    postgres.stop();

    // Started before PostgreSQL: it keeps trying, and says so each time.
    let mut served = Served::start(&postgres.url("lamtheobac"));
    served.wait_for_log(Duration::from_secs(15), |lines| {
        (lines.iter().filter(|line| line.contains(NOT_READY)).count() >= 2).then_some(())
    });
    assert!(
        served.is_running(),
        "serve gave up:\n{}",
        served.lines().join("\n")
    );

    // PostgreSQL comes up: it migrates and serves.
    postgres.restart().expect("PostgreSQL starts again");
    let address = served.wait_for_log(Duration::from_secs(30), |lines| {
        lines.iter().find_map(|line| {
            let at = line.find("listening on ")? + "listening on ".len();
            Some(line[at..].split_whitespace().next()?.to_owned())
        })
    });
    let healthy = (0..100).any(|_| {
        if status_of(&address, "/healthz") == Some(200) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
        false
    });
    assert!(healthy, "/healthz answers 200");

    let mut conn = PgConnection::establish(&postgres.url("lamtheobac")).expect("connect");
    create_user(&mut conn, ADMIN, Role::Admin, None, true);
    let admin = Client::at(&address);
    assert_eq!(admin.sign_in(ADMIN, PASSWORD).status, 303);
    assert_eq!(admin.get("/dashboard").status, 200);

    // PostgreSQL goes away: each page answers 503 with its message, within 2 s. (The
    // private server commits asynchronously and stops at once: a checkpoint first, so
    // that what was written is still there when it comes back.)
    diesel::sql_query("CHECKPOINT")
        .execute(&mut conn)
        .expect("a checkpoint");
    drop(conn);
    postgres.stop();
    for path in ["/dashboard", "/healthz", "/dashboard", "/initiatives"] {
        let asked = Instant::now();
        let page = admin.get(path);
        let waited = asked.elapsed();
        assert_eq!(page.status, 503, "{path}: {}", page.body);
        assert!(
            waited < Duration::from_secs(2),
            "{path} answered after {waited:?}"
        );
        eprintln!("{path} answered 503 after {waited:?}");
        if path != "/healthz" {
            assert!(
                text_of(&page.body).contains("Hệ thống tạm thời không kết nối được cơ sở dữ liệu"),
                "{}",
                page.body
            );
        }
    }

    // It comes back: the same session reads the dashboard again.
    postgres.restart().expect("PostgreSQL starts again");
    let back = Instant::now();
    let recovered = (0..100).any(|_| {
        let page = admin.get("/dashboard");
        if page.status == 200 {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
        false
    });
    assert!(recovered, "the dashboard answers again");
    eprintln!(
        "recovered {:?} after PostgreSQL accepted connections",
        back.elapsed()
    );
    assert!(served.is_running());
}
