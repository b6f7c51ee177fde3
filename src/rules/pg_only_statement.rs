//! PostgreSQL-only statements (privileges, extensions, session settings, schemas, row-level security) are dropped.
//!
//! ## What it does
//! Drops statements that have no meaning in TiDB and reports each one at info
//! level: `GRANT`, `REVOKE` (privileges and role membership), `ALTER DEFAULT
//! PRIVILEGES`, `… OWNER TO`, `REASSIGN OWNED`, `DROP OWNED`, `SECURITY
//! LABEL`, `CREATE/DROP EXTENSION`, `SET`, `RESET`,
//! `SELECT pg_catalog.set_config(…)`, `CREATE/ALTER SCHEMA`,
//! `CREATE/ALTER/DROP ROLE|USER|GROUP`, row-level security
//! (`ENABLE ROW LEVEL SECURITY`, `CREATE POLICY`), `ANALYZE`, `VACUUM`,
//! `LOCK`, psql meta-commands (`\restrict`, `\connect`), `COMMENT ON` objects
//! TiDB cannot comment (extensions, schemas, types, indexes, functions), and
//! storage settings in `ALTER TABLE` (`REPLICA IDENTITY`, `CLUSTER ON`,
//! `SET STATISTICS`, `VALIDATE CONSTRAINT`).
//!
//! ## Why
//! TiDB has its own privilege system (MySQL's), no extensions, and no
//! schemas inside a database (a TiDB "schema" is a database). Carrying these
//! statements over would only make the migration fail.
//!
//! ## Example
//! ```sql
//! GRANT SELECT ON ALL TABLES IN SCHEMA public TO app;   -- dropped (info)
//! CREATE EXTENSION IF NOT EXISTS "pgcrypto";            -- dropped (info)
//! ```
//! Privileges must be granted again with TiDB's `GRANT … ON db.* TO user`.
use crate::expr::last_name;
use crate::rules::{pg_object_created as created, pg_object_dropped as dropped};
use crate::rules::{Cx, Event, Object, Rule, RuleMeta, Taken, Verdict};
use crate::types::fold_ident;
use sqlparser::ast::{
    AlterIndexOperation, AlterTableOperation, CommentObject, ObjectType, SchemaName, SetExpr,
    Statement,
};

crate::declare_rule!(
    PgOnlyStatement,
    "pg-only-statement",
    Info,
    PG_ONLY_STATEMENT
);

