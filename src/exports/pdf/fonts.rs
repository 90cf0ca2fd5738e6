//! The PDF's fonts: TrueType files read at run time (Liberation Serif, metric-compatible
//! with the Times New Roman that Party documents are set in, or DejaVu Serif when it is
//! missing), measured with ttf-parser and embedded whole, compressed, as CID fonts with
//! a ToUnicode map so the text can be searched and copied.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str};

/// The three faces a report uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
    Italic,
}

impl Face {
    pub const ALL: [Face; 3] = [Face::Regular, Face::Bold, Face::Italic];

    /// The font's name in the page resources.
    pub fn resource(self) -> Name<'static> {
        match self {
            Face::Regular => Name(b"F1"),
            Face::Bold => Name(b"F2"),
            Face::Italic => Name(b"F3"),
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A family of serif faces covering every Vietnamese letter, in the order they are
/// preferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Debian's fonts-liberation2: Times New Roman's metrics, so lines break where they
    /// would in the office's Word.
    LiberationSerif,
    /// Debian's fonts-dejavu-core, when Liberation is not installed.
    DejaVuSerif,
}

/// Where Debian installs DejaVu Serif: searched after the configured folder, so a
/// machine without Liberation still prints.
pub const FALLBACK_DIR: &str = "/usr/share/fonts/truetype/dejavu";

impl Family {
    pub const PREFERRED: [Family; 2] = [Family::LiberationSerif, Family::DejaVuSerif];

    fn file_name(self, face: Face) -> &'static str {
        match (self, face) {
            (Family::LiberationSerif, Face::Regular) => "LiberationSerif-Regular.ttf",
            (Family::LiberationSerif, Face::Bold) => "LiberationSerif-Bold.ttf",
            (Family::LiberationSerif, Face::Italic) => "LiberationSerif-Italic.ttf",
            (Family::DejaVuSerif, Face::Regular) => "DejaVuSerif.ttf",
            (Family::DejaVuSerif, Face::Bold) => "DejaVuSerif-Bold.ttf",
            (Family::DejaVuSerif, Face::Italic) => "DejaVuSerif-Italic.ttf",
        }
    }

    /// The PostScript name the PDF gives the face: its file's name without ".ttf" and
    /// "-Regular" (LiberationSerif, DejaVuSerif-Bold).
    fn base_name(self, face: Face) -> &'static str {
        let file = self.file_name(face).trim_end_matches(".ttf");
        file.strip_suffix("-Regular").unwrap_or(file)
    }

    fn installed_in(self, dir: &Path) -> bool {
        Face::ALL
            .iter()
            .all(|face| dir.join(self.file_name(*face)).is_file())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error(
        "no serif font for the PDF in {searched}: install fonts-liberation2 (or fonts-dejavu-core), or set PDF_FONT_DIR"
    )]
    Missing { searched: String },
    #[error("cannot read the font {path}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{0} is not a TrueType font ttf-parser can read")]
    Parse(String),
}

/// One font file and the glyphs the document used from it.
struct LoadedFont {
    bytes: Vec<u8>,
    /// Glyph id → the character it was drawn for, for the ToUnicode map.
    used: BTreeMap<u16, char>,
}

/// The fonts of one document being written.
pub struct Fonts {
    family: Family,
    fonts: Vec<LoadedFont>,
}

impl Fonts {
    /// Reads the three faces of the first family found: in `dir` first (Liberation
    /// Serif, then DejaVu Serif), then DejaVu Serif where Debian puts it.
    pub fn find(dir: &Path) -> Result<Fonts, FontError> {
        let dirs = [dir.to_path_buf(), PathBuf::from(FALLBACK_DIR)];
        for dir in &dirs {
            for family in Family::PREFERRED {
                if family.installed_in(dir) {
                    return Fonts::load(family, dir);
                }
            }
        }
        Err(FontError::Missing {
            searched: dirs
                .iter()
                .map(|dir| dir.display().to_string())
                .collect::<Vec<_>>()
                .join(" and "),
        })
    }

    /// Reads the three faces of `family` from `dir`.
    pub fn load(family: Family, dir: &Path) -> Result<Fonts, FontError> {
        let mut fonts = Vec::new();
        for face in Face::ALL {
            let path = dir.join(family.file_name(face));
            let bytes = std::fs::read(&path).map_err(|source| FontError::Read {
                path: path.display().to_string(),
                source,
            })?;
            if ttf_parser::Face::parse(&bytes, 0).is_err() {
                return Err(FontError::Parse(path.display().to_string()));
            }
            fonts.push(LoadedFont {
                bytes,
                used: BTreeMap::new(),
            });
        }
        Ok(Fonts { family, fonts })
    }

