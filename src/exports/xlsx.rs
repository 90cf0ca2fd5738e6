//! The annual summary as an Excel workbook a committee can file as it is: sheet
//! "Tổng hợp" with the Party document header and one line per child unit, sheet
//! "Danh sách" with every initiative, in the summary's order. Both print on A4 with the
//! report's margins, fit to the page's width and as many pages tall as they take, their
//! header row repeated on every page and "Trang 1/3" at the foot: the summary upright,
//! the list landscape with its long text wrapped.
//!
//! The list sheet is written in constant-memory mode: each row goes to a temporary file
//! as soon as it is complete, so a national list costs disk, not memory.

use std::io::Write;

use rust_xlsxwriter::{
    DocProperties, Format, FormatAlign, FormatBorder, FormatUnderline, Formula, Workbook,
    Worksheet, XlsxError,
};

use crate::config::Margins;
use crate::exports::columns::{INITIATIVE_LIST, LIST_SHEET, SUMMARY_SHEET};
use crate::exports::summary::{AnnualSummary, SummaryRow};
use crate::store::initiatives::InitiativeExported;

/// Excel's code for A4 paper.
const A4: u8 = 9;
const FONT: &str = "Times New Roman";
/// Excel writes thousands with the reader's own separator: `1.500.000` in Vietnam.
const MONEY: &str = "#,##0";
const DATE: &str = "dd/mm/yyyy";
const RATE: &str = "0.0%";

/// The height of a line of 11 pt Times New Roman in a cell, in points.
const LINE_HEIGHT: f64 = 13.5;

/// Where the summary table's header row sits (0-based): under the document header.
const SUMMARY_TABLE_ROW: u32 = 8;
/// Where the list's header row sits (0-based): under its two title rows.
pub const LIST_HEADER_ROW: u32 = 3;

/// The summary sheet's columns and widths (in characters).
const SUMMARY_COLUMNS: [(&str, f64); 7] = [
    ("STT", 6.0),
    ("Đơn vị", 46.0),
    ("Đăng ký", 11.0),
    ("Hoàn thành", 12.0),
    ("Tỷ lệ hoàn thành", 12.0),
    ("Kinh phí dự kiến (đồng)", 20.0),
    ("Giá trị thực hiện (đồng)", 20.0),
];

/// The list sheet's columns, in the order of [`INITIATIVE_LIST`]: width (in characters)
/// and whether long text wraps inside it. The page is printed fit to its width, so the
/// widths add up to what a landscape A4 page can show legibly; the text columns wrap
/// instead of stretching it.
const LIST_COLUMNS: [(f64, bool); 17] = [
    (5.0, false),  // STT
    (10.0, false), // Mã
    (11.0, true),  // Mã đơn vị
    (20.0, true),  // Đơn vị
    (6.0, false),  // Năm
    (30.0, true),  // Tên mô hình, công trình
    (10.0, true),  // Loại
    (15.0, true),  // Lĩnh vực
    (13.0, false), // Kinh phí dự kiến
    (13.0, false), // Giá trị thực hiện
    (12.0, true),  // Trạng thái
    (13.0, true),  // Tình trạng xem xét
    (11.0, false), // Ngày bắt đầu
    (11.0, false), // Ngày dự kiến hoàn thành
    (11.0, false), // Ngày hoàn thành
    (32.0, true),  // Mô tả
    (28.0, true),  // Kết quả đạt được
];

struct Formats {
    text: Format,
    wrapped: Format,
    money: Format,
    date: Format,
    number: Format,
}

/// A workbook being written: the summary sheet is done, list rows are added one by one.
pub struct XlsxExport {
    workbook: Workbook,
    formats: Formats,
    next_row: u32,
    /// Which sheet is the list: the second of the annual workbook, the only one of a list.
    list_sheet: usize,
}

