//! Error pages: every 4xx/5xx answer that is not already a page (or JSON) gets the
//! error template, so a person never sees a bare "Not Found". The API gets JSON.

use actix_web::body::{BoxBody, EitherBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::{StatusCode, header};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpResponse, web};
use tera::{Context, Tera};

use crate::error::ErrorMessage;

pub fn render_error_page<B>(
    response: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let already_rendered = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value.starts_with("text/html") || value.starts_with("application/json")
        });
    if already_rendered || response.request().path() == "/healthz" {
        return Ok(ErrorHandlerResponse::Response(
            response.map_into_left_body(),
        ));
    }
    let status = response.status();
    let message = response
        .response()
        .extensions()
        .get::<ErrorMessage>()
        .map(|message| message.0.clone())
        .unwrap_or_else(|| default_message(status).to_owned());
    let (request, _) = response.into_parts();

    let replacement = if request.path().starts_with("/api/") {
        HttpResponse::build(status).json(serde_json::json!({ "error": message }))
    } else {
        let body = request
            .app_data::<web::Data<Tera>>()
            .and_then(|tera| {
                let mut context = Context::new();
                context.insert("status", &status.as_u16());
                context.insert("message", &message);
                tera.render("error.html", &context).ok()
            })
            .unwrap_or_else(|| message.clone());
        HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(body)
    };
    let replacement: HttpResponse<BoxBody> = replacement;
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(request, replacement).map_body(|_, body| EitherBody::right(body)),
    ))
}

/// Messages for errors raised by the framework itself (unknown route, body too large…).
fn default_message(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "Không tìm thấy trang hoặc dữ liệu bạn yêu cầu.",
        StatusCode::METHOD_NOT_ALLOWED => "Thao tác này không được hỗ trợ tại địa chỉ này.",
        StatusCode::PAYLOAD_TOO_LARGE => "Dữ liệu gửi lên quá lớn.",
        StatusCode::UNAUTHORIZED => "Bạn cần đăng nhập.",
        StatusCode::FORBIDDEN => "Bạn không có quyền thực hiện thao tác này.",
        status if status.is_client_error() => {
            "Yêu cầu không hợp lệ. Hãy kiểm tra lại dữ liệu đã nhập."
        }
        _ => "Đã có lỗi trong hệ thống. Hãy thử lại sau.",
    }
}
