"""Page furniture at the edges of a text: navigation, feedback prompts, share bars, copyright lines.

Pages copied to text keep the site's chrome around the article ("返回顶部", "建议反馈", "分享到", a
menu of short links, an ICP licence line). These rules remove such lines from the start and the end
of a text, stopping at the first line that reads as content. They look at the shape of a line (short,
no sentence ending, a row of short items) and at the vocabulary of page interfaces, never at any
one site's strings, and they never touch the middle of the text.
"""
from __future__ import annotations

import re

# Words of page interfaces (navigation, sharing, feedback, account, legal), not of articles.
UI_CUES = re.compile(
    r"返回(?:顶部|首页|列表|上一页|目录)|回到顶部|顶部|首页|上一篇|下一篇|上一页|下一页|分享到?|收藏|点赞|评论|留言|"
    r"反馈|建议|举报|纠错|扫一扫|扫码|二维码|关注我们|关注|订阅|登录|注册|退出|版权所有|版权声明|免责声明|"
    r"责任编辑|编辑[:：]|来源[:：]|原标题|作者[:：]|阅读(?:原文|全文|量|数)|点击|打印|关闭窗口|字号|相关阅读|推荐阅读|"
    r"相关文章|热门文章|热点推荐|猜你喜欢|客服|联系我们|网站地图|友情链接|ICP|备案|©|copyright|all rights reserved|"
    r"微信|微博|下载APP|APP下载|客户端|广告|sponsored|share|print|back to top|home",
    re.IGNORECASE,
)
SENTENCE_END = tuple("。！？!?…”」")
MAX_LINE = 40


def is_boilerplate_line(line: str) -> bool:
    """Does this line look like page furniture rather than article text?

    >>> is_boilerplate_line("返回顶部 快速回到顶部")
    True
    >>> is_boilerplate_line("NK细胞疗法正从实验性治疗蜕变为肿瘤医疗的关键支柱。")
    False
    """
    s = line.strip()
    if not s:
        return True
    if len(s) > MAX_LINE:
        return bool(re.search(r"©|版权所有|ICP备|all rights reserved", s, re.IGNORECASE)) and len(s) < 120
    cue = UI_CUES.search(s)
    items = [p for p in re.split(r"[\s|｜/·•>»]+", s) if p]
    menu = len(items) >= 3 and all(len(p) <= 6 for p in items) and not s.endswith(SENTENCE_END)
    if menu:
        return True
    if cue and not s.endswith(("。", "？", "?")):
        return True
    return False


def strip_edges(text: str) -> tuple[int, int]:
    """Return ``(start, end)`` of the content of ``text`` with edge boilerplate lines removed."""
    lines = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        lines.append((pos, pos + len(raw), raw))
        pos += len(raw)
    lo, hi = 0, len(lines)
    while lo < hi and is_boilerplate_line(lines[lo][2]):
        lo += 1
    while hi > lo and is_boilerplate_line(lines[hi - 1][2]):
        hi -= 1
    if lo >= hi:
        return 0, 0
    start, end = lines[lo][0], lines[hi - 1][1]
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end
