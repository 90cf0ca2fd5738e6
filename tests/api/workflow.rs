//! The review workflow: who may take which step from which state, what a person sees
//! when a step is refused, and that a refused step changes nothing.

use chrono::Datelike;
use lamtheobac::domain::workflow::Step;
use lamtheobac::domain::{Field, Role, Status, UnitKind};

use crate::helpers::*;
use crate::samples;

/// The history section of a detail page, as text, oldest entry first.
pub(crate) fn history_lines(page: &Page) -> Vec<String> {
    let html = page
        .element_html("class=\"history\"")
        .unwrap_or_else(|| panic!("no history on the page: {}", page.body));
    let mut lines: Vec<String> = html
        .split("<li>")
        .skip(1)
        .map(text_of)
        .filter(|line| !line.is_empty())
        .collect();
    lines.reverse(); // the page shows the newest first
    lines
}

/// The step labels of the history, oldest first.
pub(crate) fn history_actions(page: &Page) -> Vec<String> {
    history_lines(page)
        .iter()
        .map(|line| line.split(" · ").next().unwrap_or_default().to_owned())
        .collect()
}

/// Whether a message reads as Vietnamese (has at least one Vietnamese letter).
fn is_vietnamese(message: &str) -> bool {
    message
        .chars()
        .any(|c| "ăâđêôơưáàảãạéèẻẽẹóòỏõọúùủũụíìỉĩịếềểễệốồổỗộớờởỡợứừửữựấầẩẫậắằẳẵặ".contains(c))
}

/// Asserts a refused step: status, the message on the detail page, nothing changed in
/// the database or on disk.
fn assert_refused(
    app: &TestApp,
    page: &Page,
    status: u16,
    before: &(String, Vec<String>),
    what: &str,
) {
    assert_eq!(page.status, status, "{what}: {}", page.body);
    let message = page
        .refusal()
        .unwrap_or_else(|| panic!("{what}: no id=\"refusal\" message: {}", page.body));
    assert!(
        is_vietnamese(&message) && message.len() > 10,
        "{what}: {message:?}"
    );
    assert_eq!(
        &(snapshot(app), app.stored_files()),
        before,
        "{what}: something changed"
    );
}

fn state_of(app: &TestApp) -> (String, Vec<String>) {
    (snapshot(app), app.stored_files())
}

// ---------------------------------------------------------------------------------------
// Every step, every state, every role
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Approve,
    Return,
    Resubmit,
    Report,
    Accept,
    Reopen,
    Edit,
    AddEvidence,
}

const ACTIONS: [Action; 8] = [
    Action::Approve,
    Action::Return,
    Action::Resubmit,
    Action::Report,
    Action::Accept,
    Action::Reopen,
    Action::Edit,
    Action::AddEvidence,
];

/// Who may take a step: the bloc committee (reviewers) or the unit (secretaries).
/// Admins may take both kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Committee,
    Unit,
}

/// The rules of issue 3, written out by hand: who takes each step, and from which
/// state to which. `None` as the target means the step keeps the state.
fn rule(action: Action) -> (Side, &'static [(&'static str, Option<&'static str>)]) {
    const EDITABLE: &[(&str, Option<&str>)] = &[
        ("pending_approval", None),
        ("returned_registration", None),
        ("approved", None),
        ("returned_completion", None),
    ];
    match action {
        Action::Approve => (Side::Committee, &[("pending_approval", Some("approved"))]),
        Action::Return => (
            Side::Committee,
            &[
                ("pending_approval", Some("returned_registration")),
                ("pending_acceptance", Some("returned_completion")),
            ],
        ),
        Action::Resubmit => (
            Side::Unit,
            &[("returned_registration", Some("pending_approval"))],
        ),
        Action::Report => (
            Side::Unit,
            &[
                ("approved", Some("pending_acceptance")),
                ("returned_completion", Some("pending_acceptance")),
            ],
        ),
        Action::Accept => (Side::Committee, &[("pending_acceptance", Some("accepted"))]),
        Action::Reopen => (
            Side::Committee,
            &[("accepted", Some("returned_completion"))],
        ),
        Action::Edit | Action::AddEvidence => (Side::Unit, EDITABLE),
    }
}

/// A PDF no other request sends, so that a file left behind would show on disk.
fn unique_pdf(label: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {label}\n%%EOF\n").into_bytes()
}

/// Sends one step as the person behind `client` would, from the detail page's forms.
fn send(app: &TestApp, client: &Client, action: Action, id: i32, label: &str) -> Page {
    let path = |step: &str| format!("/initiatives/{id}/{step}");
    let file = || {
        Part::file(
            &format!("{label}.pdf"),
            "application/pdf",
            &unique_pdf(label),
        )
    };
    match action {
        Action::Approve => client.post_form_csrf(&path("approve"), &[]),
        Action::Return => client.post_form_csrf(&path("return"), &[("reason", "Cần bổ sung.")]),
        Action::Resubmit => client.post_form_csrf(&path("resubmit"), &[]),
        Action::Report => client.post_multipart_csrf(
            &path("report"),
            &report_parts("1.200.000", "15/11/2022", "Kết quả tốt.", &[file()]),
        ),
        Action::Accept => client.post_form_csrf(&path("accept"), &[]),
        Action::Reopen => client.post_form_csrf(&path("reopen"), &[("reason", "Cần sửa lại.")]),
        Action::Edit => {
            let form = with(edit_form_of(app, id), "title", &format!("Đã sửa: {label}"));
            client.post_form_csrf(&format!("/initiatives/{id}"), &pairs(&form))
        }
        Action::AddEvidence => client.post_multipart_csrf(&path("evidence"), &[file()]),
    }
}

