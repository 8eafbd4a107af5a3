"""Training-set export (YOLO and COCO): chips map back to the map through the manifest, no
mass movement sits in two splits, the YOLO and COCO layouts are exact, channels decode back
to the physical values whatever the files' encoding."""
import json
import math
import os
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
import rasterio
import yaml
from PIL import Image

from mirage_labeller.core.base.errors import OutputError
from mirage_labeller.core.base.outputs import leftovers
from mirage_labeller.core.base.progress import Cancelled
from mirage_labeller.core.dataset.export import (
    ExportConfig,
    chip_to_map,
    export_training_set,
    grid_offsets,
    read_manifest,
    split_groups,
)
from mirage_labeller.core.dataset.processes import group_labels, read_label_dir
from mirage_labeller.core.interferograms.workspace import open_workspace
from mirage_labeller.core.labels.classes import CLASS_CODES
from mirage_labeller.core.labels.store import LabelStore
from mirage_labeller.core.synthetic.generator import SynthConfig, build_workspace
from mirage_labeller.core.terrain.morphometry import derive_morphometry

CHIP = 256
HALF_PX = 7.5  # the synthetic rasters have 15 m pixels


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    root = tmp_path_factory.mktemp("export") / "ws"
    build_workspace(SynthConfig(str(root), seed=7, size=700, n_interferograms=6,
                                box_jitter=0.1))
    derive_morphometry(root / "dem" / "dem.tif", root / "dem", ["slope"])
    return root


def _export(ws, out, **kw):
    kw.setdefault("chip", CHIP)
    kw.setdefault("overlap", 0.2)
    return export_training_set(ws / "labels", ws, out, ExportConfig(**kw))


@pytest.fixture(scope="module")
def yolo(ws, tmp_path_factory):
    """Every chip without a box kept, so the grid is visible in the manifest."""
    out = tmp_path_factory.mktemp("yolo") / "out"
    return _export(ws, out, negative_rate=1.0), out


def _labels(ws):
    """(stem, id) -> Label, from the label store (not through the exporter's reading)."""
    store = LabelStore(ws / "labels")
    return {(stem, lab.id): lab for stem in store.stems() for lab in store.read(stem).labels}


def _yolo_lines(out, row):
    text = (out / "labels" / row.split / f"{row.name}.txt").read_text()
    return [line.split() for line in text.splitlines()]


def _extent(row):
    return chip_to_map(row, 0, 0, row.width, row.height)


def _clip(b, e):
    return (max(b[0], e[0]), max(b[1], e[1]), min(b[2], e[2]), min(b[3], e[3]))


def _area(b):
    return max(0.0, b[2] - b[0]) * max(0.0, b[3] - b[1])


def _grid(ws):
    """(stem, row_off, col_off) -> chip extent on the map, for every grid chip."""
    out = {}
    stride = round(CHIP * 0.8)
    for item in open_workspace(ws).interferograms:
        with rasterio.open(item.path) as src:
            t, w, h = src.transform, src.width, src.height
        for r in grid_offsets(h, CHIP, stride):
            for c in grid_offsets(w, CHIP, stride):
                x0, y1 = t * (c, r)
                x1, y0 = t * (c + CHIP, r + CHIP)
                out[(item.label_stem, r, c)] = (x0, y0, x1, y1)
    return out


def test_grid_offsets():
    assert grid_offsets(700, 256, 205) == [0, 205, 410, 444]  # last chip ends at the edge
    assert grid_offsets(2000, 640, 512) == [0, 512, 1024, 1360]
    assert grid_offsets(1152, 640, 512) == [0, 512]  # already ends at the edge
    assert grid_offsets(256, 256, 205) == [0]
    assert grid_offsets(200, 256, 205) == [0]  # smaller than a chip: one padded chip


