//! Reading the import form (`multipart/form-data`): the CSRF token first, then the
//! kind, the target unit and one file, held in memory up to the size limit. A file over
//! the limit is read to its end and dropped, so the browser gets the answer page
//! rather than a broken connection.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use futures_util::StreamExt;

use crate::domain::format::file_size;
use crate::web::multipart::{file_name as part_file_name, read_text as read_text_part};

/// The name of the file input.
pub const FILE_FIELD: &str = "file";
const CSRF_FIELD: &str = "csrf_token";
const MAX_TEXT_FIELDS: usize = 10;
/// Past this much of a file over the limit, stop reading and let the connection go.
const MAX_DRAINED_BYTES: usize = 64 * 1024 * 1024;

/// The form as received.
#[derive(Debug, Default)]
pub struct Received {
    pub fields: HashMap<String, String>,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

impl Received {
    pub fn field(&self, name: &str) -> &str {
        self.fields
            .get(name)
            .map(String::as_str)
            .unwrap_or_default()
    }
}

/// Why the form was not received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Csrf,
    NoFile,
    TooLarge { limit: usize },
    Malformed,
}

impl Refusal {
    pub fn message_vi(self) -> String {
        match self {
            Refusal::Csrf => crate::error::AppError::Csrf.message_vi().to_owned(),
            Refusal::NoFile => "Hãy chọn tệp bảng tính (.xlsx hoặc .csv) để nhập.".to_owned(),
            Refusal::TooLarge { limit } => format!(
                "Tệp lớn hơn giới hạn {} nên không được nhận. Hãy chia thành nhiều tệp nhỏ hơn.",
                file_size(i64::try_from(limit).unwrap_or(i64::MAX))
            ),
            Refusal::Malformed => {
                "Dữ liệu gửi lên không hợp lệ hoặc bị gián đoạn. Hãy thử gửi lại.".to_owned()
            }
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            Refusal::Csrf => StatusCode::FORBIDDEN,
            Refusal::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Refusal::NoFile | Refusal::Malformed => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }
}

/// Reads the form; `verify_csrf` is asked about the token before any file byte is kept.
/// A refusal comes with the text fields read so far, so the form can show them again.
pub async fn read(
    payload: Multipart,
    max_bytes: usize,
    verify_csrf: impl Fn(&str) -> bool,
) -> Result<Received, (Refusal, Received)> {
    let mut received = Received::default();
    match read_into(payload, max_bytes, verify_csrf, &mut received).await {
        Ok(()) => Ok(received),
        Err(refusal) => {
            received.bytes = Vec::new();
            Err((refusal, received))
        }
    }
}

async fn read_into(
    mut payload: Multipart,
    max_bytes: usize,
    verify_csrf: impl Fn(&str) -> bool,
    received: &mut Received,
) -> Result<(), Refusal> {
    let mut csrf_verified = false;
    let mut has_file = false;
    let mut too_large = false;
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|_| Refusal::Malformed)?;
        let name = field.name().ok_or(Refusal::Malformed)?.to_owned();
        if name == FILE_FIELD {
            if !csrf_verified {
                return Err(Refusal::Csrf);
            }
            if has_file {
                return Err(Refusal::Malformed);
            }
            has_file = true;
            received.file_name = part_file_name(&field).unwrap_or_default();
            let mut drained = 0usize;
            while let Some(chunk) = field.next().await {
                let chunk = chunk.map_err(|_| Refusal::Malformed)?;
                if too_large {
                    drained += chunk.len();
                    if drained > MAX_DRAINED_BYTES {
                        return Err(Refusal::TooLarge { limit: max_bytes });
                    }
                } else if received.bytes.len() + chunk.len() > max_bytes {
                    too_large = true;
                    received.bytes = Vec::new();
                } else {
                    received.bytes.extend_from_slice(&chunk);
                }
            }
        } else {
            if received.fields.len() >= MAX_TEXT_FIELDS || received.fields.contains_key(&name) {
                return Err(Refusal::Malformed);
            }
            let value = read_text_part(&mut field)
                .await
                .map_err(|_| Refusal::Malformed)?;
            if name == CSRF_FIELD {
                if !verify_csrf(&value) {
                    return Err(Refusal::Csrf);
                }
                csrf_verified = true;
            }
            received.fields.insert(name, value);
        }
    }
    if !csrf_verified {
        return Err(Refusal::Csrf);
    }
    if too_large {
        return Err(Refusal::TooLarge { limit: max_bytes });
    }
    if received.file_name.trim().is_empty() && received.bytes.is_empty() {
        return Err(Refusal::NoFile);
    }
    Ok(())
}
