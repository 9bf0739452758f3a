"""Error messages in Spanish (issue 15, item 5): the errors a person sees follow the language.

Each case provokes one kind of bad input through the real entry point with ``--lang es`` (or ``LANG=es_ES.UTF-8``
where the command has no --lang, or where --lang itself is the mistake) and checks that the message is Spanish
(Spanish words of the translation present, the English words of the same message absent), that it still names
the file, line, column and key path (never translated), and that the exit code is 2. The same inputs in English
give exactly the text they gave before the messages were translated (the strings below were copied from the
English output of main before this change).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ftcost import i18n

BASE = """\
ftcost: 1
name: t
start: 2027-01
horizon_months: 12
volume:
  requests_per_month: 100000
  growth_per_month: 0.02
pricing: [openai]
strategies:
  - name: prompt
    type: prompt
    model: openai/gpt-4o-mini
    request:
      prompt_tokens: 500
      completion_tokens: 20
"""
# Line numbers of BASE (1-based, as editors show them): 7 growth_per_month, 11 type, 12 model, 14 prompt_tokens,
# 15 completion_tokens. Columns: the value's first character ("      completion_tokens: " is 25 characters, so -5 is
# at column 26).


@pytest.fixture
def lang_env(monkeypatch):
    """The environment's language for a run (LC_ALL and LC_MESSAGES cleared, so LANG decides)."""
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)

    def set_lang(value: str) -> None:
        monkeypatch.setenv("LANG", value)

    set_lang("C.UTF-8")
    yield set_lang
    i18n.set_language("en")


def scenario(tmp_path: Path, old: str = "", new: str = "", text: str | None = None) -> Path:
    body = BASE if text is None else text
    if old:
        assert old in body
        body = body.replace(old, new)
    path = tmp_path / "s.yaml"
    path.write_text(body, encoding="utf-8")
    return path


# (name, how to edit BASE, extra arguments, Spanish words, English words of the same message, located part)
SCENARIO_CASES = [
    (
        "range",
        ("completion_tokens: 20", "completion_tokens: -5"),
        ["debe ser >= 0, pero es -5", "sugerencia: una cantidad, un precio o un coste no pueden ser negativos"],
        ["must be", "got", "hint:", "cannot be negative"],
        "s.yaml:15:26: strategies[0].request.completion_tokens: ",
    ),
    (
        "type",
        ("prompt_tokens: 500", "prompt_tokens: [500]"),
        ["se esperaba un número; se encontró una lista [500]", "escriba el número en cifras"],
        ["expected", "got a list", "write the number", "without quotes"],
        "s.yaml:14:22: strategies[0].request.prompt_tokens: ",
    ),
    (
        "quoted number",
        ("prompt_tokens: 500", 'prompt_tokens: "500"'),
        ["se esperaba un número; se encontró el texto '500'", "quite las comillas"],
        ["expected", "got the text", "remove the quotes"],
        "s.yaml:14:22: strategies[0].request.prompt_tokens: ",
    ),
    (
        "YAML syntax",
        ("growth_per_month: 0.02", "growth_per_month: 0.02: x"),
        ["YAML no válido: no se admiten valores de mapa en este contexto", "revise la sangría"],
        ["invalid YAML", "mapping values", "not allowed", "check indentation"],
        "s.yaml:7:25: ",
    ),
    (
        "YAML unclosed list",
        ("pricing: [openai]", "pricing: [openai"),
        ["YAML no válido: falta una ',' o un ']'"],
        ["invalid YAML", "did not find", "expected"],
        "s.yaml:9:11: ",
    ),
    (
        "unknown key",
        ("    type: prompt", "    tipe: prompt"),
        ["clave desconocida 'tipe' en una estrategia", "sugerencia: ¿quiso decir 'type'?"],
        ["unknown key", "in a strategy", "did you mean"],
        "s.yaml:11:5: strategies[0].tipe: ",
    ),
    (
        "implausible growth",
        ("growth_per_month: 0.02", "growth_per_month: 5"),
        ["growth_per_month 5 es más de un +100 % al mes", "5 significa +500 % al mes; ¿quiso decir 0.05?"],
        ["is more than", "a month", "means", "did you mean", "a fraction"],
        "s.yaml:7:21: volume.growth_per_month: ",
    ),
    (
        "missing required key",
        ("name: t\n", ""),
        ["falta la clave obligatoria 'name'"],
        ["is required"],
        "s.yaml:1:1: ",
    ),
    (
        "unknown model",
        ("openai/gpt-4o-mini", "openai/gpt-4o-minni"),
        ["modelo desconocido 'gpt-4o-minni' en el catálogo de openai", "¿quiso decir 'gpt-4o-mini'? modelos conocidos: "],
        ["unknown model", "catalog", "did you mean", "known models"],
        "s.yaml:12:12: strategies[0].model: ",
    ),
    (
        "unknown catalog",
        ("pricing: [openai]", "pricing: [openia]"),
        ["no hay ningún catálogo de precios llamado 'openia'", "¿quiso decir 'openai'? conocidos: "],
        ["no pricing catalog", "named", "did you mean", "known:"],
        "s.yaml:8:10: pricing: ",
    ),
    (
        "price per 1K tokens",
        ("      completion_tokens: 20\n", "      completion_tokens: 20\n    prices: {input: 0.00015}\n"),
        ["parece un precio por 1K tokens: aquí los precios son por 1M tokens", "multiplique por 1000: 0.15 por 1M tokens"],
        ["looks like", "prices here", "multiply"],
        "s.yaml:16:21: strategies[0].prices.input: ",
    ),
    (
        "unknown strategy type",
        ("type: prompt", "type: promt"),
        ["tipo de estrategia desconocido 'promt'", "¿quiso decir 'prompt'?"],
        ["unknown strategy type", "did you mean"],
        "s.yaml:11:11: strategies[0].type: ",
    ),
]


