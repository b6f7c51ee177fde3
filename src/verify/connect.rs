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

/// Which server a message is about (for its hints).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The target: TiDB, or a MySQL-family stand-in (`--target-url`).
    Target,
    /// The PostgreSQL side (`--source-url`).
    Source,
}

impl Side {
    fn flag(self) -> &'static str {
        match self {
            Side::Target => "--target-url",
            Side::Source => "--source-url",
        }
    }

    fn server(self) -> &'static str {
        match self {
            Side::Target => "a MySQL or TiDB server (TiDB listens on 4000, MySQL on 3306)",
            Side::Source => "a PostgreSQL server (PostgreSQL listens on 5432)",
        }
    }

    fn passwords(self) -> &'static str {
        match self {
            Side::Target => "in the URL, with --password-env NAME, or in MYSQL_PWD",
            Side::Source => "in the URL, with --source-password-env NAME, or in PGPASSWORD",
        }
    }
}

/// When a failure happened: while connecting, or on a connection that worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Connect,
    Session,
}

/// A failure described for a person: what happened, and what to try. One
/// line, no driver debug structures, no endpoint (the caller names it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub what: String,
    pub hint: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.hint.is_empty() {
            write!(f, "{}", self.what)
        } else {
            write!(f, "{}; {}", self.what, self.hint)
        }
    }
}

/// Facts a [`Problem`] is worded from.
pub struct Context<'a> {
    pub endpoint: &'a Endpoint,
    pub side: Side,
    pub phase: Phase,
    pub timeout: Duration,
}

impl Context<'_> {
    fn hostport(&self) -> String {
        format!("{}:{}", self.endpoint.host, self.endpoint.port)
    }

    fn problem(&self, what: impl Into<String>, hint: impl Into<String>) -> Problem {
        Problem {
            what: one_line(&what.into()),
            hint: hint.into(),
        }
    }

    fn timed_out(&self) -> Problem {
        let secs = self.timeout.as_secs_f64();
        match self.phase {
            Phase::Connect => self.problem(
                format!("no answer within {secs} s"),
                format!(
                    "check that {} is {} and reachable from here (firewall, VPN), or raise --timeout",
                    self.hostport(),
                    self.side.server()
                ),
            ),
            Phase::Session => self.problem(
                format!("no answer within {secs} s"),
                "the server or the network stalled, or a statement ran longer than that: raise --timeout, or run again",
            ),
        }
    }

    fn closed(&self, detail: Option<String>) -> Problem {
        let what = match detail {
            Some(d) => format!("the server closed the connection ({d})"),
            None => "the server closed the connection".to_string(),
        };
        match self.phase {
            Phase::Connect => self.problem(
                what,
                format!(
                    "check that {} is {} that accepts connections from this host",
                    self.hostport(),
                    self.side.server()
                ),
            ),
            Phase::Session => self.problem(
                what,
                "the server restarted, the session was killed, or a proxy cut it: run again (the server's log may say why)",
            ),
        }
    }

    fn not_the_protocol(&self, detail: &str) -> Problem {
        let protocol = match self.side {
            Side::Target => "MySQL",
            Side::Source => "PostgreSQL",
        };
        self.problem(
            format!(
                "the answer from {} is not the {protocol} protocol ({detail})",
                self.hostport()
            ),
            format!("check that {} is {}", self.hostport(), self.side.server()),
        )
    }

    fn refused(&self) -> Problem {
        self.problem(
            format!("connection refused: nothing listens on {}", self.hostport()),
            format!(
                "check the host and port in {} and that the server is running",
                self.side.flag()
            ),
        )
    }
}

/// Resolve the endpoint's host name (so that an unknown host is said as
/// such, before any driver wraps the resolver's error).
fn resolve(e: &Endpoint, side: Side) -> Result<(), Problem> {
    use std::net::ToSocketAddrs;
    match (e.host.as_str(), e.port)
        .to_socket_addrs()
        .map(|mut a| a.next().is_some())
    {
        Ok(true) => Ok(()),
        Ok(false) => Err(Problem {
            what: format!("the host name {} has no address", e.host),
            hint: format!("check the host in {}", side.flag()),
        }),
        Err(err) => Err(Problem {
            what: format!("unknown host {} ({})", e.host, one_line(&err.to_string())),
            hint: format!("check the host in {} (and this machine's DNS)", side.flag()),
        }),
    }
}

