//! Settings read from the environment, with messages that say exactly what is missing.

use actix_web::cookie::Key;
use base64::Engine;

use crate::auth::hashing::HashingLimits;
use crate::domain::throttle;
use crate::web::client_ip::TrustedProxies;

/// Everything `serve` needs to run.
#[derive(Clone)]
pub struct Settings {
    pub database_url: String,
    /// Signs and encrypts the session cookie.
    pub session_key: Key,
    pub bind: String,
    /// Send the session cookie over HTTPS only. On by default; the demo turns it off
    /// because it serves plain HTTP on the loopback address.
    pub cookie_secure: bool,
    pub pool_size: u32,
    /// Connections kept for streamed downloads (CSV, XLSX), apart from `pool_size`.
    pub export_pool_size: u32,
    /// HTTP worker threads; `None` means one per core.
    pub workers: Option<usize>,
    /// Where evidence files are kept, outside the web root.
    pub upload_dir: std::path::PathBuf,
    /// The largest evidence file accepted, in bytes.
    pub max_upload_bytes: u64,
    /// How printed reports are laid out.
    pub reports: ReportSettings,
    // Downloads and start-up (issue 11).
    /// A download whose browser takes nothing for this long is cut off.
    pub export_stall_limit: std::time::Duration,
    /// How long `serve` waits for PostgreSQL at start; `None` keeps trying.
    pub database_wait: Option<std::time::Duration>,
    /// How long a session lives on the server.
    pub session_limits: SessionLimits,
    /// What session timeouts are measured against: the system clock (tests move it).
    pub clock: crate::clock::Clock,
    /// The reverse proxies whose `X-Forwarded-For` is believed (TRUSTED_PROXIES).
    pub trusted_proxies: TrustedProxies,
    /// When sign-in attempts start to wait (`auth::throttle`; not read from the
    /// environment).
    pub sign_in_limits: throttle::Limits,
    /// How many passwords are hashed at once and how many wait (`auth::hashing`; one
    /// per core, not read from the environment).
    pub hashing: HashingLimits,
    /// Whom to ask about a forgotten password, shown on the sign-in page (SUPPORT_CONTACT).
    pub support_contact: SupportContact,
}

/// Whom a person who forgot their password should ask: free text from SUPPORT_CONTACT,
/// or a sentence sending them to their unit's administrator.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SupportContact(Option<String>);

impl SupportContact {
    /// The sentence shown when SUPPORT_CONTACT is not set.
    pub const DEFAULT_VI: &'static str = "Hãy liên hệ quản trị viên của đơn vị bạn.";

    /// `None` or blank text means the default sentence.
    pub fn new(text: Option<&str>) -> SupportContact {
        SupportContact(
            text.map(str::trim)
                .filter(|text| !text.is_empty())
                .map(str::to_owned),
        )
    }

    /// Reads SUPPORT_CONTACT.
    pub fn from_env() -> SupportContact {
        SupportContact::new(std::env::var("SUPPORT_CONTACT").ok().as_deref())
    }

    /// The contact set, if any.
    pub fn contact(&self) -> Option<&str> {
        self.0.as_deref()
    }

    /// What the sign-in and help pages say: "Liên hệ: …", or the default sentence.
    pub fn sentence_vi(&self) -> String {
        match self.contact() {
            Some(contact) => format!("Liên hệ: {contact}"),
            None => SupportContact::DEFAULT_VI.to_owned(),
        }
    }
}

/// A session ends after `idle` without a request, and `absolute` after sign-in
/// whatever happens; both are checked on the server at every request.
#[derive(Debug, Clone, Copy)]
pub struct SessionLimits {
    pub idle: chrono::TimeDelta,
    pub absolute: chrono::TimeDelta,
}

impl Default for SessionLimits {
    fn default() -> Self {
        SessionLimits {
            idle: chrono::TimeDelta::minutes(30),
            absolute: chrono::TimeDelta::hours(12),
        }
    }
}

impl SessionLimits {
    /// Reads SESSION_IDLE_MINUTES (1–1440, default 30) and SESSION_ABSOLUTE_HOURS
    /// (1–720, default 12).
    pub fn from_env() -> Result<SessionLimits, ConfigError> {
        let idle = size_from_env("SESSION_IDLE_MINUTES", 30, 1440)?;
        let absolute = size_from_env("SESSION_ABSOLUTE_HOURS", 12, 720)?;
        Ok(SessionLimits {
            idle: chrono::TimeDelta::minutes(i64::from(idle)),
            absolute: chrono::TimeDelta::hours(i64::from(absolute)),
        })
    }
}

/// Page margins in millimetres.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Margins {
    pub top: f64,
    pub bottom: f64,
    pub left: f64,
    pub right: f64,
}