#[test]
fn every_step_is_allowed_or_refused_by_role_and_state() {
    let (app, fx) = app_with_fixture();
    let secretary = app.signed_in(SEC_C2, PASSWORD);
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let admin = app.signed_in(ADMIN, PASSWORD);
    let people = [
        ("secretary of the unit", &secretary, Some(Side::Unit)),
        ("reviewer of the bloc", &reviewer, Some(Side::Committee)),
        ("admin", &admin, None),
    ];
    let mut case = 0;
    for action in ACTIONS {
        let (side, allowed) = rule(action);
        for state in REVIEW_STATES {
            for (who, client, person_side) in &people {
                case += 1;
                let label = format!("case-{case}");
                let what = format!("{action:?} from {state} by the {who}");
                let id = initiative_in_state(&app, &fx, &label, state);
                let before = state_of(&app);
                let audit_before = app.audit_count(id);
                let page = send(&app, client, action, id, &label);
                let role_ok = person_side.is_none_or(|own| own == side);
                let target = allowed.iter().find(|(from, _)| *from == state);
                match (role_ok, target) {
                    (false, _) if action == Action::Edit => {
                        // Reviewers never edit: a plain 403.
                        assert_eq!(page.status, 403, "{what}");
                        assert_eq!(state_of(&app), before, "{what}");
                    }
                    (false, _) => assert_refused(&app, &page, 403, &before, &what),
                    (true, None) => assert_refused(&app, &page, 409, &before, &what),
                    (true, Some((_, to))) => {
                        assert_eq!(page.status, 303, "{what}: {}", page.body);
                        assert_eq!(
                            page.location.as_deref(),
                            Some(format!("/initiatives/{id}").as_str()),
                            "{what}"
                        );
                        assert_eq!(app.review(id), to.unwrap_or(state), "{what}");
                        assert!(app.audit_count(id) > audit_before, "{what}: on the record");
                        let shown = client.follow(&page);
                        assert_eq!(shown.review().as_deref(), Some(to.unwrap_or(state)));
                    }
                }
            }
        }
    }
    assert_eq!(case, 8 * 6 * 3);
}

#[test]
fn people_outside_the_scope_get_404_for_every_step_and_change_nothing() {
    let (app, fx) = app_with_fixture();
    let outsiders = [
        ("reviewer of another bloc", app.signed_in(REV_B, PASSWORD)),
        ("secretary of another bloc", app.signed_in(SEC_B1, PASSWORD)),
        ("secretary of another unit", app.signed_in(SEC_C1, PASSWORD)),
    ];
    for action in ACTIONS {
        // In a state where the step would be allowed to the right person.
        let (_, allowed) = rule(action);
        let state = allowed[0].0;
        for (who, client) in &outsiders {
            let label = format!("{action:?}-{who}");
            let id = initiative_in_state(&app, &fx, &label, state);
            let before = state_of(&app);
            let page = send(&app, client, action, id, &label);
            assert_eq!(page.status, 404, "{action:?} by the {who}: {}", page.body);
            assert_eq!(state_of(&app), before, "{action:?} by the {who}");
            assert_eq!(client.get(&format!("/initiatives/{id}")).status, 404);
        }
    }
}

#[test]
fn no_one_approves_or_accepts_what_they_registered_themselves() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let page = admin.post_form_csrf("/initiatives", &pairs(&initiative_form(fx.c2)));
    assert_eq!(page.status, 303, "{}", page.body);
    let id = id_from_location(&page);
    assert_eq!(app.review(id), "pending_approval", "a registration waits");
    let detail = admin.get(&format!("/initiatives/{id}"));
    assert!(
        !detail.body.contains(&format!("/initiatives/{id}/approve")),
        "no approve button for the one who registered"
    );

    let before = state_of(&app);
    let page = admin.post_form_csrf(&format!("/initiatives/{id}/approve"), &[]);
    assert_refused(&app, &page, 403, &before, "approving one's own");
    assert!(
        page.refusal()
            .unwrap_or_default()
            .contains("không thể tự duyệt"),
        "{:?}",
        page.refusal()
    );
    // The bloc's reviewer may.
    let page = reviewer.post_form_csrf(&format!("/initiatives/{id}/approve"), &[]);
    assert_eq!(page.status, 303, "{}", page.body);

    let page = admin.post_multipart_csrf(
        &format!("/initiatives/{id}/report"),
        &report_parts("6.000.000", "30/11/2022", "Đã xong.", &[pdf_part("a.pdf")]),
    );
    assert_eq!(page.status, 303, "{}", page.body);
    let before = state_of(&app);
    let page = admin.post_form_csrf(&format!("/initiatives/{id}/accept"), &[]);
    assert_refused(&app, &page, 403, &before, "accepting one's own");
    let page = reviewer.post_form_csrf(&format!("/initiatives/{id}/accept"), &[]);
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(app.initiative(id).status.as_str(), "completed");
}

// ---------------------------------------------------------------------------------------
// The whole path, as people see it
// ---------------------------------------------------------------------------------------

