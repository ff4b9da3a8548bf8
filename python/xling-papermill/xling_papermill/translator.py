"""The xling parameter translator for papermill (see the package docstring)."""

import json
import re

from papermill.models import Parameter
from papermill.translators import Translator, papermill_translators

#: The language name in xling's kernelspec and ``language_info``.
LANGUAGE = "xling"

_NAME = re.compile(r"[A-Za-z_-][A-Za-z0-9_-]*\Z")
_SET_LINE = re.compile(r"\s*%set\s+(.*)")
_ASSIGNMENT = re.compile(r'([A-Za-z_-][A-Za-z0-9_-]*)=("(?:[^"\\]|\\.)*"|\S*)')


class XlingTranslator(Translator):
    """Parameters as ``%set NAME=VALUE`` lines of the xling magic language.

    Strings are double-quoted with ``\\`` and ``"`` escaped (the magic parser's escapes);
    numbers are written as Python prints them; booleans as ``true``/``false``; None as an
    empty string; lists as one comma-separated value (``langs=en,de``); dicts as quoted JSON.
    A magic line cannot hold a line break, and a setting's name must be a magic key
    (letters, digits, ``_``, ``-``): both raise ``ValueError`` naming the parameter.
    """

    @classmethod
    def translate_escaped_str(cls, str_val):
        text = str(str_val)
        if "\n" in text or "\r" in text:
            raise ValueError(f"xling parameters are one line; {text!r} holds a line break")
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    @classmethod
    def translate_none(cls, val):
        return '""'

    @classmethod
    def translate_bool(cls, val):
        return "true" if val else "false"

    @classmethod
    def translate_float(cls, val):
        return repr(float(val))

    @classmethod
    def translate_list(cls, val):
        parts = []
        for item in val:
            if isinstance(item, (list, dict)):
                raise ValueError("xling list parameters hold numbers or strings, not nested lists or dicts")
            parts.append(cls.translate_bool(item) if isinstance(item, bool) else str(item))
        return cls.translate_escaped_str(",".join(parts))

    @classmethod
    def translate_dict(cls, val):
        return cls.translate_escaped_str(json.dumps(val, separators=(",", ":")))

    @classmethod
    def comment(cls, cmt_str):
        return f"# {cmt_str}".strip()

    @classmethod
    def assign(cls, name, str_val):
        if not _NAME.match(name):
            raise ValueError(f"parameter name {name!r} is not an xling setting name (letters, digits, _ and -)")
        return f"%set {name}={str_val}"

    @classmethod
    def inspect(cls, parameters_cell):
        """The ``%set`` keys of the parameters cell, for ``papermill --help-notebook``."""
        found = []
        for line in parameters_cell.source.splitlines():
            match = _SET_LINE.match(line)
            if not match:
                continue
            for name, value in _ASSIGNMENT.findall(match.group(1)):
                kind = "str" if value.startswith('"') else ("int" if re.fullmatch(r"-?\d+", value) else "None")
                found.append(Parameter(name=name, inferred_type_name=kind, default=value, help=""))
        return found


def register():
    """Registers ``XlingTranslator`` for the ``xling`` language and kernel name."""
    papermill_translators.register(LANGUAGE, XlingTranslator)

