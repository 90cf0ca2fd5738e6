//! A throw-away PostgreSQL server, started from the PostgreSQL binaries
//! installed on this machine.
//!
//! `lamtheobac demo` uses it when `DATABASE_URL` is unset, and the
//! integration tests use it to get a database of their own. [`PrivatePostgres::start`]
//! creates a fresh cluster (`initdb`) in a new directory under the system temp
//! directory, starts `postgres` on `127.0.0.1` with a free port (superuser
//! `postgres`, trust authentication, durability switched off for speed) and
//! waits until it accepts connections. Dropping the value stops the server at
//! once (immediate shutdown) and removes the directory.
//!
//! The binaries are looked up in `$PG_BIN`, then on `PATH`, then in the highest
//! version under `/usr/lib/postgresql/*/bin` (where Debian installs them).
//! PostgreSQL refuses to run as root: when this process is root, `initdb` and
//! `postgres` run as the `postgres` user (or `nobody` when there is none), looked up
//! in the system's user database (`getpwnam_r`, through `nix`: /etc/passwd, LDAP, …).
//!
//! Linux only: the watcher of [`PrivatePostgres::stop_when_process_exits`] reads `/proc`.

use std::fs::{self, DirBuilder, File};
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Name of the superuser role created by `initdb`.
const SUPERUSER: &str = "postgres";
/// Line the postmaster logs once it accepts connections.
const READY_MESSAGE: &str = "database system is ready to accept connections";
/// How long `start` waits for the server to become ready.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How many ports are tried when the chosen one turns out to be taken.
const PORT_ATTEMPTS: u32 = 5;
/// How long `Drop` waits for the server to exit after SIGQUIT before SIGKILL.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);
/// How many log lines an error message carries.
const LOG_TAIL_LINES: usize = 40;

/// Errors from [`PrivatePostgres::start`].
#[derive(Debug, thiserror::Error)]
pub enum PrivatePostgresError {
    #[error(
        "PostgreSQL server binaries (initdb, postgres) not found: install the postgresql \
         package (e.g. `apt-get install postgresql`) or set PG_BIN to the directory that \
         holds them (looked in: {searched})"
    )]
    BinariesNotFound { searched: String },

    #[error(
        "PG_BIN is set to {dir:?} but there is no executable `{missing}` in it: point PG_BIN \
         at PostgreSQL's bin directory (e.g. /usr/lib/postgresql/15/bin) or unset it"
    )]
    BadPgBin { dir: PathBuf, missing: &'static str },

    #[error(
        "running as root, which PostgreSQL refuses, and the system has neither a `postgres` \
         nor a `nobody` user to run it as: create one (e.g. `useradd --system postgres`) or \
         run as a normal user"
    )]
    NoUnprivilegedUser,

    #[error(
        "no temporary directory that user `{user}` can enter (tried {tried}): set TMPDIR to a \
         directory every user can traverse, such as /tmp"
    )]
    NoUsableTempDir { user: String, tried: String },

    #[error("{action}: {source}")]
    Io {
        action: String,
        #[source]
        source: io::Error,
    },

    #[error("initdb failed: check that the PostgreSQL server package is complete\n{output}")]
    Initdb { output: String },

    #[error("the PostgreSQL server exited during startup ({status}); log tail:\n{log_tail}")]
    ServerExited {
        status: ExitStatus,
        log_tail: String,
    },

    #[error(
        "the PostgreSQL server did not accept connections on port {port} within {} s; \
         log tail:\n{log_tail}",
        START_TIMEOUT.as_secs()
    )]
    Timeout { port: u16, log_tail: String },

    #[error(
        "the PostgreSQL server could not listen on a free port after {attempts} attempts \
         (each port was taken by another process); log tail:\n{log_tail}"
    )]
    PortsTaken { attempts: u32, log_tail: String },
}

impl PrivatePostgresError {
    fn io(action: impl Into<String>) -> impl FnOnce(io::Error) -> Self {
        let action = action.into();
        move |source| Self::Io { action, source }
    }
}

