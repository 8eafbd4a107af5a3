"""Qt and QGIS enum members are spelled scoped (``Qt.MouseButton.LeftButton``), the only
form Qt 6 and QGIS 4 know: tools/scope_qt_enums.py --check finds none unscoped."""
import subprocess
import sys


def test_no_unscoped_qt_enum_member(repo_root):
    run = subprocess.run([sys.executable, str(repo_root / "tools" / "scope_qt_enums.py"),
                          "--check"], capture_output=True, text=True, cwd=repo_root)
    assert run.returncode == 0, run.stdout + "\n(run tools/scope_qt_enums.py to fix)"
    assert "0 unscoped" in run.stderr


def test_the_check_finds_an_unscoped_member(repo_root, tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from qgis.core import Qgis\nfrom qgis.PyQt.QtCore import Qt, QVariant\n"
                      "LEVEL, BUTTON = Qgis.Warning, Qt.LeftButton\n"
                      "DONE = Qgis.MessageLevel.Success, QVariant.Double\n")
    tool = str(repo_root / "tools" / "scope_qt_enums.py")
    run = subprocess.run([sys.executable, tool, "--check", str(sample)], capture_output=True,
                         text=True)
    assert run.returncode == 1
    assert "Qgis.Warning -> Qgis.MessageLevel.Warning" in run.stdout
    assert "Qt.LeftButton -> Qt.MouseButton.LeftButton" in run.stdout
    assert "QVariant" not in run.stdout and "Success" not in run.stdout
    subprocess.run([sys.executable, tool, str(sample)], check=True, capture_output=True)
    assert "Qgis.MessageLevel.Warning, Qt.MouseButton.LeftButton\n" in sample.read_text()
