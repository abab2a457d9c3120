"""What the conversations on the screenshots say, in English and in Simplified Chinese.

One reply shows everything a reader meets (Markdown, a code block, a table, inline and display
maths); another mentions "exponential backoff" so a sidebar search has a hit in a message.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Content:
    """The words of one language's conversations.

    Attributes:
        showcase_title, showcase_prompt, showcase_reply, showcase_thinking: the main scene's
            conversation.
        retry_title, retry_prompt, retry_reply: a second conversation, found by ``search``.
        search: what the sidebar search types (a word of ``retry_reply``).
        photo_title, photo_prompt, photo_reply: a message sent with a picture (the edit-mode
            scene) and its answer.
        error_title, error_prompt: a message whose reply fails (the error card).
        rename_to: the text typed into the sidebar row being renamed.
    """

    showcase_title: str
    showcase_prompt: str
    showcase_reply: str
    showcase_thinking: str
    retry_title: str
    retry_prompt: str
    retry_reply: str
    search: str
    photo_title: str
    photo_prompt: str
    photo_reply: str
    error_title: str
    error_prompt: str
    rename_to: str


_CODE = """```python
import json
from pathlib import Path

def load_settings(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:  # a first start: no settings yet, use the defaults
        return {}
```"""

_MATHS = r"""$$
\bar{x} = \frac{1}{n}\sum_{i=1}^{n} x_i, \qquad
\sigma = \sqrt{\frac{1}{n}\sum_{i=1}^{n}(x_i-\bar{x})^2}
$$

\[
R_\theta = \begin{pmatrix} \cos\theta & -\sin\theta \\ \sin\theta & \cos\theta \end{pmatrix}
\]"""

ENGLISH = Content(
    showcase_title="Reading JSON safely",
    showcase_prompt="How do I read a settings file safely in Python? And remind me of the "
                    "mean and standard deviation formulas.",
    showcase_reply=f"""Here is a small, **idiomatic** way to read a JSON file in Python:

{_CODE}

A few notes:

1. `read_text` closes the file for you.
2. Catching only `FileNotFoundError` keeps *real* errors visible.
3. For writes, use a temporary file and `os.replace`, so a crash never leaves half a file.

| Approach | Safe on crash | Simple |
|---|---|---|
| `open(..., "w")` | no | yes |
| temp file + `os.replace` | yes | yes |

The mean and the standard deviation of $n$ values $x_i$, with $e^{{i\\pi}} + 1 = 0$ for luck:

{_MATHS}
""",
    showcase_thinking="The user wants a safe way to read JSON: pathlib + json, handle the "
                      "missing file, mention atomic writes, then the two formulas.",
    retry_title="Retrying API calls",
    retry_prompt="How should a client retry a request that failed?",
    retry_reply="Retry only what can succeed later (timeouts, 429, 5xx), with **exponential "
                "backoff** and jitter: wait 1 s, 2 s, 4 s… plus a random part, and honour "
                "`retry-after` when the server sends it.",
    search="backoff",
    photo_title="A photo of the coast",
    photo_prompt="What colours would you pick for a poster based on this picture?",
    photo_reply="Sand beige, a deep sea blue and the sun's warm yellow, with white for text.",
    error_title="Plans for the weekend",
    error_prompt="Suggest three short walks near the sea.",
    rename_to="Weekend walks by the sea",
)

CHINESE = Content(
    showcase_title="安全地读取 JSON",
    showcase_prompt="在 Python 里怎样安全地读取设置文件？顺便写出平均值和标准差的公式。",
    showcase_reply=f"""下面是用 Python 读取 JSON 文件的一种**地道**写法：

{_CODE}

几点说明：

1. `read_text` 会替你关闭文件。
2. 只捕获 `FileNotFoundError`，*真正的*错误仍然可见。
3. 写入时先写临时文件再 `os.replace`，崩溃也不会留下半个文件。

| 做法 | 崩溃时安全 | 简单 |
|---|---|---|
| `open(..., "w")` | 否 | 是 |
| 临时文件 + `os.replace` | 是 | 是 |

$n$ 个数 $x_i$ 的平均值与标准差（顺便一提 $e^{{i\\pi}} + 1 = 0$）：

{_MATHS}
""",
    showcase_thinking="用户想安全地读取 JSON：用 pathlib 和 json，处理文件不存在的情况，"
                      "提一下原子写入，再给出两个公式。",
    retry_title="重试 API 请求",
    retry_prompt="客户端应该怎样重试失败的请求？",
    retry_reply="只重试以后可能成功的请求（超时、429、5xx），并使用带随机抖动的**指数退避**："
                "等待 1 秒、2 秒、4 秒……再加上一段随机时间；服务器给出 `retry-after` 时照它等待。",
    search="退避",
    photo_title="海边的照片",
    photo_prompt="根据这张图片做海报，你会选哪些颜色？",
    photo_reply="沙滩的米色、深海蓝和阳光的暖黄色，文字用白色。",
    error_title="周末计划",
    error_prompt="推荐三条海边的短途步道。",
    rename_to="海边的周末散步",
)


def content_for(language: str) -> Content:
    """The conversations' words for an interface language ("en" or "zh_CN")."""
    return CHINESE if language.startswith("zh") else ENGLISH
