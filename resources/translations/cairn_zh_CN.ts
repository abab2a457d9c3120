<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Cairn</source>
        <translation>关于 Cairn</translation>
    </message>
    <message>
        <source>Version {0}</source>
        <translation>版本 {0}</translation>
    </message>
    <message>
        <source>A native desktop client for the Claude API.&lt;br&gt;Released under the MIT licence. Your conversations are plain JSON files you own.</source>
        <translation>一个用于 Claude API 的原生桌面客户端。&lt;br&gt;以 MIT 许可证发布。你的对话都是归你所有的普通 JSON 文件。</translation>
    </message>
    <message>
        <source>Data folder: {0}</source>
        <translation>数据文件夹：{0}</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Open the data folder</source>
        <translation>打开数据文件夹</translation>
    </message>
</context>
<context>
    <name>AttachmentCard</name>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Remove {0}</source>
        <translation>移除 {0}</translation>
    </message>
</context>
<context>
    <name>AttachmentStrip</name>
    <message>
        <source>Preparing…</source>
        <translation>正在准备…</translation>
    </message>
</context>
<context>
    <name>AttachmentTray</name>
    <message>
        <source>Image link: Claude fetches it</source>
        <translation>图片链接：由 Claude 获取</translation>
    </message>
    <message>
        <source>{0} could not be read: {1}.</source>
        <translation>无法读取 {0}：{1}。</translation>
    </message>
    <message>
        <source>At most {0} attachments can go with one message.</source>
        <translation>每条消息最多只能附带 {0} 个附件。</translation>
    </message>
    <message>
        <source>{0} pages</source>
        <translation>{0} 页</translation>
    </message>
    <message>
        <source>≈ {0:,} tokens</source>
        <translation>≈ {0:,} 个 token</translation>
    </message>
    <message>
        <source>{0} could not be saved: {1}.</source>
        <translation>无法保存 {0}：{1}。</translation>
    </message>
    <message>
        <source>This model does not accept images. Pick another model in the header.</source>
        <translation>此模型不接受图片。请在顶栏中选择其他模型。</translation>
    </message>
    <message>
        <source>This model does not accept PDF documents. Pick another model in the header.</source>
        <translation>此模型不接受 PDF 文档。请在顶栏中选择其他模型。</translation>
    </message>
</context>
<context>
    <name>ConversationOptionsDialog</name>
    <message>
        <source>Conversation options</source>
        <translation>对话选项</translation>
    </message>
    <message>
        <source>Options for this conversation with &lt;b&gt;{0}&lt;/b&gt;:</source>
        <translation>本对话使用 &lt;b&gt;{0}&lt;/b&gt; 时的选项：</translation>
    </message>
    <message>
        <source>Use defaults</source>
        <translation>使用默认值</translation>
    </message>
    <message>
        <source>Forget this conversation&apos;s own choices and follow Settings</source>
        <translation>放弃本对话的单独设置，改为遵循“设置”</translation>
    </message>
</context>
<context>
    <name>HeaderBar</name>
    <message>
        <source>Show or hide the sidebar (Ctrl+B)</source>
        <translation>显示或隐藏侧边栏（Ctrl+B）</translation>
    </message>
    <message>
        <source>Toggle sidebar</source>
        <translation>切换侧边栏</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>The model for this conversation</source>
        <translation>本对话使用的模型</translation>
    </message>
    <message>
        <source>What this conversation has cost so far</source>
        <translation>本对话到目前为止的费用</translation>
    </message>
    <message>
        <source>Conversation options</source>
        <translation>对话选项</translation>
    </message>
    <message>
        <source>Thinking, effort, caching and length for this conversation</source>
        <translation>本对话的思考、投入程度、缓存和长度</translation>
    </message>
    <message>
        <source>Click to change this conversation&apos;s options</source>
        <translation>点击更改本对话的选项</translation>
    </message>
    <message>
        <source>(deprecated)</source>
        <translation>（已弃用）</translation>
    </message>
    <message>
        <source>${0:g} in / ${1:g} out per million tokens</source>
        <translation>每百万 token：输入 ${0:g} / 输出 ${1:g}</translation>
    </message>
    <message>
        <source>price unknown</source>
        <translation>价格未知</translation>
    </message>
</context>
<context>
    <name>KeyDialog</name>
    <message>
        <source>Claude API key</source>
        <translation>Claude API 密钥</translation>
    </message>
    <message>
        <source>&lt;b&gt;Connect Cairn to Claude&lt;/b&gt;&lt;br&gt;Paste your Anthropic API key. It is kept in your system&apos;s keyring and never written to a file. &lt;a href=&quot;{0}&quot;&gt;Create a key in the Claude Console&lt;/a&gt;.</source>
        <translation>&lt;b&gt;将 Cairn 连接到 Claude&lt;/b&gt;&lt;br&gt;粘贴你的 Anthropic API 密钥。它保存在系统的密钥环中，绝不会写入文件。&lt;a href=&quot;{0}&quot;&gt;在 Claude Console 中创建密钥&lt;/a&gt;。</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
