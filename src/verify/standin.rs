//! Which server `verify` talks to, and what it does on a MySQL-family server
//! that is not TiDB: TiDB-only SQL (vector columns and indexes; on MariaDB
//! also expression indexes and `CAST(… AS JSON)`) is rewritten or set aside,
//! and every such statement is reported as not proven there.

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

/// The stand-in for `stmt` on `server` (always [`StandIn::AsIs`] on TiDB).
pub fn stand_in(server: &Server, stmt: &str) -> StandIn {
    if server.is_tidb() {
        return StandIn::AsIs;
    }
    let maria = matches!(server, Server::Mariadb { .. });
    let name_after = |s: &str| s.split('`').nth(1).unwrap_or_default().to_string();
    if stmt.starts_with("CREATE VECTOR INDEX ") {
        return StandIn::SetAside {
            reason: format!(
                "vector index `{}` is TiDB-only (v8.4+, tidb-facts §3); not proven on this server",
                name_after(stmt)
            ),
            indexes: vec![name_after(stmt)],
        };
    }
    let keys = stmt.split_once("` (").map(|x| x.1).unwrap_or("");
    let is_index = stmt.starts_with("CREATE INDEX ") || stmt.starts_with("CREATE UNIQUE INDEX ");
    if maria && is_index && (keys.starts_with('(') || keys.contains(", (")) {
        return StandIn::SetAside {
            reason: format!(
                "expression index `{}`: MariaDB has no expression indexes (TiDB and MySQL 8 do); not proven on this server",
                name_after(stmt)
            ),
            indexes: vec![name_after(stmt)],
        };
    }
    let mut touched = Vec::new();
    let mut indexes = Vec::new();
    let mut sql = stmt.to_string();
    // Inline TiDB-only index definitions in CREATE TABLE.
    if stmt.starts_with("CREATE TABLE") {
        let mut lines: Vec<String> = sql.lines().map(str::to_string).collect();
        let before = lines.len();
        lines.retain(|l| {
            let item = l.trim().trim_end_matches(',');
            let keys = item.split_once("` (").map(|x| x.1).unwrap_or("");
            let vector = item.starts_with("VECTOR INDEX ");
            let expr = maria
                && (item.starts_with("KEY ") || item.starts_with("UNIQUE KEY "))
                && (keys.starts_with('(') || keys.contains(", ("));
            if vector || expr {
                touched.push(format!("index `{}`", name_after(item)));
                indexes.push(name_after(item));
            }
            !(vector || expr)
        });
        if lines.len() != before && lines.len() >= 2 {
            let (head, rest) = lines.split_first().expect("two lines");
            let (tail, items) = rest.split_last().expect("two lines");
            let items: Vec<&str> = items.iter().map(|l| l.trim_end_matches(',')).collect();
            sql = format!("{head}\n{}\n{tail}", items.join(",\n"));
        }
    }
    if maria && sql.contains(" AS JSON)") {
        sql = sql.replace(" AS JSON)", " AS CHAR)");
        touched.push("CAST(… AS JSON) as CAST(… AS CHAR)".into());
    }
    // VECTOR(n) → JSON, naming each column.
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql.as_str();
    while let Some(i) = rest.find(" VECTOR") {
        let after = &rest[i + 7..];
        let end = if after.starts_with('(') {
            after.find(')').map(|j| j + 1).unwrap_or(0)
        } else if after.starts_with([' ', ',', '\n']) || after.is_empty() {
            0
        } else {
            out.push_str(&rest[..i + 7]);
            rest = after;
            continue;
        };
        let col = rest[..i].trim_end().rsplit('`').nth(1).unwrap_or_default();
        touched.push(format!("column `{col}` VECTOR as JSON"));
        out.push_str(&rest[..i]);
        out.push_str(" JSON");
        rest = &after[end..];
    }
    out.push_str(rest);
    if touched.is_empty() {
        StandIn::AsIs
    } else {
        StandIn::Rewritten {
            sql: out,
            reason: format!(
                "TiDB-only SQL rewritten for {}: {}; not proven on this server",
                server.describe(),
                touched.join(", ")
            ),
            indexes,
        }
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
    fn tidb_only_sql_is_rewritten_or_set_aside_on_mariadb_only() {
        let maria = Server::classify("10.11.6-MariaDB");
        let tidb = Server::classify("8.0.11-TiDB-v8.5.0");
        let t = "CREATE TABLE `r` (\n  `id` INT NOT NULL,\n  `e` VECTOR(3) NULL,\n  VECTOR INDEX `ix_e` ((VEC_COSINE_DISTANCE(`e`))) USING HNSW\n) DEFAULT CHARSET=utf8mb4";
        assert_eq!(stand_in(&tidb, t), StandIn::AsIs);
        let StandIn::Rewritten {
            sql,
            reason,
            indexes,
        } = stand_in(&maria, t)
        else {
            panic!("rewritten")
        };
        assert_eq!(indexes, ["ix_e"]);
        assert_eq!(
            sql,
            "CREATE TABLE `r` (\n  `id` INT NOT NULL,\n  `e` JSON NULL\n) DEFAULT CHARSET=utf8mb4"
        );
        assert!(
            reason.contains("`ix_e`") && reason.contains("`e` VECTOR"),
            "{reason}"
        );
        assert!(matches!(
            stand_in(&maria, "CREATE INDEX `ix` ON `r` ((LOWER(`t`)))"),
            StandIn::SetAside { .. }
        ));
        let mysql = Server::classify("8.0.36");
        assert_eq!(
            stand_in(&mysql, "CREATE INDEX `ix` ON `r` ((LOWER(`t`)))"),
            StandIn::AsIs
        );
        assert_eq!(
            stand_in(&maria, "CREATE TABLE `vectors_x` (`id` INT)"),
            StandIn::AsIs
        );
    }
}