@pytest.mark.parametrize("name, edit, spanish, english, located", SCENARIO_CASES, ids=[c[0] for c in SCENARIO_CASES])
def test_scenario_errors_in_spanish(name, edit, spanish, english, located, cli, tmp_path, lang_env):
    path = scenario(tmp_path, *edit)
    rc, out, err = cli("compare", path, "--lang", "es")
    assert rc == 2 and out == "" and "Traceback" not in err
    assert err.startswith("Error: ") and err.count("\n") == 1, err
    assert f"{path.parent}/{located}" in err, err  # file:line:column: key path, untranslated
    for word in spanish:
        assert word in err, (word, err)
    for word in english:
        assert word not in err, (word, err)


def test_the_same_errors_follow_lang_from_the_environment(cli, tmp_path, lang_env):
    """No --lang: LANG=es_ES.UTF-8 gives Spanish, LANG=C.UTF-8 English (validate has no --lang option)."""
    path = scenario(tmp_path, "    type: prompt", "    tipe: prompt")
    lang_env("es_ES.UTF-8")
    rc, _, err = cli("validate", path)
    assert rc == 2 and "clave desconocida 'tipe' en una estrategia (sugerencia: ¿quiso decir 'type'?)" in err
    lang_env("C.UTF-8")
    rc, _, err = cli("validate", path)
    assert rc == 2 and err == f"Error: {path}:11:5: strategies[0].tipe: unknown key 'tipe' in a strategy (hint: did you mean 'type'?)\n"


def test_a_missing_scenario_file(cli, tmp_path, lang_env):
    missing = tmp_path / "nowhere.yaml"
    rc, _, err = cli("compare", missing, "--lang", "es")
    assert rc == 2 and err.startswith(f"Error: {missing}: no se encuentra el archivo de escenario (sugerencia: compruebe la ruta;")
    assert "not found" not in err and "check the path" not in err


def test_output_equal_to_an_input(cli, tmp_path, lang_env):
    page = tmp_path / "s.html"  # a scenario named like the output: the output would replace it
    page.write_text(BASE, encoding="utf-8")
    rc, _, err = cli("report", page, "-o", page, "--lang", "es")
    assert (
        rc == 2 and err == f"Error: {page}: la ruta de salida es una de las entradas; no se sobrescribe (sugerencia: elija otro nombre de archivo de salida)\n"
    )
    assert page.read_text(encoding="utf-8") == BASE