/// An I/O error of either driver.
fn io_problem(err: &std::io::Error, cx: &Context) -> Problem {
    use std::io::ErrorKind as K;
    if let Some(tls) = err
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        return tls_problem(tls, cx);
    }
    match err.kind() {
        K::ConnectionRefused if cx.phase == Phase::Connect => cx.refused(),
        K::TimedOut | K::WouldBlock => cx.timed_out(),
        K::ConnectionRefused
        | K::UnexpectedEof
        | K::ConnectionReset
        | K::ConnectionAborted
        | K::BrokenPipe
        | K::NotConnected => cx.closed(Some(one_line(&err.to_string()))),
        _ => cx.problem(
            format!("network error: {}", one_line(&err.to_string())),
            format!(
                "check that {} is {} and reachable from here",
                cx.hostport(),
                cx.side.server()
            ),
        ),
    }
}

/// A TLS failure of the target connection (rustls, under `mysql`).
fn tls_problem(err: &rustls::Error, cx: &Context) -> Problem {
    use rustls::CertificateError as C;
    let mode = cx.endpoint.ssl.name();
    match err {
        rustls::Error::InvalidCertificate(c) => match c {
            C::UnknownIssuer | C::BadSignature | C::Other(_) => cx.problem(
                "the server's certificate is not trusted (not issued by a certificate authority this run trusts)",
                "give the CA certificate that issued it with --ca FILE (ssl-mode=REQUIRED encrypts without checking it)",
            ),
            C::NotValidForName | C::NotValidForNameContext { .. } => cx.problem(
                format!("the server's certificate is not issued for the name {}", cx.endpoint.host),
                format!("connect by a name the certificate lists, or use ssl-mode=VERIFY_CA (ssl-mode is {mode})"),
            ),
            C::Expired | C::ExpiredContext { .. } | C::NotValidYet | C::NotValidYetContext { .. } => cx.problem(
                "the server's certificate has expired or is not valid yet",
                "renew the server's certificate, or check this machine's clock",
            ),
            _ => cx.problem(
                format!("the server's certificate was refused ({})", one_line(&tidy(&c.to_string()))),
                "check the server's certificate and --ca",
            ),
        },
        rustls::Error::AlertReceived(_)
        | rustls::Error::PeerIncompatible(_)
        | rustls::Error::NoCertificatesPresented => cx.problem(
            format!("the TLS handshake failed ({})", one_line(&tidy(&err.to_string()))),
            format!("check that the server supports TLS 1.2 or later, or set ssl-mode (now {mode})"),
        ),
        _ => cx.problem(
            format!("the TLS connection failed ({})", one_line(&tidy(&err.to_string()))),
            format!("check ssl-mode (now {mode}) and --ca"),
        ),
    }
}

