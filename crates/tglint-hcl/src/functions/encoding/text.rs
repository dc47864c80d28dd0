//! Character sets for `textencodebase64`/`textdecodebase64`, looked up as Go's
//! `ianaindex.IANA.Encoding` does (IANA names and aliases, case-insensitively, after
//! trimming spaces) and named in messages as `ianaindex.IANA.Name` names them.
//!
//! The conversions come from `encoding_rs` (the WHATWG Encoding Standard), adjusted where
//! Go's `golang.org/x/text` differs: UTF-16 keeps byte order marks as characters (plain
//! "UTF-16" writes and honours one), and the single-byte code pages other than Latin-1
//! have no C1 control characters. IBM code pages and HZ-GB-2312, which Terraform
//! supports but `encoding_rs` does not, make the call's result unknown.

use crate::value::Value;
use encoding_rs::{EncoderResult, Encoding};

#[derive(Clone, Copy)]
enum Kind {
    Utf8,
    /// UTF-16; `bom` means "UTF-16": big-endian, a BOM written, a BOM honoured.
    Utf16 {
        le: bool,
        bom: bool,
    },
    Latin1,
    Ascii,
    /// ISO-8859-9: Latin-1 with six Turkish letters.
    Latin5,
    Rs(&'static Encoding),
    /// Known to Terraform but not convertible here.
    Unsupported,
}

pub(super) struct Charset {
    name: &'static str,
    kind: Kind,
}

/// (IANA name, aliases, conversion). Aliases are compared lowercased; the name itself is
/// always an alias.
const TABLE: &[(&str, &[&str], Kind)] = &[
    (
        "US-ASCII",
        &[
            "ansi_x3.4-1968",
            "ansi_x3.4-1986",
            "ibm367",
            "iso646-us",
            "iso_646.irv:1991",
            "us-ascii",
            "cp367",
            "csascii",
            "iso-ir-6",
            "us",
        ],
        Kind::Ascii,
    ),
    (
        "ISO_8859-1:1987",
        &[
            "cp819",
            "ibm819",
            "iso-8859-1",
            "iso_8859-1",
            "iso_8859-1:1987",
            "csisolatin1",
            "iso-ir-100",
            "l1",
            "latin1",
        ],
        Kind::Latin1,
    ),
    (
        "ISO_8859-2:1987",
        &[
            "iso-8859-2",
            "iso_8859-2",
            "iso_8859-2:1987",
            "csisolatin2",
            "iso-ir-101",
            "l2",
            "latin2",
        ],
        Kind::Rs(encoding_rs::ISO_8859_2),
    ),
    (
        "ISO_8859-3:1988",
        &[
            "iso-8859-3",
            "iso_8859-3",
            "iso_8859-3:1988",
            "csisolatin3",
            "iso-ir-109",
            "l3",
            "latin3",
        ],
        Kind::Rs(encoding_rs::ISO_8859_3),
    ),
    (
        "ISO_8859-4:1988",
        &[
            "iso-8859-4",
            "iso_8859-4",
            "iso_8859-4:1988",
            "csisolatin4",
            "iso-ir-110",
            "l4",
            "latin4",
        ],
        Kind::Rs(encoding_rs::ISO_8859_4),
    ),
    (
        "ISO_8859-5:1988",
        &[
            "iso-8859-5",
            "iso_8859-5",
            "iso_8859-5:1988",
            "csisolatincyrillic",
            "cyrillic",
            "iso-ir-144",
        ],
        Kind::Rs(encoding_rs::ISO_8859_5),
    ),
    (
        "ISO_8859-6:1987",
        &[
            "asmo-708",
            "ecma-114",
            "iso-8859-6",
            "iso_8859-6",
            "iso_8859-6:1987",
            "arabic",
            "csisolatinarabic",
            "iso-ir-127",
        ],
        Kind::Rs(encoding_rs::ISO_8859_6),
    ),
    (
        "ISO_8859-7:1987",
        &[
            "ecma-118",
            "elot_928",
            "iso-8859-7",
            "iso_8859-7",
            "iso_8859-7:1987",
            "csisolatingreek",
            "greek",
            "greek8",
            "iso-ir-126",
        ],
        Kind::Rs(encoding_rs::ISO_8859_7),
    ),
    (
        "ISO_8859-8:1988",
        &[
            "iso-8859-8",
            "iso_8859-8",
            "iso_8859-8:1988",
            "csisolatinhebrew",
            "hebrew",
            "iso-ir-138",
        ],
        Kind::Rs(encoding_rs::ISO_8859_8),
    ),
    (
        "ISO_8859-9:1989",
        &[
            "iso-8859-9",
            "iso_8859-9",
            "iso_8859-9:1989",
            "csisolatin5",
            "iso-ir-148",
            "l5",
            "latin5",
        ],
        Kind::Latin5,
    ),
    (
        "ISO-8859-10",
        &[
            "iso-8859-10",
            "iso_8859-10:1992",
            "csisolatin6",
            "iso-ir-157",
            "l6",
            "latin6",
        ],
        Kind::Rs(encoding_rs::ISO_8859_10),
    ),
    (
        "Shift_JIS",
        &["ms_kanji", "shift_jis", "csshiftjis"],
        Kind::Rs(encoding_rs::SHIFT_JIS),
    ),
    (
        "Extended_UNIX_Code_Packed_Format_for_Japanese",
        &[
            "euc-jp",
            "extended_unix_code_packed_format_for_japanese",
            "cseucpkdfmtjapanese",
        ],
        Kind::Rs(encoding_rs::EUC_JP),
    ),
    (
        "EUC-KR",
        &["euc-kr", "cseuckr"],
        Kind::Rs(encoding_rs::EUC_KR),
    ),
    (
        "ISO-2022-JP",
        &["iso-2022-jp", "csiso2022jp"],
        Kind::Rs(encoding_rs::ISO_2022_JP),
    ),
    (
        "ISO_8859-6-E",
        &["iso-8859-6-e", "iso_8859-6-e", "csiso88596e"],
        Kind::Rs(encoding_rs::ISO_8859_6),
    ),
    (
        "ISO_8859-6-I",
        &["iso-8859-6-i", "iso_8859-6-i", "csiso88596i"],
        Kind::Rs(encoding_rs::ISO_8859_6),
    ),
    (
        "ISO_8859-8-E",
        &["iso-8859-8-e", "iso_8859-8-e", "csiso88598e"],
        Kind::Rs(encoding_rs::ISO_8859_8),
    ),
    (
        "ISO_8859-8-I",
        &["iso-8859-8-i", "iso_8859-8-i", "csiso88598i"],
        Kind::Rs(encoding_rs::ISO_8859_8_I),
    ),
    ("UTF-8", &["utf-8", "csutf8"], Kind::Utf8),
    (
        "ISO-8859-13",
        &["iso-8859-13", "csiso885913"],
        Kind::Rs(encoding_rs::ISO_8859_13),
    ),
    (
        "ISO-8859-14",
        &[
            "iso-8859-14",
            "iso_8859-14",
            "iso_8859-14:1998",
            "csiso885914",
            "iso-celtic",
            "iso-ir-199",
            "l8",
            "latin8",
        ],
        Kind::Rs(encoding_rs::ISO_8859_14),
    ),
    (
        "ISO-8859-15",
        &["iso-8859-15", "iso_8859-15", "latin-9", "csiso885915"],
        Kind::Rs(encoding_rs::ISO_8859_15),
    ),
    (
        "ISO-8859-16",
        &[
            "iso-8859-16",
            "iso_8859-16",
            "iso_8859-16:2001",
            "csiso885916",
            "iso-ir-226",
            "l10",
            "latin10",
        ],
        Kind::Rs(encoding_rs::ISO_8859_16),
    ),
    (
        "GBK",
        &["cp936", "gbk", "ms936", "windows-936", "csgbk"],
        Kind::Rs(encoding_rs::GBK),
    ),
    (
        "GB18030",
        &["gb18030", "csgb18030"],
        Kind::Rs(encoding_rs::GB18030),
    ),
    (
        "UTF-16BE",
        &["utf-16be", "csutf16be"],
        Kind::Utf16 {
            le: false,
            bom: false,
        },
    ),
    (
        "UTF-16LE",
        &["utf-16le", "csutf16le"],
        Kind::Utf16 {
            le: true,
            bom: false,
        },
    ),
    (
        "UTF-16",
        &["utf-16", "csutf16"],
        Kind::Utf16 {
            le: false,
            bom: true,
        },
    ),
    (
        "IBM850",
        &["850", "ibm850", "cp850", "cspc850multilingual"],
        Kind::Unsupported,
    ),
    (
        "IBM852",
        &["852", "ibm852", "cp852", "cspcp852"],
        Kind::Unsupported,
    ),
    (
        "IBM437",
        &["437", "ibm437", "cp437", "cspc8codepage437"],
        Kind::Unsupported,
    ),
    (
        "IBM862",
        &["862", "ibm862", "cp862", "cspc862latinhebrew"],
        Kind::Unsupported,
    ),
    ("Big5", &["big5", "csbig5"], Kind::Rs(encoding_rs::BIG5)),
    (
        "macintosh",
        &["csmacintosh", "mac", "macintosh"],
        Kind::Rs(encoding_rs::MACINTOSH),
    ),
    (
        "IBM037",
        &[
            "ibm037",
            "cp037",
            "csibm037",
            "ebcdic-cp-ca",
            "ebcdic-cp-nl",
            "ebcdic-cp-us",
            "ebcdic-cp-wt",
        ],
        Kind::Unsupported,
    ),
    (
        "IBM855",
        &["855", "ibm855", "cp855", "csibm855"],
        Kind::Unsupported,
    ),
    (
        "IBM860",
        &["860", "ibm860", "cp860", "csibm860"],
        Kind::Unsupported,
    ),
    (
        "IBM863",
        &["863", "ibm863", "cp863", "csibm863"],
        Kind::Unsupported,
    ),
    (
        "IBM865",
        &["865", "ibm865", "cp865", "csibm865"],
        Kind::Unsupported,
    ),
    (
        "KOI8-R",
        &["koi8-r", "cskoi8r"],
        Kind::Rs(encoding_rs::KOI8_R),
    ),
    ("HZ-GB-2312", &["hz-gb-2312"], Kind::Unsupported),
    (
        "IBM866",
        &["866", "ibm866", "cp866", "csibm866"],
        Kind::Rs(encoding_rs::IBM866),
    ),
    (
        "KOI8-U",
        &["koi8-u", "cskoi8u"],
        Kind::Rs(encoding_rs::KOI8_U),
    ),
    (
        "IBM00858",
        &[
            "ccsid00858",
            "cp00858",
            "ibm00858",
            "pc-multilingual-850+euro",
            "csibm00858",
        ],
        Kind::Unsupported,
    ),
    (
        "IBM01140",
        &[
            "ccsid01140",
            "cp01140",
            "ibm01140",
            "ebcdic-us-37+euro",
            "csibm01140",
        ],
        Kind::Unsupported,
    ),
    (
        "IBM1047",
        &["ibm-1047", "ibm1047", "csibm1047"],
        Kind::Unsupported,
    ),
    (
        "windows-874",
        &["windows-874", "cswindows874"],
        Kind::Rs(encoding_rs::WINDOWS_874),
    ),
    (
        "windows-1250",
        &["windows-1250", "cswindows1250"],
        Kind::Rs(encoding_rs::WINDOWS_1250),
    ),
    (
        "windows-1251",
        &["windows-1251", "cswindows1251"],
        Kind::Rs(encoding_rs::WINDOWS_1251),
    ),
    (
        "windows-1252",
        &["windows-1252", "cswindows1252"],
        Kind::Rs(encoding_rs::WINDOWS_1252),
    ),
    (
        "windows-1253",
        &["windows-1253", "cswindows1253"],
        Kind::Rs(encoding_rs::WINDOWS_1253),
    ),
    (
        "windows-1254",
        &["windows-1254", "cswindows1254"],
        Kind::Rs(encoding_rs::WINDOWS_1254),
    ),
    (
        "windows-1255",
        &["windows-1255", "cswindows1255"],
        Kind::Rs(encoding_rs::WINDOWS_1255),
    ),
    (
        "windows-1256",
        &["windows-1256", "cswindows1256"],
        Kind::Rs(encoding_rs::WINDOWS_1256),
    ),
    (
        "windows-1257",
        &["windows-1257", "cswindows1257"],
        Kind::Rs(encoding_rs::WINDOWS_1257),
    ),
    (
        "windows-1258",
        &["windows-1258", "cswindows1258"],
        Kind::Rs(encoding_rs::WINDOWS_1258),
    ),
];

/// The six code points where ISO-8859-9 differs from Latin-1.
const LATIN5: [(u8, char); 6] = [
    (0xD0, 'Ğ'),
    (0xDD, 'İ'),
    (0xDE, 'Ş'),
    (0xF0, 'ğ'),
    (0xFD, 'ı'),
    (0xFE, 'ş'),
];

/// Characters `encoding_rs` maps but Go's `golang.org/x/text` does not: C1 controls
/// (but in GB18030, which covers all of Unicode; Latin-1 is handled apart) and, in the
/// multi-byte encodings, the private-use area.
fn not_in_x_text(enc: &'static Encoding, c: char) -> bool {
    (enc != encoding_rs::GB18030 && ('\u{80}'..='\u{9f}').contains(&c))
        || (!enc.is_single_byte() && ('\u{e000}'..='\u{f8ff}').contains(&c))
}

pub(super) enum Outcome<T> {
    Done(T),
    /// The conversion is not available here; the result is unknown.
    Unknown(Value),
}

impl Charset {
    pub(super) fn lookup(name: &str) -> Result<Charset, String> {
        let key = name.trim().to_lowercase();
        for (iana, aliases, kind) in TABLE {
            if aliases.contains(&key.as_str()) || iana.to_lowercase() == key {
                return Ok(Charset {
                    name: iana,
                    kind: *kind,
                });
            }
        }
        Err(format!(
            "{} is not a supported IANA encoding name or alias in this Terraform version",
            crate::go::quote(name)
        ))
    }

