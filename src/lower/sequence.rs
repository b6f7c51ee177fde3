//! Sequences.

use crate::expr::{self};
use crate::model::Sequence;
use sqlparser::ast::{Expr, SequenceOptions};

pub(crate) fn sequence_from(name: String, opts: &[SequenceOptions]) -> Sequence {
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
