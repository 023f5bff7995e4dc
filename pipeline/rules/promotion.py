"""Is a flagged claim promotion? The claim's own context decides first; the passage model is one signal.

Rules with ``outside_promotion`` (the advertising-law and evidence rules) keep their severity where a
claim is promotion and report at the lower one where it is not. The decision, in order:

1. **Evidence that it is not promotion** lowers it: the text reads as a fact-check (``refuting``) or
   as a research report (``research``: three of an abstract, methods, compared groups, P values or
   confidence intervals, references; or a structured abstract; or five in-text citations;
   :func:`pipeline.checks.advertorial.reports_research`), the claim's sentence reports a study
   (``cited``: 研究显示, a named publication, 发表于…, a study with its year, n=, an in-text reference
   [12]), or the claim is hedged (``hedged``). Negated claims are dropped and quoted or asked ones
   lowered before this step (:mod:`pipeline.rules.context`).
2. **Evidence that it is promotion** keeps it, whatever the passage model says (in a news report,
   ``news``, only a seller's voice or 该院, 专家团队 … before a first do; a claim there without them is
   lowered):
   - the claim's sentence, outside the claim itself, has a seller's subject or voice (本品, 我院, a
     ®/™ mark, 让您, 立即预约, 预约热线; ``PROMOTION_CUES``), a product as its subject (这款…; not in
     news, which shows products), or a medical institution or doctor named
     beside a superlative or a first (a hospital's ORG entity, 该院, 医生, 教授 … with 首例, 第一, 领先 …);
   - the input is shorter than one passage (one ad line, one listing): nothing around the claim says
     otherwise, so it stands as written;
   - the passage model scores the passage at least its threshold (it reads as advertising).
3. **The passage reads as information**: the model scores it under ``SOBER_SCORE`` (far below its
   threshold: none of the 126 development ad claims of months it never learned from scored lower) lowers it
   (``unpromoted``). Between the two bounds, the claim keeps its severity where its sentence is about
   health (``HEALTH``, or a disease, drug, body … entity) and is lowered the same way where it is not
   (a superlative about a steel or a car in the news).

With no advertorial model installed, step 3 never lowers a claim.
"""
from __future__ import annotations

import bisect
import re

from ..checks.advertorial import (MIN_PASSAGE, SCEPTIC, load_model, passage_scores, refutes, reports_news,
                                  reports_research)

# A passage scoring under this reads as information, not advertising (see the module docstring).
SOBER_SCORE = 0.5

# A seller's subject or voice in the claim's sentence: the product or institution that speaks of
# itself, a brand mark, the customer addressed, a call to buy, book or call. (Words that a report of
# a sale uses too, 优惠, 特价, 见效, are left out: news on scams and products quotes them, and the
# price and solicitation rules match them themselves.)
PROMOTION_CUES = re.compile(
    r"本品|本产品|本店|本院|我院|本诊所|本中心|本机构|我们的(?:产品|技术|疗法|方案|服务|课程|团队)|本款|[®™]|"
    r"让您|帮您|助您|令您|给您|还您|您的(?:肌肤|皮肤|头发|身体|健康)|"
    r"(?:立即|马上|赶快|赶紧|欢迎)(?:预约|咨询|购买|下单|抢购|来电|订购)|(?:预约|订购)(?:电话|热线)")
# A product as the subject of the claim: 这款面霜能…, before the claim in its sentence.
PRODUCT_SUBJECT = re.compile(r"(?:这|此|该)款")
# Firsts and superlatives that, beside a named medical institution or doctor (or 该院, 该团队), are
# the institution's promotion. A company, a university or a person of another trade beside 全球最大 or
# 唯一 is business news.
# 最高 of a name (最高人民法院, 最高人民检察院, 最高法) is no superlative.
_FIRST = re.compile(r"首例|首家|首创|首个|第一|领先|一流|顶尖|权威|最[大强好先早多全]|最高(?!人民|法院?|检)|独家|唯一|填补")
_INSTITUTION = re.compile(r"该院|该中心|该科|(?:专家|医疗|手术)团队|(?:医生|医师|教授|主任|院长)(?:团队)?")
_MEDICAL_ORG = re.compile(r"医院|诊所|门诊|医疗|卫生院|医学中心|治疗中心")
# Characters before the claim in which the institution is its subject. (An institution beside a cure
# or a success rate alone is not enough: sober news quotes hospitals and experts on treatments all
# the time; on the development articles it doubled the warnings there.)
INSTITUTION_REACH = 24

