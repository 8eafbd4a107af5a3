"""Facts about a raster read with rasterio, and how its values encode phase or coherence.

Products disagree on encodings: GMTSAR writes float radians with NaN, LiCSAR 0 as nodata and
coherence as uint8 0-255, some exports degrees or scaled integers, and PyRate ships unwrapped
phase. The plugin must say which it found instead of drawing nonsense.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Dict, Optional, Tuple

import numpy as np

from ..base import crs as crsmod
from ..base.errors import InputError, clean_library_text
from ..base.messages import Msg
from ..labels.crs_rule import CrsChoice, label_crs_from

TWO_PI = 2.0 * math.pi
_TOL = 1e-3


class RasterReadError(InputError):
    """A raster that cannot be opened or read; the message names the file."""


@dataclass(frozen=True)
class RasterFacts:
    path: str
    driver: str
    width: int
    height: int
    count: int
    dtype: str
    crs_wkt: Optional[str]
    epsg: Optional[int]
    is_geographic: bool
    is_projected: bool
    res: Tuple[float, float]
    bounds: Tuple[float, float, float, float]
    nodata: Optional[float]
    tags: Dict[str, str]
    vmin: Optional[float]  # over valid pixels of a decimated sample
    vmax: Optional[float]
    valid_fraction: float  # of the decimated sample
    integer_valued: bool  # every sampled value is a whole number
    centre_lonlat: Optional[Tuple[float, float]]

    @property
    def name(self) -> str:
        return os.path.basename(self.path)

    def describe(self) -> str:
        crs = f"EPSG:{self.epsg}" if self.epsg else ("custom CRS" if self.crs_wkt else "no CRS")
        rng = (f"{self.vmin:.4g}..{self.vmax:.4g}" if self.vmin is not None else "no valid data")
        return (f"{self.name}: {self.width}x{self.height} px, {self.dtype}, {crs}, pixel "
                f"{self.res[0]:.6g} x {self.res[1]:.6g}, nodata={self.nodata}, values {rng}, "
                f"{self.valid_fraction:.0%} valid")


def read_raster_facts(path: str, sample_size: int = 512, central: bool = False) -> RasterFacts:
    """Open ``path`` with rasterio and read its facts; values come from a decimated read
    (overviews when present), so this stays fast on large rasters. ``central`` reads only a
    window of ``sample_size`` pixels at the centre, at full resolution: a few tiles instead of
    all of them (enough to tell an encoding, when the whole file is read next anyway)."""
    import rasterio
    from rasterio.errors import RasterioError

    if not os.path.exists(path):
        raise RasterReadError(f"{path}: file not found")
    if os.path.isdir(path) and not str(path).lower().endswith((".gdb", ".zarr")):
        raise RasterReadError(f"{path}: is a folder, not a raster file")
    try:
        with rasterio.open(path) as src:
            check_geometry(src, path)
            if central:
                from rasterio.windows import Window

                w, h = min(src.width, sample_size), min(src.height, sample_size)
                data = src.read(1, window=Window((src.width - w) // 2, (src.height - h) // 2,
                                                 w, h), masked=True)
            else:
                scale = max(1, math.ceil(max(src.width, src.height) / sample_size))
                shape = (max(1, src.height // scale), max(1, src.width // scale))
                data = src.read(1, out_shape=shape, masked=True)
            crs = src.crs
            epsg = None
            wkt = None
            centre = None
            geographic = projected = False
            if crs is not None:
                wkt = crs.to_wkt()
                epsg = crs.to_epsg()
                geographic, projected = bool(crs.is_geographic), bool(crs.is_projected)
                centre = crsmod.lonlat_of(tuple(src.bounds), crs)  # None: PROJ cannot
            facts = dict(driver=src.driver, width=src.width, height=src.height, count=src.count,
                         dtype=src.dtypes[0], res=(abs(src.res[0]), abs(src.res[1])),
                         bounds=tuple(src.bounds), nodata=src.nodata, tags=dict(src.tags()))
    except RasterReadError:
        raise
    except (RasterioError, OSError, ValueError, MemoryError) as exc:
        raise RasterReadError(f"{path}: cannot be read as a raster "
                              f"({clean_library_text(exc)})") from None
    except Exception as exc:  # noqa: BLE001 - GDAL's CPLE_* errors derive from Exception only
        raise RasterReadError(f"{path}: cannot be read as a raster "
                              f"({clean_library_text(exc)})") from None
    if np.iscomplexobj(data):  # GAMMA, ISCE, SNAP: complex interferograms carry the phase
        data = np.ma.masked_array(np.angle(data.filled(0)), mask=np.ma.getmaskarray(data))
    values = np.ma.masked_invalid(data.astype("float64")).compressed()
    valid_fraction = values.size / data.size if data.size else 0.0
    return RasterFacts(
        path=str(path), crs_wkt=wkt, epsg=epsg, is_geographic=geographic, is_projected=projected,
        vmin=float(values.min()) if values.size else None,
        vmax=float(values.max()) if values.size else None,
        valid_fraction=valid_fraction,
        integer_valued=bool(values.size and np.all(np.mod(values, 1.0) == 0)),
        centre_lonlat=centre, **facts)


# A compressed tile holds at most some thousands of its pixels' bytes per stored byte (deflate
# tops out near 1032:1, LZW and ZSTD of a constant block higher): a header claiming 1e5 times
# more than the file could hold is a damaged or hostile file, not data.
_MAX_CLAIM_PER_BYTE = 1e5


def check_geometry(src, path) -> None:
    """RasterReadError for a raster whose header cannot describe real data: a zero pixel
    size or a transform that cannot be inverted, a geographic CRS over coordinates that are
    not degrees, a size the file could not hold."""
    t = src.transform
    if src.width < 1 or src.height < 1:
        raise RasterReadError(f"{path}: has no pixels ({src.width} x {src.height})")
    if not all(map(math.isfinite, (t.a, t.b, t.c, t.d, t.e, t.f))) or t.determinant == 0:
        raise RasterReadError(f"{path}: its pixel size is zero or not a number (geotransform "
                              f"{t.a:g}, {t.b:g}, {t.d:g}, {t.e:g}); the file's georeferencing "
                              "is damaged")
    if src.crs is not None and src.crs.is_geographic:
        b = src.bounds
        if max(abs(b.left), abs(b.right)) > 360.5 or max(abs(b.bottom), abs(b.top)) > 90.5:
            raise RasterReadError(f"{path}: its CRS ({src.crs.to_string()[:40]}) is in degrees "
                                  f"but its coordinates ({b.left:.0f}, {b.bottom:.0f}) are not: "
                                  "a wrong CRS tag? assign the right CRS (e.g. gdal_edit.py "
                                  "-a_srs) before use")
    if src.driver not in ("VRT", "MEM"):
        try:
            size = os.path.getsize(path)
        except OSError:
            size = 0
        claimed = float(src.width) * float(src.height) * src.count * \
            np.dtype(src.dtypes[0]).itemsize
        if size and claimed > _MAX_CLAIM_PER_BYTE * size + 1e9:
            raise RasterReadError(f"{path}: its header claims {src.width} x {src.height} "
                                  f"pixels, more than a file of {size} bytes can hold "
                                  "(damaged or truncated)")


@dataclass(frozen=True)
class ValueEncoding:
    """physical = raw * scale + offset, then re-wrapped to [-pi, pi] when ``rewrap``."""

    kind: str  # "phase" or "coherence"
    units: str
    scale: float = 1.0
    offset: float = 0.0
    nodata: Optional[float] = None
    rewrap: bool = False
    complex: bool = False  # complex values: the phase is their angle
    messages: Tuple[str, ...] = ()
    problems: Tuple[str, ...] = ()  # the encoding could not be trusted

    @property
    def is_native(self) -> bool:
        return self.scale == 1.0 and self.offset == 0.0 and not self.rewrap and not self.complex

    def to_physical(self, raw: np.ndarray) -> np.ndarray:
        if np.iscomplexobj(raw):  # the phase of a complex interferogram
            out = np.angle(raw).astype("float32")
            out[~np.isfinite(raw)] = np.nan
            return out
        out = raw.astype("float32") * np.float32(self.scale) + np.float32(self.offset)
        if self.nodata is not None:
            out[raw == self.nodata] = np.nan
        if self.rewrap:
            out = np.angle(np.exp(1j * out)).astype("float32")
        return out


def _units_tag(facts: RasterFacts) -> str:
    for k, v in facts.tags.items():
        if k.upper() in ("DATA_UNITS", "UNITS", "UNIT"):
            return v.strip().upper()
    return ""


def _no_valid_pixel(kind: str, facts: RasterFacts) -> ValueEncoding:
    return ValueEncoding(kind, "unknown", nodata=facts.nodata,
                         problems=(Msg("{name}: no valid pixel found",
                                       name=facts.name),))


def detect_phase_encoding(facts: RasterFacts) -> ValueEncoding:
    """How the raster stores wrapped phase, judged from its type, value range and tags."""
    name = facts.name
    if facts.dtype.startswith("complex"):
        return ValueEncoding("phase", "complex", nodata=facts.nodata, complex=True, messages=(
            Msg("{name}: complex values ({dtype}); the phase is their angle",
                name=name, dtype=facts.dtype),))
    if facts.vmin is None:
        return _no_valid_pixel("phase", facts)
    lo, hi = facts.vmin, facts.vmax
    units = _units_tag(facts)
    if units in ("M", "METRES", "METERS", "MM", "MILLIMETRES", "MILLIMETERS", "CM"):
        return ValueEncoding("phase", "displacement", nodata=facts.nodata, problems=(
            Msg("{name}: DATA_UNITS={units}: this is a displacement map, not a phase",
                name=name, units=units),))
    integer_type = facts.dtype.startswith(("int", "uint"))
    if not integer_type:
        if -math.pi - _TOL <= lo and hi <= math.pi + _TOL:
            return ValueEncoding("phase", "radians", nodata=facts.nodata)
        if -_TOL <= lo and hi <= TWO_PI + _TOL:
            return ValueEncoding("phase", "radians 0..2pi", nodata=facts.nodata, rewrap=True,
                                 messages=(Msg("{name}: phase in [0, 2pi]; re-wrapped to "
                                               "[-pi, pi]",
                                               name=name),))
        if (units.startswith("DEG") or (hi - lo > 200 and -180.5 <= lo and hi <= 360.5)) \
                and not units.startswith("RAD"):
            return ValueEncoding("phase", "degrees", scale=math.pi / 180.0, nodata=facts.nodata,
                                 rewrap=hi > 180.5, messages=(
                                     Msg("{name}: values {lo:.4g}..{hi:.4g} look like "
                                         "degrees; converted to radians",
                                         name=name, lo=lo, hi=hi),))
        return ValueEncoding("phase", "unwrapped radians", nodata=facts.nodata, rewrap=True,
                             messages=(Msg("{name}: values {lo:.4g}..{hi:.4g} span more "
                                           "than one cycle: unwrapped phase? re-wrapped to "
                                           "[-pi, pi]",
                                           name=name, lo=lo, hi=hi),))
    # integers
    if facts.dtype == "uint8":
        return ValueEncoding("phase", "scaled uint8", scale=TWO_PI / 255.0, offset=-math.pi,
                             nodata=facts.nodata, messages=(
                                 Msg("{name}: phase stored as 8-bit integers; read as "
                                     "v/255*2pi - pi",
                                     name=name),))
    if -180 <= lo and hi <= 360 and hi - lo > 200:
        return ValueEncoding("phase", "integer degrees", scale=math.pi / 180.0,
                             nodata=facts.nodata, rewrap=hi > 180, messages=(
                                 Msg("{name}: integer values {lo:.0f}..{hi:.0f} read as "
                                     "degrees",
                                     name=name, lo=lo, hi=hi),))
    if facts.dtype == "int16":
        return ValueEncoding("phase", "scaled int16", scale=math.pi / 32767.0,
                             nodata=facts.nodata, messages=(
                                 Msg("{name}: phase stored as 16-bit integers; read as "
                                     "v/32767*pi",
                                     name=name),))
    if facts.dtype == "uint16":
        return ValueEncoding("phase", "scaled uint16", scale=TWO_PI / 65535.0, offset=-math.pi,
                             nodata=facts.nodata, messages=(
                                 Msg("{name}: phase stored as 16-bit unsigned integers; "
                                     "read as v/65535*2pi - pi",
                                     name=name),))
    return ValueEncoding("phase", "unknown", nodata=facts.nodata, problems=(
        Msg("{name}: {dtype} values {lo:.4g}..{hi:.4g} are not a known phase encoding",
            name=name, dtype=facts.dtype, lo=lo, hi=hi),))


def detect_coherence_encoding(facts: RasterFacts) -> ValueEncoding:
    """Float 0-1 (MIRAGE, GMTSAR) or uint8 0-255 with 0 as nodata (LiCSAR)."""
    name = facts.name
    if facts.dtype.startswith("complex"):
        return ValueEncoding("coherence", "unknown", nodata=facts.nodata, problems=(
            Msg("{name}: complex values cannot be a coherence map (an interferogram named "
                "like one?)", name=name),))
    if facts.vmin is None:
        return _no_valid_pixel("coherence", facts)
    lo, hi = facts.vmin, facts.vmax
    units = _units_tag(facts)
    if units in ("M", "METRES", "METERS", "MM", "CM"):
        return ValueEncoding("coherence", "unknown", nodata=facts.nodata, problems=(
            Msg("{name}: DATA_UNITS={units}: a displacement map, not coherence",
                name=name, units=units),))
    if lo < -_TOL:
        return ValueEncoding("coherence", "unknown", nodata=facts.nodata, problems=(
            Msg("{name}: negative values ({lo:.4g}) cannot be coherence",
                name=name, lo=lo),))
    if hi <= 1.0 + _TOL:
        return ValueEncoding("coherence", "0..1", nodata=facts.nodata)
    # percent: a real coherence map's best pixels come near 100 (10 < max <= 100)
    # integers up to 100 may as well be 0-255 of a low-coherence map: only floats or a tag
    if units in ("%", "PERCENT") or (facts.dtype != "uint8" and not facts.integer_valued
                                     and 10.0 < hi <= 100 + _TOL):
        return ValueEncoding("coherence", "percent", scale=0.01, nodata=facts.nodata,
                             messages=(Msg("{name}: values {lo:.4g}..{hi:.4g} look like "
                                           "percent; read as v/100",
                                           name=name, lo=lo, hi=hi),))
    if hi <= 255 and (facts.dtype == "uint8" or facts.integer_valued):
        nodata = facts.nodata if facts.nodata is not None else 0.0
        return ValueEncoding("coherence", "uint8 0..255", scale=1.0 / 255.0, nodata=nodata,
                             messages=(Msg("{name}: coherence stored as 0-255 (LiCSAR "
                                           "style); read as v/255 with 0 as nodata",
                                           name=name),))
    return ValueEncoding("coherence", "unknown", nodata=facts.nodata, problems=(
        Msg("{name}: values {lo:.4g}..{hi:.4g} are neither 0-1 nor 0-255 coherence",
            name=name, lo=lo, hi=hi),))


def grid_mismatch(facts: RasterFacts, ref: RasterFacts) -> Optional[str]:
    """Why the raster of ``facts`` (a coherence map) is not on the grid of ``ref`` (its
    interferogram), or None: pairing by dates alone would take a map of another frame or CRS
    with the same pixel counts."""
    from rasterio.crs import CRS

    def parsed(f):
        try:
            return CRS.from_wkt(f.crs_wkt) if f.crs_wkt else None
        except Exception:  # noqa: BLE001 - an unparseable CRS is compared as text below
            return f.crs_wkt

    a, b = parsed(facts), parsed(ref)
    if (a is None) != (b is None) or (a is not None and a != b):
        return Msg("{name}: in another CRS than {ref} ({crs}); not on its grid",
                   name=facts.name, ref=ref.name, crs=f"EPSG:{facts.epsg}" if facts.epsg
                   else "no CRS" if a is None else "a custom CRS")
    if (facts.width, facts.height) != (ref.width, ref.height):
        return Msg("{name}: {w}x{h} px, not on the {rw}x{rh} grid of {ref}", name=facts.name,
                   w=facts.width, h=facts.height, rw=ref.width, rh=ref.height, ref=ref.name)
    tol = 0.5 * max(ref.res)
    if any(abs(x - y) > tol for x, y in zip(facts.bounds, ref.bounds)):
        far = max(abs(x - y) for x, y in zip(facts.bounds, ref.bounds))
        unit = "degrees" if ref.is_geographic else "m"
        return Msg("{name}: lies {far:.4g} {unit} away from {ref}; not on its grid",
                   name=facts.name, far=far, unit=unit, ref=ref.name)
    return None


def label_crs_for(facts: Optional[RasterFacts]) -> CrsChoice:
    """CRS of the label file for an interferogram: EPSG:32632 as in MIRAGE when the raster is
    in it, the raster's own projected CRS otherwise, its UTM zone when it is geographic."""
    if facts is None:
        return label_crs_from(None, None, False, False, None)
    return label_crs_from(facts.epsg, facts.crs_wkt, facts.is_geographic, facts.is_projected,
                          facts.centre_lonlat)


