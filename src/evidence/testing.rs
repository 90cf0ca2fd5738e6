//! Test helpers: a temporary folder per test, small valid files of each kind, and
//! hand-built ZIP archives.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{ImageFormat, RgbImage, RgbaImage};

/// A folder under the system temp folder, removed with everything in it when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!(
            "lamtheobac-evidence-{label}-{}-{:016x}",
            std::process::id(),
            rand::random::<u64>()
        ));
        std::fs::create_dir_all(&path).expect("creating a temporary folder");
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// How many regular files are under `dir`, at any depth.
pub fn count_files(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| {
            let path = entry.path();
            if path.is_dir() { count_files(&path) } else { 1 }
        })
        .sum()
}

/// A minimal PDF: the header is all the sniffer needs.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

fn gradient(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    })
}

fn encode(image: &image::DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image
        .write_to(&mut out, format)
        .expect("encoding a test image");
    out.into_inner()
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
    // With an alpha channel, to exercise the white background.
    let rgba = RgbaImage::from_fn(width, height, |x, y| {
        image::Rgba([(x % 256) as u8, (y % 256) as u8, 128, ((x * 7) % 256) as u8])
    });
    encode(&image::DynamicImage::ImageRgba8(rgba), ImageFormat::Png)
}

pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    encode(
        &image::DynamicImage::ImageRgb8(gradient(width, height)),
        ImageFormat::Jpeg,
    )
}

/// A JPEG whose EXIF data says "rotate 90° clockwise to display" (orientation 6), as
/// phones write when held upright.
pub fn jpeg_rotated(width: u32, height: u32) -> Vec<u8> {
    let plain = jpeg(width, height);
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"II*\0"); // little-endian TIFF
    put_u32(&mut tiff, 8); // first IFD
    put_u16(&mut tiff, 1); // one entry
    put_u16(&mut tiff, 0x0112); // Orientation
    put_u16(&mut tiff, 3); // SHORT
    put_u32(&mut tiff, 1); // count
    put_u16(&mut tiff, 6); // value
    put_u16(&mut tiff, 0); // padding
    put_u32(&mut tiff, 0); // no next IFD
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = plain[..2].to_vec(); // SOI
    out.extend_from_slice(b"\xFF\xE1");
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&plain[2..]);
    out
}

pub fn webp(width: u32, height: u32) -> Vec<u8> {
    encode(
        &image::DynamicImage::ImageRgb8(gradient(width, height)),
        ImageFormat::WebP,
    )
}

fn put_u16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put_u32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put_u64(out: &mut Vec<u8>, value: u64) {
    out.extend_from_slice(&value.to_le_bytes());
}

/// Local headers (stored, empty entries) followed by the central directory.
fn zip_entries(names: &[&str]) -> (Vec<u8>, Vec<u8>) {
    let mut body = Vec::new();
    let mut directory = Vec::new();
    for name in names {
        let offset = body.len() as u32;
        body.extend_from_slice(b"PK\x03\x04");
        put_u16(&mut body, 20); // version needed
        put_u16(&mut body, 0); // flags
        put_u16(&mut body, 0); // stored
        put_u32(&mut body, 0); // time and date
        put_u32(&mut body, 0); // crc-32
        put_u32(&mut body, 0); // compressed size
        put_u32(&mut body, 0); // size
        put_u16(&mut body, name.len() as u16);
        put_u16(&mut body, 0); // extra
        body.extend_from_slice(name.as_bytes());

        directory.extend_from_slice(b"PK\x01\x02");
        put_u16(&mut directory, 20); // version made by
        put_u16(&mut directory, 20); // version needed
        put_u16(&mut directory, 0); // flags
        put_u16(&mut directory, 0); // stored
        put_u32(&mut directory, 0); // time and date
        put_u32(&mut directory, 0); // crc-32
        put_u32(&mut directory, 0); // compressed size
        put_u32(&mut directory, 0); // size
        put_u16(&mut directory, name.len() as u16);
        put_u16(&mut directory, 4); // extra
        put_u16(&mut directory, 3); // comment
        put_u16(&mut directory, 0); // disk
        put_u16(&mut directory, 0); // internal attributes
        put_u32(&mut directory, 0); // external attributes
        put_u32(&mut directory, offset);
        directory.extend_from_slice(name.as_bytes());
        directory.extend_from_slice(b"\xCA\xFE\0\0"); // an (unknown) extra field
        directory.extend_from_slice(b"abc");
    }
    (body, directory)
}

/// A ZIP archive with these (empty, stored) entries and an archive comment.
pub fn zip(names: &[&str], comment: &[u8]) -> Vec<u8> {
    let (mut out, directory) = zip_entries(names);
    let directory_offset = out.len() as u32;
    out.extend_from_slice(&directory);
    out.extend_from_slice(b"PK\x05\x06");
    put_u16(&mut out, 0);
    put_u16(&mut out, 0);
    put_u16(&mut out, names.len() as u16);
    put_u16(&mut out, names.len() as u16);
    put_u32(&mut out, directory.len() as u32);
    put_u32(&mut out, directory_offset);
    put_u16(&mut out, comment.len() as u16);
    out.extend_from_slice(comment);
    out
}

const DOCX_PARTS: &[&str] = &[
    "[Content_Types].xml",
    "_rels/.rels",
    "word/document.xml",
    "word/_rels/document.xml.rels",
    "docProps/core.xml",
];

pub fn docx() -> Vec<u8> {
    zip(DOCX_PARTS, b"")
}

pub fn xlsx() -> Vec<u8> {
    zip(
        &[
            "[Content_Types].xml",
            "_rels/.rels",
            "xl/workbook.xml",
            "xl/worksheets/sheet1.xml",
        ],
        b"",
    )
}

/// A DOCX whose end record defers to ZIP64 records.
pub fn zip64_docx() -> Vec<u8> {
    let (mut out, directory) = zip_entries(DOCX_PARTS);
    let directory_offset = out.len() as u64;
    out.extend_from_slice(&directory);
    let record_offset = out.len() as u64;
    out.extend_from_slice(b"PK\x06\x06");
    put_u64(&mut out, 44); // size of the rest of the record
    put_u16(&mut out, 45);
    put_u16(&mut out, 45);
    put_u32(&mut out, 0);
    put_u32(&mut out, 0);
    put_u64(&mut out, DOCX_PARTS.len() as u64);
    put_u64(&mut out, DOCX_PARTS.len() as u64);
    put_u64(&mut out, directory.len() as u64);
    put_u64(&mut out, directory_offset);
    out.extend_from_slice(b"PK\x06\x07");
    put_u32(&mut out, 0);
    put_u64(&mut out, record_offset);
    put_u32(&mut out, 1);
    out.extend_from_slice(b"PK\x05\x06");
    put_u16(&mut out, 0xFFFF);
    put_u16(&mut out, 0xFFFF);
    put_u16(&mut out, 0xFFFF);
    put_u16(&mut out, 0xFFFF);
    put_u32(&mut out, 0xFFFF_FFFF);
    put_u32(&mut out, 0xFFFF_FFFF);
    put_u16(&mut out, 0);
    out
}
