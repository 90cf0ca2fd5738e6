//! The annual summary as a PDF on A4 portrait, laid out like the printable page: the
//! Party document header, the title, the opening sentence (justified), the table by unit
//! (its header repeated on every page), the signature block and "Trang 1/2" on each page.

mod fonts;

use pdf_writer::{Content, Finish, Pdf, Rect, Ref, Str, TextStr};

use crate::config::Margins;
use crate::exports::summary::AnnualSummary;
pub use fonts::FontError;
use fonts::{Face, Fonts};

const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const MM: f32 = 72.0 / 25.4;

/// The table's columns: title and share of the text width.
const COLUMNS: [(&str, f32); 7] = [
    ("STT", 0.06),
    ("Đơn vị", 0.31),
    ("Đăng ký", 0.085),
    ("Hoàn thành", 0.095),
    ("Tỷ lệ", 0.09),
    ("Kinh phí dự kiến (đồng)", 0.18),
    ("Giá trị thực hiện (đồng)", 0.18),
];
/// The column that gives up width when a header word needs more room elsewhere.
const UNIT_COLUMN: usize = 1;
const TABLE_SIZE: f32 = 10.0;
const CELL_PADDING: f32 = 3.0;
const PAGE_NUMBER_SIZE: f32 = 11.0;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(transparent)]
    Font(#[from] FontError),
    #[error("compressing the PDF failed")]
    Compress(#[from] std::io::Error),
}

/// How a line of text is placed between the left and right edges given.
#[derive(Clone, Copy)]
enum Align {
    Left,
    Centre,
    Right,
}

/// A document being laid out: finished pages and the one being written.
struct Writer {
    fonts: Fonts,
    /// Kept open until the end, when the page count is known and each gets its number.
    pages: Vec<Content>,
    content: Content,
    /// The baseline of the next line, from the bottom of the page.
    y: f32,
    left: f32,
    right: f32,
    top: f32,
    bottom: f32,
}

impl Writer {
    fn new(fonts: Fonts, margins: &Margins) -> Writer {
        let top = PAGE_HEIGHT - margins.top as f32 * MM;
        Writer {
            fonts,
            pages: Vec::new(),
            content: Content::new(),
            y: top,
            left: margins.left as f32 * MM,
            right: PAGE_WIDTH - margins.right as f32 * MM,
            top,
            bottom: margins.bottom as f32 * MM,
        }
    }

    fn width(&self) -> f32 {
        self.right - self.left
    }

    fn new_page(&mut self) {
        let finished = std::mem::replace(&mut self.content, Content::new());
        self.pages.push(finished);
        self.y = self.top;
    }

    /// Closes the last page and writes "Trang n/N" centred in each page's bottom margin.
    fn finish_pages(&mut self) -> Vec<Vec<u8>> {
        self.new_page();
        let total = self.pages.len();
        let (left, right) = (self.left, self.right);
        let baseline = self.bottom / 2.0;
        let mut finished = Vec::with_capacity(total);
        for (i, page) in std::mem::take(&mut self.pages).into_iter().enumerate() {
            self.content = page;
            let number = format!("Trang {}/{total}", i + 1);
            self.text_at(
                Face::Regular,
                PAGE_NUMBER_SIZE,
                &number,
                (left, right),
                baseline,
                Align::Centre,
            );
            let content = std::mem::replace(&mut self.content, Content::new());
            finished.push(content.finish().into_vec());
        }
        finished
    }

    /// Starts a new page unless `height` points still fit on this one.
    fn ensure_room(&mut self, height: f32) {
        if self.y - height < self.bottom {
            self.new_page();
        }
    }

    /// Draws one line of text at baseline `y` between `from` and `to`.
    fn text_at(
        &mut self,
        face: Face,
        size: f32,
        text: &str,
        (from, to): (f32, f32),
        y: f32,
        align: Align,
    ) {
        let width = self.fonts.width(face, size, text);
        let x = match align {
            Align::Left => from,
            Align::Centre => from + (to - from - width) / 2.0,
            Align::Right => to - width,
        };
        let encoded = self.fonts.encode(face, text);
        self.content
            .begin_text()
            .set_font(face.resource(), size)
            .next_line(x, y)
            .show(Str(&encoded))
            .end_text();
    }

    /// Draws one line of a justified paragraph: the spaces between its words widened
    /// (by TJ adjustments, as Tw does not apply to two-byte glyph codes) so that it
    /// ends at `to`. The spaces stay in the text, so it is read back word by word.
    fn justified_at(&mut self, face: Face, size: f32, text: &str, (from, to): (f32, f32), y: f32) {
        let words: Vec<&str> = text.split(' ').filter(|word| !word.is_empty()).collect();
        let slack = to - from - self.fonts.width(face, size, text);
        if words.len() < 2 || slack <= 0.0 {
            self.text_at(face, size, text, (from, to), y, Align::Left);
            return;
        }
        // In thousandths of the font size; negative moves the next glyph right.
        let adjustment = -slack / (words.len() - 1) as f32 * 1000.0 / size;
        let last = words.len() - 1;
        let encoded: Vec<Vec<u8>> = words
            .iter()
            .enumerate()
            .map(|(i, word)| {
                if i == last {
                    self.fonts.encode(face, word)
                } else {
                    self.fonts.encode(face, &format!("{word} "))
                }
            })
            .collect();
        self.content
            .begin_text()
            .set_font(face.resource(), size)
            .next_line(from, y);
        {
            let mut shown = self.content.show_positioned();
            let mut items = shown.items();
            for (i, word) in encoded.iter().enumerate() {
                items.show(Str(word));
                if i != last {
                    items.adjust(adjustment);
                }
            }
        }
        self.content.end_text();
    }

    fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32) {
        self.content
            .set_line_width(0.6)
            .move_to(x1, y1)
            .line_to(x2, y2)
            .stroke();
    }

    /// Breaks `text` into lines no wider than `width`: at spaces, and inside a word
    /// only when the word alone is too wide.
    fn wrap(&self, face: Face, size: f32, text: &str, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut current = String::new();
        for word in text.split_whitespace() {
            let candidate = if current.is_empty() {
                word.to_owned()
            } else {
                format!("{current} {word}")
            };
            if self.fonts.width(face, size, &candidate) <= width {
                current = candidate;
                continue;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            for c in word.chars() {
                current.push(c);
                if self.fonts.width(face, size, &current) > width && current.chars().count() > 1 {
                    current.pop();
                    lines.push(std::mem::take(&mut current));
                    current.push(c);
                }
            }
        }
        if !current.is_empty() || lines.is_empty() {
            lines.push(current);
        }
        lines
    }

    /// Like [`Writer::wrap`], but two lines of about the same length rather than a
    /// full line and a short one, as headers are set.
    fn wrap_balanced(&self, face: Face, size: f32, text: &str, width: f32) -> Vec<String> {
        let greedy = self.wrap(face, size, text, width);
        if greedy.len() != 2 {
            return greedy;
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        (1..words.len())
            .map(|cut| (words[..cut].join(" "), words[cut..].join(" ")))
            .filter(|(first, second)| {
                self.fonts.width(face, size, first) <= width
                    && self.fonts.width(face, size, second) <= width
            })
            .min_by(|a, b| {
                let widest = |(first, second): &(String, String)| {
                    self.fonts
                        .width(face, size, first)
                        .max(self.fonts.width(face, size, second))
                };
                widest(a).total_cmp(&widest(b))
            })
            .map_or(greedy, |(first, second)| vec![first, second])
    }

    /// A justified paragraph across the text width, its first line indented and its
    /// last line left ragged, moving down as it goes.
    fn paragraph(&mut self, face: Face, size: f32, text: &str, indent: f32) {
        let leading = size * 1.35;
        let lines = self.wrap(face, size, text, self.width() - indent);
        let last = lines.len().saturating_sub(1);
        for (i, line) in lines.iter().enumerate() {
            self.ensure_room(leading);
            self.y -= leading;
            let from = if i == 0 {
                self.left + indent
            } else {
                self.left
            };
            let (left, right) = (from, self.right);
            if i == last {
                self.text_at(face, size, line, (left, right), self.y, Align::Left);
            } else {
                self.justified_at(face, size, line, (left, right), self.y);
            }
        }
    }
}

/// The summary as a PDF file. The fonts are read from `font_dir`.
pub fn render(
    summary: &AnnualSummary,
    margins: &Margins,
    font_dir: &std::path::Path,
) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::find(font_dir)?;
    let mut writer = Writer::new(fonts, margins);
    draw_header(&mut writer, summary);
    writer.y -= 8.0;
    writer.paragraph(Face::Regular, 13.0, &summary.narrative, 28.0);
    writer.y -= 12.0;
    draw_table(&mut writer, summary);
    draw_sections(&mut writer, summary);
    draw_signature(&mut writer, summary);
    let pages = writer.finish_pages();
    assemble(&writer.fonts, &pages, summary)
}

fn draw_header(w: &mut Writer, summary: &AnnualSummary) {
    let header = &summary.header;
    let split = w.left + w.width() * 0.45;
    let (left, right) = (w.left, w.right);
    let y = w.y - 14.0;
    if let Some(superior) = &header.superior {
        w.text_at(
            Face::Regular,
            12.0,
            superior,
            (left - 10.0, split),
            y,
            Align::Centre,
        );
    }
    w.text_at(
        Face::Bold,
        13.0,
        header.party,
        (split, right),
        y,
        Align::Centre,
    );
    let party_width = w.fonts.width(Face::Bold, 13.0, header.party);
    let centre = (split + right) / 2.0;
    w.line(
        centre - party_width / 2.0,
        y - 3.0,
        centre + party_width / 2.0,
        y - 3.0,
    );
    let issuer_lines = w.wrap_balanced(Face::Bold, 12.0, &header.issuer, split - left + 10.0);
    let mut left_y = y;
    for line in &issuer_lines {
        left_y -= 15.0;
        w.text_at(
            Face::Bold,
            12.0,
            line,
            (left - 10.0, split),
            left_y,
            Align::Centre,
        );
    }
    left_y -= 13.0;
    w.text_at(
        Face::Regular,
        12.0,
        "*",
        (left - 10.0, split),
        left_y,
        Align::Centre,
    );
    left_y -= 15.0;
    w.text_at(
        Face::Regular,
        12.0,
        &header.number,
        (left - 10.0, split),
        left_y,
        Align::Centre,
    );
    w.text_at(
        Face::Italic,
        12.0,
        &header.place_date,
        (split, right),
        y - 24.0,
        Align::Centre,
    );
    w.y = left_y - 24.0;
    w.text_at(
        Face::Bold,
        15.0,
        header.document_type,
        (left, right),
        w.y,
        Align::Centre,
    );
    for line in w.wrap_balanced(Face::Bold, 13.0, &header.subject, w.width() * 0.85) {
        w.y -= 17.0;
        w.text_at(Face::Bold, 13.0, &line, (left, right), w.y, Align::Centre);
    }
    w.y -= 9.0;
    let centre = (left + right) / 2.0;
    w.line(centre - 40.0, w.y, centre + 40.0, w.y);
    w.y -= 4.0;
}

/// The columns' widths: each its share of `text_width`, but never narrower than the
/// longest word of its header, so a header breaks only between words ("STT" whole);
/// the unit column gives up what the others take.
fn column_widths(fonts: &Fonts, text_width: f32) -> Vec<f32> {
    let mut widths: Vec<f32> = COLUMNS
        .iter()
        .map(|(_, share)| text_width * share)
        .collect();
    let mut taken = 0.0;
    for (width, (title, _)) in widths.iter_mut().zip(COLUMNS) {
        let longest_word = title
            .split_whitespace()
            .map(|word| fonts.width(Face::Bold, TABLE_SIZE, word))
            .fold(0.0, f32::max);
        // Half a point more than the word, so rounding never pushes it over.
        let needed = longest_word + 2.0 * CELL_PADDING + 0.5;
        if *width < needed {
            taken += needed - *width;
            *width = needed;
        }
    }
    widths[UNIT_COLUMN] -= taken;
    widths
}

/// The x positions of the table's column edges.
fn column_edges(w: &Writer) -> Vec<f32> {
    let mut edges = vec![w.left];
    let mut x = w.left;
    for width in column_widths(&w.fonts, w.width()) {
        x += width;
        edges.push(x);
    }
    edges
}

/// A table row broken into lines, and its height.
struct RowLayout {
    lines: Vec<Vec<String>>,
    /// The font size of each cell: figures shrink to fit rather than break.
    sizes: Vec<f32>,
    height: f32,
}

fn layout_row(w: &Writer, edges: &[f32], texts: &[String], face: Face, figures: bool) -> RowLayout {
    let mut lines = Vec::new();
    let mut sizes = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let width = edges[i + 1] - edges[i] - 2.0 * CELL_PADDING;
        let is_figure = figures && i >= 2;
        if is_figure {
            let natural = w.fonts.width(face, TABLE_SIZE, text);
            let size = if natural > width {
                TABLE_SIZE * width / natural
            } else {
                TABLE_SIZE
            };
            lines.push(vec![text.clone()]);
            sizes.push(size);
        } else {
            lines.push(w.wrap(face, TABLE_SIZE, text, width));
            sizes.push(TABLE_SIZE);
        }
    }
    let count = lines.iter().map(Vec::len).max().unwrap_or(1);
    RowLayout {
        height: count as f32 * TABLE_SIZE * 1.3 + 2.0 * CELL_PADDING,
        lines,
        sizes,
    }
}

