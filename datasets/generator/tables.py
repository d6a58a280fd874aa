"""Mixed-type tables for the synthesizer: each row is sampled from a small causal story (latent groups first, then
measurements that depend on them, then the target from a noisy score), so that columns correlate the way real records
do and a classifier can learn the target. Booleans are written true/false, missing cells are empty."""
import math

from .common import Rng, clamp, fmt, logistic


def missing(rng, p, value):
    return None if rng.chance(p) else value


def boolean(flag):
    return "true" if flag else "false"


# ---------------------------------------------------------------------------------------------------------------------

PATIENT_COLUMNS = ["age", "sex", "bmi", "systolic_bp", "heart_rate", "glucose", "num_medications", "num_lab_tests",
                   "prior_admissions", "length_of_stay", "admission_type", "diagnosis_group", "smoker", "insulin",
                   "discharge_to", "readmitted"]


def patients(name, n):
    rng = Rng(name, "table")
    rows = []
    for _ in range(n):
        elderly = rng.chance(0.68)
        age = int(round(clamp(rng.gauss(73, 8) if elderly else rng.gauss(43, 13), 18, 98)))
        sex = rng.pick({"female": 52, "male": 47, "": 1}) or None
        young = age < 50
        diagnosis = rng.pick({
            "circulatory": 20 if not young else 10, "respiratory": 14, "digestive": 12, "diabetes": 10,
            "injury": 7 if not young else 18, "musculoskeletal": 9, "genitourinary": 7, "neoplasms": 8 if not young else 3,
            "mental_health": 2 if not young else 5, "poisoning": 0.5 if not young else 2})
        admission = rng.pick({"emergency": 52, "elective": 26, "urgent": 16, "transfer": 4.5, "trauma": 1.5}
                             if diagnosis != "injury" else {"emergency": 60, "urgent": 15, "trauma": 20, "transfer": 5})
        smoker_p = 0.42 if diagnosis in ("respiratory", "circulatory", "neoplasms") else 0.2
        smoker = missing(rng, 0.07, rng.chance(smoker_p))
        diabetic = diagnosis == "diabetes" or rng.chance(0.12)
        bmi = rng.lognormal(math.log(30.5 if diabetic else 26.8), 0.17)
        systolic = 105 + 0.42 * age + rng.gauss(0, 14) + (9 if diagnosis == "circulatory" else 0) + (5 if smoker else 0)
        heart_rate = rng.gauss(78, 11) + (9 if diagnosis in ("respiratory", "poisoning") else 0) + (
            6 if admission in ("emergency", "trauma") else 0)
        glucose = rng.lognormal(math.log(182), 0.27) if diabetic else rng.lognormal(math.log(97), 0.13)
        insulin = diabetic and rng.chance(0.55)
        medications = rng.poisson(1.5 + age / 18 + (3 if diabetic else 0) + (2 if diagnosis == "circulatory" else 0))
        lab_tests = int(clamp(rng.gauss(22, 7) if admission == "elective" else rng.gauss(48, 12), 1, 110))
        prior = 0 if rng.chance(0.5) else 1 + rng.poisson(0.6 + age / 45 + (0.8 if diabetic else 0))
        stay = rng.lognormal(math.log(2.6) + (0.35 if admission != "elective" else 0) + age / 140 +
                             (0.4 if diagnosis == "neoplasms" else 0), 0.55)
        stay_days = max(1, int(round(stay)))
        frail = age > 80 or stay_days > 10
        discharge = rng.pick({"home": 60 if not frail else 35, "home_with_care": 18, "nursing_facility": 8 if not frail else 30,
                              "rehab": 4 if diagnosis not in ("injury", "musculoskeletal") else 14, "hospice": 0.6})
        z = (-2.6 + 0.7 * prior + 0.03 * (age - 65) + 0.1 * (medications - 6) + 0.1 * (stay_days - 4)
             + (1.1 if discharge in ("nursing_facility", "hospice") else 0) + (0.5 if discharge == "home_with_care" else 0)
             + (1.0 if diabetic and glucose > 200 else 0) + (0.4 if admission in ("emergency", "transfer") else 0)
             - (0.7 if admission == "elective" else 0) + (0.5 if diagnosis in ("circulatory", "neoplasms") else 0)
             + rng.gauss(0, 0.4))
        readmitted = rng.chance(logistic(2.0 * z))
        rows.append([
            age, sex, fmt(missing(rng, 0.08, bmi), 1), int(round(clamp(systolic, 78, 230))),
            int(round(clamp(heart_rate, 40, 160))), fmt(missing(rng, 0.05, glucose), 1), medications, lab_tests, prior,
            stay_days, admission, diagnosis, None if smoker is None else boolean(smoker), boolean(insulin), discharge,
            "yes" if readmitted else "no"])
    return PATIENT_COLUMNS, rows


