//! Evidence files: what is accepted (by content, not name), what is refused (and that
//! nothing of it is left behind), who may download, removing and purging.

use crate::helpers::*;
use crate::samples;

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A file to send and what should become of it: the name sent, the type the browser
/// claims, the bytes, the name kept, the type stored, whether it is an image.
type Accepted<'a> = (&'a str, &'a str, &'a [u8], &'a str, &'a str, bool);

/// A file to refuse: what it is, the name sent, the claimed type, the bytes, the status
/// and words of the message.
type Refused<'a> = (&'a str, &'a str, &'a str, &'a [u8], u16, &'a str);

fn state_of(app: &TestApp) -> (String, Vec<String>) {
    (snapshot(app), app.stored_files())
}

/// The evidence rows of an initiative: (id, original name, content type, size).
fn evidence_rows(app: &TestApp, id: i32) -> Vec<(i32, String, String, i64)> {
    use diesel::prelude::*;
    use lamtheobac::schema::evidence_files as e;
    let mut conn = app.db();
    e::table
        .filter(e::initiative_id.eq(id))
        .order(e::id)
        .select((e::id, e::original_name, e::content_type, e::size_bytes))
        .load(&mut conn)
        .expect("evidence rows")
}

/// Where the bytes of a file are kept: ROOT/files/ab/abcdef…
fn stored_path(app: &TestApp, file_id: i32) -> std::path::PathBuf {
    let sha = app
        .text(&format!(
            "SELECT sha256 AS v FROM evidence_files WHERE id = {file_id}"
        ))
        .expect("a digest");
    app.upload_dir.join("files").join(&sha[..2]).join(&sha)
}

fn thumbnail_path(app: &TestApp, file_id: i32) -> std::path::PathBuf {
    let sha = app
        .text(&format!(
            "SELECT sha256 AS v FROM evidence_files WHERE id = {file_id}"
        ))
        .expect("a digest");
    app.upload_dir
        .join("thumbs")
        .join(&sha[..2])
        .join(format!("{sha}.jpg"))
}

