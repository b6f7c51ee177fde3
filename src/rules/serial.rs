//! `serial`, `bigserial`, `smallserial`, `GENERATED … AS IDENTITY` and `DEFAULT nextval(…)` become `AUTO_INCREMENT`; a START value becomes the table's `AUTO_INCREMENT=`.
//!
//! ## What it does
//! The column gets the integer type of its width (`INT`, `BIGINT`,
//! `SMALLINT`), `NOT NULL AUTO_INCREMENT`, and a key if it has none (TiDB
//! requires AUTO_INCREMENT columns to lead a key). MySQL's `SERIAL` keyword
//! is never written: it means `BIGINT UNSIGNED … UNIQUE`, a different
//! column. A `nextval('s')` default on a standalone sequence becomes
//! `DEFAULT NEXTVAL(s)` on integer columns. Also reported here: `setval()`
//! and `ALTER SEQUENCE`, and with `--fold` the ALTERs that make a column
//! AUTO_INCREMENT, folded into its CREATE TABLE.
//!
//! ## What is lost
//! `GENERATED ALWAYS` (explicit values are accepted in TiDB), and the
//! guarantee of contiguous values across TiDB servers (each caches a range).
//! TiDB cannot add AUTO_INCREMENT with ALTER TABLE (`auto-increment-alter`)
//! and allows one AUTO_INCREMENT column per table (`one-auto-increment`).
use crate::emit::Stmt;
use crate::expr::{function_args, function_name, string_value, strip_casts};
use crate::model::{ident, Index, IndexKind, KeyPart, Table};
use crate::rules::{
    AlterColumnDraft, AlterColumnKind, AlterVerdict, ColumnDraft, ColumnMode, Cx, Event, Object,
    Rule, RuleMeta, Taken, Verdict,
};
use crate::types::is_serial;
use sqlparser::ast::{Expr, SetExpr, Statement};

crate::declare_rule!(Serial, "serial", Info, SERIAL);

impl Rule for Serial {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn statement(&self, cx: &mut Cx, stmt: &Statement) -> Option<Verdict> {
        if let Statement::Query(q) = stmt {
            if let SetExpr::Select(s) = q.body.as_ref() {
                if s.to_string().to_ascii_lowercase().contains("setval(") {
                    // setval('s', n[, true]) on a standalone sequence is TiDB's SETVAL(s, n).
                    if let [sqlparser::ast::SelectItem::UnnamedExpr(Expr::Function(f))] =
                        s.projection.as_slice()
                    {
                        let args = function_args(f).unwrap_or_default();
                        let seq = args.first().and_then(|a| string_value(a)).map(|n| {
                            n.rsplit('.')
                                .next()
                                .unwrap_or(n)
                                .trim_matches('"')
                                .to_lowercase()
                        });
                        let value = args.get(1).and_then(|a| crate::expr::literal(a));
                        let called = args.get(2).map(|a| crate::expr::literal(a));
                        if let (Some(seq), Some(value)) = (seq, value) {
                            // Folded schema: the owning table continues after this value.
                            let owner = cx.catalog.sequence(&seq).and_then(|q| q.owned_by.clone());
                            if let Some((table, _)) = owner.filter(|_| cx.fold) {
                                if let (Some(mut t), Ok(n)) =
                                    (cx.catalog.table_copy(&table), value.parse::<i64>())
                                {
                                    let next = if called == Some(Some("FALSE".into())) {
                                        n
                                    } else {
                                        n + 1
                                    };
                                    t.auto_increment_start = Some(next);
                                    cx.report_here(&META, format!("setval({seq}, {n}): {table} continues at AUTO_INCREMENT={next}"));
                                    cx.catalog_updates
                                        .push(crate::rules::CatalogUpdate::Table(Box::new(t)));
                                    return Some(Verdict::Drop);
                                }
                            }
                            let standalone = cx
                                .catalog
                                .sequence(&seq)
                                .is_some_and(|q| q.owned_by.is_none());
                            // Folded schema: the sequence is created at its next value.
                            if let (true, true, Ok(n)) = (standalone, cx.fold, value.parse::<i64>())
                            {
                                let mut q = cx.catalog.sequence(&seq).cloned().unwrap_or_default();
                                let next = if called == Some(Some("FALSE".into())) {
                                    n
                                } else {
                                    n + q.increment.unwrap_or(1)
                                };
                                q.start = Some(next);
                                if q.min.is_some_and(|m| m > next) {
                                    q.min = Some(next);
                                }
                                cx.report_here(&META, format!("setval({seq}, {n}): the folded CREATE SEQUENCE {seq} starts with {next}"));
                                cx.catalog_updates
                                    .push(crate::rules::CatalogUpdate::Sequence(q));
                                return Some(Verdict::Drop);
                            }
                            if standalone
                                && matches!(called, None | Some(Some(_)))
                                && called != Some(Some("FALSE".into()))
                            {
                                cx.emit(Stmt::SetVal {
                                    sequence: seq,
                                    value,
                                });
                                return Some(Verdict::Replace);
                            }
                        }
                    }
                    cx.report_here(&META, "setval(): sequence positions are not carried over; the table's AUTO_INCREMENT continues from its largest value");
                    return Some(Verdict::Drop);
                }
            }
        }
        None
    }

