//! The pipeline's middle: split → parse → lower into the model, running the
//! rules' hooks → emit, one statement at a time, with the catalog carried
//! along.

use crate::catalog::Catalog;
use crate::emit;
use crate::expr::{self, to_tidb};
use crate::model::{
    ident, quote_str, Check, Column, ForeignKey, Index, IndexKind, KeyPart, Loc, PrimaryKey,
    Sequence, Table, TiType,
};
use crate::parse::{self, Parsed, Repair};
use crate::rules::identifier_case::{self, backquoted, clash};
use crate::rules::{
    self, schema_name, serial, syntax_error, unknown_object, unsupported_expression,
    unsupported_statement, CatalogUpdate, ColumnDraft, ColumnMode, ConstraintDraft,
    ConstraintVerdict, Cx, Finding, IndexDraft, KeyDraft, Severity, Verdict,
};
use crate::split::{self, ChunkKind};
use crate::target::Target;
use crate::types::{self, fold_ident, Mapped};
use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, ColumnDef, ColumnOption, CommentObject, CreateIndex,
    CreateTable, Expr, GeneratedAs, ObjectName, ObjectType, OrderByExpr, SequenceOptions, Spanned,
    Statement, TableConstraint,
};
use std::collections::BTreeSet;

/// The `START WITH` of an identity column's sequence options.
fn identity_start(options: Option<&[SequenceOptions]>) -> Option<i64> {
    options.unwrap_or_default().iter().find_map(|o| match o {
        SequenceOptions::StartWith(e, _) => expr::literal(e).and_then(|s| s.parse().ok()),
        _ => None,
    })
}

/// What [`Converter::convert_texts_with`] reports as it goes.
pub enum Progress {
    /// File `index` starts. `late_findings`: the file has `ignore-file[…]`
    /// suppressions, so its [`Progress::FileEnd`] may bring findings that
    /// belong on statements already reported (keep them until then).
    File { index: usize, late_findings: bool },
    /// A statement of file `i`, converted.
    Statement(usize, StatementResult),
    /// File `i` is complete: the findings that belong to no statement yet
    /// (unused `ignore-file[…]` suppressions), to be placed on the kept
    /// results with [`crate::suppress::attach`].
    FileEnd(usize, Vec<Finding>),
}

/// Inputs smaller than this (bytes, all files) are parsed on the converting thread.
const PARALLEL_PARSE_MIN_BYTES: usize = 16 * 1024;
/// How many statements the parsing thread may run ahead.
const PARSE_AHEAD: usize = 64;
/// Stack of the pipeline threads (see `main.rs` and sqlparser-probe §6).
pub const PIPELINE_STACK: usize = 256 * 1024 * 1024;

/// What a [`Converter::convert_inputs_with`] caller answers to each
/// [`Progress`]: go on (`Ok`), or stop the conversion at once with this
/// error (say, the output cannot be written).
pub type Flow = Result<(), String>;

/// One input of [`Converter::convert_inputs_with`].
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// Text in memory.
    Text(&'a str),
    /// A UTF-8 file, read statement by statement ([`split::split_read`]):
    /// only what is being converted is held.
    File(&'a std::path::Path),
}

/// A chunk as the parsing thread hands it on.
enum Piece<'a> {
    Borrowed(split::Chunk<'a>),
    Owned(split::OwnedChunk),
}

/// What the parsing thread sends.
enum Ahead<'a> {
    /// A chunk with its parse (see [`parse_ahead`]).
    Chunk(Piece<'a>, Option<Parsed>),
    /// The current file is complete.
    End,
    /// The current file could not be read.
    Failed(String),
}

fn cannot_read(path: &std::path::Path, e: std::io::Error) -> String {
    format!("{}: cannot read: {e}", path.display())
}

/// What the parsing thread sends for one chunk: the parse of a plain SQL
/// statement; `None` for anything the converting thread reads itself
/// (meta-commands, COPY data, unterminated text, DO blocks).
fn parse_ahead(chunk: &split::Chunk<'_>) -> Option<Parsed> {
    let loc = Loc {
        line: chunk.line,
        col: chunk.col,
    };
    let plain = chunk.kind == ChunkKind::Sql
        && chunk.unterminated.is_none()
        && rules::do_block::extract(chunk.text, loc).is_none();
    plain.then(|| parse::parse(chunk.text, loc))
}

/// Conversion settings.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub target: Target,
    /// Type choices (`[types]` in pg2tidb.toml).
    pub types: crate::config::TypeChoices,
    /// Disabled rules and severity overrides (`[rules]` in pg2tidb.toml).
    pub rules: crate::config::RuleSettings,
    /// Fold mode (pg_dump): build the schema model from every statement and
    /// emit one CREATE TABLE per table ([`crate::fold`]), so facts spread over
    /// several statements (sequences, identity, primary keys, comments) land
    /// in the table definition.
    pub fold: bool,
}

/// What became of one input statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Written to the output (possibly changed, or partly lost: see its
    /// findings), whatever the severity of its findings.
    Converted,
    /// Left out on purpose, with a reason in its findings.
    Dropped,
    /// Not written because it could not be carried over (an error finding
    /// says what is missing, unless it was suppressed or its severity
    /// lowered in pg2tidb.toml: the statement is still not carried over).
    Error,
}

/// One input statement and its conversion.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StatementResult {
    #[serde(flatten)]
    pub loc: Loc,
    /// The PostgreSQL text.
    pub source: String,
    /// Comment lines that preceded it, carried into the output.
    #[serde(skip)]
    pub comments: Vec<String>,
    /// TiDB statements, without the trailing `;`.
    pub output: Vec<String>,
    pub status: Status,
    pub findings: Vec<Finding>,
    /// Findings removed by `-- pg2tidb: ignore[…]` comments.
    pub suppressed: usize,
    /// The table (or other object) the statement is about, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// `--fold`: no SQL of its own, but its effect is folded into a table,
    /// sequence or view that the folded schema writes (a primary key added
    /// by ALTER, `SET DEFAULT nextval`, `setval`, `OWNED BY`, …): converted.
    #[serde(skip)]
    pub folded: bool,
}

/// Converts statements in order, keeping the schema model between them.
pub struct Converter {
    pub options: Options,
    pub catalog: Catalog,
    said_once: BTreeSet<String>,
}

impl Converter {
    pub fn new(options: Options) -> Self {
        Converter {
            options,
            catalog: Catalog::default(),
            said_once: BTreeSet::new(),
        }
    }

    /// Split and convert one file's text.
    pub fn convert_text(&mut self, text: &str) -> Vec<StatementResult> {
        self.convert_texts(&[text]).pop().unwrap_or_default()
    }

    /// Split and convert texts in order, keeping every statement's result
    /// per text (with the late findings of each placed).
    pub fn convert_texts(&mut self, texts: &[&str]) -> Vec<Vec<StatementResult>> {
        let mut out = vec![Vec::new(); texts.len()];
        self.convert_texts_with(texts, &mut |p| match p {
            Progress::Statement(i, r) => out[i].push(r),
            Progress::FileEnd(i, tail) => crate::suppress::attach(&mut out[i], tail),
            Progress::File { .. } => {}
        });
        out
    }

    /// Convert several texts in order (see [`Converter::convert_inputs_with`]).
    pub fn convert_texts_with(&mut self, texts: &[&str], each: &mut dyn FnMut(Progress)) {
        let inputs: Vec<Input<'_>> = texts.iter().map(|t| Input::Text(t)).collect();
        // Texts in memory and a caller that never stops: nothing can fail.
        let _ = self.convert_inputs_with(&inputs, &mut |p| {
            each(p);
            Ok(())
        });
    }

