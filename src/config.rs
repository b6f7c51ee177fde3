//! `pg2tidb.toml`: project settings, found in the current directory or the
//! nearest parent (or named with `--config`). Command-line flags override it.
//!
//! ```toml
//! target = "tidb-8.5"          # tidb-7.5 | tidb-8.1 | tidb-8.5
//! layout = "flyway"            # see --layout
//! fail-on = "error"            # error | warning (check)
//!
//! [types]
//! uuid = "char36"              # char36 (CHAR(36)) | binary16 (BINARY(16) with UUID_TO_BIN)
//! timestamptz = "timestamp"    # timestamp (TIMESTAMP, 1970-2038) | datetime (DATETIME, no time zone)
//! auto-random = false          # BIGINT auto-increment primary keys become AUTO_RANDOM
//! varchar-length = 255         # length given to VARCHAR without one
//!
//! [schemas]
//! policy = "flatten"           # every PostgreSQL schema goes into the target database
//!
//! [rules]
//! disable = ["timestamptz"]    # findings of these rules are not reported
//! severity = { varchar-length = "error" }
//! ```
//! Unknown keys are errors that name their line.

use crate::layout::Layout;
use crate::rules::Severity;
use crate::target::Target;
pub use crate::types::{TimestamptzAs, TypeChoices, UuidAs};
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The file name looked up from the current directory upward.
pub const FILE_NAME: &str = "pg2tidb.toml";

/// Rule settings (the `[rules]` table).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RuleSettings {
    pub disabled: BTreeSet<String>,
    pub severity: BTreeMap<String, Severity>,
}

/// Everything a config file can set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub target: Option<Target>,
    pub layout: Option<Layout>,
    pub fail_on: Option<Severity>,
    pub types: TypeChoices,
    pub rules: RuleSettings,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    target: Option<String>,
    layout: Option<String>,
    fail_on: Option<String>,
    types: Option<RawTypes>,
    schemas: Option<RawSchemas>,
    rules: Option<RawRules>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawTypes {
    uuid: Option<String>,
    timestamptz: Option<String>,
    auto_random: Option<bool>,
    varchar_length: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSchemas {
    policy: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRules {
    disable: Option<Vec<String>>,
    severity: Option<BTreeMap<String, String>>,
}

pub fn parse_severity(s: &str) -> Result<Severity, String> {
    match s {
        "info" => Ok(Severity::Info),
        "warning" => Ok(Severity::Warning),
        "error" => Ok(Severity::Error),
        _ => Err(format!("unknown severity '{s}' (info, warning, error)")),
    }
}

impl Config {
    /// Parse a config file's text.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let shown = path.display();
        let raw: RawConfig = toml::from_str(text).map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
        let mut c = Config {
            path: Some(path.to_path_buf()),
            ..Config::default()
        };
        let bad = |what: &str, e: String| anyhow::anyhow!("{shown}: {what}: {e}");
        if let Some(t) = raw.target {
            c.target = Some(t.parse().map_err(|e| bad("target", e))?);
        }
        if let Some(l) = raw.layout {
            c.layout = Some(l.parse().map_err(|e| bad("layout", e))?);
        }
        if let Some(f) = raw.fail_on {
            c.fail_on = Some(parse_severity(&f).map_err(|e| bad("fail-on", e))?);
        }
        if let Some(t) = raw.types {
            c.types.uuid = match t.uuid.as_deref() {
                None | Some("char36") => UuidAs::Char36,
                Some("binary16") => UuidAs::Binary16,
                Some(o) => bail!("{shown}: types.uuid: '{o}' (expected char36 or binary16)"),
            };
            c.types.timestamptz = match t.timestamptz.as_deref() {
                None | Some("timestamp") => TimestamptzAs::Timestamp,
                Some("datetime") => TimestamptzAs::Datetime,
                Some(o) => {
                    bail!("{shown}: types.timestamptz: '{o}' (expected timestamp or datetime)")
                }
            };
            c.types.auto_random = t.auto_random.unwrap_or(false);
            if let Some(n) = t.varchar_length {
                if !(1..=crate::types::MAX_VARCHAR_LENGTH).contains(&n) {
                    bail!(
                        "{shown}: types.varchar-length: {n} (1 to {})",
                        crate::types::MAX_VARCHAR_LENGTH
                    );
                }
                c.types.varchar_length = n;
            }
        }
        if let Some(s) = raw.schemas {
            if let Some(p) = s.policy.as_deref().filter(|p| *p != "flatten") {
                bail!("{shown}: schemas.policy: '{p}' (only flatten is supported: every schema goes into the target database)");
            }
        }
        if let Some(r) = raw.rules {
            for id in r.disable.unwrap_or_default() {
                if crate::rules::by_id(&id).is_none() {
                    bail!("{shown}: rules.disable: unknown rule '{id}'");
                }
                c.rules.disabled.insert(id);
            }
            for (id, sev) in r.severity.unwrap_or_default() {
                if crate::rules::by_id(&id).is_none() {
                    bail!("{shown}: rules.severity: unknown rule '{id}'");
                }
                c.rules.severity.insert(
                    id,
                    parse_severity(&sev).map_err(|e| bad("rules.severity", e))?,
                );
            }
        }
        Ok(c)
    }

    /// Load `explicit`, or the nearest `pg2tidb.toml` from `start` upward; none is fine.
    pub fn load(explicit: Option<&Path>, start: &Path) -> Result<Config> {
        let path = match explicit {
            Some(p) => Some(p.to_path_buf()),
            None => start
                .ancestors()
                .map(|d| d.join(FILE_NAME))
                .find(|p| p.is_file()),
        };
        match path {
            None => Ok(Config::default()),
            Some(p) => {
                let text = std::fs::read_to_string(&p)
                    .with_context(|| format!("{}: cannot read", p.display()))?;
                Config::parse(&text, &p)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Config> {
        Config::parse(s, Path::new("pg2tidb.toml"))
    }

    #[test]
    fn full_file() {
        let c = parse(
            "target = \"tidb-7.5\"\nlayout = \"flyway\"\nfail-on = \"warning\"\n[types]\nuuid = \"binary16\"\ntimestamptz = \"datetime\"\nauto-random = true\nvarchar-length = 100\n[schemas]\npolicy = \"flatten\"\n[rules]\ndisable = [\"timestamptz\"]\nseverity = { varchar-length = \"error\" }\n",
        )
        .unwrap();
        assert_eq!(c.target, Some(Target::Tidb75));
        assert_eq!(c.layout, Some(Layout::Flyway));
        assert_eq!(c.fail_on, Some(Severity::Warning));
        assert_eq!(c.types.uuid, UuidAs::Binary16);
        assert_eq!(c.types.timestamptz, TimestamptzAs::Datetime);
        assert!(c.types.auto_random);
        assert_eq!(c.types.varchar_length, 100);
        assert!(c.rules.disabled.contains("timestamptz"));
        assert_eq!(
            c.rules.severity.get("varchar-length"),
            Some(&Severity::Error)
        );
    }

    #[test]
    fn unknown_keys_name_their_line() {
        let e = parse("target = \"tidb-8.5\"\n\n[types]\nuuid = \"char36\"\nfrobnicate = 1\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 5") && e.contains("frobnicate"), "{e}");
        let e = parse("[rules]\ndisable = [\"no-such-rule\"]\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no-such-rule"), "{e}");
        assert!(parse("target = \"tidb-6.0\"\n").is_err());
        assert!(parse("[schemas]\npolicy = \"prefix\"\n").is_err());
    }
}