/// The layout of printed reports. Sources disagree on the margins of Party documents
/// (20/20/30/15 mm in recent templates, 25/25/35/15 in an older handbook), so they are
/// a setting.
#[derive(Debug, Clone)]
pub struct ReportSettings {
    /// The place in the place-date line; by default the province above the unit.
    pub place: Option<String>,
    pub margins: Margins,
    /// Where the PDF's fonts are looked for first: Liberation Serif (regular, bold,
    /// italic; Times New Roman's metrics) or DejaVu Serif. Both cover Vietnamese.
    pub font_dir: std::path::PathBuf,
}

/// Where Debian's fonts-liberation2 puts Liberation Serif; DejaVu Serif is the fallback
/// (see `exports::pdf`).
pub const DEFAULT_FONT_DIR: &str = "/usr/share/fonts/truetype/liberation2";

impl Default for ReportSettings {
    fn default() -> Self {
        ReportSettings {
            place: None,
            margins: Margins {
                top: 20.0,
                bottom: 20.0,
                left: 30.0,
                right: 15.0,
            },
            font_dir: DEFAULT_FONT_DIR.into(),
        }
    }
}

impl ReportSettings {
    /// Reads REPORT_PLACE, REPORT_MARGINS_MM ("top,bottom,left,right") and PDF_FONT_DIR.
    pub fn from_env() -> Result<ReportSettings, ConfigError> {
        let mut settings = ReportSettings::default();
        if let Ok(place) = std::env::var("REPORT_PLACE") {
            settings.place = Some(place.trim().to_owned()).filter(|place| !place.is_empty());
        }
        if let Ok(value) = std::env::var("REPORT_MARGINS_MM") {
            settings.margins = parse_margins(&value)?;
        }
        if let Ok(dir) = std::env::var("PDF_FONT_DIR")
            && !dir.trim().is_empty()
        {
            settings.font_dir = dir.trim().into();
        }
        Ok(settings)
    }
}

/// `20,20,30,15` → top 20, bottom 20, left 30, right 15 (millimetres, 0–60 each).
pub fn parse_margins(value: &str) -> Result<Margins, ConfigError> {
    let malformed = || {
        ConfigError::Malformed(
            "REPORT_MARGINS_MM",
            format!(
                "expected four millimetre values top,bottom,left,right such as 20,20,30,15, got {value:?}"
            ),
        )
    };
    let numbers: Vec<f64> = value
        .split(',')
        .map(|part| part.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| malformed())?;
    match numbers[..] {
        [top, bottom, left, right] if numbers.iter().all(|mm| (0.0..=60.0).contains(mm)) => {
            Ok(Margins {
                top,
                bottom,
                left,
                right,
            })
        }
        _ => Err(malformed()),
    }
}

/// 20 MB, the default limit for one evidence file.
pub const DEFAULT_MAX_UPLOAD_BYTES: u64 = 20 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} is not set: {1}")]
    Missing(&'static str, &'static str),
    #[error("{0} is malformed: {1}")]
    Malformed(&'static str, String),
}

pub const SESSION_KEY_HELP: &str =
    "64 random bytes in base64, for example from `openssl rand -base64 64`";

