"""A web worker leaves the start-up objects out of the garbage collector's full collections
(config/wsgi.py calls home.core.startup.freeze_startup_objects once the application is loaded)."""

import gc
from pathlib import Path

from home.core.startup import freeze_startup_objects


def test_the_wsgi_module_freezes_after_loading_the_application():
    source = (Path(__file__).resolve().parent.parent / "config" / "wsgi.py").read_text()
    assert source.index("get_wsgi_application()") < source.index("freeze_startup_objects()")


def test_freezing_takes_start_up_objects_out_of_full_collections():
    try:
        gc.unfreeze()
        before = len(gc.get_objects(generation=2))
        frozen = freeze_startup_objects()
        assert frozen == gc.get_freeze_count() > 10_000
        assert len(gc.get_objects(generation=2)) < before - 10_000
    finally:
        gc.unfreeze()
