"""Helper process for test_label_safety: one label-store action, as another session would.

usage: store_action.py REPO DIR ACTION ARGS...
  reclassify STEM ID CLASS    set one label's class (read, then save under the lock)
  add STEM N                  add N labels one by one, printing each saved Id
  apply STEM FIRST LAST       apply a review rejecting label k, for k = FIRST..LAST, one by one
  present ROOT STEM SECONDS   announce a presence on STEM and stay alive SECONDS
"""
import sys
import time
from dataclasses import replace

sys.path.insert(0, sys.argv[1])
from mirage_labeller.core.labels.schema import Label
from mirage_labeller.core.labels.store import LabelStore


def box(k):
    return Label(600000.0 + 30 * k, 5100000.0, 600150.0 + 30 * k, 5100300.0, "RG", 1, 1,
                 "20190805_20190817", 12, "A")


def main():
    folder, action, args = sys.argv[2], sys.argv[3], sys.argv[4:]
    store = LabelStore(folder)
    if action == "reclassify":
        stem, label_id, cls = args[0], int(args[1]), args[2]
        now = store.read(stem).by_id()[label_id]
        store.update(stem, replace(now, cls=cls), base=now)
    elif action == "add":
        for k in range(int(args[1])):
            print(store.add(args[0], box(1000 + k)).id, flush=True)
    elif action == "apply":
        from mirage_labeller.core.dataset.review import REJECT, Decision, ReviewLog, apply_decisions

        stem = args[0]
        for k in range(int(args[1]), int(args[2]) + 1):
            log = ReviewLog(f"{folder}.review-{k}.csv")
            log.record(Decision(stem, k, REJECT, reviewer="ana"))
            result = apply_decisions(folder, log)
            assert not result.problems, result.problems
        print("applied", flush=True)
    elif action == "present":
        from mirage_labeller.core.labels import presence

        presence.announce(args[0], "other-session", args[1])
        print("present", flush=True)
        time.sleep(float(args[2]))
    else:
        raise SystemExit(f"unknown action {action}")


if __name__ == "__main__":
    main()