impl Settings {
    /// Reads DATABASE_URL, SESSION_KEY, BIND, COOKIE_SECURE, DATABASE_POOL_SIZE,
    /// EXPORT_POOL_SIZE, UPLOAD_DIR, MAX_UPLOAD_MB, EXPORT_STALL_SECONDS,
    /// DATABASE_WAIT_SECONDS, TRUSTED_PROXIES, SUPPORT_CONTACT and the session limits.
    pub fn from_env() -> Result<Settings, ConfigError> {
        let database_url = std::env::var("DATABASE_URL")
            .ok()
            .filter(|url| !url.trim().is_empty())
            .ok_or(ConfigError::Missing(
                "DATABASE_URL",
                "set it to postgres://USER:PASSWORD@HOST:5432/DATABASE",
            ))?;
        let session_key = match std::env::var("SESSION_KEY") {
            Ok(value) if !value.trim().is_empty() => parse_session_key(&value)?,
            _ => return Err(ConfigError::Missing("SESSION_KEY", SESSION_KEY_HELP)),
        };
        let bind = std::env::var("BIND").unwrap_or_else(|_| "127.0.0.1:8080".to_owned());
        let cookie_secure = match std::env::var("COOKIE_SECURE").as_deref() {
            Err(_) | Ok("") | Ok("true") | Ok("1") => true,
            Ok("false") | Ok("0") => false,
            Ok(other) => {
                return Err(ConfigError::Malformed(
                    "COOKIE_SECURE",
                    format!("expected true or false, got {other:?}"),
                ));
            }
        };
        let pool_size = size_from_env("DATABASE_POOL_SIZE", 16, 200)?;
        let export_pool_size = size_from_env("EXPORT_POOL_SIZE", DEFAULT_EXPORT_POOL_SIZE, 50)?;
        let upload_dir = std::env::var("UPLOAD_DIR")
            .ok()
            .filter(|dir| !dir.trim().is_empty())
            .map(std::path::PathBuf::from)
            .ok_or(ConfigError::Missing(
                "UPLOAD_DIR",
                "set it to a folder outside the web root where evidence files are kept",
            ))?;
        let max_upload_bytes = match std::env::var("MAX_UPLOAD_MB") {
            Err(_) => DEFAULT_MAX_UPLOAD_BYTES,
            Ok(value) => value
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|megabytes| (1..=1024).contains(megabytes))
                .map(|megabytes| megabytes * 1024 * 1024)
                .ok_or_else(|| {
                    ConfigError::Malformed(
                        "MAX_UPLOAD_MB",
                        format!("expected a number of megabytes from 1 to 1024, got {value:?}"),
                    )
                })?,
        };
        let trusted_proxies =
            TrustedProxies::parse(&std::env::var("TRUSTED_PROXIES").unwrap_or_default())
                .map_err(|problem| ConfigError::Malformed("TRUSTED_PROXIES", problem))?;
        Ok(Settings {
            database_url,
            session_key,
            bind,
            cookie_secure,
            pool_size,
            export_pool_size,
            workers: None,
            upload_dir,
            max_upload_bytes,
            reports: ReportSettings::from_env()?,
            export_stall_limit: seconds_from_env("EXPORT_STALL_SECONDS", 3600)?
                .unwrap_or(DEFAULT_EXPORT_STALL_LIMIT),
            database_wait: seconds_from_env("DATABASE_WAIT_SECONDS", 86_400)?,
            session_limits: SessionLimits::from_env()?,
            clock: crate::clock::Clock::default(),
            trusted_proxies,
            sign_in_limits: throttle::Limits::default(),
            hashing: HashingLimits::for_this_machine(),
            support_contact: SupportContact::from_env(),
        })
    }
}

/// How long a download may go without its browser taking anything.
pub const DEFAULT_EXPORT_STALL_LIMIT: std::time::Duration = std::time::Duration::from_secs(30);

/// A number of seconds from the environment (1 to `max`), `None` when unset or empty.
fn seconds_from_env(
    name: &'static str,
    max: u64,
) -> Result<Option<std::time::Duration>, ConfigError> {
    match std::env::var(name) {
        Err(_) => Ok(None),
        Ok(value) if value.trim().is_empty() => Ok(None),
        Ok(value) => value
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|seconds| (1..=max).contains(seconds))
            .map(|seconds| Some(std::time::Duration::from_secs(seconds)))
            .ok_or_else(|| {
                ConfigError::Malformed(
                    name,
                    format!("expected a number of seconds from 1 to {max}, got {value:?}"),
                )
            }),
    }
}

/// Downloads streamed at once by default: each holds a connection of its own while the
/// browser reads.
pub const DEFAULT_EXPORT_POOL_SIZE: u32 = 3;

/// A number (of connections, minutes…) from the environment: `default` when unset, 1 to `max`.
fn size_from_env(name: &'static str, default: u32, max: u32) -> Result<u32, ConfigError> {
    match std::env::var(name) {
        Err(_) => Ok(default),
        Ok(value) => value
            .trim()
            .parse()
            .ok()
            .filter(|size| (1..=max).contains(size))
            .ok_or_else(|| {
                ConfigError::Malformed(
                    name,
                    format!("expected a number from 1 to {max}, got {value:?}"),
                )
            }),
    }
}

/// Decodes SESSION_KEY; it must hold at least 64 bytes.
pub fn parse_session_key(value: &str) -> Result<Key, ConfigError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .map_err(|error| {
            ConfigError::Malformed(
                "SESSION_KEY",
                format!("not base64 ({error}); {SESSION_KEY_HELP}"),
            )
        })?;
    if bytes.len() < 64 {
        return Err(ConfigError::Malformed(
            "SESSION_KEY",
            format!("it holds {} bytes; {SESSION_KEY_HELP}", bytes.len()),
        ));
    }
    Ok(Key::from(&bytes))
}

/// A fresh random key, for the demo and the tests.
pub fn random_session_key() -> Key {
    Key::generate()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_or_malformed_session_keys_are_refused() {
        assert!(parse_session_key("not base64!").is_err());
        let short = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
        assert!(parse_session_key(&short).is_err());
        let good = base64::engine::general_purpose::STANDARD.encode([7u8; 64]);
        assert!(parse_session_key(&good).is_ok());
    }
}
