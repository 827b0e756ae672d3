"""The English translation is complete and in use.

The catalogues (locale/en and every app's own locale/en) must have every entry translated and none fuzzy, the
committed .mo must match its .po, and every string the code marks for translation must be in its catalogue (so a
forgotten `make messages` fails here, not in front of an English-speaking user). The second half switches the UI
to English the way a user does (the language button) and checks real English on key pages and in form errors.
"""

import ast
import gettext
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.translation.template import templatize

from tests.accounts.factories import municipal_staff, organisation_coordinator, process_manager
from tests.conftest import client_for, host_of

ROOT = Path(settings.BASE_DIR)
# the same folders `make messages` leaves out, plus what makemessages always skips
IGNORED_DIRS = {"node_modules", ".venv", ".data", "tests", "benchmarks", "staticfiles", "__pycache__"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


# --- a small reader of .po files (polib is not a dependency) ------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return self.msgctxt, self.msgid

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())


def _unquote(text: str, path: Path, number: int) -> str:
    text = text.strip()
    if not (len(text) >= 2 and text[0] == text[-1] == '"'):
        raise AssertionError(f"{path}:{number}: expected a quoted string, got {text!r}")
    return ast.literal_eval(text)  # PO escapes (\n, \t, \", \\) are those of a Python string literal


def read_po(path: Path) -> list[Entry]:
    """The live entries of a .po file (obsolete `#~` entries and the header are left out)."""
    entries, entry, target = [], Entry(), None

    def finish():
        nonlocal entry, target
        if entry.msgid or entry.msgid_plural or entry.msgstr:
            entries.append(entry)
        entry, target = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            continue
        elif line.startswith("#,"):
            if target is not None and target[0] != "flags":
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            target = ("flags", None)
        elif line.startswith("#"):
            if target is not None and target[0] not in ("flags",):
                finish()
        elif line.startswith('"'):
            if target is None or target[0] == "flags":
                raise AssertionError(f"{path}:{number}: a continuation line without a keyword")
            kind, index = target
            text = _unquote(line, path, number)
            if kind == "msgstr":
                entry.msgstr[index] += text
            else:
                setattr(entry, kind, getattr(entry, kind) + text)
        else:
            keyword, _, rest = line.partition(" ")
            if keyword in ("msgctxt", "msgid") and target is not None and target[0] in ("msgstr",):
                finish()
            if not entry.line:
                entry.line = number
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match:
                target = ("msgstr", int(match.group(1)))
                entry.msgstr[target[1]] = _unquote(rest, path, number)
            elif keyword == "msgstr":
                target = ("msgstr", 0)
                entry.msgstr[0] = _unquote(rest, path, number)
            elif keyword in ("msgid", "msgid_plural", "msgctxt"):
                target = (keyword, None)
                setattr(entry, keyword, _unquote(rest, path, number))
            else:
                raise AssertionError(f"{path}:{number}: unknown line {raw!r}")
    finish()
    return [entry for entry in entries if entry.msgid]  # the header has an empty msgid


def _locale_dirs() -> list[Path]:
    """Where makemessages writes: LOCALE_PATHS, and every app folder that has a locale/ of its own."""
    dirs = [Path(path) for path in settings.LOCALE_PATHS]
    for candidate in sorted(ROOT.glob("*/locale")):
        if candidate.parent.name not in IGNORED_DIRS and candidate not in dirs:
            dirs.append(candidate)
    return dirs


def _english_catalogues() -> list[Path]:
    return [path for path in (d / "en" / "LC_MESSAGES" / "django.po" for d in _locale_dirs()) if path.exists()]


def test_the_catalogues_are_found():
    names = {str(path.relative_to(ROOT)) for path in _english_catalogues()}
    assert "locale/en/LC_MESSAGES/django.po" in names
    assert len(read_po(ROOT / "locale/en/LC_MESSAGES/django.po")) > 900


def test_the_po_reader_sees_untranslated_fuzzy_and_plural_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\nmsgid "Klaar"\nmsgstr "Done"\n\n'
        '#: a.py:2\n#, fuzzy, python-format\n#| msgid "Oud"\nmsgid "Nieuw %(n)s"\nmsgstr "Old %(n)s"\n\n'
        'msgid "Leeg"\nmsgstr ""\n\n'
        'msgid "een"\nmsgid_plural "twee"\nmsgstr[0] "one"\nmsgstr[1] ""\n\n'
        'msgid ""\n"lang "\n"verhaal"\nmsgstr "long "\n"story"\n\n'
        '#~ msgid "Weg"\n#~ msgstr "Gone"\n',
        encoding="utf-8",
    )
    entries = {entry.msgid: entry for entry in read_po(po)}
    assert set(entries) == {"Klaar", "Nieuw %(n)s", "Leeg", "een", "lang verhaal"}
    assert entries["Klaar"].translated and not entries["Klaar"].flags
    assert "fuzzy" in entries["Nieuw %(n)s"].flags
    assert not entries["Leeg"].translated
    assert entries["een"].msgid_plural == "twee" and not entries["een"].translated
    assert entries["lang verhaal"].msgstr == {0: "long story"}


