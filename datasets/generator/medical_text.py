"""Medical prose: patient leaflets, clinic notes, discharge advice, medicine leaflets, triage calls and referral letters,
composed from a small knowledge base of common conditions. Written for this project; not medical advice."""
from .common import Rng, say
from .prose import DAYS, join_list, paragraph, person

CONDITIONS = [
    {"name": "high blood pressure", "specialty": "cardiology",
     "what": ["the force of blood against the artery walls stays higher than it should",
              "the heart has to pump against raised pressure in the arteries for months or years"],
     "symptoms": ["headaches", "no symptoms at all", "blurred vision in severe cases", "nosebleeds"],
     "causes": ["too much salt", "being overweight", "drinking a lot of alcohol", "a family history", "lack of exercise"],
     "tests": ["a blood pressure check on two separate days", "home or ambulatory blood pressure monitoring",
               "a urine test and kidney blood tests"],
     "treatments": ["lifestyle changes", "an ACE inhibitor such as ramipril", "a calcium channel blocker such as amlodipine"],
     "selfcare": ["cut down on salt", "walk briskly for thirty minutes most days", "keep alcohol within safe limits",
                  "check your readings at the same time each day"],
     "red": ["a severe headache with confusion", "chest pain", "sudden weakness on one side"]},
    {"name": "angina", "specialty": "cardiology",
     "what": ["the heart muscle does not get enough oxygen-rich blood during effort",
              "narrowed coronary arteries limit the blood supply to the heart"],
     "symptoms": ["chest tightness on exertion", "pain spreading to the arm, jaw or back", "breathlessness when walking uphill"],
     "causes": ["a build-up of fatty plaque in the coronary arteries", "smoking", "high cholesterol", "diabetes"],
     "tests": ["an ECG", "an exercise stress test", "a CT coronary angiogram", "blood tests for cholesterol"],
     "treatments": ["a GTN spray for attacks", "a beta blocker", "a statin", "aspirin", "a stent in some cases"],
     "selfcare": ["rest when the pain starts", "carry your spray with you", "stop smoking", "build up activity slowly"],
     "red": ["chest pain lasting more than fifteen minutes", "pain at rest that the spray does not relieve"]},
    {"name": "atrial fibrillation", "specialty": "cardiology",
     "what": ["the upper chambers of the heart beat irregularly and often too fast",
              "an irregular heart rhythm raises the risk of clots and stroke"],
     "symptoms": ["palpitations", "tiredness", "dizziness", "breathlessness", "an irregular pulse"],
     "causes": ["high blood pressure", "heart valve disease", "an overactive thyroid", "heavy drinking", "getting older"],
     "tests": ["an ECG", "a 24-hour heart monitor", "an echocardiogram", "thyroid blood tests"],
     "treatments": ["an anticoagulant such as apixaban", "a beta blocker to slow the rate", "cardioversion", "ablation"],
     "selfcare": ["take your anticoagulant at the same time every day", "limit caffeine and alcohol",
                  "tell your dentist that you take a blood thinner"],
     "red": ["sudden weakness of the face or arm", "fainting", "chest pain with a very fast heartbeat"]},
    {"name": "eczema", "specialty": "dermatology",
     "what": ["the skin barrier is weak, so the skin dries out and becomes inflamed",
              "a long-term skin condition that flares and settles"],
     "symptoms": ["itchy dry skin", "red or darker patches", "cracked skin that can bleed", "thickened skin from scratching"],
     "causes": ["soaps and detergents", "stress", "changes in temperature", "a family history of allergies"],
     "tests": ["an examination of the skin", "patch testing when an allergy is suspected"],
     "treatments": ["emollients used generously", "steroid creams for flares", "antihistamines for itch at night"],
     "selfcare": ["use a soap substitute", "apply moisturiser after bathing", "keep nails short", "wear cotton clothes"],
     "red": ["weeping, crusted skin", "painful blisters with a fever"]},
    {"name": "psoriasis", "specialty": "dermatology",
     "what": ["the immune system speeds up the turnover of skin cells", "skin cells build up into raised scaly plaques"],
     "symptoms": ["red patches with silvery scales", "itching or soreness", "pitted nails", "stiff joints in some people"],
     "causes": ["an overactive immune response", "stress", "throat infections", "smoking"],
     "tests": ["a skin examination", "occasionally a skin biopsy"],
     "treatments": ["vitamin D creams", "steroid ointments", "light therapy", "tablets or injections for severe disease"],
     "selfcare": ["moisturise every day", "avoid scratching", "get some sunlight but do not burn"],
     "red": ["widespread red skin with fever", "painful swollen joints"]},
    {"name": "acid reflux", "specialty": "gastroenterology",
     "what": ["stomach acid flows back into the food pipe", "the valve at the top of the stomach does not close properly"],
     "symptoms": ["heartburn after meals", "a sour taste in the mouth", "a cough at night", "bloating"],
     "causes": ["large meals", "being overweight", "smoking", "pregnancy", "fatty or spicy food"],
     "tests": ["a trial of treatment", "an endoscopy if symptoms persist or there is weight loss"],
     "treatments": ["antacids", "a proton pump inhibitor such as omeprazole", "raising the head of the bed"],
     "selfcare": ["eat smaller meals", "avoid eating within three hours of bedtime", "cut down on coffee and alcohol"],
     "red": ["difficulty swallowing", "vomiting blood", "black stools", "unexplained weight loss"]},
    {"name": "irritable bowel syndrome", "specialty": "gastroenterology",
     "what": ["the gut is more sensitive and moves food along unevenly", "a common long-term condition of the digestive system"],
     "symptoms": ["cramping tummy pain", "bloating", "diarrhoea", "constipation", "mucus in the stool"],
     "causes": ["stress", "certain foods", "a previous gut infection"],
     "tests": ["blood tests to rule out coeliac disease", "a stool test for inflammation"],
     "treatments": ["dietary changes such as a low FODMAP diet", "antispasmodic medicine", "fibre supplements"],
     "selfcare": ["keep a food and symptom diary", "eat regular meals", "drink plenty of water", "exercise regularly"],
     "red": ["bleeding from the bottom", "weight loss", "symptoms starting after the age of sixty"]},
    {"name": "gallstones", "specialty": "gastroenterology",
     "what": ["small stones form in the gallbladder", "hardened deposits of bile block the bile ducts"],
     "symptoms": ["sudden pain under the right ribs", "pain after fatty meals", "nausea", "yellowing of the skin"],
     "causes": ["too much cholesterol in bile", "being overweight", "rapid weight loss"],
     "tests": ["an ultrasound scan", "liver function tests"],
     "treatments": ["pain relief", "keyhole surgery to remove the gallbladder"],
     "selfcare": ["eat a balanced low-fat diet", "lose weight gradually rather than quickly"],
     "red": ["a high temperature with pain", "yellow skin or eyes", "pain lasting more than eight hours"]},
    {"name": "migraine", "specialty": "neurology",
     "what": ["a severe, often one-sided headache that comes in attacks", "a brain disorder with recurring headaches"],
     "symptoms": ["throbbing pain", "sensitivity to light and sound", "nausea", "flashing lights before the headache"],
     "causes": ["hormonal changes", "missed meals", "poor sleep", "stress", "certain foods"],
     "tests": ["a neurological examination", "a headache diary"],
     "treatments": ["painkillers taken early", "a triptan", "anti-sickness medicine", "preventive tablets for frequent attacks"],
     "selfcare": ["keep regular sleep and meals", "rest in a dark quiet room", "limit painkillers to avoid rebound headaches"],
     "red": ["a sudden thunderclap headache", "a headache with fever and a stiff neck", "weakness or slurred speech"]},
    {"name": "epilepsy", "specialty": "neurology",
     "what": ["bursts of electrical activity in the brain cause seizures", "a tendency to have repeated seizures"],
     "symptoms": ["seizures with jerking", "blank staring spells", "strange sensations or smells", "confusion afterwards"],
     "causes": ["a brain injury", "a stroke", "genetic factors", "often no clear cause"],
     "tests": ["an EEG", "an MRI scan", "blood tests"],
     "treatments": ["anti-seizure medicine such as lamotrigine or levetiracetam", "surgery in selected cases"],
     "selfcare": ["take medicine every day", "get enough sleep", "avoid heavy drinking", "shower rather than bathe alone"],
     "red": ["a seizure lasting more than five minutes", "one seizure following another without recovery"]},
    {"name": "sciatica", "specialty": "orthopedics",
     "what": ["the sciatic nerve is irritated or pressed on", "nerve pain that travels from the lower back down the leg"],
     "symptoms": ["pain down the back of the leg", "numbness in the foot", "pins and needles", "back pain"],
     "causes": ["a slipped disc", "narrowing of the spinal canal", "heavy lifting"],
     "tests": ["an examination of the back and legs", "an MRI scan if symptoms do not settle"],
     "treatments": ["staying active", "physiotherapy", "painkillers", "nerve pain medicine", "a steroid injection"],
     "selfcare": ["keep moving gently", "use heat packs", "avoid long periods of sitting"],
     "red": ["numbness around the bottom", "loss of bladder or bowel control", "weakness in both legs"]},
    {"name": "osteoarthritis of the knee", "specialty": "orthopedics",
     "what": ["the cartilage in the joint wears and the bone underneath changes", "joint wear that causes pain and stiffness"],
     "symptoms": ["knee pain on walking", "stiffness in the morning", "grinding", "swelling"],
     "causes": ["age", "a previous injury", "being overweight", "a family history"],
     "tests": ["a clinical examination", "an X-ray if the diagnosis is unclear"],
     "treatments": ["strengthening exercises", "weight loss", "anti-inflammatory gels", "a knee replacement for severe cases"],
     "selfcare": ["stay active", "wear supportive shoes", "use a stick on the opposite side"],
     "red": ["a hot swollen joint with fever", "a knee that suddenly cannot bear weight"]},
    {"name": "a sprained ankle", "specialty": "orthopedics",
     "what": ["the ligaments around the ankle are stretched or torn", "a soft tissue injury after the foot rolls"],
     "symptoms": ["pain and swelling", "bruising", "difficulty walking"],
     "causes": ["twisting the foot", "uneven ground", "sport"],
     "tests": ["an examination", "an X-ray if a fracture is suspected"],
     "treatments": ["rest, ice, compression and elevation", "painkillers", "physiotherapy exercises"],
     "selfcare": ["keep the ankle raised", "start gentle movement after two days", "avoid running until it is pain free"],
     "red": ["being unable to take four steps", "a cold or numb foot"]},
    {"name": "asthma", "specialty": "pulmonology",
     "what": ["the airways become inflamed and narrow", "a long-term condition that makes the airways sensitive"],
     "symptoms": ["wheezing", "breathlessness", "a tight chest", "a cough at night"],
     "causes": ["allergies", "cold air", "exercise", "smoke", "chest infections"],
     "tests": ["peak flow readings", "spirometry", "a FeNO test"],
     "treatments": ["a preventer inhaler", "a reliever inhaler", "a written asthma action plan"],
     "selfcare": ["use the preventer every day", "check your inhaler technique", "avoid smoke", "have a flu jab"],
     "red": ["a reliever that does not help", "being too breathless to speak", "blue lips"]},
    {"name": "COPD", "specialty": "pulmonology",
     "what": ["long-term damage to the lungs narrows the airways", "a lung disease that makes it harder to breathe out"],
     "symptoms": ["breathlessness on activity", "a persistent cough with phlegm", "frequent chest infections"],
     "causes": ["smoking", "long exposure to dust or fumes"],
     "tests": ["spirometry", "a chest X-ray", "oxygen levels"],
     "treatments": ["inhalers", "pulmonary rehabilitation", "stopping smoking", "rescue antibiotics and steroids"],
     "selfcare": ["stop smoking", "stay as active as you can", "learn breathing techniques", "get vaccinated"],
     "red": ["severe breathlessness", "confusion", "chest pain"]},
    {"name": "cataract", "specialty": "ophthalmology",
     "what": ["the lens inside the eye becomes cloudy", "a clouding of the lens that develops slowly"],
     "symptoms": ["blurred or misty vision", "glare from lights", "faded colours", "difficulty reading"],
     "causes": ["ageing", "diabetes", "long-term steroid use", "smoking"],
     "tests": ["an eye examination with a slit lamp"],
     "treatments": ["stronger glasses at first", "cataract surgery to replace the lens"],
     "selfcare": ["use brighter lighting", "wear sunglasses", "avoid driving at night if glare is bad"],
     "red": ["sudden loss of vision", "a painful red eye after surgery"]},
    {"name": "tinnitus", "specialty": "ent",
     "what": ["a sound is heard in the ears that does not come from outside", "ringing or buzzing in one or both ears"],
     "symptoms": ["ringing", "buzzing", "humming", "trouble concentrating", "poor sleep"],
     "causes": ["hearing loss", "loud noise", "ear wax", "stress"],
     "tests": ["a hearing test", "an ear examination"],
     "treatments": ["treating the cause", "hearing aids", "sound therapy", "talking therapy"],
     "selfcare": ["use background sound at night", "protect your ears from noise", "try relaxation exercises"],
     "red": ["tinnitus in one ear with sudden hearing loss", "a pulsing sound in time with the heartbeat"]},
    {"name": "depression", "specialty": "psychiatry",
     "what": ["a low mood that lasts for weeks and affects daily life", "a common mental health condition"],
     "symptoms": ["low mood", "loss of interest", "poor sleep", "tiredness", "difficulty concentrating"],
     "causes": ["stressful life events", "loneliness", "long-term illness", "a family history"],
     "tests": ["a conversation about mood and sleep", "a questionnaire", "blood tests to rule out other causes"],
     "treatments": ["talking therapy", "antidepressants such as sertraline", "guided self-help"],
     "selfcare": ["keep a routine", "stay in touch with people", "be active", "limit alcohol"],
     "red": ["thoughts of suicide", "not eating or drinking"]},
    {"name": "type 2 diabetes", "specialty": "endocrinology",
     "what": ["the body does not respond properly to insulin, so blood sugar rises",
              "a long-term condition with high blood sugar"],
     "symptoms": ["thirst", "passing urine often", "tiredness", "blurred vision", "slow-healing cuts"],
     "causes": ["being overweight", "inactivity", "a family history", "age"],
     "tests": ["an HbA1c blood test", "a fasting glucose test"],
     "treatments": ["diet and exercise", "metformin", "other tablets or injections", "insulin for some people"],
     "selfcare": ["check your feet every day", "attend eye screening", "eat regular balanced meals", "stay active"],
     "red": ["very high sugar readings with vomiting", "a foot ulcer", "confusion with low sugar"]},
    {"name": "an underactive thyroid", "specialty": "endocrinology",
     "what": ["the thyroid gland does not make enough hormone", "a slow thyroid that slows the body down"],
     "symptoms": ["tiredness", "weight gain", "feeling cold", "dry skin", "low mood"],
     "causes": ["an autoimmune condition", "previous thyroid treatment"],
     "tests": ["a thyroid function blood test"],
     "treatments": ["daily levothyroxine tablets", "regular blood tests to adjust the dose"],
     "selfcare": ["take the tablet on an empty stomach", "keep a gap before taking iron or calcium"],
     "red": ["severe drowsiness", "a very slow heart rate"]},
]

