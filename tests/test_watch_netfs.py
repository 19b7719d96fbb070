"""Network folders are polled: events from other machines never arrive there."""

from __future__ import annotations

from pathlib import Path

import pytest

from annexa.watch.netfs import (
    is_network_type,
    is_unc_path,
    mount_type_for,
    network_fs_type,
    parse_bsd_mount_output,
    parse_proc_mounts,
)

PROC_MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
//fileserver/annex-a /mnt/annex-a cifs rw,relatime,vers=3.1.1 0 0
//fileserver/social\\040care /mnt/Social\\040Care smb3 rw 0 0
nas:/export/docs /srv/nfs nfs4 rw,relatime 0 0
user@host:/docs /srv/users/me/remote fuse.sshfs rw,nosuid 0 0
/dev/sdb1 /mnt/annex-a/local-cache ext4 rw 0 0
/dev/sdc1 /media/usb fuseblk rw 0 0
"""


@pytest.fixture
def mounts(tmp_path: Path) -> Path:
    path = tmp_path / "mounts"
    path.write_text(PROC_MOUNTS)
    return path


@pytest.mark.parametrize(
    ("folder", "expected"),
    [
        ("/mnt/annex-a", "cifs"),
        ("/mnt/annex-a/Leadership", "cifs"),
        ("/mnt/Social Care/Annex A", "smb3"),
        ("/srv/nfs/annex", "nfs4"),
        ("/srv/users/me/remote/annex", "fuse.sshfs"),
    ],
)
def test_folder_on_a_network_mount_is_detected(mounts: Path, folder: str, expected: str) -> None:
    assert network_fs_type(Path(folder), mounts_path=mounts, platform="linux") == expected


@pytest.mark.parametrize(
    "folder",
    ["/srv/users/me/annex", "/mnt/annex-a/local-cache/x", "/media/usb/annex", "/mnt/annex-ab"],
)
def test_folder_on_a_local_disk_is_not_network(mounts: Path, folder: str) -> None:
    assert network_fs_type(Path(folder), mounts_path=mounts, platform="linux") is None


def test_unreadable_mount_table_means_local_not_a_crash(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-mounts"
    assert network_fs_type(Path("/mnt/annex-a"), mounts_path=missing, platform="linux") is None


def test_longest_mount_point_wins() -> None:
    mounts = parse_proc_mounts(PROC_MOUNTS)
    assert mount_type_for("/mnt/annex-a/local-cache/file.pdf", mounts) == "ext4"
    assert mount_type_for("/mnt/annex-a/other/file.pdf", mounts) == "cifs"


def test_octal_escapes_in_mount_points_are_decoded() -> None:
    assert ("/mnt/Social Care", "smb3") in parse_proc_mounts(PROC_MOUNTS)


@pytest.mark.parametrize(
    "fs_type", ["cifs", "smb3", "smbfs", "nfs", "nfs4", "9p", "afs", "ceph", "fuse.rclone"]
)
def test_network_file_system_types(fs_type: str) -> None:
    assert is_network_type(fs_type)


@pytest.mark.parametrize("fs_type", ["ext4", "xfs", "btrfs", "ntfs", "fuseblk", "tmpfs", "apfs"])
def test_local_file_system_types(fs_type: str) -> None:
    assert not is_network_type(fs_type)


def test_macos_mount_output_is_read() -> None:
    text = (
        "/dev/disk1s1 on / (apfs, local, journaled)\n"
        "//GUEST:@fileserver/Annex%20A on /Volumes/Annex A (smbfs, nodev, nosuid, mounted by me)\n"
    )
    mounts = parse_bsd_mount_output(text)
    assert mount_type_for("/Volumes/Annex A/Leadership", mounts) == "smbfs"
    assert mount_type_for("/Users/me/annex", mounts) == "apfs"


@pytest.mark.parametrize(
    ("path", "unc"),
    [
        (r"\\fileserver\annex-a", True),
        (r"\\?\UNC\fileserver\annex-a", True),
        ("//fileserver/annex-a", True),
        (r"\\?\C:\annex", False),
        (r"C:\Users\me\annex", False),
    ],
)
def test_windows_unc_paths_are_network(path: str, unc: bool) -> None:
    assert is_unc_path(path) is unc


def test_windows_unc_root_is_polled() -> None:
    assert network_fs_type(Path(r"\\fileserver\annex-a"), platform="win32") == "UNC path"
