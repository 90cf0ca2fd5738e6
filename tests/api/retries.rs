//! Writes that PostgreSQL rolls back because of a concurrent transaction (a deadlock
//! victim, SQLSTATE 40P01, or a serialization failure, 40001) are tried again; when
//! they keep failing the person gets their form back with a 503 and a message, and
//! nothing is stored.
//!
//! The failures are made deterministic by a test-only trigger in the test's own
//! database that fails the first N writes. The count is a sequence, not a table row:
//! `nextval` is never rolled back, so it survives the failed attempts.

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::helpers::*;

const BUSY: &str = "Hệ thống đang bận, thay đổi của bạn chưa được lưu. Hãy gửi lại.";

/// Makes every INSERT or UPDATE of `table` fail with SQLSTATE `code` the first
/// `failures` times, after the row was written (and the roll-up triggers ran: the
/// trigger's name sorts last).
fn fail_writes(conn: &mut PgConnection, table: &str, code: &str, failures: i64) {
    conn.batch_execute(&format!(
        "CREATE SEQUENCE test_attempts;
         CREATE FUNCTION test_fail_first_writes() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
             IF nextval('test_attempts') <= {failures} THEN
                 RAISE EXCEPTION USING ERRCODE = '{code}';
             END IF;
             RETURN NULL;
         END $$;
         CREATE TRIGGER zz_test_fail AFTER INSERT OR UPDATE ON {table}
             FOR EACH ROW EXECUTE FUNCTION test_fail_first_writes();"
    ))
    .expect("install the failing trigger");
}

/// How many times the failing trigger ran (one per attempt).
fn attempts(app: &TestApp) -> i64 {
    app.count_where("SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM test_attempts")
}

/// The bloc A dashboard of 2022: registered and estimated cost.
fn bloc_figures(app: &TestApp, fx: &Fixture) -> (String, String) {
    let page = app
        .signed_in(REV_A, PASSWORD)
        .get(&format!("/dashboard?year=2022&unit={}", fx.ka));
    assert_eq!(page.status, 200);
    let figure = |name| page.figure(name).expect("a figure");
    (figure("registered"), figure("estimated_cost"))
}

#[test]
fn a_registration_goes_through_after_deadlocks_and_serialization_failures() {
    for code in ["40P01", "40001"] {
        let (app, fx) = app_with_fixture();
        let before = bloc_figures(&app, &fx);
        assert_eq!(before, ("7".to_owned(), "216.000.000 đ".to_owned()));
        let count = app.count("initiatives");
        fail_writes(&mut app.db(), "initiatives", code, 3);

        let title = format!("Mô hình bền bỉ {code}");
        let form = with(initiative_form(fx.c1a), "title", &title);
        let page = app
            .signed_in(SEC_C1, PASSWORD)
            .post_form_csrf("/initiatives", &pairs(&form));
        assert_eq!(page.status, 303, "{code}: {}", page.body);
        let id = id_from_location(&page);

        assert_eq!(attempts(&app), 4, "{code}: three failures, then the write");
        assert_eq!(app.count("initiatives"), count + 1, "{code}: stored once");
        assert_eq!(app.initiative(id).title, title);
        assert_eq!(
            app.audit_count(id),
            1,
            "{code}: one registration on the record"
        );
        // Only the attempt that went through counts: 6.000.000 đ more, one more registered.
        assert_eq!(
            bloc_figures(&app, &fx),
            ("8".to_owned(), "222.000.000 đ".to_owned()),
            "{code}"
        );
    }
}

#[test]
fn a_registration_that_keeps_failing_comes_back_as_typed_with_503() {
    let (app, fx) = app_with_fixture();
    let count = app.count("initiatives");
    fail_writes(&mut app.db(), "initiatives", "40P01", 1_000);

    let title = "Mô hình \"Tổ tự quản\" <đêm>";
    let form = with(
        with(initiative_form(fx.c1a), "title", title),
        "estimated_cost_vnd",
        "7.500.000",
    );
    let started = Instant::now();
    let page = app
        .signed_in(SEC_C1, PASSWORD)
        .post_form_csrf("/initiatives", &pairs(&form));
    assert_eq!(page.status, 503, "{}", page.body);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the retries are short"
    );
    assert!(text_of(&page.body).contains(BUSY), "{}", page.body);
    assert!(keeps_value(&page, title), "the title as typed");
    assert!(keeps_value(&page, "7.500.000"), "the cost as typed");
    assert!(
        page.body.contains("name=\"csrf_token\""),
        "a form to send again"
    );

    assert_eq!(attempts(&app), 5, "tried five times in all");
    assert_eq!(app.count("initiatives"), count, "nothing stored");
    assert_eq!(
        bloc_figures(&app, &fx),
        ("7".to_owned(), "216.000.000 đ".to_owned())
    );
}

