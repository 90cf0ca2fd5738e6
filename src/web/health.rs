//! GET /healthz: 200 when the database answers, 503 otherwise (for load balancers
//! and the container health check).

use actix_web::{HttpResponse, web};

use crate::db::{self, PgPool};

pub async fn healthz(pool: web::Data<PgPool>) -> HttpResponse {
    match db::ping(&pool).await {
        Ok(()) => HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("ok"),
        Err(_) => HttpResponse::ServiceUnavailable()
            .content_type("text/plain; charset=utf-8")
            .body("database unavailable"),
    }
}
