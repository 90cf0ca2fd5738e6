//! What a file is, from its bytes: magic numbers for images and PDF, and for DOCX and
//! XLSX (ZIP packages) the names listed in the ZIP's central directory.
//!
//! The ZIP reader is deliberately small: it finds the end-of-central-directory record
//! (ZIP64 included), checks that the directory lies inside the file, and walks the
//! entries' fixed headers with checked arithmetic. It never decompresses anything.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use super::EvidenceType;

const ZIP_LOCAL_HEADER: &[u8; 4] = b"PK\x03\x04";
const ZIP_CENTRAL_HEADER: &[u8; 4] = b"PK\x01\x02";
const ZIP_END: &[u8; 4] = b"PK\x05\x06";
const ZIP64_END: &[u8; 4] = b"PK\x06\x06";
const ZIP64_LOCATOR: &[u8; 4] = b"PK\x06\x07";
const ZIP_END_LEN: u64 = 22;
const ZIP64_END_LEN: u64 = 56;
const ZIP64_LOCATOR_LEN: u64 = 20;
const ZIP_CENTRAL_HEADER_LEN: usize = 46;
const ZIP_MAX_COMMENT: u64 = 0xFFFF;
/// An Office file's directory is a few kilobytes; refuse to read absurd ones.
const ZIP_MAX_DIRECTORY_BYTES: u64 = 8 * 1024 * 1024;
const ZIP_MAX_ENTRIES: u64 = 100_000;

/// Decides the type from the file's content; `None` for anything not accepted
/// (including an empty file, HTML, SVG, an executable, a ZIP that is not DOCX/XLSX).
pub fn sniff(path: &Path) -> io::Result<Option<EvidenceType>> {
    sniff_reader(&mut BufReader::new(File::open(path)?))
}

/// [`sniff`] over any seekable reader.
pub fn sniff_reader<R: Read + Seek>(reader: &mut R) -> io::Result<Option<EvidenceType>> {
    let len = reader.seek(SeekFrom::End(0))?;
    reader.seek(SeekFrom::Start(0))?;
    let mut head = [0u8; 16];
    let got = read_up_to(reader, &mut head)?;
    let head = &head[..got];

    if head.starts_with(b"\xFF\xD8\xFF") {
        return Ok(Some(EvidenceType::Jpeg));
    }
    if head.starts_with(b"\x89PNG\r\n\x1A\n") {
        return Ok(Some(EvidenceType::Png));
    }
    if head.len() >= 16
        && &head[0..4] == b"RIFF"
        && &head[8..12] == b"WEBP"
        && &head[12..15] == b"VP8"
    {
        return Ok(Some(EvidenceType::Webp));
    }
    if head.starts_with(b"%PDF-") {
        return Ok(Some(EvidenceType::Pdf));
    }
    if head.starts_with(ZIP_LOCAL_HEADER) {
        return office_kind(reader, len);
    }
    Ok(None)
}

/// Reads until `buf` is full or the input ends; returns how many bytes were read.
fn read_up_to<R: Read>(reader: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}

fn read_at<R: Read + Seek>(reader: &mut R, offset: u64, len: u64) -> io::Result<Vec<u8>> {
    let len = usize::try_from(len).map_err(io::Error::other)?;
    reader.seek(SeekFrom::Start(offset))?;
    let mut buf = vec![0u8; len];
    reader.read_exact(&mut buf)?;
    Ok(buf)
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        bytes.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        bytes.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        bytes.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

/// Where the central directory is and how many entries it claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Directory {
    offset: u64,
    size: u64,
    entries: u64,
}

/// DOCX or XLSX when the ZIP's directory names the parts of one, else `None`.
fn office_kind<R: Read + Seek>(reader: &mut R, len: u64) -> io::Result<Option<EvidenceType>> {
    let Some(directory) = find_directory(reader, len)? else {
        return Ok(None);
    };
    let bytes = read_at(reader, directory.offset, directory.size)?;
    Ok(classify(&entry_names(&bytes, directory.entries)))
}

