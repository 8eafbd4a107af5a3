"""Helper process for test_crash_safety: saves label sets and says so after each save returns.

usage: crash_writer.py REPO DIR FIRST_N COUNT [KILL_AT_CALL]
With KILL_AT_CALL, the process SIGKILLs itself just before its KILL_AT_CALL-th file-system
call among os.replace/fsync/remove/unlink/rmdir (counted over the whole run); "calls N" is
printed at the end when it survives, so the test knows how many points a save has.
"""
import os
import signal
import sys

STEM = "168D_05207_131313_20190806_20190818.geo.diff_pha"
CODES = ("RG", "PR", "TA", "DG", "RS", "DS", "AR")


def labels_for(n):
    """Save number n: n % 7 + 1 labels whose attributes also depend on n."""
    from mirage_labeller.core.labels.schema import Label

    return [Label(600000.0 + 30 * k, 5100000.0 + 15 * n, 600150.0 + 30 * k, 5100300.0 + 15 * n,
                  cls=CODES[(n + k) % len(CODES)], sign_qual=1 + (n + k) % 2,
                  class_unc=1 + n % 2, ifg="20190806_20190818", bt=12, traj="D", id=k + 1)
            for k in range(n % 7 + 1)]


def main():
    repo, directory = sys.argv[1], sys.argv[2]
    first, count = int(sys.argv[3]), int(sys.argv[4])
    kill_at = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    sys.path.insert(0, repo)
    from mirage_labeller.core.labels.store import LabelStore

    calls = [0]

    def counting(fn):
        def wrapper(*args, **kwargs):
            calls[0] += 1
            if calls[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return fn(*args, **kwargs)
        return wrapper

    if kill_at:
        for name in ("replace", "fsync", "remove", "unlink", "rmdir"):
            setattr(os, name, counting(getattr(os, name)))
    store = LabelStore(directory)
    print("ready", flush=True)
    for n in range(first, first + count):
        store.write(STEM, labels_for(n))
        print(n, flush=True)
    print(f"calls {calls[0]}", flush=True)


if __name__ == "__main__":
    main()
