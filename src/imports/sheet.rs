//! Reading an uploaded file into grids of cells: XLSX through calamine, CSV (UTF-8 with
//! or without a BOM, comma or semicolon between cells) through csv. Nothing here knows
//! which columns an import wants: [`super::columns`] finds them in the grids.
//!
//! Memory stays bounded whatever the file claims: an XLSX may not unpack to more than
//! [`MAX_UNPACKED_BYTES`] (the ZIP reader holds every part to the size its directory
//! declares), and before calamine opens it every XML part is unpacked once, as a
//! stream, to check it against its cap ([`check_xlsx_parts`]): calamine keeps the whole
//! shared-strings table in memory (three times its size), and reserves room for as many
//! strings as its header claims. Worksheets are read cell by cell and stop after
//! [`MAX_ROWS`] rows, and cells right of [`MAX_COLUMNS`] are not kept.

use std::io::{self, BufReader, Cursor, Read};

use calamine::{DataRef, Reader, Xlsx};
use chrono::NaiveDate;

use crate::evidence::{EvidenceType, sniff_reader};
use crate::exports::csv::restore;

/// Rows read from one worksheet at most; a longer one is refused as a whole.
pub const MAX_ROWS: usize = 20_000;
/// Columns kept; a value further right is reported, not read.
pub const MAX_COLUMNS: usize = 64;
/// What an XLSX may unpack to (its worksheets are XML, ten times their packed size or so).
const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;
/// What the shared-strings table (`xl/sharedStrings.xml`: every distinct text of the
/// workbook) may unpack to.
pub const MAX_SHARED_STRINGS_BYTES: u64 = 32 * 1024 * 1024;
/// How many distinct texts the shared-strings table may hold (20,000 rows of a dozen
/// text columns is 240,000 at most).
pub const MAX_SHARED_STRINGS: u64 = 300_000;
/// What one worksheet may unpack to (it is read as a stream, so this bounds time).
pub const MAX_WORKSHEET_BYTES: u64 = 64 * 1024 * 1024;
/// What any other XML part (the workbook, styles, relationships) may unpack to.
const MAX_OTHER_PART_BYTES: u64 = 8 * 1024 * 1024;
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const OLE_SIGNATURE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// One cell's value, as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
    /// A formula that failed (`#N/A`, `#DIV/0!`…).
    Error(String),
}

impl Cell {
    /// Nothing, or only spaces.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }
}

/// A row with something in it: its number as the spreadsheet shows it (from 1) and
/// its cells by column (from 0).
#[derive(Debug, Clone, PartialEq)]
pub struct GridRow {
    pub number: usize,
    pub cells: Vec<Cell>,
}

impl GridRow {
    /// The cell in `column`, or an empty one.
    pub fn cell(&self, column: usize) -> &Cell {
        self.cells.get(column).unwrap_or(&Cell::Empty)
    }
}

/// One table of the file: a worksheet, or the CSV read with one separator.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grid {
    /// The worksheet's name (empty for CSV).
    pub name: String,
    pub rows: Vec<GridRow>,
    /// There were more than [`MAX_ROWS`] rows; the rest were not read.
    pub truncated: bool,
    /// The first non-empty cell right of [`MAX_COLUMNS`]: (row number, column number from 1).
    pub too_wide: Option<(usize, usize)>,
    /// A CSV row that does not read as cells (a quote left open, say): its number and
    /// what is wrong. Reading stopped there, so the file cannot be imported as it is.
    pub malformed: Option<(usize, String)>,
}

/// Why a file cannot be read as a spreadsheet at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileProblem {
    Empty,
    NotASpreadsheet,
    /// An Excel 97–2003 workbook (.xls).
    OldExcel,
    /// Text that is not UTF-8 (a CSV saved in a legacy code page), or binary data.
    NotUtf8,
    /// An XLSX that does not open: damaged, encrypted, or unpacking too large.
    UnreadableXlsx,
    /// The shared-strings table is over [`MAX_SHARED_STRINGS_BYTES`] unpacked or holds
    /// more than [`MAX_SHARED_STRINGS`] texts.
    TooManyStrings,
    /// A worksheet or another part unpacks to more than its cap.
    PartTooLarge,
}