/// A running throw-away PostgreSQL server; stopped and deleted on drop.
#[derive(Debug)]
pub struct PrivatePostgres {
    /// Temp directory holding everything below.
    root: PathBuf,
    data_dir: PathBuf,
    socket_dir: PathBuf,
    log_path: PathBuf,
    port: u16,
    bins: Binaries,
    /// The user the server runs as when this process is root.
    run_as: Option<User>,
    /// The postmaster, while it runs.
    child: Option<Child>,
}

#[derive(Debug, Clone)]
struct Binaries {
    initdb: PathBuf,
    postgres: PathBuf,
    pg_ctl: Option<PathBuf>,
}

#[derive(Debug, Clone)]
struct User {
    name: String,
    uid: u32,
    gid: u32,
}

/// How one attempt to launch the postmaster ended.
enum Launch {
    Ready,
    PortTaken,
}

impl PrivatePostgres {
    /// Starts a fresh cluster on 127.0.0.1 with a free port, superuser
    /// `postgres`, trust auth. Blocks until the server accepts connections
    /// (at most 30 s).
    pub fn start() -> Result<PrivatePostgres, PrivatePostgresError> {
        let started = Instant::now();
        let bins = find_binaries()?;
        let run_as = if running_as_root() {
            Some(unprivileged_user()?)
        } else {
            None
        };
        let root = create_temp_dir(run_as.as_ref())?;
        // From here on, dropping `pg` (also on an error return) removes `root`.
        let mut pg = PrivatePostgres {
            data_dir: root.join("data"),
            socket_dir: root.join("socket"),
            log_path: root.join("postgres.log"),
            root,
            port: 0,
            bins,
            run_as,
            child: None,
        };
        tracing::debug!(
            dir = %pg.root.display(),
            initdb = %pg.bins.initdb.display(),
            user = pg.run_as.as_ref().map(|u| u.name.as_str()),
            "creating private PostgreSQL cluster"
        );
        pg.make_owned_dir(&pg.socket_dir)?;
        pg.initdb()?;
        pg.launch()?;
        tracing::info!(
            port = pg.port,
            dir = %pg.root.display(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "private PostgreSQL server ready"
        );
        Ok(pg)
    }

    /// `postgres://postgres@127.0.0.1:PORT/DBNAME` (the name is used as is,
    /// so keep it to letters, digits and `_`).
    pub fn url(&self, database: &str) -> String {
        format!("postgres://{SUPERUSER}@127.0.0.1:{}/{database}", self.port)
    }

    /// The TCP port the server listens on (on 127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Leaves a watcher behind that stops the server and removes its directory
    /// once this process has exited, for a server that is never dropped (one
    /// kept in a `static`, as the integration tests do).
    ///
    /// The watcher is a detached `sh` in its own process group (so a Ctrl+C
    /// aimed at this process does not take it down too). It polls `kill -0`
    /// on this process every 0.5 s; once this process is gone it sends SIGQUIT
    /// to the postmaster, waits up to 10 s, sends SIGKILL if it still runs,
    /// and removes the temporary directory. Failing to start the watcher is
    /// logged, never fatal.
    pub fn stop_when_process_exits(&self) {
        let Some(child) = &self.child else {
            return;
        };
        // A zombie still answers `kill -0`: treat state Z in /proc as gone.
        const WATCHER: &str = r#"
watched=$1; postmaster=$2; dir=$3
while kill -0 "$watched" 2>/dev/null; do sleep 0.5; done
alive() {
    kill -0 "$postmaster" 2>/dev/null &&
        ! grep -q '^[^)]*) Z' "/proc/$postmaster/stat" 2>/dev/null
}
if alive; then
    kill -QUIT "$postmaster" 2>/dev/null
    i=0
    while alive && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    if alive; then kill -KILL "$postmaster" 2>/dev/null; sleep 0.2; fi
fi
rm -rf "$dir"
"#;
        let spawned = Command::new("sh")
            .arg("-c")
            .arg(WATCHER)
            .arg("lamtheobac-pg-watcher")
            .arg(std::process::id().to_string())
            .arg(child.id().to_string())
            .arg(&self.root)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn();
        if let Err(e) = spawned {
            tracing::warn!(
                dir = %self.root.display(),
                error = %e,
                "could not start the watcher that stops the private PostgreSQL server"
            );
        }
    }

    /// A command for one of the PostgreSQL binaries, run as the right user
    /// from inside the temp directory, with English messages.
    fn command(&self, program: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.root)
            .env("LC_ALL", "C")
            .env_remove("PGDATA")
            .stdin(Stdio::null());
        if let Some(user) = &self.run_as {
            cmd.uid(user.uid).gid(user.gid);
        }
        cmd
    }

