#!/usr/bin/env bash
# A QEMU micro-VM for the agent: Debian's own kernel, a tiny initramfs made here, the host's root read-only over
# virtio-9p, cgroup v2 only, and one NIC in user mode whose only way in is one forwarded loopback port.
#
#   vm.sh prepare                 kernel and initramfs into the build folder (cached: a second run does nothing)
#   vm.sh start --port P --secret-file F [--memory MB] [--pools PY,JS] [--wall-limit-ms MS] [--state DIR]
#                                 boots the guest (KVM when /dev/kvm is there, software emulation otherwise), its
#                                 agent listening on tcp://127.0.0.1:P; returns once the agent answers a ping
#   vm.sh stop [--state DIR]      powers the guest off
#
# Needs qemu-system-x86 and busybox-static (scripts/deps.sh installs them) and root (the agent in the guest reads
# the host's files as root through 9p).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
agent_dir="$(dirname "$here")"
build="${KA_VM_BUILD:-$agent_dir/build/vm}"
state="$build/run"
# the one virtio-net and 9p path from the guest to its root and to the host, and their dependencies
MODULES=(virtio_pci virtio_mmio 9p 9pnet_virtio virtio_net)
GUEST_PORT=7000

die() { echo "vm: $*" >&2; exit 1; }

# The kernel the project's Debian release would install (linux-image-amd64 names it), unpacked, not installed:
# installing runs the slow initramfs hooks and changes the host's boot. The cloud flavour lacks 9p.
prepare_kernel() {
  local pkg
  pkg="$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')"
  [ -n "$pkg" ] || die "apt-cache names no kernel for linux-image-amd64 (run apt-get update)"
  if [ -f "$build/kernel/.package" ] && [ "$(cat "$build/kernel/.package")" = "$pkg" ]; then
    return
  fi
  rm -rf "$build/kernel" "$build/deb" && mkdir -p "$build/deb"
  (cd "$build/deb" && apt-get download -q "$pkg" >/dev/null 2>&1) || die "apt-get download $pkg failed"
  dpkg-deb -x "$build"/deb/*.deb "$build/kernel"
  local kver
  kver="$(ls "$build/kernel/lib/modules")"
  depmod -b "$build/kernel" "$kver"
  echo "$pkg" > "$build/kernel/.package"
  rm -rf "$build/deb"
}

kernel_version() { ls "$build/kernel/lib/modules"; }

# busybox and the modules in the order modprobe loads them; rebuilt when this script or the kernel changes
prepare_initramfs() {
  local out="$build/initramfs.cpio.gz" kver
  kver="$(kernel_version)"
  if [ -f "$out" ] && [ "$out" -nt "$here/initramfs-init.sh" ] && [ "$out" -nt "$build/kernel/.package" ] \
     && [ "$out" -nt "$0" ]; then
    return
  fi
  local root="$build/initramfs"
  rm -rf "$root" && mkdir -p "$root/bin" "$root/modules"
  cp /bin/busybox "$root/bin/busybox"
  cp "$here/initramfs-init.sh" "$root/init" && chmod 755 "$root/init"
  : > "$root/modules/order"
  local m line ko
  for m in "${MODULES[@]}"; do
    while read -r line; do
      ko="${line#insmod }"; ko="${ko%% *}"
      [ "${line%% *}" = insmod ] || continue
      grep -qxF "$(basename "$ko")" "$root/modules/order" && continue
      cp "$ko" "$root/modules/"
      basename "$ko" >> "$root/modules/order"
    done < <(modprobe -S "$kver" -d "$build/kernel" --show-depends "$m")
  done
  (cd "$root" && find . | cpio -o -H newc --quiet | gzip -1 > "$out.tmp") && mv "$out.tmp" "$out"
}

cmd_prepare() {
  command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing: run scripts/deps.sh"
  [ -x /bin/busybox ] || die "/bin/busybox missing: run scripts/deps.sh"
  mkdir -p "$build"
  prepare_kernel
  prepare_initramfs
}

# KVM first where /dev/kvm is usable, software emulation (TCG) always as the fallback; KA_VM_ACCEL forces one
accelerators() {
  if [ -n "${KA_VM_ACCEL:-}" ]; then
    echo "$KA_VM_ACCEL"
  elif [ -w /dev/kvm ]; then
    echo kvm tcg
  else
    echo tcg
  fi
}

# QEMU removes its pid file when it exits
qemu_alive() {
  local pid
  pid="$(cat "$state/qemu.pid" 2>/dev/null)" && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# launch ACCEL PORT SECRET MEMORY_MB POOLS WALL_LIMIT_MS: QEMU in the background, its pid in $state/qemu.pid
launch() {
  local accel="$1" port="$2" secret="$3" memory="$4" pools="$5" wall="$6" cpu=max
  [ "$accel" = kvm ] && cpu=host
  rm -f "$state/qemu.pid"
  # restrict=on: the guest reaches nothing outside; the host reaches the agent only through the forwarded port
  # in a subshell of its own: QEMU aborting (a KVM it cannot use) is no job of this shell to report
  (setsid qemu-system-x86_64 -accel "$accel" -cpu "$cpu" -smp "$(nproc)" -m "$memory" -M q35 -nodefaults \
    -no-user-config -display none -no-reboot \
    -kernel "$(ls "$build"/kernel/boot/vmlinuz-*)" -initrd "$build/initramfs.cpio.gz" \
    -append "console=ttyS0 ro quiet panic=-1 init=$here/guest-init.sh KA_AGENT=$agent_dir/build/kata-agent KA_PORT=$GUEST_PORT KA_SECRET=$secret KA_POOLS=$pools KA_WALL_LIMIT_MS=$wall KA_CHECKOUT=$(dirname "$agent_dir")" \
    -fsdev local,id=fs0,path=/,security_model=none,readonly=on,multidevs=remap \
    -device virtio-9p-pci,fsdev=fs0,mount_tag=rootfs \
    -netdev "user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:$port-:$GUEST_PORT" -device virtio-net-pci,netdev=n0 \
    -serial "file:$state/console.log" -pidfile "$state/qemu.pid" </dev/null >"$state/qemu.log" 2>&1 &)
  # QEMU writes its pid file once it runs (and removes it when it exits)
  for _ in $(seq 300); do [ -s "$state/qemu.pid" ] && break; sleep 0.1; done
  echo "vm: booting ($accel, $memory MB), console in $state/console.log"
}

cmd_start() {
  local port="" secret="" memory=2048 pools="${SANDBOX_POOL_PYTHON:-1},${SANDBOX_POOL_JAVASCRIPT:-0}"
  local wall="${SANDBOX_WALL_LIMIT_MS:-10000}"
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) port="$2"; shift 2 ;;
      --secret-file) secret="$2"; shift 2 ;;
      --memory) memory="$2"; shift 2 ;;
      --pools) pools="$2"; shift 2 ;;
      --wall-limit-ms) wall="$2"; shift 2 ;;
      --state) state="$2"; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  [ -n "$port" ] && [ -n "$secret" ] || die "start needs --port and --secret-file"
  [ "$memory" -ge 512 ] || die "the guest needs at least 512 MB (it runs out before a run's 256 MB limit fires)"
  cmd_prepare
  mkdir -p "$state"
  qemu_alive && die "a guest is already running ($state)"
  # the guest sees the host's files but its own tmpfs on /tmp and /run: it reads the secret from a copy of its own
  # in the build folder, readable by root alone as the agent requires
  local copy="$build/secret-$port"
  (umask 077 && cp "$secret" "$copy.tmp") && mv "$copy.tmp" "$copy"
  secret="$copy"
  local accel
  for accel in $(accelerators); do
    launch "$accel" "$port" "$secret" "$memory" "$pools" "$wall"
    # a KVM that cannot run this guest (nested virtualisation without some CPU feature) aborts QEMU at once
    [ "$accel" = kvm ] && sleep 2
    qemu_alive && break
    echo "vm: QEMU with $accel stopped at once: $(tail -1 "$state/qemu.log")" >&2
  done
  echo "$port" > "$state/port"
  local deadline=$((SECONDS + ${KA_VM_BOOT_TIMEOUT:-180}))
  until "$agent_dir/build/kata-agent" call --url "tcp://127.0.0.1:$port" --secret-file "$secret" --ping \
          >/dev/null 2>&1; do
    if ! qemu_alive; then
      tail -n 20 "$state/console.log" "$state/qemu.log" >&2
      die "the guest stopped before its agent answered"
    fi
    [ $SECONDS -lt $deadline ] || { tail -n 20 "$state/console.log" >&2; die "no answer from the guest's agent"; }
    sleep 1
  done
  echo "vm: the agent answers on tcp://127.0.0.1:$port"
}

cmd_stop() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --state) state="$2"; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  qemu_alive || return 0
  local pid
  pid="$(cat "$state/qemu.pid")"
  # the guest's disk is the host's read-only root and tmpfs: nothing to flush, so no clean shutdown is needed
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$state/qemu.pid" "$build/secret-$(cat "$state/port" 2>/dev/null)"
}

case "${1:-}" in
  prepare) shift; cmd_prepare "$@" ;;
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  *) sed -n '2,12p' "$0" >&2; exit 2 ;;
esac