impl FileProblem {
    pub fn message_vi(self) -> &'static str {
        match self {
            FileProblem::Empty => "Tệp trống, không có dữ liệu.",
            FileProblem::NotASpreadsheet => {
                "Tệp không phải bảng tính. Hãy tải lên tệp Excel (.xlsx) hoặc CSV."
            }
            FileProblem::OldExcel => {
                "Tệp Excel 97–2003 (.xls) chưa được hỗ trợ. Hãy mở bằng Excel và lưu lại \
                 dạng “Excel Workbook (.xlsx)” hoặc “CSV UTF-8”."
            }
            FileProblem::NotUtf8 => {
                "Tệp không đọc được như bảng tính: không phải Excel (.xlsx), cũng không phải \
                 CSV mã UTF-8. Nếu là CSV, hãy lưu lại với mã UTF-8 (trong Excel: “CSV UTF-8”)."
            }
            FileProblem::UnreadableXlsx => {
                "Tệp Excel bị hỏng, có mật khẩu hoặc quá lớn khi giải nén nên không đọc được. \
                 Hãy mở bằng Excel, lưu lại rồi tải lên lần nữa."
            }
            FileProblem::TooManyStrings => {
                "Tệp Excel chứa quá nhiều chữ (bảng chữ dùng chung của tệp hơn 32 MB khi giải \
                 nén, hoặc hơn 300.000 đoạn chữ khác nhau) nên không được đọc. Hãy chia thành \
                 nhiều tệp nhỏ hơn, hoặc chỉ giữ các cột của mẫu rồi tải lên lần nữa."
            }
            FileProblem::PartTooLarge => {
                "Tệp Excel có một trang tính quá lớn khi giải nén (hơn 64 MB) nên không được \
                 đọc. Hãy chia thành nhiều tệp nhỏ hơn, hoặc xóa các trang tính, cột không cần \
                 nhập rồi tải lên lần nữa."
            }
        }
    }
}

