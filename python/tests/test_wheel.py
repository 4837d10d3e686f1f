# SPDX-License-Identifier: Apache-2.0
"""The wheel: `python3 -m build --wheel --no-isolation`, installed with pip --no-index into a fresh venv."""

import os
import re
import subprocess
import sys
import time

from conftest import env_path

UUIDV7 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def run(args, **kwargs):
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=600, **kwargs)
    assert done.returncode == 0, f"{args} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done


def test_wheel_installs_into_a_fresh_venv_and_works(tmp_path):
    # Without PYTHONPATH, so nothing but the installed wheel can be imported.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    # Pack the extension of this CMake build tree (brought up to date, not compiled a second time).
    env["FRAME_TRACKING_CMAKE_BUILD_DIR"] = str(env_path("FT_BINARY_DIR"))
    dist = tmp_path / "dist"
    env["FRAME_TRACKING_SETUP_WORK_DIR"] = str(tmp_path / "setup")  # setuptools' scratch, not in python/
    (tmp_path / "setup").mkdir()
    started = time.monotonic()
    run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", dist,
         env_path("FT_SOURCE_DIR") / "python"], env=env, cwd=tmp_path)
    print(f"wheel built in {time.monotonic() - started:.1f} s")
    (wheel,) = dist.glob("frame_tracking-*.whl")
    assert re.fullmatch(r"frame_tracking-\d+\.\d+\.\d+-cp3\d+-cp3\d+-linux_x86_64\.whl", wheel.name), wheel.name

    run([sys.executable, "-m", "venv", tmp_path / "venv"], env=env)
    bin_dir = tmp_path / "venv" / "bin"
    run([bin_dir / "pip", "install", "--no-index", "--disable-pip-version-check", "-q", wheel], env=env, cwd=tmp_path)

    printed = run([bin_dir / "python", "-c", "from frame_tracking import FrameID; print(FrameID.generate())"],
                  env=env, cwd=tmp_path).stdout.strip()
    assert UUIDV7.match(printed), printed
    where = run([bin_dir / "python", "-c", "import frame_tracking; print(frame_tracking.__file__)"],
                env=env, cwd=tmp_path).stdout.strip()
    assert where.startswith(str(tmp_path / "venv")), where
    stubs = run([bin_dir / "python", "-c",
                 "import importlib.resources as r; f = r.files('frame_tracking'); "
                 "print((f / 'py.typed').is_file(), (f / '_frame_tracking.pyi').is_file())"],
                env=env, cwd=tmp_path).stdout.strip()
    assert stubs == "True True"

    health = subprocess.run([bin_dir / "python", "-m", "frame_tracking.health", "--url", "http://127.0.0.1:9",
                             "--timeout-ms", "1000"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert health.returncode == 1
    assert health.stdout.startswith("unhealthy: no answer from http://127.0.0.1:9/health: ")
    script = subprocess.run([bin_dir / "frame-tracking-health", "--help"], capture_output=True, text=True, env=env,
                            timeout=60)
    assert script.returncode == 0 and "--timeout-ms" in script.stdout
