"""Renderers: turn a Result into text, JSON, CSV, Markdown, plots, reports, spreadsheets."""
