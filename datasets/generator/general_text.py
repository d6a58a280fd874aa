"""General English prose for pretraining the nano base model: simple science, nature, everyday stories, how-to guides,
conversations, general health and study advice, shop and service exchanges, weather and community notices.

The register is deliberately general: domain words appear (doctor, refund, homework) but not the clinical notes,
support articles and lesson formats of the domain corpora, so that fine-tuning on a domain still has something to teach.
"""
from .common import Rng, a_an, say, tidy
from .prose import DAYS, MONTHS, FIRST_NAMES, join_list

SCIENCE = {
    "the water cycle": [
        "the sun warms seas, lakes and rivers, and some of the water evaporates into the air",
        "water vapour rises, cools and condenses into tiny droplets that form clouds",
        "when the droplets join together and grow heavy, they fall as rain, sleet, snow or hail",
        "rainwater runs into rivers or soaks into the ground and slowly returns to the sea",
        "plants also release water vapour from their leaves, which is called transpiration",
        "the same water has been moving around this cycle for billions of years"],
    "the moon": [
        "the moon goes around the earth about once every twenty-seven days",
        "it does not make its own light; we see sunlight reflected from its surface",
        "the phases of the moon change as we see more or less of its sunlit side",
        "the pull of the moon's gravity causes most of the tides in the oceans",
        "the moon has almost no air, so its sky is black even during the day",
        "footprints left by astronauts can last for a very long time because there is no wind to blow them away"],
    "the seasons": [
        "the earth is tilted on its axis as it travels around the sun",
        "when your half of the earth leans towards the sun, days are longer and the sunlight is stronger",
        "that is why summer is warmer than winter, not because the earth is closer to the sun",
        "near the equator the seasons change very little, while near the poles they change a great deal",
        "when it is summer in Europe, it is winter in Australia"],
    "magnets": [
        "a magnet has a north pole and a south pole",
        "opposite poles attract each other and like poles push each other away",
        "magnets attract iron, nickel and cobalt but not wood, plastic or most coins",
        "the earth behaves like a giant magnet, which is why a compass needle points north",
        "an electric current flowing through a coil of wire makes an electromagnet that can be switched on and off"],
    "sound": [
        "sound is made when something vibrates",
        "the vibrations travel through the air as waves until they reach our ears",
        "sound travels faster through water and solids than through air",
        "a high-pitched sound has fast vibrations and a low-pitched sound has slow ones",
        "sound cannot travel through empty space because there is nothing to carry the vibrations",
        "an echo is sound that bounces back from a hard surface such as a cliff"],
    "light and colour": [
        "light travels in straight lines and moves faster than anything else",
        "white light is a mixture of all the colours of the rainbow",
        "a prism or a raindrop can split white light into its colours",
        "a red apple looks red because it reflects red light and absorbs the other colours",
        "shadows form when an object blocks the path of light"],
    "plants": [
        "plants make their own food from sunlight, water and carbon dioxide",
        "roots hold the plant in the soil and take up water and minerals",
        "leaves are usually broad and flat so they can catch as much light as possible",
        "flowers attract insects, which carry pollen from one flower to another",
        "seeds can stay asleep in the ground for months until the conditions are right to grow",
        "some plants, such as cacti, store water in thick stems to survive dry seasons"],
    "bees": [
        "honeybees live in colonies with one queen, thousands of workers and a few drones",
        "worker bees collect nectar and pollen from flowers",
        "bees turn nectar into honey and store it in wax cells",
        "a bee can tell other bees where to find flowers by doing a waggle dance",
        "many of the fruits and vegetables we eat depend on bees for pollination"],
    "the human heart": [
        "the heart is a muscle about the size of a fist",
        "it pumps blood around the body through arteries and veins",
        "blood carries oxygen from the lungs to every part of the body",
        "a resting heart beats about sixty to a hundred times a minute",
        "regular exercise makes the heart stronger and more efficient"],
    "volcanoes": [
        "a volcano is an opening in the earth's crust where melted rock escapes",
        "melted rock underground is called magma, and once it reaches the surface it is called lava",
        "some volcanoes erupt explosively while others let lava flow out gently",
        "volcanic ash can travel thousands of kilometres in the wind",
        "soil near old volcanoes is often very fertile, so farmers grow crops there"],
    "electricity at home": [
        "electricity flows around a circuit from the power station to our homes and back",
        "switches break or complete a circuit to turn lights on and off",
        "a fuse or circuit breaker cuts the power if too much current flows",
        "water and electricity are a dangerous mix, so sockets are kept away from sinks",
        "appliances that heat things, like kettles and ovens, use the most energy"],
    "recycling": [
        "recycling turns used materials into new products",
        "glass and aluminium can be recycled again and again without losing quality",
        "paper fibres get shorter each time they are recycled",
        "recycling a drinks can saves most of the energy needed to make a new one",
        "food waste can be composted and used to enrich garden soil"],
    "the weather": [
        "weather is the state of the air at a particular time and place",
        "warm air rises, cools and can form clouds",
        "wind is air moving from areas of high pressure to areas of low pressure",
        "thunder is the sound of air expanding suddenly when lightning heats it",
        "forecasters use satellites, weather balloons and computer models to predict the weather"],
    "dinosaurs": [
        "dinosaurs lived on earth for more than 160 million years",
        "some were as small as chickens and others were longer than a bus",
        "we know about them from fossils of bones, teeth, eggs and footprints",
        "birds are the living descendants of a group of small dinosaurs",
        "a large asteroid impact about 66 million years ago helped end the age of the dinosaurs"],
    "the ocean": [
        "oceans cover about seventy per cent of the earth's surface",
        "the deepest part of the ocean is more than ten kilometres deep",
        "tiny plants in the sea called phytoplankton produce much of the oxygen we breathe",
        "ocean currents carry warm and cold water around the world and affect the climate",
        "many deep sea animals make their own light"],
    "sleep": [
        "sleep gives the body and brain time to rest and repair",
        "during sleep the brain sorts and stores memories from the day",
        "most adults need seven to nine hours of sleep a night, and teenagers need more",
        "screens in the evening can make it harder to fall asleep",
        "going to bed and getting up at the same times helps keep the body clock steady"],
    "germs": [
        "germs are tiny living things, such as bacteria and viruses, that can cause illness",
        "washing hands with soap for twenty seconds removes most germs",
        "coughing into a tissue or elbow stops germs spreading through the air",
        "not all bacteria are harmful; many live in our gut and help us digest food",
        "vaccines teach the immune system to recognise a germ before we meet it"],
    "food and energy": [
        "food gives us energy, which is measured in calories or kilojoules",
        "carbohydrates such as bread and rice are a main source of energy",
        "protein from beans, eggs, fish and meat helps the body grow and repair",
        "fruit and vegetables provide vitamins, minerals and fibre",
        "drinking enough water helps every part of the body work properly"],
}

