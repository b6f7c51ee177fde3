//! psql conditionals: `\if`, `\elif`, `\else`, `\endif`, evaluated offline as
//! psql evaluates them, so that what psql would skip is not converted.
//!
//! psql reads the expression of `\if` and `\elif` as one boolean (psql's
//! `ParseVariableBool`: `true`, `false`, `yes`, `no`, `on`, `off`, `1`, `0`,
//! any case, and unique prefixes of the words: `t`, `f`, `y`, `n`, `of`), after
//! substituting variables (`:name`, `:'name'`, `:"name"`, `:{?name}`) and
//! running backquoted shell commands. Offline, pg2tidb knows a variable only
//! when this file sets it (`\set`, `\unset`) in a branch psql runs; one set on
//! psql's command line (`-v`), by psql itself (`:SERVER_VERSION_NUM`), by a
//! query (`\gset`), a prompt or an included file is unknown, and so is a
//! backquoted command. A block whose condition is unknown cannot be decided:
//! every statement in any of its branches is reported as not carried over.
//!
//! Each file has its own conditionals, as each `psql -f` run has (psql
//! reports a `\if` left open at the end of its file).

use crate::model::Loc;
use std::collections::BTreeMap;

/// A condition's value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    True,
    False,
    /// Not a boolean: psql reports an error and takes it as false.
    Invalid(String),
    /// Cannot be known offline (why).
    Unknown(String),
}

/// psql's state of one `\if` block, as if the blocks around it run (psql's
/// `ifState`), or `Unknown` when that depends on a condition pg2tidb cannot
/// evaluate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// The current branch runs.
    True,
    /// No branch has run yet; the current one does not.
    False,
    /// A branch ran already, or the block is inside a branch psql skips.
    Ignored,
    /// Unknown.
    Unknown,
}

#[derive(Debug, Clone)]
struct Frame {
    state: State,
    /// Where the `\if` is, and the current branch's command (its text and line).
    if_loc: Loc,
    if_line: u32,
    branch: String,
    branch_line: u32,
    /// The block is inside a branch psql skips (pushed as `Ignored`).
    outer_skipped: bool,
    /// Why the current branch is skipped or unknown.
    why: String,
    else_seen: bool,
}

/// What psql does with a chunk, given the conditionals around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// psql runs it.
    Run,
    /// psql skips it (why, as a phrase: "it is in the branch of `\if false` (line 3), which is false").
    Skip(String),
    /// pg2tidb cannot tell (why).
    Unknown(String),
}

/// A finding about a conditional command (the caller gives it a rule).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// An error (psql rejects it, or pg2tidb cannot evaluate it) or just info.
    pub error: bool,
    pub loc: Loc,
    pub message: String,
}

/// The conditionals of one file (and the variables it sets).
#[derive(Debug, Clone, Default)]
pub struct Conditionals {
    stack: Vec<Frame>,
    /// Variables whose value is known: `Some(value)`, or `None` when unset.
    vars: BTreeMap<String, Option<String>>,
}

/// A psql command line: its name (after `\`, up to whitespace or `\`) and the rest.
fn command(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix('\\')?;
    let end = rest
        .find(|c: char| c.is_ascii_whitespace() || c == '\\')
        .unwrap_or(rest.len());
    Some((&rest[..end], &rest[end..]))
}

/// The names of psql's conditional commands.
pub fn is_conditional(line: &str) -> bool {
    matches!(command(line), Some(("if" | "elif" | "else" | "endif", _)))
}

/// The command as shown in messages: `\if false`, at most 60 characters.
fn shown(line: &str) -> String {
    let one: String = line.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 60 {
        format!("{}…", one.chars().take(60).collect::<String>())
    } else {
        one
    }
}