#[test]
fn a_registration_goes_through_the_whole_workflow_on_the_record() {
    let (app, fx) = app_with_fixture();
    let secretary = app.signed_in(SEC_C2, PASSWORD);
    let reviewer = app.signed_in(REV_A, PASSWORD);

    // Registered: it waits for the bloc's approval.
    let form = with(
        initiative_form(fx.c2),
        "title",
        "Chợ 4.0 không dùng tiền mặt",
    );
    let page = secretary.post_form_csrf("/initiatives", &pairs(&form));
    assert_eq!(page.status, 303, "{}", page.body);
    let id = id_from_location(&page);
    let detail = secretary.follow(&page);
    assert_eq!(detail.review().as_deref(), Some("pending_approval"));
    assert!(text_of(&detail.body).contains("Đã đăng ký – chờ duyệt"));

    // Returned without a reason: refused beside the reason, nothing changes.
    for reason in ["", "   ", &"x".repeat(2001)] {
        let before = state_of(&app);
        let page =
            reviewer.post_form_csrf(&format!("/initiatives/{id}/return"), &[("reason", reason)]);
        assert_eq!(page.status, 422, "{}", page.body);
        assert_eq!(page.field_errors(), ["reason"]);
        assert!(is_vietnamese(
            &page.field_error("reason").unwrap_or_default()
        ));
        assert_eq!(state_of(&app), before);
    }
    // Without the field at all, too.
    let page = reviewer.post_form_csrf(&format!("/initiatives/{id}/return"), &[]);
    assert_eq!(page.status, 422);
    assert_eq!(page.field_errors(), ["reason"]);

    // Returned with a reason: the secretary sees it on the page and in the list.
    let reason = "Chưa nêu số hộ kinh doanh tham gia.";
    let page = reviewer.post_form_csrf(&format!("/initiatives/{id}/return"), &[("reason", reason)]);
    assert_eq!(page.status, 303, "{}", page.body);
    let detail = secretary.get(&format!("/initiatives/{id}"));
    assert_eq!(detail.review().as_deref(), Some("returned_registration"));
    assert!(text_of(&detail.body).contains(&format!("Lý do trả lại: {reason}")));
    let returned = secretary.get("/returned");
    assert_eq!(returned.status, 200);
    assert_eq!(returned.initiative_rows(), [id]);
    assert!(
        text_of(&returned.body).contains(reason),
        "the reason is listed"
    );

    // Corrected and sent again; approved; reported with two files.
    let form = with(
        edit_form_of(&app, id),
        "description",
        "120 hộ kinh doanh tham gia.",
    );
    assert_eq!(
        secretary
            .post_form_csrf(&format!("/initiatives/{id}"), &pairs(&form))
            .status,
        303
    );
    let page = secretary.post_form_csrf(&format!("/initiatives/{id}/resubmit"), &[]);
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(app.review(id), "pending_approval");
    let page = reviewer.post_form_csrf(&format!("/initiatives/{id}/approve"), &[]);
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(app.review(id), "approved");
    let page = secretary.post_multipart_csrf(
        &format!("/initiatives/{id}/report"),
        &report_parts(
            "7.500.000",
            "15/12/2022",
            "120 hộ dùng mã QR.",
            &[
                Part::file("anh-cho.png", "image/png", &samples::png(40, 30)),
                Part::file("bien-ban.pdf", "application/pdf", samples::PDF),
            ],
        ),
    );
    assert_eq!(page.status, 303, "{}", page.body);
    let stored = app.initiative(id);
    assert_eq!(stored.review.as_str(), "pending_acceptance");
    assert_eq!(
        stored.status.as_str(),
        "in_progress",
        "not completed until accepted"
    );
    assert_eq!(stored.actual_value_vnd, Some(7_500_000));
    assert_eq!(stored.completion_date, Some(date(2022, 12, 15)));
    assert_eq!(stored.result_summary, "120 hộ dùng mã QR.");
    // One label says where it stands: reported, waiting for acceptance, not "in progress".
    let detail = secretary.get(&format!("/initiatives/{id}"));
    let labels = detail.select("[data-review]", |label| label.text().collect::<String>());
    assert_eq!(labels, ["Đã báo cáo hoàn thành – chờ nghiệm thu"]);
    let facts = detail.select(".details", |facts| facts.text().collect::<String>());
    assert!(!facts.concat().contains("Đang thực hiện"), "{facts:?}");

    // While it waits for acceptance, the unit cannot change it.
    let before = state_of(&app);
    let form = with(edit_form_of(&app, id), "title", "Đổi tên lúc chờ");
    let page = secretary.post_form_csrf(&format!("/initiatives/{id}"), &pairs(&form));
    assert_refused(
        &app,
        &page,
        409,
        &before,
        "editing while pending acceptance",
    );
    assert_eq!(
        secretary.get(&format!("/initiatives/{id}/edit")).status,
        409
    );

    // The report is returned with a reason, reported again without new files (the two
    // already there count), and accepted.
    let page = reviewer.post_form_csrf(
        &format!("/initiatives/{id}/return"),
        &[("reason", "Biên bản thiếu chữ ký.")],
    );
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(app.review(id), "returned_completion");
    let page = secretary.post_multipart_csrf(
        &format!("/initiatives/{id}/report"),
        &report_parts(
            "7.500.000",
            "15/12/2022",
            "120 hộ dùng mã QR; đã ký biên bản.",
            &[],
        ),
    );
    assert_eq!(page.status, 303, "{}", page.body);
    let page = reviewer.post_form_csrf(&format!("/initiatives/{id}/accept"), &[]);
    assert_eq!(page.status, 303, "{}", page.body);
    let stored = app.initiative(id);
    assert_eq!(stored.review.as_str(), "accepted");
    assert_eq!(stored.status.as_str(), "completed");

    // Accepted: editing is refused until a reviewer reopens it, with a reason.
    let before = state_of(&app);
    let form = with(edit_form_of(&app, id), "title", "Sửa sau nghiệm thu");
    let page = secretary.post_form_csrf(&format!("/initiatives/{id}"), &pairs(&form));
    assert_refused(&app, &page, 409, &before, "editing an accepted initiative");
    let page = secretary.get(&format!("/initiatives/{id}/edit"));
    assert_eq!(page.status, 409);
    assert!(page.refusal().is_some());
    let page = reviewer.post_form_csrf(&format!("/initiatives/{id}/reopen"), &[("reason", "")]);
    assert_eq!(page.status, 422);
    assert_eq!(page.field_errors(), ["reason"]);
    assert_eq!(state_of(&app), before);
    let page = reviewer.post_form_csrf(
        &format!("/initiatives/{id}/reopen"),
        &[("reason", "Giá trị thực hiện ghi nhầm.")],
    );
    assert_eq!(page.status, 303, "{}", page.body);
    let stored = app.initiative(id);
    assert_eq!(stored.review.as_str(), "returned_completion");
    assert_eq!(
        stored.status.as_str(),
        "in_progress",
        "no longer counted as completed"
    );
    let edit = secretary.get(&format!("/initiatives/{id}/edit"));
    assert_eq!(edit.status, 200);
    let form = with(edit_form_of(&app, id), "title", "Sửa sau nghiệm thu");
    let page = secretary.post_form_csrf(&format!("/initiatives/{id}"), &pairs(&form));
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(app.initiative(id).title, "Sửa sau nghiệm thu");

    // The history tells the whole story, with who and why.
    let detail = reviewer.get(&format!("/initiatives/{id}"));
    assert_eq!(
        history_actions(&detail),
        [
            "Đăng ký",
            "Trả lại đăng ký",
            "Cập nhật",
            "Gửi lại để duyệt",
            "Duyệt đăng ký",
            "Báo cáo hoàn thành",
            "Thêm minh chứng",
            "Thêm minh chứng",
            "Trả lại kết quả",
            "Báo cáo hoàn thành",
            "Nghiệm thu",
            "Mở lại",
            "Cập nhật",
        ]
    );
    let lines = history_lines(&detail);
    assert!(
        lines[1].contains(&format!("Lý do: {reason}")),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains("Người dùng khoi.a"), "{}", lines[1]);
    assert!(lines[5].contains("Người dùng bithu.c2"), "{}", lines[5]);
    assert!(lines[5].contains("7.500.000 đ"), "{}", lines[5]);
    assert!(
        lines[8].contains("Lý do: Biên bản thiếu chữ ký."),
        "{}",
        lines[8]
    );
    assert!(
        lines[10].contains("Trạng thái Đang thực hiện Hoàn thành"),
        "{}",
        lines[10]
    );
    assert!(
        lines[11].contains("Lý do: Giá trị thực hiện ghi nhầm."),
        "{}",
        lines[11]
    );
    assert!(
        lines[11].contains("Trạng thái Hoàn thành Đang thực hiện"),
        "{}",
        lines[11]
    );
    // The audit log holds the same steps, each with its actor and reason.
    assert_eq!(app.audit_count(id), 13);
    assert_eq!(
        app.count_where(&format!(
            "SELECT count(*) AS n FROM audit_log WHERE entity_id = {id} AND entity = 'initiative' \
             AND actor_id = {} AND reason IS NOT NULL",
            fx.rev_a
        )),
        3,
        "two returns and a reopening, with their reasons"
    );
    // And none of it can be rewritten.
    let mut conn = app.db();
    use diesel::RunQueryDsl;
    for statement in [
        format!("UPDATE audit_log SET reason = 'khác' WHERE entity_id = {id}"),
        format!(
            "UPDATE audit_log SET actor_id = {} WHERE entity_id = {id}",
            fx.sec_c2
        ),
        format!("DELETE FROM audit_log WHERE entity_id = {id} AND reason IS NOT NULL"),
        "TRUNCATE audit_log CASCADE".to_owned(),
    ] {
        assert!(
            diesel::sql_query(&statement).execute(&mut conn).is_err(),
            "{statement} must be refused"
        );
    }
    assert_eq!(app.audit_count(id), 13);
}

