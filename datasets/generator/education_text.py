"""Education prose: lesson explanations, worked examples with numbers that are actually correct, quizzes with
answers, tutoring dialogues, essay feedback and study tips."""
import math

from .common import Rng, say, tidy
from .prose import person

LESSONS = [
    {"topic": "photosynthesis", "subject": "biology",
     "facts": ["plants use light energy to turn carbon dioxide and water into glucose and oxygen",
               "photosynthesis happens in the chloroplasts, which contain the green pigment chlorophyll",
               "the word equation is carbon dioxide plus water gives glucose plus oxygen",
               "the rate rises with light intensity until another factor, such as carbon dioxide, becomes limiting",
               "plants use the glucose for respiration, to make starch for storage and to build cellulose"],
     "mistake": "saying that plants get their food from the soil", "question": "where in the cell photosynthesis happens",
     "answer": "in the chloroplasts"},
    {"topic": "respiration", "subject": "biology",
     "facts": ["respiration releases energy from glucose in every living cell",
               "aerobic respiration uses oxygen and produces carbon dioxide and water",
               "anaerobic respiration in muscles makes lactic acid and releases much less energy",
               "most aerobic respiration happens in the mitochondria"],
     "mistake": "confusing respiration with breathing", "question": "what anaerobic respiration makes in muscles",
     "answer": "lactic acid"},
    {"topic": "cell division", "subject": "biology",
     "facts": ["mitosis makes two identical cells for growth and repair", "meiosis makes four gametes with half the chromosomes",
               "before a cell divides it copies its DNA", "cancer is the result of cells dividing out of control"],
     "mistake": "mixing up mitosis and meiosis", "question": "how many cells meiosis produces", "answer": "four"},
    {"topic": "the periodic table", "subject": "chemistry",
     "facts": ["elements are arranged in order of atomic number", "elements in the same group have the same number of outer electrons",
               "group 1 metals get more reactive as you go down the group", "the noble gases in group 0 are unreactive because their outer shell is full"],
     "mistake": "thinking that the rows are called groups", "question": "why noble gases are unreactive",
     "answer": "their outer shell is full"},
    {"topic": "acids and alkalis", "subject": "chemistry",
     "facts": ["acids have a pH below 7 and alkalis above 7", "an acid and an alkali react to make a salt and water",
               "universal indicator turns red in strong acid and purple in strong alkali",
               "hydrochloric acid and sodium hydroxide make sodium chloride and water"],
     "mistake": "assuming every salt is sodium chloride", "question": "what an acid and an alkali make",
     "answer": "a salt and water"},
    {"topic": "rates of reaction", "subject": "chemistry",
     "facts": ["particles must collide with enough energy to react", "a higher temperature makes particles move faster and collide more often",
               "a catalyst speeds up a reaction without being used up", "powders react faster than lumps because they have a larger surface area"],
     "mistake": "saying a catalyst is used up in the reaction", "question": "why powders react faster than lumps",
     "answer": "they have a larger surface area"},
    {"topic": "forces and motion", "subject": "physics",
     "facts": ["a resultant force makes an object accelerate", "force equals mass times acceleration",
               "weight is the force of gravity on a mass and is measured in newtons",
               "an object at terminal velocity has balanced forces acting on it"],
     "mistake": "using mass and weight as if they were the same", "question": "the unit of force", "answer": "the newton"},
    {"topic": "electric circuits", "subject": "physics",
     "facts": ["current is the flow of charge and is measured in amps", "voltage equals current times resistance",
               "in a series circuit the current is the same everywhere", "in a parallel circuit the voltage across each branch is the same"],
     "mistake": "putting the ammeter in parallel", "question": "what stays the same in a series circuit", "answer": "the current"},
    {"topic": "waves", "subject": "physics",
     "facts": ["waves transfer energy without transferring matter", "wave speed equals frequency times wavelength",
               "light bends when it enters a denser material because it slows down", "sound is a longitudinal wave and cannot travel through a vacuum"],
     "mistake": "thinking sound can travel through space", "question": "what waves transfer", "answer": "energy"},
    {"topic": "plate tectonics", "subject": "geography",
     "facts": ["the crust is broken into plates that move a few centimetres a year",
               "volcanoes form where plates pull apart or where one plate sinks under another",
               "earthquakes happen when plates stick and then slip suddenly", "convection currents in the mantle drive plate movement"],
     "mistake": "believing that volcanoes only happen at the equator", "question": "what drives plate movement",
     "answer": "convection currents in the mantle"},
    {"topic": "rivers", "subject": "geography",
     "facts": ["a river erodes its bed and banks through abrasion, attrition and solution",
               "meanders form because water flows fastest on the outside of a bend",
               "an oxbow lake forms when a meander is cut off during a flood", "deposition happens where a river slows down"],
     "mistake": "mixing up erosion and deposition", "question": "how an oxbow lake forms",
     "answer": "a meander is cut off during a flood"},
    {"topic": "the causes of the First World War", "subject": "history",
     "facts": ["historians often group the causes as militarism, alliances, imperialism and nationalism",
               "the assassination of Archduke Franz Ferdinand in 1914 was the trigger",
               "the alliance system turned a regional crisis into a European war",
               "a naval race between Britain and Germany raised tension"],
     "mistake": "treating the assassination as the only cause", "question": "the trigger of the war",
     "answer": "the assassination of Franz Ferdinand"},
    {"topic": "the Industrial Revolution", "subject": "history",
     "facts": ["factories grew because machines such as the spinning jenny made goods faster",
               "people moved from the countryside to towns to find work", "steam power and railways changed how goods moved",
               "working conditions were dangerous and children worked long hours"],
     "mistake": "assuming change happened at the same speed everywhere", "question": "what changed how goods moved",
     "answer": "steam power and railways"},
    {"topic": "writing an analytical paragraph", "subject": "literature",
     "facts": ["start with a clear point that answers the question", "support the point with a short, well-chosen quotation",
               "explain the effect of particular words on the reader", "link the idea back to the writer's purpose or context"],
     "mistake": "retelling the story instead of analysing it", "question": "what should follow a quotation",
     "answer": "an explanation of its effect"},
    {"topic": "poetic techniques", "subject": "literature",
     "facts": ["a metaphor says one thing is another", "a simile compares using like or as",
               "enjambment carries a sentence over the end of a line", "a volta is a turn in the argument of a sonnet"],
     "mistake": "naming a technique without explaining its effect", "question": "how a simile differs from a metaphor",
     "answer": "it compares using like or as"},
    {"topic": "loops in programming", "subject": "computer science",
     "facts": ["a loop repeats a block of code", "a for loop runs a fixed number of times",
               "a while loop runs as long as its condition is true", "forgetting to update the condition makes an infinite loop"],
     "mistake": "changing the wrong variable inside a while loop", "question": "when a while loop stops",
     "answer": "when its condition becomes false"},
    {"topic": "binary numbers", "subject": "computer science",
     "facts": ["computers store data as binary digits called bits", "each place in a binary number is worth double the one to its right",
               "eight bits make a byte, which can hold 256 different values", "hexadecimal is a shorter way of writing binary"],
     "mistake": "reading binary place values from the wrong end", "question": "how many values a byte can hold",
     "answer": "256"},
    {"topic": "averages", "subject": "statistics",
     "facts": ["the mean is the total divided by the number of values", "the median is the middle value when the data is in order",
               "the mode is the most common value", "the range is the largest value minus the smallest",
               "the median is less affected by extreme values than the mean"],
     "mistake": "forgetting to put the numbers in order before finding the median",
     "question": "which average is least affected by outliers", "answer": "the median"},
]


