//! The annual summary as a Word document (DOCX) an office finishes and signs: the same
//! document as the PDF, in WordprocessingML written here and packed with `zip`. A4 with
//! the configured margins, Times New Roman, the Party header as a borderless two-column
//! table, the table by unit with its header row repeated on every page and rows that do
//! not split, the sections, the signature block beside "Nơi nhận:" and "Trang n/N" in
//! the footer (PAGE and NUMPAGES fields, so Word counts the pages it lays out).
//!
//! Written by hand rather than with a document crate: the parts needed are few and
//! fixed, the crates looked at lacked the repeated header row (`w:tblHeader`), and this
//! adds no dependency.

use std::fmt::Write as _;
use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

use crate::config::Margins;
use crate::exports::summary::AnnualSummary;

pub const CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A4 portrait in twentieths of a point.
const PAGE_WIDTH: u32 = 11906;
const PAGE_HEIGHT: u32 = 16838;
const FONT: &str = "Times New Roman";
/// Font sizes in half-points.
const BODY_SIZE: u32 = 28;
const HEADER_SIZE: u32 = 26;
const TABLE_SIZE: u32 = 22;
/// The table's columns: title and share of the text width (wide enough for "STT" and
/// "Hoàn" whole at the table's size).
const COLUMNS: [(&str, f64); 7] = [
    ("STT", 0.07),
    ("Đơn vị", 0.30),
    ("Đăng ký", 0.085),
    ("Hoàn thành", 0.095),
    ("Tỷ lệ", 0.09),
    ("Kinh phí dự kiến (đồng)", 0.18),
    ("Giá trị thực hiện (đồng)", 0.18),
];
/// Share of the text width taken by the header's left column (the issuing body).
const HEADER_SPLIT: f64 = 0.42;

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const REL_TYPE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("packing the DOCX failed")]
    Zip(#[from] zip::result::ZipError),
    #[error("writing the DOCX failed")]
    Io(#[from] std::io::Error),
}

/// Millimetres in twips (twentieths of a point).
fn twips(mm: f64) -> u32 {
    (mm * 1440.0 / 25.4).round().max(0.0) as u32
}

/// The summary as a DOCX file.
pub fn render(summary: &AnnualSummary, margins: &Margins) -> Result<Vec<u8>, DocxError> {
    let parts = [
        ("[Content_Types].xml", content_types()),
        ("_rels/.rels", package_relationships()),
        ("docProps/core.xml", core_properties(summary)),
        ("word/_rels/document.xml.rels", document_relationships()),
        ("word/document.xml", document(summary, margins)),
        ("word/styles.xml", styles()),
        ("word/settings.xml", settings()),
        ("word/footer1.xml", footer()),
    ];
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    // Stored: the crate is built without compression, and Word reads stored parts.
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, xml) in parts {
        zip.start_file(name, options)?;
        zip.write_all(xml.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

/// `text` escaped for XML, without the characters XML 1.0 cannot carry (control
/// characters other than tab, line feed and carriage return).
fn escape(text: &str) -> String {
    let allowed: String = text
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect();
    quick_xml::escape::escape(allowed.as_str()).into_owned()
}

const XML_DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

fn content_types() -> String {
    let main = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    format!(
        "{XML_DECLARATION}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"{main}.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"{main}.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"{main}.settings+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"{main}.footer+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
</Types>"
    )
}

fn package_relationships() -> String {
    format!(
        "{XML_DECLARATION}<Relationships xmlns=\"{REL_NS}\">\
<Relationship Id=\"rId1\" Type=\"{REL_TYPE}/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
</Relationships>"
    )
}

fn document_relationships() -> String {
    format!(
        "{XML_DECLARATION}<Relationships xmlns=\"{REL_NS}\">\
<Relationship Id=\"rId1\" Type=\"{REL_TYPE}/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rId2\" Type=\"{REL_TYPE}/settings\" Target=\"settings.xml\"/>\
<Relationship Id=\"rId3\" Type=\"{REL_TYPE}/footer\" Target=\"footer1.xml\"/>\
</Relationships>"
    )
}

fn core_properties(summary: &AnnualSummary) -> String {
    format!(
        "{XML_DECLARATION}<cp:coreProperties \
xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
<dc:title>{}</dc:title><dc:creator>{}</dc:creator><dc:language>vi-VN</dc:language>\
</cp:coreProperties>",
        escape(&summary.header.title),
        escape(&summary.unit.name)
    )
}

/// Times New Roman for every script, 14 pt, Vietnamese; paragraphs without spacing
/// unless they ask for it.
fn styles() -> String {
    let fonts = format!(
        "<w:rFonts w:ascii=\"{FONT}\" w:hAnsi=\"{FONT}\" w:cs=\"{FONT}\" w:eastAsia=\"{FONT}\"/>"
    );
    format!(
        "{XML_DECLARATION}<w:styles xmlns:w=\"{W_NS}\">\
<w:docDefaults><w:rPrDefault><w:rPr>{fonts}<w:sz w:val=\"{BODY_SIZE}\"/><w:szCs w:val=\"{BODY_SIZE}\"/>\
<w:lang w:val=\"vi-VN\" w:eastAsia=\"vi-VN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>\
<w:pPrDefault><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"276\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault>\
</w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>\
<w:rPr>{fonts}</w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/><w:basedOn w:val=\"Normal\"/></w:style>\
<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>\
<w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/>\
<w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/>\
</w:tblCellMar></w:tblPr></w:style>\
</w:styles>"
    )
}

fn settings() -> String {
    format!(
        "{XML_DECLARATION}<w:settings xmlns:w=\"{W_NS}\">\
<w:defaultTabStop w:val=\"720\"/><w:characterSpacingControl w:val=\"doNotCompress\"/>\
<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
<w:themeFontLang w:val=\"vi-VN\"/>\
</w:settings>"
    )
}

/// A field Word computes as it lays the pages out (`PAGE`, `NUMPAGES`), with `shown`
/// as the value until it does.
fn field(out: &mut String, instruction: &str, shown: &str) {
    let run = |out: &mut String, inner: &str| {
        let _ = write!(
            out,
            "<w:r><w:rPr><w:sz w:val=\"{TABLE_SIZE}\"/></w:rPr>{inner}</w:r>"
        );
    };
    run(out, "<w:fldChar w:fldCharType=\"begin\"/>");
    run(
        out,
        &format!("<w:instrText xml:space=\"preserve\"> {instruction} </w:instrText>"),
    );
    run(out, "<w:fldChar w:fldCharType=\"separate\"/>");
    run(out, &format!("<w:t>{shown}</w:t>"));
    run(out, "<w:fldChar w:fldCharType=\"end\"/>");
}

/// "Trang n/N", centred.
fn footer() -> String {
    let mut out = format!(
        "{XML_DECLARATION}<w:ftr xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"><w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:jc w:val=\"center\"/></w:pPr>"
    );
    let plain = Font {
        size: TABLE_SIZE,
        ..Font::default()
    };
    run(&mut out, plain, "Trang ");
    field(&mut out, "PAGE", "1");
    run(&mut out, plain, "/");
    field(&mut out, "NUMPAGES", "1");
    out.push_str("</w:p></w:ftr>");
    out
}

/// How a run of text is set.
#[derive(Clone, Copy)]
struct Font {
    bold: bool,
    italic: bool,
    underline: bool,
    /// Half-points.
    size: u32,
}

impl Default for Font {
    fn default() -> Self {
        Font {
            bold: false,
            italic: false,
            underline: false,
            size: BODY_SIZE,
        }
    }
}

impl Font {
    fn sized(size: u32) -> Font {
        Font {
            size,
            ..Font::default()
        }
    }

    fn bold(self) -> Font {
        Font { bold: true, ..self }
    }

    fn italic(self) -> Font {
        Font {
            italic: true,
            ..self
        }
    }
}

fn run(out: &mut String, font: Font, text: &str) {
    out.push_str("<w:r><w:rPr>");
    if font.bold {
        out.push_str("<w:b/><w:bCs/>");
    }
    if font.italic {
        out.push_str("<w:i/><w:iCs/>");
    }
    // In the order the schema gives, which Word holds to: the size before the underline.
    let _ = write!(
        out,
        "<w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/>",
        font.size
    );
    if font.underline {
        out.push_str("<w:u w:val=\"single\"/>");
    }
    out.push_str("</w:rPr>");
    // A line feed is a line break inside the paragraph.
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        let _ = write!(out, "<w:t xml:space=\"preserve\">{}</w:t>", escape(line));
    }
    out.push_str("</w:r>");
}

/// `text` on one line if about `capacity` characters hold it, else on two lines of
/// about the same length (joined by a line feed), as headers are set: "ĐẢNG ỦY KHỐI" /
/// "CÁC CƠ QUAN TỈNH" rather than a full line and a word.
fn balanced(text: &str, capacity: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if text.chars().count() <= capacity || words.len() < 2 {
        return text.to_owned();
    }
    let length = |part: &[&str]| {
        part.iter()
            .map(|word| word.chars().count() + 1)
            .sum::<usize>()
    };
    let cut = (1..words.len())
        .min_by_key(|&cut| length(&words[..cut]).max(length(&words[cut..])))
        .unwrap_or(1);
    format!("{}\n{}", words[..cut].join(" "), words[cut..].join(" "))
}

/// About how many characters of `size` (half-points) a line of `width` twips holds;
/// `em` is the font's mean character width in ems (capitals are wider).
fn capacity(width: u32, size: u32, em: f64) -> usize {
    (f64::from(width) / (f64::from(size) * 10.0 * em)) as usize
}

/// How a paragraph is placed.
#[derive(Clone, Copy, PartialEq)]
enum Align {
    Left,
    Centre,
    Right,
    Justify,
}

#[derive(Clone, Copy)]
struct Layout {
    align: Align,
    /// First-line indent in twips.
    indent: u32,
    /// Space before, in twips.
    before: u32,
    /// Kept on the page of the paragraph after it (a section's title).
    keep_next: bool,
}

impl Layout {
    fn new(align: Align) -> Layout {
        Layout {
            align,
            indent: 0,
            before: 0,
            keep_next: false,
        }
    }

    /// A body paragraph: justified, its first line indented, a little space above.
    fn body() -> Layout {
        Layout {
            indent: 567,
            before: 120,
            ..Layout::new(Align::Justify)
        }
    }
}

fn paragraph(out: &mut String, layout: Layout, font: Font, text: &str) {
    let align = match layout.align {
        Align::Left => "left",
        Align::Centre => "center",
        Align::Right => "right",
        Align::Justify => "both",
    };
    out.push_str("<w:p><w:pPr>");
    if layout.keep_next {
        out.push_str("<w:keepNext/>");
    }
    let _ = write!(out, "<w:spacing w:before=\"{}\"/>", layout.before);
    if layout.indent > 0 {
        let _ = write!(out, "<w:ind w:firstLine=\"{}\"/>", layout.indent);
    }
    let _ = write!(out, "<w:jc w:val=\"{align}\"/></w:pPr>");
    if !text.is_empty() {
        run(out, font, text);
    }
    out.push_str("</w:p>");
}

/// Opens a table of fixed columns (`widths` in twips), with or without borders.
fn open_table(out: &mut String, widths: &[u32], borders: bool) {
    let total: u32 = widths.iter().sum();
    let _ = write!(
        out,
        "<w:tbl><w:tblPr><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:tblBorders>"
    );
    let border = if borders {
        "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\""
    } else {
        "w:val=\"nil\""
    };
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        let _ = write!(out, "<w:{side} {border}/>");
    }
    // The schema's order: borders, layout, cell margins, look.
    out.push_str("</w:tblBorders><w:tblLayout w:type=\"fixed\"/>");
    if borders {
        out.push_str("<w:tblCellMar><w:top w:w=\"28\" w:type=\"dxa\"/><w:left w:w=\"57\" w:type=\"dxa\"/><w:bottom w:w=\"28\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar>");
    }
    out.push_str("<w:tblLook w:val=\"0000\"/></w:tblPr><w:tblGrid>");
    for width in widths {
        let _ = write!(out, "<w:gridCol w:w=\"{width}\"/>");
    }
    out.push_str("</w:tblGrid>");
}

/// Opens a row that never splits across pages; `header` repeats it on every page.
fn open_row(out: &mut String, header: bool) {
    out.push_str("<w:tr><w:trPr><w:cantSplit/>");
    if header {
        out.push_str("<w:tblHeader/>");
    }
    out.push_str("</w:trPr>");
}

fn open_cell(out: &mut String, width: u32) {
    let _ = write!(
        out,
        "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/><w:vAlign w:val=\"center\"/></w:tcPr>"
    );
}

fn document(summary: &AnnualSummary, margins: &Margins) -> String {
    let (left, right) = (twips(margins.left), twips(margins.right));
    let text_width = PAGE_WIDTH.saturating_sub(left + right);
    let mut out =
        format!("{XML_DECLARATION}<w:document xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"><w:body>");
    header(&mut out, summary, text_width);
    paragraph(
        &mut out,
        Layout::body(),
        Font::default(),
        &summary.narrative,
    );
    paragraph(&mut out, Layout::new(Align::Left), Font::default(), "");
    table(&mut out, summary, text_width);
    for (title, paragraphs) in summary.sections() {
        let heading = Layout {
            keep_next: true,
            before: 240,
            ..Layout::new(Align::Justify)
        };
        paragraph(&mut out, heading, Font::default().bold(), &title);
        for text in paragraphs {
            paragraph(&mut out, Layout::body(), Font::default(), text);
        }
    }
    paragraph(&mut out, Layout::new(Align::Left), Font::default(), "");
    signature(&mut out, summary, text_width);
    // The body ends with a paragraph, as Word writes it.
    paragraph(&mut out, Layout::new(Align::Left), Font::default(), "");
    let footer_distance = twips(margins.bottom / 2.0);
    let _ = write!(
        out,
        "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId3\"/>\
<w:pgSz w:w=\"{PAGE_WIDTH}\" w:h=\"{PAGE_HEIGHT}\"/>\
<w:pgMar w:top=\"{}\" w:right=\"{right}\" w:bottom=\"{}\" w:left=\"{left}\" w:header=\"{footer_distance}\" w:footer=\"{footer_distance}\" w:gutter=\"0\"/>\
</w:sectPr></w:body></w:document>",
        twips(margins.top),
        twips(margins.bottom),
    );
    out
}

/// The Party header in a borderless table: the issuing body on the left, the Party and
/// the place-date line on the right; then the document type and its subject.
fn header(out: &mut String, summary: &AnnualSummary, text_width: u32) {
    let h = &summary.header;
    let left_width = (f64::from(text_width) * HEADER_SPLIT).round() as u32;
    let widths = [left_width, text_width - left_width];
    let centre = Layout::new(Align::Centre);
    let regular = Font::sized(HEADER_SIZE);
    open_table(out, &widths, false);
    open_row(out, false);
    open_cell(out, widths[0]);
    if let Some(superior) = &h.superior {
        paragraph(out, centre, regular, superior);
    }
    // Less the cell's margins.
    let issuer_room = capacity(widths[0].saturating_sub(216), HEADER_SIZE, 0.72);
    paragraph(
        out,
        centre,
        regular.bold(),
        &balanced(&h.issuer, issuer_room),
    );
    paragraph(out, centre, regular, "*");
    paragraph(out, centre, regular, &h.number);
    out.push_str("</w:tc>");
    open_cell(out, widths[1]);
    // The Party's name underlined: the rule under it is as long as the name.
    let party = Font {
        underline: true,
        ..Font::sized(BODY_SIZE + 2).bold()
    };
    paragraph(out, centre, party, h.party);
    let place_date = Layout {
        before: 240,
        ..centre
    };
    paragraph(out, place_date, Font::default().italic(), &h.place_date);
    out.push_str("</w:tc></w:tr></w:tbl>");

    let title = Layout {
        before: 360,
        ..centre
    };
    paragraph(out, title, Font::sized(32).bold(), h.document_type);
    let subject_room = capacity(text_width * 85 / 100, BODY_SIZE, 0.5);
    paragraph(
        out,
        centre,
        Font::default().bold(),
        &balanced(&h.subject, subject_room),
    );
    paragraph(out, centre, Font::default(), "―――――");
}

/// The table by unit: its header row repeated on every page, the totals once at the end.
fn table(out: &mut String, summary: &AnnualSummary, text_width: u32) {
    let mut widths: Vec<u32> = COLUMNS
        .iter()
        .map(|(_, share)| (f64::from(text_width) * share).round() as u32)
        .collect();
    // Rounding's remainder goes to the unit column, so the table spans the text width.
    let sum: u32 = widths.iter().sum();
    widths[1] = (widths[1] + text_width).saturating_sub(sum);
    open_table(out, &widths, true);
    let header = Font::sized(TABLE_SIZE).bold();
    open_row(out, true);
    for ((title, _), width) in COLUMNS.iter().zip(&widths) {
        open_cell(out, *width);
        paragraph(out, Layout::new(Align::Centre), header, title);
        out.push_str("</w:tc>");
    }
    out.push_str("</w:tr>");
    let rows = summary
        .rows
        .iter()
        .map(|row| (row, Font::sized(TABLE_SIZE)))
        .chain([(&summary.total, header)]);
    for (row, font) in rows {
        open_row(out, false);
        for (i, (text, width)) in row.printed_cells().iter().zip(&widths).enumerate() {
            let align = match i {
                0 => Align::Centre,
                1 => Align::Left,
                _ => Align::Right,
            };
            open_cell(out, *width);
            paragraph(out, Layout::new(align), font, text);
            out.push_str("</w:tc>");
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
}

/// "Nơi nhận:" and the recipients on the left, the signature block and the signer's
/// name on the right, in a borderless table whose row stays on one page.
fn signature(out: &mut String, summary: &AnnualSummary, text_width: u32) {
    let half = text_width / 2;
    let widths = [half, text_width - half];
    open_table(out, &widths, false);
    open_row(out, false);
    open_cell(out, widths[0]);
    let left = Layout::new(Align::Left);
    paragraph(out, left, Font::sized(24).bold().italic(), "Nơi nhận:");
    for recipient in &summary.recipients {
        paragraph(out, left, Font::sized(TABLE_SIZE), recipient);
    }
    out.push_str("</w:tc>");
    open_cell(out, widths[1]);
    let centre = Layout::new(Align::Centre);
    for line in &summary.signature {
        paragraph(out, centre, Font::default().bold(), line);
    }
    paragraph(
        out,
        centre,
        Font::sized(24).italic(),
        "(Ký, ghi rõ họ tên, đóng dấu)",
    );
    if !summary.signer_name.is_empty() {
        // Room for the signature and the seal above the name.
        let name = Layout {
            before: 1440,
            ..centre
        };
        paragraph(out, name, Font::default().bold(), &summary.signer_name);
    }
    out.push_str("</w:tc></w:tr></w:tbl>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_characters_xml_cannot_carry_are_dropped() {
        assert_eq!(
            escape("Chi bộ <A> & “B” 'C'\u{1}\u{b}\tD"),
            "Chi bộ &lt;A&gt; &amp; “B” &apos;C&apos;\tD"
        );
    }

    #[test]
    fn a_long_header_line_is_cut_into_two_of_about_the_same_length() {
        assert_eq!(
            balanced("ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH", 21),
            "ĐẢNG ỦY KHỐI\nCÁC CƠ QUAN TỈNH"
        );
        assert_eq!(balanced("ĐẢNG ỦY KHỐI A", 21), "ĐẢNG ỦY KHỐI A");
    }

    #[test]
    fn millimetres_become_twips() {
        assert_eq!(twips(20.0), 1134);
        assert_eq!(twips(30.0), 1701);
        assert_eq!(twips(15.0), 850);
    }
}
