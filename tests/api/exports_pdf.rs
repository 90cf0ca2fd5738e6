//! The PDF annual report as a printer and a search box see it: its fonts (pdffonts), its
//! page numbers and table header (pdftotext), and its justified opening paragraph (the
//! line boxes of `pdftotext -bbox-layout`).

use crate::helpers::*;

/// One line of `pdftotext -bbox-layout`: its right edge and its words.
struct TextLine {
    x_max: f32,
    text: String,
}

/// The lines of each text block poppler found, in reading order.
fn blocks(layout: &str) -> Vec<Vec<TextLine>> {
    let attribute = |tag: &str, name: &str| -> f32 {
        let start = tag.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
        let end = start + tag[start..].find('"').expect("closing quote");
        tag[start..end].parse().expect("a number")
    };
    layout
        .split("<block ")
        .skip(1)
        .map(|block| {
            block
                .split("<line ")
                .skip(1)
                .map(|line| {
                    let words = line
                        .split("<word ")
                        .skip(1)
                        .filter_map(|word| {
                            let start = word.find('>')? + 1;
                            let end = word.find("</word>")?;
                            Some(word[start..end].to_owned())
                        })
                        .collect::<Vec<_>>();
                    TextLine {
                        x_max: attribute(line, "xMax"),
                        text: words.join(" "),
                    }
                })
                .collect()
        })
        .collect()
}

fn demo_report_pdf() -> Vec<u8> {
    let app = TestApp::spawn_demo();
    let khoi = app.signed_in("khoi", DEMO_PASSWORD);
    let duk = app.unit_id("DUK");
    let file = khoi.download(&format!("/reports/annual.pdf?year=2022&unit={duk}"));
    assert_eq!(file.status, 200);
    file.bytes
}

#[test]
fn the_pdf_is_set_in_liberation_serif_with_numbered_pages_and_an_unbroken_header() {
    let pdf = demo_report_pdf();
    let fonts = poppler(&pdf, "pdffonts", &[]);
    for face in [
        "LiberationSerif ",
        "LiberationSerif-Bold ",
        "LiberationSerif-Italic ",
    ] {
        assert!(fonts.contains(face), "{face:?} among the fonts:\n{fonts}");
    }
    assert!(!fonts.contains("DejaVu"), "{fonts}");

    let text = poppler(&pdf, "pdftotext", &["-layout"]);
    let pages: usize = poppler(&pdf, "pdfinfo", &[])
        .lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|count| count.trim().parse().ok())
        .expect("a page count");
    for page in 1..=pages {
        let number = format!("Trang {page}/{pages}");
        assert!(text.contains(&number), "{number:?} in:\n{text}");
    }
    assert!(
        text.lines()
            .any(|line| line.split_whitespace().next() == Some("STT")),
        "the header cell \"STT\" whole on one line:\n{text}"
    );
}

#[test]
fn the_opening_paragraph_of_the_pdf_is_justified() {
    let pdf = demo_report_pdf();
    let layout = poppler(&pdf, "pdftotext", &["-bbox-layout"]);
    let paragraph = blocks(&layout)
        .into_iter()
        .find(|lines| lines.iter().any(|line| line.text.contains("94 mô hình")))
        .expect("the opening paragraph, with the number registered");
    assert!(paragraph.len() >= 3, "a paragraph of several lines");
    // A4 less the 15 mm right margin: where every line but the last must end.
    let right_edge = 595.28 - 15.0 * 72.0 / 25.4;
    let (last, full) = paragraph.split_last().expect("lines");
    for line in full {
        assert!(
            (line.x_max - right_edge).abs() < 0.5,
            "line ends at {} instead of {right_edge}: {:?}",
            line.x_max,
            line.text
        );
    }
    assert!(last.x_max <= right_edge + 0.5, "{:?}", last.text);
}
