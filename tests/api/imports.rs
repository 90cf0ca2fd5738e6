//! Spreadsheet imports: preview first, then everything or nothing; the same file twice
//! changes nothing; bad files are refused row by row with nothing stored.

use lamtheobac::domain::format::date_vi;
use lamtheobac::exports::columns::{INITIATIVE_LIST, LIST_SHEET, REVIEW, STATUS};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::helpers::*;
use crate::samples;

// ---------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------

const UNIT_HEADER: [&str; 6] = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Loại",
    "Mã đơn vị cấp trên",
    "Phải đăng ký",
    "Hoạt động",
];
const USER_HEADER: [&str; 5] = [
    "Tên đăng nhập",
    "Họ và tên",
    "Vai trò",
    "Mã đơn vị",
    "Hoạt động",
];

/// A CSV as Excel writes it: UTF-8 with a BOM, cells quoted where needed.
fn csv(rows: &[Vec<String>], separator: char) -> Vec<u8> {
    let mut text = String::from("\u{feff}");
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|cell| {
                if cell.contains([separator, '"', '\n', '\r']) {
                    format!("\"{}\"", cell.replace('"', "\"\""))
                } else {
                    cell.clone()
                }
            })
            .collect();
        text.push_str(&cells.join(&separator.to_string()));
        text.push_str("\r\n");
    }
    text.into_bytes()
}

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|cell| (*cell).to_owned()).collect()
}

/// A cell of a test workbook.
enum X {
    Text(String),
    Number(f64),
    Date(u16, u8, u8),
    Blank,
}

/// A workbook with one sheet `name`: `titles` text rows, an empty row, then `rows`.
fn xlsx(name: &str, titles: &[&str], rows: &[Vec<X>]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let summary = workbook.add_worksheet();
    summary.set_name("Tổng hợp").expect("sheet name");
    summary.write_string(0, 0, "STT").expect("cell");
    summary.write_string(0, 1, "Đơn vị").expect("cell");
    let sheet = workbook.add_worksheet();
    sheet.set_name(name).expect("sheet name");
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    let money_format = Format::new().set_num_format("#,##0");
    for (index, title) in titles.iter().enumerate() {
        sheet.write_string(index as u32, 0, *title).expect("cell");
    }
    let first = if titles.is_empty() {
        0
    } else {
        titles.len() + 1
    };
    for (offset, row) in rows.iter().enumerate() {
        let at = (first + offset) as u32;
        for (column, cell) in row.iter().enumerate() {
            let column = column as u16;
            match cell {
                X::Text(text) => sheet.write_string(at, column, text.as_str()),
                X::Number(number) => {
                    sheet.write_number_with_format(at, column, *number, &money_format)
                }
                X::Date(y, m, d) => sheet.write_datetime_with_format(
                    at,
                    column,
                    ExcelDateTime::from_ymd(*y, *m, *d).expect("date"),
                    &date_format,
                ),
                X::Blank => continue,
            }
            .expect("cell");
        }
    }
    workbook.save_to_buffer().expect("workbook")
}

/// One initiative as the export's list writes it, in [`INITIATIVE_LIST`] order.
#[derive(Clone)]
struct Line {
    reference: String,
    unit: String,
    year: i32,
    title: String,
    kind: &'static str,
    field: &'static str,
    estimated: i64,
    actual: Option<i64>,
    status: &'static str,
    /// Tình trạng xem xét: written for people, ignored by the import.
    review: &'static str,
    start: chrono::NaiveDate,
    due: chrono::NaiveDate,
    done: Option<chrono::NaiveDate>,
    description: String,
    summary: String,
}

impl Line {
    fn new(reference: &str, unit: &str, title: &str) -> Line {
        Line {
            reference: reference.to_owned(),
            unit: unit.to_owned(),
            year: 2024,
            title: title.to_owned(),
            kind: "Mô hình",
            field: "Cải cách hành chính",
            estimated: 1_500_000,
            actual: None,
            status: "Đang thực hiện",
            review: "Đã duyệt",
            start: date(2024, 3, 1),
            due: date(2024, 11, 30),
            done: None,
            description: "Làm theo gương Bác.".to_owned(),
            summary: String::new(),
        }
    }

    /// The stored initiative `id`, as the export writes it.
    fn of(app: &TestApp, id: i32) -> Line {
        let item = app.initiative(id);
        Line {
            reference: item.reference.clone(),
            unit: app.unit(item.unit_id).code,
            year: item.year,
            title: item.title.clone(),
            kind: item.kind.label_vi(),
            field: item.field.label_vi(),
            estimated: item.estimated_cost_vnd,
            actual: item.actual_value_vnd,
            status: item.status.label_vi(),
            review: item.review.report_label_vi(),
            start: item.start_date,
            due: item.due_date,
            done: item.completion_date,
            description: item.description.clone(),
            summary: item.result_summary.clone(),
        }
    }

    fn texts(&self, number: usize) -> Vec<String> {
        vec![
            number.to_string(),
            self.reference.clone(),
            self.unit.clone(),
            format!("Tên đơn vị {}", self.unit),
            self.year.to_string(),
            self.title.clone(),
            self.kind.to_owned(),
            self.field.to_owned(),
            self.estimated.to_string(),
            self.actual.map(|v| v.to_string()).unwrap_or_default(),
            self.status.to_owned(),
            self.review.to_owned(),
            date_vi(self.start),
            date_vi(self.due),
            self.done.map(date_vi).unwrap_or_default(),
            self.description.clone(),
            self.summary.clone(),
        ]
    }

    fn cells(&self, number: usize) -> Vec<X> {
        use chrono::Datelike;
        let day = |d: chrono::NaiveDate| X::Date(d.year() as u16, d.month() as u8, d.day() as u8);
        let text = |s: &str| {
            if s.is_empty() {
                X::Blank
            } else {
                X::Text(s.to_owned())
            }
        };
        vec![
            X::Number(number as f64),
            text(&self.reference),
            text(&self.unit),
            text(&format!("Tên đơn vị {}", self.unit)),
            X::Number(f64::from(self.year)),
            text(&self.title),
            text(self.kind),
            text(self.field),
            X::Number(self.estimated as f64),
            self.actual.map_or(X::Blank, |v| X::Number(v as f64)),
            text(self.status),
            text(self.review),
            day(self.start),
            day(self.due),
            self.done.map_or(X::Blank, day),
            text(&self.description),
            text(&self.summary),
        ]
    }
}

fn initiatives_csv(lines: &[Line]) -> Vec<u8> {
    let mut rows = vec![strings(&INITIATIVE_LIST)];
    rows.extend(lines.iter().enumerate().map(|(i, line)| line.texts(i + 1)));
    csv(&rows, ',')
}

fn initiatives_xlsx(lines: &[Line]) -> Vec<u8> {
    let mut rows = vec![
        INITIATIVE_LIST
            .iter()
            .map(|h| X::Text((*h).to_owned()))
            .collect(),
    ];
    rows.extend(lines.iter().enumerate().map(|(i, line)| line.cells(i + 1)));
    xlsx(
        LIST_SHEET,
        &[
            "ĐẢNG BỘ TỈNH THỬ NGHIỆM",
            "DANH SÁCH MÔ HÌNH, CÔNG TRÌNH NĂM 2024",
        ],
        &rows,
    )
}

// ---------------------------------------------------------------------------------------
// The pages
// ---------------------------------------------------------------------------------------