/// Finds the end-of-central-directory record, searching backwards from the end (it may
/// be followed by a comment of up to 64 KiB), and returns the first plausible one.
fn find_directory<R: Read + Seek>(reader: &mut R, len: u64) -> io::Result<Option<Directory>> {
    if len < ZIP_END_LEN + ZIP_LOCAL_HEADER.len() as u64 {
        return Ok(None);
    }
    let tail_len = len.min(ZIP_END_LEN + ZIP_MAX_COMMENT);
    let tail_start = len - tail_len;
    let tail = read_at(reader, tail_start, tail_len)?;
    let last_start = tail.len() - ZIP_END_LEN as usize;
    for at in (0..=last_start).rev() {
        if &tail[at..at + 4] != ZIP_END {
            continue;
        }
        let end_offset = tail_start + at as u64;
        if let Some(directory) = read_end_record(reader, &tail[at..], end_offset)? {
            return Ok(Some(directory));
        }
    }
    Ok(None)
}

/// Checks one candidate end record (`record` starts at its signature, `end_offset` is
/// its position in the file).
fn read_end_record<R: Read + Seek>(
    reader: &mut R,
    record: &[u8],
    end_offset: u64,
) -> io::Result<Option<Directory>> {
    let fields = (|| {
        Some((
            u16_at(record, 4)?,  // this disk
            u16_at(record, 6)?,  // disk where the directory starts
            u16_at(record, 10)?, // entries in total
            u32_at(record, 12)?, // directory size
            u32_at(record, 16)?, // directory offset
            u16_at(record, 20)?, // comment length
        ))
    })();
    let Some((disk, directory_disk, entries, size, offset, comment_len)) = fields else {
        return Ok(None);
    };
    // The comment must fit in what follows the record.
    if ZIP_END_LEN as usize + comment_len as usize > record.len() {
        return Ok(None);
    }
    let zip64 = entries == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF;
    let (directory, limit) = if zip64 {
        match read_zip64_end(reader, end_offset)? {
            Some(found) => found,
            None => return Ok(None),
        }
    } else {
        if disk != 0 || directory_disk != 0 {
            return Ok(None); // split archives are not documents anyone uploads
        }
        let directory = Directory {
            offset: u64::from(offset),
            size: u64::from(size),
            entries: u64::from(entries),
        };
        (directory, end_offset)
    };
    let fits = directory
        .offset
        .checked_add(directory.size)
        .is_some_and(|end| end <= limit);
    let sane = directory.size <= ZIP_MAX_DIRECTORY_BYTES
        && directory.entries <= ZIP_MAX_ENTRIES
        && directory.entries > 0
        && directory.size >= ZIP_CENTRAL_HEADER_LEN as u64;
    Ok((fits && sane).then_some(directory))
}

/// The ZIP64 end record, found through the locator just before the classic one.
/// Returns the directory and the offset it must end before.
fn read_zip64_end<R: Read + Seek>(
    reader: &mut R,
    end_offset: u64,
) -> io::Result<Option<(Directory, u64)>> {
    let Some(locator_offset) = end_offset.checked_sub(ZIP64_LOCATOR_LEN) else {
        return Ok(None);
    };
    let locator = read_at(reader, locator_offset, ZIP64_LOCATOR_LEN)?;
    if &locator[0..4] != ZIP64_LOCATOR {
        return Ok(None);
    }
    let Some(record_offset) = u64_at(&locator, 8) else {
        return Ok(None);
    };
    if record_offset
        .checked_add(ZIP64_END_LEN)
        .is_none_or(|end| end > locator_offset)
    {
        return Ok(None);
    }
    let record = read_at(reader, record_offset, ZIP64_END_LEN)?;
    if &record[0..4] != ZIP64_END {
        return Ok(None);
    }
    let fields = (|| {
        Some((
            u32_at(&record, 16)?,
            u32_at(&record, 20)?,
            u64_at(&record, 32)?,
            u64_at(&record, 40)?,
            u64_at(&record, 48)?,
        ))
    })();
    let Some((disk, directory_disk, entries, size, offset)) = fields else {
        return Ok(None);
    };
    if disk != 0 || directory_disk != 0 {
        return Ok(None);
    }
    Ok(Some((
        Directory {
            offset,
            size,
            entries,
        },
        record_offset,
    )))
}

