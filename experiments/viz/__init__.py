"""The browser view's helpers (``app.py``): controls, figures, series, text, exports, views."""
