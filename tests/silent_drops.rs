//! The last ways a statement could be lost, or reported as something it is
//! not (issue 12): each test names what it proves.

mod common;

use pg2tidb::config::RuleSettings;
use pg2tidb::report::Summary;
use pg2tidb::rules::Severity;
use pg2tidb::{convert_texts, FileResult, Options, StatementResult, Status};
use std::process::Command;

fn convert_with(text: &str, options: Options) -> FileResult {
    convert_texts([("t.sql", text)], options).remove(0)
}

fn convert(text: &str) -> FileResult {
    convert_with(text, Options::default())
}

/// The statement that starts on `line`.
fn at(f: &FileResult, line: u32) -> &StatementResult {
    f.statements
        .iter()
        .find(|s| s.loc.line == line)
        .unwrap_or_else(|| panic!("no statement on line {line}: {:#?}", f.statements))
}

fn rules(disabled: &[&str], severity: &[(&str, Severity)]) -> Options {
    Options {
        rules: RuleSettings {
            disabled: disabled.iter().map(|s| s.to_string()).collect(),
            severity: severity
                .iter()
                .map(|(id, s)| (id.to_string(), *s))
                .collect(),
        },
        ..Options::default()
    }
}

// ---------------------------------------------------------------------------
// 5. Severity overrides and suppressions change how a finding is reported,
//    not what happened to the statement.
// ---------------------------------------------------------------------------

/// Line 1 is written with a warning (varchar-length); line 2 is not carried
/// over (unsupported-statement, an error); line 3 is dropped (info).
const STATUS_INPUT: &str = "CREATE TABLE t (id int PRIMARY KEY, name varchar);\n\
CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;\n\
GRANT SELECT ON t TO app;\n";

fn statuses(f: &FileResult) -> Vec<Status> {
    f.statements.iter().map(|s| s.status).collect()
}

#[test]
fn severity_overrides_do_not_change_what_happened_to_a_statement() {
    let plain = convert(STATUS_INPUT);
    let expected = vec![Status::Converted, Status::Error, Status::Dropped];
    assert_eq!(statuses(&plain), expected);
    // Every finding raised to error: the written statement is still converted,
    // the dropped one still dropped.
    let raised = convert_with(
        STATUS_INPUT,
        rules(
            &[],
            &[
                ("varchar-length", Severity::Error),
                ("pg-only-statement", Severity::Error),
            ],
        ),
    );
    assert_eq!(statuses(&raised), expected);
    assert!(at(&raised, 1)
        .findings
        .iter()
        .any(|f| f.rule == "varchar-length" && f.severity == Severity::Error));
    assert!(!at(&raised, 1).output.is_empty());
    // The error lowered to info, or its rule disabled: the function is still
    // not carried over.
    let lowered = convert_with(
        STATUS_INPUT,
        rules(&[], &[("unsupported-statement", Severity::Info)]),
    );
    assert_eq!(statuses(&lowered), expected);
    assert_eq!(at(&lowered, 2).findings[0].severity, Severity::Info);
    let disabled = convert_with(STATUS_INPUT, rules(&["unsupported-statement"], &[]));
    assert_eq!(statuses(&disabled), expected);
    assert!(at(&disabled, 2).findings.is_empty());
    // The summary agrees with the statements.
    let s = Summary::of(std::slice::from_ref(&raised));
    assert_eq!((s.converted, s.dropped, s.errors), (1, 1, 1));
    assert_eq!(s.error_findings, 3);
}

#[test]
fn suppressions_do_not_change_what_happened_to_a_statement() {
    let text = "-- pg2tidb: ignore[varchar-length]\n\
CREATE TABLE t (id int PRIMARY KEY, name varchar);\n\
-- pg2tidb: ignore[unsupported-statement]\n\
CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;\n\
-- pg2tidb: ignore[pg-only-statement]\n\
GRANT SELECT ON t TO app;\n";
    let f = convert(text);
    assert_eq!(
        statuses(&f),
        vec![Status::Converted, Status::Error, Status::Dropped]
    );
    assert_eq!(at(&f, 4).suppressed, 1);
    assert!(at(&f, 4).findings.is_empty());
    // A file-level suppression that suppresses nothing, reported as an error
    // (its severity raised), lands on a statement without changing its status.
    let text = "CREATE TABLE t (id int PRIMARY KEY);\n-- pg2tidb: ignore-file[lossy-type]\n";
    let f = convert_with(text, rules(&[], &[("unused-suppression", Severity::Error)]));
    assert_eq!(at(&f, 1).status, Status::Converted);
    assert!(at(&f, 1)
        .findings
        .iter()
        .any(|x| x.rule == "unused-suppression" && x.severity == Severity::Error));
}

