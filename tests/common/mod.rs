//! Test helpers: the real servers (MariaDB 10.11 and PostgreSQL) that
//! `scripts/test` starts, and catalog snapshots to compare.
#![allow(dead_code)]

use mysql::prelude::Queryable;
use pg2tidb::model::{IndexKind, KeyPart, TiType};
use pg2tidb::Converter;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A command's standard output, as text.
pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A command's standard error, as text.
pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared`, which CI places beside the checkout.
pub fn shared() -> PathBuf {
    root().join("../shared")
}

/// True when `../shared` is there. Outside a checkout with `../shared`
/// beside it the tests that need it skip with a note; under CI or
/// `scripts/test` its absence is a failure, never a skip.
pub fn have_shared() -> bool {
    if shared().join("scenario").is_dir() {
        return true;
    }
    let required = std::env::var("CI").is_ok()
        || std::env::var("PG2TIDB_REQUIRE_SERVERS").as_deref() == Ok("1");
    assert!(
        !required,
        "../shared is missing beside the checkout (CI places it there)"
    );
    eprintln!("skipping: ../shared is not beside this checkout");
    false
}

#[derive(Clone)]
pub struct Servers {
    pub mysql_url: String,
    pub psql: String,
    pub pg_host: String,
    pub pg_port: String,
    pub pg_user: String,
    pub has_vector: bool,
    /// The second PostgreSQL (Debian 15 with contrib and pg_partman), for the corpus.
    pub pg15: Option<(String, String, String, String)>,
}

/// The servers, or `None` (with a note) when they are not configured.
/// Under `scripts/test` or CI a missing server is a failure, never a skip.
pub fn servers() -> Option<Servers> {
    let get = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    match (
        get("PG2TIDB_TEST_MYSQL_URL"),
        get("PG2TIDB_TEST_PSQL"),
        get("PG2TIDB_TEST_PG_HOST"),
        get("PG2TIDB_TEST_PG_PORT"),
        get("PG2TIDB_TEST_PG_USER"),
    ) {
        (Some(mysql_url), Some(psql), Some(pg_host), Some(pg_port), Some(pg_user)) => {
            Some(Servers {
                mysql_url,
                psql,
                pg_host,
                pg_port,
                pg_user,
                has_vector: get("PG2TIDB_TEST_PG_HAS_VECTOR").as_deref() == Some("1"),
                pg15: match (
                    get("PG2TIDB_TEST_PG15_PSQL"),
                    get("PG2TIDB_TEST_PG15_HOST"),
                    get("PG2TIDB_TEST_PG15_PORT"),
                    get("PG2TIDB_TEST_PG15_USER"),
                ) {
                    (Some(a), Some(b), Some(c), Some(d)) => Some((a, b, c, d)),
                    _ => None,
                },
            })
        }
        _ => {
            let required =
                get("PG2TIDB_REQUIRE_SERVERS").as_deref() == Some("1") || get("CI").is_some();
            assert!(
                !required,
                "test servers are required (CI or PG2TIDB_REQUIRE_SERVERS=1) but PG2TIDB_TEST_* is not set: run `bash scripts/test`"
            );
            eprintln!(
                "skipping server test: run `bash scripts/test` to start MariaDB and PostgreSQL"
            );
            None
        }
    }
}

/// Roles the reference scenario and fixtures grant to (they exist before any migration runs).
pub const PREREQUISITE_ROLES: &[&str] = &[
    "user_service",
    "project_service",
    "analytics_ro",
    "reporting",
    "app_reader",
];

/// Every `fixtures/*.sql` as (stem, text), sorted by name.
pub fn fixtures() -> Vec<(String, String)> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    v.sort();
    v.into_iter()
        .map(|p| {
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

/// The three reference scenario files as (stem, text); none outside a
/// checkout with `../shared` (a failure under CI, see [`have_shared`]).
pub fn scenario() -> Vec<(String, String)> {
    if !have_shared() {
        return vec![];
    }
    ["user-service", "project-service", "knowledge-service"]
        .iter()
        .map(|s| {
            let p = shared().join(format!("scenario/{s}.sql"));
            (
                s.to_string(),
                std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
            )
        })
        .collect()
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A database name unique to this test process.
pub fn db_name(stem: &str) -> String {
    let clean: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "t{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        clean
    )
}

impl Servers {
    /// The same servers, with PostgreSQL 15 (contrib, pg_partman) as the PostgreSQL side.
    pub fn with_pg15(&self) -> Servers {
        let (psql, host, port, user) = self
            .pg15
            .clone()
            .expect("PG2TIDB_TEST_PG15_* is not set: run `bash scripts/test` (it starts PostgreSQL 15 for the corpus)");
        Servers {
            psql,
            pg_host: host,
            pg_port: port,
            pg_user: user,
            has_vector: false,
            ..self.clone()
        }
    }

    fn psql(&self, db: &str) -> Command {
        let mut c = Command::new(&self.psql);
        c.args([
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            &self.pg_host,
            "-p",
            &self.pg_port,
            "-U",
            &self.pg_user,
            "-d",
            db,
        ]);
        c.env("PGOPTIONS", "--client-min-messages=warning");
        c
    }

    /// Create a fresh PostgreSQL database and run the files in it, in order.
    /// Roles that inputs GRANT to are cluster-wide prerequisites, created first.
    pub fn pg_apply(&self, db: &str, files: &[&Path]) -> Result<(), String> {
        self.pg_apply_with(db, files, &|_| false)
    }

    /// [`Servers::pg_apply`], with each file for which `single_transaction`
    /// holds run in one transaction (`psql --single-transaction`), as
    /// migration runners such as goose run them.
    pub fn pg_apply_with(
        &self,
        db: &str,
        files: &[&Path],
        single_transaction: &dyn Fn(&Path) -> bool,
    ) -> Result<(), String> {
        for role in PREREQUISITE_ROLES {
            let sql = format!("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role}; END IF; END $$");
            let _ = self.psql("postgres").args(["-c", &sql]).output();
        }
        let out = self
            .psql("postgres")
            .args([
                "-c",
                &format!("DROP DATABASE IF EXISTS {db}"),
                "-c",
                &format!("CREATE DATABASE {db}"),
            ])
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        for f in files {
            let mut psql = self.psql(db);
            if single_transaction(f) {
                psql.arg("--single-transaction");
            }
            let out = psql.arg("-f").arg(f).output().map_err(|e| e.to_string())?;
            if !out.status.success() {
                return Err(format!(
                    "{}: {}",
                    f.display(),
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
        Ok(())
    }

    pub fn pg_query(&self, db: &str, sql: &str) -> Vec<Vec<String>> {
        let out = self
            .psql(db)
            .args(["-A", "-t", "-F", "\u{1f}", "-c", sql])
            .output()
            .expect("psql runs");
        assert!(
            out.status.success(),
            "{sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| l.split('\u{1f}').map(str::to_string).collect())
            .collect()
    }

    /// `pg_dump --schema-only` of a database (pg_dump sits beside psql).
    pub fn pg_dump(&self, db: &str) -> String {
        let pg_dump = Path::new(&self.psql).with_file_name("pg_dump");
        let out = Command::new(pg_dump)
            .args([
                "--schema-only",
                "-h",
                &self.pg_host,
                "-p",
                &self.pg_port,
                "-U",
                &self.pg_user,
                db,
            ])
            .output()
            .expect("pg_dump runs");
        assert!(
            out.status.success(),
            "pg_dump: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("pg_dump writes UTF-8")
    }

    pub fn pg_drop(&self, db: &str) {
        let _ = self
            .psql("postgres")
            .args(["-c", &format!("DROP DATABASE IF EXISTS {db}")])
            .output();
    }

    /// What PostgreSQL has: tables, columns, indexes, constraints.
    pub fn pg_catalog(&self, db: &str) -> PgCatalog {
        let mut c = PgCatalog::default();
        for r in self.pg_query(db, "SELECT c.table_name, c.column_name FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name) WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema') AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass AND d.deptype = 'e')") {
            c.columns.insert((r[0].clone(), r[1].clone()));
            c.tables.insert(r[0].clone());
        }
        for r in self.pg_query(db, "SELECT table_name FROM information_schema.views WHERE table_schema NOT IN ('pg_catalog', 'information_schema')") {
            c.views.insert(r[0].clone());
        }
        for r in self.pg_query(db, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema')") {
            c.partitions.insert(r[0].clone());
        }
        for r in self.pg_query(db, "SELECT matviewname FROM pg_matviews") {
            c.views.insert(r[0].clone());
        }
        for r in self.pg_query(db, "SELECT tablename, indexname FROM pg_indexes i WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = (quote_ident(i.schemaname) || '.' || quote_ident(i.tablename))::regclass AND d.deptype = 'e')") {
            c.indexes.insert((r[0].clone(), r[1].clone()));
        }
        for r in self.pg_query(db, "SELECT c.table_name, c.constraint_name, c.constraint_type FROM information_schema.table_constraints c WHERE c.constraint_schema NOT IN ('pg_catalog', 'information_schema') AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass AND d.deptype = 'e') AND c.constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY', 'CHECK') AND c.constraint_name NOT LIKE '%_not_null'") {
            c.constraints.insert((r[0].clone(), r[1].clone(), r[2].clone()));
        }
        c
    }

    pub fn maria(&self) -> mysql::Conn {
        let opts = mysql::Opts::from_url(&self.mysql_url).expect("valid mysql url");
        mysql::Conn::new(opts).expect("MariaDB test server accepts connections")
    }

    /// Create a fresh MariaDB database and run the statements in order; returns the failures.
    pub fn maria_apply(&self, db: &str, statements: &[String]) -> Vec<String> {
        let mut conn = self.maria();
        conn.query_drop(format!("DROP DATABASE IF EXISTS `{db}`"))
            .unwrap();
        conn.query_drop(format!(
            "CREATE DATABASE `{db}` DEFAULT CHARSET utf8mb4 COLLATE utf8mb4_bin"
        ))
        .unwrap();
        conn.query_drop(format!("USE `{db}`")).unwrap();
        let mut errors = Vec::new();
        for s in statements {
            if let Err(e) = conn.query_drop(s) {
                errors.push(format!("{e}\n    in: {s}"));
            }
        }
        errors
    }

    pub fn maria_drop(&self, db: &str) {
        let _ = self
            .maria()
            .query_drop(format!("DROP DATABASE IF EXISTS `{db}`"));
    }

    /// What MariaDB has, in the same shape as [`expected_catalog`].
    pub fn maria_catalog(&self, db: &str) -> Shape {
        let mut conn = self.maria();
        let mut shape = Shape::default();
        type ColRow = (
            String,
            String,
            String,
            String,
            Option<String>,
            String,
            String,
        );
        let cols: Vec<ColRow> = conn
            .exec("SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLUMN_COMMENT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION", (db,))
            .unwrap();
        for (t, c, ty, nullable, default, extra, comment) in cols {
            let extra = extra.to_lowercase();
            let on_update = extra
                .find("on update ")
                .map(|i| norm_default(&extra[i + 10..]));
            shape
                .tables
                .entry(t)
                .or_default()
                .columns
                .push(ColumnShape {
                    name: c,
                    ty,
                    nullable: nullable == "YES",
                    default: default.filter(|d| d != "NULL").map(|d| norm_default(&d)),
                    auto_increment: extra.contains("auto_increment"),
                    on_update,
                    comment: Some(comment).filter(|c| !c.is_empty()),
                });
        }
        let comments: Vec<(String, String)> = conn.exec("SELECT TABLE_NAME, TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", (db,)).unwrap();
        for (t, c) in comments {
            if !c.is_empty() {
                shape.tables.entry(t).or_default().comment = Some(c);
            }
        }
        type IdxRow = (String, String, i64, String, Option<i64>);
        let idx: Vec<IdxRow> = conn
            .exec("SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX", (db,))
            .unwrap();
        for (t, name, non_unique, col, sub) in idx {
            let part = match sub {
                Some(n) => format!("{col}({n})"),
                None => col,
            };
            let ts = shape.tables.entry(t).or_default();
            if name == "PRIMARY" {
                ts.primary_key.push(part);
            } else {
                let e = ts
                    .indexes
                    .entry(name)
                    .or_insert_with(|| (non_unique == 0, vec![]));
                e.1.push(part);
            }
        }
        type FkRow = (String, String, String, String, String);
        let fks: Vec<FkRow> = conn
            .exec("SELECT TABLE_NAME, CONSTRAINT_NAME, REFERENCED_TABLE_NAME, DELETE_RULE, UPDATE_RULE FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?", (db,))
            .unwrap();
        for (t, name, ref_table, del, upd) in fks {
            let cols: Vec<(String, String)> = conn
                .exec("SELECT COLUMN_NAME, REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = ? ORDER BY ORDINAL_POSITION", (db, &t, &name))
                .unwrap();
            let ts = shape.tables.entry(t).or_default();
            // MariaDB backs a foreign key with an index of the same name when none fits; TiDB does too.
            ts.indexes.remove(&name);
            ts.foreign_keys.insert(
                name,
                FkShape {
                    columns: cols.iter().map(|c| c.0.clone()).collect(),
                    ref_table,
                    ref_columns: cols.iter().map(|c| c.1.clone()).collect(),
                    on_delete: norm_action(Some(&del)),
                    on_update: norm_action(Some(&upd)),
                },
            );
        }
        let seqs: Vec<String> = conn.exec("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'SEQUENCE'", (db,)).unwrap();
        for s in seqs {
            shape.tables.remove(&s);
            shape.sequences.insert(s);
        }
        let views: Vec<String> = conn
            .exec(
                "SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?",
                (db,),
            )
            .unwrap();
        for v in views {
            shape.tables.remove(&v);
            shape.views.insert(v);
        }
        let checks: Vec<(String, String, String)> = conn
            .exec("SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?", (db,))
            .unwrap();
        for (t, name, clause) in checks {
            if clause.starts_with("json_valid(") {
                continue; // MariaDB's JSON is LONGTEXT + CHECK (json_valid(...))
            }
            shape.tables.entry(t).or_default().checks.insert(name);
        }
        shape
    }
}

#[derive(Debug, Default)]
pub struct PgCatalog {
    pub tables: BTreeSet<String>,
    pub columns: BTreeSet<(String, String)>,
    pub indexes: BTreeSet<(String, String)>,
    pub constraints: BTreeSet<(String, String, String)>,
    pub views: BTreeSet<String>,
    /// Partitions (`relispartition`): also in `tables`, with their columns,
    /// indexes and constraints; on TiDB their rows are the parent's.
    pub partitions: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnShape {
    pub name: String,
    pub ty: String,
    pub nullable: bool,
    pub default: Option<String>,
    pub auto_increment: bool,
    pub on_update: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FkShape {
    pub columns: Vec<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    pub on_delete: String,
    pub on_update: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TableShape {
    pub columns: Vec<ColumnShape>,
    pub primary_key: Vec<String>,
    /// name → (unique, parts)
    pub indexes: BTreeMap<String, (bool, Vec<String>)>,
    pub foreign_keys: BTreeMap<String, FkShape>,
    pub checks: BTreeSet<String>,
    pub comment: Option<String>,
}

/// Assert that every table of `expected` is in `actual` with the same
/// columns, keys, indexes, foreign keys, checks and comment.
pub fn assert_tables_match(name: &str, expected: &Shape, actual: &Shape, where_: &str) {
    for (t, exp) in &expected.tables {
        let act = actual
            .tables
            .get(t)
            .unwrap_or_else(|| panic!("{name}: table {t} missing {where_}"));
        assert_eq!(exp.columns, act.columns, "{name}: columns of {t}");
        assert_eq!(
            exp.primary_key, act.primary_key,
            "{name}: primary key of {t}"
        );
        assert_eq!(exp.indexes, act.indexes, "{name}: indexes of {t}");
        assert_eq!(
            exp.foreign_keys, act.foreign_keys,
            "{name}: foreign keys of {t}"
        );
        assert_eq!(exp.checks, act.checks, "{name}: checks of {t}");
        assert_eq!(exp.comment, act.comment, "{name}: comment of {t}");
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Shape {
    pub tables: BTreeMap<String, TableShape>,
    pub sequences: BTreeSet<String>,
    pub views: BTreeSet<String>,
}

fn norm_action(a: Option<&str>) -> String {
    pg2tidb::verify::schema::norm_action(a.unwrap_or(""))
}

/// Defaults as both sides spell them (`pg2tidb verify`'s normaliser), with
/// `nextval(db.seq)` as `nextval(seq)`.
pub fn norm_default(d: &str) -> String {
    let s = pg2tidb::verify::schema::norm_default(d);
    match s.strip_prefix("nextval(") {
        Some(rest) => {
            let inner = rest.trim_end_matches(')');
            format!("nextval({})", inner.rsplit('.').next().unwrap_or(inner))
        }
        None => s,
    }
}

/// The messages of every finding, one per line (for "is it named by a finding" checks).
pub fn findings_text(files: &[pg2tidb::FileResult]) -> String {
    files
        .iter()
        .flat_map(|f| f.statements.iter())
        .flat_map(|s| s.findings.iter())
        .map(|f| format!("{}\n", f.message))
        .collect()
}

/// The MariaDB spelling of a TiDB type (MariaDB's JSON is LONGTEXT; the
/// MariaDB shim turns VECTOR into JSON).
pub fn maria_type(t: &TiType) -> String {
    match t {
        TiType::Bool => "tinyint(1)".into(),
        TiType::SmallInt => "smallint(6)".into(),
        TiType::Int => "int(11)".into(),
        TiType::BigInt => "bigint(20)".into(),
        TiType::Json | TiType::Vector(_) => "longtext".into(),
        TiType::Enum(labels) => {
            let l: Vec<String> = labels
                .iter()
                .map(|x| format!("'{}'", x.replace('\'', "''")))
                .collect();
            format!("enum({})", l.join(","))
        }
        other => other.to_string().to_lowercase(),
    }
}

/// What the conversion promised, from the converter's schema model.
pub fn expected_catalog(conv: &Converter, skipped_indexes: &BTreeSet<String>) -> Shape {
    let mut shape = Shape {
        sequences: conv
            .catalog
            .sequences
            .values()
            .filter(|s| s.owned_by.is_none())
            .map(|s| s.name.clone())
            .collect(),
        views: conv.catalog.views.keys().cloned().collect(),
        ..Shape::default()
    };
    for t in conv.catalog.tables() {
        let mut ts = TableShape {
            comment: t.comment.clone(),
            ..TableShape::default()
        };
        for c in &t.columns {
            ts.columns.push(ColumnShape {
                name: c.name.clone(),
                ty: maria_type(&c.ty),
                nullable: c.nullable,
                default: c
                    .default
                    .as_deref()
                    .filter(|d| *d != "NULL")
                    .map(norm_default),
                auto_increment: c.auto_increment,
                on_update: c.on_update.as_deref().map(norm_default),
                comment: c.comment.clone(),
            });
        }
        let part = |p: &KeyPart| match p {
            KeyPart::Column {
                name,
                prefix: Some(n),
            } => format!("{name}({n})"),
            KeyPart::Column { name, prefix: None } => name.clone(),
            KeyPart::Expr(e) => format!("({e})"),
        };
        if let Some(pk) = &t.primary_key {
            ts.primary_key = pk.parts.iter().map(part).collect();
        }
        for ix in &t.indexes {
            if skipped_indexes.contains(&ix.name) {
                continue;
            }
            ts.indexes.insert(
                ix.name.clone(),
                (
                    ix.kind == IndexKind::Unique,
                    ix.parts.iter().map(part).collect(),
                ),
            );
        }
        for fk in &t.foreign_keys {
            // As on the server side: an index named like the key is its own.
            ts.indexes.remove(fk.tidb_name());
            ts.foreign_keys.insert(
                fk.tidb_name().to_string(),
                FkShape {
                    columns: fk.columns.clone(),
                    ref_table: fk.ref_table.clone(),
                    ref_columns: fk.ref_columns.clone(),
                    on_delete: norm_action(fk.on_delete.as_deref()),
                    on_update: norm_action(fk.on_update.as_deref()),
                },
            );
        }
        ts.checks = t.checks.iter().map(|c| c.name.clone()).collect();
        shape.tables.insert(t.name.clone(), ts);
    }
    shape
}

/// TiDB-only output that MariaDB 10.11 cannot run, rewritten or set aside
/// by `pg2tidb verify`'s stand-in so the rest can be applied; first checked
/// against TiDB's documented forms (tidb-facts §3).
pub struct Shimmed {
    pub statements: Vec<String>,
    pub skipped_indexes: BTreeSet<String>,
}

pub fn mariadb_shim(statements: &[pg2tidb::emit::Emitted]) -> Shimmed {
    use pg2tidb::verify::standin::{stand_in, Server, StandIn};
    static CALLS: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"([A-Z_0-9]+)\(").unwrap());
    let calls = &*CALLS;
    let maria = Server::classify("10.11.0-MariaDB");
    let mut out = Shimmed {
        statements: vec![],
        skipped_indexes: BTreeSet::new(),
    };
    for s in statements {
        // The statement, or each element of a CREATE TABLE (folded schemas carry inline indexes).
        let items: Vec<&str> = if s.starts_with("CREATE TABLE") {
            s.lines().map(|l| l.trim().trim_end_matches(',')).collect()
        } else {
            vec![s.sql()]
        };
        for item in items {
            if item.starts_with("CREATE VECTOR INDEX ") {
                assert!(
                    item.ends_with("USING HNSW")
                        && (item.contains("((VEC_COSINE_DISTANCE(")
                            || item.contains("((VEC_L2_DISTANCE(")),
                    "vector index not in TiDB's documented form (tidb-facts §3): {item}"
                );
            }
            if item.starts_with("VECTOR INDEX ") {
                assert!(
                    item.ends_with("USING HNSW") && item.contains("((VEC_"),
                    "vector index form (tidb-facts §3): {item}"
                );
            }
            // Expression key parts: `((expr))`, or `(col, (expr))` mixed with columns;
            // every call on TiDB's GA list and nothing else (no CAST, no operators).
            let keys = item.split_once("` (").map(|x| x.1).unwrap_or("");
            let is_index = [
                "CREATE INDEX ",
                "CREATE UNIQUE INDEX ",
                "KEY ",
                "UNIQUE KEY ",
            ]
            .iter()
            .any(|p| item.starts_with(p));
            if is_index && (keys.starts_with('(') || keys.contains(", (")) {
                for c in calls.captures_iter(keys) {
                    assert!(
                        ["LOWER", "UPPER", "MD5", "REVERSE"].contains(&&c[1]),
                        "expression index outside TiDB's default allow-list (tidb-facts §3): {item}"
                    );
                }
            }
        }
        match stand_in(&maria, s) {
            StandIn::AsIs => out.statements.push(s.to_string()),
            StandIn::Rewritten { sql, indexes, .. } => {
                out.skipped_indexes.extend(indexes);
                out.statements.push(sql);
            }
            StandIn::SetAside { indexes, .. } => out.skipped_indexes.extend(indexes),
        }
    }
    out
}

/// A scratch directory of one test, removed with everything in it when the
/// value is dropped (tests leave nothing behind in the temporary directory).
/// It dereferences to its path.
pub struct Scratch(tempfile::TempDir);

impl Scratch {
    /// A new empty directory whose name starts with `pg2tidb-{prefix}-`.
    pub fn new(prefix: &str) -> Scratch {
        Scratch(
            tempfile::Builder::new()
                .prefix(&format!("pg2tidb-{prefix}-"))
                .tempdir()
                .expect("a scratch directory"),
        )
    }
}

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        self.0.path()
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        self.0.path()
    }
}
