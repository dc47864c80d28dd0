//! Terraform's IP network functions: `cidrhost`, `cidrnetmask`, `cidrsubnet` and
//! `cidrsubnets`, for IPv4 and IPv6.
//!
//! Terraform parses prefixes with Go 1.16's `net.ParseCIDR` (which takes a host address
//! with host bits set and uses its network, and accepts decimal octets with leading
//! zeros) and computes with `github.com/apparentlymart/go-cidr`; both are reproduced here,
//! quirks included, over `u128` arithmetic. Addresses and prefixes print as Go prints
//! them: an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) prints in dotted form.

use super::numeric::{whole_i64, whole_i128};
use super::str_arg;
use super::{Functions, Param};
use crate::error::FnError;
use crate::value::{Number, Value};
use ipnet::{Ipv4Net, Ipv6Net};
use std::net::{Ipv4Addr, Ipv6Addr};

/// A parsed network: the address with its host bits cleared, the prefix length and the
/// address width (32 or 128).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Net {
    addr: u128,
    prefix: u32,
    bits: u32,
}

impl Net {
    fn full(self) -> u128 {
        if self.bits >= 128 {
            u128::MAX
        } else {
            (1u128 << self.bits) - 1
        }
    }

    /// The host part of a prefix of length `p` in this address family.
    fn host_mask(self, p: u32) -> u128 {
        if p >= self.bits { 0 } else { self.full() >> p }
    }

    fn net_mask(self, p: u32) -> u128 {
        self.full() & !self.host_mask(p)
    }

    /// Whether an IPv6 address is IPv4-mapped, which Go prints (and partly treats) as IPv4.
    fn mapped(self) -> bool {
        self.bits == 128 && self.addr >> 32 == 0xFFFF
    }

    fn contains(self, a: u128) -> bool {
        a & self.net_mask(self.prefix) == self.addr
    }
}

/// Go 1.16's `dtoi`: decimal digits up to 0xFFFFFF; returns the value and digits read.
fn dtoi(s: &[u8]) -> Option<(u32, usize)> {
    let mut n: u32 = 0;
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        if !c.is_ascii_digit() {
            break;
        }
        n = n * 10 + u32::from(c - b'0');
        if n >= 0xFF_FFFF {
            return None;
        }
        i += 1;
    }
    if i == 0 { None } else { Some((n, i)) }
}

/// Go 1.16's `xtoi`: hexadecimal digits up to 0xFFFFFF.
fn xtoi(s: &[u8]) -> Option<(u32, usize)> {
    let mut n: u32 = 0;
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        let Some(d) = (c as char).to_digit(16) else {
            break;
        };
        n = n * 16 + d;
        if n >= 0xFF_FFFF {
            return None;
        }
        i += 1;
    }
    if i == 0 { None } else { Some((n, i)) }
}

/// Go 1.16's `parseIPv4`: four decimal octets, leading zeros allowed.
fn parse_ipv4(mut s: &[u8]) -> Option<u32> {
    let mut out: u32 = 0;
    for i in 0..4 {
        if s.is_empty() {
            return None;
        }
        if i > 0 {
            s = s.strip_prefix(b".")?;
        }
        let (n, c) = dtoi(s)?;
        if n > 0xFF {
            return None;
        }
        s = s.get(c..)?;
        out = (out << 8) | n;
    }
    if s.is_empty() { Some(out) } else { None }
}