# ---------------------------------------------------------------------------------------------------------------------

TICKET_COLUMNS = ["channel", "product", "issue_type", "plan_tier", "tenure_months", "customer_age", "wait_minutes",
                  "handle_minutes", "num_contacts", "agent_experience_years", "escalated", "resolved", "satisfaction"]


def tickets(name, n):
    rng = Rng(name, "table")
    rows = []
    for _ in range(n):
        product = rng.pick({"current_account": 27, "credit_card": 20, "mobile_plan": 22, "broadband": 18,
                            "mortgage": 6, "insurance": 5, "business_loan": 2})
        telecom = product in ("mobile_plan", "broadband")
        issue = rng.pick({"billing": 30, "technical": 32 if telecom else 8, "fraud": 2 if telecom else 14,
                          "account_change": 18, "complaint": 9, "cancellation": 5, "lost_card": 0 if telecom else 6})
        tier = rng.pick({"basic": 45, "standard": 34, "premium": 18, "business": 3})
        channel = rng.pick({"phone": 40 if issue != "fraud" else 70, "chat": 30, "email": 19, "social": 8, "branch": 3})
        tenure = rng.uniform(0, 12) if rng.chance(0.28) else rng.lognormal(math.log(42), 0.75)
        age = missing(rng, 0.04, int(round(clamp(rng.gauss(44, 15), 18, 90))))
        if channel == "phone":  # most calls are answered fast; a busy-period mode waits far longer
            wait = rng.lognormal(math.log(1.8), 0.5) if rng.chance(0.6) else rng.lognormal(math.log(17), 0.4)
        elif channel == "chat":
            wait = rng.lognormal(math.log(3.5), 0.6)
        elif channel == "email":
            wait = rng.lognormal(math.log(300), 0.7)
        elif channel == "social":
            wait = rng.lognormal(math.log(55), 0.8)
        else:
            wait = rng.lognormal(math.log(9), 0.5)
        if tier in ("premium", "business"):
            wait *= 0.55
        experience = min(25.0, rng.lognormal(math.log(3.0), 0.8))
        difficulty = {"technical": 0.9, "complaint": 1.0, "fraud": 0.6, "billing": 0.3, "cancellation": 0.5,
                      "account_change": 0.0, "lost_card": -0.2}[issue]
        contacts = 1 + rng.poisson(max(0.1, 0.4 + 0.8 * difficulty - 0.05 * experience))
        handle = rng.lognormal(math.log(6.5 if channel != "email" else 3.0) + 0.35 * difficulty, 0.5)
        escalated = rng.chance(logistic(-2.6 + 1.4 * difficulty + 0.3 * (contacts - 1)))
        resolved = rng.chance(logistic(1.6 - 1.2 * difficulty + 0.12 * experience - 0.25 * (contacts - 1)
                                       - (0.8 if escalated else 0)))
        score = (1.9 * resolved - 0.45 * math.log1p(wait / 5) - 0.4 * (contacts - 1) - 0.7 * escalated
                 + (0.3 if tier in ("premium", "business") else 0) + (0.3 if tenure > 60 else 0)
                 - (0.5 if issue == "complaint" else 0) + rng.gauss(0, 0.55))
        satisfaction = "satisfied" if score > 0.9 else "dissatisfied" if score < -0.1 else "neutral"
        rows.append([channel, product, issue, tier, int(clamp(tenure, 0, 360)), age, fmt(wait, 1),
                     fmt(missing(rng, 0.04, handle), 1), contacts, fmt(experience, 1), boolean(escalated),
                     boolean(resolved), satisfaction])
    return TICKET_COLUMNS, rows


