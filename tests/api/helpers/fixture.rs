//! Fixtures written straight through the store: units, accounts and initiatives, the
//! hand-built organisation most tests use, and initiatives walked to a review state.

use std::sync::{Mutex, OnceLock};

use chrono::NaiveDate;
use diesel::prelude::*;
use lamtheobac::domain::Scope;
use lamtheobac::domain::initiative::InitiativeDraft;
use lamtheobac::domain::workflow::{self, Step};
use lamtheobac::domain::{Field, InitiativeKind, Role, Status, UnitKind, Vnd, Year};
use lamtheobac::store;
use lamtheobac::store::evidence::NewEvidence;
use lamtheobac::store::initiatives::{CompletionReport, StepChange, StepOutcome};
use lamtheobac::store::units::UnitFields;
use lamtheobac::store::users::NewUser;

use super::harness::TestApp;

/// The password of every fixture account.
pub const PASSWORD: &str = "mat-khau-kiem-thu-1";

/// argon2 is slow on purpose: hash each password once per process.
pub fn password_hash(password: &str) -> String {
    static HASHES: OnceLock<Mutex<Vec<(String, String)>>> = OnceLock::new();
    let hashes = HASHES.get_or_init(|| Mutex::new(Vec::new()));
    let mut hashes = hashes
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, hash)) = hashes.iter().find(|(known, _)| known == password) {
        return hash.clone();
    }
    let hash = lamtheobac::auth::password::hash(password).expect("hash password");
    hashes.push((password.to_owned(), hash.clone()));
    hash
}

pub fn create_unit(
    conn: &mut PgConnection,
    code: &str,
    name: &str,
    kind: UnitKind,
    parent_id: Option<i32>,
    expected_to_register: bool,
) -> i32 {
    store::units::insert(
        conn,
        None,
        &UnitFields {
            code: code.to_owned(),
            name: name.to_owned(),
            kind,
            parent_id,
            expected_to_register,
            active: true,
        },
    )
    .expect("insert unit")
    .id
}

pub fn deactivate_unit(conn: &mut PgConnection, unit_id: i32) {
    use lamtheobac::schema::units;
    diesel::update(units::table.filter(units::id.eq(unit_id)))
        .set(units::active.eq(false))
        .execute(conn)
        .expect("deactivate unit");
}

pub fn create_user(
    conn: &mut PgConnection,
    username: &str,
    role: Role,
    unit_id: Option<i32>,
    active: bool,
) -> i32 {
    store::users::insert(
        conn,
        None,
        &NewUser {
            username: username.to_owned(),
            display_name: format!("Người dùng {username}"),
            password_hash: password_hash(PASSWORD),
            role,
            unit_id,
            active,
            must_change_password: false,
            phone: None,
            email: None,
        },
    )
    .expect("insert user")
}

/// The values of one fixture initiative; the rest is filled in by [`create_initiative`].
pub struct Spec<'a> {
    pub unit_id: i32,
    pub year: i32,
    pub title: &'a str,
    pub field: Field,
    pub status: Status,
    pub estimated: i64,
    pub actual: Option<i64>,
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// Registers an initiative straight through the store, as the registration form does:
/// it waits for approval. A completed one cannot be inserted (the database keeps
/// `completed` for accepted initiatives): use [`complete_through_workflow`].
pub fn create_initiative(conn: &mut PgConnection, actor_id: i32, spec: Spec<'_>) -> i32 {
    assert!(
        spec.status != Status::Completed,
        "a completed initiative goes through the workflow (complete_through_workflow)"
    );
    let draft = InitiativeDraft {
        year: Year::new(spec.year).expect("year"),
        kind: InitiativeKind::Model,
        title: spec.title.to_owned(),
        field: spec.field,
        description: format!("Mô tả của {}", spec.title),
        unit_id: spec.unit_id,
        estimated_cost: Vnd::new(spec.estimated).expect("money"),
        actual_value: spec.actual.map(|dong| Vnd::new(dong).expect("money")),
        status: spec.status,
        start_date: date(spec.year, 2, 1),
        due_date: date(spec.year, 11, 30),
        completion_date: None,
    };
    let unit = store::units::find_in_scope(conn, Scope::Everything, spec.unit_id)
        .expect("look the unit up")
        .expect("the unit exists");
    store::initiatives::insert(conn, actor_id, &unit, &draft).expect("insert initiative")
}

