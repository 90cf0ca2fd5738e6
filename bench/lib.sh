# Shared by bench/run.sh, bench/writes.sh and bench/pages.sh (sourced).

log() { printf '\n== %s\n' "$*" >&2; }
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
psql_db() { psql -X -q -v ON_ERROR_STOP=1 -At "$DB_URL" "$@"; }
# Seconds since the epoch, with fractions (for timing the parts).
now_s() { date +%s.%N; }
since() { printf '%.0f' "$(calc "$(now_s) - $1")"; }

# CPU time (user + system, in clock ticks) of a process, and of the bench database's
# backends (the server's pool; this shell's own psql is excluded).
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }'; }
backend_ticks() {
  local total=0 pid t
  for pid in $(psql_db -c "SELECT pid FROM pg_stat_activity
                            WHERE datname = '$BENCH_DB' AND pid <> pg_backend_pid()"); do
    t=$(cpu_ticks "$pid")
    total=$((total + ${t:-0}))
  done
  echo "$total"
}

# Installs a Debian package for a missing tool, as root or through sudo.
need_tool() {
  local tool=$1 package=$2
  command -v "$tool" >/dev/null && return 0
  log "installing $tool ($package)"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$package"
}

# Signs in at $BASE as USER with $PASSWORD (the form's CSRF token and cookie, then the
# password); prints the "lamtheobac_session=…" cookie. JAR is a scratch file.
sign_in() {
  local user=$1 jar=$2 token status
  rm -f "$jar"
  token=$(curl -fs -c "$jar" "$BASE/login" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
  [ -n "$token" ] || { echo "no csrf_token on /login" >&2; return 1; }
  status=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" \
    --data-urlencode "username=$user" --data-urlencode "password=$PASSWORD" \
    --data-urlencode "csrf_token=$token" "$BASE/login")
  [ "$status" = 303 ] || { echo "sign-in of $user refused (HTTP $status)" >&2; return 1; }
  echo "lamtheobac_session=$(awk '$6 == "lamtheobac_session" { print $7 }' "$jar" | tail -1)"
}
