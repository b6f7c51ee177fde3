//! `pg2tidb rules`: the rules, or one rule's documentation.

use super::{say, OK, USAGE};
use pg2tidb::report;
use pg2tidb::rules;
use std::io::Write;

pub(crate) fn rules_command(id: Option<String>, markdown: bool) -> u8 {
    let mut out = std::io::stdout().lock();
    if markdown {
        let _ = out.write_all(rules::reference_markdown().as_bytes());
        return OK;
    }
    match id {
        Some(id) => match rules::by_id(&id) {
            Some(r) => {
                let m = r.meta();
                let _ = writeln!(out, "{} ({})\n\n{}", m.id, m.severity, m.doc.trim_end());
                OK
            }
            None => {
                let id = report::escape(&id);
                say(&format!(
                    "pg2tidb: unknown rule '{id}'; `pg2tidb rules` lists them"
                ));
                USAGE
            }
        },
        None => {
            for r in rules::REGISTRY {
                let m = r.meta();
                let _ = writeln!(
                    out,
                    "{:<24} {:<8} {}",
                    m.id,
                    m.severity.to_string(),
                    m.summary()
                );
            }
            OK
        }
    }
}
