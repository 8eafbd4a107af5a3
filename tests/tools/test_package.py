"""make package: a zip that QGIS's Plugin Manager installs, without tests or dev files."""
import configparser
import subprocess
import sys
import zipfile


def test_zip_layout_and_metadata(repo_root, tmp_path):
    out = tmp_path / "plugin.zip"
    subprocess.run([sys.executable, str(repo_root / "tools" / "package.py"), "--out", str(out)],
                   check=True, capture_output=True)
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        meta_text = zf.read("MirageLabeller/metadata.txt").decode("utf-8")
    tops = {n.split("/")[0] for n in names}
    assert tops == {"MirageLabeller"}
    for required in ("metadata.txt", "__init__.py", "LICENSE", "resources/icon.svg", "ui/dock.ui",
                     "mirage_labeller/plugin.py", "mirage_labeller/core/labels/store.py"):
        assert f"MirageLabeller/{required}" in names
    # the Italian .qm (built by make test's setup) ships; its .ts source does not
    assert "MirageLabeller/i18n/mirage_labeller_it.qm" in names
    forbidden = ("tests/", "tools/", "bench/", "__pycache__", ".pyc", ".git", ".ci/", "Makefile",
                 "demo_workspace", ".venv", ".ts")
    assert not [n for n in names if any(f in n for f in forbidden)]
    meta = configparser.ConfigParser()
    meta.read_string(meta_text)
    general = meta["general"]
    for key in ("name", "qgisMinimumVersion", "description", "about", "version", "author",
                "email", "repository", "tracker", "homepage", "category", "icon", "tags",
                "hasProcessingProvider"):
        assert general.get(key), key
    assert general["qgisMinimumVersion"] == "3.22" and general["hasProcessingProvider"] == "yes"
    assert f"MirageLabeller/{general['icon']}" in names


def test_one_version_source(repo_root):
    """metadata.txt holds the version; the package reads it; the changelogs start with it."""
    import configparser
    import re

    import mirage_labeller

    meta = configparser.ConfigParser(interpolation=None)
    meta.read(repo_root / "metadata.txt", encoding="utf-8")
    version = meta["general"]["version"]
    assert mirage_labeller.__version__ == version
    assert meta["general"]["changelog"].split()[0] == version
    changelog = (repo_root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.findall(r"^## (\S+)", changelog, re.M)[0] == version
    assert not re.search(r"__version__\s*=\s*['\"]", (repo_root / "mirage_labeller" /
                                                      "__init__.py").read_text())
