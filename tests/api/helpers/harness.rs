//! The harness: one PostgreSQL server per test process, template databases built once,
//! and one database and one running application per test, with helpers that read its
//! database.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use lamtheobac::Application;
use lamtheobac::config::Settings;
use lamtheobac::evidence::EvidenceStore;
use lamtheobac::store;
use lamtheobac_dev::private_postgres::PrivatePostgres;

use super::client::Client;

// ---------------------------------------------------------------------------------------
// The database server
// ---------------------------------------------------------------------------------------

/// The server every test of this process uses: DATABASE_URL's, or a private one.
struct DbServer {
    /// `postgres://…/` up to (and without) the database name.
    prefix: String,
    /// What follows the database name (`?sslmode=…`), often empty.
    suffix: String,
    /// Kept alive for the life of the process; its watcher stops it afterwards.
    _private: Option<PrivatePostgres>,
}

impl DbServer {
    fn url(&self, database: &str) -> String {
        format!("{}{database}{}", self.prefix, self.suffix)
    }

    fn maintenance_url(&self) -> String {
        self.url("postgres")
    }
}

/// Splits `postgres://user@host:5432/name?x=y` into the part before the name and the
/// part after it.
fn split_database_url(url: &str) -> (String, String) {
    let authority_start = url.find("://").map_or(0, |i| i + 3);
    let (before_query, query) = match url[authority_start..].find('?') {
        Some(i) => url.split_at(authority_start + i),
        None => (url, ""),
    };
    match before_query[authority_start..].find('/') {
        Some(i) => (
            before_query[..authority_start + i + 1].to_owned(),
            query.to_owned(),
        ),
        None => (format!("{before_query}/"), query.to_owned()),
    }
}

fn server() -> &'static DbServer {
    static SERVER: OnceLock<DbServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        match std::env::var("DATABASE_URL")
            .ok()
            .filter(|url| !url.trim().is_empty())
        {
            Some(url) => {
                let (prefix, suffix) = split_database_url(url.trim());
                DbServer {
                    prefix,
                    suffix,
                    _private: None,
                }
            }
            None => {
                let private = PrivatePostgres::start()
                    .unwrap_or_else(|error| panic!("cannot start a private PostgreSQL: {error}"));
                private.stop_when_process_exits();
                let (prefix, suffix) = split_database_url(&private.url("postgres"));
                DbServer {
                    prefix,
                    suffix,
                    _private: Some(private),
                }
            }
        }
    })
}

