import json
from pathlib import Path

import pytest

from hikeshi.analysis import train
from hikeshi.analysis.affect import model_from_json


@pytest.fixture(scope="module")
def small_model_data() -> dict[str, object]:
    examples = train.own_examples()[::3]
    return train.train(examples)


def test_training_is_deterministic_and_loads(small_model_data: dict[str, object]) -> None:
    again = train.train(train.own_examples()[::3])
    assert again["version"] == small_model_data["version"]
    model = model_from_json(small_model_data)
    assert model.sentiment("最高に楽しかった！").positive > model.sentiment("最悪、二度と行かない").positive


def test_model_file_records_sources_and_licences(small_model_data: dict[str, object]) -> None:
    training = small_model_data["training"]
    assert isinstance(training, dict)
    assert "Apache-2.0" in training["data"]["own"]
    assert "BSD-3-Clause" in training["data"]["lexicons"]
    assert "wrime" not in json.dumps(training).lower()


def test_main_without_shared_data_writes_a_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "model.json"
    assert train.main(["--shared-data", str(tmp_path / "missing"), "--output", str(output)]) == 0
    data = json.loads(output.read_text(encoding="utf-8"))
    assert data["training"]["examples"] == {
        "own": len(train.own_examples()) + len(train.own_examples(train.DIARY_POSTS))
    }
    assert "chABSA なしで学習します" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"text": "a", "label": "positive"}', 1),
        ('{"text": "a", "label": "neutral"}', 1),
        ('{"text": "a", "label": "mixed"}', 0),
    ],
)
def test_chabsa_keeps_three_tone_classes(tmp_path: Path, line: str, expected: int) -> None:
    path = tmp_path / "chabsa.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    assert len(train.chabsa_examples(path)) == expected