# A study reported (研究显示, 发表于…, n=): "研究证实", "临床实证" and "实验证明" are left out, since adverts
# and rumours prove their claims with them.
# A sentence that reports a trial's own figures: a share with its counts (78.5%（42/48）, 42/48例（87.5%）),
# a P value or test statistic, compared arms (观察组, 对照组). None of the 528 real ad claims carries one.
CLINICAL_REPORT = (r"\d+(?:\.\d+)?\s?%\s?[（(]\s?\d+\s?/\s?\d+|\d+\s?/\s?\d+\s?例?\s?[（(]\s?\d+(?:\.\d+)?\s?%|"
                   r"[Pp]\s?[<＜=≤>]\s?0?\.\d|(?:χ2|χ²|\b[tF])\s?(?:\([\d, ]+\))?\s?=\s?-?\d|观察组|对照组|治疗组|实验组|安慰剂组")
# A study that is not told apart (有研究表明, 有些研究, 国外研究发现, 最新研究显示) is a vague source, not a citation.
CITATION = re.compile(r"(?<![有些外新际])研究(?:显示|表明|发现|指出)|发表(?:于|在)|刊(?:登|发)(?:于|在)|期刊|杂志上|荟萃分析|[nN]\s?=\s?\d|"
                      r"\[\d+(?:[,，\-–～~]\d+)*\]|[A-Za-z] et al\.|"
                      r"\d{4}年[^。；]{0,20}(?:研究|报告|指南)|指南(?:推荐|指出|建议)|" + CLINICAL_REPORT)
_CITED = ("PUBLICATION",)
# A claim about health names something of the body, a disease, a drug, a treatment or care; a
# superlative about a steel, a car or a policy in the news is no health claim.
_HEALTH_LABELS = {"DISEASE", "DRUG", "SYMPTOM", "THERAPY", "BODY", "PROCEDURE", "BIOMARKER", "MICROBE", "DEVICE"}
HEALTH = re.compile(r"健康|医|药|病|疗|症|患|保健|养生|营养|免疫|肌肤|皮肤|头发|发量|睡眠|减肥|瘦身|体重|血|癌|瘤|"
                    r"身体|体质|美容|护肤|保养|食品|食物|饮食|膳食|补充剂|胶囊|益生菌|疫苗")
# A citation answers a claim of efficacy or an unsourced figure; it does not answer a mouse result
# sold as patient hope (preclinical), which is oversold whatever it cites.
CITATION_DOES_NOT_ANSWER = {"preclinical"}
# A claim that a source is vague or missing is not answered by its own words (研究显示 flagged as vague
# cites nothing): for these the citation must lie outside the flagged span.
CITATION_OUTSIDE = {"vague_source", "unsourced"}
# A vague source (有研究表明, 专家表示) is how ordinary health answers talk too: it warns only on positive
# evidence of promotion (a short text, a seller's voice, a passage over the threshold), not in the
# middle band that keeps a banned claim's warning.
NEEDS_PROMOTION = {"vague_source"}


def judge(a, start: int, end: int, category: str, labels: set[str], model_name: str | None) -> str | None:
    """The reason the claim ``start:end`` is lowered (``refuting``, ``research``, ``cited``, ``hedged``,
    ``unpromoted``), or None where it keeps its severity; ``labels`` are its context labels (:func:`assess`)."""
    if refutes(a):
        return "refuting"
    if reports_research(a):
        return "research"
    if "hedged" in labels or _doubted(a, start, model_name):
        return "hedged"
    sentence = a.sentence_of(start)
    if category not in CITATION_DOES_NOT_ANSWER and _cites(a, sentence, (start, end) if category in CITATION_OUTSIDE else None):
        return "cited"
    news = reports_news(a)
    if _promotes(a, sentence, start, end, news=news):
        return None
    if news:
        return "news"
    model = load_model(model_name)
    if model is None or len(a.norm.strip()) < MIN_PASSAGE:
        return None
    score = _passage_score(a, start, model)
    if score >= model.threshold:
        return None
    if score < SOBER_SCORE or not _about_health(a, sentence) or category in NEEDS_PROMOTION:
        return "unpromoted"
    return None


