"""ftcost init: questions on stdin (or options) -> a commented scenario that validates and runs (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ftcost.cli import main
from ftcost.scenario import load_scenario


def run(args, input=None):
    return CliRunner().invoke(main, ["init", *map(str, args)], input=input)


def test_answers_on_stdin(tmp_path):
    out = tmp_path / "review.yaml"
    # task, model (Enter: default), prompt tokens, input, output, volume per day, growth in %, candidate (Enter),
    # dataset (Enter: none), horizon.
    answers = "Rate reviews\n\n1850\n120\n4\n300000/day\n2%\n\n\n24\n"
    r = run([out], input=answers)
    assert r.exit_code == 0, r.output
    sc = yaml.safe_load(out.read_text())
    assert sc["name"] == "Rate reviews"
    # 300,000 a day (the scenario multiplies by 365/12); 2% = 0.02.
    assert sc["volume"] == {"requests_per_day": 300000, "growth_per_month": 0.02}
    assert load_scenario(out).requests_per_month == pytest.approx(9_125_000)
    assert sc["horizon_months"] == 24
    assert sc["strategies"][0]["request"] == {"prompt_tokens": 1850, "input_tokens": 120, "completion_tokens": 4}
    assert sc["strategies"][0]["model"] == "openai/gpt-4o-mini-2024-07-18"
    # Training guess: 1,000 examples x (40 + 120 + 4 + 15) = 179,000 tokens.
    assert sc["strategies"][1]["training"] == {"tokens": 179000, "examples": 1000, "epochs": "auto"}
    assert "# " in out.read_text()  # commented
    assert "[Classify support tickets]" in r.output  # defaults shown in brackets
    assert "break-even" in r.output  # the comparison is printed
    load_scenario(out)


def test_the_questions_in_spanish(tmp_path):
    # The same answers as above with --lang es: the questions, the note written and the comparison are Spanish.
    out = tmp_path / "resenas.yaml"
    r = run([out, "--lang", "es"], input="Clasificar reseñas\n\n1850\n120\n4\n300000/day\n2%\n\n\n24\n")
    assert r.exit_code == 0, r.output
    for words in (
        "Unas preguntas para un primer escenario",
        "Modelo en el que se ejecuta hoy",
        "Tokens de cada respuesta",
        "Peticiones al mes",
        "Meses de la comparación",
        "Escrito ",
        "punto de equilibrio",
    ):
        assert words in r.output, words
    for english in ("A few questions", "Model it runs on today", "Tokens in each answer", "Wrote ", "break-even"):
        assert english not in r.output, english
    assert load_scenario(out).name == "Clasificar reseñas"


def test_a_wrong_answer_is_asked_again(tmp_path):
    out = tmp_path / "s.yaml"
    answers = "\nopenai/gpt-4o-minni\nopenai/gpt-4o-mini\n\n\n\nlots\n1000/day\n\nmistral/mistral-small-latest\n\n\n\n"
    r = run([out], input=answers)
    assert r.exit_code == 0, r.output
    assert "did you mean" in r.output  # the typo is answered with a hint, then asked again
    assert "mistral/mistral-small-latest cannot be" in r.output
    sc = yaml.safe_load(out.read_text())
    assert sc["volume"]["requests_per_day"] == 1000
    from ftcost.cli.init import default_candidate

    assert sc["strategies"][1]["model"] == default_candidate()  # the default after the refusal


def test_yes_takes_every_default(tmp_path):
    out = tmp_path / "s.yaml"
    r = run([out, "--yes"])
    assert r.exit_code == 0, r.output
    sc = load_scenario(out)
    assert sc.requests_per_month == 100000 and sc.horizon_months == 12 and len(sc.strategies) == 2


def test_options_answer_the_questions(tmp_path, monkeypatch):
    (tmp_path / "prompts").mkdir()
    prompt = tmp_path / "prompts" / "rubric.txt"
    prompt.write_text("Rate the review from 1 to 5 stars. " * 40)
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)
    r = run(["out/s.yaml", "--yes", "--prompt-file", "prompts/rubric.txt", "--volume", "1.5M", "--growth", "0.01", "--horizon", "18"])
    assert r.exit_code == 0, r.output
    sc = yaml.safe_load((tmp_path / "out" / "s.yaml").read_text())
    # The prompt file is written relative to the scenario, which resolves paths from its own folder.
    assert sc["strategies"][0]["request"]["prompt_file"] == "../prompts/rubric.txt"
    assert sc["volume"] == {"requests_per_month": 1500000, "growth_per_month": 0.01}
    assert load_scenario(tmp_path / "out" / "s.yaml").strategies[0].prompt_tokens > 0


def test_bad_option_and_existing_file_exit_2(tmp_path, cli):
    out = tmp_path / "s.yaml"
    rc, _, err = cli("init", out, "--yes", "--volume", "lots")
    assert rc == 2 and "lots" in err and not out.exists()
    out.write_text("keep me\n")
    rc, _, err = cli("init", out, "--yes")
    assert rc == 2 and "exists" in err and out.read_text() == "keep me\n"
    rc, _, err = cli("init", out, "--yes", "--force")
    assert rc == 0, err
    load_scenario(out)


def test_never_writes_over_an_input(tmp_path, cli):
    prompt = tmp_path / "p.yaml"
    prompt.write_text("Rate the review.\n")
    rc, _, _err = cli("init", prompt, "--yes", "--force", "--prompt-file", prompt)
    assert rc == 2 and prompt.read_text() == "Rate the review.\n"
    assert Path(prompt).exists()