/// Draws a laid-out row with its borders at the current position and moves below it.
fn paint_row(w: &mut Writer, edges: &[f32], row: &RowLayout, face: Face, aligns: &[Align]) {
    let leading = TABLE_SIZE * 1.3;
    let top = w.y;
    for (i, cell_lines) in row.lines.iter().enumerate() {
        let (from, to) = (edges[i] + CELL_PADDING, edges[i + 1] - CELL_PADDING);
        for (n, line) in cell_lines.iter().enumerate() {
            let baseline = top - CELL_PADDING - TABLE_SIZE - n as f32 * leading + 1.5;
            w.text_at(face, row.sizes[i], line, (from, to), baseline, aligns[i]);
        }
    }
    let (first, last) = (edges[0], edges[edges.len() - 1]);
    w.content
        .set_line_width(0.5)
        .rect(first, top - row.height, last - first, row.height)
        .stroke();
    for x in &edges[1..edges.len() - 1] {
        w.line(*x, top, *x, top - row.height);
    }
    w.y = top - row.height;
}

const HEADER_ALIGN: [Align; 7] = [Align::Centre; 7];
const BODY_ALIGN: [Align; 7] = [
    Align::Centre,
    Align::Left,
    Align::Right,
    Align::Right,
    Align::Right,
    Align::Right,
    Align::Right,
];

