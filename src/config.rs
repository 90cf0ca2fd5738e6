//! Settings read from the environment, with messages that say exactly what is missing.

use actix_web::cookie::Key;
use base64::Engine;

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
    /// HTTP worker threads; `None` means one per core.
    pub workers: Option<usize>,
    /// Where evidence files are kept, outside the web root.
    pub upload_dir: std::path::PathBuf,
    /// The largest evidence file accepted, in bytes.
    pub max_upload_bytes: u64,
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
    /// Reads DATABASE_URL, SESSION_KEY, BIND, COOKIE_SECURE and DATABASE_POOL_SIZE.
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
        let pool_size = match std::env::var("DATABASE_POOL_SIZE") {
            Err(_) => 16,
            Ok(value) => value
                .trim()
                .parse()
                .ok()
                .filter(|size| (1..=200).contains(size))
                .ok_or_else(|| {
                    ConfigError::Malformed(
                        "DATABASE_POOL_SIZE",
                        format!("expected a number from 1 to 200, got {value:?}"),
                    )
                })?,
        };
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
        Ok(Settings {
            database_url,
            session_key,
            bind,
            cookie_secure,
            pool_size,
            workers: None,
            upload_dir,
            max_upload_bytes,
        })
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
