"""The agencies' read-only JSON API under /api/v1/ (issue 21, item 6): bearer tokens, final results only.
The blueprint is in views.py; errors.py is the JSON error shape the app's error handlers use under /api/."""
