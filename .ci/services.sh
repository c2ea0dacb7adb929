# Sourced by .ci/run: make PostgreSQL and Redis answer on 127.0.0.1, whatever the machine.

apt_install() {
  if [ -z "${SCF_APT_UPDATED:-}" ]; then apt-get update -qq; SCF_APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    echo "ci: PostgreSQL is running"
  else
    if ! command -v pg_ctlcluster >/dev/null 2>&1; then
      echo "ci: installing PostgreSQL from Debian's packages"
      apt_install postgresql
    fi
    echo "ci: starting PostgreSQL"
    local version
    version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    pg_isready -h 127.0.0.1 -p 5432 || { echo "ci: PostgreSQL did not start"; exit 1; }
  fi
  # A password works under both trust (this machine) and a stock Debian md5/scram setup.
  su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null 2>&1 || true
  su postgres -c "createdb test" >/dev/null 2>&1 || true
}

redis_up() {
  python3 - <<'PY' 2>/dev/null
import socket, sys
s = socket.create_connection(("127.0.0.1", 6379), timeout=1)
s.sendall(b"PING\r\n")
sys.exit(0 if s.recv(16).startswith(b"+PONG") else 1)
PY
}

ensure_redis() {
  if redis_up; then
    echo "ci: Redis is running"
    return
  fi
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "ci: installing Redis from Debian's packages"
    apt_install redis-server
  fi
  echo "ci: starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis_up && break; sleep 1; done
  redis_up || { echo "ci: Redis did not start"; exit 1; }
}

ensure_pdf_tools() {
  # The document tests read PDFs back with pdftotext/pdffonts/pdftoppm (Debian poppler-utils).
  if ! command -v pdftotext >/dev/null 2>&1; then
    echo "ci: installing poppler-utils from Debian's packages"
    apt_install poppler-utils
  fi
}
