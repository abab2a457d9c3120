"""The user interface language: Qt translators for Cairn's own strings and Qt's standard ones.

Cairn's catalogs are ``resources/translations/cairn_<language>.ts``, compiled to ``.qm`` when
Cairn is set up or built (``scripts/update_translations.sh``, ``packaging/build.py``). English
is the source language and needs no catalog; a missing ``.qm`` means English, never an error.
Translators are installed once, before the first widget is built; a change of language in
Settings applies when Cairn is next started.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QGuiApplication

from desktop_app.core.settings import LANGUAGES

log = logging.getLogger(__name__)

# Each language in its own words, as the Settings combo offers it.
NATIVE_NAMES = {"en": "English", "zh_CN": "简体中文"}
SOURCE_LANGUAGE = "en"
# Fonts drawn for Simplified Chinese, best first. Fontconfig (or the OS) falls back to any font
# with Chinese characters by itself; naming one of these first keeps a Japanese or Traditional
# variant of the same characters from being picked when the interface is in Chinese.
SIMPLIFIED_CHINESE_FONTS = (
    "Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Microsoft YaHei",
    "PingFang SC", "Hiragino Sans GB", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
    "Noto Sans SC", "Droid Sans Fallback",
)

_installed: list[QTranslator] = []
_font_before: list[QFont] = []  # the application font, while a Chinese one is preferred


def available_languages() -> list[tuple[str, str]]:
    """(code, name) for the Settings combo: "" (follow the system) first, then each language
    in its own words; only languages whose catalog is installed (a package built without
    them is English only, and says so by offering nothing else)."""
    offered = [code for code in LANGUAGES if code and has_catalog(code)]
    followed = resolve_language("")
    system = QCoreApplication.translate("Translations", "System default ({0})").format(
        NATIVE_NAMES[followed if followed in offered else SOURCE_LANGUAGE]
    )
    return [("", system)] + [(code, NATIVE_NAMES[code]) for code in offered]


def has_catalog(language: str) -> bool:
    """Whether ``language`` can be shown: English always, any other with its compiled
    catalog installed."""
    return language == SOURCE_LANGUAGE or catalog_path(language).is_file()


def resolve_language(setting: str, ui_languages: list[str] | None = None) -> str:
    """The language to show: the setting itself, or for "" the first of the system's
    preferred languages Cairn has (``QLocale().uiLanguages()``: the OS locale unless a
    default was set), else English.

    Args:
        setting: the saved ``Settings.language``.
        ui_languages: BCP 47 tags in order of preference (tests); None asks Qt.
    """
    if setting in NATIVE_NAMES:
        return setting
    traditional = False
    for tag in QLocale().uiLanguages() if ui_languages is None else ui_languages:
        locale = QLocale(tag)
        if locale.language() == QLocale.Language.English:
            return "en"
        if locale.language() != QLocale.Language.Chinese:
            continue
        if locale.script() == QLocale.Script.TraditionalHanScript:
            traditional = True  # no Traditional Chinese catalog yet
        elif not (traditional and "-" not in tag and "_" not in tag):
            # (a bare "zh" after "zh-Hant-TW" is Qt shortening that one, not a wish for
            # Simplified Chinese)
            return "zh_CN"
    return SOURCE_LANGUAGE


def catalog_path(language: str) -> Path:
    """Where Cairn's compiled catalog for ``language`` is (it may be missing)."""
    folder = resources.files("desktop_app.resources").joinpath("translations")
    return Path(str(folder)) / f"cairn_{language}.qm"


def missing_catalogs() -> list[str]:
    """The languages whose compiled catalog is missing or unreadable (a build checks this)."""
    missing = []
    for language in NATIVE_NAMES:
        if language != SOURCE_LANGUAGE and not QTranslator().load(str(catalog_path(language))):
            missing.append(language)
    return missing


def install_translators(setting: str) -> str:
    """Install the translators for the saved language setting (replacing any installed
    before) and return the language in use. Call it once the QApplication exists and before
    any widget is built.

    Cairn's own catalog comes with Qt's ``qtbase`` one (standard dialog buttons, context
    menus) from Qt's translations folder when Qt ships it. Without Cairn's catalog (a fresh
    ``pip install -e .`` that has not compiled it) the interface stays English.
    """
    remove_translators()
    language = resolve_language(setting)
    if language == SOURCE_LANGUAGE:
        return language
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install_translators needs the QApplication")
    own = QTranslator(app)
    path = catalog_path(language)
    if not own.load(str(path)):
        log.debug("no compiled catalog at %s: the interface stays English", path)
        own.deleteLater()
        return SOURCE_LANGUAGE
    _install(app, own)
    if language == "zh_CN":
        _prefer_font(simplified_chinese_font())
    qt = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt.load(f"qtbase_{language}", folder):
        _install(app, qt)
    else:
        log.debug("Qt has no qtbase_%s catalog in %s", language, folder)
        qt.deleteLater()
    return language


def _install(app: QCoreApplication, translator: QTranslator) -> None:
    if not app.installTranslator(translator):
        log.debug("Qt refused a translator for %s", translator.language())
        return
    _installed.append(translator)


def simplified_chinese_font() -> str | None:
    """The installed font family best suited to Simplified Chinese, if one is known."""
    # hasFamily knows a family by its English and its localised names alike.
    return next((name for name in SIMPLIFIED_CHINESE_FONTS if QFontDatabase.hasFamily(name)), None)


def _prefer_font(family: str | None) -> None:
    """Put ``family`` right after the application font's own, so Chinese characters are drawn
    with it while Latin text keeps the system font."""
    if family is None or not isinstance(QCoreApplication.instance(), QGuiApplication):
        return
    font = QGuiApplication.font()
    # The family the system font really is ("Sans Serif" is only an alias for fontconfig;
    # listed before the Chinese font it would lose to it, Latin text included).
    primary = font.family() if QFontDatabase.hasFamily(font.family()) else QFontInfo(font).family()
    if QFontDatabase.hasFamily(primary) and primary != family and primary != QFontInfo(
        QFont(family)
    ).family():
        _font_before.append(QFont(font))
        font.setFamilies([primary, family])
        QGuiApplication.setFont(font)


def remove_translators() -> None:
    """Back to English and the plain application font (tests restore the source language
    this way)."""
    app = QCoreApplication.instance()
    if _font_before and isinstance(app, QGuiApplication):
        QGuiApplication.setFont(_font_before[0])
    _font_before.clear()
    while _installed:
        translator = _installed.pop()
        if app is not None:
            app.removeTranslator(translator)
        translator.deleteLater()


def installed_language() -> str:
    """The language of the installed translators ("en" when none are)."""
    return _installed[0].language().replace("-", "_") if _installed else SOURCE_LANGUAGE
