#!/usr/bin/env bash
# Validates a simulated rack end to end, in one command: the datacenter simulator serves the
# example rack (2 switches, 20 servers) on 127.0.0.1 with one failed fan, a Conveyor server on the
# embedded MariaDB runs the TOR starter and server validation jobs, and the rack's grid is printed.
# Everything started here is stopped on exit. Build first: mvn -B -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d "${HOME}/.conveyor-tour.XXXXXX")  # not under /tmp: the embedded database keeps data here
manifest=dc-sim/src/main/resources/examples/rack-r1.yaml
conveyor=(java -jar queue-server/target/conveyor.jar)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_for() {  # wait_for DESCRIPTION COMMAND…: up to 180 s
  local what=$1; shift
  for _ in $(seq 1 180); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "timed out waiting for $what" >&2; return 1
}

echo "starting the datacenter simulator (log: $work/dc-sim.log)"
java -jar dc-sim/target/dc-sim.jar --manifest "$manifest" --admin-port 9000 \
    --write-certificate "$work/dc-sim.pem" >"$work/dc-sim.log" 2>&1 &
pids+=($!)
wait_for "the simulator" curl -sf localhost:9000/devices
curl -sf -X POST localhost:9000/devices/R1SRV0003/faults -d '{"type":"failed-fan","name":"Fan 2"}'
echo "injected a failed fan into R1SRV0003"

printf '%s' "${DCSIM_PASSWORD:-dc-sim}" >"$work/device.password"
for family in BMC SWITCH; do
  export "CONVEYOR_${family}_USERNAME=${DCSIM_USERNAME:-admin}"
  export "CONVEYOR_${family}_PASSWORD_FILE=$work/device.password"
  export "CONVEYOR_${family}_CA_FILE=$work/dc-sim.pem"
done

# A laptop tour: no TLS and no authentication, for the server and the CLI (docs/security.md).
export CONVEYOR_PLAINTEXT=true
echo "starting a Conveyor server on an embedded MariaDB, plaintext (log: $work/server.log)"
"${conveyor[@]}" server --plaintext --data-dir "$work/data" >"$work/server.log" 2>&1 &
pids+=($!)
wait_for "the server" curl -sf localhost:7071/readyz

"${conveyor[@]}" rack validate "$manifest"
for _ in $(seq 1 300); do
  status=$("${conveyor[@]}" rack status r1 2>/dev/null || true)
  if grep -q " 0 in progress" <<<"$status"; then break; fi
  sleep 1
done
echo "$status"
