//! The PDF's fonts: TrueType files read at run time (DejaVu Serif, which covers every
//! Vietnamese letter), measured with ttf-parser and embedded whole, compressed, as
//! CID fonts with a ToUnicode map so the text can be searched and copied.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

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

    fn file_name(self) -> &'static str {
        match self {
            Face::Regular => "DejaVuSerif.ttf",
            Face::Bold => "DejaVuSerif-Bold.ttf",
            Face::Italic => "DejaVuSerif-Italic.ttf",
        }
    }

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

#[derive(Debug, thiserror::Error)]
pub enum FontError {
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
    fonts: Vec<LoadedFont>,
}

impl Fonts {
    /// Reads the three DejaVu Serif faces from `dir`.
    pub fn load(dir: &Path) -> Result<Fonts, FontError> {
        let mut fonts = Vec::new();
        for face in Face::ALL {
            let path = dir.join(face.file_name());
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
        Ok(Fonts { fonts })
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
            let base_name = format!(
                "DejaVuSerif{}",
                match face {
                    Face::Regular => "",
                    Face::Bold => "-Bold",
                    Face::Italic => "-Italic",
                }
            );
            let base = Name(base_name.as_bytes());
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