fn upload(client: &Client, kind: &str, unit: Option<i32>, name: &str, bytes: &[u8]) -> Page {
    let unit = unit.map(|id| id.to_string()).unwrap_or_default();
    client.post_multipart_csrf(
        "/admin/imports",
        &[
            Part::text("kind", kind),
            Part::text("unit", &unit),
            Part {
                name: "file".to_owned(),
                file: Some((name.to_owned(), "application/octet-stream".to_owned())),
                bytes: bytes.to_vec(),
            },
        ],
    )
}

/// Uploads a file that must be accepted; returns the staged batch's preview address.
fn stage(client: &Client, kind: &str, unit: Option<i32>, name: &str, bytes: &[u8]) -> String {
    let page = upload(client, kind, unit, name, bytes);
    assert_eq!(page.status, 303, "{name} refused: {}", errors_text(&page));
    page.location.expect("the preview's address")
}

fn confirm(client: &Client, preview: &str) -> Page {
    client.post_form_csrf(&format!("{preview}/confirm"), &[])
}

/// The (row, column) of every error the page lists.
fn row_errors(page: &Page) -> Vec<(String, String)> {
    page.attribute_values("data-row")
        .into_iter()
        .zip(page.attribute_values("data-column"))
        .collect()
}

fn errors_text(page: &Page) -> String {
    page.element_html("import-errors")
        .map(|html| text_of(&html))
        .unwrap_or_else(|| text_of(&page.body))
}

fn figures(page: &Page) -> [String; 3] {
    ["created", "updated", "unchanged"].map(|name| page.figure(name).unwrap_or_default())
}

fn at(row: usize, column: &str) -> (String, String) {
    (row.to_string(), column.to_owned())
}

/// Every imported value and its bookkeeping: what a second import must leave alone.
fn fingerprint(app: &TestApp) -> String {
    format!(
        "{}|{}",
        snapshot(app),
        app.text(
            "SELECT concat_ws('|', \
               (SELECT string_agg(u.updated_at::text, ',' ORDER BY u.id) FROM units u), \
               (SELECT string_agg(s.updated_at::text, ',' ORDER BY s.id) FROM users s)) AS v"
        )
        .unwrap_or_default()
    )
}

// ---------------------------------------------------------------------------------------
// Units
// ---------------------------------------------------------------------------------------

#[test]
fn a_units_file_is_previewed_then_goes_in_whole_even_when_a_parent_comes_later() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let file = csv(
        &[
            strings(&UNIT_HEADER),
            strings(&[
                "c3-vp",
                "Chi bộ Văn phòng Sở Ba",
                "Chi bộ trực thuộc",
                "C3",
                "Có",
                "Có",
            ]),
            strings(&["C3", "Đảng bộ Sở Ba", "Đảng bộ cơ sở", "KA", "co", ""]),
            strings(&["C2", "Chi bộ Sở Thử", "grassroots_cell", "KA", "", ""]),
            strings(&[
                "M",
                "Đoàn Thanh niên Khối A",
                "Tổ chức chính trị - xã hội",
                "KA",
                "Không",
                "",
            ]),
        ],
        ';',
    );
    let before = fingerprint(&app);

    let preview = stage(&admin, "units", Some(fx.ka), "don-vi.csv", &file);
    assert_eq!(fingerprint(&app), before, "uploading writes nothing");
    let page = admin.get(&preview);
    assert_eq!(page.status, 200, "{}", errors_text(&page));
    assert_eq!(figures(&page), ["2", "1", "1"]);
    assert_eq!(page.figure("errors").as_deref(), Some("0"));
    assert!(
        text_of(&page.body).contains("Phải đăng ký: Có → Không"),
        "the change is shown"
    );
    assert_eq!(fingerprint(&app), before, "the preview writes nothing");

    let done = confirm(&admin, &preview);
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(figures(&done), ["2", "1", "1"]);
    let c3 = app.unit_id("C3");
    let vp = app.unit(app.unit_id("C3-VP"));
    assert_eq!(
        vp.parent_id,
        Some(c3),
        "the child defined first hangs under C3"
    );
    assert_eq!(app.unit(c3).parent_id, Some(fx.ka));
    assert!(app.unit(c3).expected_to_register);
    assert!(!app.unit(fx.m).expected_to_register);
    let listed = admin
        .get(&format!("/admin/units?parent={c3}"))
        .attribute_values("data-unit");
    assert_eq!(listed, ["C3-VP"], "the tree shows the new cell under C3");
    let reason = app.text(&format!(
        "SELECT reason AS v FROM audit_log WHERE entity = 'unit' AND entity_id = {c3}"
    ));
    assert_eq!(reason.as_deref(), Some("Nhập từ tệp “don-vi.csv”"));
    // The roll-ups follow: the bloc now expects the two new units to register.
    let stats = admin
        .get(&format!("/api/v1/stats?year=2022&unit={}", fx.ka))
        .json();
    assert_eq!(stats["expected_units"], 6, "{stats}");

    // The same file again: everything unchanged, and confirming changes nothing.
    let after_first = fingerprint(&app);
    let again = stage(&admin, "units", Some(fx.ka), "don-vi.csv", &file);
    let page = admin.get(&again);
    assert_eq!(figures(&page), ["0", "0", "4"]);
    assert!(page.body.contains("Tệp không thay đổi gì"));
    assert!(page.body.contains("giống hệt tệp này đã được nhập"));
    assert_eq!(confirm(&admin, &again).status, 200);
    assert_eq!(fingerprint(&app), after_first);
}

#[test]
fn units_that_would_leave_the_target_or_loop_are_refused() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let file = csv(
        &[
            strings(&UNIT_HEADER),
            strings(&["N1", "Chi bộ Mới", "Chi bộ cơ sở", "KHONGCO", "", ""]),
            strings(&["X1", "Chi bộ X", "Chi bộ cơ sở", "Y1", "", ""]),
            strings(&["Y1", "Chi bộ Y", "Chi bộ cơ sở", "X1", "", ""]),
            strings(&["B1", "Chi bộ Doanh nghiệp B", "Chi bộ cơ sở", "KA", "", ""]),
            strings(&["N2", "Chi bộ Hai", "Chi bộ cơ sở", "KB", "", ""]),
            strings(&["C1", "Đảng bộ Cải cách", "Đảng bộ cơ sở", "C1A", "", ""]),
            strings(&["KA", "Đảng ủy Khối A", "Đảng ủy Khối", "", "", ""]),
        ],
        ',',
    );
    let before = fingerprint(&app);
    let page = upload(&admin, "units", Some(fx.ka), "sai.csv", &file);
    assert_eq!(page.status, 422);
    assert_eq!(
        row_errors(&page),
        [
            at(2, "Mã đơn vị cấp trên"),
            at(3, "Mã đơn vị cấp trên"),
            at(4, "Mã đơn vị cấp trên"),
            at(5, "Mã đơn vị"),
            at(6, "Mã đơn vị cấp trên"),
            at(7, "Mã đơn vị cấp trên"),
            at(8, "Mã đơn vị cấp trên"),
        ],
        "{}",
        errors_text(&page)
    );
    let text = errors_text(&page);
    assert!(text.contains("Không có đơn vị nào mã “KHONGCO”"), "{text}");
    assert!(text.contains("vòng lặp"), "{text}");
    assert!(
        text.contains("ngoài phạm vi nhập (Đảng ủy Khối A)"),
        "{text}"
    );
    assert_eq!(page.figure("errors").as_deref(), Some("7"));
    assert!(!page.body.contains("Xác nhận nhập"));
    assert_eq!(fingerprint(&app), before);
    assert_eq!(app.count("import_batches"), 0);
}

// ---------------------------------------------------------------------------------------
// Bad files
// ---------------------------------------------------------------------------------------

