//! A browser-like client: one per simulated person, keeping cookies, not following
//! redirects, sending forms (with the session's CSRF token) and multipart uploads.

use std::time::Duration;

use ureq::http::{Response, Uri};
use ureq::{Body, Cookie};

use super::pages::{Page, csrf_in};

/// A simulated person: a browser that keeps cookies and does not follow redirects.
pub struct Client {
    agent: ureq::Agent,
    pub base: String,
}

impl Client {
    /// A person's browser for the application at `base` (`http://127.0.0.1:PORT`).
    pub fn at(base: &str) -> Client {
        Client::named(None, base)
    }

    /// A browser that names itself `user_agent` when given: redirects not followed,
    /// every status answered as a page (not an error), 30 s per request.
    pub(super) fn named(user_agent: Option<&str>, base: &str) -> Client {
        let mut config = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)));
        if let Some(user_agent) = user_agent {
            config = config.user_agent(user_agent);
        }
        Client {
            agent: config.build().into(),
            base: base.to_owned(),
        }
    }

    /// The address of `path`, with the bytes a URL cannot hold as they are (anything
    /// beyond ASCII, such as Vietnamese letters in a search) percent-encoded, as a
    /// browser sends them.
    fn url(&self, path: &str) -> String {
        let mut url = self.base.clone();
        for byte in path.bytes() {
            if byte.is_ascii_graphic() {
                url.push(char::from(byte));
            } else {
                url.push_str(&format!("%{byte:02X}"));
            }
        }
        url
    }

    fn finish(result: Result<Response<Body>, ureq::Error>) -> Page {
        match result {
            Ok(response) => Page::from_response(response),
            Err(error) => panic!("request failed: {error}"),
        }
    }

    pub fn get(&self, path: &str) -> Page {
        Client::finish(self.agent.get(&self.url(path)).call())
    }

    /// Follows `Location` of a 303 once.
    pub fn follow(&self, page: &Page) -> Page {
        let location = page
            .location
            .as_deref()
            .unwrap_or_else(|| panic!("no Location on a {} answer", page.status));
        self.get(location)
    }

    pub fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        Client::finish(
            self.agent
                .post(&self.url(path))
                .send_form(fields.iter().copied()),
        )
    }

    /// A form post with this session's CSRF token added.
    pub fn post_form_csrf(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf_token();
        let mut with_token: Vec<(&str, &str)> = fields.to_vec();
        with_token.push(("csrf_token", &token));
        self.post_form(path, &with_token)
    }

    /// A `multipart/form-data` POST of these parts, in this order.
    pub fn post_multipart(&self, path: &str, parts: &[Part]) -> Page {
        let (content_type, body) = multipart_body(parts);
        self.post_raw(path, &content_type, &body)
    }

    /// A multipart POST with this session's CSRF token as the first part, as the
    /// application's forms send it.
    pub fn post_multipart_csrf(&self, path: &str, parts: &[Part]) -> Page {
        let mut all = vec![Part::text("csrf_token", &self.csrf_token())];
        all.extend_from_slice(parts);
        self.post_multipart(path, &all)
    }

    /// A GET whose body is kept as bytes (downloads).
    pub fn download(&self, path: &str) -> Download {
        let mut response = match self.agent.get(&self.url(path)).call() {
            Ok(response) => response,
            Err(error) => panic!("request failed: {error}"),
        };
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter_map(|(name, value)| {
                Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
            })
            .collect();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(DOWNLOAD_LIMIT)
            .read_to_vec()
            .expect("read the body");
        Download {
            status,
            headers,
            bytes,
        }
    }

    /// A POST with a body sent as is.
    pub fn post_raw(&self, path: &str, content_type: &str, body: &[u8]) -> Page {
        Client::finish(
            self.agent
                .post(&self.url(path))
                .header("Content-Type", content_type)
                .send(body),
        )
    }

    /// Any method, no body.
    pub fn request(&self, method: &str, path: &str) -> Page {
        let request = ureq::http::Request::builder()
            .method(method)
            .uri(self.url(path))
            .body(())
            .expect("a request");
        Client::finish(self.agent.run(request))
    }

    /// The session's CSRF token, read from a page with a form.
    pub fn csrf_token(&self) -> String {
        let mut page = self.get("/login");
        if page.status == 303 {
            page = self.get("/account/password");
        }
        csrf_in(&page.body).unwrap_or_else(|| {
            panic!(
                "no csrf_token on {} page (status {}): {}",
                if page.status == 303 { "?" } else { "the" },
                page.status,
                page.body
            )
        })
    }

    /// Another browser holding a copy of this one's cookies (a stolen session cookie).
    pub fn copy(&self) -> Client {
        let copy = Client::named(None, &self.base);
        let uri: Uri = self.base.parse().expect("the application's address");
        let mut jar = copy.agent.cookie_jar_lock();
        for cookie in self.agent.cookie_jar_lock().iter() {
            let cookie = Cookie::parse(cookie.to_string(), &uri).expect("a cookie it sent");
            jar.insert(cookie, &uri).expect("the copied cookie");
        }
        drop(jar);
        copy
    }

    /// The current value of the session cookie, if any.
    pub fn session_cookie(&self) -> Option<String> {
        self.agent
            .cookie_jar_lock()
            .iter()
            .find(|cookie| cookie.name() == "lamtheobac_session")
            .map(|cookie| cookie.value().to_owned())
    }

    pub fn sign_in(&self, username: &str, password: &str) -> Page {
        let token = self.csrf_token();
        self.post_form(
            "/login",
            &[
                ("username", username),
                ("password", password),
                ("csrf_token", &token),
            ],
        )
    }

    /// Signs in through a reverse proxy that says the request came from `forwarded_for`
    /// (the `X-Forwarded-For` header; believed only when TRUSTED_PROXIES says so).
    pub fn sign_in_forwarded_for(
        &self,
        username: &str,
        password: &str,
        forwarded_for: &str,
    ) -> Page {
        let token = self.csrf_token();
        Client::finish(
            self.agent
                .post(&self.url("/login"))
                .header("X-Forwarded-For", forwarded_for)
                .send_form([
                    ("username", username),
                    ("password", password),
                    ("csrf_token", &token),
                ]),
        )
    }

    pub fn sign_out(&self) -> Page {
        let token = self.csrf_token();
        self.post_form("/logout", &[("csrf_token", &token)])
    }

    /// Whether this client is signed in (the dashboard answers instead of a redirect).
    pub fn is_signed_in(&self) -> bool {
        self.get("/dashboard").status == 200
    }
}

