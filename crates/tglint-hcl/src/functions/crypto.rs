//! Terraform's hash and crypto functions: `base64sha256`, `base64sha512`, `md5`, `sha1`,
//! `sha256`, `sha512`, `uuidv5`, `rsadecrypt`, and the random ones, `bcrypt` and `uuid`,
//! whose results are unknown (they differ on every run).

use super::encoding::{base64_encode, go_base64_decode};
use super::numeric::whole_i64;
use super::{Functions, Param};
use super::{hex, str_arg};
use crate::error::FnError;
use crate::go;
use crate::value::Value;
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

/// Registers a one-string-argument hash function.
fn hash_fn(f: &mut Functions, name: &str, hash: fn(&[u8]) -> String) {
    f.add(name, &[Param::new("str")], None, move |_, args| {
        let s = str_arg(&args, 0)?;
        Ok(Value::string(hash(s.as_bytes())))
    });
}

/// The namespaces uuidv5 knows by name (RFC 4122 appendix C).
const NS_DNS: [u8; 16] = uuid_bytes(0x6ba7b810_9dad_11d1_80b4_00c04fd430c8);
const NS_URL: [u8; 16] = uuid_bytes(0x6ba7b811_9dad_11d1_80b4_00c04fd430c8);
const NS_OID: [u8; 16] = uuid_bytes(0x6ba7b812_9dad_11d1_80b4_00c04fd430c8);
const NS_X500: [u8; 16] = uuid_bytes(0x6ba7b814_9dad_11d1_80b4_00c04fd430c8);

const fn uuid_bytes(v: u128) -> [u8; 16] {
    v.to_be_bytes()
}

fn hex_pair(a: u8, b: u8) -> Option<u8> {
    let hi = (a as char).to_digit(16)?;
    let lo = (b as char).to_digit(16)?;
    // Two hex digits are below 256.
    Some((hi * 16 + lo) as u8)
}

/// Parses a UUID as github.com/google/uuid's `Parse` does (the version Terraform v0.15.3
/// vendors): 36 characters with hyphens, 38 with any enclosing pair, 45 with a
/// `urn:uuid:` prefix, or 32 hex digits.
fn parse_uuid(s: &str) -> Result<[u8; 16], String> {
    let b = s.as_bytes();
    let mut out = [0u8; 16];
    let body: &[u8] = match b.len() {
        36 => b,
        45 => {
            let prefix = b.get(..9).unwrap_or(b);
            if !prefix.eq_ignore_ascii_case(b"urn:uuid:") {
                return Err(format!(
                    "invalid urn prefix: {}",
                    go::quote(&String::from_utf8_lossy(prefix))
                ));
            }
            b.get(9..).unwrap_or(b)
        }
        38 => b.get(1..).unwrap_or(b),
        32 => {
            for (i, o) in out.iter_mut().enumerate() {
                let (x, y) = (b[i * 2], b[i * 2 + 1]);
                *o = hex_pair(x, y).ok_or("invalid UUID format")?;
            }
            return Ok(out);
        }
        n => return Err(format!("invalid UUID length: {n}")),
    };
    if [8, 13, 18, 23].iter().any(|&i| body.get(i) != Some(&b'-')) {
        return Err("invalid UUID format".into());
    }
    const AT: [usize; 16] = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
    for (o, &x) in out.iter_mut().zip(AT.iter()) {
        let (Some(&a), Some(&c)) = (body.get(x), body.get(x + 1)) else {
            return Err("invalid UUID format".into());
        };
        *o = hex_pair(a, c).ok_or("invalid UUID format")?;
    }
    Ok(out)
}

/// A name-based (version 5, SHA-1) UUID, RFC 4122 section 4.3.
fn uuid_v5(namespace: &[u8; 16], name: &[u8]) -> String {
    let mut h = Sha1::new();
    h.update(namespace);
    h.update(name);
    let d = h.finalize();
    let mut u = [0u8; 16];
    for (o, b) in u.iter_mut().zip(d.iter()) {
        *o = *b;
    }
    u[6] = (u[6] & 0x0f) | 0x50;
    u[8] = (u[8] & 0x3f) | 0x80;
    let x = hex(&u);
    format!(
        "{}-{}-{}-{}-{}",
        &x[0..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..32]
    )
}

