//! Small, valid files of each accepted kind, and files that only pretend to be one,
//! built here byte by byte (the tests ship no binaries).

/// A PNG of `width`×`height` pixels (8-bit RGB, a diagonal on a red ground), encoded by
/// hand: IHDR, one IDAT of stored (uncompressed) deflate blocks, IEND.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut raw = Vec::new();
    for y in 0..height {
        raw.push(0); // filter: none
        for x in 0..width {
            if x == y {
                raw.extend_from_slice(&[255, 212, 59]);
            } else {
                raw.extend_from_slice(&[179, 22, 27]);
            }
        }
    }
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(0xFFFF).collect();
    for (index, block) in blocks.iter().enumerate() {
        zlib.push(u8::from(index + 1 == blocks.len())); // BFINAL, stored
        let len = u16::try_from(block.len()).expect("a stored block");
        zlib.extend_from_slice(&len.to_le_bytes());
        zlib.extend_from_slice(&(!len).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    zlib.extend_from_slice(&adler32(&raw).to_be_bytes());

    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]); // 8 bits, RGB, deflate, no filter, no interlace

    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    png_chunk(&mut out, b"IHDR", &header);
    png_chunk(&mut out, b"IDAT", &zlib);
    png_chunk(&mut out, b"IEND", &[]);
    out
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&u32::try_from(data.len()).expect("chunk").to_be_bytes());
    let mut checked = kind.to_vec();
    checked.extend_from_slice(data);
    out.extend_from_slice(&checked);
    out.extend_from_slice(&crc32(&checked).to_be_bytes());
}

/// CRC-32 as PNG and ZIP use it.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in bytes {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

/// A PNG of `width`×`height` black pixels of 8-bit grey: a few megabytes that unpack
/// to width × height bytes (20,000 × 20,000 is 400 MB), built without ever holding
/// the pixels.
pub fn zeros_png(width: u32, height: u32) -> Vec<u8> {
    let raw_len = u64::from(width + 1) * u64::from(height); // a filter byte per row
    let mut zlib = vec![0x78, 0x01];
    zlib.extend_from_slice(&deflate_repeating(b"", &[0], raw_len, b""));
    // Adler-32 of zeros: a stays 1, b adds 1 per byte.
    let adler = (((raw_len % 65_521) as u32) << 16) | 1;
    zlib.extend_from_slice(&adler.to_be_bytes());

    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 0, 0, 0, 0]); // 8 bits, grey, deflate, no filter, no interlace
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    png_chunk(&mut out, b"IHDR", &header);
    png_chunk(&mut out, b"IDAT", &zlib);
    png_chunk(&mut out, b"IEND", &[]);
    out
}

/// Raw deflate data of `prefix`, `unit` repeated `units` times, then `suffix`, as one
/// block of fixed codes: the first unit as literals, the rest as copies of the unit
/// before (258 bytes at a time, 2 bytes or less each). Gigabytes take megabytes.
pub fn deflate_repeating(prefix: &[u8], unit: &[u8], units: u64, suffix: &[u8]) -> Vec<u8> {
    const LENGTH_BASES: [u64; 29] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
        131, 163, 195, 227, 258,
    ];
    const LENGTH_EXTRA: [u32; 29] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ];
    const DISTANCE_BASES: [u64; 30] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
        2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
    ];
    const DISTANCE_EXTRA: [u32; 30] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12,
        13, 13,
    ];
    fn code(bits: &mut BitWriter, value: u32, length: u32) {
        // Huffman codes go most significant bit first.
        bits.put(value.reverse_bits() >> (32 - length), length);
    }
    fn literal(bits: &mut BitWriter, byte: u8) {
        match byte {
            0..=143 => code(bits, 0x30 + u32::from(byte), 8),
            _ => code(bits, 0x190 + u32::from(byte - 144), 9),
        }
    }
    fn copy(bits: &mut BitWriter, length: u64, distance: u64) {
        let index = LENGTH_BASES
            .iter()
            .rposition(|base| *base <= length)
            .unwrap_or(0);
        let symbol = 257 + index as u32;
        if symbol < 280 {
            code(bits, symbol - 256, 7);
        } else {
            code(bits, 0xC0 + symbol - 280, 8);
        }
        bits.put((length - LENGTH_BASES[index]) as u32, LENGTH_EXTRA[index]);
        let index = DISTANCE_BASES
            .iter()
            .rposition(|base| *base <= distance)
            .unwrap_or(0);
        code(bits, index as u32, 5);
        bits.put(
            (distance - DISTANCE_BASES[index]) as u32,
            DISTANCE_EXTRA[index],
        );
    }
    let mut bits = BitWriter::default();
    bits.put(1, 1); // the last block
    bits.put(1, 2); // fixed codes
    prefix.iter().for_each(|byte| literal(&mut bits, *byte));
    if units > 0 {
        unit.iter().for_each(|byte| literal(&mut bits, *byte));
        let period = unit.len() as u64;
        let repeated = (units - 1) * period;
        // Back-references of at most 258 bytes; fewer than 3 bytes left over (too short
        // for one) go as literals.
        let left = match repeated % 258 {
            short @ 0..3 => short,
            _ => 0,
        };
        for start in (0..repeated - left).step_by(258) {
            copy(&mut bits, (repeated - left - start).min(258), period);
        }
        for offset in (units * period - left)..units * period {
            literal(&mut bits, unit[(offset % period) as usize]);
        }
    }
    suffix.iter().for_each(|byte| literal(&mut bits, *byte));
    code(&mut bits, 0, 7); // end of block
    bits.finish()
}