impl XlsxExport {
    /// Starts the workbook: the summary sheet in full, the list sheet's title and header.
    pub fn new(summary: &AnnualSummary, margins: &Margins) -> Result<XlsxExport, XlsxError> {
        let mut workbook = Workbook::new();
        // Level 1 instead of 6: the national list (545,455 initiatives) took 7.3 s of
        // server CPU instead of 11.3 s, for 74 MB instead of 42 MB (BENCHMARKS.md).
        workbook.set_zip_compression_level(1);
        workbook.set_properties(
            &DocProperties::new()
                .set_title(&summary.header.title)
                .set_author(&summary.unit.name)
                .set_company(&summary.unit.name),
        );
        write_summary_sheet(workbook.add_worksheet(), summary, margins)?;
        let title = format!(
            "DANH SÁCH MÔ HÌNH, CÔNG TRÌNH “HỌC TẬP VÀ LÀM THEO BÁC” NĂM {}",
            summary.year
        );
        let list = workbook.add_worksheet_with_constant_memory()?;
        start_list_sheet(list, &title, &summary.unit.name, margins)?;
        Ok(XlsxExport::with_list(workbook, 1))
    }

    /// A workbook of the list alone (the list page's download), titled `title` and
    /// `subtitle`.
    pub fn list_only(
        title: &str,
        subtitle: &str,
        margins: &Margins,
    ) -> Result<XlsxExport, XlsxError> {
        let mut workbook = Workbook::new();
        workbook.set_zip_compression_level(1);
        workbook.set_properties(&DocProperties::new().set_title(title));
        let list = workbook.add_worksheet_with_constant_memory()?;
        start_list_sheet(list, title, subtitle, margins)?;
        Ok(XlsxExport::with_list(workbook, 0))
    }

    fn with_list(workbook: Workbook, list_sheet: usize) -> XlsxExport {
        // Every cell framed and at the top of its row, as a printed table: a row grows
        // with its longest wrapped text.
        let base = Format::new()
            .set_font_name(FONT)
            .set_font_size(11)
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Top);
        XlsxExport {
            workbook,
            list_sheet,
            formats: Formats {
                money: base.clone().set_num_format(MONEY),
                date: base
                    .clone()
                    .set_num_format(DATE)
                    .set_align(FormatAlign::Center),
                number: base.clone().set_align(FormatAlign::Center),
                wrapped: base.clone().set_text_wrap(),
                text: base,
            },
            next_row: LIST_HEADER_ROW + 1,
        }
    }

    /// Adds one initiative to the list sheet.
    pub fn push(&mut self, row: &InitiativeExported) -> Result<(), XlsxError> {
        let r = self.next_row;
        let number = r - LIST_HEADER_ROW;
        let item = &row.initiative;
        let f = &self.formats;
        let sheet = self.workbook.worksheet_from_index(self.list_sheet)?;
        // Spreadsheets do not grow a row for its wrapped text when they open a file
        // (LibreOffice keeps the default height and the lines overlap), so the row gets
        // the height its longest text needs.
        let lines = [
            (3, row.unit_name.as_str()),
            (5, item.title.as_str()),
            (7, item.field.label_vi()),
            (15, item.description.as_str()),
            (16, item.result_summary.as_str()),
        ]
        .into_iter()
        .map(|(col, text)| wrapped_lines(text, LIST_COLUMNS[col].0))
        .max()
        .unwrap_or(1);
        if lines > 1 {
            sheet.set_row_height(r, LINE_HEIGHT * lines as f64 + 2.0)?;
        }
        let text = |col: u16| {
            if LIST_COLUMNS[usize::from(col)].1 {
                &f.wrapped
            } else {
                &f.text
            }
        };
        sheet.write_number_with_format(r, 0, number, &f.number)?;
        sheet.write_string_with_format(r, 1, &item.reference, text(1))?;
        sheet.write_string_with_format(r, 2, &row.unit_code, text(2))?;
        sheet.write_string_with_format(r, 3, &row.unit_name, text(3))?;
        sheet.write_number_with_format(r, 4, item.year, &f.number)?;
        sheet.write_string_with_format(r, 5, &item.title, text(5))?;
        sheet.write_string_with_format(r, 6, item.kind.label_vi(), text(6))?;
        sheet.write_string_with_format(r, 7, item.field.label_vi(), text(7))?;
        sheet.write_number_with_format(r, 8, item.estimated_cost_vnd as f64, &f.money)?;
        match item.actual_value_vnd {
            Some(value) => sheet.write_number_with_format(r, 9, value as f64, &f.money)?,
            None => sheet.write_blank(r, 9, &f.money)?,
        };
        sheet.write_string_with_format(r, 10, item.status.label_vi(), text(10))?;
        sheet.write_string_with_format(r, 11, item.review.report_label_vi(), text(11))?;
        sheet.write_datetime_with_format(r, 12, item.start_date, &f.date)?;
        sheet.write_datetime_with_format(r, 13, item.due_date, &f.date)?;
        match item.completion_date {
            Some(date) => sheet.write_datetime_with_format(r, 14, date, &f.date)?,
            None => sheet.write_blank(r, 14, &f.date)?,
        };
        // Blank but framed when empty, so the printed table has no holes.
        for (col, value) in [(15, &item.description), (16, &item.result_summary)] {
            if value.is_empty() {
                sheet.write_blank(r, col, text(col))?;
            } else {
                sheet.write_string_with_format(r, col, value, text(col))?;
            }
        }
        self.next_row += 1;
        Ok(())
    }

    /// Closes the list (its filter covers every row) and writes the file to `out`.
    pub fn finish(mut self, out: impl Write + Send) -> Result<(), XlsxError> {
        let last_row = self.next_row.saturating_sub(1).max(LIST_HEADER_ROW);
        let last_col = (INITIATIVE_LIST.len() - 1) as u16;
        self.workbook
            .worksheet_from_index(self.list_sheet)?
            .autofilter(LIST_HEADER_ROW, 0, last_row, last_col)?;
        self.workbook.save_to_writer(out)
    }
}

