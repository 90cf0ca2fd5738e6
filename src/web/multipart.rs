//! Reading a `multipart/form-data` body: text fields into a map, files streamed to
//! disk, checked and stored; on any error, nothing of the request is left on disk.

use std::collections::HashMap;
use std::io;

use actix_multipart::{Field, Multipart};
use actix_web::http::header;
use actix_web::web;
use futures_util::StreamExt;

use crate::evidence::{EvidenceStore, MAX_FILES, StoredFile, TempFile, UploadError, display_name};

/// Text fields accepted in one request.
pub const MAX_TEXT_FIELDS: usize = 50;
/// The longest text field, in bytes.
pub const MAX_TEXT_FIELD_BYTES: usize = 64 * 1024;
/// The name of the file input(s).
const FILE_FIELD: &str = "files";
const CSRF_FIELD: &str = "csrf_token";
/// Bytes gathered in memory before each write, so that a file costs a few trips to the
/// blocking pool rather than one per network chunk.
const WRITE_CHUNK: usize = 256 * 1024;
/// Empty file inputs skipped, at most, before the body counts as malformed.
const MAX_SKIPPED_FILE_PARTS: usize = 20;

/// The fields and stored files of a form whose CSRF token was verified.
#[derive(Debug, Default)]
pub struct MultipartForm {
    pub fields: HashMap<String, String>,
    pub files: Vec<StoredFile>,
}

impl MultipartForm {
    /// A text field's value.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }
}

fn blocking_pool_gone(_: actix_web::error::BlockingError) -> UploadError {
    UploadError::Io(io::Error::other("the blocking thread pool is unavailable"))
}

/// Drops a value on the blocking pool (dropping a [`TempFile`] deletes it).
async fn drop_off_worker<T: Send + 'static>(value: T) {
    // If the pool is gone the closure, and the value with it, is dropped right here.
    let _ = web::block(move || drop(value)).await;
}

/// The files a request has stored so far. Dropping it (an error, or the request being
/// cancelled mid-way) discards the ones the request created.
struct Received {
    store: EvidenceStore,
    files: Vec<StoredFile>,
}

impl Received {
    /// Discards the created files on the blocking pool.
    async fn discard(&mut self) {
        if !self.files.iter().any(|file| file.newly_created) {
            self.files.clear();
            return;
        }
        let store = self.store.clone();
        let files = self.files.clone();
        if web::block(move || store.discard(&files)).await.is_ok() {
            self.files.clear();
        } // else `Drop` does it
    }
}

impl Drop for Received {
    fn drop(&mut self) {
        self.store.discard(&self.files);
    }
}

/// Reads a multipart/form-data body.
///
/// * Text fields (at most [`MAX_TEXT_FIELDS`], each at most [`MAX_TEXT_FIELD_BYTES`]
///   of UTF-8) go into `fields`; a name sent twice is [`UploadError::Malformed`].
/// * `csrf_token` must come before any file; `verify_csrf` is called with it as soon as
///   it arrives. A file before a valid token, a token `verify_csrf` refuses, or no
///   token at all is [`UploadError::Csrf`], with nothing written. A returned form has
///   therefore always passed the check.
/// * Parts named `files` (at most [`MAX_FILES`] non-empty ones) are streamed to ROOT/tmp
///   while hashed and counted, refused as soon as they pass the store's limit, then
///   sniffed, decoded if images (a thumbnail is made) and moved into place. A file input
///   left empty (no file name, no bytes) is skipped; a named file with no bytes is
///   [`UploadError::Empty`]. A file under any other name is `Malformed`.
/// * On any error, every temporary file and every file this request created is removed
///   before returning (and also if the future is dropped part-way).
///
/// All file I/O and image decoding run on `actix_web::web::block`.
pub async fn read_multipart(
    mut payload: Multipart,
    store: &EvidenceStore,
    verify_csrf: impl Fn(&str) -> bool,
) -> Result<MultipartForm, UploadError> {
    let mut received = Received {
        store: store.clone(),
        files: Vec::new(),
    };
    match read_parts(&mut payload, &verify_csrf, &mut received).await {
        Ok(fields) => Ok(MultipartForm {
            fields,
            files: std::mem::take(&mut received.files),
        }),
        Err(error) => {
            received.discard().await;
            Err(error)
        }
    }
}