pub(crate) fn register(f: &mut Functions) {
    hash_fn(f, "md5", |b| hex(&Md5::digest(b)));
    hash_fn(f, "sha1", |b| hex(&Sha1::digest(b)));
    hash_fn(f, "sha256", |b| hex(&Sha256::digest(b)));
    hash_fn(f, "sha512", |b| hex(&Sha512::digest(b)));
    hash_fn(f, "base64sha256", |b| base64_encode(&Sha256::digest(b)));
    hash_fn(f, "base64sha512", |b| base64_encode(&Sha512::digest(b)));

    f.add(
        "uuidv5",
        &[Param::new("namespace"), Param::new("name")],
        None,
        |_, args| {
            let ns_text = str_arg(&args, 0)?;
            let name = str_arg(&args, 1)?;
            let ns = match ns_text.as_str() {
                "dns" => NS_DNS,
                "url" => NS_URL,
                "oid" => NS_OID,
                "x500" => NS_X500,
                other => parse_uuid(other).map_err(|e| {
                    FnError::call(format!("uuidv5() doesn't support namespace {other} ({e})"))
                })?,
            };
            Ok(Value::string(uuid_v5(&ns, name.as_bytes())))
        },
    );

    f.add("uuid", &[], None, |_, _| {
        Ok(Value::unknown(
            "uuid returns a new random value on every call",
        ))
    });

    f.add(
        "bcrypt",
        &[Param::new("str")],
        Some(Param::new("cost")),
        |_, args| {
            str_arg(&args, 0)?;
            if let Some(c) = args.get(1) {
                let n = c.to_number_conv().map_err(|m| FnError::arg(1, m))?;
                let cost = whole_i64(&n).map_err(FnError::call)?;
                if args.len() > 2 {
                    return Err(FnError::call("bcrypt() takes no more than two arguments"));
                }
                // golang.org/x/crypto/bcrypt uses its default cost below the minimum of
                // 4 and rejects costs above 31.
                if cost > 31 {
                    return Err(FnError::call(format!(
                        "error occured generating password crypto/bcrypt: cost {cost} is outside allowed range (4,31)"
                    )));
                }
            }
            Ok(Value::unknown(
                "bcrypt uses a random salt, so its result differs on every run",
            ))
        },
    );

    f.add(
        "rsadecrypt",
        &[Param::new("ciphertext"), Param::new("privatekey")],
        None,
        |_, args| {
            let ct_text = str_arg(&args, 0)?;
            let key_text = str_arg(&args, 1)?;
            let ct = go_base64_decode(&ct_text).map_err(|_| {
                FnError::arg(
                    0,
                    format!(
                        "failed to decode input {}: cipher text must be base64-encoded",
                        go::quote(&ct_text)
                    ),
                )
            })?;
            let key = rsa_key::parse_private_key(&key_text).map_err(|m| FnError::arg(1, m))?;
            let out = rsa_key::decrypt_pkcs1v15(&key, &ct)
                .map_err(|_| FnError::call("failed to decrypt: crypto/rsa: decryption error"))?;
            // Go makes a string of the bytes as they are; ours must be UTF-8.
            Ok(Value::string(String::from_utf8_lossy(&out).into_owned()))
        },
    );
}

/// RSA private key parsing as golang.org/x/crypto/ssh's `ParseRawPrivateKey` does it
/// (PEM: PKCS#1, PKCS#8 and OpenSSH formats), and PKCS#1 v1.5 decryption with explicit
/// rejection of bad padding, as Go's `rsa.DecryptPKCS1v15`.
mod rsa_key {
    use super::go_base64_decode;
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::pkcs8::DecodePrivateKey;
    use rsa::traits::PublicKeyParts;
    use rsa::{BoxedUint, PrivateKey};

    /// A PEM block: its type, headers and decoded body.
    struct Pem {
        kind: String,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    }