/// How a sheet prints: A4 in `orientation`, the report's margins, as many pages tall
/// as it takes but never wider than one page, `header_row` repeated at the top of each
/// page and "Trang 1/3" at the foot.
fn page_setup(
    sheet: &mut Worksheet,
    margins: &Margins,
    orientation: Orientation,
    header_row: u32,
) -> Result<(), XlsxError> {
    let inches = |mm: f64| mm / 25.4;
    sheet.set_paper_size(A4);
    match orientation {
        Orientation::Portrait => sheet.set_portrait(),
        Orientation::Landscape => sheet.set_landscape(),
    };
    sheet
        .set_margins(
            inches(margins.left),
            inches(margins.right),
            inches(margins.top),
            inches(margins.bottom),
            0.3,
            0.3,
        )
        .set_print_fit_to_pages(1, 0)
        .set_footer("&CTrang &P/&N");
    sheet.set_repeat_rows(header_row, header_row)?;
    sheet.set_freeze_panes(header_row + 1, 0)?;
    Ok(())
}

#[derive(Debug, Clone, Copy)]
enum Orientation {
    /// The summary: a Party document, upright.
    Portrait,
    /// The list: seventeen columns side by side.
    Landscape,
}

fn header_cell() -> Format {
    Format::new()
        .set_font_name(FONT)
        .set_font_size(11)
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin)
}

fn write_summary_sheet(
    sheet: &mut Worksheet,
    summary: &AnnualSummary,
    margins: &Margins,
) -> Result<(), XlsxError> {
    sheet.set_name(SUMMARY_SHEET)?;
    let font = |size: u32| {
        Format::new()
            .set_font_name(FONT)
            .set_font_size(size)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
    };
    let header = &summary.header;
    // The left block (superior, issuer, *, number) spans columns A–C, the right block
    // (ĐẢNG CỘNG SẢN VIỆT NAM, place and date) spans E–G, as on the printed page.
    sheet.merge_range(
        0,
        0,
        0,
        2,
        header.superior.as_deref().unwrap_or(""),
        &font(14),
    )?;
    sheet.merge_range(
        0,
        4,
        0,
        6,
        header.party,
        &font(15).set_bold().set_underline(FormatUnderline::Single),
    )?;
    sheet.merge_range(1, 0, 1, 2, &header.issuer, &font(14).set_bold())?;
    sheet.merge_range(1, 4, 1, 6, &header.place_date, &font(14).set_italic())?;
    sheet.merge_range(2, 0, 2, 2, "*", &font(14))?;
    sheet.merge_range(3, 0, 3, 2, &header.number, &font(14))?;
    sheet.merge_range(
        5,
        0,
        5,
        6,
        &header.title,
        &font(15).set_bold().set_text_wrap(),
    )?;
    sheet.set_row_height(5, 42)?;
    let paragraph = Format::new()
        .set_font_name(FONT)
        .set_font_size(13)
        .set_text_wrap()
        .set_align(FormatAlign::Justify)
        .set_align(FormatAlign::Top);
    sheet.merge_range(6, 0, 6, 6, &summary.narrative, &paragraph)?;
    // About 120 characters fit on a line of the merged width at 13 pt.
    let lines = summary.narrative.chars().count().div_ceil(120).max(1);
    sheet.set_row_height(6, 18.0 * lines as f64 + 6.0)?;

    let head = header_cell();
    for (col, (title, width)) in SUMMARY_COLUMNS.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
        sheet.write_string_with_format(SUMMARY_TABLE_ROW, col as u16, *title, &head)?;
    }
    sheet.set_row_height(SUMMARY_TABLE_ROW, 32)?;
    let first = SUMMARY_TABLE_ROW + 1;
    let mut row = first;
    for line in &summary.rows {
        write_summary_row(sheet, row, line, None)?;
        row += 1;
    }
    // The totals are formulas over the rows above (with the figures cached, for viewers
    // that do not calculate): a row a person corrects by hand changes the total too.
    let above = (row > first).then(|| (first, row - 1));
    write_summary_row(sheet, row, &summary.total, Some(above))?;
    write_closing(sheet, row + 2, summary, &paragraph)?;
    sheet.autofilter(
        SUMMARY_TABLE_ROW,
        0,
        row.saturating_sub(1).max(SUMMARY_TABLE_ROW),
        6,
    )?;
    page_setup(sheet, margins, Orientation::Portrait, SUMMARY_TABLE_ROW)?;
    sheet.set_print_center_horizontally(true);
    Ok(())
}

