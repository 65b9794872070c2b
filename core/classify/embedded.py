"""The embedded classifier: offline, instant, and able to say why.

It reads the call for the brand it came in on (core.classify.reading: who spoke,
what the caller needs, whether the brand sells it and serves the place, which cues
hold), weighs what it found with the learned model (core.classify.model), and writes
the reason, the evidence lines and an agent-ready summary from the findings that
carried the verdict — nothing the transcript does not say.
"""

from __future__ import annotations

import re
from collections import Counter

from core.classify.base import LEAD_REASON_START, CallForReview, Verdict
from core.classify.cues import CUES, Cue, Kind
from core.classify.model import Model, counting_cues, default_model, features, grams
from core.classify.no_transcript import judged_without_words
from core.classify.profile import CompanyProfile, default_profile
from core.classify.reading import Reader, Reading
from core.classify.roles import Role

MAX_EVIDENCE = 5
QUOTE_CHARS = 140
MAX_WHY = 2  # reasons the call went unbooked, in the lead's reason line
NO_CALLER_CONFIDENCE = 0.95  # silence, IVR or a greeting only: no caller said a word
# How sure "the brand turns it away" is (SPEC: a service in the brand's `not` list). A
# need the catalog places in another trade is weighed by the model instead: as a rule it
# cost 7 points of recall held out, for callers' words for a leak or a door belong to
# several trades (python -m tests.classify.evaluate --lowo-fast).
TURNED_AWAY_CONFIDENCE = 0.85
TRAINING_NOTE_CONFIDENCE = 0.8  # the CSR's notes say it was training or a test call

# What to say on the call-back, by the reason it went unbooked, most telling first.
ADVICE: dict[str, str] = {
    "no_show": "apologise for the missed visit and offer the first slot.",
    "dropped": "the line dropped mid-call; pick up where it left off and book it.",
    "shopping": "call before they choose another company; offer the earliest slot.",
    "price": "lead with the value of the visit and be ready to explain the fee.",
    "asked_call_back": "they asked for this call: say what they called about and offer a time.",
    "call_back_later": "they meant to call back; make it easy: offer two times and book one.",
    "no_slot": "offer the first opening or a place on the cancellation list.",
    "urgent": "offer the earliest emergency slot.",
}
DEFAULT_ADVICE = "ask whether they still need help and offer a time."
VOICEMAIL_ADVICE = "they left a message for us: call soon, say what they asked about, offer a time."
LEFT_VOICEMAIL = "left a voicemail"