# --- worked examples: numbers chosen at random, answers computed ----------------------------------------------------

def linear_equation(rng):
    a, x = rng.randint(2, 9), rng.randint(-6, 12)
    b = rng.randint(-15, 20)
    c = a * x + b
    sign = "+" if b >= 0 else "-"
    first, then = rng.choice([("First", "Then"), ("Step 1:", "Step 2:"), ("To start,", "Next,")])
    undo = (say("{f} [subtract|take away] {b} from both sides[ to undo the addition|]: {a}x = {r}.", rng,
                {"f": first, "b": str(b), "a": str(a), "r": str(c - b)}) if b >= 0 else
            say("{f} add {b} to both sides[ to undo the subtraction|]: {a}x = {r}.", rng,
                {"f": first, "b": str(-b), "a": str(a), "r": str(c - b)}))
    return "\n".join([
        say("[Worked example|Example|Let's try one]: solve {a}x {s} {b} = {c}.", rng,
            {"a": str(a), "s": sign, "b": str(abs(b)), "c": str(c)}),
        undo,
        say("{t} divide both sides by {a}: x = {x}.", rng, {"t": then, "a": str(a), "x": str(x)}),
        say("[Check|Always check]: {a} times {x} [is|gives] {ax}, and {ax} {s} {b} = {c}. [It works.|Correct.|]", rng,
            {"a": str(a), "x": str(x), "ax": str(a * x), "s": sign, "b": str(abs(b)), "c": str(c)}),
    ])


