//! The stand-in profiles: an output statement rendered for a MySQL-family
//! server that is not TiDB (MariaDB in the tests, MySQL), which cannot run
//! every TiDB-only part. VECTOR columns become JSON on both; vector indexes
//! are left out on both; MariaDB also has no expression indexes and no
//! `CAST(… AS JSON)`.

use super::{Emitted, Rewrites, Stmt};
use crate::emit::AlterOp;

/// The server a statement is rendered for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Profile {
    #[default]
    Tidb,
    Mysql,
    Mariadb,
}

/// What a stand-in server is sent for one output statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StandIn {
    AsIs,
    /// Sent in this form; `touched` names each TiDB-only part changed or
    /// left out, `indexes` the inline indexes left out.
    Rewritten {
        sql: String,
        touched: Vec<String>,
        indexes: Vec<String>,
    },
    /// Not sent: this server cannot run it at all. `why` says what it is,
    /// `index` names the index it creates.
    SetAside {
        why: String,
        index: String,
    },
}

impl Emitted {
    /// This statement for `profile` ([`StandIn::AsIs`] on TiDB).
    pub fn stand_in(&self, profile: Profile) -> StandIn {
        if profile == Profile::Tidb {
            return StandIn::AsIs;
        }
        let rw = &mut Rewrites {
            profile,
            ..Rewrites::default()
        };
        let index = match self.stmt() {
            Stmt::CreateIndex { index, .. } => Some(index),
            Stmt::Alter {
                op: AlterOp::AddIndex(index),
                ..
            } => Some(index),
            _ => None,
        };
        if let Some(ix) = index.filter(|ix| !rw.takes_index(ix)) {
            let why = if ix.kind == crate::model::IndexKind::Vector {
                format!(
                    "vector index `{}` is TiDB-only (v8.4+, tidb-facts §3)",
                    ix.name
                )
            } else {
                format!(
                    "expression index `{}`: MariaDB has no expression indexes (TiDB and MySQL 8 do)",
                    ix.name
                )
            };
            return StandIn::SetAside {
                why,
                index: ix.name.clone(),
            };
        }
        let sql = self.render(rw);
        let mut touched: Vec<String> = rw.indexes.iter().map(|n| format!("index `{n}`")).collect();
        if rw.cast_json {
            touched.push("CAST(… AS JSON) as CAST(… AS CHAR)".into());
        }
        touched.extend(
            rw.vectors
                .iter()
                .map(|c| format!("column `{c}` VECTOR as JSON")),
        );
        if touched.is_empty() {
            StandIn::AsIs
        } else {
            StandIn::Rewritten {
                sql,
                touched,
                indexes: std::mem::take(&mut rw.indexes),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, Index, IndexKind, KeyPart, Table, TiType};

    fn table() -> Table {
        let mut t = Table {
            name: "r".into(),
            ..Table::default()
        };
        let mut id = Column::new("id", TiType::Int);
        id.nullable = false;
        t.columns.push(id);
        t.columns.push(Column::new("e", TiType::Vector(Some(3))));
        let mut j = Column::new("j", TiType::Json);
        j.default = Some("(CAST('[]' AS JSON))".into());
        t.columns.push(j);
        t.indexes.push(Index {
            name: "ix_e".into(),
            kind: IndexKind::Vector,
            parts: vec![KeyPart::Expr("VEC_COSINE_DISTANCE(`e`)".into())],
        });
        t.indexes.push(Index {
            name: "ix_lower".into(),
            kind: IndexKind::Plain,
            parts: vec![KeyPart::Expr("LOWER(`id`)".into())],
        });
        t
    }

    #[test]
    fn tidb_only_parts_are_rewritten_or_left_out_per_profile() {
        let e = Emitted::new(Stmt::CreateTable(table()));
        assert_eq!(e.stand_in(Profile::Tidb), StandIn::AsIs);
        let StandIn::Rewritten {
            sql,
            touched,
            indexes,
        } = e.stand_in(Profile::Mariadb)
        else {
            panic!("rewritten for MariaDB")
        };
        assert_eq!(
            sql,
            "CREATE TABLE `r` (\n  `id` INT NOT NULL,\n  `e` JSON NULL,\n  `j` JSON NULL DEFAULT (CAST('[]' AS CHAR))\n) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
        );
        assert_eq!(indexes, ["ix_e", "ix_lower"]);
        assert_eq!(
            touched,
            [
                "index `ix_e`",
                "index `ix_lower`",
                "CAST(… AS JSON) as CAST(… AS CHAR)",
                "column `e` VECTOR as JSON"
            ]
        );
        // MySQL 8 has expression indexes and CAST(… AS JSON), not VECTOR.
        let StandIn::Rewritten { sql, indexes, .. } = e.stand_in(Profile::Mysql) else {
            panic!("rewritten for MySQL")
        };
        assert_eq!(indexes, ["ix_e"]);
        assert!(sql.contains("KEY `ix_lower` ((LOWER(`id`)))") && sql.contains("AS JSON"));
    }

    #[test]
    fn indexes_a_profile_cannot_create_are_set_aside() {
        let t = table();
        for ix in t.indexes.iter() {
            let create = Emitted::new(Stmt::CreateIndex {
                table: "r".into(),
                index: ix.clone(),
                if_not_exists: false,
            });
            let add = Emitted::alter("r", AlterOp::AddIndex(ix.clone()));
            for e in [create, add] {
                let StandIn::SetAside { index, .. } = e.stand_in(Profile::Mariadb) else {
                    panic!("set aside on MariaDB: {e}")
                };
                assert_eq!(index, ix.name);
                assert_eq!(e.stand_in(Profile::Tidb), StandIn::AsIs);
            }
        }
        let plain = Emitted::new(Stmt::Insert {
            table: "r".into(),
            ignore: false,
            columns: vec![],
            rows: vec![vec!["1".into()]],
        });
        assert_eq!(plain.sql(), "INSERT INTO `r` VALUES (1)");
        assert_eq!(plain.stand_in(Profile::Mariadb), StandIn::AsIs);
        // A CAST to JSON in a value is what MariaDB cannot take.
        let cast = Emitted::new(Stmt::Insert {
            table: "r".into(),
            ignore: true,
            columns: vec!["j".into()],
            rows: vec![vec!["CAST('{}' AS JSON)".into()], vec!["2".into()]],
        });
        assert_eq!(
            cast.sql(),
            "INSERT IGNORE INTO `r` (`j`) VALUES (CAST('{}' AS JSON)), (2)"
        );
        let StandIn::Rewritten { sql, .. } = cast.stand_in(Profile::Mariadb) else {
            panic!("rewritten on MariaDB: {cast}")
        };
        assert_eq!(
            sql,
            "INSERT IGNORE INTO `r` (`j`) VALUES (CAST('{}' AS CHAR)), (2)"
        );
    }
}
