"""Years of history made by a generator: 10,000 conversations of about 5 KB of text each
(about 50 MB).

The words follow Zipf's law over a large vocabulary (common English words first, then made-up
ones), tuned so that a 5 KB stretch repeats words as much as real text does: its distinct
words take about 60 % of its length, as measured on English prose and technical documents
(package READMEs, licences, this project's docs). A small fixed word list would repeat far
more, which flatters anything that stores each distinct word once. Every conversation also
contains the benchmark's search words, so a search lists all of them (the worst case).
"""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

from desktop_app.core.conversation import Conversation, Message
from desktop_app.storage.history_store import SCHEMA_VERSION, HistoryStore

CONVERSATIONS = 10_000
TEXT_PER_CONVERSATION = 5_000
TOPICS = ("kyoto trip", "sourdough starter", "rust ownership", "tax return", "garden soil",
          "python asyncio", "wedding speech", "marathon training", "jazz chords", "bike repair")
COMMON = ("the", "a", "of", "and", "to", "in", "is", "that", "for", "it", "with", "as", "was",
          "on", "be", "at", "by", "this", "had", "not", "are", "but", "from", "or", "have", "an",
          "they", "which", "one", "you", "were", "all", "we", "when", "your", "can", "said",
          "there", "use", "each", "how", "their", "if", "will", "other", "about", "out", "many",
          "then", "them", "these", "so", "some", "would", "make", "like", "into", "time", "has",
          "look", "two", "more", "write", "go", "see", "number", "way", "could", "people",
          "than", "first", "water", "been", "call", "who", "oil", "now", "find", "long", "down",
          "day", "did", "get", "come", "made", "may", "part", "budget", "recipe", "lambda",
          "ferment", "glacier", "violin", "quantum", "ledger", "orchid")
SEARCHED = "saffron harbour"  # in every conversation: the search benchmark's query
_SYLLABLES = ("ka", "to", "ri", "men", "sa", "lo", "ver", "an", "de", "mi", "por", "tu", "el",
              "quin", "sha", "bo", "ra", "ne", "gal", "fi", "or", "us", "te", "ly", "ing", "ed",
              "er", "st")
_ZIPF_EXPONENT = 1.1


class Words:
    """Draws words by Zipf's law from a vocabulary of about 20,000."""

    def __init__(self, rng: random.Random) -> None:
        made_up = ("".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((1, 2, 2, 2, 3, 3, 4))))
                   for _ in range(60_000))
        self.vocabulary = list(dict.fromkeys(itertools.chain(COMMON, made_up)))
        self._cumulative = list(itertools.accumulate(
            1 / (rank + 1) ** _ZIPF_EXPONENT for rank in range(len(self.vocabulary))))
        self._rng = rng

    def sentence(self, words: int) -> str:
        drawn = self._rng.choices(self.vocabulary, cum_weights=self._cumulative, k=words)
        return " ".join(drawn).capitalize() + "."


def distinct_share(text: str) -> float:
    """How much of ``text`` its distinct words take (1.0: no word repeats)."""
    folded = text.casefold()
    return len(" ".join(dict.fromkeys(folded.split()))) / max(1, len(folded))


def make(folder: Path, count: int = CONVERSATIONS, seed: int = 7) -> None:
    """Write ``count`` conversations into ``folder/conversations`` (JSON, as Cairn saves)."""
    rng = random.Random(seed)
    words = Words(rng)
    store = HistoryStore(folder / "conversations")
    store.directory.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        topic = TOPICS[n % len(TOPICS)]
        conversation = Conversation(title=f"{topic.title()} #{n}")
        size = 0
        turn = 0
        while size < TEXT_PER_CONVERSATION:
            question = f"About {topic}: " + words.sentence(20)
            answer = " ".join(words.sentence(18) for _ in range(8)) + f" (ref {n}-{turn})"
            if turn == 0:
                answer += f" {SEARCHED.capitalize()}."
            conversation.messages.append(Message("user", [{"type": "text", "text": question}]))
            conversation.messages.append(Message(
                "assistant", [{"type": "text", "text": answer}], model="claude-sonnet-4-6",
                usage={"input_tokens": 500, "output_tokens": 200},
            ))
            size += len(question) + len(answer)
            turn += 1
        conversation.updated_at = f"2026-{1 + n % 11:02d}-{1 + n % 27:02d}T10:00:00.000Z"
        # Plain writes: Cairn's atomic fsync'd saves would make the generator take a minute.
        path = store.path_for(conversation.id)
        path.write_text(json.dumps(conversation.to_json(SCHEMA_VERSION)), encoding="utf-8")


def measured_distinct_share(folder: Path, sample: int = 200) -> float:
    """The mean ``distinct_share`` of the messages' text of ``sample`` generated conversations."""
    shares = []
    for path in sorted((folder / "conversations").glob("*.json"))[:sample]:
        document = json.loads(path.read_text(encoding="utf-8"))
        text = " ".join(block.get("text", "") for message in document["messages"]
                        for block in message["content"])
        shares.append(distinct_share(text))
    return sum(shares) / max(1, len(shares))
