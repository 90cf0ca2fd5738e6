//! Evidence files: photos and documents that back a completion report.
//!
//! The bytes are kept outside the web root by [`EvidenceStore`], named by the SHA-256
//! of their content; the database keeps the original name and the type. What a file
//! is comes from its content ([`sniff`]), never from its name. Uploads arrive through
//! `web::multipart::read_multipart`, which streams each file to disk while hashing it,
//! refuses as soon as something is wrong and leaves nothing behind when it does.

mod names;
mod sniff;
mod store;

#[cfg(test)]
pub(crate) mod testing;

pub(crate) use names::display_name;
pub use names::{FALLBACK_STEM, MAX_NAME_CHARS, content_disposition, sanitize_file_name};
pub use sniff::{sniff, sniff_reader};
pub(crate) use store::TempFile;
pub use store::{EvidenceStore, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, StoredFile, THUMBNAIL_SIDE};

/// Files accepted in one request.
pub const MAX_FILES: usize = 10;

/// The accepted kinds, decided from the bytes, never from the file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EvidenceType {
    Jpeg,
    Png,
    Webp,
    Pdf,
    Docx,
    Xlsx,
}

impl EvidenceType {
    pub const ALL: [EvidenceType; 6] = [
        EvidenceType::Jpeg,
        EvidenceType::Png,
        EvidenceType::Webp,
        EvidenceType::Pdf,
        EvidenceType::Docx,
        EvidenceType::Xlsx,
    ];

    /// The Content-Type the file is served with (and stored in the database).
    pub fn mime(self) -> &'static str {
        match self {
            EvidenceType::Jpeg => "image/jpeg",
            EvidenceType::Png => "image/png",
            EvidenceType::Webp => "image/webp",
            EvidenceType::Pdf => "application/pdf",
            EvidenceType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            EvidenceType::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }
    }

    /// The inverse of [`EvidenceType::mime`] (exact names, ASCII case ignored).
    pub fn from_mime(mime: &str) -> Option<Self> {
        let mime = mime.trim();
        Self::ALL
            .into_iter()
            .find(|kind| kind.mime().eq_ignore_ascii_case(mime))
    }

    /// Photos get a thumbnail and are shown inline; documents are downloaded.
    pub fn is_image(self) -> bool {
        matches!(
            self,
            EvidenceType::Jpeg | EvidenceType::Png | EvidenceType::Webp
        )
    }

    /// The usual file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            EvidenceType::Jpeg => "jpg",
            EvidenceType::Png => "png",
            EvidenceType::Webp => "webp",
            EvidenceType::Pdf => "pdf",
            EvidenceType::Docx => "docx",
            EvidenceType::Xlsx => "xlsx",
        }
    }

    /// Every extension a file of this kind may carry (lowercase, without the dot).
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            EvidenceType::Jpeg => &["jpg", "jpeg", "jpe", "jfif"],
            EvidenceType::Png => &["png"],
            EvidenceType::Webp => &["webp"],
            EvidenceType::Pdf => &["pdf"],
            EvidenceType::Docx => &["docx"],
            EvidenceType::Xlsx => &["xlsx"],
        }
    }

    /// A short label for people, e.g. in a file list.
    pub fn label(self) -> &'static str {
        match self {
            EvidenceType::Jpeg => "Ảnh JPEG",
            EvidenceType::Png => "Ảnh PNG",
            EvidenceType::Webp => "Ảnh WebP",
            EvidenceType::Pdf => "Tài liệu PDF",
            EvidenceType::Docx => "Tài liệu Word (DOCX)",
            EvidenceType::Xlsx => "Bảng tính Excel (XLSX)",
        }
    }
}

/// Why an upload was refused. Nothing is left on disk when one of these is returned by
/// `web::multipart::read_multipart` or [`EvidenceStore::store_bytes`].
///
/// `name` is the file's name as sent, already cleaned for display (no path, no control
/// characters), so it can be shown as is (templates still escape it).
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("file {name:?} is empty")]
    Empty { name: String },
    #[error("file {name:?} is larger than {limit_bytes} bytes")]
    TooLarge { name: String, limit_bytes: u64 },
    #[error("file {name:?} is not an accepted image or document")]
    UnsupportedType { name: String },
    /// A real image, but too many pixels to decode safely (over [`MAX_IMAGE_SIDE`] on a
    /// side, over [`MAX_IMAGE_PIXELS`] in all, or more memory than the decoder is
    /// allowed), as its header declares: nothing was decoded.
    #[error("image {name:?} has too many pixels")]
    ImageTooLarge { name: String },
    /// Other uploads held every image-decoding turn for too long.
    #[error("too many images are being decoded")]
    Busy,
    #[error("missing or invalid CSRF token")]
    Csrf,
    #[error("malformed multipart body")]
    Malformed,
    #[error("more than {MAX_FILES} files in one request")]
    TooManyFiles,
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mime_round_trips() {
        for kind in EvidenceType::ALL {
            assert_eq!(EvidenceType::from_mime(kind.mime()), Some(kind));
            assert!(kind.extensions().contains(&kind.extension()));
        }
        assert_eq!(
            EvidenceType::from_mime("IMAGE/PNG"),
            Some(EvidenceType::Png)
        );
        assert_eq!(EvidenceType::from_mime("text/html"), None);
        assert_eq!(EvidenceType::from_mime("image/svg+xml"), None);
        assert_eq!(EvidenceType::from_mime(""), None);
        assert!(EvidenceType::Webp.is_image());
        assert!(!EvidenceType::Pdf.is_image());
        assert_eq!(
            serde_json::to_string(&EvidenceType::Docx).unwrap(),
            "\"docx\""
        );
    }
}
