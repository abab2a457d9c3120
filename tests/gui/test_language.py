"""The interface language: English or Simplified Chinese from the setting or the system, the
translation catalog complete and compilable, and Chinese text drawn with a real font."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QGuiApplication, QRawFont, QTextLayout
from PySide6.QtWidgets import QDialogButtonBox

from desktop_app.core.settings import Settings
from desktop_app.storage.paths import AppPaths
from desktop_app.storage.settings_store import SettingsStore
from desktop_app.ui.runtime import translations
from desktop_app.ui.dialogs.key_dialog import KeyDialog
from desktop_app.ui.dialogs.settings_dialog import SettingsDialog
from desktop_app.ui.runtime.translations import (
    available_languages,
    install_translators,
    installed_language,
    remove_translators,
    resolve_language,
)
from tests.conftest import TEST_KEY, until
from tests.packaging.test_packaging import load_build_script, run_spec
from tests.process.test_process import run_cairn

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "resources" / "translations" / "cairn_zh_CN.ts"
BIN = Path(sys.executable).parent
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
TAG = re.compile(r"</?[a-z]+")


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """Every test leaves the app as it found it: no translators, the system's locale, the
    plain application font."""
    locale = QLocale()
    font = QGuiApplication.font()
    yield
    remove_translators()
    QLocale.setDefault(locale)
    QGuiApplication.setFont(font)


def save_language(data_dir: Path, language: str) -> str:
    """Save the setting as the app would, then install the translators as app.py does at
    start-up (before any widget); returns the language in use."""
    paths = AppPaths.portable(data_dir)
    paths.ensure()
    store = SettingsStore(paths.settings_file)
    store.save(Settings(language=language))
    return install_translators(store.load().language)


def visible_dialog(window, cls):
    found = [d for d in window.findChildren(cls) if d.isVisible()]
    return found[0] if found else None


async def open_settings(window, qtbot) -> SettingsDialog:
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    await until(lambda: visible_dialog(window, SettingsDialog) is not None, message="settings")
    return visible_dialog(window, SettingsDialog)


def button_texts(dialog) -> list[str]:
    box = dialog.findChild(QDialogButtonBox)
    return [box.button(b).text() for b in (QDialogButtonBox.StandardButton.Save,
                                            QDialogButtonBox.StandardButton.Cancel)]


def tab_texts(dialog: SettingsDialog) -> list[str]:
    return [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]


# -- the window in each language ----------------------------------------------------------------

@pytest.mark.asyncio
async def test_chinese_setting_shows_chinese(app_factory, data_dir, qtbot):
    QLocale.setDefault(QLocale("en_US"))
    assert save_language(data_dir, "zh_CN") == "zh_CN"
    window = await app_factory()
    assert window.header.sidebar_button.toolTip() == "显示或隐藏侧边栏（Ctrl+B）"
    dialog = await open_settings(window, qtbot)
    assert dialog.windowTitle() == "设置"
    assert tab_texts(dialog) == ["常规", "回复", "连接", "Claude 的工具", "MCP 服务器", "工具"]
    assert button_texts(dialog) == ["保存", "取消"]  # Qt's own catalog
    assert dialog.language.currentText() == "简体中文"
    assert dialog.test_button.text() == "测试连接"
    dialog.reject()


@pytest.mark.asyncio
async def test_english_setting_shows_english_on_a_chinese_system(app_factory, data_dir, qtbot):
    QLocale.setDefault(QLocale("zh_CN"))
    assert save_language(data_dir, "en") == "en"
    window = await app_factory()
    assert window.header.sidebar_button.toolTip() == "Show or hide the sidebar (Ctrl+B)"
    dialog = await open_settings(window, qtbot)
    assert tab_texts(dialog) == [
        "General", "Replies", "Connection", "Claude's tools", "MCP servers", "Tools"]
    assert button_texts(dialog) == ["Save", "Cancel"]
    assert dialog.language.currentText() == "English"
    dialog.reject()


@pytest.mark.parametrize("system,expected,title", [
    ("zh_CN", "zh_CN", "Claude API 密钥"),
    ("zh_SG", "zh_CN", "Claude API 密钥"),
    ("en_GB", "en", "Claude API key"),
    ("zh_TW", "en", "Claude API key"),  # no Traditional Chinese catalog yet
    ("fr_FR", "en", "Claude API key"),
])
def test_no_setting_follows_the_system_language(system, expected, title, data_dir, qtbot):
    QLocale.setDefault(QLocale(system))
    assert save_language(data_dir, "") == expected
    assert installed_language() == expected
    dialog = KeyDialog()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == title
    # The combo says what "System default" currently means.
    system_default = "系统默认（简体中文）" if expected == "zh_CN" else "System default (English)"
    assert available_languages()[0] == ("", system_default)


def test_system_language_is_the_first_one_cairn_has():
    assert resolve_language("", ["fr-FR", "zh-Hans-CN", "en-US"]) == "zh_CN"
    assert resolve_language("", ["de-DE", "en-GB", "zh-CN"]) == "en"
    assert resolve_language("", ["zh-Hant-TW", "zh-TW", "zh-Hant", "zh"]) == "en"
    assert resolve_language("", ["zh-Hant-TW", "zh-TW", "zh-Hant", "zh", "zh-CN"]) == "zh_CN"
    assert resolve_language("", ["zh"]) == "zh_CN"
    assert resolve_language("", []) == "en"
    assert resolve_language("zh_CN", ["en-US"]) == "zh_CN"  # the setting wins
    assert resolve_language("en", ["zh-CN"]) == "en"


@pytest.mark.parametrize("variables", [
    {"LC_ALL": "zh_CN.UTF-8", "LANG": "zh_CN.UTF-8"},
    {"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"},
])
def test_the_app_follows_the_os_locale_at_start(fake_api, data_dir, variables):
    """The real path: a Cairn process whose environment names the language."""
    env = {"ANTHROPIC_API_KEY": TEST_KEY, "ANTHROPIC_BASE_URL": fake_api.base_url, **variables,
           "LANGUAGE": ""}
    result = run_cairn("--smoke-test", "--verbose", "--data-dir", str(data_dir), env=env)
    assert result.returncode == 0, result.stderr
    expected = "zh_CN" if variables["LANG"].startswith("zh") else "en"
    assert f"interface language: {expected}" in result.stderr, result.stderr


def test_the_saved_setting_beats_the_os_locale_at_start(fake_api, data_dir):
    SettingsStore(AppPaths.portable(data_dir).settings_file).save(Settings(language="zh_CN"))
    env = {"ANTHROPIC_API_KEY": TEST_KEY, "ANTHROPIC_BASE_URL": fake_api.base_url,
           "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "LANGUAGE": ""}
    result = run_cairn("--smoke-test", "--verbose", "--data-dir", str(data_dir), env=env)
    assert result.returncode == 0, result.stderr
    assert "interface language: zh_CN" in result.stderr, result.stderr


def test_missing_catalog_means_english_silently(monkeypatch, tmp_path, qtbot, caplog):
    monkeypatch.setattr(translations, "catalog_path", lambda language: tmp_path / "none.qm")
    with caplog.at_level("DEBUG", logger="desktop_app.ui.runtime.translations"):
        assert install_translators("zh_CN") == "en"
    assert installed_language() == "en"
    assert [r.levelname for r in caplog.records] == ["DEBUG"]
    dialog = KeyDialog()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Claude API key"


def test_a_language_without_its_catalog_is_not_offered(monkeypatch, tmp_path):
    """A package built without compiled catalogs: 简体中文 is not offered (it would silently
    stay English), and following the system says English even on a Chinese system."""
    assert [code for code, _ in available_languages()] == ["", "en", "zh_CN"]
    monkeypatch.setattr(translations, "catalog_path", lambda language: tmp_path / "none.qm")
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    offered = available_languages()
    assert [code for code, _ in offered] == ["", "en"]
    assert offered[0][1] == "System default (English)"


def test_translators_are_replaced_not_stacked():
    install_translators("zh_CN")
    install_translators("zh_CN")
    assert QCoreApplication.translate("SettingsDialog", "General") == "常规"
    install_translators("en")
    assert installed_language() == "en"
    assert QCoreApplication.translate("SettingsDialog", "General") == "General"


# -- settings -----------------------------------------------------------------------------------

def test_language_and_title_settings_are_validated():
    assert Settings().language == "" and Settings().generate_titles is True
    assert Settings.from_json({"language": "zh_CN"}).language == "zh_CN"
    assert Settings.from_json({"language": "fr"}).language == ""
    assert Settings.from_json({"language": 3}).language == ""
    assert Settings.from_json({"generate_titles": False}).generate_titles is False
    assert Settings.from_json({"generate_titles": 0}).generate_titles is True
    saved = Settings(language="en", generate_titles=False)
    assert Settings.from_json(json.loads(json.dumps(saved.to_json()))) == saved


@pytest.mark.asyncio
async def test_settings_dialog_saves_language_and_titles(app_factory, data_dir, qtbot):
    window = await app_factory()
    dialog = await open_settings(window, qtbot)
    assert [dialog.language.itemData(i) for i in range(dialog.language.count())] == [
        "", "en", "zh_CN"]
    assert dialog.language.itemText(2) == "简体中文"  # each language in its own words
    titles = window.controller.settings.generate_titles
    assert dialog.generate_titles.isChecked() == titles
    assert not dialog.language_note.isVisible()
    dialog.language.setCurrentIndex(2)
    assert dialog.language_note.isVisible()  # applies after a restart, and says so
    assert "next starts" in dialog.language_note.text()
    dialog.language.setCurrentIndex(0)
    assert not dialog.language_note.isVisible()
    dialog.language.setCurrentIndex(2)
    dialog.generate_titles.setChecked(not titles)
    dialog.accept()
    await until(lambda: window.controller.settings.language == "zh_CN")
    assert window.controller.settings.generate_titles is (not titles)
    settings_file = data_dir / "config" / "settings.json"
    # Written on the disk thread, just after the settings change in memory.
    await until(lambda: settings_file.exists(), message="settings written")
    saved = json.loads(settings_file.read_text("utf-8"))
    assert saved["language"] == "zh_CN" and saved["generate_titles"] is (not titles)
    # Nothing changes until the next start.
    assert installed_language() == "en"
    assert window.header.sidebar_button.toolTip() == "Show or hide the sidebar (Ctrl+B)"


# -- the catalog --------------------------------------------------------------------------------

def catalog_messages(path: Path) -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(path).getroot()  # valid XML, or this fails
    assert root.tag == "TS" and root.get("language") == "zh_CN"
    return [(context.findtext("name") or "", message.findtext("source") or "", message)
            for context in root.iter("context") for message in context.iter("message")]


def test_every_string_is_translated():
    messages = catalog_messages(CATALOG)
    assert len(messages) > 50
    problems = []
    for context, source, message in messages:
        translation = message.find("translation")
        text = translation.text if translation is not None else None
        if translation is None or not (text or "").strip():
            problems.append(f"{context}: {source!r} has no translation")
        elif translation.get("type") in ("unfinished", "vanished", "obsolete"):
            problems.append(f"{context}: {source!r} is {translation.get('type')}")
        elif sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text or "")):
            problems.append(f"{context}: {source!r} and {text!r} differ in their {{}} fields")
        elif sorted(TAG.findall(source)) != sorted(TAG.findall(text or "")):
            problems.append(f"{context}: {source!r} and {text!r} differ in their markup")
    assert not problems, "\n".join(problems)


def test_catalog_has_every_string_of_the_code(tmp_path):
    """lupdate over the code (as scripts/update_translations.sh runs it) finds nothing new:
    a string wrapped in tr() but not translated yet fails here."""
    copy = tmp_path / CATALOG.name
    shutil.copyfile(CATALOG, copy)
    sources = sorted(str(p) for p in (ROOT / "desktop_app").rglob("*.py"))
    result = subprocess.run(
        [str(BIN / "pyside6-lupdate"), "-silent", "-no-obsolete", "-locations", "none",
         "-source-language", "en", *sources, "-ts", str(copy)],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    before = {(c, s) for c, s, _ in catalog_messages(CATALOG)}
    after = {(c, s) for c, s, _ in catalog_messages(copy)}
    assert not after - before, (
        f"new strings in the code: {sorted(after - before)}; "
        "run bash scripts/update_translations.sh and translate them")
    assert not before - after, (
        f"strings no longer in the code: {sorted(before - after)}; "
        "run bash scripts/update_translations.sh")


def test_catalog_compiles_and_translates(tmp_path):
    target = tmp_path / "cairn_zh_CN.qm"
    result = subprocess.run(
        [str(BIN / "pyside6-lrelease"), str(CATALOG), "-qm", str(target)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "untranslated" not in result.stdout, result.stdout
    translator = QTranslator()
    assert translator.load(str(target))
    assert translator.language() == "zh_CN"
    assert translator.translate("SettingsDialog", "General") == "常规"


def test_build_compiles_the_catalogs_and_ships_them(tmp_path, monkeypatch):
    build = load_build_script()
    shutil.copyfile(CATALOG, tmp_path / CATALOG.name)
    assert build.compile_translations(tmp_path) == [tmp_path / "cairn_zh_CN.qm"]
    assert (tmp_path / "cairn_zh_CN.qm").stat().st_size > 0
    assert "fonts-noto-cjk | fonts-wqy-microhei" in build.DEB_RECOMMENDS
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert "translations/*.qm" in pyproject["tool"]["setuptools"]["package-data"][
        "desktop_app.resources"]
    compiled = CATALOG.with_suffix(".qm")
    if not compiled.exists():
        pytest.skip("resources/translations not compiled (bash scripts/update_translations.sh)")
    datas = run_spec("linux", monkeypatch)["Analysis"].kwargs["datas"]
    assert (str(compiled), str(Path("desktop_app", "resources", "translations"))) in datas


# -- Chinese text on screen ---------------------------------------------------------------------

def glyph_runs(text: str) -> list[tuple[str, QRawFont, list[int]]]:
    """How Qt draws ``text`` in the application font: (family, font, glyph ids) per run."""
    layout = QTextLayout(text, QGuiApplication.font())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return [(run.rawFont().familyName(), run.rawFont(), list(run.glyphIndexes()))
            for run in layout.glyphRuns()]


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_chinese_text_is_drawn_with_a_chinese_font(language):
    families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    assert families, "no font with Chinese characters: apt-get install fonts-wqy-microhei"
    latin_before = glyph_runs("Cairn")[0][0]
    install_translators(language)
    runs = glyph_runs("Cairn 设置")
    for char in "设置":
        assert any(raw.supportsCharacter(ord(char)) for _, raw, _ in runs), f"{char} is a box"
    assert all(0 not in glyphs for _, _, glyphs in runs)  # glyph 0 is the "missing" box
    assert glyph_runs("Cairn")[0][0] == latin_before  # Latin text keeps the system's font
    if language == "zh_CN":
        chinese = translations.simplified_chinese_font()
        assert chinese is not None
        assert QFontInfo(QFont(chinese)).family() in {family for family, _, _ in runs}


# -- key names ------------------------------------------------------------------------------

def test_shortcuts_sheet_in_chinese_names_keys_as_keyboards_print_them(qtbot):
    from desktop_app.ui.dialogs.shortcuts_dialog import ShortcutsDialog

    assert install_translators("zh_CN") == "zh_CN"
    dialog = ShortcutsDialog()
    qtbot.addWidget(dialog)
    keys = [dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())]
    actions = [dialog.table.item(row, 1).text() for row in range(dialog.table.rowCount())]
    assert "上一个对话" in actions or any(re.search(r"[\u4e00-\u9fff]", a) for a in actions)
    assert "Ctrl+↑" in keys and "Ctrl+↓" in keys
    assert "Esc" in keys and "Ctrl+N" in keys
    translated = [k for k in keys if re.search(r"[\u4e00-\u9fff]", k)]
    assert not translated, translated  # no "Ctrl+上方向", "删除"