MEDICINES = [
    ("amlodipine", "high blood pressure", "once a day", ["ankle swelling", "flushing", "headache"]),
    ("ramipril", "high blood pressure and heart failure", "once a day", ["a dry cough", "dizziness", "raised potassium"]),
    ("atorvastatin", "high cholesterol", "once a day in the evening", ["muscle aches", "stomach upset"]),
    ("metformin", "type 2 diabetes", "with meals", ["nausea", "diarrhoea", "a metallic taste"]),
    ("omeprazole", "reflux and stomach ulcers", "before breakfast", ["headache", "stomach pain", "wind"]),
    ("sertraline", "depression and anxiety", "once a day", ["nausea", "poor sleep", "sweating"]),
    ("salbutamol", "relief of asthma symptoms", "when needed", ["shaky hands", "a fast heartbeat"]),
    ("apixaban", "preventing clots", "twice a day", ["bleeding gums", "bruising", "nosebleeds"]),
    ("levothyroxine", "an underactive thyroid", "in the morning on an empty stomach", ["palpitations if the dose is too high"]),
    ("naproxen", "joint pain", "with food", ["indigestion", "stomach bleeding", "raised blood pressure"]),
]


def leaflet(rng, c):
    # "what" holds both clauses ("the airways narrow") and noun phrases ("a long-term condition ..."); each gets
    # the sentence frames that fit its grammar.
    clauses = [w for w in c["what"] if not _is_noun_phrase(w)]
    nouns = [w for w in c["what"] if _is_noun_phrase(w)]
    slots = {"name": c["name"], "Name": c["name"][0].upper() + c["name"][1:]}
    frames = []
    if clauses:
        slots["clause"] = clauses
        frames += ["{Name} is a condition in which {clause}.", "[In|With] {name}, {clause}.",
                   "[Doctors|Your care team] [describe|explain] {name} as a condition where {clause}."]
    if nouns:
        slots["noun"] = nouns
        frames += ["{Name} is {noun}.", "[Put simply|In short], {name} is {noun}.",
                   "[Doctors|Your care team] [describe|explain] {name} as {noun}."]
    lines = [say("[About|Understanding|Living with|A guide to|Information for patients:|Your questions answered:] {name}",
                 rng, slots)]
    lines.append(paragraph([say(rng.choice(frames), rng, slots), say(
        "[[Many|Lots of] people [live with|have] {name} [without knowing it|for years|and manage it well].|"
        "[It is common.|It can affect people of any age.|It often runs in families.|]|]", rng, slots)]))
    symptoms = rng.sample(c["symptoms"], min(len(c["symptoms"]), rng.randint(2, 4)))
    causes = rng.sample(c["causes"], min(len(c["causes"]), rng.randint(2, 3)))
    lines.append(say("[Common symptoms include|Symptoms can include|You may notice|Signs to look out for are] {s}. "
                     "[Some people have only mild symptoms.|Symptoms often come and go.|Not everyone has all of them.|]",
                     rng, {"s": join_list(symptoms)}))
    lines.append(say("[It can be caused or made worse by|Things that raise the risk include|Common triggers are] {c}.",
                     rng, {"c": join_list(causes)}))
    lines.append(say("[To find out what is going on|To confirm the diagnosis|At your appointment], [your doctor may arrange|"
                     "you may be offered|the clinic may ask for] {t}.", rng, {"t": join_list(rng.sample(c["tests"], min(2, len(c["tests"]))))}))
    lines.append(say("[Treatment|Management] [may include|usually involves|can include] {t}. [Your doctor will talk through "
                     "the options with you.|Treatment is tailored to you.|Most people improve with treatment.|]",
                     rng, {"t": join_list(rng.sample(c["treatments"], min(len(c["treatments"]), rng.randint(2, 3))))}))
    tips = rng.sample(c["selfcare"], min(len(c["selfcare"]), rng.randint(2, 3)))
    lines.append(say("[What you can do:|Self-care tips:|Things that help:|At home,] {t}.", rng,
                     {"t": "; ".join(tips)}))
    lines.append(say("[Get urgent help|Call an ambulance or go to A&E|Seek medical help straight away|Contact your doctor urgently] "
                     "if you have {r}.", rng, {"r": join_list(c["red"], "or")}))
    return "\n".join(lines)


