//! SELECT queries (view bodies) → TiDB SQL.
//!
//! Covers what views in migrations use: projections with aliases, FROM with
//! aliases and INNER/LEFT/RIGHT/CROSS joins, WHERE, GROUP BY, HAVING,
//! ORDER BY, LIMIT/OFFSET, DISTINCT, UNION \[ALL\] and subqueries in FROM.
//! Anything else is an error, never passed through.

use crate::expr::{ident_sql, last_name, to_tidb, Result};
use crate::model::ident;
use sqlparser::ast::{
    Distinct, GroupByExpr, JoinConstraint, JoinOperator, LimitClause, OrderByKind, Query, Select,
    SelectItem, SelectItemQualifiedWildcardKind, SetExpr, SetOperator, SetQuantifier, TableFactor,
    TableWithJoins, WildcardAdditionalOptions,
};

/// Print a query; `depth` guards nesting.
pub fn to_tidb_query(q: &Query) -> Result<String> {
    query(q, 0)
}

fn query(q: &Query, depth: usize) -> Result<String> {
    if depth > 32 {
        return Err("query nests too deep".into());
    }
    if q.with.is_some() {
        return Err("WITH (common table expressions) in a view is not converted yet".into());
    }
    if q.fetch.is_some() || !q.locks.is_empty() {
        return Err("FETCH / FOR UPDATE in a view".into());
    }
    let mut s = set_expr(&q.body, depth)?;
    if let Some(ob) = &q.order_by {
        let OrderByKind::Expressions(items) = &ob.kind else {
            return Err("ORDER BY ALL".into());
        };
        let mut parts = Vec::new();
        for o in items {
            let mut p = to_tidb(&o.expr)?;
            match o.options.sort {
                Some(sqlparser::ast::OrderBySort::Desc) => p.push_str(" DESC"),
                Some(sqlparser::ast::OrderBySort::Asc) | None => {}
                Some(sqlparser::ast::OrderBySort::Using(_)) => {
                    return Err("ORDER BY … USING".into())
                }
            }
            parts.push(p);
        }
        s.push_str(" ORDER BY ");
        s.push_str(&parts.join(", "));
    }
    match &q.limit_clause {
        None => {}
        Some(LimitClause::LimitOffset {
            limit,
            offset,
            limit_by,
        }) if limit_by.is_empty() => {
            if let Some(l) = limit {
                s.push_str(" LIMIT ");
                s.push_str(&to_tidb(l)?);
            }
            if let Some(o) = offset {
                if limit.is_none() {
                    s.push_str(" LIMIT 18446744073709551615");
                }
                s.push_str(" OFFSET ");
                s.push_str(&to_tidb(&o.value)?);
            }
        }
        Some(_) => return Err("this LIMIT form".into()),
    }
    Ok(s)
}

fn set_expr(e: &SetExpr, depth: usize) -> Result<String> {
    match e {
        SetExpr::Select(s) => select(s, depth),
        SetExpr::Query(q) => Ok(format!("({})", query(q, depth + 1)?)),
        SetExpr::SetOperation {
            op: SetOperator::Union,
            set_quantifier,
            left,
            right,
        } => {
            let q = match set_quantifier {
                SetQuantifier::All => " ALL",
                SetQuantifier::None | SetQuantifier::Distinct => "",
                other => return Err(format!("UNION {other}")),
            };
            Ok(format!(
                "{} UNION{q} {}",
                set_expr(left, depth + 1)?,
                set_expr(right, depth + 1)?
            ))
        }
        other => Err(format!("`{}` in a view", head(&other.to_string()))),
    }
}

fn head(s: &str) -> String {
    s.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
}

