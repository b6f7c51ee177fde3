//! An SQL statement, to the `;` that ends it: the tokens that may hold a `;` (comments,
//! quoted strings, dollar-quoted bodies) are read whole, and the words that matter to psql
//! are followed ([`Stmt`]): `COPY ... FROM stdin` (data follows) and
//! `CREATE [OR REPLACE] FUNCTION|PROCEDURE ... BEGIN ATOMIC` (a `;` does not end it before
//! the matching `END`).

use super::lexer::{Comment, Lexer, Mode, Step, Sub, KEYWORD_MAX};
use super::scan::{dollar_delim, is_ident_cont, is_ident_start, is_space, Delim, Run};
use super::{
    ChunkKind, UNTERMINATED_BEGIN_ATOMIC, UNTERMINATED_BLOCK_COMMENT, UNTERMINATED_DOLLAR_QUOTE,
    UNTERMINATED_DOUBLE_QUOTE, UNTERMINATED_SINGLE_QUOTE,
};

/// What [`Lexer::between_tokens`] came to.
enum Between {
    /// Read on: whitespace was passed, or a comment or a token opened.
    ReadOn,
    /// The statement ended at its `;` (and was reported).
    Ended,
    /// Stop: the input ends here, for now (give more) or for good (then the statement was
    /// reported).
    Stop,
}

impl Lexer {
    /// In an SQL statement. Returns true when it ended (or the input did).
    pub(super) fn statement(&mut self, r: &mut Run<'_>) -> bool {
        loop {
            let step = match &self.sub {
                Sub::Top => match self.between_tokens(r) {
                    Between::ReadOn => continue,
                    Between::Ended => return true,
                    Between::Stop => return false,
                },
                Sub::LineComment => self.line_comment(r),
                Sub::Block { .. } => self.block(r),
                Sub::Quoted { .. } => self.quoted(r),
                Sub::Dollar { .. } => self.dollar_quoted(r),
                Sub::Param => self.param(r),
                Sub::Word { .. } => self.word(r),
            };
            match step {
                Step::Done => {}
                Step::More => return false,
                Step::Eof => {
                    // The statement runs to the end of the input, inside the open construct.
                    let open = self.open_construct().map(|(name, (l, c))| (name, l, c));
                    self.emit(r, ChunkKind::Sql, r.end, r.end, open);
                    self.finish();
                    return false;
                }
            }
        }
    }

    /// The construct the lexer is inside (by its `UNTERMINATED_*` name) and where it
    /// opened.
    fn open_construct(&self) -> Option<(&'static str, (u32, u32))> {
        match &self.sub {
            Sub::Block { at, .. } => Some((UNTERMINATED_BLOCK_COMMENT, *at)),
            Sub::Quoted { q: b'"', at, .. } => Some((UNTERMINATED_DOUBLE_QUOTE, *at)),
            Sub::Quoted { at, .. } => Some((UNTERMINATED_SINGLE_QUOTE, *at)),
            Sub::Dollar { at, .. } => Some((UNTERMINATED_DOLLAR_QUOTE, *at)),
            _ => None,
        }
    }

    /// Between tokens: pass whitespace, open a comment, or read what the next significant
    /// byte starts ([`Lexer::token_start`]).
    fn between_tokens(&mut self, r: &mut Run<'_>) -> Between {
        let Some(c) = r.byte(self.pos) else {
            return self.end_of_input(r);
        };
        // Insignificant: whitespace and comments (they keep BEGIN/FROM adjacency).
        if is_space(c) {
            self.pos += 1;
            return Between::ReadOn;
        }
        match self.open_comment(r, c) {
            Comment::Opened => Between::ReadOn,
            Comment::Undecided => Between::Stop,
            Comment::No => self.token_start(r, c),
        }
    }

    /// The input ends between tokens: at its real end, the statement ends there (open when
    /// a `BEGIN ATOMIC` still waits for its `END`).
    fn end_of_input(&mut self, r: &mut Run<'_>) -> Between {
        let Mode::Stmt(st) = &self.mode else {
            return Between::Stop;
        };
        if !r.eof {
            return Between::Stop;
        }
        let open = (st.begin_depth > 0).then(|| {
            let (l, c) = st.atomic_at;
            (UNTERMINATED_BEGIN_ATOMIC, l, c)
        });
        self.emit(r, ChunkKind::Sql, r.end, r.end, open);
        self.finish();
        Between::Stop
    }

