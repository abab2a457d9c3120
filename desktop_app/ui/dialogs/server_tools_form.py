"""Claude's own tools (web search, web fetch, code execution) as a form: whether each is on and
how, for the defaults (Settings -> Claude's tools) and for one conversation (its options).

Only what the chosen model takes can be turned on; the others are greyed, with the reason
beside them. What the API would refuse (an empty list of sites, a country that is not an ISO
code) is said under the field as it is typed, and ``problems()`` keeps the dialog from saving
it: the API would refuse every request of the conversation, long after the dialog closed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QLocale, QTimeZone
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from desktop_app.core.catalog import ModelInfo
from desktop_app.core.server_tools import (
    MAX_SEARCH_USES,
    SERVER_TOOLS,
    ServerToolOptions,
    parse_domains,
    supported_server_tools,
    valid_country,
    valid_timezone,
)
from desktop_app.ui.dialogs.form_fields import (
    compact_number_field,
    problem_label,
    show_problem,
    stacked,
)

# Labels are translated where they are shown (ServerToolsForm.tr).
DOMAINS_MODES = (
    (QT_TRANSLATE_NOOP("ServerToolsForm", "Any site"), "any"),
    (QT_TRANSLATE_NOOP("ServerToolsForm", "Only these sites"), "only"),
    (QT_TRANSLATE_NOOP("ServerToolsForm", "Any site except these"), "except"),
)
TOOL_NAMES = {
    "web_search": QT_TRANSLATE_NOOP("ServerToolsForm", "web search"),
    "web_fetch": QT_TRANSLATE_NOOP("ServerToolsForm", "web fetch"),
    "code_execution": QT_TRANSLATE_NOOP("ServerToolsForm", "code execution"),
}
LOCATION_TEXT_LIMIT = 100  # characters of a city or region (core drops longer ones)
FETCH_TOKENS_STEP = 1000
FETCH_TOKENS_TOP = 1_000_000

# Fields a conversation keeps together: a list of sites means nothing without its mode, nor
# a city without the switch that sends it.
_TOGETHER = (("domains_mode", "domains"), ("location", "city", "region", "country", "timezone"))


def overrides(defaults: ServerToolOptions, chosen: ServerToolOptions) -> dict[str, Any]:
    """What a conversation keeps of its own (``options["server_tools"]``): the fields that
    differ from the defaults, each group of :data:`_TOGETHER` whole; so a later change of a
    default the user did not touch here still reaches the conversation."""
    base, mine = defaults.to_json(), chosen.to_json()
    kept = {name: value for name, value in mine.items() if base.get(name) != value}
    for group in _TOGETHER:
        if any(name in kept for name in group):
            kept.update({name: mine[name] for name in group})
    return kept


class ServerToolsForm(QWidget):
    """Edits :class:`ServerToolOptions` for one model. ``options()`` is what the form says;
    a tool the model does not take keeps the value it was given (the wish survives a model
    that cannot use it).

    Attributes:
        form: its form (Settings lines up the label columns of every tab).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._given = ServerToolOptions()
        self._supported: frozenset[str] = frozenset(SERVER_TOOLS)
        self._model_name = ""
        self._revealed: set[str] = set()  # problems said once their field was left
        self._location_labels: list[QLabel] = []  # greyed with their fields

        self.web_search = QCheckBox(self.tr("Search the web"))
        self.web_search.setAccessibleName(self.tr("Web search"))
        self.max_uses = QSpinBox()
        self.max_uses.setAccessibleName(self.tr("Searches per reply"))
        self.max_uses.setRange(1, MAX_SEARCH_USES)
        self.max_uses.setToolTip(self.tr("Claude stops searching after this many searches in "
                                         "one reply; each search is billed"))
        compact_number_field(self.max_uses)

        self.domains_mode = QComboBox()
        self.domains_mode.setAccessibleName(self.tr("Sites searched"))
        for label, value in DOMAINS_MODES:
            self.domains_mode.addItem(self.tr(label), value)
        self.domains_mode.setToolTip(self.tr(
            "The API takes a list of allowed sites or a list of blocked ones, never both"))
        self.domains = QLineEdit()
        self.domains.setAccessibleName(self.tr("List of sites"))
        self.domains.setPlaceholderText(self.tr("example.com, python.org"))
        self.domains.setToolTip(self.tr(
            "Site names separated by commas; a path narrows a site (example.com/blog)"))
        self.domains_problem = problem_label()

        self.location = QCheckBox(self.tr("Tell searches roughly where I am"))
        self.location.setAccessibleName(self.tr("Approximate location"))
        self.location.setToolTip(self.tr(
            "Off: searches do not know where you are. On: only what you fill in below is sent"))
        self.city = _location_field(self.tr("City"))
        self.region = _location_field(self.tr("Region"))
        self.country = _location_field(self.tr("Country"), self.tr("FR"))
        self.country.setMaxLength(2)
        self.country.setToolTip(self.tr("A two-letter ISO 3166 code, such as FR, US or JP"))
        self.timezone = _location_field(self.tr("Time zone"), _system_zone())
        self.timezone.setToolTip(self.tr("An IANA time zone name, such as Europe/Paris"))
        self.location_problem = problem_label()

        self.web_fetch = QCheckBox(self.tr("Read web pages"))
        self.web_fetch.setAccessibleName(self.tr("Web fetch"))
        self.web_fetch.setToolTip(self.tr(
            "Claude reads pages whose address is already in the conversation"))
        self.fetch_citations = QCheckBox(self.tr("Cite the pages read"))
        self.fetch_citations.setAccessibleName(self.tr("Citations of fetched pages"))
        self.fetch_limit = QSpinBox()
        self.fetch_limit.setAccessibleName(self.tr("Longest page read, in tokens"))
        self.fetch_limit.setRange(0, FETCH_TOKENS_TOP)
        self.fetch_limit.setSingleStep(FETCH_TOKENS_STEP)
        self.fetch_limit.setSpecialValueText(self.tr("No limit"))
        self.fetch_limit.setSuffix(self.tr(" tokens"))
        self.fetch_limit.setToolTip(self.tr("A longer page is cut to about this many tokens"))
        compact_number_field(self.fetch_limit)

        self.code_execution = QCheckBox(self.tr("Run code in a sandbox"))
        self.code_execution.setAccessibleName(self.tr("Code execution"))
        self.code_execution.setToolTip(self.tr(
            "In a container on Anthropic's side, not on this computer"))

        self.note = QLabel()
        self.note.setObjectName("HintLabel")
        self.note.setWordWrap(True)

        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setSpacing(10)
        self.form.addRow(self.tr("Web search"), self.web_search)
        self.form.addRow(self.tr("Searches per reply"), self.max_uses)
        self.form.addRow(self.tr("Sites"), stacked(
            _row(self.domains_mode, self.domains), self.domains_problem))
        self.form.addRow(self.tr("Location"), stacked(
            self.location, self._location_grid(), self.location_problem))
        self.form.addRow(self.tr("Web fetch"), self.web_fetch)
        self.form.addRow(self.tr("Citations"), self.fetch_citations)
        self.form.addRow(self.tr("Page length"), self.fetch_limit)
        self.form.addRow(self.tr("Code execution"), self.code_execution)
        self.form.addRow(self.note)

        for check in (self.web_search, self.location, self.web_fetch, self.code_execution):
            check.toggled.connect(self._update)
        self.domains_mode.currentIndexChanged.connect(self._update)
        for edit in (self.domains, self.city, self.region, self.country, self.timezone):
            edit.textChanged.connect(self._update)
        # A problem is said once its field is left (or Save is pressed), not at the first
        # key: the text under the field pushes the fields below it down while one types.
        self.domains.editingFinished.connect(lambda: self._reveal("domains"))
        for edit in (self.city, self.region, self.country, self.timezone):
            edit.editingFinished.connect(lambda: self._reveal("location"))
        self._load(self._given)

    def _location_grid(self) -> QWidget:
        grid_widget = QWidget()
        grid = QGridLayout(grid_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        for index, field in enumerate((self.city, self.region, self.country, self.timezone)):
            label = QLabel(field.accessibleName())
            label.setBuddy(field)
            self._location_labels.append(label)
            row, column = divmod(index, 2)
            grid.addWidget(label, row, column * 2)
            grid.addWidget(field, row, column * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        return grid_widget

    # -- the data ---------------------------------------------------------------------------

    def set_model(self, model: ModelInfo) -> None:
        """Offer the tools ``model`` takes; the others are greyed, with the reason."""
        current = self.options()
        self._supported = supported_server_tools(model)
        self._model_name = model.display_name
        self._load(current)

    def set_options(self, options: ServerToolOptions) -> None:
        self._load(options)

    def options(self) -> ServerToolOptions:
        """What the form says (a tool the model does not take keeps its given value)."""
        given = self._given
        hosts, _ = parse_domains(self.domains.text())
        chosen = replace(
            given,
            web_search=self.web_search.isChecked(),
            search_max_uses=self.max_uses.value(),
            domains_mode=self.domains_mode.currentData(),
            domains=hosts,
            location=self.location.isChecked(),
            city=" ".join(self.city.text().split()),
            region=" ".join(self.region.text().split()),
            country=self.country.text().strip().upper(),
            timezone=self.timezone.text().strip(),
            web_fetch=self.web_fetch.isChecked(),
            fetch_citations=self.fetch_citations.isChecked(),
            fetch_max_content_tokens=self.fetch_limit.value() or None,
            code_execution=self.code_execution.isChecked(),
        )
        unsupported = {name: getattr(given, name) for name in SERVER_TOOLS
                       if name not in self._supported}
        return replace(chosen, **unsupported)

    def _load(self, options: ServerToolOptions) -> None:
        self._given = options
        for name in SERVER_TOOLS:
            check = self._check(name)
            check.blockSignals(True)
            check.setChecked(getattr(options, name) and name in self._supported)
            check.blockSignals(False)
        self.max_uses.setValue(options.search_max_uses)
        self.domains_mode.setCurrentIndex(max(0, self.domains_mode.findData(options.domains_mode)))
        self.domains.setText(", ".join(options.domains))
        self.location.setChecked(options.location)
        self.city.setText(options.city)
        self.region.setText(options.region)
        self.country.setText(options.country)
        self.timezone.setText(options.timezone)
        self.fetch_citations.setChecked(options.fetch_citations)
        self.fetch_limit.setValue(options.fetch_max_content_tokens or 0)
        self._update()

    def _check(self, name: str) -> QCheckBox:
        return {"web_search": self.web_search, "web_fetch": self.web_fetch,
                "code_execution": self.code_execution}[name]

    # -- what can be edited, and what is wrong ----------------------------------------------

    def _update(self) -> None:
        """Grey what does not apply (a tool off or not taken, a list for "any site"), say
        why a tool cannot be turned on, and what is wrong with what was typed."""
        for name in SERVER_TOOLS:
            check, supported = self._check(name), name in self._supported
            check.setEnabled(supported)
            check.setToolTip("" if supported else self._unsupported_text([name]))
        search = self.web_search.isChecked()
        self.max_uses.setEnabled(search)
        self.domains_mode.setEnabled(search)
        self.domains.setEnabled(search and self.domains_mode.currentData() != "any")
        self.location.setEnabled(search)
        for field in (self.city, self.region, self.country, self.timezone,
                      *self._location_labels):
            field.setEnabled(search and self.location.isChecked())
        fetch = self.web_fetch.isChecked()
        self.fetch_citations.setEnabled(fetch)
        self.fetch_limit.setEnabled(fetch)
        show_problem(self.domains_problem,
                      self._domains_check()[1] if "domains" in self._revealed else "")
        show_problem(self.location_problem,
                      self._location_check()[1] if "location" in self._revealed else "")
        self._update_note()

    def reveal_problems(self) -> None:
        """Say every problem now, under its field (Save was pressed)."""
        self._revealed.update(("domains", "location"))
        self._update()

    def _reveal(self, which: str) -> None:
        self._revealed.add(which)
        self._update()

    def first_problem(self) -> QWidget | None:
        """Save was pressed: the first field to fix before the choices can be saved (every
        problem is now said under its field), or None when there is none."""
        problems = [field for field, text in (self._domains_check(), self._location_check())
                    if text]
        if problems:
            self.reveal_problems()
        return problems[0] if problems else None

    def _domains_check(self) -> tuple[QWidget, str]:
        if not self.domains.isEnabled():
            return self.domains, ""
        hosts, invalid = parse_domains(self.domains.text())
        if invalid:
            return self.domains, self.tr(
                "Not a site name: {entries}. Write names such as example.com (a path may "
                "follow: example.com/blog).").format(
                    entries=", ".join(invalid[:5]) + (", …" if len(invalid) > 5 else ""))
        if not hosts:
            return self.domains, self.tr(
                "List at least one site, or choose “Any site”: the API takes no empty list.")
        return self.domains, ""

    def _location_check(self) -> tuple[QWidget, str]:
        if not self.city.isEnabled():
            return self.city, ""
        country, zone = self.country.text().strip(), self.timezone.text().strip()
        if country and not _known_country(country):
            return self.country, self.tr(
                "“{code}” is not a country code: two letters, such as FR or US.").format(
                    code=country)
        if zone and not _known_zone(zone):
            return self.timezone, self.tr(
                "“{zone}” is not a time zone name, such as Europe/Paris or "
                "America/New_York.").format(zone=zone)
        if not any(f.text().strip() for f in (self.city, self.region, self.country,
                                               self.timezone)):
            return self.city, self.tr("Fill in at least one of city, region, country or time "
                                      "zone, or turn the location off.")
        return self.city, ""

    def _update_note(self) -> None:
        missing = [name for name in SERVER_TOOLS if name not in self._supported]
        notes = [self._unsupported_text(missing)] if missing and self._model_name else []
        notes.append(self.tr("Anthropic bills searches per search and code by the container's "
                             "time, besides tokens."))
        self.note.setText(" ".join(notes))

    def _unsupported_text(self, names: list[str]) -> str:
        tools = [self.tr(TOOL_NAMES[name]) for name in names]
        listed = tools[0] if len(tools) == 1 else self.tr("{0} and {1}").format(
            ", ".join(tools[:-1]), tools[-1])
        return self.tr("{model} cannot use {tools}.").format(
            model=self._model_name or self.tr("This model"), tools=listed)


def _known_country(code: str) -> bool:
    """An ISO 3166-1 alpha-2 code Qt knows as a territory ("FR"; not "UK" or "XX")."""
    code = code.strip().upper()
    return valid_country(code) and (
        QLocale.codeToTerritory(code) != QLocale.Country.AnyTerritory)


def _known_zone(name: str) -> bool:
    """An IANA zone name the system's time zone database has."""
    return valid_timezone(name) and QTimeZone.isTimeZoneIdAvailable(
        name.strip().encode("ascii", "replace"))


def _system_zone() -> str:
    zone = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
    return zone if "/" in zone and not zone.startswith("Etc/") else "Europe/Paris"


def _location_field(name: str, example: str = "") -> QLineEdit:
    field = QLineEdit()
    field.setAccessibleName(name)
    field.setMaxLength(LOCATION_TEXT_LIMIT)
    if example:
        field.setPlaceholderText(example)
    return field


def _row(*parts: QWidget) -> QWidget:
    """Parts side by side, the last one taking the spare width."""
    field = QWidget()
    layout = QHBoxLayout(field)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(8)
    for index, part in enumerate(parts):
        layout.addWidget(part, 1 if index == len(parts) - 1 else 0)
    return field