/// A failure of the target connection, in words.
pub fn mysql_problem(err: &mysql::Error, cx: &Context) -> Problem {
    use mysql::DriverError as D;
    match err {
        mysql::Error::IoError(io) => io_problem(io, cx),
        mysql::Error::CodecError(codec) => {
            match std::error::Error::source(codec)
                .and_then(|s| s.downcast_ref::<std::io::Error>())
            {
                Some(io) => io_problem(io, cx),
                None => cx.not_the_protocol(&codec.to_string()),
            }
        }
        mysql::Error::DriverError(d) => match d {
            D::ConnectTimeout | D::Timeout => cx.timed_out(),
            D::CouldNotConnect(Some((_, desc, kind))) => match kind {
                std::io::ErrorKind::ConnectionRefused => cx.refused(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => cx.timed_out(),
                _ => cx.problem(
                    format!("could not connect ({desc})"),
                    format!("check the host and port in {}", cx.side.flag()),
                ),
            },
            D::CouldNotConnect(None) => cx.problem(
                "could not connect",
                format!("check the host and port in {}", cx.side.flag()),
            ),
            D::TlsNotSupported => cx.problem(
                format!(
                    "the server does not offer TLS, but ssl-mode={} requires it",
                    cx.endpoint.ssl.name()
                ),
                "enable TLS on the server, or use ssl-mode=DISABLED on a network you trust",
            ),
            D::UnknownAuthPlugin(name) => cx.problem(
                format!("the server asks for the authentication method {name}, which this client does not speak"),
                "use an account with mysql_native_password or caching_sha2_password",
            ),
            D::CleartextPluginDisabled | D::OldMysqlPasswordDisabled => cx.problem(
                format!("the server asks for an authentication method this client refuses ({d})"),
                "use an account with mysql_native_password or caching_sha2_password",
            ),
            D::UnsupportedProtocol(_)
            | D::Protocol41NotSet
            | D::PacketOutOfSync
            | D::UnexpectedPacket
            | D::CouldNotParseVersion => cx.not_the_protocol(&d.to_string()),
            other => cx.problem(
                format!("the client failed ({})", tidy(&other.to_string())),
                "run again; if it persists, report it with the server's version",
            ),
        },
        mysql::Error::MySqlError(e) => mysql_server_problem(e, cx),
        mysql::Error::TlsError(t) => {
            match std::error::Error::source(t).and_then(|s| s.downcast_ref::<rustls::Error>()) {
                Some(tls) => tls_problem(tls, cx),
                None => cx.problem(
                    format!("TLS cannot be set up ({})", one_line(&tidy(&t.to_string()))),
                    match &cx.endpoint.ca {
                        Some(ca) => format!(
                            "check that {} holds PEM certificates (the CA's)",
                            ca.display()
                        ),
                        None => "check ssl-mode and --ca".to_string(),
                    },
                ),
            }
        }
        other => cx.problem(
            format!("unexpected answer ({})", one_line(&tidy(&other.to_string()))),
            format!("check that {} is {}", cx.hostport(), cx.side.server()),
        ),
    }
}

/// Server errors that end the session rather than reject a statement:
/// connection killed (MariaDB 1927, MySQL/TiDB 1317 query interrupted),
/// server shutdown (1053), gone away / lost (2006, 2013).
pub const CONNECTION_GONE: &[u16] = &[1927, 1317, 1053, 2006, 2013];

fn mysql_server_problem(e: &mysql::MySqlError, cx: &Context) -> Problem {
    let said = format!("ERROR {} ({}): {}", e.code, e.state, one_line(&e.message));
    match e.code {
        // Access denied (user/password, or an account that requires TLS).
        1045 | 1698 => {
            let mut hint = format!(
                "check the user name and the password ({})",
                cx.side.passwords()
            );
            if cx.endpoint.ssl == SslMode::Disabled {
                hint.push_str(
                    "; if the account requires TLS, set ssl-mode=REQUIRED or VERIFY_IDENTITY (with --ca)",
                );
            }
            cx.problem(format!("access denied ({said})"), hint)
        }
        // Insecure transport refused (MySQL 3159, MariaDB 4151).
        3159 | 4151 => cx.problem(
            format!("the server requires TLS ({said})"),
            "set ssl-mode=REQUIRED, VERIFY_CA or VERIFY_IDENTITY (with --ca FILE) in --target-url",
        ),
        1040 | 1203 => cx.problem(
            format!("the server has too many connections ({said})"),
            "try again later",
        ),
        1129 | 1130 => cx.problem(
            format!("the server does not accept this user from this host ({said})"),
            "ask its administrator to allow this host, or connect from one it allows",
        ),
        1044 => cx.problem(
            format!("access denied ({said})"),
            "the user needs the CREATE and DROP privileges on the target",
        ),
        code if CONNECTION_GONE.contains(&code) => cx.closed(Some(said)),
        _ if cx.phase == Phase::Connect => cx.problem(
            said,
            format!(
                "check the account in {} (the server's log may say more)",
                cx.side.flag()
            ),
        ),
        _ => cx.problem(said, String::new()),
    }
}

/// A failure of the PostgreSQL connection, in words.
pub fn pg_problem(err: &postgres::Error, cx: &Context) -> Problem {
    use postgres::error::SqlState;
    if let Some(db) = err.as_db_error() {
        let said = format!("{}: {}", db.severity(), one_line(db.message()));
        let code = db.code();
        return if *code == SqlState::INVALID_PASSWORD {
            cx.problem(
                said,
                format!(
                    "check the user name and the password ({})",
                    cx.side.passwords()
                ),
            )
        } else if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION {
            cx.problem(
                said,
                "check the user name, and that the server's pg_hba.conf admits this user from this host without TLS (TLS to the PostgreSQL side is not supported yet: use a local or tunnelled server)",
            )
        } else if *code == SqlState::INVALID_CATALOG_NAME {
            cx.problem(
                said,
                "name an existing database in --source-url (default postgres): the scratch database is created from it",
            )
        } else if *code == SqlState::TOO_MANY_CONNECTIONS || *code == SqlState::CANNOT_CONNECT_NOW {
            cx.problem(said, "try again later")
        } else if *code == SqlState::ADMIN_SHUTDOWN
            || *code == SqlState::CRASH_SHUTDOWN
            || *code == SqlState::IDLE_SESSION_TIMEOUT
        {
            cx.closed(Some(said))
        } else if *code == SqlState::INSUFFICIENT_PRIVILEGE {
            cx.problem(
                said,
                "the user needs CREATEDB on PostgreSQL (verify creates a scratch database)",
            )
        } else {
            cx.problem(said, db.hint().map(one_line).unwrap_or_default())
        };
    }
    let mut src = std::error::Error::source(err);
    while let Some(e) = src {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return io_problem(io, cx);
        }
        src = e.source();
    }
    if err.is_closed() {
        return cx.closed(None);
    }
    // The driver's own words (`unexpected message from server`, …).
    cx.not_the_protocol(&one_line(&err.to_string()))
}