#[test]
fn a_return_that_keeps_failing_keeps_its_reason_and_changes_nothing() {
    let (app, fx) = app_with_fixture();
    let form = with(initiative_form(fx.c2), "title", "Chợ không dùng tiền mặt");
    let page = app
        .signed_in(SEC_C2, PASSWORD)
        .post_form_csrf("/initiatives", &pairs(&form));
    assert_eq!(page.status, 303, "{}", page.body);
    let id = id_from_location(&page);
    fail_writes(&mut app.db(), "initiatives", "40001", 1_000);

    let reason = "Chưa nêu số hộ kinh doanh <tham gia>.";
    let page = app
        .signed_in(REV_A, PASSWORD)
        .post_form_csrf(&format!("/initiatives/{id}/return"), &[("reason", reason)]);
    assert_eq!(page.status, 503, "{}", page.body);
    assert!(text_of(&page.body).contains(BUSY), "{}", page.body);
    assert!(keeps_value(&page, reason), "the reason as typed");
    assert_eq!(app.review(id), "pending_approval", "not returned");
    assert_eq!(
        app.audit_count(id),
        1,
        "only the registration on the record"
    );
}

#[test]
fn a_new_unit_that_keeps_failing_comes_back_as_typed_with_503() {
    let (app, fx) = app_with_fixture();
    let count = app.count("units");
    fail_writes(&mut app.db(), "units", "40P01", 1_000);

    let form = [
        ("code", "CB-MOI".to_owned()),
        ("name", "Chi bộ Phòng Mới".to_owned()),
        ("kind", "grassroots_cell".to_owned()),
        ("parent_id", fx.c1.to_string()),
        ("active", "on".to_owned()),
    ];
    let page = app
        .signed_in(ADMIN, PASSWORD)
        .post_form_csrf("/admin/units", &pairs(&form));
    assert_eq!(page.status, 503, "{}", page.body);
    assert!(text_of(&page.body).contains(BUSY), "{}", page.body);
    assert!(keeps_value(&page, "CB-MOI"));
    assert!(keeps_value(&page, "Chi bộ Phòng Mới"));
    assert_eq!(app.count("units"), count, "nothing stored");
}

/// A real deadlock, not a raised code: the registration's transaction takes advisory
/// lock 1 and then waits for 2, which this test holds while it asks for 1. PostgreSQL
/// picks the registration as the victim (this side waits ten times longer before it
/// looks for deadlocks); the app tries again and the second attempt goes through.
#[test]
fn a_registration_chosen_as_a_deadlock_victim_goes_through() {
    let (app, fx) = app_with_fixture();
    let count = app.count("initiatives");
    let mut conn = app.db();
    conn.batch_execute(
        "CREATE FUNCTION test_lock_one_then_two() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
             PERFORM pg_advisory_xact_lock(1);
             PERFORM pg_advisory_xact_lock(2);
             RETURN NULL;
         END $$;
         CREATE TRIGGER zz_test_locks AFTER INSERT ON initiatives
             FOR EACH ROW EXECUTE FUNCTION test_lock_one_then_two();
         SET deadlock_timeout = '10s';
         SELECT pg_advisory_lock(2);",
    )
    .expect("hold lock 2");

    let client = app.signed_in(SEC_C1, PASSWORD);
    let form = with(initiative_form(fx.c1a), "title", "Mô hình qua bế tắc");
    let registration =
        std::thread::spawn(move || client.post_form_csrf("/initiatives", &pairs(&form)));

    // Wait (bounded) until the registration holds lock 1 and waits for lock 2.
    let waiting = (0..200).any(|_| {
        std::thread::sleep(Duration::from_millis(25));
        app.count_where(
            "SELECT count(*) AS n FROM pg_locks \
             WHERE locktype = 'advisory' AND objid = 2 AND NOT granted \
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        ) == 1
    });
    assert!(waiting, "the registration waits for lock 2");
    // Now the cycle closes; the registration's backend finds it and gives way.
    conn.batch_execute("SELECT pg_advisory_lock(1); SELECT pg_advisory_unlock_all();")
        .expect("lock 1 once the victim gave way");

    let page = registration.join().expect("the registration thread");
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(app.count("initiatives"), count + 1, "stored once");
    assert_eq!(
        app.initiative(id_from_location(&page)).title,
        "Mô hình qua bế tắc"
    );
}

#[test]
fn deadlines_that_keep_failing_come_back_as_typed_with_503() {
    let (app, fx) = app_with_fixture();
    let count = app.count("deadlines");
    fail_writes(&mut app.db(), "deadlines", "40P01", 1_000);

    let page = app.signed_in(REV_A, PASSWORD).post_form_csrf(
        "/deadlines",
        &[
            ("unit", &fx.ka.to_string()),
            ("year", "2022"),
            ("registration_deadline", "31/03/2022"),
            ("reporting_deadline", "15/12/2022"),
        ],
    );
    assert_eq!(page.status, 503, "{}", page.body);
    assert!(text_of(&page.body).contains(BUSY), "{}", page.body);
    assert!(keeps_value(&page, "31/03/2022"));
    assert!(keeps_value(&page, "15/12/2022"));
    assert_eq!(app.count("deadlines"), count, "nothing stored");
}
