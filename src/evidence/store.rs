//! Evidence bytes on disk, named by the SHA-256 of their content:
//!
//! ```text
//! ROOT/files/ab/abcdef…   the file (the full 64-hex digest, sharded by its first two digits)
//! ROOT/thumbs/ab/abcdef….jpg   a 320 px JPEG for images
//! ROOT/tmp/                uploads in progress; moved into place only once accepted
//! ```
//!
//! A file reaches `files/` only after it has been hashed, sniffed and (for images)
//! decoded, so what is there is always complete and of an accepted type. It is put in
//! place with a hard link, which fails if the name exists: two requests storing the
//! same content at once cannot both believe they created it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use image::codecs::jpeg::JpegEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits, RgbImage};
use sha2::{Digest, Sha256};

use super::names::display_name;
use super::{EvidenceType, UploadError, sanitize_file_name, sniff};

/// Thumbnails fit in a square of this many pixels.
pub const THUMBNAIL_SIDE: u32 = 320;
/// Images wider or taller than this are refused ([`UploadError::ImageTooLarge`]).
pub const MAX_IMAGE_SIDE: u32 = 20_000;
/// Images of more pixels than this (50 megapixels, a large phone photo) are refused
/// ([`UploadError::ImageTooLarge`]) before they are decoded.
pub const MAX_IMAGE_PIXELS: u64 = 50_000_000;
/// The most memory one image may take while it is decoded (a 50-megapixel RGBA
/// image takes 200 MB).
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
/// Images decoded at the same time, across the whole process.
const MAX_CONCURRENT_DECODES: usize = 2;
/// How long a decode waits for its turn before the upload is refused as busy.
const DECODE_WAIT: Duration = Duration::from_secs(20);
const THUMBNAIL_QUALITY: u8 = 80;
/// Temporary files older than this are left over from a crash and removed at start.
const STALE_TEMP_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// Where evidence files live, and the size limit for one file.
#[derive(Debug, Clone)]
pub struct EvidenceStore {
    root: PathBuf,
    max_bytes: u64,
}

/// One file of a request, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    /// 64 lowercase hex digits.
    pub sha256: String,
    pub size_bytes: u64,
    pub kind: EvidenceType,
    /// Cleaned by [`sanitize_file_name`]: safe to show and to send back on download.
    pub original_name: String,
    /// `false` when the same content was stored already (by this or another request):
    /// [`EvidenceStore::discard`] leaves such files alone.
    pub newly_created: bool,
}

fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0F)]));
    }
    out
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