    fn make_owned_dir(&self, path: &Path) -> Result<(), PrivatePostgresError> {
        DirBuilder::new()
            .mode(0o700)
            .create(path)
            .map_err(PrivatePostgresError::io(format!(
                "creating directory {}",
                path.display()
            )))?;
        if let Some(user) = &self.run_as {
            chown_to(path, user)?;
        }
        Ok(())
    }

    fn initdb(&self) -> Result<(), PrivatePostgresError> {
        let mut failures = Vec::new();
        for locale in ["C.UTF-8", "C"] {
            if self.data_dir.exists() {
                // initdb cleans up after itself, but make sure the retry starts afresh.
                let _ = fs::remove_dir_all(&self.data_dir);
            }
            let output = self
                .command(&self.bins.initdb)
                .arg("-D")
                .arg(&self.data_dir)
                .args(["-A", "trust", "-U", SUPERUSER, "-E", "UTF8"])
                .arg(format!("--locale={locale}"))
                .arg("--no-sync")
                .output()
                .map_err(PrivatePostgresError::io(format!(
                    "running {}",
                    self.bins.initdb.display()
                )))?;
            if output.status.success() {
                return Ok(());
            }
            tracing::debug!(locale, status = %output.status, "initdb failed");
            failures.push(format!(
                "{} --locale={locale} ({}):\n{}{}",
                self.bins.initdb.display(),
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr),
            ));
        }
        Err(PrivatePostgresError::Initdb {
            output: failures.join("\n"),
        })
    }

    /// Starts the postmaster, trying a new port when the chosen one was taken.
    fn launch(&mut self) -> Result<(), PrivatePostgresError> {
        let deadline = Instant::now() + START_TIMEOUT;
        let mut log_tail = String::new();
        for attempt in 1..=PORT_ATTEMPTS {
            self.port = free_port()?;
            match self.launch_on_port(deadline)? {
                Launch::Ready => return Ok(()),
                Launch::PortTaken => {
                    log_tail = tail(&self.read_log());
                    tracing::debug!(port = self.port, attempt, "port taken; trying another");
                }
            }
        }
        Err(PrivatePostgresError::PortsTaken {
            attempts: PORT_ATTEMPTS,
            log_tail,
        })
    }

    /// Stops the server (immediate shutdown) and keeps its data, so that
    /// [`PrivatePostgres::restart`] brings it back: an outage, for tests.
    pub fn stop(&mut self) {
        self.stop_server();
    }

    /// Starts a stopped server again on the same port, with the same data.
    pub fn restart(&mut self) -> Result<(), PrivatePostgresError> {
        if self.child.is_some() {
            return Ok(());
        }
        match self.launch_on_port(Instant::now() + START_TIMEOUT)? {
            Launch::Ready => Ok(()),
            Launch::PortTaken => Err(PrivatePostgresError::PortsTaken {
                attempts: 1,
                log_tail: tail(&self.read_log()),
            }),
        }
    }

    /// Starts the postmaster on `self.port` and waits until it is ready.
    fn launch_on_port(&mut self, deadline: Instant) -> Result<Launch, PrivatePostgresError> {
        let log = File::create(&self.log_path).map_err(PrivatePostgresError::io(format!(
            "creating {}",
            self.log_path.display()
        )))?;
        let log_err = log
            .try_clone()
            .map_err(PrivatePostgresError::io("duplicating the log file handle"))?;
        let child = self
            .command(&self.bins.postgres)
            .arg("-D")
            .arg(&self.data_dir)
            .arg("-p")
            .arg(self.port.to_string())
            .arg("-k")
            .arg(&self.socket_dir)
            .args([
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=200",
                "-c",
                "shared_buffers=128MB",
            ])
            .stdout(log)
            .stderr(log_err)
            .spawn()
            .map_err(PrivatePostgresError::io(format!(
                "starting {}",
                self.bins.postgres.display()
            )))?;
        self.child = Some(child);
        self.wait_ready(deadline)
    }

    /// Polls until the postmaster has logged that it is ready and accepts a
    /// TCP connection on our port, it exits, or the deadline passes.
    fn wait_ready(&mut self, deadline: Instant) -> Result<Launch, PrivatePostgresError> {
        loop {
            let exited = match self.child.as_mut() {
                Some(child) => child.try_wait().map_err(PrivatePostgresError::io(
                    "checking the PostgreSQL server process",
                ))?,
                None => None,
            };
            if let Some(status) = exited {
                self.child = None;
                let log = self.read_log();
                if port_taken(&log) {
                    return Ok(Launch::PortTaken);
                }
                return Err(PrivatePostgresError::ServerExited {
                    status,
                    log_tail: tail(&log),
                });
            }
            // The ready line is logged after the listen sockets are open, and
            // only our own postmaster writes this log, so a successful connect
            // afterwards reaches our server and not a stranger on the port.
            if self.read_log().contains(READY_MESSAGE) && accepts_tcp(self.port) {
                return Ok(Launch::Ready);
            }
            if Instant::now() >= deadline {
                let log_tail = tail(&self.read_log());
                self.stop_server();
                return Err(PrivatePostgresError::Timeout {
                    port: self.port,
                    log_tail,
                });
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    fn read_log(&self) -> String {
        fs::read(&self.log_path)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default()
    }

    /// Immediate shutdown: SIGQUIT to the postmaster (which takes its backends
    /// down with it), wait, and SIGKILL if it lingers. Never panics.
    fn stop_server(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        let pid = child.id();
        if self.send_sigquit(pid) {
            match wait_with_timeout(&mut child, STOP_TIMEOUT) {
                Ok(true) => return,
                Ok(false) => tracing::warn!(
                    pid,
                    "PostgreSQL server still running {} s after SIGQUIT; killing it",
                    STOP_TIMEOUT.as_secs()
                ),
                Err(e) => tracing::warn!(pid, error = %e, "waiting for PostgreSQL server"),
            }
        } else {
            tracing::warn!(
                pid,
                "could not send SIGQUIT to PostgreSQL server; killing it"
            );
        }
        if let Err(e) = child.kill() {
            tracing::warn!(pid, error = %e, "killing PostgreSQL server");
        }
        let _ = child.wait();
    }

    /// Sends SIGQUIT with `pg_ctl kill` (as the server's user) or else `kill`.
    fn send_sigquit(&self, pid: u32) -> bool {
        let pid = pid.to_string();
        let quiet = |mut cmd: Command| {
            cmd.stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        if let Some(pg_ctl) = &self.bins.pg_ctl {
            let mut cmd = self.command(pg_ctl);
            cmd.args(["kill", "QUIT", &pid]);
            if quiet(cmd) {
                return true;
            }
        }
        let mut cmd = Command::new("kill");
        cmd.args(["-s", "QUIT", &pid]).stdin(Stdio::null());
        quiet(cmd)
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        self.stop_server();
        match fs::remove_dir_all(&self.root) {
            Ok(()) => tracing::debug!(dir = %self.root.display(), "private PostgreSQL removed"),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => tracing::warn!(
                dir = %self.root.display(),
                error = %e,
                "could not remove the private PostgreSQL directory"
            ),
        }
    }
}

/// Locates `initdb`, `postgres` and (optionally) `pg_ctl`.
fn find_binaries() -> Result<Binaries, PrivatePostgresError> {
    if let Some(dir) = std::env::var_os("PG_BIN").filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(dir);
        for missing in ["initdb", "postgres"] {
            if !is_executable(&dir.join(missing)) {
                return Err(PrivatePostgresError::BadPgBin { dir, missing });
            }
        }
        return Ok(binaries_in(&dir));
    }

    let mut searched = vec!["$PATH".to_owned()];
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let initdb = dir.join("initdb");
            if !is_executable(&initdb) {
                continue;
            }
            // /usr/local/bin/initdb may be a symlink into the real bin dir,
            // which is where `postgres` and `pg_ctl` live.
            if let Some(real_dir) = fs::canonicalize(&initdb)
                .ok()
                .and_then(|p| p.parent().map(Path::to_path_buf))
                && is_executable(&real_dir.join("postgres"))
            {
                return Ok(binaries_in(&real_dir));
            }
            if is_executable(&dir.join("postgres")) {
                return Ok(binaries_in(&dir));
            }
            if let Some(postgres) = find_on_path(&path, "postgres") {
                return Ok(Binaries {
                    initdb,
                    postgres,
                    pg_ctl: find_on_path(&path, "pg_ctl"),
                });
            }
        }
    }

    searched.extend(
        [
            "/usr/lib/postgresql/*/bin",
            "/usr/pgsql-*/bin",
            "/usr/local/pgsql/bin",
        ]
        .map(String::from),
    );
    if let Some(dir) = highest_versioned_bin_dir() {
        return Ok(binaries_in(&dir));
    }
    let local = Path::new("/usr/local/pgsql/bin");
    if is_executable(&local.join("initdb")) && is_executable(&local.join("postgres")) {
        return Ok(binaries_in(local));
    }
    Err(PrivatePostgresError::BinariesNotFound {
        searched: searched.join(", "),
    })
}