/// The table by unit; a row that does not fit starts a page, under the header again.
fn draw_table(w: &mut Writer, summary: &AnnualSummary) {
    let edges = column_edges(w);
    let titles: Vec<String> = COLUMNS
        .iter()
        .map(|(title, _)| (*title).to_owned())
        .collect();
    let header = layout_row(w, &edges, &titles, Face::Bold, false);
    let rows = summary
        .rows
        .iter()
        .map(|row| (row, Face::Regular))
        .chain([(&summary.total, Face::Bold)]);
    let mut first = true;
    for (row, face) in rows {
        let layout = layout_row(w, &edges, &row.printed_cells(), face, true);
        let needed = layout.height + if first { header.height } else { 0.0 };
        if w.y - needed < w.bottom {
            w.new_page();
            first = true;
        }
        if first {
            paint_row(w, &edges, &header, Face::Bold, &HEADER_ALIGN);
            first = false;
        }
        paint_row(w, &edges, &layout, face, &BODY_ALIGN);
    }
}

/// The assessment and next-year sections of the settings, after the figures.
fn draw_sections(w: &mut Writer, summary: &AnnualSummary) {
    for (title, paragraphs) in summary.sections() {
        w.y -= 14.0;
        w.ensure_room(40.0);
        w.paragraph(Face::Bold, 13.0, &title, 0.0);
        for text in paragraphs {
            w.y -= 4.0;
            w.paragraph(Face::Regular, 13.0, text, 28.0);
        }
    }
}

