"""Main text out of HTML and Markdown.

HTML goes through trafilatura (a maintained main-content extractor: it drops scripts, navigation,
headers, footers and comment sections). When it finds no main content (a fragment, a very short
page), a plain lxml walk keeps the text of the page less its non-content elements.
"""
from __future__ import annotations

import re

import trafilatura
from lxml import html as lxml_html
from markdown_it import MarkdownIt

_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "template",
         "svg", "button", "select", "head")
_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote",
          "pre", "table", "ul", "ol", "dd", "dt"}
_md = MarkdownIt("commonmark")


def html_to_text(markup: str) -> str:
    """The article text of an HTML page, paragraphs on their own lines."""
    text = None
    try:
        text = trafilatura.extract(markup, output_format="txt", include_comments=False, include_tables=True,
                                   include_images=False, include_links=False, deduplicate=False, favor_recall=True)
    except Exception:  # trafilatura raises assorted errors on broken markup; fall back below
        text = None
    if text and text.strip():
        return text.strip()
    return _plain_html_text(markup)


def _plain_html_text(markup: str) -> str:
    try:
        root = lxml_html.fromstring(markup)
    except Exception:
        return ""
    for el in root.iter(*_DROP):
        el.drop_tree() if el.getparent() is not None else None
    parts: list[str] = []

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _DROP:
            return
        if tag in _BLOCK:
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in _BLOCK:
            parts.append("\n")

    walk(root)
    text = "".join(parts)
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    return re.sub(r"\s*\n\s*", "\n", text).strip()


def markdown_to_text(source: str) -> str:
    """Markdown rendered, then its text: headings and paragraphs become lines, markup goes."""
    return _plain_html_text(f"<div>{_md.render(source)}</div>")