    /// Convert several inputs in order, sharing the schema model, reporting
    /// each file's start, each statement's result as soon as it is converted
    /// (so a caller can write it and keep less) and each file's end to `each`.
    /// An error when a file input cannot be read (the files before it are
    /// complete) or when `each` says to stop (at once: nothing more is
    /// converted).
    ///
    /// Statements are split as they are reached, never collected. Both cores:
    /// a second thread splits and parses ahead, across file boundaries
    /// (parsing needs no schema state), while this one applies the rules in
    /// order. Texts under 16 KiB in all are not worth a thread.
    pub fn convert_inputs_with(
        &mut self,
        inputs: &[Input<'_>],
        each: &mut dyn FnMut(Progress) -> Flow,
    ) -> Result<(), String> {
        let small = inputs.iter().try_fold(0usize, |n, i| match i {
            Input::Text(t) => Some(n + t.len()),
            Input::File(_) => None,
        });
        if small.is_some_and(|n| n < PARALLEL_PARSE_MIN_BYTES) {
            return self.convert_alone(inputs, each);
        }
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Ahead<'_>>(PARSE_AHEAD);
            let parser = std::thread::Builder::new()
                .name("pg2tidb-parse".into())
                // Deep input recurses in sqlparser: as much stack as the main pipeline thread.
                .stack_size(PIPELINE_STACK)
                .spawn_scoped(scope, move || {
                    for input in inputs {
                        let mut open = true;
                        let end = match input {
                            Input::Text(text) => {
                                split::split_each(text, &mut |chunk| {
                                    if open {
                                        let parsed = parse_ahead(&chunk);
                                        open = tx
                                            .send(Ahead::Chunk(Piece::Borrowed(chunk), parsed))
                                            .is_ok();
                                    }
                                });
                                Ahead::End
                            }
                            Input::File(path) => {
                                let read = std::fs::File::open(path).and_then(|f| {
                                    split::split_read(f, &mut |chunk| {
                                        if open {
                                            let parsed = parse_ahead(&chunk);
                                            let piece = Piece::Owned(chunk.into());
                                            open = tx.send(Ahead::Chunk(piece, parsed)).is_ok();
                                        }
                                    })
                                });
                                match read {
                                    Ok(()) => Ahead::End,
                                    Err(e) => Ahead::Failed(cannot_read(path, e)),
                                }
                            }
                        };
                        let failed = matches!(end, Ahead::Failed(_));
                        if !open || tx.send(end).is_err() || failed {
                            break;
                        }
                    }
                });
            if parser.is_err() {
                return self.convert_alone(inputs, each);
            }
            for (i, input) in inputs.iter().enumerate() {
                let mut suppressor = self.begin_file(i, input, each)?;
                // Until the file's end marker.
                loop {
                    match rx.recv() {
                        Ok(Ahead::Chunk(piece, parsed)) => {
                            let chunk = match &piece {
                                Piece::Borrowed(c) => c.clone(),
                                Piece::Owned(c) => c.chunk(),
                            };
                            let r = self.convert_chunk(&chunk, parsed, &mut suppressor);
                            each(Progress::Statement(i, r))?;
                        }
                        Ok(Ahead::Failed(e)) => return Err(e),
                        Ok(Ahead::End) => break,
                        // Only a panic ends the parsing thread early (the
                        // scope passes it on): report no partial file.
                        Err(_) => {
                            return Err(
                                "the parsing thread stopped (a pg2tidb bug: please report it)"
                                    .into(),
                            )
                        }
                    }
                }
                self.end_file(i, suppressor, each)?;
            }
            Ok(())
        })
    }

    /// [`Converter::convert_inputs_with`] on this thread only.
    fn convert_alone(
        &mut self,
        inputs: &[Input<'_>],
        each: &mut dyn FnMut(Progress) -> Flow,
    ) -> Result<(), String> {
        for (i, input) in inputs.iter().enumerate() {
            let loaded;
            let text = match input {
                Input::Text(t) => *t,
                Input::File(p) => {
                    loaded =
                        crate::input::read_file(p, &p.display().to_string()).map_err(|e| e.0)?;
                    &loaded
                }
            };
            let mut suppressor = self.begin_file(i, &Input::Text(text), each)?;
            let mut stopped = Ok(());
            split::split_each(text, &mut |chunk| {
                if stopped.is_ok() {
                    let r = self.convert_chunk(&chunk, None, &mut suppressor);
                    stopped = each(Progress::Statement(i, r));
                }
            });
            stopped?;
            self.end_file(i, suppressor, each)?;
        }
        Ok(())
    }

    fn begin_file(
        &self,
        index: usize,
        input: &Input<'_>,
        each: &mut dyn FnMut(Progress) -> Flow,
    ) -> Result<crate::suppress::Suppressor, String> {
        let suppressor = match input {
            Input::Text(text) => crate::suppress::Suppressor::new(text),
            Input::File(path) => std::fs::File::open(path)
                .and_then(|f| crate::suppress::Suppressor::read(std::io::BufReader::new(f)))
                .map_err(|e| cannot_read(path, e))?,
        };
        each(Progress::File {
            index,
            late_findings: suppressor.has_file_level(),
        })?;
        Ok(suppressor)
    }

    fn end_file(
        &self,
        index: usize,
        suppressor: crate::suppress::Suppressor,
        each: &mut dyn FnMut(Progress) -> Flow,
    ) -> Result<(), String> {
        let mut tail = suppressor.finish();
        self.apply_rule_settings(&mut tail);
        each(Progress::FileEnd(index, tail))
    }

    /// One chunk (with its parse, when the parsing thread made it).
    fn convert_chunk(
        &mut self,
        chunk: &split::Chunk<'_>,
        mut ahead: Option<Parsed>,
        suppressor: &mut crate::suppress::Suppressor,
    ) -> StatementResult {
        let loc = Loc {
            line: chunk.line,
            col: chunk.col,
        };
        let comments = carried_comments(chunk.prefix);
        // psql conditionals: what psql skips is not converted.
        let verdict = suppressor.psql.verdict();
        let mut r = if chunk.kind == ChunkKind::Meta && crate::psql::is_conditional(chunk.text) {
            let mut r = self.result_for(loc, chunk.text);
            for n in suppressor
                .psql
                .conditional(chunk.text, loc, chunk.text_cut())
            {
                let rule = if n.error {
                    rules::psql_conditional_error::meta()
                } else {
                    rules::psql_conditional::meta()
                };
                r.findings.push(finding(rule, n.loc, n.message));
            }
            r
        } else if let Some((unknown, why)) = match verdict {
            crate::psql::Verdict::Run => None,
            crate::psql::Verdict::Skip(why) => Some((false, why)),
            crate::psql::Verdict::Unknown(why) => Some((true, why)),
        } {
            // psql may run a meta-command in a branch pg2tidb cannot decide.
            if unknown && chunk.kind == ChunkKind::Meta {
                suppressor.psql.meta(chunk.text, false);
            }
            let mut r = self.result_for(loc, chunk.text);
            let what = match chunk.kind {
                ChunkKind::CopyData => "COPY data".to_string(),
                _ => format!("`{}`", statement_head(chunk.text)),
            };
            r.findings.push(if unknown {
                finding(
                    rules::psql_conditional_error::meta(),
                    loc,
                    format!("{what} is not carried over: {why}"),
                )
            } else {
                finding(
                    rules::psql_conditional::meta(),
                    loc,
                    format!("psql skips {what}: {why}; not carried over"),
                )
            });
            r
        } else {
            if chunk.kind == ChunkKind::Meta {
                suppressor.psql.meta(chunk.text, true);
            }
            match chunk.kind {
                // Over the splitter's limit: only its head was kept.
                ChunkKind::Sql | ChunkKind::Meta if chunk.text_cut() => {
                    let mut r = self.result_for(loc, chunk.text);
                    let what = match chunk.kind {
                        ChunkKind::Meta => "psql meta-command",
                        _ => "statement",
                    };
                    r.findings.push(finding(
                    syntax_error::meta(),
                    loc,
                    format!(
                        "{what} of {} bytes exceeds pg2tidb's limit of {} bytes (in `{}`); not carried over",
                        chunk.text_len(),
                        split::MAX_CHUNK_BYTES,
                        statement_head(chunk.text)
                    ),
                ));
                    r
                }
                ChunkKind::Sql => match chunk.unterminated {
                    Some((what, line, col)) => {
                        let mut r = self.result_for(loc, chunk.text);
                        r.findings.push(finding(
                            syntax_error::meta(),
                            Loc { line, col },
                            format!(
                            "unterminated {what}: the rest of the file is part of this statement"
                        ),
                        ));
                        r
                    }
                    None => self.convert_parsed(chunk.text, loc, ahead.take()),
                },
                ChunkKind::Meta => {
                    let mut r = self.result_for(loc, chunk.text);
                    r.findings.push(finding(
                        rules::pg_only_statement::meta(),
                        loc,
                        format!("psql meta-command `{}` dropped", first_word(chunk.text)),
                    ));
                    r
                }
                ChunkKind::CopyData => {
                    let mut r = self.result_for(loc, chunk.text);
                    let size = if chunk.text_cut() {
                        format!(" ({} bytes, not read)", chunk.text_len())
                    } else {
                        String::new()
                    };
                    r.findings.push(finding(
                    unsupported_statement::meta(),
                    loc,
                    format!("COPY data{size} is not carried over: load data with TiDB Lightning or LOAD DATA"),
                ));
                    r
                }
            }
        };
        if chunk.prefix_cut() {
            r.findings.push(finding(
                syntax_error::meta(),
                loc,
                format!(
                    "the {} bytes of comments and whitespace before this exceed pg2tidb's limit of {} bytes: not read (their comments are not carried over, their `pg2tidb: ignore[…]` not applied)",
                    chunk.prefix_len(),
                    split::MAX_CHUNK_BYTES
                ),
            ));
        }
        // Nothing is lost silently: a statement that produced no SQL and
        // no finding is reported (it would be a pg2tidb bug).
        if r.output.is_empty() && r.findings.is_empty() {
            r.findings.push(finding(
                unsupported_statement::meta(),
                loc,
                "no TiDB SQL was produced and no rule said why (a pg2tidb bug: please report it); not carried over",
            ));
        }
        r.comments = comments;
        // What happened to the statement is decided here, from its output and
        // the rules' own severities: suppressions and `[rules]` settings only
        // change how its findings are reported.
        r.status = status_of(&r);
        suppressor.apply(&mut r, chunk.prefix, loc);
        self.apply_rule_settings(&mut r.findings);
        r
    }

    /// [rules] in pg2tidb.toml: disabled rules are not reported, severities may be changed.
    fn apply_rule_settings(&self, findings: &mut Vec<Finding>) {
        let settings = &self.options.rules;
        if settings.disabled.is_empty() && settings.severity.is_empty() {
            return;
        }
        findings.retain(|f| !settings.disabled.contains(f.rule));
        for f in findings {
            if let Some(s) = settings.severity.get(f.rule) {
                f.severity = *s;
            }
        }
    }

    /// The rules' view of the statement at `loc`.
    fn cx(&mut self, loc: Loc, repair: Repair) -> Cx<'_> {
        Cx {
            types: &self.options.types,
            fold: self.options.fold,
            repair,
            target: self.options.target,
            catalog: &self.catalog,
            loc,
            findings: vec![],
            output: vec![],
            said_once: &mut self.said_once,
            catalog_updates: vec![],
        }
    }

    fn result_for(&self, loc: Loc, text: &str) -> StatementResult {
        StatementResult {
            loc,
            source: text.trim_end().to_string(),
            comments: vec![],
            output: vec![],
            status: Status::Dropped,
            findings: vec![],
            suppressed: 0,
            object: None,
            folded: false,
        }
    }

    /// A guarding DO block: its DDL statements, converted in place (do-block).
    fn convert_do_block(
        &mut self,
        text: &str,
        loc: Loc,
        inner: Vec<(String, Loc)>,
    ) -> StatementResult {
        let mut result = self.result_for(loc, text);
        let mut cx = self.cx(loc, Repair::None);
        rules::do_block::report(&mut cx, inner.len());
        result.findings = cx.findings;
        for (stmt, at) in inner {
            let r = self.convert_statement_text(&stmt, at);
            result.folded |= r.folded;
            result.output.extend(r.output);
            result.findings.extend(r.findings);
        }
        result.findings.sort_by_key(|f| f.loc);
        result
    }

    /// Convert one statement's text starting at `loc`.
    pub fn convert_statement_text(&mut self, text: &str, loc: Loc) -> StatementResult {
        self.convert_parsed(text, loc, None)
    }

    /// Convert one statement, parsed already (`parsed`) or not.
    fn convert_parsed(&mut self, text: &str, loc: Loc, parsed: Option<Parsed>) -> StatementResult {
        if let Some(inner) = rules::do_block::extract(text, loc) {
            return self.convert_do_block(text, loc, inner);
        }
        let mut result = self.result_for(loc, text);
        let parsed = parsed.unwrap_or_else(|| parse::parse(text, loc));
        let repair = match &parsed {
            Parsed::Ok(_, r) => *r,
            Parsed::Failed { .. } => Repair::None,
        };
        let mut cx = self.cx(loc, repair);
        let mut data_statement = None;
        if let Parsed::Ok(stmt, _) = &parsed {
            result.object = statement_object(stmt);
            data_statement = match &**stmt {
                Statement::Insert(_) => Some("INSERT"),
                Statement::Update(_) => Some("UPDATE"),
                Statement::Delete(_) => Some("DELETE"),
                Statement::Truncate(_) => Some("TRUNCATE"),
                Statement::Query(_) => Some("SELECT"),
                _ => None,
            };
        }
        match parsed {
            Parsed::Ok(stmt, repair) => match rules::run_statement(&mut cx, &stmt) {
                Some(Verdict::Drop) | Some(Verdict::Replace) => {}
                None => lower_statement(&mut cx, &stmt, repair),
            },
            Parsed::Failed {
                message,
                loc: err_loc,
                words,
            } => {
                let attach_index = words.len() > 2
                    && words[0] == "ALTER"
                    && words[1] == "INDEX"
                    && words.iter().any(|w| w == "ATTACH");
                if attach_index {
                    rules::partition::report_attach_index(&mut cx);
                } else if !rules::serial::alter_sequence(&mut cx, text)
                    && !unsupported_statement::classify_unparsed(&mut cx, &words, text)
                    && !rules::pg_only_statement::classify_unparsed(&mut cx, &words)
                {
                    cx.report(
                        syntax_error::meta(),
                        err_loc,
                        format!(
                            "{message} (in `{}`); not carried over",
                            statement_head(text)
                        ),
                    );
                }
            }
        }
        // --fold writes the schema model, not the statements' SQL: SQL that
        // changes nothing in the model would be lost while counted as converted.
        if cx.fold && !cx.output.is_empty() && cx.catalog_updates.is_empty() {
            cx.output.clear();
            match data_statement {
                Some(what) => rules::fold_schema_only::report_data(&mut cx, what),
                None => {
                    let kind: Vec<String> = text
                        .split_whitespace()
                        .take(2)
                        .map(str::to_uppercase)
                        .collect();
                    rules::fold_schema_only::report_unfolded(&mut cx, &kind.join(" "))
                }
            }
        }
        result.folded = cx.fold
            && cx.output.is_empty()
            && cx.catalog_updates.iter().any(|u| {
                matches!(
                    u,
                    CatalogUpdate::Table(_)
                        | CatalogUpdate::RemoveTable(_)
                        | CatalogUpdate::Sequence(_)
                        | CatalogUpdate::RemoveSequence(_)
                        | CatalogUpdate::View { .. }
                        | CatalogUpdate::RemoveView(_)
                )
            });
        let Cx {
            findings,
            output,
            catalog_updates,
            ..
        } = cx;
        result.findings = findings;
        result.findings.sort_by_key(|f| f.loc);
        result.output = output;
        for u in catalog_updates {
            apply_update(&mut self.catalog, u);
        }
        result
    }
}

/// The table a statement is about (for "what needs a human" per table).
fn statement_object(stmt: &Statement) -> Option<String> {
    let name = match stmt {
        Statement::CreateTable(ct) => &ct.name,
        Statement::AlterTable(at) => &at.name,
        Statement::CreateIndex(ci) => &ci.table_name,
        Statement::CreateView(v) => &v.name,
        Statement::CreateTrigger(t) => &t.table_name,
        Statement::Drop { names, .. } => names.first()?,
        Statement::Comment {
            object_type: CommentObject::Table,
            object_name,
            ..
        } => object_name,
        Statement::Comment {
            object_type: CommentObject::Column,
            object_name,
            ..
        } => {
            let parts = &object_name.0;
            let t = parts.get(parts.len().checked_sub(2)?)?.as_ident()?;
            return Some(fold_ident(&t.value, t.quote_style));
        }
        _ => return None,
    };
    Some(expr::last_name(name))
}

fn apply_update(catalog: &mut Catalog, u: CatalogUpdate) {
    match u {
        CatalogUpdate::Table(t) => catalog.put_table(*t),
        CatalogUpdate::RemoveTable(name) => {
            catalog.remove_table(&name);
            // Its triggers go with it.
            let prefix = rules::pg_object_key("trigger", &format!("{name}."));
            let gone: Vec<String> = catalog
                .pg_objects
                .range(prefix.clone()..)
                .take_while(|(k, _)| k.starts_with(&prefix))
                .map(|(k, _)| k.clone())
                .collect();
            for k in gone {
                catalog.pg_objects.remove(&k);
            }
        }
        CatalogUpdate::Enum { name, labels } => catalog.put_enum(&name, labels),
        CatalogUpdate::RemoveEnum(name) => {
            catalog.enums.remove(&name.to_lowercase());
            catalog
                .pg_objects
                .remove(&rules::pg_object_key("enum", &name));
            catalog
                .flattened_from
                .remove(&rules::pg_object_key("type", &name));
        }
        CatalogUpdate::Domain(d) => catalog.put_domain(*d),
        CatalogUpdate::RemoveDomain(name) => {
            catalog.domains.remove(&name.to_lowercase());
            catalog
                .flattened_from
                .remove(&rules::pg_object_key("type", &name));
        }
        CatalogUpdate::Sequence(s) => catalog.put_sequence(s),
        CatalogUpdate::View { name, sql } => {
            catalog.put_view(name, sql);
        }
        CatalogUpdate::SequenceOwned {
            sequence,
            table,
            column,
        } => {
            if let Some(mut s) = catalog.sequence(&sequence).cloned() {
                s.owned_by = Some((table, column));
                catalog.put_sequence(s);
            }
        }
        CatalogUpdate::Partition { child, parent } => {
            catalog.partitions.insert(child.to_lowercase(), parent);
        }
        CatalogUpdate::RemoveView(v) => {
            catalog
                .flattened_from
                .remove(&rules::pg_object_key("view", &v));
            catalog.remove_view(&v);
        }
        CatalogUpdate::RemoveSequence(name) => {
            catalog.sequences.remove(&name.to_lowercase());
        }
        CatalogUpdate::TouchFunction { function, column } => {
            catalog.touch_functions.insert(function, column);
        }
        CatalogUpdate::PgObject { key, detail } => {
            catalog.pg_objects.insert(key, detail);
        }
        CatalogUpdate::RemovePgObject(key) => {
            catalog.pg_objects.remove(&key);
        }
        CatalogUpdate::FlattenedFrom { key, schema } => match schema {
            Some(schema) => {
                catalog.flattened_from.insert(key, schema);
            }
            None => {
                catalog.flattened_from.remove(&key);
            }
        },
    }
}

/// What became of a statement, from its output and its findings as the
/// rules reported them (before suppressions and `[rules]` severity
/// overrides, which change how a finding is reported, not what happened):
/// written (or, with `--fold`, folded into what is written) means
/// converted, whatever its findings say was changed or lost on the way; not
/// written is an error when a rule said something is not carried over (an
/// error finding), dropped otherwise.
pub fn status_of(r: &StatementResult) -> Status {
    if !r.output.is_empty() || r.folded {
        Status::Converted
    } else if r.findings.iter().any(|f| f.severity == Severity::Error) {
        Status::Error
    } else {
        Status::Dropped
    }
}

fn finding(meta: &'static rules::RuleMeta, loc: Loc, message: impl Into<String>) -> Finding {
    Finding {
        rule: meta.id,
        severity: meta.severity,
        message: message.into(),
        loc,
    }
}

/// pg_dump's own comments (`-- Name: t; Type: TABLE; Schema: public; Owner: -`,
/// banners, separators) describe PostgreSQL objects and are not carried over.
fn is_pg_dump_noise(line: &str) -> bool {
    let body = line.trim_start_matches('-').trim();
    body.is_empty()
        || body.starts_with("Name: ")
        || body.starts_with("Dependencies: ")
        || body.starts_with("Data for Name: ")
        || body.starts_with("TOC entry ")
        || body.starts_with("PostgreSQL database dump")
        || body.starts_with("Dumped from database version")
        || body.starts_with("Dumped by pg_dump version")
}

/// The start of a statement on one line, for messages.
fn statement_head(text: &str) -> String {
    // The first words only (the statement may be megabytes long).
    let mut joined = String::new();
    for w in text.split_whitespace() {
        if joined.chars().count() > 60 {
            break;
        }
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(w);
    }
    if joined.chars().count() > 60 {
        format!("{}…", joined.chars().take(60).collect::<String>())
    } else {
        joined
    }
}

fn first_word(s: &str) -> &str {
    s.split_whitespace().next().unwrap_or("")
}

