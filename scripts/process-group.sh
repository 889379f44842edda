# Sourced by elasticsearch.sh and kafka.sh. Each runs its server under setsid, so the server is a process group
# of its own whose id (the pid that `start` records) lets `stop` signal the launcher and the JVM at once.

# True while any process of the group is alive.
group_alive() { kill -0 -- "-$1" 2>/dev/null; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

print_log_tail() {
  echo "----- tail of $1 -----" >&2
  tail -n 60 "$1" >&2 || true
}

# stop_group <pid file> <pgrep pattern> <name>: TERM, then KILL after 30 s; the pid file goes once the group is gone.
stop_group() {
  local pidfile=$1 pattern=$2 name=$3 pid i
  [[ -f $pidfile ]] || { echo "no $pidfile; nothing to stop" >&2; return 0; }
  pid=$(cat "$pidfile")
  # kill -- -1 would signal every process we may signal
  [[ $pid =~ ^[0-9]+$ && $pid -gt 1 ]] || die "bad pid in $pidfile: $pid"
  # a pid file left from an earlier run may name a group id that is reused by now
  if group_alive "$pid" && ! pgrep -g "$pid" -f "$pattern" >/dev/null; then
    echo "process group $pid is not $name; leaving it alone" >&2
    rm -f "$pidfile"
    return 0
  fi
  if group_alive "$pid"; then
    # TERM first: a server flushes and releases its data directory on a clean shutdown
    kill -TERM -- "-$pid" 2>/dev/null || true
    for ((i = 0; i < 300; i++)); do
      group_alive "$pid" || break
      sleep 0.1
    done
    if group_alive "$pid"; then
      echo "$name (group $pid) ignored TERM for 30 s; killing it" >&2
      kill -KILL -- "-$pid" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do
        group_alive "$pid" || break
        sleep 0.1
      done
    fi
  fi
  group_alive "$pid" && die "process group $pid is still alive"
  rm -f "$pidfile"
}