/// After the table: the assessment and next-year sections, then "Nơi nhận" (A–C) beside
/// the signature block (E–G), as on the printed page.
fn write_closing(
    sheet: &mut Worksheet,
    mut row: u32,
    summary: &AnnualSummary,
    paragraph: &Format,
) -> Result<(), XlsxError> {
    let bold = Format::new()
        .set_font_name(FONT)
        .set_font_size(13)
        .set_bold();
    for (title, paragraphs) in summary.sections() {
        sheet.merge_range(row, 0, row, 6, &title, &bold)?;
        row += 1;
        for text in paragraphs {
            sheet.merge_range(row, 0, row, 6, text, paragraph)?;
            let lines = text.chars().count().div_ceil(120).max(1);
            sheet.set_row_height(row, 18.0 * lines as f64 + 6.0)?;
            row += 1;
        }
        row += 1;
    }
    let left = Format::new().set_font_name(FONT).set_font_size(11);
    let centred = |format: Format| format.set_align(FormatAlign::Center);
    sheet.merge_range(
        row,
        0,
        row,
        2,
        "Nơi nhận:",
        &left.clone().set_bold().set_italic(),
    )?;
    for (i, line) in summary.recipients.iter().enumerate() {
        sheet.merge_range(row + 1 + i as u32, 0, row + 1 + i as u32, 2, line, &left)?;
    }
    let mut right = row;
    for line in &summary.signature {
        sheet.merge_range(right, 4, right, 6, line, &centred(bold.clone()))?;
        right += 1;
    }
    if !summary.signer_name.is_empty() {
        // Room for the signature and the seal above the name.
        right += 4;
        sheet.merge_range(
            right,
            4,
            right,
            6,
            &summary.signer_name,
            &centred(bold.clone()),
        )?;
    }
    Ok(())
}

/// One row of the summary table. `total`: the totals row, with `Some((first, last))`
/// the rows it adds up (`None` inside: there are none, so it holds plain figures).
fn write_summary_row(
    sheet: &mut Worksheet,
    row: u32,
    line: &SummaryRow,
    total: Option<Option<(u32, u32)>>,
) -> Result<(), XlsxError> {
    let mut base = Format::new()
        .set_font_name(FONT)
        .set_font_size(11)
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    if total.is_some() {
        base = base.set_bold();
    }
    let centred = base.clone().set_align(FormatAlign::Center);
    match line.number {
        Some(number) => sheet.write_number_with_format(row, 0, number as f64, &centred)?,
        None => sheet.write_blank(row, 0, &centred)?,
    };
    sheet.write_string_with_format(row, 1, &line.name, &base.clone().set_text_wrap())?;
    let rate = centred.clone().set_num_format(RATE);
    let money = base.set_num_format(MONEY);
    let figures: [(u16, f64, &Format); 4] = [
        (2, line.registered as f64, &centred),
        (3, line.completed as f64, &centred),
        (5, line.estimated_cost_vnd as f64, &money),
        (6, line.actual_value_vnd as f64, &money),
    ];
    let Some(Some((first, last))) = total else {
        for (col, value, format) in figures {
            sheet.write_number_with_format(row, col, value, format)?;
        }
        sheet.write_number_with_format(row, 4, line.completion_fraction(), &rate)?;
        return Ok(());
    };
    for (col, value, format) in figures {
        let range = cell_range(first, col, last, col);
        let formula = Formula::new(format!("SUM({range})")).set_result(value.to_string());
        sheet.write_formula_with_format(row, col, formula, format)?;
    }
    let (registered, completed) = (cell_name(row, 2), cell_name(row, 3));
    let formula = Formula::new(format!("IF({registered}=0,0,{completed}/{registered})"))
        .set_result(line.completion_fraction().to_string());
    sheet.write_formula_with_format(row, 4, formula, &rate)?;
    Ok(())
}

