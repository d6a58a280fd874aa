"""Customer-service prose for a bank that also sells mobile and broadband: help-centre articles, chat transcripts,
email replies, FAQ pages, agent notes and service notices. Company and product names are invented."""
from .common import Rng, say
from .prose import DAYS, MONTHS, join_list, person

COMPANY = ["Northway", "Northway Bank", "Northway Mobile"]

TOPICS = [
    {"title": "reset your password", "about": "your login problem", "problem": "can't log in", "area": "app",
     "steps": ["open the app and tap Forgot password", "enter the email address linked to your account",
               "type in the six-digit code we send you by text", "choose a new password of at least ten characters",
               "log in again with the new password"],
     "notes": ["the code expires after ten minutes", "we will never ask for your full password on the phone",
               "if you changed your phone number, update it in a branch first"],
     "causes": ["an old password saved in the browser", "too many failed attempts", "a changed phone number"]},
    {"title": "freeze or replace a lost card", "about": "your lost card", "problem": "lost my card", "area": "card",
     "steps": ["go to Cards in the app", "tap Freeze card to stop new payments straight away",
               "check recent transactions for anything you do not recognise", "tap Replace card and confirm your address",
               "activate the new card when it arrives"],
     "notes": ["freezing is instant and can be undone", "a new card usually arrives in three to five working days",
               "regular payments such as subscriptions move to the new card automatically"],
     "causes": []},
    {"title": "dispute a transaction", "about": "a payment you don't recognise", "problem": "a payment I don't recognise", "area": "card",
     "steps": ["find the payment in your transaction list", "tap it and choose Report a problem",
               "tell us whether you have contacted the merchant", "upload any receipts or emails",
               "we will update you within ten working days"],
     "notes": ["many unfamiliar payments are from a merchant trading under a different name",
               "we may refund you temporarily while we investigate", "report fraud straight away so we can block the card"],
     "causes": ["a merchant trading name", "a forgotten free trial", "a family member using the card", "card fraud"]},
    {"title": "track a refund", "about": "your missing refund", "problem": "my refund hasn't arrived", "area": "card",
     "steps": ["check the date the merchant issued the refund", "look for a pending credit in your transactions",
               "allow up to seven working days for it to clear", "contact the merchant for a refund reference if it is late"],
     "notes": ["refunds go back to the card you paid with", "a refund to an expired card is still credited to your account"],
     "causes": ["a refund the merchant has not processed yet", "a refund sent to an old card"]},
    {"title": "send money abroad", "about": "your international transfer", "problem": "my international transfer is late", "area": "transfers",
     "steps": ["choose Payments and then International", "enter the recipient's IBAN and SWIFT code",
               "check the exchange rate and the fee before you confirm", "approve the payment with your passcode"],
     "notes": ["most transfers arrive within two working days", "the receiving bank may charge its own fee",
               "transfers made after 4pm are sent the next working day"],
     "causes": ["a bank holiday in the destination country", "a security check", "a wrong SWIFT code"]},
    {"title": "update your address", "about": "your change of address", "problem": "I moved house", "area": "account",
     "steps": ["go to Profile and then Personal details", "tap Address and enter your new postcode",
               "pick your address from the list", "confirm the change with your passcode"],
     "notes": ["we may ask for proof of address for some accounts", "cards already in the post go to the old address"],
     "causes": []},
    {"title": "activate a new SIM", "about": "your new SIM", "problem": "my SIM says no service", "area": "mobile",
     "steps": ["switch off your phone and insert the new SIM", "switch the phone back on and wait for a signal",
               "go to the activation page and enter the SIM number", "restart the phone once the confirmation text arrives"],
     "notes": ["activation can take up to two hours", "your old SIM stops working when the new one is active",
               "keep your number by asking for a PAC from your old provider"],
     "causes": ["a SIM that has not been activated", "a phone locked to another network", "a damaged SIM"]},
    {"title": "fix slow broadband", "about": "your broadband speed", "problem": "my internet is really slow", "area": "broadband",
     "steps": ["restart the router by switching it off for thirty seconds", "run a speed test with a cable plugged in",
               "move the router away from walls and other electronics", "check the service status page for your area",
               "book an engineer if the speed stays low for three days"],
     "notes": ["wifi speeds are usually lower than cable speeds", "many devices streaming at once slow the connection",
               "a minimum speed is guaranteed in your contract"],
     "causes": ["too many devices", "the router in a bad spot", "a fault on the line", "work in the local exchange"]},
    {"title": "use your phone abroad", "about": "roaming charges", "problem": "roaming charges", "area": "mobile",
     "steps": ["check your plan's roaming zone in the app", "switch on data roaming in the phone settings",
               "add a travel pass if your destination is not included", "set a spending cap to avoid surprises"],
     "notes": ["calls to the emergency number are always free", "data is charged per megabyte outside your zone",
               "we send a text with prices when you arrive"],
     "causes": ["travelling outside your roaming zone", "apps updating in the background"]},
    {"title": "understand your bill", "about": "your latest bill", "problem": "my bill is higher than usual", "area": "billing",
     "steps": ["open Bills in the app", "compare this month's total with last month's",
               "tap any line to see what it covers", "look for one-off charges such as extra data or premium numbers"],
     "notes": ["prices rise once a year in April by the amount set out in your contract",
               "your first bill may include part of the previous month", "discounts end when a promotion finishes"],
     "causes": ["a part month on the first bill", "an annual price change", "extra data", "calls to premium numbers"]},
    {"title": "change your plan", "about": "changing your plan", "problem": "I want more data", "area": "mobile",
     "steps": ["go to Plan in the app", "compare the plans you can move to", "choose when the change should start",
               "confirm and check the new monthly price"],
     "notes": ["upgrades can start straight away", "moving to a smaller plan may have to wait until your contract ends",
               "you can add a data boost for a single month"],
     "causes": []},
    {"title": "cancel your contract", "about": "cancelling your contract", "problem": "I want to leave", "area": "account",
     "steps": ["check your contract end date in the app", "text PAC to 65075 if you want to keep your number",
               "give your new provider the code", "return any rented equipment within thirty days"],
     "notes": ["early termination fees apply before the end date", "you have fourteen days to cancel a new contract",
               "your final bill arrives a month after you leave"],
     "causes": []},
    {"title": "set up two-step verification", "about": "your account security", "problem": "my account security", "area": "account",
     "steps": ["open Security settings", "choose an authenticator app or text messages", "scan the code or enter the number",
               "type in the code to confirm it works", "save your backup codes somewhere safe"],
     "notes": ["two-step verification stops most account takeovers", "we never ask you to read a code out on a call"],
     "causes": []},
    {"title": "spot and report a scam", "about": "the suspicious call you received", "problem": "a suspicious call", "area": "fraud",
     "steps": ["hang up on anyone who asks you to move money to a safe account", "do not share codes sent to your phone",
               "call us back on the number on the back of your card", "forward scam texts to 7726"],
     "notes": ["we will never ask you to move money to keep it safe", "scammers can fake the number that appears on your phone",
               "report it quickly, because the sooner we know, the more we can recover"],
     "causes": ["a fake delivery text", "a caller pretending to be the bank", "an investment offer that seems too good"]},
    {"title": "set up a direct debit", "about": "your direct debit", "problem": "my direct debit failed", "area": "billing",
     "steps": ["have your sort code and account number ready", "go to Billing and choose Pay by direct debit",
               "pick the day of the month you want to pay", "confirm the mandate"],
     "notes": ["the first payment may be taken by card", "a failed payment is retried after five days",
               "you are protected by the direct debit guarantee"],
     "causes": ["too little money in the account on the day", "a closed bank account", "a cancelled mandate"]},
]

