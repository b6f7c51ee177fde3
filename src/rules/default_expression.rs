//! Literal defaults are carried over (casts stripped, booleans and enums normalised); expression defaults outside TiDB's allow-list are dropped with a warning.
//!
//! ## What it does
//! `'x'::text` → `'x'`, `'draft'::project_status` → `'draft'`,
//! `true`/`'t'` on a boolean → `1`/`0`, a string on a `bytea` column →
//! the bytes it stands for (`'\x00ff'` → `X'00FF'`), a bit string on a
//! column that is not BIT → its text (`B'101'` → `'101'`). A non-literal default that is not
//! handled by `default-now`, `default-uuid` or `serial` (for example
//! `lower(…)`, `now() + interval '1 day'`) is dropped with a warning.
//!
//! ## Why
//! TiDB accepts only literals and a short allow-list of functions as
//! defaults (error 3770); MariaDB accepts any expression, so the converter
//! checks it itself (tidb-facts §2, §11.1).
use crate::expr::{assigned_literal, literal, string_value, to_tidb};
use crate::model::{quote_str, TiType};
use crate::rules::{ColumnDraft, Cx, Rule, RuleMeta};

crate::declare_rule!(
    DefaultExpression,
    "default-expression",
    Warning,
    DEFAULT_EXPRESSION
);

impl Rule for DefaultExpression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn column(&self, cx: &mut Cx, col: &mut ColumnDraft) {
        let Some(e) = col.pg_default.take() else {
            return;
        };
        if let (Some(fsp), Some(s)) = (temporal_fsp(&col.col.ty), string_value(&e)) {
            match temporal_literal(&col.col.ty, fsp, s) {
                Ok((value, note)) => {
                    col.col.default = Some(value);
                    if let Some(note) = note {
                        cx.report(
                            &META,
                            col.loc,
                            format!(
                                "column {}.{}: default '{s}': {note}",
                                col.table, col.col.name
                            ),
                        );
                    }
                }
                Err(why) => {
                    col.col.default = None;
                    cx.report(
                        &META,
                        col.loc,
                        format!(
                            "column {}.{}: default '{s}' dropped: {why}",
                            col.table, col.col.name
                        ),
                    );
                }
            }
            return;
        }
        if let Some(assigned) = assigned_literal(&e, &col.col.ty) {
            match assigned {
                Ok(v) => col.col.default = Some(v),
                Err(why) => {
                    col.col.default = None;
                    cx.report(
                        &META,
                        col.loc,
                        format!(
                            "column {}.{}: default dropped: {why}",
                            col.table, col.col.name
                        ),
                    );
                }
            }
            return;
        }
        if let Some(lit) = literal(&e) {
            col.col.default = Some(match (&col.col.ty, string_value(&e)) {
                (TiType::Bool, Some(s)) => match s.to_ascii_lowercase().as_str() {
                    "t" | "true" | "y" | "yes" | "on" | "1" => "1".into(),
                    "f" | "false" | "n" | "no" | "off" | "0" => "0".into(),
                    _ => lit,
                },
                (TiType::Bool, None) if lit == "TRUE" => "1".into(),
                (TiType::Bool, None) if lit == "FALSE" => "0".into(),
                (TiType::Json, Some(s)) => quote_str(s),
                _ => lit,
            });
            return;
        }
        let shown = to_tidb(&e).unwrap_or_else(|_| e.to_string());
        col.col.default = None;
        cx.report(&META, col.loc, format!("column {}.{}: default {shown} is not an expression TiDB allows as a default (3770); dropped", col.table, col.col.name));
    }
}

/// The fractional-seconds precision of a temporal type (DATE counts as 0).
fn temporal_fsp(ty: &TiType) -> Option<u32> {
    match ty {
        TiType::Date => Some(0),
        other => other.fsp(),
    }
}

