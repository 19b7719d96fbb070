"""The evidence pack for the inspectors: the files annexa judged, an index and checksums."""

from annexa.pack.build import PackError, PackResult, build_pack, check_destination

__all__ = ["PackError", "PackResult", "build_pack", "check_destination"]