impl EvidenceStore {
    /// Opens the store at `root`, creating its folders, and clears temporary files left
    /// by a crash more than a day ago.
    pub fn new(root: impl Into<PathBuf>, max_bytes: u64) -> io::Result<EvidenceStore> {
        let store = EvidenceStore {
            root: root.into(),
            max_bytes,
        };
        for dir in [store.files_dir(), store.thumbs_dir(), store.tmp_dir()] {
            fs::create_dir_all(dir)?;
        }
        store.remove_stale_temp();
        Ok(store)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The largest file accepted, in bytes.
    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    fn files_dir(&self) -> PathBuf {
        self.root.join("files")
    }

    fn thumbs_dir(&self) -> PathBuf {
        self.root.join("thumbs")
    }

    pub(crate) fn tmp_dir(&self) -> PathBuf {
        self.root.join("tmp")
    }

    /// Where the file with this digest is (whether or not it exists); `None` unless
    /// `sha256` is 64 lowercase hex digits, so no other path can be reached.
    pub fn file_path(&self, sha256: &str) -> Option<PathBuf> {
        is_sha256_hex(sha256).then(|| self.files_dir().join(&sha256[..2]).join(sha256))
    }

    /// The thumbnail of an image, if the digest is valid and the thumbnail exists.
    pub fn thumbnail_path(&self, sha256: &str) -> Option<PathBuf> {
        is_sha256_hex(sha256)
            .then(|| self.thumbnail_location(sha256))
            .filter(|path| path.is_file())
    }

    fn thumbnail_location(&self, sha256: &str) -> PathBuf {
        self.thumbs_dir()
            .join(&sha256[..2])
            .join(format!("{sha256}.jpg"))
    }

    /// Stores bytes already in memory (the demo seeds sample files this way), with the
    /// same checks as an upload. Blocking: call it off the async workers.
    pub fn store_bytes(
        &self,
        original_name: &str,
        bytes: &[u8],
    ) -> Result<StoredFile, UploadError> {
        if bytes.is_empty() {
            return Err(UploadError::Empty {
                name: display_name(original_name),
            });
        }
        if bytes.len() as u64 > self.max_bytes {
            return Err(UploadError::TooLarge {
                name: display_name(original_name),
                limit_bytes: self.max_bytes,
            });
        }
        let mut temp = self.create_temp()?;
        temp.write(bytes)?;
        self.place(temp, original_name)
    }

    /// Removes the files this request created (`newly_created`), with their thumbnails:
    /// for when the database refuses the change after the upload. Files that existed
    /// before are left alone. Failures are logged, not returned.
    pub fn discard(&self, files: &[StoredFile]) {
        for file in files.iter().filter(|file| file.newly_created) {
            if let Err(error) = self.remove(&file.sha256) {
                tracing::warn!(sha256 = %file.sha256, %error, "could not discard an evidence file");
            }
        }
    }

    /// Removes a file and its thumbnail (when an admin purges an initiative and no
    /// other row refers to the digest). A file already gone is not an error.
    pub fn remove(&self, sha256: &str) -> io::Result<()> {
        let file = self.file_path(sha256).ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "not a SHA-256 hex digest")
        })?;
        let removed_file = remove_if_present(&file);
        let removed_thumbnail = remove_if_present(&self.thumbnail_location(sha256));
        removed_file.and(removed_thumbnail)
    }

    /// A new, empty temporary file under ROOT/tmp, removed when dropped.
    pub(crate) fn create_temp(&self) -> io::Result<TempFile> {
        TempFile::create(&self.tmp_dir())
    }

    /// Checks a fully written temporary file and moves it into place. Blocking.
    pub(crate) fn place(
        &self,
        mut temp: TempFile,
        raw_name: &str,
    ) -> Result<StoredFile, UploadError> {
        let shown = display_name(raw_name);
        if temp.size == 0 {
            return Err(UploadError::Empty { name: shown });
        }
        if temp.size > self.max_bytes {
            return Err(UploadError::TooLarge {
                name: shown,
                limit_bytes: self.max_bytes,
            });
        }
        let sha256 = temp.finish()?;
        let Some(kind) = sniff(&temp.path)? else {
            return Err(UploadError::UnsupportedType { name: shown });
        };
        let file_path = self.files_dir().join(&sha256[..2]).join(&sha256);
        let thumbnail_path = self.thumbnail_location(&sha256);
        let stored = |newly_created| StoredFile {
            sha256: sha256.clone(),
            size_bytes: temp.size,
            kind,
            original_name: sanitize_file_name(raw_name, kind),
            newly_created,
        };

        // Stored before (and checked then): nothing to do unless a thumbnail is missing.
        if file_path.try_exists()? && (!kind.is_image() || thumbnail_path.try_exists()?) {
            return Ok(stored(false));
        }
        let thumbnail = if kind.is_image() {
            Some(make_thumbnail(&temp.path, kind).map_err(|error| error.into_upload_error(shown))?)
        } else {
            None
        };
        if let Some(parent) = file_path.parent() {
            fs::create_dir_all(parent)?;
        }
        let newly_created = link_into_place(&temp.path, &file_path)?;
        if let Some(jpeg) = thumbnail
            && let Err(error) = self.write_thumbnail(&thumbnail_path, &jpeg)
        {
            if newly_created {
                let _ = remove_if_present(&file_path);
            }
            return Err(error.into());
        }
        Ok(stored(newly_created))
    }

    fn write_thumbnail(&self, path: &Path, jpeg: &[u8]) -> io::Result<()> {
        let mut temp = self.create_temp()?;
        temp.write(jpeg)?;
        temp.finish()?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::rename(&temp.path, path)
    }

    fn remove_stale_temp(&self) {
        let Ok(entries) = fs::read_dir(self.tmp_dir()) else {
            return;
        };
        let now = SystemTime::now();
        for entry in entries.flatten() {
            let stale = entry
                .metadata()
                .and_then(|meta| meta.modified())
                .ok()
                .and_then(|modified| now.duration_since(modified).ok())
                .is_some_and(|age| age > STALE_TEMP_AGE);
            if stale
                && entry.file_type().is_ok_and(|kind| kind.is_file())
                && let Err(error) = fs::remove_file(entry.path())
            {
                tracing::warn!(path = %entry.path().display(), %error, "could not remove a stale upload");
            }
        }
    }
}

