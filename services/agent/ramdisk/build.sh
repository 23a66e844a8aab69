#!/bin/bash
# Builds the Galvanic deploy ramdisk: Debian's kernel (the version linux-image-amd64 depends on),
# and a gzipped initramfs of busybox (busybox-static), the virtio modules of that kernel and the
# agent (a static Go binary). Needs golang-go, busybox-static, cpio, kmod, apt.
#   build.sh [OUTPUT_DIR]   (default services/agent/.build/ramdisk)
# Writes OUTPUT_DIR/vmlinuz and OUTPUT_DIR/galvanic-ramdisk.gz; the kernel package is kept in
# ~/.cache/galvanic/agent-kernel, so a rebuild downloads nothing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
module=$(dirname "$here")
out=${1:-$module/.build/ramdisk}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/galvanic/agent-kernel
mkdir -p "$out" "$cache"

package=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: \(linux-image-[^ ]*-amd64\)$/\1/p' | head -1)
if [ -z "$package" ]; then
  echo "apt-cache does not know linux-image-amd64: run apt-get update" >&2
  exit 1
fi
version=${package#linux-image-}
root=$cache/$package
if [ ! -d "$root/lib/modules/$version" ]; then
  work=$(mktemp -d "$cache/download-XXXXXX")
  (cd "$work" && apt-get download -qq "$package" && dpkg-deb -x ./*.deb root)
  rm -rf "$root"
  mv "$work/root" "$root"
  rm -rf "$work"
fi

(cd "$module" && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$out/galvanic-agent" ./cmd/galvanic-agent)

initrd=$(mktemp -d)
trap 'rm -rf "$initrd"' EXIT
mkdir -p "$initrd"/{bin,dev,proc,sys,tmp,run,etc,lib/modules}
cp /bin/busybox "$initrd/bin/busybox"
cp "$out/galvanic-agent" "$initrd/bin/galvanic-agent"
install -m 0755 "$here/init" "$initrd/init"
install -m 0755 "$here/udhcpc.script" "$initrd/bin/udhcpc.script"
# The virtio modules and what they need, in load order (built-in ones need nothing).
depmod -b "$root" "$version" 2>/dev/null || true
for wanted in virtio_pci virtio_net virtio_blk; do
  modprobe -d "$root" -S "$version" --show-depends "$wanted" 2>/dev/null || true
done |
  sed -n 's/^insmod \([^ ]*\).*/\1/p' | awk '!seen[$0]++' |
  while read -r path; do
    name=$(basename "$path")
    case "$name" in
      *.xz) xz -dc "$path" > "$initrd/lib/modules/${name%.xz}"; name=${name%.xz} ;;
      *.zst) zstd -qdc "$path" > "$initrd/lib/modules/${name%.zst}"; name=${name%.zst} ;;
      *) cp "$path" "$initrd/lib/modules/$name" ;;
    esac
    echo "$name" >> "$initrd/lib/modules/load-order"
  done
touch "$initrd/lib/modules/load-order"
cp "$root/boot/vmlinuz-$version" "$out/vmlinuz"
(cd "$initrd" && find . | sort | cpio -o -H newc --quiet -R 0:0 | gzip -9 -n > "$out/galvanic-ramdisk.gz")
echo "ramdisk: $out/vmlinuz $out/galvanic-ramdisk.gz ($(du -h "$out/galvanic-ramdisk.gz" | cut -f1), modules: $(tr '\n' ' ' < "$initrd/lib/modules/load-order"))"