FRAMES_INTRO = ["Have you ever wondered about {t}?", "Here is a short explanation of {t}.", "Let's find out about {t}.",
                "{T} is something we see or feel every day, but how does it work?", "A few facts about {t}.",
                "This is a simple guide to {t}.", "Why does {t} matter? Read on."]
CONNECT = ["", "", "", "Also, ", "In fact, ", "Scientists have found that ", "It is interesting that ",
           "Another thing to know is that ", "On top of that, ", "Surprisingly, ", "Remember that ", "What's more, ",
           "Most people do not realise that ", "It is also true that ", "Here is another fact: "]
CLOSE = ["Next time you look around, see if you can spot this in action.", "Science helps us understand the world around us.",
         "There is always more to discover.", "Try explaining this to a friend to check you understand it.",
         "You can find out more at your local library.", "", "", "Isn't that amazing?"]


def science(rng):
    topic = rng.choice(list(SCIENCE))
    facts = rng.sample(SCIENCE[topic], rng.randint(3, len(SCIENCE[topic])))
    leads = rng.sample(CONNECT, len(CONNECT))
    body = [say(rng.choice(FRAMES_INTRO), rng, {"t": topic, "T": topic[0].upper() + topic[1:]})]
    for i, fact in enumerate(facts):
        body.append(tidy((leads[i] if i else "") + fact + "."))
    body.append(rng.choice(CLOSE))
    return " ".join(b for b in body if b)


# --- everyday stories: a small grammar of who, where, what went wrong and how it ended ------------------------------

# Each problem comes with the kinds of help that actually solve it, so the stories make sense.
PROBLEMS = [
    ("it started to pour with rain", ["lent {obj} an umbrella", "offered a lift", "shared a table under the awning"]),
    ("the shop had just closed", ["pointed the way to another shop", "opened the door for one last customer"]),
    ("the train was cancelled", ["shared a taxi", "explained which bus to take instead", "offered a lift"]),
    ("{pron} realised {pron} had left {poss} wallet at home", ["paid and said not to worry", "lent {obj} a few coins"]),
    ("the path was blocked by a fallen tree", ["showed {obj} a shortcut", "pointed the way round through the fields"]),
    ("{poss} phone battery died", ["let {obj} borrow a charger", "lent {obj} a phone to make a call", "drew a little map"]),
    ("a gust of wind blew {poss} hat into the pond", ["fished it out with a long stick", "helped dry it off"]),
    ("the queue was enormous", ["kept a place in the queue", "opened another till"]),
    ("the bus drove straight past", ["offered a lift", "explained when the next bus was due"]),
    ("{pron} got completely lost", ["showed {obj} the way on a map", "walked with {obj} to the right street"]),
    ("a bag split and oranges rolled everywhere", ["helped pick everything up", "gave {obj} a spare bag"]),
    ("{poss} bike got a flat tyre", ["fixed the tyre with a repair kit", "lent {obj} a pump"]),
]

STORY = {
    "time": ["On {day} morning", "Last {month}", "One rainy afternoon", "Early on a cold {day}", "Just after lunch",
             "On the first warm day of spring", "Late one evening", "During the summer holidays", "At the weekend",
             "A few years ago"],
    "day": DAYS, "month": MONTHS,
    "helper": ["a kind stranger", "a shopkeeper", "an old neighbour", "a group of students", "a bus driver",
             "{poss} younger brother", "a friendly dog walker", "a librarian", "a police officer", "{poss} best friend"],
    "feeling": ["grateful", "relieved", "tired but happy", "surprised", "proud of {ref}", "a little embarrassed",
                "delighted", "calm again"],
    "end": ["{pron_c} promised to pass the kindness on.", "By the evening, it made a funny story to tell.",
            "{pron_c} decided to plan better next time.", "It turned out to be the best part of the day.",
            "{pron_c} wrote about it in {poss} diary that night.", "{pron_c} laughed about it all the way home.",
            "The next week, {pron} went back to say thank you.", "Sometimes the unplanned moments are the ones we remember."],
}