fn binaries_in(dir: &Path) -> Binaries {
    let pg_ctl = dir.join("pg_ctl");
    Binaries {
        initdb: dir.join("initdb"),
        postgres: dir.join("postgres"),
        pg_ctl: is_executable(&pg_ctl).then_some(pg_ctl),
    }
}

fn find_on_path(path: &std::ffi::OsStr, name: &str) -> Option<PathBuf> {
    std::env::split_paths(path)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

/// The bin dir of the highest version under `/usr/lib/postgresql/*/bin`
/// (Debian, Ubuntu) or `/usr/pgsql-*/bin` (Red Hat family).
fn highest_versioned_bin_dir() -> Option<PathBuf> {
    let mut candidates: Vec<(Vec<u64>, PathBuf)> = Vec::new();
    let mut scan = |parent: &Path, prefix: &str| {
        let Ok(entries) = fs::read_dir(parent) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(version) = name.to_str().and_then(|n| n.strip_prefix(prefix)) else {
                continue;
            };
            let Some(key) = version_key(version) else {
                continue;
            };
            let bin = entry.path().join("bin");
            if is_executable(&bin.join("initdb")) && is_executable(&bin.join("postgres")) {
                candidates.push((key, bin));
            }
        }
    };
    scan(Path::new("/usr/lib/postgresql"), "");
    scan(Path::new("/usr"), "pgsql-");
    candidates.sort();
    candidates.pop().map(|(_, bin)| bin)
}