/// Registers `count` initiatives ("PREFIX 0", "PREFIX 1"…) of `year` for `unit_id`, field
/// "other", one transaction each, oldest first; returns their ids.
pub fn register_many(
    conn: &mut PgConnection,
    actor_id: i32,
    unit_id: i32,
    year: i32,
    count: usize,
    prefix: &str,
) -> Vec<i32> {
    (0..count)
        .map(|number| {
            let title = format!("{prefix} {number}");
            create_initiative(
                conn,
                actor_id,
                Spec {
                    unit_id,
                    year,
                    title: &title,
                    field: Field::Other,
                    status: Status::Registered,
                    estimated: 0,
                    actual: None,
                },
            )
        })
        .collect()
}

/// What a workflow step taken through the store carries besides the step itself.
#[derive(Default)]
pub struct StepExtras<'a> {
    pub reason: Option<&'a str>,
    pub report: Option<CompletionReport>,
    pub files: &'a [NewEvidence],
}

/// Takes one workflow step straight through the store, as `actor_id` (role and scope
/// read from the database), after checking it against the application's rules, the
/// way the handlers do. Panics if the step is refused.
pub fn take_step(
    conn: &mut PgConnection,
    actor_id: i32,
    id: i32,
    step: Step,
    extras: StepExtras<'_>,
) {
    use lamtheobac::schema::initiatives;
    let actor = store::users::find(conn, actor_id)
        .expect("query user")
        .expect("the actor exists");
    let scope = match (actor.role, actor.unit_id) {
        (Role::Admin, _) => Scope::Everything,
        (_, Some(unit_id)) => Scope::Subtree(unit_id),
        (_, None) => panic!("a non-admin without a unit"),
    };
    let item: store::initiatives::Initiative = initiatives::table
        .filter(initiatives::id.eq(id))
        .select(store::initiatives::Initiative::as_select())
        .first(conn)
        .expect("the initiative exists");
    let transition = workflow::check(
        step,
        workflow::Request {
            role: actor.role,
            actor_id,
            created_by: item.created_by,
            review: item.review,
            status: item.status,
            carried_over: initiatives::table
                .filter(initiatives::carried_from_id.eq(id))
                .count()
                .get_result::<i64>(conn)
                .expect("count carried")
                > 0,
        },
    )
    .unwrap_or_else(|refusal| panic!("{step:?} on #{id} refused: {}", refusal.message_vi()));
    let change = StepChange {
        transition,
        reason: extras.reason,
        report: extras.report.as_ref(),
        files: extras.files,
    };
    let item = store::initiatives::find_in_scope(conn, scope, id)
        .expect("find the initiative")
        .unwrap_or_else(|| panic!("#{id} is not in the actor's scope"));
    let outcome =
        store::initiatives::take_step(conn, actor_id, &item, &change).expect("take the step");
    assert_eq!(outcome, StepOutcome::Done, "{step:?} on #{id}");
}

/// A small PDF, as a scanned record of acceptance would be (the sniffer needs the header).
pub const SAMPLE_PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n\
trailer << /Root 1 0 R >>\n%%EOF\n";

/// Stores `bytes` in the application's evidence folder, as an upload would, and gives
/// the record to attach to a report.
pub fn stored_evidence(app: &TestApp, name: &str, bytes: &[u8]) -> NewEvidence {
    let file = app
        .evidence_store()
        .store_bytes(name, bytes)
        .unwrap_or_else(|error| panic!("store {name}: {error}"));
    NewEvidence {
        sha256: file.sha256,
        original_name: file.original_name,
        content_type: file.kind.mime(),
        size_bytes: i64::try_from(file.size_bytes).expect("size"),
    }
}

/// Walks an approved initiative to completion: `reporter` reports `actual` đồng on
/// `completed_on` with `files`, `reviewer` accepts.
pub fn complete_through_workflow(
    conn: &mut PgConnection,
    id: i32,
    reporter: i32,
    reviewer: i32,
    actual: i64,
    completed_on: NaiveDate,
    files: &[NewEvidence],
) {
    let report = CompletionReport {
        actual_value: Vnd::new(actual).expect("money"),
        completion_date: completed_on,
        result_summary: "Đã hoàn thành, có biên bản nghiệm thu kèm theo.".to_owned(),
    };
    take_step(
        conn,
        reporter,
        id,
        Step::Report,
        StepExtras {
            report: Some(report),
            files,
            ..StepExtras::default()
        },
    );
    take_step(conn, reviewer, id, Step::Accept, StepExtras::default());
}