impl Rule for PgOnlyStatement {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn statement(&self, cx: &mut Cx, stmt: &Statement) -> Option<Verdict> {
        let what = match stmt {
            Statement::Grant(_) => "GRANT: TiDB uses MySQL privileges; grant them again there",
            Statement::Revoke(_) => "REVOKE: TiDB uses MySQL privileges",
            Statement::AlterDefaultPrivileges(_) => {
                "ALTER DEFAULT PRIVILEGES: TiDB has no default privileges"
            }
            Statement::CreateExtension(e) => {
                let name = fold_ident(&e.name.value, e.name.quote_style);
                created(cx, "extension", &name);
                "CREATE EXTENSION: TiDB has no extensions"
            }
            Statement::DropExtension(e) => {
                for n in &e.names {
                    dropped(cx, "extension", &fold_ident(&n.value, n.quote_style));
                }
                "DROP EXTENSION: TiDB has no extensions"
            }
            Statement::Set(_) => "SET: PostgreSQL session setting",
            Statement::CreateSchema { schema_name, .. } => {
                if let SchemaName::Simple(n) | SchemaName::NamedAuthorization(n, _) = schema_name {
                    created(cx, "schema", &last_name(n));
                }
                "CREATE SCHEMA: schemas are flattened into the target database (see schema-name)"
            }
            Statement::AlterSchema(_) => {
                "ALTER SCHEMA: schemas are flattened into the target database"
            }
            Statement::CreatePolicy(_) | Statement::AlterPolicy(_) | Statement::DropPolicy(_) => {
                "row-level security policy: TiDB has no row-level security"
            }
            Statement::CreateRole(_)
            | Statement::AlterRole { .. }
            | Statement::CreateUser(_)
            | Statement::Drop {
                object_type: ObjectType::User,
                ..
            } => "role management: TiDB users and roles are created separately",
            Statement::GrantRole(_) | Statement::RevokeRole(_) => {
                "role membership: TiDB users and roles are granted separately"
            }
            Statement::Reset(_) => "RESET: PostgreSQL session setting",
            Statement::AlterView(v)
                if matches!(v.operation, sqlparser::ast::AlterViewOperation::OwnerTo(_)) =>
            {
                "ALTER VIEW … OWNER TO: PostgreSQL ownership"
            }
            Statement::Analyze(_) | Statement::Vacuum(_) => "maintenance command",
            Statement::Lock(_) => "LOCK TABLE: TiDB DDL does not need explicit locks",
            Statement::AlterFunction(_) | Statement::AlterCollation(_) => {
                "ALTER … OWNER TO / properties of an object TiDB lacks"
            }
            Statement::Query(q) if is_set_config(q) => "set_config(): PostgreSQL session setting",
            Statement::AlterTable(at)
                if !at.operations.is_empty()
                    && at.operations.iter().all(|op| pg_only_op(op).is_some()) =>
            {
                for op in &at.operations {
                    let why = pg_only_op(op).unwrap_or_default();
                    cx.report_here(&META, format!("ALTER TABLE … {why} dropped"));
                }
                return Some(Verdict::Drop);
            }
            Statement::Comment { object_type, .. }
                if !matches!(object_type, CommentObject::Table | CommentObject::Column) =>
            {
                cx.report_here(
                    &META,
                    format!("COMMENT ON {object_type}: TiDB cannot comment this object; dropped"),
                );
                return Some(Verdict::Drop);
            }
            // `ALTER INDEX <table>_pkey RENAME …`: a TiDB primary key is always named PRIMARY.
            Statement::AlterIndex {
                name,
                operation: AlterIndexOperation::RenameIndex { .. },
            } => {
                let index = last_name(name);
                let table = cx.catalog.table_of_primary_key(&index)?.name.clone();
                cx.report_here(&META, format!("{index} is the primary key of {table}; TiDB names every primary key PRIMARY, so the rename is dropped"));
                return Some(Verdict::Drop);
            }
            _ => return None,
        };
        cx.report_here(&META, format!("{what}; dropped"));
        Some(Verdict::Drop)
    }

    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        match *e {
            // One PostgreSQL-only operation of an ALTER TABLE.
            Event::AlterOp { op, .. } => {
                let why = pg_only_op(op)?;
                cx.report_here(&META, format!("ALTER TABLE … {why} dropped"));
                Some(Taken::Drop)
            }
            Event::DropKind(kind @ (ObjectType::Role | ObjectType::Database)) => {
                report_drop(cx, kind);
                Some(Taken::Drop)
            }
            // A schema that holds nothing in the model.
            Event::Drop {
                object: Object::Schema(name),
                ..
            } => {
                report_drop(cx, ObjectType::Schema);
                dropped(cx, "schema", name);
                Some(Taken::Drop)
            }
            Event::MetaCommand { text } => {
                let word = text.split_whitespace().next().unwrap_or("");
                cx.report_here(&META, format!("psql meta-command `{word}` dropped"));
                Some(Taken::Drop)
            }
            Event::ViewOptions { view } => {
                cx.report_here(&META, format!("view {view}: WITH (…) options such as security_barrier dropped; TiDB views are read-only"));
                Some(Taken::Keep)
            }
            Event::Unparsed { words, .. } => classify_unparsed(cx, words).then_some(Taken::Drop),
            _ => None,
        }
    }
}