def _is_noun_phrase(text):
    return text.split()[0] in ("a", "an", "ringing", "joint", "nerve") and " raises " not in text


def vitals(rng, c):
    sys_bp = rng.randint(112, 168) + (15 if c["name"] == "high blood pressure" else 0)
    return say("[Obs|Observations|On examination]: BP {s}/{d}, HR {hr}[| regular| irregular], temp {t}, SpO2 {o}% [on air|].",
               rng, {"s": str(sys_bp), "d": str(rng.randint(68, 98)), "hr": str(rng.randint(58, 112)),
                     "t": f"{rng.uniform(36.1, 38.4):.1f}", "o": str(rng.randint(91, 99))})


def clinic_note(rng, c, others):
    age = rng.randint(19, 88)
    sex = rng.choice(["man", "woman"])
    duration = rng.choice(["two-week", "three-month", "six-week", "several-year", "ten-day", "four-day"])
    symptoms = rng.sample(c["symptoms"], min(2, len(c["symptoms"])))
    other = rng.choice(others)
    lines = [say("[Clinic note|Outpatient note|Consultation|Review] - {sp}", rng, {"sp": c["specialty"]}),
             say("[Presenting complaint|Reason for visit|PC]: {s}.", rng, {"s": join_list(symptoms)}),
             say("[History|HPC]: {age}-year-old {sex} with a {d} history of {s}. [Worse in the evenings.|No clear trigger.|"
                 "Started after a viral illness.|Gradually getting worse.|Symptoms are intermittent.] [Past history of {pmh}.|"
                 "No significant past history.|Background of {pmh}.] [Non-smoker.|Smokes {n} a day.|Ex-smoker.] "
                 "[Lives with family.|Lives alone.|Works as a {job}.]", rng,
                 {"age": str(age), "sex": sex, "d": duration, "s": join_list(symptoms),
                  "pmh": ["asthma", "hypertension", "type 2 diabetes", "hypothyroidism", "depression", "gout", "reflux"],
                  "n": ["five", "ten", "twenty"], "job": ["teacher", "driver", "nurse", "builder", "chef", "accountant",
                                                          "cleaner", "retired engineer"]}),
             vitals(rng, c),
             say("[Assessment|Impression|Working diagnosis]: [likely|probable|features consistent with] {name}[; differential "
                 "includes {other}|; consider {other}|].", rng, {"name": c["name"], "other": other["name"]}),
             say("[Plan|Management]: {tests}. {treat}. [Review in {w} weeks.|Follow up with results.|Safety-net advice given.|"
                 "Patient happy with plan.]", rng,
                 {"tests": rng.choice(c["tests"]), "treat": rng.choice(c["treatments"]), "w": ["two", "four", "six", "twelve"]})]
    return "\n".join(lines)


