"""Fuzzing the audit: hundreds of randomly damaged label sets and rasters. The audit never
raises, and every damaged file is reported by name."""
import shutil
import struct

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasterio.transform import from_origin

from mirage_labeller.core.base.geotiff import write_geotiff
from mirage_labeller.core.dataset.audit import audit_label_dir, checksums
from mirage_labeller.core.labels.schema import Label
from mirage_labeller.core.labels.store import LabelStore

STEMS = [f"015A_05124_131313_2019080{d}_2019081{d}.geo.diff_pha" for d in (1, 3, 5)]
SENTINEL = 591234.75


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """Three interferograms with coherence and a valid label file each."""
    root = tmp_path_factory.mktemp("fuzzbase") / "ws"
    for sub in ("interferograms", "coherence", "labels"):
        (root / sub).mkdir(parents=True)
    t = from_origin(590000.0, 5160000.0, 15.0, 15.0)
    rng = np.random.default_rng(1)
    store = LabelStore(root / "labels")
    for stem in STEMS:
        ifg = stem.split("_")[3] + "_" + stem.split("_")[4].split(".")[0]
        write_geotiff(root / "interferograms" / f"{stem}.tif",
                      rng.uniform(-3, 3, (300, 300)).astype("float32"), t)
        write_geotiff(root / "coherence" / stem.replace("diff_pha", "cc") + ".tif"
                      if False else root / "coherence" / f"{stem[:-9]}.cc.tif",
                      np.full((300, 300), 0.7, "float32"), t)
        labels = [Label(590300 + 400 * i, 5156000, 590600 + 400 * i, 5156150, "RG", 1, 1, ifg,
                        10, "A") for i in range(4)]
        labels[1] = Label(590700, 5156000, SENTINEL, 5156150, "RG", 1, 1, ifg, 10, "A")
        store.write(stem, labels)
    for p in (root / "labels").iterdir():  # the store's lock folder is not part of a dataset
        if p.is_dir():
            shutil.rmtree(p)
    return root


def _records_area(dbf: bytes):
    n, header_len, record_len = struct.unpack("<IHH", dbf[4:12])
    return header_len, record_len, n


OPS = ("truncate", "garbage_dbf", "delete", "nan_coordinate", "huge_coordinate", "flip_type",
       "garbage_prj", "truncate_raster", "garbage_raster_header")


def damage(root, op, k, frac, rng):
    """Damage one file; return the names that must appear in a finding."""
    stem = STEMS[k]
    lab = root / "labels"
    if op == "truncate":
        ext = (".shp", ".shx", ".dbf")[rng.integers(3)]
        path = lab / f"{stem}{ext}"
        data = path.read_bytes()
        path.write_bytes(data[:int(frac * (len(data) - 1))])
    elif op == "garbage_dbf":
        path = lab / f"{stem}.dbf"
        data = bytearray(path.read_bytes())
        header_len, record_len, n = _records_area(bytes(data))
        r = int(rng.integers(n))
        at = header_len + r * record_len + 1 + int(rng.integers(record_len - 1))
        for i in range(int(rng.integers(1, 4))):  # non-ASCII bytes: never a valid value
            if at + i < header_len + (r + 1) * record_len:
                data[at + i] = int(rng.integers(0x80, 0x100))
        path.write_bytes(bytes(data))
    elif op == "delete":
        ext = (".shx", ".dbf", ".prj", ".cpg")[rng.integers(4)]
        (lab / f"{stem}{ext}").unlink()
    elif op == "nan_coordinate":
        path = lab / f"{stem}.shp"
        bad = (float("nan"), float("inf"), -float("inf"))[rng.integers(3)]
        path.write_bytes(path.read_bytes().replace(struct.pack("<d", SENTINEL),
                                                   struct.pack("<d", bad)))
    elif op == "huge_coordinate":  # finite but absurd: a flipped exponent bit
        path = lab / f"{stem}.shp"
        bad = (1e300, -1e300, 1e12)[rng.integers(3)]
        path.write_bytes(path.read_bytes().replace(struct.pack("<d", SENTINEL),
                                                   struct.pack("<d", bad)))
    elif op == "flip_type":
        path = lab / f"{stem}.dbf"
        data = bytearray(path.read_bytes())
        header_len = struct.unpack("<H", data[8:10])[0]
        fields = (header_len - 33) // 32
        f = int(rng.integers(fields))
        at = 32 + 32 * f + 11
        data[at] = ord("C") if data[at] == ord("N") else ord("N")
        path.write_bytes(bytes(data))
    elif op == "garbage_prj":
        (lab / f"{stem}.prj").write_bytes(bytes(rng.integers(0, 256, 40, dtype=np.uint8)))
    elif op == "truncate_raster":
        sub = ("interferograms", "coherence")[rng.integers(2)]
        path = sorted((root / sub).glob("*.tif"))[k]
        data = path.read_bytes()
        path.write_bytes(data[:max(8, int(frac * (len(data) - 200)))])
        return path.name
    elif op == "garbage_raster_header":
        sub = ("interferograms", "coherence")[rng.integers(2)]
        path = sorted((root / sub).glob("*.tif"))[k]
        data = bytearray(path.read_bytes())
        data[:4] = (bytes(rng.integers(0, 256, 4, dtype=np.uint8)) if data[:2] != b"\0\0"
                    else b"XXXX")
        if bytes(data[:4]) in (b"II*\0", b"MM\0*", b"II+\0", b"MM\0+"):
            data[:4] = b"JUNK"
        path.write_bytes(bytes(data))
        return path.name
    return stem


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 2), st.floats(0.0, 0.999),
                          st.integers(0, 2 ** 31)), min_size=1, max_size=3))
def test_damaged_files_are_reported_never_crash(base, tmp_path_factory, ops):
    root = tmp_path_factory.mktemp("fuzz") / "ws"
    shutil.copytree(base, root)
    for op, k, frac, seed in ops:
        try:
            damage(root, op, k, frac, np.random.default_rng(seed))
        except (FileNotFoundError, IndexError, ValueError, struct.error):
            continue  # an earlier operation removed or shortened the file
    damaged = set()  # what differs from the intact set: label stems and raster names
    for sub in ("labels", "interferograms", "coherence"):
        for intact in (base / sub).iterdir():
            now = root / sub / intact.name
            if not now.exists() or now.read_bytes() != intact.read_bytes():
                damaged.add(intact.name if sub != "labels" else intact.stem)
    before = checksums(root / "labels")
    report = audit_label_dir(root / "labels", root)  # must not raise
    assert checksums(root / "labels") == before
    text = [f"{f.file} {f.message}" for f in report.findings]
    for name in damaged:
        assert any(name in t for t in text), f"{name} damaged by {ops} but not reported"
    shutil.rmtree(root.parent)