/// Gives the temporary file its final name. `Ok(true)` if this call created the file,
/// `Ok(false)` if a file with that (content-derived) name was there already.
fn link_into_place(temp: &Path, target: &Path) -> io::Result<bool> {
    match fs::hard_link(temp, target) {
        Ok(()) => Ok(true),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        // A file system without hard links: check, then rename.
        Err(_) if target.try_exists()? => Ok(false),
        Err(_) => fs::rename(temp, target).map(|()| true),
    }
}

/// A file being written under ROOT/tmp, hashed and counted as it goes. Removed when
/// dropped: whatever happens to a request, no temporary file outlives it.
pub(crate) struct TempFile {
    path: PathBuf,
    file: Option<File>,
    hasher: Sha256,
    size: u64,
}

impl TempFile {
    fn create(dir: &Path) -> io::Result<TempFile> {
        for _ in 0..8 {
            let path = dir.join(format!("upload-{:032x}.part", rand::random::<u128>()));
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => {
                    return Ok(TempFile {
                        path,
                        file: Some(file),
                        hasher: Sha256::new(),
                        size: 0,
                    });
                }
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(error) => return Err(error),
            }
        }
        Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "no free temporary file name",
        ))
    }

    /// Appends bytes.
    pub(crate) fn write(&mut self, data: &[u8]) -> io::Result<()> {
        let file = self
            .file
            .as_mut()
            .ok_or_else(|| io::Error::other("temporary file already finished"))?;
        file.write_all(data)?;
        self.hasher.update(data);
        self.size += data.len() as u64;
        Ok(())
    }

    /// Flushes and closes the file; returns the digest of what was written.
    fn finish(&mut self) -> io::Result<String> {
        if let Some(file) = self.file.take() {
            file.sync_all()?;
        }
        Ok(to_hex(&self.hasher.clone().finalize()))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        self.file = None;
        if let Err(error) = remove_if_present(&self.path) {
            tracing::warn!(path = %self.path.display(), %error, "could not remove a temporary upload");
        }
    }
}

enum ThumbnailError {
    NotAnImage,
    TooLarge,
    /// Other images took every decoding turn for too long.
    Busy,
    Io(io::Error),
}

impl ThumbnailError {
    fn into_upload_error(self, name: String) -> UploadError {
        match self {
            ThumbnailError::NotAnImage => UploadError::UnsupportedType { name },
            ThumbnailError::TooLarge => UploadError::ImageTooLarge { name },
            ThumbnailError::Busy => UploadError::Busy,
            ThumbnailError::Io(error) => UploadError::Io(error),
        }
    }
}

impl From<io::Error> for ThumbnailError {
    fn from(error: io::Error) -> Self {
        ThumbnailError::Io(error)
    }
}

impl From<ImageError> for ThumbnailError {
    fn from(error: ImageError) -> Self {
        match error {
            ImageError::Limits(_) => ThumbnailError::TooLarge,
            // A truncated or garbled image reads as an I/O error in some decoders.
            ImageError::IoError(error)
                if !matches!(
                    error.kind(),
                    io::ErrorKind::UnexpectedEof | io::ErrorKind::InvalidData
                ) =>
            {
                ThumbnailError::Io(error)
            }
            _ => ThumbnailError::NotAnImage,
        }
    }
}

