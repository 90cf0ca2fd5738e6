//! The sign-in throttle (per account as typed, per client address), `X-Forwarded-For`
//! behind trusted proxies, the admin page of failures, and the bounded hashing path:
//! a full queue says "busy", and a storm of wrong passwords stays within the memory bound.

use std::time::Duration;

use diesel::RunQueryDsl;
use lamtheobac::auth::hashing::HashingLimits;
use lamtheobac::config::Settings;
use lamtheobac::domain::throttle::{ACCOUNT, ADDRESS, Limits};

use crate::helpers::*;

const WRONG: &str = "mat-khau-sai-roi";
const WRONG_CREDENTIALS: &str = "Tên đăng nhập hoặc mật khẩu không đúng.";
const THROTTLED: &str = "Đã nhập sai quá nhiều lần";
const BUSY: &str = "Hệ thống đang bận, hãy thử lại sau giây lát.";

/// The real limits, but waits that start at a minute (instead of a second), so that
/// the next attempt surely comes while the wait lasts, however slow the machine.
fn minute_waits(settings: &mut Settings) {
    settings.sign_in_limits = Limits {
        account: lamtheobac::domain::throttle::Limit {
            first_delay: Duration::from_secs(60),
            ..ACCOUNT
        },
        address: lamtheobac::domain::throttle::Limit {
            first_delay: Duration::from_secs(60),
            ..ADDRESS
        },
    };
}

/// Moves every logged attempt `seconds` into the past, as if that time had gone by.
fn time_passes(app: &TestApp, seconds: u32) {
    diesel::sql_query(format!(
        "UPDATE sign_in_events SET at = at - interval '{seconds} seconds'"
    ))
    .execute(&mut app.db())
    .expect("move the log back in time");
}

fn retry_after(page: &Page) -> u64 {
    page.header("retry-after")
        .and_then(|value| value.parse().ok())
        .unwrap_or_else(|| {
            panic!(
                "a numeric Retry-After on a {}: {:?}",
                page.status, page.headers
            )
        })
}

/// Five wrong passwords on `username`, each refused as wrong.
fn five_failures(client: &Client, username: &str) {
    for attempt in 1..=5 {
        let page = client.sign_in(username, WRONG);
        assert_eq!(
            page.status, 422,
            "{username}, attempt {attempt}: {}",
            page.body
        );
        assert!(page.body.contains(WRONG_CREDENTIALS), "{}", page.body);
    }
}

#[test]
fn the_sixth_wrong_password_waits_and_so_does_the_right_one_until_the_wait_is_over() {
    let app = TestApp::spawn_with(minute_waits);
    let _fx = Fixture::build(&app);
    let client = app.client();
    five_failures(&client, SEC_C1);

    let page = client.sign_in(SEC_C1, WRONG);
    assert_eq!(page.status, 429, "{}", page.body);
    assert!(page.body.contains(THROTTLED), "{}", page.body);
    assert!(
        keeps_value(&page, SEC_C1),
        "the username stays in the field"
    );
    let wait = retry_after(&page);
    assert!((1..=60).contains(&wait), "Retry-After {wait}");

    // The right password waits too, and is not checked: no session starts.
    let page = client.sign_in(SEC_C1, PASSWORD);
    assert_eq!(page.status, 429, "{}", page.body);
    assert!(retry_after(&page) <= wait);
    assert!(!client.is_signed_in());
    assert_eq!(
        app.count_where(
            "SELECT count(*) AS n FROM sign_in_events WHERE outcome = 'failure' AND username = 'bithu.c1'"
        ),
        5,
        "throttled attempts are no failures"
    );

    // Once the wait is over the owner gets in, and the slate is clean again.
    time_passes(&app, 61);
    assert_eq!(client.sign_in(SEC_C1, PASSWORD).status, 303);
    client.sign_out();
    // A success cleared the account's failures: five more are free again.
    five_failures(&client, SEC_C1);
    assert_eq!(client.sign_in(SEC_C1, WRONG).status, 429);
}

