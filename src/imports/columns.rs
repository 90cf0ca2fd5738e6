//! Finding an import's columns in a file: the header row (among the first rows, below
//! any title rows), which column holds what, and the data rows under it.

use std::collections::HashMap;

use serde::Serialize;

use crate::domain::format::{group_thousands, loose_key};
use crate::imports::RowError;
use crate::imports::sheet::{Cell, Grid, GridRow, MAX_COLUMNS, MAX_ROWS};

/// How far down the header row may be (the export has a few title rows above it).
pub const HEADER_SCAN_ROWS: usize = 15;

/// One column an import reads.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Column {
    pub header: &'static str,
    pub required: bool,
    /// In the file for people (the export writes it); the import does not read it.
    pub ignored: bool,
    /// What goes in it, for the import page.
    pub hint: &'static str,
}

/// The data under the header row, each row's cells found by the column's header.
#[derive(Debug)]
pub struct Table {
    pub header_row: usize,
    positions: HashMap<&'static str, usize>,
    pub rows: Vec<GridRow>,
}

impl Table {
    /// Whether the file has this column.
    pub fn has(&self, header: &str) -> bool {
        self.positions.contains_key(header)
    }

    /// The headers of the columns the file has.
    pub fn headers(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.positions.keys().copied()
    }

    /// The cell of `row` under `header` (empty when the file has no such column).
    pub fn cell<'a>(&self, row: &'a GridRow, header: &str) -> &'a Cell {
        match self.positions.get(header) {
            Some(position) => row.cell(*position),
            None => &Cell::Empty,
        }
    }
}

/// The spreadsheet's name of a column: A, B, …, Z, AA, …
pub fn column_letter(index: usize) -> String {
    let mut letters = Vec::new();
    let mut rest = index + 1;
    while rest > 0 {
        let digit = (rest - 1) % 26;
        letters.push(char::from(b'A' + digit as u8));
        rest = (rest - 1) / 26;
    }
    letters.iter().rev().collect()
}

fn header_key(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => loose_key(text),
        _ => String::new(),
    }
}

