//! Never harm a file: what `-o`, `--report-file` and the inputs may touch,
//! interrupted runs, names that collide, `--since` values, special files in
//! input directories, and pipes closed early.

mod common;
use common::{stderr, stdout};

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::{symlink, FileTypeExt};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pg2tidb"))
}

fn tmp(name: &str) -> common::Scratch {
    common::Scratch::new(&format!("safety-{name}"))
}

const SQL: &str = "CREATE TABLE t (id serial PRIMARY KEY, note varchar);\n";

/// Run with a watchdog: a run that blocks (on a FIFO, say) is killed and the
/// test fails instead of hanging.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    let child = bin()
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    finish(child, args)
}

fn finish(mut child: Child, args: &[&str]) -> Output {
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("pg2tidb {args:?} blocked for 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn mkfifo(p: &Path) {
    let ok = Command::new("mkfifo").arg(p).status().unwrap().success();
    assert!(ok, "mkfifo {}", p.display());
}

fn is_fifo(p: &Path) -> bool {
    fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_fifo())
}

/// Every file below `dir` (relative names), hidden ones included.
fn listing(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() && !p.is_symlink() {
                walk(root, &p, out);
            } else {
                out.push(p.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    let mut out = vec![];
    walk(dir, dir, &mut out);
    out.sort();
    out
}

#[test]
fn output_that_is_not_a_regular_file_is_refused_and_left_as_it_is() {
    let d = tmp("special-out");
    fs::write(d.join("in.sql"), SQL).unwrap();
    // A FIFO: today it would be replaced by a regular file.
    mkfifo(&d.join("out.sql"));
    let o = run_in(&d, &["convert", "in.sql", "-o", "out.sql"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("out.sql: not a regular file"),
        "{}",
        stderr(&o)
    );
    assert!(is_fifo(&d.join("out.sql")), "the FIFO was replaced");
    // A socket.
    let sock = d.join("sock.sql");
    let _listener = std::os::unix::net::UnixListener::bind(&sock).unwrap();
    let o = run_in(&d, &["convert", "in.sql", "-o", "sock.sql"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(fs::symlink_metadata(&sock).unwrap().file_type().is_socket());
    // A character device (made here, so the system's /dev/null is never at risk).
    let dev = d.join("null.sql");
    if Command::new("mknod")
        .arg(&dev)
        .args(["c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success())
    {
        let o = run_in(&d, &["convert", "in.sql", "-o", "null.sql"]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(fs::symlink_metadata(&dev)
            .unwrap()
            .file_type()
            .is_char_device());
        // The same for the report file.
        let o = run_in(
            &d,
            &[
                "convert",
                "in.sql",
                "--report",
                "json",
                "--report-file",
                "null.sql",
            ],
        );
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(fs::symlink_metadata(&dev)
            .unwrap()
            .file_type()
            .is_char_device());
    }
    // --fold and the report file go through the same check.
    for args in [
        &["convert", "in.sql", "--fold", "-o", "out.sql"][..],
        &["convert", "in.sql", "--report-file", "out.sql"][..],
        &["convert", "in.sql", "--annotate", "info", "-o", "out.sql"][..],
    ] {
        let o = run_in(&d, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(is_fifo(&d.join("out.sql")), "{args:?} replaced the FIFO");
    }
    // In an output directory: nothing is written when one destination is special.
    fs::create_dir_all(d.join("migrations")).unwrap();
    fs::write(d.join("migrations/V1__a.sql"), SQL).unwrap();
    fs::write(
        d.join("migrations/V2__b.sql"),
        "CREATE TABLE u (id int PRIMARY KEY);\n",
    )
    .unwrap();
    fs::create_dir_all(d.join("out")).unwrap();
    mkfifo(&d.join("out/V2__b.sql"));
    let o = run_in(&d, &["convert", "migrations", "-o", "out"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(is_fifo(&d.join("out/V2__b.sql")));
    assert_eq!(
        listing(&d.join("out")),
        ["V2__b.sql"],
        "nothing else written"
    );
}

#[test]
fn an_output_symlink_is_written_through_not_replaced() {
    let d = tmp("symlink-out");
    fs::write(d.join("in.sql"), SQL).unwrap();
    fs::create_dir_all(d.join("real")).unwrap();
    fs::write(d.join("real/target.sql"), "old").unwrap();
    symlink("real/target.sql", d.join("link.sql")).unwrap();
    let o = run_in(&d, &["convert", "in.sql", "-o", "link.sql"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(fs::symlink_metadata(d.join("link.sql"))
        .unwrap()
        .is_symlink());
    let written = fs::read_to_string(d.join("real/target.sql")).unwrap();
    assert!(written.contains("CREATE TABLE `t`"), "{written}");
    // No temporary file left beside the link or the target.
    assert_eq!(listing(&d.join("real")), ["target.sql"]);
    // A dangling link: the file it names is created.
    symlink("real/new.sql", d.join("dangling.sql")).unwrap();
    let o = run_in(&d, &["convert", "in.sql", "-o", "dangling.sql"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(fs::symlink_metadata(d.join("dangling.sql"))
        .unwrap()
        .is_symlink());
    assert!(fs::read_to_string(d.join("real/new.sql"))
        .unwrap()
        .contains("CREATE TABLE `t`"));
    // A link to a FIFO is refused.
    mkfifo(&d.join("real/fifo"));
    symlink("real/fifo", d.join("to-fifo.sql")).unwrap();
    let o = run_in(&d, &["convert", "in.sql", "-o", "to-fifo.sql"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(is_fifo(&d.join("real/fifo")));
    // A link to an input is an input.
    symlink("in.sql", d.join("to-in.sql")).unwrap();
    let o = run_in(&d, &["convert", "in.sql", "-o", "to-in.sql"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(d.join("in.sql")).unwrap(), SQL);
}

#[test]
fn outputs_never_overwrite_a_baseline_or_each_other() {
    let d = tmp("baseline-out");
    fs::write(d.join("base.sql"), "CREATE TABLE b (id int PRIMARY KEY);\n").unwrap();
    fs::write(d.join("in.sql"), SQL).unwrap();
    let base = fs::read_to_string(d.join("base.sql")).unwrap();
    for args in [
        &[
            "convert",
            "--baseline",
            "base.sql",
            "in.sql",
            "-o",
            "base.sql",
        ][..],
        &[
            "convert",
            "--baseline",
            "base.sql",
            "in.sql",
            "--report",
            "json",
            "--report-file",
            "base.sql",
        ][..],
        &[
            "convert",
            "in.sql",
            "--report-file",
            "base.sql",
            "--baseline",
            "base.sql",
        ][..],
    ] {
        let o = run_in(&d, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("would overwrite an input"),
            "{}",
            stderr(&o)
        );
        assert_eq!(fs::read_to_string(d.join("base.sql")).unwrap(), base);
    }
    // The report and the SQL in one file: refused, nothing written.
    let o = run_in(
        &d,
        &[
            "convert",
            "in.sql",
            "-o",
            "out.sql",
            "--report",
            "json",
            "--report-file",
            "out.sql",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("out.sql"), "{}", stderr(&o));
    assert!(!d.join("out.sql").exists());
    // Also through another spelling of the same path.
    let o = run_in(
        &d,
        &[
            "convert",
            "in.sql",
            "-o",
            "out.sql",
            "--report-file",
            "./out.sql",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!d.join("out.sql").exists());
    // The report file inside the output directory, where an output goes.
    fs::create_dir_all(d.join("m")).unwrap();
    fs::write(d.join("m/V1__a.sql"), SQL).unwrap();
    let o = run_in(
        &d,
        &[
            "convert",
            "m",
            "-o",
            "out",
            "--report-file",
            "out/V1__a.sql",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!d.join("out/V1__a.sql").exists());
}

#[test]
fn inputs_with_the_same_name_do_not_collide_in_the_output() {
    let d = tmp("same-name");
    for (dir, table) in [("a", "from_a"), ("b", "from_b")] {
        fs::create_dir_all(d.join(dir)).unwrap();
        fs::write(
            d.join(dir).join("V1__x.sql"),
            format!("CREATE TABLE {table} (id int PRIMARY KEY);\n"),
        )
        .unwrap();
    }
    for args in [
        &["convert", "a/V1__x.sql", "b/V1__x.sql", "-o", "out"][..],
        &["convert", "a", "b", "-o", "out"][..],
        &[
            "convert",
            "a/V1__x.sql",
            "b/V1__x.sql",
            "-o",
            "out",
            "--annotate",
            "info",
        ][..],
    ] {
        let o = run_in(&d, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains("a/V1__x.sql") && err.contains("b/V1__x.sql") && err.contains("V1__x.sql"),
            "{args:?}: the message names both inputs: {err}"
        );
        assert!(
            !d.join("out").exists() || listing(&d.join("out")).is_empty(),
            "{args:?}: nothing written: {:?}",
            listing(&d.join("out"))
        );
    }
}

#[test]
fn since_values_are_revisions_never_git_options() {
    let d = tmp("since");
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .current_dir(&d)
            .args(["-c", "user.name=t", "-c", "user.email=t@t"])
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    };
    git(&["init", "-q"]);
    fs::create_dir_all(d.join("m")).unwrap();
    fs::write(d.join("m/V1__a.sql"), SQL).unwrap();
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "one"]);
    fs::write(
        d.join("m/V2__b.sql"),
        "CREATE TABLE u (id int PRIMARY KEY);\n",
    )
    .unwrap();
    let target = d.join("m/V1__a.sql").display().to_string();
    for value in [
        format!("--output={target}"),
        "--output=V1__a.sql".to_string(),
        "-o".to_string(),
        "--no-index".to_string(),
        format!("HEAD --output={target}"),
    ] {
        let arg = format!("--since={value}");
        let o = run_in(&d, &["check", "m", &arg]);
        assert_eq!(o.status.code(), Some(2), "{value}: {}", stderr(&o));
        assert!(stderr(&o).contains("--since"), "{}", stderr(&o));
        assert_eq!(
            fs::read_to_string(d.join("m/V1__a.sql")).unwrap(),
            SQL,
            "{value}"
        );
    }
    // A real revision still works, and only the new file is checked.
    let o = run_in(&d, &["check", "m", "--since", "HEAD"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("1 changed file(s) checked"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn an_interrupted_conversion_leaves_no_temporary_files() {
    let d = tmp("interrupt");
    fs::create_dir_all(d.join("m")).unwrap();
    // Big enough to be mid-conversion when the signal comes.
    let mut big = String::new();
    for i in 0..60_000 {
        big.push_str(&format!(
            "CREATE TABLE t{i} (id serial PRIMARY KEY, a varchar, b text, c timestamptz DEFAULT now());\n"
        ));
    }
    fs::write(d.join("m/V1__a.sql"), SQL).unwrap();
    fs::write(d.join("m/V2__big.sql"), &big).unwrap();
    for signal in ["INT", "TERM"] {
        let _ = fs::remove_dir_all(d.join("out"));
        let child = bin()
            .current_dir(&d)
            .args(["convert", "m", "-o", "out"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until a temporary output exists, then interrupt.
        let start = Instant::now();
        while !d.join("out").exists() || listing(&d.join("out")).is_empty() {
            assert!(start.elapsed() < Duration::from_secs(30), "no output begun");
            std::thread::sleep(Duration::from_millis(5));
        }
        let pid = child.id().to_string();
        Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap();
        let o = finish(child, &["convert"]);
        assert_eq!(o.status.code(), Some(130), "SIG{signal}");
        assert_eq!(
            listing(&d.join("out")),
            Vec::<String>::new(),
            "SIG{signal}: temporary files left behind"
        );
    }
}

#[test]
fn an_output_directory_inside_the_input_directory_is_not_read_as_input() {
    let d = tmp("out-inside");
    fs::create_dir_all(d.join("m")).unwrap();
    fs::write(d.join("m/V1__a.sql"), SQL).unwrap();
    let first = run_in(&d, &["convert", "m", "-o", "m/tidb"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let second = run_in(&d, &["convert", "m", "-o", "m/tidb"]);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    let summary = |o: &Output| stderr(o).lines().last().unwrap_or_default().to_string();
    assert_eq!(summary(&first), summary(&second));
    assert!(
        summary(&second).contains("1 file(s)"),
        "{}",
        summary(&second)
    );
    assert!(
        stderr(&second).contains("m/tidb"),
        "the skip is named: {}",
        stderr(&second)
    );
    assert_eq!(listing(&d.join("m/tidb")), ["V1__a.sql"]);
}

#[test]
fn special_files_and_links_in_input_directories_are_named_never_skipped_silently() {
    let d = tmp("special-in");
    fs::create_dir_all(d.join("m")).unwrap();
    fs::create_dir_all(d.join("elsewhere")).unwrap();
    fs::write(d.join("m/V1__a.sql"), SQL).unwrap();
    // A FIFO named like a migration: never opened (it would block), named.
    mkfifo(&d.join("m/V2__fifo.sql"));
    // A link to a migration kept outside the directory: followed and converted.
    fs::write(
        d.join("elsewhere/shared.sql"),
        "CREATE TABLE shared_t (id int PRIMARY KEY);\n",
    )
    .unwrap();
    symlink("../elsewhere/shared.sql", d.join("m/V3__shared.sql")).unwrap();
    let o = run_in(&d, &["convert", "m", "-o", "out"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("V2__fifo.sql") && err.contains("not a regular file"),
        "{err}"
    );
    assert!(
        err.contains("V3__shared.sql"),
        "the followed link is named: {err}"
    );
    assert!(fs::read_to_string(d.join("out/V3__shared.sql"))
        .unwrap()
        .contains("CREATE TABLE `shared_t`"));
    // A dangling link: the history would be incomplete, so it is an error.
    symlink("../elsewhere/missing.sql", d.join("m/V4__gone.sql")).unwrap();
    let o = run_in(&d, &["convert", "m", "-o", "out2"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("V4__gone.sql"), "{err}");
    assert!(!d.join("out2").exists());
}

#[test]
fn devices_and_endless_inputs_are_refused_without_reading_them() {
    let d = tmp("devices");
    let start = Instant::now();
    let o = run_in(&d, &["convert", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("/dev/zero"), "{}", stderr(&o));
    assert!(start.elapsed() < Duration::from_secs(30));
    // Standard input that is a device.
    let child = bin()
        .args(["convert", "-"])
        .stdin(fs::File::open("/dev/zero").unwrap())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let o = finish(child, &["convert", "-"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("<stdin>"), "{}", stderr(&o));
    // A named pipe given explicitly is read (process substitution makes these).
    let fifo = d.join("pipe.sql");
    mkfifo(&fifo);
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::write(fifo, SQL).unwrap())
    };
    let o = run_in(&d, &["convert", "pipe.sql"]);
    writer.join().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("CREATE TABLE `t`"));
}

#[test]
fn a_pipe_closed_early_ends_quietly() {
    let d = tmp("epipe");
    fs::create_dir_all(d.join("m")).unwrap();
    for i in 0..200 {
        fs::write(
            d.join(format!("m/V{i}__t.sql")),
            format!("CREATE TABLE t{i} (id serial PRIMARY KEY, note varchar);\n"),
        )
        .unwrap();
    }
    for args in [
        &["diff", "m"][..],
        &["check", "m"][..],
        &["check", "m", "--format", "json"][..],
    ] {
        let mut child = bin()
            .current_dir(&d)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // `| head -1`: read one line, then close the pipe.
        {
            let mut out = BufReader::new(child.stdout.take().unwrap());
            let mut line = String::new();
            out.read_line(&mut line).unwrap();
        }
        let o = finish(child, args);
        let err = stderr(&o);
        assert!(
            !err.to_lowercase().contains("broken pipe"),
            "{args:?}: {err}"
        );
        assert_ne!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(!err.contains("internal error"), "{args:?}: {err}");
    }
}

#[test]
fn a_machine_report_on_standard_error_is_only_the_report() {
    let d = tmp("report-stderr");
    fs::write(d.join("in.sql"), SQL).unwrap();
    let o = run_in(&d, &["convert", "in.sql", "--report", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stderr)
        .unwrap_or_else(|e| panic!("stderr is not JSON ({e}): {}", stderr(&o)));
    assert_eq!(v["summary"]["statements"], 1);
    // Markdown: the report, not a summary line after it.
    let o = run_in(&d, &["convert", "in.sql", "--report", "markdown"]);
    assert!(!stderr(&o).contains("pg2tidb: 1 file(s)"), "{}", stderr(&o));
}

#[test]
fn checking_a_new_migration_against_its_directory_leaves_it_out_of_the_baseline() {
    // docs/ci.md's pre-commit recipe: check --baseline migrations migrations/NEW.sql
    let d = tmp("baseline-self");
    fs::create_dir_all(d.join("migrations")).unwrap();
    fs::write(
        d.join("migrations/V1__a.sql"),
        "CREATE TABLE a (id int PRIMARY KEY);\n",
    )
    .unwrap();
    // Adds a column: loaded into the baseline first, it would be checked
    // against itself and ADD COLUMN would find the column already there.
    fs::write(
        d.join("migrations/V2__new.sql"),
        "ALTER TABLE a ADD COLUMN note text;\nCREATE UNIQUE INDEX a_note ON a (note);\n",
    )
    .unwrap();
    let alone = run_in(
        &d,
        &[
            "check",
            "--baseline",
            "migrations/V1__a.sql",
            "migrations/V2__new.sql",
        ],
    );
    let recipe = run_in(
        &d,
        &[
            "check",
            "--baseline",
            "migrations",
            "migrations/V2__new.sql",
        ],
    );
    assert_eq!(stdout(&recipe), stdout(&alone), "{}", stderr(&recipe));
    assert!(
        stderr(&recipe).contains("V2__new.sql"),
        "the exclusion is named: {}",
        stderr(&recipe)
    );
}

#[test]
fn fold_is_offered_on_every_converting_command_and_suggested_for_pg_dump() {
    let d = tmp("fold");
    let dump = "--\n-- PostgreSQL database dump\n--\n\nCREATE TABLE public.t (id integer NOT NULL);\n\
                CREATE SEQUENCE public.t_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;\n\
                ALTER SEQUENCE public.t_id_seq OWNED BY public.t.id;\n\
                ALTER TABLE ONLY public.t ALTER COLUMN id SET DEFAULT nextval('public.t_id_seq'::regclass);\n\
                ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);\n";
    fs::write(d.join("dump.sql"), dump).unwrap();
    for cmd in ["check", "diff"] {
        let o = run_in(&d, &[cmd, "dump.sql"]);
        assert!(
            stderr(&o).contains("--fold"),
            "{cmd} without --fold on a pg_dump says so: {}",
            stderr(&o)
        );
        let o = run_in(&d, &[cmd, "--fold", "dump.sql"]);
        assert_ne!(o.status.code(), Some(2), "{cmd} --fold: {}", stderr(&o));
        assert!(!stderr(&o).contains("--fold folds"), "{}", stderr(&o));
    }
    let o = run_in(&d, &["convert", "dump.sql"]);
    assert!(stderr(&o).contains("--fold"), "{}", stderr(&o));
    let mut f = fs::File::create(d.join("plain.sql")).unwrap();
    f.write_all(SQL.as_bytes()).unwrap();
    let o = run_in(&d, &["check", "plain.sql"]);
    assert!(!stderr(&o).contains("--fold"), "{}", stderr(&o));
}