    fn unsupported(&self, what: &str) -> Value {
        Value::unknown(format!(
            "{what} with the {} encoding is not supported by tglint",
            self.name
        ))
    }

    pub(super) fn encode(&self, s: &str) -> Result<Outcome<Vec<u8>>, String> {
        let cannot = || {
            format!(
                "the given string contains characters that cannot be represented in {}",
                self.name
            )
        };
        let bytes = match self.kind {
            Kind::Utf8 => s.as_bytes().to_vec(),
            Kind::Utf16 { le, bom } => {
                let mut out = Vec::with_capacity(s.len() * 2 + 2);
                if bom {
                    out.extend_from_slice(&[0xFE, 0xFF]);
                }
                for u in s.encode_utf16() {
                    out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
                }
                out
            }
            Kind::Latin1 => s
                .chars()
                .map(|c| u8::try_from(u32::from(c)).map_err(|_| cannot()))
                .collect::<Result<_, _>>()?,
            Kind::Ascii => {
                if !s.is_ascii() {
                    return Err(cannot());
                }
                s.as_bytes().to_vec()
            }
            Kind::Latin5 => s
                .chars()
                .map(|c| {
                    if let Some((b, _)) = LATIN5.iter().find(|(_, x)| *x == c) {
                        return Ok(*b);
                    }
                    match u8::try_from(u32::from(c)) {
                        Ok(b) if !LATIN5.iter().any(|(x, _)| *x == b) => Ok(b),
                        _ => Err(cannot()),
                    }
                })
                .collect::<Result<_, _>>()?,
            Kind::Rs(enc) => {
                // Go's single-byte code pages (but Latin-1) have no C1 controls.
                if s.chars().any(|c| not_in_x_text(enc, c)) {
                    return Err(cannot());
                }
                let mut encoder = enc.new_encoder();
                let cap = encoder
                    .max_buffer_length_from_utf8_without_replacement(s.len())
                    .ok_or_else(cannot)?;
                let mut out = Vec::with_capacity(cap);
                let (res, _) =
                    encoder.encode_from_utf8_to_vec_without_replacement(s, &mut out, true);
                match res {
                    EncoderResult::InputEmpty => out,
                    _ => return Err(cannot()),
                }
            }
            Kind::Unsupported => {
                return Ok(Outcome::Unknown(self.unsupported("textencodebase64")));
            }
        };
        Ok(Outcome::Done(bytes))
    }