#[test]
fn steps_out_of_order_or_taken_twice_are_refused_with_a_message() {
    let (app, fx) = app_with_fixture();
    let secretary = app.signed_in(SEC_C2, PASSWORD);
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let admin = app.signed_in(ADMIN, PASSWORD);

    // Accepting what was never reported.
    let approved = initiative_in_state(&app, &fx, "Chưa báo cáo", "approved");
    let before = state_of(&app);
    let page = reviewer.post_form_csrf(&format!("/initiatives/{approved}/accept"), &[]);
    assert_refused(
        &app,
        &page,
        409,
        &before,
        "accepting what was never reported",
    );
    assert!(
        page.refusal()
            .unwrap_or_default()
            .contains("Chưa có báo cáo hoàn thành")
    );
    assert_eq!(
        page.review().as_deref(),
        Some("approved"),
        "the page shows it as it is"
    );

    // Reporting before approval.
    let pending = initiative_in_state(&app, &fx, "Chưa duyệt", "pending_approval");
    let before = state_of(&app);
    let page = secretary.post_multipart_csrf(
        &format!("/initiatives/{pending}/report"),
        &report_parts(
            "1.000.000",
            "01/12/2022",
            "Xong.",
            &[Part::file("x.pdf", "application/pdf", &unique_pdf("early"))],
        ),
    );
    assert_refused(&app, &page, 409, &before, "reporting before approval");
    assert!(
        page.refusal()
            .unwrap_or_default()
            .contains("cần được duyệt trước")
    );

    // A step taken twice: the second is refused.
    let page = reviewer.post_form_csrf(&format!("/initiatives/{pending}/approve"), &[]);
    assert_eq!(page.status, 303);
    let before = state_of(&app);
    for client in [&reviewer, &admin] {
        let page = client.post_form_csrf(&format!("/initiatives/{pending}/approve"), &[]);
        assert_refused(&app, &page, 409, &before, "approving twice");
    }
    let waiting = initiative_in_state(&app, &fx, "Chờ nghiệm thu", "pending_acceptance");
    assert_eq!(
        reviewer
            .post_form_csrf(&format!("/initiatives/{waiting}/accept"), &[])
            .status,
        303
    );
    let before = state_of(&app);
    let page = admin.post_form_csrf(&format!("/initiatives/{waiting}/accept"), &[]);
    assert_refused(&app, &page, 409, &before, "accepting twice");
    assert!(
        page.refusal()
            .unwrap_or_default()
            .contains("đã được nghiệm thu")
    );

    // A cancelled initiative cannot be reported as completed.
    let cancelled = fx.item(5);
    let before = state_of(&app);
    let page = secretary.post_multipart_csrf(
        &format!("/initiatives/{cancelled}/report"),
        &report_parts(
            "1.000.000",
            "01/12/2022",
            "Xong.",
            &[Part::file(
                "x.pdf",
                "application/pdf",
                &unique_pdf("cancelled"),
            )],
        ),
    );
    assert_refused(&app, &page, 409, &before, "reporting a cancelled one");

    // Unknown initiatives are a 404 for every step.
    for step in ["approve", "return", "resubmit", "accept", "reopen"] {
        let page = admin.post_form_csrf(&format!("/initiatives/999999/{step}"), &[("reason", "x")]);
        assert_eq!(page.status, 404, "{step}");
    }
}