async fn read_parts(
    payload: &mut Multipart,
    verify_csrf: &impl Fn(&str) -> bool,
    received: &mut Received,
) -> Result<HashMap<String, String>, UploadError> {
    let mut fields = HashMap::new();
    let mut csrf_verified = false;
    let mut skipped = 0usize;
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|_| UploadError::Malformed)?;
        let name = field.name().ok_or(UploadError::Malformed)?.to_owned();
        let file_name = file_name(&field);

        if name == FILE_FIELD {
            if !csrf_verified {
                return Err(UploadError::Csrf);
            }
            let file_name = file_name.unwrap_or_default();
            if received.files.len() >= MAX_FILES && !file_name.is_empty() {
                return Err(UploadError::TooManyFiles);
            }
            match receive_file(&mut field, &received.store, &file_name).await? {
                Some(file) => {
                    received.files.push(file);
                    if received.files.len() > MAX_FILES {
                        return Err(UploadError::TooManyFiles);
                    }
                }
                None => {
                    skipped += 1;
                    if skipped > MAX_SKIPPED_FILE_PARTS {
                        return Err(UploadError::Malformed);
                    }
                }
            }
        } else if file_name.is_some() {
            return Err(UploadError::Malformed);
        } else {
            if fields.len() >= MAX_TEXT_FIELDS || fields.contains_key(&name) {
                return Err(UploadError::Malformed);
            }
            let value = read_text(&mut field).await?;
            if name == CSRF_FIELD {
                if !verify_csrf(&value) {
                    return Err(UploadError::Csrf);
                }
                csrf_verified = true;
            }
            fields.insert(name, value);
        }
    }
    if !csrf_verified {
        return Err(UploadError::Csrf);
    }
    Ok(fields)
}

/// The `filename` parameter as browsers send it: they percent-encode `"` and line
/// breaks and never escape with backslashes, so a backslash is taken literally (old
/// browsers send `C:\fakepath\x.pdf`, which actix's parser would turn into
/// `C:fakepathx.pdf`). Falls back to actix's parsing when the raw header does not read.
pub(crate) fn file_name(field: &Field) -> Option<String> {
    let raw = field
        .headers()
        .get(header::CONTENT_DISPOSITION)
        .and_then(|value| std::str::from_utf8(value.as_bytes()).ok())
        .and_then(raw_file_name);
    raw.or_else(|| {
        field
            .content_disposition()
            .and_then(|disposition| disposition.get_filename())
            .map(str::to_owned)
    })
}

fn raw_file_name(header_value: &str) -> Option<String> {
    let (_, mut rest) = header_value.split_once(';')?;
    loop {
        let (key, after) = rest.split_once('=')?;
        let after = after.trim_start();
        let (value, next) = match after.strip_prefix('"') {
            Some(quoted) => {
                let (value, tail) = quoted.split_once('"')?;
                (value, tail.split_once(';').map(|(_, next)| next))
            }
            None => match after.split_once(';') {
                Some((value, next)) => (value.trim_end(), Some(next)),
                None => (after.trim_end(), None),
            },
        };
        if key.trim().eq_ignore_ascii_case("filename") {
            return Some(value.to_owned());
        }
        rest = next?;
    }
}

/// A text field's value, refused past [`MAX_TEXT_FIELD_BYTES`] without reading on.
pub(crate) async fn read_text(field: &mut Field) -> Result<String, UploadError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(|_| UploadError::Malformed)?;
        if bytes.len() + chunk.len() > MAX_TEXT_FIELD_BYTES {
            return Err(UploadError::Malformed);
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes).map_err(|_| UploadError::Malformed)
}

/// Streams one file part to a temporary file and stores it; `None` for an empty file
/// input. The temporary file is gone when this returns, whatever the outcome.
async fn receive_file(
    field: &mut Field,
    store: &EvidenceStore,
    raw_name: &str,
) -> Result<Option<StoredFile>, UploadError> {
    let mut temp = None;
    if let Err(error) = stream_to_temp(field, store, raw_name, &mut temp).await {
        if let Some(temp) = temp {
            drop_off_worker(temp).await;
        }
        return Err(error);
    }
    let Some(temp) = temp else {
        return if raw_name.is_empty() {
            Ok(None)
        } else {
            Err(UploadError::Empty {
                name: display_name(raw_name),
            })
        };
    };
    let store = store.clone();
    let raw_name = raw_name.to_owned();
    web::block(move || {
        let placed = store.place(temp, &raw_name)?;
        Ok(Placed::new(store, placed))
    })
    .await
    .map_err(blocking_pool_gone)?
    .map(Placed::keep)
}