/// Connect to the target (`db`: the database to use, if any).
pub fn mysql_conn(
    e: &Endpoint,
    db: Option<&str>,
    timeout: Duration,
) -> Result<mysql::Conn, String> {
    let cannot = |p: Problem| {
        format!(
            "cannot connect to the target {} (ssl-mode={}): {p}",
            e.display(),
            e.ssl.name()
        )
    };
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
    resolve(e, Side::Target).map_err(cannot)?;
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
        cannot(mysql_problem(
            &err,
            &Context {
                endpoint: e,
                side: Side::Target,
                phase: Phase::Connect,
                timeout,
            },
        ))
    })
}

/// Connect to the PostgreSQL side, to database `db`, within `timeout`
/// (the driver bounds only the TCP connect: a server that accepts it and
/// never answers is given up on here). Statements are bounded by
/// `statement_timeout`, set to the same time.
pub fn pg_client(e: &Endpoint, db: &str, timeout: Duration) -> Result<postgres::Client, String> {
    let cannot = |p: Problem| {
        format!(
            "cannot connect to PostgreSQL {} (database {db}): {p}",
            e.display()
        )
    };
    resolve(e, Side::Source).map_err(cannot)?;
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
    let cx = Context {
        endpoint: e,
        side: Side::Source,
        phase: Phase::Connect,
        timeout,
    };
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("pg2tidb-pg-connect".into())
        .spawn(move || {
            let _ = tx.send(cfg.connect(postgres::NoTls));
        })
        .map_err(|err| cannot(cx.problem(format!("cannot start a thread: {err}"), "")))?;
    match rx.recv_timeout(timeout) {
        Ok(Ok(mut client)) => {
            // A SET rather than a startup option: poolers such as PgBouncer
            // refuse the `options` startup parameter.
            let _ =
                client.batch_execute(&format!("SET statement_timeout = {}", timeout.as_millis()));
            Ok(client)
        }
        Ok(Err(err)) => Err(cannot(pg_problem(&err, &cx))),
        // The connecting thread stays blocked on the silent server; it ends with the process.
        Err(_) => Err(cannot(cx.timed_out())),
    }
}

/// A PostgreSQL error on one line: the server's message when there is one,
/// else what happened to the connection (see [`pg_problem`]).
pub fn pg_error(err: &postgres::Error, cx: &Context) -> String {
    match err.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), one_line(db.message())),
        None => pg_problem(err, cx).to_string(),
    }
}

pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Driver text without Rust debug-structure shapes: `Name { inner }` becomes
/// `inner` (some drivers' Display embeds them).
pub fn tidy(s: &str) -> String {
    let mut t = s.to_string();
    while let Some(open) = t.find(" { ") {
        let name_start = t[..open]
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let Some(close) = t[open..].find(" }").map(|i| i + open) else {
            break;
        };
        let inner = t[open + 3..close].to_string();
        t.replace_range(name_start..close + 2, &inner);
    }
    t
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

    /// The target's driver errors, each class in words: what happened and
    /// what to try, never a debug structure (`DriverError { … }`).
    #[test]
    fn target_driver_errors_are_described_for_a_person() {
        use std::io::{Error as Io, ErrorKind as K};
        let e = target("mysql://app@db.example.com:4000/", None, None).unwrap();
        let cx = Context {
            endpoint: &e,
            side: Side::Target,
            phase: Phase::Connect,
            timeout: Duration::from_secs(5),
        };
        let tls = |c: rustls::CertificateError| {
            mysql::Error::IoError(Io::new(
                K::InvalidData,
                rustls::Error::InvalidCertificate(c),
            ))
        };
        let server = |code: u16, message: &str| {
            mysql::Error::MySqlError(mysql::MySqlError {
                state: "28000".into(),
                message: message.into(),
                code,
            })
        };
        let cases: Vec<(mysql::Error, &[&str])> = vec![
            (
                mysql::Error::DriverError(mysql::DriverError::ConnectTimeout),
                &["no answer within 5 s", "raise --timeout"],
            ),
            (
                mysql::Error::DriverError(mysql::DriverError::CouldNotConnect(Some((
                    "db.example.com:4000".into(),
                    "Connection refused (os error 111)".into(),
                    K::ConnectionRefused,
                )))),
                &["connection refused", "--target-url"],
            ),
            (
                mysql::Error::DriverError(mysql::DriverError::TlsNotSupported),
                &["does not offer TLS", "ssl-mode=VERIFY_IDENTITY"],
            ),
            (
                mysql::Error::DriverError(mysql::DriverError::UnknownAuthPlugin(
                    "auth_gssapi_client".into(),
                )),
                &["auth_gssapi_client", "mysql_native_password"],
            ),
            (
                mysql::Error::DriverError(mysql::DriverError::PacketOutOfSync),
                &["not the MySQL protocol", "db.example.com:4000"],
            ),
            (
                tls(rustls::CertificateError::UnknownIssuer),
                &["not trusted", "--ca FILE"],
            ),
            (
                tls(rustls::CertificateError::NotValidForName),
                &["not issued for the name db.example.com", "VERIFY_CA"],
            ),
            (
                tls(rustls::CertificateError::Expired),
                &["expired", "renew"],
            ),
            (
                mysql::Error::IoError(Io::new(
                    K::InvalidData,
                    rustls::Error::AlertReceived(rustls::AlertDescription::HandshakeFailure),
                )),
                &["TLS handshake failed", "TLS 1.2"],
            ),
            (
                mysql::Error::IoError(Io::new(K::UnexpectedEof, "server disconnected")),
                &["closed the connection (server disconnected)"],
            ),
            (
                mysql::Error::IoError(Io::new(K::WouldBlock, "Resource temporarily unavailable")),
                &["no answer within 5 s"],
            ),
            (
                server(
                    1045,
                    "Access denied for user 'app'@'10.0.0.1' (using password: YES)",
                ),
                &["access denied", "--password-env", "MYSQL_PWD"],
            ),
            (
                server(3159, "Connections using insecure transport are prohibited"),
                &["requires TLS", "ssl-mode=REQUIRED"],
            ),
            (
                server(1927, "Connection was killed"),
                &["closed the connection (ERROR 1927"],
            ),
        ];
        for (err, said) in cases {
            let p = mysql_problem(&err, &cx);
            let line = p.to_string();
            for s in said {
                assert!(line.contains(s), "{s:?} in {line}");
            }
            assert!(!p.hint.is_empty(), "what to try: {line}");
            assert!(
                !line.contains('{') && !line.contains('}') && !line.contains('\n'),
                "{line}"
            );
        }
    }

    #[test]
    fn debug_shapes_are_tidied_out_of_driver_text() {
        assert_eq!(
            tidy("DriverError { Could not connect: timeout }"),
            "Could not connect: timeout"
        );
        assert_eq!(tidy("a: Outer { Inner { x } } b"), "a: x b");
        assert_eq!(tidy("no braces here"), "no braces here");
    }

    #[test]
    fn source_urls_refuse_tls_they_cannot_do() {
        let e = source("postgres://u:pw@127.0.0.1:5433/app", None).unwrap();
        assert_eq!((e.port, e.database.as_deref()), (5433, Some("app")));
        assert!(source("postgres://u@h/app?sslmode=require", None).is_err());
        assert!(source("mysql://u@h/", None).is_err());
    }
}