fn pg2tidb_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pg2tidb"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn scratch(name: &str) -> common::Scratch {
    common::Scratch::new(&format!("drops-{name}"))
}

/// The exit code follows the findings' severities (as overridden); the
/// summary line counts statements by what happened to them.
#[test]
fn exit_code_follows_the_overridden_severities_and_the_summary_the_statements() {
    let d = scratch("exit");
    std::fs::write(
        d.join("m.sql"),
        "CREATE TABLE t (id int PRIMARY KEY, name varchar);\n",
    )
    .unwrap();
    let o = pg2tidb_in(&d, &["convert", "m.sql"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    std::fs::write(
        d.join("pg2tidb.toml"),
        "[rules]\nseverity = { varchar-length = \"error\" }\n",
    )
    .unwrap();
    let o = pg2tidb_in(&d, &["convert", "m.sql"]);
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("1 converted, 0 dropped, 0 error(s); findings: 1 error"),
        "{err}"
    );
    assert!(common::stdout(&o).contains("CREATE TABLE `t`"));
    // A statement not carried over whose error is suppressed: still counted
    // as an error statement, but no error finding fails the run.
    std::fs::remove_file(d.join("pg2tidb.toml")).unwrap();
    std::fs::write(
        d.join("m.sql"),
        "-- pg2tidb: ignore[unsupported-statement]\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;\n",
    )
    .unwrap();
    let o = pg2tidb_in(&d, &["convert", "m.sql"]);
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("0 converted, 0 dropped, 1 error(s); findings: 0 error"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

// ---------------------------------------------------------------------------
// 4. `DROP … IF EXISTS` of something that does not exist: one rule, one
//    severity, a complete message naming the object, for every kind.
// ---------------------------------------------------------------------------

/// Objects of every kind, created so that each `DROP … IF EXISTS` below has
/// one that exists (converted or reported as its kind needs) and one that
/// does not (a no-op).
const EXISTING: &str = "CREATE SCHEMA app;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TABLE t (id int PRIMARY KEY, a int, CONSTRAINT t_a_check CHECK (a > 0));
CREATE INDEX t_a_idx ON t (a);
CREATE VIEW v AS SELECT id FROM t;
CREATE MATERIALIZED VIEW mv AS SELECT id FROM t;
CREATE SEQUENCE s;
CREATE TYPE mood AS ENUM ('a', 'b');
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql;
CREATE PROCEDURE p() LANGUAGE sql AS $$ SELECT 1 $$;
CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();
";

/// (statement dropping an absent object, what the message must name)
const ABSENT: &[(&str, &str)] = &[
    (
        "DROP MATERIALIZED VIEW IF EXISTS nope;",
        "materialized view `nope`",
    ),
    ("DROP INDEX IF EXISTS nope;", "index `nope`"),
    ("DROP SEQUENCE IF EXISTS nope;", "sequence `nope`"),
    ("DROP TYPE IF EXISTS nope;", "type `nope`"),
    ("DROP DOMAIN IF EXISTS nope;", "domain `nope`"),
    ("DROP SCHEMA IF EXISTS nope;", "schema `nope`"),
    ("DROP EXTENSION IF EXISTS nope;", "extension `nope`"),
    ("DROP FUNCTION IF EXISTS nope();", "function `nope`"),
    ("DROP PROCEDURE IF EXISTS nope();", "procedure `nope`"),
    (
        "DROP TRIGGER IF EXISTS nope_with_a_rather_long_name ON t;",
        "trigger `nope_with_a_rather_long_name` on `t`",
    ),
    (
        "ALTER TABLE t DROP CONSTRAINT IF EXISTS nope;",
        "constraint `nope` on `t`",
    ),
    (
        "ALTER TABLE t DROP COLUMN IF EXISTS nope;",
        "column `t.nope`",
    ),
    (
        "ALTER TABLE IF EXISTS nope ADD COLUMN b int;",
        "table `nope`",
    ),
];

/// Tables and views TiDB has: reported the same way, but written, since the
/// target may hold one from outside the converted history.
const ABSENT_WRITTEN: &[(&str, &str, &str)] = &[
    (
        "DROP TABLE IF EXISTS nope;",
        "table `nope`",
        "DROP TABLE IF EXISTS `nope`",
    ),
    (
        "DROP VIEW IF EXISTS nope;",
        "view `nope`",
        "DROP VIEW IF EXISTS `nope`",
    ),
];

#[test]
fn drop_table_or_view_if_exists_of_an_absent_one_is_reported_and_still_written() {
    for (stmt, what, sql) in ABSENT_WRITTEN {
        let f = convert(&format!("{EXISTING}{stmt}\n"));
        let last = f.statements.last().unwrap();
        assert_eq!(last.status, Status::Converted, "{stmt}: {last:#?}");
        assert_eq!(last.output, [*sql], "{stmt}");
        assert_eq!(last.findings.len(), 1, "{stmt}: {:#?}", last.findings);
        let finding = &last.findings[0];
        assert_eq!(
            (finding.rule, finding.severity),
            ("if-exists-noop", Severity::Info),
            "{stmt}: {finding:?}"
        );
        assert_eq!(
            finding.message,
            format!("{what} does not exist at this point of the converted history; written as it is (a no-op on a fresh database)"),
            "{stmt}"
        );
    }
}

#[test]
fn drop_if_exists_of_an_absent_object_is_the_same_no_op_for_every_kind() {
    for (stmt, what) in ABSENT {
        let f = convert(&format!("{EXISTING}{stmt}\n"));
        let last = f.statements.last().unwrap();
        assert_eq!(last.source, stmt.trim_end_matches(';'), "{stmt}");
        assert_eq!(last.status, Status::Dropped, "{stmt}: {last:#?}");
        assert!(last.output.is_empty(), "{stmt}: {:?}", last.output);
        assert_eq!(last.findings.len(), 1, "{stmt}: {:#?}", last.findings);
        let finding = &last.findings[0];
        assert_eq!(
            (finding.rule, finding.severity),
            ("if-exists-noop", Severity::Info),
            "{stmt}: {finding:?}"
        );
        assert_eq!(
            finding.message,
            format!("{what} does not exist here; IF EXISTS makes this a no-op; dropped"),
            "{stmt}"
        );
    }
}

/// The same statements on objects that exist are not no-ops: they convert,
/// or are reported for what they are.
#[test]
fn drop_if_exists_of_an_existing_object_is_not_a_no_op() {
    let present = [
        (
            "DROP TABLE IF EXISTS t CASCADE;",
            Some("DROP TABLE IF EXISTS `t`"),
        ),
        ("DROP VIEW IF EXISTS v;", Some("DROP VIEW IF EXISTS `v`")),
        ("DROP MATERIALIZED VIEW IF EXISTS mv;", None),
        (
            "DROP INDEX IF EXISTS t_a_idx;",
            Some("DROP INDEX IF EXISTS `t_a_idx` ON `t`"),
        ),
        (
            "DROP SEQUENCE IF EXISTS s;",
            Some("DROP SEQUENCE IF EXISTS `s`"),
        ),
        ("DROP TYPE IF EXISTS mood;", None),
        ("DROP DOMAIN IF EXISTS posint;", None),
        ("DROP SCHEMA IF EXISTS app;", None),
        ("DROP EXTENSION IF EXISTS pgcrypto;", None),
        ("DROP FUNCTION IF EXISTS f();", None),
        ("DROP PROCEDURE IF EXISTS p();", None),
        ("DROP TRIGGER IF EXISTS trg ON t;", None),
        (
            "ALTER TABLE t DROP CONSTRAINT IF EXISTS t_a_check;",
            Some("ALTER TABLE `t` DROP CONSTRAINT `t_a_check`"),
        ),
        (
            "ALTER TABLE t DROP COLUMN IF EXISTS a;",
            Some("ALTER TABLE `t` DROP COLUMN `a`"),
        ),
    ];
    for (stmt, output) in present {
        let f = convert(&format!("{EXISTING}{stmt}\n"));
        let last = f.statements.last().unwrap();
        assert!(
            last.findings.iter().all(|x| x.rule != "if-exists-noop"),
            "{stmt}: {:#?}",
            last.findings
        );
        assert!(!last.findings.is_empty() || output.is_some(), "{stmt}");
        if let Some(o) = output {
            assert!(
                last.output.iter().any(|x| x == o),
                "{stmt}: {:?}",
                last.output
            );
        }
        // A message names the object, whole.
        for x in &last.findings {
            assert!(!x.message.contains(" IF …"), "{stmt}: {}", x.message);
        }
    }
    // Dropped once, absent the second time.
    let twice = "DROP TRIGGER IF EXISTS trg ON t;\nDROP TRIGGER IF EXISTS trg ON t;\n\
DROP FUNCTION IF EXISTS f();\nDROP FUNCTION IF EXISTS f();\nDROP TABLE t;\nDROP TABLE IF EXISTS t;\n";
    let f = convert(&format!("{EXISTING}{twice}"));
    let rules: Vec<&str> = f.statements[f.statements.len() - 6..]
        .iter()
        .map(|s| s.findings.first().map_or("", |x| x.rule))
        .collect();
    assert_eq!(
        rules,
        [
            "unsupported-statement",
            "if-exists-noop",
            // The input created f: it was not carried over, so there is
            // nothing to drop on TiDB (an info, not an error).
            "lost-drop",
            "if-exists-noop",
            "",
            "if-exists-noop"
        ]
    );
}

/// A trigger that became ON UPDATE: dropping it takes ON UPDATE away again.
#[test]
fn dropping_an_updated_at_trigger_removes_on_update() {
    let text = "CREATE TABLE t (id int PRIMARY KEY, updated_at timestamp NOT NULL DEFAULT now());
CREATE FUNCTION touch() RETURNS trigger AS $$ BEGIN NEW.updated_at = now(); RETURN NEW; END; $$ LANGUAGE plpgsql;
CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();
DROP TRIGGER IF EXISTS t_touch ON t;
DROP TRIGGER IF EXISTS t_touch ON t;
";
    let f = convert(text);
    assert!(at(&f, 3).output[0].contains("ON UPDATE CURRENT_TIMESTAMP(6)"));
    let drop = at(&f, 4);
    assert_eq!(drop.status, Status::Converted, "{drop:#?}");
    assert_eq!(
        drop.output,
        ["ALTER TABLE `t` MODIFY COLUMN `updated_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"]
    );
    assert_eq!(drop.findings[0].rule, "updated-at-trigger");
    assert_eq!(at(&f, 5).findings[0].rule, "if-exists-noop");
    // The trigger follows its table's rename; the table's drop takes it along.
    let text = "CREATE TABLE t (id int PRIMARY KEY, updated_at timestamp NOT NULL DEFAULT now());
CREATE FUNCTION touch() RETURNS trigger AS $$ BEGIN NEW.updated_at = now(); RETURN NEW; END; $$ LANGUAGE plpgsql;
CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE t RENAME TO u;
DROP TRIGGER t_touch ON u;
CREATE TRIGGER u_touch BEFORE UPDATE ON u FOR EACH ROW EXECUTE FUNCTION touch();
DROP TABLE u;
DROP TRIGGER IF EXISTS u_touch ON u;
";
    let f = convert(text);
    assert_eq!(
        at(&f, 5).output,
        ["ALTER TABLE `u` MODIFY COLUMN `updated_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"]
    );
    assert_eq!(at(&f, 8).findings[0].rule, "if-exists-noop");
}

// ---------------------------------------------------------------------------
// 3. DROP SCHEMA: what was flattened from the schema goes with it.
// ---------------------------------------------------------------------------

const TWO_SCHEMAS: &str = "CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('a', 'b');
CREATE DOMAIN app.posint AS int CHECK (VALUE > 0);
CREATE TABLE app.parent (id int PRIMARY KEY);
CREATE TABLE app.child (id int PRIMARY KEY, p int REFERENCES app.parent (id));
CREATE TABLE app.a (id int PRIMARY KEY, b_id int);
CREATE TABLE app.b (id int PRIMARY KEY, a_id int REFERENCES app.a (id));
ALTER TABLE app.a ADD CONSTRAINT a_b_fk FOREIGN KEY (b_id) REFERENCES app.b (id);
CREATE SEQUENCE app.counter;
CREATE VIEW app.v AS SELECT id FROM app.parent;
CREATE TABLE app.gone (id int);
DROP TABLE app.gone;
CREATE TABLE gone (id int);
CREATE TABLE users (id int PRIMARY KEY, parent_id int REFERENCES app.parent (id), m app.mood);
CREATE VIEW user_ids AS SELECT id FROM users;
CREATE SEQUENCE public_counter;
";

#[test]
fn drop_schema_cascade_drops_what_was_flattened_from_it() {
    let mut conv = pg2tidb::Converter::new(Options::default());
    conv.convert_text(TWO_SCHEMAS);
    let r = conv.convert_text("DROP SCHEMA app CASCADE;").remove(0);
    assert_eq!(r.status, Status::Converted, "{r:#?}");
    // Dependents elsewhere first; a table after those of the schema that
    // reference it; the cycle a <-> b loses a foreign key first.
    assert_eq!(
        r.output,
        [
            "DROP VIEW `v`",
            "ALTER TABLE `users` DROP FOREIGN KEY `users_parent_id_fkey`",
            "ALTER TABLE `users` DROP COLUMN `m`",
            "ALTER TABLE `a` DROP FOREIGN KEY `a_b_fk`",
            "DROP TABLE `child`, `parent`, `b`, `a`",
            "DROP SEQUENCE `counter`",
        ]
    );
    assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
    assert_eq!(r.findings[0].rule, "schema-name");
    assert_eq!(
        r.findings[0].message,
        "DROP SCHEMA app CASCADE drops what was flattened from app: table a, b, child, parent; \
view v; sequence counter; type mood, posint; and outside it, as in PostgreSQL: \
foreign key users.users_parent_id_fkey, column users.m"
    );
    // The model forgets them, and only them.
    let c = &conv.catalog;
    for t in ["a", "b", "child", "parent"] {
        assert!(c.table(t).is_none(), "{t}");
    }
    assert!(c.table("gone").is_some(), "public.gone is another table");
    let users = c.table("users").unwrap();
    assert!(users.foreign_keys.is_empty() && users.column("m").is_none());
    assert!(!c.views.contains_key("v") && c.views.contains_key("user_ids"));
    assert!(c.sequence("counter").is_none() && c.sequence("public_counter").is_some());
    assert!(c.enum_labels("mood").is_none() && c.domain("posint").is_none());
    // The schema and its objects are gone: they can be made again.
    let again = conv.convert_text(
        "DROP SCHEMA IF EXISTS app CASCADE;\nCREATE TABLE parent (id int PRIMARY KEY);\n",
    );
    assert_eq!(again[0].findings[0].rule, "if-exists-noop");
    assert_eq!(again[1].status, Status::Converted);
}

#[test]
fn drop_schema_without_cascade_of_a_schema_that_holds_objects_fails_as_in_postgresql() {
    let mut conv = pg2tidb::Converter::new(Options::default());
    conv.convert_text(TWO_SCHEMAS);
    let r = conv.convert_text("DROP SCHEMA app;").remove(0);
    assert_eq!(r.status, Status::Error, "{r:#?}");
    assert!(r.output.is_empty());
    let f = &r.findings[0];
    assert_eq!(
        (f.rule, f.severity),
        ("unsupported-statement", Severity::Error)
    );
    assert!(
        f.message.contains("fails in PostgreSQL")
            && f.message.contains("table a, b, child, parent; view v")
            && f.message.contains("add CASCADE"),
        "{}",
        f.message
    );
    assert!(conv.catalog.table("parent").is_some(), "nothing dropped");
}

#[test]
fn drop_schema_of_an_empty_or_unknown_schema_is_dropped_with_a_reason() {
    let f = convert(
        "CREATE SCHEMA empty;\nDROP SCHEMA empty;\nDROP SCHEMA IF EXISTS nowhere CASCADE;\n\
CREATE SCHEMA x;\nCREATE TABLE x.t (id int);\nDROP TABLE x.t;\nDROP SCHEMA x CASCADE;\n",
    );
    for line in [2, 3, 7] {
        let s = at(&f, line);
        assert_eq!(s.status, Status::Dropped, "{s:#?}");
        assert_eq!(s.findings.len(), 1, "{s:#?}");
        assert_eq!(s.findings[0].severity, Severity::Info, "{s:#?}");
    }
    assert_eq!(at(&f, 3).findings[0].rule, "if-exists-noop");
}

// ---------------------------------------------------------------------------
// 1. --fold: every statement's effect is in the folded schema, or the
//    statement is reported; the summary agrees with what is written.
// ---------------------------------------------------------------------------

/// A pg_dump --schema-only style input (one statement per line), with the
/// statements a dump of a database with data, or an edited dump, can hold.
const DUMP: &str = "SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);
CREATE SCHEMA app;
CREATE TYPE public.mood AS ENUM ('happy', 'sad');
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at = now(); RETURN NEW; END; $$;
CREATE TABLE public.users (id integer NOT NULL, name character varying(80), mood public.mood, updated_at timestamp without time zone DEFAULT now() NOT NULL);
CREATE SEQUENCE public.users_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;
CREATE SEQUENCE public.invoice_no START WITH 100;
CREATE SEQUENCE public.orphan_seq;
ALTER SEQUENCE public.orphan_seq OWNED BY public.users.name;
ALTER SEQUENCE public.invoice_no RESTART WITH 200 INCREMENT BY 5;
CREATE TABLE app.posts (id bigint NOT NULL, user_id integer, body text);
ALTER TABLE app.posts ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME app.posts_id_seq START WITH 7 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1);
CREATE VIEW public.z_base AS SELECT id FROM public.users;
CREATE VIEW public.a_top AS SELECT id FROM public.z_base;
ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);
ALTER TABLE ONLY public.users ADD CONSTRAINT users_pkey PRIMARY KEY (id);
ALTER TABLE ONLY app.posts ADD CONSTRAINT posts_pkey PRIMARY KEY (id);
CREATE INDEX posts_user_idx ON app.posts USING btree (user_id);
ALTER TABLE ONLY app.posts ADD CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES public.users(id);
CREATE TRIGGER users_touch BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.touch();
COMMENT ON TABLE public.users IS 'people';
COMMENT ON COLUMN public.users.name IS 'display name';
SELECT pg_catalog.setval('public.users_id_seq', 41, true);
SELECT pg_catalog.setval('public.invoice_no', 500, true);
INSERT INTO public.users (id, name) VALUES (1, 'a');
UPDATE public.users SET name = 'b';
DELETE FROM public.users WHERE id = 2;
TRUNCATE public.users;
BEGIN;
COMMIT;
GRANT SELECT ON public.users TO app;
ALTER TABLE public.users ALTER COLUMN updated_at SET NOT NULL;
";

fn fold(text: &str) -> (Vec<StatementResult>, String) {
    let mut conv = pg2tidb::Converter::new(Options {
        fold: true,
        ..Options::default()
    });
    let results = conv.convert_text(text);
    (results, pg2tidb::fold::schema_sql(&conv.catalog))
}

#[test]
fn fold_counts_as_converted_only_what_the_folded_schema_carries() {
    let (results, schema) = fold(DUMP);
    let lines: Vec<&str> = DUMP.lines().collect();
    assert_eq!(results.len(), lines.len());
    for (i, r) in results.iter().enumerate() {
        // The schema without this statement.
        let without: String = lines
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, l)| format!("{l}\n"))
            .collect();
        let (_, other) = fold(&without);
        match r.status {
            Status::Converted => assert_ne!(
                other,
                schema,
                "line {}: counted as converted, but the folded schema does not carry it: {}",
                i + 1,
                lines[i]
            ),
            _ => assert!(!r.findings.is_empty(), "line {}: no reason", i + 1),
        }
        if r.findings.iter().any(|f| f.rule == "fold-schema-only") {
            assert_eq!(
                other,
                schema,
                "line {}: reported as not carried, but it is",
                i + 1
            );
            assert_eq!(r.status, Status::Dropped);
        }
    }
    // Data statements: a warning saying why and what to do.
    for line in 27..=30 {
        let r = &results[line - 1];
        assert_eq!(r.status, Status::Dropped, "{r:#?}");
        let f = &r.findings[0];
        assert_eq!(
            (f.rule, f.severity),
            ("fold-schema-only", Severity::Warning)
        );
        assert!(
            f.message.contains("--fold writes the final schema only")
                && f.message
                    .contains("convert without --fold to carry data statements"),
            "{}",
            f.message
        );
    }
    assert_eq!(results[33].findings[0].rule, "fold-schema-only");
    // The facts spread over statements are in the schema.
    for fact in [
        "CREATE SEQUENCE `invoice_no` START WITH 505 INCREMENT BY 5",
        "CREATE SEQUENCE `orphan_seq`",
        "`id` INT NOT NULL AUTO_INCREMENT",
        "AUTO_INCREMENT=42",
        "`id` BIGINT NOT NULL AUTO_INCREMENT",
        "AUTO_INCREMENT=7",
        "ON UPDATE CURRENT_TIMESTAMP(6)",
        "COMMENT 'display name'",
        "COMMENT='people'",
    ] {
        assert!(schema.contains(fact), "{fact} missing:\n{schema}");
    }
    // A view comes after the view it selects from.
    let (base, top) = (
        schema.find("CREATE VIEW `z_base`").unwrap(),
        schema.find("CREATE VIEW `a_top`").unwrap(),
    );
    assert!(base < top, "{schema}");
}