/// Decodes the image (within limits), shrinks it to fit [`THUMBNAIL_SIDE`] (never
/// enlarges), turns it upright (EXIF orientation), puts transparency on white and
/// encodes it as JPEG. Failing to decode means the file only looked like an image.
///
/// The size the header declares is checked before any pixel is decoded: the PNG
/// decoder allocates the whole image without asking `Limits::max_alloc` first, so a
/// 1.5 MB file of zeros declaring 20,000 × 20,000 pixels would take 1.6 GB. At most
/// [`MAX_CONCURRENT_DECODES`] images are decoded at once across the process.
fn make_thumbnail(path: &Path, kind: EvidenceType) -> Result<Vec<u8>, ThumbnailError> {
    let format = match kind {
        EvidenceType::Jpeg => ImageFormat::Jpeg,
        EvidenceType::Png => ImageFormat::Png,
        EvidenceType::Webp => ImageFormat::WebP,
        _ => return Err(ThumbnailError::NotAnImage),
    };
    let mut reader = ImageReader::with_format(BufReader::new(File::open(path)?), format);
    reader.limits(decode_limits());
    let mut decoder = reader.into_decoder()?;
    decoder.set_limits(decode_limits())?;
    let (width, height) = decoder.dimensions();
    if !fits_decode_caps(width, height, decoder.total_bytes()) {
        return Err(ThumbnailError::TooLarge);
    }
    let _permit = decode_permits().acquire()?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder)?;
    // Shrunk first, so that turning it upright copies a thumbnail, not the photo.
    if image.width() > THUMBNAIL_SIDE || image.height() > THUMBNAIL_SIDE {
        image = image.thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE);
    }
    image.apply_orientation(orientation);
    let rgb = on_white(&image);
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, THUMBNAIL_QUALITY).encode_image(&rgb)?;
    Ok(jpeg)
}

fn decode_limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    limits
}

/// Whether an image of this many pixels (and decoded bytes) may be decoded.
fn fits_decode_caps(width: u32, height: u32, decoded_bytes: u64) -> bool {
    width <= MAX_IMAGE_SIDE
        && height <= MAX_IMAGE_SIDE
        && u64::from(width) * u64::from(height) <= MAX_IMAGE_PIXELS
        && decoded_bytes <= MAX_DECODE_BYTES
}

fn decode_permits() -> &'static DecodePermits {
    static PERMITS: DecodePermits = DecodePermits::new(MAX_CONCURRENT_DECODES);
    &PERMITS
}

/// A counting semaphore for the blocking threads that decode images: a decode waits
/// up to [`DECODE_WAIT`] for a turn, then the upload is refused as busy.
struct DecodePermits {
    free: Mutex<usize>,
    returned: Condvar,
}

struct DecodePermit<'a>(&'a DecodePermits);

impl DecodePermits {
    const fn new(count: usize) -> DecodePermits {
        DecodePermits {
            free: Mutex::new(count),
            returned: Condvar::new(),
        }
    }

    fn acquire(&self) -> Result<DecodePermit<'_>, ThumbnailError> {
        let free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
        let (mut free, _) = self
            .returned
            .wait_timeout_while(free, DECODE_WAIT, |free| *free == 0)
            .unwrap_or_else(PoisonError::into_inner);
        if *free == 0 {
            return Err(ThumbnailError::Busy);
        }
        *free -= 1;
        Ok(DecodePermit(self))
    }
}

impl Drop for DecodePermit<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        self.0.returned.notify_one();
    }
}