/// `--` comment lines before a statement are kept in the output (reviewers
/// rely on markers such as Alembic's `-- Running upgrade a -> b`).
fn carried_comments(prefix: &str) -> Vec<String> {
    split::gap_comments(prefix)
        .map(|(_, l)| l.trim())
        .filter(|l| !l.starts_with("-- pg2tidb:") && !is_pg_dump_noise(l))
        .map(|l| {
            let body = l.trim_start_matches('-');
            // MySQL needs whitespace after `--`.
            format!("-- {}", body.trim_start())
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Lowering: one sqlparser Statement → model values → TiDB text.
// ---------------------------------------------------------------------------

fn lower_statement(cx: &mut Cx, stmt: &Statement, repair: Repair) {
    let _ = repair;
    match stmt {
        Statement::CreateTable(ct) => create_table(cx, ct),
        Statement::CreateView(v) => create_view(cx, v),
        Statement::CreateIndex(ci) => create_index(cx, ci),
        Statement::AlterTable(at) => {
            let name = table_name(cx, &at.name);
            for op in &at.operations {
                alter_table_op(cx, &name, at.if_exists, op);
            }
        }
        Statement::AlterIndex { name, operation } => {
            let sqlparser::ast::AlterIndexOperation::RenameIndex { index_name } = operation;
            let old = object_last(name);
            let new = object_last(index_name);
            if let Some(t) = cx.catalog.table_of_primary_key(&old) {
                let table = t.name.clone();
                rules::pg_only_statement::report_pk_index(cx, &table, &old);
                return;
            }
            match index_table(cx, &old) {
                Ok(Some(mut t)) => {
                    let other = t
                        .indexes
                        .same_to_tidb(&new)
                        .filter(|i| clash(&new, &i.name) && i.name != old)
                        .map(|i| i.name.clone());
                    if let Some(existing) = other {
                        let scope = format!(" of table `{}`", t.name);
                        identifier_case::report_clash(cx, cx.loc, "index", &new, &existing, &scope);
                        return;
                    }
                    cx.output.push(emit::alter(
                        &t.name,
                        &format!("RENAME INDEX {} TO {}", ident(&old), ident(&new)),
                    ));
                    rename_index(&mut t, &old, &new);
                    cx.catalog_updates.push(CatalogUpdate::Table(Box::new(t)));
                }
                Ok(None) => unknown_object::report_index(cx, &old),
                Err(known) => {
                    shadowed(cx, "index", &old, &known, "its RENAME");
                }
            }
        }
        Statement::Drop {
            object_type,
            if_exists,
            names,
            cascade,
            ..
        } => drop_objects(cx, *object_type, *if_exists, names, *cascade),
        Statement::CreateSequence {
            if_not_exists,
            name,
            sequence_options,
            ..
        } => {
            let mut seq = sequence_from(table_name(cx, name), sequence_options);
            seq.schema = schema_name::schema_of(name);
            if let Some(existing) = namespace_clash(cx.catalog, &seq.name) {
                identifier_case::report_clash(cx, cx.loc, "sequence", &seq.name, &existing, "");
                return;
            }
            cx.output.push(emit::create_sequence(&seq, *if_not_exists));
            cx.catalog_updates.push(CatalogUpdate::Sequence(seq));
        }
        Statement::Comment {
            object_type,
            object_name,
            comment,
            ..
        } => comment_on(cx, *object_type, object_name, comment.as_deref()),
        Statement::Insert(_) | Statement::Update(_) | Statement::Delete(_) => {
            crate::dml::lower(cx, stmt);
            dml_names(cx);
        }
        Statement::DropDomain(d) => drop_domain(cx, d),
        Statement::Truncate(t) => {
            for tn in &t.table_names {
                let n = table_name(cx, &tn.name);
                cx.output.push(format!("TRUNCATE TABLE {}", ident(&n)));
            }
        }
        other => unsupported_statement::report_kind(cx, other),
    }
}

/// INSERT, UPDATE, DELETE: their table and columns by their exact names
/// (one that differs only in case is another object, not carried over).
fn dml_names(cx: &mut Cx) {
    let Some(sql) = cx.output.first() else {
        return;
    };
    let names = backquoted(sql);
    // The statement's table is the first name it writes.
    let Some(table) = selected_from(
        &sql.replacen("INTO `", "FROM `", 1)
            .replacen("UPDATE `", "FROM `", 1),
    )
    .into_iter()
    .next() else {
        return;
    };
    let Some(t) = cx.catalog.table(&table).map(std::borrow::Cow::into_owned) else {
        return;
    };
    let what = "this statement".to_string();
    let lost = shadowed(cx, "table", &table, &t.name, &what)
        || match shadowed_column(&t, names.iter().map(String::as_str).filter(|n| *n != table)) {
            Some((n, k)) => shadowed(cx, "column", &n, &k, &what),
            None => false,
        };
    if lost {
        cx.output.clear();
    }
}

/// PostgreSQL names a primary key's index `<table>_pkey` unless the constraint is named.
fn is_pk_name(t: &Table, name: &str) -> bool {
    t.primary_key_name()
        .is_some_and(|n| n.eq_ignore_ascii_case(name))
}

/// The table, view or sequence TiDB takes for `name` while PostgreSQL does
/// not (the names differ only in case), when there is one.
fn namespace_clash(catalog: &Catalog, name: &str) -> Option<String> {
    if let Some(t) = catalog.table(name).filter(|t| clash(name, &t.name)) {
        return Some(t.name.clone());
    }
    if let Some(q) = catalog.sequence(name).filter(|q| clash(name, &q.name)) {
        return Some(q.name.clone());
    }
    catalog.view_name(name).filter(|v| clash(name, v)).cloned()
}

/// The name of the enum or domain the model has for `name` (any case).
pub fn type_name(catalog: &Catalog, name: &str) -> Option<String> {
    if let Some(d) = catalog.domain(name) {
        return Some(d.name.clone());
    }
    catalog.enum_labels(name)?;
    catalog
        .pg_objects
        .get(&rules::pg_object_key("enum", name))
        .cloned()
}

/// The statement names `kind` `requested`, and the model has only `known`,
/// the same name in another case (`requested` was not carried over): report
/// that `what` is not carried over either. True when so.
fn shadowed(cx: &mut Cx, kind: &str, requested: &str, known: &str, what: &str) -> bool {
    if clash(requested, known) {
        identifier_case::report_reference(cx, kind, requested, known, what);
        true
    } else {
        false
    }
}

/// The first of `names` that `t` has only in another case, with the name
/// `t` has.
fn shadowed_column<'a>(
    t: &Table,
    names: impl IntoIterator<Item = &'a str>,
) -> Option<(String, String)> {
    names.into_iter().find_map(|n| {
        t.columns
            .same_to_tidb(n)
            .filter(|c| clash(n, &c.name))
            .map(|c| (n.to_string(), c.name.clone()))
    })
}

/// A new index, foreign key or check (`kind`) of `t` whose name TiDB takes
/// for one `t` has: reported, and true.
fn name_taken(cx: &mut Cx, t: &Table, kind: &str, name: &str, loc: Loc) -> bool {
    let existing = match kind {
        "index" => t.indexes.same_to_tidb(name).map(|i| i.name.clone()),
        "foreign key" => t.foreign_keys.same_to_tidb(name).map(|f| f.name.clone()),
        _ => t.checks.same_to_tidb(name).map(|c| c.name.clone()),
    };
    match existing.filter(|n| clash(name, n)) {
        Some(existing) => {
            let scope = format!(" of table `{}`", t.name);
            identifier_case::report_clash(cx, loc, kind, name, &existing, &scope);
            true
        }
        None => false,
    }
}

fn object_last(name: &ObjectName) -> String {
    expr::last_name(name)
}

/// Resolve a (possibly schema-qualified) name per the schema policy.
pub fn table_name(cx: &mut Cx, name: &ObjectName) -> String {
    schema_name::resolve(cx, name)
}

fn ident_loc(i: &sqlparser::ast::Ident, fallback: Loc) -> Loc {
    if i.span.start.line == 0 {
        fallback
    } else {
        Loc {
            line: i.span.start.line as u32,
            col: i.span.start.column as u32,
        }
    }
}

fn expr_loc(e: &Expr, fallback: Loc) -> Loc {
    let s = e.span().start;
    if s.line == 0 {
        fallback
    } else {
        Loc {
            line: s.line as u32,
            col: s.column as u32,
        }
    }
}

/// Build the draft of a column from its PostgreSQL definition.
fn column_draft<'a>(
    cx: &mut Cx,
    table: &str,
    def: &'a ColumnDef,
    mode: ColumnMode,
) -> ColumnDraft<'a> {
    let name = fold_ident(&def.name.value, def.name.quote_style);
    let loc = ident_loc(&def.name, cx.loc);
    rules::identifier_length::check(cx, &def.name.value, loc);
    let mut pg = types::normalize(&def.data_type);
    let mut nullable = true;
    let mut pg_default = None;
    let mut domain_checks = vec![];
    // A type whose name differs only in case from the one the model has
    // was not carried over (the model cannot hold both).
    let mut shadowed_type = false;
    if let Some(known) = type_name(cx.catalog, &pg.name).filter(|_| pg.array == 0) {
        let what = format!(
            "column {}",
            fold_ident(&def.name.value, def.name.quote_style)
        );
        shadowed_type = shadowed(cx, "type", &pg.name, &known, &what);
    }
    if pg.array == 0 && !shadowed_type {
        if let Some(d) = cx.catalog.domain(&pg.name) {
            pg = types::normalize(&d.base);
            nullable = !d.not_null;
            pg_default = d.default.clone();
            domain_checks = d.checks.clone();
        }
    }
    let mut pg_enum = None;
    let mapped = match cx.catalog.enum_labels(&pg.name) {
        Some(labels) if pg.array == 0 && !shadowed_type => {
            pg_enum = Some(pg.name.clone());
            Mapped::Ok {
                ty: TiType::Enum(labels.clone()),
                loss: None,
                collation: None,
            }
        }
        // Left out (reported above): no rule need look at its type.
        _ if shadowed_type => Mapped::Ok {
            ty: TiType::LongText,
            loss: None,
            collation: None,
        },
        _ => types::map(&pg, cx.target, cx.types),
    };
    let (ty, collation) = match &mapped {
        Mapped::Ok { ty, collation, .. } => (ty.clone(), collation.map(str::to_string)),
        Mapped::Unsupported => (TiType::LongText, None),
    };
    let mut col = Column::new(name, ty);
    col.collation = collation;
    col.pg_enum = pg_enum;
    let mut identity = None;
    let mut generated_failed = false;
    for opt in &def.options {
        match &opt.option {
            ColumnOption::NotNull => nullable = false,
            ColumnOption::Null => nullable = true,
            ColumnOption::PrimaryKey(_) => nullable = false,
            ColumnOption::Default(e) => pg_default = Some(e.clone()),
            ColumnOption::Generated {
                generated_as,
                sequence_options,
                generation_expr,
                generation_expr_mode,
                ..
            } => match generation_expr {
                None => {
                    identity = Some(identity_start(sequence_options.as_deref()));
                    nullable = false;
                }
                Some(e) => match to_tidb(e) {
                    Ok(sql) => {
                        let stored = !matches!(
                            generation_expr_mode,
                            Some(sqlparser::ast::GeneratedExpressionMode::Virtual)
                        );
                        col.generated = Some((sql, stored));
                        if *generated_as == GeneratedAs::ExpStored {
                            col.generated.as_mut().unwrap().1 = true;
                        }
                    }
                    Err(why) => {
                        let l = expr_loc(e, loc);
                        unsupported_expression::report(
                            cx,
                            l,
                            &format!("generated column {}: {why}", col.name),
                        );
                        generated_failed = true;
                    }
                },
            },
            ColumnOption::Collation(c) => {
                let c = object_last(c);
                // Byte-order collations are what utf8mb4_bin already does.
                if matches!(
                    c.to_ascii_lowercase().as_str(),
                    "c" | "posix" | "default" | "ucs_basic" | "c.utf8" | "c.utf-8"
                ) {
                    col.collation = None;
                } else {
                    rules::lossy_type::report_collation(cx, loc, &col.name, &c);
                }
            }
            _ => {}
        }
    }
    col.nullable = nullable;
    let mut draft = ColumnDraft {
        table: table.to_string(),
        def,
        loc,
        mode,
        pg,
        mapped,
        pg_default,
        identity,
        col,
        dropped: generated_failed || shadowed_type,
        needs_key: false,
        deferred_default: None,
        auto_increment_start: None,
        domain_checks: vec![],
        in_key: false,
    };
    for e in domain_checks {
        match to_tidb(&e) {
            Ok(sql) => draft
                .domain_checks
                .push(sql.replace("`value`", &ident(&draft.col.name))),
            Err(why) => unsupported_expression::report(cx, loc, &format!("domain CHECK: {why}")),
        }
    }
    draft
}

/// PostgreSQL's generated constraint names (`makeObjectName`): table, columns
/// and label joined by `_`, shortening the longer of table and columns until
/// the name fits 63 bytes, so the label survives.
fn default_constraint_name(table: &str, cols: &[String], suffix: &str) -> String {
    let mut name1: Vec<char> = table.chars().collect();
    let mut name2: Vec<char> = cols.join("_").chars().collect();
    let overhead = suffix.len() + 1 + usize::from(!name2.is_empty());
    let len = |v: &Vec<char>| v.iter().collect::<String>().len();
    while len(&name1) + len(&name2) + overhead > types::PG_MAX_IDENT_BYTES {
        if len(&name1) > len(&name2) {
            name1.pop();
        } else {
            name2.pop();
        }
    }
    let name1: String = name1.into_iter().collect();
    let name2: String = name2.into_iter().collect();
    if name2.is_empty() {
        format!("{name1}_{suffix}")
    } else {
        format!("{name1}_{name2}_{suffix}")
    }
}

/// ON DELETE/UPDATE actions; SET DEFAULT is written as what TiDB does with it, RESTRICT (fk-set-default).
fn referential_action(a: &Option<sqlparser::ast::ReferentialAction>) -> Option<String> {
    a.as_ref().map(|a| match a {
        sqlparser::ast::ReferentialAction::SetDefault => "RESTRICT".to_string(),
        other => other.to_string().to_uppercase(),
    })
}

fn idents(list: &[sqlparser::ast::Ident]) -> Vec<String> {
    list.iter()
        .map(|i| fold_ident(&i.value, i.quote_style))
        .collect()
}

fn index_column_names(cols: &[sqlparser::ast::IndexColumn]) -> Option<Vec<String>> {
    cols.iter()
        .map(|c| match &c.column.expr {
            Expr::Identifier(i) => Some(fold_ident(&i.value, i.quote_style)),
            _ => None,
        })
        .collect()
}

/// A FOREIGN KEY constraint → model (resolving an omitted column list to the PK).
fn foreign_key_from(
    cx: &mut Cx,
    table: &str,
    fk: &sqlparser::ast::ForeignKeyConstraint,
    columns: Vec<String>,
    current: Option<&Table>,
) -> Option<ForeignKey> {
    let ref_table = table_name(cx, &fk.foreign_table);
    let mut ref_columns = idents(&fk.referred_columns);
    // The referenced table and columns by their exact names: one that differs
    // only in case is another object, which was not carried over.
    // (Another table's are checked where its types are read, in
    // fk_type_mismatch::align, so that it is not read twice.)
    let what = format!("the foreign key of `{table}` that references it");
    let same = ref_table == table;
    if !same && shadowed(cx, "table", &ref_table, table, &what) {
        return None;
    }
    if let Some((n, k)) = current
        .filter(|_| same)
        .and_then(|t| shadowed_column(t, ref_columns.iter().map(String::as_str)))
    {
        let (requested, known) = (format!("{ref_table}.{n}"), format!("{ref_table}.{k}"));
        shadowed(cx, "column", &requested, &known, &what);
        return None;
    }
    if ref_columns.is_empty() {
        let target = if same {
            current.map(std::borrow::Cow::Borrowed)
        } else {
            cx.catalog.table(&ref_table)
        };
        let known = target.as_ref().map(|t| t.name.clone());
        if known.is_some_and(|k| shadowed(cx, "table", &ref_table, &k, &what)) {
            return None;
        }
        match target.as_deref().and_then(|t| t.primary_key.as_ref()) {
            Some(pk) => {
                ref_columns = pk
                    .parts
                    .iter()
                    .filter_map(|p| p.column_name().map(str::to_string))
                    .collect()
            }
            None => {
                unknown_object::report_table(
                    cx,
                    &ref_table,
                    "its primary key is needed for REFERENCES without columns",
                );
                return None;
            }
        }
    }
    let name = fk
        .name
        .as_ref()
        .map(|n| fold_ident(&n.value, n.quote_style))
        .unwrap_or_else(|| default_constraint_name(table, &columns, "fkey"));
    Some(ForeignKey {
        name,
        columns,
        ref_table,
        ref_columns,
        on_delete: referential_action(&fk.on_delete),
        on_update: referential_action(&fk.on_update),
    })
}

