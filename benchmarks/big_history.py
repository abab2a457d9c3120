"""Years of history made by a generator: 10,000 conversations of about 5 KB of text each
(about 50 MB), with varied vocabulary so that searching them is realistic."""

from __future__ import annotations

import json
import random
from pathlib import Path

from desktop_app.core.conversation import Conversation, Message
from desktop_app.storage.history_store import SCHEMA_VERSION, HistoryStore

CONVERSATIONS = 10_000
TEXT_PER_CONVERSATION = 5_000
TOPICS = ("kyoto trip", "sourdough starter", "rust ownership", "tax return", "garden soil",
          "python asyncio", "wedding speech", "marathon training", "jazz chords", "bike repair")
WORDS = ("the", "a", "of", "and", "to", "in", "is", "that", "for", "it", "with", "as", "was",
         "on", "be", "at", "by", "this", "had", "not", "are", "but", "from", "or", "have", "an",
         "they", "which", "one", "you", "were", "all", "we", "when", "your", "can", "said",
         "there", "use", "each", "how", "their", "if", "will", "other", "about", "out", "many",
         "then", "them", "these", "so", "some", "would", "make", "like", "into", "time", "has",
         "look", "two", "more", "write", "go", "see", "number", "way", "could", "people",
         "than", "first", "water", "been", "call", "who", "oil", "now", "find", "long", "down",
         "day", "did", "get", "come", "made", "may", "part", "budget", "recipe", "lambda",
         "ferment", "harbour", "glacier", "violin", "quantum", "ledger", "orchid", "saffron")


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def make(folder: Path, count: int = CONVERSATIONS, seed: int = 7) -> None:
    """Write ``count`` conversations into ``folder/conversations`` (JSON, as Cairn saves)."""
    rng = random.Random(seed)
    store = HistoryStore(folder / "conversations")
    store.directory.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        topic = TOPICS[n % len(TOPICS)]
        conversation = Conversation(title=f"{topic.title()} #{n}")
        size = 0
        turn = 0
        while size < TEXT_PER_CONVERSATION:
            question = f"About {topic}: " + sentence(rng, 20)
            answer = " ".join(sentence(rng, 18) for _ in range(8)) + f" (ref {n}-{turn})"
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