def test_an_unwritable_output_folder(cli, tmp_path, lang_env, monkeypatch):
    """Root may write anywhere, so the folder is made unwritable for os.access alone (the check ftcost makes)."""
    import ftcost.outputs

    folder = tmp_path / "ro"
    folder.mkdir()
    real_access = os.access
    monkeypatch.setattr(ftcost.outputs.os, "access", lambda p, mode: False if Path(p) == folder and mode & os.W_OK else real_access(p, mode))
    path = scenario(tmp_path)
    rc, _, err = cli("report", path, "-o", folder / "r.pdf", "--lang", "es")
    assert rc == 2 and err == f"Error: {folder}/r.pdf: no se puede escribir en la carpeta {folder} (sugerencia: elija una carpeta en la que pueda escribir)\n"
    assert list(folder.iterdir()) == []
    rc, _, err = cli("report", path, "-o", tmp_path / "no" / "r.pdf", "--lang", "es")
    assert rc == 2 and f"la carpeta {tmp_path}/no no existe (sugerencia: créela antes: mkdir -p {tmp_path}/no)" in err


def test_an_unknown_lang(cli, tmp_path, lang_env):
    """--lang fr is itself the mistake: the message follows LANG, as click reads the option before any command runs."""
    path = scenario(tmp_path)
    lang_env("es_ES.UTF-8")
    rc, out, err = cli("compare", path, "--lang", "fr")
    assert rc == 2 and out == ""
    assert err.startswith("Uso: ") and "compare [OPTIONS] SCENARIO\nPruebe '" in err and "compare --help' para ver la ayuda.\n" in err
    assert err.endswith("Error: Valor no válido para '--lang': 'fr' no es ninguno de 'en', 'es'.\n")
    assert "Invalid value" not in err and "is not one of" not in err and "Usage:" not in err and "Try " not in err
    with pytest.raises(Exception) as e, i18n.use("es"):
        i18n.resolve("fr")
    assert i18n.error_text(e.value) == "idioma desconocido 'fr' (sugerencia: use uno de: en, es)"
    assert str(e.value) == "unknown language 'fr' (hint: use one of: en, es)"


def test_click_errors_follow_a_valid_lang_given_on_the_same_line(cli, tmp_path, lang_env):
    """An option click refuses while --lang es is on the command line: Spanish, although the command never ran."""
    path = scenario(tmp_path)
    rc, _, err = cli("compare", path, "--lang", "es", "--volume", "x")
    assert rc == 2 and err.endswith("Error: Valor no válido para '--volume': 'x' no es un número válido.\n")
    rc, _, err = cli("compare", path, "--lang", "es", "--lan", "es")
    assert rc == 2 and err.endswith("Error: No existe la opción '--lan'. ¿Quiso decir '--lang'?\n")
    rc, _, err = cli("compare", path, "--volume", "x")
    assert rc == 2 and err.endswith("Error: Invalid value for '--volume': 'x' is not a valid float.\n")


@pytest.mark.parametrize(
    "vary, spanish, english",
    [
        (
            "volume.growth_per_month=0:5:3",
            "Error: volume.growth_per_month debe ser <= 1; --vary volume.growth_per_month=0:5:3 da 5 (sugerencia: volume.growth_per_month admite valores > -1 y <= 1)\n",
            "Error: volume.growth_per_month must be <= 1; --vary volume.growth_per_month=0:5:3 gives 5 (hint: volume.growth_per_month takes values > -1 and <= 1)\n",
        ),
        (
            "volume.growth_per_month=a:5:3",
            "Error: --vary 'volume.growth_per_month=a:5:3': INICIO 'a' no es un número\n",
            "Error: --vary 'volume.growth_per_month=a:5:3': START 'a' is not a number\n",
        ),
        (
            "strategies.promt.batch_share=0,1",
            "Error: 'strategies.promt.batch_share': ninguna estrategia se llama 'promt' (sugerencia: ¿quiso decir 'prompt'?)\n",
            "Error: 'strategies.promt.batch_share': no strategy is named 'promt' (hint: did you mean 'prompt'?)\n",
        ),
    ],
)
def test_a_bad_vary(vary, spanish, english, cli, tmp_path, lang_env):
    path = scenario(tmp_path)
    lang_env("es_ES.UTF-8")  # no --lang: the environment's language
    rc, out, err = cli("sweep", path, "--vary", vary)
    assert rc == 2 and out == "" and err == spanish
    lang_env("C.UTF-8")
    rc, out, err = cli("sweep", path, "--vary", vary)
    assert rc == 2 and out == "" and err == english


