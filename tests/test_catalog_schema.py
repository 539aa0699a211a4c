"""The catalog schema describes the catalog: models.json validates against schema/catalog.schema.json,
and the schema refuses the rows a user could get wrong."""
import copy
import json
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "schema" / "catalog.schema.json").read_text(encoding="utf-8"))
MODELS = json.loads((ROOT / "src" / "core" / "catalog" / "models.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_models_json_validates_against_the_schema():
    errors = sorted(VALIDATOR.iter_errors(MODELS), key=lambda e: list(e.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []


def test_ids_are_unique_ignoring_case():
    ids = [m["id"].lower() for m in MODELS]
    assert len(ids) == len(set(ids))


def _row():
    return copy.deepcopy(next(m for m in MODELS if m["id"] == "Qwen/Qwen2.5-7B-Instruct"))


@pytest.mark.parametrize(
    "change, where",
    [
        (lambda r: r.pop("config"), "config"),
        (lambda r: r["config"].pop("model_type"), "model_type"),
        (lambda r: r["config"].update(architectures=[]), "architectures"),
        (lambda r: r["config"].update(hidden_size=0), "hidden_size"),
        (lambda r: r.update(chinese=6), "chinese"),
        (lambda r: r.update(tasks=["poetry"]), "tasks"),
        (lambda r: r.update(released="2024/09"), "released"),
        (lambda r: r.update(id="https://huggingface.co/x/y"), "id"),
        (lambda r: r.update(checkpoint={"dtype": "int4"}), "checkpoint"),
        (lambda r: r.update(extra=1), "extra"),
    ],
)
def test_the_schema_refuses_a_broken_row(change, where):
    row = _row()
    change(row)
    errors = list(VALIDATOR.iter_errors([row]))
    assert errors, f"a row with a bad {where} passed the schema"
    assert any(where in (e.message + " " + " ".join(map(str, e.absolute_path))) for e in errors)


def test_a_local_directory_is_a_valid_id_for_a_users_own_row():
    row = _row()
    row["id"] = "/home/me/models/qwen-sft"
    row["released"] = "unknown"
    assert list(VALIDATOR.iter_errors([row])) == []
