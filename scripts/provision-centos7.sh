#!/usr/bin/env bash
# Provision plan: CentOS 7, vault 7.9.2009, devtoolset-11, Bazel 7.4.1
# Written by ServingBuild: ./build.sh --target=Provision --emit-script=FILE. Safe to run again: every step
# checks first and is skipped when already satisfied. Run it as root (or with passwordless sudo).
# SERVINGBUILD_SYSROOT=DIR aims the file changes at DIR instead of / (for tests); leave it unset on a real host.
# The check and action bodies run in subshells on purpose: exit, cd and umask stay inside the step.
# shellcheck disable=SC2234,SC2235
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
    exec sudo -n -- bash "$0" "$@"
  fi
  echo "error: this script needs root or passwordless sudo; run it as root: sudo bash $0" >&2
  trap - EXIT
  exit 3
fi

SYSROOT="${SERVINGBUILD_SYSROOT:-}"
current="start"
on_exit() {
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "error: provision step $current failed (exit $rc); fix the cause above and run this script again" >&2
  fi
}
trap on_exit EXIT

# Each step's check and action run in a subshell (a function body in parentheses), as the toolkit runs them.
run_step() {
  local tag="$1" id="$2" description="$3" name="$4"
  current="$id"
  if "check_$name" >/dev/null 2>&1; then
    echo "$tag skip  $id: already satisfied"
    return 0
  fi
  echo "$tag run   $id: $description"
  "action_$name"
  if ! "check_$name" >/dev/null 2>&1; then
    echo "error: provision step $id ran but its check still fails" >&2
    exit 1
  fi
}

os_field() {
  [ -r "$SYSROOT/etc/os-release" ] || return 0
  awk -F= -v key="$1" '$1 == key { gsub(/"/, "", $2); print $2 }' "$SYSROOT/etc/os-release"
}
os_id="$(os_field ID)"
os_like="$(os_field ID_LIKE)"
os_version="$(os_field VERSION_ID)"
case " $os_id $os_like " in
  *" centos "*) ;;
  *) echo "error: this script is for CentOS 7, vault 7.9.2009, devtoolset-11, Bazel 7.4.1; this host is ${os_id:-unknown} ${os_version}" >&2; trap - EXIT; exit 3 ;;
esac
case "$os_version" in
  7|7.*) ;;
  *) echo "error: this script is for CentOS 7, vault 7.9.2009, devtoolset-11, Bazel 7.4.1; this host is $os_id $os_version" >&2; trap - EXIT; exit 3 ;;
esac

# Step 1/9, yum-vault: Point the base, updates and extras repos at http://vault.centos.org/7.9.2009 (originals kept as *.servingbuild-orig)
# Why: CentOS 7 reached end of life on 2024-06-30; mirrorlist.centos.org no longer answers and yum fails until the repos use the vault
check_yum_vault() (
grep -q '^baseurl=http://vault.centos.org/7.9.2009/' "$SYSROOT/etc/yum.repos.d/CentOS-Base.repo" \
  || curl -fsS --max-time 15 -o /dev/null 'http://mirrorlist.centos.org/?release=7&arch=x86_64&repo=os'
)
action_yum_vault() (
repos="$SYSROOT/etc/yum.repos.d"
if [ -e "$repos/CentOS-Base.repo" ] && [ ! -e "$repos/CentOS-Base.repo.servingbuild-orig" ]; then
  cp -p "$repos/CentOS-Base.repo" "$repos/CentOS-Base.repo.servingbuild-orig"
fi
cat > "$repos/CentOS-Base.repo.servingbuild-new" <<'REPO'
[base]
name=CentOS-7.9.2009 - Base (vault)
baseurl=http://vault.centos.org/7.9.2009/os/$basearch/
gpgcheck=1
enabled=1
gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-CentOS-7
[updates]
name=CentOS-7.9.2009 - Updates (vault)
baseurl=http://vault.centos.org/7.9.2009/updates/$basearch/
gpgcheck=1
enabled=1
gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-CentOS-7
[extras]
name=CentOS-7.9.2009 - Extras (vault)
baseurl=http://vault.centos.org/7.9.2009/extras/$basearch/
gpgcheck=1
enabled=1
gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-CentOS-7
REPO
mv "$repos/CentOS-Base.repo.servingbuild-new" "$repos/CentOS-Base.repo"
yum clean all
)
run_step "[1/9]" yum-vault "Point the base, updates and extras repos at http://vault.centos.org/7.9.2009 (originals kept as *.servingbuild-orig)" yum_vault

# Step 2/9, bzip2: yum install bzip2
# Why: tar needs bzip2 to unpack .tar.bz2 archives during the build ('tar (child): bzip2: Cannot exec')
check_bzip2() (
rpm -q bzip2
)
action_bzip2() (
yum install -y bzip2
)
run_step "[2/9]" bzip2 "yum install bzip2" bzip2

