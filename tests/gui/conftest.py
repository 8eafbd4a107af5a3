"""Fixtures of the GUI tests: the plugin loaded into pytest-qgis's QGIS as QGIS loads it."""
import pytest
from qt_events import flush


@pytest.fixture
def plugin(plugin_package, qgis_iface, qgis_new_project):
    """The plugin with its docks, on an empty project and an empty message bar; unloaded
    after the test as QGIS unloads it."""
    qgis_iface.messageBar().clear_messages()
    p = plugin_package.classFactory(qgis_iface)
    p.initGui()
    yield p
    if p.dock is not None:
        p.unload()
    flush()
