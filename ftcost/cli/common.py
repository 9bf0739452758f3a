"""Pieces shared by the commands: error handling, output options, writing files."""

from __future__ import annotations

import datetime as _dt
import sys
import traceback

import click

from ..errors import FtcostError
from ..i18n import N_, Message, _

FORMATS = ("table", "json", "csv", "markdown")


def _ascii_text(ptype, value, param, ctx) -> None:
    """Numbers on the command line are written in ASCII digits: float() and int() also take '١٢' or '１２'."""
    if isinstance(value, str) and not value.isascii():
        ptype.fail(Message("{value!r} is not a number written with ASCII digits 0-9", value=value), param, ctx)


class AsciiFloat(click.types.FloatParamType):
    def convert(self, value, param, ctx):
        _ascii_text(self, value, param, ctx)
        return super().convert(value, param, ctx)


class AsciiInt(click.types.IntParamType):
    def convert(self, value, param, ctx):
        _ascii_text(self, value, param, ctx)
        return super().convert(value, param, ctx)


class AsciiIntRange(click.IntRange):
    def convert(self, value, param, ctx):
        _ascii_text(self, value, param, ctx)
        return super().convert(value, param, ctx)


ASCII_FLOAT = AsciiFloat()
ASCII_INT = AsciiInt()


def run_main(group) -> int:
    """Run the click group; turn library errors into exit 2, bugs into exit 1, SIGTERM/SIGHUP into 143/129."""
    from .process import Terminated, best_effort_stderr, termination_signals

    with best_effort_stderr(), termination_signals():
        try:
            return _run(group)
        except Terminated as t:
            click.echo(_("Stopped by {signal}; no partial output was left behind.").format(signal=t.name), err=True)
            return 128 + t.signum


def _run(group) -> int:
    debug = "--debug" in sys.argv[1:]
    import warnings

    from ..i18n import set_language
    from ..reading import input_scope

    set_language(None)  # each run starts in the environment's language; --lang changes it for its command
    _language_of_the_command_line(sys.argv[1:])
    try:
        with input_scope(), warnings.catch_warnings():
            # numpy's overflow and invalid-value warnings are not for the user: every result is checked to be finite
            # before it is shown (ftcost.limits.check_finite), and the fuzz tests turn these warnings into errors.
            if not debug:
                warnings.simplefilter("ignore", RuntimeWarning)
            rv = group.main(standalone_mode=False)
        # Non-standalone click returns the code of ctx.exit(n) instead of exiting.
        return rv if isinstance(rv, int) else 0
    except FtcostError as exc:
        click.echo(_error_text(exc), err=True)
        return 2
    except click.exceptions.Abort:
        click.echo(_("Aborted."), err=True)
        return 130
    except click.ClickException as exc:
        _show_click_error(exc)
        return 2 if exc.exit_code in (1, 2) else exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo(_("Interrupted; no partial output was left behind."), err=True)
        return 130
    except BrokenPipeError:
        # `ftcost ... | head`: the reader went away; not an error worth a message.
        try:
            sys.stdout = None
        except Exception:
            pass
        return 0
    except OSError as exc:
        # The system refused a read or write the user asked for (permissions, a full disk): not a bug.
        if debug:
            traceback.print_exc()
        where = f"{str(exc.filename)[:300]}: " if exc.filename else ""
        click.echo(_("Error: {text}").format(text=f"{where}{exc.strerror or exc}"), err=True)
        return 2
    except Exception as exc:  # a bug in ftcost, not in the user's input
        if debug:
            traceback.print_exc()
        else:
            text = str(exc)
            text = text if len(text) <= 300 else text[:300] + "..."
            click.echo(
                f"Internal error: {type(exc).__name__}: {text}\n"
                "This is a bug in ftcost. Please report it with the command you ran; "
                "run again with --debug (ftcost --debug ...) for the traceback.",
                err=True,
            )
        return 1


def _error_text(exc: FtcostError) -> str:
    """'Error: where: message (hint: ...)' in the command's language (message and hint translated where they are
    i18n.Message objects; the location never is)."""
    from ..i18n import DEFAULT, _, error_text, get_language

    if get_language() == DEFAULT:
        return f"Error: {exc}"
    return _("Error: {text}").format(text=error_text(exc))