    /// The significant byte `c` between tokens: the `;` that ends the statement, or the
    /// start of a token (quote, dollar quote or parameter, parenthesis, word, operator).
    fn token_start(&mut self, r: &mut Run<'_>, c: u8) -> Between {
        let Mode::Stmt(st) = &mut self.mode else {
            return Between::Stop;
        };
        let prev_begin = st.prev_begin.take();
        let prev_from = std::mem::take(&mut st.prev_from);
        match c {
            b';' if st.begin_depth == 0 => {
                let copy = st.is_copy && st.from_stdin;
                self.emit(r, ChunkKind::Sql, self.pos, self.pos + 1, None);
                if copy {
                    // psql reads the data from the line after the one holding the `;`.
                    self.mode = Mode::CopyRest;
                }
                return Between::Ended;
            }
            b'\'' | b'"' => {
                let at = self.position(r, self.pos);
                self.sub = Sub::Quoted {
                    q: c,
                    esc: false,
                    at,
                };
                self.pos += 1;
            }
            b'$' => match dollar_delim(r.b, self.pos - r.base, r.eof) {
                Delim::More => return Between::Stop,
                Delim::Yes(dl) => {
                    let at = self.position(r, self.pos);
                    let tag = r.slice(self.pos, self.pos + dl).to_vec();
                    self.pos += dl;
                    self.sub = Sub::Dollar { tag, m: 0, at };
                }
                Delim::No => {
                    // `$1` parameter (or a stray `$`).
                    self.pos += 1;
                    self.sub = Sub::Param;
                }
            },
            b'(' => {
                st.paren = st.paren.saturating_add(1);
                self.pos += 1;
            }
            b')' => {
                st.paren = st.paren.saturating_sub(1);
                self.pos += 1;
            }
            c if is_ident_start(c) || c.is_ascii_digit() => {
                self.sub = Sub::Word {
                    start: self.pos,
                    digit: c.is_ascii_digit(),
                    prev_begin,
                    prev_from,
                };
                self.pos += 1;
            }
            // An operator, or a `;` inside `BEGIN ATOMIC ... END`.
            _ => self.pos += 1,
        }
        Between::ReadOn
    }

    /// In a quoted string or identifier: to its closing quote.
    fn quoted(&mut self, r: &Run<'_>) -> Step {
        let Sub::Quoted { q, esc, .. } = self.sub else {
            return Step::Done;
        };
        let end = r.quoted_end(self.pos, q, esc);
        self.close_at(end, r.eof)
    }

    /// In a dollar-quoted body: to its closing delimiter.
    fn dollar_quoted(&mut self, r: &Run<'_>) -> Step {
        let Sub::Dollar { tag, m, .. } = &mut self.sub else {
            return Step::Done;
        };
        let end = r.dollar_end(self.pos, tag, m);
        self.close_at(end, r.eof)
    }

    /// After a search for a closing quote or delimiter: past it (`Ok`), or
    /// at the end of the text read so far (`Err`), which is the end of the
    /// input when `eof`.
    fn close_at(&mut self, end: Result<usize, usize>, eof: bool) -> Step {
        match end {
            Ok(e) => {
                self.pos = e;
                self.sub = Sub::Top;
                Step::Done
            }
            Err(p) => {
                self.pos = p;
                if eof {
                    Step::Eof
                } else {
                    Step::More
                }
            }
        }
    }

    /// In a `$1` parameter: to its end.
    fn param(&mut self, r: &Run<'_>) -> Step {
        if !self.ident_rest(r) {
            return Step::More;
        }
        self.sub = Sub::Top;
        Step::Done
    }

    /// In a word: to its end, then what it is: the `E` of an `E'...'` string, a word the
    /// statement's keyword state reads ([`Stmt::word`]), or a number.
    fn word(&mut self, r: &Run<'_>) -> Step {
        if !self.ident_rest(r) {
            return Step::More;
        }
        let Sub::Word {
            start,
            digit,
            prev_begin,
            prev_from,
        } = self.sub
        else {
            return Step::Done;
        };
        self.sub = Sub::Top;
        let word = if self.pos - start <= KEYWORD_MAX {
            r.slice(start, self.pos)
        } else {
            &[]
        };
        if (word == b"E" || word == b"e") && r.byte(self.pos) == Some(b'\'') {
            let at = self.position(r, start);
            self.sub = Sub::Quoted {
                q: b'\'',
                esc: true,
                at,
            };
            self.pos += 1;
        } else if !digit {
            let Mode::Stmt(st) = &mut self.mode else {
                return Step::More;
            };
            let lc = &mut self.lc;
            st.word(word, || lc.at(r.b, r.base, start), prev_begin, prev_from);
        }
        Step::Done
    }