def pythagoras(rng):
    m, n = rng.randint(2, 5), 1
    n = rng.randint(1, m - 1)
    k = rng.randint(1, 3)
    a, b, c = k * (m * m - n * n), k * 2 * m * n, k * (m * m + n * n)
    return "\n".join([
        say("[Worked example|Example]: a right-angled triangle has shorter sides of {a} cm and {b} cm. [Find|Work out] "
            "the [hypotenuse|longest side].", rng, {"a": str(a), "b": str(b)}),
        say("[Square the two shorter sides|Use a squared plus b squared]: {a2} + {b2} = {s}.", rng,
            {"a2": str(a * a), "b2": str(b * b), "s": str(a * a + b * b)}),
        say("[The square root of {s} is {c}|Take the square root: {c}], so the hypotenuse is {c} cm.", rng,
            {"s": str(a * a + b * b), "c": str(c)}),
    ])


def mean_median(rng):
    values = [rng.randint(2, 30) for _ in range(rng.choice([5, 7]))]
    ordered = sorted(values)
    mean = sum(values) / len(values)
    return "\n".join([
        say("[Worked example|Example]: [find|work out] the mean and median of {v}.", rng,
            {"v": ", ".join(str(v) for v in values)}),
        say("[They add up to|The total is] {t}, [and there are|with] {n} values, so the mean is {t} / {n} = {m}.", rng,
            {"t": str(sum(values)), "n": str(len(values)), "m": f"{mean:.1f}".rstrip("0").rstrip(".")}),
        say("[In order|Sorted], the values are {o}, so the median is the middle one: {md}.", rng,
            {"o": ", ".join(str(v) for v in ordered), "md": str(ordered[len(ordered) // 2])}),
    ])


def speed(rng):
    d, t = rng.randint(2, 60) * 10, rng.randint(2, 12) * 5
    return "\n".join([
        say("[Worked example|Example]: a [cyclist|train|runner|car] travels {d} m in {t} s. What is its average speed?",
            rng, {"d": str(d), "t": str(t)}),
        say("[Speed equals distance divided by time|Use speed = distance / time]: {d} / {t} = {s} m/s.", rng,
            {"d": str(d), "t": str(t), "s": f"{d / t:.1f}".rstrip("0").rstrip(".")}),
    ])


def ohms_law(rng):
    i, r = rng.randint(1, 12) / 2, rng.choice([2, 4, 5, 6, 10, 12, 20])
    return "\n".join([
        say("[Worked example|Example]: a current of {i} A flows through a {r} ohm resistor. [Find|Calculate] the voltage.",
            rng, {"i": f"{i:g}", "r": str(r)}),
        say("V = I x R = {i} x {r} = {v} V.", rng, {"i": f"{i:g}", "r": str(r), "v": f"{i * r:g}"}),
    ])


def binary(rng):
    n = rng.randint(5, 250)
    bits = format(n, "08b")
    parts = [str(2 ** (7 - i)) for i, b in enumerate(bits) if b == "1"]
    return "\n".join([
        say("[Worked example|Example]: convert {b} from binary to denary.", rng, {"b": bits}),
        say("[The place values are|Write the column headings] 128, 64, 32, 16, 8, 4, 2 and 1. [Add the columns with a "
            "1|Add up the columns that contain a 1]: {p} = {n}.", rng, {"p": " + ".join(parts), "n": str(n)}),
    ])


def circle_area(rng):
    r = rng.randint(2, 15)
    return "\n".join([
        say("[Worked example|Example]: find the area of a circle with radius {r} cm, to one decimal place.", rng,
            {"r": str(r)}),
        say("Area = pi x r squared = pi x {r2} = {a} cm squared.", rng, {"r2": str(r * r), "a": f"{math.pi * r * r:.1f}"}),
    ])


EXAMPLES = [linear_equation, pythagoras, mean_median, speed, ohms_law, binary, circle_area]


def lesson(rng, l):
    facts = rng.sample(l["facts"], min(len(l["facts"]), rng.randint(3, 5)))
    lines = [say("[Lesson|Revision notes|Topic|Key ideas]: {t} ({s})", rng, {"t": l["topic"], "s": l["subject"]})]
    lines.append(say("[In this lesson we look at|Today's topic is|These notes cover|Let's recap] {t}.", rng, {"t": l["topic"]}))
    connectives = ["", "Also, ", "In addition, ", "Remember that ", "It is worth knowing that ", "Next, ", "Importantly, "]
    body = []
    leads = [""] + rng.sample(connectives[1:], len(connectives) - 1)
    for i, fact in enumerate(facts):
        lead = leads[i]
        body.append(tidy(lead + fact + "."))
    lines.append(" ".join(body))
    lines.append(say("[A common mistake is|Watch out for|Students often lose marks by|Try to avoid|A frequent error is] {m}.", rng,
                     {"m": l["mistake"]}))
    lines.append(say("[Check your understanding|Quick question|Test yourself]: [can you explain|do you remember|can you say] "
                     "{q}? [Answer|Model answer]: {a}.", rng, {"q": l["question"], "a": l["answer"]}))
    return "\n".join(lines)


def tutoring(rng, l):
    student = person(rng).split()[0]
    facts = rng.sample(l["facts"], 2)
    return "\n".join([
        say("Student: [I don't really get|Can you help me with|I'm stuck on|I keep getting confused by] {t}.", rng,
            {"t": l["topic"]}),
        say("Tutor: [Sure, {n}.|Of course.|No problem, {n}.|Let's go through it.] [Start with this:|The key idea is that|"
            "Think of it like this:] {f}.", rng, {"n": student, "f": facts[0]}),
        say("Student: [Okay, that makes sense.|Right.|Oh, I see.] [But why?|And then what?|Is that all?]", rng),
        say("Tutor: [Good question.|Next,|Also remember that] {f}. [Does that help?|Try explaining it back to me.|"
            "Can you think of an example?]", rng, {"f": facts[1]}),
        say("Student: [I think so.|Yes, thanks!|Kind of. I'll read my notes again.] [So the answer is {a}?|]", rng,
            {"q": l["question"], "a": l["answer"]}),
        say("Tutor: [Exactly.|That's right.|Nearly there.] [Well done.|Watch out for {m}.|Have a go at the practice "
            "questions next.]", rng, {"m": l["mistake"]}),
    ])


def quiz(rng):
    chosen = rng.sample(LESSONS, rng.randint(3, 5))
    lines = [say("[Quiz|Starter quiz|Retrieval practice|End of topic check]: [mixed topics|{s}|five quick questions]",
                 rng, {"s": chosen[0]["subject"]})]
    for i, l in enumerate(chosen, 1):
        lines.append(say(f"{i}. " + "[What is|Explain|State|Describe] {q}. (Answer: {a})", rng,
                         {"q": l["question"], "a": l["answer"]}))
    return "\n".join(lines)


def feedback(rng):
    student = person(rng).split()[0]
    return "\n".join([
        say("[Feedback|Teacher comment|Marking feedback] for {n}: [essay|coursework|test|homework] on {t}", rng,
            {"n": student, "t": rng.choice(LESSONS)["topic"]}),
        say("[What went well|Strengths]: [your introduction is clear|you used accurate key terms|your working is "
            "neat and easy to follow|you picked strong evidence|you answered every part of the question].", rng),
        say("[Even better if|Next steps|To improve]: [explain each step fully|link your points back to the question|"
            "check your units|use more precise vocabulary|spend less time describing and more time explaining|"
            "show your working, not just the answer].", rng),
        say("[Mark|Score]: {m}/{t}. [Well done.|Good effort.|Let's talk about this in class.|Please redo question {q}.]",
            rng, {"m": str(rng.randint(9, 24)), "t": "25", "q": str(rng.randint(2, 6))}),
    ])


def study_tips(rng):
    tips = ["space your revision out over several weeks instead of cramming",
            "test yourself with flashcards rather than rereading notes",
            "mix different topics in one session so you practise choosing a method",
            "explain an idea out loud as if you were teaching it",
            "do past papers under timed conditions", "sleep well before an exam, because memory is consolidated at night",
            "start with the questions you find hardest while you are fresh",
            "turn your notes into diagrams and timelines", "take a short break every forty minutes",
            "keep a list of mistakes and revisit them", "study in a quiet place with your phone in another room"]
    chosen = rng.sample(tips, rng.randint(3, 5))
    lines = [say("[Study tips|How to revise well|Revision advice|Exam season: what works]", rng)]
    openers = ["First, ", "Also, ", "Another idea: ", "Try to ", "Remember to ", "It helps to ", ""]
    for tip in chosen:
        lead = rng.choice(openers)
        lines.append(tidy(lead + tip + "."))
    return "\n".join(lines)


def documents(name, target_bytes):
    rng = Rng(name, "text")
    docs, size = [], 0
    kinds = {"lesson": 4, "example": 3, "tutoring": 3, "quiz": 1, "feedback": 1.5, "tips": 0.8}
    while size < target_bytes:
        kind = rng.pick(kinds)
        l = rng.choice(LESSONS)
        if kind == "lesson":
            doc = lesson(rng, l)
        elif kind == "example":
            doc = rng.choice(EXAMPLES)(rng)
        elif kind == "tutoring":
            doc = tutoring(rng, l)
        elif kind == "quiz":
            doc = quiz(rng)
        elif kind == "feedback":
            doc = feedback(rng)
        else:
            doc = study_tips(rng)
        docs.append(doc)
        size += len(doc.encode("utf-8")) + 2
    return docs
