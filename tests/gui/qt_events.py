"""Qt's event loop for tests that drive widgets: deferred deletes and queued signals run."""
from qgis.PyQt.QtCore import QCoreApplication, QEvent


def flush() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