def discharge(rng, c):
    name = person(rng)
    lines = [say("[Discharge advice|Going home after your stay|Discharge summary for the patient] - {p}", rng, {"p": name}),
             say("You were [admitted|in hospital|looked after on the ward] [for {n} days|for {n} nights|] [with|because of] "
                 "{c}. [You are now well enough to go home.|Your symptoms have settled.|The team is happy for you to go home.]",
                 rng, {"n": str(rng.randint(1, 9)), "c": c["name"]}),
             say("[Please|Remember to] {t}. [Your GP will receive a copy of this letter.|A letter has been sent to your GP.|]",
                 rng, {"t": join_list(rng.sample(c["selfcare"], min(2, len(c["selfcare"]))))}),
             say("[Medicines|Your medicines]: [continue|start] {m}. [Do not stop it without advice.|Take it as prescribed.|"
                 "Read the leaflet in the box.]", rng, {"m": rng.choice(c["treatments"])}),
             say("[Come back|Return to hospital|Call 999] if you notice {r}.", rng, {"r": join_list(c["red"], "or")})]
    return "\n".join(lines)


def medicine_leaflet(rng, m):
    drug, use, when, effects = m
    return "\n".join([
        say("[Patient information:|Medicine guide:|About your medicine:] {d}", rng, {"d": drug}),
        say("{D} is [used for|a medicine for|prescribed to treat] {u}. [Take it|It is usually taken] {w}[, at about the same "
            "time each day|].", rng, {"D": drug.capitalize(), "u": use, "w": when}),
        say("[Common side effects include|Some people get|Possible side effects are] {e}. [These often settle after a "
            "few weeks.|Tell your doctor if they bother you.|Most people have no side effects.]", rng, {"e": join_list(effects)}),
        say("[If you miss a dose, take it when you remember unless the next one is almost due.|Do not take two doses "
            "to make up for a missed one.|Keep it out of the reach of children.|Ask your pharmacist before taking other "
            "medicines with {d}.|Do not stop taking {d} suddenly without talking to your doctor.]", rng, {"d": drug}),
    ])