fn draw_signature(w: &mut Writer, summary: &AnnualSummary) {
    let lines = summary.signature.len() as f32;
    let block = 16.0 * (summary.recipients.len() as f32 + lines) + 90.0;
    w.ensure_room(block);
    let split = w.left + w.width() * 0.5;
    let (left, right) = (w.left, w.right);
    let top = w.y - 26.0;
    let mut below = top;
    for line in &summary.signature {
        w.text_at(Face::Bold, 13.0, line, (split, right), below, Align::Centre);
        below -= 17.0;
    }
    below += 1.0;
    w.text_at(
        Face::Italic,
        11.0,
        "(Ký, ghi rõ họ tên, đóng dấu)",
        (split, right),
        below,
        Align::Centre,
    );
    if !summary.signer_name.is_empty() {
        // Room for the signature and the seal above the name.
        below -= 60.0;
        w.text_at(
            Face::Bold,
            13.0,
            &summary.signer_name,
            (split, right),
            below,
            Align::Centre,
        );
    }
    w.text_at(
        Face::Bold,
        11.0,
        "Nơi nhận:",
        (left, split),
        top,
        Align::Left,
    );
    let mut y = top;
    for recipient in &summary.recipients {
        y -= 14.0;
        w.text_at(
            Face::Regular,
            10.0,
            recipient,
            (left, split),
            y,
            Align::Left,
        );
    }
    w.y = y.min(below);
}

