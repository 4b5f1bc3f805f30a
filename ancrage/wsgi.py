import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ancrage.settings")
application = get_wsgi_application()

from ancrage.core.checks import refuse_development_key  # noqa: E402  (needs the settings)

refuse_development_key()

# A web process keeps a national programme's figures between pages (hundreds of thousands of
# objects): the objects of the start-up (Django, the app) leave the garbage collector's full
# passes, and its young passes run less often, so that a page after a write does not pay a pass
# over all of them (docs/performance.md, « Le tableau de bord après une écriture »).
gc.freeze()
gc.set_threshold(10_000, 10, 10)