    fn column(&self, cx: &mut Cx, col: &mut ColumnDraft) {
        let serial_type = is_serial(&col.pg.name) && col.pg.array == 0;
        let nextval = col.pg_default.as_ref().and_then(nextval_sequence);
        if let Some(seq) = &nextval {
            if let Some(s) = cx.catalog.sequence(seq) {
                if s.owned_by.is_none() && col.col.ty.is_integer() {
                    // A standalone sequence: keep it as TiDB's sequence default.
                    col.pg_default = None;
                    let d = format!("NEXTVAL({})", ident(&s.name));
                    if col.mode == ColumnMode::Add {
                        col.deferred_default = Some(format!("({d})"));
                        crate::rules::add_column_limits::report_deferred(
                            cx,
                            col.loc,
                            &col.col.name,
                            &d,
                        );
                    } else {
                        col.col.default = Some(d);
                    }
                    return;
                }
            }
        }
        if !(serial_type || col.identity.is_some() || nextval.is_some()) {
            return;
        }
        if !col.col.ty.is_integer() {
            return;
        }
        // (Added by ALTER TABLE, TiDB cannot take it: auto-increment-alter.)
        col.pg_default = None;
        col.col.auto_increment = true;
        col.col.nullable = false;
        col.col.default = None;
        if let Some(Some(start)) = col.identity {
            if start != 1 {
                col.auto_increment_start = Some(start);
            }
        }
    }

    fn keys(&self, cx: &mut Cx, t: &mut Table) {
        auto_random(cx, t);
    }

    /// TiDB requires an AUTO_INCREMENT column to lead a key: one is added if none does.
    fn table(&self, cx: &mut Cx, t: &mut Table) {
        for c in t.auto_increment_columns() {
            if !t.column_leads_a_key(&c) {
                cx.report_here(&META, format!("AUTO_INCREMENT column {c} is not the first column of any key: KEY ({c}) added (TiDB requires one)"));
                t.indexes.push(Index {
                    name: format!("{c}_ai_key"),
                    kind: IndexKind::Plain,
                    parts: vec![KeyPart::col(&c)],
                });
            }
        }
    }

    /// An ALTER that makes a column AUTO_INCREMENT (a nextval() default, an
    /// identity) is folded into its table with `--fold` (else
    /// auto-increment-alter). DROP DEFAULT keeps it.
    fn alter_column(&self, cx: &mut Cx, a: &mut AlterColumnDraft) {
        let (table, c) = (a.table.name.clone(), a.current.name.clone());
        match a.kind {
            AlterColumnKind::DropDefault if a.current.auto_increment => {
                cx.report(&META, a.loc, format!("{table}.{c}: DROP DEFAULT on an auto-increment column; AUTO_INCREMENT kept (TiDB cannot remove it)"));
                a.verdict = AlterVerdict::Drop;
            }
            AlterColumnKind::SetDefault
                if cx.fold && a.col.auto_increment && !a.current.auto_increment =>
            {
                *a.table.column_mut(&c).expect("the column exists") = a.col.clone();
                report_folded(cx, &table, &c, "nextval() default");
                a.verdict = AlterVerdict::ModelOnly;
            }
            AlterColumnKind::AddIdentity if a.current.auto_increment => {
                a.verdict = AlterVerdict::ModelOnly;
            }
            AlterColumnKind::AddIdentity if cx.fold && a.current.ty.is_integer() => {
                if let Some(n) = a.start.filter(|n| *n != 1) {
                    a.table.auto_increment_start = Some(n);
                }
                let col = a.table.column_mut(&c).expect("the column exists");
                col.auto_increment = true;
                col.nullable = false;
                col.default = None;
                report_folded(cx, &table, &c, "identity");
                a.verdict = AlterVerdict::ModelOnly;
            }
            _ => {}
        }
    }

    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        match *e {
            // A sequence that is not a standalone one: folded into an AUTO_INCREMENT.
            Event::Drop {
                object: Object::Sequence(seq),
                ..
            } => cx.report_here(
                &META,
                format!(
                    "sequence {seq} was folded into AUTO_INCREMENT (or is unknown); DROP SEQUENCE dropped"
                ),
            ),
            Event::Unparsed { text, .. } => {
                if !alter_sequence(cx, text) {
                    return None;
                }
            }
            _ => return None,
        }
        Some(Taken::Drop)
    }
}