#[test]
fn fold_summary_agrees_with_the_statements() {
    let f = convert_with(
        DUMP,
        Options {
            fold: true,
            ..Options::default()
        },
    );
    let s = Summary::of(std::slice::from_ref(&f));
    let count = |st: Status| f.statements.iter().filter(|x| x.status == st).count();
    assert_eq!(
        (s.converted, s.dropped, s.errors),
        (
            count(Status::Converted),
            count(Status::Dropped),
            count(Status::Error)
        )
    );
    // INSERT, UPDATE, DELETE, TRUNCATE, the no-op ALTER: five warnings.
    let warnings = f
        .statements
        .iter()
        .flat_map(|x| &x.findings)
        .filter(|x| x.rule == "fold-schema-only")
        .count();
    assert_eq!(warnings, 5);
}

// ---------------------------------------------------------------------------
// 2. Names that differ only in case: distinct in PostgreSQL, one in TiDB.
// ---------------------------------------------------------------------------

/// Each case: statements before, the statement that would make a case-only
/// clash, and what must then not be in the output.
const CLASHES: &[(&str, &str, &str)] = &[
    // Two columns of one table.
    ("", "CREATE TABLE t (id int, \"ID\" int);", "`ID`"),
    // Two tables, a table and a view, a table and a sequence.
    ("CREATE TABLE users (id int);", "CREATE TABLE \"Users\" (id int);", "`Users`"),
    ("CREATE TABLE users (id int);", "CREATE VIEW \"USERS\" AS SELECT 1 AS one;", "`USERS`"),
    ("CREATE TABLE users (id int);", "CREATE SEQUENCE \"Users\";", "`Users`"),
    // Index and constraint names of one table.
    (
        "CREATE TABLE t (id int, a int); CREATE INDEX ix ON t (a);",
        "CREATE INDEX \"IX\" ON t (id);",
        "`IX`",
    ),
    (
        "CREATE TABLE t (id int, a int, CONSTRAINT uq UNIQUE (a));",
        "ALTER TABLE t ADD CONSTRAINT \"UQ\" UNIQUE (id);",
        "`UQ`",
    ),
    (
        "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (id int, CONSTRAINT fk FOREIGN KEY (id) REFERENCES p (id));",
        "ALTER TABLE t ADD CONSTRAINT \"FK\" FOREIGN KEY (id) REFERENCES p (id);",
        "`FK`",
    ),
    (
        "CREATE TABLE t (id int, CONSTRAINT ck CHECK (id > 0));",
        "ALTER TABLE t ADD CONSTRAINT \"Ck\" CHECK (id < 10);",
        "`Ck`",
    ),
    // ADD COLUMN, RENAME COLUMN, RENAME TABLE into a clash.
    ("CREATE TABLE t (id int);", "ALTER TABLE t ADD COLUMN \"Id\" int;", "`Id`"),
    (
        "CREATE TABLE t (id int, b int);",
        "ALTER TABLE t RENAME COLUMN b TO \"ID\";",
        "`ID`",
    ),
    (
        "CREATE TABLE users (id int); CREATE TABLE t (id int);",
        "ALTER TABLE t RENAME TO \"Users\";",
        "`Users`",
    ),
    (
        "CREATE TABLE t (id int, a int); CREATE INDEX ix ON t (a); CREATE INDEX other ON t (id);",
        "ALTER INDEX other RENAME TO \"IX\";",
        "`IX`",
    ),
];

