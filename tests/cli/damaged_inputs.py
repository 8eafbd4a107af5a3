"""Damaged-input corpus for the CLI (issue 18): one pristine synthetic workspace built per
session, copied per case and damaged in one precise way; the CLI run on it as a real
subprocess, with read-only and full folders made by mount namespaces where the machine allows
it (else by a wrapper that makes Python's and GDAL's writes under a folder fail).

Used by tests/test_damaged_inputs.py; also runnable as a script (the no-namespace fallback):
    python tests/damaged_inputs.py fault --ro DIR --full DIR -- <cli arguments>
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

ROOT = Path(__file__).resolve().parents[2]
SEED, SIZE, N_IFG = 24, 300, 3  # seed 24 at 300 px: label files with 3, 2 and 0 records
IFG_ID = "20190805_20190817"  # the interferogram whose label file the damages target
BOMB_BYTES = 1_100_000_000  # the zip bomb's member: 1.1 GB of zeros (about 1 MB compressed)
CLI_TIMEOUT_S = 120
MEMORY_LIMIT = 8 << 30  # address space of each CLI run: a raster claiming 360 GB must not OOM

COMMANDS = ("synth", "inspect", "screen", "morphometry", "terrain-check", "processes", "audit",
            "agree", "report", "export", "exercise", "score", "quicklook")
# default outputs, inside the case's output folder (distinctive names, to find them in messages)
OUTPUT_NAMES = {"synth": "synth_out", "screen": "screening_out.csv",
                "morphometry": "terrain_out", "terrain-check": "terrain_out.png",
                "processes": "processes_out.gpkg", "audit": "findings_out.csv",
                "agree": "agreement_out.csv", "report": "report_out.html",
                "export": "export_out", "exercise": "pack_out", "score": "scoreboard_out.csv",
                "quicklook": "quicklook_out.png"}
# names a failed or finished run must never leave behind (scratch files, temporary folders)
LEFTOVER_PATTERNS = ("*.partial", "*.tmp", ".morphometry-*", ".mirage-export-*", "mirage-key-*",
                     "mirage-exercise-*", "*.gpkg-journal", "*.gpkg-wal", "*.gpkg-shm")


# ----------------------------------------------------------------------------- the base

@dataclass
class Base:
    """The pristine material, built once: a workspace (label files of 5, 2 and 0 records;
    slope and tri derived in dem/), an exercise pack made from it, and a zip bomb."""

    root: Path
    ws: Path
    pack: Path
    bomb: Path
    stems: List[str]  # label stems, sorted: [0] has 5 labels (the target), [1] 2, [2] 0


def run_cli_plain(args: Sequence, cwd: Path = ROOT, timeout: float = CLI_TIMEOUT_S):
    return subprocess.run([sys.executable, "-m", "mirage_labeller", *map(str, args)], cwd=cwd,
                          env=cli_env(None), capture_output=True, text=True, timeout=timeout)


def build_base(root: Path) -> Base:
    ws, pack = root / "ws", root / "pack"
    done = run_cli_plain(["synth", ws, "--seed", SEED, "--size", SIZE, "--interferograms",
                          N_IFG, "--quiet"])
    assert done.returncode == 0, done.stderr
    from mirage_labeller.core.labels.schema import Label
    from mirage_labeller.core.labels.store import LabelStore

    store = LabelStore(ws / "labels")
    stems = store.stems()
    target = next(s for s in stems if IFG_ID in s)
    for x0, y0 in ((590300.0, 5159000.0), (593000.0, 5156000.0)):  # two more: 5 records
        store.add(target, Label(x0, y0, x0 + 300.0, y0 + 210.0, "RG", 1, 1, IFG_ID, 12, "A"))
    counts = {s: store.count(s) for s in stems}
    stems = sorted(stems, key=lambda s: -counts[s])
    assert [counts[s] for s in stems] == [5, 2, 0], counts
    done = run_cli_plain(["morphometry", ws / "dem" / "dem.tif", ws / "dem", "--layers",
                          "slope,tri", "--quiet"])
    assert done.returncode == 0, done.stderr
    done = run_cli_plain(["exercise", pack, "--from", ws])
    assert done.returncode == 0, done.stderr
    bomb = root / "bomb.zip"
    with zipfile.ZipFile(pack / ".mirage" / "exercise" / "reference.zip") as src, \
            zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        with dst.open("notes.txt", "w", force_zip64=True) as member:
            chunk = bytes(1 << 24)
            for _ in range(BOMB_BYTES // len(chunk) + 1):
                member.write(chunk)
    assert bomb.stat().st_size < 5_000_000, bomb.stat().st_size  # small on disk
    return Base(root, ws, pack, bomb, stems)


# ----------------------------------------------------------------------------- a case

@dataclass
class Ctx:
    """One (command, case): its folders, the arguments, and what the checks need to know."""

    base: Base
    command: str
    case: str
    dir: Path
    ws: Path
    labels: Path
    labels_b: Path  # agree's second label set (pristine)
    pack: Path
    outdir: Path
    tmpdir: Path  # TMPDIR of the run: must be empty afterwards
    stems: List[str]
    names: List[str] = field(default_factory=list)  # any of these in the message will do
    forbidden: List[str] = field(default_factory=list)  # none of these may be in stderr
    out: Dict[str, Path] = field(default_factory=dict)  # output path overrides
    inputs: Dict[str, Path] = field(default_factory=dict)  # input argument overrides
    extra: List[str] = field(default_factory=list)  # arguments added to the command
    argv: Optional[List[str]] = None  # the whole command line, when a case builds its own
    readonly: List[Path] = field(default_factory=list)
    full: List[Path] = field(default_factory=list)
    keep_in_outdir: List[str] = field(default_factory=list)  # our own files there
    exclude: List[str] = field(default_factory=list)  # relative prefixes not hashed
    tracked: List[Path] = field(default_factory=list)  # hashed although in .mirage/
    victims: List[Path] = field(default_factory=list)  # files outside that must not change
    preexisting_output: bool = False  # the output path is an input (it exists before)
    absent: List[Path] = field(default_factory=list)  # must still not exist afterwards
    timeout: float = CLI_TIMEOUT_S

    # paths of the target interferogram's files
    @property
    def stem(self) -> str:
        return self.stems[0]

    @property
    def ifg(self) -> Path:
        return self.ws / "interferograms" / f"{self.stem}.tif"

    @property
    def coh(self) -> Path:
        return self.ws / "coherence" / f"{self.stem[:-len('.diff_pha')]}.cc.tif"

    @property
    def lab(self) -> Path:
        return self.labels / f"{self.stem}.shp"

    @property
    def dem(self) -> Path:
        return self.ws / "dem" / "dem.tif"

    def output(self, command: Optional[str] = None) -> Optional[Path]:
        command = command or self.command
        if command not in OUTPUT_NAMES:
            return None
        return self.out.get(command, self.outdir / OUTPUT_NAMES[command])

    def input(self, key: str, default: Path) -> Path:
        return self.inputs.get(key, default)

    @property
    def hash_roots(self) -> List[Path]:
        return [self.ws, self.labels_b, self.pack]


def make_ctx(base: Base, tmp: Path, command: str, case: str) -> Ctx:
    """A fresh copy of the pristine material for one test."""
    ws = tmp / "ws"
    shutil.copytree(base.ws, ws, symlinks=True)
    labels_b = tmp / "labels_b"
    shutil.copytree(base.ws / "labels", labels_b, symlinks=True)
    pack = tmp / "pack"
    shutil.copytree(base.pack, pack, symlinks=True)
    outdir = tmp / "out"
    outdir.mkdir()
    tmpdir = tmp / "tmp"
    tmpdir.mkdir()
    return Ctx(base, command, case, tmp, ws, ws / "labels", labels_b, pack, outdir, tmpdir,
               list(base.stems))


def argv_for(ctx: Ctx) -> List[str]:
    """The command line of ``ctx.command`` on the case's material."""
    if ctx.argv is not None:
        return [str(a) for a in ctx.argv]
    c, out, i = ctx.command, ctx.output(), ctx.input
    if c == "synth":
        args = [out, "--seed", 1, "--size", 300, "--interferograms", 1, "--quiet"]
    elif c == "inspect":
        args = [i("inspect", ctx.ws)]
    elif c == "screen":
        args = [i("ws", ctx.ws), "--csv", out, "--quiet"]
    elif c == "morphometry":
        args = [i("dem", ctx.dem), out, "--layers", "slope", "--quiet"]
    elif c == "terrain-check":
        args = [i("ws", ctx.ws), IFG_ID, "--class", "RG", "--png", out]
    elif c == "processes":
        args = [i("ws", ctx.ws), "--out", out, "--quiet"]
    elif c == "audit":
        args = [i("labels", ctx.labels), "--ifg", ctx.ws, "--csv", out, "--gpkg",
                ctx.outdir / "findings_out.gpkg", "--quiet"]
    elif c == "agree":
        args = [i("labels", ctx.labels), ctx.labels_b, "--csv", out, "--png",
                ctx.outdir / "agreement_out.png"]
    elif c == "report":
        args = [i("labels", ctx.labels), "--ifg", ctx.ws, "--out", out, "--quiet"]
    elif c == "export":
        args = [i("labels", ctx.labels), "--ifg", ctx.ws, "--out", out, "--chip", 64, "--quiet"]
    elif c == "exercise":
        args = [out, "--from", i("ws", ctx.ws)]
    elif c == "score":
        args = [i("pack", ctx.pack), ctx.labels, "--csv", out]
    elif c == "quicklook":
        args = [i("ifg", ctx.ifg), "--coherence", ctx.coh, "--labels", ctx.lab, "--out", out]
    else:
        raise KeyError(c)
    return [c, *map(str, args), *map(str, ctx.extra)]