    /// Finds the first well-formed PEM block, as Go's `pem.Decode` does: a BEGIN line at
    /// the start of a line, optional `Key: Value` header lines, a base64 body and the
    /// matching END line.
    fn pem_decode(text: &str) -> Option<Pem> {
        const BEGIN: &str = "-----BEGIN ";
        let mut from = 0;
        while let Some(rel) = text.get(from..)?.find(BEGIN) {
            let start = from + rel;
            from = start + BEGIN.len();
            let at_line_start = start == 0 || text.get(..start)?.ends_with('\n');
            if !at_line_start {
                continue;
            }
            let after = text.get(from..)?;
            let eol = after.find('\n')?;
            let Some(kind) = after
                .get(..eol)?
                .trim_end_matches('\r')
                .strip_suffix("-----")
            else {
                continue;
            };
            let body_and_more = after.get(eol + 1..)?;
            let Some(end) = body_and_more.find(&format!("-----END {kind}-----")) else {
                continue;
            };
            let mut headers = Vec::new();
            let mut body = String::new();
            let mut in_headers = true;
            for line in body_and_more.get(..end)?.lines() {
                if in_headers && let Some((k, v)) = line.split_once(':') {
                    headers.push((k.trim().to_string(), v.trim().to_string()));
                    continue;
                }
                in_headers = false;
                body.extend(line.chars().filter(|c| !c.is_whitespace()));
            }
            if let Ok(b) = go_base64_decode(&body) {
                return Some(Pem {
                    kind: kind.to_string(),
                    headers,
                    body: b,
                });
            }
        }
        None
    }

    pub(super) fn parse_private_key(text: &str) -> Result<PrivateKey, String> {
        let Some(pem) = pem_decode(text) else {
            return Err("invalid private key: ssh: no key found".into());
        };
        let encrypted = pem
            .headers
            .iter()
            .any(|(k, v)| k == "Proc-Type" && v.contains("ENCRYPTED"));
        if encrypted {
            return Err(
                "invalid private key: ssh: this private key is passphrase protected".into(),
            );
        }
        match pem.kind.as_str() {
            "RSA PRIVATE KEY" => PrivateKey::from_pkcs1_der(&pem.body)
                .map_err(|e| format!("invalid ASN1 data in the given private key: {e}")),
            "PRIVATE KEY" => PrivateKey::from_pkcs8_der(&pem.body)
                .map_err(|e| format!("invalid private key: x509: {e}")),
            "EC PRIVATE KEY" | "DSA PRIVATE KEY" => {
                Err("invalid private key type: only RSA keys are supported".into())
            }
            "OPENSSH PRIVATE KEY" => parse_openssh(&pem.body),
            other => Err(format!(
                "invalid private key: ssh: unsupported key type {}",
                crate::go::quote(other)
            )),
        }
    }

