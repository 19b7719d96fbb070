"""Tell whether a folder lives on a network file system, where events do not come.

inotify, FSEvents and ReadDirectoryChangesW report what this machine writes;
on an SMB/CIFS or NFS share they miss what colleagues write from their own
PCs, which is most of what a council's Annex A share sees. annexa never
writes under ROOT, so it cannot probe by creating a test file: it asks the
operating system what kind of file system ROOT is on, and polls when that is
a network (or FUSE) file system.

Linux reads ``/proc/mounts`` (a parameter, so tests can give a fake one);
Windows treats UNC paths and drives of type DRIVE_REMOTE as network; macOS
reads the output of ``mount`` (best effort: ``os.statvfs`` does not say the
file system type there).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

PROC_MOUNTS = Path("/proc/mounts")

# File system types whose changes made elsewhere never reach local events.
NETWORK_FS_TYPES = frozenset(
    {
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "nfs",
        "nfs4",
        "9p",
        "afs",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "beegfs",
        "davfs",
        "webdav",
        "afpfs",
        "ncpfs",
        "sshfs",
        "fuse",
    }
)

_OCTAL_ESCAPE = re.compile(r"\\([0-7]{3})")
_BSD_MOUNT_LINE = re.compile(r"^(?P<device>.+?) on (?P<point>.+) \((?P<type>[^,()]+)[,)]")

DRIVE_REMOTE = 4  # GetDriveTypeW


def is_network_type(fs_type: str) -> bool:
    """Whether a file system type name is one annexa must poll (network or FUSE)."""
    lowered = fs_type.lower()
    return lowered in NETWORK_FS_TYPES or lowered.startswith(("fuse.", "nfs"))


def parse_proc_mounts(text: str) -> list[tuple[str, str]]:
    """``(mount point, type)`` pairs from the text of ``/proc/mounts``.

    The kernel writes spaces and tabs in mount points as octal escapes
    (``/mnt/Annex\\040A``); they are decoded so the points compare with real paths.
    """
    mounts: list[tuple[str, str]] = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = _OCTAL_ESCAPE.sub(lambda m: chr(int(m.group(1), 8)), fields[1])
        mounts.append((point, fields[2]))
    return mounts


def parse_bsd_mount_output(text: str) -> list[tuple[str, str]]:
    """``(mount point, type)`` pairs from the output of macOS/BSD ``mount``.

    Lines read ``//user@server/share on /Volumes/share (smbfs, nodev, nosuid)``.
    """
    mounts: list[tuple[str, str]] = []
    for line in text.splitlines():
        match = _BSD_MOUNT_LINE.match(line.strip())
        if match:
            mounts.append((match.group("point"), match.group("type").strip()))
    return mounts


def mount_type_for(path: str, mounts: list[tuple[str, str]]) -> str | None:
    """The type of the file system holding ``path``: the longest mount point above it."""
    best: tuple[int, str] | None = None
    for point, fs_type in mounts:
        if _is_under(path, point) and (best is None or len(point) >= best[0]):
            best = (len(point), fs_type)
    return best[1] if best else None


def _is_under(path: str, point: str) -> bool:
    if point == "/":
        return path.startswith("/")
    point = point.rstrip("/")
    return path == point or path.startswith(point + "/")


def network_fs_type(
    root: Path,
    *,
    mounts_path: Path = PROC_MOUNTS,
    platform: str = sys.platform,
) -> str | None:
    """The network file system ROOT is on ("cifs", "UNC path"), or None when it is local.

    Never raises: when the answer cannot be found the folder is taken for
    local, and the periodic full re-check still catches what events miss.
    """
    try:
        if platform == "win32":
            return _windows_network_type(root)
        real = os.path.realpath(root)
        if platform == "darwin" or platform.startswith(("freebsd", "openbsd", "netbsd")):
            fs_type = mount_type_for(real, parse_bsd_mount_output(_run_mount()))
        else:
            fs_type = mount_type_for(
                real, parse_proc_mounts(mounts_path.read_text("utf-8", "replace"))
            )
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    return fs_type if fs_type and is_network_type(fs_type) else None


def is_unc_path(path: str) -> bool:
    r"""Whether a Windows path names a share directly (``\\server\share``, ``\\?\UNC\...``)."""
    normal = path.replace("/", "\\")
    if normal.upper().startswith("\\\\?\\UNC\\"):
        return True
    return normal.startswith("\\\\") and not normal.startswith(("\\\\?\\", "\\\\.\\"))


def _windows_network_type(root: Path) -> str | None:
    text = str(root)
    if is_unc_path(text):
        return "UNC path"
    drive = os.path.splitdrive(os.path.abspath(text))[0]
    if not drive:
        return None
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    if kernel32.GetDriveTypeW(drive + "\\") == DRIVE_REMOTE:
        return "mapped network drive"
    return None


def _run_mount() -> str:
    done = subprocess.run(
        ["mount"], capture_output=True, text=True, timeout=5, check=False, errors="replace"
    )
    return done.stdout
