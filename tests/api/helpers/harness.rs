//! The test harness: one PostgreSQL server per test process, template databases built
//! once, one database and one running application per test, and an HTTP client per
//! simulated person.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use lamtheobac::Application;
use lamtheobac::auth::Scope;
use lamtheobac::config::Settings;
use lamtheobac::domain::initiative::InitiativeDraft;
use lamtheobac::domain::workflow::{self, Step};
use lamtheobac::domain::{Field, InitiativeKind, Role, Status, UnitKind, Vnd, Year};
use lamtheobac::evidence::EvidenceStore;
use lamtheobac::private_postgres::PrivatePostgres;
use lamtheobac::store;
use lamtheobac::store::evidence::NewEvidence;
use lamtheobac::store::initiatives::{CompletionReport, StepChange, StepOutcome};
use lamtheobac::store::units::UnitFields;
use lamtheobac::store::users::NewUser;

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
                PathBuf::from("src/demo/data.rs"),
                PathBuf::from("src/demo/mod.rs"),
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
            lamtheobac::demo::seed(conn, DEMO_PASSWORD, &files).expect("seed the demo");
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
    let mut attempt = 0;
    loop {
        let created = diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .execute(&mut admin);
        match created {
            Ok(_) => return name,
            Err(error) if attempt < 50 && error.to_string().contains("is being accessed") => {
                attempt += 1;
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(error) => panic!("CREATE DATABASE {name} TEMPLATE {template}: {error}"),
        }
    }
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
        lamtheobac::demo::sample_evidence(&files).expect("the demo's sample files");
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
        self.client_with(ureq::AgentBuilder::new())
    }

    /// A browser that names itself `user_agent` (for the list of sessions).
    pub fn client_named(&self, user_agent: &str) -> Client {
        self.client_with(ureq::AgentBuilder::new().user_agent(user_agent))
    }

    fn client_with(&self, builder: ureq::AgentBuilder) -> Client {
        Client::with_agent(builder, &self.address)
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
        assert_eq!(page.location.as_deref(), Some("/dashboard"));
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
        store::units::find_in_scope(&mut conn, lamtheobac::auth::Scope::Everything, id)
            .expect("query unit")
            .expect("unit exists")
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

// ---------------------------------------------------------------------------------------
// The HTTP client
// ---------------------------------------------------------------------------------------

/// One answer, whatever its status.
#[derive(Debug, Clone)]
pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Page {
    fn from_response(response: ureq::Response) -> Page {
        let status = response.status();
        let location = response.header("location").map(str::to_owned);
        let content_type = response
            .header("content-type")
            .unwrap_or_default()
            .to_owned();
        let headers = response
            .headers_names()
            .into_iter()
            .flat_map(|name| {
                response
                    .all(&name)
                    .into_iter()
                    .map(|value| (name.clone(), value.to_owned()))
                    .collect::<Vec<_>>()
            })
            .collect();
        let body = response.into_string().unwrap_or_default();
        Page {
            status,
            location,
            content_type,
            headers,
            body,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.body))
    }

    /// Whether the page has `<p class="field-error" id="error-FIELD">`.
    pub fn has_field_error(&self, field: &str) -> bool {
        self.field_errors().iter().any(|name| name == field)
    }

    /// The text of the field error of `field`, if any.
    pub fn field_error(&self, field: &str) -> Option<String> {
        self.has_field_error(field)
            .then(|| element_text_at(&self.body, &format!("id=\"error-{field}\"")))
            .flatten()
    }

    /// Every field that has an error on the page (elements of class `field-error`
    /// with the id `error-FIELD`), in page order.
    pub fn field_errors(&self) -> Vec<String> {
        let marker = "id=\"error-";
        self.body
            .match_indices(marker)
            .filter_map(|(at, _)| {
                let tag_start = self.body[..at].rfind('<')?;
                let tag_end = at + self.body[at..].find('>')?;
                if !self.body[tag_start..tag_end].contains("field-error") {
                    return None;
                }
                let rest = &self.body[at + marker.len()..];
                rest.find('"').map(|end| rest[..end].to_owned())
            })
            .collect()
    }

    /// The text of the element carrying `data-figure="NAME"`.
    pub fn figure(&self, name: &str) -> Option<String> {
        element_text_at(&self.body, &format!("data-figure=\"{name}\""))
    }

    /// The values of `attribute="…"` everywhere on the page (e.g. every `data-initiative`).
    pub fn attribute_values(&self, attribute: &str) -> Vec<String> {
        let marker = format!("{attribute}=\"");
        self.body
            .match_indices(&marker)
            .filter_map(|(at, _)| {
                let rest = &self.body[at + marker.len()..];
                rest.find('"').map(|end| rest[..end].to_owned())
            })
            .collect()
    }

    /// The ids of the initiative rows of a list page.
    pub fn initiative_rows(&self) -> Vec<i32> {
        self.attribute_values("data-initiative")
            .iter()
            .filter_map(|id| id.parse().ok())
            .collect()
    }

    /// The total of a list page (`data-total="N"`).
    pub fn total(&self) -> Option<i64> {
        self.attribute_values("data-total")
            .first()
            .and_then(|total| total.parse().ok())
    }

    /// The message of a refused workflow step (`id="refusal"`), as text.
    pub fn refusal(&self) -> Option<String> {
        element_text_at(&self.body, "id=\"refusal\"")
    }

    /// The review state the detail page shows (`data-review="…"`).
    pub fn review(&self) -> Option<String> {
        self.attribute_values("data-review").into_iter().next()
    }

    /// Where the page link marked `data-page-link="NAME"` ("next", "previous", "first")
    /// leads, if the page has that link.
    pub fn page_link(&self, name: &str) -> Option<String> {
        let html = self.element_html(&format!("data-page-link=\"{name}\""))?;
        let tag = &html[..html.find('>')?];
        let start = tag.find("href=\"")? + "href=\"".len();
        let end = start + tag[start..].find('"')?;
        Some(unescape(&tag[start..end]))
    }

    /// The opening tag and contents of the element carrying `attribute`, as raw HTML.
    pub fn element_html(&self, attribute: &str) -> Option<String> {
        element_html_at(&self.body, attribute)
    }
}

