#!/usr/bin/env bash
# The README's two commands on a bare Debian machine: build a debootstrap root with only python3,
# make, git and ca-certificates, clone this repository's HEAD into it, start `make run` until the
# home page answers, stop it, then run `make test`. Exits with `make test`'s code.
#
# Needs root and Debian's debootstrap. The root gets the host's CA certificates, pip
# configuration, resolver and hosts files, so that package installs behave as on the host; the
# Debian mirror is the one in the host's apt sources. Local pip indexes (file:// or plain
# directories) are bind-mounted read-only at the same paths.
#
#   FRESH_SUITE      Debian suite (bookworm)
#   FRESH_ROOT       where to build the root (a new directory under /var/tmp); removed afterwards
#   FRESH_KEEP=1     keep the root after the run (it is still unmounted)
#   FRESH_CACHE      downloaded .deb files of the base system, kept between runs
#                    (~/.cache/kimson-fresh-machine); FRESH_CACHE= (empty) downloads every time
#   FRESH_RUN_TIMEOUT  seconds `make run` may take to answer (900)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
suite=${FRESH_SUITE:-bookworm}
run_timeout=${FRESH_RUN_TIMEOUT:-900}
cache=${FRESH_CACHE-${XDG_CACHE_HOME:-$HOME/.cache}/kimson-fresh-machine}
home=/root
work=$home/kimson

say() { printf '== %s\n' "$*"; }
die() { printf 'fresh-machine-test: %s\n' "$*" >&2; exit 2; }

[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap, chroot and mount need it)"
command -v debootstrap >/dev/null || die "debootstrap is missing: apt-get install debootstrap"

# The host's Debian mirror for $suite, from /etc/apt/sources.list and sources.list.d (both formats).
host_mirror() {
    local f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        awk -v s="$suite" '$1 == "deb" { i = 2; if ($2 ~ /^\[/) while ($i !~ /\]$/) i++; if ($2 ~ /^\[/) i++;
                                         if ($(i + 1) == s) { print $i; exit } }' "$f"
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk -v s="$suite" 'BEGIN { RS = ""; FS = "\n" }
            { types = uris = suites = ""
              for (i = 1; i <= NF; i++) {
                  if ($i ~ /^Types:/) types = $i
                  if ($i ~ /^URIs:/) uris = $i
                  if ($i ~ /^Suites:/) suites = $i
              }
              if (types ~ /[ \t]deb([ \t]|$)/ && (" " suites " ") ~ ("[ \t]" s "[ \t]")) {
                  sub(/^URIs:[ \t]*/, "", uris); split(uris, u, /[ \t]+/); print u[1]; exit
              } }' "$f"
    done
}
mirror=$(host_mirror | head -n 1)
[ -n "$mirror" ] || die "no '$suite' source in the host's apt sources"

root=${FRESH_ROOT:-$(mktemp -d /var/tmp/kimson-fresh.XXXXXX)}
mounted=()
groups=() # process groups started in the root, stopped by cleanup