def triage_call(rng, c):
    symptoms = rng.sample(c["symptoms"], min(2, len(c["symptoms"])))
    turns = [
        say("Nurse: [Hello, this is the triage line.|Hello, you're through to the nurse advice line.|Hi, how can I help "
            "today?] [Can I take your name and date of birth?|Who am I speaking to?|What's the problem today?]", rng),
        say("Caller: [It's about|I'm calling about|I'm worried about] [my|my partner's|my father's|my daughter's] {s}.",
            rng, {"s": join_list(symptoms)}),
        say("Nurse: [How long has this been going on?|When did it start?|Is it getting better or worse?]", rng),
        say("Caller: {t}[, and it's getting worse|, and it comes and goes|].", rng,
            {"t": ["For about two days", "About a week", "Nearly a month", "Since last night", "A few hours",
                   "On and off since the spring", "Since {day}"], "day": DAYS}),
        say("Nurse: [Any|Do you have any] {r}?", rng, {"r": join_list(c["red"], "or")}),
        say("Caller: [No, nothing like that.|No.|Not that I've noticed.]", rng),
        say("Nurse: [That's reassuring.|Okay, thank you.|Good.] [It sounds like it could be {n}.|This may be {n}.] "
            "[I'll book you a GP appointment for today.|Please see your GP this week.|I'd suggest a pharmacist first.] "
            "[If anything changes, call back.|If it gets worse, ring us again or call 999.]", rng, {"n": c["name"]}),
    ]
    return "\n".join(turns)