fn check_from(
    cx: &mut Cx,
    table: &str,
    name: Option<&sqlparser::ast::Ident>,
    e: &Expr,
    cols: &[String],
    taken: &crate::model::Named<Check>,
) -> Option<Check> {
    match to_tidb(e) {
        Ok(sql) => {
            // PostgreSQL names an unnamed CHECK `<table>_<column>_check` when it
            // uses one column, `<table>_check` otherwise, numbering duplicates.
            let mut used: Vec<String> = sql
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect();
            used.sort();
            used.dedup();
            let single = if used.len() == 1 { used } else { vec![] };
            let cols = if cols.is_empty() { &single[..] } else { cols };
            let name = match name {
                Some(n) => fold_ident(&n.value, n.quote_style),
                None => {
                    let base = default_constraint_name(table, cols, "check");
                    let mut n = base.clone();
                    let mut i = 1;
                    while taken.get(&n).is_some() {
                        n = format!("{base}{i}");
                        i += 1;
                    }
                    n
                }
            };
            rules::check_constraint::note(cx, expr_loc(e, cx.loc));
            Some(Check { name, expr: sql })
        }
        Err(why) => {
            let l = expr_loc(e, cx.loc);
            let what = match name {
                Some(n) => format!("CHECK {} on {table}", fold_ident(&n.value, n.quote_style)),
                None => format!("CHECK constraint on {table}"),
            };
            unsupported_expression::report(cx, l, &format!("{what} dropped: {why}"));
            None
        }
    }
}

/// Build, check and return an index draft for a UNIQUE constraint or CREATE INDEX.
fn index_draft(
    name: String,
    unique: bool,
    method: Option<String>,
    columns: &[sqlparser::ast::IndexColumn],
    loc: Loc,
) -> IndexDraft {
    let mut keys = Vec::new();
    let mut dropped = false;
    for c in columns {
        let OrderByExpr {
            expr: e, options, ..
        } = &c.column;
        let desc = matches!(options.sort, Some(sqlparser::ast::OrderBySort::Desc));
        let opclass = c.operator_class.as_ref().map(object_last);
        let part = match e {
            Expr::Identifier(i) => KeyDraft {
                part: KeyPart::col(fold_ident(&i.value, i.quote_style)),
                pg_expr: None,
                opclass,
                desc,
            },
            other => match to_tidb(other) {
                Ok(sql) => KeyDraft {
                    part: KeyPart::Expr(sql),
                    pg_expr: Some(other.clone()),
                    opclass,
                    desc,
                },
                Err(why) => {
                    // The index-method/expression rules decide; keep the PG expression.
                    KeyDraft {
                        part: KeyPart::Expr(format!("/* {why} */")),
                        pg_expr: Some(other.clone()),
                        opclass,
                        desc,
                    }
                }
            },
        };
        keys.push(part);
    }
    if keys.is_empty() {
        dropped = true;
    }
    IndexDraft {
        name,
        unique,
        method,
        keys,
        predicate: None,
        include: vec![],
        nulls_not_distinct: false,
        vector: false,
        dropped,
        loc,
    }
}

fn create_table(cx: &mut Cx, ct: &CreateTable) {
    let name = table_name(cx, &ct.name);
    let loc = ct
        .name
        .0
        .last()
        .and_then(|p| p.as_ident())
        .map(|i| ident_loc(i, cx.loc))
        .unwrap_or(cx.loc);
    if let Some(i) = ct.name.0.last().and_then(|p| p.as_ident()) {
        rules::identifier_length::check(cx, &i.value, loc);
    }
    if let Some(parent) = &ct.partition_of {
        let parent = table_name(cx, parent);
        rules::partition::report_partition_of(cx, &name, &parent);
        cx.catalog_updates.push(CatalogUpdate::Partition {
            child: name,
            parent,
        });
        return;
    }
    if ct.query.is_some() || ct.like.is_some() {
        unsupported_statement::report_create_table_form(cx, ct);
        return;
    }
    if let Some(existing) = namespace_clash(cx.catalog, &name) {
        identifier_case::report_clash(cx, loc, "table", &name, &existing, "");
        return;
    }
    let mut t = Table {
        name: name.clone(),
        if_not_exists: ct.if_not_exists,
        temporary: ct.temporary,
        schema: schema_name::schema_of(&ct.name),
        ..Table::default()
    };
    if let Some(by) = &ct.partition_by {
        rules::partition::report_partitioned(cx, &name, &by.to_string());
    }
    // INHERITS: the parents' columns come first, as PostgreSQL stores them.
    for p in ct.inherits.iter().flatten() {
        let parent = table_name(cx, p);
        match cx.catalog.table(&parent) {
            Some(pt) => {
                t.columns.extend(pt.columns.iter().cloned().map(|mut c| {
                    c.auto_increment = false;
                    c
                }));
                t.checks.extend(pt.checks.iter().map(|k| Check {
                    name: default_constraint_name(&name, &[], &k.name),
                    expr: k.expr.clone(),
                }));
                let ai = pt.auto_increment_columns();
                rules::partition::report_inherits(cx, &name, &parent, &ai);
            }
            None => {
                unknown_object::report_table(cx, &parent, "INHERITS needs the parent's columns");
                return;
            }
        }
    }
    let mut pending_keys: Vec<String> = vec![];
    let key_columns = key_columns_of(ct);
    for def in &ct.columns {
        let mut d = column_draft(cx, &name, def, ColumnMode::Create);
        d.in_key = key_columns.contains(&d.col.name.to_lowercase());
        rules::run_column(cx, &mut d);
        if d.dropped {
            continue;
        }
        if let Some(c) = t
            .columns
            .same_to_tidb(&d.col.name)
            .filter(|c| clash(&d.col.name, &c.name))
        {
            let scope = format!(" of table `{name}`");
            identifier_case::report_clash(cx, d.loc, "column", &d.col.name, &c.name, &scope);
            continue;
        }
        let col_name = d.col.name.clone();
        if d.needs_key {
            pending_keys.push(col_name.clone());
        }
        if d.auto_increment_start.is_some() {
            t.auto_increment_start = d.auto_increment_start;
        }
        for (i, ck) in d.domain_checks.iter().enumerate() {
            let suffix = if i == 0 {
                "check".to_string()
            } else {
                format!("check{i}")
            };
            t.checks.push(Check {
                name: default_constraint_name(&name, std::slice::from_ref(&col_name), &suffix),
                expr: ck.clone(),
            });
        }
        // Inline constraints become table-level ones (TiDB ignores inline REFERENCES).
        for opt in &def.options {
            let cname = opt
                .name
                .as_ref()
                .map(|n| fold_ident(&n.value, n.quote_style));
            match &opt.option {
                ColumnOption::PrimaryKey(_) => {
                    t.primary_key = Some(PrimaryKey {
                        name: cname,
                        parts: vec![KeyPart::col(&col_name)],
                        clustered: true,
                    })
                }
                ColumnOption::Unique(u) => {
                    let iname = cname.unwrap_or_else(|| {
                        default_constraint_name(&name, std::slice::from_ref(&col_name), "key")
                    });
                    let mut ix = IndexDraft {
                        name: iname,
                        unique: true,
                        method: None,
                        keys: vec![KeyDraft {
                            part: KeyPart::col(&col_name),
                            pg_expr: None,
                            opclass: None,
                            desc: false,
                        }],
                        predicate: None,
                        include: vec![],
                        nulls_not_distinct: u.nulls_distinct
                            == sqlparser::ast::NullsDistinctOption::NotDistinct,
                        vector: false,
                        dropped: false,
                        loc: d.loc,
                    };
                    pending_index(cx, &mut t, &mut ix, Some(&d.col));
                }
                ColumnOption::ForeignKey(fk) => {
                    let c = TableConstraint::ForeignKey(fk.clone());
                    if rules::run_constraint(
                        cx,
                        &ConstraintDraft {
                            table: &name,
                            constraint: &c,
                            loc: d.loc,
                            in_alter: false,
                        },
                    ) == ConstraintVerdict::Keep
                    {
                        if let Some(mut f) =
                            foreign_key_from(cx, &name, fk, vec![col_name.clone()], Some(&t))
                        {
                            if let Some(n) = &cname {
                                f.name = n.clone();
                            }
                            if !name_taken(cx, &t, "foreign key", &f.name, d.loc) {
                                t.foreign_keys.push(f);
                            }
                        }
                    }
                }
                ColumnOption::Check(ck) => {
                    let n = cname
                        .as_ref()
                        .map(|n| sqlparser::ast::Ident::new(n.clone()));
                    if let Some(c) = check_from(
                        cx,
                        &name,
                        n.as_ref().or(ck.name.as_ref()),
                        &ck.expr,
                        std::slice::from_ref(&col_name),
                        &t.checks,
                    ) {
                        if !name_taken(cx, &t, "check", &c.name, d.loc) {
                            t.checks.push(c);
                        }
                    }
                }
                _ => {}
            }
        }
        t.columns.push(d.col);
    }
    for c in &ct.constraints {
        table_constraint(cx, &mut t, c, false);
    }
    // PostgreSQL makes primary-key columns NOT NULL.
    if let Some(pk) = &t.primary_key {
        let cols: Vec<String> = pk
            .parts
            .iter()
            .filter_map(|p| p.column_name().map(str::to_string))
            .collect();
        for c in cols {
            if let Some(col) = t.column_mut(&c) {
                col.nullable = false;
            }
        }
    }
    // Like PostgreSQL, one index for UNIQUE constraints that repeat the
    // primary key or an earlier UNIQUE of the same CREATE TABLE.
    let mut seen: std::collections::HashSet<Vec<KeyPart>> =
        t.primary_key.iter().map(|pk| pk.parts.clone()).collect();
    t.indexes
        .retain(|ix| ix.kind != IndexKind::Unique || seen.insert(ix.parts.clone()));
    serial::one_auto_increment(cx, &mut t);
    serial::auto_random(cx, &mut t);
    let fks = std::mem::take(&mut t.foreign_keys);
    let mut realign = false;
    for mut fk in fks {
        rules::fk_set_default::set_null_on_not_null(cx, &t, &mut fk);
        match rules::fk_type_mismatch::align(cx, &mut t, &fk) {
            Ok(changed) => {
                realign |= !changed.is_empty();
                t.foreign_keys.push(fk);
            }
            // Reported already (the parent is named only in another case).
            Err(msg) if msg.is_empty() => {}
            Err(msg) => unsupported_statement::report_text(cx, &msg),
        }
    }
    if realign {
        // Column lengths changed: keys sized before must fit again.
        let view = t.clone();
        for ix in &mut t.indexes {
            rules::index_key_length::refit_quietly(&view, &mut ix.parts);
        }
        if let Some(pk) = &mut t.primary_key {
            rules::index_key_length::refit_quietly(&view, &mut pk.parts);
        }
    }
    for c in pending_keys {
        if !t.column(&c).is_some_and(|x| x.auto_increment) {
            continue;
        }
        if !t.column_leads_a_key(&c) {
            let ix = Index {
                name: format!("{c}_ai_key"),
                kind: IndexKind::Plain,
                parts: vec![KeyPart::col(&c)],
            };
            serial::report_added_key(cx, &c);
            t.indexes.push(ix);
        }
    }
    rules::run_table(cx, &mut t);
    cx.output.push(emit::create_table(&t));
    cx.catalog_updates.push(CatalogUpdate::Table(Box::new(t)));
}

/// Lower-case names of the columns in a primary, unique or foreign key of a CREATE TABLE.
fn key_columns_of(ct: &CreateTable) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    let mut add = |i: &sqlparser::ast::Ident| {
        set.insert(fold_ident(&i.value, i.quote_style).to_lowercase());
    };
    for c in &ct.columns {
        if c.options.iter().any(|o| {
            matches!(
                o.option,
                ColumnOption::PrimaryKey(_) | ColumnOption::Unique(_) | ColumnOption::ForeignKey(_)
            )
        }) {
            add(&c.name);
        }
    }
    for tc in &ct.constraints {
        let cols: Vec<&sqlparser::ast::IndexColumn> = match tc {
            TableConstraint::PrimaryKey(pk) => pk.columns.iter().collect(),
            TableConstraint::Unique(u) => u.columns.iter().collect(),
            TableConstraint::ForeignKey(fk) => {
                fk.columns.iter().for_each(&mut add);
                vec![]
            }
            _ => vec![],
        };
        for ic in cols {
            if let Expr::Identifier(i) = &ic.column.expr {
                add(i);
            }
        }
    }
    set
}

fn pending_index(cx: &mut Cx, t: &mut Table, ix: &mut IndexDraft, extra_col: Option<&Column>) {
    // The column may not be in `t` yet (inline UNIQUE): check against a view that has it.
    let view;
    let table_view = match extra_col {
        Some(c) if t.column(&c.name).is_none() => {
            let mut tv = t.clone();
            tv.columns.push(c.clone());
            view = tv;
            &view
        }
        _ => &*t,
    };
    rules::run_index(cx, Some(table_view), ix);
    if !ix.dropped && !name_taken(cx, t, "index", &ix.name, ix.loc) {
        t.indexes.push(ix.to_index());
    }
}

