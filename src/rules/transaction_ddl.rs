//! `BEGIN`/`COMMIT` are kept, but TiDB commits every DDL statement on its own: a failed migration is not rolled back.
//!
//! ## Why
//! PostgreSQL runs DDL inside transactions, so Alembic and Flyway wrap each
//! migration in one. TiDB (like MySQL) commits implicitly before and after
//! each DDL statement (tidb-facts §7). The statements are kept so DML
//! bookkeeping still groups, and the fact is reported once per run. With
//! `--fold` they are dropped (info): the folded schema is one script.
use crate::emit::{Stmt, Transaction};
use crate::rules::{Cx, Rule, RuleMeta, Verdict};
use sqlparser::ast::Statement;

crate::declare_rule!(TransactionDdl, "transaction-ddl", Info, TRANSACTION_DDL);

impl Rule for TransactionDdl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn statement(&self, cx: &mut Cx, stmt: &Statement) -> Option<Verdict> {
        let (out, tx) = match stmt {
            Statement::StartTransaction { .. } => ("BEGIN", Transaction::Begin),
            Statement::Commit { .. } => ("COMMIT", Transaction::Commit),
            Statement::Rollback { .. } => ("ROLLBACK", Transaction::Rollback),
            _ => return None,
        };
        if cx.fold {
            cx.report_here(
                &META,
                format!("{out}: --fold writes one schema script, without transactions; dropped"),
            );
            return Some(Verdict::Drop);
        }
        let loc = cx.loc;
        cx.report_once(&META, "transaction", loc, "TiDB commits each DDL statement implicitly: a migration that fails halfway is not rolled back");
        cx.emit(Stmt::Transaction(tx));
        Some(Verdict::Replace)
    }
}
