//! The blank files an import page offers: one sheet whose header row is the importer's
//! own column list (so a template can never name a column the importer does not read)
//! and one example row that imports as it stands; a second sheet explains the columns.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::domain::ImportKind;
use crate::exports::columns as list;
use crate::imports::{columns_of, units, users};

/// The sheet the rows go on.
pub const SHEET: &str = "Mẫu nhập";

/// The example's value in the column `header` of a `kind` file ("" for a column the
/// example leaves blank). The units example hangs under the unit coded `DUK-MAU`; the
/// account and the initiative belong to the example unit `CB-VP-MAU`.
pub fn example(kind: ImportKind, header: &str) -> &'static str {
    match kind {
        ImportKind::Units => match header {
            units::CODE => "CB-VP-MAU",
            units::NAME => "Chi bộ Văn phòng (mẫu)",
            units::KIND => "Chi bộ cơ sở",
            units::PARENT => "DUK-MAU",
            units::EXPECTED => "Có",
            units::ACTIVE => "Có",
            _ => "",
        },
        ImportKind::Users => match header {
            users::USERNAME => "bithu.vp.mau",
            users::DISPLAY_NAME => "Nguyễn Văn An",
            users::ROLE => "Bí thư",
            users::UNIT_CODE => "CB-VP-MAU",
            users::ACTIVE => "Có",
            _ => "",
        },
        ImportKind::Initiatives => match header {
            list::NUMBER => "1",
            list::REFERENCE => "MH-MAU-1",
            list::UNIT_CODE => "CB-VP-MAU",
            list::UNIT_NAME => "Chi bộ Văn phòng (mẫu)",
            list::YEAR => "2026",
            list::TITLE => "Số hóa hồ sơ đảng viên của chi bộ",
            list::KIND => "Mô hình",
            list::FIELD => "Cải cách hành chính",
            list::ESTIMATED_COST => "15.000.000",
            list::STATUS => "Đã đăng ký",
            list::START_DATE => "01/03/2026",
            list::DUE_DATE => "30/11/2026",
            list::DESCRIPTION => "Quét và sắp xếp hồ sơ để tra cứu nhanh.",
            _ => "",
        },
    }
}

/// The file name a template downloads as.
pub fn file_name(kind: ImportKind) -> String {
    format!("mau-nhap-{}.xlsx", kind.as_str())
}

/// The template of `kind` as an XLSX file.
pub fn xlsx(kind: ImportKind) -> Result<Vec<u8>, XlsxError> {
    let columns = columns_of(kind);
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let required = Format::new().set_bold().set_font_color("#B00020");
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET)?;
    for (index, column) in columns.iter().enumerate() {
        let at = u16::try_from(index).unwrap_or(u16::MAX);
        let format = if column.required { &required } else { &bold };
        sheet.write_string_with_format(0, at, column.header, format)?;
        sheet.write_string(1, at, example(kind, column.header))?;
        let width = column.header.chars().count().max(14);
        sheet.set_column_width(at, width as f64 + 2.0)?;
    }
    let help = workbook.add_worksheet();
    help.set_name("Hướng dẫn")?;
    for (index, title) in ["Cột", "Bắt buộc", "Ghi chú"].iter().enumerate() {
        help.write_string_with_format(0, index as u16, *title, &bold)?;
    }
    for (index, column) in columns.iter().enumerate() {
        let row = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let need = match (column.ignored, column.required) {
            (true, _) => "Không dùng khi nhập",
            (false, true) => "Có",
            (false, false) => "Không",
        };
        help.write_string(row, 0, column.header)?;
        help.write_string(row, 1, need)?;
        help.write_string(row, 2, column.hint)?;
    }
    help.set_column_width(0, 28.0)?;
    help.set_column_width(1, 20.0)?;
    help.set_column_width(2, 100.0)?;
    workbook.save_to_buffer()
}