/// The hand-built organisation used by most tests.
///
/// ```text
/// TU  Tỉnh ủy Thử nghiệm (province, not expected)
/// ├── KA  Đảng ủy Khối A (bloc, not expected)
/// │   ├── C1   Đảng bộ Cải cách (grassroots committee, expected)
/// │   │   ├── C1A  Chi bộ Văn phòng (attached cell, expected)
/// │   │   └── C1B  Chi bộ Kế toán (attached cell, expected)
/// │   ├── C2   Chi bộ Sở Thử (grassroots cell, expected)
/// │   ├── M    Đoàn Thanh niên Khối A (mass organisation, expected)
/// │   ├── X    Chi bộ Đã giải thể (grassroots cell, expected but INACTIVE)
/// │   └── N    Ban Đại diện (grassroots cell, NOT expected to register)
/// └── KB  Đảng ủy Khối B (bloc, not expected)
///     └── B1   Chi bộ Doanh nghiệp B (grassroots cell, expected)
/// ```
///
/// Accounts: `quantri` (admin), `bithu.c1` (secretary of C1), `bithu.c2` (of C2),
/// `bithu.b1` (of B1), `khoi.a` (reviewer of KA), `khoi.b` (reviewer of KB), and
/// `da.khoa` (secretary of C1, deactivated).
///
/// Initiatives (money in đồng), registered by `by`, reviewed by their bloc's reviewer:
///
/// | # | unit | year | status      | review           | estimated   | actual      | field           | by       |
/// |---|------|------|-------------|------------------|-------------|-------------|-----------------|----------|
/// | 1 | C1   | 2022 | completed   | accepted         | 100.000.000 | 120.000.000 | professional    | bithu.c1 |
/// | 2 | C1A  | 2022 | completed   | accepted         |  50.000.000 |  45.500.000 | admin_reform    | bithu.c1 |
/// | 3 | C1A  | 2022 | in_progress | approved         |  30.000.000 |             | social_welfare  | bithu.c1 |
/// | 4 | C2   | 2022 | registered  | pending_approval |  20.000.000 |             | serving_people  | bithu.c2 |
/// | 5 | C2   | 2022 | cancelled   | approved         |  10.000.000 |             | cultural_office | bithu.c2 |
/// | 6 | M    | 2022 | completed   | accepted         |   5.000.000 |   7.250.000 | professional    | quantri  |
/// | 7 | N    | 2022 | completed   | accepted         |   1.000.000 |   1.000.000 | other           | quantri  |
/// | 8 | B1   | 2022 | completed   | accepted         | 999.000.000 | 888.000.000 | professional    | bithu.b1 |
/// | 9 | C2   | 2023 | in_progress | approved         |   3.000.000 |             | admin_reform    | bithu.c2 |
///
/// Everything but #4 was approved by the bloc's reviewer; the completed ones were then
/// reported by whoever registered them (completion date 15/11 of the year, with the
/// same PDF as evidence, [`SAMPLE_PDF`]) and accepted by the bloc's reviewer: they went
/// through the real workflow, so each is at version 4 and has its history.
pub struct Fixture {
    pub tu: i32,
    pub ka: i32,
    pub c1: i32,
    pub c1a: i32,
    pub c1b: i32,
    pub c2: i32,
    pub m: i32,
    pub x: i32,
    pub n: i32,
    pub kb: i32,
    pub b1: i32,
    pub admin: i32,
    pub sec_c1: i32,
    pub sec_c2: i32,
    pub sec_b1: i32,
    pub rev_a: i32,
    pub rev_b: i32,
    pub locked: i32,
    /// The initiatives, in the order of the table above (index 0 is #1).
    pub items: Vec<i32>,
}

/// Usernames of the fixture accounts.
pub const ADMIN: &str = "quantri";
pub const SEC_C1: &str = "bithu.c1";
pub const SEC_C2: &str = "bithu.c2";
pub const SEC_B1: &str = "bithu.b1";
pub const REV_A: &str = "khoi.a";
pub const REV_B: &str = "khoi.b";
pub const LOCKED: &str = "da.khoa";

