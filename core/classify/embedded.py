"""The embedded classifier: offline, instant, and able to say why.

It reads what was said, finds the cues of core.classify.cues, adds up their
weights, and writes the reason, the evidence lines and an agent-ready summary
from the cues that decided.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from core.classify.base import LEAD_REASON_START, CallForReview, Line, Verdict
from core.classify.cues import CUES, NEED_WEIGHT, SERVICES, Cue, Kind
from core.classify.lexicon import Lexicon, default_lexicon
from core.classify.matcher import PhraseMatcher

BIAS = -1.5  # with nothing said, a call is not a lead
AGENT_NEED_SHARE = 0.5  # a need only the agent named counts for half
PUSH_CAP = 3.0
MAX_EVIDENCE = 5
CUE_LIMIT = 4.0  # how far the cues alone can push a call either way

TELLING_LINES = 2  # lines whose words weighed most, added to the evidence
QUOTE_CHARS = 140
QUESTION = re.compile(r"[^.!?]*\?")


# What to say on the call-back, by the reason it went unbooked, most telling first.
ADVICE: dict[str, str] = {
    "dropped": "the line dropped mid-call; pick up where it left off and book it.",
    "shopping": "call before they choose another company; offer the earliest slot.",
    "price": "lead with the value of the visit and be ready to explain the fee.",
    "call_back_later": "they meant to call back; make it easy: offer two times and book one.",
    "no_slot": "offer the first opening or a place on the cancellation list.",
    "urgent": "offer the earliest emergency slot.",
}
DEFAULT_ADVICE = "ask whether they still need help and offer a time."


@dataclass
class _Found:
    """Which cues matched, and on which lines."""

    services: dict[str, list[int]] = field(default_factory=dict)
    service_by_customer: dict[str, bool] = field(default_factory=dict)
    cues: dict[str, list[int]] = field(default_factory=dict)


class EmbeddedClassifier:
    name = "embedded"
    batch_size = 200  # some 40 ms of work: claims and writes are the cost to amortise

    def __init__(self, cues: tuple[Cue, ...] = CUES, lexicon: Lexicon | None = None) -> None:
        self.cues = {cue.name: cue for cue in cues}
        self.lexicon = lexicon or default_lexicon()
        # One matcher over every phrase; each phrase remembers whose it is.
        owners: list[tuple[str, str]] = []  # ("service" | "cue", name)
        phrases: list[str] = []
        for name, service_phrases in SERVICES:
            owners += [("service", name)] * len(service_phrases)
            phrases += service_phrases
        for cue in cues:
            owners += [("cue", cue.name)] * len(cue.phrases)
            phrases += cue.phrases
        self._owners = owners
        self._matcher = PhraseMatcher(phrases)

    def classify(self, call: CallForReview) -> Verdict:
        lines = call.transcript
        is_agent = speaker_roles(lines)
        found = self._find(lines, is_agent)
        cue_score, service, pushes, rule_outs, rescues = self._score(found)
        said = [(line.text, agent) for line, agent in zip(lines, is_agent, strict=True)]
        # The cues are sure of what they know; the words weigh in on everything else.
        score = max(-CUE_LIMIT, min(CUE_LIMIT, cue_score)) + self.lexicon.score(said)
        lead = score > 0
        confidence = round(1 / (1 + math.exp(-abs(score))), 3)
        reason = _reason(lead, service, pushes, rule_outs, rescues, self.cues)
        evidence = self._evidence(found, lead, service, pushes + rescues, rule_outs)
        # The words overruled the cues and the cues have little to show for the verdict:
        # show the lines whose words decided.
        if lead != (cue_score > 0) and len(evidence) < TELLING_LINES:
            evidence = _with_telling_lines(evidence, lines, self.lexicon.leanings(said), lead)
        summary = _summary(call, lead, service, pushes, reason, evidence)
        return Verdict(lead, confidence, reason, evidence, summary)

    def _find(self, lines: tuple[Line, ...], is_agent: list[bool]) -> _Found:
        found = _Found()
        trust_labels = _labels_trusted(lines)
        texts = [line.text.lower().replace("\n", " ") for line in lines]
        hits: dict[tuple[str, str], set[int]] = {}
        for phrase, line_numbers in self._matcher.match(texts).items():
            hits.setdefault(self._owners[phrase], set()).update(line_numbers)
        for (kind, name), line_numbers in sorted(hits.items()):
            for n in sorted(line_numbers):
                if kind == "service":
                    found.services.setdefault(name, []).append(lines[n].index)
                    if not is_agent[n]:
                        found.service_by_customer[name] = True
                    continue
                cue = self.cues[name]
                if cue.who == "customer" and is_agent[n]:
                    continue
                if cue.who == "agent" and trust_labels and not is_agent[n]:
                    continue
                if cue.statements_only and not self._in_statements(cue, texts[n]):
                    continue
                found.cues.setdefault(name, []).append(lines[n].index)
        return found

    @staticmethod
    def _in_statements(cue: Cue, text: str) -> bool:
        """Does the cue hold in what the line states, its questions left out?"""
        statements = QUESTION.sub(" ", text)
        return any(re.search(phrase, statements) for phrase in cue.phrases)

    def _score(self, found: _Found) -> tuple[float, str | None, list[str], list[str], list[str]]:
        service = _main_service(found)
        score = BIAS
        if service is not None:
            by_customer = any(found.service_by_customer.get(s) for s in found.services)
            score += NEED_WEIGHT if by_customer else NEED_WEIGHT * AGENT_NEED_SHARE
        matched = [self.cues[name] for name in found.cues]
        cancelled = {name for cue in matched if cue.kind is Kind.RESCUE for name in cue.cancels}
        pushes = [c.name for c in matched if c.kind is Kind.PUSH]
        present = {c.name for c in matched}
        rescues = [
            c.name
            for c in matched
            if c.kind is Kind.RESCUE
            and service is not None
            and (c.alone or present.intersection(c.cancels))
        ]
        rule_outs = [c.name for c in matched if c.kind is Kind.RULE_OUT and c.name not in cancelled]
        if service is not None:
            score += min(PUSH_CAP, sum(self.cues[n].weight for n in pushes))
        score += sum(self.cues[n].weight for n in rescues)
        score += sum(self.cues[n].weight for n in rule_outs)
        pushes.sort(key=lambda n: -self.cues[n].weight)
        rule_outs.sort(key=lambda n: self.cues[n].weight)
        return score, service, pushes, rule_outs, rescues

    def _evidence(
        self,
        found: _Found,
        lead: bool,
        service: str | None,
        for_lead: list[str],
        against: list[str],
    ) -> tuple[int, ...]:
        picked: list[int] = []
        if lead:
            if service is not None:
                picked += found.services[service][:2]
            for name in for_lead:
                picked += found.cues[name][:1]
        else:
            for name in against:
                picked += found.cues[name][:2]
        return tuple(sorted(set(picked))[:MAX_EVIDENCE])


GREETING = re.compile(
    r"\b(thanks? (you )?for calling|this is \w+( speaking)?|how (can|may) i help|"
    r"habla \w+|\w+ speaking)\b"
)


def _labels_trusted(lines: tuple[Line, ...]) -> bool:
    speakers = {line.speaker for line in lines}
    return "customer" in speakers and "agent" in speakers


def speaker_roles(lines: tuple[Line, ...]) -> list[bool]:
    """Which lines the agent said. With one speaker label (or none we know), every line
    may be the caller's; labels that speech-to-text swapped are swapped back."""
    trusted = _labels_trusted(lines)
    is_agent = [trusted and line.speaker == "agent" for line in lines]
    if trusted and _labels_swapped(lines):
        is_agent = [not agent for agent in is_agent]
    return is_agent