/// psql's `ParseVariableBool`.
fn parse_bool(value: &str) -> Option<bool> {
    let v = value.to_ascii_lowercase();
    let prefix_of = |word: &str| !v.is_empty() && word.starts_with(v.as_str());
    if prefix_of("true") || prefix_of("yes") {
        Some(true)
    } else if prefix_of("false") || prefix_of("no") {
        Some(false)
    } else if v.len() >= 2 && "on".starts_with(v.as_str()) {
        Some(true)
    } else if v.len() >= 2 && "off".starts_with(v.as_str()) {
        Some(false)
    } else if v == "1" {
        Some(true)
    } else if v == "0" {
        Some(false)
    } else {
        None
    }
}

impl Conditionals {
    pub fn new() -> Self {
        Self::default()
    }

    /// What psql does with the next chunk (not a conditional command).
    pub fn verdict(&self) -> Verdict {
        Self::verdict_of(&self.stack)
    }

    fn verdict_of(stack: &[Frame]) -> Verdict {
        // A block that does not run decides, whatever the blocks around it
        // do; else one that cannot be evaluated.
        if let Some(f) = stack
            .iter()
            .find(|f| matches!(f.state, State::False | State::Ignored) && !f.outer_skipped)
        {
            return Verdict::Skip(f.why.clone());
        }
        if let Some(f) = stack.iter().find(|f| f.state == State::Unknown) {
            return Verdict::Unknown(f.why.clone());
        }
        Verdict::Run
    }

    /// A meta-command line that runs (its verdict was [`Verdict::Run`]) or may
    /// run ([`Verdict::Unknown`], `sure` false): note the variables it sets.
    pub fn meta(&mut self, line: &str, sure: bool) {
        let Some((name, args)) = command(line) else {
            return;
        };
        match name {
            "set" => {
                let args = arguments(args, &self.vars);
                let mut it = args.into_iter();
                let Some(Ok(var)) = it.next() else {
                    return;
                };
                // psql joins the values without spaces.
                let value: Result<String, String> = it.collect();
                match value {
                    Ok(v) if sure => self.vars.insert(var, Some(v)),
                    _ => self.vars.remove(&var),
                };
            }
            "unset" => {
                if let Some(Ok(var)) = arguments(args, &self.vars).into_iter().next() {
                    if sure {
                        self.vars.insert(var, None);
                    } else {
                        self.vars.remove(&var);
                    }
                }
            }
            // They set variables pg2tidb cannot know (or run a file that may).
            "gset" | "getenv" | "prompt" | "i" | "include" | "ir" | "include_relative"
            | "gexec" | "connect" | "c" => self.vars.clear(),
            _ => {}
        }
    }

