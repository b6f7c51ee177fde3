//! Connection settings for `verify`: URLs, passwords and TLS.
//!
//! Passwords come from the URL, a named environment variable, or the
//! standard `MYSQL_PWD` / `PGPASSWORD`; they are never part of anything
//! printed ([`Endpoint::display`] has none, and [`Secrets::redact`] scrubs
//! driver messages).

use std::path::{Path, PathBuf};
use std::time::Duration;

/// The TLS mode of the target connection (MySQL client names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SslMode {
    Disabled,
    /// Encrypted, server certificate not checked.
    Required,
    /// Certificate checked against the CA, host name not.
    VerifyCa,
    /// Certificate and host name checked (what TiDB Cloud needs).
    VerifyIdentity,
}

impl SslMode {
    pub fn name(self) -> &'static str {
        match self {
            SslMode::Disabled => "DISABLED",
            SslMode::Required => "REQUIRED",
            SslMode::VerifyCa => "VERIFY_CA",
            SslMode::VerifyIdentity => "VERIFY_IDENTITY",
        }
    }
}

/// Where to connect, without the password.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
    pub user: String,
    /// The database named in the URL (the source side connects there to create its scratch database).
    pub database: Option<String>,
    pub ssl: SslMode,
    pub ca: Option<PathBuf>,
    password: Option<String>,
}

impl Endpoint {
    /// `user@host:port` (never the password).
    pub fn display(&self) -> String {
        format!("{}@{}:{}", self.user, self.host, self.port)
    }

    pub fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }
}

/// Passwords seen in this run, for scrubbing messages.
#[derive(Debug, Default, Clone)]
pub struct Secrets(Vec<String>);

impl Secrets {
    pub fn add(&mut self, e: &Endpoint) {
        if let Some(p) = e.password.as_deref().filter(|p| !p.is_empty()) {
            self.0.push(p.to_string());
            // Also as it appears percent-encoded in a URL.
            let enc: String = url::form_urlencoded::byte_serialize(p.as_bytes()).collect();
            self.0.push(enc);
        }
    }

    pub fn redact(&self, text: &str) -> String {
        let mut t = text.to_string();
        for s in &self.0 {
            if s.len() >= 2 {
                t = t.replace(s.as_str(), "***");
            }
        }
        t
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.replace(' ', "+"))
        .unwrap_or_default()
}

/// Parse `mysql://user[:password]@host[:port][/db][?ssl-mode=…]`.
///
/// TLS: `ssl-mode` when given; else VERIFY_IDENTITY when `--ca` is given or
/// the host is not loopback (the CA file and the built-in Mozilla roots);
/// else DISABLED.
pub fn target(
    url: &str,
    ca: Option<&Path>,
    password_env: Option<&str>,
) -> Result<Endpoint, String> {
    let parsed = url::Url::parse(url).map_err(|e| format!("--target-url: not a URL ({e})"))?;
    if parsed.scheme() != "mysql" && parsed.scheme() != "tidb" {
        return Err(format!(
            "--target-url: expected mysql://user@host:port/, got a {}:// URL",
            parsed.scheme()
        ));
    }
    let host = parsed
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or("--target-url: no host (mysql://user@host:port/)")?
        .to_string();
    let mut ssl = None;
    for (k, v) in parsed.query_pairs() {
        match k.to_lowercase().replace('_', "-").as_str() {
            "ssl-mode" | "sslmode" => {
                ssl = Some(match v.to_uppercase().replace('-', "_").as_str() {
                    "DISABLED" => SslMode::Disabled,
                    "REQUIRED" => SslMode::Required,
                    "VERIFY_CA" => SslMode::VerifyCa,
                    "VERIFY_IDENTITY" => SslMode::VerifyIdentity,
                    "PREFERRED" => return Err("--target-url: ssl-mode=PREFERRED may fall back to plain text; choose REQUIRED, VERIFY_CA, VERIFY_IDENTITY or DISABLED".into()),
                    other => return Err(format!("--target-url: unknown ssl-mode '{other}' (DISABLED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY)")),
                })
            }
            other => {
                return Err(format!(
                    "--target-url: unknown parameter '{other}' (only ssl-mode is read)"
                ))
            }
        }
    }
    let ssl = ssl.unwrap_or(if ca.is_some() || !is_loopback(&host) {
        SslMode::VerifyIdentity
    } else {
        SslMode::Disabled
    });
    if ssl == SslMode::Disabled && ca.is_some() {
        return Err("--ca given but ssl-mode=DISABLED".into());
    }
    let password = parsed
        .password()
        .map(decode)
        .or_else(|| password_env.and_then(|n| std::env::var(n).ok()))
        .or_else(|| std::env::var("MYSQL_PWD").ok());
    if let Some(n) = password_env {
        if std::env::var_os(n).is_none() && parsed.password().is_none() {
            return Err(format!("--password-env {n}: the variable is not set"));
        }
    }
    // Without --ca, a verifying mode trusts the system's CA bundle too
    // (besides the Mozilla roots built in).
    let ca = match ca {
        Some(c) => Some(c.to_path_buf()),
        None if matches!(ssl, SslMode::VerifyCa | SslMode::VerifyIdentity) => system_ca_bundle(),
        None => None,
    };
    Ok(Endpoint {
        port: parsed.port().unwrap_or(4000),
        user: Some(decode(parsed.username()))
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| "root".into()),
        database: Some(parsed.path().trim_start_matches('/').to_string()).filter(|d| !d.is_empty()),
        host,
        ssl,
        ca,
        password,
    })
}

