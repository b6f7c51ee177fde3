//! `pg2tidb convert --emit alembic`: one Alembic revision per upgrade section.

use super::convert::write_report;
use super::run::{convert_gathered, gather, ConvertRun, Gathered};
use super::{say, FINDINGS, OK};
use pg2tidb::input;
use pg2tidb::layout::Layout;
use pg2tidb::output;
use pg2tidb::report::{self, Summary};
use pg2tidb::FileResult;
use std::path::{Path, PathBuf};

/// `convert --emit alembic`: one Alembic revision file per upgrade section.
pub(crate) fn alembic_command(run: &ConvertRun, downgrade: Option<&Path>) -> Result<u8, String> {
    if run.fold {
        return Err("--emit alembic and --fold do not go together".into());
    }
    let Some(dir) = run.output else {
        return Err("--emit alembic needs -o DIR (the TiDB project's versions directory)".into());
    };
    if dir.exists() && !dir.is_dir() {
        return Err(format!("{}: not a directory", dir.display()));
    }
    let Gathered {
        sources,
        baseline,
        mut plan,
    } = gather(run)?;
    let report_dest = match run.report_file {
        Some(p) => Some(plan.claim(p, "the report")?),
        None => None,
    };
    let downgrade_sources = match downgrade {
        Some(d) => {
            let found = input::discover(&[d.display().to_string()], Some(Layout::Plain))
                .map_err(|e| e.to_string())?;
            for s in &found.sources {
                if let Some(p) = &s.path {
                    plan.protect(p, &format!("downgrade SQL {}", s.display));
                }
            }
            found.sources
        }
        None => vec![],
    };
    output::remove_temporaries_on_interrupt();
    let (mut sources, mut files, mut conv) = convert_gathered(run, sources, &baseline, None, None)?;
    if files.len() != 1 {
        return Err(format!(
            "--emit alembic takes one `alembic upgrade --sql` file, got {}",
            files.len()
        ));
    }
    for s in downgrade_sources {
        // After the upgrade: the schema model is the head's, as for a real downgrade.
        let statements = conv.convert_text(&s.load().map_err(|e| e.to_string())?);
        files.push(FileResult {
            path: s.display.clone(),
            statements,
        });
        sources.push(s);
    }
    let revisions = pg2tidb::alembic::revisions(&files[0], files.get(1))?;
    // Plan every path first: nothing is written if any would clash.
    let plan: Vec<(PathBuf, String)> = revisions
        .into_iter()
        .map(|(name, text)| {
            let path = dir.join(&name);
            plan.claim(&path, &format!("revision {name}"))
                .map(|dest| (dest, text))
        })
        .collect::<Result<_, _>>()?;
    write_report(run, report_dest.as_deref(), &files)?;
    for (p, text) in &plan {
        output::write_atomic(p, text)?;
    }
    let summary = Summary::of(&files);
    say(&format!(
        "pg2tidb: {} Alembic revision(s) written to {}",
        plan.len(),
        report::escape(&dir.display().to_string())
    ));
    say(&summary.line());
    Ok(if summary.error_findings > 0 {
        FINDINGS
    } else {
        OK
    })
}
