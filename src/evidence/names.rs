//! File names as people see them, and as browsers receive them on download.

use super::EvidenceType;

/// What a name becomes when nothing usable is left of it ("tệp đính kèm").
pub const FALLBACK_STEM: &str = "tep-dinh-kem";
/// The longest name kept, in characters, extension included.
pub const MAX_NAME_CHARS: usize = 200;

/// Characters that are invisible yet change how text reads: bidirectional overrides
/// (which can make `gpj.exe` look like `exe.jpg`), zero-width characters, the byte
/// order mark, the soft hyphen.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// The last path component (split on `/` and `\`), without control or invisible
/// characters and quotes, white space collapsed, trimmed, trailing dots dropped.
/// May be empty.
fn clean(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut out = String::with_capacity(last.len());
    let mut pending_space = false;
    for c in last.chars() {
        if c.is_control() || is_invisible(c) || c == '"' || c == '\'' {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    let kept = out.trim_end_matches(['.', ' ']).len();
    out.truncate(kept);
    out
}

/// The first `max` characters of `text`.
fn take_chars(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// `stem.ext`, shortening the stem so that the whole is at most [`MAX_NAME_CHARS`].
fn join(stem: &str, ext: &str) -> String {
    let room = MAX_NAME_CHARS.saturating_sub(ext.chars().count() + 1);
    let stem = take_chars(stem, room).trim_end_matches(['.', ' ']);
    let stem = if stem.is_empty() { FALLBACK_STEM } else { stem };
    format!("{stem}.{ext}")
}

/// The original name as shown to people: the last path component, control characters,
/// invisible characters and quotes removed, trimmed, at most [`MAX_NAME_CHARS`]
/// characters (the extension kept), never empty, never `.` or `..`.
///
/// The name always ends in an extension of `kind`: one that already does is kept as
/// sent (`Ảnh.JPEG`), anything else gets the usual one appended (`hoa-don.exe` holding
/// a PDF becomes `hoa-don.exe.pdf`), so a download never opens as something else.
pub fn sanitize_file_name(raw: &str, kind: EvidenceType) -> String {
    let cleaned = clean(raw);
    match cleaned.rsplit_once('.') {
        Some((stem, ext))
            if kind
                .extensions()
                .iter()
                .any(|known| known.eq_ignore_ascii_case(ext)) =>
        {
            join(stem.trim_end(), ext)
        }
        _ => join(&cleaned, kind.extension()),
    }
}

/// A sent name made fit for a message, before the file's type is known.
pub(crate) fn display_name(raw: &str) -> String {
    let cleaned = clean(raw);
    if cleaned.is_empty() {
        return FALLBACK_STEM.to_owned();
    }
    if cleaned.chars().count() <= MAX_NAME_CHARS {
        return cleaned;
    }
    match cleaned.rsplit_once('.') {
        Some((stem, ext))
            if !ext.is_empty()
                && ext.len() <= 10
                && ext.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            join(stem, ext)
        }
        _ => take_chars(&cleaned, MAX_NAME_CHARS).trim_end().to_owned(),
    }
}

/// Vietnamese letters without their marks, for the ASCII fallback name.
const FOLDS: &[(&str, char)] = &[
    ("àáạảãâầấậẩẫăằắặẳẵ", 'a'),
    ("ÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴ", 'A'),
    ("èéẹẻẽêềếệểễ", 'e'),
    ("ÈÉẸẺẼÊỀẾỆỂỄ", 'E'),
    ("ìíịỉĩ", 'i'),
    ("ÌÍỊỈĨ", 'I'),
    ("òóọỏõôồốộổỗơờớợởỡ", 'o'),
    ("ÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠ", 'O'),
    ("ùúụủũưừứựửữ", 'u'),
    ("ÙÚỤỦŨƯỪỨỰỬỮ", 'U'),
    ("ỳýỵỷỹ", 'y'),
    ("ỲÝỴỶỸ", 'Y'),
    ("đ", 'd'),
    ("Đ", 'D'),
];

/// The `filename="…"` fallback: printable ASCII only, Vietnamese letters without their
/// marks, anything else (and `"`, `\`, `%`, which browsers treat specially) as `_`.
fn ascii_fallback(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if ('\u{0300}'..='\u{036F}').contains(&c) {
            continue; // a combining mark (decomposed text, as macOS sends it)
        }
        let folded = if c.is_ascii() {
            c
        } else {
            FOLDS
                .iter()
                .find(|(letters, _)| letters.contains(c))
                .map_or('_', |&(_, plain)| plain)
        };
        out.push(match folded {
            '"' | '\\' | '%' => '_',
            ' '..='~' => folded,
            _ => '_',
        });
    }
    out
}

/// RFC 5987 `attr-char`: what may appear unencoded in `filename*`.
fn is_attr_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric()
        || matches!(
            byte,
            b'!' | b'#' | b'$' | b'&' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~'
        )
}

