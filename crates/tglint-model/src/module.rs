//! Module identity (DESIGN §3.3): `terraform.source` normalised to a module address and a
//! version, so rules can target `terraform-aws-modules/vpc/aws` however it is fetched.

/// Where a module comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// `tfr://` registry modules.
    Registry,
    /// git (`git::`, `github.com/…`, `git@…`).
    Git,
    /// A path in the repository.
    Local,
    /// Anything else (`s3::`, `https://…zip`, …).
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleSource {
    pub raw: String,
    pub kind: SourceKind,
    /// `org/name/provider` for registry modules and `terraform-<provider>-<name>` git
    /// repositories (with `//subdir` when there is one); the cleaned URL or path otherwise.
    pub address: String,
    /// The pinned version or ref, with a leading `v` dropped for semantic versions.
    pub version: Option<String>,
}

fn split_query(s: &str) -> (&str, Vec<(&str, &str)>) {
    match s.split_once('?') {
        Some((base, q)) => (
            base,
            q.split('&')
                .filter_map(|kv| kv.split_once('=').or(Some((kv, ""))))
                .collect(),
        ),
        None => (s, Vec::new()),
    }
}

/// Splits `base//subdir` (the `//` that is not part of `scheme://`).
fn split_subdir(base: &str) -> (&str, Option<&str>) {
    let start = base.find("://").map(|i| i + 3).unwrap_or(0);
    match base[start..].find("//") {
        Some(i) => {
            let at = start + i;
            let sub = &base[at + 2..];
            (&base[..at], (!sub.is_empty()).then_some(sub))
        }
        None => (base, None),
    }
}

fn strip_v(v: &str) -> String {
    match v.strip_prefix('v') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest.to_string(),
        _ => v.to_string(),
    }
}

/// Normalises a `terraform.source` string.
pub fn parse_source(raw: &str) -> ModuleSource {
    let s = raw.trim();
    let (base, query) = split_query(s);
    let param = |k: &str| query.iter().find(|(n, _)| *n == k).map(|(_, v)| strip_v(v));
    let (base, subdir) = split_subdir(base);
    let with_sub = |addr: String| match subdir {
        Some(sd) => format!("{addr}//{sd}"),
        None => addr,
    };

    if let Some(rest) = base.strip_prefix("tfr://") {
        // tfr:///org/name/provider or tfr://host/org/name/provider
        let path = rest.trim_start_matches('/');
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let addr = if rest.starts_with('/') || parts.len() == 3 {
            parts.join("/")
        } else if parts.len() > 3 && parts[0] == "registry.terraform.io" {
            parts[1..].join("/")
        } else {
            parts.join("/")
        };
        return ModuleSource {
            raw: raw.to_string(),
            kind: SourceKind::Registry,
            address: with_sub(addr),
            version: param("version"),
        };
    }

    if base.starts_with("./") || base.starts_with("../") || base.starts_with('/') || base == "." {
        return ModuleSource {
            raw: raw.to_string(),
            kind: SourceKind::Local,
            address: with_sub(base.to_string()),
            version: None,
        };
    }

    let git_url = if let Some(r) = base.strip_prefix("git::") {
        Some(r)
    } else if base.starts_with("github.com/")
        || base.starts_with("gitlab.com/")
        || base.starts_with("bitbucket.org/")
        || base.starts_with("git@")
    {
        Some(base)
    } else {
        None
    };
    if let Some(url) = git_url {
        // The repository path: after the host (`host/org/repo`, `git@host:org/repo`).
        let no_scheme = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
        let no_user = no_scheme
            .rsplit_once('@')
            .map(|(_, r)| r)
            .unwrap_or(no_scheme);
        let path = match no_user.split_once(':') {
            Some((_, p)) if !p.starts_with(|c: char| c.is_ascii_digit()) => p,
            _ => no_user.split_once('/').map(|(_, p)| p).unwrap_or(no_user),
        };
        let path = path.trim_end_matches('/').trim_end_matches(".git");
        let mut segs: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let repo = segs.pop().unwrap_or("");
        let org = segs.last().copied().unwrap_or("");
        let addr = match repo
            .strip_prefix("terraform-")
            .and_then(|r| r.split_once('-'))
        {
            Some((provider, name)) if !org.is_empty() => format!("{org}/{name}/{provider}"),
            _ => {
                let host_path = no_user.trim_end_matches(".git");
                host_path.replace(':', "/")
            }
        };
        return ModuleSource {
            raw: raw.to_string(),
            kind: SourceKind::Git,
            address: with_sub(addr),
            version: param("ref"),
        };
    }

    ModuleSource {
        raw: raw.to_string(),
        kind: SourceKind::Other,
        address: with_sub(base.to_string()),
        version: param("version").or_else(|| param("ref")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(s: &str) -> (String, Option<String>, SourceKind) {
        let m = parse_source(s);
        (m.address, m.version, m.kind)
    }

    #[test]
    fn registry_and_git_sources_map_to_one_address() {
        assert_eq!(
            addr("tfr:///terraform-aws-modules/vpc/aws?version=5.17.0"),
            (
                "terraform-aws-modules/vpc/aws".into(),
                Some("5.17.0".into()),
                SourceKind::Registry
            )
        );
        assert_eq!(
            addr("tfr://registry.terraform.io/terraform-aws-modules/vpc/aws?version=5.17.0"),
            (
                "terraform-aws-modules/vpc/aws".into(),
                Some("5.17.0".into()),
                SourceKind::Registry
            )
        );
        assert_eq!(
            addr(
                "git::https://github.com/terraform-aws-modules/terraform-aws-vpc.git//modules/x?ref=v5.17.0"
            ),
            (
                "terraform-aws-modules/vpc/aws//modules/x".into(),
                Some("5.17.0".into()),
                SourceKind::Git
            )
        );
        assert_eq!(
            addr("github.com/terraform-aws-modules/terraform-aws-rds?ref=v6.1.0"),
            (
                "terraform-aws-modules/rds/aws".into(),
                Some("6.1.0".into()),
                SourceKind::Git
            )
        );
        assert_eq!(
            addr("git::git@github.com:acme/infra-modules.git//vpc?ref=main"),
            (
                "github.com/acme/infra-modules//vpc".into(),
                Some("main".into()),
                SourceKind::Git
            )
        );
        assert_eq!(
            addr("../../modules//vpc"),
            ("../../modules//vpc".into(), None, SourceKind::Local)
        );
        assert_eq!(addr("git::https://example.com/m.git").1, None);
    }
}