ENGLISH = [
    # (edit of BASE, the whole stderr in English after "Error: <file>:"), as main printed them before this change
    (
        ("completion_tokens: 20", "completion_tokens: -5"),
        "15:26: strategies[0].request.completion_tokens: must be >= 0, got -5 (hint: a count, price or cost cannot be negative)",
    ),
    (
        ("growth_per_month: 0.02", "growth_per_month: 0.02: x"),
        "7:25: invalid YAML: mapping values are not allowed in this context (hint: check indentation, colons and quotes near this position)",
    ),
    (("name: t\n", ""), "1:1: 'name' is required"),
    (
        ("growth_per_month: 0.02", "growth_per_month: 5"),
        "7:21: volume.growth_per_month: growth_per_month 5 is more than +100% a month (hint: 5 means +500% a month; did you mean 0.05? (a fraction: 5% is 0.05))",
    ),
    (("openai/gpt-4o-mini", "openai/zzz"), "12:12: strategies[0].model: unknown model 'zzz' in the openai catalog (hint: known models: "),
]


@pytest.mark.parametrize("edit, english", ENGLISH)
def test_english_messages_are_unchanged(edit, english, cli, tmp_path, lang_env):
    path = scenario(tmp_path, *edit)
    rc, _, err = cli("compare", path)
    assert rc == 2 and err.startswith(f"Error: {path}:{english}"), err
    rc, _, err_en = cli("compare", path, "--lang", "en")
    assert err_en == err


def test_recognize_translates_only_what_matches_whole():
    """Text from code that marks no messages is translated only when a template matches all of it, fields put back."""
    templates = ["unknown model '{name}' in the {provider} catalog", "did you mean {choices}?"]
    with i18n.use("es"):
        m = i18n.recognize("unknown model 'x' in the openai catalog", templates)
        assert i18n.localized(m) == "modelo desconocido 'x' en el catálogo de openai"
        assert str(m) == "unknown model 'x' in the openai catalog"
        other = "unknown model 'x' in the openai catalog, and more"
        assert i18n.recognize(other, templates) is other


# The analysis commands and validate take --lang like the others (issue 15 item 5): their errors follow it.
ANALYSIS_CASES = [
    ("validate", []),
    ("sweep", ["--vary", "volume.requests_per_month=1,2"]),
    ("simulate", ["-n", "10"]),
    ("sensitivity", []),
]


@pytest.mark.parametrize("command, extra", ANALYSIS_CASES, ids=[c[0] for c in ANALYSIS_CASES])
def test_analysis_commands_take_lang(command, extra, cli, tmp_path, lang_env):
    path = scenario(tmp_path, "completion_tokens: 20", "completion_tokens: -5")
    rc, out, err = cli(command, path, *extra, "--lang", "es")
    assert rc == 2 and out == "" and err.count("\n") == 1, err
    assert err.startswith(f"Error: {path}:15:26: strategies[0].request.completion_tokens: debe ser >= 0, pero es -5 (sugerencia: "), err
    assert "must be" not in err and "hint:" not in err
    rc, out, err_en = cli(command, path, *extra, "--lang", "en")
    assert rc == 2 and err_en.startswith(f"Error: {path}:15:26: strategies[0].request.completion_tokens: must be >= 0, got -5 (hint: ")