fn select(s: &Select, depth: usize) -> Result<String> {
    if s.top.is_some()
        || s.into.is_some()
        || !s.lateral_views.is_empty()
        || s.qualify.is_some()
        || !s.named_window.is_empty()
    {
        return Err("a SELECT clause TiDB views cannot take".into());
    }
    let mut out = String::from("SELECT ");
    match &s.distinct {
        None | Some(Distinct::All) => {}
        Some(Distinct::Distinct) => out.push_str("DISTINCT "),
        Some(Distinct::On(_)) => return Err("DISTINCT ON has no TiDB equivalent".into()),
    }
    let mut items = Vec::new();
    for it in &s.projection {
        items.push(match it {
            SelectItem::UnnamedExpr(e) => to_tidb(e)?,
            SelectItem::ExprWithAlias { expr, alias } => {
                format!("{} AS {}", to_tidb(expr)?, ident_sql(alias))
            }
            SelectItem::Wildcard(opts) => {
                wildcard_options(opts)?;
                "*".into()
            }
            SelectItem::QualifiedWildcard(kind, opts) => {
                wildcard_options(opts)?;
                qualified_wildcard(kind)?
            }
            other => return Err(format!("select item `{other}`")),
        });
    }
    out.push_str(&items.join(", "));
    if !s.from.is_empty() {
        let mut from = Vec::new();
        for t in &s.from {
            from.push(table_with_joins(t, depth)?);
        }
        out.push_str(" FROM ");
        out.push_str(&from.join(", "));
    }
    if let Some(w) = &s.selection {
        out.push_str(" WHERE ");
        out.push_str(&to_tidb(w)?);
    }
    match &s.group_by {
        GroupByExpr::Expressions(exprs, mods) if mods.is_empty() => {
            if !exprs.is_empty() {
                let g: Result<Vec<String>> = exprs.iter().map(to_tidb).collect();
                out.push_str(" GROUP BY ");
                out.push_str(&g?.join(", "));
            }
        }
        _ => return Err("GROUP BY ALL / modifiers".into()),
    }
    if let Some(h) = &s.having {
        out.push_str(" HAVING ");
        out.push_str(&to_tidb(h)?);
    }
    Ok(out)
}

/// `t.*`, `s.t.*`: the table or alias as the FROM clause names it in TiDB
/// (the last part of the name; the schema has no TiDB meaning here).
fn qualified_wildcard(kind: &SelectItemQualifiedWildcardKind) -> Result<String> {
    match kind {
        SelectItemQualifiedWildcardKind::ObjectName(name) => match name.0.last() {
            Some(part) if part.as_ident().is_some() => Ok(format!("{}.*", ident(&last_name(name)))),
            _ => Err(format!("wildcard `{kind}`")),
        },
        SelectItemQualifiedWildcardKind::Expr(_) => Err(format!(
            "wildcard over an expression `{kind}` has no TiDB form"
        )),
    }
}

/// Options after `*` (`* AS x`, and the EXCEPT/EXCLUDE/REPLACE forms of
/// other dialects): TiDB has none of them.
fn wildcard_options(o: &WildcardAdditionalOptions) -> Result<()> {
    if o.opt_ilike.is_some()
        || o.opt_exclude.is_some()
        || o.opt_except.is_some()
        || o.opt_replace.is_some()
        || o.opt_rename.is_some()
        || o.opt_alias.is_some()
    {
        return Err(format!(
            "wildcard options `{}` have no TiDB form",
            o.to_string().trim()
        ));
    }
    Ok(())
}

fn table_factor(t: &TableFactor, depth: usize) -> Result<String> {
    match t {
        TableFactor::Table {
            name,
            alias,
            args: None,
            with_hints,
            ..
        } if with_hints.is_empty() => {
            let mut s = ident(&last_name(name));
            if let Some(a) = alias {
                if !a.columns.is_empty() {
                    return Err("table alias with column names".into());
                }
                s.push_str(" AS ");
                s.push_str(&ident_sql(&a.name));
            }
            Ok(s)
        }
        TableFactor::Derived {
            lateral: false,
            subquery,
            alias,
            ..
        } => {
            let a = alias.as_ref().ok_or("a subquery in FROM needs an alias")?;
            Ok(format!(
                "({}) AS {}",
                query(subquery, depth + 1)?,
                ident_sql(&a.name)
            ))
        }
        other => Err(format!("FROM item `{}`", head(&other.to_string()))),
    }
}