#[test]
fn every_accepted_kind_is_stored_by_its_content_and_served_to_the_scope_only() {
    let (app, fx) = app_with_fixture();
    let secretary = app.signed_in(SEC_C2, PASSWORD);
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let id = initiative_in_state(&app, &fx, "Có minh chứng", "approved");
    let png = samples::png(400, 300);
    let docx = samples::docx();
    let xlsx = samples::xlsx();
    let files: Vec<Accepted<'_>> = vec![
        (
            "Ảnh hội nghị.jpg",
            "image/jpeg",
            samples::JPEG,
            "Ảnh hội nghị.jpg",
            "image/jpeg",
            true,
        ),
        (
            "cong-trinh.png",
            "image/png",
            &png,
            "cong-trinh.png",
            "image/png",
            true,
        ),
        (
            "toan-canh.webp",
            "image/webp",
            samples::WEBP,
            "toan-canh.webp",
            "image/webp",
            true,
        ),
        (
            "Biên bản.pdf",
            "application/pdf",
            samples::PDF,
            "Biên bản.pdf",
            "application/pdf",
            false,
        ),
        ("bao-cao.docx", DOCX, &docx, "bao-cao.docx", DOCX, false),
        ("so-lieu.xlsx", XLSX, &xlsx, "so-lieu.xlsx", XLSX, false),
        // The content decides, whatever the name and the claimed type say.
        (
            "so-lieu.txt",
            "text/plain",
            samples::PDF,
            "so-lieu.txt.pdf",
            "application/pdf",
            false,
        ),
    ];
    let parts: Vec<Part> = files
        .iter()
        .map(|(name, claimed, bytes, ..)| Part::file(name, claimed, bytes))
        .collect();
    let on_disk = app.stored_files().len();
    let page = secretary.post_multipart_csrf(&format!("/initiatives/{id}/evidence"), &parts);
    assert_eq!(page.status, 303, "{}", page.body);
    let rows = evidence_rows(&app, id);
    assert_eq!(rows.len(), files.len());
    // Six new contents (the PDF twice is one file), three thumbnails.
    assert_eq!(app.stored_files().len(), on_disk + 6 + 3);
    assert!(
        app.stored_files_in("tmp").is_empty(),
        "no temporary file left"
    );

    let detail = secretary.follow(&page);
    for ((file_id, name, stored_type, size), (_, _, bytes, kept, expected_type, image)) in
        rows.iter().zip(&files)
    {
        assert_eq!(name, kept);
        assert_eq!(stored_type, expected_type, "{name}");
        assert_eq!(*size, bytes.len() as i64, "{name}");
        assert!(stored_path(&app, *file_id).is_file(), "{name} is on disk");
        assert_eq!(
            std::fs::read(stored_path(&app, *file_id)).expect("read"),
            *bytes
        );
        assert_eq!(
            thumbnail_path(&app, *file_id).is_file(),
            *image,
            "{name}: thumbnail"
        );
        assert!(
            detail
                .attribute_values("data-evidence")
                .contains(&file_id.to_string())
        );
        let thumbnail = format!("src=\"/evidence/{file_id}/thumbnail\"");
        assert_eq!(
            detail.body.contains(&thumbnail),
            *image,
            "{name}: thumbnail shown"
        );

        // The unit and the bloc's reviewer download it, as it was sent.
        for client in [&secretary, &reviewer] {
            let download = client.download(&format!("/evidence/{file_id}"));
            assert_eq!(download.status, 200, "{name}");
            assert_eq!(download.bytes, *bytes, "{name}");
            assert_eq!(
                download.header("content-type"),
                Some(*expected_type),
                "{name}"
            );
            assert_eq!(download.header("x-content-type-options"), Some("nosniff"));
            let disposition = download.header("content-disposition").unwrap_or_default();
            let kind = if *image { "inline;" } else { "attachment;" };
            assert!(disposition.starts_with(kind), "{name}: {disposition}");
            assert!(disposition.contains("filename="), "{name}: {disposition}");
        }
        let thumbnail = reviewer.download(&format!("/evidence/{file_id}/thumbnail"));
        if *image {
            assert_eq!(thumbnail.status, 200, "{name}");
            assert_eq!(thumbnail.header("content-type"), Some("image/jpeg"));
            assert!(
                thumbnail.bytes.starts_with(b"\xFF\xD8\xFF"),
                "{name}: a JPEG"
            );
            assert_eq!(thumbnail.header("x-content-type-options"), Some("nosniff"));
        } else {
            assert_eq!(thumbnail.status, 404, "{name}: documents have no thumbnail");
        }
    }
    // The Vietnamese name comes back in the header: UTF-8, with an ASCII fallback.
    let pdf = secretary.download(&format!("/evidence/{}", rows[3].0));
    assert_eq!(
        pdf.header("content-disposition"),
        Some("attachment; filename=\"Bien ban.pdf\"; filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n.pdf")
    );
    // A large photo gets a small thumbnail.
    let thumbnail = secretary.download(&format!("/evidence/{}/thumbnail", rows[1].0));
    assert!(thumbnail.bytes.len() < png.len());

    // Outside the scope: 404, for the file and its thumbnail; signed out: sign in first.
    let outsiders = [
        app.signed_in(REV_B, PASSWORD),
        app.signed_in(SEC_B1, PASSWORD),
        app.signed_in(SEC_C1, PASSWORD),
    ];
    for (file_id, name, ..) in &rows {
        for client in &outsiders {
            for path in [
                format!("/evidence/{file_id}"),
                format!("/evidence/{file_id}/thumbnail"),
            ] {
                let download = client.download(&path);
                assert_eq!(download.status, 404, "{name}: {path}");
                assert!(!download.bytes.starts_with(&samples::PDF[..5]));
            }
        }
        let visitor = app.client().get(&format!("/evidence/{file_id}"));
        assert_eq!(visitor.status, 303);
        assert_eq!(visitor.location.as_deref(), Some("/login"));
    }
    for path in [
        "/evidence/999999",
        "/evidence/abc",
        "/evidence/-1/thumbnail",
        "/evidence/1.5",
    ] {
        assert_eq!(secretary.download(path).status, 404, "{path}");
    }
}