def test_yolo_layout_and_dataset_yaml(yolo):
    result, out = yolo
    spec = yaml.safe_load((out / "dataset.yaml").read_text())
    # no path: the YAML's own folder is the root, so a copied export trains on its own images
    assert set(spec) == {"train", "val", "test", "nc", "names"}
    assert (spec["train"], spec["val"], spec["test"]) == ("images/train", "images/val",
                                                          "images/test")
    assert spec["nc"] == 10
    assert spec["names"] == {i: code for i, code in enumerate(CLASS_CODES)}
    assert spec["names"][0] == "AR" and spec["names"][9] == "FS"
    rows = read_manifest(result.manifest)
    assert len(rows) == result.chips > 30
    for split in ("train", "val", "test"):
        images = {p.stem for p in (out / "images" / split).iterdir()}
        labels = {p.stem for p in (out / "labels" / split).iterdir()}
        assert images == labels == {r.name for r in rows if r.split == split}
        assert all(p.suffix == ".png" for p in (out / "images" / split).iterdir())
        assert all(p.suffix == ".txt" for p in (out / "labels" / split).iterdir())
    n_lines = 0
    for row in rows:
        assert row.image == f"images/{row.split}/{row.name}.png"
        assert row.name == f"{row.stem}_r{row.row_off}_c{row.col_off}"
        lines = _yolo_lines(out, row)
        assert len(lines) == row.n_boxes == len(row.label_ids) == len(row.processes)
        for fields in lines:
            assert len(fields) == 5
            assert fields[0].isdigit() and 0 <= int(fields[0]) <= 9
            values = [float(v) for v in fields[1:]]
            assert all(0.0 <= v <= 1.0 for v in values)
            assert all(len(v.split(".")[1]) == 6 for v in fields[1:])
            cx, cy, w, h = values
            assert w > 0 and h > 0 and cx - w / 2 >= -1e-6 and cx + w / 2 <= 1 + 1e-6
            n_lines += 1
    assert n_lines == result.boxes > 20