impl Fixture {
    pub fn build(app: &TestApp) -> Fixture {
        use Field::*;
        use Status::*;
        use UnitKind::*;
        let mut conn = app.db();
        let conn = &mut conn;
        let tu = create_unit(
            conn,
            "TU",
            "Tỉnh ủy Thử nghiệm",
            ProvinceCommittee,
            None,
            false,
        );
        let ka = create_unit(conn, "KA", "Đảng ủy Khối A", BlocCommittee, Some(tu), false);
        let c1 = create_unit(
            conn,
            "C1",
            "Đảng bộ Cải cách",
            GrassrootsCommittee,
            Some(ka),
            true,
        );
        let c1a = create_unit(
            conn,
            "C1A",
            "Chi bộ Văn phòng",
            AttachedCell,
            Some(c1),
            true,
        );
        let c1b = create_unit(conn, "C1B", "Chi bộ Kế toán", AttachedCell, Some(c1), true);
        let c2 = create_unit(conn, "C2", "Chi bộ Sở Thử", GrassrootsCell, Some(ka), true);
        let m = create_unit(
            conn,
            "M",
            "Đoàn Thanh niên Khối A",
            MassOrganization,
            Some(ka),
            true,
        );
        let x = create_unit(
            conn,
            "X",
            "Chi bộ Đã giải thể",
            GrassrootsCell,
            Some(ka),
            true,
        );
        deactivate_unit(conn, x);
        let n = create_unit(conn, "N", "Ban Đại diện", GrassrootsCell, Some(ka), false);
        let kb = create_unit(conn, "KB", "Đảng ủy Khối B", BlocCommittee, Some(tu), false);
        let b1 = create_unit(
            conn,
            "B1",
            "Chi bộ Doanh nghiệp B",
            GrassrootsCell,
            Some(kb),
            true,
        );

        let admin = create_user(conn, ADMIN, Role::Admin, None, true);
        let sec_c1 = create_user(conn, SEC_C1, Role::Secretary, Some(c1), true);
        let sec_c2 = create_user(conn, SEC_C2, Role::Secretary, Some(c2), true);
        let sec_b1 = create_user(conn, SEC_B1, Role::Secretary, Some(b1), true);
        let rev_a = create_user(conn, REV_A, Role::Reviewer, Some(ka), true);
        let rev_b = create_user(conn, REV_B, Role::Reviewer, Some(kb), true);
        let locked = create_user(conn, LOCKED, Role::Secretary, Some(c1), false);

        #[rustfmt::skip]
        let specs = [
            (sec_c1, Spec { unit_id: c1, year: 2022, title: "Cải cách thủ tục hành chính một cửa", field: Professional, status: Completed, estimated: 100_000_000, actual: Some(120_000_000) }),
            (sec_c1, Spec { unit_id: c1a, year: 2022, title: "Số hóa hồ sơ lưu trữ", field: AdminReform, status: Completed, estimated: 50_000_000, actual: Some(45_500_000) }),
            (sec_c1, Spec { unit_id: c1a, year: 2022, title: "Quỹ khuyến học", field: SocialWelfare, status: InProgress, estimated: 30_000_000, actual: None }),
            (sec_c2, Spec { unit_id: c2, year: 2022, title: "Tiếp dân ngày thứ bảy", field: ServingPeople, status: Registered, estimated: 20_000_000, actual: None }),
            (sec_c2, Spec { unit_id: c2, year: 2022, title: "Vườn hoa công sở", field: CulturalOffice, status: Cancelled, estimated: 10_000_000, actual: None }),
            (admin, Spec { unit_id: m, year: 2022, title: "Thắp sáng đường quê", field: Professional, status: Completed, estimated: 5_000_000, actual: Some(7_250_000) }),
            (admin, Spec { unit_id: n, year: 2022, title: "Tủ sách pháp luật", field: Other, status: Completed, estimated: 1_000_000, actual: Some(1_000_000) }),
            (sec_b1, Spec { unit_id: b1, year: 2022, title: "Nhà tình nghĩa Khối B", field: Professional, status: Completed, estimated: 999_000_000, actual: Some(888_000_000) }),
            (sec_c2, Spec { unit_id: c2, year: 2023, title: "Một cửa điện tử", field: AdminReform, status: InProgress, estimated: 3_000_000, actual: None }),
        ];
        let evidence = [stored_evidence(app, "bien-ban-nghiem-thu.pdf", SAMPLE_PDF)];
        let items = specs
            .into_iter()
            .map(|(actor, spec)| {
                let (status, actual, year) = (spec.status, spec.actual, spec.year);
                let reviewer = if spec.unit_id == b1 { rev_b } else { rev_a };
                let registered_as = match status {
                    Completed => InProgress,
                    other => other,
                };
                let id = create_initiative(
                    conn,
                    actor,
                    Spec {
                        status: registered_as,
                        actual: None,
                        ..spec
                    },
                );
                if status != Registered {
                    take_step(conn, reviewer, id, Step::Approve, StepExtras::default());
                }
                if status == Completed {
                    let actual = actual.expect("a completed fixture has its value");
                    complete_through_workflow(
                        conn,
                        id,
                        actor,
                        reviewer,
                        actual,
                        date(year, 11, 15),
                        &evidence,
                    );
                }
                id
            })
            .collect();
        Fixture {
            tu,
            ka,
            c1,
            c1a,
            c1b,
            c2,
            m,
            x,
            n,
            kb,
            b1,
            admin,
            sec_c1,
            sec_c2,
            sec_b1,
            rev_a,
            rev_b,
            locked,
            items,
        }
    }