/// A file just moved into place on the blocking pool, on its way back to the request.
/// If the request was cancelled meanwhile, nobody takes it: it is dropped on the pool,
/// and a file this request created is discarded there instead of being left behind.
struct Placed {
    store: EvidenceStore,
    file: Option<StoredFile>,
}

impl Placed {
    fn new(store: EvidenceStore, file: StoredFile) -> Placed {
        Placed {
            store,
            file: Some(file),
        }
    }

    /// The request has it: from now on [`Received`] answers for it.
    fn keep(mut self) -> Option<StoredFile> {
        self.file.take()
    }
}

impl Drop for Placed {
    fn drop(&mut self) {
        if let Some(file) = self.file.take() {
            self.store.discard(std::slice::from_ref(&file));
        }
    }
}

/// Writes the part's bytes to `temp` (created at the first byte), stopping as soon as
/// the size passes the limit.
async fn stream_to_temp(
    field: &mut Field,
    store: &EvidenceStore,
    raw_name: &str,
    temp: &mut Option<TempFile>,
) -> Result<(), UploadError> {
    let limit = store.max_bytes();
    let mut size = 0u64;
    let mut pending = Vec::new();
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(|_| UploadError::Malformed)?;
        size += chunk.len() as u64;
        if size > limit {
            return Err(UploadError::TooLarge {
                name: display_name(raw_name),
                limit_bytes: limit,
            });
        }
        pending.extend_from_slice(&chunk);
        if pending.len() >= WRITE_CHUNK {
            pending = write_pending(store, temp, pending).await?;
        }
    }
    if !pending.is_empty() {
        write_pending(store, temp, pending).await?;
    }
    Ok(())
}

/// Appends `pending` to the temporary file on the blocking pool; returns the emptied
/// buffer for reuse.
async fn write_pending(
    store: &EvidenceStore,
    temp: &mut Option<TempFile>,
    pending: Vec<u8>,
) -> Result<Vec<u8>, UploadError> {
    let store = store.clone();
    let existing = temp.take();
    let (file, mut pending) = web::block(move || -> io::Result<(TempFile, Vec<u8>)> {
        let mut file = match existing {
            Some(file) => file,
            None => store.create_temp()?,
        };
        file.write(&pending)?;
        Ok((file, pending))
    })
    .await
    .map_err(blocking_pool_gone)??;
    *temp = Some(file);
    pending.clear();
    Ok(pending)
}

#[cfg(test)]
mod tests {
    use actix_web::error::PayloadError;
    use actix_web::http::header::{HeaderMap, HeaderValue};
    use actix_web::web::Bytes;

    use super::*;
    use crate::evidence::EvidenceType;
    use crate::evidence::testing::{self, TempDir, count_files};

    const BOUNDARY: &str = "----lamtheobac-test-boundary";
    const TOKEN: &str = "good-token";