#[test]
fn refused_files_are_answered_with_a_message_and_leave_nothing_behind() {
    const LIMIT: usize = 16 * 1024;
    let app = TestApp::spawn_with(|settings| settings.max_upload_bytes = LIMIT as u64);
    let fx = Fixture::build(&app);
    let secretary = app.signed_in(SEC_C2, PASSWORD);
    let id = initiative_in_state(&app, &fx, "Tệp bị từ chối", "approved");
    let mut macro_docx_entries: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", b"<w:document/>"),
    ];
    macro_docx_entries.push(("word/vbaProject.bin", b"macro"));
    let macro_docx = samples::zip(&macro_docx_entries);
    let plain_zip = samples::zip(&[("ghi-chu.txt", b"xin chao")]);
    let exe = samples::exe();
    let fake_png = samples::fake_png();
    let too_big = samples::pdf_of_size(LIMIT + 1);
    let cases: Vec<Refused<'_>> = vec![
        (
            "a program renamed .pdf",
            "hoa-don.pdf",
            "application/pdf",
            &exe,
            415,
            "không phải ảnh",
        ),
        (
            "a web page",
            "trang.html",
            "text/html",
            samples::HTML,
            415,
            "không phải ảnh",
        ),
        (
            "a web page named .jpg",
            "anh.jpg",
            "image/jpeg",
            samples::HTML,
            415,
            "không phải ảnh",
        ),
        (
            "an SVG",
            "logo.svg",
            "image/svg+xml",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
            415,
            "không phải ảnh",
        ),
        (
            "a PNG that is not one",
            "anh.png",
            "image/png",
            &fake_png,
            415,
            "không phải ảnh",
        ),
        (
            "a plain ZIP",
            "tai-lieu.docx",
            DOCX,
            &plain_zip,
            415,
            "không phải ảnh",
        ),
        (
            "a DOCX with macros",
            "macro.docx",
            DOCX,
            &macro_docx,
            415,
            "không phải ảnh",
        ),
        (
            "an empty file",
            "trong.pdf",
            "application/pdf",
            b"",
            422,
            "trống",
        ),
        (
            "over the limit",
            "lon.pdf",
            "application/pdf",
            &too_big,
            413,
            "lớn hơn giới hạn 16 KB",
        ),
    ];
    let before = state_of(&app);
    for (what, name, claimed, bytes, status, words) in &cases {
        for route in ["evidence", "report"] {
            let file = Part::file(name, claimed, bytes);
            let parts = if route == "report" {
                report_parts("1.000.000", "01/12/2022", "Xong.", &[file])
            } else {
                vec![file]
            };
            let page = secretary.post_multipart_csrf(&format!("/initiatives/{id}/{route}"), &parts);
            assert_eq!(page.status, *status, "{what} via {route}: {}", page.body);
            assert_eq!(page.field_errors(), ["files"], "{what} via {route}");
            let message = page.field_error("files").unwrap_or_default();
            assert!(message.contains(words), "{what} via {route}: {message}");
            assert!(
                message.contains(&format!("“{name}”")),
                "{what}: names the file: {message}"
            );
            assert_eq!(state_of(&app), before, "{what} via {route}: nothing stored");
            assert_eq!(app.review(id), "approved");
        }
    }

    // One bad file spoils the request: the good one sent with it is not kept either.
    let good = samples::pdf_of_size(2000);
    let page = secretary.post_multipart_csrf(
        &format!("/initiatives/{id}/evidence"),
        &[
            Part::file("tot.pdf", "application/pdf", &good),
            Part::file("anh-tot.png", "image/png", &samples::png(20, 20)),
            Part::file("xau.pdf", "application/pdf", &exe),
        ],
    );
    assert_eq!(page.status, 415, "{}", page.body);
    assert_eq!(state_of(&app), before, "the good files are removed too");

    // More than ten files at once.
    let many: Vec<Part> = (0..11)
        .map(|n| {
            Part::file(
                &format!("tep-{n}.pdf"),
                "application/pdf",
                &samples::pdf_of_size(100 + n),
            )
        })
        .collect();
    let page = secretary.post_multipart_csrf(&format!("/initiatives/{id}/evidence"), &many);
    assert_eq!(page.status, 422, "{}", page.body);
    assert_eq!(page.field_errors(), ["files"]);
    assert_eq!(state_of(&app), before);
    // Adding evidence with no file chosen.
    let page = secretary.post_multipart_csrf(
        &format!("/initiatives/{id}/evidence"),
        &[Part::file("", "application/octet-stream", b"")],
    );
    assert_eq!(page.status, 422, "{}", page.body);
    assert_eq!(page.field_errors(), ["files"]);
    assert_eq!(state_of(&app), before);
    // A file before the token: refused before anything is written.
    let page = secretary.post_multipart(
        &format!("/initiatives/{id}/evidence"),
        &[
            Part::file("som.pdf", "application/pdf", &good),
            Part::text("csrf_token", &secretary.csrf_token()),
        ],
    );
    assert_eq!(page.status, 403);
    assert_eq!(state_of(&app), before);
    // A body that is not multipart at all, or cut short.
    let page = secretary.post_raw(
        &format!("/initiatives/{id}/evidence"),
        "application/x-www-form-urlencoded",
        b"files=abc",
    );
    assert!((400..500).contains(&page.status), "{}", page.status);
    let (content_type, body) = multipart_body(&[
        Part::text("csrf_token", &secretary.csrf_token()),
        Part::file("cut.pdf", "application/pdf", &good),
    ]);
    let page = secretary.post_raw(
        &format!("/initiatives/{id}/evidence"),
        &content_type,
        &body[..body.len() / 2],
    );
    assert!(
        (400..500).contains(&page.status),
        "a cut body: {}",
        page.status
    );
    assert_eq!(state_of(&app), before);

    // Exactly at the limit is accepted.
    let page = secretary.post_multipart_csrf(
        &format!("/initiatives/{id}/evidence"),
        &[Part::file(
            "vua-du.pdf",
            "application/pdf",
            &samples::pdf_of_size(LIMIT),
        )],
    );
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(evidence_rows(&app, id).len(), 1);
}