    /// Past the rest of a word or parameter (`ident_cont` bytes). False when the input
    /// ends before it is known to end (more may follow).
    fn ident_rest(&mut self, r: &Run<'_>) -> bool {
        while r.byte(self.pos).is_some_and(is_ident_cont) {
            self.pos += 1;
        }
        self.pos != r.end || r.eof
    }
}

#[cfg(test)]
mod tests {
    use crate::split::testing::{check, texts};
    use crate::split::*;

    #[test]
    fn trailing_whitespace_kept_in_text() {
        let s = check("SELECT 1  \n ;\n");
        assert_eq!(texts(&s), vec!["SELECT 1  \n "]);
        assert_eq!(s.trailer, "\n");
    }

    #[test]
    fn comments_inside_statement_stay_in_text() {
        let s = check("SELECT 1 -- one; two\n, 2 /* ; */;SELECT 3;");
        assert_eq!(
            texts(&s),
            vec!["SELECT 1 -- one; two\n, 2 /* ; */", "SELECT 3"]
        );
    }

    #[test]
    fn strings_with_semicolons_and_dashes() {
        let s = check("INSERT INTO t VALUES ('a;b', '-- no', '/* no');SELECT 'it''s; ok';");
        assert_eq!(
            texts(&s),
            vec![
                "INSERT INTO t VALUES ('a;b', '-- no', '/* no')",
                "SELECT 'it''s; ok'"
            ]
        );
    }

    #[test]
    fn escape_strings() {
        let s = check(r"SELECT E'O\'Brien; x', e'\\', E'a''b;';SELECT 2;");
        assert_eq!(
            texts(&s),
            vec![r"SELECT E'O\'Brien; x', e'\\', E'a''b;'", "SELECT 2"]
        );
        // `somE'...'` is an identifier followed by a plain string.
        let s = check(r"SELECT somE'a\';SELECT 2;");
        assert_eq!(texts(&s), vec![r"SELECT somE'a\'", "SELECT 2"]);
    }

    #[test]
    fn plain_string_ending_with_backslash() {
        let s = check(r"COMMENT ON TABLE t IS 'C:\path\';SELECT 2;");
        assert_eq!(
            texts(&s),
            vec![r"COMMENT ON TABLE t IS 'C:\path\'", "SELECT 2"]
        );
        let s = check(r"SELECT U&'d\0061t;', B'101', X'ff;', N'x;';SELECT 2;");
        assert_eq!(s.chunks.len(), 2);
    }