    enum Part<'a> {
        Text(&'a str, &'a str),
        File(&'a str, &'a str, Vec<u8>),
    }

    fn body(parts: &[Part<'_>], close: bool) -> Vec<u8> {
        let mut out = Vec::new();
        for part in parts {
            out.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
            match part {
                Part::Text(name, value) => {
                    out.extend_from_slice(
                        format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n")
                            .as_bytes(),
                    );
                    out.extend_from_slice(value.as_bytes());
                }
                Part::File(name, file_name, bytes) => {
                    out.extend_from_slice(
                        format!(
                            "Content-Disposition: form-data; name=\"{name}\"; \
                             filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                        )
                        .as_bytes(),
                    );
                    out.extend_from_slice(bytes);
                }
            }
            out.extend_from_slice(b"\r\n");
        }
        if close {
            out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        }
        out
    }

    /// A `Multipart` over the body, delivered in small chunks as a network would.
    fn multipart(body: Vec<u8>) -> Multipart {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(&format!("multipart/form-data; boundary={BOUNDARY}")).unwrap(),
        );
        let chunks: Vec<Result<Bytes, PayloadError>> = body
            .chunks(7919)
            .map(|chunk| Ok(Bytes::copy_from_slice(chunk)))
            .collect();
        Multipart::new(&headers, futures_util::stream::iter(chunks))
    }

    async fn read(store: &EvidenceStore, parts: &[Part<'_>]) -> Result<MultipartForm, UploadError> {
        read_multipart(multipart(body(parts, true)), store, |token| token == TOKEN).await
    }

    fn nothing_left(dir: &TempDir) -> bool {
        count_files(&dir.path().join("files")) == 0
            && count_files(&dir.path().join("thumbs")) == 0
            && count_files(&dir.path().join("tmp")) == 0
    }

    #[test]
    fn file_names_read_as_browsers_send_them() {
        let cases = [
            (
                r#"form-data; name="files"; filename="C:\fakepath\x.pdf""#,
                Some(r"C:\fakepath\x.pdf"),
            ),
            (
                r#"form-data; name="a;b=c"; filename="Ảnh %22 1.jpg""#,
                Some("Ảnh %22 1.jpg"),
            ),
            (
                "form-data; name=files; filename=plain.pdf",
                Some("plain.pdf"),
            ),
            (r#"form-data; filename="" ; name="files""#, Some("")),
            (r#"form-data; name="files"; filename*=UTF-8''x.pdf"#, None),
            (r#"form-data; name="files""#, None),
            (r#"form-data; name="files"; filename="unterminated"#, None),
            ("form-data", None),
        ];
        for (value, expected) in cases {
            assert_eq!(raw_file_name(value).as_deref(), expected, "{value}");
        }
    }

    #[actix_web::test]
    async fn two_good_files_are_stored() {
        let dir = TempDir::new("mp-good");
        let store = EvidenceStore::new(dir.path(), 1 << 22).unwrap();
        let photo = testing::jpeg(900, 600);
        let form = read(
            &store,
            &[
                Part::Text("csrf_token", TOKEN),
                Part::Text("result_summary", "Đã hoàn thành\r\nvượt kế hoạch"),
                Part::File("files", "Ảnh nghiệm thu.jpg", photo.clone()),
                Part::File("files", r"C:\fakepath\bien-ban.docx", testing::docx()),
                Part::Text("actual_value_vnd", "12.500.000"),
            ],
        )
        .await
        .unwrap();
        assert_eq!(
            form.field("result_summary"),
            Some("Đã hoàn thành\r\nvượt kế hoạch")
        );
        assert_eq!(form.field("actual_value_vnd"), Some("12.500.000"));
        assert_eq!(form.field("csrf_token"), Some(TOKEN));
        assert_eq!(form.files.len(), 2);
        let (jpg, docx) = (&form.files[0], &form.files[1]);
        assert_eq!(jpg.kind, EvidenceType::Jpeg);
        assert_eq!(jpg.original_name, "Ảnh nghiệm thu.jpg");
        assert_eq!(jpg.size_bytes, photo.len() as u64);
        assert!(jpg.newly_created);
        assert_eq!(
            std::fs::read(store.file_path(&jpg.sha256).unwrap()).unwrap(),
            photo
        );
        assert!(store.thumbnail_path(&jpg.sha256).is_some());
        assert_eq!(docx.kind, EvidenceType::Docx);
        assert_eq!(docx.original_name, "bien-ban.docx");
        assert!(store.file_path(&docx.sha256).unwrap().is_file());
        assert_eq!(count_files(&dir.path().join("tmp")), 0);
    }

    #[actix_web::test]
    async fn large_files_stream_through_several_writes() {
        let dir = TempDir::new("mp-large");
        let store = EvidenceStore::new(dir.path(), 4 << 20).unwrap();
        let mut pdf = testing::PDF.to_vec();
        pdf.extend((0..3_000_000u32).map(|i| (i % 251) as u8));
        let form = read(
            &store,
            &[
                Part::Text("csrf_token", TOKEN),
                Part::File("files", "lon.pdf", pdf.clone()),
            ],
        )
        .await
        .unwrap();
        let stored = &form.files[0];
        assert_eq!(stored.size_bytes, pdf.len() as u64);
        assert_eq!(
            std::fs::read(store.file_path(&stored.sha256).unwrap()).unwrap(),
            pdf
        );
    }

    #[actix_web::test]
    async fn oversized_file_is_refused_and_nothing_left() {
        let dir = TempDir::new("mp-big");
        let store = EvidenceStore::new(dir.path(), 100_000).unwrap();
        let mut big = testing::PDF.to_vec();
        big.resize(600_000, b'x');
        let result = read(
            &store,
            &[
                Part::Text("csrf_token", TOKEN),
                Part::File("files", "nho.pdf", testing::PDF.to_vec()),
                Part::File("files", "to.pdf", big),
            ],
        )
        .await;
        match result {
            Err(UploadError::TooLarge { name, limit_bytes }) => {
                assert_eq!(name, "to.pdf");
                assert_eq!(limit_bytes, 100_000);
            }
            other => panic!("expected TooLarge, got {other:?}"),
        }
        assert!(nothing_left(&dir));
    }

    #[actix_web::test]
    async fn file_before_token_is_csrf_and_nothing_written() {
        let dir = TempDir::new("mp-csrf");
        let store = EvidenceStore::new(dir.path(), 1 << 20).unwrap();
        let result = read(
            &store,
            &[
                Part::File("files", "a.pdf", testing::PDF.to_vec()),
                Part::Text("csrf_token", TOKEN),
            ],
        )
        .await;
        assert!(matches!(result, Err(UploadError::Csrf)), "{result:?}");
        assert!(nothing_left(&dir));

        // A wrong token.
        let result = read(
            &store,
            &[
                Part::Text("csrf_token", "forged"),
                Part::File("files", "a.pdf", testing::PDF.to_vec()),
            ],
        )
        .await;
        assert!(matches!(result, Err(UploadError::Csrf)), "{result:?}");
        // No token at all, and no file.
        let result = read(&store, &[Part::Text("result_summary", "x")]).await;
        assert!(matches!(result, Err(UploadError::Csrf)), "{result:?}");
        assert!(nothing_left(&dir));
    }

    #[actix_web::test]
    async fn wrong_content_is_refused_and_earlier_files_removed() {
        let dir = TempDir::new("mp-type");
        let store = EvidenceStore::new(dir.path(), 1 << 20).unwrap();
        // Stored before by someone else: must survive this request's failure.
        let shared = store
            .store_bytes("chung.png", &testing::png(30, 30))
            .unwrap();
        let result = read(
            &store,
            &[
                Part::Text("csrf_token", TOKEN),
                Part::File("files", "a.pdf", testing::PDF.to_vec()),
                Part::File("files", "cung.png", testing::png(30, 30)),
                Part::File("files", "b.jpg", testing::jpeg(50, 40)),
                Part::File(
                    "files",
                    "bao-cao.pdf",
                    b"<html><script>alert(1)</script></html>".to_vec(),
                ),
            ],
        )
        .await;
        match result {
            Err(UploadError::UnsupportedType { name }) => assert_eq!(name, "bao-cao.pdf"),
            other => panic!("expected UnsupportedType, got {other:?}"),
        }
        assert_eq!(count_files(&dir.path().join("tmp")), 0);
        assert_eq!(count_files(&dir.path().join("files")), 1);
        assert_eq!(count_files(&dir.path().join("thumbs")), 1);
        assert!(store.file_path(&shared.sha256).unwrap().is_file());
        assert!(store.thumbnail_path(&shared.sha256).is_some());
    }

    #[actix_web::test]
    async fn exe_renamed_pdf_alone_is_refused() {
        let dir = TempDir::new("mp-exe");
        let store = EvidenceStore::new(dir.path(), 1 << 20).unwrap();
        let result = read(
            &store,
            &[
                Part::Text("csrf_token", TOKEN),
                Part::File("files", "hoa-don.pdf", b"MZ\x90\0\x03\0\0\0 PE".to_vec()),
            ],
        )
        .await;
        assert!(matches!(result, Err(UploadError::UnsupportedType { .. })));
        assert!(nothing_left(&dir));
    }

    #[actix_web::test]
    async fn empty_file_input_is_skipped_but_empty_file_is_refused() {
        let dir = TempDir::new("mp-empty");
        let store = EvidenceStore::new(dir.path(), 1 << 20).unwrap();
        let form = read(
            &store,
            &[
                Part::Text("csrf_token", TOKEN),
                Part::File("files", "", Vec::new()),
                Part::Text("result_summary", "x"),
            ],
        )
        .await
        .unwrap();
        assert!(form.files.is_empty());
        assert_eq!(form.field("result_summary"), Some("x"));

        let result = read(
            &store,
            &[
                Part::Text("csrf_token", TOKEN),
                Part::File("files", "a.pdf", testing::PDF.to_vec()),
                Part::File("files", "rong.pdf", Vec::new()),
            ],
        )
        .await;
        match result {
            Err(UploadError::Empty { name }) => assert_eq!(name, "rong.pdf"),
            other => panic!("expected Empty, got {other:?}"),
        }
        assert!(nothing_left(&dir));
    }

    #[actix_web::test]
    async fn too_many_files() {
        let dir = TempDir::new("mp-many");
        let store = EvidenceStore::new(dir.path(), 1 << 20).unwrap();
        let pdfs: Vec<Vec<u8>> = (0..=MAX_FILES)
            .map(|i| format!("%PDF-1.4\n% {i}\n").into_bytes())
            .collect();
        let mut parts = vec![Part::Text("csrf_token", TOKEN)];
        parts.extend(
            pdfs.iter()
                .map(|pdf| Part::File("files", "x.pdf", pdf.clone())),
        );
        let result = read(&store, &parts).await;
        assert!(
            matches!(result, Err(UploadError::TooManyFiles)),
            "{result:?}"
        );
        assert!(nothing_left(&dir));

        parts.pop();
        let form = read(&store, &parts).await.unwrap();
        assert_eq!(form.files.len(), MAX_FILES);
    }

    #[actix_web::test]
    async fn malformed_bodies() {
        let dir = TempDir::new("mp-bad");
        let store = EvidenceStore::new(dir.path(), 1 << 20).unwrap();
        let long = "a".repeat(MAX_TEXT_FIELD_BYTES + 1);
        let cases: Vec<Vec<Part<'_>>> = vec![
            // A text field that is too long.
            vec![
                Part::Text("csrf_token", TOKEN),
                Part::Text("result_summary", &long),
            ],
            // The same field twice.
            vec![
                Part::Text("csrf_token", TOKEN),
                Part::Text("a", "1"),
                Part::Text("a", "2"),
            ],
            // A file under another name.
            vec![
                Part::Text("csrf_token", TOKEN),
                Part::File("avatar", "a.pdf", testing::PDF.to_vec()),
            ],
        ];
        for parts in &cases {
            let result = read(&store, parts).await;
            assert!(matches!(result, Err(UploadError::Malformed)), "{result:?}");
        }
        let many: Vec<(String, String)> = (0..=MAX_TEXT_FIELDS)
            .map(|i| (format!("f{i}"), i.to_string()))
            .collect();
        let mut parts = vec![Part::Text("csrf_token", TOKEN)];
        parts.extend(many.iter().map(|(name, value)| Part::Text(name, value)));
        let result = read(&store, &parts).await;
        assert!(matches!(result, Err(UploadError::Malformed)), "{result:?}");

        // Cut off in the middle of the second file: the first is removed again.
        let mut truncated = body(
            &[
                Part::Text("csrf_token", TOKEN),
                Part::File("files", "a.pdf", testing::PDF.to_vec()),
                Part::File("files", "b.pdf", [testing::PDF, &[b'z'; 50_000]].concat()),
            ],
            false,
        );
        truncated.truncate(truncated.len() - 20_000);
        let result = read_multipart(multipart(truncated), &store, |token| token == TOKEN).await;
        assert!(matches!(result, Err(UploadError::Malformed)), "{result:?}");
        assert!(nothing_left(&dir));

        // Not multipart at all.
        let result = read_multipart(
            Multipart::new(&HeaderMap::new(), futures_util::stream::empty()),
            &store,
            |_| true,
        )
        .await;
        assert!(matches!(result, Err(UploadError::Malformed)), "{result:?}");
    }

    #[actix_web::test]
    async fn cancelled_request_leaves_nothing() {
        let dir = TempDir::new("mp-cancel");
        let store = EvidenceStore::new(dir.path(), 1 << 20).unwrap();
        // The body never ends: the first file is stored, the second waits forever.
        let head = body(
            &[
                Part::Text("csrf_token", TOKEN),
                Part::File("files", "a.pdf", testing::PDF.to_vec()),
                Part::File("files", "b.pdf", testing::PDF.repeat(100)),
            ],
            false,
        );
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(&format!("multipart/form-data; boundary={BOUNDARY}")).unwrap(),
        );
        let stream = futures_util::stream::iter(vec![Ok::<_, PayloadError>(Bytes::from(head))])
            .chain(futures_util::stream::pending());
        let payload = Multipart::new(&headers, stream);
        let reading = read_multipart(payload, &store, |token| token == TOKEN);
        let timed_out =
            actix_web::rt::time::timeout(std::time::Duration::from_millis(500), reading).await;
        assert!(timed_out.is_err());
        // A file being placed on the blocking pool when the request went away is
        // discarded there once placed: wait for the pool, a bounded while.
        let mut clean = nothing_left(&dir);
        for _ in 0..100 {
            if clean {
                break;
            }
            actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
            clean = nothing_left(&dir);
        }
        assert!(clean, "files left behind by a cancelled request");
    }
}