    /// Initiative #n of the table (1-based, as in the documentation).
    pub fn item(&self, number: usize) -> i32 {
        self.items[number - 1]
    }
}

/// The review states, in workflow order.
pub const REVIEW_STATES: [&str; 6] = [
    "pending_approval",
    "returned_registration",
    "approved",
    "pending_acceptance",
    "returned_completion",
    "accepted",
];

/// Registers an initiative of C2 for 2022 (by its secretary, in progress) and walks it
/// straight through the store to `state`, as the bloc's reviewer and the secretary
/// would: returns carry a reason, the report carries [`SAMPLE_PDF`].
pub fn initiative_in_state(app: &TestApp, fx: &Fixture, title: &str, state: &str) -> i32 {
    let mut conn = app.db();
    let conn = &mut conn;
    let id = create_initiative(
        conn,
        fx.sec_c2,
        Spec {
            unit_id: fx.c2,
            year: 2022,
            title,
            field: Field::ServingPeople,
            status: Status::InProgress,
            estimated: 2_000_000,
            actual: None,
        },
    );
    let reason = StepExtras {
        reason: Some("Cần nêu rõ kết quả."),
        ..StepExtras::default()
    };
    let evidence = [stored_evidence(app, "bien-ban-nghiem-thu.pdf", SAMPLE_PDF)];
    let report = || StepExtras {
        report: Some(CompletionReport {
            actual_value: Vnd::new(1_500_000).expect("money"),
            completion_date: date(2022, 11, 15),
            result_summary: "Đã xong.".to_owned(),
        }),
        files: &evidence,
        ..StepExtras::default()
    };
    let approve = |conn: &mut PgConnection| {
        take_step(conn, fx.rev_a, id, Step::Approve, StepExtras::default())
    };
    match state {
        "pending_approval" => {}
        "returned_registration" => take_step(conn, fx.rev_a, id, Step::Return, reason),
        "approved" => approve(conn),
        "pending_acceptance" => {
            approve(conn);
            take_step(conn, fx.sec_c2, id, Step::Report, report());
        }
        "returned_completion" => {
            approve(conn);
            take_step(conn, fx.sec_c2, id, Step::Report, report());
            take_step(conn, fx.rev_a, id, Step::Return, reason);
        }
        "accepted" => {
            approve(conn);
            take_step(conn, fx.sec_c2, id, Step::Report, report());
            take_step(conn, fx.rev_a, id, Step::Accept, StepExtras::default());
        }
        other => panic!("no review state {other}"),
    }
    assert_eq!(app.review(id), state);
    id
}

/// An application with the hand-built fixture.
pub fn app_with_fixture() -> (TestApp, Fixture) {
    let app = TestApp::spawn();
    let fixture = Fixture::build(&app);
    (app, fixture)
}