fn table_with_joins(t: &TableWithJoins, depth: usize) -> Result<String> {
    let mut s = table_factor(&t.relation, depth)?;
    for j in &t.joins {
        let (kw, c) = match &j.join_operator {
            JoinOperator::Join(c) | JoinOperator::Inner(c) => ("JOIN", c),
            JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => ("LEFT JOIN", c),
            JoinOperator::Right(c) | JoinOperator::RightOuter(c) => ("RIGHT JOIN", c),
            JoinOperator::CrossJoin(c) => ("CROSS JOIN", c),
            other => {
                return Err(format!("join `{other:?}` has no TiDB equivalent")
                    .chars()
                    .take(80)
                    .collect())
            }
        };
        s.push(' ');
        s.push_str(kw);
        s.push(' ');
        s.push_str(&table_factor(&j.relation, depth)?);
        match c {
            JoinConstraint::On(e) => {
                s.push_str(" ON ");
                s.push_str(&to_tidb(e)?);
            }
            JoinConstraint::Using(cols) => {
                let names: Vec<String> = cols.iter().map(|c| ident(&last_name(c))).collect();
                s.push_str(&format!(" USING ({})", names.join(", ")));
            }
            JoinConstraint::Natural => return Err("NATURAL JOIN".into()),
            JoinConstraint::None => {}
            JoinConstraint::UsingAlias(..) => return Err("USING … AS".into()),
        }
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::parser::Parser;

    fn conv(sql: &str) -> Result<String> {
        let stmts = Parser::parse_sql(&PostgreSqlDialect {}, sql).unwrap();
        match &stmts[0] {
            sqlparser::ast::Statement::Query(q) => to_tidb_query(q),
            _ => unreachable!(),
        }
    }

    #[test]
    fn prints_common_view_bodies() {
        assert_eq!(
            conv("SELECT u.id, u.email AS mail, count(o.id) FROM public.users u LEFT JOIN orders o ON o.user_id = u.id WHERE u.active GROUP BY u.id, u.email HAVING count(o.id) > 1 ORDER BY mail DESC LIMIT 10").unwrap(),
            "SELECT `u`.`id`, `u`.`email` AS `mail`, COUNT(`o`.`id`) FROM `users` AS `u` LEFT JOIN `orders` AS `o` ON `o`.`user_id` = `u`.`id` WHERE `u`.`active` GROUP BY `u`.`id`, `u`.`email` HAVING COUNT(`o`.`id`) > 1 ORDER BY `mail` DESC LIMIT 10"
        );
        assert_eq!(
            conv("SELECT a FROM t UNION ALL SELECT b FROM u").unwrap(),
            "SELECT `a` FROM `t` UNION ALL SELECT `b` FROM `u`"
        );
        assert_eq!(
            conv("SELECT * FROM (SELECT id FROM t) s").unwrap(),
            "SELECT * FROM (SELECT `id` FROM `t`) AS `s`"
        );
    }

    /// A qualified wildcard names its table or alias, wherever a select
    /// list can hold one (issue 14, class 1: it was written `` `*`.* ``).
    #[test]
    fn qualified_wildcards_keep_their_qualifier() {
        for (pg, tidb) in [
            (
                "SELECT a.*, 1 AS x FROM t a",
                "SELECT `a`.*, 1 AS `x` FROM `t` AS `a`",
            ),
            ("SELECT public.t.* FROM public.t", "SELECT `t`.* FROM `t`"),
            ("SELECT t.* FROM t", "SELECT `t`.* FROM `t`"),
            (
                "SELECT \"Big\".*, b.id FROM \"Big\" JOIN b ON b.id = \"Big\".id",
                "SELECT `Big`.*, `b`.`id` FROM `Big` JOIN `b` ON `b`.`id` = `Big`.`id`",
            ),
            (
                "SELECT s.* FROM (SELECT u.* FROM u) s",
                "SELECT `s`.* FROM (SELECT `u`.* FROM `u`) AS `s`",
            ),
            (
                "SELECT a.* FROM a UNION ALL SELECT b.* FROM b",
                "SELECT `a`.* FROM `a` UNION ALL SELECT `b`.* FROM `b`",
            ),
        ] {
            assert_eq!(conv(pg).as_deref(), Ok(tidb), "{pg}");
        }
    }

    #[test]
    fn wildcard_forms_tidb_lacks_are_refused() {
        for (pg, why) in [
            (
                "SELECT count(t.*) FROM t",
                "count(t.*): a whole-row argument has no TiDB form",
            ),
            (
                "SELECT t.* AS x FROM t",
                "wildcard options `AS x` have no TiDB form",
            ),
        ] {
            assert_eq!(conv(pg), Err(why.to_string()), "{pg}");
        }
    }

    #[test]
    fn refuses_what_it_cannot_translate() {
        for sql in [
            "WITH x AS (SELECT 1) SELECT * FROM x",
            "SELECT DISTINCT ON (a) a FROM t",
            "SELECT a FROM t, LATERAL (SELECT 1) l",
        ] {
            assert!(conv(sql).is_err(), "{sql}");
        }
    }
}
