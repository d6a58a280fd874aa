"""Instruction data for the instruct task: support conversations (messages format), consumer health Q&A (alpaca) and
maths word problems with worked solutions (prompt/completion), each with a held-out file for task evaluation.

Every record is composed from small hand-written tables below (and medical_text's knowledge base); each file has its
own random stream. Held-out records are drawn from their own streams and never repeat a training question.
"""
import json

from . import medical_text
from .common import Rng


def jsonl_bytes(records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


# ---------------------------------------------------------------------------------------------- customer service

SUPPORT_SYSTEMS = [
    "You are a support agent for Northwind Bank, which also sells mobile and broadband plans. Be brief, polite and "
    "precise; never ask for a full card number or a PIN.",
    "You are Northwind's customer support assistant. Answer in two or three sentences and say what happens next.",
]

# topic: (customer openings, agent replies, follow-up questions, follow-up answers)
SUPPORT_TOPICS = [
    ("card_lost",
     ["I think I lost my debit card somewhere in town today.", "My card is missing, I can't find it anywhere.",
      "Someone may have taken my wallet with my bank card in it."],
     ["I'm sorry to hear that. I have frozen the card ending {digits} so nobody can use it, and a replacement will "
      "arrive in {days} working days.",
      "Let's keep your money safe: the card ending {digits} is now frozen. A new card is on its way and should reach "
      "you within {days} working days."],
     ["Can I still pay for things until the new card comes?", "What if I find the old card later?"],
     ["Yes: your virtual card in the app works straight away for online and phone payments.",
      "Please cut it up; once frozen and replaced, the old card cannot be reactivated."]),
    ("refund_missing",
     ["A shop promised me a refund of {amount} a week ago and it still isn't in my account.",
      "Where is my refund? The store said they sent {amount} back to my card."],
     ["Refunds usually take {days} working days to appear after the shop sends them. If it has not arrived by then, "
      "send us the shop's refund receipt and we will trace it.",
      "I can see no incoming refund of {amount} yet. Shops can take up to {days} working days to release it; after "
      "that we can raise a trace with the receipt."],
     ["Can you chase the shop for me?", "Will I lose the money if the shop never sends it?"],
     ["We can't contact the shop directly, but a chargeback is possible if the refund never arrives.",
      "No: if the refund never arrives we can open a chargeback claim for {amount}."]),
    ("data_roaming",
     ["I'm travelling to {country} next week. Will my mobile data work there?",
      "Does my phone plan include data in {country}?"],
     ["Yes, roaming is included in {country}: you can use up to {gb} GB a month at no extra cost.",
      "Your plan covers {country} with {gb} GB of roaming data a month; beyond that it costs {price} per GB."],
     ["Do I need to switch anything on?", "How do I check how much I've used?"],
     ["Turn on data roaming in your phone's settings when you land; nothing else is needed.",
      "The app shows your roaming usage under Plan, updated every hour."]),
    ("broadband_slow",
     ["My broadband has been really slow since yesterday evening.", "The internet keeps dropping out at home."],
     ["Sorry about that. There is no outage in your area, so please restart your router and keep it away from "
      "walls and other electronics.",
      "I have run a line test and it looks healthy. Restarting the router usually clears this; if not, try a cable "
      "instead of wifi to see whether the wifi is the problem."],
     ["I restarted it and it's still slow.", "What if it happens again?"],
     ["Then I'll book an engineer check: the earliest slot is {weekday} morning, and there is no charge.",
      "Note the times it drops and tell us; repeated drops on a healthy line usually mean a faulty router, which we "
      "replace for free."]),
    ("payment_declined",
     ["My card was declined at the supermarket but I have money in the account.",
      "Why was my payment of {amount} declined?"],
     ["The payment was declined because the card was used with the wrong PIN three times, which blocks it for "
      "safety. You can unblock it at any of our cash machines.",
      "I can see the {amount} payment was stopped by our fraud check. If it was you, confirm it in the app and try "
      "again in a few minutes."],
     ["Will this happen again?", "Is my account safe?"],
     ["It should not: once confirmed, payments like this one are recognised.",
      "Yes, nothing else was taken; the check stopped the payment precisely to protect the account."]),
    ("bill_higher",
     ["My phone bill is {amount} higher than usual this month.", "Why is my bill more expensive this month?"],
     ["The extra {amount} comes from calls to premium numbers on the {day} of the month. You can bar premium "
      "numbers in the app to avoid this.",
      "Your bill went up because your discount ended last month. I can move you to a plan with the same allowance "
      "for {price} less a month."],
     ["Can you remove the charge?", "Can I switch plans today?"],
     ["As a one-off goodwill gesture I have credited {amount} to your next bill.",
      "Yes, the new plan starts today and the saving shows on your next bill."]),
    ("address_change",
     ["I've moved house, how do I update my address?", "I need to change the address on my account."],
     ["You can change it in the app under Profile, then Address; we will send a confirmation letter to the new "
      "address within {days} working days.",
      "I can do that for you now. For security, we will send a code to your registered phone number to confirm the "
      "change."],
     ["Will my cards still work?", "Do I need to send any documents?"],
     ["Yes, your cards keep working; only the statements go to the new address.",
      "No documents are needed unless the confirmation letter is returned to us."]),
]

FIRST_NAMES = ["Amira", "Ben", "Chloe", "Dev", "Elena", "Femi", "Grace", "Hugo", "Ines", "Jonas", "Kemi", "Liam",
               "Maya", "Nikhil", "Olga", "Pedro", "Rosa", "Sam", "Tariq", "Yusuf"]
COUNTRIES = ["Spain", "France", "Portugal", "Italy", "Greece", "Germany", "Ireland", "the Netherlands"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def _fill(text, rng):
    return text.format(digits=rng.randint(1000, 9999), days=rng.randint(3, 7),
                       amount=f"£{rng.randint(8, 240)}.{rng.randint(0, 99):02d}", country=rng.choice(COUNTRIES),
                       gb=rng.choice([5, 10, 15, 20]), price=f"£{rng.randint(2, 9)}", weekday=rng.choice(WEEKDAYS),
                       day=rng.choice(["3rd", "9th", "14th", "21st", "27th"]))


def support_conversations(key, n):
    rng = Rng(key)
    records = []
    for _ in range(n):
        topic = rng.choice(SUPPORT_TOPICS)
        name = rng.choice(FIRST_NAMES)
        opening = _fill(rng.choice(topic[1]), rng)
        if rng.chance(0.4):
            opening = rng.choice(["Hi, ", "Hello, ", "Hi there. ", "Good morning. "]) + opening[0].lower() + opening[1:]
        reply = _fill(rng.choice(topic[2]), rng)
        messages = [{"role": "system", "content": rng.choice(SUPPORT_SYSTEMS)},
                    {"role": "user", "content": opening},
                    {"role": "assistant", "content": f"Thanks, {name}. " + reply}]
        if rng.chance(0.6):
            follow = rng.below(len(topic[3]))
            messages.append({"role": "user", "content": topic[3][follow]})
            messages.append({"role": "assistant", "content": _fill(topic[4][follow], rng)})
        records.append({"messages": messages})
    return records


def support_heldout(key, n, seen):
    rng = Rng(key)
    records = []
    while len(records) < n:
        topic = rng.choice(SUPPORT_TOPICS)
        question = _fill(rng.choice(topic[1]), rng)
        if question in seen:
            continue
        seen.add(question)
        records.append({"question": question, "answer": _fill(rng.choice(topic[2]), rng)})
    return records


# --------------------------------------------------------------------------------------------------------- medical

QUESTION_KINDS = {
    "what": (["What is {name}?", "Can you explain what {name} is?", "My doctor mentioned {name}. What does that mean?"],
             lambda c, rng: f"With {c['name']}, {rng.choice(c['what'])}. It is usually looked after by "
                            f"{c['specialty']}."),
    "symptoms": (["What are the symptoms of {name}?", "How would I know if I have {name}?"],
                 lambda c, rng: f"Common signs of {c['name']} include {', '.join(c['symptoms'][:-1])} and "
                                f"{c['symptoms'][-1]}. Symptoms vary, so a doctor should confirm the diagnosis."),
    "tests": (["How is {name} diagnosed?", "What tests are done for {name}?"],
              lambda c, rng: f"{c['name'][0].upper() + c['name'][1:]} is usually confirmed with "
                             f"{' and '.join(c['tests'][:2])}."),
    "treatment": (["How is {name} treated?", "What are the treatment options for {name}?"],
                  lambda c, rng: f"Treatment for {c['name']} may include {', '.join(c['treatments'])}. Helpful "
                                 f"self-care: {c['selfcare'][0]}."),
    "urgent": (["When should someone with {name} get urgent help?", "What warning signs with {name} need a doctor "
                                                                      "straight away?"],
               lambda c, rng: f"Get urgent help for {' or '.join(c['red'][:2])}. These are not normal for "
                              f"{c['name']} and need prompt assessment."),
}
HEALTH_SYSTEM = ("You answer consumer health questions in plain language. You are not a substitute for a doctor; "
                 "say when to seek care.")
CONTEXTS = ["I am {age} and otherwise healthy.", "Asking for my {relative}, who is {age}.",
            "I was told this at a check-up last week.", "I have had this for about {weeks} weeks."]


def _medical_question(rng, condition, kind):
    return rng.choice(QUESTION_KINDS[kind][0]).format(name=condition["name"])


def health_qa(key, n):
    rng = Rng(key)
    records = []
    for _ in range(n):
        condition = rng.choice(medical_text.CONDITIONS)
        kind = rng.choice(list(QUESTION_KINDS))
        record = {"instruction": _medical_question(rng, condition, kind)}
        record["input"] = (rng.choice(CONTEXTS).format(age=rng.randint(19, 84), weeks=rng.randint(2, 12),
                                                       relative=rng.choice(["mother", "father", "partner", "son"]))
                           if rng.chance(0.35) else "")
        record["output"] = QUESTION_KINDS[kind][1](condition, rng)
        if rng.chance(0.3):
            record["system"] = HEALTH_SYSTEM
        records.append(record)
    return records


def health_heldout(key, n):
    """Questions with four candidate answers of the same kind, one about the asked condition (its index: label)."""
    rng = Rng(key)
    records = []
    kinds = list(QUESTION_KINDS)
    while len(records) < n:
        condition = rng.choice(medical_text.CONDITIONS)
        kind = rng.choice(kinds)
        answer = QUESTION_KINDS[kind][1](condition, rng)
        others = [c for c in medical_text.CONDITIONS if c["name"] != condition["name"]]
        choices = [answer]
        while len(choices) < 4:
            other = QUESTION_KINDS[kind][1](rng.choice(others), rng)
            if other not in choices:
                choices.append(other)
        label = rng.below(4)
        choices[0], choices[label] = choices[label], choices[0]
        records.append({"question": _medical_question(rng, condition, kind), "answer": answer, "choices": choices,
                        "label": label})
    return records


# ------------------------------------------------------------------------------------------------------- education

STUDENTS = FIRST_NAMES


def _shopping(rng):
    name, item = rng.choice(STUDENTS), rng.choice([("notebook", "notebooks"), ("pencil", "pencils"),
                                                   ("apple", "apples"), ("ticket", "tickets")])
    count, price = rng.randint(2, 9), rng.randint(2, 12)
    note = rng.choice([50, 100]) if count * price < 50 else 100
    cost = count * price
    problem = (f"{name} buys {count} {item[1]} at ${price} each and pays with a ${note} note. How much change does "
               f"{name} get?")
    solution = (f"The {item[1]} cost {count} x ${price} = ${cost}.\nThe change is ${note} - ${cost} = "
                f"${note - cost}.\n#### {note - cost}")
    return problem, solution, note - cost


def _sharing(rng):
    people, each, extra = rng.randint(3, 8), rng.randint(4, 15), rng.randint(0, 1)
    total = people * each
    name = rng.choice(STUDENTS)
    if extra:
        given = rng.randint(2, 9)
        problem = (f"{name} has {total + given} stickers, gives {given} to a teacher, and shares the rest equally "
                   f"among {people} friends. How many stickers does each friend get?")
        solution = (f"After giving some away, {name} has {total + given} - {given} = {total} stickers.\n"
                    f"Each friend gets {total} / {people} = {each}.\n#### {each}")
    else:
        problem = f"{total} students are split into {people} equal teams. How many students are in each team?"
        solution = f"Each team has {total} / {people} = {each} students.\n#### {each}"
    return problem, solution, each


def _speed(rng):
    speed, hours = rng.randint(3, 12) * 5, rng.randint(2, 6)
    name = rng.choice(STUDENTS)
    distance = speed * hours
    problem = f"A train travels at {speed} km per hour for {hours} hours. How far does it travel?"
    if rng.chance(0.5):
        back = rng.randint(1, hours - 1) * speed
        problem = (f"{name} drives at {speed} km per hour for {hours} hours, then drives {back} km back. How far "
                   f"from the start is {name} now?")
        solution = (f"First {name} drives {speed} x {hours} = {distance} km.\nAfter driving back, the distance is "
                    f"{distance} - {back} = {distance - back} km.\n#### {distance - back}")
        return problem, solution, distance - back
    solution = f"Distance = speed x time = {speed} x {hours} = {distance} km.\n#### {distance}"
    return problem, solution, distance


def _percent(rng):
    price, percent = rng.randint(2, 30) * 10, rng.choice([10, 20, 25, 50])
    discount = price * percent // 100
    problem = f"A jacket costs ${price}. It is on sale for {percent}% off. What is the sale price?"
    solution = (f"The discount is {percent}% of ${price} = ${price} x {percent} / 100 = ${discount}.\n"
                f"The sale price is ${price} - ${discount} = ${price - discount}.\n#### {price - discount}")
    return problem, solution, price - discount


def _weeks(rng):
    name = rng.choice(STUDENTS)
    per_day, days, weeks = rng.randint(10, 45), rng.randint(3, 6), rng.randint(2, 5)
    week_total = per_day * days
    total = week_total * weeks
    problem = (f"{name} reads {per_day} pages a day, {days} days a week. How many pages does {name} read in "
               f"{weeks} weeks?")
    solution = (f"In one week {name} reads {per_day} x {days} = {week_total} pages.\nIn {weeks} weeks that is "
                f"{week_total} x {weeks} = {total} pages.\n#### {total}")
    return problem, solution, total


PROBLEMS = [_shopping, _sharing, _speed, _percent, _weeks]


def word_problems(key, n, seen):
    rng = Rng(key)
    records = []
    while len(records) < n:
        problem, solution, _ = rng.choice(PROBLEMS)(rng)
        if problem in seen:
            continue
        seen.add(problem)
        records.append({"prompt": problem, "completion": solution})
    return records


def word_problems_heldout(key, n, seen):
    rng = Rng(key)
    records = []
    while len(records) < n:
        problem, solution, answer = rng.choice(PROBLEMS)(rng)
        if problem in seen:
            continue
        seen.add(problem)
        records.append({"question": problem, "answer": solution, "final_answer": str(answer)})
    return records