@pytest.mark.parametrize("po", _english_catalogues(), ids=lambda path: str(path.relative_to(ROOT)))
def test_every_english_entry_is_translated_and_none_is_fuzzy(po):
    entries = read_po(po)
    untranslated = [f"line {e.line}: {e.msgid!r}" for e in entries if not e.translated]
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in entries if "fuzzy" in e.flags]
    assert not untranslated, f"{len(untranslated)} untranslated in {po}:\n" + "\n".join(untranslated)
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {po} (check the translation, then drop the flag):\n" + "\n".join(fuzzy)


@pytest.mark.parametrize("po", _english_catalogues(), ids=lambda path: str(path.relative_to(ROOT)))
def test_translations_keep_the_placeholders(po):
    wrong = []
    for entry in read_po(po):
        for index, text in entry.msgstr.items():
            source = entry.msgid if index == 0 or entry.msgid_plural is None else entry.msgid_plural
            expected = set(PLACEHOLDER.findall(source))
            if entry.msgid_plural is not None:  # a singular may leave out the count ("one new match")
                expected |= set(PLACEHOLDER.findall(entry.msgid_plural))
                if not set(PLACEHOLDER.findall(text)) <= expected:
                    wrong.append(f"line {entry.line}: {text!r}")
            elif set(PLACEHOLDER.findall(text)) != expected:
                wrong.append(f"line {entry.line}: {text!r}")
    assert not wrong, "placeholders differ from the Dutch source:\n" + "\n".join(wrong)