/// The image as RGB, transparent parts blended onto white (JPEG has no alpha).
fn on_white(image: &DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let blend = |c: u8| {
            let (c, a) = (u16::from(c), u16::from(a));
            ((c * a + 255 * (255 - a) + 127) / 255) as u8
        };
        image::Rgb([blend(r), blend(g), blend(b)])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::testing::{self, TempDir, count_files};

    fn sha256_hex(bytes: &[u8]) -> String {
        to_hex(&Sha256::digest(bytes))
    }

    #[test]
    fn paths_only_for_real_digests() {
        let dir = TempDir::new("paths");
        let store = EvidenceStore::new(dir.path(), 1000).unwrap();
        let hash = "ab".repeat(32);
        assert_eq!(
            store.file_path(&hash).unwrap(),
            dir.path().join("files").join("ab").join(&hash)
        );
        for bad in [
            "",
            "../../etc/passwd",
            &"AB".repeat(32),
            &"ab".repeat(31),
            &format!("{}/", "a".repeat(63)),
            &format!("..{}", "a".repeat(62)),
            &"g".repeat(64),
        ] {
            assert_eq!(store.file_path(bad), None, "{bad:?}");
            assert_eq!(store.thumbnail_path(bad), None, "{bad:?}");
            assert!(store.remove(bad).is_err());
        }
        assert_eq!(store.thumbnail_path(&hash), None); // valid, but not there
        assert!(dir.path().join("tmp").is_dir() && dir.path().join("thumbs").is_dir());
        assert_eq!(store.max_bytes(), 1000);
    }

    #[test]
    fn stores_by_content_hash_and_dedupes() {
        let dir = TempDir::new("store");
        let store = EvidenceStore::new(dir.path(), 1 << 20).unwrap();
        let pdf = testing::PDF;
        let first = store.store_bytes("../Biên bản.pdf", pdf).unwrap();
        assert_eq!(first.sha256, sha256_hex(pdf));
        assert_eq!(first.kind, EvidenceType::Pdf);
        assert_eq!(first.size_bytes, pdf.len() as u64);
        assert_eq!(first.original_name, "Biên bản.pdf");
        assert!(first.newly_created);
        let path = store.file_path(&first.sha256).unwrap();
        assert_eq!(fs::read(&path).unwrap(), pdf);
        assert_eq!(store.thumbnail_path(&first.sha256), None); // not an image

        // Same bytes, another name: one file on disk, not created again.
        let second = store.store_bytes("copy.exe", pdf).unwrap();
        assert_eq!(second.sha256, first.sha256);
        assert_eq!(second.original_name, "copy.exe.pdf");
        assert!(!second.newly_created);
        assert_eq!(count_files(&dir.path().join("files")), 1);
        assert_eq!(count_files(&dir.path().join("tmp")), 0);

        // Discarding the second (not created by it) keeps the file.
        store.discard(std::slice::from_ref(&second));
        assert!(path.is_file());
        store.discard(std::slice::from_ref(&first));
        assert!(!path.exists());
    }

    #[test]
    fn images_get_upright_thumbnails() {
        let dir = TempDir::new("thumbs");
        let store = EvidenceStore::new(dir.path(), 1 << 22).unwrap();
        for (name, bytes, kind) in [
            ("anh.png", testing::png(1000, 500), EvidenceType::Png),
            ("anh.jpg", testing::jpeg(400, 800), EvidenceType::Jpeg),
            ("anh.webp", testing::webp(640, 640), EvidenceType::Webp),
        ] {
            let stored = store.store_bytes(name, &bytes).unwrap();
            assert_eq!(stored.kind, kind);
            let thumb = store.thumbnail_path(&stored.sha256).expect("a thumbnail");
            let decoded = image::open(&thumb).unwrap();
            assert!(decoded.width() <= THUMBNAIL_SIDE && decoded.height() <= THUMBNAIL_SIDE);
            assert_eq!(
                decoded.width().max(decoded.height()),
                THUMBNAIL_SIDE,
                "{name}"
            );
            assert_eq!(
                decoded.width() > decoded.height(),
                kind == EvidenceType::Png
            );
            assert_eq!(fs::read(&thumb).unwrap()[..3], *b"\xFF\xD8\xFF");
        }
        // A portrait photo stored sideways with an EXIF orientation: shown upright.
        let rotated = store
            .store_bytes("dung.jpg", &testing::jpeg_rotated(400, 200))
            .unwrap();
        let decoded = image::open(store.thumbnail_path(&rotated.sha256).unwrap()).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (160, 320));
        // A small image is not enlarged.
        let small = store.store_bytes("nho.png", &testing::png(20, 10)).unwrap();
        let decoded = image::open(store.thumbnail_path(&small.sha256).unwrap()).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (20, 10));
        assert_eq!(count_files(&dir.path().join("tmp")), 0);
    }

    #[test]
    fn missing_thumbnail_is_made_again() {
        let dir = TempDir::new("rethumb");
        let store = EvidenceStore::new(dir.path(), 1 << 20).unwrap();
        let png = testing::png(50, 50);
        let first = store.store_bytes("a.png", &png).unwrap();
        let thumb = store.thumbnail_path(&first.sha256).unwrap();
        fs::remove_file(&thumb).unwrap();
        let again = store.store_bytes("b.png", &png).unwrap();
        assert!(!again.newly_created);
        assert!(thumb.is_file());
    }

    #[test]
    fn transparent_pixels_turn_white() {
        let mut image = image::RgbaImage::new(2, 1);
        image.put_pixel(0, 0, image::Rgba([0, 0, 0, 0]));
        image.put_pixel(1, 0, image::Rgba([10, 20, 30, 255]));
        let rgb = on_white(&DynamicImage::ImageRgba8(image));
        assert_eq!(rgb.get_pixel(0, 0).0, [255, 255, 255]);
        assert_eq!(rgb.get_pixel(1, 0).0, [10, 20, 30]);
    }

    #[test]
    fn refusals_leave_nothing() {
        let dir = TempDir::new("refuse");
        let store = EvidenceStore::new(dir.path(), 100).unwrap();
        let too_big = [testing::PDF, &[b' '; 100]].concat();
        assert!(matches!(
            store.store_bytes("big.pdf", &too_big),
            Err(UploadError::TooLarge { ref name, limit_bytes: 100 }) if name == "big.pdf"
        ));
        assert!(matches!(
            store.store_bytes("C:\\empty.pdf", b""),
            Err(UploadError::Empty { ref name }) if name == "empty.pdf"
        ));
        assert!(matches!(
            store.store_bytes("x.pdf", b"MZ\x90\0 an executable"),
            Err(UploadError::UnsupportedType { ref name }) if name == "x.pdf"
        ));
        // Claims to be a PNG, is not one.
        let mut fake_png = testing::png(8, 8);
        fake_png.truncate(20);
        assert!(matches!(
            store.store_bytes("fake.png", &fake_png),
            Err(UploadError::UnsupportedType { .. })
        ));
        let garbage_jpeg = [b"\xFF\xD8\xFF\xE0".as_slice(), &[0x55; 60]].concat();
        assert!(matches!(
            store.store_bytes("fake.jpg", &garbage_jpeg),
            Err(UploadError::UnsupportedType { .. })
        ));
        assert_eq!(count_files(dir.path()), 0);
    }

    #[test]
    fn oversized_images_are_refused_before_decoding() {
        let dir = TempDir::new("bomb");
        let store = EvidenceStore::new(dir.path(), 1 << 20).unwrap();
        // A real PNG, one pixel high but wider than allowed.
        let wide = testing::png(MAX_IMAGE_SIDE + 1, 1);
        assert!(matches!(
            store.store_bytes("wide.png", &wide),
            Err(UploadError::ImageTooLarge { .. })
        ));
        assert_eq!(count_files(dir.path()), 0);
    }

    #[test]
    fn remove_takes_file_and_thumbnail() {
        let dir = TempDir::new("remove");
        let store = EvidenceStore::new(dir.path(), 1 << 20).unwrap();
        let stored = store.store_bytes("a.jpg", &testing::jpeg(64, 48)).unwrap();
        assert!(store.thumbnail_path(&stored.sha256).is_some());
        store.remove(&stored.sha256).unwrap();
        assert!(!store.file_path(&stored.sha256).unwrap().exists());
        assert_eq!(store.thumbnail_path(&stored.sha256), None);
        assert_eq!(count_files(dir.path()), 0);
        // Already gone: fine.
        store.remove(&stored.sha256).unwrap();
    }

    #[test]
    fn stale_temporary_files_are_cleared_at_start() {
        let dir = TempDir::new("stale");
        let store = EvidenceStore::new(dir.path(), 100).unwrap();
        let old = store.tmp_dir().join("upload-old.part");
        let fresh = store.tmp_dir().join("upload-fresh.part");
        fs::write(&old, b"x").unwrap();
        fs::write(&fresh, b"x").unwrap();
        let long_ago = SystemTime::now() - 2 * STALE_TEMP_AGE;
        File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
        EvidenceStore::new(dir.path(), 100).unwrap();
        assert!(!old.exists());
        assert!(fresh.exists());
    }

    #[test]
    fn temp_files_vanish_when_dropped() {
        let dir = TempDir::new("temp");
        let store = EvidenceStore::new(dir.path(), 100).unwrap();
        let mut temp = store.create_temp().unwrap();
        temp.write(b"abc").unwrap();
        assert_eq!(count_files(&store.tmp_dir()), 1);
        drop(temp);
        assert_eq!(count_files(&store.tmp_dir()), 0);
    }
}