#[test]
fn bad_files_are_refused_with_their_row_errors_and_nothing_is_stored() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let mut bad_number = Line::new("KA-1", "C2", "Sổ tay đảng viên");
    bad_number.estimated = 0;
    let mut rows = vec![strings(&INITIATIVE_LIST), bad_number.texts(1)];
    rows[1][8] = "mười triệu".to_owned();
    let mut bad_date = Line::new("KA-2", "C2", "Ngày hội đọc sách").texts(2);
    bad_date[12] = "31/02/2024".to_owned();
    rows.push(bad_date);
    let mut early = Line::new("KA-3", "C2", "Vườn thuốc nam");
    early.due = date(2024, 1, 1);
    rows.push(early.texts(3));
    rows.push(Line::new("KA-1", "C2", "Trùng mã").texts(4));
    rows.push(Line::new("KA-5", "ZZ", "Đơn vị lạ").texts(5));
    rows.push(Line::new("KA-6", "B1", "Khối khác").texts(6));
    let mut unfinished = Line::new("KA-7", "C1A", "Hoàn thành mà thiếu giá trị");
    unfinished.status = "Hoàn thành";
    unfinished.done = Some(date(2024, 6, 1));
    rows.push(unfinished.texts(7));
    let rows_file = csv(&rows, ',');

    let users_as_units = csv(
        &[
            strings(&USER_HEADER),
            strings(&["bithu.c3", "Bí thư C3", "Bí thư", "C1", "Có"]),
        ],
        ',',
    );
    let cp1258 = b"M\xe3 \xf0\xa5n v\xef;T\xean \xf0\xa5n v\xef\n".to_vec();
    let too_big = vec![b'a'; 10 * 1024 * 1024 + 1];

    struct Case<'a> {
        what: &'a str,
        kind: &'a str,
        bytes: Vec<u8>,
        status: u16,
        errors: Vec<(String, String)>,
        words: &'a str,
    }
    let cases = [
        Case {
            what: "bad numbers, dates, duplicates, units unknown or outside",
            kind: "initiatives",
            bytes: rows_file,
            status: 422,
            errors: vec![
                at(2, "Kinh phí dự kiến (đồng)"),
                at(3, "Ngày bắt đầu"),
                at(4, "Ngày dự kiến hoàn thành"),
                at(5, "Mã"),
                at(6, "Mã đơn vị"),
                at(7, "Mã đơn vị"),
                at(8, "Giá trị thực hiện (đồng)"),
            ],
            words: "trùng với dòng 2",
        },
        Case {
            what: "the wrong columns",
            kind: "units",
            bytes: users_as_units,
            status: 422,
            errors: vec![
                at(1, "Tên đăng nhập"),
                at(1, "Họ và tên"),
                at(1, "Vai trò"),
                at(1, "Tên đơn vị"),
                at(1, "Loại"),
                at(1, "Mã đơn vị cấp trên"),
            ],
            words: "Thiếu cột “Tên đơn vị”",
        },
        Case {
            what: "no header row",
            kind: "users",
            bytes: b"a,b\n1,2\n".to_vec(),
            status: 422,
            errors: vec![(String::new(), String::new())],
            words: "Không tìm thấy dòng tiêu đề",
        },
        Case {
            what: "a PDF",
            kind: "units",
            bytes: SAMPLE_PDF.to_vec(),
            status: 422,
            errors: vec![(String::new(), String::new())],
            words: "không phải bảng tính",
        },
        Case {
            what: "an Excel 97 workbook",
            kind: "units",
            bytes: b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0".to_vec(),
            status: 422,
            errors: vec![(String::new(), String::new())],
            words: "(.xls) chưa được hỗ trợ",
        },
        Case {
            what: "a CSV in a legacy code page",
            kind: "units",
            bytes: cp1258,
            status: 422,
            errors: vec![(String::new(), String::new())],
            words: "CSV UTF-8",
        },
        Case {
            what: "an empty file",
            kind: "units",
            bytes: Vec::new(),
            status: 422,
            errors: vec![(String::new(), String::new())],
            words: "Tệp trống",
        },
        Case {
            what: "over the size limit",
            kind: "units",
            bytes: too_big,
            status: 413,
            errors: Vec::new(),
            words: "lớn hơn giới hạn 10 MB",
        },
    ];
    let before = fingerprint(&app);
    for case in &cases {
        let page = upload(&admin, case.kind, Some(fx.ka), "tep.csv", &case.bytes);
        assert_eq!(
            page.status,
            case.status,
            "{}: {}",
            case.what,
            errors_text(&page)
        );
        assert!(page.content_type.starts_with("text/html"), "{}", case.what);
        assert_eq!(
            row_errors(&page),
            case.errors,
            "{}: {}",
            case.what,
            errors_text(&page)
        );
        assert!(
            text_of(&page.body).contains(case.words),
            "{}: {}",
            case.what,
            text_of(&page.body)
        );
        assert!(!page.body.contains("Xác nhận nhập"), "{}", case.what);
        assert_eq!(fingerprint(&app), before, "{}", case.what);
        assert_eq!(app.count("import_batches"), 0, "{}", case.what);
    }
    // The size limit is said on the form, beside the file input.
    let page = upload(
        &admin,
        "units",
        Some(fx.ka),
        "lon.xlsx",
        &vec![0u8; 10 * 1024 * 1024 + 5],
    );
    assert_eq!(page.field_errors(), ["file"]);
}

// ---------------------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------------------

#[test]
fn new_accounts_get_a_password_shown_once_and_a_second_import_leaves_passwords_alone() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let file = csv(
        &[
            strings(&USER_HEADER),
            strings(&["Nguyen.Van.A", "Nguyễn Văn A", "Bí thư", "c1a", "Có"]),
            strings(&["bithu.c2", "Trần Thị B", "secretary", "C2", ""]),
        ],
        ',',
    );
    let c2_hash = app.user(fx.sec_c2).password_hash;
    let preview = stage(&admin, "users", Some(fx.ka), "tai-khoan.csv", &file);
    let page = admin.get(&preview);
    assert_eq!(figures(&page), ["1", "1", "0"]);
    assert!(text_of(&page.body).contains("Họ và tên: Người dùng bithu.c2 → Trần Thị B"));

    let done = confirm(&admin, &preview);
    assert_eq!(done.status, 200);
    assert_eq!(done.attribute_values("data-new-account"), ["nguyen.van.a"]);
    let at = done
        .body
        .find("data-password>")
        .expect("the password is shown");
    let rest = &done.body[at + "data-password>".len()..];
    let password = rest[..rest.find('<').expect("end of the password")].to_owned();
    assert!(password.len() >= 10, "{password}");
    let stored = app.user(app.user_id("nguyen.van.a"));
    assert!(stored.password_hash.starts_with("$argon2id$"));
    assert!(!stored.password_hash.contains(&password));
    assert_eq!(stored.unit_id, Some(fx.c1a));
    assert_eq!(app.user(fx.sec_c2).display_name, "Trần Thị B");
    assert_eq!(app.user(fx.sec_c2).password_hash, c2_hash, "never touched");
    // The password works, and being temporary it must be changed first.
    let newcomer = app.client();
    let page = newcomer.sign_in("nguyen.van.a", &password);
    assert_eq!(page.location.as_deref(), Some("/account/password"));
    assert_eq!(newcomer.get("/account/password").status, 200);

    // Shown once: the batch's page does not show it again.
    let later = admin.get(&preview);
    assert!(later.body.contains("data-applied"));
    assert!(!later.body.contains(&password));

    let hash = app.user(app.user_id("nguyen.van.a")).password_hash;
    let before = fingerprint(&app);
    let again = stage(&admin, "users", Some(fx.ka), "tai-khoan.csv", &file);
    assert_eq!(figures(&admin.get(&again)), ["0", "0", "2"]);
    let done = confirm(&admin, &again);
    assert!(done.attribute_values("data-new-account").is_empty());
    assert_eq!(fingerprint(&app), before);
    assert_eq!(app.user(app.user_id("nguyen.van.a")).password_hash, hash);
}

