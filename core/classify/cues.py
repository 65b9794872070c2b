"""The embedded classifier's knowledge, as data: what callers say, and what it means.

Each cue is a set of phrases (regular expressions over lower-cased text), a
weight (positive: the caller is a lead; negative: rules a lead out), and the
words the classifier uses when it explains itself. Weights were set on the
`dev` half of tests/classify/eval and checked on the held-out half.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    NEED = "need"  # a service the company sells
    PUSH = "push"  # urgency, or a reason the call ended unbooked: keeps a need alive
    RULE_OUT = "rule_out"  # not a sales opportunity
    RESCUE = "rescue"  # undoes a rule-out: the technician never came, the landlord pays


@dataclass(frozen=True)
class Cue:
    name: str
    kind: Kind
    weight: float
    phrases: tuple[str, ...]
    says: str  # how the reason line puts it
    who: str = "any"  # "customer": only lines a customer said; "agent": only the agent's
    cancels: tuple[str, ...] = ()  # rule-outs this cue undoes
    statements_only: bool = False  # ignore questions ("shall I put you down for…?")
    alone: bool = True  # a rescue that counts even with nothing to cancel


def c(
    name: str,
    kind: Kind,
    weight: float,
    says: str,
    *phrases: str,
    who: str = "any",
    cancels: tuple[str, ...] = (),
    statements_only: bool = False,
    alone: bool = True,
) -> Cue:
    return Cue(name, kind, weight, phrases, says, who, cancels, statements_only, alone)


# What the caller needs, in the words callers (and speech recognition) use. Order
# breaks ties: the more specific need first, the general trades last.
SERVICES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "AC repair",
        (
            r"\b(a/c|ac|a\.c\.|a sea|ac unit|air ?condition\w*|central air|the air|aire)\b"
            r".{0,60}\b(not|isn'?t|won'?t|stopped|warm|hot|blowing|broke|dead|leak|freez|ice|"
            r"enfr|funciona)",
            r"\b(a/c|ac|a\.c\.|a sea|air ?condition\w*|aire)\b.{0,30}"
            r"\bno (cold|air|sirve|prende|enciende|enfr\w*|funciona)\b",
            r"\b(not|isn'?t|no|stopped)\s+(cooling|blowing cold|enfriando|enfría)",
            r"\bno (enfría|enfria|sirve el aire)",
            r"\b(compressor|condenser|evaporator|refrigerant|fre[oó]n|thermostat|capacit\w*|"
            r"capacity her|mini ?-?split|minisplit)\b",
        ),
    ),
    (
        "AC replacement",
        (
            r"\b(new|replace|replacing|replacement)\b.{0,30}"
            r"\b(a/?c|ac|air ?condition\w*|system|unit|hvac|heat pump)\b",
            r"\bheat ?pumps?\b",
            r"\b(want|like|need|looking) to (look at |get )?replac\w*\b",
            r"\bicing (up|over)\b",
            r"\bice[ds]? (up|over)\b",
        ),
    ),
    (
        "furnace repair",
        (
            r"\bfurnace'?s?\b",
            r"\bno heat\b",
            r"\bheat(er|ing)? (is |went |'s )?out\b",
            r"(?<!water )\bheat(er|ing)?\b.{0,40}\b(not|won'?t|isn'?t|quit|stopped)\b",
            r"\bpilot\b.{0,30}\bfurnace\b",
            r"\b(calefacci[oó]n|calentón)\b",
        ),
    ),
    (
        "water heater",
        (
            r"\b(hot )?water heater\b",
            r"\bno hot water\b",
            r"\btankless\b",
            r"\bcalentador\b",
            r"\bno (hay|tengo) agua caliente\b",
            r"\bhot water\b",
        ),
    ),
    (
        "drain cleaning",
        (
            r"\bclog\w*\b",
            r"\bdrain\w*\b",
            r"\bbacking up\b",
            r"\bbacked up\b",
            r"\bsnake\b",
            r"\bwon'?t (drain|flush)\b",
            r"\btapad[oa]\b",
            r"\bstopped up\b",
        ),
    ),
    (
        "sewer line",
        (
            r"\bsewer\w*\b",
            r"\bsewage\b",
            r"\bseptic\b",
            r"\bcleanout\b",
            r"\bdrenaje\b",
        ),
    ),
    (
        "plumbing leak",
        (
            r"\bleak\w*\b",
            r"\bdrip\w*\b",
            r"\bburst\b",
            r"\bflood\w*\b",
            r"\bwater (all )?over\b",
            r"\bpipe\w*\b",
            r"\bfaucet\w*\b",
            r"\btoilet\w*\b",
            r"\bfuga\b",
            r"\bgotera\b",
            r"\bsump pump\b",
            r"\bgarbage dispos\w*\b",
            r"\bshut-?off valve\b",
            r"\bre-?pipe\b",
        ),
    ),
    (
        "electrical work",
        (
            r"\bbreaker\w*\b",
            r"\b(electrical )?panel\b",
            r"\boutlet\w*\b",
            r"\bwiring\b",
            r"\bsub ?panel\b",
            r"\bgenerator\b",
            r"\bsparks?\b",
            r"\bflicker\w*\b",
            r"\bev charger\b",
            r"\b(tesla|car) charger\b",
            r"\belectric\w*\b",
            r"\bbrea?ker\b",
            r"\b(se fue la luz|no hay luz|chispas)\b",
            r"\bceiling fan\b",
            r"\blights? (keep|went)\b",
        ),
    ),
    (
        "garage door repair",
        (
            r"\bgarage door\w*\b",
            r"\b(door )?opener\b",
            r"\bspring\b.{0,20}\b(broke|snap|garage)",
            r"\bgarage\b.{0,30}\b(stuck|won'?t|broke|spring|off (the|its) track)",
            r"\bpuerta del garaje\b",
        ),
    ),
    (
        "maintenance tune-up",
        (
            r"\btune-? ?up\b",
            r"\bmaintenance (plan|visit|agreement|check)\b",
            r"\b(service|check) (my|the) (system|unit|furnace|a/?c)\b",
            r"\bseasonal\b",
            r"\bmembership\b",
            r"\bmantenimiento\b",
            r"\b(before|for) (the )?(summer|winter)\b",
        ),
    ),
    (
        "plumbing work",
        (
            r"\bplumb\w*\b",
            r"\b(bath|bathroom|kitchen) (remodel|renovation)\b",
            r"\bwater (line|pressure|softener)\b",
            r"\bplomer\w*\b",
        ),
    ),
    (
        "a service visit",
        (
            r"\bi need (someone|somebody|a tech\w*) to (come|look|fix|check)\b",
            r"\b(send|get) (someone|somebody|a tech\w*) (out|over)\b",
            r"\bcome (out and )?(take a )?look at\b",
            r"\b(hold|book|schedule|set up) (the|an|your) (appointment|visit|service call)\b",
        ),
    ),
    (
        "heating and cooling work",
        (r"\bhvac\b", r"\bduct\w*\b", r"\b(mini[- ]split|air handler|vents?)\b"),
    ),
)

NEED_WEIGHT = 2.0

CUES: tuple[Cue, ...] = (
    # --- what keeps a need alive: urgency and why it was not booked --------------------
    c(
        "urgent",
        Kind.PUSH,
        1.0,
        "urgent",
        r"\bemergenc\w*\b",
        r"\b(today|tonight|right (now|away)|asap|as soon as)\b",
        r"\bsame[- ]day\b",
        r"\burgent\w*\b",
        r"\bhoy( mismo)?\b",
        r"\blo antes posible\b",
        r"\b(baby|newborn|elderly|my (mom|dad|mother|father))\b",
        r"\b\d{2,3} degrees\b",
    ),
    c(
        "price",
        Kind.PUSH,
        1.2,
        "asked about price",
        r"\bhow much\b",
        r"\b(what'?s|what is) (the|your|it) (cost|price|fee|charge)\b",
        r"\b(diagnostic|service|trip|call[- ]out) (fee|charge)\b",
        r"\bballpark\b",
        r"\b(price|pricing|quote|estimate)s?\b",
        r"\bcu[aá]nto (cuesta|cobran|es)\b",
        r"\b(expensive|too much|pricey|afford)\b",
        r"\bcost\w*\b",
        who="customer",
    ),
    c(
        "shopping",
        Kind.PUSH,
        1.2,
        "is comparing companies",
        r"\b(few|couple|other|three|some) (quotes|estimates|bids|companies)\b",
        r"\bshop(ping)? around\b",
        r"\b(try|call|go with|check) (another|other|a different) "
        r"(company|compan\w+|place|guy|plumber|electrician)\b",
        r"\bcompar\w+\b",
        r"\b(someone|somebody|some ?one) (else|cheaper)\b",
        r"\bgo with (them|the other|another|whoever)\b",
        r"\b(llamar a )?otra compa[ñn][ií]a\b",
        r"\b(another|other) (company|guy|plumber|electrician) (came out|quoted|said)\b",
        who="customer",
    ),
    c(
        "call_back_later",
        Kind.PUSH,
        1.2,
        "said they would call back",
        r"\b(i'?ll|i will|we'?ll|let me) (call|get back|give you a call|ring)\b",
        r"\bcall (you )?back\b",
        r"\bthink about it\b",
        r"\b(talk|check|speak) (to|with) my "
        r"(husband|wife|spouse|partner|landlord|roommate|dad|mom|son|daughter)\b",
        r"\b(mi esposo|mi esposa|le llamo|te llamo|luego llamo|la próxima semana|mándeme|"
        r"lo hablo|lo pienso)\b",
        r"\bsend me (something|an? "
        r"(quote|estimate|email))\b",
        r"\bcheck (my|the) (schedule|calendar)\b",
        r"\bnot (right )?now\b",
        r"\bget back to you\b",
        who="customer",
    ),
    c(
        "no_slot",
        Kind.PUSH,
        1.0,
        "no convenient time was offered",
        r"\b(nothing|no(thing)? (open|available)|booked (up|solid|out)|fully booked)\b",
        r"\b(earliest|next available) (is|would be)\b",
        r"\bnot until\b",
        r"\b(have|get) (somebody|someone) (reach out|call you)\b",
        r"\bpass your info(rmation)? along\b",
        r"\bcan'?t (come|get (someone|anyone) out) (today|until)\b",
    ),
    c(
        "agreed",
        Kind.PUSH,
        1.0,
        "wanted to go ahead",
        r"\blet'?s do (that|it)\b",
        r"\bthat'?s what i want\b",
        r"\b(sign me up|book it|set it up|sounds good,? let'?s)\b",
        who="customer",
    ),
    c(
        "dropped",
        Kind.PUSH,
        1.2,
        "the call dropped",
        r"\b(are you )?still there\b",
        r"\bhello\?.{0,20}hello\b",
        r"\bcall (dropped|cut|ended)\b",
        r"\b(lost|losing) you\b",
        r"\bbreaking up\b",
        r"\[(call )?(dropped|disconnected|cut off)\]",
        r"\bcan you hear me\b",
        r"\b(got|get|been) cut off\b",
        r"\b(ma'?am|sir|mr\.?|ms\.?|mrs\.?)\b.{0,15}\bhello\?",
        r"\bse cort[oó]\b",
    ),
    # --- what rules a lead out --------------------------------------------------------
    c(
        "wrong_number",
        Kind.RULE_OUT,
        -4.0,
        "Wrong number",
        r"\bwrong number\b",
        r"\b(dial|call)ed (the )?wrong\b",
        r"\bnot who i was (trying|calling)\b",
        r"\bnúmero equivocado\b",
        r"\bnumero equivocado\b",
        r"\b(trying|meant) to (reach|call) (the|my|a|dr\.?|doctor)\b",
    ),
    c(
        "vendor",
        Kind.RULE_OUT,
        -4.5,
        "Vendor or solicitor, not a customer",
        r"\b(seo|search engine|google (listing|ranking|business|reviews)|website design)\b",
        r"\b(marketing|advertis\w+|lead gen\w*|leads for your)\b",
        r"\bbusiness owner\b",
        r"\b(supplier|distributor|wholesale|sales rep\w*|account manager)\b",
        r"\b(staffing|recruit\w+ agency|payroll|merchant services|credit card processing)\b",
        r"\b(calling|reaching out) (on behalf|from) \w+ "
        r"(media|marketing|solutions|supply|digital)\b",
        r"\bwho (handles|makes) (the )?(purchasing|decisions|marketing)\b",
        r"\bpart number\b",
        r"\b(outside |sales |account )?rep (for|in) (your|this) (area|territory)\b",
        r"\bnew pricing\b",
        r"\bhave (him|her|them|your (boss|manager|owner)) call me\b",
        r"\bi'?m (a|the) tech(nician)? (with|from|at) \w+\b",
        who="customer",
    ),
    c(
        "spam",
        Kind.RULE_OUT,
        -4.5,
        "Robocall or spam",
        r"\b(press|presione) (1|one|2|two|9|nine)\b",
        r"\bthis is an? (automated|recorded)\b",
        r"\b(car|vehicle|auto) warranty\b",
        r"\bcongratulations\b",
        r"\bfinal notice\b",
        r"\bsocial security (number|administration|office)\b",
        r"\byou'?ve been selected\b",
        r"\bdo not hang up\b",
        r"\b(oprima|marque) (el )?(n[uú]mero )?(1|uno|2|dos|9|nueve)\b",
        r"\busted califica\b",
        r"\[(silence|no audio|dead air)\]",
    ),
    c(
        "existing_job",
        Kind.RULE_OUT,
        -3.0,
        "Question about an existing job",
        r"\b(my|our|the) (appointment|visit|service call|booking)\b",
        r"\b(tech|technician|plumber|electrician|guy|installer)\w* (is |was )?(coming|supposed|"
        r"running|on (his|the) way|scheduled|arriv)",
        r"\bwhat time (is|will)\b",
        r"\b(reschedul\w+|move my appointment|change (the|my) (time|appointment))\b",
        r"\b(already|was) (scheduled|booked)\b",
        r"\bconfirm\w* (my|the|our)\b",
        r"\bcancel(l?ed|l?ing)? (my|the|our|it|this)\b",
        r"\bwant to cancel\b",
        r"\b(i|we) have (someone|somebody|a (gentleman|guy|tech\w*|plumber|electrician)) "
        r"coming\b",
        r"\beta\b",
        r"\bmi cita\b",
        who="customer",
    ),
    c(
        "billing",
        Kind.RULE_OUT,
        -3.0,
        "Billing or warranty question",
        r"\b(my|the|your|this|last) (invoice|bill|receipt|statement)\b(?! to)",
        r"\b(billed|billing|refund\w*|charged (me )?twice|overcharg\w*|pay (my|the) "
        r"(bill|invoice|balance))\b",
        r"\b(under|covered by) (the |your |a )?warranty\b(?!.{0,30}compan)",
        r"\bwarranty (on|for) (the|my|your) (work|repair|install\w*|part|job)\b",
        r"\b(you|y'?all) (guys )?(installed|put in|replaced|fixed)\b.{0,60}\b(last|ago)\b",
        r"\bfactura\b",
        who="customer",
    ),
    c(
        "other_company_tech",
        Kind.RULE_OUT,
        -4.0,
        "Another company's technician, not a customer",
        r"\bi'?m (at|out at) (a|the|my) (customer|client)'?s? (house|home|place)\b",
        r"\b(técnico|tecnico) de otra compañ[ií]a\b",
        r"\b(tech|technician|plumber|electrician) (with|from) (another|a different) compan\w*\b",
        r"\bfor a warranty claim\b",
        r"\bi'?m an? (electrician|plumber|tech\w*|installer) (with|from|at)\b",
        r"\bi'?m at a (house|home) where (you|y'?all)\b",
        who="customer",
    ),
    c(
        "working_fine",
        Kind.RULE_OUT,
        -3.0,
        "Nothing needs fixing",
        r"\b(everything'?s|everything is|it'?s|it is|all) working (fine|great|ok|okay|well)\b",
        r"\bnothing('?s| is) wrong\b",
        r"\bwarranty (info|information|paperwork|papers|transfer\w*|registration)\b",
        r"\bjust for the paperwork\b",
        who="customer",
    ),
    c(
        "job_seeker",
        Kind.RULE_OUT,
        -4.0,
        "Job seeker, not a customer",
        r"\b(hiring|job opening|apply\w*|application|position|resume|résumé)\b",
        r"\b(looking for|need) (a )?(work|job)\b",
        r"\bjob openings?\b",
        r"\bopenings? (for|on|in) (the )?(\w+ )?(side|team|crew|department|position)s?\b",
        r"\b(están|estan) contratando\b",
        r"\b(ayudantes?|experiencia en)\b",
        r"\bjourneyman\b",
        r"\b(what|how much) do (you|y'?all) pay\b",
        r"\bapprentice\w*\b",
        r"\bjob posting\b",
        who="customer",
    ),
    c(
        "renter_no_authority",
        Kind.RULE_OUT,
        -3.5,
        "Renter without authority to book",
        r"\b(rather not|won'?t|can'?t|don'?t want to|not) giv(e|ing) (you )?(that|his|her|their|"
        r"the (landlord|owner)'?s?)\b",
        r"\b(yo rento|no es mi casa|no le voy a dar)\b",
        r"\bwithout telling (him|her|them|the (landlord|owner))\b",
        r"\b(i|we) (just )?rent\b",
        r"\b(i'?m|we'?re) (just )?(a |the )?(renter|tenant)s?\b",
        r"\b(can'?t|not allowed to|won'?t) (authorize|approve|book|pay)\b",
        r"\bnot my (house|place|property|unit|home)\b",
        r"\bi'?m not (paying|going to pay)\b",
        r"\bsoy inquilin[oa]\b",
        who="customer",
    ),
    c(
        "not_offered",
        Kind.RULE_OUT,
        -3.0,
        "Asks for a service the company does not offer",
        r"\b(roof\w*|pest\w*|termite\w*|landscap\w*|pool (cleaning|service)|carpet cleaning|"
        r"appliance repair|painting|fumigat\w*)\b",
        r"\b(we|you) don'?t (do|service|offer|cover)\b",
        r"\b(we|you) do not (do|service|offer|cover)\b",
        r"\bout(side)? (of )?"
        r"(your|our|the) (service )?area\b",
        r"\btoo far\b",
        r"\bwe only (do|service|serve|cover|go)\b",
        r"\b(auto shop|for your (car|truck|vehicle))\b",
    ),
    c(
        "booked_on_call",
        Kind.RULE_OUT,
        -3.5,
        "The job was booked on the call",
        r"\byou'?re (all )?set\b",
        r"\b(booked|scheduled|put) you (in|down|for)\b",
        r"\bconfirmation (number|text|email)\b",
        r"\bsee you (on|tomorrow|monday|tuesday|"
        r"wednesday|thursday|friday|saturday|then)\b",
        r"\bi have you (down|scheduled)\b",
        r"\b(appointment|visit) is (set|confirmed|booked)\b",
        r"\byou'?re (booked|confirmed|scheduled)\b",
        r"\b(queda|está|esta) (agendad[oa]|programad[oa]|confirmad[oa])\b",
        r"\bmensaje de confirmaci[oó]n\b",
        r"\b(booked|confirmed|scheduled) (you )?for (today|tomorrow|this|next|monday|tuesday|"
        r"wednesday|thursday|friday|saturday|sunday)\b",
        who="agent",
        statements_only=True,
    ),
    # --- what undoes a rule-out ------------------------------------------------------
    c(
        "no_show",
        Kind.RESCUE,
        4.0,
        "the technician never came",
        r"\b(never|no one|nobody) (showed|came|arrived|turned up|got back|came back)\b",
        r"\b(didn'?t|did not|never) (show|come|arrive|make it)\b",
        r"\bstood (me|us) up\b",
        r"\b(is|was) (he|she|the tech\w*|anyone|anybody) (even|ever) coming\b",
        r"\bcoming or not\b",
        r"\bno-?show\b",
        r"\bnunca (lleg[oó]|vino)\b",
        r"\b(still waiting|waited all day|and then nothing|never got (moved|reassigned))\b",
        who="customer",
        cancels=("existing_job", "billing"),
    ),
    c(
        "landlord_pays",
        Kind.RESCUE,
        3.5,
        "the landlord authorised it",
        r"\b(land ?lord|owner|property manager|management( company)?) (said|says|told|texted|"
        r"emailed|pays|will pay|is paying|approved|authoriz\w+|okayed|wants|lets|allows|will "
        r"reimburse|reimburses)\b",
        r"\breimburs\w*\b",
        r"\bgo ahead and (get it|have it)? ?(fixed|done|repaired)\b",
        r"\bi (have|got) (permission|approval)\b",
        r"\bel dueño (paga|dijo|dice)\b",
        who="customer",
        cancels=("renter_no_authority", "billing"),
    ),
    c(
        "asking_landlord",
        Kind.RESCUE,
        1.0,
        "will get the landlord's okay",
        r"\b(run it by|check with|ask|talk to|call|text|email|get (the )?(ok|okay|approval) "
        r"from) (my|the|our) (landlord|owner|property manager|management)\b",
        r"\b(le pregunto|hablo) (a|con) (mi|el) (dueño|casero)\b",
        who="customer",
        cancels=("renter_no_authority",),
        alone=False,
    ),
    c(
        "actually_a_customer",
        Kind.RESCUE,
        4.5,
        "turned out to need service",
        r"\bwait[,.!]? (you|y'?all) do\b",
        r"\b(espere|espera)\b.{0,40}\b(ustedes|arreglan|hacen|reparan)\b",
        r"¿?ustedes (arreglan|hacen|reparan|componen)\b",
        r"\bactually,? (since|while) i have you\b",
        r"\bdo (you|y'?all) (do|fix|handle|work on)\b",
        r"\by'?all (fix|do|handle) (that|those|it|this)\b",
        r"\byou( guys)? (fix|do|handle) (that|those|it|this)\b",
        r"\bactually,? my\b",
        r"\bwhile i have you\b",
        who="customer",
        cancels=("wrong_number",),
        alone=False,
    ),
)
