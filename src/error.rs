//! The one application error type, and how each kind answers over HTTP.
//! Form mistakes are not errors: forms come back with messages instead.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};

/// The message shown on the error page; the error-page middleware reads it from the
/// response so that every error looks the same whichever layer raised it.
#[derive(Clone, Debug)]
pub struct ErrorMessage(pub String);

/// What a person reads when their change could not be saved because the database was
/// too busy with other changes; forms show it above the input they sent.
pub const BUSY_MESSAGE: &str = "Hệ thống đang bận, thay đổi của bạn chưa được lưu. Hãy gửi lại.";

/// What a person reads when their change lost to one made meanwhile and no page of its
/// own shows the conflict.
pub const CONFLICT_MESSAGE: &str = "Dữ liệu vừa được người khác thay đổi nên thay đổi của bạn chưa được lưu. Hãy tải lại trang và thử lại.";

/// What a person reads when something failed inside the application.
pub const INTERNAL_MESSAGE: &str = "Đã có lỗi trong hệ thống. Hãy thử lại sau.";

/// Why a person with a temporary password is sent to change it (the page says it too).
pub const PASSWORD_CHANGE_REQUIRED: &str =
    "Mật khẩu của bạn là mật khẩu tạm thời. Hãy đặt mật khẩu mới trước khi tiếp tục.";
/// What a person reads when too many passwords are being checked at once.
pub const HASHING_BUSY_MESSAGE: &str = "Hệ thống đang bận, hãy thử lại sau giây lát.";

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Missing, or outside the user's scope: the two are indistinguishable on purpose.
    #[error("not found")]
    NotFound,
    /// Signed in, but the role does not allow it.
    #[error("forbidden")]
    Forbidden,
    /// A state-changing request without a valid CSRF token.
    #[error("invalid CSRF token")]
    Csrf,
    /// A page needs a signed-in user: go to the sign-in page.
    #[error("sign-in required")]
    SignInRequired,
    /// An API call needs a signed-in user: 401.
    #[error("unauthorized")]
    Unauthorized,
    /// The password is temporary (set by an admin or an import): a page sends the
    /// person to change it, the API answers 403.
    #[error("the temporary password must be changed first")]
    PasswordChangeRequired { api: bool },
    /// A query string or path that cannot mean anything.
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// A page link or API cursor this application did not write (edited, cut short).
    #[error("bad cursor")]
    BadCursor,
    #[error("database unavailable: {0}")]
    DatabaseUnavailable(String),
    /// A write lost a race with other writes (serialization failure or deadlock) as many
    /// times as it was tried (see `store::tx`): nothing was saved.
    #[error("busy: the write was rolled back every time it was tried")]
    Busy,
    /// Every connection kept for downloads is in use.
    #[error("every export connection is in use")]
    ExportsBusy,
    /// The person has their two downloads running already.
    #[error("too many downloads running for one person")]
    TooManyExports,
    /// Password hashing is at its limit and its queue is full (`auth::hashing`).
    #[error("password hashing is busy")]
    HashingBusy,
    /// The change lost to another one made meanwhile (a stale version, a key taken):
    /// nothing was saved. The text is what the person reads. Today's conflicts show
    /// their own page with 409 (the edit form, the initiative's page, the import
    /// preview), so that the person's input stays; this is for one answered without a page.
    #[error("conflict with a change made meanwhile")]
    Conflict(&'static str),
    /// A task handed to the blocking thread pool did not come back (the pool is gone).
    #[error("a task on the blocking thread pool did not finish")]
    Blocking(#[from] actix_web::error::BlockingError),
    /// The session cookie's state could not be written.
    #[error("the session could not be written")]
    Session(#[from] actix_session::SessionInsertError),
    /// Password hashing failed for another reason than being busy.
    #[error("password hashing failed")]
    Hashing(#[source] crate::auth::hashing::HashingError),
    /// The annual report could not be drawn.
    #[error("the PDF report could not be written")]
    Pdf(#[from] crate::exports::pdf::PdfError),
    #[error(transparent)]
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match error {
            Error::NotFound => AppError::NotFound,
            error if crate::store::tx::is_retryable(&error) => AppError::Busy,
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                AppError::DatabaseUnavailable(info.message().to_owned())
            }
            other => AppError::Internal(Box::new(other)),
        }
    }
}

impl From<crate::app::Error> for AppError {
    fn from(error: crate::app::Error) -> Self {
        use crate::app::Error;
        match error {
            Error::NotFound => AppError::NotFound,
            Error::Forbidden => AppError::Forbidden,
            Error::Busy => AppError::Busy,
            Error::Unavailable(message) => AppError::DatabaseUnavailable(message),
            Error::Conflict(found) => {
                tracing::warn!(found, "a change lost to one made meanwhile");
                AppError::Conflict(CONFLICT_MESSAGE)
            }
            Error::Database(source) => AppError::Internal(Box::new(source)),
            Error::Internal(source) => AppError::Internal(source),
        }
    }
}

impl crate::store::tx::TransactionError for AppError {
    fn is_retryable(&self) -> bool {
        matches!(self, AppError::Busy)
    }
}

impl From<crate::auth::hashing::HashingError> for AppError {
    fn from(error: crate::auth::hashing::HashingError) -> AppError {
        match error {
            crate::auth::hashing::HashingError::Busy => AppError::HashingBusy,
            failed => AppError::Hashing(failed),
        }
    }
}

impl From<tera::Error> for AppError {
    fn from(error: tera::Error) -> Self {
        AppError::Internal(Box::new(error))
    }
}

impl AppError {
    /// What a person reads on the error page.
    pub fn message_vi(&self) -> &'static str {
        match self {
            AppError::NotFound => "Không tìm thấy trang hoặc dữ liệu bạn yêu cầu.",
            AppError::Forbidden => "Tài khoản của bạn không có quyền thực hiện thao tác này.",
            AppError::Csrf => {
                "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Hãy tải lại trang và thử lại."
            }
            AppError::SignInRequired | AppError::Unauthorized => "Bạn cần đăng nhập.",
            AppError::PasswordChangeRequired { .. } => PASSWORD_CHANGE_REQUIRED,
            AppError::BadRequest(_) => "Yêu cầu không hợp lệ.",
            AppError::BadCursor => {
                "Liên kết chuyển trang không hợp lệ hoặc đã bị sửa. Hãy mở lại danh sách từ trang đầu."
            }
            AppError::DatabaseUnavailable(_) => {
                "Hệ thống tạm thời không kết nối được cơ sở dữ liệu. Hãy thử lại sau ít phút."
            }
            AppError::Busy => BUSY_MESSAGE,
            AppError::ExportsBusy => {
                "Đang có nhiều người tải tệp cùng lúc. Hãy thử tải lại sau ít phút."
            }
            AppError::TooManyExports => "Bạn đang tải hai tệp; hãy đợi một tệp xong rồi tải tiếp.",
            AppError::HashingBusy => HASHING_BUSY_MESSAGE,
            AppError::Conflict(message) => message,
            AppError::Blocking(_)
            | AppError::Session(_)
            | AppError::Hashing(_)
            | AppError::Pdf(_)
            | AppError::Internal(_) => INTERNAL_MESSAGE,
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::SignInRequired => StatusCode::SEE_OTHER,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::PasswordChangeRequired { api: false } => StatusCode::SEE_OTHER,
            AppError::PasswordChangeRequired { api: true } => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) | AppError::BadCursor => StatusCode::BAD_REQUEST,
            AppError::DatabaseUnavailable(_)
            | AppError::Busy
            | AppError::ExportsBusy
            | AppError::HashingBusy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::TooManyExports => StatusCode::TOO_MANY_REQUESTS,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Blocking(_)
            | AppError::Session(_)
            | AppError::Hashing(_)
            | AppError::Pdf(_)
            | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::DatabaseUnavailable(cause) => {
                tracing::warn!(%cause, "database unavailable")
            }
            error if error.status_code() == StatusCode::INTERNAL_SERVER_ERROR => {
                tracing::error!(error = %cause_chain(error), "request failed");
            }
            _ => {}
        }
        let redirect = match self {
            AppError::SignInRequired => Some("/login"),
            AppError::PasswordChangeRequired { api: false } => {
                Some(crate::auth::session::CHANGE_PASSWORD_PATH)
            }
            _ => None,
        };
        if let Some(location) = redirect {
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, location))
                .finish();
        }
        let mut response = HttpResponse::build(self.status_code())
            .content_type("text/plain; charset=utf-8")
            .body(self.message_vi());
        response
            .extensions_mut()
            .insert(ErrorMessage(self.message_vi().to_owned()));
        response
    }
}

