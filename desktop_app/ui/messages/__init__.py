"""One conversation shown: user messages, replies, their actions and safe rich text."""