fn percent_encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len() * 3);
    for &byte in name.as_bytes() {
        if is_attr_char(byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The `Content-Disposition` value for a download (RFC 6266 with the RFC 5987
/// `filename*` for the real, UTF-8 name): `inline` for images, `attachment` otherwise.
/// The name goes through [`sanitize_file_name`] again, so any stored name is safe here.
/// The result is plain ASCII, valid as a header value.
pub fn content_disposition(kind: EvidenceType, name: &str) -> String {
    let name = sanitize_file_name(name, kind);
    let disposition = if kind.is_image() {
        "inline"
    } else {
        "attachment"
    };
    format!(
        "{disposition}; filename=\"{}\"; filename*=UTF-8''{}",
        ascii_fallback(&name),
        percent_encode(&name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::EvidenceType::{Docx, Jpeg, Pdf, Png, Xlsx};

    #[test]
    fn path_tricks_keep_only_the_last_component() {
        assert_eq!(sanitize_file_name("../../etc/passwd", Pdf), "passwd.pdf");
        assert_eq!(sanitize_file_name("C:\\x\\y.pdf", Pdf), "y.pdf");
        assert_eq!(sanitize_file_name("/var/www/../x.docx", Docx), "x.docx");
        assert_eq!(sanitize_file_name("..\\..\\boot.ini", Pdf), "boot.ini.pdf");
        assert_eq!(sanitize_file_name("a/b/", Pdf), "tep-dinh-kem.pdf");
    }

    #[test]
    fn never_empty_nor_dots() {
        for raw in [
            "", "   ", ".", "..", "...", "../..", "/", "\\", "\"\"", "\u{202E}", ". .",
        ] {
            assert_eq!(sanitize_file_name(raw, Pdf), "tep-dinh-kem.pdf", "{raw:?}");
            assert_eq!(display_name(raw), "tep-dinh-kem", "{raw:?}");
        }
        assert_eq!(sanitize_file_name(".pdf", Pdf), "tep-dinh-kem.pdf");
        assert_eq!(sanitize_file_name("..jpg", Jpeg), "tep-dinh-kem.jpg");
    }

    #[test]
    fn control_characters_quotes_and_invisibles_go() {
        assert_eq!(sanitize_file_name("a\r\nb\t\0c.pdf", Pdf), "abc.pdf");
        assert_eq!(
            sanitize_file_name("\"quoted\" 'name'.pdf", Pdf),
            "quoted name.pdf"
        );
        assert_eq!(
            sanitize_file_name("  spaced   out  .pdf  ", Pdf),
            "spaced out.pdf"
        );
        assert_eq!(sanitize_file_name("x\u{7F}\u{85}y.png", Png), "xy.png");
        // Right-to-left override disguising an executable as a picture.
        assert_eq!(
            sanitize_file_name("anh\u{202E}gpj.exe", Jpeg),
            "anhgpj.exe.jpg"
        );
        assert_eq!(sanitize_file_name("report.pdf.", Pdf), "report.pdf");
    }

    #[test]
    fn extension_follows_the_content() {
        assert_eq!(sanitize_file_name("x.exe", Pdf), "x.exe.pdf");
        assert_eq!(sanitize_file_name("bao-cao", Xlsx), "bao-cao.xlsx");
        assert_eq!(sanitize_file_name("Ảnh.JPEG", Jpeg), "Ảnh.JPEG");
        assert_eq!(sanitize_file_name("photo.png", Jpeg), "photo.png.jpg");
        assert_eq!(sanitize_file_name("bang.XLSX", Xlsx), "bang.XLSX");
    }

    #[test]
    fn vietnamese_names_are_kept() {
        let name = "Biên bản nghiệm thu – Chi đoàn Phòng Tổ chức (đợt 2).pdf";
        assert_eq!(sanitize_file_name(name, Pdf), name);
        assert_eq!(display_name(name), name);
    }

    #[test]
    fn long_names_are_cut_keeping_the_extension() {
        let long = format!("{}.docx", "ữ".repeat(500));
        let name = sanitize_file_name(&long, Docx);
        assert_eq!(name.chars().count(), MAX_NAME_CHARS);
        assert!(name.ends_with(".docx"));
        assert!(name.starts_with("ữữữ"));
        let shown = display_name(&format!("{}.exe", "a".repeat(300)));
        assert_eq!(shown.chars().count(), MAX_NAME_CHARS);
        assert!(shown.ends_with("a.exe"));
        let no_ext = sanitize_file_name(&"b".repeat(300), Pdf);
        assert_eq!(no_ext.chars().count(), MAX_NAME_CHARS);
        assert!(no_ext.ends_with("b.pdf"));
    }

    #[test]
    fn sanitizing_twice_changes_nothing() {
        for raw in ["../x.exe", "Ảnh chụp.JPG", "  ..a..  ", "ổ\u{0301}.pdf"] {
            for kind in EvidenceType::ALL {
                let once = sanitize_file_name(raw, kind);
                assert_eq!(sanitize_file_name(&once, kind), once);
            }
        }
        let long = sanitize_file_name(&"x ".repeat(300), Pdf);
        assert_eq!(sanitize_file_name(&long, Pdf), long);
    }

    #[test]
    fn content_disposition_has_ascii_fallback_and_utf8_name() {
        assert_eq!(
            content_disposition(Pdf, "Báo cáo quý 1.pdf"),
            "attachment; filename=\"Bao cao quy 1.pdf\"; \
             filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20qu%C3%BD%201.pdf"
        );
        assert_eq!(
            content_disposition(Jpeg, "Ảnh đẹp.jpg"),
            "inline; filename=\"Anh dep.jpg\"; filename*=UTF-8''%E1%BA%A2nh%20%C4%91%E1%BA%B9p.jpg"
        );
        // Decomposed marks are dropped from the fallback; other scripts become "_".
        assert!(content_disposition(Pdf, "a\u{0301}b.pdf").contains("filename=\"ab.pdf\""));
        assert!(content_disposition(Pdf, "文件.pdf").contains("filename=\"__.pdf\""));
    }

    #[test]
    fn content_disposition_cannot_be_broken_out_of() {
        const NASTY: &str = "x\"; filename=evil.exe\r\nSet-Cookie: a=b;%41 \u{7F}.docx";
        let value = content_disposition(Docx, NASTY);
        assert!(value.is_ascii());
        assert!(!value.contains('\r') && !value.contains('\n'));
        let fallback = value
            .split("filename=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap();
        assert!(!fallback.contains('%') && !fallback.contains('\\'));
        assert!(value.ends_with(".docx"));
        assert!(actix_web::http::header::HeaderValue::from_str(&value).is_ok());
        let parsed = actix_web::http::header::ContentDisposition::from_raw(
            &actix_web::http::header::HeaderValue::from_str(&value).unwrap(),
        )
        .unwrap();
        assert!(parsed.is_attachment());
        assert_eq!(parsed.get_filename(), Some(fallback));
        assert_eq!(
            String::from_utf8(parsed.get_filename_ext().unwrap().value.clone()).unwrap(),
            sanitize_file_name(NASTY, Docx)
        );
        // An empty stored name still downloads with a name.
        assert_eq!(
            content_disposition(Xlsx, ""),
            "attachment; filename=\"tep-dinh-kem.xlsx\"; filename*=UTF-8''tep-dinh-kem.xlsx"
        );
    }
}
