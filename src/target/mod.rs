//! TiDB target versions and the features each one has.
//!
//! Every version-dependent rule asks [`Target`] instead of comparing version
//! numbers itself. Facts: `../shared/reference/tidb-facts.md`.

pub mod model;

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize)]
pub enum Target {
    #[serde(rename = "tidb-7.5")]
    Tidb75,
    #[serde(rename = "tidb-8.1")]
    Tidb81,
    #[default]
    #[serde(rename = "tidb-8.5")]
    Tidb85,
}

impl Target {
    pub const ALL: [Target; 3] = [Target::Tidb75, Target::Tidb81, Target::Tidb85];

    pub fn name(self) -> &'static str {
        match self {
            Target::Tidb75 => "tidb-7.5",
            Target::Tidb81 => "tidb-8.1",
            Target::Tidb85 => "tidb-8.5",
        }
    }

    /// `VECTOR(n)` columns and vector indexes: v8.4+ (tidb-facts §1, §3).
    pub fn has_vector(self) -> bool {
        self >= Target::Tidb85
    }

    /// Expression defaults on BLOB/TEXT/JSON (only allow-listed functions): v8.0+; none on v7.5 (§2).
    pub fn lob_expression_defaults(self) -> bool {
        self >= Target::Tidb81
    }

    /// `JSON_OBJECT()`/`JSON_ARRAY()` as defaults: v8.2+ (§2).
    pub fn json_function_defaults(self) -> bool {
        self >= Target::Tidb85
    }

    /// `UUID()` as an expression default on string columns: v6.1+ (§2).
    pub fn uuid_default(self) -> bool {
        true
    }

    /// Partial indexes exist only from v8.5.7; no named target guarantees them (§3).
    pub fn partial_indexes(self) -> bool {
        false
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Target {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Target::ALL
            .into_iter()
            .find(|t| t.name() == s)
            .ok_or_else(|| {
                format!("unknown target '{s}' (expected tidb-7.5, tidb-8.1 or tidb-8.5)")
            })
    }
}