fn connect(url: &str) -> PgConnection {
    let mut last_error = None;
    for _ in 0..20 {
        match PgConnection::establish(url) {
            Ok(conn) => return conn,
            Err(error) => {
                last_error = Some(error);
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
    panic!("cannot connect to {url}: {last_error:?}")
}

/// The URL of the maintenance database of the server this process's tests use, for a
/// child process that should use the same server.
pub fn database_server_url() -> String {
    server().maintenance_url()
}

fn maintenance() -> PgConnection {
    connect(&server().maintenance_url())
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn database_exists(conn: &mut PgConnection, name: &str) -> bool {
    diesel::sql_query("SELECT count(*) AS n FROM pg_database WHERE datname = $1")
        .bind::<Text, _>(name)
        .get_result::<Count>(conn)
        .expect("query pg_database")
        .n
        > 0
}

/// Hashes the contents of files (and their paths relative to the crate), so a change
/// of schema or demo data makes new templates.
fn content_hash(paths: &[PathBuf]) -> String {
    fn collect(path: &Path, into: &mut Vec<PathBuf>) {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .expect("read dir")
                .map(|entry| entry.expect("dir entry").path())
                .collect();
            entries.sort();
            for entry in entries {
                collect(&entry, into);
            }
        } else {
            into.push(path.to_owned());
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for path in paths {
        collect(&root.join(path), &mut files);
    }
    // FNV-1a: stable across compilers, unlike `DefaultHasher`.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in files {
        let relative = file
            .strip_prefix(root)
            .unwrap_or(&file)
            .to_string_lossy()
            .into_owned();
        let contents = std::fs::read(&file).expect("read file for hashing");
        for byte in relative.bytes().chain([0]).chain(contents).chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// Serialises template building between test processes sharing one server.
const TEMPLATE_LOCK: i64 = 0x006c_616d_7468_656f;

/// Makes `name` (once, under an advisory lock) by migrating a fresh database and
/// running `fill` on it; the database is built under a temporary name and renamed, so
/// a half-built template is never cloned.
fn ensure_template(name: &str, fill: fn(&mut PgConnection)) {
    let mut admin = maintenance();
    diesel::sql_query(format!("SELECT pg_advisory_lock({TEMPLATE_LOCK})"))
        .execute(&mut admin)
        .expect("advisory lock");
    if !database_exists(&mut admin, name) {
        let building = format!("{name}_build");
        diesel::sql_query(format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
            .execute(&mut admin)
            .expect("drop half-built template");
        diesel::sql_query(format!("CREATE DATABASE {building}"))
            .execute(&mut admin)
            .expect("create template");
        {
            let mut conn = connect(&server().url(&building));
            lamtheobac::db::migrate(&mut conn).expect("migrate template");
            fill(&mut conn);
        } // Every connection to the template is closed before it is renamed or cloned.
        diesel::sql_query(format!("ALTER DATABASE {building} RENAME TO {name}"))
            .execute(&mut admin)
            .expect("rename template");
    }
    diesel::sql_query(format!("SELECT pg_advisory_unlock({TEMPLATE_LOCK})"))
        .execute(&mut admin)
        .expect("advisory unlock");
}

fn empty_template() -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        let name = format!(
            "lamtheobac_tmpl_{}",
            content_hash(&[PathBuf::from("migrations")])
        );
        ensure_template(&name, |_| {});
        name
    })
}

fn demo_template() -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        let name = format!(
            "lamtheobac_demo_{}",
            content_hash(&[
                PathBuf::from("migrations"),
                PathBuf::from("dev-support/src/demo/data.rs"),
                PathBuf::from("dev-support/src/demo/mod.rs"),
            ])
        );
        ensure_template(&name, |conn| {
            // The files themselves go to each test's own folder (see `spawn_demo`).
            let scratch =
                std::env::temp_dir().join(format!("lamtheobac-demo-seed-{}", std::process::id()));
            let files = lamtheobac::evidence::EvidenceStore::new(
                &scratch,
                lamtheobac::config::DEFAULT_MAX_UPLOAD_BYTES,
            )
            .expect("a folder for the demo's files");
            lamtheobac_dev::demo::seed(conn, DEMO_PASSWORD, &files).expect("seed the demo");
            let _ = std::fs::remove_dir_all(&scratch);
        });
        name
    })
}

pub const DEMO_PASSWORD: &str = "lamtheobac-demo";

/// Clones `template` into a new database for one test; returns its name.
fn create_test_database(template: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "lamtheobac_t_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    let mut admin = maintenance();
    // A template another process is still closing is busy for a moment: retry for
    // five seconds at most.
    let mut busy = None;
    for _ in 0..50 {
        let created = diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .execute(&mut admin);
        match created {
            Ok(_) => return name,
            Err(error) if error.to_string().contains("is being accessed") => {
                busy = Some(error);
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(error) => panic!("CREATE DATABASE {name} TEMPLATE {template}: {error}"),
        }
    }
    panic!("CREATE DATABASE {name} TEMPLATE {template}: still busy after 5 s: {busy:?}")
}

// ---------------------------------------------------------------------------------------
// The application under test
// ---------------------------------------------------------------------------------------

/// A running application on a random port with a database of its own. Dropping it
/// stops the server and drops the database.
pub struct TestApp {
    pub address: String,
    pub db_name: String,
    pub db_url: String,
    /// Where this application keeps evidence files; removed with the application.
    pub upload_dir: std::path::PathBuf,
    /// The largest evidence file this application accepts.
    pub max_upload_bytes: u64,
    /// The application's clock: move it forward to reach a session timeout at once.
    pub clock: lamtheobac::clock::Clock,
    system: Option<actix_web::rt::System>,
    server: Option<actix_web::dev::ServerHandle>,
    thread: Option<JoinHandle<()>>,
}

impl TestApp {
    /// An application on an empty, migrated database.
    pub fn spawn() -> TestApp {
        TestApp::from_template(empty_template(), |_| {})
    }

    /// An application on an empty, migrated database, with some settings changed
    /// (a small `max_upload_bytes`, say).
    pub fn spawn_with(tweak: impl FnOnce(&mut Settings)) -> TestApp {
        TestApp::from_template(empty_template(), tweak)
    }

    /// An application on a database holding the demo data.
    pub fn spawn_demo() -> TestApp {
        let app = TestApp::from_template(demo_template(), |_| {});
        let files = lamtheobac::evidence::EvidenceStore::new(
            &app.upload_dir,
            lamtheobac::config::DEFAULT_MAX_UPLOAD_BYTES,
        )
        .expect("the application's evidence folder");
        lamtheobac_dev::demo::sample_evidence(&files).expect("the demo's sample files");
        app
    }

    fn from_template(template: &str, tweak: impl FnOnce(&mut Settings)) -> TestApp {
        let db_name = create_test_database(template);
        let db_url = server().url(&db_name);
        let upload_dir = std::env::temp_dir().join(format!("lamtheobac-uploads-{db_name}"));
        let clock = lamtheobac::clock::Clock::default();
        let mut settings = Settings {
            database_url: db_url.clone(),
            session_key: lamtheobac::config::random_session_key(),
            bind: "127.0.0.1:0".into(),
            cookie_secure: false,
            pool_size: 4,
            export_pool_size: lamtheobac::config::DEFAULT_EXPORT_POOL_SIZE,
            workers: Some(1),
            upload_dir: upload_dir.clone(),
            max_upload_bytes: lamtheobac::config::DEFAULT_MAX_UPLOAD_BYTES,
            reports: lamtheobac::config::ReportSettings::default(),
            export_stall_limit: lamtheobac::config::DEFAULT_EXPORT_STALL_LIMIT,
            database_wait: None,
            session_limits: lamtheobac::config::SessionLimits::default(),
            clock: clock.clone(),
            trusted_proxies: Default::default(),
            sign_in_limits: Default::default(),
            hashing: lamtheobac::auth::hashing::HashingLimits::for_this_machine(),
            support_contact: Default::default(),
        };
        tweak(&mut settings);
        let clock = settings.clock.clone();
        let max_upload_bytes = settings.max_upload_bytes;
        let upload_dir = settings.upload_dir.clone();
        let (sender, receiver) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let system = actix_web::rt::System::new();
            let built = system.block_on(async {
                let pool = lamtheobac::db::pool(&settings.database_url, settings.pool_size);
                Application::build(&settings, pool)
            });
            let application = match built {
                Ok(application) => application,
                Err(error) => {
                    let _ = sender.send(Err(error.to_string()));
                    return;
                }
            };
            let _ = sender.send(Ok((
                application.port(),
                actix_web::rt::System::current(),
                application.handle(),
            )));
            let _ = system.block_on(application.run());
        });
        let (port, system, handle) = match receiver.recv() {
            Ok(Ok(started)) => started,
            Ok(Err(error)) => {
                drop_database(&db_name);
                panic!("the application did not start: {error}")
            }
            Err(_) => {
                drop_database(&db_name);
                panic!("the application thread died while starting")
            }
        };
        TestApp {
            address: format!("http://127.0.0.1:{port}"),
            db_name,
            db_url,
            upload_dir,
            max_upload_bytes,
            clock,
            system: Some(system),
            server: Some(handle),
            thread: Some(thread),
        }
    }

    /// A new connection to this test's database (for fixtures and checks).
    pub fn db(&self) -> PgConnection {
        connect(&self.db_url)
    }

    /// A new person with a browser of their own (cookies kept, redirects not followed).
    pub fn client(&self) -> Client {
        Client::named(None, &self.address)
    }

    /// A browser that names itself `user_agent` (for the list of sessions).
    pub fn client_named(&self, user_agent: &str) -> Client {
        Client::named(Some(user_agent), &self.address)
    }

    /// A person signed in as `username`; panics when the sign-in is refused.
    pub fn signed_in(&self, username: &str, password: &str) -> Client {
        let client = self.client();
        let page = client.sign_in(username, password);
        assert_eq!(
            page.status, 303,
            "sign-in as {username} refused: {}",
            page.body
        );
        // Secretaries land on their to-do page, the others on the dashboard.
        assert!(
            matches!(page.location.as_deref(), Some("/home" | "/dashboard")),
            "{:?}",
            page.location
        );
        client
    }

    /// How many rows `table` holds.
    pub fn count(&self, table: &str) -> i64 {
        let mut conn = self.db();
        diesel::sql_query(format!("SELECT count(*) AS n FROM {table}"))
            .get_result::<Count>(&mut conn)
            .expect("count rows")
            .n
    }

    /// Counts the rows a query (`SELECT count(*) AS n …`) finds.
    pub fn count_where(&self, sql: &str) -> i64 {
        let mut conn = self.db();
        diesel::sql_query(sql)
            .get_result::<Count>(&mut conn)
            .unwrap_or_else(|error| panic!("{sql}: {error}"))
            .n
    }

    /// One text value from a query (`SELECT … AS v`).
    pub fn text(&self, sql: &str) -> Option<String> {
        #[derive(QueryableByName)]
        struct Value {
            #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
            v: Option<String>,
        }
        let mut conn = self.db();
        diesel::sql_query(sql)
            .get_result::<Value>(&mut conn)
            .unwrap_or_else(|error| panic!("{sql}: {error}"))
            .v
    }

    pub fn initiative(&self, id: i32) -> store::initiatives::Initiative {
        use lamtheobac::schema::initiatives;
        let mut conn = self.db();
        initiatives::table
            .filter(initiatives::id.eq(id))
            .select(store::initiatives::Initiative::as_select())
            .first(&mut conn)
            .expect("initiative exists")
    }

    pub fn unit(&self, id: i32) -> store::units::Unit {
        let mut conn = self.db();
        store::units::find_in_scope(&mut conn, lamtheobac::domain::Scope::Everything, id)
            .expect("query unit")
            .expect("unit exists")
            .into_inner()
    }

    pub fn user(&self, id: i32) -> store::users::User {
        let mut conn = self.db();
        store::users::find(&mut conn, id)
            .expect("query user")
            .expect("user exists")
    }

    pub fn unit_id(&self, code: &str) -> i32 {
        let mut conn = self.db();
        store::units::find_by_code(&mut conn, code)
            .expect("query unit")
            .unwrap_or_else(|| panic!("no unit {code}"))
            .id
    }

    pub fn user_id(&self, username: &str) -> i32 {
        let mut conn = self.db();
        store::users::find_by_username(&mut conn, username)
            .expect("query user")
            .unwrap_or_else(|| panic!("no user {username}"))
            .id
    }

    /// The evidence store of this application (same folder, same limit).
    pub fn evidence_store(&self) -> EvidenceStore {
        EvidenceStore::new(&self.upload_dir, self.max_upload_bytes)
            .expect("the application's evidence folder")
    }

    /// Every regular file under the upload folder (files, thumbnails, temporary
    /// uploads), as sorted paths relative to it.
    pub fn stored_files(&self) -> Vec<String> {
        fn walk(root: &Path, dir: &Path, into: &mut Vec<String>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(root, &path, into);
                } else {
                    into.push(
                        path.strip_prefix(root)
                            .unwrap_or(&path)
                            .to_string_lossy()
                            .into_owned(),
                    );
                }
            }
        }
        let mut files = Vec::new();
        walk(&self.upload_dir, &self.upload_dir, &mut files);
        files.sort();
        files
    }

    /// The stored files under one of the folders (`files`, `thumbs`, `tmp`).
    pub fn stored_files_in(&self, folder: &str) -> Vec<String> {
        let prefix = format!("{folder}/");
        self.stored_files()
            .into_iter()
            .filter(|path| path.starts_with(&prefix))
            .collect()
    }

    /// The id of the first evidence file of an initiative.
    pub fn first_evidence(&self, id: i32) -> i32 {
        i32::try_from(self.count_where(&format!(
            "SELECT min(id)::bigint AS n FROM evidence_files WHERE initiative_id = {id}"
        )))
        .expect("an evidence id")
    }

    /// The review state of an initiative, as stored.
    pub fn review(&self, id: i32) -> String {
        self.initiative(id).review.as_str().to_owned()
    }

    /// How many audit entries an initiative has.
    pub fn audit_count(&self, id: i32) -> i64 {
        self.count_where(&format!(
            "SELECT count(*) AS n FROM audit_log WHERE entity = 'initiative' AND entity_id = {id}"
        ))
    }

    /// Checks that the database refuses to change, backdate or remove audit entries
    /// (those of initiative `id` among them): the log keeps every entry.
    pub fn assert_audit_log_is_append_only(&self, id: i32) {
        let mut conn = self.db();
        let entries = self.count("audit_log");
        for statement in [
            "UPDATE audit_log SET actor_id = NULL".to_owned(),
            format!("UPDATE audit_log SET after = '{{}}'::jsonb WHERE entity_id = {id}"),
            "UPDATE audit_log SET at = at - interval '1 day'".to_owned(),
            "DELETE FROM audit_log".to_owned(),
            format!("DELETE FROM audit_log WHERE entity_id = {id}"),
            "TRUNCATE audit_log".to_owned(),
        ] {
            let result = diesel::sql_query(&statement).execute(&mut conn);
            assert!(result.is_err(), "{statement} must be refused");
        }
        assert_eq!(self.count("audit_log"), entries);
    }
}

