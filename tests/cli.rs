//! The command line: exit codes, outputs, hostile inputs, the rules command
//! and the generated docs.

mod common;
use common::{stderr, stdout};

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pg2tidb"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn tmp(name: &str) -> common::Scratch {
    common::Scratch::new(&format!("cli-{name}"))
}

fn fixture(name: &str) -> String {
    common::root()
        .join("fixtures")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn one_input_goes_to_stdout_with_diagnostics_on_stderr() {
    let o = run(&["convert", &fixture("varchar-length.sql")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("`handle` VARCHAR(255) NOT NULL"));
    let err = stderr(&o);
    assert!(
        err.contains("varchar-length.sql:2:47: warning[varchar-length]: column handles.handle"),
        "{err}"
    );
    assert!(
        err.lines()
            .last()
            .unwrap()
            .starts_with("pg2tidb: 1 file(s), 1 statement(s): 1 converted, 0 dropped, 0 error(s)"),
        "{err}"
    );
}

#[test]
fn exit_1_when_something_is_not_carried_over_but_the_rest_is_written() {
    let o = run(&["convert", &fixture("unsupported-statement.sql")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("CREATE TABLE `after_all`"));
    assert!(stderr(&o).contains("error[unsupported-statement]"));
}

#[test]
fn min_severity_filters_diagnostics_only() {
    let o = run(&[
        "convert",
        "--min-severity",
        "error",
        &fixture("varchar-length.sql"),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(!stderr(&o).contains("warning["));
    assert!(stdout(&o).contains("VARCHAR(255)"));
}

#[test]
fn target_changes_version_dependent_output() {
    let v85 = stdout(&run(&[
        "convert",
        "--target",
        "tidb-8.5",
        &fixture("vector-index.sql"),
    ]));
    let v75 = stdout(&run(&[
        "convert",
        "--target",
        "tidb-7.5",
        &fixture("vector-index.sql"),
    ]));
    assert!(v85.contains("VECTOR(3)") && v85.contains("CREATE VECTOR INDEX"));
    assert!(
        !v75.contains("VECTOR(3)")
            && !v75.contains("CREATE VECTOR INDEX")
            && v75.contains("`embedding` JSON")
    );
}

#[test]
fn usage_and_input_errors_exit_2() {
    let o = run(&["convert", "--target", "tidb-6.0", &fixture("serial.sql")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown target 'tidb-6.0'"));
    let o = run(&["convert", "/no/such/file.sql"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/no/such/file.sql"));
    let o = run(&["convert", &fixture("serial.sql"), &fixture("enum-type.sql")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("several inputs need -o DIR"));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(run(&["convert"]).status.code(), Some(2));
}

#[test]
fn invalid_utf8_is_a_clear_error_with_the_offset() {
    let d = tmp("utf8");
    let f = d.join("bad.sql");
    fs::write(
        &f,
        b"CREATE TABLE a (id int);\nCREATE TABLE b (n text DEFAULT '\xff');\n",
    )
    .unwrap();
    let o = run(&["convert", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("bad.sql:2: not valid UTF-8 (byte 0xff at offset 57)"),
        "{e}"
    );
}

#[test]
fn stdin_input() {
    let mut child = bin()
        .args(["convert", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"CREATE TABLE t (id serial PRIMARY KEY);")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("`id` INT NOT NULL AUTO_INCREMENT"));
    assert!(stderr(&o).contains("pg2tidb: 1 file(s), 1 statement(s)"));
}

#[test]
fn empty_and_comment_only_inputs_convert_to_nothing() {
    let d = tmp("empty");
    for (n, text) in [
        ("empty.sql", ""),
        ("comments.sql", "-- nothing\n/* here */\n"),
    ] {
        let f = d.join(n);
        fs::write(&f, text).unwrap();
        let o = run(&["convert", f.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0));
        assert!(stderr(&o).contains("0 statement(s)"));
    }
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v = vec![];
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            v.extend(snapshot(&p));
        } else {
            v.push((p.clone(), fs::read(&p).unwrap()));
        }
    }
    v.sort();
    v
}

#[test]
fn directory_to_directory_keeps_relative_paths_and_never_touches_inputs() {
    let d = tmp("dirs");
    let input = d.join("migrations");
    fs::create_dir_all(input.join("nested")).unwrap();
    fs::write(
        input.join("V1__init.sql"),
        "CREATE TABLE a (id serial PRIMARY KEY);",
    )
    .unwrap();
    fs::write(
        input.join("V2__more.sql"),
        "ALTER TABLE a ADD COLUMN n varchar(10);",
    )
    .unwrap();
    fs::write(
        input.join("nested/V10__late.sql"),
        "ALTER TABLE a ALTER COLUMN n SET NOT NULL;",
    )
    .unwrap();
    fs::write(input.join("README.md"), "not sql").unwrap();
    // A link that leads out of the input directory is followed, and named.
    fs::write(d.join("outside.sql"), "CREATE TABLE outside (id int);").unwrap();
    std::os::unix::fs::symlink(d.join("outside.sql"), input.join("V3__link.sql")).unwrap();
    let before = snapshot(&input);
    let out = d.join("out");
    let o = run(&[
        "convert",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(snapshot(&input), before, "inputs changed");
    let v1 = fs::read_to_string(out.join("V1__init.sql")).unwrap();
    assert!(v1.contains("CREATE TABLE `a`"));
    // V10 comes after V2 (version order), so the catalog knows column n.
    let v10 = fs::read_to_string(out.join("nested/V10__late.sql")).unwrap();
    assert!(
        v10.contains("MODIFY COLUMN `n` VARCHAR(10) NOT NULL"),
        "{v10}"
    );
    assert!(fs::read_to_string(out.join("V3__link.sql"))
        .unwrap()
        .contains("CREATE TABLE `outside`"));
    assert!(
        stderr(&o).contains("V3__link.sql: a symbolic link out of the directory, followed to"),
        "{}",
        stderr(&o)
    );
    let leftovers: Vec<_> = snapshot(&out)
        .into_iter()
        .filter(|(p, _)| p.to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn output_file_and_bad_output_targets() {
    let d = tmp("outputs");
    let out = d.join("single.sql");
    let o = run(&[
        "convert",
        &fixture("serial.sql"),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(fs::read_to_string(&out)
        .unwrap()
        .contains("CREATE TABLE `s_serial`"));
    // Several outputs into something that is a file: refused, nothing written.
    let o = run(&[
        "convert",
        &fixture("serial.sql"),
        &fixture("enum-type.sql"),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a directory"));
    // Never overwrite an input.
    let input = d.join("in.sql");
    fs::write(&input, "CREATE TABLE x (note varchar);").unwrap();
    let o = run(&[
        "convert",
        input.to_str().unwrap(),
        "-o",
        input.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    // Refused before anything is converted: the error is all there is.
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("overwrite an input"));
    assert_eq!(
        fs::read_to_string(&input).unwrap(),
        "CREATE TABLE x (note varchar);"
    );
}

#[test]
fn unwritable_output_is_a_clear_error_and_nothing_is_written() {
    // A directory cannot be created below a regular file (this fails for root too,
    // unlike permission bits).
    let d = tmp("unwritable");
    let file = d.join("plain-file");
    fs::write(&file, "x").unwrap();
    let out = file.join("out");
    let o = run(&[
        "convert",
        &fixture("serial.sql"),
        &fixture("enum-type.sql"),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("plain-file") && e.contains("Not a directory"),
        "{e}"
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), "x");
    assert_eq!(
        fs::read_dir(&d).unwrap().count(),
        1,
        "something was written"
    );
}

#[test]
fn a_write_that_fails_midway_stops_the_conversion_at_once() {
    // 20,000 statements, each with a warning; standard output closes after
    // the first bytes (as `pg2tidb convert … | head -c 10` would).
    let d = tmp("closed-stdout");
    let input = d.join("many.sql");
    let sql: String = (0..20_000)
        .map(|i| format!("CREATE TABLE t{i} (id serial PRIMARY KEY, note varchar);\n"))
        .collect();
    fs::write(&input, sql).unwrap();
    let mut child = bin()
        .args(["convert", input.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut first = [0u8; 10];
    std::io::Read::read_exact(&mut out, &mut first).unwrap();
    drop(out);
    let o = child.wait_with_output().unwrap();
    // Quietly, as a shell reports a tool stopped by SIGPIPE (128 + 13).
    assert_eq!(o.status.code(), Some(141));
    let e = stderr(&o);
    assert!(!e.contains("Broken pipe"), "{e}");
    // Stopped at the failed write: the diagnostics of the statements after
    // it were never produced (each statement has two).
    let diagnostics = e.lines().filter(|l| l.contains("[varchar-length]")).count();
    assert!(
        diagnostics < 10_000,
        "{diagnostics} statements were converted after the failure"
    );
}

#[test]
fn rules_command_lists_and_documents_every_rule() {
    let list = stdout(&run(&["rules"]));
    for r in pg2tidb::rules::REGISTRY {
        let m = r.meta();
        assert!(list.contains(m.id), "{} missing from `pg2tidb rules`", m.id);
        let doc = run(&["rules", m.id]);
        assert_eq!(doc.status.code(), Some(0));
        assert!(stdout(&doc).contains(m.doc.trim_end()));
        assert!(
            m.doc.lines().count() > 2,
            "rule {} needs documentation",
            m.id
        );
    }
    assert_eq!(run(&["rules", "no-such-rule"]).status.code(), Some(2));
}

#[test]
fn docs_rules_md_is_generated_from_the_rules() {
    let generated = stdout(&run(&["rules", "--markdown"]));
    let on_disk = fs::read_to_string(common::root().join("docs/rules.md")).unwrap_or_default();
    assert!(
        on_disk == generated,
        "docs/rules.md is out of date: run `cargo run -- rules --markdown > docs/rules.md`"
    );
}

#[test]
fn docs_usage_md_covers_every_option() {
    let usage = fs::read_to_string(common::root().join("docs/usage.md")).unwrap();
    for cmd in ["convert", "rules", "diff", "check", "verify"] {
        let help = stdout(&run(&[cmd, "--help"]));
        for word in help.split_whitespace() {
            let flag = word.trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
            if flag.starts_with("--") && flag.len() > 2 && flag != "--help" && flag != "--version" {
                assert!(
                    usage.contains(flag),
                    "docs/usage.md does not document `{cmd} {flag}`"
                );
            }
        }
    }
    for code in ["0", "1", "2"] {
        assert!(
            usage.contains(&format!("| {code} |")),
            "exit code {code} undocumented"
        );
    }
}

#[test]
fn layouts_choose_and_order_migrations() {
    let d = tmp("layouts");
    // Flyway: version order, repeatables last, undo files skipped.
    let fw = d.join("flyway");
    fs::create_dir_all(&fw).unwrap();
    fs::write(
        fw.join("V1__init.sql"),
        "CREATE TABLE a (id int PRIMARY KEY);",
    )
    .unwrap();
    fs::write(
        fw.join("V10__late.sql"),
        "ALTER TABLE a ALTER COLUMN n SET NOT NULL;",
    )
    .unwrap();
    fs::write(
        fw.join("V9__add.sql"),
        "ALTER TABLE a ADD COLUMN n varchar(5);",
    )
    .unwrap();
    fs::write(fw.join("U9__undo.sql"), "ALTER TABLE a DROP COLUMN n;").unwrap();
    fs::write(
        fw.join("R__view.sql"),
        "CREATE OR REPLACE VIEW v AS SELECT n FROM a;",
    )
    .unwrap();
    let out = d.join("flyway-out");
    let o = run(&["convert", fw.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{e}");
    assert!(
        e.contains("flyway layout, 4 migration file(s); skipped 1 file(s): U9__undo.sql"),
        "{e}"
    );
    assert!(fs::read_to_string(out.join("V10__late.sql"))
        .unwrap()
        .contains("MODIFY COLUMN `n` VARCHAR(5) NOT NULL"));
    assert!(fs::read_to_string(out.join("R__view.sql"))
        .unwrap()
        .contains("CREATE OR REPLACE VIEW `v`"));
    assert!(!out.join("U9__undo.sql").exists());

    // golang-migrate: .down.sql skipped.
    let gm = d.join("gm");
    fs::create_dir_all(&gm).unwrap();
    fs::write(
        gm.join("000001_init.up.sql"),
        "CREATE TABLE b (id int PRIMARY KEY);",
    )
    .unwrap();
    fs::write(gm.join("000001_init.down.sql"), "DROP TABLE b;").unwrap();
    let out = d.join("gm-out");
    let o = run(&["convert", gm.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(
        stderr(&o).contains("golang-migrate layout, 1 migration file(s); skipped 1 file(s)"),
        "{}",
        stderr(&o)
    );
    assert!(!out.join("000001_init.down.sql").exists());

    // dbmate: only the up section applies; line numbers stay the file's.
    let db = d.join("dbmate");
    fs::create_dir_all(&db).unwrap();
    fs::write(db.join("20240101_t.sql"), "-- migrate:up\nCREATE TABLE c (id int PRIMARY KEY, v varchar);\n\n-- migrate:down\nDROP TABLE c;\n").unwrap();
    let out = d.join("dbmate-out");
    let o = run(&["convert", db.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let e = stderr(&o);
    assert!(
        e.contains("dbmate layout") && e.contains("20240101_t.sql:2:37: warning[varchar-length]"),
        "{e}"
    );
    let text = fs::read_to_string(out.join("20240101_t.sql")).unwrap();
    assert!(
        text.contains("CREATE TABLE `c`") && !text.contains("DROP TABLE"),
        "{text}"
    );

    // A forced layout wins over detection; an unknown one is a usage error.
    let o = run(&[
        "convert",
        "--layout",
        "plain",
        fw.to_str().unwrap(),
        "-o",
        d.join("plain-out").to_str().unwrap(),
    ]);
    assert!(
        stderr(&o).contains("plain layout, 5 migration file(s)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        run(&["convert", "--layout", "liquibase", fw.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn baseline_loads_earlier_migrations_without_converting_them() {
    let d = tmp("baseline");
    let old = d.join("old");
    fs::create_dir_all(&old).unwrap();
    fs::write(
        old.join("001_init.sql"),
        "CREATE TABLE users (id bigserial PRIMARY KEY, email varchar(200), note text);",
    )
    .unwrap();
    let new = d.join("002_change.sql");
    fs::write(&new, "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\nCOMMENT ON COLUMN users.note IS 'free text';\n").unwrap();
    // Without the baseline the table is unknown.
    let o = run(&["convert", new.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error[unknown-object]"));
    // With it, the new migration converts and only its own statements are written.
    let o = run(&[
        "convert",
        "--baseline",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("MODIFY COLUMN `email` VARCHAR(200) NOT NULL"),
        "{out}"
    );
    assert!(
        out.contains("MODIFY COLUMN `note` LONGTEXT NULL COMMENT 'free text'"),
        "{out}"
    );
    assert!(!out.contains("CREATE TABLE"), "{out}");
    assert!(stderr(&o).contains("baseline: 1 file(s) loaded"));
}

#[test]
fn fold_writes_one_schema_with_pg_dump_facts_folded_in() {
    let d = tmp("fold");
    let dump = d.join("dump.sql");
    fs::write(
        &dump,
        "\\restrict abc\nSET statement_timeout = 0;\nCREATE TABLE public.orders (id integer NOT NULL, customer_id integer, note text);\n\
         CREATE SEQUENCE public.orders_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;\n\
         ALTER SEQUENCE public.orders_id_seq OWNED BY public.orders.id;\n\
         CREATE TABLE public.customers (id bigint NOT NULL);\n\
         ALTER TABLE public.customers ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME public.customers_id_seq START WITH 500 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1);\n\
         ALTER TABLE ONLY public.orders ALTER COLUMN id SET DEFAULT nextval('public.orders_id_seq'::regclass);\n\
         ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id);\n\
         ALTER TABLE ONLY public.customers ADD CONSTRAINT customers_pkey PRIMARY KEY (id);\n\
         CREATE INDEX orders_customer_idx ON ONLY public.orders USING btree (customer_id);\n\
         COMMENT ON TABLE public.orders IS 'Orders';\n\
         ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES public.customers(id);\n\
         SELECT pg_catalog.setval('public.orders_id_seq', 41, true);\n\\unrestrict abc\n",
    )
    .unwrap();
    let out = d.join("schema.sql");
    let o = run(&[
        "convert",
        "--fold",
        dump.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let sql = fs::read_to_string(&out).unwrap();
    assert!(sql.contains("`id` INT NOT NULL AUTO_INCREMENT"), "{sql}");
    assert!(
        sql.contains("PRIMARY KEY (`id`) /*T![clustered_index] CLUSTERED */"),
        "{sql}"
    );
    assert!(
        !sql.contains("NONCLUSTERED") && !sql.contains("SEQUENCE"),
        "{sql}"
    );
    assert!(sql.contains("AUTO_INCREMENT=42 COMMENT='Orders'"), "{sql}");
    assert!(
        sql.contains("`id` BIGINT NOT NULL AUTO_INCREMENT") && sql.contains("AUTO_INCREMENT=500"),
        "{sql}"
    );
    assert!(
        sql.contains("KEY `orders_customer_idx` (`customer_id`)"),
        "{sql}"
    );
    // orders is created before customers: its foreign key comes after both.
    let fk = sql
        .find("ADD CONSTRAINT `orders_customer_fk`")
        .expect("deferred foreign key");
    assert!(fk > sql.find("CREATE TABLE `customers`").unwrap(), "{sql}");
    assert_eq!(sql.matches("CREATE TABLE").count(), 2);
    let o = run(&[
        "convert",
        "--fold",
        dump.to_str().unwrap(),
        "-o",
        d.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
}

/// A statement that needs what an earlier migration did not carry over
/// names that migration's file, line and column; statements that need
/// nothing lost are written.
#[test]
fn a_reference_to_what_an_earlier_file_lost_names_that_file() {
    let d = tmp("lost");
    let dir = d.join("migrations");
    fs::create_dir(&dir).unwrap();
    fs::write(
        dir.join("0001_init.sql"),
        "CREATE TABLE t (id int PRIMARY KEY, tags int[]);\n\
         CREATE VIEW first_tag AS SELECT id, tags[1] AS tag FROM t;\n",
    )
    .unwrap();
    fs::write(
        dir.join("0002_more.sql"),
        "CREATE VIEW tagged AS SELECT id FROM first_tag;\n\
         CREATE VIEW ids AS SELECT id FROM t;\n\
         DROP VIEW first_tag;\n",
    )
    .unwrap();
    let out = d.join("out");
    let o = run(&[
        "convert",
        dir.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    let first = dir.join("0001_init.sql").display().to_string();
    assert!(
        e.contains(&format!("0002_more.sql:1:1: error[lost-reference]: view `tagged` is not carried over: it needs view `first_tag`, which was not ({first}:2:1)")),
        "{e}"
    );
    assert!(
        e.contains(&format!("0002_more.sql:3:1: info[lost-drop]: view `first_tag` was not carried over ({first}:2:1): nothing to drop on TiDB")),
        "{e}"
    );
    let second = fs::read_to_string(out.join("0002_more.sql")).unwrap();
    assert!(second.contains("CREATE VIEW `ids`"), "{second}");
    assert!(
        !second.contains("tagged") && !second.contains("DROP VIEW"),
        "{second}"
    );
}
