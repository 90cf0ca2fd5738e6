//! Readers for the answers the application gives: status and headers, and what a
//! person sees on an HTML page (field errors, figures, rows, links), found with CSS
//! selectors; and what poppler reads in a PDF.

use std::process::Command;

use scraper::{ElementRef, Html, Selector};
use ureq::Body;
use ureq::http::Response;

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
    pub(super) fn from_response(mut response: Response<Body>) -> Page {
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .filter_map(|(name, value)| {
                Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
            })
            .collect();
        let first = |wanted: &str| {
            headers
                .iter()
                .find(|(name, _)| name == wanted)
                .map(|(_, value)| value.clone())
        };
        let location = first("location");
        let content_type = first("content-type").unwrap_or_default();
        let body = response.body_mut().read_to_string().unwrap_or_default();
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

    /// The body as a browser reads it, for CSS selectors.
    pub fn document(&self) -> Html {
        Html::parse_document(&self.body)
    }

    /// What `read` gives for every element matching the CSS selector `css`, in page
    /// order.
    pub fn select<T>(&self, css: &str, read: impl FnMut(ElementRef<'_>) -> T) -> Vec<T> {
        let selector = Selector::parse(css)
            .unwrap_or_else(|error| panic!("not a CSS selector: {css}: {error:?}"));
        self.document().select(&selector).map(read).collect()
    }

    /// The text of the first element matching `css` (see [`text_in`]).
    pub fn text_at(&self, css: &str) -> Option<String> {
        self.select(css, text_in).into_iter().next()
    }

    /// Whether the page has `<p class="field-error" id="error-FIELD">`.
    pub fn has_field_error(&self, field: &str) -> bool {
        self.field_errors().iter().any(|name| name == field)
    }

    /// The text of the field error of `field`, if any.
    pub fn field_error(&self, field: &str) -> Option<String> {
        self.text_at(&format!(
            ".field-error[id={}]",
            css_string(&format!("error-{field}"))
        ))
    }

    /// Every field that has an error on the page (elements of class `field-error`
    /// with the id `error-FIELD`), in page order.
    pub fn field_errors(&self) -> Vec<String> {
        self.select(r#".field-error[id^="error-"]"#, |element| {
            element.value().attr("id").unwrap_or_default()["error-".len()..].to_owned()
        })
    }

    /// The text of the element carrying `data-figure="NAME"`.
    pub fn figure(&self, name: &str) -> Option<String> {
        self.text_at(&format!("[data-figure={}]", css_string(name)))
    }

    /// The values of `attribute` on every element that has it, in page order (e.g.
    /// every `data-initiative`), entities decoded.
    pub fn attribute_values(&self, attribute: &str) -> Vec<String> {
        self.select(&format!("[{attribute}]"), |element| {
            element
                .value()
                .attr(attribute)
                .unwrap_or_default()
                .to_owned()
        })
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
        self.text_at("#refusal")
    }

    /// The review state the detail page shows (`data-review="…"`).
    pub fn review(&self) -> Option<String> {
        self.attribute_values("data-review").into_iter().next()
    }

    /// Where the page link marked `data-page-link="NAME"` ("next", "previous", "first")
    /// leads, if the page has that link.
    pub fn page_link(&self, name: &str) -> Option<String> {
        self.select(
            &format!("[data-page-link={}][href]", css_string(name)),
            |link| link.value().attr("href").unwrap_or_default().to_owned(),
        )
        .into_iter()
        .next()
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

/// The text of an element as a person reads it: its text pieces with a space between
/// each two (as a tag would make), whitespace collapsed.
pub fn text_in(element: ElementRef<'_>) -> String {
    let pieces: Vec<&str> = element.text().collect();
    pieces
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `value` as a quoted CSS string, for an attribute selector.
fn css_string(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
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

/// Whether the page shows `value` in a form input: as the value of a field, or as the
/// text of a text area (as a browser reads them, entities decoded).
pub fn keeps_value(page: &Page, value: &str) -> bool {
    let in_a_field = !page
        .select(&format!("[value={}]", css_string(value)), |_| ())
        .is_empty();
    in_a_field
        || page
            .select("textarea", |area| area.text().collect::<String>())
            .iter()
            .any(|text| text == value)
}

/// The value of the `csrf_token` input on a page.
pub fn csrf_in(body: &str) -> Option<String> {
    let selector = Selector::parse(r#"input[name="csrf_token"]"#).expect("a CSS selector");
    Html::parse_document(body)
        .select(&selector)
        .next()
        .and_then(|input| input.value().attr("value"))
        .map(str::to_owned)
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

/// What poppler's `tool` prints for the PDF `bytes`, given `args` before the file.
pub fn poppler(bytes: &[u8], tool: &str, args: &[&str]) -> String {
    // A directory of its own: tests read PDFs side by side, often the same PDF (a name
    // made of the tool and the size was shared, and one test removed another's file).
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, bytes).expect("write the PDF");
    let mut command = Command::new(tool);
    command.args(args).arg(&path);
    if tool == "pdftotext" {
        command.arg("-");
    }
    let output = command.output().unwrap_or_else(|error| {
        panic!("{tool} is needed to read the PDF back (apt-get install poppler-utils): {error}")
    });
    assert!(
        output.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 text")
}

/// The PDF LibreOffice prints from an office file (`extension` "docx" or "xlsx"),
/// converted headless with a profile of its own, so conversions can run side by side.
/// Panics when LibreOffice cannot open the file or takes more than two minutes.
pub fn libreoffice_pdf(bytes: &[u8], extension: &str) -> Vec<u8> {
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join(format!("document.{extension}"));
    std::fs::write(&input, bytes).expect("write the document");
    let profile = format!("file://{}/profile", dir.path().display());
    let mut child = Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(dir.path())
        .arg(&input)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| {
            panic!(
                "LibreOffice is needed to open the {extension} file \
                 (apt-get install libreoffice-writer-nogui libreoffice-calc-nogui): {error}"
            )
        });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for LibreOffice") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("LibreOffice did not convert the {extension} file within two minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let output = child.wait_with_output().expect("LibreOffice's output");
    let pdf = dir.path().join("document.pdf");
    assert!(
        status.success() && pdf.exists(),
        "LibreOffice could not open the {extension} file: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read(pdf).expect("read the converted PDF")
}
