//! The columns of the initiatives list ("Danh sách"), in order. The XLSX sheet and the
//! CSV file write these headers; the import reads a file back by the same headers, so
//! an exported list can be imported unchanged.

/// STT: the row's number in the file. Ignored on import.
pub const NUMBER: &str = "STT";
/// Mã: the initiative's stable reference (`initiatives.reference`).
pub const REFERENCE: &str = "Mã";
pub const UNIT_CODE: &str = "Mã đơn vị";
pub const UNIT_NAME: &str = "Đơn vị";
pub const YEAR: &str = "Năm";
pub const TITLE: &str = "Tên mô hình, công trình";
pub const KIND: &str = "Loại";
pub const FIELD: &str = "Lĩnh vực";
pub const ESTIMATED_COST: &str = "Kinh phí dự kiến (đồng)";
pub const ACTUAL_VALUE: &str = "Giá trị thực hiện (đồng)";
pub const STATUS: &str = "Trạng thái";
/// Where it stands with the bloc committee (`Review::report_label_vi`). Ignored on
/// import: only the workflow sets it.
pub const REVIEW: &str = "Tình trạng xem xét";
pub const START_DATE: &str = "Ngày bắt đầu";
pub const DUE_DATE: &str = "Ngày dự kiến hoàn thành";
pub const COMPLETION_DATE: &str = "Ngày hoàn thành";
pub const DESCRIPTION: &str = "Mô tả";
pub const RESULT_SUMMARY: &str = "Kết quả đạt được";

/// Every column of the list, in the order the files write them.
pub const INITIATIVE_LIST: [&str; 17] = [
    NUMBER,
    REFERENCE,
    UNIT_CODE,
    UNIT_NAME,
    YEAR,
    TITLE,
    KIND,
    FIELD,
    ESTIMATED_COST,
    ACTUAL_VALUE,
    STATUS,
    REVIEW,
    START_DATE,
    DUE_DATE,
    COMPLETION_DATE,
    DESCRIPTION,
    RESULT_SUMMARY,
];

/// The name of the list sheet in the XLSX workbook (the import looks for it by name).
pub const LIST_SHEET: &str = "Danh sách";
/// The name of the summary sheet.
pub const SUMMARY_SHEET: &str = "Tổng hợp";
