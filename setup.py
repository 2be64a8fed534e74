"""`pip install --no-build-isolation .`: the Python package through the CMake build.

There is one build: CMake (CMakeLists.txt, python/CMakeLists.txt) compiles the
extension winnow._winnow and the `winnow` command; this file only runs it and
puts what it made into the wheel:

    winnow/*.py                  python/winnow/*.py (package_dir, no copy list)
    winnow/_winnow.<abi>.so      the CMake target winnow_py
    winnow/bin/winnow            the CMake target winnow_cli (`python3 -m winnow`)

The CMake build folder is $WINNOW_BUILD_DIR, else build/ in the source tree
(the folder scripts/setup.sh uses), so an existing build is reused and only
the two targets are brought up to date; a missing one is configured
RelWithDebInfo for /usr/bin/python3. $WINNOW_BUILD_JOBS sets -j (default 2).
Offline with Debian's python3-setuptools, python3-wheel and python3-pip; see
README.md (Python) and doc/python.md.
"""

import os
import shutil
import subprocess
import sys
import sysconfig

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))


def _version():
    with open(os.path.join(HERE, "CMakeLists.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("project(winnow VERSION"):
                return line.split("VERSION")[1].split()[0]
    raise RuntimeError("setup.py: no 'project(winnow VERSION x)' in CMakeLists.txt")


class CMakeBuild(build_ext):
    """Builds the CMake targets winnow_py and winnow_cli and copies them in."""

    def run(self):
        build_dir = os.environ.get("WINNOW_BUILD_DIR") or os.path.join(HERE, "build")
        build_dir = os.path.abspath(build_dir)
        jobs = os.environ.get("WINNOW_BUILD_JOBS", "2")
        if not os.path.exists(os.path.join(build_dir, "CMakeCache.txt")):
            self._run(["cmake", "-S", HERE, "-B", build_dir, "-DCMAKE_BUILD_TYPE=RelWithDebInfo",
                       "-DPython3_EXECUTABLE=/usr/bin/python3"])
        self._run(["cmake", "--build", build_dir, "-j", jobs, "--target", "winnow_py",
                   "winnow_cli"])

        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        module = os.path.join(build_dir, "python", "winnow", "_winnow" + suffix)
        if not os.path.exists(module):
            made = [n for n in os.listdir(os.path.join(build_dir, "python", "winnow"))
                    if n.startswith("_winnow")]
            raise RuntimeError(
                f"setup.py: the CMake build made {made} in {build_dir}/python/winnow, not "
                f"_winnow{suffix} for {sys.executable}: build with the same Python "
                f"(cmake -DWINNOW_PYTHON={sys.executable}) or install with /usr/bin/python3")
        cli = os.path.join(build_dir, "winnow")
        for ext in self.extensions:
            self._copy(module, self.get_ext_fullpath(ext.name))
        package_dir = os.path.dirname(self.get_ext_fullpath("winnow._winnow"))
        self._copy(cli, os.path.join(package_dir, "bin", "winnow"))

    def _copy(self, src, dst):
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        print(f"setup.py: {src} -> {dst}", flush=True)
        shutil.copy2(src, dst)
        # The debug info is most of the size (~50 MB each); the wheel ships without it.
        if shutil.which("strip"):
            subprocess.run(["strip", "--strip-debug", dst], check=False)

    @staticmethod
    def _run(cmd):
        print("setup.py: " + " ".join(cmd), flush=True)
        subprocess.run(cmd, check=True)


# setuptools' own work files (build/lib..., winnow.egg-info) go beside the
# CMake build, not into the source tree.
WORK = os.path.join("build", "setuptools")
os.makedirs(os.path.join(HERE, WORK), exist_ok=True)

setup(
    name="winnow",
    version=_version(),
    description="Turn raw web crawl into clean text (HTML extraction, cleaning, langid, "
                "filters, PII, dedup)",
    packages=["winnow"],
    package_dir={"winnow": "python/winnow"},
    ext_modules=[Extension("winnow._winnow", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    python_requires=">=3.9",
    zip_safe=False,
    options={"build": {"build_base": WORK}, "egg_info": {"egg_base": WORK}},
)
