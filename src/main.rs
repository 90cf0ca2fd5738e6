//! The `lamtheobac` command: serve, migrate, create-admin, and with the default feature
//! `dev` also demo and bench-seed.

use clap::{Parser, Subcommand};

use lamtheobac::{cli, config, telemetry};

/// dev-support's sources (the `lamtheobac-dev` crate the tests use), compiled into the
/// binary: that crate depends on this package's library, so this package cannot depend
/// on it. The binary calls only the commands; the rest is for the tests.
#[cfg(feature = "dev")]
#[path = "../dev-support/src/lib.rs"]
#[allow(dead_code)]
mod dev;

#[derive(Parser)]
#[command(
    name = "lamtheobac",
    version,
    about = "Đăng ký và theo dõi mô hình, công trình \"Học tập và làm theo Bác\""
)]
struct Arguments {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the application (needs DATABASE_URL and SESSION_KEY; BIND defaults to 127.0.0.1:8080).
    Serve,
    /// Apply the database migrations (needs DATABASE_URL).
    Migrate,
    /// Create an administrator (password from LAMTHEOBAC_ADMIN_PASSWORD or a prompt).
    CreateAdmin {
        #[arg(long)]
        username: String,
    },
    #[cfg(feature = "dev")]
    /// Run the demo: the Lạng Sơn provincial agencies' bloc, 2022. Without DATABASE_URL it
    /// starts a private PostgreSQL server from the binaries installed on this machine.
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
    },
    #[cfg(feature = "dev")]
    /// Fill DATABASE_URL (created if missing) with a national-size benchmark data set: one
    /// tree under the Central Committee, initiatives over the last years. Accounts `bench`
    /// (admin) and `bench.tw` (reviewer at the root), password LAMTHEOBAC_BENCH_PASSWORD
    /// (default bench-password-2026). See BENCHMARKS.md.
    BenchSeed {
        /// Units in the tree, exactly.
        #[arg(long, default_value_t = 250_000)]
        units: u32,
        /// Initiatives in all, exactly.
        #[arg(long, default_value_t = 2_500_000)]
        initiatives: u64,
        /// Years, ending with the current one.
        #[arg(long, default_value_t = 5)]
        years: u32,
        /// Drop and create the database again if it holds data (the audit log is
        /// append-only, so it is not truncated).
        #[arg(long)]
        replace: bool,
        /// Seed of the generator: the same seed gives the same tree.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
}

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    telemetry::init();
    let arguments = Arguments::parse();
    let outcome = match arguments.command {
        Command::Serve => match config::Settings::from_env() {
            Ok(settings) => cli::serve(settings).await,
            Err(error) => Err(error.into()),
        },
        Command::Migrate => cli::migrate(),
        Command::CreateAdmin { username } => cli::create_admin(&username),
        #[cfg(feature = "dev")]
        Command::Demo { bind } => dev::commands::demo(bind).await,
        #[cfg(feature = "dev")]
        Command::BenchSeed {
            units,
            initiatives,
            years,
            replace,
            seed,
        } => dev::commands::bench_seed(units, initiatives, years, replace, seed),
    };
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("lamtheobac: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
