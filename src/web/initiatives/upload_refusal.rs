//! How a refused evidence upload is answered: the Vietnamese message beside the file
//! input and the status of the page. `evidence/` only says what went wrong.

use actix_web::http::StatusCode;

use crate::evidence::{MAX_FILES, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, UploadError};

/// What a person reads next to the file input.
pub fn message(error: &UploadError) -> String {
    match error {
        UploadError::Empty { name } => {
            format!("Tệp “{name}” trống (0 byte) nên không được nhận.")
        }
        UploadError::TooLarge { name, limit_bytes } => format!(
            "Tệp “{name}” lớn hơn giới hạn {} cho mỗi tệp nên không được nhận.",
            format_size(*limit_bytes)
        ),
        UploadError::UnsupportedType { name } => format!(
            "Tệp “{name}” không phải ảnh (JPEG, PNG, WebP) hay tài liệu (PDF, DOCX, XLSX) \
             nên không được nhận."
        ),
        UploadError::ImageTooLarge { name } => format!(
            "Ảnh “{name}” có quá nhiều điểm ảnh nên hệ thống không xử lý được. \
             Hãy thu nhỏ ảnh (tối đa {} triệu điểm ảnh, mỗi chiều dưới {} điểm ảnh) \
             rồi gửi lại.",
            MAX_IMAGE_PIXELS / 1_000_000,
            format_thousands(u64::from(MAX_IMAGE_SIDE))
        ),
        UploadError::Busy => "Hệ thống đang xử lý nhiều ảnh cùng lúc. \
                              Hãy thử gửi lại sau giây lát."
            .to_owned(),
        UploadError::Csrf => "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. \
                              Hãy tải lại trang và thử lại."
            .to_owned(),
        UploadError::Malformed => {
            "Dữ liệu gửi lên không hợp lệ hoặc bị gián đoạn. Hãy thử gửi lại.".to_owned()
        }
        UploadError::TooManyFiles => {
            format!("Mỗi lần chỉ được gửi tối đa {MAX_FILES} tệp. Hãy chia ra nhiều lần.")
        }
        UploadError::Io(_) => "Hệ thống không lưu được tệp. Hãy thử lại sau ít phút.".to_owned(),
    }
}

/// The status of the page that shows the refusal.
pub fn status(error: &UploadError) -> StatusCode {
    match error {
        UploadError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        UploadError::UnsupportedType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        UploadError::Csrf => StatusCode::FORBIDDEN,
        UploadError::Busy => StatusCode::SERVICE_UNAVAILABLE,
        UploadError::Io(_) => StatusCode::INTERNAL_SERVER_ERROR,
        UploadError::Empty { .. }
        | UploadError::ImageTooLarge { .. }
        | UploadError::Malformed
        | UploadError::TooManyFiles => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

const MIB: u64 = 1024 * 1024;

/// "20 MB", "2,5 MB", "500 KB": megabytes with a decimal comma, as people read them.
fn format_size(bytes: u64) -> String {
    if bytes < MIB / 10 {
        return format!("{} KB", bytes.div_ceil(1024));
    }
    let tenths = (bytes * 10 + MIB / 2) / MIB;
    if tenths.is_multiple_of(10) {
        format!("{} MB", format_thousands(tenths / 10))
    } else {
        format!("{},{} MB", format_thousands(tenths / 10), tenths % 10)
    }
}

/// 20000 → "20.000" (Vietnamese thousands separator).
fn format_thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(format_size(20 * MIB), "20 MB");
        assert_eq!(format_size(5 * MIB / 2), "2,5 MB");
        assert_eq!(format_size(1024 * MIB), "1.024 MB");
        assert_eq!(format_size(1000), "1 KB");
        assert_eq!(format_thousands(20000), "20.000");
        assert_eq!(format_thousands(999), "999");
    }

    #[test]
    fn messages_name_the_file() {
        let error = UploadError::UnsupportedType {
            name: "x.exe".to_owned(),
        };
        assert_eq!(
            message(&error),
            "Tệp “x.exe” không phải ảnh (JPEG, PNG, WebP) hay tài liệu (PDF, DOCX, XLSX) nên \
             không được nhận."
        );
        let error = UploadError::TooLarge {
            name: "video.pdf".to_owned(),
            limit_bytes: 20 * MIB,
        };
        assert!(message(&error).contains("“video.pdf”"));
        assert!(message(&error).contains("20 MB"));
        assert_eq!(status(&error), StatusCode::PAYLOAD_TOO_LARGE);
        let empty = UploadError::Empty {
            name: "a.pdf".to_owned(),
        };
        assert!(message(&empty).contains("“a.pdf”"));
        let io = UploadError::Io(std::io::Error::other("disk"));
        assert_eq!(status(&io), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
