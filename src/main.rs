//! The `lamtheobac` command: serve, migrate, create-admin, demo.

use clap::{Parser, Subcommand};

use lamtheobac::{cli, config, telemetry};

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
    /// Run the demo: the Lạng Sơn provincial agencies' bloc, 2022. Without DATABASE_URL it
    /// starts a private PostgreSQL server from the binaries installed on this machine.
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
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
        Command::Demo { bind } => cli::demo(bind).await,
    };
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("lamtheobac: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