    fn parsed(&self, face: Face) -> Option<ttf_parser::Face<'_>> {
        ttf_parser::Face::parse(&self.fonts[face.index()].bytes, 0).ok()
    }

    /// The width of `text` at `size` points.
    pub fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        let Some(font) = self.parsed(face) else {
            return 0.0;
        };
        let per_unit = size / f32::from(font.units_per_em());
        text.chars()
            .map(|c| {
                let glyph = font.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
                f32::from(font.glyph_hor_advance(glyph).unwrap_or(0)) * per_unit
            })
            .sum()
    }

    /// `text` as the two-byte glyph ids the content stream shows, noting the glyphs used.
    pub fn encode(&mut self, face: Face, text: &str) -> Vec<u8> {
        let glyphs: Vec<(u16, char)> = match self.parsed(face) {
            Some(font) => text
                .chars()
                .map(|c| (font.glyph_index(c).map_or(0, |glyph| glyph.0), c))
                .collect(),
            None => Vec::new(),
        };
        let used = &mut self.fonts[face.index()].used;
        let mut encoded = Vec::with_capacity(glyphs.len() * 2);
        for (glyph, c) in glyphs {
            used.entry(glyph).or_insert(c);
            encoded.extend_from_slice(&glyph.to_be_bytes());
        }
        encoded
    }

    /// Writes the fonts into the document; returns each face's font object.
    pub fn embed(
        &self,
        pdf: &mut Pdf,
        next_id: &mut impl FnMut() -> Ref,
    ) -> std::io::Result<Vec<(Face, Ref)>> {
        let mut refs = Vec::new();
        for face in Face::ALL {
            let loaded = &self.fonts[face.index()];
            let Some(font) = self.parsed(face) else {
                continue;
            };
            let type0 = next_id();
            let cid = next_id();
            let descriptor = next_id();
            let file = next_id();
            let to_unicode = next_id();
            let base = Name(self.family.base_name(face).as_bytes());
            let system = SystemInfo {
                registry: Str(b"Adobe"),
                ordering: Str(b"Identity"),
                supplement: 0,
            };
            let scale = 1000.0 / f32::from(font.units_per_em());
            pdf.type0_font(type0)
                .base_font(base)
                .encoding_predefined(Name(b"Identity-H"))
                .descendant_font(cid)
                .to_unicode(to_unicode);
            let mut cid_font = pdf.cid_font(cid);
            cid_font
                .subtype(CidFontType::Type2)
                .base_font(base)
                .system_info(system)
                .font_descriptor(descriptor)
                .cid_to_gid_map_predefined(Name(b"Identity"));
            let mut widths = cid_font.widths();
            for glyph in loaded.used.keys() {
                let advance = font
                    .glyph_hor_advance(ttf_parser::GlyphId(*glyph))
                    .unwrap_or(0);
                widths.consecutive(*glyph, [f32::from(advance) * scale]);
            }
            widths.finish();
            cid_font.finish();

            let bbox = font.global_bounding_box();
            let mut flags = FontFlags::SERIF | FontFlags::NON_SYMBOLIC;
            if face == Face::Italic {
                flags |= FontFlags::ITALIC;
            }
            pdf.font_descriptor(descriptor)
                .name(base)
                .flags(flags)
                .bbox(Rect::new(
                    f32::from(bbox.x_min) * scale,
                    f32::from(bbox.y_min) * scale,
                    f32::from(bbox.x_max) * scale,
                    f32::from(bbox.y_max) * scale,
                ))
                .italic_angle(font.italic_angle())
                .ascent(f32::from(font.ascender()) * scale)
                .descent(f32::from(font.descender()) * scale)
                .cap_height(f32::from(font.capital_height().unwrap_or(font.ascender())) * scale)
                .stem_v(if face == Face::Bold { 140.0 } else { 80.0 })
                .font_file2(file);
            let compressed = deflate(&loaded.bytes)?;
            pdf.stream(file, &compressed)
                .filter(Filter::FlateDecode)
                .pair(Name(b"Length1"), loaded.bytes.len() as i32);

            let mut cmap = UnicodeCmap::new(Name(b"Custom"), system);
            for (glyph, c) in &loaded.used {
                cmap.pair(*glyph, *c);
            }
            pdf.stream(to_unicode, cmap.finish().as_slice());
            refs.push((face, type0));
        }
        Ok(refs)
    }
}

/// zlib-compressed bytes, as FlateDecode expects.
pub fn deflate(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(bytes.len() / 2),
        flate2::Compression::default(),
    );
    encoder.write_all(bytes)?;
    encoder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIBERATION_DIR: &str = "/usr/share/fonts/truetype/liberation2";

    #[test]
    fn liberation_serif_is_preferred_and_dejavu_is_the_fallback() {
        let fonts = Fonts::find(Path::new(LIBERATION_DIR)).expect("fonts-liberation2");
        assert_eq!(fonts.family, Family::LiberationSerif);
        let elsewhere = Fonts::find(Path::new("/nonexistent")).expect("fonts-dejavu-core");
        assert_eq!(elsewhere.family, Family::DejaVuSerif);
    }

    #[test]
    fn liberation_serif_has_every_vietnamese_letter_of_the_report() {
        let fonts = Fonts::find(Path::new(LIBERATION_DIR)).expect("fonts-liberation2");
        for face in Face::ALL {
            let font = fonts.parsed(face).expect("parsed");
            for c in "ĐẢNG CỘNG SẢN VIỆT NAM ơư ỹ ậ ề ữ ộ ả “Học tập và làm theo Bác”".chars()
            {
                assert!(font.glyph_index(c).is_some(), "{c:?} in {face:?}");
            }
        }
    }
}
