"""Render an HTML file (a MIRAGE report) to a PNG of the whole page, to look at it the way a
browser shows it. Uses QtWebKit, which Debian's QGIS depends on.

Usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 tools/render_html.py REPORT.html OUT.png
"""
import sys

from PyQt5.QtCore import QSize, QUrl
from PyQt5.QtGui import QImage, QPainter
from PyQt5.QtWebKitWidgets import QWebPage
from PyQt5.QtWidgets import QApplication


def render(html_path: str, png_path: str, width: int = 1150) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    page = QWebPage()
    done = []
    page.mainFrame().loadFinished.connect(lambda ok: done.append(ok))
    page.mainFrame().load(QUrl.fromLocalFile(html_path))
    while not done:
        app.processEvents()
    page.setViewportSize(QSize(width, 800))
    size = page.mainFrame().contentsSize()
    page.setViewportSize(QSize(width, size.height()))
    image = QImage(width, size.height(), QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    page.mainFrame().render(painter)
    painter.end()
    if not image.save(png_path):
        raise SystemExit(f"{png_path}: could not be written")
    print(f"{png_path}: {width} x {size.height()} px")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    render(sys.argv[1], sys.argv[2])
