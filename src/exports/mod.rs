//! The annual summary as files: XLSX, CSV, a printable page, a PDF and a DOCX. The figures come
//! from the same scoped queries as the dashboard; the list of initiatives is read with a
//! cursor and written as it arrives, so a national export never sits whole in memory.

pub mod columns;
pub mod csv;
pub mod docx;
pub mod pdf;
pub mod summary;
pub mod xlsx;