#[test]
fn accounts_outside_the_target_are_refused_and_an_admin_cannot_demote_themself() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let file = csv(
        &[
            strings(&USER_HEADER),
            strings(&["moi.c2", "Người Mới", "Bí thư", "C2", ""]),
            strings(&["bithu.b1", "Bí thư B1", "Bí thư", "C1", ""]),
            strings(&["quantri", "Quản trị", "Bí thư", "C1", ""]),
            strings(&["ok.c1b", "Người Được", "Ban Thường vụ Khối", "C1B", "không"]),
            strings(&["x", "Tên quá ngắn", "Bí thư", "C1", ""]),
            strings(&["sai.vai.tro", "Sai Vai Trò", "Chủ tịch", "C1", ""]),
        ],
        ',',
    );
    let before = fingerprint(&app);
    let page = upload(&admin, "users", Some(fx.c1), "tai-khoan.csv", &file);
    assert_eq!(page.status, 422);
    assert_eq!(
        row_errors(&page),
        [
            at(2, "Mã đơn vị"),
            at(3, "Tên đăng nhập"),
            at(4, "Tên đăng nhập"),
            at(4, "Vai trò"),
            at(6, "Tên đăng nhập"),
            at(7, "Vai trò"),
        ],
        "{}",
        errors_text(&page)
    );
    let text = errors_text(&page);
    assert!(
        text.contains("Đơn vị mã “C2” nằm ngoài phạm vi nhập (Đảng bộ Cải cách)"),
        "{text}"
    );
    assert!(text.contains("không thể tự khóa"), "{text}");
    assert!(
        text.contains("“Chủ tịch” không có trong danh sách"),
        "{text}"
    );
    assert_eq!(fingerprint(&app), before);
}

// ---------------------------------------------------------------------------------------
// Initiatives
// ---------------------------------------------------------------------------------------

#[test]
fn initiatives_are_matched_by_reference_and_only_real_changes_are_written() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let same = fx.item(1);
    let changed = fx.item(3);
    let mut edited = Line::of(&app, changed);
    edited.title = "Quỹ khuyến học mở rộng".to_owned();
    edited.estimated = 35_000_000;
    let mut new_done = Line::new("KA-2022-01", "C1B", "Tủ sách dòng họ");
    new_done.year = 2022;
    new_done.start = date(2022, 2, 1);
    new_done.due = date(2022, 10, 1);
    new_done.status = "hoan thanh";
    new_done.actual = Some(2_000_000);
    new_done.done = Some(date(2022, 9, 30));
    let new_open = Line::new("KA-2022-02", "C1B", "Đường hoa thanh niên");
    let file = initiatives_xlsx(&[Line::of(&app, same), edited, new_done, new_open]);

    let untouched = app.initiative(same);
    let audit_same = app.audit_count(same);
    let audit_changed = app.audit_count(changed);
    let preview = stage(&admin, "initiatives", Some(fx.ka), "danh-sach.xlsx", &file);
    let page = admin.get(&preview);
    assert_eq!(figures(&page), ["2", "1", "1"], "{}", errors_text(&page));
    let shown = text_of(&page.body);
    assert!(shown.contains("Tên mô hình, công trình: Quỹ khuyến học → Quỹ khuyến học mở rộng"));
    assert!(shown.contains("Kinh phí dự kiến (đồng): 30.000.000 đ → 35.000.000 đ"));

    assert_eq!(confirm(&admin, &preview).status, 200);
    let after = app.initiative(same);
    assert_eq!(
        (after.updated_at, after.version),
        (untouched.updated_at, untouched.version),
        "an identical row is not written"
    );
    assert_eq!(app.audit_count(same), audit_same);
    let updated = app.initiative(changed);
    assert_eq!(updated.title, "Quỹ khuyến học mở rộng");
    assert_eq!(updated.estimated_cost_vnd, 35_000_000);
    assert_eq!(updated.review.as_str(), "approved");
    assert_eq!(app.audit_count(changed), audit_changed + 1);
    let detail = admin.get(&format!("/initiatives/{changed}"));
    assert!(text_of(&detail.body).contains("Lý do: Nhập từ tệp “danh-sach.xlsx”"));

    let done_id =
        app.count_where("SELECT id::bigint AS n FROM initiatives WHERE reference = 'KA-2022-01'");
    let done = app.initiative(i32::try_from(done_id).expect("id"));
    assert_eq!(
        (done.status.as_str(), done.review.as_str()),
        ("completed", "accepted"),
        "imported by an admin, a completed one counts as accepted"
    );
    assert_eq!(done.actual_value_vnd, Some(2_000_000));
    let open_id =
        app.count_where("SELECT id::bigint AS n FROM initiatives WHERE reference = 'KA-2022-02'");
    assert_eq!(app.review(i32::try_from(open_id).expect("id")), "approved");
    // The dashboard counts the imported completion.
    let stats = admin
        .get(&format!("/api/v1/stats?year=2022&unit={}", fx.ka))
        .json();
    assert_eq!(stats["completed"], 5, "{stats}");

    // A registration made afterwards still gets its own reference.
    let secretary = app.signed_in(SEC_C2, PASSWORD);
    let form = initiative_form(fx.c2);
    let created = secretary.post_form_csrf("/initiatives", &pairs(&form));
    assert_eq!(created.status, 303);
    let id = id_from_location(&created);
    assert_eq!(app.initiative(id).reference, format!("MH-{id}"));
}

/// "Tình trạng xem xét" is written for people: the import does not read it, whatever it
/// says, and a file without it (made before the export had it) imports the same.
#[test]
fn the_review_column_is_not_read_and_may_be_left_out() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let waiting = fx.item(4);
    let before = app.initiative(waiting);
    assert_eq!(before.review.as_str(), "pending_approval");
    let mut claimed = Line::of(&app, waiting);
    claimed.review = "Đã nghiệm thu";
    let mut new_one = Line::new("KA-2024-90", "C2", "Góc học tập cho thiếu nhi");
    new_one.review = "Bị trả lại";
    let preview = stage(
        &admin,
        "initiatives",
        Some(fx.ka),
        "xem-xet.csv",
        &initiatives_csv(&[claimed, new_one]),
    );
    let page = admin.get(&preview);
    assert_eq!(figures(&page), ["1", "0", "1"], "{}", errors_text(&page));
    assert_eq!(confirm(&admin, &preview).status, 200);
    let after = app.initiative(waiting);
    assert_eq!(
        (after.review, after.version),
        (before.review, before.version),
        "the review cell changes nothing"
    );
    let id_of = |reference: &str| {
        i32::try_from(app.count_where(&format!(
            "SELECT id::bigint AS n FROM initiatives WHERE reference = '{reference}'"
        )))
        .expect("id")
    };
    assert_eq!(app.review(id_of("KA-2024-90")), "approved");

    let review = INITIATIVE_LIST
        .iter()
        .position(|header| *header == REVIEW)
        .expect("the review column");
    let mut header = strings(&INITIATIVE_LIST);
    header.remove(review);
    let mut row = Line::new("KA-2024-91", "C2", "Tủ sách chi bộ").texts(1);
    row.remove(review);
    let preview = stage(
        &admin,
        "initiatives",
        Some(fx.ka),
        "cu.csv",
        &csv(&[header, row], ','),
    );
    let page = admin.get(&preview);
    assert_eq!(figures(&page), ["1", "0", "0"], "{}", errors_text(&page));
}

