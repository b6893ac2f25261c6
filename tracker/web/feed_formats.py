"""A feed (a dict of its fields and items) written as Atom (RFC 4287) or JSON Feed 1.1.

XML is built with ElementTree, so user-supplied titles are always escaped; `clean` drops
the characters XML 1.0 cannot carry.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree as ET

import msgspec

ATOM = "http://www.w3.org/2005/Atom"
JSON_FEED = "https://jsonfeed.org/version/1.1"
MEDIA = {"atom": "application/atom+xml; charset=utf-8", "json": "application/feed+json"}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def atom(feed: dict[str, Any]) -> bytes:
    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, tag, attrs)
        element.text = text
        return element

    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": feed["language"]})
    sub(root, "id", feed["id"])
    sub(root, "title", feed["title"], type="text")
    sub(root, "subtitle", feed["description"], type="text")
    sub(root, "updated", feed["updated"])
    sub(root, "link", rel="self", type=MEDIA["atom"].split(";")[0], href=feed["self"])
    sub(root, "link", rel="alternate", type="text/html", href=feed["home"])
    sub(root, "link", rel="alternate", type=MEDIA["json"], href=feed["json"])
    sub(sub(root, "author"), "name", feed["author"])
    sub(root, "generator", feed["author"])
    for item in feed["items"]:
        entry = sub(root, "entry")
        sub(entry, "id", item["id"])
        sub(entry, "title", item["title"], type="text")
        sub(entry, "updated", item["at"])
        sub(entry, "published", item["at"])
        sub(entry, "link", rel="alternate", type="text/html", href=item["url"])
        sub(sub(entry, "author"), "name", item["author"])
        sub(entry, "category", term=item["type"])
        sub(entry, "summary", item["summary"], type="text")
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body


def json_feed(feed: dict[str, Any]) -> bytes:
    items = [
        {
            "id": item["id"],
            "url": item["url"],
            "title": item["title"],
            "content_text": item["summary"],
            "date_published": item["at"],
            "authors": [{"name": item["author"]}],
            "tags": [item["type"]],
            "_pelacak": {
                "position": item["position"],
                "type": item["type"],
                "aggregate": item["aggregate"],
                "aggregate_id": item["aggregate_id"],
            },
        }
        for item in feed["items"]
    ]
    return msgspec.json.encode(
        {
            "version": JSON_FEED,
            "title": feed["title"],
            "description": feed["description"],
            "home_page_url": feed["home"],
            "feed_url": feed["self"],
            "language": feed["language"],
            "authors": [{"name": feed["author"]}],
            "items": items,
        }
    )