@pytest.mark.parametrize("po", _english_catalogues(), ids=lambda path: str(path.relative_to(ROOT)))
def test_the_committed_mo_is_compiled_from_the_po(po):
    with open(po.with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    stale = []
    for entry in read_po(po):
        msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            found = {0: compiled.get(msgid)}
        else:
            found = {index: compiled.get((msgid, index)) for index in entry.msgstr}
        if found != entry.msgstr:
            stale.append(f"line {entry.line}: {entry.msgid!r}")
    assert not stale, f"{po.with_suffix('.mo')} is out of date (run `make messages`):\n" + "\n".join(stale[:20])


# --- every marked string of the code is in its catalogue ----------------------------------------------------------

GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
TEMPLATIZED_CALL = re.compile(r"\b(n?p?gettext)\(((?:u'(?:[^'\\]|\\.)*'(?:, )?)+)")


def _catalogue_for(path: Path) -> Path:
    """The catalogue makemessages puts a file's strings in: the nearest app locale/, else LOCALE_PATHS[0]."""
    for directory in path.parents:
        if (directory / "locale").is_dir() and directory != ROOT:
            return directory / "locale" / "en" / "LC_MESSAGES" / "django.po"
        if directory == ROOT:
            break
    return Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"


def _source_files():
    for directory, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = sorted(name for name in dirnames if name not in IGNORED_DIRS and not name.startswith("."))
        for name in sorted(filenames):
            if name.endswith((".py", ".html", ".txt")):
                yield Path(directory) / name


def _python_msgids(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if name not in GETTEXT_NAMES or not node.args:
            continue
        strings = [
            arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None for arg in node.args
        ]
        if name.startswith("p"):
            if len(strings) >= 2 and strings[0] is not None and strings[1] is not None:
                yield (strings[0], strings[1]), node.lineno
        elif strings[0] is not None:
            yield (None, strings[0]), node.lineno


def _template_msgids(path: Path):
    source = path.read_text(encoding="utf-8")
    if "{%" not in source and "_(" not in source:
        return
    for number, line in enumerate(templatize(source, origin=str(path)).splitlines(), start=1):
        for function, arguments in TEMPLATIZED_CALL.findall(line):
            strings = ast.literal_eval(f"({arguments.rstrip(', ')},)")
            if function.startswith("p"):
                yield (strings[0], strings[1]), number
            else:
                yield (None, strings[0]), number


def test_every_string_marked_in_the_code_is_in_the_english_catalogue():
    catalogues: dict[Path, set] = {}
    missing = []
    for path in _source_files():
        msgids = _python_msgids(path) if path.suffix == ".py" else _template_msgids(path)
        for key, line in msgids:
            catalogue = _catalogue_for(path)
            if catalogue not in catalogues:
                catalogues[catalogue] = {entry.key for entry in read_po(catalogue)} if catalogue.exists() else set()
            if key not in catalogues[catalogue]:
                missing.append(f"{path.relative_to(ROOT)}:{line}: {key[1]!r}")
    assert not missing, (
        f"{len(missing)} marked strings are not in the catalogue: run `make messages` and translate them:\n"
        + "\n".join(missing[:40])
    )


# --- the English UI -------------------------------------------------------------------------------------------------

# Dutch words that have no place in English running text (names of people and places are data, so they are
# removed from the page first); "de", "van" and "het" are left out because they occur in Dutch names.
DUTCH_WORDS = re.compile(
    r"\b(een|niet|voor|uw|zijn|wordt|geen|naar|bij|deze|dit|welkom|signaal|signalen|jeugdige|afgeven|"
    r"opslaan|terug|zoeken|inloggen|wachtwoord|gemeente|organisatie|verzoek|verzoeken|regio)\b",
    re.IGNORECASE,
)


def visible_text(html: str, *data: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<[^>]+\blang="nl"[^>]*>[^<]*<', "<", html)  # the switch back names its language in Dutch
    text = re.sub(r"<[^>]+>", " ", html)
    for value in data:
        text = text.replace(value, " ")
    return re.sub(r"\s+", " ", text)


def in_english(client: Client) -> Client:
    """Switch the UI to English with the language button, as a user does."""
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    return client


def assert_english(response, *data: str) -> str:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert '<html lang="en"' in html
    text = visible_text(html, *data)
    dutch = sorted({word.lower() for word in DUTCH_WORDS.findall(text)})
    assert not dutch, f"Dutch words on an English page: {dutch}\n{text[:3000]}"
    return html


def _data_of(region, *users) -> tuple[str, ...]:
    values = [region.name]
    for user in users:
        values.append(user.full_name)
        for membership in user.memberships.all():
            for related in (membership.organisation, membership.municipality, membership.region):
                if related is not None:
                    values.append(related.name)
    return tuple(sorted(set(values), key=len, reverse=True))


@pytest.mark.django_db
def test_login_form_errors_are_in_english(region, professional_user):
    client = in_english(Client(HTTP_HOST=host_of(region)))
    page = assert_english(client.get(reverse("accounts:login")), region.name)
    assert ">Log in</h1>" in page

    wrong = client.post(reverse("accounts:login"), {"username": professional_user.email, "password": "nope"})
    html = assert_english(wrong, region.name)
    assert "The e-mail address or password is not correct." in html

    empty = client.post(reverse("accounts:login"), {"username": "", "password": ""})
    assert "This field is required." in assert_english(empty, region.name)


@pytest.mark.django_db
def test_signal_placing_form_errors_are_in_english(brp, region, professional_user):
    client = in_english(client_for(professional_user, region))
    data = _data_of(region, professional_user)
    form = assert_english(client.get(reverse("signals:place")), *data)
    assert "Citizen service number (BSN)" in form and "Date of birth" in form

    invalid = client.post(reverse("signals:place"), {"bsn": "123456789", "birth_date": "2017-01-01"})
    html = assert_english(invalid, *data)
    assert "This is not a valid citizen service number (BSN). Check the nine digits." in html
    assert "123456789" not in visible_text(html)  # the rejected input stays only in the field's value

    future = client.post(reverse("signals:place"), {"bsn": "999970033", "birth_date": "2999-01-01"})
    assert "The date of birth cannot be in the future." in assert_english(future, *data)

    not_a_date = client.post(reverse("signals:place"), {"bsn": "999970033", "birth_date": "1-1-17x"})
    assert "Enter the date as dd-mm-yyyy, for example 15-03-2026." in assert_english(not_a_date, *data)

    mismatch = client.post(reverse("signals:place"), {"bsn": "999970033", "birth_date": "2017-01-02"})
    assert "No person was found with this citizen service number and this date of birth. Check both." in assert_english(
        mismatch, *data
    )


@pytest.mark.django_db
def test_key_pages_of_a_professional_are_in_english(region, professional_user):
    client = in_english(client_for(professional_user, region))
    data = _data_of(region, professional_user)
    home = assert_english(client.get(reverse("home")), *data)
    assert f"Welcome, {professional_user.full_name}" in home and "Authorised professional" in home
    assert "My signals" in assert_english(client.get(reverse("signals:list")), *data)
    assert "Your signals have no matches (yet)." in assert_english(client.get(reverse("matching:my_matches")), *data)


@pytest.mark.django_db
def test_key_pages_of_managers_and_municipal_staff_are_in_english(region, organisation, municipality):
    manager = process_manager(region)
    client = in_english(client_for(manager, region))
    data = _data_of(region, manager) + (organisation.name, municipality.name)
    assert "Management of the region" in assert_english(client.get(reverse("regions:manage_home")), *data)
    assert "Organisations of the region" in assert_english(client.get(reverse("regions:organisation_list")), *data)
    assert "Statistics" in assert_english(client.get(reverse("reports:statistics")), *data)

    coordinator = organisation_coordinator(organisation)
    client = in_english(client_for(coordinator, region))
    assert "People of the organisation" in assert_english(
        client.get(reverse("regions:my_organisation")), *_data_of(region, coordinator)
    )

    staff = municipal_staff(municipality)
    client = in_english(client_for(staff, region))
    assert "Requests from citizens" in assert_english(client.get(reverse("rights:queue")), *_data_of(region, staff))


@pytest.mark.django_db
def test_dutch_stays_the_default(region, professional_user):
    client = client_for(professional_user, region)
    html = client.get(reverse("signals:place")).content.decode()
    assert '<html lang="nl"' in html and "Burgerservicenummer (BSN)" in html
