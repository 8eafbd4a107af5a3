"""The attribute checks of each label: Id, Class (and the region it lives in), Sign_Qual,
Class_Unc, Traj, IFG and Bt, and IFG/Traj against the interferogram the file belongs to.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Optional, Sequence

import numpy as np

from ...base import crs as base_crs
from ...base.messages import Msg
from ...labels.classes import CLASSES, region_of_point
from ...labels.schema import MIRAGE_EPSG
from .files import RawLabel, _FileAudit, _int_or_none
from .findings import ERROR, WARNING

_IFG_RE = re.compile(r"^(\d{8})_(\d{8})$")


def _region_of(records: Sequence[RawLabel], label_crs) -> Optional[str]:
    """The region (Alps, Apennines) the file's boxes lie in, from their median centre; None
    when it cannot be told."""
    boxed = [r.bounds for r in records if r.bounds is not None]
    if not boxed:
        return None
    b = np.array(boxed)
    x, y = float(np.median((b[:, 0] + b[:, 2]) / 2)), float(np.median((b[:, 1] + b[:, 3]) / 2))
    try:
        xs, ys = base_crs.convert_points([x], [y], label_crs or f"EPSG:{MIRAGE_EPSG}",
                                         "EPSG:4326")
        return region_of_point(xs[0], ys[0])
    except Exception:  # noqa: BLE001
        return None


def _value(raw: RawLabel, mapping, name):
    have = mapping.get(name)
    return raw.props.get(have) if have else None


def _check_values(fa: _FileAudit, raw: RawLabel, mapping, region: Optional[str],
                  ifg_meta=None) -> None:
    lid = raw.label_id
    b = raw.bounds
    if mapping.get("Id") and raw.label_id is None:
        fa.add(ERROR, "value.id", Msg("{name}: record {index} has no usable Id ({value!r})",
                                      name=fa.name, index=raw.index,
                                      value=_value(raw, mapping, 'Id')), None, b)
    elif raw.label_id is not None and raw.label_id < 1:
        fa.add(ERROR, "value.id", Msg("{name}: label Id {label_id} is not positive",
                                      name=fa.name, label_id=raw.label_id), lid, b)
    if mapping.get("Class"):
        cls = _value(raw, mapping, "Class")
        code = str(cls).strip() if cls is not None else ""
        if code not in CLASSES:
            fa.add(ERROR, "value.class", Msg("{name}: label {lid} has class {cls!r}, not "
                                             "one of {items}",
                                             name=fa.name, lid=lid, cls=cls,
                                             items=', '.join(CLASSES)), lid, b)
        elif region is not None and not CLASSES[code].lives_in(region):
            fa.add(WARNING, "value.class_region", Msg("{name}: label {lid} is {code} "
                                                      "({name2}), a class of the {region}, "
                                                      "but lies in the {region2}",
                                                      name=fa.name, lid=lid, code=code,
                                                      name2=CLASSES[code].name,
                                                      region=CLASSES[code].region,
                                                      region2=region), lid, b)
    for name in ("Sign_Qual", "Class_Unc"):
        if mapping.get(name):
            v = _value(raw, mapping, name)
            if _int_or_none(v) not in (1, 2) or (isinstance(v, float) and v not in (1.0, 2.0)):
                fa.add(ERROR, f"value.{name.lower()}", Msg("{name}: label {lid} has "
                                                           "{name2} {v!r}, not 1 or 2",
                                                           name=fa.name, lid=lid, name2=name,
                                                           v=v), lid, b)
    if mapping.get("Traj"):
        traj = _value(raw, mapping, "Traj")
        if traj not in ("A", "D"):
            fa.add(ERROR, "value.traj", Msg("{name}: label {lid} has Traj {traj!r}, not A "
                                            "or D",
                                            name=fa.name, lid=lid, traj=traj),
                   lid, b)
        elif ifg_meta is not None and ifg_meta.traj and traj != ifg_meta.traj:
            fa.add(ERROR, "value.traj_mismatch", Msg("{name}: label {lid} has Traj {traj} "
                                                     "but its interferogram is {traj2}",
                                                     name=fa.name, lid=lid, traj=traj,
                                                     traj2=ifg_meta.traj), lid, b)
    if not mapping.get("IFG"):
        return
    ifg = _value(raw, mapping, "IFG")
    m = _IFG_RE.match(str(ifg).strip()) if ifg is not None else None
    if not m:
        fa.add(ERROR, "value.ifg_format", Msg("{name}: label {lid} has IFG {ifg!r}, not "
                                              "yyyymmdd_yyyymmdd",
                                              name=fa.name, lid=lid, ifg=ifg), lid, b)
        return
    try:
        master, slave = (dt.datetime.strptime(v, "%Y%m%d").date() for v in m.groups())
    except ValueError:
        fa.add(ERROR, "value.ifg_date", Msg("{name}: label {lid} has IFG {ifg}, which is "
                                            "not a real pair of dates",
                                            name=fa.name, lid=lid, ifg=ifg), lid, b)
        return
    if slave <= master:
        fa.add(ERROR, "value.ifg_order", Msg("{name}: label {lid} has IFG {ifg}: the "
                                             "second date is not after the first",
                                             name=fa.name, lid=lid, ifg=ifg), lid, b)
        return
    if mapping.get("Bt"):
        bt = _value(raw, mapping, "Bt")
        if _int_or_none(bt) != (slave - master).days:
            fa.add(ERROR, "value.bt", Msg("{name}: label {lid} has Bt {bt!r} but IFG {ifg} "
                                          "spans {days} days",
                                          name=fa.name, lid=lid, bt=bt, ifg=ifg,
                                          days=(slave - master).days), lid, b)
    if ifg_meta is not None and ifg_meta.ifg and str(ifg).strip() != ifg_meta.ifg:
        fa.add(ERROR, "value.ifg_mismatch", Msg("{name}: label {lid} has IFG {ifg} but its "
                                                "interferogram is {ifg2}",
                                                name=fa.name, lid=lid, ifg=ifg,
                                                ifg2=ifg_meta.ifg), lid, b)