/// The error and each of its causes, outermost first, joined by ": " — the one line an
/// internal error is logged as, so the cause is never lost behind a generic message.
pub fn cause_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut chain = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        chain.push_str(": ");
        chain.push_str(&cause.to_string());
        source = cause.source();
    }
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("reading the staged file failed")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn an_internal_error_is_logged_with_every_cause() {
        let error = AppError::Internal(Box::new(Outer(std::io::Error::other("disk full"))));
        assert_eq!(
            cause_chain(&error),
            "reading the staged file failed: disk full"
        );
        let error = AppError::from(crate::auth::hashing::HashingError::Stopped);
        assert_eq!(
            cause_chain(&error),
            "password hashing failed: the hashing threads have stopped"
        );
        assert_eq!(error.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(error.message_vi(), INTERNAL_MESSAGE);
    }

    /// Keeps what the log writes, to read it back.
    #[derive(Clone, Default)]
    struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_log_line_of_a_failed_request_names_the_cause() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let error = AppError::Internal(Box::new(Outer(std::io::Error::other("disk full"))));
        let response = tracing::subscriber::with_default(subscriber, || error.error_response());
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let log = String::from_utf8_lossy(
            &captured
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
        .into_owned();
        assert_eq!(log.matches("request failed").count(), 1, "{log}");
        assert!(
            log.contains("reading the staged file failed: disk full"),
            "{log}"
        );
    }

    #[test]
    fn a_conflict_answers_409_with_its_message() {
        let error = AppError::Conflict("Dữ liệu vừa được người khác thay đổi.");
        assert_eq!(error.status_code(), StatusCode::CONFLICT);
        assert_eq!(error.message_vi(), "Dữ liệu vừa được người khác thay đổi.");
    }

    #[test]
    fn a_use_case_conflict_answers_409_in_vietnamese_whatever_it_found() {
        let error = AppError::from(crate::app::Error::Conflict(
            "the batch was applied meanwhile",
        ));
        assert_eq!(error.status_code(), StatusCode::CONFLICT);
        assert_eq!(error.message_vi(), CONFLICT_MESSAGE);
    }
}
