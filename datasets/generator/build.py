"""The list of shipped files and the generator that makes each one: relative path -> bytes."""
from . import education_labelled, education_text, general_text, labelled, medical_labelled, medical_text, support_labelled, support_text, tables
from .common import csv_bytes, text_bytes


def all_files():
    files = {}
    files["medical/labelled.csv"] = csv_bytes(["text", "label"],
                                              labelled.generate(medical_labelled.SPEC, "medical", 800))
    files["quickstart/labelled.csv"] = csv_bytes(["text", "label"], labelled.generate(
        medical_labelled.SPEC, "quickstart", 240, medical_labelled.QUICKSTART_LABELS,
        medical_labelled.QUICKSTART_NOISE))
    files["customer-service/labelled.csv"] = csv_bytes(["text", "label"], labelled.generate(
        support_labelled.SPEC, "customer-service", 800))
    files["education/labelled.csv"] = csv_bytes(["text", "label"], labelled.generate(
        education_labelled.SPEC, "education", 800))
    files["medical/table.csv"] = csv_bytes(*tables.patients("medical", 1500))
    files["quickstart/table.csv"] = csv_bytes(*tables.patients("quickstart", 500))
    files["customer-service/table.csv"] = csv_bytes(*tables.tickets("customer-service", 1500))
    files["education/table.csv"] = csv_bytes(*tables.students("education", 1500))
    files["medical/text.txt"] = text_bytes(medical_text.documents("medical", 70_000))
    files["quickstart/text.txt"] = text_bytes(medical_text.documents("quickstart", 30_000, [
        c for c in medical_text.CONDITIONS if c["specialty"] in medical_text.QUICKSTART_SPECIALTIES]))
    files["customer-service/text.txt"] = text_bytes(support_text.documents("customer-service", 70_000))
    files["education/text.txt"] = text_bytes(education_text.documents("education", 70_000))
    files["general/text.txt"] = text_bytes(general_text.documents("general", 300_000))
    return files