# Step 3/9, pyqt4: yum install PyQt4
# Why: the seed's host steps install it (rpm names are case-sensitive: PyQt4)
check_pyqt4() (
rpm -q PyQt4
)
action_pyqt4() (
yum install -y PyQt4
)
run_step "[3/9]" pyqt4 "yum install PyQt4" pyqt4

# Step 4/9, build-prerequisites: yum install automake ca-certificates curl freetype-devel gcc gcc-c++ git java-1.8.0-openjdk-devel libcurl-devel libpng-devel libtool make mlocate patch pkgconfig python3 python3-devel swig tar unzip wget which zip zlib-devel
# Why: what upstream's Dockerfile.devel installs, under CentOS 7's names
check_build_prerequisites() (
rpm -q automake ca-certificates curl freetype-devel gcc gcc-c++ git java-1.8.0-openjdk-devel libcurl-devel libpng-devel libtool make mlocate patch pkgconfig python3 python3-devel swig tar unzip wget which zip zlib-devel
)
action_build_prerequisites() (
yum install -y automake ca-certificates curl freetype-devel gcc gcc-c++ git java-1.8.0-openjdk-devel libcurl-devel libpng-devel libtool make mlocate patch pkgconfig python3 python3-devel swig tar unzip wget which zip zlib-devel
)
run_step "[4/9]" build-prerequisites "yum install automake ca-certificates curl freetype-devel gcc gcc-c++ git java-1.8.0-openjdk-devel libcurl-devel libpng-devel libtool make mlocate patch pkgconfig python3 python3-devel swig tar unzip wget which zip zlib-devel" build_prerequisites

# Step 5/9, scl-release: yum install centos-release-scl
# Why: Software Collections, for a gcc newer than CentOS 7's 4.8.5
check_scl_release() (
rpm -q centos-release-scl
)
action_scl_release() (
yum install -y centos-release-scl
)
run_step "[5/9]" scl-release "yum install centos-release-scl" scl_release

# Step 6/9, scl-vault: Point the Software Collections repos at http://vault.centos.org/7.9.2009/sclo (originals kept as *.servingbuild-orig)
# Why: centos-release-scl's repos use the mirrorlist too
check_scl_vault() (
grep -q '^baseurl=http://vault.centos.org/7.9.2009/sclo/' "$SYSROOT/etc/yum.repos.d/CentOS-SCLo-scl-rh.repo" \
  || curl -fsS --max-time 15 -o /dev/null 'http://mirrorlist.centos.org/?release=7&arch=x86_64&repo=sclo-rh'
)
action_scl_vault() (
repos="$SYSROOT/etc/yum.repos.d"
if [ -e "$repos/CentOS-SCLo-scl.repo" ] && [ ! -e "$repos/CentOS-SCLo-scl.repo.servingbuild-orig" ]; then
  cp -p "$repos/CentOS-SCLo-scl.repo" "$repos/CentOS-SCLo-scl.repo.servingbuild-orig"
fi
cat > "$repos/CentOS-SCLo-scl.repo.servingbuild-new" <<'REPO'
[centos-sclo-sclo]
name=CentOS-7.9.2009 - SCLo sclo (vault)
baseurl=http://vault.centos.org/7.9.2009/sclo/$basearch/sclo/
gpgcheck=1
enabled=1
gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-CentOS-SIG-SCLo
REPO
mv "$repos/CentOS-SCLo-scl.repo.servingbuild-new" "$repos/CentOS-SCLo-scl.repo"
yum clean all
repos="$SYSROOT/etc/yum.repos.d"
if [ -e "$repos/CentOS-SCLo-scl-rh.repo" ] && [ ! -e "$repos/CentOS-SCLo-scl-rh.repo.servingbuild-orig" ]; then
  cp -p "$repos/CentOS-SCLo-scl-rh.repo" "$repos/CentOS-SCLo-scl-rh.repo.servingbuild-orig"
fi
cat > "$repos/CentOS-SCLo-scl-rh.repo.servingbuild-new" <<'REPO'
[centos-sclo-rh]
name=CentOS-7.9.2009 - SCLo rh (vault)
baseurl=http://vault.centos.org/7.9.2009/sclo/$basearch/rh/
gpgcheck=1
enabled=1
gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-CentOS-SIG-SCLo
REPO
mv "$repos/CentOS-SCLo-scl-rh.repo.servingbuild-new" "$repos/CentOS-SCLo-scl-rh.repo"
yum clean all
)
run_step "[6/9]" scl-vault "Point the Software Collections repos at http://vault.centos.org/7.9.2009/sclo (originals kept as *.servingbuild-orig)" scl_vault