    #[test]
    fn double_quoted_identifiers() {
        let s = check(r#"CREATE TABLE "we;ird""--" ("a'b" int);SELECT 2;"#);
        assert_eq!(
            texts(&s),
            vec![r#"CREATE TABLE "we;ird""--" ("a'b" int)"#, "SELECT 2"]
        );
    }

    #[test]
    fn dollar_quotes() {
        let input = "CREATE FUNCTION f() RETURNS text AS $$ SELECT ';'; $$ LANGUAGE sql;\n\
                     CREATE FUNCTION g() RETURNS text AS $fn$ BEGIN RETURN $$x;$$ || 'it''s'; END; $fn$ LANGUAGE plpgsql;\n\
                     DO $_a1$ BEGIN NULL; $_a$ ; $_a1 $_a1$;\n\
                     SELECT $a$$b$ ; $a$;";
        let s = check(input);
        assert_eq!(s.chunks.len(), 4, "{:#?}", s.chunks);
        assert!(s.chunks[1].text.ends_with("$fn$ LANGUAGE plpgsql"));
        assert_eq!(s.chunks[2].text, "DO $_a1$ BEGIN NULL; $_a$ ; $_a1 $_a1$");
        assert_eq!(s.chunks[3].text, "SELECT $a$$b$ ; $a$");
    }

    #[test]
    fn parameters_and_identifiers_with_dollar() {
        let s =
            check("PREPARE p AS SELECT $1, $2;SELECT a$b$ ; SELECT x FROM t$1$;SELECT 1$$;$$a$$;");
        assert_eq!(
            texts(&s),
            vec![
                "PREPARE p AS SELECT $1, $2",
                "SELECT a$b$ ",
                "SELECT x FROM t$1$",
                "SELECT 1$$",
                "$$a$$"
            ]
        );
        assert!(s.chunks.iter().all(|c| c.unterminated.is_none()));
    }

    #[test]
    fn backslash_inside_statement_is_text() {
        let s = check("SELECT 1\n\\g\n;");
        assert_eq!(texts(&s), vec!["SELECT 1\n\\g\n"]);
    }

    #[test]
    fn begin_atomic() {
        let input = "CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql\n\
                     BEGIN ATOMIC\n  SELECT CASE WHEN x > 0 THEN 1 ELSE 2 END;\n  SELECT (CASE x WHEN 1 THEN 1 END);\n  SELECT ';';\nEND;\n\
                     CREATE PROCEDURE p() begin /* c */ atomic insert into t values (1); end ;\n\
                     SELECT 1;";
        let s = check(input);
        assert_eq!(s.chunks.len(), 3, "{:#?}", s.chunks);
        assert!(s.chunks[0].text.ends_with("SELECT ';';\nEND"));
        assert!(s.chunks[0].terminated);
        assert_eq!(
            s.chunks[1].text,
            "CREATE PROCEDURE p() begin /* c */ atomic insert into t values (1); end "
        );
        assert_eq!(s.chunks[2].text, "SELECT 1");
    }

    #[test]
    fn begin_without_atomic_or_not_a_routine_splits_normally() {
        let s = check("BEGIN; SELECT 1; END;");
        assert_eq!(texts(&s), vec!["BEGIN", "SELECT 1", "END"]);
        let s = check("CREATE TABLE atomic (begin int); SELECT 1;");
        assert_eq!(s.chunks.len(), 2);
        let s = check("SELECT begin atomic; SELECT 1; END;");
        assert_eq!(s.chunks.len(), 3);
        let s = check("CREATE FUNCTION f() AS 'begin atomic'; SELECT 1;");
        assert_eq!(s.chunks.len(), 2);
        // BEGIN and ATOMIC must be adjacent tokens.
        let s = check("CREATE FUNCTION f() BEGIN x ATOMIC; SELECT 1;");
        assert_eq!(s.chunks.len(), 2);
    }

    #[test]
    fn begin_atomic_missing_end() {
        let s = check(
            "SELECT 0;\nCREATE FUNCTION f() RETURNS int\n  BEGIN ATOMIC SELECT 1; SELECT 2;\n",
        );
        assert_eq!(s.chunks.len(), 2);
        let c = &s.chunks[1];
        assert!(!c.terminated);
        assert_eq!(c.unterminated, Some((UNTERMINATED_BEGIN_ATOMIC, 3, 3)));
        assert_eq!(s.trailer, "");
    }

    #[test]
    fn unterminated_constructs() {
        let s = check("SELECT 1;\nSELECT 'abc;\nSELECT 2;");
        assert_eq!(s.chunks.len(), 2);
        assert_eq!(s.chunks[1].text, "SELECT 'abc;\nSELECT 2;");
        assert_eq!(
            s.chunks[1].unterminated,
            Some((UNTERMINATED_SINGLE_QUOTE, 2, 8))
        );
        assert!(!s.chunks[1].terminated);

        let s = check("SELECT E'x\\';");
        assert_eq!(
            s.chunks[0].unterminated,
            Some((UNTERMINATED_SINGLE_QUOTE, 1, 8))
        );

        let s = check("SELECT \"abc; x");
        assert_eq!(
            s.chunks[0].unterminated,
            Some((UNTERMINATED_DOUBLE_QUOTE, 1, 8))
        );

        let s = check("SELECT 1;\nDO $body$ BEGIN; $$ ; $body ;\n");
        let c = &s.chunks[1];
        assert_eq!(c.unterminated, Some((UNTERMINATED_DOLLAR_QUOTE, 2, 4)));
        assert_eq!(c.unterminated_dollar_tag(), Some("$body$"));
        assert_eq!(s.chunks[0].unterminated_dollar_tag(), None);

        let s = check("SELECT é, $$x");
        assert_eq!(s.chunks[0].unterminated_dollar_tag(), Some("$$"));

        let s = check("SELECT 1 /* a /* b */ ;\n");
        assert_eq!(
            s.chunks[0].unterminated,
            Some((UNTERMINATED_BLOCK_COMMENT, 1, 10))
        );
        assert_eq!(s.trailer, "");
    }

    #[test]
    fn last_statement_without_semicolon() {
        let s = check("SELECT 1;\nSELECT 2 -- done\n");
        assert_eq!(s.chunks[1].text, "SELECT 2 -- done\n");
        assert!(!s.chunks[1].terminated);
        assert_eq!(s.chunks[1].unterminated, None);
        assert_eq!(s.trailer, "");
    }
}
