"""Whether the parts of a shapefile agree with their own headers and with each other.

GDAL reads on silently where a shapefile is damaged: a ``.dbf`` cut short by an interrupted
copy or sync gives the records up to the cut, a ``.shx`` copied from another file gives that
file's shapes. A label set read short and then saved loses the labels that were not read, so
the label store and the audit check the three parts first, from their headers alone (ESRI
Shapefile Technical Description, July 1998; dBASE III+ header layout):

- ``.shp`` and ``.shx``: file code 9994 and version 1000, the declared length equal to the
  file's size;
- ``.shx``: one 8-byte entry per shape whose offsets and lengths are those of the ``.shp``'s
  own record headers, walked one after the other;
- ``.dbf``: the record count, header length and record length of its header fit the file's
  size, and the count equals the number of shapes.

``expected_features`` is what a reader must then get: the records not marked deleted.
"""
from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional, Union

from ..base.messages import Msg

_MAX_RECORDS = 10_000_000  # far beyond any label file; stops a walk of random bytes


@dataclass
class ShapefileCheck:
    path: Path
    problems: List[str] = field(default_factory=list)
    shapes: Optional[int] = None  # records walked in the .shp
    indexed: Optional[int] = None  # entries of the .shx
    records: Optional[int] = None  # records announced by the .dbf header
    deleted: int = 0  # of those, marked deleted

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def expected_features(self) -> Optional[int]:
        return None if self.records is None else self.records - self.deleted


def _header(path: Path, check: ShapefileCheck) -> Optional[int]:
    """The file's size when its 100-byte header is a valid one that declares it, else None."""
    with open(path, "rb") as fh:
        head = fh.read(100)
    size = os.path.getsize(path)
    if len(head) < 100 or struct.unpack(">i", head[:4])[0] != 9994 or \
            struct.unpack("<i", head[28:32])[0] != 1000:
        check.problems.append(Msg("{name}: not a valid shapefile header", name=path.name))
        return None
    declared = struct.unpack(">i", head[24:28])[0] * 2
    if declared != size:
        check.problems.append(Msg("{name}: its header says {declared} bytes, the file has "
                                  "{size} (truncated or overwritten)",
                                  name=path.name, declared=declared, size=size))
        return None
    return size


def _walk_shp(path: Path, size: int, check: ShapefileCheck) -> Optional[List[tuple]]:
    """(offset, content length) of every record, in 16-bit words as the .shx holds them."""
    entries = []
    with open(path, "rb") as fh:
        pos = 100
        while pos < size:
            fh.seek(pos)
            head = fh.read(8)
            if len(head) < 8 or len(entries) >= _MAX_RECORDS:
                check.problems.append(Msg("{name}: a record header at byte {pos} is cut off",
                                          name=path.name, pos=pos))
                return None
            number, words = struct.unpack(">ii", head)
            if number != len(entries) + 1 or words < 2 or pos + 8 + 2 * words > size:
                check.problems.append(Msg("{name}: record {n} at byte {pos} is damaged",
                                          name=path.name, n=len(entries) + 1, pos=pos))
                return None
            entries.append((pos // 2, words))
            pos += 8 + 2 * words
    return entries


def _read_shx(path: Path, size: int) -> List[tuple]:
    with open(path, "rb") as fh:
        fh.seek(100)
        data = fh.read(size - 100)
    return [struct.unpack(">ii", data[i:i + 8]) for i in range(0, len(data) - 7, 8)]


def _check_dbf(path: Path, check: ShapefileCheck) -> None:
    with open(path, "rb") as fh:
        head = fh.read(32)
        size = os.path.getsize(path)
        if len(head) < 32:
            check.problems.append(Msg("{name}: not a valid .dbf header", name=path.name))
            return
        n, header_len, record_len = struct.unpack("<IHH", head[4:12])
        if header_len < 33 or record_len < 1:
            check.problems.append(Msg("{name}: not a valid .dbf header", name=path.name))
            return
        if size < header_len + n * record_len:
            have = max(0, (size - header_len) // record_len)
            check.problems.append(Msg("{name}: its header announces {n} records, the file "
                                      "holds {have} (truncated)",
                                      name=path.name, n=n, have=have))
            return
        check.records = n
        deleted = 0
        for k in range(n):  # the deletion flag is the first byte of each record
            fh.seek(header_len + k * record_len)
            if fh.read(1) == b"*":
                deleted += 1
        check.deleted = deleted


def check_shapefile(path: Union[str, Path]) -> ShapefileCheck:
    """Check ``path``'s .shp, .shx and .dbf (absent parts are not checked here)."""
    path = Path(path).with_suffix(".shp")
    check = ShapefileCheck(path)
    shp, shx, dbf = path, path.with_suffix(".shx"), path.with_suffix(".dbf")
    try:
        entries = None
        if shp.is_file():
            size = _header(shp, check)
            if size is not None:
                entries = _walk_shp(shp, size, check)
                check.shapes = None if entries is None else len(entries)
        if shx.is_file():
            size = _header(shx, check)
            if size is not None:
                index = _read_shx(shx, size)
                check.indexed = len(index)
                if entries is not None and index != entries:
                    check.problems.append(Msg(
                        "{name} does not index {shp} ({n_index} entries for {n_shp} shapes, or "
                        "at other places): it may belong to another file",
                        name=shx.name, shp=shp.name, n_index=len(index), n_shp=len(entries)))
        if dbf.is_file():
            _check_dbf(dbf, check)
    except OSError as exc:
        check.problems.append(Msg("{name}: cannot be read ({why})", name=path.name,
                                  why=exc.strerror or str(exc)))
        return check
    if check.shapes is not None and check.records is not None and check.shapes != check.records:
        check.problems.append(Msg("{name}: {shapes} shapes but {records} attribute records",
                                  name=path.name, shapes=check.shapes, records=check.records))
    return check