/// Bits in deflate's order: each value's lowest bit first.
#[derive(Default)]
struct BitWriter {
    out: Vec<u8>,
    pending: u64,
    count: u32,
}

impl BitWriter {
    fn put(&mut self, value: u32, count: u32) {
        self.pending |= u64::from(value) << self.count;
        self.count += count;
        for _ in 0..self.count / 8 {
            self.out.push(self.pending as u8);
            self.pending >>= 8;
            self.count -= 8;
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.count > 0 {
            self.out.push(self.pending as u8);
        }
        self.out
    }
}

/// [`JPEG`] with its frame header claiming `width`×`height` pixels.
pub fn jpeg_claiming(width: u16, height: u16) -> Vec<u8> {
    let mut jpeg = JPEG.to_vec();
    let frame = jpeg
        .windows(2)
        .position(|pair| pair == [0xFF, 0xC0])
        .expect("a baseline frame header");
    jpeg[frame + 5..frame + 7].copy_from_slice(&height.to_be_bytes());
    jpeg[frame + 7..frame + 9].copy_from_slice(&width.to_be_bytes());
    jpeg
}

/// An 8×8 baseline JPEG (JFIF), as a camera or phone would send a photo.
pub const JPEG: &[u8] = &[
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
    0x00, 0x01, 0x00, 0x00, 0xff, 0xdb, 0x00, 0x43, 0x00, 0x10, 0x0b, 0x0c, 0x0e, 0x0c, 0x0a, 0x10,
    0x0e, 0x0d, 0x0e, 0x12, 0x11, 0x10, 0x13, 0x18, 0x28, 0x1a, 0x18, 0x16, 0x16, 0x18, 0x31, 0x23,
    0x25, 0x1d, 0x28, 0x3a, 0x33, 0x3d, 0x3c, 0x39, 0x33, 0x38, 0x37, 0x40, 0x48, 0x5c, 0x4e, 0x40,
    0x44, 0x57, 0x45, 0x37, 0x38, 0x50, 0x6d, 0x51, 0x57, 0x5f, 0x62, 0x67, 0x68, 0x67, 0x3e, 0x4d,
    0x71, 0x79, 0x70, 0x64, 0x78, 0x5c, 0x65, 0x67, 0x63, 0xff, 0xdb, 0x00, 0x43, 0x01, 0x11, 0x12,
    0x12, 0x18, 0x15, 0x18, 0x2f, 0x1a, 0x1a, 0x2f, 0x63, 0x42, 0x38, 0x42, 0x63, 0x63, 0x63, 0x63,
    0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63,
    0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63,
    0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0xff, 0xc0,
    0x00, 0x11, 0x08, 0x00, 0x08, 0x00, 0x08, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11,
    0x01, 0xff, 0xc4, 0x00, 0x15, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0xff, 0xc4, 0x00, 0x1b, 0x10, 0x00, 0x01, 0x04,
    0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x31, 0x34,
    0x71, 0x74, 0xb1, 0xb3, 0xe2, 0xff, 0xc4, 0x00, 0x15, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x06, 0xff, 0xc4, 0x00, 0x17,
    0x11, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x01, 0x02, 0x00, 0x11, 0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11,
    0x00, 0x3f, 0x00, 0x96, 0xee, 0xce, 0xde, 0xb3, 0x2a, 0x00, 0x3a, 0xed, 0x87, 0x86, 0xa0, 0xaa,
    0x65, 0xe1, 0xbf, 0xff, 0xd9,
];

/// An 8×8 lossless WebP (RIFF, VP8L).
pub const WEBP: &[u8] = &[
    0x52, 0x49, 0x46, 0x46, 0x30, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x4c,
    0x24, 0x00, 0x00, 0x00, 0x2f, 0x07, 0xc0, 0x01, 0x00, 0x0f, 0x70, 0x21, 0xea, 0xd3, 0xfe, 0x7f,
    0x07, 0x7c, 0xfe, 0x63, 0x09, 0x8a, 0x01, 0xa0, 0x81, 0xd0, 0x43, 0x0b, 0x25, 0x84, 0x9e, 0xbb,
    0xc7, 0x11, 0xd1, 0xff, 0xf8, 0x9b, 0xb0, 0x08,
];

/// A one-page PDF.
pub const PDF: &[u8] = b"%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj
trailer << /Root 1 0 R >>
%%EOF
";

/// A ZIP archive (stored, no compression) holding these entries with these contents,
/// with correct CRCs, local headers, central directory and end record.
pub fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let packed: Vec<Packed<'_>> = entries
        .iter()
        .map(|(name, data)| Packed {
            name,
            deflated: false,
            crc: crc32(data),
            size: u32::try_from(data.len()).expect("size"),
            data,
        })
        .collect();
    zip_packed(&packed)
}

