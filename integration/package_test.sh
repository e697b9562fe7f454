#!/usr/bin/env bash
# The Debian package: built from this source with dpkg-buildpackage, checked by lintian, then installed,
# upgraded over an administrator's edit of a conffile, removed and purged in a throwaway root: an
# overlay of this host's own root in a private mount namespace, so the host's dpkg database and /etc
# are never touched.
# usage: package_test.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"
require dpkg-buildpackage lintian dpkg-deb unshare jq

work=$IT_DIR/package
rm -rf "$work"
mkdir -p "$work/src"
# The source as a packager gets it: no build trees, no git metadata.
tar -C "$HR_SOURCE" --exclude='./build*' --exclude=./.git -cf - . | tar -C "$work/src" -xf -
(cd "$work/src" && dpkg-buildpackage -b -us -uc >"$work/build.log" 2>&1) || { tail -40 "$work/build.log"; fail "dpkg-buildpackage"; }
deb=$(ls "$work"/hardened-runtime_*_amd64.deb)
echo "ok: built $(basename "$deb")"

# lintian: no error and no warning (an override needs a reason in debian/*.lintian-overrides).
lintian --fail-on error,warning --tag-display-limit 0 "$deb" | tee "$work/lintian.txt" ||
  fail "lintian reports: $(cat "$work/lintian.txt")"
echo "ok: lintian clean"

# Version 0.1.1: the same package with changed conffiles (default.json and strict.json), as an upgrade
# that ships new profiles would be.
unpacked=$work/v2
dpkg-deb -R "$deb" "$unpacked"
sed -i 's/^Version: .*/Version: 0.1.1/' "$unpacked/DEBIAN/control"
for profile in default strict; do
  file=$unpacked/etc/hardened-runtime/profiles/$profile.json
  jq '.description += " (0.1.1)"' "$file" >"$file.new" && mv "$file.new" "$file"
done
(cd "$unpacked" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | grep -zv '^etc/' | xargs -0 md5sum >DEBIAN/md5sums)
deb2=$work/hardened-runtime_0.1.1_amd64.deb
dpkg-deb -b --root-owner-group "$unpacked" "$deb2" >/dev/null

# The throwaway root.
root=$work/root
mkdir -p "$root"
cat >"$work/lifecycle.sh" <<'SCRIPT'
set -euo pipefail
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }
export DEBIAN_FRONTEND=noninteractive
dpkg -s hardened-runtime >/dev/null 2>&1 && fail "the throwaway root already has hardened-runtime installed"
# A host that built from source may have /usr/local/bin/hardened-runtime and /etc/hardened-runtime: this
# root starts as a machine that never had either (the overlay keeps the host's own untouched).
rm -rf /etc/hardened-runtime /usr/local/bin/hardened-runtime /var/log/hardened-runtime.log
daemon_before=$(cat /etc/docker/daemon.json 2>/dev/null || echo none)

out=$(dpkg -i /pkg/v1.deb 2>&1) || fail "install: $out"
echo "$out" | grep -q "ok: host config" || fail "install did not run validate: $out"
ok "install ran validate"
[ -x /usr/bin/hardened-runtime ] || fail "no /usr/bin/hardened-runtime"
/usr/bin/hardened-runtime --version | grep -q "^runc version" || fail "--version is not runc's"
ok "hardened-runtime --version passes through to runc"
[ -f /usr/share/man/man8/hardened-runtime.8.gz ] && man -l /usr/share/man/man8/hardened-runtime.8.gz 2>/dev/null | grep -q "configure docker" ||
  zcat /usr/share/man/man8/hardened-runtime.8.gz | grep -q "configure docker" || fail "no man page with the tools"
ok "man page hardened-runtime(8)"
conffiles=$(dpkg-query -W -f '${Conffiles}' hardened-runtime)
for p in default strict web; do
  echo "$conffiles" | grep -q "/etc/hardened-runtime/profiles/$p.json" || fail "$p.json is not a conffile"
done
ok "profiles are conffiles"
[ "$(cat /etc/docker/daemon.json 2>/dev/null || echo none)" = "$daemon_before" ] || fail "install changed daemon.json"
if dpkg -L hardened-runtime | grep -E '^/etc/(systemd|containerd|containers|docker)'; then fail "install registered itself"; fi
ok "nothing registered with an engine"
dpkg -L hardened-runtime | grep -q /usr/share/hardened-runtime/docker.service.d/hardened-runtime-lockdown.conf || fail "lockdown drop-in not shipped"
ok "drop-ins shipped, not enabled"

# The administrator tightens default.json; strict.json stays as shipped.
jq '.resources.pids_max = 50' /etc/hardened-runtime/profiles/default.json >/tmp/d && cp /tmp/d /etc/hardened-runtime/profiles/default.json
out=$(dpkg -i --force-confold /pkg/v2.deb 2>&1) || fail "upgrade: $out"
echo "$out" | grep -q "ok: host config" || fail "upgrade did not run validate: $out"
[ "$(dpkg-query -W -f '${Version}' hardened-runtime)" = 0.1.1 ] || fail "not upgraded"
[ "$(jq .resources.pids_max /etc/hardened-runtime/profiles/default.json)" = 50 ] || fail "the administrator's edit was lost"
jq -r .description /etc/hardened-runtime/profiles/default.json.dpkg-dist | grep -q "(0.1.1)" || fail "no default.json.dpkg-dist with the new version"
jq -r .description /etc/hardened-runtime/profiles/strict.json | grep -q "(0.1.1)" || fail "the unedited strict.json was not updated"
ok "upgrade kept the edited conffile (new one as .dpkg-dist) and updated the unedited one"
/usr/bin/hardened-runtime validate >/dev/null || fail "validate after the upgrade"

touch /var/log/hardened-runtime.log
dpkg -r hardened-runtime >/dev/null 2>&1 || fail "remove"
[ ! -e /usr/bin/hardened-runtime ] || fail "binary left after remove"
[ -f /etc/hardened-runtime/profiles/default.json ] || fail "remove took the conffiles"
ok "remove: binary gone, profiles kept"
dpkg -P hardened-runtime >/dev/null 2>&1 || fail "purge"
[ ! -e /etc/hardened-runtime/profiles/default.json ] || fail "purge left the profiles"
[ ! -e /var/log/hardened-runtime.log ] || fail "purge left the audit log"
dpkg -s hardened-runtime >/dev/null 2>&1 && fail "still known to dpkg after purge"
ok "purge: profiles and audit log gone"
SCRIPT
cp "$deb" "$work/v1.deb" && cp "$deb2" "$work/v2.deb"
unshare -m bash -c '
  set -euo pipefail
  work=$1 root=$2
  mount --make-rprivate /
  mount -t tmpfs tmpfs "$root"
  mkdir "$root/upper" "$root/work" "$root/merged"
  mount -t overlay overlay -o "lowerdir=/,upperdir=$root/upper,workdir=$root/work" "$root/merged"
  m=$root/merged
  mount -t proc proc "$m/proc"
  mount --rbind /dev "$m/dev"
  for d in tmp run; do mount -t tmpfs tmpfs "$m/$d"; done
  mkdir -p "$m/pkg"
  mount --bind "$work" "$m/pkg"
  chroot "$m" bash /pkg/lifecycle.sh
' _ "$work" "$root"
