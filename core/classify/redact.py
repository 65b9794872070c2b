"""Mask payment and identity secrets in call text before it leaves the machine.

A caller may read a card number, its security code or an SSN to the agent; the
transcript then carries them. The OpenAI-compatible classifier sends text to a
third party, so everything it sends goes through `mask_secrets` first.

Each secret becomes a fixed token (e.g. "[card number removed]") and the rest of
the sentence stays, so the model still understands what happened ("the caller
gave a card number"). What is *not* a secret stays too: phone numbers (the
call-back needs them), prices, model and serial numbers, addresses, emails.

The patterns lean towards masking: a wrongly masked date costs nothing, a
leaked card number costs a lot. Card numbers are the exception: they are
Luhn-checked, so that order numbers and phone numbers read back to back keep
their digits.
"""

from __future__ import annotations

import re
from collections.abc import Callable

CARD = "[card number removed]"
SECURITY_CODE = "[security code removed]"
EXPIRY = "[expiry date removed]"
SSN = "[SSN removed]"
ROUTING = "[routing number removed]"
ACCOUNT = "[account number removed]"

_FLAGS = re.IGNORECASE

# A run of digit groups separated by one space or dash: "4111 1111 1111 1111".
_DIGIT_RUN = re.compile(r"(?<![\w.,$])\d+(?:[ -]\d+)*(?![\w$])")
_DIGIT_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
# The same read aloud and transcribed as words: "four one one one, one one …".
_WORD_RUN = re.compile(rf"\b{_DIGIT_WORD}(?:[\s,-]+{_DIGIT_WORD})+\b", _FLAGS)
_WORD_VALUES = {
    "zero": "0",
    "oh": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}

# Keyword, a short gap without digits, then the secret. The gap stops at a
# sentence end so that "…account number. Call me at 512…" keeps the phone.
_GAP = r"(?P<gap>[^\d\n.?!]{0,30}?)"

_SSN_SHAPED = re.compile(r"(?<![\w-])\d{3}(?P<sep>[- ])\d{2}(?P=sep)\d{4}(?![\w-])")
_SSN_AFTER_WORD = re.compile(
    rf"(?P<kw>\b(?:ssn|social security(?: number)?|social)\b){_GAP}"
    r"(?P<secret>(?<!\d)\d{9}(?!\d))",
    _FLAGS,
)
_SECURITY_CODE = re.compile(
    rf"(?P<kw>\b(?:cvv2?|cvc2?|cid|csc|security code|card verification (?:code|value)"
    rf"|verification code|code on the back|pin(?: number)?)\b){_GAP}"
    r"(?P<secret>(?<!\d)\d{3,4}(?!\d))",
    _FLAGS,
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_EXPIRY = re.compile(
    r"(?P<kw>\b(?:exp|expires?|expiring|expir(?:y|ation)(?: date)?|valid (?:thru|through|until))"
    rf"\b\.?){_GAP}"
    r"(?P<secret>"
    r"(?<!\d)(?:0?[1-9]|1[0-2]) ?[/.-] ?(?:\d{4}|\d{2})(?!\d)"  # 03/27, 3/2027, 03-27
    r"|(?<!\d)(?:0[1-9]|1[0-2])\d{2}(?!\d)"  # 0327
    rf"|\b{_MONTH}\.?,? (?:of )?(?:'?\d{{2}}|\d{{4}})(?!\d)"  # March 2027, mar '27
    r")",
    _FLAGS,
)
_ROUTING = re.compile(
    rf"(?P<kw>\b(?:routing|aba|transit)\b(?: number| no\.?| #)?){_GAP}"
    r"(?P<secret>(?<![\d-])\d(?:[ -]?\d){8}(?![\d-]))",
    _FLAGS,
)
_ACCOUNT = re.compile(
    r"(?P<kw>\b(?:(?:bank|checking|savings) account\b|account(?: number| no\.| #|#)"
    rf"|acct\b\.?(?: number| no\.?| #)?)){_GAP}"
    r"(?P<secret>(?<![\d-])\d(?:[ -]?\d){3,16}(?![\d-]))",
    _FLAGS,
)
# A phone number written the usual way; never masked, even after "account number".
_PHONE_SHAPED = re.compile(r"^(?:\+?1[ .-]?)?\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}$")


def mask_secrets(text: str) -> str:
    """Return `text` with card numbers, security codes, expiry dates, SSNs and
    bank numbers replaced by fixed tokens; everything else is left as it was."""
    text = _DIGIT_RUN.sub(_mask_card_in_run, text)
    text = _WORD_RUN.sub(_mask_card_in_run, text)
    text = _SSN_SHAPED.sub(SSN, text)
    text = _SSN_AFTER_WORD.sub(_after_keyword(SSN), text)
    text = _SECURITY_CODE.sub(_after_keyword(SECURITY_CODE), text)
    text = _EXPIRY.sub(_after_keyword(EXPIRY), text)
    text = _ROUTING.sub(_after_keyword(ROUTING), text)
    return _ACCOUNT.sub(_after_keyword(ACCOUNT, keep_phones=True), text)


def luhn_valid(digits: str) -> bool:
    """The check digit every payment card number carries (ISO/IEC 7812)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _after_keyword(token: str, *, keep_phones: bool = False) -> Callable[[re.Match[str]], str]:
    """A replacement that keeps the keyword and the words after it, masking the number."""

    def replace(match: re.Match[str]) -> str:
        if keep_phones and _PHONE_SHAPED.match(match["secret"]):
            return match[0]
        return match["kw"] + match["gap"] + token

    return replace


def _mask_card_in_run(match: re.Match[str]) -> str:
    """Mask the card number inside a run of digit groups, if there is one.

    A card may be followed by its expiry or security code in the same breath
    ("4111 1111 1111 1111 123"), so the card is looked for as the longest
    leading groups of 13–19 digits that pass the Luhn check; the groups after
    it are kept for the keyword patterns. A run shaped like a US phone number
    (3-3-4 digits) is never a card.
    """
    parts = re.split(r"([\s,-]+)", match[0])
    groups = [_digits(part) for part in parts[::2]]
    if _starts_like_phone(groups):
        return match[0]
    for end in range(len(groups), 0, -1):
        number = "".join(groups[:end])
        if 13 <= len(number) <= 19 and luhn_valid(number):
            return CARD + "".join(parts[2 * end - 1 :])
    return match[0]


def _digits(group: str) -> str:
    if group.isdigit():
        return group
    return "".join(_WORD_VALUES[word] for word in re.findall(r"[a-z]+", group.lower()))


def _starts_like_phone(groups: list[str]) -> bool:
    lengths = [len(group) for group in groups]
    return lengths[:3] == [3, 3, 4] or lengths[:4] == [1, 3, 3, 4]
