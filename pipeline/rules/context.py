"""ConText for Chinese health text: is a match negated, hedged, or someone else's quoted claim?

As medspaCy's ConText does for clinical notes, cue words mark the text after them (in the same
clause) as negated (不能根治, 并非唯一) or hedged (可能, 有望). A match inside quotation marks in a
passage that debunks (谣言, 没有证据, 事实上 ...), or after a rumour cue (网传, 号称, 所谓 ...) in its
sentence, is a quoted claim, not the author's. Many health articles are debunks that quote the
advert they refute.
"""
from __future__ import annotations

import bisect
import re

from ..sentences import clause_start

NEGATION = re.compile(r"(?:无任何|无药|不能|不可能|无法|难以|并非|并不|不是|未能|未|没有|尚无|尚未|不会|不应|不得|禁止|严禁|切勿|"
                      r"谨防|警惕|不存在|否认|并无|不宜|不要|别|勿|非)[^,;:。!?，；：]{0,6}$"
                      # 很难治愈, 难康复: 难 right before the match (not 困难, 疑难 and other words in 难)
                      r"|(?<![困疑灾艰苦磨患遇避责刁])难$")
# 被认为/普遍认为 attribute the claim to received opinion (丙肝病毒被认为是可治愈的疾病): in 1,250 labelled
# rumours and answers 26 of 29 uses are in ordinary answers; none in the 528 real ad claims.
HEDGE = re.compile(r"(?:可能|或许|有望|也许|似乎|大概|或将|可望|不排除|被认为|被視為|被認為|被视为|普遍认为|一般认为|通常认为)"
                   r"[^,;:。!?，；：]{0,8}$")
# Cues that a claim is a rumour whatever follows; and reporting verbs that quote someone's claim,
# which make it a quotation only where the passage also debunks it.
RUMOUR = re.compile(r"网传|谣言|据传|流传|传言|传闻|朋友圈(?:疯传|流传)|据说|广告(?:宣传)?中|宣传中|商家(?:宣称|声称|称|宣传)|"
                    r"骗子|诈骗|忽悠|(?:公司|商家|厂家|厂商|企业|网友|文章|帖子|视频|广告)(?:声|宣)?称")
REPORTED = re.compile(r"号称|声称|宣称|所谓|有文章称|有帖子称|短视频称|视频称|广告称|宣传称|宣传|鼓吹|吹嘘|自称|打着")
# Words that talk about an expression rather than use it (“根治”等用语): the quoted term is mentioned.
MENTION = re.compile(r"用语|字样|词语|词汇|字眼|表述|说法|这类词|等词")
DEBUNK = re.compile(r"不实|辟谣|谣言|误区|伪科学|没有[^,;。]{0,8}(?:证据|依据|根据)|缺乏[^,;。]{0,8}(?:证据|依据|研究)|"
                    r"不可信|不可轻信|违背|夸大|虚假|骗局|并非如此|事实上|实际上|其实|从未|真相|不靠谱|智商税|别信|不要信|"
                    r"并不等于|不等于|不代表|并不意味|误导|所谓[^,;。]{0,40}的说法")
# A clause that ends in a question mark asks; the flagged words are not asserted (椰子油更健康？).
QUESTION_END = re.compile(r"[？?]")
QUOTES = re.compile(r"“[^”\n]{1,200}”|《[^》\n]{1,80}》|\"[^\"\n]{1,200}\"|「[^」\n]{1,200}」|『[^』\n]{1,200}』")


HEAD_REACH = 16  # NEGATION and HEDGE look at most this far back from a match (a cue and its gap)


def assess(norm: str, sentence: tuple[int, int], paragraph: tuple[int, int], start: int, end: int,
           cache: dict | None = None) -> set[str]:
    """The context labels of the span ``start:end``: any of negated, hedged, quoted, question.

    ``cache`` (a dict kept for one text) holds what is found once a paragraph or sentence, so that a
    document with thousands of matches in one paragraph is not scanned once a match.
    """
    cache = {} if cache is None else cache
    labels: set[str] = set()
    head = norm[clause_start(norm, max(sentence[0], start - HEAD_REACH), start):start]
    if NEGATION.search(head):
        labels.add("negated")
    if HEDGE.search(head):
        labels.add("hedged")
    if _asks(norm, sentence, end):
        labels.add("question")
    para = _paragraph(norm, paragraph, cache)
    if _before(RUMOUR, norm, sentence, start, cache) or (para.debunked and _before(REPORTED, norm, sentence, start, cache)):
        labels.add("quoted")
        return labels
    i = bisect.bisect_right(para.quote_starts, start - 1) - 1  # the last quotation opening before the match
    if i >= 0 and end <= para.quotes[i][1]:
        key = ("mention", sentence)
        if key not in cache:
            cache[key] = bool(MENTION.search(norm, sentence[0], sentence[1]))
        if para.debunked or para.rumour or para.reported or cache[key] or norm[para.quotes[i][0]] == "《":
            labels.add("quoted")  # a title in 《》 names a work; it asserts nothing
    return labels


class _Paragraph:
    def __init__(self, norm: str, span: tuple[int, int]) -> None:
        text = norm[span[0]:span[1]]
        self.debunked = bool(DEBUNK.search(text))
        self.rumour = bool(RUMOUR.search(text))
        self.reported = bool(REPORTED.search(text))
        self.quotes = [m.span() for m in QUOTES.finditer(norm, span[0], span[1])]
        self.quote_starts = [s for s, _ in self.quotes]


def _paragraph(norm: str, span: tuple[int, int], cache: dict) -> _Paragraph:
    key = ("paragraph", span)
    if key not in cache:
        cache[key] = _Paragraph(norm, span)
    return cache[key]


def _asks(norm: str, sentence: tuple[int, int], end: int) -> bool:
    """Whether the clause holding the match ends in a question mark: the next sentence-level stop after
    the match (。！？!?；; or the sentence end) is a question mark."""
    m = _STOP.search(norm, end, sentence[1])
    if m is None:  # the sentence ends without a stop: look at the character it ends on
        return sentence[1] < len(norm) and norm[sentence[1]:sentence[1] + 1] in "？?"
    return m.group() in "？?"


_STOP = re.compile(r"[。！？!?；;\n]")


def _before(pattern: re.Pattern, norm: str, sentence: tuple[int, int], start: int, cache: dict) -> bool:
    """``pattern.search(norm, sentence[0], start)``, from the sentence's first match found once."""
    key = (pattern.pattern, sentence)
    if key not in cache:
        cache[key] = pattern.search(norm, sentence[0], sentence[1])
    first = cache[key]
    if first is None or first.start() >= start:
        return False
    if first.end() <= start:
        return True
    return bool(pattern.search(norm, sentence[0], start))  # the first match runs past start: look again
