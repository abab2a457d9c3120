"""Scenes of Claude's own tools (#16): a cited answer from a web search, and a code run that
made a chart. Kept apart from ``screens_window_scenes`` so each file stays short."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPolygonF

from scripts.screens_setup import Take, new_conversation, send
from scripts.screens_stage import settled, until
from tests.fake_api import Cite, CodeRun, ProducedFile, Reply, SearchHit, WebSearch

_HITS = [
    SearchHit("https://tides.example.org/brest", "Brest tide times — today", "3 hours ago"),
    SearchHit("https://sea-temperature.example.net/fr/brest", "Sea temperature in Brest",
              "1 day ago"),
    SearchHit("https://harbour.example.fr/notices", "Harbour notices", "2 days ago"),
]


def _chart_png() -> bytes:
    """A small tide curve, drawn here so the scene needs no file."""
    image = QImage(480, 240, QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#c8c8c8"), 1))
    for y in range(20, 240, 40):
        painter.drawLine(40, y, 470, y)
    heights = [3.1, 4.6, 5.8, 6.1, 5.2, 3.6, 2.0, 1.1, 1.4, 2.7, 4.3, 5.6, 6.0]
    points = [QPointF(40 + i * 35.8, 220 - h * 32) for i, h in enumerate(heights)]
    painter.setPen(QPen(QColor("#2f6fb0"), 3))
    painter.drawPolyline(QPolygonF(points))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


async def server_tools(take: Take) -> None:
    """Claude's own tools: a web search (its row opened to the results), the answer's cited
    claims marked, with numbered sources; then a code run whose chart shows in its row."""
    from desktop_app.core.server_tools import ServerToolOptions
    from desktop_app.ui.messages.server_tool_row import ServerToolRow

    stage = take.stage
    settings = stage.controller.services.settings
    before = settings.server_tools
    settings.server_tools = ServerToolOptions(web_search=True, code_execution=True)
    try:
        await new_conversation(stage)
        search = WebSearch("high tide Brest today", hits=_HITS)
        await send(stage, "When is high tide in Brest today, and how warm is the sea?", Reply(
            "Today's tide table and the latest sea readings agree: ",
            server_uses=[search],
            cites=[Cite("high tide at Brest is at 14:32, at 6.1 m.", use=0, hit=0),
                   Cite(" The sea is about 14 °C near the harbour.", use=0, hit=1)]))
        run = CodeRun(
            "python3 plot_tides.py --port brest --out tides.png",
            stdout="Saved tides.png (13 points, max 6.1 m at 14:32)\n",
            files=[ProducedFile("tides.png", _chart_png(), "image/png")])
        await send(stage, "Plot today's tide curve.",
                   Reply("Here is today's curve; the peak is the 14:32 high tide.",
                         server_uses=[run]))
        messages = stage.window.messages
        for row in messages.findChildren(ServerToolRow):
            row.set_open(True)
        await until(lambda: all(not r.file_ids or r.is_open
                                for r in messages.findChildren(ServerToolRow)), "rows open")
        await settled(8)
        messages.scroll_to_bottom()
        await settled(3)
        await take.shoot(stage.frame, "code", "A code run with the chart it made")
        search_rows = [r for r in messages.findChildren(ServerToolRow) if not r.file_ids]
        if search_rows:
            messages.ensureWidgetVisible(search_rows[0], 0, 24)
        await settled(3)
        await take.shoot(stage.frame, "search", "A cited answer, its search row opened")
    finally:
        settings.server_tools = before