/// "15" -> [15], "9.6" -> [9, 6]; anything else is not a version.
fn version_key(version: &str) -> Option<Vec<u64>> {
    version.split('.').map(|part| part.parse().ok()).collect()
}

fn is_executable(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Whether the effective uid is 0.
fn running_as_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// The `postgres` user, or else `nobody`, from the system's user database.
fn unprivileged_user() -> Result<User, PrivatePostgresError> {
    for wanted in ["postgres", "nobody"] {
        let found =
            nix::unistd::User::from_name(wanted).map_err(|errno| PrivatePostgresError::Io {
                action: format!("looking up the user `{wanted}`"),
                source: errno.into(),
            })?;
        if let Some(user) = found.filter(|user| !user.uid.is_root()) {
            return Ok(User {
                name: user.name,
                uid: user.uid.as_raw(),
                gid: user.gid.as_raw(),
            });
        }
    }
    Err(PrivatePostgresError::NoUnprivilegedUser)
}

fn chown_to(path: &Path, user: &User) -> Result<(), PrivatePostgresError> {
    std::os::unix::fs::chown(path, Some(user.uid), Some(user.gid)).map_err(
        PrivatePostgresError::io(format!("giving {} to user `{}`", path.display(), user.name)),
    )
}

/// Creates `lamtheobac-pg-<pid>-<random>` (mode 0700) in the temp dir, owned
/// by `run_as` when given. Falls back to /tmp when `run_as` cannot enter the
/// usual temp dir.
fn create_temp_dir(run_as: Option<&User>) -> Result<PathBuf, PrivatePostgresError> {
    let mut bases = vec![std::env::temp_dir()];
    if bases[0] != Path::new("/tmp") {
        bases.push(PathBuf::from("/tmp"));
    }
    let base = match run_as {
        None => bases.swap_remove(0),
        Some(user) => match bases.iter().find(|b| traversable_by(b, user)) {
            Some(base) => base.clone(),
            None => {
                return Err(PrivatePostgresError::NoUsableTempDir {
                    user: user.name.clone(),
                    tried: bases
                        .iter()
                        .map(|b| b.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
        },
    };

    let pid = std::process::id();
    let mut attempt = 0;
    let dir = loop {
        let dir = base.join(format!(
            "lamtheobac-pg-{pid}-{:016x}",
            rand::random::<u64>()
        ));
        match DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => break dir,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 10 => attempt += 1,
            Err(e) => {
                return Err(PrivatePostgresError::Io {
                    action: format!("creating a temporary directory in {}", base.display()),
                    source: e,
                });
            }
        }
    };
    if let Some(user) = run_as
        && let Err(e) = chown_to(&dir, user)
    {
        let _ = fs::remove_dir(&dir);
        return Err(e);
    }
    Ok(dir)
}

/// Whether `user` (without supplementary groups, as the child runs) may
/// search every directory from `/` down to `dir`.
fn traversable_by(dir: &Path, user: &User) -> bool {
    let Ok(dir) = fs::canonicalize(dir) else {
        return false;
    };
    dir.ancestors().all(|d| {
        fs::metadata(d).is_ok_and(|m| {
            let mode = m.permissions().mode();
            if m.uid() == user.uid {
                mode & 0o100 != 0
            } else if m.gid() == user.gid {
                mode & 0o010 != 0
            } else {
                mode & 0o001 != 0
            }
        })
    })
}

/// A port on 127.0.0.1 that was free a moment ago.
fn free_port() -> Result<u16, PrivatePostgresError> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(
        PrivatePostgresError::io("finding a free TCP port on 127.0.0.1"),
    )?;
    let port = listener
        .local_addr()
        .map_err(PrivatePostgresError::io(
            "finding a free TCP port on 127.0.0.1",
        ))?
        .port();
    Ok(port)
}

fn accepts_tcp(port: u16) -> bool {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
}

fn port_taken(log: &str) -> bool {
    log.contains("Address already in use") || log.contains("could not create any TCP/IP sockets")
}

/// Waits up to `timeout` for `child` to exit; true when it did.
fn wait_with_timeout(child: &mut Child, timeout: Duration) -> io::Result<bool> {
    let deadline = Instant::now() + timeout;
    loop {
        if child.try_wait()?.is_some() {
            return Ok(true);
        }
        if Instant::now() >= deadline {
            return Ok(false);
        }
        thread::sleep(Duration::from_millis(5));
    }
}

/// The last lines of a log, for error messages.
fn tail(log: &str) -> String {
    let lines: Vec<&str> = log.lines().collect();
    let start = lines.len().saturating_sub(LOG_TAIL_LINES);
    let tail = lines.get(start..).unwrap_or_default().join("\n");
    if tail.trim().is_empty() {
        "(the server log is empty)".to_owned()
    } else {
        tail
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_versions_numerically() {
        assert!(version_key("10") > version_key("9.6"));
        assert!(version_key("16") > version_key("15"));
        assert_eq!(version_key("main"), None);
    }

    #[test]
    fn tails_logs() {
        let log: String = (0..100).map(|i| format!("line {i}\n")).collect();
        let t = tail(&log);
        assert!(t.starts_with("line 60"));
        assert!(t.ends_with("line 99"));
        assert_eq!(tail(""), "(the server log is empty)");
    }
}
