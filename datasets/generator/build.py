"""The list of shipped files and the generator that makes each one: relative path -> bytes."""
from . import (cards, education_labelled, education_text, general_text, instructions, labelled, medical_labelled,
               medical_text, support_labelled, support_text, tables)
from .common import csv_bytes, text_bytes

LABELLED_HEADER = ["text", "label"]

NOT_CLINICAL = ("Not for clinical use: the symptom-to-specialty pairs, leaflets and notes are simplified, incomplete "
                "and unchecked by clinicians; never use them to triage or advise real patients.")


def all_files():
    files = {}

    # medical: symptom messages -> specialty, clinical prose, patient records -> readmission
    files["medical/labelled.csv"] = csv_bytes(LABELLED_HEADER, labelled.generate(medical_labelled.SPEC, "medical", 800))
    files["medical/text.txt"] = text_bytes(medical_text.documents("medical", 70_000))
    files["medical/table.csv"] = csv_bytes(*tables.patients("medical", 1500))

    # customer-service: banking/telecom messages -> intent, support prose, tickets -> satisfaction
    files["customer-service/labelled.csv"] = csv_bytes(LABELLED_HEADER, labelled.generate(
        support_labelled.SPEC, "customer-service", 800))
    files["customer-service/text.txt"] = text_bytes(support_text.documents("customer-service", 70_000))
    files["customer-service/table.csv"] = csv_bytes(*tables.tickets("customer-service", 1500))

    # education: student questions -> subject, lesson prose, student records -> final result
    files["education/labelled.csv"] = csv_bytes(LABELLED_HEADER, labelled.generate(
        education_labelled.SPEC, "education", 800))
    files["education/text.txt"] = text_bytes(education_text.documents("education", 70_000))
    files["education/table.csv"] = csv_bytes(*tables.students("education", 1500))

    # general: multi-domain prose for pretraining the nano base model
    files["general/text.txt"] = text_bytes(general_text.documents("general", 300_000))

    # quickstart: a small medical slice (own random streams, 8 of the 10 specialties, less label noise)
    files["quickstart/labelled.csv"] = csv_bytes(LABELLED_HEADER, labelled.generate(
        medical_labelled.SPEC, "quickstart", 240, medical_labelled.QUICKSTART_LABELS,
        medical_labelled.QUICKSTART_NOISE))
    files["quickstart/text.txt"] = text_bytes(medical_text.documents("quickstart", 30_000, [
        c for c in medical_text.CONDITIONS if c["specialty"] in medical_text.QUICKSTART_SPECIALTIES]))
    files["quickstart/table.csv"] = csv_bytes(*tables.patients("quickstart", 500))

    # instruction data for the instruct task, and held-out files for task evaluation (never trained on)
    files["customer-service/conversations.jsonl"] = instructions.jsonl_bytes(instructions.support_conversations(
        "customer-service/conversations.jsonl", 300))
    files["customer-service/conversations-heldout.jsonl"] = instructions.jsonl_bytes(instructions.support_heldout(
        "customer-service/conversations-heldout.jsonl", 80, set()))
    files["medical/health-qa.jsonl"] = instructions.jsonl_bytes(instructions.health_qa("medical/health-qa.jsonl", 300))
    files["medical/health-qa-heldout.jsonl"] = instructions.jsonl_bytes(instructions.health_heldout(
        "medical/health-qa-heldout.jsonl", 80))
    seen = set()  # no held-out word problem repeats a training one
    files["education/word-problems.jsonl"] = instructions.jsonl_bytes(instructions.word_problems(
        "education/word-problems.jsonl", 400, seen))
    files["education/word-problems-heldout.jsonl"] = instructions.jsonl_bytes(instructions.word_problems_heldout(
        "education/word-problems-heldout.jsonl", 100, seen))

    files.update(data_cards(files))
    return files