def all_outputs(ctx: Ctx) -> List[Path]:
    """Every path the command was asked to write (a failed run must leave none)."""
    outs = [ctx.output()]
    if ctx.command == "audit":
        outs.append(ctx.outdir / "findings_out.gpkg")
    if ctx.command == "agree":
        outs.append(ctx.outdir / "agreement_out.png")
    return [p for p in outs if p is not None]


# ----------------------------------------------------------------------------- helpers

def _cut(path: Path, size: int) -> None:
    data = path.read_bytes()
    assert size < len(data), (path, size, len(data))
    path.write_bytes(data[:size])


def _random_bytes(n: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(n)


def rewrite_raster(path: Path, data=None, transform=None, crs="keep", dtype=None, tags=None,
                   nodata="keep") -> None:
    """Rewrite ``path`` (a GeoTIFF) with some of its properties changed."""
    import numpy as np
    import rasterio

    with rasterio.open(path) as src:
        profile = src.profile.copy()
        arr = src.read(1) if data is None else None
        old_tags = src.tags()
    arr = data if data is not None else arr
    if transform is not None:
        profile["transform"] = transform
    if crs != "keep":
        profile["crs"] = crs
    if nodata != "keep":
        profile["nodata"] = nodata
    profile["dtype"] = dtype or str(np.asarray(arr).dtype)
    if profile["dtype"].startswith("complex"):
        profile.pop("predictor", None)
    tags = {**old_tags, **(tags or {})}
    tags.pop("AREA_OR_POINT", None)
    path.unlink()
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(np.asarray(arr).astype(profile["dtype"]), 1)
        dst.update_tags(**tags)


def _read(path: Path):
    import rasterio

    with rasterio.open(path) as src:
        return src.read(1), src.transform, src.crs, src.profile


def _patch_tiff_size(path: Path, width: int, height: int) -> None:
    """Set ImageWidth/ImageLength of a little-endian classic TIFF in place (as LONG)."""
    b = bytearray(path.read_bytes())
    assert b[:4] == b"II*\x00", "not a little-endian classic TIFF"
    off = struct.unpack_from("<I", b, 4)[0]
    for k in range(struct.unpack_from("<H", b, off)[0]):
        e = off + 2 + 12 * k
        tag = struct.unpack_from("<H", b, e)[0]
        if tag in (256, 257):
            struct.pack_into("<HHII", b, e, tag, 4, 1, width if tag == 256 else height)
    path.write_bytes(bytes(b))


def _dbf_layout(path: Path):
    b = path.read_bytes()
    n, header_len, record_len = struct.unpack_from("<IHH", b, 4)
    fields, pos, at = {}, 32, 1  # each record starts with the deletion flag
    while b[pos] != 0x0D:
        name = b[pos:pos + 11].split(b"\0")[0].decode("ascii")
        length = b[pos + 16]
        fields[name] = (at, length)
        at += length
        pos += 32
    return n, header_len, record_len, fields


def _shp_record_offsets(path: Path) -> List[int]:
    """Byte offsets of each record's content (after the 8-byte record header)."""
    b = path.read_bytes()
    pos, found = 100, []
    while pos + 8 <= len(b):
        length = struct.unpack_from(">i", b, pos + 4)[0] * 2
        found.append(pos + 8)
        pos += 8 + length
    return found


def _set_vertex_x(path: Path, record: int, value: float) -> None:
    """X of the first and last vertex (the ring stays closed) of a polygon record."""
    b = bytearray(path.read_bytes())
    at = _shp_record_offsets(path)[record]
    shape_type, = struct.unpack_from("<i", b, at)
    assert shape_type == 5, shape_type  # polygon
    n_parts, n_points = struct.unpack_from("<ii", b, at + 36)
    points = at + 44 + 4 * n_parts
    struct.pack_into("<d", b, points, value)
    struct.pack_into("<d", b, points + 16 * (n_points - 1), value)
    path.write_bytes(bytes(b))


def _rename_into_long_path(ctx: Ctx, total: int = 2100) -> Path:
    """Move the workspace under nested folders so its label paths are longer than ``total``
    characters (each folder name below NAME_MAX = 255)."""
    parent = ctx.dir
    depth = 0
    while len(str(parent)) + len("/ws/labels/") + len(ctx.stem) + 4 < total:
        depth += 1
        parent = parent / (f"L{depth:02d}_" + "x" * 230)
    parent = parent.with_name(parent.name[:-16] + "__long_path_end")
    parent.mkdir(parents=True)
    new_ws = parent / "ws"
    shutil.move(str(ctx.ws), str(new_ws))
    ctx.ws, ctx.labels = new_ws, new_ws / "labels"
    return new_ws


# ----------------------------------------------------------------------------- damages
# Each damage takes the case's context, damages one thing and says how to recognise it in a
# message (ctx.names). They do not depend on the command, except where the output or input
# argument itself is the case.

def ifg_truncated_half(ctx):
    _cut(ctx.ifg, ctx.ifg.stat().st_size // 2)
    ctx.names = [ctx.ifg.name]
    ctx.inputs["inspect"] = ctx.ifg


def ifg_truncated_header(ctx):
    _cut(ctx.ifg, 200)
    ctx.names = [ctx.ifg.name]
    ctx.inputs["inspect"] = ctx.ifg


def ifg_zero_bytes(ctx):
    ctx.ifg.write_bytes(b"")
    ctx.names = [ctx.ifg.name]
    ctx.inputs["inspect"] = ctx.ifg


def ifg_random_bytes(ctx):
    ctx.ifg.write_bytes(_random_bytes(ctx.ifg.stat().st_size, 1))
    ctx.names = [ctx.ifg.name]
    ctx.inputs["inspect"] = ctx.ifg


def ifg_is_directory(ctx):
    """The interferogram's name is a folder (an unpacked archive, a sync tool's conflict)."""
    ctx.ifg.unlink()
    ctx.ifg.mkdir()
    ctx.names = [ctx.ifg.name]
    ctx.inputs["inspect"] = ctx.ifg


def dir_named_tif(ctx):
    """A folder x.tif among the interferograms: skipped, but it must be said."""
    (ctx.ws / "interferograms" / "x.tif").mkdir()
    ctx.names = ["x.tif"]


def ifg_zero_pixel(ctx):
    from affine import Affine

    t = _read(ctx.ifg)[1]
    rewrite_raster(ctx.ifg, transform=Affine(0.0, 0.0, t.c, 0.0, 0.0, t.f))
    assert _read(ctx.ifg)[1].a == 0.0  # rasterio writes it; no tag patch needed
    ctx.names = [ctx.ifg.name]
    ctx.inputs["inspect"] = ctx.ifg


def ifg_complex(ctx):
    """CFloat32 exp(i*phase): GAMMA/ISCE/SNAP products; the phase is its angle."""
    import numpy as np

    phase = _read(ctx.ifg)[0]
    z = np.where(np.isfinite(phase), np.exp(1j * np.nan_to_num(phase)), 0).astype("complex64")
    rewrite_raster(ctx.ifg, data=z, dtype="complex64", nodata=None)
    ctx.names = [ctx.ifg.name]
    ctx.inputs["inspect"] = ctx.ifg


def ifg_displacement(ctx):
    """Metres of line-of-sight displacement, tagged DATA_UNITS=METRES."""
    import numpy as np

    phase = _read(ctx.ifg)[0]
    rewrite_raster(ctx.ifg, data=(phase * 0.0554658 / (4 * np.pi)).astype("float32"),
                   tags={"DATA_UNITS": "METRES"})
    ctx.names = [ctx.ifg.name]
    ctx.inputs["inspect"] = ctx.ifg


def ifg_4326_over_metres(ctx):
    """An EPSG:4326 tag over UTM metre coordinates (a wrong export)."""
    rewrite_raster(ctx.ifg, crs="EPSG:4326")
    ctx.names = [ctx.ifg.name]
    ctx.inputs["inspect"] = ctx.ifg


def ifg_huge_header(ctx):
    """A 4x4 float32 GeoTIFF (under 1 kB) whose header claims 300000 x 300000 pixels."""
    import numpy as np
    import rasterio

    _, t, crs, _ = _read(ctx.ifg)
    ctx.ifg.unlink()
    with rasterio.open(ctx.ifg, "w", driver="GTiff", width=4, height=4, count=1,
                       dtype="float32", crs=crs, transform=t, tiled=False) as dst:
        dst.write(np.full((1, 4, 4), 0.5, "float32"))
        dst.update_tags(FIRST_DATE="2019-08-05", SECOND_DATE="2019-08-17")
    _patch_tiff_size(ctx.ifg, 300000, 300000)
    with rasterio.open(ctx.ifg) as src:
        assert (src.width, src.height) == (300000, 300000)
    assert ctx.ifg.stat().st_size < 2000
    ctx.timeout = 30.0  # today's export works at it for 100 s before a MemoryError
    ctx.names = [ctx.ifg.name]
    ctx.inputs["inspect"] = ctx.ifg


def coh_percent(ctx):
    coh = _read(ctx.coh)[0]
    rewrite_raster(ctx.coh, data=(coh * 100.0).astype("float32"))
    ctx.names = [ctx.coh.name]
    ctx.inputs["inspect"] = ctx.coh


def coh_negative(ctx):
    coh = _read(ctx.coh)[0]
    rewrite_raster(ctx.coh, data=(coh * 2.0 - 1.0).astype("float32"))
    ctx.names = [ctx.coh.name]
    ctx.inputs["inspect"] = ctx.coh


def coh_far_away(ctx):
    """Same size as its interferogram, 1000 km to the east."""
    from affine import Affine

    t = _read(ctx.coh)[1]
    rewrite_raster(ctx.coh, transform=Affine.translation(1_000_000.0, 0.0) * t)
    ctx.names = [ctx.coh.name]


def coh_other_crs(ctx):
    """The coherence map reprojected to EPSG:32633 (same size, other grid)."""
    import numpy as np
    from rasterio.transform import from_origin
    from rasterio.warp import Resampling, reproject, transform

    coh, t, crs, _ = _read(ctx.coh)
    xs, ys = transform(crs, "EPSG:32633", [t.c], [t.f])
    dst_t = from_origin(round(xs[0]), round(ys[0]), 15.0, 15.0)
    out = np.full(coh.shape, np.nan, "float32")
    reproject(coh, out, src_transform=t, src_crs=crs, dst_transform=dst_t,
              dst_crs="EPSG:32633", resampling=Resampling.bilinear, dst_nodata=np.nan)
    rewrite_raster(ctx.coh, data=out, transform=dst_t, crs="EPSG:32633")
    ctx.names = [ctx.coh.name]


def dem_truncated(ctx):
    _cut(ctx.dem, ctx.dem.stat().st_size // 2)
    ctx.names = [ctx.dem.name]
    ctx.inputs["inspect"] = ctx.dem


def dem_truncated_header(ctx):
    _cut(ctx.dem, 200)
    ctx.names = [ctx.dem.name]
    ctx.inputs["inspect"] = ctx.dem


def dem_zero_pixel(ctx):
    from affine import Affine

    t = _read(ctx.dem)[1]
    rewrite_raster(ctx.dem, transform=Affine(0.0, 0.0, t.c, 0.0, 0.0, t.f))
    ctx.names = [ctx.dem.name]
    ctx.inputs["inspect"] = ctx.dem


def layer_truncated(ctx):
    """A derived terrain layer (dem/slope.tif) cut to half: an optional input."""
    slope = ctx.ws / "dem" / "slope.tif"
    _cut(slope, slope.stat().st_size // 2)
    ctx.names = [slope.name]
    ctx.inputs["inspect"] = slope
    if ctx.command == "export":
        ctx.extra = ["--recipe", "phase_coh_terrain", "--terrain-layer", "slope"]


def dbf_truncated(ctx):
    """The .dbf cut in the middle of its 4th record: 3 of the 5 records can be read."""
    dbf = ctx.lab.with_suffix(".dbf")
    n, header_len, record_len, _ = _dbf_layout(dbf)
    assert n == 5
    _cut(dbf, header_len + 3 * record_len + record_len // 2)
    ctx.names = [ctx.lab.stem]


def shx_foreign(ctx):
    """The .shx of the 2-record file copied over the 5-record file's."""
    other = ctx.labels / f"{ctx.stems[1]}.shx"
    shutil.copyfile(other, ctx.lab.with_suffix(".shx"))
    ctx.names = [ctx.lab.stem]


def shp_zero_bytes(ctx):
    ctx.lab.write_bytes(b"")
    ctx.names = [ctx.lab.stem]


def shp_random(ctx):
    ctx.lab.write_bytes(_random_bytes(ctx.lab.stat().st_size, 2))
    ctx.names = [ctx.lab.stem]


def prj_garbage(ctx):
    ctx.lab.with_suffix(".prj").write_text("this is not a CRS", encoding="ascii")
    ctx.names = [ctx.lab.stem]


def coord_nan(ctx):
    _set_vertex_x(ctx.lab, 1, float("nan"))
    ctx.names = [ctx.lab.stem]


def coord_inf(ctx):
    _set_vertex_x(ctx.lab, 2, float("inf"))
    ctx.names = [ctx.lab.stem]


def dbf_non_utf8(ctx):
    """Bytes that are not UTF-8 in the Class field of record 2 (the .cpg says UTF-8)."""
    dbf = ctx.lab.with_suffix(".dbf")
    n, header_len, record_len, fields = _dbf_layout(dbf)
    at, length = fields["Class"]
    b = bytearray(dbf.read_bytes())
    b[header_len + record_len + at: header_len + record_len + at + 2] = b"\xe9\xff"
    dbf.write_bytes(bytes(b))
    ctx.names = [ctx.lab.stem]


def long_label_path(ctx):
    """The workspace under nested folders: label paths over 2 kB (PATH_MAX is 4096)."""
    _rename_into_long_path(ctx)
    assert len(str(ctx.lab)) > 2000
    ctx.names = ["__long_path_end", ctx.stem]


def state_non_utf8(ctx):
    state = ctx.ws / ".mirage" / "state.json"
    state.parent.mkdir(exist_ok=True)
    state.write_bytes(b'{"settings": {"strict": "\xff\xfe\xe9"}, "notes": "\x80\x81"}')
    ctx.tracked = [state]
    ctx.names = ["state.json"]


def basemap_empty(ctx):
    (ctx.ws / "basemaps").mkdir()
    (ctx.ws / "basemaps" / "x.xyz").write_bytes(b"")
    ctx.names = ["x.xyz"]


def basemap_non_utf8(ctx):
    (ctx.ws / "basemaps").mkdir()
    (ctx.ws / "basemaps" / "x.xyz").write_bytes(
        b"\xff\xfehttps://tiles.example.org/\xe9/{z}/{x}/{y}.png\x80")
    ctx.names = ["x.xyz"]


def inventory_damaged(ctx):
    inv = ctx.ws / "inventories"
    inv.mkdir()
    (inv / "x.shp").write_bytes(_random_bytes(400, 3))
    (inv / "x.dbf").write_bytes(_random_bytes(100, 4))
    (inv / "x.shx").write_bytes(_random_bytes(100, 5))
    ctx.names = ["x.shp"]


def journal_escape(ctx):
    """A crafted journal of a pending save whose stage and stale names point outside."""
    victim = ctx.dir / "victim"
    victim.mkdir()
    (victim / "secret.txt").write_text("the key\n", encoding="utf-8")
    (ctx.dir / "victim.txt").write_text("a thesis\n", encoding="utf-8")
    stem_dir = ctx.labels / ".mirage-staging" / ctx.stem
    stem_dir.mkdir(parents=True)
    journal = {"stage": os.path.relpath(victim, stem_dir), "files": ["secret.txt"],
               "stale": [os.path.relpath(ctx.dir / "victim.txt", ctx.labels)]}
    assert journal["stage"] == "../../../../victim", journal
    assert journal["stale"] == ["../../victim.txt"], journal
    (stem_dir / "journal.json").write_text(json.dumps(journal), encoding="utf-8")
    ctx.victims = [victim / "secret.txt", ctx.dir / "victim.txt"]
    # finishing or discarding a pending save is what opening is for; the journal itself may go
    ctx.exclude = ["labels/.mirage-staging/"]
    ctx.names = ["journal.json", ctx.stem]


def pending_readonly(ctx):
    """An uncommitted save (a stage, no journal) in a label folder mounted read-only."""
    stage = ctx.labels / ".mirage-staging" / ctx.stem / "new-0123456789ab"
    stage.mkdir(parents=True)
    for p in ctx.labels.glob(f"{ctx.stem}.*"):
        shutil.copy2(p, stage / p.name)
    ctx.readonly = [ctx.labels]
    ctx.names = [ctx.stem]


def out_is_input(ctx):
    """The output path is one of the inputs."""
    other_dbf = ctx.labels / f"{ctx.stems[1]}.dbf"
    target = {"synth": ctx.ws, "screen": ctx.coh, "terrain-check": ctx.ws / "dem" / "slope.tif",
              "processes": ctx.lab, "audit": other_dbf, "agree": other_dbf,
              "report": other_dbf, "export": ctx.labels, "exercise": ctx.ws,
              "score": other_dbf, "quicklook": ctx.ifg}[ctx.command]
    ctx.out[ctx.command] = target
    ctx.preexisting_output = True
    ctx.names = [target.name]


def out_in_labels(ctx):
    """An output inside the label folder (not an existing file)."""
    target = ctx.labels / OUTPUT_NAMES[ctx.command]
    ctx.out[ctx.command] = target
    ctx.names = [target.name]


def out_readonly(ctx):
    ctx.outdir = ctx.outdir.rename(ctx.dir / "ro_out_folder")
    ctx.readonly = [ctx.outdir]
    ctx.names = [ctx.output().name, "ro_out_folder"]


def out_full(ctx):
    ctx.outdir = ctx.outdir.rename(ctx.dir / "full_out_folder")
    ctx.full = [ctx.outdir]
    ctx.names = [ctx.output().name, "full_out_folder"]


def out_parent_is_file(ctx):
    plain = ctx.outdir / "a_plain_file"
    plain.write_text("not a folder\n", encoding="utf-8")
    ctx.out[ctx.command] = plain / OUTPUT_NAMES[ctx.command]
    ctx.keep_in_outdir = ["a_plain_file"]
    ctx.victims = [plain]
    ctx.names = ["a_plain_file", OUTPUT_NAMES[ctx.command]]


def dangling_symlink(ctx):
    """The command's main input argument is a symlink to nothing."""
    target = ctx.dir / "no_such_target_xyz" / "gone"
    key, name = {"synth": (None, "dangling_out"), "inspect": ("inspect", "dangling_in.tif"),
                 "screen": ("ws", "dangling_ws"), "morphometry": ("dem", "dangling_dem.tif"),
                 "terrain-check": ("ws", "dangling_ws"), "processes": ("ws", "dangling_ws"),
                 "audit": ("labels", "dangling_labels"), "agree": ("labels", "dangling_labels"),
                 "report": ("labels", "dangling_labels"),
                 "export": ("labels", "dangling_labels"), "exercise": ("ws", "dangling_ws"),
                 "score": ("pack", "dangling_pack"),
                 "quicklook": ("ifg", "dangling_in.tif")}[ctx.command]
    link = ctx.dir / name
    link.symlink_to(target)
    ctx.absent = [target, target.parent]
    if key is None:
        ctx.out[ctx.command] = link
        ctx.preexisting_output = True
    else:
        ctx.inputs[key] = link
    ctx.names = [name]
    ctx.forbidden = ["no_such_target_xyz"]


def _reference(ctx) -> Path:
    return ctx.pack / ".mirage" / "exercise" / "reference.zip"


def key_crc_corrupt(ctx):
    """Bytes flipped inside a member's compressed data: the zip opens, the CRC fails."""
    ref = _reference(ctx)
    b = bytearray(ref.read_bytes())
    with zipfile.ZipFile(ref) as zf:
        info = max(zf.infolist(), key=lambda i: i.compress_size)
    name_len, extra_len = struct.unpack_from("<HH", b, info.header_offset + 26)
    data = info.header_offset + 30 + name_len + extra_len
    for k in range(info.compress_size // 3, info.compress_size // 3 + 8):
        b[data + k] ^= 0x5A
    ref.write_bytes(bytes(b))
    with zipfile.ZipFile(ref) as zf:  # still a zip: only the member's data is damaged
        assert info.filename in zf.namelist()
    ctx.names = [ctx.pack.name, "reference.zip"]


def key_zip_bomb(ctx):
    """The key with a member that decompresses to 1.1 GB of zeros (1 MB on disk)."""
    shutil.copyfile(ctx.base.bomb, _reference(ctx))
    ctx.names = [ctx.pack.name, "reference.zip"]


def key_unreadable(ctx):
    _reference(ctx).write_bytes(_random_bytes(2000, 6))
    ctx.names = [ctx.pack.name, "reference.zip"]


def key_empty(ctx):
    """A valid zip with no member: no key to score against ("found 0 of 0")."""
    _reference(ctx).unlink()
    zipfile.ZipFile(_reference(ctx), "w").close()
    ctx.names = [ctx.pack.name, "reference.zip"]


def key_member_garbage(ctx):
    """The key's .shp member replaced by random bytes."""
    ref = _reference(ctx)
    with zipfile.ZipFile(ref) as zf:
        members = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    shp = next(n for n in members if n.endswith(".shp") and IFG_ID in n)
    members[shp] = _random_bytes(len(members[shp]), 7)
    with zipfile.ZipFile(ref, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    ctx.names = [ctx.pack.name, "reference.zip"]


def split_not_numbers(ctx):
    ctx.extra = ["--split", "a,b,c"]
    ctx.names = ["--split"]


def export_nothing(ctx):
    """Only the empty label file is left and no negatives are asked for: nothing to write."""
    for stem in ctx.stems[:2]:
        for p in ctx.labels.glob(f"{stem}.*"):
            p.unlink()
    ctx.extra = ["--negative-rate", "0"]
    ctx.names = [ctx.labels.name, OUTPUT_NAMES["export"], "chip"]


def layers_unknown(ctx):
    ctx.argv = ["morphometry", ctx.dem, ctx.output(), "--layers", "slope,nope_layer", "--quiet"]
    ctx.names = ["nope_layer"]


def ifg_unknown(ctx):
    ctx.argv = ["terrain-check", ctx.ws, "20000101_20000113", "--class", "RG", "--png",
                ctx.output()]
    ctx.names = ["20000101_20000113"]


def pristine(ctx):
    """No damage: the command must succeed (checks the harness itself)."""


DAMAGES: Dict[str, Callable[[Ctx], None]] = {f.__name__: f for f in (
    pristine, ifg_truncated_half, ifg_truncated_header, ifg_zero_bytes, ifg_random_bytes,
    ifg_is_directory, dir_named_tif, ifg_zero_pixel, ifg_complex, ifg_displacement,
    ifg_4326_over_metres, ifg_huge_header, coh_percent, coh_negative, coh_far_away,
    coh_other_crs, dem_truncated, dem_truncated_header, dem_zero_pixel, layer_truncated,
    dbf_truncated, shx_foreign, shp_zero_bytes, shp_random, prj_garbage, coord_nan, coord_inf,
    dbf_non_utf8, long_label_path, state_non_utf8, basemap_empty, basemap_non_utf8,
    inventory_damaged, journal_escape, pending_readonly, out_is_input, out_in_labels,
    out_readonly, out_full, out_parent_is_file, dangling_symlink, key_crc_corrupt,
    key_zip_bomb, key_unreadable, key_empty, key_member_garbage, split_not_numbers,
    export_nothing, layers_unknown, ifg_unknown)}


# ----------------------------------------------------------------------------- checks' tools

def snapshot(roots: Sequence[Path], exclude: Sequence[str] = (),
             tracked: Sequence[Path] = ()) -> Dict[str, str]:
    """SHA-256 of every file under ``roots`` (symlinks by their target text), except the
    hidden .mirage/ cache, the store's lock file and ``exclude`` (relative prefixes)."""
    found: Dict[str, str] = {}
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            rel_dir = os.path.relpath(dirpath, root)
            dirnames[:] = [d for d in dirnames if d != ".mirage"]
            for name in filenames:
                rel = os.path.normpath(os.path.join(rel_dir, name))
                if rel.endswith(os.path.join(".mirage-staging", "lock")):
                    continue
                if any(rel.startswith(prefix) for prefix in exclude):
                    continue
                found[str(Path(root) / rel)] = _digest(Path(dirpath) / name)
    for path in tracked:
        found[str(path)] = _digest(path)
    return found


def _digest(path: Path) -> str:
    if path.is_symlink():
        return "link:" + os.readlink(path)
    if not path.exists():
        return "missing"
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def leftovers(folders: Sequence[Path]) -> List[str]:
    """Scratch names (LEFTOVER_PATTERNS) anywhere under ``folders``."""
    found = []
    for folder in folders:
        if not folder.exists():
            continue
        for dirpath, dirnames, filenames in os.walk(folder):
            for name in dirnames + filenames:
                if any(fnmatch(name, pat) for pat in LEFTOVER_PATTERNS):
                    found.append(os.path.join(dirpath, name))
    return found


def listing(folder: Path) -> List[str]:
    if not folder.is_dir():
        return []
    return sorted(os.path.relpath(os.path.join(d, n), folder)
                  for d, dirs, files in os.walk(folder) for n in dirs + files)


# ----------------------------------------------------------------------------- running

def cli_env(tmpdir: Optional[Path]) -> Dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    if os.path.isdir("/usr/share/proj"):
        env.setdefault("PROJ_DATA", "/usr/share/proj")
    if tmpdir is not None:
        env.update(TMPDIR=str(tmpdir), TEMP=str(tmpdir), TMP=str(tmpdir))
    return env


_NAMESPACE: Dict[str, Optional[List[str]]] = {}


def namespace_flags(probe_dir: Path) -> Optional[List[str]]:
    """``unshare`` flags with which a tmpfs and a read-only bind mount work here (checked
    once: both must really refuse writes), else None (then the in-process fallback)."""
    if "flags" in _NAMESPACE:
        return _NAMESPACE["flags"]
    _NAMESPACE["flags"] = None
    if os.environ.get("MIRAGE_TEST_NO_NAMESPACE") or not shutil.which("unshare"):
        return None
    full, ro = probe_dir / "probe_full", probe_dir / "probe_ro"
    full.mkdir(parents=True, exist_ok=True)
    ro.mkdir(parents=True, exist_ok=True)
    script = (f'mount -t tmpfs -o size=64k tmpfs "{full}" && '
              f'mount --bind "{ro}" "{ro}" && mount -o remount,bind,ro "{ro}" && '
              f'! touch "{ro}/x" 2>/dev/null && '
              f'! dd if=/dev/zero of="{full}/f" bs=4096 count=64 2>/dev/null && echo works')
    candidates = ([["-m"]] if os.geteuid() == 0 else []) + [["-r", "-m"]]
    for flags in candidates:
        try:
            done = subprocess.run(["unshare", *flags, "sh", "-c", script],
                                  capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0 and done.stdout.strip() == "works":
            _NAMESPACE["flags"] = flags
            break
    return _NAMESPACE["flags"]


@dataclass
class Run:
    argv: List[str]
    returncode: Optional[int]
    stdout: str
    stderr: str
    full_listings: Dict[str, List[str]]  # what a full (tmpfs) folder held at the end
    how: str  # "plain", "namespace" or "fallback"
    seconds: float = 0.0


def _limit_memory():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_ctx(ctx: Ctx, timeout: float = CLI_TIMEOUT_S) -> Run:
    """Run the case's command line; with its read-only and full folders when it has any."""
    args = argv_for(ctx)
    env = cli_env(ctx.tmpdir)
    listings: Dict[str, List[str]] = {}
    if not (ctx.readonly or ctx.full):
        cmd, how = [sys.executable, "-m", "mirage_labeller", *args], "plain"
    elif namespace_flags(ctx.dir.parent) is not None:
        lines = []
        for folder in ctx.full:
            lines.append(f'mount -t tmpfs -o size=64k tmpfs "{folder}" || exit 97')
            lines.append(f'dd if=/dev/zero of="{folder}/.filler" bs=4096 2>/dev/null')
        for folder in ctx.readonly:
            lines.append(f'mount --bind "{folder}" "{folder}" && '
                         f'mount -o remount,bind,ro "{folder}" || exit 97')
        lines.append('"$0" -m mirage_labeller "$@"; rc=$?')
        for k, folder in enumerate(ctx.full):
            lines.append(f'(cd "{folder}" && find . -mindepth 1 -printf "%P\\t%s\\n") '
                         f'> "{ctx.dir}/listing{k}.txt"')
        lines.append("exit $rc")
        cmd = ["unshare", *namespace_flags(ctx.dir.parent), "sh", "-c", "\n".join(lines),
               sys.executable, *args]
        how = "namespace"
    else:
        faults = [a for folder in ctx.readonly for a in ("--ro", str(folder))]
        faults += [a for folder in ctx.full for a in ("--full", str(folder))]
        cmd = [sys.executable, str(Path(__file__).resolve()), "fault", *faults, "--", *args]
        how = "fallback"
    started = time.monotonic()
    try:
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=timeout, preexec_fn=_limit_memory,
                              errors="backslashreplace")
        rc, out, err = done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired as exc:
        rc = None
        out = (exc.stdout or b"").decode("utf-8", "backslashreplace") \
            if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        err = (exc.stderr or b"").decode("utf-8", "backslashreplace") \
            if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        err += f"\n[timed out after {timeout:.0f} s]"
    if rc == 97:
        raise RuntimeError(f"mounting failed: {err}")
    for k, folder in enumerate(ctx.full):
        path = ctx.dir / f"listing{k}.txt"
        if how == "fallback":  # nothing was mounted: the folder is the real one
            entries = [(n, (folder / n).stat().st_size) for n in listing(folder)]
        elif path.exists():
            entries = [tuple(line.rsplit("\t", 1)) for line in path.read_text().splitlines()]
        else:
            entries = [("<no listing>", "?")]
        listings[str(folder)] = sorted(f"{n} ({size} bytes)" for n, size in entries
                                       if n != ".filler")
    return Run(args, rc, out, err, listings, how, time.monotonic() - started)


@dataclass
class Prepared:
    ctx: Ctx
    run: Run
    before: Dict[str, str]  # snapshot of the inputs before the run
    victims_before: Dict[Path, str]


def prepare_and_run(base: Base, tmp: Path, command: str, case: str) -> Prepared:
    """Copy, damage, snapshot and run one (command, case); the checks come after."""
    ctx = make_ctx(base, tmp, command, case)
    DAMAGES[case](ctx)
    before = snapshot(ctx.hash_roots, ctx.exclude, ctx.tracked)
    victims_before = {p: _digest(p) for p in ctx.victims}
    return Prepared(ctx, run_ctx(ctx, ctx.timeout), before, victims_before)


# ----------------------------------------------------------------------------- the fallback
# Without mount namespaces: run the CLI in this process with every write under a read-only
# folder failing with EROFS (at open, with the file name, as the system does) and every write
# of data under a full folder failing with ENOSPC as a full disk does: the file is created,
# the first write fails, and the error carries no file name. GDAL's own writes are caught
# where Python hands it the path (rasterio.open, fiona.open in a write mode): the file is
# created empty and OSError(ENOSPC) raised.

def _fault_main(argv: List[str]) -> int:
    import builtins
    import io

    ro, full, cli = [], [], []
    it = iter(argv)
    for a in it:
        if a == "--ro":
            ro.append(os.path.realpath(next(it)))
        elif a == "--full":
            full.append(os.path.realpath(next(it)))
        elif a == "--":
            cli = list(it)

    def zone(path) -> Optional[int]:
        try:
            real = os.path.realpath(os.fspath(path))
        except TypeError:
            return None
        for folder in ro:
            if real == folder or real.startswith(folder + os.sep):
                return errno.EROFS
        for folder in full:
            if real == folder or real.startswith(folder + os.sep):
                return errno.ENOSPC
        return None

    def erofs(path) -> OSError:
        return OSError(errno.EROFS, os.strerror(errno.EROFS), os.fspath(path))

    def enospc() -> OSError:
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def writes(mode) -> bool:
        return any(c in str(mode) for c in "wax+")

    real_open, real_os_open, real_write, real_close = builtins.open, os.open, os.write, os.close
    full_fds = set()

    class FullFile:
        """A file on a full disk: it exists, nothing can be written to it."""

        def __init__(self, fh):
            self._fh = fh

        def write(self, data):
            if len(data):
                raise enospc()
            return 0

        def writelines(self, lines):
            for line in lines:
                self.write(line)

        def __getattr__(self, name):
            return getattr(self._fh, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._fh.close()

        def __iter__(self):
            return iter(self._fh)

    def patched_open(file, mode="r", *a, **k):
        if not isinstance(file, int) and writes(mode):
            code = zone(file)
            if code == errno.EROFS:
                raise erofs(file)
            if code == errno.ENOSPC:
                return FullFile(real_open(file, mode, *a, **k))
        return real_open(file, mode, *a, **k)

    def patched_os_open(path, flags, *a, **k):
        writing = flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND)
        code = zone(path) if writing else None
        if code == errno.EROFS:
            raise erofs(path)
        fd = real_os_open(path, flags, *a, **k)
        if code == errno.ENOSPC:
            full_fds.add(fd)
        return fd

    def patched_write(fd, data):
        if fd in full_fds and len(data):
            raise enospc()
        return real_write(fd, data)

    def patched_close(fd):
        full_fds.discard(fd)
        return real_close(fd)

    def guard(fn, *which):
        """Changes of names (mkdir, rename, unlink...) fail on a read-only folder only: on a
        full disk they cost no space."""
        def wrapped(*a, **k):
            for idx in which:
                if idx < len(a) and zone(a[idx]) == errno.EROFS:
                    raise erofs(a[idx])
            return fn(*a, **k)
        return wrapped

    builtins.open = io.open = patched_open
    os.open, os.write, os.close = patched_os_open, patched_write, patched_close
    os.replace = guard(os.replace, 0, 1)
    os.rename = guard(os.rename, 0, 1)
    os.link = guard(os.link, 1)
    os.symlink = guard(os.symlink, 1)
    os.mkdir = guard(os.mkdir, 0)
    os.remove = guard(os.remove, 0)
    os.unlink = guard(os.unlink, 0)
    os.rmdir = guard(os.rmdir, 0)
    os.utime = guard(os.utime, 0)
    os.chmod = guard(os.chmod, 0)
    real_access = os.access

    def patched_access(path, mode, *a, **k):
        if mode & os.W_OK and zone(path) == errno.EROFS:
            return False
        return real_access(path, mode, *a, **k)

    os.access = patched_access

    def gdal_open(real):
        def opener(fp, mode="r", *a, **k):
            if mode != "r" and not hasattr(fp, "read"):
                code = zone(fp)
                if code == errno.EROFS:
                    raise erofs(fp)
                if code == errno.ENOSPC:
                    real_open(fp, "wb").close()
                    raise enospc()
            return real(fp, mode, *a, **k)
        return opener

    import fiona
    import rasterio

    rasterio.open = gdal_open(rasterio.open)
    fiona.open = gdal_open(fiona.open)
    sys.path.insert(0, str(ROOT))
    sys.argv = ["python -m mirage_labeller", *cli]
    from mirage_labeller.cli import main

    try:
        rc = main(cli)
    except SystemExit as exc:
        rc = exc.code if isinstance(exc.code, int) else 1
    return rc


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "fault":
        sys.exit(_fault_main(sys.argv[2:]))
    sys.exit("usage: damaged_inputs.py fault [--ro DIR] [--full DIR] -- CLI ARGUMENTS")