/// Reads every table of the file. A CSV gives two grids, read with a comma and with a
/// semicolon: the one whose header row matches the import is used.
pub fn read(bytes: &[u8]) -> Result<Vec<Grid>, FileProblem> {
    if bytes.iter().all(u8::is_ascii_whitespace) || bytes == UTF8_BOM {
        return Err(FileProblem::Empty);
    }
    if bytes.starts_with(OLE_SIGNATURE) {
        return Err(FileProblem::OldExcel);
    }
    match sniff_reader(&mut Cursor::new(bytes)) {
        Ok(Some(EvidenceType::Xlsx)) => return read_xlsx(bytes),
        Ok(Some(_)) => return Err(FileProblem::NotASpreadsheet),
        Ok(None) | Err(_) => {}
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.contains(&0) {
        return Err(FileProblem::NotASpreadsheet);
    }
    let text = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let (text, wrong_byte_line) = match std::str::from_utf8(text) {
        Ok(text) => (text, None),
        Err(error) => {
            let valid = &text[..error.valid_up_to()];
            let line = valid.iter().filter(|byte| **byte == b'\n').count() + 1;
            // A header that is not UTF-8 is a file saved in another code page.
            if line == 1 {
                return Err(FileProblem::NotUtf8);
            }
            // Otherwise the lines before the wrong byte are read, and its line is named.
            let line_start = valid
                .iter()
                .rposition(|byte| *byte == b'\n')
                .map_or(0, |i| i + 1);
            let before =
                std::str::from_utf8(&text[..line_start]).map_err(|_| FileProblem::NotUtf8)?;
            (before, Some(line))
        }
    };
    let mut grids = vec![read_csv(text, b','), read_csv(text, b';')];
    if let Some(line) = wrong_byte_line {
        for grid in &mut grids {
            grid.malformed
                .get_or_insert_with(|| (line, NOT_UTF8_LINE.to_owned()));
        }
    }
    Ok(grids)
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Grid>, FileProblem> {
    check_xlsx_parts(bytes)?;
    let mut workbook: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|_| FileProblem::UnreadableXlsx)?;
    let mut grids = Vec::new();
    for name in workbook.sheet_names() {
        let mut reader = workbook
            .worksheet_cells_reader(&name)
            .map_err(|_| FileProblem::UnreadableXlsx)?;
        let mut grid = Grid {
            name: name.clone(),
            ..Grid::default()
        };
        while let Some(cell) = reader
            .next_cell()
            .map_err(|_| FileProblem::UnreadableXlsx)?
        {
            let (row, column) = cell.get_position();
            let value = from_xlsx(cell.get_value());
            if !place(&mut grid, row as usize + 1, column as usize, value) {
                break;
            }
        }
        grids.push(grid);
    }
    Ok(grids)
}

/// Checks a file that looks like an XLSX against the caps before anything of it is
/// parsed: what the ZIP's directory declares in all, then each XML part unpacked as a
/// stream, without keeping it (the directory may lie; the unpacking does not). `Ok`
/// for anything that is not an XLSX: [`read`] decides what that is.
pub fn check_limits(bytes: &[u8]) -> Result<(), FileProblem> {
    match sniff_reader(&mut Cursor::new(bytes)) {
        Ok(Some(EvidenceType::Xlsx)) => check_xlsx_parts(bytes),
        _ => Ok(()),
    }
}

fn check_xlsx_parts(bytes: &[u8]) -> Result<(), FileProblem> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| FileProblem::UnreadableXlsx)?;
    let mut declared = 0u64;
    for index in 0..archive.len() {
        let size = archive
            .by_index_raw(index)
            .map_err(|_| FileProblem::UnreadableXlsx)?
            .size();
        declared = declared.saturating_add(size);
    }
    if declared > MAX_UNPACKED_BYTES {
        return Err(FileProblem::UnreadableXlsx);
    }
    for index in 0..archive.len() {
        let part = archive
            .by_index(index)
            .map_err(|_| FileProblem::UnreadableXlsx)?;
        // calamine finds parts whatever the case of their names.
        let name = part
            .name()
            .map_err(|_| FileProblem::UnreadableXlsx)?
            .to_ascii_lowercase();
        if name.ends_with("sharedstrings.xml") {
            check_shared_strings(part)?;
        } else if name.ends_with(".xml") || name.ends_with(".rels") {
            let cap = if name.contains("worksheets/") {
                MAX_WORKSHEET_BYTES
            } else {
                MAX_OTHER_PART_BYTES
            };
            let mut capped = Capped::new(part, cap);
            io::copy(&mut capped, &mut io::sink()).map_err(|_| FileProblem::UnreadableXlsx)?;
            if capped.over {
                return Err(FileProblem::PartTooLarge);
            }
        }
    }
    Ok(())
}

/// Unpacks the shared-strings table as a stream, counting its texts; refuses it once
/// it is over a cap, or when its header claims more texts than allowed (calamine
/// would reserve room for that many before reading one).
fn check_shared_strings(part: impl Read) -> Result<(), FileProblem> {
    use quick_xml::events::Event;
    let mut xml =
        quick_xml::Reader::from_reader(BufReader::new(Capped::new(part, MAX_SHARED_STRINGS_BYTES)));
    let mut buffer = Vec::new();
    let mut strings = 0u64;
    let outcome = loop {
        buffer.clear();
        match xml.read_event_into(&mut buffer) {
            Ok(Event::Start(element) | Event::Empty(element)) => {
                match element.local_name().as_ref() {
                    "si" => strings += 1,
                    "sst" => {
                        let claimed = ["count", "uniqueCount"].iter().any(|name| {
                            element
                                .try_get_attribute(name)
                                .ok()
                                .flatten()
                                .and_then(|value| value.value.trim().parse::<u64>().ok())
                                .is_some_and(|count| count > MAX_SHARED_STRINGS)
                        });
                        if claimed {
                            break Err(FileProblem::TooManyStrings);
                        }
                    }
                    _ => {}
                }
                if strings > MAX_SHARED_STRINGS {
                    break Err(FileProblem::TooManyStrings);
                }
            }
            Ok(Event::Eof) => break Ok(()),
            Ok(_) => {}
            Err(_) => break Err(FileProblem::UnreadableXlsx),
        }
    };
    if xml.get_ref().get_ref().over {
        return Err(FileProblem::TooManyStrings);
    }
    outcome
}