# ---------------------------------------------------------------------------------------------------------------------

STUDENT_COLUMNS = ["age", "gender", "region", "course", "study_mode", "prior_gpa", "has_scholarship", "works_part_time",
                   "first_generation", "study_hours_week", "attendance_rate", "num_assignments_submitted", "forum_posts",
                   "final_result"]


def students(name, n):
    rng = Rng(name, "table")
    rows = []
    for _ in range(n):
        mature = rng.chance(0.24)
        age = int(round(clamp(rng.gauss(35, 8), 24, 66) if mature else clamp(rng.gauss(19.6, 1.4), 17, 25)))
        gender = rng.pick({"female": 53, "male": 45, "non_binary": 2})
        region = rng.pick({"north": 22, "south": 25, "east": 18, "west": 20, "central": 12, "overseas": 3})
        course = rng.pick({"business": 20, "computer_science": 17, "nursing": 15, "psychology": 15, "engineering": 13,
                           "history": 9, "fine_art": 6, "veterinary_science": 2, "music": 3})
        part_time = rng.chance(0.55 if mature else 0.1)
        gpa = clamp(rng.gauss(2.95 if not mature else 2.7, 0.55), 0.8, 4.0)
        scholarship = rng.chance(logistic(3.0 * (gpa - 3.4)))
        works = rng.chance(0.75 if part_time else 0.32)
        first_generation = rng.chance(0.3)
        disengaged = rng.chance(0.1 + (0.07 if works else 0) + (0.05 if part_time else 0))
        hours = rng.lognormal(math.log(11) + 0.25 * (gpa - 2.9) - (0.3 if works else 0) - (0.9 if disengaged else 0), 0.45)
        if disengaged:
            attendance = rng.uniform(0.1, 0.6)
        else:
            attendance = clamp(0.99 - rng.lognormal(math.log(0.11), 0.6), 0.3, 1.0)
        submitted = int(clamp(round(10 * attendance + rng.gauss(0.5, 1.3) - (3 if disengaged else 0)), 0, 10))
        posts = 0 if rng.chance(0.35) else rng.poisson(2 + hours / 4)
        score = (0.9 * (gpa - 2.9) + 0.07 * (hours - 11) + 3.0 * (attendance - 0.8) + 0.3 * (submitted - 8)
                 + 0.04 * posts - (0.3 if works else 0) + rng.gauss(0, 0.45))
        if submitted <= 3 and rng.chance(0.75):
            result = "withdrawn"
        elif score < -0.7:
            result = "fail"
        elif score > 1.0:
            result = "distinction"
        else:
            result = "pass"
        rows.append([age, gender, region, course, "part_time" if part_time else "full_time",
                     fmt(missing(rng, 0.1 if mature else 0.04, gpa), 2), boolean(scholarship), boolean(works),
                     None if rng.chance(0.05) else boolean(first_generation), fmt(hours, 1),
                     fmt(missing(rng, 0.04, attendance), 2), submitted, posts, result])
    return STUDENT_COLUMNS, rows