/// Writes the pages, the fonts and the document information into one file.
fn assemble(
    fonts: &Fonts,
    pages: &[Vec<u8>],
    summary: &AnnualSummary,
) -> Result<Vec<u8>, PdfError> {
    let mut pdf = Pdf::new();
    let mut next = 1;
    let mut next_id = || {
        next += 1;
        Ref::new(next - 1)
    };
    let catalog = next_id();
    let pages_id = next_id();
    let info = next_id();
    let page_ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (next_id(), next_id())).collect();
    let fonts = fonts.embed(&mut pdf, &mut next_id)?;

    pdf.catalog(catalog).pages(pages_id).lang(TextStr("vi"));
    pdf.document_info(info)
        .title(TextStr(&summary.header.title))
        .author(TextStr(&summary.unit.name))
        .creator(TextStr("lamtheobac"))
        .producer(TextStr("lamtheobac"));
    pdf.pages(pages_id)
        .kids(page_ids.iter().map(|(page, _)| *page))
        .count(page_ids.len() as i32);
    for ((page_id, content_id), content) in page_ids.iter().zip(pages) {
        let mut page = pdf.page(*page_id);
        page.parent(pages_id)
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .contents(*content_id);
        let mut resources = page.resources();
        let mut font_dict = resources.fonts();
        for (face, font_ref) in &fonts {
            font_dict.pair(face.resource(), *font_ref);
        }
        font_dict.finish();
        resources.finish();
        page.finish();
        let compressed = fonts::deflate(content)?;
        pdf.stream(*content_id, &compressed)
            .filter(pdf_writer::Filter::FlateDecode);
    }
    Ok(pdf.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::path::Path;

    use fonts::{FALLBACK_DIR, Family};

    /// Both families: DejaVu Serif, the wider, is the one whose "STT" used to wrap.
    fn both_families() -> [Fonts; 2] {
        [
            Fonts::load(
                Family::LiberationSerif,
                Path::new(crate::config::DEFAULT_FONT_DIR),
            )
            .expect("fonts-liberation2"),
            Fonts::load(Family::DejaVuSerif, Path::new(FALLBACK_DIR)).expect("fonts-dejavu-core"),
        ]
    }

    #[test]
    fn every_header_word_fits_its_column_and_the_table_keeps_its_width() {
        // The text width between the default margins, 30 mm and 15 mm.
        let text_width = PAGE_WIDTH - 45.0 * MM;
        for fonts in both_families() {
            let widths = column_widths(&fonts, text_width);
            let total: f32 = widths.iter().sum();
            assert!((total - text_width).abs() < 0.01, "{total}");
            for (width, (title, _)) in widths.iter().zip(COLUMNS) {
                for word in title.split_whitespace() {
                    let needed = fonts.width(Face::Bold, TABLE_SIZE, word) + 2.0 * CELL_PADDING;
                    assert!(needed <= *width, "{word:?} needs {needed}, has {width}");
                }
            }
        }
    }
}