#[test]
fn the_current_password_on_the_change_form_is_throttled_like_a_sign_in() {
    let app = TestApp::spawn_with(minute_waits);
    let _fx = Fixture::build(&app);
    let client = app.signed_in(SEC_C1, PASSWORD);
    let change = |current: &str| {
        client.post_form_csrf(
            "/account/password",
            &[
                ("current_password", current),
                ("new_password", "Hoa sữa nở cuối thu"),
                ("confirm_password", "Hoa sữa nở cuối thu"),
            ],
        )
    };
    for attempt in 1..=5 {
        let page = change(WRONG);
        assert_eq!(page.status, 422, "attempt {attempt}: {}", page.body);
        assert_eq!(page.field_errors(), ["current_password"]);
    }
    // A stolen session guesses no faster than the sign-in page: the sixth waits, and so
    // does the right password, which changes nothing meanwhile.
    for current in [WRONG, PASSWORD] {
        let page = change(current);
        assert_eq!(page.status, 429, "{}", page.body);
        assert!(retry_after(&page) >= 1);
        let message = page.field_error("current_password").unwrap_or_default();
        assert!(message.contains("quá nhiều lần"), "{message}");
    }
    // They are the account's failures: signing in waits as well.
    assert_eq!(app.client().sign_in(SEC_C1, PASSWORD).status, 429);
    // Once the wait is over the right password changes it.
    time_passes(&app, 61);
    assert_eq!(change(PASSWORD).status, 303);
    assert_eq!(
        app.client().sign_in(SEC_C1, "Hoa sữa nở cuối thu").status,
        303
    );
}

#[test]
fn unknown_usernames_are_throttled_exactly_like_known_ones() {
    let app = TestApp::spawn_with(minute_waits);
    let _fx = Fixture::build(&app);
    let client = app.client();
    five_failures(&client, SEC_C1);
    five_failures(&client, "khong.ai.ca");
    let known = client.sign_in(SEC_C1, WRONG);
    let unknown = client.sign_in("Khong.Ai.Ca ", WRONG);
    assert_eq!(known.status, 429);
    assert_eq!(unknown.status, 429, "{}", unknown.body);
    // The same page but for the username typed and the wait, which each key counts
    // from its own last failure.
    let shown = |page: &Page, typed: &str| {
        let body = page.body.replace(typed, "USERNAME");
        let wait_start = body.find("hãy chờ ").expect("the wait in the message");
        let wait_end = wait_start + body[wait_start..].find(" rồi").expect("the message's end");
        format!("{}{}", &body[..wait_start], &body[wait_end..])
    };
    assert_eq!(
        shown(&known, SEC_C1),
        shown(&unknown, "Khong.Ai.Ca"),
        "nothing tells a known account from an unknown one"
    );
    for page in [&known, &unknown] {
        assert!((1..=60).contains(&retry_after(page)));
    }
}

#[test]
fn one_account_s_failures_block_another_only_at_the_address_s_own_threshold() {
    let app = TestApp::spawn_with(minute_waits);
    let _fx = Fixture::build(&app);
    let client = app.client();
    five_failures(&client, SEC_C1);
    assert_eq!(client.sign_in(SEC_C1, WRONG).status, 429);

    // Same address, another account: not held back by the first one's failures.
    assert_eq!(client.sign_in(SEC_C2, PASSWORD).status, 303);
    client.sign_out();

    // Up to twenty failures from this address (5 + 15) across accounts…
    for username in [SEC_C2, SEC_B1, REV_A] {
        five_failures(&client, username);
    }
    assert_eq!(
        app.count_where("SELECT count(*) AS n FROM sign_in_events WHERE outcome = 'failure'"),
        i64::from(ADDRESS.free_failures)
    );
    // …and then every account waits from here, even one without failures of its own.
    let page = client.sign_in(ADMIN, PASSWORD);
    assert_eq!(page.status, 429, "{}", page.body);
    assert!(retry_after(&page) > 0);
    assert!(!client.is_signed_in());

    time_passes(&app, 61);
    assert_eq!(client.sign_in(ADMIN, PASSWORD).status, 303);
}

