//! The list of initiatives as CSV for Excel: UTF-8 with a byte order mark (without it
//! Excel reads Vietnamese as Windows-1252), CRLF line ends, and text cells that a
//! spreadsheet would run as a formula made inert.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::domain::format::date_vi;
use crate::exports::columns::INITIATIVE_LIST;
use crate::store::initiatives::InitiativeExported;

/// The UTF-8 byte order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Characters that make Excel or LibreOffice read a cell as a formula (or, for tab and
/// carriage return, hide the one that follows).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell as it can be safely opened in a spreadsheet: one that would start a
/// formula gets a leading apostrophe, which spreadsheets show as text (OWASP's advice).
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Undoes [`neutralise`] when a file is read back: an apostrophe followed by a formula
/// character was added on export.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

/// Writes rows of the initiatives list to `out`, the header first.
pub struct CsvList<W: Write> {
    out: W,
    written: usize,
}

impl<W: Write> CsvList<W> {
    pub fn new(mut out: W) -> io::Result<Self> {
        out.write_all(BOM)?;
        let mut list = CsvList { out, written: 0 };
        list.record(INITIATIVE_LIST.iter().map(|header| Cow::Borrowed(*header)))?;
        Ok(list)
    }

    pub fn push(&mut self, row: &InitiativeExported) -> io::Result<()> {
        self.written += 1;
        let item = &row.initiative;
        let optional_date = |date: Option<chrono::NaiveDate>| date.map(date_vi).unwrap_or_default();
        let cells: [Cow<'_, str>; 17] = [
            self.written.to_string().into(),
            neutralise(&item.reference),
            neutralise(&row.unit_code),
            neutralise(&row.unit_name),
            item.year.to_string().into(),
            neutralise(&item.title),
            item.kind.label_vi().into(),
            item.field.label_vi().into(),
            item.estimated_cost_vnd.to_string().into(),
            item.actual_value_vnd
                .map(|value| value.to_string())
                .unwrap_or_default()
                .into(),
            item.status.label_vi().into(),
            item.review.report_label_vi().into(),
            date_vi(item.start_date).into(),
            date_vi(item.due_date).into(),
            optional_date(item.completion_date).into(),
            neutralise(&item.description),
            neutralise(&item.result_summary),
        ];
        self.record(cells.into_iter())
    }

    /// How many initiatives were written.
    pub fn written(&self) -> usize {
        self.written
    }

    pub fn into_inner(self) -> W {
        self.out
    }

    fn record<'a>(&mut self, cells: impl Iterator<Item = Cow<'a, str>>) -> io::Result<()> {
        for (i, cell) in cells.enumerate() {
            if i > 0 {
                self.out.write_all(b",")?;
            }
            write_cell(&mut self.out, &cell)?;
        }
        self.out.write_all(b"\r\n")
    }
}

/// RFC 4180: quote a cell holding a comma, a quote or a line break; double its quotes.
fn write_cell(out: &mut impl Write, cell: &str) -> io::Result<()> {
    if cell.contains([',', '"', '\n', '\r', ';']) {
        out.write_all(b"\"")?;
        out.write_all(cell.replace('"', "\"\"").as_bytes())?;
        out.write_all(b"\"")
    } else {
        out.write_all(cell.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_made_inert_and_come_back_unchanged() {
        for dangerous in ["=SUM(A1:A9)", "+84 912", "-1", "@cmd", "\tx", "\r=1"] {
            let safe = neutralise(dangerous);
            assert!(safe.starts_with('\''), "{dangerous:?}");
            assert_eq!(restore(&safe), dangerous);
        }
        assert_eq!(
            neutralise("Mô hình “Dân vận khéo”"),
            "Mô hình “Dân vận khéo”"
        );
        assert_eq!(restore("'quoted on purpose"), "'quoted on purpose");
    }

    #[test]
    fn cells_with_separators_or_quotes_are_quoted() {
        let mut out = Vec::new();
        write_cell(&mut out, "a, \"b\"\nc").unwrap_or_default();
        assert_eq!(String::from_utf8_lossy(&out), "\"a, \"\"b\"\"\nc\"");
    }
}
