# SPDX-License-Identifier: Apache-2.0
"""Builds the frame_tracking wheel: the extension comes from the project's CMake build.

By default a private CMake tree (Release at -O2, only the core, OTLP and Redis components; ccache when found)
is configured under the setuptools build directory and `_frame_tracking` is built there, so the wheel's
extension has our libraries linked in statically. With FRAME_TRACKING_CMAKE_BUILD_DIR set to an already
configured build tree of this project, that tree's `_frame_tracking` target is brought up to date and
packed instead (no second compilation). CMAKE_BUILD_PARALLEL_LEVEL sets the jobs (default 2).
FRAME_TRACKING_SETUP_WORK_DIR moves setuptools' build/ and *.egg-info out of python/ (the tests use it).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def project_version() -> str:
    """The version in the top CMakeLists.txt's project() call."""
    text = (ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
    match = re.search(r"project\(\s*frame_tracking\s+VERSION\s+([0-9.]+)", text)
    if match is None:
        raise RuntimeError(f"no project(frame_tracking VERSION x.y.z) in {ROOT / 'CMakeLists.txt'}")
    return match.group(1)


class CMakeBuildExt(build_ext):
    """Builds `_frame_tracking` with CMake and copies it where setuptools expects the extension."""

    def build_extension(self, ext: Extension) -> None:
        given = os.environ.get("FRAME_TRACKING_CMAKE_BUILD_DIR")
        tree = Path(given).resolve() if given else Path(self.build_temp).resolve() / "cmake"
        if not given:
            self.configure(tree)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        subprocess.run(["cmake", "--build", str(tree), "--target", "_frame_tracking", "-j", jobs], check=True)
        built = sorted((tree / "python" / "package" / "frame_tracking").glob("_frame_tracking*.so"))
        if len(built) != 1:
            raise RuntimeError(f"expected one _frame_tracking*.so in {tree}/python/package/frame_tracking, found {built}")
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[0], target)
        if shutil.which("strip"):  # a RelWithDebInfo tree's debug info would triple the wheel
            subprocess.run(["strip", "--strip-debug", str(target)], check=True)

    @staticmethod
    def configure(tree: Path) -> None:
        args = [
            "cmake", "-S", str(ROOT), "-B", str(tree),
            "-DCMAKE_BUILD_TYPE=Release",
            f"-DPython3_EXECUTABLE={sys.executable}",
            "-DFRAME_TRACKING_WITH_PYTHON=ON",
            "-DFRAME_TRACKING_WITH_OTLP=ON",
            "-DFRAME_TRACKING_WITH_REDIS=ON",
            "-DFRAME_TRACKING_WITH_STORE=OFF",
            "-DFRAME_TRACKING_WITH_RABBITMQ=OFF",
            "-DFRAME_TRACKING_WITH_CAPTURE=OFF",
            "-DFRAME_TRACKING_WITH_METRICS=OFF",
            "-DFRAME_TRACKING_BUILD_CLI=OFF",
            "-DFRAME_TRACKING_BUILD_TESTS=OFF",
            "-DFRAME_TRACKING_BUILD_BENCH=OFF",
            "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG",  # the project's tested level, without debug info
        ]
        if shutil.which("ninja"):
            args += ["-G", "Ninja"]
        if shutil.which("ccache"):
            args += ["-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"]
        subprocess.run(args, check=True)


WORK_DIR = os.environ.get("FRAME_TRACKING_SETUP_WORK_DIR")

setup(
    version=project_version(),
    options={"build": {"build_base": f"{WORK_DIR}/build"}, "egg_info": {"egg_base": WORK_DIR}} if WORK_DIR else {},
    ext_modules=[Extension("frame_tracking._frame_tracking", sources=[])],
    cmdclass={"build_ext": CMakeBuildExt},
)