SYNONYMS = {
    "go to": ["go to", "open", "head to", "find"], "tap": ["tap", "select", "press", "click"],
    "choose": ["choose", "pick", "select"], "check": ["check", "look at", "review"], "enter": ["enter", "type in", "add"],
    "confirm": ["confirm", "approve", "accept"], "in the app": ["in the app", "in the Northway app", "in our app"],
}


def vary(text, rng):
    """Swap a few common support verbs for synonyms, so the same step reads differently across documents."""
    for word, options in SYNONYMS.items():
        if word in text:
            text = text.replace(word, rng.choice(options), 1)
    return text


def upper_first(text):
    return text[:1].upper() + text[1:]


def mine(title):
    return title.replace("your", "my")


AGENT = ["Alex", "Sam", "Jordan", "Priya", "Tom", "Leah", "Marcus", "Nina", "Omar", "Rita", "Dev", "Chloe"]


def article(rng, t):
    lines = [say("[How to|Help: how to|Guide: how to|How can I] {t}", rng, {"t": t["title"]})]
    lines.append(say("[This article explains how to|Here is how to|Follow these steps to|You can] {t} [in a few minutes|"
                     "in the app or online|without calling us|].", rng, {"t": t["title"]}))
    steps = [s for i, s in enumerate(t["steps"])
             if i in (0, len(t["steps"]) - 1) or not rng.chance(0.12)]  # help centres keep shorter variants too
    for i, step in enumerate(steps, 1):
        lines.append(f"{i}. " + vary(step, rng))
    for note in rng.sample(t["notes"], min(len(t["notes"]), rng.randint(1, 2))):
        lines.append(say("[Good to know:|Note:|Tip:|Please note that|Remember that] {n}.", rng, {"n": note}))
    if t["causes"] and rng.chance(0.6):
        lines.append(say("[Common reasons for this include|This usually happens because of|Typical causes are] {c}.", rng,
                         {"c": join_list(rng.sample(t["causes"], min(len(t["causes"]), 2)), "or")}))
    lines.append(say("[Still stuck?|Need more help?|Didn't work?] [Chat with us in the app|Call us on 0300 555 0100|"
                     "Visit a branch] [any time|between 8am and 8pm|seven days a week].", rng))
    return "\n".join(lines)