#[test]
fn a_report_needs_evidence_and_each_of_its_fields() {
    let (app, fx) = app_with_fixture();
    let secretary = app.signed_in(SEC_C2, PASSWORD);
    let id = initiative_in_state(&app, &fx, "Báo cáo thiếu", "approved");
    let path = format!("/initiatives/{id}/report");

    // No evidence at all: refused beside the file input, the typed values kept.
    let before = state_of(&app);
    let page = secretary.post_multipart_csrf(
        &path,
        &report_parts("3.000.000", "01/12/2022", "Đã làm xong.", &[]),
    );
    assert_eq!(page.status, 422, "{}", page.body);
    assert_eq!(page.field_errors(), ["files"]);
    assert!(is_vietnamese(
        &page.field_error("files").unwrap_or_default()
    ));
    assert!(keeps_value(&page, "3.000.000"));
    assert!(keeps_value(&page, "Đã làm xong."));
    assert_eq!(state_of(&app), before);
    // An empty file input (no file chosen) is the same as no evidence.
    let page = secretary.post_multipart_csrf(
        &path,
        &report_parts(
            "3.000.000",
            "01/12/2022",
            "Đã làm xong.",
            &[Part::file("", "application/octet-stream", b"")],
        ),
    );
    assert_eq!(page.status, 422, "{}", page.body);
    assert_eq!(page.field_errors(), ["files"]);
    assert_eq!(state_of(&app), before);
    // Wrong fields and no evidence: every message at once, not the files' on a second try.
    let page = secretary.post_multipart_csrf(&path, &report_parts("", "", "Xong.", &[]));
    assert_eq!(page.status, 422, "{}", page.body);
    let mut named = page.field_errors();
    named.sort();
    assert_eq!(named, ["actual_value_vnd", "completion_date", "files"]);
    assert_eq!(state_of(&app), before);

    // Missing or wrong fields: each beside its own input, and the good file is not kept.
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(3))
        .format("%d/%m/%Y")
        .to_string();
    for (what, actual, completed_on, summary, field) in [
        ("no value", "", "01/12/2022", "Xong.", "actual_value_vnd"),
        (
            "value in words",
            "ba triệu",
            "01/12/2022",
            "Xong.",
            "actual_value_vnd",
        ),
        (
            "negative value",
            "-3.000.000",
            "01/12/2022",
            "Xong.",
            "actual_value_vnd",
        ),
        ("no date", "3.000.000", "", "Xong.", "completion_date"),
        (
            "impossible date",
            "3.000.000",
            "31/02/2022",
            "Xong.",
            "completion_date",
        ),
        (
            "before the start",
            "3.000.000",
            "01/01/2022",
            "Xong.",
            "completion_date",
        ),
        (
            "in the future",
            "3.000.000",
            tomorrow.as_str(),
            "Xong.",
            "completion_date",
        ),
        (
            "no summary",
            "3.000.000",
            "01/12/2022",
            "  ",
            "result_summary",
        ),
    ] {
        let page = secretary.post_multipart_csrf(
            &path,
            &report_parts(
                actual,
                completed_on,
                summary,
                &[Part::file("x.pdf", "application/pdf", &unique_pdf(what))],
            ),
        );
        assert_eq!(page.status, 422, "{what}: {}", page.body);
        assert_eq!(page.field_errors(), [field], "{what}");
        assert!(
            is_vietnamese(&page.field_error(field).unwrap_or_default()),
            "{what}"
        );
        assert_eq!(
            state_of(&app),
            before,
            "{what}: nothing stored, no file left"
        );
    }
    let long_summary = "ô".repeat(5001);
    let page = secretary.post_multipart_csrf(
        &path,
        &report_parts(
            "3.000.000",
            "01/12/2022",
            &long_summary,
            &[pdf_part("x.pdf")],
        ),
    );
    assert_eq!(page.status, 422);
    assert_eq!(page.field_errors(), ["result_summary"]);
    assert_eq!(state_of(&app), before);
}

// ---------------------------------------------------------------------------------------
// Figures, inboxes and badges
// ---------------------------------------------------------------------------------------

#[test]
fn completed_counts_only_after_acceptance() {
    let (app, fx) = app_with_fixture();
    let secretary = app.signed_in(SEC_C2, PASSWORD);
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let dashboard = |expect: [(&str, &str); 5], when: &str| {
        let page = reviewer.get(&format!("/dashboard?year=2022&unit={}", fx.ka));
        for (name, value) in expect {
            assert_eq!(page.figure(name).as_deref(), Some(value), "{when}: {name}");
        }
    };
    let stats = |when: &str| -> serde_json::Value {
        let stats = reviewer.get("/api/v1/stats?year=2022").json();
        assert_eq!(stats["registered"], 7, "{when}");
        stats
    };
    // #4 (C2, waiting for approval): the fixture's 4 completed, 173.750.000 đ.
    dashboard(
        [
            ("completed", "4"),
            ("awaiting_approval", "1"),
            ("awaiting_acceptance", "0"),
            ("actual_value", "173.750.000 đ"),
            ("completion_rate", "57,1%"),
        ],
        "at first",
    );
    let id = fx.item(4);
    assert_eq!(
        reviewer
            .post_form_csrf(&format!("/initiatives/{id}/approve"), &[])
            .status,
        303
    );
    dashboard(
        [
            ("completed", "4"),
            ("awaiting_approval", "0"),
            ("awaiting_acceptance", "0"),
            ("actual_value", "173.750.000 đ"),
            ("completion_rate", "57,1%"),
        ],
        "approved",
    );
    let page = secretary.post_multipart_csrf(
        &format!("/initiatives/{id}/report"),
        &report_parts(
            "21.000.000",
            "30/11/2022",
            "Tiếp 52 buổi.",
            &[pdf_part("bb.pdf")],
        ),
    );
    assert_eq!(page.status, 303, "{}", page.body);
    dashboard(
        [
            ("completed", "4"),
            ("awaiting_approval", "0"),
            ("awaiting_acceptance", "1"),
            ("actual_value", "173.750.000 đ"),
            ("completion_rate", "57,1%"),
        ],
        "reported",
    );
    let reported = stats("reported");
    assert_eq!(reported["completed"], 4);
    assert_eq!(reported["actual_value_vnd"], 173_750_000);
    assert_eq!(reported["awaiting_acceptance"], 1);
    assert_eq!(reported["awaiting_approval"], 0);

    assert_eq!(
        reviewer
            .post_form_csrf(&format!("/initiatives/{id}/accept"), &[])
            .status,
        303
    );
    dashboard(
        [
            ("completed", "5"),
            ("awaiting_approval", "0"),
            ("awaiting_acceptance", "0"),
            // 173.750.000 + 21.000.000
            ("actual_value", "194.750.000 đ"),
            ("completion_rate", "71,4%"), // 5 / 7
        ],
        "accepted",
    );
    let accepted = stats("accepted");
    assert_eq!(accepted["completed"], 5);
    assert_eq!(accepted["actual_value_vnd"], 194_750_000);
    assert_eq!(accepted["awaiting_acceptance"], 0);
    // The list's "completed" filter follows too.
    let listed = reviewer.get("/initiatives?year=2022&status=completed");
    assert!(listed.initiative_rows().contains(&id));

    // Reopened: no longer completed, and its value no longer counts.
    assert_eq!(
        reviewer
            .post_form_csrf(
                &format!("/initiatives/{id}/reopen"),
                &[("reason", "Ghi nhầm.")]
            )
            .status,
        303
    );
    dashboard(
        [
            ("completed", "4"),
            ("awaiting_approval", "0"),
            ("awaiting_acceptance", "0"),
            ("actual_value", "173.750.000 đ"),
            ("completion_rate", "57,1%"),
        ],
        "reopened",
    );
    assert_eq!(stats("reopened")["completed"], 4);
}