fn drop_database(name: &str) {
    let mut admin = maintenance();
    if let Err(error) = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
    {
        eprintln!("could not drop test database {name}: {error}");
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(handle) = self.server.take() {
            // The stop command is sent at once; the returned future only waits for it.
            drop(handle.stop(false));
        }
        if let Some(system) = self.system.take() {
            system.stop();
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        drop_database(&self.db_name);
        let _ = std::fs::remove_dir_all(&self.upload_dir);
    }
}

/// A stable fingerprint of every row the application may change (initiatives, units,
/// users, evidence records, deadlines, reopenings, and how many audit entries there
/// are), to prove that a refused request changed nothing.
pub fn snapshot(app: &TestApp) -> String {
    app.text(
        "SELECT concat_ws('|', \
           (SELECT string_agg(i::text, ';' ORDER BY i.id) FROM initiatives i), \
           (SELECT string_agg(concat_ws(',', u.id, u.code, u.name, u.kind, u.parent_id, u.path, \
                u.expected_to_register, u.active), ';' ORDER BY u.id) FROM units u), \
           (SELECT string_agg(concat_ws(',', s.id, s.username, s.display_name, s.password_hash, \
                s.role, s.unit_id, s.active), ';' ORDER BY s.id) FROM users s), \
           (SELECT string_agg(concat_ws(',', e.id, e.initiative_id, e.sha256, e.original_name, \
                e.content_type, e.size_bytes, e.removed_by, e.removed_at), ';' ORDER BY e.id) \
              FROM evidence_files e), \
           (SELECT string_agg(d::text, ';' ORDER BY d.year, d.unit_id) FROM deadlines d), \
           (SELECT string_agg(r::text, ';' ORDER BY r.year, r.unit_id) \
              FROM registration_reopenings r), \
           (SELECT count(*) FROM audit_log)) AS v",
    )
    .unwrap_or_default()
}

/// The most memory this process has held (VmHWM), in bytes, after resetting the mark to
/// what it holds now: what the next steps add can be read from it.
pub fn reset_peak_memory() -> u64 {
    // Writing 5 to clear_refs resets the peak to the current size (Linux 4.0 and later).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    memory_figure("VmRSS:")
}

/// A figure of /proc/self/status (`VmRSS:`, `VmHWM:`), in bytes; 0 when missing.
pub fn memory_figure(name: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(name))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map_or(0, |kib| kib * 1024)
}
