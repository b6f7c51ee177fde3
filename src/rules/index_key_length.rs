//! Index keys fit TiDB's 3,072-byte limit: TEXT/BLOB keys get a prefix, over-long string keys are prefixed, JSON columns are not indexed.
//!
//! ## What it does
//! Computes each key's size as TiDB does (characters × 4 for utf8mb4 strings,
//! summed over all parts, primary keys included). A TEXT/BLOB part gets a
//! prefix length; when the total exceeds 3,072 bytes the longest string
//! parts are shortened to prefixes until it fits. A prefix on a UNIQUE key
//! makes uniqueness apply to the prefix only: the warning says so. An index
//! directly on a JSON or VECTOR column is dropped (TiDB 3152).
//!
//! ## Why
//! TiDB rejects keys over 3,072 bytes (1071) and TEXT keys without a prefix
//! (1170). MariaDB silently prefixes non-unique keys and hashes long unique
//! ones, so a server test would not catch it (tidb-facts §3, §11.22).
//!
//! ## Example
//! ```sql
//! url varchar(2048), CREATE UNIQUE INDEX ix ON t (url)
//! -- CREATE UNIQUE INDEX `ix` ON `t` (`url`(768))
//! ```
use crate::model::{KeyPart, Table, TiType};
use crate::rules::{Cx, IndexDraft, Refit, Rule, RuleMeta};

crate::declare_rule!(
    IndexKeyLength,
    "index-key-length",
    Warning,
    INDEX_KEY_LENGTH
);

pub const MAX_KEY_BYTES: u32 = 3072;

impl Rule for IndexKeyLength {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn index(&self, cx: &mut Cx, t: Option<&Table>, ix: &mut IndexDraft) {
        let Some(t) = t else { return };
        if ix.vector {
            return;
        }
        let mut parts: Vec<KeyPart> = ix.keys.iter().map(|k| k.part.clone()).collect();
        let kind = if ix.unique { "unique index" } else { "index" };
        match fit(t, &mut parts) {
            Err(col) => {
                cx.report(&META, ix.loc, format!("{kind} {}: column {col} is JSON/VECTOR and cannot be indexed directly in TiDB (3152); index not created", ix.name));
                ix.dropped = true;
            }
            Ok(changed) if !changed.is_empty() => {
                let extra = if ix.unique {
                    "; uniqueness now applies to the prefix only"
                } else {
                    ""
                };
                cx.report(&META, ix.loc, format!("{kind} {}: key over TiDB's {MAX_KEY_BYTES}-byte limit in utf8mb4; prefix on {}{extra}", ix.name, changed.join(", ")));
                for (k, p) in ix.keys.iter_mut().zip(parts) {
                    k.part = p;
                }
            }
            Ok(_) => {}
        }
    }

    fn refit(&self, cx: &mut Cx, key: &mut Refit) {
        let Some(c) = key.column else {
            refit_quietly(key.table, key.parts);
            return;
        };
        // The prefix on the changed column is computed anew.
        for p in key.parts.iter_mut() {
            if let KeyPart::Column { name, prefix } = p {
                if name.eq_ignore_ascii_case(c) {
                    *prefix = None;
                }
            }
        }
        if let Ok(changed) = fit(key.table, key.parts) {
            if !changed.is_empty() {
                cx.report_here(
                    &META,
                    format!(
                        "index {}: rebuilt for the new column type with a prefix on {}",
                        key.name,
                        changed.join(", ")
                    ),
                );
            }
        }
    }

    fn table(&self, cx: &mut Cx, t: &mut Table) {
        let Some(mut pk) = t.primary_key.clone() else {
            return;
        };
        match fit(t, &mut pk.parts) {
            Ok(changed) if !changed.is_empty() => {
                cx.report_here(&META, format!("primary key of {}: over TiDB's {MAX_KEY_BYTES}-byte key limit; prefix on {}; uniqueness applies to the prefix only", t.name, changed.join(", ")));
                t.primary_key = Some(pk);
            }
            Err(col) => cx.report_here(
                &META,
                format!(
                    "primary key of {}: column {col} cannot be part of a key in TiDB",
                    t.name
                ),
            ),
            Ok(_) => {}
        }
    }
}

/// Fit a key again from scratch (prefixes on non-TEXT parts removed), for
/// example after a foreign key changed a column's length. Silent: the
/// original finding already named the prefix.
fn refit_quietly(t: &Table, parts: &mut [KeyPart]) {
    for p in parts.iter_mut() {
        if let KeyPart::Column { name, prefix } = p {
            if t.column(name).is_some_and(|c| !c.ty.needs_key_prefix()) {
                *prefix = None;
            }
        }
    }
    let _ = fit(t, parts);
}

/// Give parts prefixes until the key fits. Returns the names of the columns
/// that got a prefix, or the name of a column that cannot be indexed.
fn fit(t: &Table, parts: &mut [KeyPart]) -> Result<Vec<String>, String> {
    let mut changed = Vec::new();
    let ty_of = |name: &str| t.column(name).map(|c| c.ty.clone());
    // Bytes per part, and which parts may be shortened.
    let mut sizes: Vec<(u32, u32, bool)> = Vec::new(); // (bytes, bytes per char, shortenable)
    for p in parts.iter_mut() {
        match p {
            KeyPart::Column { name, prefix } => {
                let Some(ty) = ty_of(name) else {
                    sizes.push((0, 1, false));
                    continue;
                };
                if matches!(ty, TiType::Json | TiType::Vector(_)) {
                    return Err(name.clone());
                }
                let unit = ty.prefix_unit();
                if ty.needs_key_prefix() && prefix.is_none() {
                    *prefix = Some(MAX_KEY_BYTES / unit);
                    changed.push(name.clone());
                }
                let bytes = match prefix {
                    Some(n) => *n * unit,
                    None => ty.key_bytes().unwrap_or(0),
                };
                let shortenable = ty.is_string()
                    || matches!(ty, TiType::Varbinary(_) | TiType::Binary(_))
                    || ty.needs_key_prefix();
                sizes.push((bytes, unit, shortenable));
            }
            KeyPart::Expr(_) => sizes.push((0, 1, false)),
        }
    }
    let total: u32 = sizes.iter().map(|s| s.0).sum();
    if total > MAX_KEY_BYTES {
        // Water-filling: cap every shortenable part at the same byte size T,
        // the largest T that makes the key fit, so no part is starved.
        let fixed: u32 = sizes.iter().filter(|s| !s.2).map(|s| s.0).sum();
        let budget = MAX_KEY_BYTES.saturating_sub(fixed);
        let fits = |cap: u32| {
            sizes
                .iter()
                .filter(|s| s.2)
                .map(|s| s.0.min(cap) / s.1 * s.1)
                .sum::<u32>()
                <= budget
        };
        let (mut lo, mut hi) = (0u32, sizes.iter().map(|s| s.0).max().unwrap_or(0));
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if fits(mid) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        for (i, sz) in sizes.iter().enumerate() {
            if sz.2 && sz.0 > lo {
                let chars = (lo / sz.1).max(1);
                if let KeyPart::Column { name, prefix } = &mut parts[i] {
                    *prefix = Some(chars);
                    if !changed.contains(name) {
                        changed.push(name.clone());
                    }
                }
            }
        }
    }
    Ok(changed)
}