/// A reader that ends after `cap` bytes and notes whether there was more.
struct Capped<R> {
    inner: R,
    left: u64,
    over: bool,
}

impl<R: Read> Capped<R> {
    fn new(inner: R, cap: u64) -> Capped<R> {
        Capped {
            inner,
            left: cap,
            over: false,
        }
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        if self.over {
            return Ok(0);
        }
        // One byte past the cap tells "exactly the cap" from "more".
        let wanted = buffer
            .len()
            .min(usize::try_from(self.left + 1).unwrap_or(usize::MAX));
        let read = self.inner.read(&mut buffer[..wanted])?;
        if read as u64 > self.left {
            self.over = true;
            return Ok(0);
        }
        self.left -= read as u64;
        Ok(read)
    }
}

/// Puts a value at (row number, column index); `false` once the grid is full.
fn place(grid: &mut Grid, number: usize, column: usize, value: Cell) -> bool {
    if value.is_blank() {
        return true;
    }
    if column >= MAX_COLUMNS {
        grid.too_wide.get_or_insert((number, column + 1));
        return true;
    }
    if grid.rows.last().is_none_or(|last| last.number != number) {
        if grid.rows.len() >= MAX_ROWS {
            grid.truncated = true;
            return false;
        }
        grid.rows.push(GridRow {
            number,
            cells: Vec::new(),
        });
    }
    if let Some(row) = grid.rows.last_mut() {
        if row.cells.len() <= column {
            row.cells.resize(column + 1, Cell::Empty);
        }
        row.cells[column] = value;
    }
    true
}

fn from_xlsx(value: &DataRef<'_>) -> Cell {
    match value {
        DataRef::Empty => Cell::Empty,
        DataRef::String(text) => Cell::Text(text.clone()),
        DataRef::SharedString(text) => Cell::Text((*text).to_owned()),
        DataRef::Int(number) => Cell::Number(*number as f64),
        DataRef::Float(number) => Cell::Number(*number),
        DataRef::Bool(flag) => Cell::Bool(*flag),
        DataRef::DateTime(moment) => {
            let (year, month, day, ..) = moment.to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(i32::from(year), u32::from(month), u32::from(day))
                .map_or_else(|| Cell::Number(moment.as_f64()), Cell::Date)
        }
        DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => Cell::Text(text.clone()),
        DataRef::Error(error) => Cell::Error(error.to_string()),
    }
}

/// Reads CSV text with one separator. Rows are numbered as a spreadsheet program shows
/// them: a blank line is a row, a cell with line breaks inside stays in one row.
fn read_csv(text: &str, delimiter: u8) -> Grid {
    let mut grid = Grid {
        name: String::new(),
        ..Grid::default()
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut previous_row = 0usize;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => {
                // csv reports no error for text; should it, the row is still named.
                let line = error.position().map_or(previous_row + 1, |position| {
                    usize::try_from(position.line()).unwrap_or(usize::MAX)
                });
                grid.malformed = Some((line, format!("Không đọc được dòng này ({error}).")));
                break;
            }
        }
        // The reader skips blank lines; a spreadsheet program shows each as a row.
        let start = record
            .position()
            .and_then(|position| usize::try_from(position.byte()).ok())
            .unwrap_or(0);
        let mut rest = text.get(start..).unwrap_or_default();
        // The reader may stop between the CR and the LF of the previous line's end.
        if start > 0 && text.as_bytes().get(start - 1) == Some(&b'\r') {
            rest = rest.strip_prefix('\n').unwrap_or(rest);
        }
        let blank_lines = rest
            .bytes()
            .take_while(|byte| matches!(byte, b'\r' | b'\n'))
            .filter(|byte| *byte == b'\n')
            .count();
        let number = previous_row + 1 + blank_lines;
        previous_row = number;
        // The reader takes a quote left open as a cell running to the end of the file,
        // and a stray quote as text: either way the row's quotes do not pair up.
        let end = usize::try_from(reader.position().byte()).unwrap_or(text.len());
        let raw = text.get(start..end).unwrap_or_default();
        if raw.bytes().filter(|byte| *byte == b'"').count() % 2 == 1 {
            grid.malformed = Some((number, UNPAIRED_QUOTE.to_owned()));
            return grid;
        }
        for (column, field) in record.iter().enumerate() {
            // The export made cells that would start a formula inert; undo that.
            let value = Cell::Text(restore(field).to_owned());
            if !place(&mut grid, number, column, value) {
                return grid;
            }
        }
    }
    grid
}