/// Go 1.16's `parseIPv6` (no zone): hex groups of any length below 0x10000, one `::`,
/// and an optional trailing dotted IPv4 part.
fn parse_ipv6(mut s: &[u8]) -> Option<u128> {
    let mut ip = [0u8; 16];
    let mut ellipsis: Option<usize> = None;
    if let Some(rest) = s.strip_prefix(b"::") {
        ellipsis = Some(0);
        s = rest;
        if s.is_empty() {
            return Some(0);
        }
    }
    let mut i = 0usize;
    while i < 16 {
        let (n, c) = xtoi(s)?;
        if n > 0xFFFF {
            return None;
        }
        if s.get(c) == Some(&b'.') {
            if ellipsis.is_none() && i != 12 {
                return None;
            }
            if i + 4 > 16 {
                return None;
            }
            let v4 = parse_ipv4(s)?.to_be_bytes();
            ip.get_mut(i..i + 4)?.copy_from_slice(&v4);
            s = b"";
            i += 4;
            break;
        }
        // n <= 0xFFFF, so both bytes are exact.
        ip[i] = (n >> 8) as u8;
        ip[i + 1] = (n & 0xFF) as u8;
        i += 2;
        s = s.get(c..)?;
        if s.is_empty() {
            break;
        }
        if s[0] != b':' || s.len() == 1 {
            return None;
        }
        s = &s[1..];
        if s[0] == b':' {
            if ellipsis.is_some() {
                return None;
            }
            ellipsis = Some(i);
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return None;
    }
    if i < 16 {
        let e = ellipsis?;
        let n = 16 - i;
        // Move the groups after the ellipsis to the end, zero the gap.
        for j in (e..i).rev() {
            ip[j + n] = ip[j];
        }
        for b in ip.iter_mut().skip(e).take(n) {
            *b = 0;
        }
    } else if ellipsis.is_some() {
        return None;
    }
    Some(u128::from_be_bytes(ip))
}

/// Go 1.16's `net.ParseCIDR`, returning the network (host bits cleared).
fn parse_cidr(s: &str) -> Result<Net, String> {
    let bad = || format!("invalid CIDR address: {s}");
    let (addr, mask) = s.split_once('/').ok_or_else(bad)?;
    let (ip, bits) = match parse_ipv4(addr.as_bytes()) {
        Some(v4) => (u128::from(v4), 32),
        None => (parse_ipv6(addr.as_bytes()).ok_or_else(bad)?, 128),
    };
    let (n, used) = dtoi(mask.as_bytes()).ok_or_else(bad)?;
    if used != mask.len() || n > bits {
        return Err(bad());
    }
    let mut net = Net {
        addr: ip,
        prefix: n,
        bits,
    };
    net.addr &= net.net_mask(n);
    Ok(net)
}

fn cidr_arg(s: &str) -> Result<Net, String> {
    parse_cidr(s).map_err(|e| format!("invalid CIDR expression: {e}"))
}

/// An address as Go's `net.IP.String` prints it.
fn addr_string(a: u128, bits: u32) -> String {
    if bits == 32 {
        return Ipv4Addr::from((a & 0xFFFF_FFFF) as u32).to_string();
    }
    if a >> 32 == 0xFFFF {
        return Ipv4Addr::from((a & 0xFFFF_FFFF) as u32).to_string();
    }
    Ipv6Addr::from(a).to_string()
}

/// A network as Go's `net.IPNet.String` prints it (the address is not re-masked).
fn net_string(addr: u128, prefix: u32, bits: u32) -> String {
    if bits == 32 {
        let a = Ipv4Addr::from((addr & 0xFFFF_FFFF) as u32);
        return match Ipv4Net::new(a, prefix.min(32) as u8) {
            Ok(n) => n.to_string(),
            Err(_) => format!("{a}/{prefix}"),
        };
    }
    if addr >> 32 == 0xFFFF {
        // Go shortens the address to IPv4 and keeps the last 32 bits of the mask.
        return format!(
            "{}/{}",
            Ipv4Addr::from((addr & 0xFFFF_FFFF) as u32),
            prefix.saturating_sub(96)
        );
    }
    let a = Ipv6Addr::from(addr);
    match Ipv6Net::new(a, prefix.min(128) as u8) {
        Ok(n) => n.to_string(),
        Err(_) => format!("{a}/{prefix}"),
    }
}

fn number_arg(args: &[Value], i: usize) -> Result<Number, FnError> {
    match args.get(i) {
        Some(v) => v.to_number_conv().map_err(|m| FnError::arg(i, m)),
        None => Err(FnError::call("missing argument")),
    }
}

/// go-cidr's `HostBig`: host number `num` (negative counts back from the last address).
fn cidr_host(net: Net, num: Option<i128>, shown: &str) -> Result<String, String> {
    let host_len = net.bits - net.prefix;
    let max: u128 = if host_len >= 128 {
        u128::MAX
    } else {
        (1u128 << host_len) - 1
    };
    let too_big = |n: String| {
        format!(
            "prefix of {} does not accommodate a host numbered {n}",
            net.prefix
        )
    };
    let Some(num) = num else {
        return Err(too_big(shown.to_string()));
    };
    let host = if num < 0 {
        // -1 is the last address: max - (|num| - 1).
        let back = num.unsigned_abs() - 1;
        if back > max {
            // go-cidr reports the number it computed, max - (|num| - 1).
            let shown = (max as i128).saturating_sub(back as i128);
            return Err(too_big(shown.to_string()));
        }
        max - back
    } else {
        let n = num.unsigned_abs();
        if n > max {
            return Err(too_big(num.to_string()));
        }
        n
    };
    // go-cidr shifts by (address bits - 32) for an IPv4-mapped prefix, which it sees as
    // IPv4 when choosing the width but as IPv6 when shifting.
    let shift = if net.mapped() { 96 } else { 0 };
    let placed = host.checked_shl(shift).filter(|p| p >> shift == host);
    match placed {
        Some(p) => Ok(addr_string(net.addr | p, net.bits)),
        None => Err(too_big(num.to_string())),
    }
}

/// go-cidr's `SubnetBig`.
fn cidr_subnet(net: Net, newbits: i64, num: Option<i128>, shown: &str) -> Result<String, String> {
    let too_big = |n: &str| {
        format!("prefix extension of {newbits} does not accommodate a subnet numbered {n}")
    };
    let new_len = i64::from(net.prefix) + newbits;
    if new_len > i64::from(net.bits) {
        return Err(format!(
            "insufficient address space to extend prefix of {} by {newbits}",
            net.prefix
        ));
    }
    if new_len < 0 {
        return Err(format!(
            "cannot extend prefix of {} by {newbits}",
            net.prefix
        ));
    }
    let Some(num) = num else {
        return Err(too_big(shown));
    };
    if num < 0 {
        return negative_subnet(net, newbits, num, new_len as u32)
            .ok_or_else(|| too_big(&num.to_string()));
    }
    let n = num.unsigned_abs();
    // Go computes uint64(1<<newbits) - 1, which wraps to MaxUint64 from 64 bits on (and
    // for negative newbits) and so accepts larger numbers, inserting them whole; here the
    // bound is 2^newbits - 1 throughout, which agrees wherever Go's result is meaningful.
    let max: u128 = match u32::try_from(newbits) {
        Ok(b) if b < 128 => (1u128 << b) - 1,
        _ => u128::MAX,
    };
    if n > max {
        return Err(too_big(&num.to_string()));
    }
    // new_len is within 0..=bits here.
    let shift = net.bits - new_len as u32;
    let placed = if n == 0 {
        0
    } else {
        match n
            .checked_shl(shift)
            .filter(|p| p >> shift == n && p & !net.full() == 0)
        {
            Some(p) => p,
            None => return Err(too_big(&num.to_string())),
        }
    };
    Ok(net_string(net.addr | placed, new_len as u32, net.bits))
}

/// go-cidr v1.1.0's `SubnetBig` with a negative subnet number, which Terraform passes
/// through: the number is accepted when its magnitude has at most `newbits` bits, shifted
/// into place and OR-ed into the address as `big.Int` does it (two's complement, so every
/// bit above the number is set), and the address printed from the magnitude of that
/// negative result (`big.Int.Bytes`). `cidrsubnet("10.0.0.0/8", 8, -1)` is
/// `"0.1.0.0/16"`. `None` where Go refuses the number (or would overrun the address).
fn negative_subnet(net: Net, newbits: i64, num: i128, new_len: u32) -> Option<String> {
    let n = num.unsigned_abs();
    let bit_len = 128 - n.leading_zeros();
    if i64::from(bit_len) > newbits {
        return None;
    }
    let shift = net.bits - new_len;
    // |num| << shift < 2^(bits - prefix): it fits in the address width.
    let m = n.checked_shl(shift).filter(|m| m >> shift == n)?;
    // The low `bits` bits of -m OR address; everything above is ones, so the result is
    // -(2^bits - low), whose magnitude Go prints.
    let low = (m.wrapping_neg() | net.addr) & net.full();
    if low == 0 {
        // A magnitude of 2^bits: one byte more than the address holds.
        return None;
    }
    let magnitude = low.wrapping_neg() & net.full();
    Some(net_string(magnitude, new_len, net.bits))
}

/// One step of go-cidr's `NextSubnet`: the next prefix of length `len` after `cur`, and
/// whether the address space rolled over.
fn next_subnet(cur: Net, len: u32) -> (Net, bool) {
    let cur_last = cur.addr | cur.host_mask(cur.prefix);
    let sub = cur_last & cur.net_mask(len);
    let last = sub | cur.host_mask(len);
    let next = last.wrapping_add(1) & cur.full();
    (
        Net {
            addr: next & cur.net_mask(len),
            prefix: len,
            bits: cur.bits,
        },
        next == 0,
    )
}

fn cidr_subnets(args: &[Value]) -> Result<Value, FnError> {
    let prefix = str_arg(args, 0)?;
    let net = cidr_arg(&prefix).map_err(|m| FnError::arg(0, m))?;
    let rest = args.get(1..).unwrap_or(&[]);
    if rest.is_empty() {
        return Ok(Value::list_of(&super::conversion::Ty::String, vec![]));
    }
    let proto = if net.bits == 32 { "IPv4" } else { "IPv6" };
    let mut current: Option<Net> = None;
    let mut out = Vec::with_capacity(rest.len());
    for (i, a) in rest.iter().enumerate() {
        let idx = i + 1;
        let n = a.to_number_conv().map_err(|m| FnError::arg(idx, m))?;
        let bits = whole_i64(&n).map_err(|m| FnError::arg(idx, m))?;
        if bits < 1 {
            return Err(FnError::arg(idx, "must extend prefix by at least one bit"));
        }
        if bits > 32 {
            return Err(FnError::arg(
                idx,
                "may not extend prefix by more than 32 bits",
            ));
        }
        // 1..=32 plus a prefix of at most 128.
        let len = net.prefix + bits as u32;
        if len > net.bits {
            return Err(FnError::arg(
                idx,
                format!(
                    "would extend prefix to {len} bits, which is too long for an {proto} address"
                ),
            ));
        }
        let cur = match current {
            Some(c) => c,
            None => {
                if net.mapped() {
                    // go-cidr shortens the address to IPv4 but keeps the 128-bit prefix
                    // length, loses the network and never finds room.
                    return Err(FnError::arg(
                        idx,
                        format!(
                            "not enough remaining address space for a subnet with a prefix of {len} bits after <nil>"
                        ),
                    ));
                }
                // go-cidr's PreviousSubnet: the prefix of length `len` just below.
                let prev = net.addr.wrapping_sub(1) & net.full();
                Net {
                    addr: prev & net.net_mask(len),
                    prefix: len,
                    bits: net.bits,
                }
            }
        };
        let (next, rollover) = next_subnet(cur, len);
        if rollover || !net.contains(next.addr) {
            return Err(FnError::arg(
                idx,
                format!(
                    "not enough remaining address space for a subnet with a prefix of {len} bits after {}",
                    net_string(cur.addr, cur.prefix, cur.bits)
                ),
            ));
        }
        current = Some(next);
        out.push(Value::string(net_string(next.addr, next.prefix, next.bits)));
    }
    Ok(Value::list(out))
}

pub(crate) fn register(f: &mut Functions) {
    f.add(
        "cidrhost",
        &[Param::new("prefix"), Param::new("hostnum")],
        None,
        |_, args| {
            let prefix = str_arg(&args, 0)?;
            let n = number_arg(&args, 1)?;
            let num = match whole_i128(&n) {
                Ok(v) => Some(v),
                Err(false) => return Err(FnError::call("value must be a whole number")),
                Err(true) => None,
            };
            let net = cidr_arg(&prefix).map_err(FnError::call)?;
            cidr_host(net, num, &n.to_string())
                .map(Value::string)
                .map_err(FnError::call)
        },
    );

    f.add("cidrnetmask", &[Param::new("prefix")], None, |_, args| {
        let prefix = str_arg(&args, 0)?;
        let net = cidr_arg(&prefix).map_err(FnError::call)?;
        let mask = net.net_mask(net.prefix);
        // Go prints the mask bytes as an address; an IPv6 mask is never IPv4-mapped.
        let text = if net.bits == 32 {
            Ipv4Addr::from((mask & 0xFFFF_FFFF) as u32).to_string()
        } else {
            Ipv6Addr::from(mask).to_string()
        };
        Ok(Value::string(text))
    });

    f.add(
        "cidrsubnet",
        &[
            Param::new("prefix"),
            Param::new("newbits"),
            Param::new("netnum"),
        ],
        None,
        |_, args| {
            let prefix = str_arg(&args, 0)?;
            let newbits = whole_i64(&number_arg(&args, 1)?).map_err(FnError::call)?;
            let n = number_arg(&args, 2)?;
            let num = match whole_i128(&n) {
                Ok(v) => Some(v),
                Err(false) => return Err(FnError::call("value must be a whole number")),
                Err(true) => None,
            };
            let net = cidr_arg(&prefix).map_err(FnError::call)?;
            cidr_subnet(net, newbits, num, &n.to_string())
                .map(Value::string)
                .map_err(FnError::call)
        },
    );

    f.add(
        "cidrsubnets",
        &[Param::new("prefix")],
        Some(Param::new("newbits")),
        |_, args| cidr_subnets(&args),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::testing::*;
    use std::net::IpAddr;

    fn host(p: &str, h: i64) -> String {
        ok("cidrhost", vec![s(p), n(h)])
            .as_str()
            .unwrap_or("")
            .to_string()
    }
    fn subnet(p: &str, b: i64, num: i64) -> String {
        ok("cidrsubnet", vec![s(p), n(b), n(num)])
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    #[test]
    fn cidrhost_documented_examples() {
        assert_eq!(host("10.12.112.0/20", 16), "10.12.112.16");
        assert_eq!(host("10.12.112.0/20", 268), "10.12.113.12");
        assert_eq!(
            host("fd00:fd12:3456:7890:00a2::/72", 34),
            "fd00:fd12:3456:7890::22"
        );
        assert_eq!(host("10.12.112.0/20", -1), "10.12.127.255");
        assert_eq!(host("10.12.112.0/20", -2), "10.12.127.254");
        assert_eq!(host("10.0.0.0/8", 0), "10.0.0.0");
        // Host bits set in the prefix: the network is used.
        assert_eq!(host("10.0.0.77/24", 5), "10.0.0.5");
        assert_eq!(host("::/0", -1), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
        assert_eq!(host("10.0.0.0/32", 0), "10.0.0.0");
        // Leading zeros are decimal in Go 1.16.
        assert_eq!(host("010.001.0.0/16", 1), "10.1.0.1");
        shows(
            &ok("cidrhost", vec![s("10.0.0.0/8"), s("3")]),
            r#""10.0.0.3""#,
        );
    }

    #[test]
    fn cidrhost_errors() {
        err(
            "cidrhost",
            vec![s("10.0.0.0/24"), n(256)],
            "prefix of 24 does not accommodate a host numbered 256",
        );
        err(
            "cidrhost",
            vec![s("10.0.0.0/24"), n(-300)],
            "prefix of 24 does not accommodate a host numbered -44",
        );
        err(
            "cidrhost",
            vec![s("10.0.0.0/32"), n(1)],
            "prefix of 32 does not accommodate a host numbered 1",
        );
        err(
            "cidrhost",
            vec![s("10.0.0.0"), n(1)],
            "invalid CIDR expression: invalid CIDR address: 10.0.0.0",
        );
        err(
            "cidrhost",
            vec![s("10.0.0.0/33"), n(1)],
            "invalid CIDR address: 10.0.0.0/33",
        );
        err(
            "cidrhost",
            vec![s("10.0.0.0/24"), Value::float(1.5)],
            "value must be a whole number",
        );
        err(
            "cidrhost",
            vec![s("10.0.0.0/24"), s("x")],
            "a number is required",
        );
        err("cidrhost", vec![Value::null(), n(1)], "must not be null");
        assert!(!ok("cidrhost", vec![Value::unknown("u"), n(1)]).is_known());
        err(
            "cidrhost",
            vec![s("::/0"), Value::float(1e300)],
            "does not accommodate",
        );
    }

    #[test]
    fn cidrnetmask_documented_examples() {
        shows(
            &ok("cidrnetmask", vec![s("172.16.0.0/12")]),
            r#""255.240.0.0""#,
        );
        shows(&ok("cidrnetmask", vec![s("10.0.0.0/0")]), r#""0.0.0.0""#);
        shows(
            &ok("cidrnetmask", vec![s("10.0.0.1/32")]),
            r#""255.255.255.255""#,
        );
        shows(
            &ok("cidrnetmask", vec![s("fd00::/64")]),
            r#""ffff:ffff:ffff:ffff::""#,
        );
        shows(&ok("cidrnetmask", vec![s("::/0")]), r#""::""#);
        err(
            "cidrnetmask",
            vec![s("nope")],
            "invalid CIDR expression: invalid CIDR address: nope",
        );
    }

    #[test]
    fn cidrsubnet_documented_examples() {
        assert_eq!(subnet("172.16.0.0/12", 4, 2), "172.18.0.0/16");
        assert_eq!(subnet("10.1.2.0/24", 4, 15), "10.1.2.240/28");
        assert_eq!(
            subnet("fd00:fd12:3456:7890::/56", 16, 162),
            "fd00:fd12:3456:7800:a200::/72"
        );
        assert_eq!(subnet("10.0.0.0/8", 0, 0), "10.0.0.0/8");
        assert_eq!(subnet("10.0.0.0/8", 8, 255), "10.255.0.0/16");
        // More than 32 new bits is fine for IPv6 in Terraform v0.15.
        assert_eq!(subnet("fd00::/16", 40, 1), "fd00:0:0:100::/56");
        assert_eq!(subnet("::/0", 128, 1), "::1/128");
    }

    /// Negative subnet numbers as go-cidr v1.1.0 computes them (each checked against
    /// `terraform console`).
    #[test]
    fn cidrsubnet_negative_numbers_as_go_cidr() {
        assert_eq!(subnet("10.0.0.0/8", 8, -1), "0.1.0.0/16");
        assert_eq!(subnet("10.0.0.0/8", 8, -2), "0.2.0.0/16");
        assert_eq!(subnet("10.0.0.0/8", 8, -255), "0.255.0.0/16");
        assert_eq!(subnet("10.0.0.0/8", 4, -3), "0.48.0.0/12");
        assert_eq!(subnet("192.168.0.0/16", 8, -1), "0.0.1.0/24");
        assert_eq!(subnet("10.0.0.0/24", 4, -1), "0.0.0.16/28");
        assert_eq!(subnet("0.0.0.0/0", 8, -1), "1.0.0.0/8");
        assert_eq!(subnet("0.0.0.0/0", 1, -1), "128.0.0.0/1");
        assert_eq!(subnet("255.0.0.0/8", 8, -1), "0.1.0.0/16");
        assert_eq!(subnet("10.0.0.0/8", 24, -1), "0.0.0.1/32");
        assert_eq!(subnet("fd00::/56", 8, -1), "0:0:0:1::/64");
    }

    #[test]
    fn cidrsubnet_errors() {
        err(
            "cidrsubnet",
            vec![s("10.0.0.0/24"), n(10), n(0)],
            "insufficient address space to extend prefix of 24 by 10",
        );
        err(
            "cidrsubnet",
            vec![s("10.0.0.0/24"), n(4), n(16)],
            "prefix extension of 4 does not accommodate a subnet numbered 16",
        );
        // A negative number whose magnitude has more bits than the extension.
        err(
            "cidrsubnet",
            vec![s("10.0.0.0/8"), n(8), n(-256)],
            "prefix extension of 8 does not accommodate a subnet numbered -256",
        );
        err(
            "cidrsubnet",
            vec![s("10.0.0.0/8"), n(0), n(-1)],
            "prefix extension of 0 does not accommodate a subnet numbered -1",
        );
        err(
            "cidrsubnet",
            vec![s("10.0.0.0/24"), Value::float(1.5), n(0)],
            "value must be a whole number, between",
        );
        err(
            "cidrsubnet",
            vec![s("bad/8"), n(1), n(0)],
            "invalid CIDR address: bad/8",
        );
    }

    #[test]
    fn cidrsubnets_documented_examples() {
        let v = ok(
            "cidrsubnets",
            vec![s("10.1.0.0/16"), n(4), n(4), n(8), n(4)],
        );
        shows(
            &v,
            r#"tolist(["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"])"#,
        );
        let v = ok(
            "cidrsubnets",
            vec![s("fd00:fd12:3456:7890::/56"), n(16), n(16), n(16), n(32)],
        );
        shows(
            &v,
            r#"tolist(["fd00:fd12:3456:7800::/72", "fd00:fd12:3456:7800:100::/72", "fd00:fd12:3456:7800:200::/72", "fd00:fd12:3456:7800:300::/88"])"#,
        );
        shows(&ok("cidrsubnets", vec![s("10.0.0.0/8")]), "tolist([])");
        let v = ok("cidrsubnets", vec![s("10.0.0.0/24"), n(1), n(1)]);
        shows(&v, r#"tolist(["10.0.0.0/25", "10.0.0.128/25"])"#);
    }

    #[test]
    fn cidrsubnets_errors() {
        err(
            "cidrsubnets",
            vec![s("10.0.0.0/24"), n(1), n(1), n(1)],
            "not enough remaining address space for a subnet with a prefix of 25 bits after 10.0.0.128/25",
        );
        err(
            "cidrsubnets",
            vec![s("10.0.0.0/30"), n(4)],
            "would extend prefix to 34 bits, which is too long for an IPv4 address",
        );
        err(
            "cidrsubnets",
            vec![s("fd00::/120"), n(9)],
            "would extend prefix to 129 bits, which is too long for an IPv6 address",
        );
        err(
            "cidrsubnets",
            vec![s("10.0.0.0/8"), n(0)],
            "must extend prefix by at least one bit",
        );
        err(
            "cidrsubnets",
            vec![s("10.0.0.0/8"), n(33)],
            "may not extend prefix by more than 32 bits",
        );
        err(
            "cidrsubnets",
            vec![s("10.0.0.0/8"), n(4), s("x")],
            "a number is required",
        );
        err("cidrsubnets", vec![s("x"), n(4)], "invalid CIDR expression");
        // go-cidr's NextSubnet reports a rollover when the base starts at address zero.
        err(
            "cidrsubnets",
            vec![s("0.0.0.0/0"), n(1)],
            "not enough remaining address space for a subnet with a prefix of 1 bits after 128.0.0.0/1",
        );
        assert!(!ok("cidrsubnets", vec![s("10.0.0.0/8"), Value::unknown("u")]).is_known());
    }

    #[test]
    fn go_parse_cidr_rules() {
        let ok_v6 = [
            "::/0",
            "::1/128",
            "1::/16",
            "1:2:3:4:5:6:7:8/64",
            "::ffff:1.2.3.4/120",
            "1:2:3:4:5:6:1.2.3.4/96",
            "0001:02::/32",
            "00000001::/32",
        ];
        for c in ok_v6 {
            assert!(parse_cidr(c).is_ok(), "{c}");
        }
        let bad = [
            "",
            "/8",
            "1.2.3.4/",
            "1.2.3/8",
            "1.2.3.4.5/8",
            "256.0.0.0/8",
            "1.2.3.4/8x",
            "1.2.3.4/-1",
            ":::/0",
            "1:::2/64",
            "1::2::3/64",
            "1:2:3:4:5:6:7:8:9/64",
            "1:2:3:4:5:6:7::8/64x",
            "10000::/16",
            "::1.2.3/96",
            "1.2.3.4/ 8",
            " 1.2.3.4/8",
            "fe80::1%eth0/64",
        ];
        for c in bad {
            assert!(parse_cidr(c).is_err(), "{c}");
        }
        assert_eq!(
            net_string(
                parse_cidr("::ffff:10.1.2.3/104")
                    .map(|n| n.addr)
                    .unwrap_or(0),
                104,
                128
            ),
            "10.0.0.0/8"
        );
        // A full group list with "::" is invalid in Go.
        assert!(parse_cidr("1:2:3:4::5:6:7:8/64").is_err());
    }

    #[test]
    fn ipv4_mapped_prefixes_follow_go() {
        assert_eq!(subnet("::ffff:10.0.0.0/104", 8, 1), "10.1.0.0/16");
        // go-cidr shifts the host number by 96 bits here, leaving the mapped range.
        assert_eq!(host("::ffff:10.0.0.0/104", 1), "0:1::ffff:a00:0");
        err(
            "cidrsubnets",
            vec![s("::ffff:10.0.0.0/104"), n(8)],
            "after <nil>",
        );
    }

    /// A small deterministic generator (xorshift) for the property test.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn to_net(text: &str) -> ipnet::IpNet {
        match text.parse::<ipnet::IpNet>() {
            Ok(n) => n,
            Err(e) => panic!("{text}: {e}"),
        }
    }

    #[test]
    fn cidrsubnets_results_never_overlap_and_lie_inside_the_base() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut checked = 0;
        for round in 0..600 {
            let v6 = round % 2 == 1;
            let (base_text, base_prefix, width) = if v6 {
                let a = (u128::from(rng.next()) << 64) | u128::from(rng.next());
                let p = rng.below(121) as u32;
                (format!("{}/{p}", Ipv6Addr::from(a)), p, 128u32)
            } else {
                let a = rng.next() as u32;
                let p = rng.below(31) as u32;
                (format!("{}/{p}", Ipv4Addr::from(a)), p, 32u32)
            };
            let room = (width - base_prefix).min(32) as u64;
            let count = 1 + rng.below(6);
            let mut args = vec![s(&base_text)];
            for _ in 0..count {
                args.push(n(1 + rng.below(room.max(1)) as i64));
            }
            let base = to_net(&base_text).trunc();
            let Ok(v) = call("cidrsubnets", args.clone()) else {
                // Running out of room is the only error these inputs can produce.
                let e = format!("{:?}", call("cidrsubnets", args));
                assert!(e.contains("not enough remaining address space"), "{e}");
                continue;
            };
            let nets: Vec<ipnet::IpNet> = v
                .as_seq()
                .unwrap_or(&[])
                .iter()
                .map(|x| to_net(x.as_str().unwrap_or("")))
                .collect();
            assert_eq!(nets.len() as u64, count);
            for (i, a) in nets.iter().enumerate() {
                assert_eq!(a.trunc(), *a, "{a} is not a network address");
                assert!(base.contains(a), "{a} outside {base}");
                assert_eq!(
                    u64::from(a.prefix_len()),
                    u64::from(base_prefix) + args_bits(&args, i)
                );
                for b in nets.iter().skip(i + 1) {
                    assert!(!a.contains(b) && !b.contains(a), "{a} overlaps {b}");
                    // Ascending order.
                    assert!(a.network() < b.network(), "{a} not before {b}");
                }
                // Each result is also what cidrsubnet computes for its own number.
                let bits = a.prefix_len() as u32 - base_prefix;
                let num: u128 = match (a.network(), base.network()) {
                    (IpAddr::V4(x), IpAddr::V4(y)) => {
                        u128::from(u32::from(x) - u32::from(y)) >> (32 - a.prefix_len() as u32)
                    }
                    (IpAddr::V6(x), IpAddr::V6(y)) => (u128::from(x) - u128::from(y))
                        .checked_shr(128 - a.prefix_len() as u32)
                        .unwrap_or(0),
                    _ => panic!("mixed families"),
                };
                if let Ok(num) = i64::try_from(num) {
                    assert_eq!(subnet(&base_text, i64::from(bits), num), a.to_string());
                }
            }
            checked += 1;
        }
        assert!(checked > 300, "only {checked} rounds produced subnets");
    }

    fn args_bits(args: &[Value], i: usize) -> u64 {
        args.get(i + 1)
            .and_then(Value::as_number)
            .and_then(|x| x.as_i64())
            .unwrap_or(0) as u64
    }

    #[test]
    fn cidrhost_stays_inside_its_prefix() {
        let mut rng = Rng(12345);
        for _ in 0..500 {
            let a = rng.next() as u32;
            let p = rng.below(33) as u32;
            let text = format!("{}/{p}", Ipv4Addr::from(a));
            let size = 1u64 << (32 - p);
            let h = rng.below(size) as i64;
            let base = to_net(&text).trunc();
            let got: IpAddr = match host(&text, h).parse() {
                Ok(x) => x,
                Err(e) => panic!("{e}"),
            };
            assert!(base.contains(&got));
            let back: IpAddr = match host(&text, h - size as i64).parse() {
                Ok(x) => x,
                Err(e) => panic!("{e}"),
            };
            assert_eq!(got, back, "negative host numbers count from the end");
        }
    }

    /// Checked against `terraform console`'s `type()`.
    #[test]
    fn typed_empty_cidrsubnets() {
        types(&[(r#"cidrsubnets("10.0.0.0/16")"#, "list(string)")]);
    }
}