/// A table-level constraint in CREATE TABLE or ALTER TABLE ADD CONSTRAINT.
/// Returns the clause to ADD in ALTER mode.
fn table_constraint(
    cx: &mut Cx,
    t: &mut Table,
    c: &TableConstraint,
    in_alter: bool,
) -> Option<String> {
    let loc = cx.loc;
    let cols: Vec<String> = match c {
        TableConstraint::PrimaryKey(pk) => index_column_names(&pk.columns).unwrap_or_default(),
        TableConstraint::Unique(u) => index_column_names(&u.columns).unwrap_or_default(),
        TableConstraint::ForeignKey(fk) => idents(&fk.columns),
        _ => vec![],
    };
    if let Some((n, known)) = shadowed_column(t, cols.iter().map(String::as_str)) {
        let what = format!("this constraint of `{}`", t.name);
        shadowed(cx, "column", &n, &known, &what);
        return None;
    }
    if in_alter {
        for col in rules::text_key::fix_columns(cx, t, &cols) {
            cx.output.push(emit::modify_column(&t.name, &col));
        }
    }
    let draft = ConstraintDraft {
        table: &t.name.clone(),
        constraint: c,
        loc,
        in_alter,
    };
    if rules::run_constraint(cx, &draft) == ConstraintVerdict::Drop {
        return None;
    }
    match c {
        TableConstraint::PrimaryKey(pk) => {
            let Some(cols) = index_column_names(&pk.columns) else {
                unsupported_statement::report_text(
                    cx,
                    &format!(
                        "primary key of {} on an expression: keys are on columns",
                        t.name
                    ),
                );
                return None;
            };
            if in_alter && t.primary_key.is_some() {
                unsupported_statement::report_text(
                    cx,
                    &format!("{} already has a primary key that TiDB cannot drop (a clustered key), so a new one cannot be added", t.name),
                );
                return None;
            }
            let key = PrimaryKey {
                name: pk
                    .name
                    .as_ref()
                    .map(|n| fold_ident(&n.value, n.quote_style)),
                parts: cols.iter().map(KeyPart::col).collect(),
                clustered: !in_alter || cx.fold,
            };
            for c in &cols {
                if let Some(col) = t.column_mut(c) {
                    col.nullable = false;
                }
            }
            let clause = format!("ADD {}", emit::primary_key(&key));
            t.primary_key = Some(key);
            Some(clause)
        }
        TableConstraint::Unique(u) => {
            let cols = index_column_names(&u.columns).unwrap_or_default();
            let name = u
                .name
                .as_ref()
                .map(|n| fold_ident(&n.value, n.quote_style))
                .unwrap_or_else(|| default_constraint_name(&t.name, &cols, "key"));
            if name_taken(cx, t, "index", &name, loc) {
                return None;
            }
            let mut ix = index_draft(name, true, None, &u.columns, loc);
            ix.nulls_not_distinct =
                u.nulls_distinct == sqlparser::ast::NullsDistinctOption::NotDistinct;
            rules::run_index(cx, Some(t), &mut ix);
            if ix.dropped {
                return None;
            }
            let index = ix.to_index();
            let clause = format!("ADD {}", emit::index_element(&index));
            t.indexes.push(index);
            Some(clause)
        }
        TableConstraint::ForeignKey(fk) => {
            let cols = idents(&fk.columns);
            let table_copy = t.clone();
            let mut f = foreign_key_from(cx, &t.name, fk, cols, Some(&table_copy))?;
            if name_taken(cx, t, "foreign key", &f.name, loc) {
                return None;
            }
            if in_alter {
                rules::fk_set_default::set_null_on_not_null(cx, t, &mut f);
            }
            // In CREATE TABLE the types are aligned once all columns are known.
            if in_alter {
                match rules::fk_type_mismatch::align(cx, t, &f) {
                    Ok(changed) => {
                        for c in changed {
                            cx.output.push(emit::modify_column(&t.name, &c));
                        }
                    }
                    Err(msg) => {
                        if !msg.is_empty() {
                            unsupported_statement::report_text(cx, &msg);
                        }
                        return None;
                    }
                }
            }
            let clause = format!("ADD {}", emit::foreign_key(&f));
            t.foreign_keys.push(f);
            Some(clause)
        }
        TableConstraint::Check(ck) => {
            let c = check_from(cx, &t.name, ck.name.as_ref(), &ck.expr, &[], &t.checks)?;
            if let Some((n, known)) =
                shadowed_column(t, backquoted(&c.expr).iter().map(String::as_str))
            {
                let what = format!("CHECK {} of `{}`", c.name, t.name);
                shadowed(cx, "column", &n, &known, &what);
                return None;
            }
            if name_taken(cx, t, "check", &c.name, loc) {
                return None;
            }
            let clause = format!("ADD {}", emit::check(&c));
            t.checks.push(c);
            if in_alter && rules::check_auto_increment::filter_last(cx, t) {
                return None;
            }
            Some(clause)
        }
        other => {
            unsupported_statement::report_constraint(cx, other);
            None
        }
    }
}

/// Views whose query translates are created as TiDB views (read-only there).
fn create_view(cx: &mut Cx, v: &sqlparser::ast::CreateView) {
    let name = table_name(cx, &v.name);
    if let Some(existing) = namespace_clash(cx.catalog, &name) {
        identifier_case::report_clash(cx, cx.loc, "view", &name, &existing, "");
        return;
    }
    match crate::query::to_tidb_query(&v.query) {
        Ok(body) => {
            // The tables and views it selects from, by their exact names.
            for used in selected_from(&body) {
                let known = cx
                    .catalog
                    .table(&used)
                    .map(|t| t.name.clone())
                    .or_else(|| cx.catalog.view_name(&used).cloned());
                if known.is_some_and(|k| shadowed(cx, "table", &used, &k, &format!("view {name}")))
                {
                    return;
                }
            }
            let cols = if v.columns.is_empty() {
                String::new()
            } else {
                let c: Vec<String> = v.columns.iter().map(|c| expr::ident_sql(&c.name)).collect();
                format!(" ({})", c.join(", "))
            };
            if !matches!(v.options, sqlparser::ast::CreateTableOptions::None) {
                rules::pg_only_statement::report_view_options(cx, &name);
            }
            let sql = format!(
                "CREATE {}VIEW {}{cols} AS {body}",
                if v.or_replace { "OR REPLACE " } else { "" },
                ident(&name)
            );
            cx.catalog_updates.push(CatalogUpdate::View {
                name: name.clone(),
                sql: sql.clone(),
            });
            cx.catalog_updates.push(CatalogUpdate::FlattenedFrom {
                key: rules::pg_object_key("view", &name),
                schema: schema_name::schema_of(&v.name),
            });
            cx.output.push(sql);
        }
        Err(why) => unsupported_statement::report_text(cx, &format!("view {name}: {why}")),
    }
}

/// The names after `FROM` and `JOIN` in TiDB SQL (a view's tables and views).
fn selected_from(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    for kw in ["FROM `", "JOIN `"] {
        for (i, _) in sql.match_indices(kw) {
            // `` `a``b` ``: a doubled backquote is part of the name.
            let mut name = String::new();
            let mut chars = sql[i + kw.len()..].chars().peekable();
            while let Some(c) = chars.next() {
                if c == '`' {
                    if chars.peek() == Some(&'`') {
                        chars.next();
                    } else {
                        break;
                    }
                }
                name.push(c);
            }
            out.push(name);
        }
    }
    out
}

fn create_index(cx: &mut Cx, ci: &CreateIndex) {
    let table = table_name(cx, &ci.table_name);
    if let Some(parent) = cx.catalog.partitions.get(&table.to_lowercase()).cloned() {
        rules::partition::report_on_partition(cx, &table, &parent);
        return;
    }
    let loc = cx.loc;
    let name = match &ci.name {
        Some(n) => object_last(n),
        None => {
            let cols = index_column_names(&ci.columns).unwrap_or_else(|| vec!["expr".into()]);
            default_constraint_name(&table, &cols, "idx")
        }
    };
    if let Some(i) = ci
        .name
        .as_ref()
        .and_then(|n| n.0.last())
        .and_then(|p| p.as_ident())
    {
        rules::identifier_length::check(cx, &i.value, loc);
    }
    let method = ci.using.as_ref().map(|m| m.to_string().to_lowercase());
    let mut ix = index_draft(name, ci.unique, method, &ci.columns, loc);
    ix.predicate = ci.predicate.clone();
    ix.include = idents(&ci.include);
    ix.nulls_not_distinct = ci.nulls_distinct == Some(false);
    let Some(known) = cx.catalog.table_copy(&table) else {
        unknown_object::report_table(cx, &table, "CREATE INDEX needs the table (to check key length and column types, and because TiDB would refuse it)");
        return;
    };
    if shadowed(
        cx,
        "table",
        &table,
        &known.name,
        &format!("index {}", ix.name),
    ) {
        return;
    }
    let key_columns = ix.keys.iter().filter_map(|k| k.part.column_name());
    if let Some((n, k)) = shadowed_column(&known, key_columns) {
        shadowed(cx, "column", &n, &k, &format!("index {}", ix.name));
        return;
    }
    if name_taken(cx, &known, "index", &ix.name, loc) {
        return;
    }
    let known = Some(known);
    rules::run_index(cx, known.as_ref(), &mut ix);
    if ix.dropped {
        return;
    }
    let index = ix.to_index();
    cx.output
        .push(emit::create_index(&table, &index, ci.if_not_exists));
    if let Some(mut t) = known {
        t.indexes.remove(&index.name);
        t.indexes.push(index);
        cx.catalog_updates.push(CatalogUpdate::Table(Box::new(t)));
    }
}

/// The table that has index `name`, exactly (PostgreSQL index names are
/// schema-wide and case-sensitive; TiDB's belong to a table). `Err` with the
/// name the model has when it has the index only in another case.
fn index_table(cx: &Cx, name: &str) -> Result<Option<Table>, String> {
    let Some(t) = cx.catalog.table_of_index(name) else {
        return Ok(None);
    };
    if t.indexes.get(name).is_some_and(|i| i.name == name) {
        return Ok(Some(t.into_owned()));
    }
    let known = t.index(name).map(|i| i.name.clone()).unwrap_or_default();
    // Another table may have it exactly: the lookup aid keeps one table per
    // name in any case, so look through them (only in this rare case).
    cx.catalog
        .tables()
        .find(|t| t.indexes.iter().any(|i| i.name == name))
        .map(|t| Some(t.into_owned()))
        .ok_or(known)
}

fn rename_index(t: &mut Table, old: &str, new: &str) {
    t.indexes.rename(old, new);
}

fn sequence_from(name: String, opts: &[SequenceOptions]) -> Sequence {
    let num = |e: &Expr| expr::literal(e).and_then(|s| s.parse::<i64>().ok());
    let mut s = Sequence {
        name,
        ..Sequence::default()
    };
    for o in opts {
        match o {
            SequenceOptions::StartWith(e, _) => s.start = num(e),
            SequenceOptions::IncrementBy(e, _) => s.increment = num(e),
            SequenceOptions::MinValue(Some(e)) => s.min = num(e),
            SequenceOptions::MaxValue(Some(e)) => s.max = num(e),
            SequenceOptions::Cache(e) => s.cache = num(e),
            SequenceOptions::Cycle(c) => s.cycle = *c,
            _ => {}
        }
    }
    s
}

fn alter_table_op(cx: &mut Cx, table: &str, if_exists: bool, op: &AlterTableOperation) {
    if let Some(parent) = cx.catalog.partitions.get(&table.to_lowercase()).cloned() {
        rules::partition::report_on_partition(cx, table, &parent);
        return;
    }
    match op {
        AlterTableOperation::AttachPartition { partition } => {
            let child = match partition {
                sqlparser::ast::Partition::Expr(e) => to_tidb(e)
                    .unwrap_or_else(|_| e.to_string())
                    .replace('`', ""),
                other => other.to_string(),
            };
            rules::partition::report_attach(cx, table, &child);
            return;
        }
        AlterTableOperation::AttachPartitionOf { partition, .. } => {
            let child = table_name(cx, partition);
            rules::partition::report_attach(cx, table, &child);
            return;
        }
        _ => {}
    }
    // Operations that need no table knowledge.
    if rules::pg_only_statement::drop_alter_op(cx, op) {
        return;
    }
    if let AlterTableOperation::RenameTable { table_name } = op {
        let new = match table_name {
            sqlparser::ast::RenameTableNameKind::To(n)
            | sqlparser::ast::RenameTableNameKind::As(n) => object_last(n),
        };
        let known = cx.catalog.table(table).map(|t| t.name.clone());
        if known.is_some_and(|k| shadowed(cx, "table", table, &k, "its RENAME")) {
            return;
        }
        // Another table (not this one in another case) with the new name.
        if let Some(existing) =
            namespace_clash(cx.catalog, &new).filter(|e| !e.eq_ignore_ascii_case(table))
        {
            identifier_case::report_clash(cx, cx.loc, "table", &new, &existing, "");
            return;
        }
        cx.output
            .push(format!("RENAME TABLE {} TO {}", ident(table), ident(&new)));
        if let Some(t) = cx.catalog.table_copy(table) {
            let mut t = t;
            cx.catalog_updates
                .push(CatalogUpdate::RemoveTable(t.name.clone()));
            t.name = new.clone();
            // Foreign keys follow the rename: the table's own, and those of
            // the tables that reference it.
            let follow = |t: &mut Table| {
                for f in &mut t.foreign_keys {
                    if f.ref_table.eq_ignore_ascii_case(table) {
                        f.ref_table = new.clone();
                    }
                }
            };
            follow(&mut t);
            cx.catalog_updates.push(CatalogUpdate::Table(Box::new(t)));
            let others: Vec<Table> = cx
                .catalog
                .referencing(table)
                .filter(|o| !o.name.eq_ignore_ascii_case(table))
                .map(std::borrow::Cow::into_owned)
                .collect();
            for mut o in others {
                follow(&mut o);
                cx.catalog_updates.push(CatalogUpdate::Table(Box::new(o)));
            }
            // So do its triggers (the RemoveTable above forgets them).
            let prefix = rules::pg_object_key("trigger", &format!("{table}."));
            let moved: Vec<CatalogUpdate> = cx
                .catalog
                .pg_objects
                .range(prefix.clone()..)
                .take_while(|(k, _)| k.starts_with(&prefix))
                .map(|(k, detail)| CatalogUpdate::PgObject {
                    key: rules::if_exists_noop::trigger_key(&new, &k[prefix.len()..]),
                    detail: detail.clone(),
                })
                .collect();
            cx.catalog_updates.extend(moved);
        }
        return;
    }
    let Some(mut t) = cx.catalog.table_copy(table) else {
        if if_exists {
            rules::if_exists_noop::report_absent(cx, &format!("table `{table}`"));
        } else {
            unknown_object::report_table(
                cx,
                table,
                "ALTER TABLE needs the table's current definition",
            );
        }
        return;
    };
    if shadowed(cx, "table", table, &t.name.clone(), "ALTER TABLE") {
        return;
    }
    // Several ALTERs in one statement touch `t` in turn: read the latest copy.
    if let Some(CatalogUpdate::Table(latest)) = cx
        .catalog_updates
        .iter()
        .rev()
        .find(|u| matches!(u, CatalogUpdate::Table(x) if x.name.eq_ignore_ascii_case(table)))
    {
        t = (**latest).clone();
    }
    let before = t.clone();
    match op {
        AlterTableOperation::AddColumn {
            if_not_exists,
            column_def,
            ..
        } => add_column(cx, &mut t, *if_not_exists, column_def),
        AlterTableOperation::DropColumn {
            column_names,
            if_exists,
            ..
        } => {
            for c in column_names {
                let c = fold_ident(&c.value, c.quote_style);
                drop_column(cx, &mut t, &c, *if_exists);
            }
        }
        AlterTableOperation::AlterColumn { column_name, op } => {
            let c = fold_ident(&column_name.value, column_name.quote_style);
            let loc = ident_loc(column_name, cx.loc);
            alter_column(cx, &mut t, &c, op, loc);
        }
        AlterTableOperation::RenameColumn {
            old_column_name,
            new_column_name,
        } => {
            let old = fold_ident(&old_column_name.value, old_column_name.quote_style);
            let new = fold_ident(&new_column_name.value, new_column_name.quote_style);
            let Some(known) = t.column(&old).map(|c| c.name.clone()) else {
                unknown_object::report_column(cx, &t.name, &old);
                return;
            };
            if shadowed(cx, "column", &old, &known, "its RENAME") {
                return;
            }
            // Another column (not this one in another case) with the new name.
            if let Some(c) = t
                .columns
                .same_to_tidb(&new)
                .filter(|c| clash(&new, &c.name) && c.name != known)
            {
                let scope = format!(" of table `{}`", t.name);
                identifier_case::report_clash(cx, cx.loc, "column", &new, &c.name, &scope);
                return;
            }
            cx.output.push(emit::alter(
                &t.name,
                &format!("RENAME COLUMN {} TO {}", ident(&old), ident(&new)),
            ));
            rename_column(&mut t, &old, &new);
        }
        AlterTableOperation::AddConstraint {
            constraint,
            not_valid,
        } => {
            if *not_valid {
                rules::check_constraint::not_valid(cx);
            }
            if let Some(clause) = table_constraint(cx, &mut t, constraint, true) {
                if matches!(constraint, TableConstraint::PrimaryKey(_)) && !cx.fold {
                    rules::clustered_primary_key::report_nonclustered(cx, &t.name);
                }
                cx.output.push(emit::alter(&t.name, &clause));
            }
        }
        AlterTableOperation::DropConstraint {
            if_exists, name, ..
        } => {
            let n = fold_ident(&name.value, name.quote_style);
            drop_constraint(cx, &mut t, &n, *if_exists);
        }
        AlterTableOperation::RenameConstraint { old_name, new_name } => {
            let old = fold_ident(&old_name.value, old_name.quote_style);
            let new = fold_ident(&new_name.value, new_name.quote_style);
            let known = t.index(&old).map(|i| i.name.clone());
            if known
                .as_ref()
                .is_some_and(|k| shadowed(cx, "index", &old, k, "its RENAME"))
            {
                return;
            }
            let other = t
                .indexes
                .same_to_tidb(&new)
                .filter(|i| clash(&new, &i.name) && Some(&i.name) != known.as_ref())
                .map(|i| i.name.clone());
            if let Some(existing) = other {
                let scope = format!(" of table `{}`", t.name);
                identifier_case::report_clash(cx, cx.loc, "index", &new, &existing, &scope);
                return;
            }
            if known.is_some() {
                cx.output.push(emit::alter(
                    &t.name,
                    &format!("RENAME INDEX {} TO {}", ident(&old), ident(&new)),
                ));
                rename_index(&mut t, &old, &new);
            } else {
                unsupported_statement::report_text(cx, &format!("RENAME CONSTRAINT {old}: TiDB can rename indexes only; foreign keys and checks keep their old name"));
            }
        }
        other => unsupported_statement::report_text(
            cx,
            &format!("ALTER TABLE operation `{other}` has no TiDB translation"),
        ),
    }
    if t != before {
        cx.catalog_updates.push(CatalogUpdate::Table(Box::new(t)));
    }
}

