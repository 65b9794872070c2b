"""A call with no transcript at all, judged by what the phone system says of it.

A caller who left a voicemail asked for a call back, whatever the message says: when it
was never transcribed (transcription off, or its recording unreadable) the lead goes to
a person to listen to, rather than being dropped as "nobody spoke". Any other call with
nothing transcribed is not a lead, and its reason says why honestly: there were no
words to judge, not that the caller said nothing.
"""

from __future__ import annotations

from core.classify.base import CallForReview, Verdict
from core.classify.roles import typed_voicemail

# Below the embedded classifier's usual leads: the message may be a wrong number or a
# sales call, and an agent who sees the number knows to listen first.
UNHEARD_VOICEMAIL_CONFIDENCE = 0.6
NOTHING_TO_READ_CONFIDENCE = 0.9

UNHEARD_VOICEMAIL = "Left a voicemail that was not transcribed: listen to it"
NOTHING_TO_READ = "No transcript: nothing to judge the call by"


def judged_without_words(call: CallForReview) -> Verdict | None:
    """The verdict on a call with no transcript lines; None when it has some."""
    if call.transcript:
        return None
    who = call.customer_name or "The caller"
    if typed_voicemail(call.call_type) and call.recording:
        return Verdict(
            lead=True,
            confidence=UNHEARD_VOICEMAIL_CONFIDENCE,
            reason=UNHEARD_VOICEMAIL,
            evidence=(),
            summary=(
                f"{who} left a voicemail that was not transcribed. Not booked: no one "
                "answered. On the call-back: listen to the recording first, then ask "
                "what they need and offer a time."
            ),
        )
    return Verdict(
        lead=False,
        confidence=NOTHING_TO_READ_CONFIDENCE,
        reason=NOTHING_TO_READ,
        evidence=(),
        summary=f"Not a lead: {NOTHING_TO_READ}.",
    )