#[test]
fn a_name_that_differs_only_in_case_is_not_carried_over() {
    for (before, stmt, absent) in CLASHES {
        let f = convert(&format!("{before}\n{stmt}\n"));
        let last = f.statements.last().unwrap();
        // A CREATE TABLE is written without the column; the rest not at all.
        if stmt.starts_with("CREATE TABLE t ") {
            assert_eq!(last.status, Status::Converted, "{stmt}: {last:#?}");
        } else {
            assert_eq!(last.status, Status::Error, "{stmt}: {last:#?}");
            assert!(last.output.is_empty(), "{stmt}");
        }
        let e = &last.findings[0];
        assert_eq!(
            (e.rule, e.severity),
            ("identifier-case", Severity::Error),
            "{stmt}"
        );
        let sql = f.output_sql();
        assert!(!sql.contains(absent), "{stmt}: {sql}");
    }
    // In one CREATE TABLE: the column is left out, and so is what names it.
    let f = convert(
        "CREATE TABLE t (id int PRIMARY KEY, \"ID\" int, email text, \"Email\" text, UNIQUE (\"ID\"), CHECK (\"Email\" <> ''));",
    );
    let s = &f.statements[0];
    assert_eq!(s.status, Status::Converted);
    assert!(
        !s.output[0].contains("`ID`") && !s.output[0].contains("`Email`"),
        "{}",
        s.output[0]
    );
    assert!(!s.output[0].contains("UNIQUE") && !s.output[0].contains("CHECK"));
    let case: Vec<&str> = s
        .findings
        .iter()
        .filter(|x| x.rule == "identifier-case")
        .map(|x| x.message.as_str())
        .collect();
    assert_eq!(case.len(), 4, "{case:#?}");
}

