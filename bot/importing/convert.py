"""Old Word and Excel files (``.doc``, ``.xls``) converted with LibreOffice before they are read.

When ``soffice`` (or ``libreoffice``) is on PATH, the file is converted with ``soffice --headless
--convert-to docx|xlsx`` into a temporary folder, with a time limit, and the new file is read as any
other; the folder goes when reading ends. Without LibreOffice the file is refused, with the command
that converts it and the way to do it in Word or Excel.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.importing.tables import ImportFailed, Problem, Where

OLD_FORMATS = {".doc": ("docx", "a Word 97-2003 document", "open it in Word and save it as .docx"),
               ".xls": ("xlsx", "an Excel 97-2003 workbook", "open it in Excel and save it as .xlsx")}  # fmt: skip
TIMEOUT_SECONDS = 120
PROGRAMS = ("soffice", "libreoffice")


def office() -> str | None:
    """LibreOffice's command, if it is installed."""
    return next((found for name in PROGRAMS if (found := shutil.which(name))), None)


@contextmanager
def converted(path: Path) -> Iterator[Path]:
    """``path`` converted to its modern format in a temporary folder; raises :class:`ImportFailed`."""
    target, kind, by_hand = OLD_FORMATS[path.suffix.lower()]
    program = office()
    if program is None:
        line = f'soffice --headless --convert-to {target} "{path.name}"'
        raise _fail(path.name, f"this is {kind}, and LibreOffice is not installed here to convert it: {by_hand}, "
                               f"or convert it with `{line}`")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="actionbot-convert-") as folder:
        profile = Path(folder) / "profile"
        command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", target,
                   "--outdir", folder, str(path)]  # fmt: skip
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise _fail(path.name, f"LibreOffice took more than {TIMEOUT_SECONDS} s to convert it: {by_hand}") from None
        except OSError as error:
            raise _fail(path.name, f"LibreOffice could not be started ({error.strerror or error}): {by_hand}") from None
        result = Path(folder) / f"{path.stem}.{target}"
        if done.returncode != 0 or not result.is_file():
            why = "LibreOffice could not convert it (is it damaged or password-protected?)"
            raise _fail(path.name, f"{why}: {by_hand}")
        yield result


def _fail(name: str, message: str) -> ImportFailed:
    return ImportFailed(name, [Problem(Where(), message)])
