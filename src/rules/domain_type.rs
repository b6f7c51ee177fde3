//! `CREATE DOMAIN` is inlined: each column of the domain gets its base type, NOT NULL, default and CHECK.
//!
//! ## What it does
//! The CREATE DOMAIN statement is dropped (info) and remembered. A column
//! declared with the domain is converted as if it had been declared with the
//! base type and the domain's constraints; a domain CHECK (`VALUE > 0`)
//! becomes a named table CHECK on that column (`<table>_<column>_check`).
//!
//! `DROP DOMAIN` (or `DROP TYPE` of a domain) is dropped (info) and the
//! domain forgotten; the columns keep what was inlined.
//!
//! ## Why
//! TiDB has no domains (tidb-facts §7).
use crate::catalog::Domain;
use crate::expr::last_name;
use crate::parse::Repair;
use crate::rules::{CatalogUpdate, Cx, Event, Object, Rule, RuleMeta, Taken, TypeKind, Verdict};
use sqlparser::ast::{ColumnOption, Statement, TableConstraint};

crate::declare_rule!(DomainType, "domain-type", Info, DOMAIN_TYPE);

impl Rule for DomainType {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn statement(&self, cx: &mut Cx, stmt: &Statement) -> Option<Verdict> {
        let Statement::CreateDomain(d) = stmt else {
            return None;
        };
        let name = last_name(&d.name);
        // A name the model has in another case is another type (identifier-case).
        let known = crate::rules::type_name(cx.catalog, &name);
        let at = cx.loc;
        if known.is_some_and(|k| crate::rules::run_new_name_taken(cx, "type", &name, &k, "", at)) {
            return Some(Verdict::Drop);
        }
        let mut domain = Domain {
            name: name.clone(),
            base: d.data_type.clone(),
            not_null: cx.repair == Repair::DomainNotNull,
            default: d.default.clone(),
            checks: vec![],
        };
        for c in &d.constraints {
            if let TableConstraint::Check(ck) = c {
                domain.checks.push((*ck.expr).clone());
            }
        }
        let _ = ColumnOption::NotNull;
        cx.report_here(
            &META,
            format!("domain {name} inlined on its columns; CREATE DOMAIN dropped"),
        );
        cx.catalog_updates.push(CatalogUpdate::FlattenedFrom {
            key: crate::rules::pg_object_key("type", &name),
            schema: crate::rules::schema_name::schema_of(&d.name),
        });
        cx.catalog_updates
            .push(CatalogUpdate::Domain(Box::new(domain)));
        Some(Verdict::Drop)
    }

    /// `DROP DOMAIN`, or `DROP TYPE` of a domain: the domain is forgotten.
    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        let (name, exists) = match *e {
            Event::Drop {
                object:
                    Object::Type {
                        name,
                        kind: TypeKind::Domain,
                    },
                ..
            } => (name, true),
            Event::Drop {
                object: Object::Domain(name),
                exists,
                ..
            } => (name, exists),
            _ => return None,
        };
        cx.report_here(
            &META,
            format!(
                "DROP DOMAIN {name}: domains exist only inlined on their columns in TiDB; dropped"
            ),
        );
        if exists {
            cx.catalog_updates
                .push(CatalogUpdate::RemoveDomain(name.to_string()));
        }
        Some(Taken::Drop)
    }
}