/// The system's CA bundle: `SSL_CERT_FILE`, else the first of the usual places.
fn system_ca_bundle() -> Option<PathBuf> {
    let env = std::env::var_os("SSL_CERT_FILE").map(PathBuf::from);
    env.into_iter()
        .chain(
            [
                "/etc/ssl/certs/ca-certificates.crt",
                "/etc/pki/tls/certs/ca-bundle.crt",
                "/etc/ssl/cert.pem",
            ]
            .map(PathBuf::from),
        )
        .find(|p| p.is_file())
}

/// Parse `postgres://user[:password]@host[:port][/db]`.
pub fn source(url: &str, password_env: Option<&str>) -> Result<Endpoint, String> {
    let parsed = url::Url::parse(url).map_err(|e| format!("--source-url: not a URL ({e})"))?;
    if parsed.scheme() != "postgres" && parsed.scheme() != "postgresql" {
        return Err(format!(
            "--source-url: expected postgres://user@host:port/db, got a {}:// URL",
            parsed.scheme()
        ));
    }
    for (k, v) in parsed.query_pairs() {
        match (k.as_ref(), v.as_ref()) {
            ("sslmode", "disable" | "prefer" | "allow") => {}
            ("sslmode", other) => {
                return Err(format!(
                    "--source-url: sslmode={other}: TLS to the PostgreSQL side is not supported yet; verify against a local or tunnelled PostgreSQL"
                ))
            }
            (other, _) => {
                return Err(format!(
                    "--source-url: unknown parameter '{other}' (only sslmode=disable is read)"
                ))
            }
        }
    }
    let password = parsed
        .password()
        .map(decode)
        .or_else(|| password_env.and_then(|n| std::env::var(n).ok()))
        .or_else(|| std::env::var("PGPASSWORD").ok());
    if let Some(n) = password_env {
        if std::env::var_os(n).is_none() && parsed.password().is_none() {
            return Err(format!(
                "--source-password-env {n}: the variable is not set"
            ));
        }
    }
    Ok(Endpoint {
        host: parsed
            .host_str()
            .filter(|h| !h.is_empty())
            .unwrap_or("localhost")
            .to_string(),
        port: parsed.port().unwrap_or(5432),
        user: Some(decode(parsed.username()))
            .filter(|u| !u.is_empty())
            .or_else(|| std::env::var("PGUSER").ok())
            .unwrap_or_else(|| "postgres".into()),
        database: Some(parsed.path().trim_start_matches('/').to_string()).filter(|d| !d.is_empty()),
        ssl: SslMode::Disabled,
        ca: None,
        password,
    })
}