/// `nextval('s'::regclass)` → `s`.
pub fn nextval_sequence(e: &Expr) -> Option<String> {
    let Expr::Function(f) = strip_casts(e) else {
        return None;
    };
    if function_name(f) != "nextval" {
        return None;
    }
    let args = function_args(f)?;
    let name = string_value(args.first()?)?;
    let last = name.rsplit('.').next().unwrap_or(name).trim_matches('"');
    Some(last.to_string())
}

/// `ALTER SEQUENCE`, which sqlparser 0.64 cannot parse: `OWNED BY` and
/// `OWNER TO` are dropped; RESTART/INCREMENT/START/CACHE on a known
/// standalone sequence are written for TiDB. Returns false when `text` is not
/// an ALTER SEQUENCE.
fn alter_sequence(cx: &mut Cx, text: &str) -> bool {
    // Look at the first two words before copying all of them (any statement
    // sqlparser could not read comes here, however large).
    let mut first = text.split_whitespace();
    if !(first
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("ALTER"))
        && first
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("SEQUENCE")))
    {
        return false;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let upper: Vec<String> = words.iter().map(|w| w.to_ascii_uppercase()).collect();
    if upper.len() < 3 || upper[0] != "ALTER" || upper[1] != "SEQUENCE" {
        return false;
    }
    let mut i = 2;
    if upper.get(2).map(String::as_str) == Some("IF") {
        i = 4;
    }
    let Some(raw_name) = words.get(i) else {
        return false;
    };
    let name = raw_name
        .rsplit('.')
        .next()
        .unwrap_or(raw_name)
        .trim_matches('"')
        .to_lowercase();
    let rest: Vec<&str> = upper[i + 1..].iter().map(String::as_str).collect();
    match rest.as_slice() {
        ["OWNED", "BY", ..] if cx.fold => {
            // OWNED BY t.c: the sequence backs that column's AUTO_INCREMENT.
            let target = words
                .get(i + 3)
                .map(|w| w.trim_end_matches(';'))
                .unwrap_or("");
            let parts: Vec<String> = target
                .split('.')
                .map(|p| p.trim_matches('"').to_lowercase())
                .collect();
            if parts.len() >= 2 {
                let column = parts[parts.len() - 1].clone();
                let table = parts[parts.len() - 2].clone();
                cx.report_here(&META, format!("sequence {name} belongs to {table}.{column}: folded into its AUTO_INCREMENT when the column takes its nextval() default (else written as a sequence)"));
                cx.catalog_updates
                    .push(crate::rules::CatalogUpdate::SequenceOwned {
                        sequence: name,
                        table,
                        column,
                    });
                return true;
            }
            return false;
        }
        ["OWNED", "BY", ..] => {
            cx.report_here(
                &META,
                format!(
                    "ALTER SEQUENCE {name} OWNED BY: TiDB sequences have no owning column; dropped"
                ),
            );
            return true;
        }
        ["OWNER", "TO", ..] => {
            cx.report_here(
                &META,
                format!("ALTER SEQUENCE {name} OWNER TO: PostgreSQL ownership; dropped"),
            );
            return true;
        }
        _ => {}
    }
    if cx
        .catalog
        .sequence(&name)
        .is_none_or(|s| s.owned_by.is_some())
    {
        let e = crate::rules::Event::Absent {
            object: Object::Table(&name),
            if_exists: false,
            in_drop: false,
            needed: "ALTER SEQUENCE needs a sequence created earlier with CREATE SEQUENCE",
        };
        crate::rules::run_event(cx, &e);
        return true;
    }
    // Keep only the options TiDB's ALTER SEQUENCE has.
    let mut out = Vec::new();
    let mut k = 0;
    while k < rest.len() {
        let w = rest[k].trim_end_matches(';');
        let num = |j: usize| {
            rest.get(j)
                .map(|v| v.trim_end_matches(';'))
                .filter(|v| v.parse::<i64>().is_ok())
        };
        match w {
            "RESTART" | "START" | "INCREMENT" | "CACHE" => {
                let mut j = k + 1;
                if matches!(rest.get(j).copied(), Some("WITH" | "BY")) {
                    j += 1;
                }
                match num(j) {
                    Some(n) => {
                        out.push(format!(
                            "{w} {}{n}",
                            match w {
                                "INCREMENT" => "BY ",
                                "CACHE" => "",
                                _ => "WITH ",
                            }
                        ));
                        k = j + 1;
                    }
                    None if w == "RESTART" => {
                        out.push("RESTART".into());
                        k += 1;
                    }
                    None => break,
                }
            }
            _ => {
                crate::rules::unsupported_statement::report_text(cx, &format!("ALTER SEQUENCE {name}: option {w} is not supported by TiDB's ALTER SEQUENCE"));
                return true;
            }
        }
    }
    if out.is_empty() {
        return false;
    }
    if cx.fold {
        fold_alter_sequence(cx, &name, &out);
        return true;
    }
    cx.emit(Stmt::AlterSequence { name, options: out });
    true
}

