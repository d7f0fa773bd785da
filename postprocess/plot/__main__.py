"""python3 -m neurodyn.plot NAME [arguments]: runs the plot script plot_NAME of the package (its
own --help tells its arguments); without NAME, lists the plots."""
import glob
import os
import runpy
import sys

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the package: plot_*.py sit there


def plots():
    return sorted(os.path.basename(p)[len("plot_"):-len(".py")] for p in glob.glob(os.path.join(HERE, "plot_*.py")))


def main(argv):
    usage = "usage: python3 -m neurodyn.plot NAME [arguments]   (python3 -m neurodyn.plot NAME --help)\nplots: " + \
        ", ".join(plots())
    if not argv or argv[0] in ("-h", "--help"):
        print(usage)
        return 0
    if argv[0] not in plots():
        print(f"neurodyn.plot: no plot named '{argv[0]}'\n{usage}", file=sys.stderr)
        return 2
    script = os.path.join(HERE, f"plot_{argv[0]}.py")
    sys.argv = [script] + argv[1:]
    runpy.run_path(script, run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