const NOT_UTF8_LINE: &str = "Dòng này có ký tự không đọc được (không phải mã UTF-8), thường do dán từ \
     một tệp khác hoặc lưu bằng mã khác. Hãy sửa hoặc gõ lại dòng này, lưu tệp dạng “CSV UTF-8” \
     rồi tải lên lần nữa; chưa có dòng nào được nhập.";

const UNPAIRED_QUOTE: &str = "Dòng này có dấu ngoặc kép (\") không thành cặp nên không đọc được các ô \
     của nó và các dòng sau. Ô có dấu ngoặc kép cần được bao trong cặp ngoặc kép, với mỗi \
     dấu ngoặc kép bên trong viết thành hai (\"\"). Hãy sửa rồi tải lên lần nữa; chưa có dòng \
     nào được nhập.";

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(grid: &Grid) -> Vec<(usize, Vec<String>)> {
        grid.rows
            .iter()
            .map(|row| {
                let cells = row
                    .cells
                    .iter()
                    .map(|cell| match cell {
                        Cell::Text(text) => text.clone(),
                        other => format!("{other:?}"),
                    })
                    .collect();
                (row.number, cells)
            })
            .collect()
    }

    #[test]
    fn csv_with_a_bom_and_semicolons() {
        let grids = read("\u{feff}Mã;Tên\nA1;Chi bộ “Một”, hai\n".as_bytes()).expect("CSV");
        assert_eq!(grids.len(), 2);
        let semicolon = texts(&grids[1]);
        assert_eq!(
            semicolon,
            vec![
                (1, vec!["Mã".to_owned(), "Tên".to_owned()]),
                (2, vec!["A1".to_owned(), "Chi bộ “Một”, hai".to_owned()]),
            ]
        );
        // Read with a comma, the header is one cell that matches nothing.
        assert_eq!(texts(&grids[0])[0].1, vec!["Mã;Tên".to_owned()]);
        // A cell the export made inert comes back as it was stored.
        let grids = read("Mã,Tên\nA,'=1+1\nB,'không phải công thức\n".as_bytes()).expect("CSV");
        assert_eq!(texts(&grids[0])[1].1[1], "=1+1");
        assert_eq!(texts(&grids[0])[2].1[1], "'không phải công thức");
    }

    #[test]
    fn csv_rows_are_numbered_as_a_spreadsheet_shows_them() {
        let text = "Mã,Mô tả\n\nA,\"hai\ndòng\"\nB,x\n";
        let grid = &read(text.as_bytes()).expect("CSV")[0];
        let numbers: Vec<usize> = grid.rows.iter().map(|row| row.number).collect();
        assert_eq!(numbers, vec![1, 3, 4]);
        assert_eq!(grid.rows[1].cell(1), &Cell::Text("hai\ndòng".to_owned()));
        assert_eq!(grid.rows[1].cell(7), &Cell::Empty);
        let windows = "Mã,Mô tả\r\n\r\n\r\nA,\"hai\r\ndòng\"\r\nB,x\r\n";
        let grid = &read(windows.as_bytes()).expect("CSV")[0];
        let numbers: Vec<usize> = grid.rows.iter().map(|row| row.number).collect();
        assert_eq!(numbers, vec![1, 4, 5]);
    }

    #[test]
    fn xlsx_cells_keep_their_types_and_row_numbers() {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let written = (|| -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
            let mut workbook = Workbook::new();
            let sheet = workbook.add_worksheet();
            sheet.set_name("Danh sách")?;
            sheet.write_string(0, 0, "BÁO CÁO")?;
            sheet.write_string(3, 0, "Mã")?;
            sheet.write_string(3, 2, "Ngày")?;
            sheet.write_string(4, 0, "MH-1")?;
            sheet.write_number_with_format(
                4,
                1,
                1_500_000,
                &Format::new().set_num_format("#,##0"),
            )?;
            let day = ExcelDateTime::from_ymd(2022, 3, 1)?;
            sheet.write_datetime_with_format(
                4,
                2,
                day,
                &Format::new().set_num_format("dd/mm/yyyy"),
            )?;
            sheet.write_boolean(4, 3, true)?;
            sheet.write_string(4, 4, "hai\ndòng")?;
            workbook.save_to_buffer()
        })();
        let bytes = written.unwrap_or_default();
        let grids = read(&bytes).unwrap_or_default();
        assert_eq!(grids.len(), 1);
        assert_eq!(grids[0].name, "Danh sách");
        let numbers: Vec<usize> = grids[0].rows.iter().map(|row| row.number).collect();
        assert_eq!(numbers, vec![1, 4, 5]);
        assert_eq!(
            grids[0].rows[2].cells,
            vec![
                Cell::Text("MH-1".to_owned()),
                Cell::Number(1_500_000.0),
                Cell::Date(NaiveDate::from_ymd_opt(2022, 3, 1).unwrap_or_default()),
                Cell::Bool(true),
                Cell::Text("hai\ndòng".to_owned()),
            ]
        );
    }

    #[test]
    fn what_is_not_a_spreadsheet_is_refused() {
        assert_eq!(read(b""), Err(FileProblem::Empty));
        assert_eq!(read(b" \n"), Err(FileProblem::Empty));
        assert_eq!(
            read(b"%PDF-1.4\n%%EOF\n"),
            Err(FileProblem::NotASpreadsheet)
        );
        assert_eq!(
            read(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Err(FileProblem::NotASpreadsheet)
        );
        assert_eq!(read(OLE_SIGNATURE), Err(FileProblem::OldExcel));
        // "Mã" in Windows-1258 is not UTF-8.
        assert_eq!(read(b"M\xe3;T\xean\n"), Err(FileProblem::NotUtf8));
        // A wrong byte further down names its line; the lines before it are read.
        let grids = read(b"M\xc3\xa3;T\xc3\xaan\nA;1\n\nB;\xff2\nC;3\n").expect("read");
        assert_eq!(grids[1].rows.len(), 2);
        assert_eq!(grids[1].malformed.as_ref().map(|(line, _)| *line), Some(4));
        assert!(grids.iter().all(|grid| grid.malformed.is_some()));
        assert_eq!(
            read(b"PK\x03\x04 not really a zip"),
            Err(FileProblem::NotASpreadsheet)
        );
    }

    #[test]
    fn long_files_stop_at_the_row_limit() {
        let mut text = String::from("Mã\n");
        for number in 0..MAX_ROWS + 5 {
            text.push_str(&format!("A{number}\n"));
        }
        let grid = &read(text.as_bytes()).expect("CSV")[0];
        assert!(grid.truncated);
        assert_eq!(grid.rows.len(), MAX_ROWS);
    }

    #[test]
    fn values_far_to_the_right_are_reported_not_kept() {
        let mut line = vec![""; MAX_COLUMNS + 3];
        line[0] = "Mã";
        line[MAX_COLUMNS + 2] = "xa quá";
        let grid = &read(line.join(",").as_bytes()).expect("CSV")[0];
        assert_eq!(grid.too_wide, Some((1, MAX_COLUMNS + 3)));
        assert_eq!(grid.rows[0].cells.len(), 1);
    }
}