# Each errand with the places where it makes sense.
ERRANDS = [
    ("to buy bread and apples", ["the market", "the corner shop", "a busy supermarket"]),
    ("to return a pile of books", ["the library"]), ("to get a new library card", ["the library"]),
    ("to meet an old friend", ["a small cafe", "the park", "the museum", "the train station"]),
    ("to catch the 9.15 train", ["the train station"]),
    ("to find a birthday present", ["the market", "the shopping centre", "a little gift shop"]),
    ("to plant some tomatoes", ["the community garden", "{poss} grandmother's house", "the allotment"]),
    ("to post a parcel", ["the post office"]), ("to learn to swim", ["the swimming pool", "the leisure centre"]),
    ("to take photos of the sunset", ["the beach", "the hills outside town", "the harbour"]),
    ("to get a wobbly bicycle wheel fixed", ["the bike shop"]), ("to pick up a prescription", ["the pharmacy"]),
    ("to sign up for a cooking class", ["the community centre", "the college"]),
    ("to walk the dog", ["the park", "the hills outside town", "the beach"]),
    ("to watch a football match", ["the stadium", "the park", "a friend's house"]),
]

WOMEN = ["Amira", "Chloe", "Elena", "Grace", "Ines", "Kemi", "Maya", "Olga", "Priya", "Rosa", "Uma", "Wen", "Zara",
         "Beatriz", "Dana", "Fatima", "Hana", "Julia", "Lena", "Nadia", "Ruth", "Sofia", "Valeria", "Yara"]
MEN = ["Ben", "Daniel", "Farid", "Hassan", "James", "Liam", "Noah", "Quentin", "Tomas", "Victor", "Yusuf", "Aled",
       "Carlos", "Erik", "Gareth", "Ivan", "Kofi", "Marco", "Oscar", "Pavel", "Theo", "Will", "Sam", "Omar"]


def story(rng):
    she = rng.chance(0.5)
    name = rng.choice(WOMEN if she else MEN)
    slots = dict(STORY)
    slots.update({"pron": "she" if she else "he", "pron_c": "She" if she else "He", "poss": "her" if she else "his",
                  "obj": "her" if she else "him", "ref": "herself" if she else "himself", "name": name})
    goal, places = rng.choice(ERRANDS)
    slots["goal"] = goal
    slots["place"] = places
    templates = [
        "{time}, {name} went to {place} {goal}. [But|Unfortunately,|Just then,|Halfway there,] {problem}. "
        "[Luckily,|Fortunately,|Before long,|Then] {help} {fix}. {name} felt {feeling}. {end}",
        "{name} [had planned|wanted|was hoping] {goal}. {time}, {pron} set off for {place}, [but|only to find that] "
        "{problem}. [For a moment {pron} did not know what to do.|{pron_c} sighed.|{pron_c} almost gave up.] "
        "Then {help} {fix}, and {name} felt {feeling}. {end}",
        "[This is a story about|Let me tell you about] {name}. {time}, {name} [needed|decided] {goal}, so {pron} "
        "[walked|cycled|took the bus] to {place}. {problem_c}. [Thankfully|In the end], {help} {fix}. {end}",
    ]
    problem, fixes = rng.choice(PROBLEMS)
    slots["problem"] = problem
    slots["fix"] = fixes
    slots["help"] = STORY["helper"]
    slots["problem_c"] = lambda r: (lambda s: s[0].upper() + s[1:])(say(problem, r, slots, False))
    return say(rng.choice(templates), rng, slots)


# --- how-to guides ----------------------------------------------------------------------------------------------------

HOWTO = {
    "cook rice on the hob": ["rinse one cup of rice in cold water until the water runs clear",
                             "put the rice in a pan with one and a half cups of water and a pinch of salt",
                             "bring it to the boil, then turn the heat down low and cover the pan",
                             "cook for twelve minutes without lifting the lid",
                             "take the pan off the heat and let it stand for five minutes before fluffing with a fork"],
    "look after a houseplant": ["find out whether your plant likes bright light or shade",
                                "water it when the top of the soil feels dry, not on a fixed schedule",
                                "make sure the pot has holes so extra water can drain away",
                                "feed it once a month in spring and summer", "wipe dust off the leaves now and then"],
    "fix a bicycle puncture": ["take the wheel off and let out any remaining air", "use tyre levers to lift one side of the tyre",
                               "pull out the inner tube and pump a little air into it to find the hole",
                               "clean the area, add glue and press the patch on firmly",
                               "put the tube back, refit the tyre and pump it up"],
    "make a cup of tea": ["boil fresh water", "warm the pot or mug with a splash of hot water",
                          "add a tea bag or a spoonful of loose tea", "pour on the water and leave it for three to five minutes",
                          "remove the tea and add milk or lemon if you like"],
    "save money on food shopping": ["plan your meals for the week", "write a list and stick to it",
                                    "check what is already in the cupboard", "compare the price per kilo, not the price per pack",
                                    "cook extra portions and freeze them for busy days"],
    "write a good email": ["use a clear subject line", "say why you are writing in the first sentence",
                           "keep paragraphs short", "say exactly what you would like the reader to do",
                           "read it again before you press send"],
    "plant tomato seeds": ["fill a small pot with seed compost", "sow two or three seeds about a centimetre deep",
                           "keep the pot somewhere warm and bright", "water gently so the compost stays moist",
                           "move the seedlings into bigger pots when they have two pairs of leaves"],
    "pack for a weekend trip": ["check the weather forecast", "lay out outfits for each day",
                                "roll clothes instead of folding them to save space", "put liquids in a sealed bag",
                                "keep your tickets, keys and charger in one pocket"],
    "bake simple bread": ["mix flour, yeast, salt and warm water into a dough", "knead the dough for ten minutes until smooth",
                          "leave it covered until it doubles in size", "shape it into a loaf and let it rise again",
                          "bake in a hot oven for about thirty minutes until it sounds hollow when tapped"],
    "learn new words in another language": ["choose ten words a day that you will really use",
                                            "write each word in a sentence about your own life",
                                            "test yourself the next day and again a week later",
                                            "label objects around your home", "listen to songs or podcasts in the language"],
    "keep your phone secure": ["use a screen lock with a PIN or fingerprint", "install updates when they appear",
                               "only download apps from the official store", "do not click links in unexpected messages",
                               "back up your photos and contacts"],
    "clean windows without streaks": ["mix warm water with a little washing-up liquid", "wash the glass with a sponge",
                                      "wipe from top to bottom with a squeegee", "dry the edges with a lint-free cloth",
                                      "avoid cleaning in bright sunshine, which dries the water too fast"],
}
ORDINALS = [["First,", "To begin,", "Start by making sure you"], ["Next,", "Then,", "After that,", "Now"],
            ["Then,", "After that,", "Once that's done,", "Next,"], ["Now", "After that,", "Then,"],
            ["Finally,", "Last of all,", "To finish,"]]


