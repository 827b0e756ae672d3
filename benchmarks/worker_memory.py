"""Where the worker's memory grows: the tracemalloc snapshots of a run (VI_TRACEMALLOC_DIR, see
verwijsindex/celery.py; `benchmarks/soak.py --tracemalloc` sets it), first against last of each pool process.

    python benchmarks/worker_memory.py DIR [--top 15] [--traceback]
"""

import argparse
import collections
import tracemalloc
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--traceback", action="store_true", help="group by the whole traced call stack")
    args = parser.parse_args()
    by_process = collections.defaultdict(list)
    for path in sorted(args.folder.glob("*.snap")):
        by_process[path.name.split("-")[0]].append(path)
    for pid, paths in sorted(by_process.items()):
        if len(paths) < 2:
            continue
        first, last = tracemalloc.Snapshot.load(paths[0]), tracemalloc.Snapshot.load(paths[-1])
        total = sum(s.size for s in last.statistics("filename")) - sum(s.size for s in first.statistics("filename"))
        print(f"pool process {pid}: {len(paths)} snapshots, traced memory grew {total / 1e6:+.2f} MB")
        for stat in last.compare_to(first, "traceback" if args.traceback else "lineno")[: args.top]:
            frame = stat.traceback[0]
            print(f"  {stat.size_diff / 1e6:+8.2f} MB {stat.count_diff:+8d} blocks  {frame.filename}:{frame.lineno}")
            if args.traceback:
                for line in stat.traceback.format()[2:]:
                    print("      " + line)


if __name__ == "__main__":
    main()
