"""`make demo`: real QGIS with the plugin on the built-in synthetic demo workspace.

Builds the workspace if missing, installs the plugin into a throwaway QGIS profile (the same
files `make package` ships), and starts QGIS with the workspace open and the dock shown. With
no display it runs under xvfb-run, saves a screenshot and quits.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from package import PLUGIN_DIR_NAME, install_into

QGIS_INI = f"""[PythonPlugins]
{PLUGIN_DIR_NAME}=true

[qgis]
checkVersion=false
showTips=false
allowCrashReporting=false

[core]
NewsFeed\\httpsfeedqgisorg\\disabled=true
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workspace", help="open this folder instead of the synthetic demo "
                        "workspace (built in demo_workspace/ when missing)")
    parser.add_argument("--profile", default=str(ROOT / "build" / "demo-profile"))
    parser.add_argument("--screenshot", default=str(ROOT / "build" / "demo-screenshot.png"))
    parser.add_argument("--timeout", type=int, default=240)
    parser.add_argument("--scene", choices=("label", "terrain", "recurrence", "review", "guide",
                                                 "exercise"), default="label",
                        help="what the screenshot shows: a box being labelled (default), "
                             "the step-2 terrain check of a box, or the step-3 recurrence "
                             "gallery of a rock glacier with the process layer, or the "
                             "review dock with audit findings and the queue, the class guide, "
                             "or a workshop exercise checked")
    parser.add_argument("--locale", help="QGIS's interface locale for the run, e.g. it_IT "
                        "(the plugin follows it)")
    args = parser.parse_args()

    workspace = Path(args.workspace or ROOT / "demo_workspace").resolve()
    if args.workspace is None and not (workspace / "truth.json").exists():
        print(f"building the demo workspace in {workspace} ...")
        subprocess.run([sys.executable, "-m", "mirage_labeller", "synth", str(workspace),
                        "--seed", "1", "--force"], cwd=ROOT, check=True)
    if args.workspace is None and not (workspace / "dem" / "slope.tif").exists():
        # the terrain layers too, so the linked views' default hillshade | slope are filled
        # (the dock's step 2 can derive them as well; a first look should not need it)
        subprocess.run([sys.executable, "-m", "mirage_labeller", "morphometry",
                        str(workspace / "dem" / "dem.tif"), str(workspace / "dem")],
                       cwd=ROOT, check=True)
    profiles = Path(args.profile).resolve()
    marker = profiles / ".mirage-demo-profile"
    if profiles.exists() and any(profiles.iterdir()) and not marker.exists():
        print(f"{profiles}: not a profile folder made by make demo; refusing to replace it",
              file=sys.stderr)
        return 2
    if profiles.exists():
        shutil.rmtree(profiles)
    default = profiles / "profiles" / "default"
    install_into(default / "python" / "plugins")
    (default / "QGIS").mkdir(parents=True, exist_ok=True)
    ini = QGIS_INI
    if args.locale:
        ini += f"\n[locale]\noverrideFlag=true\nuserLocale={args.locale}\n"
    (default / "QGIS" / "QGIS3.ini").write_text(ini, encoding="utf-8")
    marker.write_text("made by tools/demo.py; deleted and rebuilt at every run\n")

    env = dict(os.environ, MIRAGE_DEMO_WORKSPACE=str(workspace), MIRAGE_DEMO_SCENE=args.scene)
    cmd = ["qgis", "--profiles-path", str(profiles), "--nologo", "--noversioncheck",
           "--code", str(ROOT / "tools" / "demo_startup.py")]
    headless = not os.environ.get("DISPLAY")
    screenshot = Path(args.screenshot).resolve()
    if headless:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        if screenshot.exists():
            screenshot.unlink()
        env["MIRAGE_DEMO_SCREENSHOT"] = str(screenshot)
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 1680x1050x24", *cmd]
        print("no display: running QGIS under xvfb-run to take a screenshot")
    result = subprocess.run(cmd, env=env, timeout=args.timeout if headless else None)
    if headless:
        if not screenshot.exists():
            print(f"QGIS exited with status {result.returncode} without a screenshot",
                  file=sys.stderr)
            return 1
        print(f"screenshot: {screenshot}")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