    pub(super) fn decode(&self, b: &[u8]) -> Result<Outcome<String>, String> {
        let undefined = || {
            format!(
                "the given string contains symbols that are not defined for {}",
                self.name
            )
        };
        let text: String = match self.kind {
            Kind::Utf8 => String::from_utf8(b.to_vec()).map_err(|_| undefined())?,
            Kind::Utf16 { le, bom } => {
                if !b.len().is_multiple_of(2) {
                    return Err(undefined());
                }
                let mut le = le;
                let mut body = b;
                if bom {
                    match b {
                        [0xFE, 0xFF, rest @ ..] => body = rest,
                        [0xFF, 0xFE, rest @ ..] => {
                            le = true;
                            body = rest;
                        }
                        _ => {}
                    }
                }
                let units = body.chunks_exact(2).map(|p| {
                    let pair = [p[0], p[1]];
                    if le {
                        u16::from_le_bytes(pair)
                    } else {
                        u16::from_be_bytes(pair)
                    }
                });
                char::decode_utf16(units)
                    .collect::<Result<String, _>>()
                    .map_err(|_| undefined())?
            }
            Kind::Latin1 => b.iter().map(|&x| char::from(x)).collect(),
            Kind::Ascii => {
                if !b.is_ascii() {
                    return Err(undefined());
                }
                b.iter().map(|&x| char::from(x)).collect()
            }
            Kind::Latin5 => b
                .iter()
                .map(|&x| match LATIN5.iter().find(|(y, _)| *y == x) {
                    Some((_, c)) => *c,
                    None => char::from(x),
                })
                .collect(),
            Kind::Rs(enc) => {
                let s = enc
                    .decode_without_bom_handling_and_without_replacement(b)
                    .ok_or_else(undefined)?;
                if s.chars().any(|c| not_in_x_text(enc, c)) {
                    return Err(undefined());
                }
                s.into_owned()
            }
            Kind::Unsupported => {
                return Ok(Outcome::Unknown(self.unsupported("textdecodebase64")));
            }
        };
        // Go reports a decoded replacement character as an undefined symbol, even one
        // that was in the input.
        if text.contains('\u{FFFD}') {
            return Err(undefined());
        }
        Ok(Outcome::Done(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(name: &str, s: &str) -> Result<Vec<u8>, String> {
        match Charset::lookup(name)?.encode(s)? {
            Outcome::Done(b) => Ok(b),
            Outcome::Unknown(v) => Err(v.to_string()),
        }
    }

    fn dec(name: &str, b: &[u8]) -> Result<String, String> {
        match Charset::lookup(name)?.decode(b)? {
            Outcome::Done(s) => Ok(s),
            Outcome::Unknown(v) => Err(v.to_string()),
        }
    }

    #[test]
    fn names_follow_ianaindex() {
        assert!(Charset::lookup(" UTF-8 ").is_ok());
        assert!(Charset::lookup("Latin1").is_ok());
        assert!(Charset::lookup("CP936").is_ok());
        for bad in [
            "utf8",
            "cp1252",
            "ascii",
            "sjis",
            "gb2312",
            "UTF-32",
            "x-user-defined",
        ] {
            assert!(Charset::lookup(bad).is_err(), "{bad}");
        }
        let e = enc("latin1", "€");
        assert!(e.is_err_and(|m| m.contains("represented in ISO_8859-1:1987")));
        let e = dec("EUC-JP", b"\xff");
        assert!(e.is_err_and(|m| m.contains("Extended_UNIX_Code_Packed_Format_for_Japanese")));
    }

    #[test]
    fn utf16_byte_order_marks() {
        assert_eq!(enc("UTF-16", "A"), Ok(vec![0xFE, 0xFF, 0, 0x41]));
        assert_eq!(enc("UTF-16LE", "😀"), Ok(vec![0x3D, 0xD8, 0x00, 0xDE]));
        assert_eq!(dec("UTF-16", &[0xFF, 0xFE, 0, 0x41]), Ok("䄀".into()));
        assert_eq!(dec("UTF-16", &[0, 0x78]), Ok("x".into()));
        assert_eq!(
            dec("UTF-16LE", &[0xFF, 0xFE, 0, 0x41]),
            Ok("\u{feff}䄀".into())
        );
        assert!(dec("UTF-16LE", &[0x41]).is_err());
        assert!(dec("UTF-16LE", &[0x00, 0xD8]).is_err());
        assert_eq!(dec("UTF-8", b"\xef\xbb\xbfA"), Ok("\u{feff}A".into()));
        assert!(dec("UTF-8", "\u{fffd}".as_bytes()).is_err());
    }

    #[test]
    fn single_byte_code_pages_follow_x_text() {
        assert_eq!(dec("ISO-8859-1", b"\x80\xff"), Ok("\u{80}ÿ".into()));
        assert_eq!(enc("ISO-8859-1", "\u{85}"), Ok(vec![0x85]));
        assert!(dec("windows-1252", b"\x81").is_err());
        assert_eq!(dec("windows-1252", b"\x80\x9f"), Ok("€Ÿ".into()));
        assert!(dec("ISO-8859-2", b"\x80").is_err());
        assert_eq!(dec("ISO-8859-2", b"\xff"), Ok("˙".into()));
        assert!(enc("KOI8-R", "\u{85}").is_err());
        assert_eq!(dec("ISO-8859-9", b"\xd0\xdd\xfe"), Ok("Ğİş".into()));
        assert_eq!(enc("ISO-8859-9", "Ğa"), Ok(vec![0xD0, 0x61]));
        assert!(enc("ISO-8859-9", "\u{d0}").is_err());
        assert!(dec("US-ASCII", b"A\x80").is_err());
        assert_eq!(enc("GBK", "€"), Ok(vec![0x80]));
        assert_eq!(enc("ISO-2022-JP", "あ"), Ok(b"\x1b$B$\"\x1b(B".to_vec()));
        assert_eq!(dec("Shift_JIS", b"\x82\xa0"), Ok("あ".into()));
        assert!(enc("IBM437", "a").is_err_and(|m| m.contains("not supported by tglint")));
    }
}