def test_round_trip_through_the_manifest(ws, yolo):
    """Every box mapped back through the manifest is its label clipped to the chip."""
    result, out = yolo
    labels = _labels(ws)
    inside = 0
    for row in read_manifest(result.manifest):
        assert row.crs == "EPSG:32632"
        extent = _extent(row)
        for fields, label_id in zip(_yolo_lines(out, row), row.label_ids):
            lab = labels[(row.stem, label_id)]
            assert int(fields[0]) == CLASS_CODES.index(lab.cls)
            cx, cy, w, h = (float(v) * CHIP for v in fields[1:])
            got = chip_to_map(row, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            assert np.allclose(got, _clip(lab.bounds, extent), atol=HALF_PX)
            if _clip(lab.bounds, extent) == lab.bounds:
                inside += 1
                assert np.allclose(got, lab.bounds, atol=HALF_PX)
    assert inside >= 20  # most boxes lie wholly in a chip


def test_every_label_wholly_inside_a_chip_is_exported(ws, yolo):
    result, _ = yolo
    labels = _labels(ws)
    grid = _grid(ws)
    exported = {(r.stem, i) for r in read_manifest(result.manifest) for i in r.label_ids}
    expected = {key for key, lab in labels.items()
                if any(stem == key[0] and _clip(lab.bounds, e) == lab.bounds
                       for (stem, _, _), e in grid.items())}
    assert len(expected) >= 20
    assert expected <= exported
    assert result.labels == len(labels)
    assert result.labels_exported == len(exported)


def test_no_process_in_two_splits(ws, yolo):
    result, _ = yolo
    rows = read_manifest(result.manifest)
    splits = defaultdict(set)
    for row in rows:
        for pid in row.processes + row.partial_processes:
            splits[pid].add(row.split)
    assert all(len(s) == 1 for s in splits.values()), splits
    table = read_label_dir(ws / "labels")
    processes = group_labels(table)
    assert set(splits) == {p.pid for p in processes}  # real process ids, all of them
    with_boxes = {row.split for row in rows if row.n_boxes}
    assert len(with_boxes) >= 2  # a split actually happened
    # each process's labels: the chips holding them all sit in the process's split
    of_label = {(table.stem[k], int(table.id[k])): p.pid for p in processes for k in p.members}
    for row in rows:
        for label_id, pid in zip(row.label_ids, row.processes):
            assert of_label[(row.stem, label_id)] == pid


def test_split_groups_is_stratified_and_deterministic():
    groups = ([(f"rg{i:03d}", "RG", 1) for i in range(100)]
              + [(f"dg{i:03d}", "DG", 1) for i in range(40)] + [("cf", "CF", 5)])
    got = split_groups(groups, (0.7, 0.15, 0.15), seed=0)
    assert set(got) == {key for key, _, _ in groups}
    count = defaultdict(int)
    for key, split in got.items():
        count[(key[:2], split)] += 1
    assert (count[("rg", "train")], count[("rg", "val")], count[("rg", "test")]) == (70, 15, 15)
    assert (count[("dg", "train")], count[("dg", "val")], count[("dg", "test")]) == (28, 6, 6)
    assert got["cf"] == "train"  # a class seen once stays where the model can learn it
    assert split_groups(groups, (0.7, 0.15, 0.15), seed=0) == got
    assert split_groups(groups, (0.7, 0.15, 0.15), seed=1) != got
    two = split_groups(groups, (0.8, 0.2, 0.0), seed=0)
    assert "test" not in two.values()
    # uneven groups: the big one is never pushed into val just because val is empty
    uneven = split_groups([("a", "RG", 20), ("b", "RG", 3), ("c", "RG", 3), ("d", "RG", 4)],
                          (0.7, 0.15, 0.15), seed=3)
    assert uneven["a"] == "train" and sorted(uneven.values()).count("train") == 1


def test_negative_rate(ws, yolo, tmp_path):
    result, out = yolo
    rows = read_manifest(result.manifest)
    labels = _labels(ws)
    grid = _grid(ws)
    untouched = {key for key, e in grid.items()
                 if not any(s == key[0] and _area(_clip(lab.bounds, e)) > 0
                            for (s, _), lab in labels.items())}
    negatives = {(r.stem, r.row_off, r.col_off) for r in rows if r.n_boxes == 0}
    assert len(negatives) >= 20
    assert negatives == untouched  # rate 1: every chip without any box (none blank here)
    assert result.blank_chips == 0 and result.negatives == len(negatives)
    assert all((out / "labels" / r.split / f"{r.name}.txt").read_text() == ""
               for r in rows if r.n_boxes == 0)
    none = _export(ws, tmp_path / "none", negative_rate=0.0)
    rows0 = read_manifest(none.manifest)
    assert none.negatives == 0 and all(r.n_boxes > 0 for r in rows0)
    assert all((tmp_path / "none" / "labels" / r.split / f"{r.name}.txt").read_text()
               for r in rows0)
    # the positives and their splits do not depend on the negative rate
    assert {(r.name, r.split) for r in rows0} == {(r.name, r.split) for r in rows
                                                  if r.n_boxes}
    some = _export(ws, tmp_path / "some", negative_rate=0.3)
    assert 0 < some.negatives < len(negatives)


@pytest.mark.parametrize("min_visible", [0.5, 1.0])
def test_min_visible(ws, tmp_path, min_visible):
    result = _export(ws, tmp_path / "out", min_visible=min_visible, negative_rate=0.0)
    labels = _labels(ws)
    pid = {(row.stem, i): p for row in read_manifest(result.manifest)
           for i, p in zip(row.label_ids, row.processes)}
    kept = dropped = between = 0
    for row in read_manifest(result.manifest):
        extent = _extent(row)
        partial = list(row.partial_processes)
        for (stem, label_id), lab in labels.items():
            if stem != row.stem or _area(_clip(lab.bounds, extent)) == 0:
                continue
            share = _area(_clip(lab.bounds, extent)) / _area(lab.bounds)
            between += 0.5 <= share < 1.0
            if share >= min_visible:
                kept += 1
                assert label_id in row.label_ids
            else:
                dropped += 1
                assert label_id not in row.label_ids
                partial.remove(pid.get((stem, label_id), partial[0]))
        assert partial == []  # every dropped box, and only those, listed as partial
    assert kept == result.boxes
    assert dropped == sum(r.n_dropped for r in read_manifest(result.manifest)) > 0
    assert result.dropped_boxes >= dropped
    assert between > 0  # boxes 50-99 % inside a chip: kept at 0.5, dropped at 1.0


def _png(out, row):
    with Image.open(out / row.image) as im:
        assert im.mode == "RGB" and im.size == (row.width, row.height)
        return np.asarray(im)


def _raster_window(path, row):
    with rasterio.open(path) as src:
        return src.read(1, window=((row.row_off, row.row_off + row.height),
                                   (row.col_off, row.col_off + row.width)))


def test_cos_sin_channels_decode_to_phase_and_coherence(ws, yolo):
    result, out = yolo
    items = {it.label_stem: it for it in open_workspace(ws).interferograms}
    rows = read_manifest(result.manifest)
    checked_nodata = 0
    for row in rows[::4]:
        rgb = _png(out, row).astype(float)
        assert rgb.dtype == float and _png(out, row).dtype == np.uint8
        phase = _raster_window(items[row.stem].path, row)
        coherence = _raster_window(items[row.stem].coherence, row)
        valid = np.isfinite(phase)
        cos, sin = rgb[..., 0] / 255 * 2 - 1, rgb[..., 1] / 255 * 2 - 1
        decoded = np.arctan2(sin, cos)
        error = np.abs(np.angle(np.exp(1j * (decoded - phase))))[valid]
        assert error.max() < 0.05
        ok = valid & np.isfinite(coherence)
        assert np.abs(rgb[..., 2][ok] / 255 - coherence[ok]).max() <= 0.5 / 255 + 1e-6
        assert (rgb[~valid][:, :2] == 0).all()  # nodata is 0
        checked_nodata += int((~valid).sum())
    assert checked_nodata > 0  # the oblique frame edge was among the chips checked


def test_phase_coherence_terrain_recipe(ws, tmp_path):
    result = _export(ws, tmp_path / "out", recipe="phase_coh_terrain", negative_rate=0.0)
    out = tmp_path / "out"
    items = {it.label_stem: it for it in open_workspace(ws).interferograms}
    with rasterio.open(ws / "dem" / "slope.tif") as src:
        slope = src.read(1, masked=True).filled(np.nan)
    for row in read_manifest(result.manifest)[:6]:
        rgb = _png(out, row).astype(float)
        terrain = rgb[..., 2]
        assert terrain.std() > 5  # a real layer, not a constant
        window = slope[row.row_off:row.row_off + CHIP, row.col_off:row.col_off + CHIP]
        ok = np.isfinite(window)
        assert np.abs(terrain[ok] - np.clip(window[ok] / 90 * 255, 0, 255)).max() <= 0.5001
        assert (terrain[~ok] == 0).all()
        phase = _raster_window(items[row.stem].path, row)
        valid = np.isfinite(phase)
        decoded = rgb[..., 0] / 255 * 2 * math.pi - math.pi
        error = np.abs(np.angle(np.exp(1j * (decoded - phase))))[valid]
        assert error.max() <= math.pi / 255 + 1e-6


def _view(ws, root, dem_layer=None):
    """Another workspace over the same interferograms (symlinked folders)."""
    root.mkdir()
    for sub in ("interferograms", "coherence"):
        os.symlink(ws / sub, root / sub)
    if dem_layer is not None:
        (root / "dem").mkdir()
    return root


def test_terrain_on_another_grid_is_resampled_onto_the_chip(ws, tmp_path):
    """A slope layer on a 45 m grid offset by half its pixel: bilinear onto each chip's 15 m
    grid, at the right place (a ramp of 2.5 levels per chip pixel shows any shift), its
    nodata as 0."""
    with rasterio.open(ws / "dem" / "slope.tif") as src:
        t, crs = src.transform, src.crs
    x0, top = t.c, t.f
    coarse_t = rasterio.Affine(45.0, 0, x0 - 22.5, 0, -45.0, top + 22.5)
    xc = x0 - 22.5 + (np.arange(236) + 0.5) * 45.0

    def ramp(x):
        return np.clip((x - x0 - 300.0) / 1500.0 * 90.0, 0.0, 90.0)

    layer = np.repeat(ramp(xc)[None, :], 236, axis=0).astype(np.float32)
    layer[:40] = -9999.0  # nodata over the northern 1.8 km
    root = _view(ws, tmp_path / "coarse", dem_layer=True)
    with rasterio.open(root / "dem" / "slope.tif", "w", driver="GTiff", width=236, height=236,
                       count=1, dtype="float32", crs=crs, transform=coarse_t,
                       nodata=-9999.0) as dst:
        dst.write(layer, 1)
    result = export_training_set(ws / "labels", root, tmp_path / "out", ExportConfig(
        chip=CHIP, recipe="phase_coh_terrain", negative_rate=1.0))
    rows = [r for r in read_manifest(result.manifest) if r.col_off == 0]
    assert {r.row_off for r in rows} >= {0, 444}
    for row in rows:
        blue = _png(tmp_path / "out", row)[..., 2].astype(float)
        xs = row.c + (np.arange(CHIP) + 0.5) * row.a
        ys = row.f + (np.arange(CHIP) + 0.5) * row.e
        expected = np.clip(ramp(xs) / 90.0 * 255.0, 0, 255)[None, :].repeat(CHIP, 0)
        off_kink = (np.abs(xs - x0 - 300) > 60) & (np.abs(xs - x0 - 1800) > 60)
        data = (top - ys > 40 * 45 + 60)[:, None] & off_kink[None, :]
        assert data.sum() > 1000
        assert np.abs(blue - expected)[data].max() <= 1.0
        gone = (top - ys < 40 * 45 - 60)[:, None].repeat(CHIP, 1)
        assert (blue[gone] == 0).all()
        assert gone.sum() > 10000 or row.row_off > 0


def test_encoded_rasters_give_the_same_chips(ws, yolo, tmp_path):
    """Phase as scaled int16 and coherence as 0-255 (LiCSAR style) decode to the same chips."""
    result, out = yolo
    root = tmp_path / "encoded"
    (root / "interferograms").mkdir(parents=True)
    (root / "coherence").mkdir()
    for item in open_workspace(ws).interferograms:
        for src_path, kind in ((item.path, "phase"), (item.coherence, "coherence")):
            with rasterio.open(src_path) as src:
                values, profile = src.read(1), src.profile
            if kind == "phase":
                data = np.where(np.isfinite(values), np.rint(values / math.pi * 32767),
                                -32768).astype(np.int16)
                profile.update(dtype="int16", nodata=-32768, predictor=2)
                dest = root / "interferograms" / src_path.name
            else:
                data = np.where(np.isfinite(values), np.clip(np.rint(values * 255), 1, 255),
                                0).astype(np.uint8)
                profile.update(dtype="uint8", nodata=None, predictor=2)
                dest = root / "coherence" / src_path.name
            with rasterio.open(dest, "w", **profile) as dst:
                dst.write(data, 1)
    encoded = export_training_set(ws / "labels", root, tmp_path / "out",
                                  ExportConfig(chip=CHIP, negative_rate=1.0))
    assert not [p for p in encoded.problems if "skipped" in p]
    rows = read_manifest(result.manifest)
    other = {r.name: r for r in read_manifest(encoded.manifest)}
    assert set(other) == {r.name for r in rows}
    for row in rows[::3]:
        a = _png(out, row).astype(int)
        b = _png(tmp_path / "out", other[row.name]).astype(int)
        assert np.abs(a - b).max() <= 2


def test_small_raster_gives_one_padded_chip(ws, tmp_path):
    result = _export(ws, tmp_path / "out", chip=1024, negative_rate=1.0)
    rows = read_manifest(result.manifest)
    labels = _labels(ws)
    assert len(rows) == 6 and {(r.row_off, r.col_off, r.width) for r in rows} == {(0, 0, 1024)}
    assert result.boxes == len(labels) and result.dropped_boxes == 0
    for row in rows:
        rgb = _png(tmp_path / "out", row)
        assert (rgb[700:] == 0).all() and (rgb[:, 700:] == 0).all()  # padding
        assert rgb[:700, :700].any()
        for fields, label_id in zip(_yolo_lines(tmp_path / "out", row), row.label_ids):
            cx, cy, w, h = (float(v) * 1024 for v in fields[1:])
            got = chip_to_map(row, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            assert np.allclose(got, labels[(row.stem, label_id)].bounds, atol=HALF_PX)


def test_labels_in_another_crs_are_converted_to_the_raster_crs(ws, tmp_path):
    """Label files in Web Mercator: boxes are their envelopes in the rasters' UTM zone."""
    from dataclasses import replace

    from rasterio.warp import transform_bounds

    source, target = LabelStore(ws / "labels"), LabelStore(tmp_path / "labels")
    mercator = {}
    for stem in source.stems():
        moved = []
        for lab in source.read(stem).labels:
            b = transform_bounds("EPSG:32632", "EPSG:3857", *lab.bounds)
            moved.append(replace(lab, xmin=b[0], ymin=b[1], xmax=b[2], ymax=b[3]))
            mercator[(stem, lab.id)] = b
        target.write(stem, moved, crs=3857)
    result = export_training_set(tmp_path / "labels", ws, tmp_path / "out",
                                 ExportConfig(chip=1024))
    assert result.boxes == len(mercator)
    for row in read_manifest(result.manifest):
        assert row.crs == "EPSG:32632"
        for fields, label_id in zip(_yolo_lines(tmp_path / "out", row), row.label_ids):
            cx, cy, w, h = (float(v) * 1024 for v in fields[1:])
            got = chip_to_map(row, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            utm = transform_bounds("EPSG:3857", "EPSG:32632", *mercator[(row.stem, label_id)],
                                   densify_pts=21)
            assert np.allclose(got, utm, atol=HALF_PX)
            assert not np.allclose(got, mercator[(row.stem, label_id)], atol=1000)


def test_coco_matches_yolo(ws, yolo, tmp_path):
    result, out = yolo
    coco = _export(ws, tmp_path / "coco", fmt="coco", negative_rate=1.0)
    cout = tmp_path / "coco"
    assert coco.dataset_yaml is None and not (cout / "labels").exists()
    assert set(coco.annotations) == {"train", "val", "test"}
    yrows = {r.name: r for r in read_manifest(result.manifest)}
    crows = read_manifest(coco.manifest)
    assert {(r.name, r.split) for r in crows} == {(r.name, r.split) for r in yrows.values()}
    image_ids, ann_ids, n_ann = set(), set(), 0
    for split in ("train", "val", "test"):
        doc = json.loads((cout / "annotations" / f"instances_{split}.json").read_text())
        assert set(doc) >= {"images", "annotations", "categories"}
        assert doc["categories"] == [
            {"id": i + 1, "name": c, "supercategory": "artefact" if c == "AR"
             else "mass movement"} for i, c in enumerate(CLASS_CODES)]
        by_image = defaultdict(list)
        for ann in doc["annotations"]:
            assert set(ann) == {"id", "image_id", "category_id", "bbox", "area", "iscrowd"}
            assert ann["iscrowd"] == 0 and 1 <= ann["category_id"] <= 10
            x, y, w, h = ann["bbox"]
            assert ann["area"] == pytest.approx(w * h, abs=1e-2)
            by_image[ann["image_id"]].append(ann)
            ann_ids.add(ann["id"])
            n_ann += 1
        assert len(doc["images"]) == sum(r.split == split for r in crows)
        for image in doc["images"]:
            assert set(image) == {"id", "file_name", "width", "height"}
            assert (image["width"], image["height"]) == (CHIP, CHIP)
            assert (cout / "images" / split / image["file_name"]).is_file()
            image_ids.add(image["id"])
            row = yrows[Path(image["file_name"]).stem]
            lines = _yolo_lines(out, row)
            anns = by_image[image["id"]]
            assert len(anns) == len(lines)
            for ann, fields in zip(anns, lines):
                assert ann["category_id"] == int(fields[0]) + 1
                cx, cy, w, h = (float(v) * CHIP for v in fields[1:])
                assert np.allclose(ann["bbox"], [cx - w / 2, cy - h / 2, w, h], atol=1e-3)
    assert len(image_ids) == coco.chips and len(ann_ids) == n_ann == coco.boxes


def test_geotiff_chips_are_georeferenced(ws, yolo, tmp_path):
    result, out = yolo
    tif = _export(ws, tmp_path / "tif", image_format="tif", negative_rate=1.0)
    pngs = {r.name: r for r in read_manifest(result.manifest)}
    rows = read_manifest(tif.manifest)
    assert {r.name for r in rows} == set(pngs)
    for row in rows[::5]:
        assert row.image.endswith(".tif")
        with rasterio.open(tmp_path / "tif" / row.image) as src:
            assert (src.count, src.dtypes, src.width, src.height) == (
                3, ("uint8",) * 3, CHIP, CHIP)
            assert src.crs.to_epsg() == 32632
            assert tuple(src.transform)[:6] == pytest.approx(tuple(row.transform)[:6])
            assert src.transform * (0, 0) == (row.c, row.f)
            data = np.moveaxis(src.read(), 0, -1)
        assert np.array_equal(data, _png(out, pngs[row.name]))


def test_rerun_replaces_a_previous_export_and_refuses_other_folders(ws, yolo, tmp_path):
    result, out = yolo
    again = _export(ws, tmp_path / "out", negative_rate=1.0)
    first = (tmp_path / "out" / "manifest.csv").read_text()
    assert first == result.manifest.read_text()  # deterministic for a given seed
    (tmp_path / "out" / "images" / "train" / "stale.png").write_bytes(b"x")
    _export(ws, tmp_path / "out", negative_rate=1.0)
    assert not (tmp_path / "out" / "images" / "train" / "stale.png").exists()
    assert (tmp_path / "out" / "manifest.csv").read_text() == first
    assert again.chips == result.chips
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(OutputError, match="not empty and not a previous export"):
        _export(ws, tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_progress_cancel_and_bad_settings(ws, tmp_path):
    seen = []
    export_training_set(ws / "labels", ws, tmp_path / "a", ExportConfig(chip=CHIP),
                        progress=lambda f, m: seen.append(f))
    assert seen[-1] == 1.0 and seen == sorted(seen) and len(seen) > 6
    calls = []

    def cancel_while_cutting():  # asked once per label file, then per interferogram twice
        calls.append(1)
        return len(calls) > 6 + 6 + 2

    with pytest.raises(Cancelled):
        export_training_set(ws / "labels", ws, tmp_path / "b", ExportConfig(chip=CHIP),
                            is_cancelled=cancel_while_cutting)
    assert len(calls) > 6 + 6 + 2  # cancelled while cutting chips
    # a cancelled export leaves nothing: no folder, no temporary one beside it
    assert not (tmp_path / "b").exists() and leftovers(tmp_path) == []
    with pytest.raises(ValueError, match="terrain layer 'twi'"):
        _export(ws, tmp_path / "c", recipe="phase_coh_terrain", terrain_layer="twi")
    for bad in (dict(fmt="voc"), dict(overlap=1.0), dict(min_visible=0.0),
                dict(split=(0.5, 0.2, 0.2)), dict(recipe="rgb"), dict(image_format="jpg")):
        with pytest.raises(ValueError):
            _export(ws, tmp_path / "d", **bad)


def test_a_rerun_replaces_only_what_an_export_writes(ws, tmp_path):
    """A model trained in the export folder (runs/best.pt) stays; the chips are new."""
    out = tmp_path / "out"
    _export(ws, out)
    (out / "runs").mkdir()
    (out / "runs" / "best.pt").write_bytes(b"weights")
    (out / "images" / "train" / "stale.png").write_bytes(b"x")
    _export(ws, out)
    assert (out / "runs" / "best.pt").read_bytes() == b"weights"
    assert not (out / "images" / "train" / "stale.png").exists()
    assert not list(out.glob(".mirage-export-old-*")) and leftovers(tmp_path) == []