    /// A conditional command (see [`is_conditional`]) at `loc`; `cut`: the line was
    /// too long to be read whole. Returns what to report about it.
    pub fn conditional(&mut self, line: &str, loc: Loc, cut: bool) -> Vec<Note> {
        let Some((name, args)) = command(line) else {
            return vec![];
        };
        let me = shown(line);
        let info = |message: String| Note {
            error: false,
            loc,
            message,
        };
        let error = |message: String| Note {
            error: true,
            loc,
            message,
        };
        let value = || -> Value {
            if cut {
                return Value::Unknown("the line is too long to be read".into());
            }
            self.evaluate(args)
        };
        match name {
            "if" => {
                let outer = Self::verdict_of(&self.stack);
                let mut frame = Frame {
                    state: State::Ignored,
                    if_loc: loc,
                    if_line: loc.line,
                    branch: me.clone(),
                    branch_line: loc.line,
                    outer_skipped: false,
                    why: String::new(),
                    else_seen: false,
                };
                let notes = match outer {
                    Verdict::Skip(why) => {
                        frame.outer_skipped = true;
                        frame.why = why.clone();
                        vec![info(format!(
                            "psql skips this `\\if` block, not evaluated: {why}"
                        ))]
                    }
                    Verdict::Run | Verdict::Unknown(_) => {
                        let (notes, state, why) = self.take_branch(&me, loc, value());
                        frame.state = state;
                        frame.why = why;
                        notes
                    }
                };
                self.stack.push(frame);
                notes
            }
            "elif" | "else" => {
                let elif = name == "elif";
                let Some(top) = self.stack.last() else {
                    return vec![error(format!(
                        "`{me}` without a `\\if` before it: psql reports an error here (and stops with ON_ERROR_STOP)"
                    ))];
                };
                if top.else_seen {
                    return vec![error(format!(
                        "`{me}` after the `\\else` of the `\\if` at line {}: psql reports an error here (and stops with ON_ERROR_STOP)",
                        top.if_line
                    ))];
                }
                let (state, outer_skipped, if_line) = (top.state, top.outer_skipped, top.if_line);
                let (notes, state, why) = match state {
                    // The branch before ran: this one does not (and an
                    // `\elif` is not evaluated).
                    State::True | State::Ignored => {
                        let why = if outer_skipped {
                            self.stack.last().map(|f| f.why.clone()).unwrap_or_default()
                        } else {
                            format!(
                                "it is in the `{}` branch (line {}), and an earlier branch of the `\\if` at line {if_line} runs",
                                me, loc.line
                            )
                        };
                        let note = if outer_skipped {
                            info(format!("psql skips this, not evaluated: {why}"))
                        } else {
                            info(format!(
                                "`{me}`: an earlier branch of the `\\if` at line {if_line} runs, so psql skips this one{}",
                                if elif { " (its condition is not evaluated)" } else { "" }
                            ))
                        };
                        (vec![note], State::Ignored, why)
                    }
                    State::False => {
                        if elif {
                            self.take_branch(&me, loc, value())
                        } else {
                            (
                                vec![info(format!(
                                    "`\\else` of the `\\if` at line {if_line}: no branch before it runs, so psql runs this one"
                                ))],
                                State::True,
                                String::new(),
                            )
                        }
                    }
                    State::Unknown => {
                        let why = self.stack.last().map(|f| f.why.clone()).unwrap_or_default();
                        (
                            vec![info(format!(
                                "`{me}` of the `\\if` at line {if_line}: whether psql runs this branch is unknown too"
                            ))],
                            State::Unknown,
                            why,
                        )
                    }
                };
                if let Some(top) = self.stack.last_mut() {
                    top.state = state;
                    top.branch = me;
                    top.branch_line = loc.line;
                    top.why = why;
                    top.else_seen = !elif;
                }
                notes
            }
            _ => {
                // \endif
                match self.stack.pop() {
                    Some(f) => vec![info(format!(
                        "`\\endif` of the `\\if` at line {}",
                        f.if_line
                    ))],
                    None => vec![error(
                        "`\\endif` without a `\\if` before it: psql reports an error here (and stops with ON_ERROR_STOP)".into(),
                    )],
                }
            }
        }
    }

    /// The state of a branch whose condition (of command `me`) has `value`.
    fn take_branch(&self, me: &str, loc: Loc, value: Value) -> (Vec<Note>, State, String) {
        let note = |error: bool, message: String| Note {
            error,
            loc,
            message,
        };
        match value {
            Value::True => (
                vec![note(false, format!("`{me}` is true: psql runs this branch"))],
                State::True,
                String::new(),
            ),
            Value::False => (
                vec![note(false, format!("`{me}` is false: psql skips this branch"))],
                State::False,
                format!("it is in the branch of `{me}` (line {}), which is false", loc.line),
            ),
            Value::Invalid(v) => (
                vec![note(
                    true,
                    format!(
                        "`{me}`: \"{v}\" is not a boolean (true, false, yes, no, on, off, 1, 0): psql reports an error and skips this branch"
                    ),
                )],
                State::False,
                format!(
                    "it is in the branch of `{me}` (line {}), which psql takes as false (\"{v}\" is not a boolean)",
                    loc.line
                ),
            ),
            Value::Unknown(why) => (
                vec![note(
                    true,
                    format!(
                        "`{me}` cannot be evaluated offline ({why}): whether psql runs any branch of this block is unknown, so none is carried over"
                    ),
                )],
                State::Unknown,
                format!(
                    "it is in a block whose condition `{me}` (line {}) cannot be evaluated offline ({why}), so whether psql runs it is unknown",
                    loc.line
                ),
            ),
        }
    }

