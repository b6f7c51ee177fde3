//! The pipeline's driver: split → parse (ahead, on a second thread) →
//! lower each statement into the model with the rules' hooks → results,
//! one statement at a time, with the catalog carried along.

use crate::catalog::Catalog;
use crate::expr::{self};
use crate::model::Loc;
use crate::parse::{self, Parsed, Repair};
use crate::rules::{self, CatalogUpdate, Converted, Cx, Event, Finding, Rule, Verdict};
use crate::split::{self, ChunkKind};
use crate::target::Target;
use crate::types::fold_ident;
use sqlparser::ast::{CommentObject, Statement};
use std::collections::BTreeSet;

use crate::input::Input;
use crate::lower::*;
use crate::result::*;

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
pub(crate) const PARALLEL_PARSE_MIN_BYTES: usize = 16 * 1024;

/// How many statements the parsing thread may run ahead.
pub(crate) const PARSE_AHEAD: usize = 64;

/// Stack of the pipeline threads (see `main.rs` and sqlparser-probe §6).
pub const PIPELINE_STACK: usize = 256 * 1024 * 1024;

/// What a [`Converter::convert_inputs_with`] caller answers to each
/// [`Progress`]: go on (`Ok`), or stop the conversion at once with this
/// error (say, the output cannot be written).
pub type Flow = Result<(), String>;

/// A chunk as the parsing thread hands it on.
pub(crate) enum Piece<'a> {
    Borrowed(split::Chunk<'a>),
    Owned(split::OwnedChunk),
}

/// What the parsing thread sends.
pub(crate) enum Ahead<'a> {
    /// A chunk with its parse (see [`parse_ahead`]).
    Chunk(Piece<'a>, Option<Parsed>),
    /// The current file is complete.
    End,
    /// The current file could not be read.
    Failed(String),
}

pub(crate) fn cannot_read(path: &std::path::Path, e: std::io::Error) -> String {
    format!("{}: cannot read: {e}", path.display())
}

/// What the parsing thread sends for one chunk: the parse of a plain SQL
/// statement; `None` for anything the converting thread reads itself
/// (meta-commands, COPY data, unterminated text, DO blocks).
pub(crate) fn parse_ahead(chunk: &split::Chunk<'_>) -> Option<Parsed> {
    let loc = Loc {
        line: chunk.line,
        col: chunk.col,
    };
    let plain = chunk.kind == ChunkKind::Sql
        && chunk.unterminated.is_none()
        && rules::run_pre_parse(chunk.text, loc).is_none();
    plain.then(|| parse::parse(chunk.text, loc))
}

/// Conversion settings.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub target: Target,
    /// Type choices (`[types]` in pg2tidb.toml).
    pub types: crate::types::TypeChoices,
    /// Disabled rules and severity overrides (`[rules]` in pg2tidb.toml).
    pub rules: crate::config::RuleSettings,
    /// Fold mode (pg_dump): build the schema model from every statement and
    /// emit one CREATE TABLE per table ([`crate::fold`]), so facts spread over
    /// several statements (sequences, identity, primary keys, comments) land
    /// in the table definition.
    pub fold: bool,
}

/// Converts statements in order, keeping the schema model between them.
pub struct Converter {
    pub options: Options,
    pub catalog: Catalog,
    said_once: BTreeSet<String>,
    /// How the inputs are named in diagnostics, in order (a finding that
    /// points at an earlier file names it); empty: only line and column.
    pub file_names: Vec<String>,
    /// The input being converted.
    file: usize,
}

