# Real services for the probe tests, sourced after lib.sh; each stops with
# the test (PIDS):
#   start_sshd ADDR PORT                  OpenSSH's sshd, a fresh host key
#   start_telnetd ADDR PORT LOGIN         inetutils-telnetd, run per connection
#                                         by tests/probe/inetd.py, LOGIN as
#                                         its login program
#   start_web ADDR PORT REALM SERVERTAG   lighttpd: 401 with a Basic realm
#   start_tls ADDR PORT SUBJECT           lighttpd over TLS, a self-signed
#                                         certificate naming SUBJECT
#   start_silent ADDR PORT                accepts, never speaks
#   wait_tcp ADDR PORT                    until it accepts (or fail)
PROBEDATA="$SRCDIR/tests/probe"

wait_tcp() {
  python3 - "$1" "$2" <<'PY' || fail "nothing listens on $1:$2"
import socket, sys, time
for _ in range(300):
    try:
        socket.create_connection((sys.argv[1], int(sys.argv[2])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PY
}

start_sshd() {
  local dir="$TMP/sshd.$1.$2"
  mkdir -p "$dir"
  [ -x /usr/sbin/sshd ] || skip "no sshd (openssh-server)"
  ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
  printf 'ListenAddress %s:%s\nHostKey %s/host_key\nPidFile %s/pid\nUsePAM no\nPasswordAuthentication no\n' \
    "$1" "$2" "$dir" "$dir" > "$dir/sshd_config"
  # privilege separation wants this directory when started as root
  [ "$(id -u)" -eq 0 ] && mkdir -p /run/sshd
  setsid /usr/sbin/sshd -D -e -f "$dir/sshd_config" 2>"$dir/log" &
  PIDS+=($!)
  wait_tcp "$1" "$2"
}

start_telnetd() {
  [ -x /usr/sbin/telnetd ] || skip "no telnetd (inetutils-telnetd)"
  setsid python3 "$PROBEDATA/inetd.py" "$1" "$2" /usr/sbin/telnetd -h -E "$3" &
  PIDS+=($!)
  wait_tcp "$1" "$2"
}

lighttpd_conf() {       # DIR ADDR PORT: the common part
  mkdir -p "$1/www"
  echo hello > "$1/www/index.html"
  printf 'server.document-root = "%s/www"\nserver.bind = "%s"\nserver.port = %s\nserver.errorlog = "%s/log"\n' \
    "$1" "$2" "$3" "$1"
}

start_web() {
  local dir="$TMP/web.$1.$2"
  command -v lighttpd >/dev/null || skip "no lighttpd"
  mkdir -p "$dir"
  { lighttpd_conf "$dir" "$1" "$2"
    printf 'server.tag = "%s"\nserver.modules += ("mod_auth", "mod_authn_file")\n' "$4"
    printf 'auth.backend = "plain"\nauth.backend.plain.userfile = "%s/users"\n' "$dir"
    printf 'auth.require = ("/" => ("method" => "basic", "realm" => "%s", "require" => "valid-user"))\n' "$3"
  } > "$dir/lighttpd.conf"
  : > "$dir/users"
  setsid lighttpd -D -f "$dir/lighttpd.conf" &
  PIDS+=($!)
  wait_tcp "$1" "$2"
}

start_tls() {
  local dir="$TMP/tls.$1.$2"
  command -v lighttpd >/dev/null || skip "no lighttpd"
  mkdir -p "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "$3" -keyout "$dir/key.pem" -out "$dir/cert.pem" \
    2>/dev/null
  { lighttpd_conf "$dir" "$1" "$2"
    printf 'server.modules += ("mod_openssl")\nssl.engine = "enable"\n'
    printf 'ssl.pemfile = "%s/cert.pem"\nssl.privkey = "%s/key.pem"\n' "$dir" "$dir"
  } > "$dir/lighttpd.conf"
  setsid lighttpd -D -f "$dir/lighttpd.conf" &
  PIDS+=($!)
  wait_tcp "$1" "$2"
}

start_silent() {
  setsid python3 "$PROBEDATA/silent.py" "$1" "$2" &
  PIDS+=($!)
  wait_tcp "$1" "$2"
}
