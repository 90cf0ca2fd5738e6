//! GET /healthz: 200 when the database answers, 503 otherwise (for load balancers
//! and the container health check).

use actix_web::{HttpResponse, web};
use diesel::RunQueryDsl;

use crate::db::{self, PgPool};

pub async fn healthz(pool: web::Data<PgPool>) -> HttpResponse {
    let answer = db::run(&pool, |conn| {
        diesel::sql_query("SELECT 1").execute(conn)?;
        Ok(())
    })
    .await;
    match answer {
        Ok(()) => HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("ok"),
        Err(_) => HttpResponse::ServiceUnavailable()
            .content_type("text/plain; charset=utf-8")
            .body("database unavailable"),
    }
}
