"""Main text out of HTML and Markdown.

HTML goes through trafilatura (a maintained main-content extractor: it drops scripts, navigation,
headers, footers and comment sections). When it finds no main content (a fragment, a very short
page), a plain lxml walk keeps the text of the page less its non-content elements.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

from lxml import etree
from lxml import html as lxml_html
from markdown_it import MarkdownIt

_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "template",
         "svg", "button", "select", "head")
_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote",
          "pre", "table", "ul", "ol", "dd", "dt"}
_md = MarkdownIt("commonmark")
_PARSER = lxml_html.HTMLParser(huge_tree=True, remove_comments=True)


_CHROME = re.compile(r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|footer|header|sidebar|share|social|comments?|"
                     r"related|recommend|advert|ads?|banner|toolbar|copyright)(?:$|[\s_-])", re.IGNORECASE)
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search"}


def html_to_text(markup: str) -> str:
    """The article text of an HTML page, paragraphs on their own lines."""
    root = _parse(markup)
    if _too_deep():
        return _flat_text(markup)  # libxml2 stops at 2,048 levels and drops what lies deeper
    if root is None:
        return ""
    _drop_chrome(root)
    cleaned = lxml_html.tostring(root, encoding="unicode")
    import trafilatura  # imported for the first HTML page: a tenth of a second that text input never needs

    try:
        text = trafilatura.extract(cleaned, output_format="txt", include_comments=False, include_tables=True,
                                   include_images=False, include_links=False, deduplicate=False)
    except Exception:  # trafilatura raises assorted errors on broken markup; fall back below
        text = None
    if text and text.strip():
        return text.strip()
    return _tree_text(root)


def _parse(markup: str):
    try:
        return lxml_html.fromstring(markup, parser=_PARSER)
    except Exception:  # empty or unparseable markup
        return None


def _too_deep() -> bool:
    """Did the last parse stop at libxml2's nesting limit?"""
    return any(e.type_name == "ERR_RESOURCE_LIMIT" for e in _PARSER.error_log)


class _FlatText(HTMLParser):
    """Text of markup read as a stream of tags (no tree, so no depth limit): non-content elements
    skipped, block elements on their own lines. For pages nested too deep for lxml."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in _DROP:
            self.skipping.append(tag)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag) -> None:
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data) -> None:
        if not self.skipping:
            self.parts.append(data)


def _flat_text(markup: str) -> str:
    reader = _FlatText()
    reader.feed(markup)
    reader.close()
    text = re.sub(r"[ \t\u00a0]+", " ", "".join(reader.parts))
    return re.sub(r"\s*\n\s*", "\n", text).strip()


def _drop_chrome(root) -> None:
    """Remove scripts, styles and the page's navigation, header, footer and side bars."""
    doomed = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in _DROP or el.get("role") in _CHROME_ROLES:
            doomed.append(el)
        elif el.tag not in ("html", "body", "article", "main") and _CHROME.search(f"{el.get('class', '')} {el.get('id', '')}"):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


def _plain_html_text(markup: str) -> str:
    root = _parse(markup)
    if _too_deep():
        return _flat_text(markup)
    if root is None:
        return ""
    _drop_chrome(root)
    return _tree_text(root)


def _tree_text(root) -> str:
    """Text of the tree with block elements on their own lines (iterative: deep nesting is fine)."""
    parts: list[str] = []
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _BLOCK:
                parts.append("\n")
            if el.text and tag not in _DROP:
                parts.append(el.text)
        else:
            if tag in _BLOCK:
                parts.append("\n")
            if el.tail:
                parts.append(el.tail)
    if root.tail:
        parts.pop()
    text = "".join(parts)
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    return re.sub(r"\s*\n\s*", "\n", text).strip()


def markdown_to_text(source: str) -> str:
    """Markdown rendered, then its text: headings and paragraphs become lines, markup goes."""
    return _plain_html_text(f"<div>{_md.render(source)}</div>")