# Column documentation for the data cards: name -> (type as the recipe's column_types names it, meaning).
COLUMN_DOCS = {
    "patients": {
        "age": ("integer", "years; bimodal (adults around 43, older patients around 73)"),
        "sex": ("categorical", "female / male; a few missing"),
        "bmi": ("continuous", "kg/m2, right-skewed, higher with diabetes; ~8% missing"),
        "systolic_bp": ("integer", "mmHg; rises with age, circulatory diagnoses and smoking"),
        "heart_rate": ("integer", "beats per minute; higher for respiratory and emergency admissions"),
        "glucose": ("continuous", "mg/dL; bimodal (non-diabetic ~97, diabetic ~180); ~5% missing"),
        "num_medications": ("integer", "count; grows with age, diabetes and circulatory disease"),
        "num_lab_tests": ("integer", "count; bimodal by admission type (elective ~22, otherwise ~48)"),
        "prior_admissions": ("integer", "count in the past year; zero-inflated"),
        "length_of_stay": ("integer", "days; log-normal, longer for non-elective, older and neoplasm patients"),
        "admission_type": ("categorical", "emergency, elective, urgent, transfer (rare), trauma (rare)"),
        "diagnosis_group": ("categorical", "10 groups; poisoning and mental_health are rare; depends on age"),
        "smoker": ("boolean", "true/false; ~7% missing; more common in respiratory/circulatory/neoplasm groups"),
        "insulin": ("boolean", "true/false; only for diabetic patients"),
        "discharge_to": ("categorical", "home, home_with_care, nursing_facility, rehab, hospice (rare); frailer "
                                        "patients go to care"),
        "readmitted": ("boolean (target)", "yes/no: readmitted within 30 days; logistic in prior admissions, age, "
                                               "medications, stay, discharge destination, high glucose, admission type"),
    },
    "tickets": {
        "channel": ("categorical", "phone, chat, email, social, branch (rare); fraud comes in by phone more"),
        "product": ("categorical", "current_account, credit_card, mobile_plan, broadband, mortgage, insurance, "
                                   "business_loan (rare)"),
        "issue_type": ("categorical", "billing, technical, fraud, account_change, complaint, cancellation, lost_card; "
                                      "depends on product (telecom vs banking)"),
        "plan_tier": ("categorical", "basic, standard, premium, business (rare)"),
        "tenure_months": ("integer", "months as a customer; mixture of new customers and a long log-normal tail"),
        "customer_age": ("integer", "years; ~4% missing"),
        "wait_minutes": ("continuous", "minutes before first response; multimodal by channel (phone: fast or busy-period "
                                       "mode, email: hours); shorter for premium/business"),
        "handle_minutes": ("continuous", "minutes of agent time; log-normal, longer for harder issues; ~4% missing"),
        "num_contacts": ("integer", "contacts needed for this issue; 1 + Poisson, more for hard issues"),
        "agent_experience_years": ("continuous", "years; log-normal, capped at 25"),
        "escalated": ("boolean", "true/false; more likely for complaints, technical issues and repeat contacts"),
        "resolved": ("boolean", "true/false; less likely for hard issues, escalations, repeat contacts"),
        "satisfaction": ("categorical (target)", "satisfied / neutral / dissatisfied from a noisy score of resolution, "
                                                 "wait, contacts, escalation, tier, tenure and complaints"),
    },
    "students": {
        "age": ("integer", "years; bimodal (school leavers ~20, mature students ~35)"),
        "gender": ("categorical", "female, male, non_binary (rare)"),
        "region": ("categorical", "north, south, east, west, central, overseas (rare)"),
        "course": ("categorical", "9 courses; veterinary_science and music are rare"),
        "study_mode": ("categorical", "full_time / part_time; mature students study part-time more"),
        "prior_gpa": ("continuous", "0.8-4.0; ~4% missing (10% for mature students)"),
        "has_scholarship": ("boolean", "true/false; likelier with a high prior GPA"),
        "works_part_time": ("boolean", "true/false; likelier for part-time students"),
        "first_generation": ("boolean", "true/false; ~5% missing"),
        "study_hours_week": ("continuous", "hours; log-normal, lower for working or disengaged students"),
        "attendance_rate": ("continuous", "0-1; left-skewed with a disengaged low mode; ~4% missing"),
        "num_assignments_submitted": ("integer", "0-10; follows attendance"),
        "forum_posts": ("integer", "count; zero-inflated"),
        "final_result": ("categorical (target)", "distinction / pass / fail / withdrawn from GPA, hours, attendance, "
                                                 "submissions, forum activity and work"),
    },
}
