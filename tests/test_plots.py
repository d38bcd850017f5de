"""Static pictures: dyad timeline, patron shares, network; the CLI's --plot; a numbered error without matplotlib."""

import subprocess
import sys

import pytest

import detente
from detente.errors import DetenteError
from detente.plots import period_middle, plot_dyad, plot_network, plot_patrons
from test_exports import store  # noqa: F401  (hand-made store: RUS->PRK 2015, CHN->PRK 2014)


def _looks_drawn(path, min_px=500):
    from matplotlib.image import imread

    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    img = imread(path)
    assert img.shape[0] >= min_px and img.shape[1] >= min_px
    assert img[..., :3].std() > 0.05  # not a blank canvas


def test_dyad_patrons_and_network_pictures(store, tmp_path):  # noqa: F811
    db = detente.open(store)
    series = db.dyad("RUS", "PRK", "M", asserted_only=False)
    _looks_drawn(plot_dyad(series, "RUS", "PRK", tmp_path / "d.png", freq="M", asserted_only=False))
    _looks_drawn(plot_patrons(db.patrons("PRK", "Y"), "PRK", tmp_path / "p.png", freq="Y"))
    nodes, edges = db.network_tables()
    _looks_drawn(plot_network(nodes, edges, tmp_path / "n.png"))
    assert (tmp_path / "n.svg").exists() is False
    plot_network(nodes, edges, tmp_path / "n.svg")
    assert (tmp_path / "n.svg").read_text("utf-8").lstrip().startswith("<?xml")
    with pytest.raises(DetenteError) as e:
        plot_dyad(series.iloc[0:0], "RUS", "PRK", tmp_path / "x.png")
    assert e.value.code == "E303"


def test_period_middle_of_each_frequency():
    assert str(period_middle("2015", "Y").date()) == "2015-07-02"
    assert str(period_middle("2015Q1", "Q").date()) == "2015-02-14"
    assert str(period_middle("2015-02", "M").date()) == "2015-02-14"
    assert str(period_middle("2015-01-19/2015-01-25", "W").date()) == "2015-01-22"


def test_cli_plot_options(store, tmp_path):  # noqa: F811
    out = tmp_path / "dyad.png"
    r = subprocess.run([sys.executable, "-m", "detente", "dyad", "RUS", "PRK", "--all-modalities", "--plot", str(out),
                        "--store", str(store)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    _looks_drawn(out)
    out = tmp_path / "patrons.png"
    r = subprocess.run([sys.executable, "-m", "detente", "patrons", "PRK", "--plot", str(out), "--store", str(store)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    _looks_drawn(out)


def test_missing_matplotlib_is_a_numbered_error(store, tmp_path, monkeypatch):  # noqa: F811
    series = detente.open(store).dyad("RUS", "PRK", "M", asserted_only=False)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(DetenteError) as e:
        plot_dyad(series, "RUS", "PRK", tmp_path / "d.png")
    assert e.value.code == "E305" and "detente[plot]" in e.value.hint