def test_a_bad_vary_with_lang(cli, tmp_path, lang_env):
    path = scenario(tmp_path)
    rc, out, err = cli("sweep", path, "--vary", "strategies.promt.batch_share=0,1", "--lang", "es")
    assert rc == 2 and out == ""
    assert err == "Error: 'strategies.promt.batch_share': ninguna estrategia se llama 'promt' (sugerencia: ¿quiso decir 'prompt'?)\n"


def test_validate_ok_line_follows_lang(cli, tmp_path, lang_env):
    path = scenario(tmp_path)
    rc, out, _ = cli("validate", path, "--lang", "es")
    assert rc == 0 and out == f"OK: {path}: 't', 1 estrategias: prompt (prompt, openai/gpt-4o-mini-2024-07-18)\n"
    rc, out, _ = cli("validate", path)
    assert rc == 0 and out == f"OK: {path}: 't', 1 strategies: prompt (prompt, openai/gpt-4o-mini-2024-07-18)\n"


# Training data (ftcost tokens, ftcost data): (file name, bytes, command, Spanish, English words, located part)
DATA_CASES = [
    (
        "array",
        "a.jsonl",
        b'[{"messages": []}]\n',
        ["tokens"],
        ["el archivo de entrenamiento es una lista JSON, no JSON Lines (un ejemplo por línea)", "sugerencia: conviértalo, p. ej. jq -c"],
        ["training file", "convert it", "hint:"],
        "a.jsonl:1: ",
    ),
    (
        "invalid UTF-8 in a text",
        "p.txt",
        b"ab\xffcd\n",
        ["tokens"],
        ["UTF-8 no válido (byte 0xff)", "sugerencia: guarde el archivo como UTF-8"],
        ["invalid", "save the file"],
        "p.txt:1:3: ",
    ),
    (
        "no valid example",
        "b.jsonl",
        b"not json\nnor this\n",
        ["tokens"],
        ["ningún ejemplo de entrenamiento válido: no es JSON (2)", "el informe de arriba enumera las líneas no válidas por tipo"],
        ["no valid training example", "not JSON", "the report above"],
        "b.jsonl: ",
    ),
    (
        "data check, nothing usable",
        "b.jsonl",
        b"not json\n",
        ["data", "check"],
        ["ningún ejemplo utilizable", "vea las líneas enumeradas arriba"],
        ["no usable examples", "see the lines"],
        "b.jsonl: ",
    ),
    (
        "data split, nothing usable",
        "b.jsonl",
        b"not json\nnor this\n",
        ["data", "split"],
        ["ningún ejemplo utilizable (2 líneas no utilizables); primer problema: línea 1: ", "ejecute 'ftcost data check "],
        ["no usable examples", "lines not usable", "first problem", "run 'ftcost"],
        "b.jsonl: ",
    ),
    (
        "data check, gzip",
        "z.jsonl",
        b"\x1f\x8b\x08\x00rest\n",
        ["data", "check"],
        ["está comprimido con gzip", "descomprímalo antes (gunzip)"],
        ["compressed", "decompress it"],
        "z.jsonl: ",
    ),
]


@pytest.mark.parametrize("name, file, content, command, spanish, english, located", DATA_CASES, ids=[c[0] for c in DATA_CASES])
def test_training_data_errors_in_spanish(name, file, content, command, spanish, english, located, cli, tmp_path, lang_env):
    path = tmp_path / file
    path.write_bytes(content)
    rc, _, err = cli(*command, path, "--lang", "es")
    assert rc == 2 and "Traceback" not in err
    last = err.splitlines()[-1]  # the error; the lines before it are the report's warnings
    assert last.startswith(f"Error: {tmp_path}/{located}"), err
    for word in spanish:
        assert word in last, (word, last)
    for word in english:
        assert word not in last, (word, last)
    assert path.read_bytes() == content


