"""Numeric claims: each number tied to its metric, relation, subject, sample size and sources.

A claim is built for every number in a sentence that states a quantity about something (dates and
ordinals are context, not claims). The metric is the nearest METRIC entity before the number in its
clause; the relation is the verb between them; the subject is the nearest group (治疗组), therapy,
drug or procedure before the metric; the sample size is a count of people in the sentence; sources
are the publications, trials and institutions named in the sentence.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .analysis import Analysis
from .entities import Entity
from .sentences import clause_start

RELATIONS = [
    (re.compile(r"从[^,;。]{0,12}?(?:降至|降低到|下降到|减少到|减至)"), "decrease"),
    (re.compile(r"从[^,;。]{0,12}?(?:升至|提高到|增加到|增至|提升至|提升到)"), "increase"),
    (re.compile(r"(?:高于|低于|优于|劣于|vs\.?|VS|对比|相比|相较)"), "compare"),
    (re.compile(r"(?:提升|提高|增加|增长|上升|升高|增强|增至|升至)"), "increase"),
    (re.compile(r"(?:下降|降低|减少|缩小|衰减|减轻|减弱|降至|减至|缩短)"), "decrease"),
    (re.compile(r"(?:延长)"), "extend"),
    (re.compile(r"(?:突破|超过|超|逾|高达)"), "exceed"),
    (re.compile(r"(?:达到|达|为|是|约为|仅为|只有|在|实现|:)"), "reach"),
]
SUBJECT_LABELS = ("THERAPY", "DRUG")  # a procedure (CT, 回输) is how, not what, is measured
GROUP = re.compile(r"[^\s,;:。!?，；：、的]{1,14}?组(?![合织成建分别])")
PEOPLE_UNITS = {"例", "人"}
SOURCE_LABELS = ("PUBLICATION", "TRIAL", "ORG")
EVIDENCE = [
    (re.compile(r"荟萃分析|[Mm]eta分析|系统评价|汇总分析"), "meta_analysis"),
    (re.compile(r"随机对照|随机双盲|RCT"), "rct"),
    (re.compile(r"(?:Ⅲ|III|3|三)期(?:临床)?(?:试验|研究)"), "phase_3"),
    (re.compile(r"(?:Ⅱ|II|2|二)期(?:临床)?(?:试验|研究)"), "phase_2"),
    (re.compile(r"(?:Ⅰ|I|1|一)期(?:临床)?(?:试验|研究)"), "phase_1"),
    (re.compile(r"小鼠|大鼠|动物(?:实验|模型)|猴|犬|斑马鱼|模型鼠"), "preclinical_animal"),
    (re.compile(r"体外|细胞实验|细胞系|培养皿|试管"), "preclinical_in_vitro"),
    (re.compile(r"队列研究|前瞻性研究|回顾性研究|随访研究"), "cohort"),
    (re.compile(r"\d+例[^,;。]{0,10}(?:患者|病例)[^,;。]{0,8}(?:研究|分析)|病例系列"), "case_series"),
    (re.compile(r"\d+岁[^,;。]{0,12}患者|个案|病例报告|案例"), "case_report"),
    (re.compile(r"指南|共识|规范"), "guideline"),
    (re.compile(r"专家(?:表示|认为|指出|称)"), "expert_opinion"),
]
NOT_CLAIMS = {"date", "ordinal"}
LIST_BREAK = frozenset(",;:。!?，；：、")  # an enumeration comma ends a metric's reach too


@dataclass
class Claim:
    start: int
    end: int
    id: str
    kind: str = "numeric"
    subject: str | None = None
    metric: str | None = None
    relation: str | None = None
    numbers: list[str] = field(default_factory=list)
    evidence_level: str = "none_stated"
    sources: list[str] = field(default_factory=list)
    sample_size: int | None = None
    sentence: tuple[int, int] = (0, 0)

    def to_dict(self, text: str) -> dict:
        return {"id": self.id, "start": self.start, "end": self.end, "kind": self.kind, "subject": self.subject,
                "metric": self.metric, "relation": self.relation, "numbers": list(self.numbers),
                "evidence_level": self.evidence_level, "sources": list(self.sources),
                "sample_size": self.sample_size}


def evidence_level(text: str) -> str:
    for pattern, level in EVIDENCE:
        if pattern.search(text):
            return level
    return "none_stated"


def build_claims(a: Analysis) -> list[Claim]:
    """Claims for the numbers of an analysed document, sentence by sentence."""
    norm, text = a.norm, a.text
    claims: list[Claim] = []
    ents_by_sentence: dict[int, list[Entity]] = {}
    for e in a.entities:
        i = a.sentence_index(e.start)
        if i >= 0 and e.end <= a.sentences[i][1]:
            ents_by_sentence.setdefault(i, []).append(e)
    for i, (s_start, s_end) in enumerate(a.sentences):
        nums = a.numbers_in((s_start, s_end))
        if not nums:
            continue
        sent_ents = ents_by_sentence.get(i, [])
        metrics = _Before([e for e in sent_ents if e.label == "METRIC"])
        biomarkers = _Before([e for e in sent_ents if e.label == "BIOMARKER"])
        subjects = _Before([e for e in sent_ents if e.label in SUBJECT_LABELS])
        groups = _Groups(norm, s_start, s_end)
        sent_text = norm[s_start:s_end]
        people = [n for n in nums if n.kind == "count" and n.note != "article"
                  and (n.label == "n" or (n.unit in PEOPLE_UNITS))]
        people_ids = {id(n) for n in people}
        sources = sorted({text[e.start:e.end] for e in sent_ents if e.label in SOURCE_LABELS},
                         key=lambda s: (sent_text.find(s), s))  # ties by text: a record never depends on hashing
        level = evidence_level(sent_text)
        for k, n in enumerate(nums):
            if n.kind in NOT_CLAIMS or n.note == "article" or id(n) in people_ids:
                continue  # 一种, 一次: an article, not a quantity claimed
            clause_begin = clause_start(norm, s_start, n.start, LIST_BREAK)
            # the measured thing: a metric (疾病控制率), else a biomarker whose level is given (CCL-18)
            metric_ent = metrics.last(n.start, clause_begin) or biomarkers.last(n.start, clause_begin)
            anchor = metric_ent.start if metric_ent else n.start
            between = norm[(metric_ent.end if metric_ent else clause_begin):n.start]
            relation = next((rel for pat, rel in RELATIONS if pat.search(between)), None)
            if relation is None and metric_ent is not None:
                relation = "reach"  # 疾病控制率92.3: a metric followed by its value states it
            group = groups.last(anchor)
            subject_ent = subjects.last(anchor, s_start)
            subject = None
            if group and (not subject_ent or group.end() >= subject_ent.end):
                subject = text[group.start():group.end()]
            elif subject_ent:
                subject = text[subject_ent.start:subject_ent.end]
            kind = "comparative" if relation == "compare" else "numeric"
            start = min(anchor, n.start) if metric_ent else n.start
            claim = Claim(start=start, end=n.end, id=f"C{len(claims) + 1}", kind=kind, subject=subject,
                          metric=text[metric_ent.start:metric_ent.end] if metric_ent else None,
                          relation=relation, numbers=[n.id], evidence_level=level, sources=sources,
                          sample_size=int(people[0].value) if people and isinstance(people[0].value, (int, float)) else None,
                          sentence=(s_start, s_end))
            if relation == "compare":
                # 173.39 vs 188.54, 高于对照组的69.2: the claim holds the pair it compares
                partner = next((m for m in reversed(nums[:k]) if m.end <= n.start and m.kind not in NOT_CLAIMS
                                and id(m) not in people_ids and (m.unit == n.unit or m.kind == n.kind)), None)
                if partner is not None:
                    claim.numbers.insert(0, partner.id)
                    claim.start = min(claim.start, partner.start)
            claims.append(claim)
    return claims


class _Before:
    """Spans sorted by start; ``last(pos, floor)`` is the last one (in that order) that ends by ``pos``
    and starts at or after ``floor``, found by bisection rather than a scan of the sentence (a long
    sentence with many numbers would make the scan quadratic)."""

    def __init__(self, spans) -> None:
        self.spans = sorted(spans, key=lambda e: e.start)
        self.starts = [e.start for e in self.spans]

    def last(self, pos: int, floor: int):
        i = bisect.bisect_left(self.starts, pos) - 1  # spans starting before pos
        while i >= 0 and self.spans[i].start >= floor:
            if self.spans[i].end <= pos:
                return self.spans[i]
            i -= 1
        return None


GROUP_REACH = 16  # the most characters a GROUP match reads: 15 matched and one looked ahead


class _Groups:
    """The last GROUP match before an anchor, as ``GROUP.finditer(norm, s_start, anchor)`` would
    give it, without scanning from the sentence start for every number: attempts that read no
    further than the anchor give the same matches in a scan of the whole sentence, so only the last
    ``GROUP_REACH`` characters before the anchor are scanned again."""

    def __init__(self, norm: str, start: int, end: int) -> None:
        self.norm, self.start = norm, start
        self.matches = list(GROUP.finditer(norm, start, end))
        self.starts = [m.start() for m in self.matches]

    def last(self, anchor: int):
        j = bisect.bisect_right(self.starts, anchor - GROUP_REACH)
        before = self.matches[j - 1] if j else None
        resume = max(before.end() if before else self.start, anchor - GROUP_REACH + 1, self.start)
        tail = None
        for tail in GROUP.finditer(self.norm, resume, anchor):
            pass
        return tail or before