</context>
<context>
    <name>OptionsForm</name>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>5 minutes</source>
        <translation>5 分钟</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 小时</translation>
    </message>
    <message>
        <source>Low: fastest and cheapest</source>
        <translation>低：最快、最便宜</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>High (default)</source>
        <translation>高（默认）</translation>
    </message>
    <message>
        <source>Extra high</source>
        <translation>很高</translation>
    </message>
    <message>
        <source>Max: most thorough</source>
        <translation>最高：最周全</translation>
    </message>
    <message>
        <source>Think before answering</source>
        <translation>先思考再回答</translation>
    </message>
    <message>
        <source>Extended thinking</source>
        <translation>扩展思考</translation>
    </message>
    <message>
        <source>Effort</source>
        <translation>投入程度</translation>
    </message>
    <message>
        <source>Thinking budget in tokens</source>
        <translation>思考预算（token）</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> token</translation>
    </message>
    <message>
        <source>Maximum reply length in tokens</source>
        <translation>最大回复长度（token）</translation>
    </message>
    <message>
        <source>Prompt caching</source>
        <translation>提示缓存</translation>
    </message>
    <message>
        <source>Summarise old context when the conversation gets long (beta)</source>
        <translation>对话变长时总结较早的上下文（测试版）</translation>
    </message>
    <message>
        <source>Compaction</source>
        <translation>上下文压缩</translation>
    </message>
    <message>
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <source>Thinking budget</source>
        <translation>思考预算</translation>
    </message>
    <message>
        <source>Maximum reply length</source>
        <translation>最大回复长度</translation>
    </message>
    <message>
        <source>{0} does not think before answering.</source>
        <translation>{0} 不会在回答前思考。</translation>
    </message>
    <message>
        <source>{0} always thinks before answering.</source>
        <translation>{0} 总是先思考再回答。</translation>
    </message>
    <message>
        <source>{0} decides how much to think; effort steers it.</source>
        <translation>{0} 自行决定思考多少；投入程度可加以引导。</translation>
    </message>
    <message>
        <source>{0} thinks within a token budget (at least {1:,}, below the reply length).</source>
        <translation>{0} 在 token 预算内思考（至少 {1:,}，且小于最大回复长度）。</translation>
    </message>
    <message>
        <source>Its capabilities are not known yet (offline): options are limited.</source>
        <translation>尚不了解它的能力（离线）：可用选项有限。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Default model</source>
        <translation>默认模型</translation>
    </message>
    <message>
        <source>Newest Opus (recommended)</source>
        <translation>最新的 Opus（推荐）</translation>
    </message>
    <message>
        <source>Default system prompt</source>
        <translation>默认系统提示词</translation>
    </message>
    <message>
        <source>Instructions every new conversation starts with</source>
        <translation>每个新对话开始时使用的指示</translation>
    </message>
    <message>
        <source>Send images at full resolution (up to 8000 px; costs more)</source>
        <translation>以完整分辨率发送图片（最大 8000 像素；费用更高）</translation>
    </message>
    <message>
        <source>Full-resolution images</source>
        <translation>完整分辨率图片</translation>
    </message>
    <message>
        <source>Keep Cairn in the system tray when its window is closed</source>
        <translation>关闭窗口后将 Cairn 保留在系统托盘中</translation>
    </message>
    <message>
        <source>Tray icon</source>
        <translation>托盘图标</translation>
    </message>
    <message>
        <source>Stop sequences</source>
        <translation>停止序列</translation>
    </message>
    <message>
        <source>Optional, comma-separated: texts that end a reply</source>
        <translation>可选，以逗号分隔：出现即结束回复的文本</translation>
    </message>
    <message>
        <source>API base URL</source>
        <translation>API 基础 URL</translation>
    </message>
    <message>
        <source>Default (https://api.anthropic.com or ANTHROPIC_BASE_URL)</source>
        <translation>默认（https://api.anthropic.com 或 ANTHROPIC_BASE_URL）</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>代理</translation>
    </message>
    <message>
        <source>None (e.g. http://proxy:3128 or socks5://127.0.0.1:1080)</source>
        <translation>无（例如 http://proxy:3128 或 socks5://127.0.0.1:1080）</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Retries</source>
        <translation>重试次数</translation>
    </message>
    <message>
        <source>Timeout in seconds</source>
        <translation>超时（秒）</translation>
    </message>
    <message>
        <source> s</source>
        <comment>seconds</comment>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The new language is used when Cairn next starts.</source>
        <translation>新语言将在下次启动 Cairn 时生效。</translation>
    </message>
    <message>
        <source>Name new conversations after the first reply (a short, cheap request)</source>
        <translation>在第一次回复后为新对话命名（一次简短、低成本的请求）</translation>
    </message>
    <message>
        <source>Generate titles</source>
        <translation>生成标题</translation>
    </message>
    <message>
        <source>Its cost is counted in the conversation&apos;s cost like any other request.</source>
        <translation>其费用与其他请求一样计入对话费用。</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Titles</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Closing</source>
        <translation>关闭时</translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>Replies</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>Pinned</source>
        <translation>已置顶</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <source>Previous 7 days</source>
        <translation>过去 7 天</translation>
    </message>
    <message>
        <source>Older</source>
        <translation>更早</translation>
    </message>
    <message>
        <source>pinned, </source>
        <translation>已置顶，</translation>
    </message>
</context>
<context>
    <name>SystemPromptDialog</name>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Instructions Claude follows throughout this conversation:</source>
        <translation>Claude 在整个对话中遵循的指示：</translation>
    </message>
</context>
<context>
    <name>Translations</name>
    <message>
        <source>System default ({0})</source>
        <translation>系统默认（{0}）</translation>
    </message>
</context>
</TS>