def test_training_data_options_in_spanish(cli, tmp_path, lang_env):
    path = tmp_path / "p.txt"
    path.write_text("hello", encoding="utf-8")
    rc, _, err = cli("tokens", path, "--encoding", "o300k", "--lang", "es")
    assert rc == 2 and err == "Error: codificación desconocida 'o300k' (sugerencia: codificaciones disponibles: cl100k_base, o200k_base, p50k_base)\n"
    rc, _, err = cli("data", "split", path, "--validation", "2", "--lang", "es")
    assert rc == 2 and err == "Error: --validation debe ser una fracción entre 0 y 1 (sin incluirlos), pero es 2.0 (sugerencia: por ejemplo --validation 0.1)\n"


DATA_ENGLISH = [
    # (file bytes, command, stderr's last line after "Error: <tmp>/"), as main printed them before this change
    (b"not json\nnor this\n", ["tokens"], "b.jsonl: no valid training example: not JSON (2) (hint: the report above lists the invalid lines by kind)"),
    (
        b"not json\nnor this\n",
        ["data", "split"],
        "b.jsonl: no usable examples (2 lines not usable); first problem: line 1: not valid JSON: Expecting value (column 1) "
        "(hint: run 'ftcost data check {dir}/b.jsonl' to see every problem)",
    ),
    (b"", ["data", "check"], 'b.jsonl: training file is empty (no examples) (hint: one JSON object per line: {"messages": [...]})'),
]


@pytest.mark.parametrize("content, command, english", DATA_ENGLISH)
def test_training_data_errors_in_english_are_unchanged(content, command, english, cli, tmp_path, lang_env):
    path = tmp_path / "b.jsonl"
    path.write_bytes(content)
    rc, _, err = cli(*command, path)
    assert rc == 2 and err.splitlines()[-1] == f"Error: {tmp_path}/" + english.replace("{dir}", str(tmp_path))


# Catalog errors (ftcost/catalogs): a private catalog's own located errors and the model lookups.
def test_a_bad_private_catalog_in_spanish(cli, tmp_path, lang_env):
    folder = tmp_path / "prices"
    folder.mkdir()
    (folder / "acme.yaml").write_text(
        "provider: acme\ncurrency: USD\nsource: https://example.com\nas_of: 2026-01-01\nmodels:\n  m1:\n    input: abc\n    output: 2.0\n", encoding="utf-8"
    )
    path = scenario(tmp_path)
    rc, out, err = cli("compare", path, "--pricing", folder, "--lang", "es")
    # "    input: abc": the value starts at column 12 of line 7
    assert rc == 2 and out == "" and err == f"Error: {folder}/acme.yaml:7:12: models.m1.input: se esperaba un número; se encontró 'abc'\n"
    (folder / "acme.yaml").write_text("provider: acme\ncurrency: dollars\nmodels: {}\n", encoding="utf-8")
    rc, out, err = cli("compare", path, "--pricing", folder, "--lang", "es")
    assert rc == 2 and err == f"Error: {folder}/acme.yaml:2:11: currency: currency debe ser un código de 3 letras como USD, pero es 'dollars'\n"
    rc, out, err = cli("compare", path, "--pricing", folder)
    assert rc == 2 and err == f"Error: {folder}/acme.yaml:2:11: currency: currency must be a 3-letter code like USD, got 'dollars'\n"


@pytest.mark.parametrize(
    "model, spanish, english",
    [
        (
            "opneai/gpt-4o-mini",
            "Error: proveedor desconocido 'opneai' en el modelo 'opneai/gpt-4o-mini' (sugerencia: ¿quiso decir 'openai'?)\n",
            "Error: unknown provider 'opneai' in model 'opneai/gpt-4o-mini' (hint: did you mean 'openai'?)\n",
        ),
        (
            "zzzz",
            "Error: modelo desconocido 'zzzz' (sugerencia: ejecute 'ftcost pricing list' para ver los modelos conocidos)\n",
            "Error: unknown model 'zzzz' (hint: run 'ftcost pricing list' for known models)\n",
        ),
    ],
)
def test_an_unknown_model_or_provider_in_spanish(model, spanish, english, cli, tmp_path, lang_env):
    text = tmp_path / "p.txt"
    text.write_text("hello", encoding="utf-8")
    rc, _, err = cli("tokens", text, "--model", model, "--lang", "es")
    assert rc == 2 and err == spanish
    rc, _, err = cli("tokens", text, "--model", model)
    assert rc == 2 and err == english