    /// The value of a `\if`/`\elif` expression (the command's arguments).
    fn evaluate(&self, args: &str) -> Value {
        let mut words = Vec::new();
        for a in arguments(args, &self.vars) {
            match a {
                Ok(w) => words.push(w),
                Err(why) => return Value::Unknown(why),
            }
        }
        // psql joins the arguments with a space.
        let expr = words.join(" ");
        match parse_bool(&expr) {
            Some(true) => Value::True,
            Some(false) => Value::False,
            None => Value::Invalid(expr),
        }
    }

    /// At the end of the file: the blocks never closed (psql reports an error
    /// at the end of its file).
    pub fn finish(self) -> Vec<Note> {
        self.stack
            .iter()
            .map(|f| Note {
                error: true,
                loc: f.if_loc,
                message: "this `\\if` is never closed: psql reports an error at the end of the file (and exits with an error with ON_ERROR_STOP); add `\\endif`".into(),
            })
            .collect()
    }
}

/// The arguments of a psql command as psql reads them (`OT_NORMAL`): separated by
/// whitespace, up to a backslash (the next command); `'…'` quoted (doubled
/// quotes, backslash escapes), `"…"` kept with its quotes, variables
/// substituted. `Err(why)` for an argument pg2tidb cannot know.
fn arguments(args: &str, vars: &BTreeMap<String, Option<String>>) -> Vec<Result<String, String>> {
    let mut out = Vec::new();
    let mut chars = args.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            chars.next();
        }
        match chars.peek() {
            None | Some('\\') => return out,
            Some(_) => {}
        }
        let mut arg = Argument::default();
        while let Some(&c) = chars.peek() {
            if c.is_ascii_whitespace() || c == '\\' {
                break;
            }
            chars.next();
            match c {
                '\'' => arg.single_quoted(&mut chars),
                '"' => arg.double_quoted(&mut chars),
                '`' => arg.backquoted(&mut chars),
                ':' => arg.variable(&mut chars, vars),
                c => arg.text.push(c),
            }
        }
        out.push(match arg.unknown {
            Some(why) => Err(why),
            None => Ok(arg.text),
        });
    }
}

/// The rest of a psql command's arguments, read character by character.
type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// One argument of a psql command as it is read ([`arguments`]).
#[derive(Default)]
struct Argument {
    /// Its text so far.
    text: String,
    /// Why it cannot be known offline (the first reason found).
    unknown: Option<String>,
}

impl Argument {
    /// After a `'`: a single-quoted part; `''` is a quote, a backslash escapes.
    fn single_quoted(&mut self, chars: &mut Chars<'_>) {
        while let Some(c) = chars.next() {
            match c {
                '\'' if chars.peek() == Some(&'\'') => {
                    chars.next();
                    self.text.push('\'');
                }
                '\'' => break,
                '\\' => match chars.next() {
                    Some('n') => self.text.push('\n'),
                    Some('t') => self.text.push('\t'),
                    Some('b') => self.text.push('\u{8}'),
                    Some('r') => self.text.push('\r'),
                    Some('f') => self.text.push('\u{c}'),
                    Some(o) if o.is_digit(8) || o == 'x' => {
                        self.unknown.get_or_insert("an escaped character".into());
                    }
                    Some(o) => self.text.push(o),
                    None => {}
                },
                c => self.text.push(c),
            }
        }
    }

    /// After a `"`: a double-quoted part, kept with its quotes.
    fn double_quoted(&mut self, chars: &mut Chars<'_>) {
        self.text.push('"');
        for c in chars.by_ref() {
            self.text.push(c);
            if c == '"' {
                break;
            }
        }
    }

    /// After a `` ` ``: a backquoted shell command, which cannot be run offline.
    fn backquoted(&mut self, chars: &mut Chars<'_>) {
        for c in chars.by_ref() {
            if c == '`' {
                break;
            }
        }
        self.unknown
            .get_or_insert("a backquoted shell command".into());
    }

