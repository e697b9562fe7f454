# runc's source tree in the build tree, with what its suite needs beside it: the helpers it runs
# (recvtty, sd-helper, seccompagent, built offline from the vendored source) and the two rootfs tarballs
# that tests/integration/get-images.sh would otherwise download. Built once, cached. Sourced by
# integration/runc_suite.sh.

SUITE_DIR=$HR_BUILD/runc-suite
SUITE_SRC=$SUITE_DIR/runc-1.1.5

runc_tarball() {
  local tarball=${RUNC_TARBALL:-$HR_SOURCE/../shared/third_party/runc-v1.1.5.tar.gz}
  [ -f "$tarball" ] || tarball=/work/shared/third_party/runc-v1.1.5.tar.gz
  [ -f "$tarball" ] || fail "no runc v1.1.5 source tarball (looked for $tarball; set RUNC_TARBALL)"
  echo "$tarball"
}

# The helpers, into a fresh copy of the source; renamed into place only when all three are built, so an
# interrupted build is never taken for a finished one.
build_helpers() {
  [ -x "$SUITE_SRC/contrib/cmd/seccompagent/seccompagent" ] && return
  local new=$SUITE_DIR/src.new
  rm -rf "$new" "$SUITE_SRC"
  mkdir -p "$new"
  tar -xzf "$(runc_tarball)" -C "$new"
  (cd "$new/runc-1.1.5" && GOFLAGS=-mod=vendor GOPROXY=off GOCACHE="$SUITE_DIR/gocache" GOPATH="$SUITE_DIR/gopath" \
    nice -n 10 make recvtty sd-helper seccompagent) >&2
  mv "$new/runc-1.1.5" "$SUITE_SRC"
  rmdir "$new"
}

# busybox-static as a docker-library style image: applets as hard links in /bin, the usual users and
# groups, and no proc/ or sys/ (mask.bats puts symlinks there).
busybox_tree() {  # DIR
  local dir=$1 applet
  mkdir -p "$dir"/{bin,dev,etc,home,root,tmp,usr/sbin,var/spool/mail,var/www}
  chmod 1777 "$dir/tmp"
  chmod 700 "$dir/root"
  cp /bin/busybox "$dir/bin/busybox"
  for applet in $(/bin/busybox --list); do [ -e "$dir/bin/$applet" ] || ln "$dir/bin/busybox" "$dir/bin/$applet"; done
  cat >"$dir/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
sync:x:4:100:sync:/bin:/bin/sync
mail:x:8:8:mail:/var/spool/mail:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
operator:x:37:37:Operator:/var:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
PASSWD
  local group
  for group in root:0 daemon:1 bin:2 sys:3 adm:4 tty:5 disk:6 lp:7 mail:8 kmem:9 wheel:10 cdrom:11 dialout:18 \
               floppy:19 video:28 audio:29 tape:32 www-data:33 operator:37 utmp:43 plugdev:46 staff:50 lock:54 \
               netdev:82 users:100 nogroup:65534; do
    echo "${group%%:*}:x:${group#*:}:"
  done >"$dir/etc/group"
  sed 's/:.*//; s/$/:*:10933:0:99999:7:::/; s/^root:\*/root:!/' "$dir/etc/passwd" >"$dir/etc/shadow"
  chmod 640 "$dir/etc/shadow"
}

# hooks.bats is the only user of the Debian image, and all it runs inside is sh, grep and ldconfig over
# /lib: busybox plus Debian's static ldconfig stands in for it, without a mirror.
debian_tree() {  # DIR
  local dir=$1
  busybox_tree "$dir"
  mkdir -p "$dir"/{sbin,lib,usr/lib,etc/ld.so.conf.d}
  cp /sbin/ldconfig "$dir/sbin/ldconfig"
  echo 'include /etc/ld.so.conf.d/*.conf' >"$dir/etc/ld.so.conf"
}

make_image() {  # NAME TREE-FUNCTION
  local testdata=$SUITE_SRC/tests/integration/testdata arch image tree
  arch=$(go env GOARCH)
  image=$testdata/$1-$arch.tar.xz
  [ -f "$image" ] && return
  tree=$(mktemp -d "$SUITE_DIR/image.XXXXXX")
  chmod 755 "$tree"  # the image's / (mktemp made it 0700: no other user could reach /bin)
  "$2" "$tree"
  tar --numeric-owner -C "$tree" -cJf "$image.tmp" .
  rm -rf "$tree"
  mv "$image.tmp" "$image"
}

prepare_suite() {
  mkdir -p "$SUITE_DIR"
  (
    flock 9
    build_helpers
    make_image busybox busybox_tree
    make_image debian debian_tree
  ) 9>"$SUITE_DIR/prepare.lock"
  # what the suite leaves on the host, so that only what it added is taken away again
  CRIU_CONF_BEFORE=$([ -e /etc/criu/default.conf ] && echo yes || echo no)
}

# The suite leaves criu's default.conf (checkpoint.bats) and, on a cgroup v1 host with v2 beside it,
# its parent cgroup under /sys/fs/cgroup/unified; remove what it made, nothing else.
suite_cleanup() {
  [ "$CRIU_CONF_BEFORE" = yes ] || rm -f /etc/criu/default.conf
  local dir
  for dir in /sys/fs/cgroup/runc-cgroups-integration-test /sys/fs/cgroup/*/runc-cgroups-integration-test; do
    [ -d "$dir" ] && find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
}