/// A later statement, in this file or another, that names what was not
/// carried over would act on the other object in TiDB: not carried over.
#[test]
fn a_later_statement_that_names_it_is_not_carried_over_either() {
    let first = "CREATE TABLE users (id int PRIMARY KEY, email text);\n\
CREATE TABLE \"Users\" (id int PRIMARY KEY, \"Email\" text);\n\
ALTER TABLE users ADD COLUMN \"EMAIL\" text;\n";
    let later = [
        "ALTER TABLE \"Users\" ADD COLUMN x int;",
        "ALTER TABLE \"Users\" RENAME TO people;",
        "DROP TABLE \"Users\";",
        "COMMENT ON TABLE \"Users\" IS 'x';",
        "CREATE INDEX users_x ON \"Users\" (id);",
        "CREATE TABLE orders (id int, user_id int REFERENCES \"Users\" (id));",
        "CREATE VIEW v AS SELECT id FROM \"Users\";",
        "INSERT INTO \"Users\" (id) VALUES (1);",
        "ALTER TABLE users ALTER COLUMN \"EMAIL\" TYPE varchar(10);",
        "ALTER TABLE users DROP COLUMN \"EMAIL\";",
        "ALTER TABLE users RENAME COLUMN \"EMAIL\" TO mail;",
        "COMMENT ON COLUMN users.\"EMAIL\" IS 'x';",
        "CREATE INDEX users_email ON users (\"EMAIL\");",
        "ALTER TABLE users ADD CONSTRAINT u UNIQUE (\"EMAIL\");",
        "ALTER TABLE users ADD CONSTRAINT c CHECK (\"EMAIL\" <> '');",
        "UPDATE users SET \"EMAIL\" = 'x';",
        "INSERT INTO users (id, \"EMAIL\") VALUES (1, 'x');",
    ];
    for stmt in later {
        // Across files: the schema model is shared.
        let files = convert_texts([("a.sql", first), ("b.sql", stmt)], Options::default());
        let r = &files[1].statements[0];
        if stmt.starts_with("CREATE TABLE orders") {
            // Written without the foreign key.
            assert_eq!(r.status, Status::Converted, "{stmt}: {r:#?}");
            assert!(!r.output[0].contains("REFERENCES"), "{}", r.output[0]);
        } else {
            assert_eq!(r.status, Status::Error, "{stmt}: {r:#?}");
            assert!(r.output.is_empty(), "{stmt}: {:?}", r.output);
        }
        assert!(
            r.findings
                .iter()
                .any(|x| x.rule == "identifier-case" && x.message.contains("was not carried over")),
            "{stmt}: {:#?}",
            r.findings
        );
    }
}

