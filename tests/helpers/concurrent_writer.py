"""Helper process for test_two_sessions_saving_at_once: adds N labels to one file."""
import sys

sys.path.insert(0, sys.argv[1])
from mirage_labeller.core.labels.schema import Label
from mirage_labeller.core.labels.store import LabelStore

store = LabelStore(sys.argv[2])
offset = int(sys.argv[3])
for k in range(int(sys.argv[4])):
    store.add("shared", Label(600000.0 + 30 * (offset + k), 5100000.0, 600150.0 + 30 * (offset + k),
                              5100300.0, "RG", 1, 1, "20190805_20190817", 12, "A"))
print("done", flush=True)