#[test]
fn the_inboxes_list_what_waits_oldest_first_and_the_badges_count_it() {
    let (app, fx) = app_with_fixture();
    let secretary = app.signed_in(SEC_C2, PASSWORD);
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let other_reviewer = app.signed_in(REV_B, PASSWORD);
    let admin = app.signed_in(ADMIN, PASSWORD);
    let badge = |client: &Client, name: &str| -> Option<String> {
        let page = client.get("/dashboard");
        page.element_html(&format!("data-badge=\"{name}\""))
            .map(|html| text_of(&html))
    };

    // The fixture: #4 waits for approval.
    assert_eq!(badge(&reviewer, "review").as_deref(), Some("1"));
    assert_eq!(
        badge(&secretary, "returned"),
        None,
        "no badge when nothing is returned"
    );
    assert_eq!(
        badge(&other_reviewer, "review"),
        None,
        "bloc B has nothing waiting"
    );

    // Three registrations in order, then the first is returned and sent again: it goes
    // to the back of the queue.
    let mut ids = Vec::new();
    for title in ["Thứ nhất", "Thứ hai", "Thứ ba"] {
        let page = secretary.post_form_csrf(
            "/initiatives",
            &pairs(&with(initiative_form(fx.c2), "title", title)),
        );
        assert_eq!(page.status, 303, "{}", page.body);
        ids.push(id_from_location(&page));
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let (first, second, third) = (ids[0], ids[1], ids[2]);
    let page = reviewer.post_form_csrf(
        &format!("/initiatives/{first}/return"),
        &[("reason", "Ghi rõ địa điểm.")],
    );
    assert_eq!(page.status, 303);
    assert_eq!(badge(&secretary, "returned").as_deref(), Some("1"));
    let returned = secretary.get("/returned");
    assert_eq!(returned.initiative_rows(), [first]);
    assert!(text_of(&returned.body).contains("Lý do: Ghi rõ địa điểm."));
    assert_eq!(
        secretary
            .post_form_csrf(&format!("/initiatives/{first}/resubmit"), &[])
            .status,
        303
    );
    assert_eq!(badge(&secretary, "returned"), None);

    // A report waiting for acceptance is listed apart.
    let reported = initiative_in_state(&app, &fx, "Đã báo cáo", "pending_acceptance");

    let inbox = reviewer.get("/review");
    assert_eq!(inbox.status, 200);
    let approvals = inbox
        .element_html("aria-labelledby=\"approval-title\"")
        .map(|html| Page {
            body: html,
            ..inbox.clone()
        })
        .expect("the approvals section");
    assert_eq!(
        approvals.initiative_rows(),
        [fx.item(4), second, third, first],
        "oldest step first"
    );
    let acceptances = inbox
        .element_html("aria-labelledby=\"acceptance-title\"")
        .map(|html| Page {
            body: html,
            ..inbox.clone()
        })
        .expect("the acceptances section");
    assert_eq!(acceptances.initiative_rows(), [reported]);
    assert_eq!(
        inbox.attribute_values("data-count"),
        ["awaiting_approval", "awaiting_acceptance"]
    );
    assert_eq!(badge(&reviewer, "review").as_deref(), Some("5"));
    assert_eq!(badge(&admin, "review").as_deref(), Some("5"));

    // The other bloc's reviewer sees none of it; a secretary has no review inbox and a
    // reviewer no returned list.
    let other = other_reviewer.get("/review");
    assert_eq!(other.status, 200);
    assert!(other.initiative_rows().is_empty());
    assert_eq!(secretary.get("/review").status, 403);
    assert_eq!(reviewer.get("/returned").status, 403);
    assert_eq!(
        app.signed_in(SEC_C1, PASSWORD)
            .get("/returned")
            .initiative_rows(),
        Vec::<i32>::new()
    );
    // Signed out: sent to sign in.
    for path in ["/review", "/returned"] {
        let page = app.client().get(path);
        assert_eq!(page.status, 303, "{path}");
        assert_eq!(page.location.as_deref(), Some("/login"));
    }

    // Working through the inbox empties it.
    for id in [fx.item(4), second, third, first] {
        assert_eq!(
            reviewer
                .post_form_csrf(&format!("/initiatives/{id}/approve"), &[])
                .status,
            303
        );
    }
    assert_eq!(
        reviewer
            .post_form_csrf(&format!("/initiatives/{reported}/accept"), &[])
            .status,
        303
    );
    assert_eq!(badge(&reviewer, "review"), None);
    let inbox = reviewer.get("/review");
    assert!(inbox.initiative_rows().is_empty());
}

#[test]
fn the_review_inbox_pages_oldest_first_and_shows_each_once() {
    let (app, fx) = app_with_fixture();
    let added = register_many(&mut app.db(), fx.sec_c2, fx.c2, 2024, 70, "Chờ duyệt số");
    let section = |page: &Page, title: &str| -> Page {
        page.element_html(&format!("aria-labelledby=\"{title}\""))
            .map(|html| Page {
                body: html,
                ..page.clone()
            })
            .expect("the section")
    };
    let count = |page: &Page, name: &str| {
        page.element_html(&format!("data-count=\"{name}\""))
            .map(|html| text_of(&html))
    };
    // #4 waited first, then the seventy in the order they came.
    let expected: Vec<i32> = std::iter::once(fx.item(4)).chain(added).collect();
    for client in [
        app.signed_in(REV_A, PASSWORD),
        app.signed_in(ADMIN, PASSWORD),
    ] {
        let first = client.get("/review");
        assert_eq!(first.status, 200);
        assert_eq!(count(&first, "awaiting_approval").as_deref(), Some("71"));
        let mut pages = vec![section(&first, "approval-title")];
        for _ in 0..10 {
            let Some(link) = pages.last().and_then(|page| page.page_link("next")) else {
                break;
            };
            let page = client.get(&link);
            assert_eq!(page.status, 200, "{link}");
            assert_eq!(count(&page, "awaiting_approval").as_deref(), Some("71"));
            // The other list stays on its first page.
            assert_eq!(
                count(&page, "awaiting_acceptance").as_deref(),
                Some("0"),
                "{link}"
            );
            pages.push(section(&page, "approval-title"));
        }
        let sizes: Vec<usize> = pages
            .iter()
            .map(|page| page.initiative_rows().len())
            .collect();
        assert_eq!(sizes, [50, 21], "bounded pages");
        let seen: Vec<i32> = pages.iter().flat_map(Page::initiative_rows).collect();
        assert_eq!(seen, expected, "oldest first, each once");
        assert!(
            pages[1].page_link("first").is_some(),
            "a way back to the start"
        );
    }
    // A link not written here is a 400 with a message, on both lists.
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let secretary = app.signed_in(SEC_C2, PASSWORD);
    for (client, path) in [
        (&reviewer, "/review?approval_after=abc"),
        (&reviewer, "/review?acceptance_after=%FF"),
        (&secretary, "/returned?after=MQ"),
    ] {
        let page = client.get(path);
        assert_eq!(page.status, 400, "{path}");
        assert!(
            text_of(&page.body).contains("Liên kết chuyển trang không hợp lệ"),
            "{path}: {}",
            page.body
        );
    }
    assert_eq!(secretary.get("/returned").status, 200);
}

#[test]
fn the_returned_list_pages_both_kinds_of_return_together_oldest_first() {
    let (app, fx) = app_with_fixture();
    // Returned registrations and returned reports, alternately: one list, in the order
    // they were returned, though each kind is read on its own.
    let returned: Vec<i32> = (0..55)
        .map(|number| {
            let state = if number % 2 == 0 {
                "returned_registration"
            } else {
                "returned_completion"
            };
            initiative_in_state(&app, &fx, &format!("Bị trả lại số {number}"), state)
        })
        .collect();
    let secretary = app.signed_in(SEC_C2, PASSWORD);
    let mut pages = vec![secretary.get("/returned")];
    assert_eq!(
        pages[0]
            .element_html("data-count=\"returned\"")
            .map(|html| text_of(&html))
            .as_deref(),
        Some("55 mô hình, công trình")
    );
    for _ in 0..5 {
        let Some(link) = pages.last().and_then(|page| page.page_link("next")) else {
            break;
        };
        let page = secretary.get(&link);
        assert_eq!(page.status, 200, "{link}");
        pages.push(page);
    }
    let sizes: Vec<usize> = pages
        .iter()
        .map(|page| page.initiative_rows().len())
        .collect();
    assert_eq!(sizes, [50, 5]);
    let seen: Vec<i32> = pages.iter().flat_map(Page::initiative_rows).collect();
    assert_eq!(seen, returned, "oldest first, each once");
}

// ---------------------------------------------------------------------------------------
// CSRF on the new routes
// ---------------------------------------------------------------------------------------

#[test]
fn workflow_posts_without_a_valid_csrf_token_are_refused_and_change_nothing() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let stranger = app.client().csrf_token();
    let waiting = initiative_in_state(&app, &fx, "Chờ nghiệm thu", "pending_acceptance");
    let returned = initiative_in_state(&app, &fx, "Bị trả lại", "returned_registration");
    let before = state_of(&app);
    let routes = [
        format!("/initiatives/{}/approve", fx.item(4)),
        format!("/initiatives/{}/return", fx.item(4)),
        format!("/initiatives/{returned}/resubmit"),
        format!("/initiatives/{waiting}/accept"),
        format!("/initiatives/{}/reopen", fx.item(1)),
        format!(
            "/initiatives/{}/evidence/{}/remove",
            fx.item(1),
            app.first_evidence(fx.item(1))
        ),
        format!("/initiatives/{}/purge", fx.item(7)),
        "/deadlines".to_owned(),
        "/deadlines/reopen".to_owned(),
    ];
    // Every field any of these forms reads, so that only the token is missing.
    let bloc = fx.ka.to_string();
    let body = [
        ("reason", "Lý do."),
        ("unit", bloc.as_str()),
        ("year", "2022"),
        ("registration_deadline", "01/01/2022"),
    ];
    for path in &routes {
        assert_eq!(
            admin.post_form(path, &body).status,
            403,
            "{path} without a token"
        );
        for token in ["", "x", stranger.as_str()] {
            let mut bad = body.to_vec();
            bad.push(("csrf_token", token));
            assert_eq!(
                admin.post_form(path, &bad).status,
                403,
                "{path} with {token:?}"
            );
        }
        assert_eq!(state_of(&app), before, "{path}");
    }
    // The multipart routes: no token, a wrong one, or the file before the token.
    for path in [
        format!("/initiatives/{}/report", fx.item(3)),
        format!("/initiatives/{}/evidence", fx.item(3)),
    ] {
        let fields = report_parts("1.000.000", "01/12/2022", "Xong.", &[]);
        let file = Part::file("x.pdf", "application/pdf", &unique_pdf(&path));
        let mut no_token = fields.clone();
        no_token.push(file.clone());
        assert_eq!(admin.post_multipart(&path, &no_token).status, 403, "{path}");
        for token in ["", "x", stranger.as_str()] {
            let mut wrong = vec![Part::text("csrf_token", token)];
            wrong.extend(no_token.iter().cloned());
            assert_eq!(
                admin.post_multipart(&path, &wrong).status,
                403,
                "{path} {token:?}"
            );
        }
        let mut late = no_token.clone();
        late.push(Part::text("csrf_token", &admin.csrf_token()));
        assert_eq!(
            admin.post_multipart(&path, &late).status,
            403,
            "{path}: token after the file"
        );
        assert_eq!(state_of(&app), before, "{path}");
    }
}

