//! `pg2tidb verify`: prove a conversion on a live server.

use super::run::{run_conversion, ConvertRun};
use super::{stream_error, FINDINGS, OK, USAGE};
use pg2tidb::input;
use pg2tidb::Target;
use std::io::Write;
use std::path::Path;

pub(crate) struct VerifyArgs<'a> {
    pub(crate) target_url: &'a str,
    pub(crate) source_url: Option<&'a str>,
    pub(crate) keep: bool,
    pub(crate) ca: Option<&'a Path>,
    pub(crate) password_env: Option<&'a str>,
    pub(crate) source_password_env: Option<&'a str>,
    pub(crate) json: bool,
    pub(crate) timeout: std::time::Duration,
    pub(crate) explicit_target: Option<Target>,
}

/// Set by Ctrl-C / SIGTERM during `verify`.
pub(crate) static INTERRUPTED: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Exit code after an interrupt (128 + SIGINT).
pub(crate) const INTERRUPTED_EXIT: u8 = 130;

/// `pg2tidb verify`: apply the conversion in a scratch database on a live server and compare.
pub(crate) fn verify_command(run: &mut ConvertRun, v: &VerifyArgs) -> Result<u8, String> {
    use pg2tidb::verify::{self, connect, Outcome};
    let target = connect::target(v.target_url, v.ca, v.password_env)?;
    let source = match v.source_url {
        Some(u) => Some(connect::source(u, v.source_password_env)?),
        None => None,
    };
    let mut secrets = connect::Secrets::default();
    secrets.add(&target);
    if let Some(s) = &source {
        secrets.add(s);
    }
    // Before any scratch database exists: an interrupt from here on is cleaned up.
    // The first Ctrl-C stops after the running statement and cleans up; a
    // second one exits at once.
    ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, std::sync::atomic::Ordering::SeqCst) {
            eprintln!("pg2tidb: interrupted again: exiting now; scratch databases may be left behind (their names are above)");
            std::process::exit(i32::from(INTERRUPTED_EXIT));
        }
        eprintln!("pg2tidb: interrupted: stopping after the running statement and dropping the scratch databases (Ctrl-C again to exit at once)");
    })
    .map_err(|e| format!("cannot install the Ctrl-C handler: {e}"))?;
    let mut conn = connect::mysql_conn(&target, None, v.timeout).map_err(|e| secrets.redact(&e))?;
    let server =
        verify::server_of(&mut conn, &target, v.timeout).map_err(|e| secrets.redact(&e))?;
    match (server.target(), v.explicit_target) {
        (None, _) => eprintln!(
            "pg2tidb: warning: the target is {}, not TiDB: TiDB-only SQL is rewritten or set aside there and listed as not proven",
            server.describe()
        ),
        (Some(t), Some(chosen)) if chosen > t => eprintln!(
            "pg2tidb: warning: converting for {chosen} (--target / pg2tidb.toml), but the server is {} ({t} features)",
            server.describe()
        ),
        _ => {}
    }
    run.target = v.explicit_target.or(server.target()).unwrap_or_default();
    let (sources, mut files, conv) = run_conversion(run, None, None)?;
    // --fold: the target gets the folded schema; each statement was only
    // read into the model (its findings still explain the differences).
    let folded = run.fold.then(|| {
        for st in files.iter_mut().flat_map(|f| f.statements.iter_mut()) {
            st.output.clear();
        }
        pg2tidb::fold::schema_statements(&conv.catalog)
    });
    let texts: Vec<(String, String)> = sources
        .iter()
        .map(|s| Ok((s.display.clone(), s.load()?.into_owned())))
        .collect::<Result<_, input::InputError>>()
        .map_err(|e| e.to_string())?;
    let settings = verify::Settings {
        target: &target,
        source: source.as_ref(),
        keep: v.keep,
        timeout: v.timeout,
        interrupted: &INTERRUPTED,
        secrets: &secrets,
        folded: folded.as_deref(),
    };
    let report = verify::run(
        &files,
        &texts,
        server,
        run.target,
        conn,
        &settings,
        &mut |line| eprintln!("pg2tidb: {}", secrets.redact(line)),
    )?;
    let rendered = if v.json {
        serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n"
    } else {
        verify::text(&report)
    };
    std::io::stdout()
        .lock()
        .write_all(secrets.redact(&rendered).as_bytes())
        .map_err(|e| stream_error("stdout", e))?;
    Ok(match report.outcome {
        Outcome::Verified => OK,
        Outcome::Failed | Outcome::Incomplete => FINDINGS,
        Outcome::Interrupted => INTERRUPTED_EXIT,
        Outcome::ConnectionLost => USAGE,
    })
}