#[test]
fn path_tricks_in_file_names_are_stored_under_a_safe_name() {
    let (app, fx) = app_with_fixture();
    let secretary = app.signed_in(SEC_C2, PASSWORD);
    let id = initiative_in_state(&app, &fx, "Tên tệp lạ", "approved");
    let names = [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\boot.ini", "boot.ini.pdf"),
        ("C:\\fakepath\\Biên bản.pdf", "Biên bản.pdf"),
        ("/var/www/html/index.pdf", "index.pdf"),
        ("..", "tep-dinh-kem.pdf"),
        ("báo cáo\u{202E}fdp.exe", "báo cáofdp.exe.pdf"),
        (
            "<img src=x onerror=alert(1)>.pdf",
            "<img src=x onerror=alert(1)>.pdf",
        ),
    ];
    for (n, (sent, _)) in names.iter().enumerate() {
        let page = secretary.post_multipart_csrf(
            &format!("/initiatives/{id}/evidence"),
            &[Part::file(
                sent,
                "application/pdf",
                &samples::pdf_of_size(200 + n),
            )],
        );
        assert_eq!(page.status, 303, "{sent}: {}", page.body);
    }
    let rows = evidence_rows(&app, id);
    let kept: Vec<&str> = rows.iter().map(|(_, name, ..)| name.as_str()).collect();
    let expected: Vec<&str> = names.iter().map(|(_, kept)| *kept).collect();
    assert_eq!(kept, expected);
    // Only content-named files under the upload folder: nothing escaped it.
    for path in app.stored_files() {
        let file = path.rsplit('/').next().unwrap_or_default();
        assert!(
            file.trim_end_matches(".jpg").len() == 64
                && file
                    .trim_end_matches(".jpg")
                    .chars()
                    .all(|c| c.is_ascii_hexdigit()),
            "{path}"
        );
    }
    let parent = app.upload_dir.parent().expect("a parent folder");
    assert!(!parent.join("etc/passwd.pdf").exists());
    assert!(!app.upload_dir.join("files/../../etc/passwd.pdf").exists());
    let download = secretary.download(&format!("/evidence/{}", rows[0].0));
    assert_eq!(
        download.header("content-disposition"),
        Some("attachment; filename=\"passwd.pdf\"; filename*=UTF-8''passwd.pdf")
    );
    let detail = secretary.get(&format!("/initiatives/{id}"));
    assert!(
        !detail.body.contains("\u{202E}"),
        "no direction override on the page"
    );
    assert!(
        !detail.body.contains("<img src=x"),
        "markup in a name is escaped"
    );
    assert!(text_of(&detail.body).contains("<img src=x onerror=alert(1)>.pdf"));
    // A refused file's name is escaped in the message too.
    let page = secretary.post_multipart_csrf(
        &format!("/initiatives/{id}/evidence"),
        &[Part::file(
            "<svg onload=alert(1)>.pdf",
            "application/pdf",
            &samples::exe(),
        )],
    );
    assert_eq!(page.status, 415);
    assert!(!page.body.contains("<svg onload"), "{}", page.body);
    assert!(
        page.field_error("files")
            .unwrap_or_default()
            .contains("<svg onload=alert(1)>.pdf")
    );
}