fn is_set_config(q: &sqlparser::ast::Query) -> bool {
    match q.body.as_ref() {
        SetExpr::Select(s) => {
            let text = s.to_string().to_ascii_lowercase();
            text.contains("set_config(")
        }
        _ => false,
    }
}

fn pg_only_op(op: &AlterTableOperation) -> Option<&'static str> {
    Some(match op {
        AlterTableOperation::OwnerTo { .. } => "OWNER TO",
        AlterTableOperation::EnableRowLevelSecurity
        | AlterTableOperation::DisableRowLevelSecurity
        | AlterTableOperation::ForceRowLevelSecurity
        | AlterTableOperation::NoForceRowLevelSecurity => "row-level security",
        AlterTableOperation::ReplicaIdentity { .. } => "REPLICA IDENTITY",
        AlterTableOperation::ValidateConstraint { .. } => {
            "VALIDATE CONSTRAINT (TiDB validates on ADD)"
        }
        AlterTableOperation::SetLogged | AlterTableOperation::SetUnlogged => "SET LOGGED/UNLOGGED",
        _ => return None,
    })
}

fn report_drop(cx: &mut Cx, kind: ObjectType) {
    cx.report_here(
        &META,
        format!("DROP {kind}: no such object in TiDB; dropped"),
    );
}

/// Classify statements sqlparser cannot read by their leading words.
fn classify_unparsed(cx: &mut Cx, words: &[String]) -> bool {
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let why = match w.as_slice() {
        ["ALTER", "SEQUENCE", ..] => return false,
        ["ALTER", _, ..] if words.iter().any(|x| x == "OWNER") => "ALTER … OWNER TO",
        ["ALTER", "TABLE", ..] => match words
            .iter()
            .find(|x| matches!(x.as_str(), "CLUSTER" | "STATISTICS" | "STORAGE"))
        {
            Some(_) => "ALTER TABLE storage setting (CLUSTER ON / SET STATISTICS / SET STORAGE)",
            None => return false,
        },
        ["COMMENT", "ON", "FUNCTION" | "CONSTRAINT" | "PROCEDURE" | "AGGREGATE" | "TRIGGER" | "POLICY", ..] => {
            "COMMENT ON an object TiDB cannot comment"
        }
        ["CREATE", "STATISTICS", ..] => "CREATE STATISTICS",
        ["REASSIGN", "OWNED", ..] | ["DROP", "OWNED", ..] => "REASSIGN/DROP OWNED (ownership)",
        ["SECURITY", "LABEL", ..] => "SECURITY LABEL",
        ["ALTER", "DEFAULT", "PRIVILEGES", ..] => "ALTER DEFAULT PRIVILEGES",
        ["SELECT", "PG_CATALOG", ..] => "pg_catalog call",
        _ => return false,
    };
    cx.report_here(&META, format!("{why}: PostgreSQL-only; dropped"));
    true
}

#[cfg(test)]
mod tests {
    use crate::{convert_str, Options, Status};

    #[test]
    fn roles_users_and_ownership_are_dropped_with_a_reason_not_errors() {
        for stmt in [
            "CREATE USER bob",
            "ALTER USER bob WITH PASSWORD 'x'",
            "DROP USER bob",
            "CREATE GROUP staff",
            "GRANT r1 TO r2",
            "REVOKE r1 FROM r2",
            "RESET ROLE",
            "RESET ALL",
            "REASSIGN OWNED BY a TO b",
            "DROP OWNED BY a",
            "SECURITY LABEL ON TABLE t IS 'x'",
            "ALTER VIEW v OWNER TO bob",
        ] {
            let r = convert_str(stmt, Options::default());
            let s = &r.statements[0];
            assert_eq!(s.status, Status::Dropped, "{stmt}: {s:#?}");
            assert!(
                s.findings.iter().all(|f| f.rule == "pg-only-statement"),
                "{stmt}: {s:#?}"
            );
        }
    }
}
