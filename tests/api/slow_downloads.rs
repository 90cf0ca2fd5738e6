//! Downloads are read from the database into a temporary file and sent from it at the
//! browser's pace: a person runs at most two at once (the third is refused with a
//! message), a browser that stops reading holds no database connection, and one that
//! takes nothing for the stall limit is cut off and gives its place back. Sign-in, the
//! dashboard and `/healthz` answer as usual meanwhile.
//!
//! The stalled browsers are plain sockets, so that the test decides when they read.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;

use crate::helpers::*;

const DOWNLOADS: usize = 16;
/// Rows in the big list.
const ROWS: usize = 1500;
/// Far more than the socket buffers hold together, so that a download that is not read
/// stays open (about 1,500 × 11 KB = 16 MB).
const BIG_LIST: &str = "
    INSERT INTO initiatives (year, kind, title, field, description, unit_id,
                             estimated_cost_vnd, status, start_date, due_date,
                             created_by, updated_by)
    SELECT 2022, 'model', 'Mô hình số ' || n, 'serving_people',
           rtrim(repeat('Mô tả dài của mô hình ' || n || '. ', 300)), {unit},
           1000000, 'registered', '2022-02-01', '2022-11-30', {actor}, {actor}
      FROM generate_series(1, 1500) AS n";
const TOO_MANY: &str = "Bạn đang tải hai tệp; hãy đợi một tệp xong rồi tải tiếp.";

/// Sends a GET with the session cookie and reads the status line and the headers (and
/// whatever part of the body came with them); returns the socket and the status.
fn start_download(address: &str, path: &str, cookie: &str) -> (TcpStream, u16, String) {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("read timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nCookie: lamtheobac_session={cookie}\r\n\
         Connection: close\r\n\r\n"
    )
    .expect("send the request");
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    // Until the end of the headers, at most a few kilobytes and a few seconds.
    let deadline = Instant::now() + Duration::from_secs(30);
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        assert!(
            Instant::now() < deadline,
            "no end of the headers within 30 s: {}",
            String::from_utf8_lossy(&head)
        );
        let read = stream.read(&mut buffer).expect("read the answer");
        assert!(read > 0, "the server closed the connection early");
        head.extend_from_slice(&buffer[..read]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {head:?}"));
    (stream, status, head)
}

/// Reads the rest of a short answer (the server closes it).
fn read_to_end(mut stream: TcpStream, head: String) -> String {
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).expect("read the answer");
    head + &String::from_utf8_lossy(&rest)
}

/// An application with the big list, a signed-in reviewer and the path of its CSV.
fn big_list(app: &TestApp) -> (Fixture, Client, String) {
    let fx = Fixture::build(app);
    app.db()
        .batch_execute(
            &BIG_LIST
                .replace("{unit}", &fx.c1a.to_string())
                .replace("{actor}", &fx.sec_c1.to_string()),
        )
        .expect("a big list");
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let path = format!("/exports/initiatives.csv?year=2022&unit={}", fx.ka);
    (fx, reviewer, path)
}

/// Starts `count` downloads at once with `cookie`; each browser reads the first bytes
/// and then stalls. Returns the streams that answered 200 and the other answers (with
/// how long each took).
fn start_downloads(
    app: &TestApp,
    path: &str,
    cookie: &str,
    count: usize,
) -> (Vec<TcpStream>, Vec<(u16, String, Duration)>) {
    let address = app.address.trim_start_matches("http://").to_owned();
    let started: Vec<_> = (0..count)
        .map(|_| {
            let (address, path, cookie) = (address.clone(), path.to_owned(), cookie.to_owned());
            std::thread::spawn(move || {
                let asked = Instant::now();
                let (stream, status, head) = start_download(&address, &path, &cookie);
                (stream, status, head, asked.elapsed())
            })
        })
        .collect();
    let mut streaming = Vec::new();
    let mut refused = Vec::new();
    for download in started {
        let (stream, status, head, waited) = download.join().expect("a download thread");
        if status == 200 {
            streaming.push(stream);
        } else {
            refused.push((status, read_to_end(stream, head), waited));
        }
    }
    (streaming, refused)
}

/// The rows of a CSV download of the big list.
fn rows_in(bytes: &[u8]) -> usize {
    String::from_utf8_lossy(bytes)
        .matches("Mô hình số ")
        .count()
}

