"""The ten MIRAGE classes and the label schema of DESIGN.md section 3."""
import re
import subprocess
import sys

import pytest

from mirage_labeller.core.labels.classes import (
    ALPS,
    APENNINES,
    BOTH,
    CLASS_CODES,
    CLASSES,
    classes_for_region,
)
from mirage_labeller.core.labels.schema import (
    ERROR,
    FIELD_NAMES,
    FIELDS_BY_NAME,
    WARNING,
    Label,
    baseline_days,
    parse_ifg,
    validate_label,
)


def good(**kw):
    base = dict(xmin=600000.0, ymin=5100000.0, xmax=600150.0, ymax=5100300.0, cls="RG",
                sign_qual=1, class_unc=1, ifg="20190816_20190828", bt=12, traj="A", id=1)
    base.update(kw)
    return Label(**base)


def test_ten_classes_with_regions_and_distinct_colours():
    assert CLASS_CODES == ("AR", "DG", "DS", "RS", "RG", "PR", "TA", "CF", "CS", "FS")
    assert {c.region for c in CLASSES.values()} == {ALPS, APENNINES, BOTH}
    assert [c for c, v in CLASSES.items() if v.region == APENNINES] == ["CF", "CS", "FS"]
    assert CLASSES["AR"].region == BOTH
    colours = [c.colour.lower() for c in CLASSES.values()]
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours)
    assert len(set(colours)) == 10
    assert CLASSES["RG"].name == "Rock glacier" and CLASSES["RG"].main_baseline_days == 12
    assert CLASSES["DG"].mean_area_km2 == 0.65  # Table 2


def test_region_ordering_puts_valid_classes_first():
    codes = [c.code for c in classes_for_region(APENNINES)]
    assert codes[:4] == ["AR", "CF", "CS", "FS"] and len(codes) == 10


def test_schema_fields_exact():
    assert FIELD_NAMES == ("Id", "Class", "Sign_Qual", "Class_Unc", "IFG", "Bt", "Traj")
    assert FIELDS_BY_NAME["Bt"].kind == "int" and FIELDS_BY_NAME["IFG"].width == 17
    assert FIELDS_BY_NAME["Sign_Qual"].allowed == (1, 2)


def test_valid_label_has_no_problem():
    assert validate_label(good()) == []
    assert validate_label(good(cls="CF"), region=APENNINES) == []


@pytest.mark.parametrize("change, field, fragment", [
    (dict(cls="XX"), "Class", "not one of"),
    (dict(sign_qual=3), "Sign_Qual", "must be 1 or 2"),
    (dict(class_unc=0), "Class_Unc", "must be 1 or 2"),
    (dict(traj="X"), "Traj", "'A' or 'D'"),
    (dict(ifg="2019-08-16_2019-08-28"), "IFG", "yyyymmdd_yyyymmdd"),
    (dict(ifg="20190828_20190816", bt=-12), "IFG", "after the master"),
    (dict(ifg="20191345_20191401"), "IFG", "not a valid date"),
    (dict(bt=6), "Bt", "spans 12 days"),
    (dict(xmax=600000.0), "geometry", "no area"),
    (dict(id=0), "Id", "positive integer"),
])
def test_each_broken_field_gives_one_readable_error(change, field, fragment):
    problems = validate_label(good(**change))
    assert [p.field for p in problems] == [field]
    assert problems[0].severity == ERROR
    assert fragment in problems[0].message
    assert problems[0].message.startswith("label")


def test_class_of_the_other_region_is_a_warning():
    problems = validate_label(good(cls="CF"), region=ALPS)
    assert [(p.severity, p.field) for p in problems] == [(WARNING, "Class")]
    assert "Apennines" in problems[0].message


def test_ifg_helpers():
    assert baseline_days("20190817_20200816") == 365
    with pytest.raises(ValueError):
        parse_ifg("20190816")


def test_core_imports_no_qt_and_no_qgis(repo_root):
    code = ("import sys, pkgutil, importlib, mirage_labeller.core as c\n"
            "names = [m.name for m in pkgutil.walk_packages(c.__path__, 'mirage_labeller.core.')]\n"
            "assert len(names) > 50, names\n"
            "for name in names: importlib.import_module(name)\n"
            "bad = [m for m in sys.modules\n"
            "       if m.split('.')[0] in ('qgis', 'PyQt5', 'PyQt6', 'sip')]\n"
            "print(bad); sys.exit(1 if bad else 0)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=repo_root, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_missing_packages_are_named(monkeypatch):
    from mirage_labeller.core.base import dependencies

    assert dependencies.missing_packages() == []
    monkeypatch.setattr(dependencies, "REQUIRED", ("numpy", "no_such_package_xyz"))
    assert dependencies.missing_packages() == ["no_such_package_xyz"]
    assert "OSGeo4W" in dependencies.HOW_TO_INSTALL
