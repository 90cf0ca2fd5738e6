//! Readers for the answers the application gives: status and headers, and what a
//! person sees on an HTML page (field errors, figures, rows, links).

/// One answer, whatever its status.
#[derive(Debug, Clone)]
pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Page {
    pub(super) fn from_response(response: ureq::Response) -> Page {
        let status = response.status();
        let location = response.header("location").map(str::to_owned);
        let content_type = response
            .header("content-type")
            .unwrap_or_default()
            .to_owned();
        let headers = response
            .headers_names()
            .into_iter()
            .flat_map(|name| {
                response
                    .all(&name)
                    .into_iter()
                    .map(|value| (name.clone(), value.to_owned()))
                    .collect::<Vec<_>>()
            })
            .collect();
        let body = response.into_string().unwrap_or_default();
        Page {
            status,
            location,
            content_type,
            headers,
            body,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.body))
    }

    /// Whether the page has `<p class="field-error" id="error-FIELD">`.
    pub fn has_field_error(&self, field: &str) -> bool {
        self.field_errors().iter().any(|name| name == field)
    }

    /// The text of the field error of `field`, if any.
    pub fn field_error(&self, field: &str) -> Option<String> {
        self.has_field_error(field)
            .then(|| element_text_at(&self.body, &format!("id=\"error-{field}\"")))
            .flatten()
    }

    /// Every field that has an error on the page (elements of class `field-error`
    /// with the id `error-FIELD`), in page order.
    pub fn field_errors(&self) -> Vec<String> {
        let marker = "id=\"error-";
        self.body
            .match_indices(marker)
            .filter_map(|(at, _)| {
                let tag_start = self.body[..at].rfind('<')?;
                let tag_end = at + self.body[at..].find('>')?;
                if !self.body[tag_start..tag_end].contains("field-error") {
                    return None;
                }
                let rest = &self.body[at + marker.len()..];
                rest.find('"').map(|end| rest[..end].to_owned())
            })
            .collect()
    }

    /// The text of the element carrying `data-figure="NAME"`.
    pub fn figure(&self, name: &str) -> Option<String> {
        element_text_at(&self.body, &format!("data-figure=\"{name}\""))
    }

    /// The values of `attribute="…"` everywhere on the page (e.g. every `data-initiative`).
    pub fn attribute_values(&self, attribute: &str) -> Vec<String> {
        let marker = format!("{attribute}=\"");
        self.body
            .match_indices(&marker)
            .filter_map(|(at, _)| {
                let rest = &self.body[at + marker.len()..];
                rest.find('"').map(|end| rest[..end].to_owned())
            })
            .collect()
    }

    /// The ids of the initiative rows of a list page.
    pub fn initiative_rows(&self) -> Vec<i32> {
        self.attribute_values("data-initiative")
            .iter()
            .filter_map(|id| id.parse().ok())
            .collect()
    }

    /// The total of a list page (`data-total="N"`).
    pub fn total(&self) -> Option<i64> {
        self.attribute_values("data-total")
            .first()
            .and_then(|total| total.parse().ok())
    }

    /// The message of a refused workflow step (`id="refusal"`), as text.
    pub fn refusal(&self) -> Option<String> {
        element_text_at(&self.body, "id=\"refusal\"")
    }

    /// The review state the detail page shows (`data-review="…"`).
    pub fn review(&self) -> Option<String> {
        self.attribute_values("data-review").into_iter().next()
    }

    /// Where the page link marked `data-page-link="NAME"` ("next", "previous", "first")
    /// leads, if the page has that link.
    pub fn page_link(&self, name: &str) -> Option<String> {
        let html = self.element_html(&format!("data-page-link=\"{name}\""))?;
        let tag = &html[..html.find('>')?];
        let start = tag.find("href=\"")? + "href=\"".len();
        let end = start + tag[start..].find('"')?;
        Some(unescape(&tag[start..end]))
    }

    /// The opening tag and contents of the element carrying `attribute`, as raw HTML.
    pub fn element_html(&self, attribute: &str) -> Option<String> {
        element_html_at(&self.body, attribute)
    }
}

/// The element whose opening tag contains `marker`: its raw HTML up to its closing tag.
fn element_html_at(body: &str, marker: &str) -> Option<String> {
    let at = body.find(marker)?;
    let tag_start = body[..at].rfind('<')?;
    let name: String = body[tag_start + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let open_end = at + body[at..].find('>')? + 1;
    // Nested elements of the same name are counted, so the right closing tag is found.
    let (open, close) = (format!("<{name}"), format!("</{name}>"));
    let mut depth = 1;
    let mut cursor = open_end;
    // Every turn moves the cursor forward: the body's length bounds the turns.
    for _ in 0..body.len() {
        if depth == 0 {
            break;
        }
        let next_close = cursor + body[cursor..].find(&close)?;
        match body[cursor..next_close].find(&open) {
            Some(nested)
                if body[cursor + nested + open.len()..]
                    .starts_with(|c: char| c == '>' || c.is_whitespace()) =>
            {
                depth += 1;
                cursor += nested + open.len();
            }
            Some(nested) => cursor += nested + open.len(),
            None => {
                depth -= 1;
                cursor = next_close + close.len();
            }
        }
    }
    (depth == 0).then(|| body[tag_start..cursor].to_owned())
}

/// The text inside the element whose opening tag contains `marker`, tags stripped,
/// whitespace collapsed, entities for `&`, `<`, `>`, quotes and `/` decoded.
fn element_text_at(body: &str, marker: &str) -> Option<String> {
    let html = element_html_at(body, marker)?;
    let inner_start = html.find('>')? + 1;
    let inner_end = html.rfind("</").unwrap_or(html.len()).max(inner_start);
    Some(text_of(&html[inner_start..inner_end]))
}

/// Strips tags and collapses whitespace.
pub fn text_of(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = unescape(&text);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Undoes the escaping tera applies.
pub fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// Escapes text the way tera's autoescape does.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#x27;"),
            '/' => escaped.push_str("&#x2F;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// Whether the page shows `value` in a form input (as tera escapes it).
pub fn keeps_value(page: &Page, value: &str) -> bool {
    let escaped = escape(value);
    page.body.contains(&format!("value=\"{escaped}\""))
        || page.body.contains(&format!(">{escaped}</textarea>"))
}

/// The value of the `csrf_token` input on a page.
pub fn csrf_in(body: &str) -> Option<String> {
    let at = body.find("name=\"csrf_token\"")?;
    let tag_start = body[..at].rfind('<')?;
    let tag_end = at + body[at..].find('>')?;
    let tag = &body[tag_start..tag_end];
    let value_at = tag.find("value=\"")? + "value=\"".len();
    let value_end = value_at + tag[value_at..].find('"')?;
    Some(unescape(&tag[value_at..value_end]))
}

/// The id at the end of a `Location` (`/initiatives/42` → 42).
pub fn id_from_location(page: &Page) -> i32 {
    page.location
        .as_deref()
        .and_then(|location| location.rsplit('/').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| {
            panic!(
                "no id in Location of a {} answer: {}",
                page.status, page.body
            )
        })
}