/// Connect to the target (`db`: the database to use, if any).
pub fn mysql_conn(
    e: &Endpoint,
    db: Option<&str>,
    timeout: Duration,
) -> Result<mysql::Conn, String> {
    let ssl = match e.ssl {
        SslMode::Disabled => None,
        mode => {
            let mut o = mysql::SslOpts::default();
            if let Some(ca) = &e.ca {
                o = o.with_root_cert_path(Some(ca.clone()));
            }
            if mode == SslMode::Required {
                o = o
                    .with_danger_accept_invalid_certs(true)
                    .with_danger_skip_domain_validation(true);
            } else if mode == SslMode::VerifyCa {
                o = o.with_danger_skip_domain_validation(true);
            }
            Some(o)
        }
    };
    if let Some(ca) = &e.ca {
        if !ca.is_file() {
            return Err(format!("--ca {}: no such file", ca.display()));
        }
    }
    let opts = mysql::OptsBuilder::new()
        .ip_or_hostname(Some(e.host.clone()))
        .tcp_port(e.port)
        .user(Some(e.user.clone()))
        .pass(e.password.clone())
        .db_name(db.map(str::to_string))
        .prefer_socket(false)
        .tcp_connect_timeout(Some(timeout))
        .read_timeout(Some(timeout))
        .write_timeout(Some(timeout))
        .ssl_opts(ssl);
    mysql::Conn::new(opts).map_err(|err| {
        let mut msg = one_line(&err.to_string());
        if msg.to_lowercase().contains("certificate") || msg.contains("UnknownIssuer") {
            msg.push_str(" (the server's certificate is not trusted: give its CA with --ca FILE)");
        }
        format!(
            "cannot connect to the target {} (ssl-mode={}): {msg}",
            e.display(),
            e.ssl.name()
        )
    })
}

/// Connect to the PostgreSQL side, to database `db`.
pub fn pg_client(e: &Endpoint, db: &str, timeout: Duration) -> Result<postgres::Client, String> {
    let mut cfg = postgres::Config::new();
    cfg.host(&e.host)
        .port(e.port)
        .user(&e.user)
        .dbname(db)
        .connect_timeout(timeout)
        .application_name("pg2tidb verify");
    if let Some(p) = &e.password {
        cfg.password(p);
    }
    cfg.connect(postgres::NoTls).map_err(|err| {
        format!(
            "cannot connect to PostgreSQL {} (database {db}): {}",
            e.display(),
            pg_error(&err)
        )
    })
}

/// A PostgreSQL error on one line, with the server's message when there is one.
pub fn pg_error(err: &postgres::Error) -> String {
    match err.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => {
            let mut s = one_line(&err.to_string());
            let mut src = std::error::Error::source(err);
            while let Some(e) = src {
                s.push_str(": ");
                s.push_str(&one_line(&e.to_string()));
                src = e.source();
            }
            s
        }
    }
}

pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_urls_pick_tls_and_keep_passwords_out_of_display() {
        let e = target("mysql://app:s%40cret@db.example.com:4000/x", None, None).unwrap();
        assert_eq!(e.display(), "app@db.example.com:4000");
        assert_eq!(e.password(), Some("s@cret"));
        assert_eq!(e.ssl, SslMode::VerifyIdentity, "non-loopback: verified TLS");
        let l = target("mysql://root@127.0.0.1:3306/", None, None).unwrap();
        assert_eq!(l.ssl, SslMode::Disabled);
        let c = target(
            "mysql://root@127.0.0.1:3306/",
            Some(Path::new("ca.pem")),
            None,
        )
        .unwrap();
        assert_eq!(c.ssl, SslMode::VerifyIdentity);
        let r = target("mysql://root@h/?ssl-mode=required", None, None).unwrap();
        assert_eq!(r.ssl, SslMode::Required);
        assert!(target("mysql://root@h/?ssl-mode=preferred", None, None).is_err());
        assert!(target("mysql://root@h/?foo=1", None, None).is_err());
        assert!(target("postgres://h/", None, None).is_err());
        let mut s = Secrets::default();
        s.add(&e);
        assert_eq!(
            s.redact("denied for s@cret and s%40cret"),
            "denied for *** and ***"
        );
    }

    #[test]
    fn source_urls_refuse_tls_they_cannot_do() {
        let e = source("postgres://u:pw@127.0.0.1:5433/app", None).unwrap();
        assert_eq!((e.port, e.database.as_deref()), (5433, Some("app")));
        assert!(source("postgres://u@h/app?sslmode=require", None).is_err());
        assert!(source("mysql://u@h/", None).is_err());
    }
}
