"""Build the zip that QGIS's Plugin Manager installs ("Install from ZIP").

Only what the plugin needs at run time goes in: no tests, tools, caches or dev files.
Also used by tools/demo.py to install the same files into a throwaway profile.
"""
from __future__ import annotations

import argparse
import configparser
import shutil
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLUGIN_DIR_NAME = "MirageLabeller"
TOP_FILES = ("metadata.txt", "__init__.py", "LICENSE", "README.md")
TREES = ("mirage_labeller", "resources", "ui", "i18n")  # i18n: the built .qm, not the .ts
EXCLUDE_PARTS = {"__pycache__", ".pytest_cache"}
EXCLUDE_SUFFIXES = {".pyc", ".pyo", ".ts"}


def plugin_files():
    """(source path, path inside the plugin folder) for every shipped file."""
    out = []
    for name in TOP_FILES:
        out.append((ROOT / name, Path(name)))
    for tree in TREES:
        for path in sorted((ROOT / tree).rglob("*")):
            rel = path.relative_to(ROOT)
            if path.is_dir() or EXCLUDE_PARTS & set(rel.parts) or path.suffix in EXCLUDE_SUFFIXES:
                continue
            out.append((path, rel))
    return out


def version() -> str:
    meta = configparser.ConfigParser()
    meta.read(ROOT / "metadata.txt", encoding="utf-8")
    return meta["general"]["version"]


def install_into(plugins_dir: Path) -> Path:
    """Copy the plugin into a QGIS profile's python/plugins folder (replacing an old copy)."""
    target = plugins_dir / PLUGIN_DIR_NAME
    if target.exists():
        shutil.rmtree(target)
    for src, rel in plugin_files():
        dst = target / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
    return target


def build_zip(out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for src, rel in plugin_files():
            zf.write(src, f"{PLUGIN_DIR_NAME}/{rel.as_posix()}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "dist" / f"{PLUGIN_DIR_NAME}-{version()}.zip"))
    args = parser.parse_args()
    path = build_zip(Path(args.out))
    with zipfile.ZipFile(path) as zf:
        n = len(zf.namelist())
    print(f"{path} ({n} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