cleanup() {
    local status=$? i pid
    for pid in "${groups[@]}"; do
        if kill -0 -- "-$pid" 2>/dev/null; then
            kill -TERM -- "-$pid" 2>/dev/null || true
            sleep 2
            kill -KILL -- "-$pid" 2>/dev/null || true
        fi
    done
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
        umount -R "${mounted[$i]}" 2>/dev/null || umount -R -l "${mounted[$i]}" || true
    done
    if grep -q " $root[/ ]" /proc/mounts; then
        echo "fresh-machine-test: something is still mounted under $root; not removing it" >&2
    elif [ "${FRESH_KEEP:-0}" != 1 ]; then
        rm -rf --one-file-system "$root"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bind_ro() { # bind_ro PATH: the host's PATH at the same place in the root, read-only
    local path=$1
    [ -e "$path" ] || return 0
    if [ -d "$path" ]; then mkdir -p "$root$path"; else mkdir -p "$(dirname "$root$path")"; touch "$root$path"; fi
    mount --bind "$path" "$root$path"
    mounted+=("$root$path")
    mount -o remount,bind,ro "$root$path"
}

say "debootstrap $suite from $mirror into $root"
start=$(date +%s)
cache_args=()
if [ -n "$cache" ]; then
    mkdir -p "$cache"
    cache_args=(--cache-dir="$cache")
fi
debootstrap --variant=minbase --include=python3,make,git,ca-certificates "${cache_args[@]}" \
    "$suite" "$root" "$mirror" >"$root.debootstrap.log" 2>&1 || {
    tail -n 30 "$root.debootstrap.log" >&2
    rm -f "$root.debootstrap.log"
    die "debootstrap failed"
}
rm -f "$root.debootstrap.log"
echo "took $(($(date +%s) - start)) s"

say "host files: CA certificates, resolver, hosts, pip configuration"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
cp -L /etc/hosts "$root/etc/hosts"
if [ -d /usr/local/share/ca-certificates ]; then
    cp -a /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
fi
cp -L /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
pip_files=()
for f in /etc/pip.conf /etc/xdg/pip/pip.conf; do
    [ -f "$f" ] && mkdir -p "$(dirname "$root$f")" && cp -L "$f" "$root$f" && pip_files+=("$f")
done
for f in "$HOME/.config/pip/pip.conf" "$HOME/.pip/pip.conf"; do
    if [ -f "$f" ]; then
        target=$root$home${f#"$HOME"}
        mkdir -p "$(dirname "$target")"
        cp -L "$f" "$target"
        pip_files+=("$f")
    fi
done
pip_env=()
while IFS= read -r line; do pip_env+=("$line"); done < <(env | grep '^PIP_' || true)
if [ -n "${PIP_CONFIG_FILE:-}" ] && [ -f "$PIP_CONFIG_FILE" ]; then
    pip_files+=("$PIP_CONFIG_FILE")
    mkdir -p "$(dirname "$root$PIP_CONFIG_FILE")"
    cp -L "$PIP_CONFIG_FILE" "$root$PIP_CONFIG_FILE"
fi
# Files and local package directories the pip configuration names (constraints, find-links,
# file:// indexes) are the host's: files are copied, directories mounted read-only.
for word in $(cat "${pip_files[@]}" /dev/null 2>/dev/null; printf '%s\n' "${pip_env[@]#*=}"); do
    case $word in
        file://*) path=${word#file://} ;;
        /*) path=$word ;;
        *) continue ;;
    esac
    path=${path%/}
    # A file:// index's pages (…/simple/NAME/) link to files beside it: mount its parent.
    case $word in file://*/simple) path=$(dirname "$path") ;; esac
    if [ -f "$path" ]; then
        mkdir -p "$(dirname "$root$path")"
        cp -L "$path" "$root$path"
    elif [ -d "$path" ] && [ ! -e "$root$path" ]; then
        bind_ro "$path"
    fi
done

say "repository: a clone of HEAD ($(git -C "$repo" rev-parse --short HEAD))"
git clone --quiet --no-hardlinks "$repo" "$root$work"
git -C "$root$work" checkout --quiet --detach "$(git -C "$repo" rev-parse HEAD)"

mount -t proc proc "$root/proc"
mounted+=("$root/proc")
mount --rbind /dev "$root/dev"
mount --make-rslave "$root/dev"
mounted+=("$root/dev")

in_root() { # in_root COMMAND...: start COMMAND in the root, in its own process group, with a
    # login-like clean environment (no CI=true, nothing of this shell's); its pid is $last
    setsid chroot "$root" /usr/bin/env -i HOME="$home" PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        LANG=C.UTF-8 TERM="${TERM:-dumb}" "${pip_env[@]}" "$@" &
    last=$!
    groups+=("$last")
}

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
say "make run (HOST=127.0.0.1:$port) until the home page answers"
start=$(date +%s)
in_root sh -c "cd $work && exec make run HOST=127.0.0.1:$port" >"$root/make-run.log" 2>&1
run_pid=$last
answered=""
while [ $(($(date +%s) - start)) -lt "$run_timeout" ]; do
    if ! kill -0 "$run_pid" 2>/dev/null; then
        break
    fi
    if python3 -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:$port/', timeout=5).status != 200)" 2>/dev/null; then
        answered=yes
        break
    fi
    sleep 1
done
run_seconds=$(($(date +%s) - start))
kill -TERM -- "-$run_pid" 2>/dev/null || true
wait "$run_pid" 2>/dev/null || true
if [ -z "$answered" ]; then
    grep -v '^(Reading database' "$root/make-run.log" | tail -n 40 >&2
    die "make run did not serve the home page (after ${run_seconds} s)"
fi
echo "make run answered after $run_seconds s"

say "make test"
start=$(date +%s)
in_root sh -c "cd $work && make test PYTEST_ARGS='-q -p no:cacheprovider'"
status=0
wait "$last" || status=$? # wait, unlike a foreground command, lets a TERM from `timeout` in
echo "make test exited with $status after $(($(date +%s) - start)) s"
exit "$status"