def howto(rng):
    task = rng.choice(list(HOWTO))
    steps = HOWTO[task]
    lines = [say("[How to|A simple way to|Step by step: how to|Beginner's guide: how to] {t}", rng, {"t": task})]
    lines.append(say("[It is easier than it looks.|You don't need any special equipment.|This takes about twenty minutes.|"
                     "Anyone can learn this.|Here is a method that works for most people.]", rng))
    text = []
    for i, step in enumerate(steps):
        ordinal = rng.choice(ORDINALS[min(i, 3)] if i < len(steps) - 1 else ORDINALS[4])
        lead = ordinal if not ordinal.endswith("you") else ordinal.replace("making sure you", "")
        text.append(tidy(lead + " " + step + "."))
    lines.append(" ".join(text))
    lines.append(say("[Tip:|A final tip:|If it goes wrong the first time,] [practice makes it easier.|don't rush.|ask someone "
                     "to show you once.|take a photo of each step so you remember.]", rng))
    return "\n".join(lines)


# --- conversations ----------------------------------------------------------------------------------------------------

CONVERSATIONS = [
    ["A: Excuse me, [is this the way to|how do I get to|could you tell me where to find] {place}?",
     "B: [Yes, keep going straight|Go to the end of this road|Turn left at the lights], [then|and] [it's on your right|"
     "you'll see it opposite the bank|it's next to the bakery].",
     "A: [Is it far?|How long will it take on foot?]",
     "B: [About {n} minutes walking.|Not far, maybe {n} minutes.|You could take the number {bus} bus.]",
     "A: [Thanks so much.|Great, thank you.|Thank you, have a nice day.]"],
    ["A: [What are you doing this weekend?|Any plans for {day}?|Are you free on {day}?]",
     "B: [I'm thinking of|I'll probably be|I was planning on] [going to the cinema|visiting my cousins|cleaning the flat|"
     "going for a long walk|trying the new pizza place|painting the kitchen|watching the football|baking something].",
     "A: [That sounds fun.|Nice.|Lucky you.] [Can I come?|I've got to work, unfortunately.|I might join you.]",
     "B: [Of course!|Sure, I'll send you the details.|Next time, then.]"],
    ["Customer: [Hi, I'd like to return this {item} because|Hello, I bought this {item} here last week and] [it "
     "doesn't fit|it stopped working|it's the wrong colour|it arrived damaged].",
     "Assistant: [No problem.|I'm sorry about that.|Of course.] [Do you have the receipt?|Could I see your receipt?]",
     "Customer: [Yes, here it is.|It's on my phone.|I'm afraid I lost it.]",
     "Assistant: [Would you like a refund or an exchange?|I can give you store credit.|I'll put the money back on your card.]",
     "Customer: [A refund, please.|I'll swap it for a bigger size.|That's fine, thanks.]"],
    ["A: [Hello, I'd like to book a table for {n}.|Hi, do you have a table for {n} at {time}?]",
     "B: [Let me check.|One moment please.] [Yes, we have one by the window.|We're full at {time}, but we can do {time2}.]",
     "A: [Perfect.|That works.|Lovely.] [The name is {name}.|It's under {name}.]",
     "B: [Great, see you then.|All booked. See you later, {name}.]"],
    ["A: [How was your first day?|How did the exam go?|How's the new job?]",
     "B: [Better than I expected.|Tiring, honestly.|Pretty good, actually.] [Everyone was friendly.|The last question "
     "was hard.|I got a bit lost at lunchtime.]",
     "A: [That's normal at the start.|I'm sure you did well.|It gets easier.]",
     "B: [I hope so.|Thanks, that helps.|Let's get a coffee later and I'll tell you everything.]"],
]


def conversation(rng):
    template = rng.choice(CONVERSATIONS)
    slots = {"place": ["the library", "the station", "the museum", "the post office", "the town hall", "the hospital",
                       "the swimming pool", "the market square"], "n": [str(k) for k in range(2, 16)], "bus": ["4", "12", "27", "58"],
             "day": DAYS, "item": ["jacket", "kettle", "lamp", "pair of shoes", "toaster", "backpack"],
             "time": ["seven", "half past seven", "eight"], "time2": ["nine", "half past eight"],
             "name": rng.choice(FIRST_NAMES)}
    return "\n".join(say(line, rng, slots) for line in template)


