#!/bin/busybox sh
# /init of the guest's initramfs: loads the modules the guest needs to reach its root (virtio-9p) and its one NIC,
# mounts the host's root read-only and hands over to the init named on the kernel command line.
/bin/busybox mkdir -p /proc /dev /newroot
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t devtmpfs devtmpfs /dev
# in the order `modprobe --show-depends` printed them when the initramfs was built
while read -r ko; do
  /bin/busybox insmod "/modules/$ko" || echo "initramfs: insmod $ko failed" >&2
done < /modules/order
# the 9p device shows up a little after its driver loads
n=0
until /bin/busybox mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=262144,cache=loose rootfs /newroot; do
  n=$((n + 1))
  [ "$n" -lt 50 ] || { echo "initramfs: cannot mount the host's root over 9p" >&2; /bin/busybox poweroff -f; }
  /bin/busybox sleep 0.1
done
next=/sbin/init
for word in $(/bin/busybox cat /proc/cmdline); do
  case "$word" in init=*) next="${word#init=}" ;; esac
done
/bin/busybox umount /proc
/bin/busybox mount --move /dev /newroot/dev 2>/dev/null || /bin/busybox umount /dev
exec /bin/busybox switch_root /newroot "$next"
