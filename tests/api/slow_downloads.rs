//! Downloads stream from connections of their own: sixteen browsers that start a large
//! download and then stop reading take those few connections only, the seventeenth
//! download is refused at once with a message, and sign-in and the dashboard answer as
//! usual meanwhile.
//!
//! The stalled browsers are plain sockets, so that the test decides when they read.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;

use crate::helpers::*;

const EXPORT_CONNECTIONS: u32 = 3;
const DOWNLOADS: usize = 16;
/// Far more than the socket buffers and the stream's chunks hold together, so that a
/// download that is not read stays open (about 1,500 × 11 KB = 16 MB).
const BIG_LIST: &str = "
    INSERT INTO initiatives (year, kind, title, field, description, unit_id,
                             estimated_cost_vnd, status, start_date, due_date,
                             created_by, updated_by)
    SELECT 2022, 'model', 'Mô hình số ' || n, 'serving_people',
           rtrim(repeat('Mô tả dài của mô hình ' || n || '. ', 300)), {unit},
           1000000, 'registered', '2022-02-01', '2022-11-30', {actor}, {actor}
      FROM generate_series(1, 1500) AS n";

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
    // Until the end of the headers, at most a few kilobytes.
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
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

#[test]
fn stalled_downloads_do_not_hold_up_sign_in_or_the_dashboard() {
    let app = TestApp::spawn_with(|settings| settings.export_pool_size = EXPORT_CONNECTIONS);
    let fx = Fixture::build(&app);
    app.db()
        .batch_execute(
            &BIG_LIST
                .replace("{unit}", &fx.c1a.to_string())
                .replace("{actor}", &fx.sec_c1.to_string()),
        )
        .expect("a big list");
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let cookie = reviewer.session_cookie().expect("a session cookie");
    let address = app.address.trim_start_matches("http://").to_owned();
    let path = format!("/exports/initiatives.csv?year=2022&unit={}", fx.ka);

    // Sixteen downloads at once; each browser reads the first bytes and then stalls.
    let started: Vec<_> = (0..DOWNLOADS)
        .map(|_| {
            let (address, path, cookie) = (address.clone(), path.clone(), cookie.clone());
            std::thread::spawn(move || {
                let asked = Instant::now();
                let (stream, status, head) = start_download(&address, &path, &cookie);
                (stream, status, head, asked.elapsed())
            })
        })
        .collect();
    let mut stalled = Vec::new();
    let mut refused = 0;
    for download in started {
        let (stream, status, head, waited) = download.join().expect("a download thread");
        match status {
            200 => stalled.push(stream),
            503 => {
                refused += 1;
                assert!(
                    waited < Duration::from_secs(2),
                    "refused at once: {waited:?}"
                );
                let page = read_to_end(stream, head);
                assert!(
                    page.contains("Đang có nhiều người tải tệp cùng lúc"),
                    "a Vietnamese message: {page}"
                );
            }
            other => panic!("download answered {other}: {head}"),
        }
    }
    // While they stall, a person signs in and both dashboards answer quickly.
    for _ in 0..3 {
        let asked = Instant::now();
        let secretary = app.signed_in(SEC_C1, PASSWORD);
        let page = secretary.get("/dashboard");
        assert_eq!(page.status, 200);
        let page = reviewer.get("/dashboard");
        assert_eq!(page.status, 200);
        let took = asked.elapsed();
        assert!(
            took < Duration::from_secs(2),
            "sign-in and dashboards took {took:?}"
        );
    }

    // Only as many downloads stream as there are export connections.
    assert_eq!(
        stalled.len(),
        EXPORT_CONNECTIONS as usize,
        "one per export connection"
    );
    assert_eq!(refused, DOWNLOADS - EXPORT_CONNECTIONS as usize);

    // The stalled browsers go away; their connections come back and the list downloads
    // in full.
    drop(stalled);
    let complete = (0..50).find_map(|_| {
        let download = reviewer.download(&path);
        if download.status == 200 {
            return Some(download);
        }
        std::thread::sleep(Duration::from_millis(100));
        None
    });
    let download = complete.expect("the downloads come back");
    let text = String::from_utf8_lossy(&download.bytes);
    assert_eq!(text.matches("Mô hình số ").count(), 1500);
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