fn rename_column(t: &mut Table, old: &str, new: &str) {
    if let Some(c) = t.column_mut(old) {
        c.name = new.to_string();
    }
    let fix = |parts: &mut Vec<KeyPart>| {
        for p in parts {
            if let KeyPart::Column { name, .. } = p {
                if name.eq_ignore_ascii_case(old) {
                    *name = new.to_string();
                }
            }
        }
    };
    if let Some(pk) = &mut t.primary_key {
        fix(&mut pk.parts);
    }
    for ix in &mut t.indexes {
        fix(&mut ix.parts);
    }
    for fk in &mut t.foreign_keys {
        for c in &mut fk.columns {
            if c.eq_ignore_ascii_case(old) {
                *c = new.to_string();
            }
        }
    }
}

fn add_column(cx: &mut Cx, t: &mut Table, if_not_exists: bool, def: &ColumnDef) {
    let mut d = column_draft(cx, &t.name, def, ColumnMode::Add);
    d.in_key = def.options.iter().any(|o| {
        matches!(
            o.option,
            ColumnOption::PrimaryKey(_) | ColumnOption::Unique(_) | ColumnOption::ForeignKey(_)
        )
    });
    rules::run_column(cx, &mut d);
    if d.dropped {
        return;
    }
    if let Some(c) = t
        .columns
        .same_to_tidb(&d.col.name)
        .filter(|c| clash(&d.col.name, &c.name))
    {
        let scope = format!(" of table `{}`", t.name);
        identifier_case::report_clash(cx, d.loc, "column", &d.col.name, &c.name, &scope);
        return;
    }
    let col = d.col.clone();
    cx.output.push(emit::alter(
        &t.name,
        &format!(
            "ADD COLUMN {}{}",
            if if_not_exists { "IF NOT EXISTS " } else { "" },
            emit::column_def(&col)
        ),
    ));
    let mut col = col;
    if let Some(def) = d.deferred_default.take() {
        cx.output.push(emit::alter(
            &t.name,
            &format!("ALTER COLUMN {} SET DEFAULT {def}", ident(&col.name)),
        ));
        col.default = Some(def);
    }
    t.columns.push(col.clone());
    for (i, ck) in d.domain_checks.iter().enumerate() {
        let c = Check {
            name: default_constraint_name(
                &t.name,
                std::slice::from_ref(&col.name),
                &if i == 0 {
                    "check".into()
                } else {
                    format!("check{i}")
                },
            ),
            expr: ck.clone(),
        };
        cx.output
            .push(emit::alter(&t.name, &format!("ADD {}", emit::check(&c))));
        t.checks.push(c);
    }
    // Inline constraints become separate clauses: TiDB ignores CHECK and
    // REFERENCES inside ADD COLUMN and refuses PRIMARY KEY there.
    for opt in &def.options {
        let cname = opt
            .name
            .as_ref()
            .map(|n| sqlparser::ast::Ident::new(fold_ident(&n.value, n.quote_style)));
        let c = match &opt.option {
            ColumnOption::PrimaryKey(pk) => {
                let mut pk = pk.clone();
                pk.columns = vec![index_col(&col.name)];
                if let Some(n) = cname.clone() {
                    pk.name = Some(n);
                }
                rules::add_column_limits::report_split(cx, &col.name, "PRIMARY KEY");
                TableConstraint::PrimaryKey(pk)
            }
            ColumnOption::Unique(u) => {
                let mut u = u.clone();
                u.columns = vec![index_col(&col.name)];
                if let Some(n) = cname.clone() {
                    u.name = Some(n);
                }
                TableConstraint::Unique(u)
            }
            ColumnOption::ForeignKey(fk) => {
                let mut fk = fk.clone();
                fk.columns = vec![sqlparser::ast::Ident::with_quote('"', col.name.clone())];
                if let Some(n) = cname.clone() {
                    fk.name = Some(n);
                }
                TableConstraint::ForeignKey(fk)
            }
            ColumnOption::Check(ck) => {
                let mut ck = ck.clone();
                if let Some(n) = cname.clone() {
                    ck.name = Some(n);
                } else if ck.name.is_none() {
                    ck.name = Some(sqlparser::ast::Ident::new(default_constraint_name(
                        &t.name,
                        std::slice::from_ref(&col.name),
                        "check",
                    )));
                }
                TableConstraint::Check(ck)
            }
            _ => continue,
        };
        if let Some(clause) = table_constraint(cx, t, &c, true) {
            if matches!(c, TableConstraint::PrimaryKey(_)) && !cx.fold {
                rules::clustered_primary_key::report_nonclustered(cx, &t.name);
            }
            cx.output.push(emit::alter(&t.name, &clause));
        }
    }
}

fn index_col(name: &str) -> sqlparser::ast::IndexColumn {
    sqlparser::ast::IndexColumn {
        column: OrderByExpr {
            expr: Expr::Identifier(sqlparser::ast::Ident::with_quote('"', name)),
            options: sqlparser::ast::OrderByOptions {
                sort: None,
                nulls_first: None,
            },
            with_fill: None,
        },
        operator_class: None,
    }
}

fn drop_column(cx: &mut Cx, t: &mut Table, c: &str, if_exists: bool) {
    let known = t.column(c).map(|x| x.name.clone());
    if known.is_some_and(|k| shadowed(cx, "column", c, &k, "its DROP COLUMN")) {
        return;
    }
    if t.column(c).is_none() {
        if if_exists {
            rules::if_exists_noop::report_absent(cx, &format!("column `{}.{c}`", t.name));
        } else {
            unknown_object::report_column(cx, &t.name, c);
        }
        return;
    }
    // PostgreSQL drops indexes, foreign keys and checks that use the column;
    // TiDB refuses to drop a column in a composite index (8200): drop them first.
    let uses = |parts: &[KeyPart]| {
        parts
            .iter()
            .any(|p| p.column_name().is_some_and(|n| n.eq_ignore_ascii_case(c)))
    };
    let quoted = ident(c);
    for fk in t
        .foreign_keys
        .iter()
        .filter(|f| f.columns.iter().any(|x| x.eq_ignore_ascii_case(c)))
    {
        cx.output.push(emit::alter(
            &t.name,
            &format!("DROP FOREIGN KEY {}", ident(&fk.name)),
        ));
    }
    t.foreign_keys
        .retain(|f| !f.columns.iter().any(|x| x.eq_ignore_ascii_case(c)));
    for ix in t
        .indexes
        .iter()
        .filter(|i| uses(&i.parts) && i.parts.len() > 1)
    {
        cx.output.push(emit::alter(
            &t.name,
            &format!("DROP INDEX {}", ident(&ix.name)),
        ));
    }
    t.indexes.retain(|i| !uses(&i.parts));
    for ck in t.checks.iter().filter(|k| k.expr.contains(&quoted)) {
        cx.output.push(emit::alter(
            &t.name,
            &format!("DROP CONSTRAINT {}", ident(&ck.name)),
        ));
    }
    t.checks.retain(|k| !k.expr.contains(&quoted));
    if t.primary_key.as_ref().is_some_and(|pk| uses(&pk.parts)) {
        rules::clustered_primary_key::report_pk_column_drop(cx, &t.name, c);
        t.primary_key = None;
    }
    cx.output
        .push(emit::alter(&t.name, &format!("DROP COLUMN {}", ident(c))));
    t.columns.remove(c);
}