_FACTS_CACHE: Dict[Tuple[str, int, int, int], RasterFacts] = {}


def read_raster_facts_cached(path: str, sample_size: int = 512) -> RasterFacts:
    """read_raster_facts, remembered while the file keeps its size and time (revisiting an
    interferogram in the dock costs nothing)."""
    st = os.stat(path) if os.path.exists(path) else None
    key = (os.path.abspath(path), st.st_mtime_ns if st else 0, st.st_size if st else 0,
           sample_size)
    if key not in _FACTS_CACHE:
        _FACTS_CACHE[key] = read_raster_facts(path, sample_size)
    return _FACTS_CACHE[key]




def phase_vrt(path: str) -> Optional[str]:
    """For a complex interferogram, a VRT whose one band is the phase of its values (GDAL's
    built-in ``phase`` pixel function), so a map draws it like any phase raster; None for a
    raster that is not complex (or cannot be opened: the caller's own open says why). Kept in
    GDAL's memory file system, named after the whole path: viewing writes nothing to disk."""
    import hashlib
    from html import escape  # &, <, >, quotes: what XML text and attributes need

    from osgeo import gdal

    try:
        ds = gdal.Open(str(path), gdal.GA_ReadOnly)
    except Exception:  # noqa: BLE001 - with gdal.UseExceptions() a failed open raises
        return None
    if ds is None:
        return None
    try:
        band = ds.GetRasterBand(1)
        if not gdal.DataTypeIsComplex(band.DataType):
            return None
        gt = ",".join(repr(v) for v in ds.GetGeoTransform())
        xml = (f'<VRTDataset rasterXSize="{ds.RasterXSize}" rasterYSize="{ds.RasterYSize}">'
               f"<SRS>{escape(ds.GetProjection() or '')}</SRS><GeoTransform>{gt}</GeoTransform>"
               '<VRTRasterBand dataType="Float32" band="1" subClass="VRTDerivedRasterBand">'
               "<Description>phase (angle of the complex values)</Description>"
               "<PixelFunctionType>phase</PixelFunctionType>"
               f'<SimpleSource><SourceFilename relativeToVRT="0">'
               f"{escape(os.path.abspath(str(path)))}</SourceFilename>"
               "<SourceBand>1</SourceBand></SimpleSource></VRTRasterBand></VRTDataset>")
    finally:
        ds = None
    key = hashlib.sha256(os.path.abspath(str(path)).encode("utf-8")).hexdigest()[:16]
    target = f"/vsimem/mirage/{key}-{os.path.basename(str(path))}.phase.vrt"
    gdal.FileFromMemBuffer(target, xml.encode("utf-8"))
    return target
