"""Master/slave dates, IFG, Bt and Traj of an interferogram, from its path and GeoTIFF tags.

Products name their dates in many ways (LiCSAR/MIRAGE ``yyyymmdd_yyyymmdd``, PyRate/GAMMA
``yyyymmdd-yyyymmdd``, GMTSAR ``yyyyddd_yyyyddd`` folders, HyP3 ``S1AA_..T.._..T.._VVP024``),
and the orbit direction hides in frame ids, track tokens or words. Whatever cannot be
established is left as None with a readable problem, so the caller can ask the user.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field, replace
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from ..base.messages import Msg
from ..labels.schema import format_ifg

_SEP = r"(?:^|(?<=[_\-. /\\]))"
_END = r"(?=$|[_\-. /\\])"

_HYP3_RE = re.compile(
    r"S1[ABCD_][ABCD_]_(\d{8})T(\d{6})_(\d{8})T(\d{6})_[VH]{2}[PRO](\d{3})", re.IGNORECASE)
_YMD_PAIR_RE = re.compile(r"(?<!\d)((?:19|20)\d{6})[_-]((?:19|20)\d{6})(?!\d)")
_YDOY_PAIR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{3})_((?:19|20)\d{2})(\d{3})(?!\d)")
_FRAME_RE = re.compile(r"(?<![0-9A-Za-z])(\d{3})([AD])_(\d{5})_(\d{6})(?!\d)")
_TRACK_TOKEN_RE = re.compile(_SEP + r"T(\d{1,3})([AD])" + _END)
_WORDS_A = {"a", "asc", "ascending"}
_WORDS_D = {"d", "dsc", "desc", "des", "descending"}

_TAG_DATE_PAIRS = (("FIRST_DATE", "SECOND_DATE"), ("MASTER_DATE", "SLAVE_DATE"),
                   ("REFERENCE_DATE", "SECONDARY_DATE"), ("DATE1", "DATE2"))
_TAG_TIME_KEYS = ("FIRST_TIME", "MASTER_TIME", "REFERENCE_TIME")
_TAG_ORBIT_KEYS = ("ORBIT_DIRECTION", "PASS_DIRECTION", "FLIGHT_DIRECTION", "PASS", "TRAJ")

_COHERENCE_WORDS = {"cc", "coh", "coherence", "corr", "cor"}
_DEM_WORDS = {"dem", "hgt", "height", "elevation", "srtm"}


@dataclass(frozen=True)
class IfgMetadata:
    """What is known of one interferogram; None where it could not be established."""

    path: str
    master: Optional[dt.date] = None
    slave: Optional[dt.date] = None
    traj: Optional[str] = None
    track: Optional[int] = None
    sources: Dict[str, str] = field(default_factory=dict, compare=False)
    problems: Tuple[str, ...] = ()  # what stops IFG/Bt/Traj from being known or trusted
    notes: Tuple[str, ...] = ()  # inferences the user should know about

    @property
    def ifg(self) -> Optional[str]:
        if self.master and self.slave and self.slave > self.master:
            return format_ifg(self.master, self.slave)
        return None

    @property
    def bt(self) -> Optional[int]:
        return (self.slave - self.master).days if self.ifg else None

    @property
    def complete(self) -> bool:
        return self.ifg is not None and self.traj in ("A", "D") and not self.problems

    def with_values(self, master: Optional[dt.date] = None, slave: Optional[dt.date] = None,
                    traj: Optional[str] = None) -> "IfgMetadata":
        """The caller supplies what could not be inferred; the matching problems are dropped."""
        sources = dict(self.sources)
        problems = list(self.problems)
        new = {}
        if master is not None or slave is not None:
            new["master"] = master or self.master
            new["slave"] = slave or self.slave
            sources["dates"] = "supplied by the user"
            problems = [p for p in problems if not p.startswith("dates:")]
            if not (new["master"] and new["slave"]):
                problems.append(Msg("dates: both the master and the slave date are needed"))
            elif new["slave"] <= new["master"]:
                problems.append(Msg("dates: the slave date must come after the master date"))
        if traj is not None:
            traj = traj.strip().upper()[:1]
            if traj not in ("A", "D"):
                raise ValueError(f"Traj must be A or D, got {traj!r}")
            new["traj"] = traj
            sources["traj"] = "supplied by the user"
            problems = [p for p in problems if not p.startswith("traj:")]
        return replace(self, sources=sources, problems=tuple(problems), **new)

    def describe(self) -> str:
        parts = [os.path.basename(self.path), f"IFG={self.ifg or '?'}",
                 f"Bt={self.bt if self.bt is not None else '?'}", f"Traj={self.traj or '?'}"]
        return "  ".join(parts)


@dataclass
class _Found:
    master: Optional[dt.date] = None
    slave: Optional[dt.date] = None
    date_source: Optional[str] = None
    first_time: Optional[dt.time] = None
    hyp3_bt: Optional[int] = None
    traj: Optional[str] = None
    traj_source: Optional[str] = None
    track: Optional[int] = None
    problems: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)


def _date_from_doy(year: str, doy: str) -> dt.date:
    """GMTSAR/Sentinel-1 day of year counts from 0 (day 0 = 1 January)."""
    day = int(doy)
    days_in_year = 366 if _is_leap(int(year)) else 365
    if not 0 <= day < days_in_year:
        raise ValueError(f"day of year {doy} does not exist in {year} (counted from 0)")
    return dt.date(int(year), 1, 1) + dt.timedelta(days=day)


def _is_leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def _ymd(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        raise ValueError(f"'{text}' is not a valid date") from None


def _dates_from_text(text: str, found: _Found, where: str) -> bool:
    """Fill found.master/slave from the first recognised date pattern in ``text``."""
    m = _HYP3_RE.search(text)
    if m:
        try:
            found.master, found.slave = _ymd(m.group(1)), _ymd(m.group(3))
            found.first_time = dt.datetime.strptime(m.group(2), "%H%M%S").time()
        except ValueError as exc:
            found.problems.append(Msg("dates: {where} '{group}': {exc}",
                                      where=where, group=m.group(0), exc=exc))
            return True
        found.hyp3_bt = int(m.group(5))
        found.date_source = f"HyP3 name in {where}"
        return True
    for regex, kind in ((_YMD_PAIR_RE, "ymd"), (_YDOY_PAIR_RE, "doy")):
        m = regex.search(text)
        if not m:
            continue
        try:
            if kind == "ymd":
                a, b = _ymd(m.group(1)), _ymd(m.group(2))
                source = f"'{m.group(0)}' in {where}"
            else:
                a = _date_from_doy(m.group(1), m.group(2))
                b = _date_from_doy(m.group(3), m.group(4))
                source = f"GMTSAR yyyyddd_yyyyddd '{m.group(0)}' (day of year from 0) in {where}"
        except ValueError as exc:
            found.problems.append(Msg("dates: {where} '{group}': {exc}",
                                      where=where, group=m.group(0), exc=exc))
            return True
        if b <= a:
            found.problems.append(
                Msg("dates: '{group}' in {where} has the second date ({b:%Y-%m-%d}) not "
                    "after the first ({a:%Y-%m-%d}); master_slave order expected",
                    group=m.group(0), where=where, b=b, a=a))
            return True
        found.master, found.slave, found.date_source = a, b, source
        return True
    return False


def _traj_candidates(text: str, single_letters: bool) -> List[Tuple[str, Optional[int], str]]:
    """Orbit hints in ``text``; lone A/D count only where asked (file names, not folders:
    a folder "d" or a drive "D:" says nothing about the orbit)."""
    out = []
    for m in _FRAME_RE.finditer(text):
        out.append((m.group(2), int(m.group(1)), f"frame id {m.group(0)}"))
    for m in _TRACK_TOKEN_RE.finditer(text):
        out.append((m.group(2).upper(), int(m.group(1)), f"track token {m.group(0)}"))
    frame_spans = [m.span() for m in _FRAME_RE.finditer(text)]
    for m in re.finditer(r"[A-Za-z]+", text):
        if any(a <= m.start() < b for a, b in frame_spans):
            continue
        word = m.group(0)
        before = text[m.start() - 1] if m.start() > 0 else "_"
        after = text[m.end()] if m.end() < len(text) else "_"
        if not (before in "_-. /\\" and after in "_-. /\\"):
            continue
        low = word.lower()
        if len(low) == 1 and not single_letters:
            continue
        if low in _WORDS_A:
            out.append(("A", None, f"token '{word}'"))
        elif low in _WORDS_D:
            out.append(("D", None, f"token '{word}'"))
    return out


def _parse_tag_date(value: str) -> dt.date:
    text = value.strip()[:10].replace("-", "").replace("/", "")
    return _ymd(text[:8])


def _from_tags(tags: Dict[str, str], found: _Found) -> None:
    upper = {k.upper(): v for k, v in (tags or {}).items()}
    for k1, k2 in _TAG_DATE_PAIRS:
        if k1 in upper and k2 in upper:
            try:
                a, b = _parse_tag_date(upper[k1]), _parse_tag_date(upper[k2])
            except ValueError as exc:
                found.problems.append(Msg("dates: GeoTIFF tags {k1}/{k2}: {exc}",
                                          k1=k1, k2=k2, exc=exc))
                break
            if found.master is None and not any(p.startswith("dates:") for p in found.problems):
                if b <= a:
                    found.problems.append(Msg("dates: GeoTIFF tags {k1}={upper} and "
                                              "{k2}={upper2} are not in master/slave order",
                                              k1=k1, upper=upper[k1], k2=k2, upper2=upper[k2]))
                else:
                    found.master, found.slave = a, b
                    found.date_source = f"GeoTIFF tags {k1}/{k2}"
            elif found.master is not None and (a, b) != (found.master, found.slave):
                found.notes.append(Msg("GeoTIFF tags {k1}/{k2} say {upper}/{upper2}, the "
                                       "name says {master}/{slave}; the name is used",
                                       k1=k1, k2=k2, upper=upper[k1], upper2=upper[k2],
                                       master=found.master, slave=found.slave))
            break
    for key in _TAG_TIME_KEYS:
        if key in upper and found.first_time is None:
            try:
                found.first_time = dt.time.fromisoformat(upper[key].strip()[:8])
            except ValueError:
                pass
    for key in _TAG_ORBIT_KEYS:
        if key in upper and found.traj is None:
            value = upper[key].strip().upper()
            if value[:1] in ("A", "D") and value in ("A", "D", "ASC", "ASCENDING", "DSC", "DESC",
                                                     "DESCENDING"):
                found.traj, found.traj_source = value[0], f"GeoTIFF tag {key}={upper[key]}"


def infer_traj_from_time(utc: dt.time, lon: float) -> Optional[str]:
    """Sentinel-1 flies a dawn-dusk orbit: ascending passes near 18:00 local solar time,
    descending near 06:00. Return A/D when the local time is clearly one of them."""
    hour = (utc.hour + utc.minute / 60 + lon / 15.0) % 24
    if 15 <= hour <= 21:
        return "A"
    if 3 <= hour <= 9:
        return "D"
    return None


def _path_parts(path: str) -> List[Tuple[str, str]]:
    """The file name first, then up to three parent folders (GMTSAR keeps dates in folders)."""
    parts = []
    head = os.path.abspath(path)
    name = os.path.basename(head)
    parts.append((name, "file name"))
    head = os.path.dirname(head)
    for _ in range(3):
        base = os.path.basename(head)
        if not base:
            break
        parts.append((base, f"folder '{base}'"))
        head = os.path.dirname(head)
    return parts


def parse_interferogram_path(path: str, tags: Optional[Dict[str, str]] = None,
                             centre_lon: Optional[float] = None) -> IfgMetadata:
    """Infer dates and orbit of the interferogram at ``path`` (name, parent folders, tags).

    ``tags`` are the raster's GeoTIFF metadata; ``centre_lon`` lets the orbit be inferred from
    the acquisition time when nothing else names it.
    """
    found = _Found()
    parts = _path_parts(path)
    for text, where in parts:
        if _dates_from_text(text, found, where):
            break
    _from_name_traj(parts, found)
    _from_tags(tags or {}, found)

    if found.hyp3_bt is not None and found.master and found.slave:
        bt = (found.slave - found.master).days
        if bt != found.hyp3_bt:
            found.problems.append(Msg("dates: the HyP3 name says a {hyp3_bt}-day pair but "
                                      "its dates are {bt} days apart",
                                      hyp3_bt=found.hyp3_bt, bt=bt))
    if found.traj is None and found.first_time is not None and centre_lon is not None:
        guess = infer_traj_from_time(found.first_time, centre_lon)
        if guess:
            local = (found.first_time.hour + found.first_time.minute / 60 + centre_lon / 15) % 24
            found.traj = guess
            found.traj_source = (f"inferred from the acquisition time {found.first_time:%H:%M} UTC "
                                 f"at longitude {centre_lon:.1f} (local solar time "
                                 f"{int(local):02d}:{int(local % 1 * 60):02d})")
            found.notes.append(Msg("Traj {guess} was {traj_source}; check it",
                                   guess=guess, traj_source=found.traj_source))
    if found.master is None and not any(p.startswith("dates:") for p in found.problems):
        found.problems.append(
            Msg("dates: no master/slave dates found in '{basename}' (expected "
                "yyyymmdd_yyyymmdd, yyyymmdd-yyyymmdd, GMTSAR yyyyddd_yyyyddd, a HyP3 name "
                "or FIRST_DATE/SECOND_DATE tags); please supply them",
                basename=os.path.basename(path)))
    if found.traj is None and not any(p.startswith("traj:") for p in found.problems):
        found.problems.append(
            Msg("traj: no orbit direction found in '{basename}' (expected a frame id like "
                "117A_05123_131313, a track token like T005A, or asc/desc, _A_/_D_); "
                "please supply A or D",
                basename=os.path.basename(path)))
    sources = {}
    if found.date_source:
        sources["dates"] = found.date_source
    if found.traj_source:
        sources["traj"] = found.traj_source
    return IfgMetadata(path=str(path), master=found.master, slave=found.slave, traj=found.traj,
                       track=found.track, sources=sources, problems=tuple(found.problems),
                       notes=tuple(found.notes))


def _from_name_traj(parts: Sequence[Tuple[str, str]], found: _Found) -> None:
    candidates = []
    for text, where in parts:
        found_here = _traj_candidates(text, single_letters=(where == "file name"))
        candidates += [(t, trk, f"{src} in {where}") for t, trk, src in found_here]
        if candidates:
            break  # the nearest part that names an orbit wins
    directions = {c[0] for c in candidates}
    if len(directions) > 1:
        found.problems.append("traj: contradictory orbit directions in the name: "
                              + "; ".join(c[2] for c in candidates))
        return
    if candidates:
        found.traj, found.track, found.traj_source = candidates[0]


def name_words(path: str) -> List[str]:
    stem = os.path.basename(path).lower()
    return [w for w in re.split(r"[_\-. ]+", stem) if w]


def is_coherence_name(path: str) -> bool:
    return any(w in _COHERENCE_WORDS for w in name_words(path))


def is_dem_name(path: str) -> bool:
    return any(w in _DEM_WORDS for w in name_words(path))


def pair_coherence(ifg: IfgMetadata, coherence: Iterable[IfgMetadata]) -> Optional[IfgMetadata]:
    """The coherence map with the same dates (and orbit, when both know it) as ``ifg``.

    Among several, prefer the one in the same folder, then the longest shared name prefix.
    """
    if ifg.master is None or ifg.slave is None:
        return None
    matches = [c for c in coherence
               if (c.master, c.slave) == (ifg.master, ifg.slave)
               and (c.traj is None or ifg.traj is None or c.traj == ifg.traj)
               and (c.track is None or ifg.track is None or c.track == ifg.track)]
    if not matches:
        return None
    folder = os.path.dirname(os.path.abspath(ifg.path))
    name = os.path.basename(ifg.path)

    def rank(c):
        same_folder = os.path.dirname(os.path.abspath(c.path)) == folder
        prefix = len(os.path.commonprefix([name, os.path.basename(c.path)]))
        return (same_folder, prefix)

    return max(matches, key=rank)
