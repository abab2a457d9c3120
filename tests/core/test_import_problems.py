"""Import problems are data (a kind and its facts) whose text is exactly the English
sentence Cairn wrote before they were data: logs and every caller reading a sentence see no
change."""

from __future__ import annotations

import copy
import pickle

import pytest

from desktop_app.core.import_problems import ENGLISH, ImportProblem, ProblemKind

K = ProblemKind
_ENCRYPTED = ImportProblem(K.ENTRY_ENCRYPTED)
_EMPTY = ImportProblem(K.BREAK_EMPTY)

#: A problem of every kind, and the sentence the code made before (copied from its f-strings).
OLD_SENTENCES: list[tuple[ImportProblem, str]] = [
    (ImportProblem(K.FILE_UNREADABLE, name="a.zip", reason="Permission denied"),
     "a.zip could not be read (Permission denied)."),
    (ImportProblem(K.FILE_TOO_LARGE, name="a.json"), "a.json is too large to import."),
    (ImportProblem(K.NOT_IMPORTABLE, name="a.txt"),
     "a.txt is not a Cairn backup, an exported conversation or a claude.ai export."),
    (ImportProblem(K.READ_STOPPED, name="a.zip", reason="nested too deeply"),
     "a.zip could not be read further (nested too deeply)."),
    (ImportProblem(K.CANNOT_READ_FURTHER, name="a.json", reason="Input/output error"),
     "a.json cannot be read further (Input/output error)."),
    (ImportProblem(K.CANNOT_READ_FURTHER_ENTRY, name="a.zip", reason=_ENCRYPTED),
     "a.zip cannot be read further: it is encrypted."),
    (ImportProblem(K.STOPPED_PART_WAY, summary="x. Nothing was imported."),
     "x. Nothing was imported."),
    (ImportProblem(K.NOT_A_ZIP, name="a.zip"), "a.zip is not a readable .zip archive."),
    (ImportProblem(K.TOO_MANY_ENTRIES, name="a.zip", limit=1_000_000),
     "a.zip has more than 1,000,000 files; it was refused."),
    (ImportProblem(K.ZIP_BOMB_DECLARED, name="a.zip", unpacked="9,000 MB", size="42 KB"),
     "a.zip would unpack to 9,000 MB, far more than a real archive of its size (42 KB); it "
     "was refused as a zip bomb."),
    (ImportProblem(K.ARCHIVE_TOO_LARGE, name="a.zip", limit="20,480 MB"),
     "a.zip would unpack to more than 20,480 MB, the most Cairn imports; it was refused."),
    (ImportProblem(K.ZIP_BOMB_ENTRY_DECLARED, name="a.zip", unpacked="900 MB",
                   compressed="1 KB"),
     "a.zip holds an entry that would unpack to 900 MB from 1 KB; it was refused as a zip "
     "bomb."),
    (ImportProblem(K.ENTRY_OUTSIDE_FILE, name="a.zip"),
     "a.zip is damaged: an entry lies outside the file."),
    (ImportProblem(K.ENTRIES_OVERLAP, name="a.zip"),
     "a.zip has entries that share their data (a zip bomb); it was refused."),
    (ImportProblem(K.ENTRY_LONGER_THAN_DECLARED, name="a.zip", entry="c/x.json",
                   declared=12345),
     "a.zip was refused: an entry (c/x.json) unpacks to more than the 12,345 bytes it "
     "declares."),
    (ImportProblem(K.ZIP_BOMB_RATIO, name="a.zip", entry="c/x.json", ratio=100),
     "a.zip was refused as a zip bomb: an entry (c/x.json) unpacks to more than 100 times its "
     "compressed size."),
    (ImportProblem(K.ARCHIVE_UNPACKS_TOO_MUCH, name="a.zip", limit="2.0 MB", ratio=100,
                   size="10 KB", max_total="20,480 MB"),
     "a.zip was refused: it unpacks to more than 2.0 MB (at most 100 times its size of 10 KB, "
     "and never more than 20,480 MB)."),
    (ImportProblem(K.ENTRY_ENCRYPTED), "it is encrypted"),
    (ImportProblem(K.ENTRY_COMPRESSION), "it is compressed in a way Cairn does not read"),
    (ImportProblem(K.ENTRY_OVER_LIMIT, size="70 MB", limit="64 MB"),
     "it is 70 MB, more than the 64 MB Cairn imports"),
    (ImportProblem(K.ENTRY_READ_FAILED, reason="bad seek"), "it could not be read (bad seek)"),
    (ImportProblem(K.ENTRY_ENDS_EARLY), "it is damaged (its data ends early)"),
    (ImportProblem(K.ENTRY_DAMAGED), "it is damaged"),
    (ImportProblem(K.ENTRY_SHORTER), "it is damaged (shorter than it declares)"),
    (ImportProblem(K.ENTRY_CHECKSUM), "it is damaged (its checksum does not match)"),
    (ImportProblem(K.NOT_AN_ARCHIVE),
     "This .zip is not a Cairn archive: it holds no conversations."),
    (ImportProblem(K.CLAUDE_EXPORT_NOT_ARCHIVE),
     "This is a claude.ai export, not a Cairn archive: import it from claude.ai instead."),
    (ImportProblem(K.NOT_ARCHIVE_PART, entry="x.txt"),
     "x.txt is not part of a Cairn archive; ignored."),
    (ImportProblem(K.UNSAFE_NAME, entry="../x"), "../x has an unsafe name and was ignored."),
    (ImportProblem(K.LINK_ENTRY, entry="l"), "l is a link and was ignored."),
    (ImportProblem(K.ENTRY_IGNORED, entry="c/x.json", reason=_ENCRYPTED),
     "c/x.json was ignored: it is encrypted."),
    (ImportProblem(K.ATTACHMENT_ENTRY_TOO_LARGE, entry="a/b", size="70 MB", limit="64 MB"),
     "a/b is too large (70 MB; Cairn imports attachments of up to 64 MB) and was ignored."),
    (ImportProblem(K.CONVERSATION_ENTRY_TOO_LARGE, entry="c/x", size="70 MB", limit="64 MB"),
     "c/x is too large (70 MB; Cairn imports conversations of up to 64 MB) and was ignored."),
    (ImportProblem(K.ATTACHMENT_MISNAMED, entry="a/b"),
     "a/b is not named like an attachment; ignored."),
    (ImportProblem(K.ATTACHMENT_CHECKSUM, entry="a/b"),
     "a/b does not match its checksum (damaged?) and was ignored."),
    (ImportProblem(K.ATTACHMENT_NOT_STORED, entry="a/b", reason="No space left on device"),
     "a/b could not be stored (No space left on device)."),
    (ImportProblem(K.ENTRY_NOT_JSON, entry="c/x.json"),
     "c/x.json is not valid JSON and was ignored."),
    (ImportProblem(K.NOT_A_CONVERSATION, name="x.json"), "x.json is not a Cairn conversation."),
    (ImportProblem(K.INVALID_CONVERSATION, name="x.json", reason="id must be a string"),
     "x.json is not a Cairn conversation: id must be a string."),
    (ImportProblem(K.NEWER_CAIRN, name="x.json"),
     "x.json was written by a newer version of Cairn; update Cairn to import it."),
    (ImportProblem(K.INVALID_CONVERSATION_ID, name="x.json"),
     "x.json has an invalid conversation id."),
    (ImportProblem(K.CONVERSATION_NOT_JSON, name="x.json"),
     "x.json is not a Cairn conversation: it is not JSON."),
    (ImportProblem(K.ATTACHMENT_DAMAGED_OR_LARGE, name="x.json"),
     "x.json holds an attachment that is damaged or too large."),
    (ImportProblem(K.ATTACHMENT_DAMAGED, name="x.json"), "x.json holds a damaged attachment."),
    (ImportProblem(K.ATTACHMENT_STORE_FAILED, name="x.json", reason="Disk full"),
     "x.json could not be imported: an attachment could not be stored (Disk full)."),
    (ImportProblem(K.CONVERSATION_NOT_SAVED, title="Hi", reason="Disk full"),
     "“Hi” could not be saved (Disk full)."),
    (ImportProblem(K.INVALID_ID, title="Hi"), "“Hi” has an invalid id and was skipped."),
    (ImportProblem(K.CONVERSATION_TOO_LARGE, title="Hi", size="70 MB", limit="64 MB"),
     "“Hi” was not imported: it is 70 MB, and Cairn imports conversations of up to 64 MB."),
    (ImportProblem(K.MESSAGE_TOO_LARGE, title="Hi", size="9.0 MB", limit="8.0 MB"),
     "“Hi” was not imported: one of its messages is 9.0 MB, and Cairn imports messages of up "
     "to 8.0 MB."),
    (ImportProblem(K.CONVERSATION_OVER_LIMIT, title="Hi", limit="64 MB"),
     "“Hi” was not imported: it is larger than 64 MB, the most Cairn imports in one "
     "conversation."),
    (ImportProblem(K.NO_CONVERSATIONS_FILE, name="e.zip", file="conversations.json"),
     "e.zip has no conversations.json: it is not a claude.ai export."),
    (ImportProblem(K.EXPORT_ENTRY_UNREADABLE, name="e.zip", reason=_ENCRYPTED),
     "e.zip cannot be imported: it is encrypted."),
    (ImportProblem(K.EXPORT_NOT_TEXT), "This file is not a claude.ai export: it is not text."),
    (ImportProblem(K.EXPORT_NOT_JSON), "This file is not a claude.ai export: it is not JSON."),
    (ImportProblem(K.EXPORT_NOT_A_LIST),
     "This file is not a claude.ai export: it should hold a list of conversations."),
    (ImportProblem(K.EXPORT_NO_CONVERSATION),
     "This file is not a claude.ai export: none of its entries is a conversation."),
    (ImportProblem(K.EXPORT_BROKEN_OFF, entry=3, reason=_EMPTY),
     "The file could not be read past entry 3 (it is empty); the conversations before that "
     "were imported."),
    (ImportProblem(K.EXPORT_ENTRY_TOO_LARGE, position=4, limit="64 MB"),
     "Entry 4 was skipped: it is larger than 64 MB, the most Cairn imports in one "
     "conversation."),
    (ImportProblem(K.EXPORT_ENTRY_NOT_CONVERSATION, position=2),
     "Entry 2 is not a conversation and was skipped."),
    (ImportProblem(K.EXPORT_CONVERSATION_UNREADABLE, position=2),
     "Conversation 2 could not be read and was skipped."),
    (ImportProblem(K.EXPORT_NO_MESSAGES, title="Empty chat"),
     "“Empty chat” has no messages and was skipped."),
    (ImportProblem(K.BREAK_NOT_UTF8), "it is not UTF-8 text"),
    (ImportProblem(K.BREAK_INVALID_JSON), "it is not valid JSON there"),
    (ImportProblem(K.BREAK_ENDS_EARLY), "it ends early"),
    (ImportProblem(K.BREAK_TOO_DEEP), "it is nested too deeply"),
    (ImportProblem(K.BREAK_MID_ENTRY), "it ends in the middle of an entry"),
    (_EMPTY, "it is empty"),
    (ImportProblem(K.BREAK_NO_LIST), "it holds no list"),
    (ImportProblem(K.BREAK_MORE_AFTER), "there is more after its end"),
    (ImportProblem(K.BREAK_NO_CONVERSATION_LIST), "it holds no list of conversations"),
]


def test_the_table_has_every_kind_once():
    kinds = [problem.kind for problem, _ in OLD_SENTENCES]
    assert sorted(kinds) == sorted(ProblemKind) and set(ENGLISH) == set(ProblemKind)


@pytest.mark.parametrize(("problem", "sentence"), OLD_SENTENCES,
                         ids=[p.kind.value for p, _ in OLD_SENTENCES])
def test_each_kind_reads_as_the_old_sentence(problem, sentence):
    assert problem.english() == sentence
    assert str(problem) == sentence and problem == sentence


def test_a_problem_keeps_its_kind_and_facts_through_copy_and_pickle():
    problem = ImportProblem(K.ENTRY_IGNORED, entry="c/x.json", reason=_ENCRYPTED)
    for again in (copy.deepcopy(problem), pickle.loads(pickle.dumps(problem))):
        assert again == problem and again.kind is K.ENTRY_IGNORED
        assert dict(again.facts) == {"entry": "c/x.json", "reason": _ENCRYPTED}
        assert again.facts["reason"].kind is K.ENTRY_ENCRYPTED