/// The element whose opening tag contains `marker`: its raw HTML up to its closing tag.
fn element_html_at(body: &str, marker: &str) -> Option<String> {
    let at = body.find(marker)?;
    let tag_start = body[..at].rfind('<')?;
    let name: String = body[tag_start + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let open_end = at + body[at..].find('>')? + 1;
    // Nested elements of the same name are counted, so the right closing tag is found.
    let (open, close) = (format!("<{name}"), format!("</{name}>"));
    let mut depth = 1;
    let mut cursor = open_end;
    while depth > 0 {
        let next_close = cursor + body[cursor..].find(&close)?;
        match body[cursor..next_close].find(&open) {
            Some(nested)
                if body[cursor + nested + open.len()..]
                    .starts_with(|c: char| c == '>' || c.is_whitespace()) =>
            {
                depth += 1;
                cursor += nested + open.len();
            }
            Some(nested) => cursor += nested + open.len(),
            None => {
                depth -= 1;
                cursor = next_close + close.len();
            }
        }
    }
    Some(body[tag_start..cursor].to_owned())
}

/// The text inside the element whose opening tag contains `marker`, tags stripped,
/// whitespace collapsed, entities for `&`, `<`, `>`, quotes and `/` decoded.
fn element_text_at(body: &str, marker: &str) -> Option<String> {
    let html = element_html_at(body, marker)?;
    let inner_start = html.find('>')? + 1;
    let inner_end = html.rfind("</").unwrap_or(html.len()).max(inner_start);
    Some(text_of(&html[inner_start..inner_end]))
}

/// Strips tags and collapses whitespace.
pub fn text_of(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = unescape(&text);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Undoes the escaping tera applies.
pub fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// Escapes text the way tera's autoescape does.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#x27;"),
            '/' => escaped.push_str("&#x2F;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// Whether the page shows `value` in a form input (as tera escapes it).
pub fn keeps_value(page: &Page, value: &str) -> bool {
    let escaped = escape(value);
    page.body.contains(&format!("value=\"{escaped}\""))
        || page.body.contains(&format!(">{escaped}</textarea>"))
}

/// A simulated person: a browser that keeps cookies and does not follow redirects.
pub struct Client {
    agent: ureq::Agent,
    pub base: String,
}

impl Client {
    /// A person's browser for the application at `base` (`http://127.0.0.1:PORT`).
    pub fn at(base: &str) -> Client {
        Client::with_agent(ureq::AgentBuilder::new(), base)
    }

    /// A browser built from `builder`: redirects not followed, 30 s per request.
    fn with_agent(builder: ureq::AgentBuilder, base: &str) -> Client {
        Client {
            agent: builder
                .redirects(0)
                .timeout(Duration::from_secs(30))
                .build(),
            base: base.to_owned(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn finish(result: Result<ureq::Response, ureq::Error>) -> Page {
        match result {
            Ok(response) => Page::from_response(response),
            Err(ureq::Error::Status(_, response)) => Page::from_response(response),
            Err(error) => panic!("request failed: {error}"),
        }
    }

    pub fn get(&self, path: &str) -> Page {
        Client::finish(self.agent.get(&self.url(path)).call())
    }

    /// Follows `Location` of a 303 once.
    pub fn follow(&self, page: &Page) -> Page {
        let location = page
            .location
            .as_deref()
            .unwrap_or_else(|| panic!("no Location on a {} answer", page.status));
        self.get(location)
    }

    pub fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        Client::finish(self.agent.post(&self.url(path)).send_form(fields))
    }

    /// A form post with this session's CSRF token added.
    pub fn post_form_csrf(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf_token();
        let mut with_token: Vec<(&str, &str)> = fields.to_vec();
        with_token.push(("csrf_token", &token));
        self.post_form(path, &with_token)
    }

    /// A `multipart/form-data` POST of these parts, in this order.
    pub fn post_multipart(&self, path: &str, parts: &[Part]) -> Page {
        let (content_type, body) = multipart_body(parts);
        self.post_raw(path, &content_type, &body)
    }

    /// A multipart POST with this session's CSRF token as the first part, as the
    /// application's forms send it.
    pub fn post_multipart_csrf(&self, path: &str, parts: &[Part]) -> Page {
        let mut all = vec![Part::text("csrf_token", &self.csrf_token())];
        all.extend_from_slice(parts);
        self.post_multipart(path, &all)
    }

    /// A GET whose body is kept as bytes (downloads).
    pub fn download(&self, path: &str) -> Download {
        let response = match self.agent.get(&self.url(path)).call() {
            Ok(response) => response,
            Err(ureq::Error::Status(_, response)) => response,
            Err(error) => panic!("request failed: {error}"),
        };
        let status = response.status();
        let headers = response
            .headers_names()
            .into_iter()
            .filter_map(|name| {
                let value = response.header(&name)?.to_owned();
                Some((name, value))
            })
            .collect();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut response.into_reader(), &mut bytes).expect("read the body");
        Download {
            status,
            headers,
            bytes,
        }
    }

    /// A POST with a body sent as is.
    pub fn post_raw(&self, path: &str, content_type: &str, body: &[u8]) -> Page {
        Client::finish(
            self.agent
                .post(&self.url(path))
                .set("Content-Type", content_type)
                .send_bytes(body),
        )
    }

    /// Any method, no body.
    pub fn request(&self, method: &str, path: &str) -> Page {
        Client::finish(self.agent.request(method, &self.url(path)).call())
    }

    /// The session's CSRF token, read from a page with a form.
    pub fn csrf_token(&self) -> String {
        let mut page = self.get("/login");
        if page.status == 303 {
            page = self.get("/account/password");
        }
        csrf_in(&page.body).unwrap_or_else(|| {
            panic!(
                "no csrf_token on {} page (status {}): {}",
                if page.status == 303 { "?" } else { "the" },
                page.status,
                page.body
            )
        })
    }

    /// Another browser holding a copy of this one's cookies (a stolen session cookie).
    pub fn copy(&self) -> Client {
        let cookies = self.agent.cookie_store().clone();
        Client {
            agent: ureq::AgentBuilder::new()
                .redirects(0)
                .timeout(Duration::from_secs(30))
                .cookie_store(cookies)
                .build(),
            base: self.base.clone(),
        }
    }

    /// The current value of the session cookie, if any.
    pub fn session_cookie(&self) -> Option<String> {
        let store = self.agent.cookie_store();
        store
            .iter_unexpired()
            .find(|cookie| cookie.name() == "lamtheobac_session")
            .map(|cookie| cookie.value().to_owned())
    }

    pub fn sign_in(&self, username: &str, password: &str) -> Page {
        let token = self.csrf_token();
        self.post_form(
            "/login",
            &[
                ("username", username),
                ("password", password),
                ("csrf_token", &token),
            ],
        )
    }

    /// Signs in through a reverse proxy that says the request came from `forwarded_for`
    /// (the `X-Forwarded-For` header; believed only when TRUSTED_PROXIES says so).
    pub fn sign_in_forwarded_for(
        &self,
        username: &str,
        password: &str,
        forwarded_for: &str,
    ) -> Page {
        let token = self.csrf_token();
        Client::finish(
            self.agent
                .post(&self.url("/login"))
                .set("X-Forwarded-For", forwarded_for)
                .send_form(&[
                    ("username", username),
                    ("password", password),
                    ("csrf_token", &token),
                ]),
        )
    }

    pub fn sign_out(&self) -> Page {
        let token = self.csrf_token();
        self.post_form("/logout", &[("csrf_token", &token)])
    }

    /// Whether this client is signed in (the dashboard answers instead of a redirect).
    pub fn is_signed_in(&self) -> bool {
        self.get("/dashboard").status == 200
    }
}

/// A downloaded file, whatever its status.
#[derive(Debug, Clone)]
pub struct Download {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub bytes: Vec<u8>,
}

impl Download {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// One part of a multipart body: a text field, or a file.
#[derive(Debug, Clone)]
pub struct Part {
    pub name: String,
    /// The file name and Content-Type of a file part.
    pub file: Option<(String, String)>,
    pub bytes: Vec<u8>,
}

impl Part {
    pub fn text(name: &str, value: &str) -> Part {
        Part {
            name: name.to_owned(),
            file: None,
            bytes: value.as_bytes().to_vec(),
        }
    }

    /// A file in the `files` input, as browsers send it.
    pub fn file(file_name: &str, content_type: &str, bytes: &[u8]) -> Part {
        Part {
            name: "files".to_owned(),
            file: Some((file_name.to_owned(), content_type.to_owned())),
            bytes: bytes.to_vec(),
        }
    }
}

/// The Content-Type and the body of a multipart/form-data request.
pub fn multipart_body(parts: &[Part]) -> (String, Vec<u8>) {
    const BOUNDARY: &str = "----lamtheobac-kiem-thu-7f3a9c2e1b";
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match &part.file {
            Some((file_name, content_type)) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{}\"; filename=\"{file_name}\"\r\n\
                     Content-Type: {content_type}\r\n\r\n",
                    part.name
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{}\"\r\n\r\n",
                    part.name
                )
                .as_bytes(),
            ),
        }
        body.extend_from_slice(&part.bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// The value of the `csrf_token` input on a page.
pub fn csrf_in(body: &str) -> Option<String> {
    let at = body.find("name=\"csrf_token\"")?;
    let tag_start = body[..at].rfind('<')?;
    let tag_end = at + body[at..].find('>')?;
    let tag = &body[tag_start..tag_end];
    let value_at = tag.find("value=\"")? + "value=\"".len();
    let value_end = value_at + tag[value_at..].find('"')?;
    Some(unescape(&tag[value_at..value_end]))
}

// ---------------------------------------------------------------------------------------
// Fixtures, written straight through the store
// ---------------------------------------------------------------------------------------

/// The password of every fixture account.
pub const PASSWORD: &str = "mat-khau-kiem-thu-1";

/// argon2 is slow on purpose: hash each password once per process.
pub fn password_hash(password: &str) -> String {
    static HASHES: OnceLock<Mutex<Vec<(String, String)>>> = OnceLock::new();
    let hashes = HASHES.get_or_init(|| Mutex::new(Vec::new()));
    let mut hashes = hashes
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, hash)) = hashes.iter().find(|(known, _)| known == password) {
        return hash.clone();
    }
    let hash = lamtheobac::auth::password::hash(password).expect("hash password");
    hashes.push((password.to_owned(), hash.clone()));
    hash
}

pub fn create_unit(
    conn: &mut PgConnection,
    code: &str,
    name: &str,
    kind: UnitKind,
    parent_id: Option<i32>,
    expected_to_register: bool,
) -> i32 {
    store::units::insert(
        conn,
        None,
        &UnitFields {
            code: code.to_owned(),
            name: name.to_owned(),
            kind,
            parent_id,
            expected_to_register,
            active: true,
        },
    )
    .expect("insert unit")
    .id
}

pub fn deactivate_unit(conn: &mut PgConnection, unit_id: i32) {
    use lamtheobac::schema::units;
    diesel::update(units::table.filter(units::id.eq(unit_id)))
        .set(units::active.eq(false))
        .execute(conn)
        .expect("deactivate unit");
}

pub fn create_user(
    conn: &mut PgConnection,
    username: &str,
    role: Role,
    unit_id: Option<i32>,
    active: bool,
) -> i32 {
    store::users::insert(
        conn,
        None,
        &NewUser {
            username: username.to_owned(),
            display_name: format!("Người dùng {username}"),
            password_hash: password_hash(PASSWORD),
            role,
            unit_id,
            active,
            must_change_password: false,
        },
    )
    .expect("insert user")
}

/// The values of one fixture initiative; the rest is filled in by [`create_initiative`].
pub struct Spec<'a> {
    pub unit_id: i32,
    pub year: i32,
    pub title: &'a str,
    pub field: Field,
    pub status: Status,
    pub estimated: i64,
    pub actual: Option<i64>,
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// Registers an initiative straight through the store, as the registration form does:
/// it waits for approval. A completed one cannot be inserted (the database keeps
/// `completed` for accepted initiatives): use [`complete_through_workflow`].
pub fn create_initiative(conn: &mut PgConnection, actor_id: i32, spec: Spec<'_>) -> i32 {
    assert!(
        spec.status != Status::Completed,
        "a completed initiative goes through the workflow (complete_through_workflow)"
    );
    let draft = InitiativeDraft {
        year: Year::new(spec.year).expect("year"),
        kind: InitiativeKind::Model,
        title: spec.title.to_owned(),
        field: spec.field,
        description: format!("Mô tả của {}", spec.title),
        unit_id: spec.unit_id,
        estimated_cost: Vnd::new(spec.estimated).expect("money"),
        actual_value: spec.actual.map(|dong| Vnd::new(dong).expect("money")),
        status: spec.status,
        start_date: date(spec.year, 2, 1),
        due_date: date(spec.year, 11, 30),
        completion_date: None,
    };
    store::initiatives::insert(conn, actor_id, &draft).expect("insert initiative")
}

/// Registers `count` initiatives ("PREFIX 0", "PREFIX 1"…) of `year` for `unit_id`, field
/// "other", one transaction each, oldest first; returns their ids.
pub fn register_many(
    conn: &mut PgConnection,
    actor_id: i32,
    unit_id: i32,
    year: i32,
    count: usize,
    prefix: &str,
) -> Vec<i32> {
    (0..count)
        .map(|number| {
            let title = format!("{prefix} {number}");
            create_initiative(
                conn,
                actor_id,
                Spec {
                    unit_id,
                    year,
                    title: &title,
                    field: Field::Other,
                    status: Status::Registered,
                    estimated: 0,
                    actual: None,
                },
            )
        })
        .collect()
}

/// What a workflow step taken through the store carries besides the step itself.
#[derive(Default)]
pub struct StepExtras<'a> {
    pub reason: Option<&'a str>,
    pub report: Option<CompletionReport>,
    pub files: &'a [NewEvidence],
}

/// Takes one workflow step straight through the store, as `actor_id` (role and scope
/// read from the database), after checking it against the application's rules, the
/// way the handlers do. Panics if the step is refused.
pub fn take_step(
    conn: &mut PgConnection,
    actor_id: i32,
    id: i32,
    step: Step,
    extras: StepExtras<'_>,
) {
    use lamtheobac::schema::initiatives;
    let actor = store::users::find(conn, actor_id)
        .expect("query user")
        .expect("the actor exists");
    let scope = match (actor.role, actor.unit_id) {
        (Role::Admin, _) => Scope::Everything,
        (_, Some(unit_id)) => Scope::Subtree(unit_id),
        (_, None) => panic!("a non-admin without a unit"),
    };
    let item: store::initiatives::Initiative = initiatives::table
        .filter(initiatives::id.eq(id))
        .select(store::initiatives::Initiative::as_select())
        .first(conn)
        .expect("the initiative exists");
    let transition = workflow::check(
        step,
        workflow::Request {
            role: actor.role,
            actor_id,
            created_by: item.created_by,
            review: item.review,
            status: item.status,
            carried_over: initiatives::table
                .filter(initiatives::carried_from_id.eq(id))
                .count()
                .get_result::<i64>(conn)
                .expect("count carried")
                > 0,
        },
    )
    .unwrap_or_else(|refusal| panic!("{step:?} on #{id} refused: {}", refusal.message_vi()));
    let change = StepChange {
        transition,
        reason: extras.reason,
        report: extras.report.as_ref(),
        files: extras.files,
    };
    let outcome =
        store::initiatives::take_step(conn, actor_id, scope, id, &change).expect("take the step");
    assert_eq!(outcome, StepOutcome::Done, "{step:?} on #{id}");
}

/// A small PDF, as a scanned record of acceptance would be (the sniffer needs the header).
pub const SAMPLE_PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n\
trailer << /Root 1 0 R >>\n%%EOF\n";

/// Stores `bytes` in the application's evidence folder, as an upload would, and gives
/// the record to attach to a report.
pub fn stored_evidence(app: &TestApp, name: &str, bytes: &[u8]) -> NewEvidence {
    let file = app
        .evidence_store()
        .store_bytes(name, bytes)
        .unwrap_or_else(|error| panic!("store {name}: {error}"));
    NewEvidence {
        sha256: file.sha256,
        original_name: file.original_name,
        content_type: file.kind.mime(),
        size_bytes: i64::try_from(file.size_bytes).expect("size"),
    }
}

/// Walks an approved initiative to completion: `reporter` reports `actual` đồng on
/// `completed_on` with `files`, `reviewer` accepts.
pub fn complete_through_workflow(
    conn: &mut PgConnection,
    id: i32,
    reporter: i32,
    reviewer: i32,
    actual: i64,
    completed_on: NaiveDate,
    files: &[NewEvidence],
) {
    let report = CompletionReport {
        actual_value: Vnd::new(actual).expect("money"),
        completion_date: completed_on,
        result_summary: "Đã hoàn thành, có biên bản nghiệm thu kèm theo.".to_owned(),
    };
    take_step(
        conn,
        reporter,
        id,
        Step::Report,
        StepExtras {
            report: Some(report),
            files,
            ..StepExtras::default()
        },
    );
    take_step(conn, reviewer, id, Step::Accept, StepExtras::default());
}

/// The hand-built organisation used by most tests.
///
/// ```text
/// TU  Tỉnh ủy Thử nghiệm (province, not expected)
/// ├── KA  Đảng ủy Khối A (bloc, not expected)
/// │   ├── C1   Đảng bộ Cải cách (grassroots committee, expected)
/// │   │   ├── C1A  Chi bộ Văn phòng (attached cell, expected)
/// │   │   └── C1B  Chi bộ Kế toán (attached cell, expected)
/// │   ├── C2   Chi bộ Sở Thử (grassroots cell, expected)
/// │   ├── M    Đoàn Thanh niên Khối A (mass organisation, expected)
/// │   ├── X    Chi bộ Đã giải thể (grassroots cell, expected but INACTIVE)
/// │   └── N    Ban Đại diện (grassroots cell, NOT expected to register)
/// └── KB  Đảng ủy Khối B (bloc, not expected)
///     └── B1   Chi bộ Doanh nghiệp B (grassroots cell, expected)
/// ```
///
/// Accounts: `quantri` (admin), `bithu.c1` (secretary of C1), `bithu.c2` (of C2),
/// `bithu.b1` (of B1), `khoi.a` (reviewer of KA), `khoi.b` (reviewer of KB), and
/// `da.khoa` (secretary of C1, deactivated).
///
/// Initiatives (money in đồng), registered by `by`, reviewed by their bloc's reviewer:
///
/// | # | unit | year | status      | review           | estimated   | actual      | field           | by       |
/// |---|------|------|-------------|------------------|-------------|-------------|-----------------|----------|
/// | 1 | C1   | 2022 | completed   | accepted         | 100.000.000 | 120.000.000 | professional    | bithu.c1 |
/// | 2 | C1A  | 2022 | completed   | accepted         |  50.000.000 |  45.500.000 | admin_reform    | bithu.c1 |
/// | 3 | C1A  | 2022 | in_progress | approved         |  30.000.000 |             | social_welfare  | bithu.c1 |
/// | 4 | C2   | 2022 | registered  | pending_approval |  20.000.000 |             | serving_people  | bithu.c2 |
/// | 5 | C2   | 2022 | cancelled   | approved         |  10.000.000 |             | cultural_office | bithu.c2 |
/// | 6 | M    | 2022 | completed   | accepted         |   5.000.000 |   7.250.000 | professional    | quantri  |
/// | 7 | N    | 2022 | completed   | accepted         |   1.000.000 |   1.000.000 | other           | quantri  |
/// | 8 | B1   | 2022 | completed   | accepted         | 999.000.000 | 888.000.000 | professional    | bithu.b1 |
/// | 9 | C2   | 2023 | in_progress | approved         |   3.000.000 |             | admin_reform    | bithu.c2 |
///
/// Everything but #4 was approved by the bloc's reviewer; the completed ones were then
/// reported by whoever registered them (completion date 15/11 of the year, with the
/// same PDF as evidence, [`SAMPLE_PDF`]) and accepted by the bloc's reviewer: they went
/// through the real workflow, so each is at version 4 and has its history.
pub struct Fixture {
    pub tu: i32,
    pub ka: i32,
    pub c1: i32,
    pub c1a: i32,
    pub c1b: i32,
    pub c2: i32,
    pub m: i32,
    pub x: i32,
    pub n: i32,
    pub kb: i32,
    pub b1: i32,
    pub admin: i32,
    pub sec_c1: i32,
    pub sec_c2: i32,
    pub sec_b1: i32,
    pub rev_a: i32,
    pub rev_b: i32,
    pub locked: i32,
    /// The initiatives, in the order of the table above (index 0 is #1).
    pub items: Vec<i32>,
}

/// Usernames of the fixture accounts.
pub const ADMIN: &str = "quantri";
pub const SEC_C1: &str = "bithu.c1";
pub const SEC_C2: &str = "bithu.c2";
pub const SEC_B1: &str = "bithu.b1";
pub const REV_A: &str = "khoi.a";
pub const REV_B: &str = "khoi.b";
pub const LOCKED: &str = "da.khoa";

impl Fixture {
    pub fn build(app: &TestApp) -> Fixture {
        use Field::*;
        use Status::*;
        use UnitKind::*;
        let mut conn = app.db();
        let conn = &mut conn;
        let tu = create_unit(
            conn,
            "TU",
            "Tỉnh ủy Thử nghiệm",
            ProvinceCommittee,
            None,
            false,
        );
        let ka = create_unit(conn, "KA", "Đảng ủy Khối A", BlocCommittee, Some(tu), false);
        let c1 = create_unit(
            conn,
            "C1",
            "Đảng bộ Cải cách",
            GrassrootsCommittee,
            Some(ka),
            true,
        );
        let c1a = create_unit(
            conn,
            "C1A",
            "Chi bộ Văn phòng",
            AttachedCell,
            Some(c1),
            true,
        );
        let c1b = create_unit(conn, "C1B", "Chi bộ Kế toán", AttachedCell, Some(c1), true);
        let c2 = create_unit(conn, "C2", "Chi bộ Sở Thử", GrassrootsCell, Some(ka), true);
        let m = create_unit(
            conn,
            "M",
            "Đoàn Thanh niên Khối A",
            MassOrganization,
            Some(ka),
            true,
        );
        let x = create_unit(
            conn,
            "X",
            "Chi bộ Đã giải thể",
            GrassrootsCell,
            Some(ka),
            true,
        );
        deactivate_unit(conn, x);
        let n = create_unit(conn, "N", "Ban Đại diện", GrassrootsCell, Some(ka), false);
        let kb = create_unit(conn, "KB", "Đảng ủy Khối B", BlocCommittee, Some(tu), false);
        let b1 = create_unit(
            conn,
            "B1",
            "Chi bộ Doanh nghiệp B",
            GrassrootsCell,
            Some(kb),
            true,
        );

        let admin = create_user(conn, ADMIN, Role::Admin, None, true);
        let sec_c1 = create_user(conn, SEC_C1, Role::Secretary, Some(c1), true);
        let sec_c2 = create_user(conn, SEC_C2, Role::Secretary, Some(c2), true);
        let sec_b1 = create_user(conn, SEC_B1, Role::Secretary, Some(b1), true);
        let rev_a = create_user(conn, REV_A, Role::Reviewer, Some(ka), true);
        let rev_b = create_user(conn, REV_B, Role::Reviewer, Some(kb), true);
        let locked = create_user(conn, LOCKED, Role::Secretary, Some(c1), false);

        #[rustfmt::skip]
        let specs = [
            (sec_c1, Spec { unit_id: c1, year: 2022, title: "Cải cách thủ tục hành chính một cửa", field: Professional, status: Completed, estimated: 100_000_000, actual: Some(120_000_000) }),
            (sec_c1, Spec { unit_id: c1a, year: 2022, title: "Số hóa hồ sơ lưu trữ", field: AdminReform, status: Completed, estimated: 50_000_000, actual: Some(45_500_000) }),
            (sec_c1, Spec { unit_id: c1a, year: 2022, title: "Quỹ khuyến học", field: SocialWelfare, status: InProgress, estimated: 30_000_000, actual: None }),
            (sec_c2, Spec { unit_id: c2, year: 2022, title: "Tiếp dân ngày thứ bảy", field: ServingPeople, status: Registered, estimated: 20_000_000, actual: None }),
            (sec_c2, Spec { unit_id: c2, year: 2022, title: "Vườn hoa công sở", field: CulturalOffice, status: Cancelled, estimated: 10_000_000, actual: None }),
            (admin, Spec { unit_id: m, year: 2022, title: "Thắp sáng đường quê", field: Professional, status: Completed, estimated: 5_000_000, actual: Some(7_250_000) }),
            (admin, Spec { unit_id: n, year: 2022, title: "Tủ sách pháp luật", field: Other, status: Completed, estimated: 1_000_000, actual: Some(1_000_000) }),
            (sec_b1, Spec { unit_id: b1, year: 2022, title: "Nhà tình nghĩa Khối B", field: Professional, status: Completed, estimated: 999_000_000, actual: Some(888_000_000) }),
            (sec_c2, Spec { unit_id: c2, year: 2023, title: "Một cửa điện tử", field: AdminReform, status: InProgress, estimated: 3_000_000, actual: None }),
        ];
        let evidence = [stored_evidence(app, "bien-ban-nghiem-thu.pdf", SAMPLE_PDF)];
        let items = specs
            .into_iter()
            .map(|(actor, spec)| {
                let (status, actual, year) = (spec.status, spec.actual, spec.year);
                let reviewer = if spec.unit_id == b1 { rev_b } else { rev_a };
                let registered_as = match status {
                    Completed => InProgress,
                    other => other,
                };
                let id = create_initiative(
                    conn,
                    actor,
                    Spec {
                        status: registered_as,
                        actual: None,
                        ..spec
                    },
                );
                if status != Registered {
                    take_step(conn, reviewer, id, Step::Approve, StepExtras::default());
                }
                if status == Completed {
                    let actual = actual.expect("a completed fixture has its value");
                    complete_through_workflow(
                        conn,
                        id,
                        actor,
                        reviewer,
                        actual,
                        date(year, 11, 15),
                        &evidence,
                    );
                }
                id
            })
            .collect();
        Fixture {
            tu,
            ka,
            c1,
            c1a,
            c1b,
            c2,
            m,
            x,
            n,
            kb,
            b1,
            admin,
            sec_c1,
            sec_c2,
            sec_b1,
            rev_a,
            rev_b,
            locked,
            items,
        }
    }

    /// Initiative #n of the table (1-based, as in the documentation).
    pub fn item(&self, number: usize) -> i32 {
        self.items[number - 1]
    }
}

/// The review states, in workflow order.
pub const REVIEW_STATES: [&str; 6] = [
    "pending_approval",
    "returned_registration",
    "approved",
    "pending_acceptance",
    "returned_completion",
    "accepted",
];

/// Registers an initiative of C2 for 2022 (by its secretary, in progress) and walks it
/// straight through the store to `state`, as the bloc's reviewer and the secretary
/// would: returns carry a reason, the report carries [`SAMPLE_PDF`].
pub fn initiative_in_state(app: &TestApp, fx: &Fixture, title: &str, state: &str) -> i32 {
    let mut conn = app.db();
    let conn = &mut conn;
    let id = create_initiative(
        conn,
        fx.sec_c2,
        Spec {
            unit_id: fx.c2,
            year: 2022,
            title,
            field: Field::ServingPeople,
            status: Status::InProgress,
            estimated: 2_000_000,
            actual: None,
        },
    );
    let reason = StepExtras {
        reason: Some("Cần nêu rõ kết quả."),
        ..StepExtras::default()
    };
    let evidence = [stored_evidence(app, "bien-ban-nghiem-thu.pdf", SAMPLE_PDF)];
    let report = || StepExtras {
        report: Some(CompletionReport {
            actual_value: Vnd::new(1_500_000).expect("money"),
            completion_date: date(2022, 11, 15),
            result_summary: "Đã xong.".to_owned(),
        }),
        files: &evidence,
        ..StepExtras::default()
    };
    let approve = |conn: &mut PgConnection| {
        take_step(conn, fx.rev_a, id, Step::Approve, StepExtras::default())
    };
    match state {
        "pending_approval" => {}
        "returned_registration" => take_step(conn, fx.rev_a, id, Step::Return, reason),
        "approved" => approve(conn),
        "pending_acceptance" => {
            approve(conn);
            take_step(conn, fx.sec_c2, id, Step::Report, report());
        }
        "returned_completion" => {
            approve(conn);
            take_step(conn, fx.sec_c2, id, Step::Report, report());
            take_step(conn, fx.rev_a, id, Step::Return, reason);
        }
        "accepted" => {
            approve(conn);
            take_step(conn, fx.sec_c2, id, Step::Report, report());
            take_step(conn, fx.rev_a, id, Step::Accept, StepExtras::default());
        }
        other => panic!("no review state {other}"),
    }
    assert_eq!(app.review(id), state);
    id
}

/// An application with the hand-built fixture.
pub fn app_with_fixture() -> (TestApp, Fixture) {
    let app = TestApp::spawn();
    let fixture = Fixture::build(&app);
    (app, fixture)
}

/// A complete, valid registration form for `unit_id`; override fields as needed.
pub fn initiative_form(unit_id: i32) -> Vec<(&'static str, String)> {
    vec![
        ("year", "2022".to_owned()),
        ("kind", "model".to_owned()),
        ("title", "Mô hình dân vận khéo".to_owned()),
        ("field", "serving_people".to_owned()),
        (
            "description",
            "Giúp người dân làm thủ tục trực tuyến.".to_owned(),
        ),
        ("unit_id", unit_id.to_string()),
        ("estimated_cost_vnd", "6.000.000".to_owned()),
        ("actual_value_vnd", String::new()),
        ("status", "registered".to_owned()),
        ("start_date", "01/03/2022".to_owned()),
        ("due_date", "2022-12-31".to_owned()),
        ("completion_date", String::new()),
    ]
}

/// Replaces (or adds) one field of a form.
pub fn with(
    mut form: Vec<(&'static str, String)>,
    name: &'static str,
    value: &str,
) -> Vec<(&'static str, String)> {
    match form.iter_mut().find(|(key, _)| *key == name) {
        Some(entry) => entry.1 = value.to_owned(),
        None => form.push((name, value.to_owned())),
    }
    form
}

/// The id at the end of a `Location` (`/initiatives/42` → 42).
pub fn id_from_location(page: &Page) -> i32 {
    page.location
        .as_deref()
        .and_then(|location| location.rsplit('/').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| {
            panic!(
                "no id in Location of a {} answer: {}",
                page.status, page.body
            )
        })
}

/// A PDF in the `files` input.
pub fn pdf_part(name: &str) -> Part {
    Part::file(name, "application/pdf", SAMPLE_PDF)
}

/// The fields of a completion report (the CSRF token goes first, see
/// [`Client::post_multipart_csrf`]), then its files.
pub fn report_parts(actual: &str, completed_on: &str, summary: &str, files: &[Part]) -> Vec<Part> {
    let mut parts = vec![
        Part::text("actual_value_vnd", actual),
        Part::text("completion_date", completed_on),
        Part::text("result_summary", summary),
    ];
    parts.extend_from_slice(files);
    parts
}

/// Borrows a form for [`Client::post_form`].
pub fn pairs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter()
        .map(|(key, value)| (*key, value.as_str()))
        .collect()
}

/// The form an edit page would send for the stored initiative `id`, at its current version.
pub fn edit_form_of(app: &TestApp, id: i32) -> Vec<(&'static str, String)> {
    let item = app.initiative(id);
    let day = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    vec![
        ("year", item.year.to_string()),
        ("kind", item.kind.as_str().to_owned()),
        ("title", item.title.clone()),
        ("field", item.field.as_str().to_owned()),
        ("description", item.description.clone()),
        ("unit_id", item.unit_id.to_string()),
        ("estimated_cost_vnd", item.estimated_cost_vnd.to_string()),
        (
            "actual_value_vnd",
            item.actual_value_vnd
                .map(|v| v.to_string())
                .unwrap_or_default(),
        ),
        ("status", item.status.as_str().to_owned()),
        ("start_date", day(item.start_date)),
        ("due_date", day(item.due_date)),
        (
            "completion_date",
            item.completion_date.map(day).unwrap_or_default(),
        ),
        ("version", item.version.to_string()),
    ]
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
