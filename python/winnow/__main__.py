"""``python3 -m winnow ARGS``: the ``winnow`` command, e.g. ``python3 -m winnow clean crawl/ -o out/``.

Runs the command-line binary installed with the package (winnow/bin/winnow,
put there by ``pip install .``), else $WINNOW_BIN, else ``winnow`` beside the
package in a build tree (build/python/winnow -> build/winnow). The folder that
holds this package goes first on PYTHONPATH, so ``winnow clean --dask`` (which
runs ``/usr/bin/python3 -m winnow.dask``) imports this same install.
"""

import os
import sys


def _binary():
    here = os.path.dirname(os.path.abspath(__file__))
    for path in (os.path.join(here, "bin", "winnow"), os.environ.get("WINNOW_BIN", ""),
                 os.path.join(os.path.dirname(os.path.dirname(here)), "winnow")):
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path, os.path.dirname(here)
    return None, os.path.dirname(here)


def main():
    binary, site = _binary()
    if binary is None:
        sys.stderr.write("python3 -m winnow: the winnow binary is not installed with this package "
                         f"({os.path.dirname(os.path.abspath(__file__))}/bin/winnow); reinstall "
                         "with `pip install --no-build-isolation .` or set WINNOW_BIN\n")
        return 2
    old = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = site + (os.pathsep + old if old else "")
    os.execv(binary, ["winnow"] + sys.argv[1:])
    return 2  # not reached


if __name__ == "__main__":
    sys.exit(main())