/// How many lines `text` takes wrapped in a column `width` characters wide (at least
/// one): words are laid greedily, a line break in the text starts a new line. A column
/// holds about 1.4 times more Times New Roman than its width in characters (which counts
/// digits of the default font); a word longer than a line is cut.
fn wrapped_lines(text: &str, width: f64) -> usize {
    let room = ((width * 1.4) as usize).max(1);
    text.lines()
        .map(|paragraph| {
            let mut lines = 1;
            let mut used = 0;
            for word in paragraph.split_whitespace() {
                let length = word.chars().count();
                let needed = if used == 0 { length } else { used + 1 + length };
                if needed <= room {
                    used = needed;
                } else if used == 0 {
                    lines += (length - 1) / room;
                    used = (length - 1) % room + 1;
                } else {
                    lines += 1 + (length - 1) / room;
                    used = (length - 1) % room + 1;
                }
            }
            lines
        })
        .sum::<usize>()
        .max(1)
}

/// `C12`: the A1 name of a cell (row and column from 0).
fn cell_name(row: u32, col: u16) -> String {
    rust_xlsxwriter::utility::row_col_to_cell(row, col)
}

/// `C9:C20`.
fn cell_range(first_row: u32, first_col: u16, last_row: u32, last_col: u16) -> String {
    rust_xlsxwriter::utility::cell_range(first_row, first_col, last_row, last_col)
}

fn start_list_sheet(
    sheet: &mut Worksheet,
    title: &str,
    subtitle: &str,
    margins: &Margins,
) -> Result<(), XlsxError> {
    sheet.set_name(LIST_SHEET)?;
    let bold = Format::new()
        .set_font_name(FONT)
        .set_font_size(14)
        .set_bold();
    sheet.write_string_with_format(0, 0, title, &bold)?;
    sheet.write_string_with_format(
        1,
        0,
        subtitle,
        &Format::new()
            .set_font_name(FONT)
            .set_font_size(12)
            .set_italic(),
    )?;
    let head = header_cell();
    for (col, (title, (width, _))) in INITIATIVE_LIST.iter().zip(LIST_COLUMNS).enumerate() {
        sheet.set_column_width(col as u16, width)?;
        sheet.write_string_with_format(LIST_HEADER_ROW, col as u16, *title, &head)?;
    }
    // "Ngày dự kiến hoàn thành" takes three lines of its column.
    sheet.set_row_height(LIST_HEADER_ROW, LINE_HEIGHT * 3.0 + 4.0)?;
    page_setup(sheet, margins, Orientation::Landscape, LIST_HEADER_ROW)
}

#[cfg(test)]
mod tests {
    use super::wrapped_lines;

    #[test]
    fn wrapped_text_takes_the_lines_a_column_shows() {
        // 14 characters a line in a column 10 wide.
        assert_eq!(wrapped_lines("", 10.0), 1);
        assert_eq!(wrapped_lines("Mô hình số một", 10.0), 1);
        assert_eq!(wrapped_lines("Mô hình số một hai", 10.0), 2);
        assert_eq!(wrapped_lines("Cách làm:\nKết quả:", 10.0), 2);
        assert_eq!(wrapped_lines(&"a".repeat(30), 10.0), 3);
        assert_eq!(wrapped_lines(&format!("Mô {}", "a".repeat(30)), 10.0), 4);
    }
}