    /// After a `:`: a variable (`:name`, `:{?name}`, `:'name'`, `:"name"`), or a
    /// plain `:`.
    fn variable(&mut self, chars: &mut Chars<'_>, vars: &BTreeMap<String, Option<String>>) {
        match chars.peek() {
            Some(&c) if var_char(c) => self.value_of(chars, vars),
            Some('{') => {
                chars.next();
                self.is_defined(chars, vars);
            }
            Some(&q @ ('\'' | '"')) => {
                chars.next();
                self.quoted_value_of(chars, vars, q);
            }
            _ => self.text.push(':'),
        }
    }

    /// `:name`: the variable's value.
    fn value_of(&mut self, chars: &mut Chars<'_>, vars: &BTreeMap<String, Option<String>>) {
        let name = variable_name(chars);
        match vars.get(&name) {
            Some(Some(v)) => self.text.push_str(v),
            // Unset: psql leaves `:name` as it is.
            Some(None) => {
                self.text.push(':');
                self.text.push_str(&name);
            }
            None => {
                self.unknown.get_or_insert(format!(
                    "`:{name}` is a psql variable this file does not set"
                ));
            }
        }
    }

    /// After `:{`: `?name}` is whether the variable is set (`TRUE` or `FALSE`).
    fn is_defined(&mut self, chars: &mut Chars<'_>, vars: &BTreeMap<String, Option<String>>) {
        if chars.peek() != Some(&'?') {
            self.text.push_str(":{");
            return;
        }
        chars.next();
        let name = variable_name(chars);
        if chars.peek() != Some(&'}') {
            self.text.push_str(":{?");
            self.text.push_str(&name);
            return;
        }
        chars.next();
        match vars.get(&name) {
            Some(Some(_)) => self.text.push_str("TRUE"),
            Some(None) => self.text.push_str("FALSE"),
            None => {
                self.unknown.get_or_insert(format!(
                    "`{name}` is a psql variable this file does not set"
                ));
            }
        }
    }

    /// After `:'` or `:"` (`q`): `name'` (or `name"`) is the variable's value
    /// quoted as a literal (or an identifier).
    fn quoted_value_of(
        &mut self,
        chars: &mut Chars<'_>,
        vars: &BTreeMap<String, Option<String>>,
        q: char,
    ) {
        let name = variable_name(chars);
        if chars.peek() != Some(&q) {
            self.text.push(':');
            self.text.push(q);
            self.text.push_str(&name);
            return;
        }
        chars.next();
        match vars.get(&name) {
            // Quoted as a literal or an identifier: never a boolean.
            Some(Some(v)) => {
                self.text.push(q);
                self.text.push_str(v);
                self.text.push(q);
            }
            Some(None) => {
                self.text.push(':');
                self.text.push(q);
                self.text.push_str(&name);
                self.text.push(q);
            }
            None => {
                self.unknown.get_or_insert(format!(
                    "`:{q}{name}{q}` is a psql variable this file does not set"
                ));
            }
        }
    }
}

/// A character of a psql variable's name.
fn var_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || !c.is_ascii()
}

