"""The public portal for civil society: server-rendered pages (Jinja), feeds, open data and
live updates, all from the public read models. Bahasa Indonesia first, English on request."""