#[test]
fn the_fixture_itself_went_through_the_workflow() {
    let (app, fx) = app_with_fixture();
    let state = |n: usize| {
        let item = app.initiative(fx.item(n));
        (
            item.status.as_str().to_owned(),
            item.review.as_str().to_owned(),
        )
    };
    for n in [1, 2, 6, 7, 8] {
        assert_eq!(
            state(n),
            ("completed".to_owned(), "accepted".to_owned()),
            "#{n}"
        );
        assert_eq!(app.initiative(fx.item(n)).version, 4, "#{n}");
    }
    assert_eq!(state(3), ("in_progress".to_owned(), "approved".to_owned()));
    assert_eq!(
        state(4),
        ("registered".to_owned(), "pending_approval".to_owned())
    );
    assert_eq!(state(5), ("cancelled".to_owned(), "approved".to_owned()));
    assert_eq!(state(9), ("in_progress".to_owned(), "approved".to_owned()));
    // Bloc B's was reported by its secretary and accepted by its own reviewer.
    let actor_of = |label: &str| {
        app.count_where(&format!(
            "SELECT min(actor_id)::bigint AS n FROM audit_log WHERE entity = 'initiative' \
             AND entity_id = {} AND after ->> 'review' = '{label}'",
            fx.item(8)
        ))
    };
    assert_eq!(actor_of("approved"), i64::from(fx.rev_b));
    assert_eq!(actor_of("pending_acceptance"), i64::from(fx.sec_b1));
    assert_eq!(actor_of("accepted"), i64::from(fx.rev_b));
    let page = app
        .signed_in(SEC_B1, PASSWORD)
        .get(&format!("/initiatives/{}", fx.item(8)));
    assert_eq!(page.review().as_deref(), Some("accepted"));
    assert_eq!(page.attribute_values("data-evidence").len(), 1);
}