def _language_of_the_command_line(args: list[str]) -> None:
    """A valid ``--lang`` anywhere on the command line is the language of the errors click raises while it reads the
    options, before the command sets it (an unknown one leaves the environment's: click then says it is unknown)."""
    from ..i18n import set_language

    for i, arg in enumerate(args):
        if arg == "--":
            return
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else arg[len("--lang=") :] if arg.startswith("--lang=") else None
        if value is not None:
            try:
                set_language(value)
            except FtcostError:
                pass


# The messages of click's usage errors, translated by recognizing click's English text (click marks them for its own
# gettext domain, which ftcost does not install).
CLICK_MESSAGES = (
    N_("Invalid value for {param}: {message}"),
    N_("Invalid value: {message}"),
    N_("{message} Did you mean {possibility}?"),
    N_("{message} (Did you mean one of: {possibilities}?)"),
    N_("{value} is not one of {choices}."),
    N_("{value} is not a valid float."),
    N_("{value} is not a valid integer."),
    N_("{value} is not a valid boolean."),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a number written with ASCII digits 0-9"),
    N_("File {name} does not exist."),
    N_("Directory {name} does not exist."),
    N_("Path {name} does not exist."),
    N_("File {name} is a directory."),
    N_("Directory {name} is a file."),
    N_("Path {name} is a directory."),
    N_("Path {name} is a file."),
    N_("File {name} is not readable."),
    N_("Directory {name} is not readable."),
    N_("File {name} is not writable."),
    N_("Directory {name} is not writable."),
    N_("No such option {name}."),
    N_("No such command {name}."),
    N_("Missing argument {name}."),
    N_("Missing option {name}."),
    N_("Missing parameter {name}."),
    N_("Missing command."),
    N_("Option {name} requires an argument."),
    N_("Option {name} requires {n} arguments."),
    N_("Option {name} does not take a value."),
    N_("Got unexpected extra argument ({args})"),
    N_("Got unexpected extra arguments ({args})"),
    N_("{value} is not {choice}."),  # last: it would also match "'x' is not a valid float."
)


def _show_click_error(exc: click.ClickException) -> None:
    """``exc.show()`` in the current language: the usage line, the 'Try ... --help' hint and the message."""
    from ..i18n import DEFAULT, _, get_language, localized, recognize

    if get_language() == DEFAULT:
        exc.show()
        return
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        usage = ctx.get_usage()
        if usage.startswith("Usage:"):
            usage = _("Usage:") + usage[len("Usage:") :]
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            option = max(ctx.command.get_help_option_names(ctx), key=len)
            hint = _("Try '{command} {option}' for help.").format(command=ctx.command_path, option=option) + "\n"
        click.echo(f"{usage}\n{hint}", err=True, color=ctx.color)
    click.echo(_("Error: {text}").format(text=localized(recognize(exc.format_message(), CLICK_MESSAGES))), err=True)


def format_option(default="table", choices=FORMATS):
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Output format.",
    )


def scenario_argument(fn):
    return click.argument("scenario", type=click.Path(dir_okay=True, path_type=str))(fn)


def _note_pricing_dirs(ctx, param, value):
    """Every catalog in a --pricing folder is an input of the command, read or not: no output may replace one."""
    from ..reading import note_pricing_dirs

    note_pricing_dirs(value or ())
    return value


pricing_option = click.option(
    "--pricing",
    "pricing_dirs",
    multiple=True,
    callback=_note_pricing_dirs,
    type=click.Path(file_okay=False, path_type=str),
    help="Folder of private catalogs that override the bundled ones (repeatable; also $FTCOST_PRICING_PATH).",
)


def lang_option(fn):
    """``--lang en|es``: the language of the text a person reads (default: $LC_ALL, $LC_MESSAGES or $LANG, else English)."""
    return click.option(
        "--lang",
        "lang",
        type=click.Choice(["en", "es"], case_sensitive=False),
        default=None,
        help="Language of the text a person reads: en or es [default: from $LANG, else en]. JSON, CSV and key paths do not change.",
    )(fn)


def use_language(lang: str | None) -> str:
    """Set the command's language (--lang, else the environment's)."""
    from ..i18n import set_language

    return set_language(lang.lower() if lang else None)


def pricing_dirs_option(f):
    return click.option(
        "--pricing",
        "pricing_dirs",
        multiple=True,
        type=click.Path(file_okay=False),
        metavar="DIR",
        help="Folder of private catalogs laid over the bundled ones (repeatable; first wins; also $FTCOST_PRICING_PATH).",
    )(f)


def _today() -> _dt.date:
    return _dt.date.today()