/// One person opens sixteen downloads and reads none: two stream, fourteen are refused
/// at once with a message; pages and `/healthz` answer meanwhile, and with only two
/// export connections another person still downloads the whole list, since the stalled
/// downloads hold no connection while they wait.
#[test]
fn one_person_with_sixteen_unread_downloads_gets_two_and_pages_still_answer() {
    let app = TestApp::spawn_with(|settings| settings.export_pool_size = 2);
    let (_fx, reviewer, path) = big_list(&app);
    let cookie = reviewer.session_cookie().expect("a session cookie");

    let (stalled, refused) = start_downloads(&app, &path, &cookie, DOWNLOADS);
    assert_eq!(stalled.len(), 2, "two downloads per person");
    assert_eq!(refused.len(), DOWNLOADS - 2);
    let slowest = refused.iter().map(|(_, _, waited)| *waited).max();
    eprintln!("the slowest refusal took {slowest:?}");
    for (status, page, waited) in &refused {
        assert_eq!(*status, 429, "{page}");
        assert!(
            waited < &Duration::from_secs(2),
            "refused at once: {waited:?}"
        );
        assert!(
            text_of(page).contains(TOO_MANY),
            "a Vietnamese message: {page}"
        );
    }

    // While they stall, a person signs in, the dashboards and /healthz answer quickly.
    for _ in 0..3 {
        let asked = Instant::now();
        let secretary = app.signed_in(SEC_C1, PASSWORD);
        assert_eq!(secretary.get("/dashboard").status, 200);
        assert_eq!(reviewer.get("/dashboard").status, 200);
        assert_eq!(app.client().get("/healthz").status, 200);
        let took = asked.elapsed();
        assert!(took < Duration::from_secs(2), "pages took {took:?}");
        eprintln!("sign-in, two dashboards and /healthz took {took:?}");
    }

    // Another person downloads the whole list through an export connection, once the
    // stalled downloads have read theirs into their files.
    let admin = app.signed_in(ADMIN, PASSWORD);
    let complete = (0..100).find_map(|_| {
        let download = admin.download(&path);
        if download.status == 200 {
            return Some(download);
        }
        assert_eq!(
            download.status, 503,
            "only busy while the others read the database"
        );
        std::thread::sleep(Duration::from_millis(100));
        None
    });
    let download = complete.expect("the export connection comes back");
    assert_eq!(rows_in(&download.bytes), ROWS);
    eprintln!(
        "another person downloaded {} MB while the two stalled",
        download.bytes.len() / 1_000_000
    );

    // The stalled browsers go away; the person's places come back and the list
    // downloads in full.
    drop(stalled);
    let complete = (0..50).find_map(|_| {
        let download = reviewer.download(&path);
        if download.status == 200 {
            return Some(download);
        }
        std::thread::sleep(Duration::from_millis(100));
        None
    });
    let download = complete.expect("the places come back");
    assert_eq!(rows_in(&download.bytes), ROWS);
}

/// A browser that takes nothing for the stall limit (one second here, 30 by default) is
/// cut off: its file ends short, and the person can download again.
#[test]
fn a_download_nobody_reads_is_cut_off_and_gives_its_place_back() {
    let stall_limit = Duration::from_secs(1);
    let app = TestApp::spawn_with(|settings| settings.export_stall_limit = stall_limit);
    let (_fx, reviewer, path) = big_list(&app);
    let cookie = reviewer.session_cookie().expect("a session cookie");

    let stalled_at = Instant::now();
    let (stalled, refused) = start_downloads(&app, &path, &cookie, 2);
    assert_eq!((stalled.len(), refused.len()), (2, 0), "{refused:?}");
    let third = reviewer.download(&path);
    assert_eq!(third.status, 429, "a third one waits for the first two");

    // Once the limit has passed, the person's places are free again. The wait is read
    // when the first attempt that gets its file is made, not once the file has arrived:
    // reading it takes as long as the machine takes, which is not what is measured here.
    let again = (0..100).find_map(|_| {
        std::thread::sleep(Duration::from_millis(100));
        let asked_at = stalled_at.elapsed();
        let download = reviewer.download(&path);
        (download.status == 200).then_some((asked_at, download))
    });
    let (waited, again) = again.expect("the stalled downloads are cut off");
    eprintln!("places free again {waited:?} after the downloads stalled (limit {stall_limit:?})");
    assert!(waited >= stall_limit, "not before the limit: {waited:?}");
    assert!(
        waited < stall_limit + Duration::from_secs(5),
        "cut off after {waited:?}"
    );
    assert_eq!(rows_in(&again.bytes), ROWS, "a reading browser gets it all");

    // The stalled browsers find their connection closed, with part of the file only.
    for mut stream in stalled {
        let mut received = Vec::new();
        let ended = stream.read_to_end(&mut received);
        assert!(
            ended.is_ok()
                || ended
                    .as_ref()
                    .is_err_and(|error| { error.kind() == std::io::ErrorKind::ConnectionReset }),
            "the connection is closed: {ended:?}"
        );
        assert!(rows_in(&received) < ROWS, "the file ends short");
    }
}