# Step 7/9, devtoolset: yum install devtoolset-11-gcc devtoolset-11-gcc-c++ devtoolset-11-binutils
# Why: TensorFlow Serving 2.x needs C++17; CentOS 7's gcc 4.8.5 cannot compile it
check_devtoolset() (
rpm -q devtoolset-11-gcc devtoolset-11-gcc-c++ devtoolset-11-binutils
)
action_devtoolset() (
yum install -y devtoolset-11-gcc devtoolset-11-gcc-c++ devtoolset-11-binutils
)
run_step "[7/9]" devtoolset "yum install devtoolset-11-gcc devtoolset-11-gcc-c++ devtoolset-11-binutils" devtoolset

# Step 8/9, stropts-shim: Create an empty /usr/include/stropts.h (0644) when the header is absent
# Why: glibc 2.30 and later have no stropts.h; '@curl//:curl' fails with 'fatal error: stropts.h: No such file or directory'
check_stropts_shim() (
test -e "$SYSROOT/usr/include/stropts.h"
)
action_stropts_shim() (
umask 022
mkdir -p "$SYSROOT/usr/include"
: > "$SYSROOT/usr/include/stropts.h"
chmod 0644 "$SYSROOT/usr/include/stropts.h"
echo "created an empty $SYSROOT/usr/include/stropts.h (this glibc has no stropts.h; @curl//:curl includes it)"
)
run_step "[8/9]" stropts-shim "Create an empty /usr/include/stropts.h (0644) when the header is absent" stropts_shim

# Step 9/9, bazel: Install Bazel 7.4.1 (bazel-7.4.1-linux-x86_64, SHA-256 checked) into /opt/servingbuild/bazel/7.4.1, beside any other Bazel
# Why: the checkout pins this Bazel version; an older or newer one fails (e.g. "does not contain symbol 'cc_autoconf_impl'")
check_bazel() (
grep -q '^sha256=' "$SYSROOT/opt/servingbuild/bazel/7.4.1/.servingbuild-bazel" && test -x "$SYSROOT/opt/servingbuild/bazel/7.4.1/bin/bazel" \
  && "$SYSROOT/opt/servingbuild/bazel/7.4.1/bin/bazel" --version
)
action_bazel() (
dir="$SYSROOT/opt/servingbuild/bazel/7.4.1"
if [ -e "$dir" ] && [ ! -e "$dir/.servingbuild-bazel" ] && [ -n "$(ls -A "$dir")" ]; then
  echo "error: $dir exists and was not installed by ServingBuild (no .servingbuild-bazel); move it away and run again" >&2
  exit 1
fi
download="$(mktemp -d)"
trap 'rm -rf "$download"' EXIT
curl -fsSL --retry 3 -o "$download/bazel-7.4.1-linux-x86_64" https://github.com/bazelbuild/bazel/releases/download/7.4.1/bazel-7.4.1-linux-x86_64
curl -fsSL --retry 3 -o "$download/bazel-7.4.1-linux-x86_64.sha256" https://github.com/bazelbuild/bazel/releases/download/7.4.1/bazel-7.4.1-linux-x86_64.sha256
expected="$(cut -c1-64 "$download/bazel-7.4.1-linux-x86_64.sha256" | head -n 1)"
actual="$(sha256sum "$download/bazel-7.4.1-linux-x86_64" | cut -c1-64)"
if [ "${#expected}" -ne 64 ] || [ "$actual" != "$expected" ]; then
  echo "error: bazel-7.4.1-linux-x86_64: SHA-256 $actual does not match the release's ${expected:-(no checksum)}; corrupt or tampered with, nothing was installed" >&2
  exit 1
fi
echo "bazel-7.4.1-linux-x86_64: OK (SHA-256 $actual)"
rm -rf "$dir"
mkdir -p "$dir"
echo "installing bazel-7.4.1-linux-x86_64" > "$dir/.servingbuild-bazel"
mkdir -p "$dir/bin"
install -m 0755 "$download/bazel-7.4.1-linux-x86_64" "$dir/bin/bazel"
printf 'asset=%s\nsha256=%s\nfrom=%s\n' 'bazel-7.4.1-linux-x86_64' "$actual" https://github.com/bazelbuild/bazel/releases/download/7.4.1/bazel-7.4.1-linux-x86_64 > "$dir/.servingbuild-bazel"
echo "installed Bazel 7.4.1 into $dir/bin/bazel (not linked on PATH; ServingBuild finds it there)"
)
run_step "[9/9]" bazel "Install Bazel 7.4.1 (bazel-7.4.1-linux-x86_64, SHA-256 checked) into /opt/servingbuild/bazel/7.4.1, beside any other Bazel" bazel

echo "note: build with devtoolset's compiler: scl enable devtoolset-11 -- bash, or CC=/opt/rh/devtoolset-11/root/usr/bin/gcc"

echo "note: Bazel 7.4.1 is in /opt/servingbuild/bazel/7.4.1/bin (not on PATH); ServingBuild finds it there, or run: export PATH=/opt/servingbuild/bazel/7.4.1/bin:\$PATH"

current="done"
echo "provisioned: CentOS 7, vault 7.9.2009, devtoolset-11, Bazel 7.4.1"