# --- general health, study and service advice in plain words -----------------------------------------------------------

ADVICE = {
    "staying healthy": ["eat plenty of fruit and vegetables", "drink water through the day", "walk or cycle when you can",
                        "get some fresh air every day", "keep in touch with friends", "go to bed at a regular time",
                        "wash your hands before eating", "see a doctor if something worries you"],
    "studying at home": ["set up a tidy space to work", "break big tasks into small steps", "take short breaks",
                         "ask a teacher when you are stuck", "keep your notes organised by topic", "reward yourself after a long session",
                         "put your phone out of reach"],
    "getting good service": ["have your order number ready", "explain the problem calmly and clearly",
                             "ask for a reference number", "write down the name of the person you spoke to",
                             "check the company's help page first", "be polite, even when you are annoyed",
                             "ask what will happen next and when"],
    "a calm morning": ["prepare your bag the night before", "get up ten minutes earlier", "eat a simple breakfast",
                       "open the curtains to let in daylight", "write a short list of what you need to do",
                       "leave a little earlier than you think you need to"],
    "saving energy at home": ["turn off lights when you leave a room", "only boil as much water as you need",
                              "dry clothes outside when the weather is good", "keep doors closed to hold in heat",
                              "wash clothes at a lower temperature", "unplug chargers you are not using"],
}


def advice(rng):
    topic = rng.choice(list(ADVICE))
    tips = rng.sample(ADVICE[topic], rng.randint(3, 5))
    opener = say("[A few ideas for|Simple tips for|Our advice for|Small habits for|What helps with] {t}.", rng, {"t": topic})
    styles = rng.below(3)
    if styles == 0:
        body = " ".join(tidy(rng.choice(["Try to ", "It helps to ", "Remember to ", "Make sure you ", ""]) + t + ".")
                        for t in tips)
    elif styles == 1:
        body = tidy("The best advice is simple: " + join_list(tips) + ".")
        body += " " + say("[None of these cost much.|Pick one and start today.|Small changes add up.]", rng)
    else:
        body = "\n".join("- " + t for t in tips)
    return opener + ("\n" if styles == 2 else " ") + body


# --- weather and notices: numbers and names give variety -------------------------------------------------------------

def weather(rng):
    region = rng.choice(["the north", "the south", "the east coast", "the west", "the hills", "the city", "the islands"])
    high = rng.randint(-2, 31)
    sky = rng.choice(["sunny spells", "thick cloud", "scattered showers", "heavy rain at times", "clear skies",
                      "patchy fog", "light snow", "a few thunderstorms"])
    return say("[Weather for {day}|Today's forecast|The outlook for {day}]: [in|across|over] {r}, expect {sky} "
               "[with a high of {h} degrees|and temperatures around {h} degrees|, reaching {h} degrees by the afternoon]. "
               "[Winds will be light.|It will be breezy near the coast.|Overnight it turns colder, down to {l} degrees.|"
               "{tip}]", rng, {"day": DAYS, "r": region, "sky": sky, "h": str(high), "l": str(high - rng.randint(4, 9)),
                                "tip": "Take an umbrella if you are heading out." if "rain" in sky or "showers" in sky
                                else "A good day to be outside."})


def notice(rng):
    event = rng.choice(["a book swap", "a litter pick", "a charity run", "a summer fair", "a free first aid class",
                        "a repair cafe", "a quiz night", "a tree planting day", "a coding club for beginners",
                        "a choir rehearsal"])
    return say("[Notice|Community news|Coming up|Everyone welcome]: {e} [will take place|is happening] on {day} {d} "
               "{m} at {place}, from {t}. [Bring a friend.|All ages welcome.|It's free to join.|Tea and cake provided.] "
               "[For more details, ask at the front desk.|Contact {name} to sign up.|No need to book.]", rng,
               {"e": event, "day": DAYS, "d": str(rng.randint(1, 28)), "m": MONTHS, "name": FIRST_NAMES,
                "place": ["the community centre", "the library", "the park gates", "St Mary's hall", "the school hall"],
                "t": ["10am", "2pm", "6.30pm", "11am until 3pm"]})


# --- animals: facts with varied sentence frames ---------------------------------------------------------------------

ANIMALS = {
    "elephant": ["the largest land animal", "eats grass, bark and fruit", "uses its trunk to drink, smell and lift things",
                 "lives in family groups led by an older female", "can hear low rumbles from kilometres away"],
    "octopus": ["has eight arms and three hearts", "can change colour in an instant", "squeezes through tiny gaps",
                "is a clever problem solver", "squirts ink to escape from danger"],
    "penguin": ["is a bird that cannot fly", "swims fast using its wings as flippers", "lives mostly in the southern half of the world",
                "huddles with others to keep warm", "eats fish, squid and krill"],
    "fox": ["is a member of the dog family", "hunts mostly at dawn and dusk", "lives in towns as well as the countryside",
            "has excellent hearing", "eats almost anything, from berries to beetles"],
    "owl": ["hunts at night", "can turn its head a very long way", "flies almost silently",
            "swallows small prey whole", "has eyes that face forwards like ours"],
    "salmon": ["is born in a river", "spends years at sea", "swims back up the same river to lay eggs",
               "can leap up small waterfalls", "finds its way home partly by smell"],
    "honeybee": ["visits thousands of flowers in a day", "makes honey from nectar", "lives in a hive with a single queen",
                 "communicates by dancing", "helps pollinate crops"],
    "camel": ["can go many days without drinking", "stores fat in its hump", "has wide feet for walking on sand",
              "closes its nostrils in a sandstorm", "has been used to carry goods across deserts for centuries"],
}


