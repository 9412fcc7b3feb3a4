"""The HTML view in a real headless Chromium, with every network request refused.

Chromium is Debian's (installed by .ci/run), driven by Playwright with
executable_path set; Playwright's own browser download is never used.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import build
from graph.network import analyse, to_networkx
from graph.view import write_view

from conftest import HEADER, guard

ARTIFACTS = Path(__file__).parent / "artifacts"

XSS_ROWS = [
    HEADER,
    ["<img src=x onerror=\"window.__xss='img'\">", "Probe", "<script>window.__xss='title'</script>",
     "Cosmology", "CNN", 'see <a href="javascript:window.__xss=\'href\'">this</a> and <img src=x onerror="window.__xss=1">'],
    ["Ada", "</script><script>window.__xss='close'</script>", "A \"quoted\" talk with href in it",
     "Cosmology; <b onmouseover=\"window.__xss='b'\">x</b>", "U-Net", "ok"],
]


def open_view(browser, path):
    page = browser.new_page(viewport={"width": 1400, "height": 850})
    outgoing, errors = guard(page, "file:")
    page.goto(Path(path).resolve().as_uri())
    page.wait_for_function("window.talkgraph && window.talkgraph.ready", timeout=60_000)
    return page, outgoing, errors


@pytest.fixture(scope="module")
def real_view(tmp_path_factory, real_build):
    g = analyse(to_networkx(real_build.store))
    return g, write_view(g, tmp_path_factory.mktemp("view") / "view.html")


def test_the_real_table_draws_offline_without_errors(browser, real_view):
    g, path = real_view
    page, outgoing, errors = open_view(browser, path)
    assert page.evaluate("talkgraph.nodes.length") == g.number_of_nodes()
    drawn_edges = page.evaluate("talkgraph.edges.length")
    assert drawn_edges == len({(u, v, d["relation"]) for u, v, d in g.edges(data=True)})
    assert page.evaluate("Object.keys(talkgraph.network.body.nodes).length") >= g.number_of_nodes()
    assert outgoing == [] and errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "view-real-table.png"))
    page.close()


def test_the_file_references_nothing_online(real_view):
    import re

    html = real_view[1].read_text(encoding="utf-8")
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)
    for host in ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "unpkg.com", "googleapis.com", "bootstrapcdn"):
        assert host not in html


def test_search_focuses_the_right_node_and_shows_its_panel(browser, real_view):
    page, _, errors = open_view(browser, real_view[1])
    page.fill("#search", "clár-bríd")
    page.press("#search", "Enter")
    selected = page.evaluate("talkgraph.network.getSelectedNodes()")
    assert len(selected) == 1
    assert page.evaluate(f"talkgraph.nodes.get({selected[0]}).label") == "Clár-Bríd Tohill"
    assert page.inner_text("#panel h1") == "Clár-Bríd Tohill"
    assert "https://w3id.org/talkgraph/id/person/clar-brid-tohill" in page.inner_text("#panel")
    # the neighbourhood stays coloured, the rest is dimmed
    dimmed = page.evaluate("talkgraph.nodes.get().filter(n => n.color === '#e3e6eb').length")
    assert 0 < dimmed < page.evaluate("talkgraph.nodes.length") - 1
    assert errors == []
    page.close()


def test_filters_hide_what_they_should(browser, real_view):
    page, _, errors = open_view(browser, real_view[1])
    talks = page.evaluate("talkgraph.nodes.get().filter(n => n.kind === 'talk').length")
    page.uncheck("input[data-kind=talk]")
    hidden = page.evaluate("talkgraph.nodes.get().filter(n => n.hidden).map(n => n.kind)")
    assert len(hidden) == talks and set(hidden) == {"talk"}
    page.check("input[data-kind=talk]")
    page.select_option("#method-filter", label="U-Net")
    shown = page.evaluate("talkgraph.nodes.get().filter(n => !n.hidden).map(n => n.label)")
    assert "U-Net" in shown and "Michele Bianco" in shown and "Mike Walmsley" not in shown
    assert "of 106 nodes shown" in page.inner_text("#status") or "nodes shown" in page.inner_text("#status")
    assert errors == []
    page.close()


def test_a_large_graph_opens_collapsed_and_expands_on_demand(browser, real_view, tmp_path, monkeypatch):
    import graph.view as view

    monkeypatch.setattr(view, "DEFAULT_MAX_NODES", 50)  # the real table stands in for a large graph
    g, note, collapsed = view.choose_graph(real_view[0], None)
    assert collapsed == ("talk", "person") and "collapsed" in note
    page, outgoing, errors = open_view(browser, write_view(g, tmp_path / "collapsed.html", note=note,
                                                           collapsed=collapsed))
    visible = page.evaluate("talkgraph.nodes.get().filter(n => !n.hidden).map(n => n.kind)")
    assert "talk" not in visible and "person" not in visible and "method" in visible
    assert page.is_checked("input[data-kind=method]") and not page.is_checked("input[data-kind=talk]")
    page.fill("#search", "U-Net")
    page.press("#search", "Enter")
    page.click("#expand")
    shown = page.evaluate("talkgraph.nodes.get().filter(n => !n.hidden).map(n => n.label)")
    assert any(label.startswith("Deep Learning Approach Identification of HI regions") for label in shown)
    page.fill("#search", "Mike Walmsley")  # search finds and reveals a collapsed node
    page.press("#search", "Enter")
    assert page.evaluate("talkgraph.nodes.get().find(n => n.label === 'Mike Walmsley').hidden") is False
    assert outgoing == [] and errors == []
    page.close()


def test_an_xss_probe_table_never_runs(browser, write_table, tmp_path):
    result = build(write_table(XSS_ROWS))
    assert result.conforms
    g = analyse(to_networkx(result.store))
    page, outgoing, errors = open_view(browser, write_view(g, tmp_path / "xss.html",
                                                           title="<img src=x onerror=window.__xss='h'>"))
    for node in page.evaluate("talkgraph.nodes.getIds()"):  # hover every node: tooltips must stay text
        position = page.evaluate(f"talkgraph.network.canvasToDOM(talkgraph.network.getPosition({node}))")
        page.mouse.move(position["x"] + 280, position["y"])
        page.evaluate(f"talkgraph.network.selectNodes([{node}])")
    for node in page.evaluate("talkgraph.nodes.getIds()")[:5]:
        page.evaluate(f"talkgraph.network.emit('selectNode', {{nodes: [{node}]}})")
    page.fill("#search", "probe")
    page.press("#search", "Enter")
    assert page.evaluate("window.__xss") is None
    assert page.inner_text("#panel h1").startswith("<img src=x onerror=")  # shown as text, not as markup
    assert page.evaluate("document.querySelectorAll('#panel img, #controls img, #panel script').length") == 0
    assert errors == [] and [u for u in outgoing if not u.startswith("data:")] == []
    page.close()