/// Fold mode: `ALTER SEQUENCE` options (`RESTART WITH n`, `INCREMENT BY n`,
/// `CACHE n`, as TiDB writes them) change the folded `CREATE SEQUENCE`.
/// `START WITH` alone only changes where a later RESTART goes.
fn fold_alter_sequence(cx: &mut Cx, name: &str, options: &[String]) {
    let Some(mut q) = cx.catalog.sequence(name).cloned() else {
        return;
    };
    let mut kept = Vec::new();
    let mut start_only = None;
    for o in options {
        let n = o.rsplit(' ').next().and_then(|v| v.parse::<i64>().ok());
        match (o.split(' ').next().unwrap_or(""), n) {
            ("RESTART", Some(n)) => q.start = Some(n),
            ("RESTART", None) => {}
            ("INCREMENT", n) => q.increment = n,
            ("CACHE", n) => q.cache = n,
            ("START", n) => {
                start_only = n;
                continue;
            }
            _ => continue,
        }
        kept.push(o.as_str());
    }
    // START WITH n RESTART: RESTART goes to the new start.
    if let (Some(n), true) = (start_only, options.iter().any(|o| o == "RESTART")) {
        q.start = Some(n);
    }
    let mut msg = format!("ALTER SEQUENCE {name} folded into its CREATE SEQUENCE");
    if !kept.is_empty() {
        msg.push_str(&format!(" ({})", kept.join(", ")));
    }
    if start_only.is_some() && !options.iter().any(|o| o == "RESTART") {
        msg.push_str("; START WITH changes only where a later RESTART goes, so the sequence keeps its position");
    }
    cx.report_here(&META, msg);
    cx.catalog_updates
        .push(crate::rules::CatalogUpdate::Sequence(q));
}

/// Fold mode: an ALTER that makes a column auto-increment is folded into its table.
fn report_folded(cx: &mut Cx, table: &str, column: &str, what: &str) {
    cx.report_here(
        &META,
        format!("{table}.{column}: {what} folded into AUTO_INCREMENT in CREATE TABLE"),
    );
}

/// `[types] auto-random = true`: a BIGINT AUTO_INCREMENT that is the whole
/// clustered primary key becomes AUTO_RANDOM(5), TiDB's remedy for write
/// hotspots on increasing keys (tidb-facts §4).
fn auto_random(cx: &mut Cx, t: &mut Table) {
    if !cx.types.auto_random {
        return;
    }
    let Some(pk) = &t.primary_key else { return };
    let [part] = pk.parts.as_slice() else { return };
    if !pk.clustered || t.temporary {
        return;
    }
    let Some(name) = part.column_name().map(str::to_string) else {
        return;
    };
    let table = t.name.clone();
    if let Some(c) = t.column_mut(&name) {
        if c.auto_increment && c.ty == crate::model::TiType::BigInt {
            c.auto_increment = false;
            c.auto_random = true;
            c.default = None;
            t.auto_increment_start = None;
            cx.report_here(&META, format!("{table}.{name}: BIGINT primary key made AUTO_RANDOM(5) (pg2tidb.toml auto-random): values are random, not increasing; explicit inserts need @@allow_auto_random_explicit_insert"));
        }
    }
}