/// Finds the header row that names the most of `columns` (among the first rows of every
/// grid; the first grid wins a tie) and reads the rows under it. Every problem with the
/// columns is reported, each at the header row.
pub fn locate(grids: &[Grid], columns: &[Column]) -> Result<Table, Vec<RowError>> {
    let keys: Vec<(String, &Column)> = columns
        .iter()
        .map(|column| (loose_key(column.header), column))
        .collect();
    let score = |row: &GridRow| {
        let named: Vec<String> = row.cells.iter().map(header_key).collect();
        let matches = |required_only: bool| {
            keys.iter()
                .filter(|(key, column)| (!required_only || column.required) && named.contains(key))
                .count()
        };
        (matches(true), matches(false))
    };
    let mut best: Option<(&Grid, usize, (usize, usize))> = None;
    for grid in grids {
        for (index, row) in grid.rows.iter().take(HEADER_SCAN_ROWS).enumerate() {
            let found = score(row);
            if best.is_none_or(|(_, _, best_score)| found > best_score) {
                best = Some((grid, index, found));
            }
        }
    }
    let Some((grid, header_index, _)) = best.filter(|(_, _, (required, _))| *required > 0) else {
        let names: Vec<&str> = columns
            .iter()
            .filter(|column| column.required)
            .map(|column| column.header)
            .collect();
        return Err(vec![RowError::file(format!(
            "Không tìm thấy dòng tiêu đề: {HEADER_SCAN_ROWS} dòng đầu của tệp không có dòng nào \
             ghi tên các cột của mẫu ({}). Hãy dùng đúng mẫu ở trang nhập.",
            names.join(", ")
        ))]);
    };
    let header = &grid.rows[header_index];
    let mut errors = Vec::new();
    let mut positions: HashMap<&'static str, usize> = HashMap::new();
    let mut unnamed = Vec::new();
    for (position, cell) in header.cells.iter().enumerate() {
        let key = header_key(cell);
        if key.is_empty() {
            if cell.is_blank() {
                unnamed.push(position);
            } else {
                errors.push(RowError::at(
                    header.number,
                    column_letter(position),
                    "Tiêu đề cột phải là chữ.",
                ));
            }
            continue;
        }
        let shown = crate::imports::cells::text(cell).unwrap_or_default();
        match keys.iter().find(|(wanted, _)| *wanted == key) {
            Some((_, column)) => {
                if let Some(first) = positions.insert(column.header, position) {
                    errors.push(RowError::at(
                        header.number,
                        column.header,
                        format!(
                            "Cột “{}” có hai lần (cột {} và cột {}).",
                            column.header,
                            column_letter(first),
                            column_letter(position)
                        ),
                    ));
                }
            }
            None => errors.push(RowError::at(
                header.number,
                shown.clone(),
                format!(
                    "Cột “{shown}” (cột {}) không có trong mẫu nhập. Hãy sửa tên cột cho đúng \
                     mẫu hoặc xóa cột này.",
                    column_letter(position)
                ),
            )),
        }
    }
    for column in columns.iter().filter(|column| column.required) {
        if !positions.contains_key(column.header) {
            errors.push(RowError::at(
                header.number,
                column.header,
                format!("Thiếu cột “{}”.", column.header),
            ));
        }
    }
    if grid.truncated {
        errors.push(RowError::file(format!(
            "Tệp có hơn {} dòng. Hãy chia thành nhiều tệp nhỏ hơn.",
            group_thousands(MAX_ROWS as i64)
        )));
    }
    if let Some((row, message)) = &grid.malformed {
        errors.push(RowError::at(*row, "", message.clone()));
    }
    if let Some((row, column)) = grid.too_wide {
        errors.push(RowError::at(
            row,
            column_letter(column - 1),
            format!("Có dữ liệu ở cột thứ {column}, quá xa ngoài các cột của mẫu (tối đa {MAX_COLUMNS} cột)."),
        ));
    }
    let rows: Vec<GridRow> = grid.rows[header_index + 1..]
        .iter()
        .filter(|row| row.cells.iter().any(|cell| !cell.is_blank()))
        .cloned()
        .collect();
    // Values right of the last header are in columns without a name too.
    let widest = rows.iter().map(|row| row.cells.len()).max().unwrap_or(0);
    unnamed.extend(header.cells.len()..widest);
    for position in unnamed {
        if let Some(row) = rows.iter().find(|row| !row.cell(position).is_blank()) {
            errors.push(RowError::at(
                row.number,
                column_letter(position),
                format!(
                    "Cột {} có dữ liệu nhưng không có tiêu đề. Hãy ghi tên cột theo mẫu hoặc xóa dữ liệu.",
                    column_letter(position)
                ),
            ));
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(RowError::at(
            header.number,
            "",
            "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.",
        ));
    }
    if errors.is_empty() {
        Ok(Table {
            header_row: header.number,
            positions,
            rows,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: &[Column] = &[
        Column {
            header: "STT",
            required: false,
            ignored: true,
            hint: "",
        },
        Column {
            header: "Mã đơn vị",
            required: true,
            ignored: false,
            hint: "",
        },
        Column {
            header: "Tên đơn vị",
            required: true,
            ignored: false,
            hint: "",
        },
        Column {
            header: "Hoạt động",
            required: false,
            ignored: false,
            hint: "",
        },
    ];

    fn row(number: usize, cells: &[&str]) -> GridRow {
        GridRow {
            number,
            cells: cells
                .iter()
                .map(|text| {
                    if text.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text((*text).to_owned())
                    }
                })
                .collect(),
        }
    }

    fn grid(rows: Vec<GridRow>) -> Grid {
        Grid {
            rows,
            ..Grid::default()
        }
    }

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn the_header_row_is_found_below_title_rows() {
        let file = grid(vec![
            row(1, &["ĐẢNG BỘ TỈNH LẠNG SƠN"]),
            row(3, &["DANH SÁCH ĐƠN VỊ"]),
            row(5, &["stt", "MA DON VI", "Tên  đơn vị"]),
            row(6, &["1", "C1", "Chi bộ 1"]),
            row(8, &["", "", ""]),
            row(9, &["2", "C2", "Chi bộ 2"]),
        ]);
        let table = locate(&[grid(vec![row(1, &["Tổng hợp"])]), file], COLUMNS).expect("found");
        assert_eq!(table.header_row, 5);
        assert!(table.has("Mã đơn vị") && !table.has("Hoạt động"));
        let codes: Vec<(usize, &Cell)> = table
            .rows
            .iter()
            .map(|row| (row.number, table.cell(row, "Mã đơn vị")))
            .collect();
        assert_eq!(
            codes,
            vec![
                (6, &Cell::Text("C1".to_owned())),
                (9, &Cell::Text("C2".to_owned()))
            ]
        );
        assert_eq!(table.cell(&table.rows[0], "Hoạt động"), &Cell::Empty);
    }

    #[test]
    fn wrong_missing_and_doubled_columns_are_each_reported() {
        let file = grid(vec![
            row(1, &["Mã đơn vị", "Ghi chú", "Mã đơn vị", ""]),
            row(2, &["C1", "x", "C1", "lạc"]),
            row(3, &["C2", "", "C2", "", "", "xa hơn"]),
        ]);
        let errors = locate(&[file], COLUMNS).expect_err("refused");
        let found: Vec<(Option<usize>, Option<&str>)> = errors
            .iter()
            .map(|error| (error.row, error.column.as_deref()))
            .collect();
        assert_eq!(
            found,
            vec![
                (Some(1), Some("Ghi chú")),
                (Some(1), Some("Mã đơn vị")),
                (Some(1), Some("Tên đơn vị")),
                (Some(2), Some("D")),
                (Some(3), Some("F")),
            ]
        );
        assert!(errors[2].message.contains("Thiếu cột “Tên đơn vị”"));
    }

    #[test]
    fn a_file_without_the_header_row_says_which_columns_it_needs() {
        let errors = locate(&[grid(vec![row(1, &["a", "b"])])], COLUMNS).expect_err("refused");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].row, None);
        assert!(errors[0].message.contains("Mã đơn vị, Tên đơn vị"));
        let only_header = grid(vec![row(1, &["Mã đơn vị", "Tên đơn vị"])]);
        let errors = locate(&[only_header], COLUMNS).expect_err("refused");
        assert!(errors[0].message.contains("không có dòng dữ liệu"));
    }
}