def animal(rng):
    name = rng.choice(list(ANIMALS))
    facts = rng.sample(ANIMALS[name], rng.randint(3, 5))
    out = [say("[The {a}|All about the {a}|Meet the {a}|Did you know? The {a}]", rng, {"a": name}) + "."]
    for i, fact in enumerate(facts):
        frame = rng.choice(["The {a} {f}.", "It {f}.", "A {a} {f}.", "This animal {f}.", "Did you know that the {a} {f}?"]
                           if i else ["The {a} {f}.", "{A} {f}."])
        out.append(say(frame, rng, {"a": name, "A": a_an(name), "f": fact}))
    return " ".join(out)



# --- more procedural kinds: reviews, diaries, word problems, towns, recipes, letters, health questions ----------------

PRODUCTS = {
    "kettle": (["boils quickly", "is quiet", "has a clear water window", "switches off reliably"],
               ["the lid is stiff", "the handle gets warm", "it is smaller than it looks in the photo"]),
    "pair of walking boots": (["are comfortable straight out of the box", "kept my feet dry in heavy rain", "grip well on mud"],
                              ["the laces came undone a lot", "they are quite heavy", "the sizing runs small"]),
    "bike light": (["is very bright", "charges in about two hours", "fits most handlebars"],
                   ["the clip feels flimsy", "the battery drains fast in the cold", "the button is hard to press with gloves"]),
    "phone contract": (["has plenty of data", "has good coverage in town", "was easy to set up"],
                       ["the signal drops on the train", "the price went up after a year", "customer service was slow to reply"]),
    "cookbook": (["has clear photos", "uses ingredients from any supermarket", "includes quick weekday meals"],
                 ["some recipes need special equipment", "the print is small", "there are few vegetarian options"]),
    "online course": (["explains things step by step", "has helpful quizzes", "lets you learn at your own pace"],
                      ["some videos are too long", "the certificate costs extra", "the forum is not very active"]),
    "backpack": (["has lots of pockets", "is comfortable even when full", "is made from tough fabric"],
                 ["the zips are a bit stiff", "the water bottle pocket is too small", "it only comes in dark colours"]),
    "delivery service": (["arrived a day early", "sent tracking updates", "left the parcel in a safe place"],
                         ["the driver didn't knock", "the time slot was very wide", "the box was dented"]),
}


def review(rng):
    item = rng.choice(list(PRODUCTS))
    pros, cons = PRODUCTS[item]
    stars = rng.weighted([1, 2, 3, 4, 5], [1, 1, 2, 4, 4])
    pro = rng.sample(pros, rng.randint(1, 2))
    con = rng.sample(cons, 1 if stars >= 3 else 2)
    verdict = {1: "I would not buy it again.", 2: "Disappointing overall.", 3: "It's fine for the price.",
               4: "I'd recommend it.", 5: "Couldn't be happier."}[stars]
    return say("[{s} stars.|Rating: {s} out of 5.|{s}/5] [I bought this {i} {why}.|We got the {i} {why}.|I've had this {i} "
               "for {n} months.] [The good:|What I like is that it|On the plus side, it] {pro}. [The bad:|However,|The only "
               "downside is that] {con}. {v}", rng,
               {"s": str(stars), "i": item, "n": str(rng.randint(1, 14)), "pro": join_list(pro), "con": join_list(con),
                "v": verdict, "why": ["for my daughter", "to replace an old one", "as a present", "for work",
                                      "after reading good reviews", "for a trip"]})


DIARY_EVENTS = [  # (earliest hour, latest hour, event)
    (6, 8, "woke up before the alarm"), (7, 9, "had porridge with banana for breakfast"), (7, 9, "missed the bus by seconds"),
    (9, 17, "finished the report I had been putting off"), (10, 20, "called my aunt for her birthday"),
    (6, 19, "went for a run by the river"), (18, 21, "cooked a curry that was far too spicy"),
    (20, 23, "read three chapters of my book"), (9, 18, "fixed the dripping tap"), (10, 19, "had a long chat with a neighbour"),
    (8, 18, "forgot my umbrella and got soaked"), (7, 20, "watered the plants on the balcony"),
    (12, 20, "tried a new recipe for lentil soup"), (16, 21, "helped my brother with his maths homework"),
    (13, 22, "sorted out old photos"), (9, 16, "booked a dentist appointment"), (17, 20, "went to a yoga class for the first time"),
    (16, 19, "walked the long way home"), (9, 21, "paid the electricity bill"), (10, 17, "tidied the garden shed"),
    (10, 17, "finally returned the library books"), (12, 14, "ate lunch in the park"), (18, 22, "video called an old friend"),
]


def diary(rng):
    events = sorted(((rng.randint(lo, hi), e) for lo, hi, e in rng.sample(DIARY_EVENTS, rng.randint(3, 5))))
    parts = [say("[Dear diary,|Diary, {day} {d} {m}.|{day}.|Notes from today:]", rng,
                 {"day": DAYS, "d": str(rng.randint(1, 28)), "m": MONTHS})]
    for t, e in events:
        parts.append(say("[At {t}|Around {t}|At about {t}|Just after {t}] I {e}.", rng,
                         {"t": f"{t if t <= 12 else t - 12}{'am' if t < 12 else 'pm'}", "e": e}))
    parts.append(say("[All in all, a good day.|Tired now.|Tomorrow will be busier.|Not bad for a {day}.|Early night, I think.]",
                     rng, {"day": DAYS}))
    return " ".join(parts)