#[test]
fn removing_a_file_is_on_the_record_and_keeps_its_bytes_until_an_admin_purges() {
    let (app, fx) = app_with_fixture();
    let secretary = app.signed_in(SEC_C2, PASSWORD);
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let admin = app.signed_in(ADMIN, PASSWORD);
    let id = initiative_in_state(&app, &fx, "Gỡ và xóa", "approved");
    let photo = samples::png(64, 48);
    let page = secretary.post_multipart_csrf(
        &format!("/initiatives/{id}/evidence"),
        &[
            Part::file("anh-le-ra-mat.png", "image/png", &photo),
            Part::file(
                "bien-ban-rieng.pdf",
                "application/pdf",
                &samples::pdf_of_size(999),
            ),
        ],
    );
    assert_eq!(page.status, 303, "{}", page.body);
    let rows = evidence_rows(&app, id);
    let (photo_id, pdf_id) = (rows[0].0, rows[1].0);
    let photo_path = stored_path(&app, photo_id);
    let photo_thumbnail = thumbnail_path(&app, photo_id);
    let pdf_path = stored_path(&app, pdf_id);
    let remove = |client: &Client, file_id: i32| {
        client.post_form_csrf(&format!("/initiatives/{id}/evidence/{file_id}/remove"), &[])
    };

    // Not the reviewer's to remove (403), nor anyone's outside the unit (404).
    let before = state_of(&app);
    let page = remove(&reviewer, photo_id);
    assert_eq!(page.status, 403, "{}", page.body);
    assert!(page.refusal().is_some());
    for username in [REV_B, SEC_C1, SEC_B1] {
        assert_eq!(
            remove(&app.signed_in(username, PASSWORD), photo_id).status,
            404,
            "{username}"
        );
    }
    // A file of another initiative, through this one's address.
    let other_file = app.first_evidence(fx.item(1));
    assert_eq!(remove(&secretary, other_file).status, 404);
    assert_eq!(state_of(&app), before);

    // The unit removes the photo: listed as removed, in the history, bytes kept.
    let page = remove(&secretary, photo_id);
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(
        app.text(&format!(
            "SELECT (removed_at IS NOT NULL AND removed_by = {})::text AS v FROM evidence_files WHERE id = {photo_id}",
            fx.sec_c2
        ))
        .as_deref(),
        Some("true")
    );
    assert!(
        photo_path.is_file() && photo_thumbnail.is_file(),
        "the bytes stay"
    );
    let detail = secretary.follow(&page);
    let item = detail
        .element_html(&format!("data-evidence=\"{photo_id}\""))
        .expect("still listed");
    assert!(item.contains("class=\"removed\""), "{item}");
    assert!(
        !item.contains("<img"),
        "no thumbnail for a removed file: {item}"
    );
    let history = detail
        .element_html("class=\"history\"")
        .map(|html| text_of(&html))
        .unwrap_or_default();
    assert!(
        history.contains("Gỡ minh chứng · Người dùng bithu.c2"),
        "{history}"
    );
    assert!(history.contains("anh-le-ra-mat.png"), "{history}");
    // Removing it again: there is no such active file.
    let before = state_of(&app);
    assert_eq!(remove(&secretary, photo_id).status, 404);
    assert_eq!(state_of(&app), before);

    // With every file removed, a report needs a new one.
    assert_eq!(remove(&secretary, pdf_id).status, 303);
    let page = secretary.post_multipart_csrf(
        &format!("/initiatives/{id}/report"),
        &report_parts("1.000.000", "01/12/2022", "Xong.", &[]),
    );
    assert_eq!(page.status, 422, "{}", page.body);
    assert_eq!(page.field_errors(), ["files"]);

    // Only an admin purges; the others change nothing.
    let before = state_of(&app);
    for client in [&secretary, &reviewer] {
        let page = client.post_form_csrf(&format!("/initiatives/{id}/purge"), &[]);
        assert_eq!(page.status, 403);
        assert_eq!(state_of(&app), before);
    }
    assert_eq!(
        app.signed_in(REV_B, PASSWORD)
            .post_form_csrf(&format!("/initiatives/{id}/purge"), &[])
            .status,
        403
    );
    let audit = app.audit_count(id);
    let page = admin.post_form_csrf(&format!("/initiatives/{id}/purge"), &[]);
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some("/initiatives"));
    assert_eq!(
        app.count_where(&format!(
            "SELECT count(*) AS n FROM initiatives WHERE id = {id}"
        )),
        0
    );
    assert!(evidence_rows(&app, id).is_empty());
    assert!(
        !photo_path.exists() && !photo_thumbnail.exists() && !pdf_path.exists(),
        "the bytes are gone"
    );
    assert_eq!(admin.get(&format!("/initiatives/{id}")).status, 404);
    assert_eq!(admin.download(&format!("/evidence/{photo_id}")).status, 404);
    // The history of what was purged stays in the audit log, with the deletion.
    assert_eq!(app.audit_count(id), audit + 1);
    assert_eq!(
        app.count_where(&format!(
            "SELECT count(*) AS n FROM audit_log WHERE entity = 'initiative' AND entity_id = {id} \
             AND action = 'delete' AND actor_id = {}",
            fx.admin
        )),
        1
    );
    assert_eq!(
        admin
            .post_form_csrf(&format!("/initiatives/{id}/purge"), &[])
            .status,
        404
    );

    // Bytes another initiative still uses are kept: the fixture's completed ones share
    // one PDF.
    let shared = stored_path(&app, app.first_evidence(fx.item(7)));
    assert_eq!(
        admin
            .post_form_csrf(&format!("/initiatives/{}/purge", fx.item(7)), &[])
            .status,
        303
    );
    assert!(shared.is_file(), "still used by #1, #2, #6 and #8");
    let download = app
        .signed_in(SEC_C1, PASSWORD)
        .download(&format!("/evidence/{}", app.first_evidence(fx.item(1))));
    assert_eq!(download.status, 200);
    assert_eq!(download.bytes, SAMPLE_PDF);
}