/// What TiDB allows stays: a name's case changed on the same object, and
/// indexes of different tables whose names differ only in case (index
/// names are schema-wide in PostgreSQL, per table in TiDB).
#[test]
fn case_changes_of_one_object_and_indexes_of_two_tables_convert() {
    let f = convert(
        "CREATE TABLE t (id int, b int);
ALTER TABLE t RENAME COLUMN b TO \"B\";
ALTER TABLE t RENAME TO \"T\";
ALTER TABLE \"T\" ADD COLUMN c int;
CREATE TABLE u (id int);
CREATE INDEX ix ON \"T\" (id);
CREATE INDEX \"IX\" ON u (id);
DROP INDEX ix;
DROP INDEX \"IX\";
",
    );
    for s in &f.statements {
        assert_eq!(s.status, Status::Converted, "{s:#?}");
    }
    assert_eq!(at(&f, 8).output, ["DROP INDEX `ix` ON `T`"]);
    assert_eq!(at(&f, 9).output, ["DROP INDEX `IX` ON `u`"]);
}

/// Enum and domain types are inlined, and the model looks them up in any
/// case: a type whose name differs only in case is not carried over, nor a
/// column, ALTER TYPE or DROP TYPE that names it (it would take the other).
#[test]
fn a_type_that_differs_only_in_case_is_not_carried_over() {
    let f = convert(
        "CREATE TYPE mood AS ENUM ('a', 'b');
CREATE TYPE \"Mood\" AS ENUM ('x', 'y');
CREATE DOMAIN \"MOOD\" AS int;
CREATE TABLE t (id int, m mood, n \"Mood\");
ALTER TYPE \"Mood\" ADD VALUE 'z';
DROP TYPE \"Mood\";
ALTER TYPE mood ADD VALUE 'c';
",
    );
    for line in [2, 3, 5, 6] {
        let s = at(&f, line);
        assert_eq!(s.status, Status::Error, "{s:#?}");
        assert_eq!(s.findings[0].rule, "identifier-case");
    }
    let t = at(&f, 4);
    assert_eq!(
        t.output[0]
            .lines()
            .filter(|l| l.trim_start().starts_with('`'))
            .count(),
        2,
        "`n` is left out: {}",
        t.output[0]
    );
    assert!(t.findings.iter().any(|x| x.rule == "identifier-case"));
    assert_eq!(
        at(&f, 7).output,
        ["ALTER TABLE `t` MODIFY COLUMN `m` ENUM('a','b','c') NULL"]
    );
}
