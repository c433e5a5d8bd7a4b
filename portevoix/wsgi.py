"""The WSGI entry point. `/s/<code>` (tracked links) is answered by the redirect before Django's
middleware stack; everything else goes to Django. docs/tracking.md explains why."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portevoix.settings")

django_application = get_wsgi_application()

# Imported once Django is set up: the redirect uses its settings and models.
from portevoix.tracking.hotpath.app import RedirectApp  # noqa: E402
from portevoix.tracking.spool import web_after_commit  # noqa: E402

# django-stubs types WSGIHandler's result as HttpResponseBase; every response it returns
# iterates as bytes, as WSGI asks.
application = RedirectApp(django_application, after_commit=web_after_commit())  # type: ignore[arg-type]

# What start-up made (modules, functions, settings: about 160,000 objects) lives as long as the
# process: taken out of the cycle collector's sight, a full collection no longer walks it.
# Such a collection, which some page loads trigger, took 110–130 ms in a dashboard process and
# 37–44 ms after this (docs/metrics.md).
gc.freeze()