#[test]
fn images_of_too_many_pixels_are_refused_from_their_header_before_any_decoding() {
    let (app, fx) = app_with_fixture();
    let secretary = app.signed_in(SEC_C2, PASSWORD);
    let id = initiative_in_state(&app, &fx, "Ảnh quá lớn", "approved");
    // 2.5 MB that unpack to 400 MB of pixels: the side (20,000) is within the limit,
    // the pixel count (400 million) is not.
    let huge_png = samples::zeros_png(20_000, 20_000);
    assert!(huge_png.len() < 3 * 1024 * 1024, "{}", huge_png.len());
    let huge_jpeg = samples::jpeg_claiming(20_000, 20_000);
    let before = state_of(&app);
    for (name, claimed, bytes) in [
        ("ban-do.png", "image/png", &huge_png),
        ("ban-do.jpg", "image/jpeg", &huge_jpeg),
    ] {
        for route in ["evidence", "report"] {
            let file = Part::file(name, claimed, bytes);
            let parts = if route == "report" {
                report_parts("1.000.000", "01/12/2022", "Xong.", &[file])
            } else {
                vec![file]
            };
            let resident = reset_peak_memory();
            let page = secretary.post_multipart_csrf(&format!("/initiatives/{id}/{route}"), &parts);
            let grown = memory_figure("VmHWM:").saturating_sub(resident);
            assert!(
                grown < 200 * 1024 * 1024,
                "{name} via {route}: the process grew by {} MB",
                grown / (1024 * 1024)
            );
            assert_eq!(page.status, 422, "{name} via {route}: {}", page.body);
            let message = page.field_error("files").unwrap_or_default();
            assert!(
                message.contains(&format!("Ảnh “{name}” có quá nhiều điểm ảnh"))
                    && message.contains("50 triệu điểm ảnh"),
                "{name} via {route}: {message}"
            );
            assert_eq!(state_of(&app), before, "{name} via {route}: nothing stored");
        }
    }
    // A photo of ordinary size is still taken.
    let page = secretary.post_multipart_csrf(
        &format!("/initiatives/{id}/evidence"),
        &[Part::file(
            "anh.png",
            "image/png",
            &samples::zeros_png(4_000, 3_000),
        )],
    );
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(evidence_rows(&app, id).len(), 1);
}

#[test]
fn the_evidence_picker_is_labelled_in_vietnamese_with_what_it_takes() {
    let (app, fx) = app_with_fixture();
    let page = app
        .signed_in(SEC_C1, PASSWORD)
        .get(&format!("/initiatives/{}", fx.item(3)));
    let labels = page.select("label[for=files]", text_in);
    assert!(
        labels.iter().any(|label| label == "Chọn tệp minh chứng…"),
        "{labels:?}"
    );
    let hint = page.text_at("#hint-files").unwrap_or_default();
    assert!(
        hint.contains("PDF, DOCX, XLSX") && hint.contains("20 MB"),
        "{hint}"
    );
    let described = page.select("input#files", |input| {
        input.value().attr("aria-describedby").map(str::to_owned)
    });
    assert_eq!(described, [Some("hint-files".to_owned())]);
}