def chat(rng, t):
    agent = rng.choice(AGENT)
    customer = person(rng).split()[0]
    steps = t["steps"]
    first, second = steps[0], steps[min(1, len(steps) - 1)]
    lines = [
        say("Agent: [Hi|Hello|Good morning|Thanks for waiting], [you're chatting with|this is|my name is] {a}. "
            "[How can I help today?|What can I do for you?|How can I help?]", rng, {"a": agent}),
        say("Customer: [Hi|Hello|Hey]. [I've got a problem:|It's about|I need help because] {p}[.|!|, can you help?]",
            rng, {"p": t["problem"]}),
        say("Agent: [I'm sorry to hear that|Sorry about that|Thanks for letting us know], {c}. [I can help with that.|"
            "Let's sort it out.|I'll take a look now.] [Can you confirm your date of birth?|Could you confirm the last "
            "four digits of your card?|First I need to check a few security details.]", rng, {"c": customer}),
        say("Customer: [Sure,|Yes,|Of course,] [it's|that's] {d}.", rng,
            {"d": [f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(1950, 2004)}", str(rng.randint(1000, 9999))]}),
        say("Agent: [Thank you.|Thanks, that's all confirmed.|Perfect.] [The quickest way is to|Please] {f}, [then|and "
            "after that] {s}.", rng, {"f": vary(first, rng), "s": vary(second, rng)}),
    ]
    if t["causes"] and rng.chance(0.7):
        lines.append(say("Agent: [From what I can see|Looking at your account], [this is likely|the cause seems to be] "
                         "{c}.", rng, {"c": rng.choice(t["causes"])}))
    outcome = rng.pick({"solved": 6, "follow": 3, "unhappy": 1.5})
    if outcome == "solved":
        lines.append(say("Customer: [That worked, thanks!|Done, it's fixed.|Great, all sorted now.|Brilliant, thank you.]",
                         rng))
        lines.append(say("Agent: [Glad to hear it.|Happy to help.|You're welcome.] [Is there anything else?|Have a good "
                         "{day}!|Anything else I can help with today?]", rng, {"day": DAYS}))
    elif outcome == "follow":
        lines.append(say("Customer: [I tried that already.|It still doesn't work.|That didn't help.]", rng))
        lines.append(say("Agent: [Okay, I've raised a ticket for our {area} team.|I'll pass this to a specialist.|I've "
                         "escalated this for you.] [You'll hear back within {n} hours.|Your reference is {ref}.|We'll "
                         "text you with an update.]", rng,
                         {"area": t["area"], "n": ["24", "48", "72"], "ref": f"NW{rng.randint(100000, 999999)}"}))
    else:
        lines.append(say("Customer: [This is the third time I've contacted you.|I've been waiting for ages.|Honestly "
                         "this is really poor.]", rng))
        lines.append(say("Agent: [I completely understand, and I'm sorry.|I'm sorry you've had this experience.] "
                         "[I've added a note and a goodwill credit of £{n}.|I've logged a complaint so a manager can "
                         "review it.]", rng, {"n": ["5", "10", "15", "20"]}))
    return "\n".join(lines)


def email(rng, t):
    name = person(rng)
    return "\n".join([
        say("Subject: [Re:|Your request:|Update on your case:] {p}", rng, {"p": t["problem"]}),
        say("[Dear|Hi|Hello] {n},", rng, {"n": name.split()[0]}),
        say("[Thank you for getting in touch about|Thanks for your message about|We're sorry to hear about|This is an update on] {p}. "
            "[We have looked into it.|I have checked your account.|A member of our team has reviewed your case.]",
            rng, {"p": t["about"]}),
        say("[To {t}, please|The best way forward is to] {s1}, [then|and] {s2}. {note}.", rng,
            {"t": t["title"], "s1": vary(t["steps"][0], rng), "s2": vary(t["steps"][-1], rng), "note": upper_first(rng.choice(t["notes"]))}),
        say("[If you have any other questions, just reply to this email.|We hope this helps.|Please let us know if "
            "there's anything else we can do.]", rng),
        say("[Kind regards,|Best wishes,|Many thanks,]\n{a}, [Customer Care|the Northway support team|Customer Relations]",
            rng, {"a": rng.choice(AGENT)}),
    ])


def faq(rng):
    chosen = rng.sample(TOPICS, rng.randint(3, 4))
    lines = [say("[Frequently asked questions|FAQs|Common questions]: [{area}|help centre|your account]", rng,
                 {"area": chosen[0]["area"]})]
    for t in chosen:
        can = rng.chance(0.4)
        lines.append(say("Q: {q} {t}?", rng, {"q": "Can I" if can else ["How do I", "What's the quickest way to"],
                                                "t": mine(t["title"])}))
        lines.append(say("A: {yes}[{s1}, then {s2}.|Start by taking this step: {s1}.] {n}.", rng,
                         {"yes": ["Yes. ", "Yes, easily. "] if can else "", "s1": upper_first(vary(t["steps"][0], rng)),
                          "s2": vary(t["steps"][1], rng), "n": upper_first(rng.choice(t["notes"]))}))
    return "\n".join(lines)


def agent_note(rng, t):
    return "\n".join([
        say("[Case note|Ticket {ref}|Agent note] - {area}", rng, {"ref": f"#{rng.randint(10000, 99999)}", "area": t["area"]}),
        say("[Customer called about|Customer contacted us about|Chat re:|Query:] {p}. [Verified by security questions.|ID&V passed.|"
            "Verified via app.] [Customer was calm.|Customer was frustrated.|Customer was in a hurry.|]", rng,
            {"p": t["about"].replace("your", "their").replace("you", "they")}),
        say("[Advised to|Walked through how to|Helped customer] {s}.[ Cause: {c}.|]", rng,
            {"s": vary(rng.choice(t["steps"]), rng), "c": rng.choice(t["causes"]) if t["causes"] else "n/a"}),
        say("[Outcome|Status]: [resolved on first contact|escalated to tier 2|callback booked for {day}|awaiting "
            "customer documents]. [Handle time {m} min.|]", rng, {"day": DAYS, "m": str(rng.randint(3, 28))}),
    ])


def notice(rng):
    area = rng.choice(["broadband", "mobile data", "the app", "card payments", "online banking"])
    return "\n".join([
        say("[Service update|Service status|Planned maintenance|Incident report]: {a}", rng, {"a": area}),
        say("[Some customers|Customers in {place}|A small number of customers] [may have trouble using|cannot use|"
            "are seeing delays with] {a} [since {t}|from {t} on {day}|this morning]. [Our engineers are working on "
            "it.|We are sorry for the disruption.|We expect it to be fixed by {t2}.]", rng,
            {"a": area, "place": ["the north west", "Leeds", "Cardiff", "south London", "the Highlands", "Bristol"],
             "t": ["6am", "9.30am", "midnight", "2pm"], "t2": ["midday", "6pm", "the end of the day"], "day": DAYS}),
        say("[You don't need to do anything.|Please don't restart your router more than once.|Card payments in shops "
            "still work.|We'll post an update here every hour.]", rng),
    ])


def documents(name, target_bytes):
    rng = Rng(name, "text")
    docs, size = [], 0
    kinds = {"article": 3, "chat": 4, "email": 2, "faq": 1, "note": 2, "notice": 0.7}
    while size < target_bytes:
        kind = rng.pick(kinds)
        t = rng.choice(TOPICS)
        doc = {"article": article, "chat": chat, "email": email, "note": agent_note}[kind](rng, t) \
            if kind not in ("faq", "notice") else (faq(rng) if kind == "faq" else notice(rng))
        docs.append(doc)
        size += len(doc.encode("utf-8")) + 2
    return docs