fn alter_column(cx: &mut Cx, t: &mut Table, c: &str, op: &AlterColumnOperation, loc: Loc) {
    let Some(current) = t.column(c).cloned() else {
        unknown_object::report_column(cx, &t.name, c);
        return;
    };
    if shadowed(cx, "column", c, &current.name, "ALTER COLUMN") {
        return;
    }
    match op {
        AlterColumnOperation::SetNotNull | AlterColumnOperation::DropNotNull => {
            let mut col = current;
            col.nullable = matches!(op, AlterColumnOperation::DropNotNull);
            cx.output.push(emit::modify_column(&t.name, &col));
            *t.column_mut(c).expect("checked above") = col;
        }
        AlterColumnOperation::SetDataType {
            data_type, using, ..
        } => {
            if using.is_some() {
                rules::lossy_type::report_using(cx, loc, c);
            }
            let def = ColumnDef {
                name: sqlparser::ast::Ident::with_quote('"', c),
                data_type: data_type.clone(),
                options: vec![],
            };
            let mut d = column_draft(cx, &t.name, &def, ColumnMode::AlterType);
            d.loc = loc;
            d.col.nullable = current.nullable;
            d.col.comment = current.comment.clone();
            d.col.on_update = current.on_update.clone();
            d.col.auto_increment = current.auto_increment;
            // The default stays; re-check it against the new type.
            d.col.default = current.default.clone();
            rules::run_column(cx, &mut d);
            if d.dropped {
                return;
            }
            // A primary-key column only takes meta-only changes in TiDB (8200).
            let in_pk = t.primary_key.as_ref().is_some_and(|pk| {
                pk.parts
                    .iter()
                    .any(|p| p.column_name().is_some_and(|n| n.eq_ignore_ascii_case(c)))
            });
            if in_pk && !meta_only_change(&current.ty, &d.col.ty) {
                unsupported_statement::report_text(
                    cx,
                    &format!("{}.{c}: TiDB cannot change a primary-key column from {} to {} (8200); the column keeps {}", t.name, current.ty, d.col.ty, current.ty),
                );
                return;
            }
            // A foreign-key column keeps the type of the column it references (3780).
            for fk in t
                .foreign_keys
                .iter()
                .filter(|f| f.columns.iter().any(|x| x.eq_ignore_ascii_case(c)))
            {
                let pos = fk
                    .columns
                    .iter()
                    .position(|x| x.eq_ignore_ascii_case(c))
                    .unwrap_or(0);
                let parent = if fk.ref_table.eq_ignore_ascii_case(&t.name) {
                    Some(std::borrow::Cow::Borrowed(&*t))
                } else {
                    cx.catalog.table(&fk.ref_table)
                };
                if let Some(pc) = parent.as_deref().and_then(|p| {
                    p.column(fk.ref_columns.get(pos).map(String::as_str).unwrap_or(""))
                }) {
                    if pc.ty != d.col.ty {
                        rules::fk_type_mismatch::report_kept(
                            cx,
                            &t.name,
                            c,
                            &d.col.ty,
                            &fk.ref_table,
                            &pc.ty,
                        );
                        d.col.ty = pc.ty.clone();
                        d.col.collation = pc.collation.clone();
                    }
                }
            }
            if d.col == current {
                rules::if_exists_noop::report_noop(
                    cx,
                    &format!("{}.{c} is already {} in TiDB", t.name, current.ty),
                );
                return;
            }
            // Foreign keys on either side block the MODIFY (1832/1833): drop
            // them, change the column and the columns that reference it, add them back.
            let child_fks: Vec<ForeignKey> = t
                .foreign_keys
                .iter()
                .filter(|f| f.columns.iter().any(|x| x.eq_ignore_ascii_case(c)))
                .cloned()
                .collect();
            let mut referencing: Vec<(Table, ForeignKey, String)> = Vec::new();
            for u in cx
                .catalog
                .referencing_column(&t.name, c)
                .filter(|u| !u.name.eq_ignore_ascii_case(&t.name))
                .chain(std::iter::once(std::borrow::Cow::Borrowed(&*t)))
            {
                for fk in &u.foreign_keys {
                    if !fk.ref_table.eq_ignore_ascii_case(&t.name) {
                        continue;
                    }
                    if let Some(pos) = fk
                        .ref_columns
                        .iter()
                        .position(|x| x.eq_ignore_ascii_case(c))
                    {
                        referencing.push((u.as_ref().clone(), fk.clone(), fk.columns[pos].clone()));
                    }
                }
            }
            for fk in &child_fks {
                cx.output.push(emit::alter(
                    &t.name,
                    &format!("DROP FOREIGN KEY {}", ident(&fk.name)),
                ));
            }
            for (u, fk, _) in &referencing {
                if !child_fks
                    .iter()
                    .any(|x| x.name == fk.name && u.name == t.name)
                {
                    cx.output.push(emit::alter(
                        &u.name,
                        &format!("DROP FOREIGN KEY {}", ident(&fk.name)),
                    ));
                }
            }
            // Indexes with a prefix on this column must be rebuilt to fit the
            // new type (a prefix longer than a VARCHAR is error 1089).
            let affected: Vec<Index> = t
                .indexes
                .iter()
                .filter(|ix| {
                    ix.parts.iter().any(|p| {
                        matches!(p, KeyPart::Column { name, prefix: Some(_) } if name.eq_ignore_ascii_case(c))
                    })
                })
                .cloned()
                .collect();
            for ix in &affected {
                cx.output.push(emit::alter(
                    &t.name,
                    &format!("DROP INDEX {}", ident(&ix.name)),
                ));
            }
            cx.output.push(emit::modify_column(&t.name, &d.col));
            *t.column_mut(c).expect("checked above") = d.col;
            for mut ix in affected {
                for p in &mut ix.parts {
                    if let KeyPart::Column { name, prefix } = p {
                        if name.eq_ignore_ascii_case(c) {
                            *prefix = None;
                        }
                    }
                }
                rules::index_key_length::refit(cx, t, &mut ix);
                cx.output.push(emit::alter(
                    &t.name,
                    &format!("ADD {}", emit::index_element(&ix)),
                ));
                if let Some(slot) = t.indexes.iter_mut().find(|i| i.name == ix.name) {
                    *slot = ix;
                }
            }
            let new_ty = t.column(c).map(|x| (x.ty.clone(), x.collation.clone()));
            let mut readded: Vec<String> = Vec::new();
            for (mut u, fk, child_col) in referencing {
                let same = u.name.eq_ignore_ascii_case(&t.name);
                let target: &mut Table = if same { &mut *t } else { &mut u };
                if let (Some((ty, coll)), Some(col)) = (&new_ty, target.column_mut(&child_col)) {
                    if &col.ty != ty {
                        let from = col.ty.clone();
                        col.ty = ty.clone();
                        col.collation = coll.clone();
                        let col = col.clone();
                        rules::fk_type_mismatch::report_followed(
                            cx,
                            &target.name,
                            &child_col,
                            &from,
                            ty,
                            &fk.name,
                        );
                        cx.output.push(emit::modify_column(&target.name, &col));
                    }
                }
                cx.output.push(emit::alter(
                    &target.name,
                    &format!("ADD {}", emit::foreign_key(&fk)),
                ));
                readded.push(format!("{}.{}", target.name, fk.name));
                if !same {
                    cx.catalog_updates.push(CatalogUpdate::Table(Box::new(u)));
                }
            }
            for fk in &child_fks {
                if !readded.contains(&format!("{}.{}", t.name, fk.name)) {
                    cx.output.push(emit::alter(
                        &t.name,
                        &format!("ADD {}", emit::foreign_key(fk)),
                    ));
                }
            }
        }
        AlterColumnOperation::SetDefault { value } => {
            let def = ColumnDef {
                name: sqlparser::ast::Ident::with_quote('"', c),
                data_type: sqlparser::ast::DataType::Unspecified,
                options: vec![],
            };
            let mut d = ColumnDraft {
                table: t.name.clone(),
                def: &def,
                loc,
                mode: ColumnMode::SetDefault,
                pg: types::PgType {
                    name: String::new(),
                    args: vec![],
                    array: 0,
                    written: String::new(),
                },
                mapped: Mapped::Ok {
                    ty: current.ty.clone(),
                    loss: None,
                    collation: None,
                },
                pg_default: Some(value.clone()),
                identity: None,
                col: Column {
                    default: None,
                    ..current.clone()
                },
                dropped: false,
                needs_key: false,
                deferred_default: None,
                auto_increment_start: None,
                domain_checks: vec![],
                in_key: false,
            };
            rules::run_column(cx, &mut d);
            if d.dropped {
                return;
            }
            if d.col.auto_increment && !current.auto_increment {
                if cx.fold {
                    *t.column_mut(c).expect("checked above") = d.col;
                    serial::report_folded(cx, &t.name, c, "nextval() default");
                    rules::check_auto_increment::filter(cx, t);
                } else {
                    serial::report_cannot_add(cx, loc, &t.name, c);
                }
                return;
            }
            match &d.col.default {
                Some(v) => cx.output.push(emit::alter(
                    &t.name,
                    &format!("ALTER COLUMN {} SET DEFAULT {v}", ident(c)),
                )),
                None => return,
            }
            *t.column_mut(c).expect("checked above") = d.col;
        }
        AlterColumnOperation::DropDefault => {
            if current.auto_increment {
                serial::report_drop_default(cx, loc, &t.name, c);
                return;
            }
            cx.output.push(emit::alter(
                &t.name,
                &format!("ALTER COLUMN {} DROP DEFAULT", ident(c)),
            ));
            t.column_mut(c).expect("checked above").default = None;
        }
        AlterColumnOperation::AddGenerated {
            sequence_options, ..
        } => {
            if current.auto_increment {
                return;
            }
            if cx.fold && current.ty.is_integer() {
                if let Some(n) = identity_start(sequence_options.as_deref()).filter(|n| *n != 1) {
                    t.auto_increment_start = Some(n);
                }
                let col = t.column_mut(c).expect("checked above");
                col.auto_increment = true;
                col.nullable = false;
                col.default = None;
                serial::report_folded(cx, &t.name, c, "identity");
                rules::check_auto_increment::filter(cx, t);
                return;
            }
            serial::report_cannot_add(cx, loc, &t.name, c);
        }
        other => unsupported_statement::report_text(
            cx,
            &format!("ALTER COLUMN {c} {other} has no TiDB translation"),
        ),
    }
}

/// Type changes TiDB makes without rewriting data (allowed on primary-key columns).
fn meta_only_change(from: &TiType, to: &TiType) -> bool {
    from == to
        || match (from, to) {
            (TiType::SmallInt, TiType::Int | TiType::BigInt) | (TiType::Int, TiType::BigInt) => {
                true
            }
            (TiType::Varchar(a), TiType::Varchar(b)) | (TiType::Char(a), TiType::Char(b)) => b >= a,
            _ => false,
        }
}

/// True when the primary key or an index of `t` starts with `cols`.
fn key_leads_with(t: &Table, cols: &[String]) -> bool {
    let leads = |parts: &[KeyPart]| {
        cols.len() <= parts.len()
            && cols
                .iter()
                .zip(parts)
                .all(|(c, p)| p.column_name().is_some_and(|n| n.eq_ignore_ascii_case(c)))
    };
    t.primary_key.as_ref().is_some_and(|pk| leads(&pk.parts))
        || t.indexes.iter().any(|i| leads(&i.parts))
}

/// Write `DROP FOREIGN KEY` for foreign key `name` of `t`. The index TiDB
/// (like MySQL) made for the key when no other led with its columns stays,
/// under the key's name: the model keeps it too.
fn drop_foreign_key(cx: &mut Cx, t: &mut Table, name: &str) {
    let Some(fk) = t.foreign_keys.remove(name).into_iter().next() else {
        return;
    };
    cx.output.push(emit::alter(
        &t.name,
        &format!("DROP FOREIGN KEY {}", ident(&fk.name)),
    ));
    if !key_leads_with(t, &fk.columns) && t.index(&fk.name).is_none() {
        t.indexes.push(Index {
            name: fk.name.clone(),
            kind: IndexKind::Plain,
            parts: fk.columns.iter().map(KeyPart::col).collect(),
        });
    }
}

/// A foreign key needs an index whose leading columns are its columns; if
/// the index about to be dropped is the only one, add a plain one first
/// (TiDB and MySQL refuse the drop otherwise, 1553).
fn keep_fk_index(cx: &mut Cx, t: &mut Table, dropping: &str) {
    let leads = |parts: &[KeyPart], cols: &[String]| {
        cols.len() <= parts.len()
            && cols
                .iter()
                .zip(parts)
                .all(|(c, p)| p.column_name().is_some_and(|n| n.eq_ignore_ascii_case(c)))
    };
    let mut added = Vec::new();
    for fk in &t.foreign_keys {
        let Some(ix) = t.index(dropping) else { return };
        if !leads(&ix.parts, &fk.columns) {
            continue;
        }
        let other = t
            .indexes
            .iter()
            .any(|i| !i.name.eq_ignore_ascii_case(dropping) && leads(&i.parts, &fk.columns))
            || t.primary_key
                .as_ref()
                .is_some_and(|pk| leads(&pk.parts, &fk.columns));
        if !other {
            added.push(Index {
                name: fk.name.clone(),
                kind: IndexKind::Plain,
                parts: fk.columns.iter().map(KeyPart::col).collect(),
            });
        }
    }
    for ix in added {
        cx.output.push(emit::alter(
            &t.name,
            &format!("ADD {}", emit::index_element(&ix)),
        ));
        t.indexes.push(ix);
    }
}

fn drop_constraint(cx: &mut Cx, t: &mut Table, n: &str, if_exists: bool) {
    // The constraint by its exact name (a name that differs only in case is
    // another constraint, which was not carried over).
    let names: Vec<String> = t
        .primary_key_name()
        .into_iter()
        .chain(t.foreign_keys.same_to_tidb(n).map(|f| f.name.clone()))
        .chain(t.indexes.same_to_tidb(n).map(|i| i.name.clone()))
        .chain(t.checks.same_to_tidb(n).map(|k| k.name.clone()))
        .collect();
    if !names.iter().any(|x| x == n) {
        if let Some(k) = names.iter().find(|x| clash(n, x)) {
            shadowed(cx, "constraint", n, k, "its DROP CONSTRAINT");
            return;
        }
    }
    if is_pk_name(t, n) {
        if t.primary_key.as_ref().is_some_and(|pk| pk.clustered) {
            rules::clustered_primary_key::report_drop_clustered(cx, &t.name);
            return;
        }
        cx.output.push(emit::alter(&t.name, "DROP PRIMARY KEY"));
        t.primary_key = None;
    } else if t.foreign_keys.get(n).is_some() {
        drop_foreign_key(cx, t, n);
    } else if t.index(n).is_some() {
        keep_fk_index(cx, t, n);
        cx.output
            .push(emit::alter(&t.name, &format!("DROP INDEX {}", ident(n))));
        t.indexes.remove(n);
    } else if t.checks.get(n).is_some() {
        cx.output.push(emit::alter(
            &t.name,
            &format!("DROP CONSTRAINT {}", ident(n)),
        ));
        t.checks.remove(n);
    } else if if_exists {
        rules::if_exists_noop::report_absent(cx, &format!("constraint `{n}` on `{}`", t.name));
    } else {
        unknown_object::report_constraint(cx, &t.name, n);
    }
}

fn drop_objects(
    cx: &mut Cx,
    kind: ObjectType,
    if_exists: bool,
    names: &[ObjectName],
    cascade: bool,
) {
    let ie = if if_exists { "IF EXISTS " } else { "" };
    match kind {
        ObjectType::Table | ObjectType::View => {
            let table = kind == ObjectType::Table;
            let mut resolved: Vec<String> = Vec::new();
            for n in names {
                let n = table_name(cx, n);
                let known = if table {
                    cx.catalog.table(&n).map(|t| t.name.clone())
                } else {
                    cx.catalog.view_name(&n).cloned()
                };
                let kind = if table { "table" } else { "view" };
                if known
                    .as_ref()
                    .is_some_and(|k| shadowed(cx, kind, &n, k, "its DROP"))
                {
                    continue;
                }
                let exists = known.is_some();
                let partition_of = cx.catalog.partitions.get(&n.to_lowercase()).cloned();
                match partition_of {
                    Some(parent) if table && !exists => {
                        rules::partition::report_on_partition(cx, &n, &parent)
                    }
                    // Written all the same: a no-op on a fresh database, and
                    // right where the target has it from outside this history.
                    _ if if_exists && !exists => {
                        rules::if_exists_noop::report_absent_written(cx, &format!("{kind} `{n}`"));
                        resolved.push(n);
                    }
                    _ => resolved.push(n),
                }
            }
            if resolved.is_empty() {
                return;
            }
            if cascade {
                rules::drop_cascade::report(cx);
            }
            let kw = if table { "TABLE" } else { "VIEW" };
            let list: Vec<String> = resolved.iter().map(|n| ident(n)).collect();
            cx.output.push(format!("DROP {kw} {ie}{}", list.join(", ")));
            for n in resolved {
                cx.catalog_updates.push(if kind == ObjectType::Table {
                    CatalogUpdate::RemoveTable(n)
                } else {
                    CatalogUpdate::RemoveView(n)
                });
            }
        }
        ObjectType::Index => {
            for n in names {
                let idx = object_last(n);
                match index_table(cx, &idx) {
                    Err(known) => {
                        shadowed(cx, "index", &idx, &known, "its DROP INDEX");
                    }
                    Ok(Some(mut t)) => {
                        keep_fk_index(cx, &mut t, &idx);
                        cx.output.push(format!(
                            "DROP INDEX {ie}{} ON {}",
                            ident(&idx),
                            ident(&t.name)
                        ));
                        t.indexes.remove(&idx);
                        cx.catalog_updates.push(CatalogUpdate::Table(Box::new(t)));
                    }
                    Ok(None) if if_exists => {
                        rules::if_exists_noop::report_absent(cx, &format!("index `{idx}`"))
                    }
                    Ok(None) => unknown_object::report_index(cx, &idx),
                }
            }
        }
        ObjectType::Sequence => {
            for n in names {
                let s = table_name(cx, n);
                let known = cx.catalog.sequence(&s).map(|q| q.name.clone());
                if known.is_some_and(|k| shadowed(cx, "sequence", &s, &k, "its DROP")) {
                    continue;
                }
                match cx.catalog.sequence(&s) {
                    Some(q) if q.owned_by.is_none() => {
                        cx.output.push(format!("DROP SEQUENCE {ie}{}", ident(&s)));
                        cx.catalog_updates.push(CatalogUpdate::RemoveSequence(s));
                    }
                    None if if_exists && !serial_sequence(cx.catalog, &s) => {
                        rules::if_exists_noop::report_absent(cx, &format!("sequence `{s}`"))
                    }
                    _ => serial::report_sequence_dropped(cx, &s),
                }
            }
        }
        ObjectType::Type => {
            for n in names {
                let name = object_last(n);
                let other_type = rules::pg_object_key("type", &name);
                let known = type_name(cx.catalog, &name);
                if known.is_some_and(|k| shadowed(cx, "type", &name, &k, "its DROP")) {
                    continue;
                }
                if cx.catalog.enum_labels(&name).is_some() {
                    rules::enum_type::report_drop(cx, &name);
                    cx.catalog_updates.push(CatalogUpdate::RemoveEnum(name));
                } else if cx.catalog.domain(&name).is_some() {
                    rules::domain_type::report_drop(cx, &name);
                    cx.catalog_updates.push(CatalogUpdate::RemoveDomain(name));
                } else if cx.catalog.pg_objects.contains_key(&other_type) {
                    unsupported_statement::report_text(
                        cx,
                        &format!(
                            "DROP TYPE {name}: the type was not carried over (only enum types are)"
                        ),
                    );
                    cx.catalog_updates
                        .push(CatalogUpdate::RemovePgObject(other_type));
                } else if if_exists {
                    rules::if_exists_noop::report_absent(cx, &format!("type `{name}`"));
                } else {
                    rules::enum_type::report_drop(cx, &name);
                }
            }
        }
        ObjectType::MaterializedView => {
            let mut known = Vec::new();
            for n in names {
                let name = table_name(cx, n);
                let key = rules::pg_object_key("materialized view", &name);
                if cx.catalog.pg_objects.contains_key(&key) || !if_exists {
                    cx.catalog_updates.push(CatalogUpdate::RemovePgObject(key));
                    known.push(name);
                } else {
                    rules::if_exists_noop::report_absent(
                        cx,
                        &format!("materialized view `{name}`"),
                    );
                }
            }
            if !known.is_empty() {
                unsupported_statement::report_text(
                    cx,
                    &format!(
                        "DROP MATERIALIZED VIEW {}: TiDB has no materialized views",
                        known.join(", ")
                    ),
                );
            }
        }
        ObjectType::Schema => {
            for n in names {
                drop_schema(cx, &object_last(n), if_exists, cascade);
            }
        }
        ObjectType::Role | ObjectType::Database => {
            rules::pg_only_statement::report_drop(cx, kind);
        }
        other => {
            unsupported_statement::report_text(cx, &format!("DROP {other} has no TiDB translation"))
        }
    }
}