/// The entry names of a central directory, or an empty list when any entry is broken
/// (a damaged directory is no document).
fn entry_names(directory: &[u8], entries: u64) -> Vec<&[u8]> {
    let mut names = Vec::new();
    let mut at = 0usize;
    for _ in 0..entries {
        let Some(next) = next_entry(directory, at, &mut names) else {
            return Vec::new();
        };
        at = next;
    }
    names
}

fn next_entry<'a>(directory: &'a [u8], at: usize, names: &mut Vec<&'a [u8]>) -> Option<usize> {
    let header = directory.get(at..at.checked_add(ZIP_CENTRAL_HEADER_LEN)?)?;
    if &header[0..4] != ZIP_CENTRAL_HEADER {
        return None;
    }
    let name_len = usize::from(u16_at(header, 28)?);
    let extra_len = usize::from(u16_at(header, 30)?);
    let comment_len = usize::from(u16_at(header, 32)?);
    let name_start = at + ZIP_CENTRAL_HEADER_LEN;
    let name = directory.get(name_start..name_start.checked_add(name_len)?)?;
    let next = name_start
        .checked_add(name_len)?
        .checked_add(extra_len)?
        .checked_add(comment_len)?;
    if next > directory.len() {
        return None;
    }
    names.push(name);
    Some(next)
}