def data_cards(f):
    medical_text_note = ("Document kinds: patient leaflets, clinic notes (with made-up observations), discharge advice, "
                         "medicine leaflets, nurse triage calls and GP referral letters, composed from a small "
                         f"knowledge base of {len(medical_text.CONDITIONS)} common conditions and "
                         f"{len(medical_text.MEDICINES)} medicines.")
    medical_labelled_note = ("Each message is a template (patient, relative or triage-note voice) filled with one or two "
                             "symptom phrases of its specialty, often a symptom shared by several specialties "
                             "(fatigue, dizziness, breathlessness), sometimes a symptom of a neighbouring specialty, and "
                             "a context sentence; about a third have typos and many are lower-cased. Some messages are "
                             "ambiguous on purpose (a cardiology message that also mentions heartburn).")
    support_labelled_note = ("Messages to a bank that also sells mobile and broadband plans (written for this project, "
                             "not taken from BANKING77 or any other set). Templates are filled with one or two phrasings "
                             "of the intent, often a generic account word, sometimes a phrase of a confusable intent "
                             "(refund vs unrecognised charge, lost card vs declined card), plus casual typing and typos.")
    education_labelled_note = ("Questions a student sends to a homework-help desk, labelled with the subject. Topics "
                               "overlap on purpose (graphs in algebra and statistics, energy in physics, chemistry and "
                               "biology, essays in history and literature).")
    cards_out = {}
    cards_out["medical/README.md"] = cards.card(
        "medical: symptoms, clinical prose, patient records",
        "Starter data for `recipes/medical.yaml`: classify a patient's message to the specialty that should see it, "
        "adapt the language model to clinical prose, and synthesize patient records with a readmission target.",
        [cards.labelled_section(f["medical/labelled.csv"], medical_labelled_note),
         cards.text_section(f["medical/text.txt"], medical_text_note),
         cards.table_section(f["medical/table.csv"], "patients", "readmitted"),
         cards.instruction_section(f["medical/health-qa.jsonl"], f["medical/health-qa-heldout.jsonl"],
                                   "alpaca (`instruction`, `input` (often empty: the asker's context), `output`, "
                                   "sometimes `system`)",
                                   "Consumer health questions about the 20 conditions of the text's knowledge base "
                                   "(what it is, symptoms, tests, treatment, warning signs), answered from that base.",
                                   "`question`, `answer`, `choices` (four answers of the same kind, three about other "
                                   "conditions), `label` (index of the right one). Questions are drawn from the same "
                                   "phrasings as training, so a held-out question can read like a training one; the "
                                   "choices test whether the model ties the answer to the condition.")],
        [NOT_CLINICAL, "Specialty labels follow one plausible routing; real triage depends on history and local "
                       "services, and several messages have more than one defensible answer."],
        "Demonstrating and testing the workbench: fine-tuning, classification, synthesis and their reports.")
    cards_out["customer-service/README.md"] = cards.card(
        "customer-service: intents, support prose, tickets",
        "Starter data for `recipes/customer-service.yaml`: classify customer messages by intent, adapt the language "
        "model to support articles and chats, and synthesize support tickets with a satisfaction target.",
        [cards.labelled_section(f["customer-service/labelled.csv"], support_labelled_note),
         cards.text_section(f["customer-service/text.txt"],
                            "Document kinds: help-centre articles with numbered steps, agent-customer chat transcripts "
                            "(solved, escalated or unhappy), email replies, FAQ pages, agent case notes and service "
                            "notices, built from 15 support topics of an invented company (Northway)."),
         cards.table_section(f["customer-service/table.csv"], "tickets", "satisfaction"),
         cards.instruction_section(f["customer-service/conversations.jsonl"],
                                   f["customer-service/conversations-heldout.jsonl"],
                                   "messages (OpenAI: `messages: [{role, content}]`, a system message first)",
                                   "Support chats of one or two exchanges on seven topics (lost card, missing refund, "
                                   "roaming, slow broadband, declined payment, higher bill, change of address), with "
                                   "amounts, days and countries filled in.",
                                   "`question` (the customer's message), `answer` (an agent reply), for free-text "
                                   "scores (ROUGE-L, F1).")],
        ["Company, products, phone numbers and policies are invented; they describe no real provider.",
         "Intents are a fixed closed set; real traffic has many more intents and out-of-scope messages."],
        "Demonstrating and testing the workbench on a support domain.")
    cards_out["education/README.md"] = cards.card(
        "education: student questions, lesson prose, student records",
        "Starter data for `recipes/education.yaml`: classify student questions by subject, adapt the language model to "
        "lesson notes and tutoring, and synthesize student records with a final-result target.",
        [cards.labelled_section(f["education/labelled.csv"], education_labelled_note),
         cards.text_section(f["education/text.txt"],
                            "Document kinds: lesson and revision notes, worked examples whose numbers are computed "
                            "(equations, Pythagoras, averages, speed, Ohm's law, binary, circle areas), tutoring "
                            "dialogues, quizzes with answers, marking feedback and study tips, over 18 school topics."),
         cards.table_section(f["education/table.csv"], "students", "final_result"),
         cards.instruction_section(f["education/word-problems.jsonl"], f["education/word-problems-heldout.jsonl"],
                                   "completion (`prompt`: the problem, `completion`: a worked solution whose last line "
                                   "is `#### N`, as GSM8K writes it)",
                                   "Arithmetic word problems of five kinds (change after shopping, sharing, distance, "
                                   "discounts, reading over weeks) with one- and two-step worked solutions; every "
                                   "step is computed by the generator, so the arithmetic is exact.",
                                   "GSM8K's columns: `question`, `answer` (worked solution ending `#### N`), "
                                   "`final_answer` (N). No held-out problem repeats a training one.")],
        ["Subject content is simplified school level (UK-flavoured curriculum) and not checked by teachers.",
         "Student records describe no real institution; the causes of the final result are a simple story."],
        "Demonstrating and testing the workbench on an education domain.")
    cards_out["general/README.md"] = cards.card(
        "general: multi-domain prose for pretraining",
        "With three public-domain books, the corpus that `recipes/base.yaml` uses to pretrain the shipped base model (`models/general-micro`). It covers "
        "simple science, animals, everyday stories, how-to guides, conversations, health questions in plain words, "
        "study and service advice, product reviews, diaries, maths word problems (answers computed), town "
        "descriptions, recipes, letters, weather and community notices.",
        [cards.text_section(f["general/text.txt"],
                            "The register is general on purpose: domain words appear (doctor, refund, homework) but not "
                            "the clinical-note, support-article and lesson formats of the domain corpora, so domain "
                            "fine-tuning still has something to teach.")],
        ["Small (about 300 KB): enough for a 0.2M-parameter model to learn spelling, common words and sentence shapes, "
         "not facts or reasoning.", "Stories and facts repeat with variations; the model will reproduce those frames."],
        "Pretraining tiny demonstration models; never as a benchmark of language understanding.")
    cards_out["quickstart/README.md"] = cards.card(
        "quickstart: a small medical slice",
        "Small enough for `recipes/quickstart.yaml` to run every stage in about 90 seconds on 2 CPU cores. Same "
        "generators as `datasets/medical/` with their own random streams, 8 of the 10 specialties and less label "
        "noise (the classifier only sees about 170 training rows).",
        [cards.labelled_section(f["quickstart/labelled.csv"], medical_labelled_note.split(";")[0] + "; here with "
                                "fewer typos and no deliberately ambiguous messages."),
         cards.text_section(f["quickstart/text.txt"], medical_text_note + " Only conditions of the 8 specialties."),
         cards.table_section(f["quickstart/table.csv"], "patients", "readmitted")],
        [NOT_CLINICAL, "Test-set metrics on ~50 labelled rows and ~100 table rows are noisy (a few rows change them "
                       "by several points)."],
        "The 90-second tour of the workbench.")
    return cards_out