/// While the export connection reads the database for one download (held up here by a
/// lock the test takes), another download is refused at once with a message.
#[test]
fn while_every_export_connection_reads_a_new_download_is_refused_at_once() {
    let app = TestApp::spawn_with(|settings| settings.export_pool_size = 1);
    let (fx, reviewer, path) = big_list(&app);
    let mut conn = app.db();
    conn.batch_execute("BEGIN; LOCK TABLE initiatives IN ACCESS EXCLUSIVE MODE;")
        .expect("lock the initiatives");
    let first = std::thread::spawn(move || reviewer.download(&path).status);
    let held = (0..200).any(|_| {
        std::thread::sleep(Duration::from_millis(25));
        app.count_where(
            "SELECT count(*) AS n FROM pg_locks \
             WHERE relation = 'initiatives'::regclass AND NOT granted \
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        ) > 0
    });
    assert!(held, "the first download waits on the lock");

    let admin = app.signed_in(ADMIN, PASSWORD);
    let asked = Instant::now();
    let refused = admin.download(&format!(
        "/exports/initiatives.csv?year=2022&unit={}",
        fx.c1
    ));
    let waited = asked.elapsed();
    assert_eq!(refused.status, 503);
    assert!(
        waited < Duration::from_secs(2),
        "refused at once: {waited:?}"
    );
    assert!(
        text_of(&String::from_utf8_lossy(&refused.bytes))
            .contains("Đang có nhiều người tải tệp cùng lúc"),
        "a Vietnamese message"
    );

    conn.batch_execute("COMMIT").expect("release the lock");
    assert_eq!(first.join().expect("the first download"), 200);
}

/// When every connection of the pool is taken (here by requests waiting on a lock the
/// test holds), another page answers 503 with a message within a few seconds instead
/// of hanging; the waiting requests answer once the lock goes.
#[test]
fn with_every_connection_taken_a_page_answers_503_within_seconds() {
    let (app, _fx) = app_with_fixture();
    let people: Vec<Client> = (0..5).map(|_| app.signed_in(REV_A, PASSWORD)).collect();
    let mut conn = app.db();
    conn.batch_execute("BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE;")
        .expect("lock the accounts");
    let mut people = people.into_iter();
    // The test application's pool has four connections.
    let held: Vec<_> = people
        .by_ref()
        .take(4)
        .map(|person| std::thread::spawn(move || person.get("/dashboard").status))
        .collect();
    let all_waiting = (0..200).any(|_| {
        std::thread::sleep(Duration::from_millis(25));
        app.count_where(
            "SELECT count(*) AS n FROM pg_locks \
             WHERE relation = 'users'::regclass AND NOT granted \
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        ) == 4
    });
    assert!(all_waiting, "four requests hold the four connections");

    let last = people.next().expect("a fifth person");
    let asked = Instant::now();
    let page = last.get("/dashboard");
    let waited = asked.elapsed();
    assert_eq!(page.status, 503, "{}", page.body);
    assert!(waited < Duration::from_secs(8), "answered after {waited:?}");
    assert!(
        text_of(&page.body).contains("Hệ thống tạm thời không kết nối được cơ sở dữ liệu"),
        "{}",
        page.body
    );

    conn.batch_execute("COMMIT").expect("release the lock");
    for request in held {
        assert_eq!(request.join().expect("a request thread"), 200);
    }
}

/// A moment when every connection is busy is waited out: a page asked then answers once
/// a connection is free, as long as that comes within the 5 s a request waits (the
/// quick 503 is for a database that cannot be reached, not for a busy one).
#[test]
fn a_page_asked_while_every_connection_is_busy_for_a_moment_answers_once_one_is_free() {
    let (app, _fx) = app_with_fixture();
    let people: Vec<Client> = (0..5).map(|_| app.signed_in(REV_A, PASSWORD)).collect();
    let mut conn = app.db();
    conn.batch_execute("BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE;")
        .expect("lock the accounts");
    let mut people = people.into_iter();
    let held: Vec<_> = people
        .by_ref()
        .take(4)
        .map(|person| std::thread::spawn(move || person.get("/dashboard").status))
        .collect();
    let all_waiting = (0..200).any(|_| {
        std::thread::sleep(Duration::from_millis(25));
        app.count_where(
            "SELECT count(*) AS n FROM pg_locks \
             WHERE relation = 'users'::regclass AND NOT granted \
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        ) == 4
    });
    assert!(all_waiting, "four requests hold the four connections");

    let last = people.next().expect("a fifth person");
    let asked = Instant::now();
    let fifth = std::thread::spawn(move || last.get("/dashboard").status);
    std::thread::sleep(Duration::from_millis(2500));
    conn.batch_execute("COMMIT").expect("release the lock");
    assert_eq!(fifth.join().expect("the fifth request"), 200);
    let waited = asked.elapsed();
    assert!(waited < Duration::from_secs(5), "answered after {waited:?}");
    for request in held {
        assert_eq!(request.join().expect("a request thread"), 200);
    }
}