#[test]
fn a_reviewer_imports_initiatives_for_their_bloc_only() {
    let (app, fx) = app_with_fixture();
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let form = reviewer.get("/admin/imports");
    assert_eq!(form.status, 200);
    assert!(
        form.body.contains("href=\"/admin/imports\""),
        "the menu links to it"
    );
    assert!(form.body.contains("value=\"initiatives\""));
    assert!(!form.body.contains("value=\"units\""));
    assert!(!form.body.contains("data-columns=\"users\""));

    let lines = [
        Line::new("KA-24-01", "C2", "Một cửa liên thông"),
        Line::new("KA-24-02", "B1", "Của khối khác"),
    ];
    let file = initiatives_csv(&lines);
    let before = fingerprint(&app);
    assert_eq!(
        upload(&reviewer, "units", Some(fx.ka), "a.csv", &file).status,
        403
    );
    let outside = upload(&reviewer, "initiatives", Some(fx.kb), "a.csv", &file);
    assert_eq!(outside.status, 422);
    assert_eq!(
        outside.field_error("unit").as_deref(),
        Some("Đơn vị này không thuộc phạm vi quản lý của bạn.")
    );
    let refused = upload(&reviewer, "initiatives", Some(fx.ka), "a.csv", &file);
    assert_eq!(refused.status, 422);
    assert_eq!(row_errors(&refused), [at(3, "Mã đơn vị")]);
    assert!(errors_text(&refused).contains("“B1” nằm ngoài phạm vi nhập"));
    assert_eq!(fingerprint(&app), before);

    let preview = stage(
        &reviewer,
        "initiatives",
        Some(fx.ka),
        "a.csv",
        &initiatives_csv(&lines[..1]),
    );
    assert_eq!(confirm(&reviewer, &preview).status, 200);
    let listed = reviewer.get("/initiatives?year=2024").total();
    assert_eq!(listed, Some(1));

    // Someone else's batch is not there for anyone else, not even an admin.
    let admin = app.signed_in(ADMIN, PASSWORD);
    assert_eq!(admin.get(&preview).status, 404);
    assert_eq!(confirm(&admin, &preview).status, 404);

    let secretary = app.signed_in(SEC_C1, PASSWORD);
    assert_eq!(secretary.get("/admin/imports").status, 403);
    assert!(
        !secretary
            .get("/dashboard")
            .body
            .contains("href=\"/admin/imports\"")
    );
    assert_eq!(
        upload(&secretary, "initiatives", Some(fx.c1), "a.csv", &file).status,
        403
    );
}

#[test]
fn a_file_is_planned_again_at_confirmation_and_applied_once() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let file = initiatives_csv(&[
        Line::new("KA-24-01", "C1", "Sổ vàng truyền thống"),
        Line::new("KA-24-02", "C2", "Góc học tập"),
    ]);
    let preview = stage(&admin, "initiatives", Some(fx.ka), "ka.csv", &file);
    // Meanwhile C2 moves to the other bloc: the file no longer fits its target.
    let mut conn = app.db();
    let mut c2 = app.unit(fx.c2);
    c2.parent_id = Some(fx.kb);
    lamtheobac::store::units::update(
        &mut conn,
        fx.admin,
        fx.c2,
        &lamtheobac::store::units::UnitFields {
            code: c2.code.clone(),
            name: c2.name.clone(),
            kind: c2.kind,
            parent_id: c2.parent_id,
            expected_to_register: c2.expected_to_register,
            active: c2.active,
        },
    )
    .expect("move C2");
    let before = fingerprint(&app);
    let refused = confirm(&admin, &preview);
    assert_eq!(refused.status, 409);
    assert!(text_of(&refused.body).contains("dữ liệu đã thay đổi từ lúc xem trước"));
    assert_eq!(row_errors(&refused), [at(3, "Mã đơn vị")]);
    assert_eq!(fingerprint(&app), before, "nothing of the file was written");

    // The same file into the whole tree fits, and goes in once.
    let preview = stage(&admin, "initiatives", None, "ka.csv", &file);
    assert_eq!(confirm(&admin, &preview).status, 200);
    let count = app.count("initiatives");
    let twice = confirm(&admin, &preview);
    assert_eq!(twice.status, 303);
    let page = admin.follow(&twice);
    assert!(page.body.contains("đã được nhập rồi"));
    assert!(page.body.contains("data-applied"));
    assert_eq!(app.count("initiatives"), count);
    assert_eq!(
        app.count_where("SELECT count(*) AS n FROM import_batches WHERE applied_at IS NOT NULL"),
        1
    );
}

#[test]
fn five_hundred_rows_go_in_from_xlsx_and_the_same_rows_as_csv_change_nothing() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let units = ["C1", "C1A", "C1B", "C2", "M"];
    let lines: Vec<Line> = (0..500)
        .map(|n| {
            let mut line = Line::new(
                &format!("KA-2024-{n:03}"),
                units[n % units.len()],
                &format!("Mô hình số {n}, “làm theo Bác”"),
            );
            line.estimated = 1_000_000 + n as i64 * 1_000;
            line.description = format!("Dòng một\nDòng hai của mô hình {n}");
            if n % 5 == 0 {
                line.status = "Hoàn thành";
                line.actual = Some(2_500_000);
                line.done = Some(date(2024, 6, 15));
                line.summary = "Đã xong, có biên bản.".to_owned();
            }
            line
        })
        .collect();
    let preview = stage(
        &admin,
        "initiatives",
        Some(fx.ka),
        "500.xlsx",
        &initiatives_xlsx(&lines),
    );
    let page = admin.get(&preview);
    assert_eq!(figures(&page), ["500", "0", "0"], "{}", errors_text(&page));
    assert_eq!(confirm(&admin, &preview).status, 200);
    let stats = admin
        .get(&format!("/api/v1/stats?year=2024&unit={}", fx.ka))
        .json();
    assert_eq!(
        (stats["registered"].as_i64(), stats["completed"].as_i64()),
        (Some(500), Some(100))
    );
    let stored = app.initiative(
        i32::try_from(app.count_where(
            "SELECT id::bigint AS n FROM initiatives WHERE reference = 'KA-2024-007'",
        ))
        .expect("id"),
    );
    assert_eq!(stored.description, "Dòng một\nDòng hai của mô hình 7");
    assert_eq!(stored.start_date, date(2024, 3, 1));
    assert_eq!(stored.estimated_cost_vnd, 1_007_000);

    let before = fingerprint(&app);
    let mut rows = vec![strings(&INITIATIVE_LIST)];
    rows.extend(lines.iter().enumerate().map(|(i, line)| {
        let mut cells = line.texts(i + 1);
        cells[8] = lamtheobac::domain::format::group_thousands(line.estimated);
        cells
    }));
    let again = stage(
        &admin,
        "initiatives",
        Some(fx.ka),
        "500.csv",
        &csv(&rows, ';'),
    );
    assert_eq!(figures(&admin.get(&again)), ["0", "0", "500"]);
    assert_eq!(confirm(&admin, &again).status, 200);
    assert_eq!(
        fingerprint(&app),
        before,
        "the same rows again change nothing"
    );
}

// ---------------------------------------------------------------------------------------
// Round trip with the exports
// ---------------------------------------------------------------------------------------