class EmbeddedClassifier:
    name = "embedded"
    batch_size = 200  # a few ms of work each: claims and writes are the cost to amortise

    def __init__(
        self,
        profile: CompanyProfile | None = None,
        model: Model | None = None,
        cues: tuple[Cue, ...] = CUES,
    ) -> None:
        self.cues = {cue.name: cue for cue in cues}
        self.model = model or default_model()
        self._cue_tuple = cues
        self.use_profile(profile or default_profile())

    @property
    def version(self) -> str:
        return self.model.version

    def use_profile(self, profile: CompanyProfile) -> None:
        """Judge calls against this company profile from now on."""
        self.profile = profile
        self.reader = Reader(profile, self._cue_tuple)

    def use_model(self, model: Model) -> None:
        """Weigh calls with this model from now on (the company's fitted one, when stored)."""
        self.model = model

    def classify(self, call: CallForReview) -> Verdict:
        unread = judged_without_words(call)
        if unread is not None:
            return unread
        reading = self.reader.read(call)
        found = features(reading)
        score = self.model.score(found)
        p_lead = self.model.probability(score)
        if "s:need" not in found and "s:turned_away" in found:
            # The profile says so: the brand's `not` list turns this service away.
            p_lead = min(p_lead, 1 - TURNED_AWAY_CONFIDENCE)
        if reading.training_note:
            p_lead = min(p_lead, 1 - TRAINING_NOTE_CONFIDENCE)  # a role-play, not a customer
        if "s:caller_words_0" in found:
            p_lead = min(p_lead, 1 - NO_CALLER_CONFIDENCE)  # nobody asked for anything
        lead = p_lead >= 0.5
        confidence = round(p_lead if lead else 1 - p_lead, 3)
        if lead:
            reason, evidence = self._lead_reason(reading)
        else:
            reason, evidence = self._not_lead_reason(reading, found)
        if len(evidence) < 2:
            evidence = self._with_telling_lines(reading, evidence, lead)
        summary = self._summary(reading, lead, reason, evidence)
        return Verdict(lead, confidence, reason, evidence, summary)

    # --- why -------------------------------------------------------------------------
    def _main_need(self, reading: Reading) -> tuple[str | None, int | None]:
        needs = reading.caller_needs
        if not needs and reading.roles.voicemail:
            needs = [n for n in reading.needs if n.in_brand]
        if needs:
            counts = Counter(n.service.name for n in needs)
            first = {}
            for n in needs:
                first.setdefault(n.service.name, n.line)
            name = max(counts, key=lambda s: (counts[s], -first[s]))
            return name, first[name]
        if reading.also:
            line, phrase = reading.also[0]
            return phrase, line
        return None, None

    def _pushes(self, reading: Reading) -> list[str]:
        """The cues that count and keep a lead alive: why it went unbooked."""
        return [n for n in counting_cues(reading) if self.cues[n].kind in (Kind.PUSH, Kind.RESCUE)]

    def _lead_reason(self, reading: Reading) -> tuple[str, tuple[int, ...]]:
        service, line = self._main_need(reading)
        evidence = [line] if line is not None else []
        why = [LEFT_VOICEMAIL] if reading.roles.voicemail else []
        ranked = sorted(self._pushes(reading), key=lambda n: -self.model.weights.get("q:" + n, 0.0))
        for name in ranked[: MAX_WHY - len(why)]:
            why.append(self.cues[name].says)
            evidence.append(reading.cues[name][0])
        if reading.never_offered is not None and len(why) < MAX_WHY:
            why.append(self.cues["no_slot"].says)  # the company never put a time to them
            evidence.append(reading.never_offered)
        tail = "; ".join(why) if why else "not booked on the call"
        what = (
            service[:1].lower() + service[1:] if service and not service[:2].isupper() else service
        )
        return f"{LEAD_REASON_START}{what or 'a service visit'}; {tail}", _ordered(evidence)

    def _not_lead_reason(
        self, reading: Reading, found: dict[str, float]
    ) -> tuple[str, tuple[int, ...]]:
        weights = self.model.weights
        brand = reading.brand.name
        candidates: list[tuple[float, str, list[int]]] = []
        if reading.turned_away:
            line, phrase = reading.turned_away[0]
            candidates.append(
                (
                    weights.get("s:turned_away", -1.0),
                    f"Asks for {phrase}, which {brand} turns away",
                    [line],
                )
            )
        if "s:need_not_sold" in found:
            outside = [n for n in reading.needs if n.by_caller and not n.in_brand]
            candidates.append(
                (
                    weights.get("s:need_not_sold", -1.0),
                    f"Asks for {outside[0].service.name.lower()}, which {brand} does not offer",
                    [outside[0].line],
                )
            )
        if reading.out_of_area:
            candidates.append(
                (
                    weights.get("s:out_of_area", -1.0),
                    f"Outside {brand}'s service area",
                    reading.out_of_area[:2],
                )
            )
        for name, lines in reading.cues.items():
            cue = self.cues[name]
            if cue.kind is Kind.RULE_OUT and "q:" + name in found:  # not undone by a rescue
                candidates.append((weights.get("q:" + name, cue.weight), cue.says, lines[:2]))
        if reading.training_note:
            candidates.append((-99.0, "The CSR's notes say it was a training or test call", []))
        if candidates:
            _, reason, lines = min(candidates, key=lambda c: c[0])
            return reason, _ordered(lines)
        service, line = self._main_need(reading)
        if service is None:
            if not reading.lines_of(Role.CALLER):
                return "No caller speech: only the phone system or silence", ()
            return "No service need found in the call", ()
        return f"Mentions {service.lower()} but shows no sign of wanting it booked", _ordered(
            [line]
        )

    def _with_telling_lines(
        self, reading: Reading, evidence: tuple[int, ...], lead: bool
    ) -> tuple[int, ...]:
        """The evidence, plus the caller's lines whose words pushed hardest the same way."""
        sign = 1.0 if lead else -1.0
        weights = self.model.weights
        leaning = []
        for i in reading.lines_of(Role.CALLER):
            share = sum(weights.get("c:" + g, 0.0) for g in set(grams(reading.roles.texts[i])))
            if share * sign > 0:
                leaning.append((share * sign, i))
        leaning.sort(reverse=True)
        picked = list(evidence) + [i for _, i in leaning[: 2 - len(evidence)]]
        return _ordered(picked)

    # --- the summary -----------------------------------------------------------------
    def _summary(self, reading: Reading, lead: bool, reason: str, evidence: tuple[int, ...]) -> str:
        call = reading.call
        who = call.customer_name or "The caller"
        quote = _quote(reading, evidence)
        if not lead:
            return f"Not a lead: {reason}." + (f' {who} said: "{quote}"' if quote else "")
        service, _ = self._main_need(reading)
        pushes = self._pushes(reading)
        if reading.never_offered is not None:
            pushes.append("no_slot")
        urgent = " (urgent)" if "urgent" in pushes else ""
        what = f"about {_lower_first(service)}" if service else "for service"
        said = f' They said: "{quote}"' if quote else ""
        unbooked = [self.cues[n].says for n in pushes if n != "urgent"]
        if reading.roles.voicemail:
            unbooked.insert(0, LEFT_VOICEMAIL)
        why = "; ".join(unbooked[:3]) if unbooked else "no reason given on the call"
        usual = VOICEMAIL_ADVICE if reading.roles.voicemail else DEFAULT_ADVICE
        advice = next((text for cue, text in ADVICE.items() if cue in pushes), usual)
        brand = reading.brand.name if len(self.profile.brands) > 1 else ""
        to = f" {brand}" if brand else ""
        return (
            f"{who} called{to} {what}{urgent}.{said} Not booked: {why}. On the call-back: {advice}"
        )


def _lower_first(text: str | None) -> str:
    if not text:
        return ""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def _ordered(lines: list[int] | tuple[int, ...]) -> tuple[int, ...]:
    return tuple(sorted({i for i in lines if i is not None}))[:MAX_EVIDENCE]


def _quote(reading: Reading, evidence: tuple[int, ...]) -> str:
    lines = reading.call.transcript
    for index in evidence:
        if reading.roles.roles[index] is Role.CALLER:
            text = " ".join(lines[index].text.split())
            text = re.sub(r"\s+", " ", text)
            return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"
    return ""