/// A schema the input created (`public` always exists).
fn schema_known(catalog: &Catalog, name: &str) -> bool {
    name.eq_ignore_ascii_case("public")
        || name.eq_ignore_ascii_case("pg_catalog")
        || catalog
            .pg_objects
            .contains_key(&rules::pg_object_key("schema", name))
}

/// What the model holds that was flattened from one PostgreSQL schema
/// (`public`: the unqualified objects too).
#[derive(Default)]
struct SchemaContents {
    /// Tables, in name order.
    tables: Vec<Table>,
    views: Vec<String>,
    /// Standalone sequences (an owned one goes with its column).
    sequences: Vec<String>,
    enums: Vec<String>,
    domains: Vec<String>,
}

impl SchemaContents {
    fn of(catalog: &Catalog, schema: &str) -> SchemaContents {
        let from = |s: Option<&String>| match s {
            Some(s) => s == schema,
            None => schema == "public",
        };
        let flattened = |kind: &str, name: &str| {
            from(
                catalog
                    .flattened_from
                    .get(&rules::pg_object_key(kind, name)),
            )
        };
        SchemaContents {
            tables: catalog
                .tables()
                .filter(|t| from(t.schema.as_ref()))
                .map(std::borrow::Cow::into_owned)
                .collect(),
            views: catalog
                .views
                .keys()
                .filter(|v| flattened("view", v))
                .cloned()
                .collect(),
            sequences: catalog
                .sequences
                .values()
                .filter(|q| q.owned_by.is_none() && from(q.schema.as_ref()))
                .map(|q| q.name.clone())
                .collect(),
            enums: catalog
                .enums
                .keys()
                .filter(|e| flattened("type", e))
                .cloned()
                .collect(),
            domains: catalog
                .domains
                .values()
                .filter(|d| flattened("type", &d.name))
                .map(|d| d.name.clone())
                .collect(),
        }
    }

    fn is_empty(&self) -> bool {
        self.tables.is_empty()
            && self.views.is_empty()
            && self.sequences.is_empty()
            && self.enums.is_empty()
            && self.domains.is_empty()
    }

    /// `table a, b; view v; …`
    fn list(&self) -> String {
        let tables: Vec<String> = self.tables.iter().map(|t| t.name.clone()).collect();
        let types: Vec<String> = self.enums.iter().chain(&self.domains).cloned().collect();
        [
            ("table", &tables),
            ("view", &self.views),
            ("sequence", &self.sequences),
            ("type", &types),
        ]
        .iter()
        .filter(|(_, names)| !names.is_empty())
        .map(|(kind, names)| format!("{kind} {}", names.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
    }
}

/// True when `t` uses one of `enums` (a column declared with it).
fn uses_enum(t: &Table, enums: &[String]) -> bool {
    t.columns.iter().any(|c| enum_column(c, enums))
}

fn enum_column(c: &Column, enums: &[String]) -> bool {
    c.pg_enum
        .as_ref()
        .is_some_and(|e| enums.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// `DROP SCHEMA`: the schema itself does not exist in TiDB (schemas are
/// flattened into the one database), but what was flattened from it does.
/// With CASCADE it is dropped as PostgreSQL drops it: its views, the
/// foreign keys and enum columns of other tables that depend on it, its
/// tables (each after the others that reference it), sequences and types.
/// Without, PostgreSQL refuses while the schema holds anything.
fn drop_schema(cx: &mut Cx, schema: &str, if_exists: bool, cascade: bool) {
    let contents = SchemaContents::of(cx.catalog, schema);
    let key = rules::pg_object_key("schema", schema);
    if contents.is_empty() {
        if if_exists && !schema_known(cx.catalog, schema) {
            rules::if_exists_noop::report_absent(cx, &format!("schema `{schema}`"));
        } else {
            rules::pg_only_statement::report_drop(cx, ObjectType::Schema);
            cx.catalog_updates.push(CatalogUpdate::RemovePgObject(key));
        }
        return;
    }
    let list = contents.list();
    if !cascade {
        unsupported_statement::report_text(
            cx,
            &format!("DROP SCHEMA {schema} without CASCADE fails in PostgreSQL while the schema holds objects, and {schema} holds {list} (flattened into the target database): add CASCADE to drop them"),
        );
        return;
    }
    let dropping: BTreeSet<String> = contents
        .tables
        .iter()
        .map(|t| t.name.to_lowercase())
        .collect();
    if !contents.views.is_empty() {
        let names: Vec<String> = contents.views.iter().map(|v| ident(v)).collect();
        cx.output.push(format!("DROP VIEW {}", names.join(", ")));
        for v in &contents.views {
            cx.catalog_updates
                .push(CatalogUpdate::RemoveView(v.clone()));
        }
    }
    // Other tables lose their foreign keys to the dropped tables and their
    // columns of the dropped enum types, as in PostgreSQL.
    let mut others: Vec<Table> = Vec::new();
    for t in &contents.tables {
        for o in cx.catalog.referencing(&t.name) {
            if !dropping.contains(&o.name.to_lowercase())
                && !others.iter().any(|x| x.name.eq_ignore_ascii_case(&o.name))
            {
                others.push(o.into_owned());
            }
        }
    }
    if !contents.enums.is_empty() {
        let more: Vec<Table> = cx
            .catalog
            .tables()
            .filter(|t| !dropping.contains(&t.name.to_lowercase()))
            .filter(|t| uses_enum(t, &contents.enums))
            .filter(|t| !others.iter().any(|x| x.name.eq_ignore_ascii_case(&t.name)))
            .map(std::borrow::Cow::into_owned)
            .collect();
        others.extend(more);
    }
    let mut outside: Vec<String> = Vec::new();
    for mut o in others {
        let fks: Vec<String> = o
            .foreign_keys
            .iter()
            .filter(|f| dropping.contains(&f.ref_table.to_lowercase()))
            .map(|f| f.name.clone())
            .collect();
        for fk in &fks {
            drop_foreign_key(cx, &mut o, fk);
            outside.push(format!("foreign key {}.{fk}", o.name));
        }
        let columns: Vec<String> = o
            .columns
            .iter()
            .filter(|c| enum_column(c, &contents.enums))
            .map(|c| c.name.clone())
            .collect();
        for c in columns {
            drop_column(cx, &mut o, &c, false);
            outside.push(format!("column {}.{c}", o.name));
        }
        cx.catalog_updates.push(CatalogUpdate::Table(Box::new(o)));
    }
    // A table comes after the others being dropped that reference it (MySQL
    // and MariaDB check foreign keys table by table); a cycle loses its
    // foreign keys first.
    let order = drop_order(cx, contents.tables);
    let tables: Vec<String> = order.iter().map(|n| ident(n)).collect();
    if !tables.is_empty() {
        cx.output.push(format!("DROP TABLE {}", tables.join(", ")));
    }
    for n in order {
        cx.catalog_updates.push(CatalogUpdate::RemoveTable(n));
    }
    if !contents.sequences.is_empty() {
        let names: Vec<String> = contents.sequences.iter().map(|q| ident(q)).collect();
        cx.output
            .push(format!("DROP SEQUENCE {}", names.join(", ")));
        for q in contents.sequences {
            cx.catalog_updates.push(CatalogUpdate::RemoveSequence(q));
        }
    }
    for e in contents.enums {
        cx.catalog_updates.push(CatalogUpdate::RemoveEnum(e));
    }
    for d in contents.domains {
        cx.catalog_updates.push(CatalogUpdate::RemoveDomain(d));
    }
    cx.catalog_updates.push(CatalogUpdate::RemovePgObject(key));
    let outside = if outside.is_empty() {
        String::new()
    } else {
        format!("; and outside it, as in PostgreSQL: {}", outside.join(", "))
    };
    schema_name::report_drop_cascade(cx, schema, &list, &outside);
}

/// The names of `tables` in an order where each comes after every other of
/// them that references it, writing `DROP FOREIGN KEY` for the foreign keys
/// of a cycle (Kahn's algorithm: each table and reference is visited once).
fn drop_order(cx: &mut Cx, mut tables: Vec<Table>) -> Vec<String> {
    let key = |n: &str| n.to_lowercase();
    let index: std::collections::BTreeMap<String, usize> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| (key(&t.name), i))
        .collect();
    // The other tables each one references, and how many reference it.
    let targets = |t: &Table| -> BTreeSet<usize> {
        t.foreign_keys
            .iter()
            .filter_map(|f| index.get(&key(&f.ref_table)).copied())
            .filter(|&j| j != index[&key(&t.name)])
            .collect()
    };
    let mut refs: Vec<BTreeSet<usize>> = tables.iter().map(targets).collect();
    let mut referenced_by = vec![0usize; tables.len()];
    for r in &refs {
        for &j in r {
            referenced_by[j] += 1;
        }
    }
    let mut ready: Vec<usize> = (0..tables.len())
        .filter(|&i| referenced_by[i] == 0)
        .rev()
        .collect();
    let mut done = vec![false; tables.len()];
    let mut order = Vec::with_capacity(tables.len());
    let mut next_cut = 0;
    while order.len() < tables.len() {
        let Some(i) = ready.pop() else {
            // Only cycles are left: the first table left that references
            // others loses those foreign keys.
            while done[next_cut] || refs[next_cut].is_empty() {
                next_cut += 1;
            }
            let i = next_cut;
            let cut = std::mem::take(&mut refs[i]);
            let t = &mut tables[i];
            let own = key(&t.name);
            let lost = |f: &ForeignKey| {
                let r = key(&f.ref_table);
                r != own && index.get(&r).is_some_and(|j| cut.contains(j))
            };
            for f in t.foreign_keys.iter().filter(|f| lost(f)) {
                cx.output.push(emit::alter(
                    &t.name,
                    &format!("DROP FOREIGN KEY {}", ident(&f.name)),
                ));
            }
            t.foreign_keys.retain(|f| !lost(f));
            for j in cut {
                referenced_by[j] -= 1;
                if referenced_by[j] == 0 {
                    ready.push(j);
                }
            }
            continue;
        };
        done[i] = true;
        order.push(tables[i].name.clone());
        for j in std::mem::take(&mut refs[i]) {
            referenced_by[j] -= 1;
            if referenced_by[j] == 0 {
                ready.push(j);
            }
        }
    }
    order
}

/// `<table>_<column>_seq`, the sequence PostgreSQL made for a serial or
/// identity column (folded into its AUTO_INCREMENT here).
fn serial_sequence(catalog: &Catalog, name: &str) -> bool {
    let Some(stem) = name.strip_suffix("_seq") else {
        return false;
    };
    stem.match_indices('_').any(|(i, _)| {
        catalog
            .table(&stem[..i])
            .is_some_and(|t| t.column(&stem[i + 1..]).is_some_and(|c| c.auto_increment))
    })
}

/// `DROP DOMAIN`: domains exist only inlined on their columns.
fn drop_domain(cx: &mut Cx, d: &sqlparser::ast::DropDomain) {
    let name = object_last(&d.name);
    rules::domain_type::report_drop(cx, &name);
    if cx.catalog.domain(&name).is_some() {
        cx.catalog_updates.push(CatalogUpdate::RemoveDomain(name));
    }
}

fn comment_on(cx: &mut Cx, kind: CommentObject, name: &ObjectName, comment: Option<&str>) {
    match kind {
        CommentObject::Table => {
            let table = table_name(cx, name);
            let Some(mut t) = cx.catalog.table_copy(&table) else {
                unknown_object::report_table(cx, &table, "COMMENT ON TABLE needs the table");
                return;
            };
            if shadowed(cx, "table", &table, &t.name.clone(), "its COMMENT") {
                return;
            }
            t.comment = comment.map(str::to_string);
            cx.output.push(emit::alter(
                &t.name,
                &format!("COMMENT = {}", quote_str(comment.unwrap_or(""))),
            ));
            cx.catalog_updates.push(CatalogUpdate::Table(Box::new(t)));
        }
        CommentObject::Column => {
            let parts: Vec<String> = name
                .0
                .iter()
                .filter_map(|p| p.as_ident())
                .map(|i| fold_ident(&i.value, i.quote_style))
                .collect();
            if parts.len() < 2 {
                unknown_object::report_table(
                    cx,
                    &parts.join("."),
                    "COMMENT ON COLUMN needs table.column",
                );
                return;
            }
            let col = parts[parts.len() - 1].clone();
            let tname = ObjectName(name.0[..name.0.len() - 1].to_vec());
            let table = table_name(cx, &tname);
            let Some(mut t) = cx.catalog.table_copy(&table) else {
                unknown_object::report_table(
                    cx,
                    &table,
                    "COMMENT ON COLUMN needs the table's current definition",
                );
                return;
            };
            if shadowed(cx, "table", &table, &t.name.clone(), "its COMMENT") {
                return;
            }
            let known = t.column(&col).map(|c| c.name.clone());
            if known.is_some_and(|k| shadowed(cx, "column", &col, &k, "its COMMENT")) {
                return;
            }
            let Some(c) = t.column_mut(&col) else {
                unknown_object::report_column(cx, &table, &col);
                return;
            };
            c.comment = comment.map(str::to_string);
            let c = c.clone();
            cx.output.push(emit::modify_column(&t.name, &c));
            cx.catalog_updates.push(CatalogUpdate::Table(Box::new(t)));
        }
        other => rules::pg_only_statement::report_comment(cx, other),
    }
}

#[cfg(test)]
mod tests {
    use crate::{convert_str, Options};

    #[test]
    fn unique_constraints_that_repeat_a_key_make_no_second_index_as_in_postgresql() {
        let sql = convert_str(
            "CREATE TABLE t (id int PRIMARY KEY, a int UNIQUE, b int, UNIQUE (id), UNIQUE (a), UNIQUE (a, b));",
            Options::default(),
        )
        .output_sql();
        assert_eq!(sql.matches("UNIQUE KEY").count(), 2, "{sql}");
        assert!(sql.contains("UNIQUE KEY `t_a_key` (`a`)"), "{sql}");
        assert!(sql.contains("(`a`, `b`)"), "{sql}");
    }
}
