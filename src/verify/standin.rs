//! Which server `verify` talks to, and what it does on a MySQL-family server
//! that is not TiDB: the emitter renders each statement for the server's
//! profile, where TiDB-only SQL (vector columns and indexes; on MariaDB also
//! expression indexes and `CAST(… AS JSON)`) is rewritten or set aside, and
//! every such statement is reported as not proven there.

use crate::emit::{self, Emitted, Profile};
use crate::Target;

/// The target server, from `SELECT VERSION()`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Server {
    /// `8.0.11-TiDB-v7.5.6`: the TiDB release.
    Tidb {
        version: String,
        release: String,
    },
    Mariadb {
        version: String,
    },
    Mysql {
        version: String,
    },
}

impl Server {
    pub fn classify(version: &str) -> Server {
        let v = version.to_string();
        if let Some(i) = version.find("-TiDB-v") {
            let release = version[i + 7..]
                .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                .next()
                .unwrap_or("")
                .to_string();
            return Server::Tidb {
                version: v,
                release,
            };
        }
        if version.to_lowercase().contains("mariadb") {
            Server::Mariadb { version: v }
        } else {
            Server::Mysql { version: v }
        }
    }

    pub fn is_tidb(&self) -> bool {
        matches!(self, Server::Tidb { .. })
    }

    /// The conversion target for this server: the newest named target not
    /// newer than its release (`None` for a server that is not TiDB).
    pub fn target(&self) -> Option<Target> {
        let Server::Tidb { release, .. } = self else {
            return None;
        };
        let mut parts = release.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
        let v = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
        Some(if v >= (8, 5) {
            Target::Tidb85
        } else if v >= (8, 1) {
            Target::Tidb81
        } else {
            Target::Tidb75
        })
    }

    /// MariaDB shows string defaults quoted in information_schema; MySQL and TiDB bare.
    pub fn quoted_defaults(&self) -> bool {
        matches!(self, Server::Mariadb { .. })
    }

    pub fn describe(&self) -> String {
        match self {
            Server::Tidb { release, version } => format!("TiDB v{release} ({version})"),
            Server::Mariadb { version } => format!("MariaDB {version}"),
            Server::Mysql { version } => format!("MySQL {version}"),
        }
    }
}

/// What is sent for one converted statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StandIn {
    AsIs,
    /// Sent in this form; `reason` names the TiDB-only part and the names it
    /// touches; `indexes` are the inline indexes left out.
    Rewritten {
        sql: String,
        reason: String,
        indexes: Vec<String>,
    },
    /// Not sent: this server cannot run it at all (`indexes`: the index it creates).
    SetAside {
        reason: String,
        indexes: Vec<String>,
    },
}

impl Server {
    /// The emitter's profile for this server.
    pub fn profile(&self) -> Profile {
        match self {
            Server::Tidb { .. } => Profile::Tidb,
            Server::Mariadb { .. } => Profile::Mariadb,
            Server::Mysql { .. } => Profile::Mysql,
        }
    }
}

/// The stand-in for `stmt` on `server` (always [`StandIn::AsIs`] on TiDB):
/// the emitter renders the statement's value for the server's profile.
pub fn stand_in(server: &Server, stmt: &Emitted) -> StandIn {
    match stmt.stand_in(server.profile()) {
        emit::StandIn::AsIs => StandIn::AsIs,
        emit::StandIn::SetAside { why, index } => StandIn::SetAside {
            reason: format!("{why}; not proven on this server"),
            indexes: vec![index],
        },
        emit::StandIn::Rewritten {
            sql,
            touched,
            indexes,
        } => StandIn::Rewritten {
            sql,
            reason: format!(
                "TiDB-only SQL rewritten for {}: {}; not proven on this server",
                server.describe(),
                touched.join(", ")
            ),
            indexes,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_classify_and_pick_the_target() {
        let s = Server::classify("8.0.11-TiDB-v7.5.6");
        assert_eq!(s.target(), Some(Target::Tidb75));
        assert_eq!(
            Server::classify("8.0.11-TiDB-v8.1.2").target(),
            Some(Target::Tidb81)
        );
        assert_eq!(
            Server::classify("8.0.11-TiDB-v8.5.3-serverless").target(),
            Some(Target::Tidb85)
        );
        let m = Server::classify("10.11.6-MariaDB-0+deb12u1");
        assert!(matches!(m, Server::Mariadb { .. }) && m.target().is_none());
        assert!(matches!(Server::classify("8.0.36"), Server::Mysql { .. }));
    }

    #[test]
    fn tidb_only_sql_is_rewritten_or_set_aside_with_the_reason() {
        use crate::emit::{AlterOp, Stmt};
        use crate::model::{Column, Index, IndexKind, KeyPart, Table, TiType};
        let maria = Server::classify("10.11.6-MariaDB");
        let tidb = Server::classify("8.0.11-TiDB-v8.5.0");
        let mut t = Table {
            name: "r".into(),
            ..Table::default()
        };
        t.columns.push(Column::new("e", TiType::Vector(Some(3))));
        let ix = Index {
            name: "ix_e".into(),
            kind: IndexKind::Vector,
            parts: vec![KeyPart::Expr("VEC_COSINE_DISTANCE(`e`)".into())],
        };
        t.indexes.push(ix.clone());
        let create = Emitted::new(Stmt::CreateTable(t));
        assert_eq!(stand_in(&tidb, &create), StandIn::AsIs);
        let StandIn::Rewritten {
            reason, indexes, ..
        } = stand_in(&maria, &create)
        else {
            panic!("rewritten")
        };
        assert_eq!(indexes, ["ix_e"]);
        assert_eq!(
            reason,
            "TiDB-only SQL rewritten for MariaDB 10.11.6-MariaDB: index `ix_e`, column `e` VECTOR as JSON; not proven on this server"
        );
        let add = Emitted::alter("r", AlterOp::AddIndex(ix));
        assert_eq!(
            stand_in(&maria, &add),
            StandIn::SetAside {
                reason: "vector index `ix_e` is TiDB-only (v8.4+, tidb-facts §3); not proven on this server".into(),
                indexes: vec!["ix_e".into()],
            }
        );
    }
}
