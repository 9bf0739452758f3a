"""The report says which providers still accept new fine-tuning jobs when the plan starts."""

from __future__ import annotations

import datetime as dt

import ftcost
from ftcost.api import report_facts
from ftcost.render.report_words import availability_rows


def _scenario(start):
    return {
        "ftcost": 1,
        "name": "t",
        "start": start,
        "pricing": ["openai", "azure-openai"],
        "volume": {"requests_per_month": 1000},
        # an Azure prompt: OpenAI's gpt-4o-mini retires on 2027-01-14, and a plan cannot start on a retired model
        "strategies": [{"name": "p", "type": "prompt", "model": "azure-openai/gpt-4o-mini", "request": {"prompt_tokens": 10}}],
    }


def rows_by_provider(start):
    r = ftcost.compare(_scenario(start), today=dt.date(2026, 11, 25))
    return {row[0]: row for row in availability_rows(report_facts(r))}


def test_openai_accepts_jobs_until_2027_01_05_only():
    # OpenAI's deprecations page: no new fine-tuning jobs for anyone on 2027-01-06 (catalog last_new_job_day 2027-01-05).
    before = rows_by_provider("2027-01")["openai"]
    after = rows_by_provider("2027-02")["openai"]
    assert before[1] == "yes" and "no new jobs after 2027-01-05" in before[4]
    assert after[1] == "no" and after[2].startswith("0 of ")


def test_azure_still_trains_in_2027():
    assert rows_by_provider("2027-02")["azure-openai"][1] == "yes"


def test_the_facts_come_on_the_result_computed_by_the_caller():
    """Renderers format only (issue 16, item 4): report_facts computes, availability_rows words what it is given."""
    r = ftcost.compare(_scenario("2027-02"), today=dt.date(2026, 11, 25))
    assert r.availability is None and r.simulation is None  # compare alone computes neither
    assert availability_rows(r) == []
    facts = {a.provider: a for a in report_facts(r).availability}
    openai = facts["openai"]
    assert openai.day == dt.date(2027, 2, 1) and openai.accepting == () and openai.last_new_job_day == dt.date(2027, 1, 5)
    assert openai.to_dict()["last_new_job_day"] == "2027-01-05" and openai.to_dict()["accepting"] == []