/// The variable name that starts here (possibly empty).
fn variable_name(chars: &mut Chars<'_>) -> String {
    let mut name = String::new();
    while chars.peek().is_some_and(|&c| var_char(c)) {
        name.extend(chars.next());
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_as_psql_reads_them() {
        for t in ["true", "TRUE", "t", "tr", "yes", "Y", "on", "ON", "1"] {
            assert_eq!(parse_bool(t), Some(true), "{t}");
        }
        for f in ["false", "f", "FA", "no", "n", "off", "of", "OFF", "0"] {
            assert_eq!(parse_bool(f), Some(false), "{f}");
        }
        for bad in [
            "",
            "o",
            "truee",
            "2",
            "onn",
            "offf",
            "maybe",
            "yes please",
            "01",
        ] {
            assert_eq!(parse_bool(bad), None, "{bad}");
        }
    }

    fn at(line: u32) -> Loc {
        Loc { line, col: 1 }
    }

    #[test]
    fn expressions_with_quotes_and_variables() {
        let mut c = Conditionals::new();
        assert_eq!(c.evaluate(" 't'rue "), Value::True);
        assert_eq!(c.evaluate("'of''f'"), Value::Invalid("of'f".into()));
        assert_eq!(c.evaluate("yes \\\\ \\echo x"), Value::True);
        assert_eq!(c.evaluate("yes no"), Value::Invalid("yes no".into()));
        assert!(matches!(c.evaluate(":flag"), Value::Unknown(_)));
        assert!(matches!(c.evaluate("`true`"), Value::Unknown(_)));
        assert!(matches!(c.evaluate(":{?flag}"), Value::Unknown(_)));
        c.meta("\\set flag 'o'n", true);
        assert_eq!(c.evaluate(":flag"), Value::True);
        assert_eq!(c.evaluate(":{?flag}"), Value::True);
        assert_eq!(c.evaluate(":'flag'"), Value::Invalid("'on'".into()));
        c.meta("\\unset flag", true);
        assert_eq!(c.evaluate(":{?flag}"), Value::False);
        assert_eq!(c.evaluate(":flag"), Value::Invalid(":flag".into()));
        // Set where psql may not run it: unknown again.
        c.meta("\\set flag off", false);
        assert!(matches!(c.evaluate(":flag"), Value::Unknown(_)));
        c.meta("\\set flag off", true);
        c.meta("\\gset", true);
        assert!(matches!(c.evaluate(":flag"), Value::Unknown(_)));
    }

    #[test]
    fn blocks_nest_and_branches_are_taken_once() {
        let mut c = Conditionals::new();
        c.conditional("\\if false", at(1), false);
        assert!(matches!(c.verdict(), Verdict::Skip(w) if w.contains("`\\if false` (line 1)")));
        c.conditional("\\if true", at(2), false);
        assert!(matches!(c.verdict(), Verdict::Skip(w) if w.contains("`\\if false` (line 1)")));
        c.conditional("\\endif", at(3), false);
        c.conditional("\\elif yes", at(4), false);
        assert_eq!(c.verdict(), Verdict::Run);
        c.conditional("\\elif yes", at(5), false);
        assert!(matches!(c.verdict(), Verdict::Skip(w) if w.contains("earlier branch")));
        c.conditional("\\else", at(6), false);
        assert!(matches!(c.verdict(), Verdict::Skip(_)));
        let notes = c.conditional("\\elif true", at(7), false);
        assert!(notes[0].error && notes[0].message.contains("after the `\\else`"));
        c.conditional("\\endif", at(8), false);
        assert_eq!(c.verdict(), Verdict::Run);
        let notes = c.conditional("\\endif", at(9), false);
        assert!(notes[0].error, "{notes:?}");
        assert!(c.finish().is_empty());
    }

    #[test]
    fn an_unknown_condition_leaves_every_branch_unknown_but_not_what_is_surely_skipped() {
        let mut c = Conditionals::new();
        let notes = c.conditional("\\if :v", at(1), false);
        assert!(notes[0].error);
        assert!(matches!(c.verdict(), Verdict::Unknown(w) if w.contains("`:v`")));
        // Inside: a false block is skipped whatever the outer one does.
        c.conditional("\\if off", at(2), false);
        assert!(matches!(c.verdict(), Verdict::Skip(_)));
        c.conditional("\\else", at(3), false);
        assert!(matches!(c.verdict(), Verdict::Unknown(_)));
        c.conditional("\\endif", at(4), false);
        c.conditional("\\else", at(5), false);
        assert!(matches!(c.verdict(), Verdict::Unknown(_)));
        let open = {
            let mut d = c.clone();
            d.conditional("\\if 1", at(6), false);
            d.finish()
        };
        assert_eq!(open.len(), 2);
        assert_eq!(open[1].loc.line, 6);
        c.conditional("\\endif", at(7), false);
        assert_eq!(c.verdict(), Verdict::Run);
    }
}