    /// A reader over the SSH wire format (RFC 4251 section 5).
    struct Wire<'a>(&'a [u8]);

    impl<'a> Wire<'a> {
        fn u32(&mut self) -> Option<u32> {
            let (head, rest) = self.0.split_at_checked(4)?;
            self.0 = rest;
            Some(u32::from_be_bytes(head.try_into().ok()?))
        }
        fn bytes(&mut self) -> Option<&'a [u8]> {
            let n = usize::try_from(self.u32()?).ok()?;
            let (head, rest) = self.0.split_at_checked(n)?;
            self.0 = rest;
            Some(head)
        }
        /// An mpint as an unsigned magnitude (RSA values are positive).
        fn mpint(&mut self) -> Option<&'a [u8]> {
            let b = self.bytes()?;
            let start = b.iter().position(|&x| x != 0).unwrap_or(b.len());
            b.get(start..)
        }
    }

    fn uint(bytes: &[u8], bits: u32) -> Result<BoxedUint, String> {
        BoxedUint::from_be_slice(bytes, bits.max(64))
            .map_err(|_| "invalid private key: ssh: malformed RSA key".to_string())
    }

    fn parse_openssh(data: &[u8]) -> Result<PrivateKey, String> {
        let malformed =
            || "invalid private key: ssh: invalid openssh private key format".to_string();
        let rest = data
            .strip_prefix(b"openssh-key-v1\0")
            .ok_or_else(malformed)?;
        let mut w = Wire(rest);
        let cipher = w.bytes().ok_or_else(malformed)?;
        let kdf = w.bytes().ok_or_else(malformed)?;
        let _kdf_opts = w.bytes().ok_or_else(malformed)?;
        let nkeys = w.u32().ok_or_else(malformed)?;
        if cipher != b"none" || kdf != b"none" {
            return Err(
                "invalid private key: ssh: this private key is passphrase protected".into(),
            );
        }
        if nkeys != 1 {
            return Err("invalid private key: ssh: multi-key files are not supported".into());
        }
        let _public = w.bytes().ok_or_else(malformed)?;
        let private = w.bytes().ok_or_else(malformed)?;
        let mut p = Wire(private);
        let (c1, c2) = (
            p.u32().ok_or_else(malformed)?,
            p.u32().ok_or_else(malformed)?,
        );
        if c1 != c2 {
            return Err("invalid private key: ssh: checkint mismatch".into());
        }
        let kind = p.bytes().ok_or_else(malformed)?;
        if kind != b"ssh-rsa" {
            return Err("invalid private key type: only RSA keys are supported".into());
        }
        let n = p.mpint().ok_or_else(malformed)?;
        let e = p.mpint().ok_or_else(malformed)?;
        let d = p.mpint().ok_or_else(malformed)?;
        let _iqmp = p.mpint().ok_or_else(malformed)?;
        let pp = p.mpint().ok_or_else(malformed)?;
        let q = p.mpint().ok_or_else(malformed)?;
        let bits = u32::try_from(n.len().saturating_mul(8)).map_err(|_| malformed())?;
        let e_bits = u32::try_from(e.len().saturating_mul(8)).map_err(|_| malformed())?;
        let key = PrivateKey::from_components(
            uint(n, bits)?,
            uint(e, e_bits)?,
            uint(d, bits)?,
            vec![uint(pp, bits)?, uint(q, bits)?],
        );
        key.map_err(|e| format!("invalid private key: {e}"))
    }

    /// An RNG type for the unblinded private operation; it is never called.
    struct NoRng;

    #[derive(Debug)]
    struct NoRngError;

    impl std::fmt::Display for NoRngError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("no randomness available")
        }
    }

    impl std::error::Error for NoRngError {}

    impl rsa::rand_core::TryRng for NoRng {
        type Error = NoRngError;
        fn try_next_u32(&mut self) -> Result<u32, NoRngError> {
            Err(NoRngError)
        }
        fn try_next_u64(&mut self) -> Result<u64, NoRngError> {
            Err(NoRngError)
        }
        fn try_fill_bytes(&mut self, _: &mut [u8]) -> Result<(), NoRngError> {
            Err(NoRngError)
        }
    }

    impl rsa::rand_core::TryCryptoRng for NoRng {}

    /// RSAES-PKCS1-v1_5 decryption (RFC 8017 section 7.2.2) with an error for bad
    /// padding, as Go reports it.
    pub(super) fn decrypt_pkcs1v15(key: &PrivateKey, ct: &[u8]) -> Result<Vec<u8>, ()> {
        let k = key.size();
        if k < 11 {
            return Err(());
        }
        // Go reads the ciphertext as a big-endian integer of any length.
        let start = ct.iter().position(|&b| b != 0).unwrap_or(ct.len());
        let ct = ct.get(start..).ok_or(())?;
        if ct.len() > k {
            return Err(());
        }
        let c = BoxedUint::from_be_slice(ct, key.n_bits_precision()).map_err(|_| ())?;
        if c >= *key.n().as_ref() {
            return Err(());
        }
        let m = rsa::hazmat::rsa_decrypt_and_check(key, None::<&mut NoRng>, &c).map_err(|_| ())?;
        let raw = m.to_be_bytes();
        let digits = raw.iter().position(|&b| b != 0).unwrap_or(raw.len());
        let digits = raw.get(digits..).ok_or(())?;
        if digits.len() > k {
            return Err(());
        }
        let mut em = vec![0u8; k - digits.len()];
        em.extend_from_slice(digits);
        // EM = 0x00 || 0x02 || PS (at least 8 non-zero bytes) || 0x00 || M
        if em.first() != Some(&0) || em.get(1) != Some(&2) {
            return Err(());
        }
        let sep = em.iter().skip(2).position(|&b| b == 0).ok_or(())? + 2;
        if sep < 10 {
            return Err(());
        }
        Ok(em.get(sep + 1..).ok_or(())?.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::testing::*;

    #[test]
    fn hash_documented_examples() {
        shows(
            &ok("md5", vec![s("hello world")]),
            r#""5eb63bbbe01eeed093cb22bb8f5acdc3""#,
        );
        shows(
            &ok("sha1", vec![s("hello world")]),
            r#""2aae6c35c94fcfb415dbe95f408b9ce91ee846ed""#,
        );
        shows(
            &ok("sha256", vec![s("hello world")]),
            r#""b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9""#,
        );
        shows(
            &ok("sha512", vec![s("hello world")]),
            r#""309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f""#,
        );
        shows(
            &ok("base64sha256", vec![s("hello world")]),
            r#""uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=""#,
        );
        shows(
            &ok("base64sha512", vec![s("hello world")]),
            r#""MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==""#,
        );
        shows(
            &ok("md5", vec![s("")]),
            r#""d41d8cd98f00b204e9800998ecf8427e""#,
        );
        // Numbers convert to strings first.
        shows(
            &ok("sha1", vec![n(1)]),
            r#""356a192b7913b04c54574d18c28d46e6395428ab""#,
        );
        err("sha256", vec![Value::tuple(vec![])], "string required");
        err("md5", vec![Value::null()], "must not be null");
        assert!(!ok("sha1", vec![Value::unknown("u")]).is_known());
    }

    #[test]
    fn uuidv5_documented_examples() {
        shows(
            &ok("uuidv5", vec![s("dns"), s("www.terraform.io")]),
            r#""a5008fae-b28c-5ba5-96cd-82b4c53552d6""#,
        );
        shows(
            &ok("uuidv5", vec![s("url"), s("https://www.terraform.io/")]),
            r#""9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5""#,
        );
        shows(
            &ok("uuidv5", vec![s("oid"), s("1.3.6.1.4")]),
            r#""af9d40a5-7a36-5c07-b23a-851cd99fbfa5""#,
        );
        shows(
            &ok("uuidv5", vec![s("x500"), s("CN=Example,C=GB")]),
            r#""84e09961-4aa4-57f8-95b7-03edb1073253""#,
        );
        shows(
            &ok(
                "uuidv5",
                vec![
                    s("6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
                    s("www.terraform.io"),
                ],
            ),
            r#""a5008fae-b28c-5ba5-96cd-82b4c53552d6""#,
        );
        shows(
            &ok(
                "uuidv5",
                vec![
                    s("743ac3c0-3bf7-4a5b-9e6c-59360447c757"),
                    s("LIBS:diskfree"),
                ],
            ),
            r#""68046825-b333-523f-b7fe-c17fbdd4f6a0""#,
        );
        // Other accepted spellings of a namespace.
        let plain = ok(
            "uuidv5",
            vec![s("6ba7b8109dad11d180b400c04fd430c8"), s("x")],
        );
        let urn = ok(
            "uuidv5",
            vec![s("urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8"), s("x")],
        );
        let braces = ok(
            "uuidv5",
            vec![s("{6ba7b810-9dad-11d1-80b4-00c04fd430c8}"), s("x")],
        );
        let dns = ok("uuidv5", vec![s("dns"), s("x")]);
        assert!(plain.same(&dns) && urn.same(&dns) && braces.same(&dns));
        err(
            "uuidv5",
            vec![s("tada"), s("x")],
            "uuidv5() doesn't support namespace tada (invalid UUID length: 4)",
        );
        err(
            "uuidv5",
            vec![s("6ba7b810x9dad-11d1-80b4-00c04fd430c8"), s("x")],
            "(invalid UUID format)",
        );
        err(
            "uuidv5",
            vec![s("urx:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8"), s("x")],
            r#"invalid urn prefix: \"urx:uuid:\""#,
        );
        err(
            "uuidv5",
            vec![s("6ba7b810-9dad-11d1-80b4-00c04fd430cg"), s("x")],
            "invalid UUID format",
        );
    }

    #[test]
    fn uuid_and_bcrypt_are_unknown() {
        let u = ok("uuid", vec![]);
        assert!(!u.is_known());
        assert!(u.to_string().contains("new random value"));
        let b = ok("bcrypt", vec![s("hello")]);
        assert!(b.to_string().contains("random salt"));
        assert!(!ok("bcrypt", vec![s("hello"), n(4)]).is_known());
        assert!(!ok("bcrypt", vec![s("hello"), n(31)]).is_known());
        // Below the minimum, x/crypto/bcrypt falls back to its default cost.
        assert!(!ok("bcrypt", vec![s("hello"), n(1)]).is_known());
        err(
            "bcrypt",
            vec![s("hello"), n(32)],
            "cost 32 is outside allowed range (4,31)",
        );
        err(
            "bcrypt",
            vec![s("hello"), Value::float(5.5)],
            "value must be a whole number",
        );
        err(
            "bcrypt",
            vec![s("hello"), n(5), n(6)],
            "bcrypt() takes no more than two arguments",
        );
        err("bcrypt", vec![s("hello"), s("x")], "a number is required");
        err("bcrypt", vec![Value::tuple(vec![])], "string required");
        err("uuid", vec![s("x")], "TooManyArgs");
    }

    /// Keys made with `openssl genrsa -traditional 1024` (two of them), converted with
    /// `openssl pkcs8 -topk8 -nocrypt` and `ssh-keygen -p -o`; the ciphertext is
    /// `openssl pkeyutl -encrypt -pkeyopt rsa_padding_mode:pkcs1` of "message".
    fn key(name: &str) -> String {
        match name {
            "rsa_pkcs1.pem" => include_str!("testdata/rsa_pkcs1.pem"),
            "rsa_pkcs8.pem" => include_str!("testdata/rsa_pkcs8.pem"),
            "rsa_openssh.pem" => include_str!("testdata/rsa_openssh.pem"),
            _ => include_str!("testdata/rsa_other.pem"),
        }
        .to_string()
    }

    const CIPHER: &str = "JTwouHsEbojTgzKBMDENBe0Qy6tcTFH23f0KWeRlIwmQvuBGMSousK7yQzn6saMY6tF5QsQRuWcpvG0LF9JAKCE7V2PjJjgraPKRPpS6dyfrcw34eQWdjnZSCiF/fo2rSmJ92MMKxN4vHB7jCx2ll0MxlB6yUFQwRQMyWsOsek0=";

    #[test]
    fn rsadecrypt_decrypts_with_each_key_format() {
        for k in ["rsa_pkcs1.pem", "rsa_pkcs8.pem", "rsa_openssh.pem"] {
            shows(
                &ok("rsadecrypt", vec![s(CIPHER), s(&key(k))]),
                r#""message""#,
            );
        }
    }

    #[test]
    fn rsadecrypt_errors() {
        err(
            "rsadecrypt",
            vec![s(CIPHER), s(&key("rsa_other.pem"))],
            "failed to decrypt: crypto/rsa: decryption error",
        );
        err(
            "rsadecrypt",
            vec![s(CIPHER), s("")],
            "invalid private key: ssh: no key found",
        );
        err(
            "rsadecrypt",
            vec![s("bad"), s(&key("rsa_pkcs1.pem"))],
            r#"failed to decode input \"bad\": cipher text must be base64-encoded"#,
        );
        err(
            "rsadecrypt",
            vec![s(""), s(&key("rsa_pkcs1.pem"))],
            "failed to decrypt: crypto/rsa: decryption error",
        );
        // Valid base64, but the DER stops after two lines.
        let full = key("rsa_pkcs1.pem");
        let lines: Vec<&str> = full.lines().collect();
        let truncated = format!(
            "{}\n{}\n{}\n-----END RSA PRIVATE KEY-----\n",
            lines[0], lines[1], lines[2]
        );
        err(
            "rsadecrypt",
            vec![s(CIPHER), s(&truncated)],
            "invalid ASN1 data in the given private key",
        );
        let enc = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0123\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";
        err(
            "rsadecrypt",
            vec![s(CIPHER), s(enc)],
            "passphrase protected",
        );
        let other = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        err(
            "rsadecrypt",
            vec![s(CIPHER), s(other)],
            r#"ssh: unsupported key type \"CERTIFICATE\""#,
        );
        // A block that decrypts but whose padding is not PKCS#1 v1.5 type 2.
        let all_ones = base64_encode(&[1u8; 128]);
        err(
            "rsadecrypt",
            vec![s(&all_ones), s(&key("rsa_pkcs1.pem"))],
            "failed to decrypt",
        );
        let too_long = base64_encode(&[0xFFu8; 129]);
        err(
            "rsadecrypt",
            vec![s(&too_long), s(&key("rsa_pkcs1.pem"))],
            "failed to decrypt",
        );
    }
}