#[test]
fn a_returned_registration_shows_its_reason_when_edited_and_is_saved_and_sent_in_one_step() {
    let (app, fx) = app_with_fixture();
    let secretary = app.signed_in(SEC_C2, PASSWORD);
    let id = initiative_in_state(&app, &fx, "Bị trả lại để sửa", "returned_registration");

    // Sent again untouched: the page warns first, and still lets it go.
    let detail = secretary.get(&format!("/initiatives/{id}"));
    assert_eq!(
        detail.select("[data-unchanged-warning]", |_| ()).len(),
        1,
        "{}",
        detail.body
    );

    let edit = secretary.get(&format!("/initiatives/{id}/edit"));
    assert!(
        text_of(&edit.body).contains("Lý do: Cần nêu rõ kết quả."),
        "the edit page says why it came back: {}",
        text_of(&edit.body)
    );
    let buttons = edit.select("button[name=then][value=resubmit]", |button| {
        button.text().collect::<String>()
    });
    assert_eq!(buttons, ["Lưu và gửi lại"]);

    let form = with(
        edit_form_of(&app, id),
        "description",
        "Kết quả: 120 hộ tham gia.",
    );
    let form = with(form, "then", "resubmit");
    let page = secretary.post_form_csrf(&format!("/initiatives/{id}"), &pairs(&form));
    assert_eq!(page.status, 303, "{}", page.body);
    let stored = app.initiative(id);
    assert_eq!(stored.description, "Kết quả: 120 hộ tham gia.");
    assert_eq!(
        stored.review.as_str(),
        "pending_approval",
        "saved and sent in one step"
    );
    let detail = secretary.follow(&page);
    assert!(text_of(&detail.body).contains("Đã lưu và gửi lại đăng ký để duyệt."));

    // Once sent, saving "and sending again" is refused and saves nothing.
    let id = initiative_in_state(&app, &fx, "Đã duyệt rồi", "approved");
    let before = app.initiative(id);
    let form = with(edit_form_of(&app, id), "description", "Đổi mô tả");
    let form = with(form, "then", "resubmit");
    let page = secretary.post_form_csrf(&format!("/initiatives/{id}"), &pairs(&form));
    assert_ne!(page.status, 303, "{}", page.body);
    assert_eq!(
        app.initiative(id).description,
        before.description,
        "nothing saved"
    );
    assert_eq!(app.review(id), "approved");
}

/// A cell under a new committee of `kind` (under the province), with a reviewer at the
/// committee and a secretary at the cell; the ids of the cell, the reviewer, the secretary.
fn cell_under(app: &TestApp, fx: &Fixture, code: &str, kind: UnitKind) -> (i32, i32, i32) {
    let mut conn = app.db();
    let committee = create_unit(
        &mut conn,
        code,
        &format!("Cấp ủy {code}"),
        kind,
        Some(fx.tu),
        false,
    );
    let cell_code = format!("{code}-CB");
    let name = format!("Chi bộ {code}");
    let cell = create_unit(
        &mut conn,
        &cell_code,
        &name,
        UnitKind::GrassrootsCell,
        Some(committee),
        true,
    );
    let mut account = |prefix: &str, role, unit| {
        let username = format!("{prefix}.{}", code.to_lowercase());
        create_user(&mut conn, &username, role, Some(unit), true)
    };
    let reviewer = account("btv", Role::Reviewer, committee);
    let secretary = account("bithu", Role::Secretary, cell);
    (cell, reviewer, secretary)
}

#[test]
fn the_secretary_reads_the_name_of_the_committee_that_reviews_their_unit() {
    let (app, fx) = app_with_fixture();
    let year = lamtheobac::domain::today_in_vietnam().year();
    let commune = cell_under(&app, &fx, "XA", UnitKind::CommuneCommittee);
    let agencies = cell_under(&app, &fx, "CQD", UnitKind::ProvinceAgenciesCommittee);
    for (username, (cell, reviewer, secretary_id), body) in [
        ("bithu.xa", commune, "Ban Thường vụ Đảng ủy xã/phường"),
        (
            "bithu.cqd",
            agencies,
            "Ban Thường vụ Đảng ủy các cơ quan Đảng tỉnh",
        ),
        (SEC_C2, (fx.c2, fx.rev_a, fx.sec_c2), "Ban Thường vụ Khối"),
    ] {
        let spec = |title| Spec {
            unit_id: cell,
            year,
            title,
            field: Field::Professional,
            status: Status::InProgress,
            estimated: 1_000_000,
            actual: None,
        };
        let returned = create_initiative(&mut app.db(), secretary_id, spec("Bị trả lại"));
        let extras = StepExtras {
            reason: Some("Cần bổ sung."),
            ..StepExtras::default()
        };
        take_step(&mut app.db(), reviewer, returned, Step::Return, extras);
        let approved = create_initiative(&mut app.db(), secretary_id, spec("Đã duyệt"));
        take_step(
            &mut app.db(),
            reviewer,
            approved,
            Step::Approve,
            StepExtras::default(),
        );

        let secretary = app.signed_in(username, PASSWORD);
        let inbox = secretary.get("/returned");
        let text = inbox.text_at("[data-reviewer-text]").unwrap_or_default();
        assert!(
            text.contains(&format!("đã bị {body} trả lại")),
            "{username}: {text}"
        );
        let detail = secretary.get(&format!("/initiatives/{approved}"));
        let text = detail.text_at("[data-reviewer-text]").unwrap_or_default();
        assert!(
            text.starts_with(&format!("{body} nghiệm thu")),
            "{username}: {text}"
        );
        if body != "Ban Thường vụ Khối" {
            assert!(
                !text_of(&detail.body).contains("Ban Thường vụ Khối"),
                "{username}"
            );
        }
        let home = secretary.get("/home");
        let waiting = home.text_at("[data-todo=returned]").unwrap_or_default();
        assert!(waiting.contains("Bị trả lại"), "{username}: {waiting}");
    }
}