def _labels_swapped(lines: tuple[Line, ...]) -> bool:
    """Speech-to-text sometimes swaps the labels: the company's greeting tells who is who."""
    opening = lines[0] if lines else None
    return (
        opening is not None
        and opening.speaker == "customer"
        and GREETING.search(opening.text.lower()) is not None
        and not any(
            GREETING.search(line.text.lower()) for line in lines[1:3] if line.speaker == "agent"
        )
    )


def _with_telling_lines(
    evidence: tuple[int, ...], lines: tuple[Line, ...], shares: list[float], lead: bool
) -> tuple[int, ...]:
    """The evidence, plus the lines whose words pushed hardest towards the verdict."""
    sign = 1.0 if lead else -1.0
    ranked = sorted(
        (i for i in range(len(lines)) if shares[i] * sign > 0), key=lambda i: -shares[i] * sign
    )
    telling = [lines[i].index for i in ranked[:TELLING_LINES]]
    return tuple(sorted(set(evidence) | set(telling)))[:MAX_EVIDENCE]


def _main_service(found: _Found) -> str | None:
    """The need mentioned most (ties: the first in SERVICES, the most specific)."""
    if not found.services:
        return None
    order = [name for name, _ in SERVICES]
    return max(found.services, key=lambda s: (len(found.services[s]), -order.index(s)))


def _reason(
    lead: bool,
    service: str | None,
    pushes: list[str],
    rule_outs: list[str],
    rescues: list[str],
    cues: dict[str, Cue],
) -> str:
    if lead:
        why = [cues[n].says for n in rescues + pushes][:3]
        tail = "; ".join(why) if why else "not booked on the call"
        return f"{LEAD_REASON_START}{service or 'service'}; {tail}"
    if rule_outs:
        return cues[rule_outs[0]].says
    if service is None:
        return "No service need found in the call"
    return f"Mentions {service} but shows no sign of wanting it booked"


def _summary(
    call: CallForReview,
    lead: bool,
    service: str | None,
    pushes: list[str],
    reason: str,
    evidence: tuple[int, ...],
) -> str:
    who = call.customer_name or "The caller"
    quote = _quote(call.transcript, evidence)
    if not lead:
        return f"Not a lead: {reason}." + (f' {who} said: "{quote}"' if quote else "")
    urgent = " (urgent)" if "urgent" in pushes else ""
    said = f' They said: "{quote}"' if quote else ""
    unbooked = ", ".join(p.replace("_", " ") for p in pushes if p != "urgent") or "no reason given"
    advice = next((text for cue, text in ADVICE.items() if cue in pushes), DEFAULT_ADVICE)
    return (
        f"{who} called about {service or 'a service need'}{urgent}.{said} Not booked: {unbooked}. "
        f"On the call-back: {advice}"
    )


def _quote(lines: tuple[Line, ...], evidence: tuple[int, ...]) -> str:
    by_index = {line.index: line for line in lines}
    for index in evidence:
        line = by_index.get(index)
        if line is not None and line.speaker != "agent":
            text = " ".join(line.text.split())
            return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"
    return ""