/// The largest download a test reads (a national export stays far below it).
const DOWNLOAD_LIMIT: u64 = 512 * 1024 * 1024;

/// A downloaded file, whatever its status.
#[derive(Debug, Clone)]
pub struct Download {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub bytes: Vec<u8>,
}

impl Download {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// One part of a multipart body: a text field, or a file.
#[derive(Debug, Clone)]
pub struct Part {
    pub name: String,
    /// The file name and Content-Type of a file part.
    pub file: Option<(String, String)>,
    pub bytes: Vec<u8>,
}

impl Part {
    pub fn text(name: &str, value: &str) -> Part {
        Part {
            name: name.to_owned(),
            file: None,
            bytes: value.as_bytes().to_vec(),
        }
    }

    /// A file in the `files` input, as browsers send it.
    pub fn file(file_name: &str, content_type: &str, bytes: &[u8]) -> Part {
        Part {
            name: "files".to_owned(),
            file: Some((file_name.to_owned(), content_type.to_owned())),
            bytes: bytes.to_vec(),
        }
    }
}

/// The Content-Type and the body of a multipart/form-data request.
pub fn multipart_body(parts: &[Part]) -> (String, Vec<u8>) {
    const BOUNDARY: &str = "----lamtheobac-kiem-thu-7f3a9c2e1b";
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match &part.file {
            Some((file_name, content_type)) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{}\"; filename=\"{file_name}\"\r\n\
                     Content-Type: {content_type}\r\n\r\n",
                    part.name
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{}\"\r\n\r\n",
                    part.name
                )
                .as_bytes(),
            ),
        }
        body.extend_from_slice(&part.bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}
