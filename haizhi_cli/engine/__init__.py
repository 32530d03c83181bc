"""Rules as data, and the one evaluator: rule files, the registry of operators, findings and reports.

Pure: it reads rule files and returns results; it prints nothing.
May import: applicant, outputs, errors, i18n.
"""

from haizhi_cli.engine import _counting  # noqa: F401  (registers its operators)
from haizhi_cli.engine._catalogue import (
    EXAMPLE_FOLDERS,
    char_limits,
    example_folder,
    fields_read,
    shown_requirement,
    threshold,
)
from haizhi_cli.engine._divisions import Divisions, data_used
from haizhi_cli.engine._evaluation import evaluate, run_rule
from haizhi_cli.engine._operators import OPERATORS, Context, FileFact, attachment_paths, lookup, show
from haizhi_cli.engine._results import Category, FileError, Finding, Outcome, Report, Status
from haizhi_cli.engine._rules import (
    RoundFacts,
    Rule,
    RuleSet,
    apply_changes,
    available_rounds,
    load_round,
    round_or_latest,
)

__all__ = [
    "EXAMPLE_FOLDERS",
    "OPERATORS",
    "Category",
    "Context",
    "Divisions",
    "FileError",
    "FileFact",
    "Finding",
    "Outcome",
    "Report",
    "RoundFacts",
    "Rule",
    "RuleSet",
    "Status",
    "apply_changes",
    "attachment_paths",
    "available_rounds",
    "char_limits",
    "data_used",
    "evaluate",
    "example_folder",
    "fields_read",
    "load_round",
    "lookup",
    "round_or_latest",
    "run_rule",
    "show",
    "shown_requirement",
    "threshold",
]
