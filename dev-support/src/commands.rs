//! `lamtheobac demo` and `lamtheobac bench-seed`: what the binary runs for them.

use diesel::RunQueryDsl;

use lamtheobac::cli::{CliResult, connect, database_url};
use lamtheobac::config::{self, Settings};
use lamtheobac::evidence::EvidenceStore;
use lamtheobac::{Application, auth, db};

use super::private_postgres::PrivatePostgres;
use super::{bench_seed, demo};

/// Whom the demo's sign-in page sends a forgotten password to.
const DEMO_SUPPORT_CONTACT: &str =
    "Văn phòng Đảng ủy Khối các cơ quan tỉnh, điện thoại 0205 3812 345 (số demo).";

/// `demo`: a ready-to-try installation with the article's data.
pub async fn demo(bind: String) -> CliResult {
    let demo_password = std::env::var("LAMTHEOBAC_DEMO_PASSWORD")
        .ok()
        .filter(|password| !password.is_empty())
        .unwrap_or_else(|| demo::DEFAULT_PASSWORD.to_owned());
    // Keep the private server alive for as long as the application runs.
    let mut private_server = None;
    let database_url = match std::env::var("DATABASE_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
    {
        Some(url) => url,
        None => {
            println!(
                "Đang khởi động PostgreSQL riêng cho bản demo… / Starting a private PostgreSQL server…"
            );
            let server = PrivatePostgres::start()?;
            let mut conn = connect(&server.url("postgres"))?;
            diesel::sql_query("CREATE DATABASE lamtheobac").execute(&mut conn)?;
            let url = server.url("lamtheobac");
            private_server = Some(server);
            url
        }
    };
    // Evidence files: UPLOAD_DIR if given, else a temporary folder removed at exit.
    let (demo_upload_dir, temporary_uploads) = match std::env::var("UPLOAD_DIR")
        .ok()
        .filter(|dir| !dir.trim().is_empty())
    {
        Some(dir) => (std::path::PathBuf::from(dir), false),
        None => (
            std::env::temp_dir().join(format!("lamtheobac-demo-uploads-{}", std::process::id())),
            true,
        ),
    };

    let evidence = EvidenceStore::new(&demo_upload_dir, config::DEFAULT_MAX_UPLOAD_BYTES)?;
    let mut conn = connect(&database_url)?;
    db::migrate(&mut conn)?;
    if demo::is_seeded(&mut conn)? {
        demo::sample_evidence(&evidence)?;
        println!(
            "Cơ sở dữ liệu đã có dữ liệu demo; dùng lại. / The database holds the demo already; serving it."
        );
    } else if demo::is_empty(&mut conn)? {
        let summary = demo::seed(&mut conn, &demo_password, &evidence)?;
        println!(
            "Đã tạo dữ liệu demo: {} đơn vị, {} tài khoản, {} mô hình, công trình.",
            summary.units,
            summary.users.len(),
            summary.initiatives
        );
    } else {
        return Err(
            "DATABASE_URL points at a database that holds other data; the demo only seeds an \
                    empty database (or one it seeded before). Point it at a new, empty database."
                .into(),
        );
    }
    drop(conn);

    let settings = Settings {
        database_url,
        session_key: config::random_session_key(),
        bind,
        cookie_secure: false,
        pool_size: 8,
        export_pool_size: config::DEFAULT_EXPORT_POOL_SIZE,
        workers: None,
        upload_dir: demo_upload_dir.clone(),
        max_upload_bytes: config::DEFAULT_MAX_UPLOAD_BYTES,
        reports: config::ReportSettings::from_env()?,
        export_stall_limit: config::DEFAULT_EXPORT_STALL_LIMIT,
        database_wait: None,
        session_limits: config::SessionLimits::from_env()?,
        clock: lamtheobac::clock::Clock::default(),
        trusted_proxies: Default::default(),
        sign_in_limits: Default::default(),
        hashing: auth::hashing::HashingLimits::for_this_machine(),
        // The demo's own contact, unless SUPPORT_CONTACT says otherwise.
        support_contact: match config::SupportContact::from_env() {
            set if set.contact().is_some() => set,
            _ => config::SupportContact::new(Some(DEMO_SUPPORT_CONTACT)),
        },
    };
    let pool = db::pool(&settings.database_url, settings.pool_size);
    let application = Application::build(&settings, pool)?;
    let host = settings
        .bind
        .rsplit_once(':')
        .map_or("127.0.0.1", |(host, _)| host);
    let host = if host == "0.0.0.0" || host.is_empty() {
        "127.0.0.1"
    } else {
        host
    };
    let address = format!("http://{host}:{}", application.port());
    println!();
    println!("  lamtheobac – bản demo đang chạy tại {address}/");
    println!("  Bảng tổng hợp năm 2022 của Đảng ủy Khối: {address}/dashboard?year=2022");
    println!();
    println!("  Đăng nhập (mật khẩu: {demo_password}):");
    println!("    admin   – Quản trị hệ thống");
    println!("    khoi    – Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh");
    println!("    stc, syt, stp, dtn-khoi … – Bí thư của từng đơn vị (mã đơn vị viết thường)");
    println!();
    println!("  Dừng bằng Ctrl+C.");
    application.run().await?;
    drop(private_server);
    if temporary_uploads {
        let _ = std::fs::remove_dir_all(&demo_upload_dir);
    }
    Ok(())
}

/// `bench-seed`: the benchmark data set in DATABASE_URL (see [`bench_seed`]), with the
/// bench accounts' password from LAMTHEOBAC_BENCH_PASSWORD.
pub fn bench_seed(units: u32, initiatives: u64, years: u32, replace: bool, seed: u64) -> CliResult {
    let password = std::env::var("LAMTHEOBAC_BENCH_PASSWORD")
        .ok()
        .filter(|password| !password.is_empty())
        .unwrap_or_else(|| bench_seed::DEFAULT_PASSWORD.to_owned());
    let options = bench_seed::Options {
        units,
        initiatives,
        years,
        replace,
        password,
        seed,
    };
    let summary = bench_seed::run(&database_url()?, &options, &mut |line| println!("{line}"))?;
    println!(
        "Xong / done in {:.1} s: {} units (root id {}), {} initiatives over {} years; \
         sign in as {} or {} (LAMTHEOBAC_BENCH_PASSWORD, default {:?}).",
        summary.seconds,
        summary.units,
        summary.root_id,
        summary.initiatives.iter().map(|(_, n)| n).sum::<i64>(),
        summary.initiatives.len(),
        bench_seed::ADMIN_USERNAME,
        bench_seed::REVIEWER_USERNAME,
        bench_seed::DEFAULT_PASSWORD,
    );
    Ok(())
}