def test_a_missing_pricing_folder_in_spanish(cli, tmp_path, lang_env):
    text = tmp_path / "p.txt"
    text.write_text("hello", encoding="utf-8")
    rc, _, err = cli("data", "check", text, "--model", "gpt-4o-mini", "--pricing", tmp_path / "nodir", "--lang", "es")
    assert rc == 2 and err == (
        f"Error: {tmp_path}/nodir: no se encuentra la carpeta de precios indicada por --pricing (sugerencia: indique una carpeta con archivos de catálogo .yaml)\n"
    )


# ftcost calibrate and ftcost init (LogError and OutputError messages, their hints).
def test_calibrate_errors_in_spanish(cli, tmp_path, lang_env):
    log = tmp_path / "log.csv"
    log.write_text("foo,bar\n1,2\n", encoding="utf-8")
    rc, out, err = cli("calibrate", log, "--lang", "es")
    assert rc == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(
        f"Error: {log}: no se puede leer este registro como un formato de registro conocido: no tiene ninguna de las columnas esperadas "
        "para time, input, output; columnas encontradas: foo, bar (sugerencia: nombre las columnas con --map, p. ej. --map "
    ), err
    assert "cannot read" not in err and "columns found" not in err and "hint:" not in err and "name the columns" not in err
    rc, _, err = cli("calibrate", log, "--map", "zzz=foo", "--lang", "es")
    assert rc == 2 and err == "Error: --map: campo desconocido 'zzz' (sugerencia: campos: time, model, requests, input, cached, output, cost)\n"
    rc, _, err = cli("calibrate", tmp_path / "missing.csv", "--lang", "es")
    assert rc == 2 and err == f"Error: {tmp_path}/missing.csv: no se encuentra el archivo de registro\n"
    rc, _, err = cli("calibrate", log, "--map", "zzz=foo")
    assert rc == 2 and err == "Error: --map: unknown field 'zzz' (hint: fields: time, model, requests, input, cached, output, cost)\n"


def test_init_refuses_an_existing_file_in_spanish(cli, tmp_path, lang_env):
    existing = tmp_path / "s.yaml"
    existing.write_text("keep me\n", encoding="utf-8")
    rc, _, err = cli("init", existing, "--yes", "--lang", "es")
    assert rc == 2 and err == (
        f"Error: {existing}: el archivo ya existe; ftcost init solo escribe escenarios nuevos "
        "(sugerencia: elija otro nombre o use --force para reemplazarlo (ftcost calibrate -o actualiza uno))\n"
    )
    rc, _, err = cli("init", existing, "--yes")
    assert rc == 2 and err == (
        f"Error: {existing}: file exists; ftcost init writes new scenarios only (hint: choose another name, or --force to replace it (ftcost calibrate -o updates one))\n"
    )
    assert existing.read_text(encoding="utf-8") == "keep me\n"


def test_skipped_lines_of_a_dataset_in_spanish(cli, tmp_path, lang_env):
    """data convert lists the lines it leaves out on stderr: in Spanish with --lang es, line numbers kept."""
    data = tmp_path / "d.jsonl"
    content = '{"prompt": "a", "completion": " b"}\n[1]\n{"prompt": "a"}\n'
    data.write_text(content, encoding="utf-8")
    out = tmp_path / "chat.jsonl"
    rc, _, err = cli("data", "convert", data, "-o", out, "--lang", "es")
    assert rc == 0, err
    assert "omitida línea 2: JSON válido, pero una lista, no un objeto de ejemplo\n" in err
    assert "omitida línea 3: ejemplo prompt/completion sin 'completion'\n" in err
    assert "skipped" not in err and "valid JSON but" not in err and "example without" not in err
    out.unlink()
    rc, _, err = cli("data", "convert", data, "-o", out)
    assert rc == 0 and "skipped line 2: valid JSON but an array, not an example object\n" in err
    assert "skipped line 3: prompt/completion example without 'completion'\n" in err
    assert data.read_text(encoding="utf-8") == content