def _about_health(a, sentence: tuple[int, int]) -> bool:
    s, e = sentence
    return bool(HEALTH.search(a.norm, s, e)) or any(x.label in _HEALTH_LABELS for x in _entities_near(a, sentence))


def _cites(a, sentence: tuple[int, int], outside: tuple[int, int] | None = None) -> bool:
    """A study or publication reported in the sentence; with ``outside``, one that does not overlap that span."""
    s, e = sentence
    lo, hi = outside if outside is not None else (e, s)

    def apart(x: int, y: int) -> bool:
        return y <= lo or x >= hi

    return any(apart(*m.span()) for m in CITATION.finditer(a.norm, s, e)) or any(
        x.label in _CITED and apart(x.start, x.end) for x in _entities_near(a, sentence))


def _promotes(a, sentence: tuple[int, int], start: int, end: int, news: bool = False) -> bool:
    """Promotion cues in the claim's sentence, outside the claim itself (a solicitation is not its own
    evidence); a product as its subject; or an institution or doctor named beside a first or a
    superlative. In ``news`` (which shows products and names hospitals) it leaves out the
    product as subject and a hospital's name: only the seller's voice and 该院, 专家团队 … count."""
    s, e = sentence
    parts = ((s, start), (end, e))
    if any(PROMOTION_CUES.search(a.norm, lo, hi) for lo, hi in parts):
        return True
    if not news and PRODUCT_SUBJECT.search(a.norm, s, start):
        return True
    if not _FIRST.search(a.norm, s, e):
        return False
    lo = max(s, start - INSTITUTION_REACH)
    if news:  # a hospital named beside a first is reported (澳门协和医院是…首家); 该院, 专家团队 still speak
        return bool(_INSTITUTION.search(a.norm, lo, start))
    # the institution is the claim's subject: named shortly before it (该院首创, XX医院团队完成国内首例), not a
    # name that holds the claim (加沙地带唯一一家癌症治疗医院 describes a hospital, it does not speak)
    return bool(_INSTITUTION.search(a.norm, lo, start)) or any(
        x.label == "ORG" and lo <= x.start and x.end <= start and _MEDICAL_ORG.search(a.norm, x.start, x.end)
        for x in _entities_near(a, sentence))


def _entities_near(a, sentence: tuple[int, int]) -> list:
    """The entities that start inside ``sentence`` (by bisection over their starts, sorted once a text)."""
    ordered = a.__dict__.get("_entities_by_start")
    if ordered is None:
        ordered = a.__dict__["_entities_by_start"] = sorted(a.entities, key=lambda x: x.start)
        a.__dict__["_entity_starts"] = [x.start for x in ordered]
    starts = a.__dict__["_entity_starts"]
    return ordered[bisect.bisect_left(starts, sentence[0]):bisect.bisect_left(starts, sentence[1])]


def _doubted(a, pos: int, model_name: str | None) -> bool:
    """Whether the passage that holds ``pos`` doubts what it reports (``advertorial.SCEPTIC``: 看法并不统一,
    有待证实, 还需要更多…实验): it weighs the evidence, and its claims are reported, not sold."""
    model = load_model(model_name)
    passage = _passage(a, pos, model) if model is not None else None
    return passage is not None and bool(SCEPTIC.search(a.norm, passage[0], passage[1]))


def _passage(a, pos: int, model) -> tuple[int, int, float] | None:
    """The scored passage that holds ``pos`` (the last one past the end; None in an empty text)."""
    scores = passage_scores(a, model)
    for passage in scores:  # passages are few; a linear look-up is enough
        if pos < passage[1]:
            return passage
    return scores[-1] if scores else None


def _passage_score(a, pos: int, model) -> float:
    passage = _passage(a, pos, model)
    return passage[2] if passage is not None else 0.0