#[test]
fn x_forwarded_for_counts_only_behind_a_trusted_proxy() {
    let three_per_address = |settings: &mut Settings| {
        minute_waits(settings);
        settings.sign_in_limits.address.free_failures = 3;
    };
    let fail_three_times = |client: &Client| {
        for username in ["mot", "hai", "ba"] {
            let page = client.sign_in_forwarded_for(username, WRONG, "203.0.113.1");
            assert_eq!(page.status, 422, "{}", page.body);
        }
    };

    // Without TRUSTED_PROXIES the header is the client's own word: ignored.
    let app = TestApp::spawn_with(three_per_address);
    let (first, second) = (app.client(), app.client());
    fail_three_times(&first);
    let page = second.sign_in_forwarded_for("bon", WRONG, "198.51.100.2");
    assert_eq!(page.status, 429, "both come from 127.0.0.1: {}", page.body);
    assert_eq!(
        app.count_where("SELECT count(*) AS n FROM sign_in_events WHERE address <> '127.0.0.1'"),
        0
    );

    // Behind a trusted proxy each client address counts on its own.
    let app = TestApp::spawn_with(|settings| {
        three_per_address(settings);
        settings.trusted_proxies =
            lamtheobac::web::client_ip::TrustedProxies::parse("127.0.0.1").expect("a list");
    });
    let (first, second) = (app.client(), app.client());
    fail_three_times(&first);
    let page = first.sign_in_forwarded_for("bon", WRONG, "203.0.113.1");
    assert_eq!(page.status, 429, "{}", page.body);
    let page = second.sign_in_forwarded_for("bon", WRONG, "198.51.100.2");
    assert_eq!(page.status, 422, "another address: {}", page.body);
    // A client that writes its own header in front of the proxy's gains nothing.
    let page = first.sign_in_forwarded_for("nam", WRONG, "192.0.2.99, 203.0.113.1");
    assert_eq!(page.status, 429, "{}", page.body);
    assert_eq!(
        app.count_where(
            "SELECT count(*) AS n FROM sign_in_events WHERE address = '198.51.100.2' AND outcome = 'failure'"
        ),
        1
    );
}

#[test]
fn the_admin_page_lists_failures_and_throttles_newest_first() {
    let app = TestApp::spawn_with(minute_waits);
    let _fx = Fixture::build(&app);
    let visitor = app.client();
    five_failures(&visitor, "Ai.Do");
    assert_eq!(visitor.sign_in("ai.do", WRONG).status, 429);

    let admin = app.signed_in(ADMIN, PASSWORD);
    assert!(
        admin
            .get("/dashboard")
            .body
            .contains("href=\"/admin/sign-ins\"")
    );
    let page = admin.get("/admin/sign-ins");
    assert_eq!(page.status, 200, "{}", page.body);
    let rows = page.attribute_values("data-sign-in");
    assert_eq!(
        rows,
        [
            "throttled",
            "failure",
            "failure",
            "failure",
            "failure",
            "failure"
        ]
    );
    assert!(page.body.contains("<code>ai.do</code>"));
    assert!(page.body.contains("<code>127.0.0.1</code>"));
    assert!(page.body.contains("Bị chặn tạm thời"));
    let stamp = page
        .body
        .split("data-label=\"Thời điểm\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .map(unescape)
        .expect("a time on the first row");
    let shape: String = stamp
        .chars()
        .map(|c| if c.is_ascii_digit() { 'd' } else { c })
        .collect();
    assert_eq!(shape, "dd/dd/dddd dd:dd:dd", "{stamp}");

    for username in [SEC_C1, REV_A] {
        let client = app.signed_in(username, PASSWORD);
        assert_eq!(client.get("/admin/sign-ins").status, 403, "{username}");
    }
    assert_eq!(
        app.client().get("/admin/sign-ins").location.as_deref(),
        Some("/login")
    );
}

#[test]
fn a_full_hashing_queue_answers_busy_and_counts_no_failure() {
    let app = TestApp::spawn_with(|settings| {
        settings.hashing = HashingLimits {
            concurrency: 1,
            queue: 0,
            wait: Duration::from_secs(3),
        };
        settings.trusted_proxies =
            lamtheobac::web::client_ip::TrustedProxies::parse("127.0.0.1").expect("a list");
    });
    let start = std::sync::Arc::new(std::sync::Barrier::new(16));
    let threads: Vec<_> = (0..16)
        .map(|i| {
            let client = app.client();
            let start = std::sync::Arc::clone(&start);
            std::thread::spawn(move || {
                client.csrf_token();
                start.wait();
                client.sign_in_forwarded_for(
                    &format!("nguoi.{i}"),
                    WRONG,
                    &format!("203.0.113.{i}"),
                )
            })
        })
        .collect();
    let pages: Vec<Page> = threads
        .into_iter()
        .map(|thread| thread.join().expect("a client thread"))
        .collect();
    let busy: Vec<&Page> = pages.iter().filter(|page| page.status == 503).collect();
    let wrong = pages.iter().filter(|page| page.status == 422).count();
    assert_eq!(busy.len() + wrong, 16, "only 422 or 503");
    assert!(
        !busy.is_empty(),
        "one hash at a time, no queue: some are refused"
    );
    assert!(wrong >= 1);
    for page in busy {
        assert!(page.body.contains(BUSY), "{}", page.body);
        assert!(page.body.contains("value=\"nguoi."), "the username stays");
    }
    assert_eq!(
        app.count_where("SELECT count(*) AS n FROM sign_in_events WHERE outcome = 'failure'"),
        wrong as i64,
        "an attempt refused as busy checked nothing and counts nothing"
    );
}

/// Memory of this process, from /proc/self/status, in kB.
fn memory_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"))
}

