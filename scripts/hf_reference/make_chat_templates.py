#!/usr/bin/env python3
"""Golden chat-template renderings from transformers' apply_chat_template, for ChatTemplateTest.

Usage: /work/venv/bin/python scripts/hf_reference/make_chat_templates.py

Renders conversations through the workbench's built-in templates (workbench/src/main/resources/dev/workbench/data/
chat/*.jinja) and the test's own fixture templates (workbench/src/test/resources/chat/fixture-*.jinja, written for the
test: loops, conditionals, loop.first/last, raise_exception, bos/eos, add_generation_prompt, system handling, trim and
lstrip of blocks) with the tiny Llama and Qwen2 fixtures' tokenizers (workbench/src/test/resources/hf/llama/), with
and without the generation prompt, and writes workbench/src/test/resources/chat/expected.json: the rendered text, the
token ids of that text (add_special_tokens=False, as apply_chat_template(tokenize=True) does), or the error message
of raise_exception. Also writes tokenizer_config.json folders llama-auto/ (chat_template as a list of named
templates) and qwen2-auto/ (a string) for the auto lookup. Deterministic.
"""
import json
import os
import shutil

import transformers
from transformers import AutoTokenizer

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
TEST = os.path.join(ROOT, "workbench/src/test/resources")
BUILT_IN = os.path.join(ROOT, "workbench/src/main/resources/dev/workbench/data/chat")
OUT = os.path.join(TEST, "chat")

CONVERSATIONS = {
    "single": [{"role": "user", "content": "What is 12 + 30?"},
               {"role": "assistant", "content": "12 + 30 = 42.\n#### 42"}],
    "system_multi": [{"role": "system", "content": "You are a support agent for Acme Telecom."},
                     {"role": "user", "content": "My router keeps dropping the connection."},
                     {"role": "assistant", "content": "  Sorry to hear that. Have you restarted it?  "},
                     {"role": "user", "content": "Yes, twice. Café wifi works fine though 👋"},
                     {"role": "assistant", "content": "Then let's check the line: what colour is the DSL light?"}],
    "braces": [{"role": "user", "content": "Print {{ name }} and {% raw %} literally."},
               {"role": "assistant", "content": "{{ name }} stays as written."}],
    "late_system": [{"role": "user", "content": "Hi"},
                    {"role": "system", "content": "Be brief."},
                    {"role": "assistant", "content": "Hello."}],
}
TEMPLATES = ["chatml", "llama3", "alpaca", "fixture-chat", "fixture-chatml-trim"]


def template_source(name):
    folder = BUILT_IN if not name.startswith("fixture-") else OUT
    with open(os.path.join(folder, name + ".jinja"), encoding="utf-8") as f:
        return f.read()


def main():
    cases = []
    for tokenizer_name in ["llama", "qwen2"]:
        tokenizer = AutoTokenizer.from_pretrained(os.path.join(TEST, "hf/llama", tokenizer_name))
        for template in TEMPLATES:
            source = template_source(template)
            for conversation_name, messages in CONVERSATIONS.items():
                for generation in [False, True]:
                    case = {"tokenizer": tokenizer_name, "template": template, "conversation": conversation_name,
                            "add_generation_prompt": generation}
                    try:
                        text = tokenizer.apply_chat_template(messages, chat_template=source, tokenize=False,
                                                             add_generation_prompt=generation)
                        case["text"] = text
                        case["ids"] = tokenizer(text, add_special_tokens=False)["input_ids"]
                    except Exception as e:  # raise_exception: jinja2 TemplateError
                        case["error"] = str(e)
                    cases.append(case)
        auto = os.path.join(OUT, tokenizer_name + "-auto")
        os.makedirs(auto, exist_ok=True)
        with open(os.path.join(TEST, "hf/llama", tokenizer_name, "tokenizer_config.json"), encoding="utf-8") as f:
            config = json.load(f)
        if tokenizer_name == "llama":
            config["chat_template"] = [{"name": "default", "template": template_source("fixture-chat")},
                                       {"name": "tool_use", "template": "{{ raise_exception('not this one') }}"}]
        else:
            config["chat_template"] = template_source("fixture-chatml-trim")
        with open(os.path.join(auto, "tokenizer_config.json"), "w", encoding="utf-8") as f:
            json.dump(config, f, indent=2, ensure_ascii=False)
            f.write("\n")
    document = {"transformers": transformers.__version__, "conversations": CONVERSATIONS, "cases": cases}
    with open(os.path.join(OUT, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(document, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(len(cases), "cases")


if __name__ == "__main__":
    main()
