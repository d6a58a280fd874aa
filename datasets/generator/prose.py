"""Helpers for composing documents from sentence templates."""

FIRST_NAMES = ["Amira", "Ben", "Chloe", "Daniel", "Elena", "Farid", "Grace", "Hassan", "Ines", "James", "Kemi", "Liam",
               "Maya", "Noah", "Olga", "Priya", "Quentin", "Rosa", "Sam", "Tomas", "Uma", "Victor", "Wen", "Yusuf",
               "Zara", "Aled", "Beatriz", "Carlos", "Dana", "Erik", "Fatima", "Gareth", "Hana", "Ivan", "Julia", "Kofi",
               "Lena", "Marco", "Nadia", "Oscar", "Pavel", "Ruth", "Sofia", "Theo", "Valeria", "Will", "Xin", "Yara"]
SURNAMES = ["Adams", "Bakr", "Chen", "Dlamini", "Evans", "Fischer", "Garcia", "Hughes", "Iqbal", "Jones", "Kowalski",
            "Lopez", "Mensah", "Novak", "Okafor", "Patel", "Quinn", "Rossi", "Silva", "Taylor", "Usman", "Varga",
            "Walsh", "Xu", "Young", "Zhou", "Brennan", "Costa", "Doyle", "Ellis", "Farah", "Gill", "Hart", "Ito"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def person(rng):
    return rng.choice(FIRST_NAMES) + " " + rng.choice(SURNAMES)


def join_list(items, conjunction="and"):
    items = list(items)
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " " + conjunction + " " + items[-1]


def paragraph(sentences):
    return " ".join(s for s in sentences if s)