const STORM: usize = 128;

/// Runs in a process of its own (see below), so that no other test's memory is counted:
/// the application and 128 clients that each send a wrong password at the same moment,
/// from addresses of their own, for accounts that do not exist (so that neither
/// throttle holds any back: every one goes to argon2 or is refused as busy).
#[test]
#[ignore = "run by a_storm_of_wrong_passwords_stays_within_the_memory_bound"]
fn storm_in_a_process_of_its_own() {
    if std::env::var("LAMTHEOBAC_STORM_CHILD").is_err() {
        return;
    }
    let app = TestApp::spawn_with(|settings| {
        settings.trusted_proxies =
            lamtheobac::web::client_ip::TrustedProxies::parse("127.0.0.1").expect("a list");
    });
    // Warm up: one sign-in, so that what every request needs anyway is there already.
    assert_eq!(app.client().sign_in("khoi.dong", WRONG).status, 422);
    let clients: Vec<Client> = (0..STORM).map(|_| app.client()).collect();
    for client in &clients {
        client.csrf_token();
    }
    let before = memory_kb("VmRSS:");
    // Forget the peak so far: VmHWM now follows the storm alone.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let start = std::sync::Arc::new(std::sync::Barrier::new(STORM));
    let threads: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(i, client)| {
            let start = std::sync::Arc::clone(&start);
            std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || {
                    start.wait();
                    client
                        .sign_in_forwarded_for(
                            &format!("bao.{i}"),
                            WRONG,
                            &format!("10.{}.{}.1", i / 250, i % 250),
                        )
                        .status
                })
                .expect("a client thread")
        })
        .collect();
    let statuses: Vec<u16> = threads
        .into_iter()
        .map(|thread| thread.join().expect("a client thread"))
        .collect();
    let peak = memory_kb("VmHWM:");
    std::thread::sleep(Duration::from_secs(2));
    let after = memory_kb("VmRSS:");
    let hashed = statuses.iter().filter(|status| **status == 422).count();
    let busy = statuses.iter().filter(|status| **status == 503).count();
    println!(
        "STORM before_rss_kb={before} peak_kb={peak} after_2s_rss_kb={after} hashed={hashed} busy={busy}"
    );
    assert_eq!(hashed + busy, STORM, "{statuses:?}");
}

#[test]
fn a_storm_of_wrong_passwords_stays_within_the_memory_bound() {
    let output = std::process::Command::new(std::env::current_exe().expect("this test binary"))
        .args([
            "sign_in::storm_in_a_process_of_its_own",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("LAMTHEOBAC_STORM_CHILD", "1")
        .env("DATABASE_URL", database_server_url())
        .output()
        .expect("run the storm in a child process");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let line = stdout
        .lines()
        .find_map(|line| line.find("STORM ").map(|at| &line[at..]))
        .unwrap_or_else(|| panic!("no figures from the storm: {stdout}"));
    let figure = |name: &str| -> u64 {
        line.split_whitespace()
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
            .and_then(|value| value.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {line}"))
    };
    eprintln!("{line}");
    let (before, peak) = (figure("before_rss_kb"), figure("peak_kb"));
    assert!(figure("hashed") >= 1, "{line}");
    // The whole process (test harness, application and 128 client threads) stays
    // under the bound, and the storm itself adds less than 150 MB.
    assert!(peak < 300 * 1024, "peak {peak} kB: {line}");
    assert!(peak.saturating_sub(before) < 150 * 1024, "{line}");
    // And it is given back: two seconds later the storm holds less than 100 MB.
    assert!(
        figure("after_2s_rss_kb").saturating_sub(before) < 100 * 1024,
        "{line}"
    );
}