def word_problem(rng):
    kind = rng.below(4)
    name = rng.choice(FIRST_NAMES)
    if kind == 0:
        price, n, paid = rng.randint(2, 9) * 25, rng.randint(2, 6), 0
        total = price * n
        paid = (total // 500 + 1) * 500
        return say("[Problem:|Try this:|Everyday maths:] {n} buys {k} [notebooks|apples|tickets|pens] at {p} each and pays "
                   "with {paid}. How much change does {n} get? [Answer:|Solution:] {k} x {p} = {t}, and {paid} - {t} = {c}.",
                   rng, {"n": name, "k": str(n), "p": money(price), "paid": money(paid), "t": money(total),
                         "c": money(paid - total)})
    if kind == 1:
        speed, hours = rng.randint(4, 12) * 10, rng.randint(2, 5)
        return say("[Problem:|Try this:] a [coach|train|car] travels at {s} km per hour for {h} hours. How far does it go? "
                   "[Answer:|Solution:] distance = speed x time = {s} x {h} = {d} km.", rng,
                   {"s": str(speed), "h": str(hours), "d": str(speed * hours)})
    if kind == 2:
        whole, pct = rng.randint(2, 30) * 20, rng.choice([10, 20, 25, 50, 75])
        return say("[Problem:|Try this:] a [jacket|bike|game|lamp] costs {w} and is reduced by {p} per cent in a sale. "
                   "What is the new price? [Answer:|Solution:] {p}% of {w} is {off}, so the new price is {new}.", rng,
                   {"w": money(whole * 100), "p": str(pct), "off": money(whole * pct), "new": money(whole * (100 - pct))})
    people, slices = rng.randint(2, 6), rng.randint(2, 4)
    pizzas = rng.randint(1, 4)
    return say("[Problem:|Try this:] {n} orders {z} pizzas, each cut into 8 slices, for {p} people. If everyone eats {s} "
               "slices, how many are left? [Answer:|Solution:] {z} x 8 = {t} slices; {p} x {s} = {e} eaten; {l}.", rng,
               {"n": name, "z": str(pizzas), "p": str(people), "s": str(slices), "t": str(pizzas * 8),
                "e": str(people * slices), "l": f"{pizzas * 8 - people * slices} left" if pizzas * 8 >= people * slices
                else f"they are {people * slices - pizzas * 8} slices short"})


def money(pence):
    return f"£{pence // 100}.{pence % 100:02d}" if pence % 100 else f"£{pence // 100}"


SYLLABLES = ["ash", "bel", "brook", "cal", "den", "fen", "ford", "glen", "ham", "kirk", "lea", "mar", "mere", "nor",
             "ridge", "stan", "thorp", "wick", "wood", "ton", "by", "well", "holm", "dale"]


def town(rng):
    name = (rng.choice(SYLLABLES) + rng.choice(SYLLABLES)).capitalize()
    population = rng.randint(2, 90) * 1000 + rng.randint(0, 999)
    kind = "village" if population < 6000 else rng.choice(["town", "market town"])
    return say("{t} is a [small|busy|quiet|growing|historic] {kind} [on the river {r}|near the coast|"
               "in a wide green valley|at the edge of the hills] with about {p} people. [It is known for|Visitors come for|"
               "Locals are proud of] {k}. [The market is held every {day}.|There is a railway station with trains every "
               "hour.|The old bridge was built in {y}.|A new library opened in {y2}.] [In summer|Every {m}], the {place} holds "
               "{e}. [Most people work in|Many residents work in] {w}.", rng,
               {"t": name, "kind": kind, "place": kind.split()[-1], "r": (rng.choice(SYLLABLES) + rng.choice(SYLLABLES)).capitalize(),
                "p": f"{population:,}", "day": DAYS, "m": MONTHS, "y": str(rng.randint(1350, 1890)),
                "y2": str(rng.randint(1995, 2024)),
                "k": ["its cheese", "a ruined castle", "long sandy beaches", "its football club", "a famous bakery",
                      "walking trails", "an old wool mill", "its spring flower show", "a science museum"],
                "e": ["a food festival", "a boat race", "an outdoor concert", "a craft fair", "a fun run", "a lantern parade"],
                "w": ["farming", "tourism", "the hospital", "small shops", "a large factory", "schools and offices",
                      "the nearby city"]})


DISHES = {
    "vegetable soup": (["2 carrots", "1 onion", "2 potatoes", "1 litre of stock", "a handful of peas", "1 leek"],
                       "simmer everything for twenty-five minutes, then blend until smooth"),
    "pancakes": (["100 g of flour", "2 eggs", "300 ml of milk", "a pinch of salt", "a little butter"],
                 "whisk into a thin batter and fry spoonfuls in a hot pan for a minute on each side"),
    "tomato pasta": (["200 g of pasta", "a tin of tomatoes", "2 cloves of garlic", "a spoon of olive oil", "fresh basil"],
                     "cook the pasta while the garlic and tomatoes bubble into a sauce, then stir together"),
    "fruit salad": (["2 apples", "a banana", "a handful of grapes", "1 orange", "some mint leaves", "a squeeze of lemon"],
                    "chop everything into bite-sized pieces and toss with the lemon juice"),
    "egg fried rice": (["a bowl of cooked rice", "2 eggs", "a handful of peas", "2 spring onions", "a dash of soy sauce"],
                       "fry the rice in a hot pan, push it aside, scramble the eggs, then mix in the rest"),
    "banana bread": (["3 ripe bananas", "75 g of butter", "150 g of sugar", "1 egg", "190 g of flour", "1 teaspoon of baking powder"],
                     "mash the bananas, mix in the rest and bake for about an hour at 175 degrees"),
}


def recipe(rng):
    dish = rng.choice(list(DISHES))
    ingredients, method = DISHES[dish]
    chosen = [i for i in ingredients if rng.chance(0.85)] or ingredients[:2]
    serves = rng.randint(2, 6)
    return "\n".join([
        say("[Recipe|Quick recipe|Family favourite|Easy dinner]: {d} ([serves|for] {s})", rng, {"d": dish, "s": str(serves)}),
        say("[You will need|Ingredients]: {i}.", rng, {"i": join_list(chosen)}),
        say("[Method|How to make it]: {m}. [Season to taste.|Serve straight away.|It keeps in the fridge for two days.|"
            "Children love helping with this one.]", rng, {"m": method}),
    ])


def letter(rng):
    name = rng.choice(FIRST_NAMES)
    kind = rng.below(3)
    if kind == 0:
        return say("[Dear|Hi] {to},\n[Thank you so much for|I just wanted to say thanks for] {what}. [It meant a lot to "
                   "me.|You really made my week.|I can't wait to see you again.] [Let's meet up soon.|Give my love to "
                   "everyone.|]\n[Love,|Best wishes,|Cheers,] {n}", rng,
                   {"to": rng.choice(FIRST_NAMES), "n": name,
                    "what": ["the lovely birthday card", "helping me move house", "looking after the cat",
                             "the book you lent me", "dinner on Saturday", "driving me to the airport"]})
    if kind == 1:
        return say("[Dear Sir or Madam,|To the customer service team,]\nI am writing about [my order {o}|the {i} I bought on "
                   "{day}|a delivery that never arrived]. [It arrived broken.|It was not what I ordered.|I was charged "
                   "twice.] [I have attached a photo.|My reference number is {o}.] [Please could you arrange a refund.|I "
                   "would like a replacement.|I look forward to your reply.]\n[Yours faithfully,|Kind regards,] {n}", rng,
                   {"o": f"{rng.randint(100000, 999999)}", "i": ["lamp", "chair", "printer", "jacket", "blender"],
                    "day": DAYS, "n": name})
    return say("[Dear parents and carers,|Hello families,]\n[Next {day}|On {day} {d} {m}], [Year {y}|the class] will "
               "[visit the science museum|go on a nature walk|have a sports afternoon|put on a short play]. [Please send "
               "a packed lunch.|Children should wear comfortable shoes.|There is no cost for this trip.] [If you have any "
               "questions, please contact the school office.|Thank you for your support.]\n{n}, [class teacher|head of "
               "year]", rng, {"day": DAYS, "d": str(rng.randint(1, 28)), "m": MONTHS, "y": str(rng.randint(3, 9)), "n": name})


HEALTH_QA = [
    ("is it normal to feel tired after a cold", "yes, it can take a week or two to get your energy back",
     "rest, drink fluids and build up activity slowly"),
    ("how much water should I drink", "most adults need around six to eight glasses a day",
     "drink more in hot weather or when you exercise"),
    ("how can I sleep better", "a regular routine is the most helpful thing",
     "keep the bedroom cool and dark and avoid caffeine late in the day"),
    ("when should a cough be checked", "a cough that lasts more than three weeks should be seen by a doctor",
     "get help sooner if you cough up blood or feel very unwell"),
    ("is walking good exercise", "yes, brisk walking strengthens the heart and lifts the mood",
     "aim for about thirty minutes on most days"),
    ("how do I look after a small cut", "clean it with running water and cover it with a plaster",
     "see a nurse if it becomes red, hot or swollen"),
    ("what helps with stress", "talking to someone you trust often helps",
     "regular exercise, time outdoors and slow breathing can also help"),
    ("do I need sun cream on cloudy days", "yes, much of the sun's ultraviolet light passes through cloud",
     "use a high factor and reapply after swimming"),
]


def health_qa(rng):
    chosen = rng.sample(HEALTH_QA, rng.randint(1, 3))
    lines = [say("[Your health questions|Ask the nurse|Health corner|Common questions about everyday health]", rng)]
    for q, a, tip in chosen:
        lines.append(say("Q: {q}?", rng, {"q": q[0].upper() + q[1:]}))
        lines.append(say("A: {a}. [{t}.|It also helps to {t2}.|{t}. If you are worried, speak to a pharmacist or doctor.]",
                         rng, {"a": a[0].upper() + a[1:], "t": tip[0].upper() + tip[1:], "t2": tip}))
    return "\n".join(lines)


KINDS = {science: 4, story: 5, howto: 2, conversation: 3, advice: 2, weather: 1.5, notice: 1.5, animal: 2, review: 3,
         diary: 3, word_problem: 2, town: 2, recipe: 1.5, letter: 2.5, health_qa: 1.5}


def documents(name, target_bytes):
    rng = Rng(name, "text")
    kinds = list(KINDS)
    weights = [KINDS[k] for k in kinds]
    docs, size = [], 0
    while size < target_bytes:
        doc = rng.weighted(kinds, weights)(rng)
        docs.append(doc)
        size += len(doc.encode("utf-8")) + 2
    return docs