/// The list sheet of an exported workbook, or the exported CSV, as rows of text keyed
/// by reference (Mã), without the row number (STT), which follows the order of the
/// tree's ids and so differs between databases.
fn exported_rows(bytes: &[u8]) -> std::collections::BTreeMap<String, Vec<String>> {
    let grids = lamtheobac::imports::sheet::read(bytes).expect("an exported file reads");
    let grid = grids
        .iter()
        .find(|grid| grid.name == LIST_SHEET || grid.name.is_empty())
        .expect("the list");
    let header = grid
        .rows
        .iter()
        .position(|row| {
            row.cells.first().is_some_and(|cell| {
                cell == &lamtheobac::imports::sheet::Cell::Text("STT".to_owned())
            })
        })
        .expect("the header row");
    grid.rows[header + 1..]
        .iter()
        .map(|row| {
            let cells: Vec<String> = (1..INITIATIVE_LIST.len())
                .map(|column| {
                    lamtheobac::imports::cells::text(row.cell(column)).expect("a readable cell")
                })
                .collect();
            (cells[0].clone(), cells)
        })
        .collect()
}

/// The demo's unit tree as a units file.
fn units_file_of(app: &TestApp) -> Vec<u8> {
    let mut conn = app.db();
    let tree = lamtheobac::store::units::tree_in_scope(
        &mut conn,
        lamtheobac::domain::Scope::Everything,
        false,
    )
    .expect("the tree");
    let code_of: std::collections::HashMap<i32, String> = tree
        .iter()
        .map(|entry| (entry.unit.id, entry.unit.code.clone()))
        .collect();
    let yes_no = |flag: bool| if flag { "Có" } else { "Không" }.to_owned();
    let mut rows = vec![strings(&UNIT_HEADER)];
    // Children first: the file's order does not matter.
    for entry in tree.iter().rev() {
        let unit = &entry.unit;
        rows.push(vec![
            unit.code.clone(),
            unit.name.clone(),
            unit.kind.label_vi().to_owned(),
            unit.parent_id
                .and_then(|id| code_of.get(&id).cloned())
                .unwrap_or_default(),
            yes_no(unit.expected_to_register),
            yes_no(unit.active),
        ]);
    }
    csv(&rows, ',')
}

#[test]
fn the_exported_list_imports_back_unchanged_and_into_another_database_the_same() {
    let app = TestApp::spawn_demo();
    let admin = app.signed_in("admin", DEMO_PASSWORD);
    let duk = app.unit_id("DUK");
    let export = |client: &Client, path: &str| {
        let download = client.download(path);
        assert_eq!(download.status, 200, "{path}");
        download.bytes
    };
    let csv_path = format!("/exports/initiatives.csv?year=2022&unit={duk}");
    let xlsx_path = format!("/exports/annual.xlsx?year=2022&unit={duk}");
    let csv_export = export(&admin, &csv_path);
    let xlsx_export = export(&admin, &xlsx_path);
    let original = exported_rows(&csv_export);
    assert_eq!(original.len(), 94, "the article's 94 models and works");
    assert_eq!(
        exported_rows(&xlsx_export),
        original,
        "XLSX and CSV list the same"
    );

    // Into the same database, by the bloc's reviewer: nothing changes.
    let reviewer = app.signed_in("khoi", DEMO_PASSWORD);
    let before = fingerprint(&app);
    for (name, bytes) in [
        ("danh-sach.csv", &csv_export),
        ("bao-cao.xlsx", &xlsx_export),
    ] {
        let preview = stage(&reviewer, "initiatives", Some(duk), name, bytes);
        assert_eq!(figures(&reviewer.get(&preview)), ["0", "0", "94"], "{name}");
        assert_eq!(confirm(&reviewer, &preview).status, 200);
        assert_eq!(fingerprint(&app), before, "{name} changed nothing");
    }
    assert_eq!(
        export(&admin, &csv_path),
        csv_export,
        "the export is the same to the byte"
    );

    // Into a fresh database with the same units: the same list comes out.
    let fresh = TestApp::spawn();
    {
        let mut conn = fresh.db();
        create_user(
            &mut conn,
            "admin",
            lamtheobac::domain::Role::Admin,
            None,
            true,
        );
    }
    let fresh_admin = fresh.signed_in("admin", PASSWORD);
    let units = units_file_of(&app);
    let preview = stage(&fresh_admin, "units", None, "don-vi.csv", &units);
    let page = fresh_admin.get(&preview);
    assert_eq!(page.figure("updated").as_deref(), Some("0"));
    assert_eq!(confirm(&fresh_admin, &preview).status, 200);
    let fresh_duk = fresh.unit_id("DUK");
    let preview = stage(
        &fresh_admin,
        "initiatives",
        Some(fresh_duk),
        "bao-cao.xlsx",
        &xlsx_export,
    );
    assert_eq!(figures(&fresh_admin.get(&preview)), ["94", "0", "0"]);
    assert_eq!(confirm(&fresh_admin, &preview).status, 200);
    let preview = stage(
        &fresh_admin,
        "initiatives",
        Some(fresh_duk),
        "danh-sach.csv",
        &csv_export,
    );
    assert_eq!(
        figures(&fresh_admin.get(&preview)),
        ["0", "0", "94"],
        "the CSV is the same list"
    );

    let fresh_csv = format!("/exports/initiatives.csv?year=2022&unit={fresh_duk}");
    let fresh_xlsx = format!("/exports/annual.xlsx?year=2022&unit={fresh_duk}");
    // The review state (Tình trạng xem xét) is not imported: the new database counts
    // what the import brings as reviewed, accepted when completed and approved otherwise.
    let review = INITIATIVE_LIST
        .iter()
        .position(|header| *header == REVIEW)
        .expect("the review column")
        - 1;
    let status = INITIATIVE_LIST
        .iter()
        .position(|header| *header == STATUS)
        .expect("the status column")
        - 1;
    let as_imported = |rows: &std::collections::BTreeMap<String, Vec<String>>| {
        let mut rows = rows.clone();
        for cells in rows.values_mut() {
            cells[review] = if cells[status] == "Hoàn thành" {
                "Đã nghiệm thu"
            } else {
                "Đã duyệt"
            }
            .to_owned();
        }
        rows
    };
    assert_ne!(as_imported(&original), original, "the demo has every state");
    assert_eq!(
        exported_rows(&export(&fresh_admin, &fresh_csv)),
        as_imported(&original)
    );
    assert_eq!(
        exported_rows(&export(&fresh_admin, &fresh_xlsx)),
        as_imported(&original)
    );
    // And the dashboard of the new database tells the article's story.
    let stats = fresh_admin
        .get(&format!("/api/v1/stats?year=2022&unit={fresh_duk}"))
        .json();
    assert_eq!(
        (stats["registered"].as_i64(), stats["completed"].as_i64()),
        (Some(94), Some(61))
    );
}

// ---------------------------------------------------------------------------------------
// Malformed and oversized files
// ---------------------------------------------------------------------------------------

