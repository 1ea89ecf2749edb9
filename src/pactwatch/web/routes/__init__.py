"""One module per area of the dashboard; each serves a page and its JSON twin under /api."""
