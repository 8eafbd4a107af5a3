"""The class guide's examples are read through the labels' own CRS: on a workspace whose
interferograms are in degrees (labels in their UTM zone) every labelled class has chips."""
from mirage_labeller.core.interferograms.workspace import open_workspace
from mirage_labeller.core.labels.store import LabelStore
from mirage_labeller.core.teaching.guide import class_examples


def test_examples_are_found_on_a_degree_workspace(degree_workspace):
    ws = open_workspace(degree_workspace)
    store = LabelStore(ws.label_dir)
    assert store.read(ws.interferograms[0].label_stem).epsg == 32632  # metres, not degrees
    labelled = {lab.cls for it in ws.interferograms for lab in store.read(it.label_stem).labels}
    assert labelled
    examples = class_examples(ws.interferograms, store, per_class=2)
    for cls in labelled:
        chips = examples[cls]
        assert chips and all(c.rgba is not None and not c.synthetic for c in chips), cls
        # the box drawn in the chip lies in the chip (read where the label is, not in degrees)
        for c in chips:
            x0, y0, x1, y1 = c.box
            e = c.extent
            assert e[0] <= x0 < x1 <= e[2] and e[1] <= y0 < y1 <= e[3]