#[test]
fn a_csv_row_with_a_quote_left_open_is_a_row_error_and_nothing_of_the_file_goes_in() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let mut rows = vec![strings(&INITIATIVE_LIST)];
    for (number, reference) in ["KA-9-01", "KA-9-02", "KA-9-03", "KA-9-04"]
        .iter()
        .enumerate()
    {
        rows.push(Line::new(reference, "C2", &format!("Mô hình số {number}")).texts(number + 1));
    }
    let mut text = String::from_utf8(csv(&rows, ',')).expect("UTF-8");
    // Row 3's description opens a quote that nothing closes: read leniently, the rows
    // after it would vanish into that one cell.
    let row_3 = text.find("KA-9-02").expect("row 3");
    let opened = text[row_3..].replacen(",Làm theo gương Bác.,", ",\"Làm theo gương Bác.,", 1);
    text.replace_range(row_3.., &opened);
    assert!(text.contains(",\"Làm theo"));
    let before = fingerprint(&app);
    let page = upload(
        &admin,
        "initiatives",
        Some(fx.ka),
        "hong.csv",
        text.as_bytes(),
    );
    assert_eq!(page.status, 422, "{}", errors_text(&page));
    assert_eq!(row_errors(&page), [at(3, "")]);
    assert!(
        errors_text(&page).contains("dấu ngoặc kép"),
        "{}",
        errors_text(&page)
    );
    assert_eq!(fingerprint(&app), before);
    assert_eq!(app.count("import_batches"), 0);

    // Staged anyway (as by an older version), its confirmation applies nothing either.
    let mut conn = app.db();
    let sha256 = "0".repeat(64);
    let id = lamtheobac::store::imports::stage(
        &mut conn,
        &lamtheobac::store::imports::NewBatch {
            kind: lamtheobac::domain::ImportKind::Initiatives,
            file_name: "hong.csv",
            bytes: text.as_bytes(),
            sha256: &sha256,
            scope_unit_id: Some(fx.ka),
            created_by: fx.admin,
        },
    )
    .expect("stage");
    let refused = confirm(&admin, &format!("/admin/imports/{id}"));
    assert_eq!(refused.status, 409, "{}", errors_text(&refused));
    assert_eq!(row_errors(&refused), [at(3, "")]);
    assert_eq!(fingerprint(&app), before, "nothing of the file was written");
}

#[test]
fn a_csv_row_with_a_byte_that_is_not_utf8_is_a_row_error_and_nothing_goes_in() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let mut rows = vec![strings(&INITIATIVE_LIST)];
    for (number, reference) in ["KA-8-01", "KA-8-02", "KA-8-03"].iter().enumerate() {
        rows.push(Line::new(reference, "C2", &format!("Mô hình số {number}")).texts(number + 1));
    }
    let mut bytes = csv(&rows, ',');
    // Row 3's title gets a byte of Windows-1258 ("ã" pasted from an old file).
    let row_3 = bytes
        .windows(7)
        .position(|window| window == b"KA-8-02")
        .expect("row 3");
    bytes.insert(row_3 + 8, 0xe3);
    let before = fingerprint(&app);
    let page = upload(&admin, "initiatives", Some(fx.ka), "ma-khac.csv", &bytes);
    assert_eq!(page.status, 422, "{}", errors_text(&page));
    assert_eq!(row_errors(&page), [at(3, "")]);
    assert!(
        errors_text(&page).contains("UTF-8"),
        "{}",
        errors_text(&page)
    );
    assert_eq!(fingerprint(&app), before);
    assert_eq!(app.count("import_batches"), 0);
}

/// A workbook made by rust_xlsxwriter, its shared-strings table replaced by `units`
/// copies of `<si><t>aaa…</t></si>` (1,024 bytes each), deflated by hand.
fn shared_strings_bomb(units: u64) -> Vec<u8> {
    use std::io::Read;
    let honest = initiatives_xlsx(&[Line::new("KA-1", "C2", "Một dòng")]);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(honest)).expect("a ZIP");
    let mut parts = Vec::new();
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).expect("a part");
        let name = part.name().expect("a name").to_string();
        let mut data = Vec::new();
        part.read_to_end(&mut data).expect("unpacked");
        parts.push((name, data));
    }
    let prefix = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;
    let unit = [b"<si><t>".as_slice(), &[b'a'; 1024 - 16], b"</t></si>"].concat();
    let suffix = b"</sst>";
    let deflated = samples::deflate_repeating(prefix, &unit, units, suffix);
    let mut crc = flate2::Crc::new();
    crc.update(prefix);
    let chunk = unit.repeat(1024);
    for _ in 0..units / 1024 {
        crc.update(&chunk);
    }
    for _ in 0..units % 1024 {
        crc.update(&unit);
    }
    crc.update(suffix);
    let size = prefix.len() as u64 + units * unit.len() as u64 + suffix.len() as u64;
    let mut packed: Vec<samples::Packed<'_>> = parts
        .iter()
        .filter(|(name, _)| name != "xl/sharedStrings.xml")
        .map(|(name, data)| samples::Packed {
            name,
            deflated: false,
            crc: samples::crc32(data),
            size: u32::try_from(data.len()).expect("size"),
            data,
        })
        .collect();
    packed.push(samples::Packed {
        name: "xl/sharedStrings.xml",
        deflated: true,
        crc: crc.sum(),
        size: u32::try_from(size).expect("under 4 GB"),
        data: &deflated,
    });
    samples::zip_packed(&packed)
}

#[test]
fn a_shared_strings_bomb_is_refused_beside_the_file_input_quickly_and_in_little_memory() {
    use std::io::Read;
    // The hand-made deflate data unpacks to what it should.
    let small = samples::deflate_repeating(b"<a>", b"xyz", 100, b"</a>");
    let mut unpacked = String::new();
    flate2::read::DeflateDecoder::new(small.as_slice())
        .read_to_string(&mut unpacked)
        .expect("valid deflate data");
    assert_eq!(unpacked, format!("<a>{}</a>", "xyz".repeat(100)));

    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    // 200 MB of strings (under the 256 MB the ZIP directory may declare) in 2 MB.
    let bomb = shared_strings_bomb(200 * 1024);
    assert!(bomb.len() < 3 * 1024 * 1024, "{}", bomb.len());
    let before = fingerprint(&app);
    let resident = reset_peak_memory();
    let started = std::time::Instant::now();
    let page = upload(&admin, "initiatives", Some(fx.ka), "bom.xlsx", &bomb);
    let took = started.elapsed();
    let grown = memory_figure("VmHWM:").saturating_sub(resident);
    assert!(
        grown < 150 * 1024 * 1024,
        "the process grew by {} MB",
        grown / (1024 * 1024)
    );
    assert_eq!(page.status, 422, "{}", text_of(&page.body));
    let message = page.field_error("file").unwrap_or_default();
    assert!(
        message.contains("Tệp Excel chứa quá nhiều chữ"),
        "{message}"
    );
    assert!(took < std::time::Duration::from_secs(5), "{took:?}");
    assert_eq!(fingerprint(&app), before);
    assert_eq!(app.count("import_batches"), 0);
}