/// Office Open XML packages: `[Content_Types].xml` plus the main part of a Word
/// document or an Excel workbook. Macro-enabled packages (a `vbaProject.bin` part, as
/// in .docm/.xlsm) are refused even when renamed.
fn classify(names: &[&[u8]]) -> Option<EvidenceType> {
    let has = |wanted: &str| {
        names
            .iter()
            .any(|name| name.eq_ignore_ascii_case(wanted.as_bytes()))
    };
    let has_macros = names.iter().any(|name| {
        name.len() >= 14 && name[name.len() - 14..].eq_ignore_ascii_case(b"vbaProject.bin")
    });
    if !has("[Content_Types].xml") || has_macros {
        return None;
    }
    match (has("word/document.xml"), has("xl/workbook.xml")) {
        (true, false) => Some(EvidenceType::Docx),
        (false, true) => Some(EvidenceType::Xlsx),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;
    use crate::evidence::testing::{self, TempDir};

    fn sniff_bytes(bytes: &[u8]) -> Option<EvidenceType> {
        sniff_reader(&mut Cursor::new(bytes)).expect("reading from memory")
    }

    #[test]
    fn images_by_magic_number() {
        assert_eq!(sniff_bytes(&testing::png(40, 30)), Some(EvidenceType::Png));
        assert_eq!(
            sniff_bytes(&testing::jpeg(40, 30)),
            Some(EvidenceType::Jpeg)
        );
        assert_eq!(sniff_bytes(&testing::webp(8, 8)), Some(EvidenceType::Webp));
        // A RIFF that is not WebP (a WAV header).
        assert_eq!(sniff_bytes(b"RIFF\x24\0\0\0WAVEfmt \x10\0\0\0"), None);
    }

    #[test]
    fn pdf_by_header() {
        assert_eq!(sniff_bytes(testing::PDF), Some(EvidenceType::Pdf));
        assert_eq!(sniff_bytes(b"%PDF"), None);
        assert_eq!(sniff_bytes(b" %PDF-1.7"), None);
    }

    #[test]
    fn office_documents_by_their_parts() {
        assert_eq!(sniff_bytes(&testing::docx()), Some(EvidenceType::Docx));
        assert_eq!(sniff_bytes(&testing::xlsx()), Some(EvidenceType::Xlsx));
        // Office names are case-insensitive; a trailing archive comment is allowed.
        let upper = testing::zip(
            &["[CONTENT_TYPES].XML", "_rels/.rels", "Word/Document.xml"],
            b"made by hand",
        );
        assert_eq!(sniff_bytes(&upper), Some(EvidenceType::Docx));
    }

    #[test]
    fn zips_that_are_not_documents() {
        // A plain ZIP.
        assert_eq!(sniff_bytes(&testing::zip(&["a.txt", "b/c.exe"], b"")), None);
        // The main part without [Content_Types].xml.
        assert_eq!(
            sniff_bytes(&testing::zip(&["word/document.xml"], b"")),
            None
        );
        // Both a document and a workbook: ambiguous.
        let both = testing::zip(
            &[
                "[Content_Types].xml",
                "word/document.xml",
                "xl/workbook.xml",
            ],
            b"",
        );
        assert_eq!(sniff_bytes(&both), None);
        // A macro-enabled document renamed .docx.
        let docm = testing::zip(
            &[
                "[Content_Types].xml",
                "word/document.xml",
                "word/vbaProject.bin",
            ],
            b"",
        );
        assert_eq!(sniff_bytes(&docm), None);
        // A name that only contains the wanted one.
        let lookalike = testing::zip(&["[Content_Types].xml", "x/word/document.xml.bak"], b"");
        assert_eq!(sniff_bytes(&lookalike), None);
        // An empty ZIP (just the end record).
        assert_eq!(sniff_bytes(&testing::zip(&[], b"")), None);
    }

    #[test]
    fn broken_zips_do_not_panic() {
        let docx = testing::docx();
        // Every truncation of a valid document, and a few corruptions of each byte.
        for cut in 0..docx.len() {
            let _ = sniff_bytes(&docx[..cut]);
        }
        for at in 0..docx.len() {
            for value in [0x00, 0xFF, 0x7F] {
                let mut bytes = docx.clone();
                bytes[at] = value;
                let _ = sniff_bytes(&bytes);
            }
        }
        // Truncated at the end record: the directory can no longer be found.
        assert_eq!(sniff_bytes(&docx[..docx.len() - 10]), None);
        // A ZIP signature followed by garbage.
        let mut garbage = b"PK\x03\x04".to_vec();
        garbage.extend((0..5000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
        assert_eq!(sniff_bytes(&garbage), None);
        // An end record pointing far outside the file.
        let mut lying = b"PK\x03\x04".to_vec();
        lying.extend_from_slice(&[0; 26]);
        lying.extend_from_slice(
            b"PK\x05\x06\0\0\0\0\x01\0\x01\0\xFF\xFF\xFF\x7F\xFF\xFF\xFF\x7F\0\0",
        );
        assert_eq!(sniff_bytes(&lying), None);
        // ZIP64 markers without a ZIP64 record.
        let mut zip64 = b"PK\x03\x04".to_vec();
        zip64.extend_from_slice(&[0; 26]);
        zip64.extend_from_slice(
            b"PK\x05\x06\0\0\0\0\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\0\0",
        );
        assert_eq!(sniff_bytes(&zip64), None);
        // A comment length that runs past the end of the file.
        let mut long_comment = testing::docx();
        let n = long_comment.len();
        long_comment[n - 2..].copy_from_slice(&[0xFF, 0x00]);
        assert_eq!(sniff_bytes(&long_comment), None);
    }

    #[test]
    fn zip64_documents() {
        assert_eq!(
            sniff_bytes(&testing::zip64_docx()),
            Some(EvidenceType::Docx)
        );
    }

    #[test]
    fn everything_else_is_refused() {
        assert_eq!(sniff_bytes(b""), None);
        assert_eq!(
            sniff_bytes(b"<!DOCTYPE html><html><script>alert(1)</script>"),
            None
        );
        assert_eq!(
            sniff_bytes(b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>"),
            None
        );
        assert_eq!(
            sniff_bytes(b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xFF\xFF\0\0"),
            None
        );
        assert_eq!(sniff_bytes(b"GIF89a\x01\0\x01\0"), None);
        assert_eq!(sniff_bytes(b"\xFF\xD8"), None);
        assert_eq!(sniff_bytes(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), None); // old .doc
    }

    #[test]
    fn sniffs_files_on_disk() {
        let dir = TempDir::new("sniff");
        let exe = dir.path().join("report.pdf");
        std::fs::write(&exe, b"MZ\x90\0 this is not a pdf").unwrap();
        assert_eq!(sniff(&exe).unwrap(), None);
        let pdf = dir.path().join("no-extension");
        std::fs::write(&pdf, testing::PDF).unwrap();
        assert_eq!(sniff(&pdf).unwrap(), Some(EvidenceType::Pdf));
        let empty = dir.path().join("empty.png");
        std::fs::write(&empty, b"").unwrap();
        assert_eq!(sniff(&empty).unwrap(), None);
        assert!(sniff(&dir.path().join("missing")).is_err());
    }
}
