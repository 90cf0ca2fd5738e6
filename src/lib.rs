//! lamtheobac: registering and following "Học tập và làm theo Bác" models and works.
//!
//! A request enters `web`, is parsed into `domain` values, is handed with the person
//! `auth` found to one use case of `app`, which reads or writes through `store` within
//! the person's scope, and leaves through a template. [`Application::build`] is used by `main` and by the tests alike.

pub mod app;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod evidence;
pub mod exports;
pub mod imports;
pub mod schema;
pub mod store;
pub mod telemetry;
pub mod web;

use std::net::TcpListener;

use actix_session::SessionMiddleware;
use actix_session::config::PersistentSession;
use actix_session::storage::CookieSessionStore;
use actix_web::cookie::SameSite;
use actix_web::cookie::time::Duration;
use actix_web::dev::Server;
use actix_web::middleware::{Compress, DefaultHeaders, ErrorHandlers, Logger};
use actix_web::{App, HttpServer, web as actix};

use crate::config::Settings;
use crate::db::PgPool;
use crate::error::AppError;

/// A bound, not yet running server.
pub struct Application {
    port: u16,
    server: Server,
}

/// Browser features the application never uses, all denied to every origin (the page
/// itself included), so that an injected frame or script cannot ask for them. Only
/// features browsers recognise: an unknown one (FLoC's `interest-cohort`, now dropped)
/// is reported as an error in the console.
const PERMISSIONS_POLICY: &str = "accelerometer=(), ambient-light-sensor=(), autoplay=(), \
     camera=(), display-capture=(), encrypted-media=(), fullscreen=(), geolocation=(), \
     gyroscope=(), hid=(), idle-detection=(), magnetometer=(), microphone=(), midi=(), \
     payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), \
     serial=(), usb=(), xr-spatial-tracking=()";

/// Security headers on every answer. Pages use no inline script or style, so the
/// content security policy can forbid both. HSTS only with secure cookies: a site on
/// HTTPS must stay there, but the demo and plain-HTTP trials (COOKIE_SECURE=false)
/// would be locked out of their own address by it.
fn security_headers(https: bool) -> DefaultHeaders {
    let headers = if https {
        DefaultHeaders::new().add((
            "Strict-Transport-Security",
            "max-age=31536000; includeSubDomains",
        ))
    } else {
        DefaultHeaders::new()
    };
    headers
        .add(("Permissions-Policy", PERMISSIONS_POLICY))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "same-origin"))
        .add((
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ))
        // Pages hold private figures: the back button after sign-out must not show them.
        .add(("Cache-Control", "no-store"))
}

/// Over HTTPS the cookie takes the `__Host-` prefix: browsers then accept it only when
/// it is Secure, has Path=/ (actix-session's default) and no Domain, so a sibling
/// subdomain cannot set or shadow it.
pub fn session_cookie_name(cookie_secure: bool) -> &'static str {
    if cookie_secure {
        "__Host-lamtheobac_session"
    } else {
        "lamtheobac_session"
    }
}

impl Application {
    /// Binds the listener and assembles the application. Must be called inside an
    /// actix system (the caller then awaits [`Application::run`]).
    pub fn build(settings: &Settings, pool: PgPool) -> std::io::Result<Application> {
        let listener = TcpListener::bind(&settings.bind)?;
        let port = listener.local_addr()?.port();
        let tera = web::templates::load().map_err(std::io::Error::other)?;
        let evidence = actix::Data::new(evidence::EvidenceStore::new(
            &settings.upload_dir,
            settings.max_upload_bytes,
        )?);
        let reports = actix::Data::new(settings.reports.clone());
        let pool = actix::Data::new(pool);
        let exports = actix::Data::new(db::ExportPool::new(
            &settings.database_url,
            settings.export_pool_size,
        ));
        let running_exports = actix::Data::new(web::exports::RunningExports::new(
            settings.export_stall_limit,
        ));
        let tera = actix::Data::new(tera);
        let reading_imports = actix::Data::new(imports::ReadingNow::default());
        auth::hashing::return_large_blocks_to_the_system();
        let hashing = actix::Data::new(auth::hashing::Hashing::start(settings.hashing)?);
        let trusted_proxies = actix::Data::new(settings.trusted_proxies.clone());
        let sign_in_limits = actix::Data::new(settings.sign_in_limits);
        let support_contact = actix::Data::new(settings.support_contact.clone());
        let key = settings.session_key.clone();
        let cookie_secure = settings.cookie_secure;
        let session_policy = actix::Data::new(auth::session::SessionPolicy {
            clock: settings.clock.clone(),
            limits: settings.session_limits,
        });
        // The server ends sessions (see auth::session); the cookie's Max-Age only lets
        // the browser forget it at the same absolute limit.
        let cookie_ttl = Duration::seconds(settings.session_limits.absolute.num_seconds());

        let mut server = HttpServer::new(move || {
            let session = SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
                .cookie_name(session_cookie_name(cookie_secure).to_owned())
                .cookie_secure(cookie_secure)
                .cookie_http_only(true)
                .cookie_same_site(SameSite::Lax)
                .session_lifecycle(PersistentSession::default().session_ttl(cookie_ttl))
                .build();
            App::new()
                .app_data(pool.clone())
                .app_data(session_policy.clone())
                .app_data(exports.clone())
                .app_data(running_exports.clone())
                .app_data(tera.clone())
                .app_data(evidence.clone())
                .app_data(reports.clone())
                .app_data(reading_imports.clone())
                .app_data(hashing.clone())
                .app_data(trusted_proxies.clone())
                .app_data(sign_in_limits.clone())
                .app_data(support_contact.clone())
                .app_data(actix::FormConfig::default().limit(256 * 1024))
                .app_data(
                    actix::QueryConfig::default()
                        .error_handler(|_, _| AppError::BadRequest("query").into()),
                )
                .app_data(
                    actix::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()),
                )
                .wrap(ErrorHandlers::new().default_handler(web::errors::render_error_page))
                .wrap(session)
                .wrap(security_headers(cookie_secure))
                .wrap(Compress::default())
                .wrap(Logger::new("%r %s %Dms"))
                .configure(web::routes)
                .default_service(actix::to(|| async { Err::<String, _>(AppError::NotFound) }))
        })
        .on_connect(web::exports::keep_socket)
        .listen(listener)?
        .shutdown_timeout(5);
        if let Some(workers) = settings.workers {
            server = server.workers(workers);
        }
        Ok(Application {
            port,
            server: server.run(),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// A handle that can stop the server.
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    pub async fn run(self) -> std::io::Result<()> {
        self.server.await
    }
}