#[test]
fn one_file_per_person_is_read_at_a_time() {
    let (app, fx) = app_with_fixture();
    // Large but within the caps: 30 MB of strings take the reader a moment.
    let heavy = shared_strings_bomb(30 * 1024);
    let clients: Vec<Client> = (0..4).map(|_| app.signed_in(ADMIN, PASSWORD)).collect();
    let start = std::sync::Barrier::new(clients.len());
    let pages: Vec<Page> = std::thread::scope(|scope| {
        let handles: Vec<_> = clients
            .iter()
            .map(|client| {
                let (start, heavy) = (&start, &heavy);
                scope.spawn(move || {
                    start.wait();
                    upload(client, "initiatives", Some(fx.ka), "nang.xlsx", heavy)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("an upload"))
            .collect()
    });
    let statuses: Vec<u16> = pages.iter().map(|page| page.status).collect();
    assert!(statuses.contains(&429), "{statuses:?}");
    assert!(statuses.iter().any(|status| *status != 429), "{statuses:?}");
    for page in pages.iter().filter(|page| page.status == 429) {
        assert_eq!(
            page.field_error("file").as_deref(),
            Some("Đang đọc một tệp khác của bạn, hãy đợi tệp đó xong rồi gửi lại.")
        );
    }
    assert!(statuses.iter().all(|status| *status < 500), "{statuses:?}");
    // Another person is not held up by them.
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let page = upload(
        &reviewer,
        "initiatives",
        Some(fx.ka),
        "nho.csv",
        &initiatives_csv(&[Line::new("KA-77", "C2", "Nhỏ")]),
    );
    assert_eq!(page.status, 303, "{}", errors_text(&page));
}

#[test]
fn import_cells_with_hidden_characters_or_years_out_of_range_are_row_errors() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let spoofed = Line::new("KA-8-01", "C2", "Mô hình \u{202E}gnp.exe");
    let mut early = Line::new("KA-8-02", "C2", "Bắt đầu năm 0");
    early.start = date(0, 1, 1);
    let mut late = Line::new("KA-8-03", "C2", "Xong năm 9999");
    late.due = date(9999, 12, 31);
    // Excel has no date before 1900: the workbook's early date is 1950.
    let mut early_in_excel = early.clone();
    early_in_excel.start = date(1950, 1, 1);
    let before = fingerprint(&app);
    for file in [
        (
            "loi.csv",
            initiatives_csv(&[spoofed.clone(), early, late.clone()]),
        ),
        (
            "loi.xlsx",
            initiatives_xlsx(&[spoofed, early_in_excel, late]),
        ),
    ] {
        let page = upload(&admin, "initiatives", Some(fx.ka), file.0, &file.1);
        assert_eq!(page.status, 422, "{}: {}", file.0, errors_text(&page));
        let row = if file.0.ends_with(".csv") { 2 } else { 5 };
        assert_eq!(
            row_errors(&page),
            [
                at(row, "Tên mô hình, công trình"),
                at(row + 1, "Ngày bắt đầu"),
                at(row + 2, "Ngày dự kiến hoàn thành"),
            ],
            "{}",
            file.0
        );
        let text = errors_text(&page);
        assert!(
            text.contains("U+202E (đảo chiều văn bản) ở vị trí 9"),
            "{text}"
        );
        assert!(text.contains("Năm phải từ 2000 đến 2100."), "{text}");
        assert_eq!(fingerprint(&app), before);
    }
}

/// The colour class of the figure card holding `data-figure="{name}"` ("ok" green,
/// "waiting" gold, "muted" grey, "error" red; none is the default red).
fn card_class(page: &Page, name: &str) -> String {
    page.select(".figures .figure", |card| {
        let holds = card
            .select(&scraper::Selector::parse("dd").expect("selector"))
            .any(|dd| dd.value().attr("data-figure") == Some(name));
        holds.then(|| card.value().attr("class").unwrap_or_default().to_owned())
    })
    .into_iter()
    .flatten()
    .next()
    .unwrap_or_else(|| panic!("no {name} card"))
}

#[test]
fn import_cards_are_red_only_for_errors() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let unit = |code: &str, parent: &str| {
        strings(&[code, "Chi bộ Mới", "Chi bộ cơ sở", parent, "Có", "Có"])
    };
    let good = csv(&[strings(&UNIT_HEADER), unit("C3", "KA")], ';');
    let preview = stage(&admin, "units", Some(fx.ka), "tot.csv", &good);
    let page = admin.get(&preview);
    assert_eq!(page.figure("created").as_deref(), Some("1"));
    let red = |class: &str| class == "figure" || class.contains("error");
    assert!(
        card_class(&page, "created").contains("ok"),
        "new units in green"
    );
    assert!(!red(&card_class(&page, "updated")));
    let errors = card_class(&page, "errors");
    assert!(
        !red(&errors) && !errors.contains("ok"),
        "no errors: grey, not green ({errors})"
    );
    let done = confirm(&admin, &preview);
    assert_eq!(done.status, 200, "{}", errors_text(&done));
    assert!(card_class(&done, "created").contains("ok"));

    let bad = csv(&[strings(&UNIT_HEADER), unit("C4", "ZZ")], ';');
    let page = upload(&admin, "units", Some(fx.ka), "sai.csv", &bad);
    assert_eq!(page.status, 422);
    assert_eq!(page.figure("errors").as_deref(), Some("1"));
    assert!(red(&card_class(&page, "errors")), "errors in red");
}

/// The first sheet of an XLSX file as text rows.
fn sheet_rows(bytes: &[u8]) -> (String, Vec<Vec<String>>) {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("an XLSX");
    let name = book.sheet_names().first().cloned().unwrap_or_default();
    let range = book.worksheet_range(&name).expect("the first sheet");
    let rows = range
        .rows()
        .map(|row| row.iter().map(|cell| cell.to_string()).collect())
        .collect();
    (name, rows)
}

#[test]
fn each_import_template_has_the_importers_columns_and_an_example_that_imports() {
    use lamtheobac::domain::ImportKind;
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    // The units example hangs under DUK-MAU; the others name the unit it creates.
    let parent = admin.post_form_csrf(
        "/admin/units",
        &[
            ("name", "Đảng ủy Khối mẫu"),
            ("code", "DUK-MAU"),
            ("kind", "bloc_committee"),
            ("parent_id", &fx.tu.to_string()),
            ("active", "on"),
        ],
    );
    assert_eq!(parent.status, 303, "{}", parent.body);
    let form = admin.get("/admin/imports");
    for (kind, label) in [
        (ImportKind::Units, "units"),
        (ImportKind::Users, "users"),
        (ImportKind::Initiatives, "initiatives"),
    ] {
        let path = format!("/admin/imports/template/{label}");
        let linked = form.select(&format!("a[data-template={label}]"), |link| {
            link.value().attr("href").unwrap_or_default().to_owned()
        });
        assert_eq!(
            linked,
            vec![path.clone()],
            "the import page links the {label} template"
        );
        let file = admin.download(&path);
        assert_eq!(file.status, 200, "{label}");
        assert!(
            file.header("content-disposition")
                .is_some_and(|value| value.contains(".xlsx")),
            "{label}"
        );
        let (_, rows) = sheet_rows(&file.bytes);
        let headers: Vec<&str> = lamtheobac::imports::columns_of(kind)
            .iter()
            .map(|column| column.header)
            .collect();
        assert_eq!(
            rows.first().map(|row| row.len()),
            Some(headers.len()),
            "{label}"
        );
        assert_eq!(rows[0], headers, "{label}: the importer's own headers");
        assert_eq!(rows.len(), 2, "{label}: one example row");

        let preview = stage(
            &admin,
            label,
            Some(fx.tu),
            &format!("mau-{label}.xlsx"),
            &file.bytes,
        );
        let page = admin.get(&preview);
        assert_eq!(
            page.figure("errors").as_deref(),
            Some("0"),
            "{label}: {}",
            errors_text(&page)
        );
        assert_eq!(page.figure("created").as_deref(), Some("1"), "{label}");
        let done = confirm(&admin, &preview);
        assert_eq!(done.status, 200, "{label}: {}", errors_text(&done));
    }
    let unit = app.unit(app.unit_id("CB-VP-MAU"));
    assert_eq!(unit.parent_id, Some(app.unit_id("DUK-MAU")));
    assert_eq!(app.user(app.user_id("bithu.vp.mau")).unit_id, Some(unit.id));
    assert_eq!(
        app.count_where("SELECT count(*) AS n FROM initiatives WHERE reference = 'MH-MAU-1'"),
        1
    );
    // A kind that does not exist is not found; a secretary gets no template.
    assert_eq!(admin.download("/admin/imports/template/khac").status, 404);
    let secretary = app.signed_in(SEC_C1, PASSWORD);
    assert_eq!(
        secretary.download("/admin/imports/template/units").status,
        403
    );
}