/// A PostgreSQL date/time input string as a TiDB default, with a note when
/// something changed: `'now'` → `CURRENT_TIMESTAMP(n)`, a `+00` offset
/// removed, `'epoch'` spelled out; `'infinity'` and values outside the
/// type's range are refused.
pub fn temporal_literal(
    ty: &TiType,
    fsp: u32,
    s: &str,
) -> Result<(String, Option<String>), String> {
    let lower = s.trim().to_ascii_lowercase();
    let now = |note: Option<String>| {
        let v = match ty {
            TiType::Date => "(CURRENT_DATE)".to_string(),
            TiType::Time(_) => {
                return Err("TiDB allows no current-time default on TIME".to_string())
            }
            _ if fsp == 0 => "CURRENT_TIMESTAMP".to_string(),
            _ => format!("CURRENT_TIMESTAMP({fsp})"),
        };
        Ok((v, note))
    };
    match lower.as_str() {
        "now" | "now()" | "current_timestamp" => return now(None),
        "today" if *ty == TiType::Date => return now(None),
        "infinity" | "-infinity" => return Err("TiDB has no infinite dates".into()),
        _ => {}
    }
    if let TiType::Time(_) = ty {
        // A time of day: `HH:MM[:SS[.ffffff]]` (PostgreSQL's `allballs` is midnight).
        // Written as `HH:MM:SS[.ffffff]`, the form TiDB and MariaDB show.
        let v = if lower == "allballs" {
            "00:00:00"
        } else {
            s.trim()
        };
        let (hms, frac) = v.split_once('.').unwrap_or((v, ""));
        let parts: Vec<&str> = hms.split(':').collect();
        let ok = (2..=3).contains(&parts.len())
            && parts
                .iter()
                .all(|p| (1..=2).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()))
            && frac.len() <= 6
            && frac.chars().all(|c| c.is_ascii_digit())
            && (parts.len() == 3 || frac.is_empty());
        if !ok {
            return Err("not a time of day TiDB can read".into());
        }
        let mut out = parts
            .iter()
            .chain(std::iter::repeat(&"00"))
            .take(3)
            .map(|p| format!("{p:0>2}"))
            .collect::<Vec<_>>()
            .join(":");
        if !frac.is_empty() {
            out = format!("{out}.{frac}");
        }
        return Ok((crate::model::quote_str(&out), None));
    }
    let mut v = if lower == "epoch" {
        "1970-01-01 00:00:00".to_string()
    } else {
        s.trim().to_string()
    };
    let mut note = None;
    // A trailing UTC offset: `+00`, `+00:00`, `Z`, ` UTC`.
    let offset_at = v.rfind(['+', 'Z']).filter(|&i| i >= 10).or_else(|| {
        let i = v.rfind('-')?;
        (i >= 19).then_some(i)
    });
    if let Some(i) = offset_at {
        let off = v[i..].to_string();
        v.truncate(i);
        let zero = off
            .trim_start_matches(['+', '-'])
            .chars()
            .all(|c| c == '0' || c == ':')
            || off == "Z";
        if !zero && *ty != TiType::Date && !matches!(ty, TiType::Datetime(_)) {
            note = Some(format!(
                "UTC offset {off} removed; the value is read in the session time zone"
            ));
        }
    }
    if let Some(stripped) = v.strip_suffix(" UTC") {
        v = stripped.to_string();
    }
    let year: i32 = v
        .get(..4)
        .and_then(|y| y.parse().ok())
        .ok_or("not a date TiDB can read")?;
    if matches!(ty, TiType::Timestamp(_)) && !(1970..=2037).contains(&year) {
        return Err(format!(
            "outside TIMESTAMP's range 1970-2038 (use DATETIME for {year})"
        ));
    }
    if lower == "epoch" && matches!(ty, TiType::Timestamp(_)) {
        return Err(
            "the epoch itself is outside TIMESTAMP's range (it starts at 1970-01-01 00:00:01 UTC)"
                .into(),
        );
    }
    if *ty == TiType::Date {
        v.truncate(10);
    }
    Ok((crate::model::quote_str(&v), note))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporal_literals() {
        let ts = TiType::Timestamp(6);
        let dt = TiType::Datetime(6);
        assert_eq!(
            temporal_literal(&ts, 6, "2000-01-01 00:00:00+00").unwrap(),
            ("'2000-01-01 00:00:00'".into(), None)
        );
        assert_eq!(
            temporal_literal(&dt, 6, "1970-01-01 00:00:01+00:00")
                .unwrap()
                .0,
            "'1970-01-01 00:00:01'"
        );
        assert_eq!(
            temporal_literal(&ts, 6, "NOW()").unwrap().0,
            "CURRENT_TIMESTAMP(6)"
        );
        assert_eq!(
            temporal_literal(&TiType::Date, 0, "now").unwrap().0,
            "(CURRENT_DATE)"
        );
        assert_eq!(
            temporal_literal(&TiType::Date, 0, "2020-02-03").unwrap().0,
            "'2020-02-03'"
        );
        assert!(temporal_literal(&ts, 6, "infinity").is_err());
        let time = TiType::Time(6);
        assert_eq!(
            temporal_literal(&time, 6, "09:30:00").unwrap().0,
            "'09:30:00'"
        );
        assert_eq!(temporal_literal(&time, 6, "9:30").unwrap().0, "'09:30:00'");
        assert_eq!(
            temporal_literal(&time, 6, "23:59:59.25").unwrap().0,
            "'23:59:59.25'"
        );
        assert_eq!(
            temporal_literal(&time, 6, "allballs").unwrap().0,
            "'00:00:00'"
        );
        assert!(temporal_literal(&time, 6, "now").is_err());
        assert!(temporal_literal(&time, 6, "09:30:00+02").is_err());
        assert!(temporal_literal(&ts, 6, "1900-01-01").is_err());
        assert!(temporal_literal(&ts, 6, "2024-01-01 10:00:00+02")
            .unwrap()
            .1
            .is_some());
    }
}