impl Converter {
    pub fn new(options: Options) -> Self {
        Converter {
            options,
            catalog: Catalog::default(),
            said_once: BTreeSet::new(),
            file_names: Vec::new(),
            file: 0,
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
        &mut self,
        index: usize,
        input: &Input<'_>,
        each: &mut dyn FnMut(Progress) -> Flow,
    ) -> Result<crate::suppress::Suppressor, String> {
        self.file = index;
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
        &mut self,
        index: usize,
        suppressor: crate::suppress::Suppressor,
        each: &mut dyn FnMut(Progress) -> Flow,
    ) -> Result<(), String> {
        let (notes, unused) = suppressor.finish();
        let events: Vec<Event> = notes
            .iter()
            .map(psql_note)
            .chain(unused.iter().map(unused_suppression))
            .collect();
        let mut tail = self.findings_of(Loc::default(), &events);
        self.apply_rule_settings(&mut tail);
        each(Progress::FileEnd(index, tail))
    }

    /// One chunk (with its parse, when the parsing thread made it).
    fn convert_chunk(
        &mut self,
        chunk: &split::Chunk<'_>,
        ahead: Option<Parsed>,
        suppressor: &mut crate::suppress::Suppressor,
    ) -> StatementResult {
        let loc = Loc {
            line: chunk.line,
            col: chunk.col,
        };
        let comments = carried_comments(chunk.prefix);
        let mut r = self.convert_piece(chunk, loc, ahead, suppressor);
        if chunk.prefix_cut() {
            let e = Event::PrefixTooLong {
                bytes: chunk.prefix_len(),
            };
            let more = self.findings_of(loc, &[e]);
            r.findings.extend(more);
        }
        // Nothing is lost silently: a statement that produced no SQL and
        // no finding is reported (it would be a pg2tidb bug).
        if r.output.is_empty() && r.findings.is_empty() {
            r.findings = self.findings_of(loc, &[Event::Unaccounted]);
        }
        r.comments = comments;
        // What happened to the statement is decided here, from its output and
        // the rules' own severities: suppressions and `[rules]` settings only
        // change how its findings are reported.
        r.status = status_of(&r);
        let unused = suppressor.apply(&mut r, chunk.prefix, loc);
        if !unused.is_empty() {
            let events: Vec<Event> = unused.iter().map(unused_suppression).collect();
            let more = self.findings_of(loc, &events);
            r.findings.extend(more);
            r.findings.sort_by_key(|f| f.loc);
        }
        self.apply_rule_settings(&mut r.findings);
        r
    }

    /// A chunk as psql runs it: a conditional command, a piece in a branch
    /// psql skips, or a statement, meta-command or COPY data to convert.
    fn convert_piece(
        &mut self,
        chunk: &split::Chunk<'_>,
        loc: Loc,
        mut ahead: Option<Parsed>,
        suppressor: &mut crate::suppress::Suppressor,
    ) -> StatementResult {
        // psql conditionals: what psql skips is not converted.
        let verdict = suppressor.psql.verdict();
        if chunk.kind == ChunkKind::Meta && crate::psql::is_conditional(chunk.text) {
            let notes = suppressor
                .psql
                .conditional(chunk.text, loc, chunk.text_cut());
            let events: Vec<Event> = notes.iter().map(psql_note).collect();
            return self.reported(loc, chunk.text, &events);
        }
        let skipped = match verdict {
            crate::psql::Verdict::Run => None,
            crate::psql::Verdict::Skip(why) => Some((false, why)),
            crate::psql::Verdict::Unknown(why) => Some((true, why)),
        };
        if let Some((unknown, why)) = skipped {
            // psql may run a meta-command in a branch pg2tidb cannot decide.
            if unknown && chunk.kind == ChunkKind::Meta {
                suppressor.psql.meta(chunk.text, false);
            }
            let what = match chunk.kind {
                ChunkKind::CopyData => "COPY data".to_string(),
                _ => format!("`{}`", statement_head(chunk.text)),
            };
            let e = Event::PsqlSkipped {
                unknown,
                what: &what,
                why: &why,
            };
            return self.reported(loc, chunk.text, &[e]);
        }
        if chunk.kind == ChunkKind::Meta {
            suppressor.psql.meta(chunk.text, true);
        }
        match chunk.kind {
            // Over the splitter's limit: only its head was kept.
            ChunkKind::Sql | ChunkKind::Meta if chunk.text_cut() => {
                let head = statement_head(chunk.text);
                let e = Event::TooLong {
                    meta: chunk.kind == ChunkKind::Meta,
                    bytes: chunk.text_len(),
                    head: &head,
                };
                self.reported(loc, chunk.text, &[e])
            }
            ChunkKind::Sql => match chunk.unterminated {
                Some((what, line, col)) => {
                    let e = Event::Unterminated {
                        what,
                        at: Loc { line, col },
                    };
                    self.reported(loc, chunk.text, &[e])
                }
                None => self.convert_parsed(chunk.text, loc, ahead.take()),
            },
            ChunkKind::Meta => {
                let e = Event::MetaCommand { text: chunk.text };
                self.reported(loc, chunk.text, &[e])
            }
            ChunkKind::CopyData => {
                let cut_bytes = chunk.text_cut().then(|| chunk.text_len());
                self.reported(loc, chunk.text, &[Event::CopyData { cut_bytes }])
            }
        }
    }

    /// A result for `text` at `loc` that is what the rules report about `events`.
    fn reported(&mut self, loc: Loc, text: &str, events: &[Event]) -> StatementResult {
        let mut r = self.result_for(loc, text);
        r.findings = self.findings_of(loc, events);
        r
    }

    /// What the rules report about `events` at `loc`.
    fn findings_of(&mut self, loc: Loc, events: &[Event]) -> Vec<Finding> {
        let mut cx = self.cx(loc, Repair::None);
        for e in events {
            rules::run_event(&mut cx, e);
        }
        cx.findings
    }

    /// [rules] in pg2tidb.toml: disabled rules are not reported, severities
    /// may be changed. A setting of the id a rule was split from applies to
    /// it too (the rule's own id first).
    fn apply_rule_settings(&self, findings: &mut Vec<Finding>) {
        let settings = &self.options.rules;
        if settings.disabled.is_empty() && settings.severity.is_empty() {
            return;
        }
        let old = |f: &Finding| rules::split_from(f.rule);
        findings.retain(|f| {
            !settings.disabled.contains(f.rule)
                && !old(f).is_some_and(|o| settings.disabled.contains(o))
        });
        for f in findings {
            let setting = settings
                .severity
                .get(f.rule)
                .or_else(|| old(f).and_then(|o| settings.severity.get(o)));
            if let Some(s) = setting {
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

    /// A statement that wraps others (a guarding DO block): they are
    /// converted in its place (`rule` unwrapped them).
    fn convert_unwrapped(
        &mut self,
        text: &str,
        loc: Loc,
        rule: &dyn Rule,
        inner: Vec<(String, Loc)>,
    ) -> StatementResult {
        let mut result = self.result_for(loc, text);
        let mut cx = self.cx(loc, Repair::None);
        rule.unwrapped(&mut cx, inner.len());
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
        if let Some((rule, inner)) = rules::run_pre_parse(text, loc) {
            return self.convert_unwrapped(text, loc, rule, inner);
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
        match &parsed {
            Parsed::Ok(stmt, repair) => match rules::run_statement(&mut cx, stmt) {
                Some(Verdict::Drop) | Some(Verdict::Replace) => {}
                None => lower_statement(&mut cx, stmt, *repair),
            },
            Parsed::Failed {
                message,
                loc: at,
                words,
            } => {
                let unparsed = Event::Unparsed { text, words };
                if rules::run_event(&mut cx, &unparsed).is_none() {
                    let head = statement_head(text);
                    let message = &message;
                    let e = Event::SyntaxError {
                        message,
                        at: *at,
                        head: &head,
                    };
                    rules::run_event(&mut cx, &e);
                }
            }
        }
        // What needs an object TiDB does not have is not written.
        crate::target::model::check_output(&mut cx);
        // --fold writes the schema model, not the statements' SQL.
        let data = data_statement;
        rules::run_converted(&mut cx, &Converted { text, data });
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
        let file = self.file_names.get(self.file);
        let at = || match file {
            Some(f) => format!("{f}:{}:{}", loc.line, loc.col),
            None => format!("line {}, column {}", loc.line, loc.col),
        };
        match &parsed {
            Parsed::Ok(stmt, _) => crate::target::model::track(&mut self.catalog, stmt, &at),
            Parsed::Failed { words, .. } => {
                crate::target::model::track_unparsed(&mut self.catalog, words, &at)
            }
        }
        result
    }
}

/// The event for a psql note (a conditional evaluated, or one it could not).
fn psql_note(n: &crate::psql::Note) -> Event<'_> {
    Event::PsqlNote {
        error: n.error,
        at: n.loc,
        message: &n.message,
    }
}

/// The event for a suppression that suppressed nothing.
fn unused_suppression(u: &crate::suppress::Unused) -> Event<'_> {
    Event::UnusedSuppression {
        rule: &u.rule,
        file_level: u.file_level,
        at: u.at,
    }
}

/// The table a statement is about (for "what needs a human" per table).
pub(crate) fn statement_object(stmt: &Statement) -> Option<String> {
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

pub(crate) fn apply_update(catalog: &mut Catalog, u: CatalogUpdate) {
    match u {
        CatalogUpdate::Table(t) => catalog.put_table(*t),
        CatalogUpdate::RemoveTable(name) => {
            catalog.remove_table(&name);
            // Its triggers go with it.
            let prefix = rules::trigger_key(&name, "");
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
        CatalogUpdate::View { name, view } => {
            catalog.put_view(name, view);
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

/// pg_dump's own comments (`-- Name: t; Type: TABLE; Schema: public; Owner: -`,
/// banners, separators) describe PostgreSQL objects and are not carried over.
pub(crate) fn is_pg_dump_noise(line: &str) -> bool {
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
pub(crate) fn statement_head(text: &str) -> String {
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

/// `--` comment lines before a statement are kept in the output (reviewers
/// rely on markers such as Alembic's `-- Running upgrade a -> b`).
pub(crate) fn carried_comments(prefix: &str) -> Vec<String> {
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