/// A part of a ZIP archive as it is stored: stored as is, or already deflated.
pub struct Packed<'a> {
    pub name: &'a str,
    pub deflated: bool,
    /// CRC-32 and size of the data unpacked.
    pub crc: u32,
    pub size: u32,
    pub data: &'a [u8],
}

/// A ZIP archive of parts packed beforehand.
pub fn zip_packed(entries: &[Packed<'_>]) -> Vec<u8> {
    fn u16le(out: &mut Vec<u8>, value: usize) {
        out.extend_from_slice(&u16::try_from(value).expect("u16").to_le_bytes());
    }
    fn u32le(out: &mut Vec<u8>, value: u32) {
        out.extend_from_slice(&value.to_le_bytes());
    }
    let mut out = Vec::new();
    let mut directory = Vec::new();
    for entry in entries {
        let (name, data, crc, size) = (entry.name, entry.data, entry.crc, entry.size);
        let method = if entry.deflated { 8 } else { 0 };
        let packed_size = u32::try_from(data.len()).expect("size");
        let offset = u32::try_from(out.len()).expect("offset");
        out.extend_from_slice(b"PK\x03\x04");
        u16le(&mut out, 20); // version needed
        u16le(&mut out, 0); // flags
        u16le(&mut out, method);
        u32le(&mut out, 0x5021_0000); // 1 Jan 2020, 00:00
        u32le(&mut out, crc);
        u32le(&mut out, packed_size);
        u32le(&mut out, size);
        u16le(&mut out, name.len());
        u16le(&mut out, 0); // extra
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);

        directory.extend_from_slice(b"PK\x01\x02");
        u16le(&mut directory, 20); // made by
        u16le(&mut directory, 20); // needed
        u16le(&mut directory, 0);
        u16le(&mut directory, method);
        u32le(&mut directory, 0x5021_0000);
        u32le(&mut directory, crc);
        u32le(&mut directory, packed_size);
        u32le(&mut directory, size);
        u16le(&mut directory, name.len());
        u16le(&mut directory, 0); // extra
        u16le(&mut directory, 0); // comment
        u16le(&mut directory, 0); // disk
        u16le(&mut directory, 0); // internal attributes
        u32le(&mut directory, 0); // external attributes
        u32le(&mut directory, offset);
        directory.extend_from_slice(name.as_bytes());
    }
    let directory_offset = u32::try_from(out.len()).expect("offset");
    out.extend_from_slice(&directory);
    out.extend_from_slice(b"PK\x05\x06");
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, entries.len());
    u16le(&mut out, entries.len());
    u32le(&mut out, u32::try_from(directory.len()).expect("size"));
    u32le(&mut out, directory_offset);
    u16le(&mut out, 0); // no comment
    out
}

const CONTENT_TYPES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;

/// A minimal Word document: the package's parts as Word names them.
pub fn docx() -> Vec<u8> {
    zip(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        (
            "word/document.xml",
            br#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>"#,
        ),
    ])
}

/// A minimal Excel workbook.
pub fn xlsx() -> Vec<u8> {
    zip(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        (
            "xl/workbook.xml",
            br#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>"#,
        ),
    ])
}

/// The start of a Windows program (an MZ header and its DOS stub).
pub fn exe() -> Vec<u8> {
    let mut out = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00".to_vec();
    out.extend_from_slice(&[0u8; 48]);
    out.extend_from_slice(b"This program cannot be run in DOS mode.\r\r\n$");
    out.extend_from_slice(&[0u8; 64]);
    out
}

/// A web page with a script, as an attacker would upload to be served back.
pub const HTML: &[u8] =
    b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>";

/// A PNG signature followed by nothing a decoder can read.
pub fn fake_png() -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend_from_slice(b"this is not an image at all, only its first bytes are");
    out
}

/// A PDF of exactly `size` bytes (header, then padding in a comment).
pub fn pdf_of_size(size: usize) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%".to_vec();
    out.resize(size, b'x');
    out
}