def referral(rng, c):
    doctor = person(rng).split()[1]
    patient = person(rng)
    return "\n".join([
        say("Dear Dr {d},", rng, {"d": doctor}),
        say("[Thank you for seeing|I would be grateful if you could see|Please could you assess] {p}, [aged {a}|a {a}-year-old "
            "patient], [who has|with] {s}. [I suspect {n}.|I am concerned about possible {n}.|The likely diagnosis is {n}.]",
            rng, {"p": patient, "a": str(rng.randint(21, 85)), "s": join_list(rng.sample(c["symptoms"], 2)), "n": c["name"]}),
        say("[So far|To date] [treatment has included|we have tried] {t} [without much benefit|with partial improvement|but symptoms "
            "persist]. [Recent bloods were normal.|I have requested {x}.|{x} is pending.]", rng,
            {"t": rng.choice(c["treatments"]), "x": rng.choice(c["tests"])}),
        say("[Yours sincerely,|Kind regards,|With thanks,]\nDr {g}, [general practitioner|GP|on behalf of the practice]", rng,
            {"g": person(rng).split()[1]}),
    ])


def documents(name, target_bytes, conditions=CONDITIONS):
    rng = Rng(name, "text")
    docs, size = [], 0
    kinds = {"leaflet": 3, "note": 4, "discharge": 2, "medicine": 1.5, "triage": 2, "referral": 2}
    while size < target_bytes:
        kind = rng.pick(kinds)
        c = rng.choice(conditions)
        if kind == "leaflet":
            doc = leaflet(rng, c)
        elif kind == "note":
            doc = clinic_note(rng, c, [o for o in conditions if o is not c])
        elif kind == "discharge":
            doc = discharge(rng, c)
        elif kind == "medicine":
            doc = medicine_leaflet(rng, rng.choice(MEDICINES))
        elif kind == "triage":
            doc = triage_call(rng, c)
        else:
            doc = referral(rng, c)
        docs.append(doc)
        size += len(doc.encode("utf-8")) + 2
    return docs


QUICKSTART_SPECIALTIES = ["cardiology", "dermatology", "gastroenterology", "neurology", "orthopedics", "pulmonology",
                          "ent", "psychiatry"]
