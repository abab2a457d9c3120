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
        <source>Data folder:</source>
        <translation>数据文件夹：</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
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
    <name>Account</name>
    <message>
        <source>Enter an API key first.</source>
        <translation>请先输入 API 密钥。</translation>
    </message>
    <message>
        <source>Failed: {reason}</source>
        <translation>失败：{reason}</translation>
    </message>
    <message>
        <source>Connected: {count} models available.</source>
        <translation>已连接：有 {count} 个模型可用。</translation>
    </message>
</context>
<context>
    <name>AlwaysAllowedList</name>
    <message>
        <source>Tools always allowed</source>
        <translation>始终允许的工具</translation>
    </message>
    <message>
        <source>None: Cairn asks before every tool call.</source>
        <translation>无：每次调用工具前，Cairn 都会先询问。</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Ask again before the selected tools run</source>
        <translation>所选工具运行前重新询问</translation>
    </message>
    <message>
        <source>{tool} (of a server that was removed)</source>
        <translation>{tool}（所属服务器已移除）</translation>
    </message>
    <message>
        <source>{tool} · {server}</source>
        <translation>{tool} · {server}</translation>
    </message>
</context>
<context>
    <name>AnthropicFiles</name>
    <message>
        <source>This file cannot be downloaded: the Files API gives back only files that code execution made.</source>
        <translation>无法下载此文件：Files API 只返回代码执行生成的文件。</translation>
    </message>
    <message>
        <source>This file has expired on Anthropic&apos;s side and is gone.</source>
        <translation>此文件在 Anthropic 端已过期，不复存在。</translation>
    </message>
    <message>
        <source>This file is no longer stored on Anthropic&apos;s side.</source>
        <translation>此文件已不再存储在 Anthropic 端。</translation>
    </message>
    <message>
        <source>Your organisation&apos;s file storage on Anthropic&apos;s side is full. Delete files you no longer need (a conversation&apos;s menu › Files on Anthropic), then try again.</source>
        <translation>你的组织在 Anthropic 端的文件存储空间已满。请删除不再需要的文件（对话菜单 › Anthropic 上的文件），然后重试。</translation>
    </message>
    <message>
        <source>The file is too large for the Files API (at most 500 MB).</source>
        <translation>文件超出 Files API 的大小上限（最大 500 MB）。</translation>
    </message>
    <message>
        <source>Anthropic&apos;s API could not be reached. Check your connection and try again.</source>
        <translation>无法连接到 Anthropic 的 API。请检查网络连接后重试。</translation>
    </message>
    <message>
        <source>Your API key was not accepted (or there is none yet).</source>
        <translation>你的 API 密钥未被接受（或尚未设置）。</translation>
    </message>
    <message>
        <source>The Files API refused: {detail}</source>
        <translation>Files API 拒绝了请求：{detail}</translation>
    </message>
    <message>
        <source>This file id is not valid.</source>
        <translation>此文件 ID 无效。</translation>
    </message>
    <message>
        <source>The file could not be kept on this computer: {error}.</source>
        <translation>无法将文件保存在这台电脑上：{error}。</translation>
    </message>
    <message>
        <source>The file could not be fetched.</source>
        <translation>无法获取该文件。</translation>
    </message>
    <message>
        <source>{name} could not be saved: {error}.</source>
        <translation>无法保存 {name}：{error}。</translation>
    </message>
    <message>
        <source>(The file {name} was deleted.)</source>
        <translation>（文件 {name} 已删除。）</translation>
    </message>
    <message>
        <source>You deleted this file on Anthropic&apos;s side.</source>
        <translation>你已在 Anthropic 端删除此文件。</translation>
    </message>
</context>
<context>
    <name>ApprovalCard</name>
    <message>
        <source>The tool call&apos;s arguments</source>
        <translation>工具调用的参数</translation>
    </message>
    <message>
        <source>Deny</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Allow once</source>
        <translation>允许一次</translation>
    </message>
    <message>
        <source>Allow for this conversation</source>
        <translation>在此对话中允许</translation>
    </message>
    <message>
        <source>Always allow this tool</source>
        <translation>始终允许此工具</translation>
    </message>
    <message>
        <source>Run this tool from now on without asking, in every conversation. You can revoke it in Settings → Tools.</source>
        <translation>从现在起，在所有对话中运行此工具都不再询问。可以在“设置 → 工具”中撤销。</translation>
    </message>
    <message>
        <source>Claude wants to use a tool that is not available.</source>
        <translation>Claude 想使用一个不可用的工具。</translation>
    </message>
    <message>
        <source>the remote server &lt;b&gt;{server}&lt;/b&gt; at {host}</source>
        <translation>{host} 上的远程服务器 &lt;b&gt;{server}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;{server}&lt;/b&gt;, a program on this computer ({command})</source>
        <translation>本机程序 &lt;b&gt;{server}&lt;/b&gt;（{command}）</translation>
    </message>
    <message>
        <source>Claude wants to run &lt;b&gt;{tool}&lt;/b&gt; from {where}.</source>
        <translation>Claude 想运行{where}提供的 &lt;b&gt;{tool}&lt;/b&gt;。</translation>
    </message>
</context>
<context>
    <name>AttachmentCard</name>
    <message>
        <source>FILE</source>
        <translation>文件</translation>
    </message>
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
    <name>AttachmentOps</name>
    <message>
        <source>Attach images or PDFs</source>
        <translation>附加图片或 PDF</translation>
    </message>
    <message>
        <source>Images and PDFs</source>
        <translation>图片和 PDF</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>所有文件</translation>
    </message>
    <message>
        <source>Files for code execution</source>
        <translation>用于代码执行的文件</translation>
    </message>
    <message>
        <source>Attach an image link</source>
        <translation>附加图片链接</translation>
    </message>
    <message>
        <source>Image address (http or https):</source>
        <translation>图片地址（http 或 https）：</translation>
    </message>
    <message>
        <source>The pasted image could not be read.</source>
        <translation>无法读取粘贴的图片。</translation>
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
    <name>ChatController</name>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Settings could not be saved: {error}.</source>
        <translation>无法保存设置：{error}。</translation>
    </message>
</context>
<context>
    <name>CodeBlockView</name>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the code</source>
        <translation>复制代码</translation>
    </message>
</context>
<context>
    <name>CodeText</name>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Attach an image or PDF (Ctrl+O), or an image link</source>
        <translation>附加图片或 PDF（Ctrl+O），或图片链接</translation>
    </message>
    <message>
        <source>Attach</source>
        <translation>附加</translation>
    </message>
    <message>
        <source>Image or PDF file…</source>
        <translation>图片或 PDF 文件…</translation>
    </message>
    <message>
        <source>Image link…</source>
        <translation>图片链接…</translation>
    </message>
    <message>
        <source>File for code execution…</source>
        <translation>用于代码执行的文件…</translation>
    </message>
    <message>
        <source>Upload any file (data, a script, a spreadsheet) for Claude&apos;s code to use</source>
        <translation>上传任意文件（数据、脚本、电子表格），供 Claude 运行的代码使用</translation>
    </message>
    <message>
        <source>Message Claude…</source>
        <translation>给 Claude 发消息…</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Attach an image or PDF (Ctrl+O), an image link, or a file for code execution</source>
        <translation>附加图片或 PDF（Ctrl+O）、图片链接，或供代码执行使用的文件</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the reply (Esc)</source>
        <translation>停止回复（Esc）</translation>
    </message>
    <message>
        <source>Send (Enter)</source>
        <translation>发送（Enter）</translation>
    </message>
</context>
<context>
    <name>ConversationCache</name>
    <message>
        <source>“{title}” could not be opened: its file is gone or can no longer be read.</source>
        <translation>无法打开“{title}”：它的文件已不存在或无法再读取。</translation>
    </message>
</context>
<context>
    <name>ConversationDelegate</name>
    <message>
        <source>Conversation title</source>
        <translation>对话标题</translation>
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
    <message>
        <source>Replies</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>Claude&apos;s tools</source>
        <translation>Claude 的工具</translation>
    </message>
    <message>
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>Tools of your MCP servers Claude may use in this conversation</source>
        <translation>Claude 在本对话中可以使用的 MCP 服务器工具</translation>
    </message>
    <message>
        <source>No tool servers yet: add them in Settings, under MCP servers.</source>
        <translation>还没有工具服务器：请在“设置”的“MCP 服务器”中添加。</translation>
    </message>
</context>
<context>
    <name>ConversationSaver</name>
    <message>
        <source>Could not save “{title}”: {error}. It is kept in memory and will be saved again with your next change.</source>
        <translation>无法保存“{title}”：{error}。它会保留在内存中，并在你下次修改时再次保存。</translation>
    </message>
    <message>
        <source>“{title}” is saved again.</source>
        <translation>“{title}”已重新保存。</translation>
    </message>
</context>
<context>
    <name>CostEstimate</name>
    <message>
        <source>Token and cost estimate</source>
        <translation>token 与费用估算</translation>
    </message>
    <message>
        <source>{tokens} tokens in</source>
        <translation>输入 {tokens} 个 token</translation>
    </message>
    <message>
        <source>≈ {cost} to send (long-context rate)</source>
        <translation>发送约需 {cost}（长上下文价格）</translation>
    </message>
    <message>
        <source>≈ {cost} to send</source>
        <translation>发送约需 {cost}</translation>
    </message>
    <message>
        <source>price unknown</source>
        <translation>价格未知</translation>
    </message>
    <message>
        <source>{tokens} / {window} context</source>
        <translation>上下文 {tokens} / {window}</translation>
    </message>
    <message>
        <source>Counted by the API for this conversation plus what you typed, before caching discounts. The context figure is how full the model&apos;s context window would be.</source>
        <translation>由 API 对本对话及你输入的内容计数，未计入缓存折扣。上下文数值表示模型上下文窗口将被占用的程度。</translation>
    </message>
    <message>
        <source>How full the model&apos;s context window is with this conversation so far, counted by the API. Type a message to see what sending it would cost.</source>
        <translation>此对话目前占用了模型上下文窗口的多少，由 API 计算。输入消息即可看到发送它的费用。</translation>
    </message>
</context>
<context>
    <name>CostText</name>
    <message>
        <source>{tokens} in</source>
        <translation>输入 {tokens}</translation>
    </message>
    <message>
        <source>{tokens} out</source>
        <translation>输出 {tokens}</translation>
    </message>
    <message>
        <source>{tokens} cache write</source>
        <translation>缓存写入 {tokens}</translation>
    </message>
    <message>
        <source>{tokens} cache read</source>
        <translation>缓存读取 {tokens}</translation>
    </message>
    <message>
        <source>incl. compaction {tokens_in} in / {tokens_out} out</source>
        <translation>含压缩 输入 {tokens_in} / 输出 {tokens_out}</translation>
    </message>
    <message>
        <source>long-context rate</source>
        <translation>长上下文价格</translation>
    </message>
    <message>
        <source>price unknown</source>
        <translation>价格未知</translation>
    </message>
    <message>
        <source>Input: {count} tokens</source>
        <translation>输入：{count} 个 token</translation>
    </message>
    <message>
        <source>Output: {count} tokens</source>
        <translation>输出：{count} 个 token</translation>
    </message>
    <message>
        <source>Cache writes: {count} tokens</source>
        <translation>缓存写入：{count} 个 token</translation>
    </message>
    <message>
        <source>Cache reads: {count} tokens</source>
        <translation>缓存读取：{count} 个 token</translation>
    </message>
    <message>
        <source>Compaction (included above): {count_in} tokens in, {count_out} out</source>
        <translation>压缩（已计入上方）：输入 {count_in} 个 token，输出 {count_out} 个</translation>
    </message>
    <message>
        <source>Web searches: {count} ({amount})</source>
        <translation>网页搜索：{count} 次（{amount}）</translation>
    </message>
    <message>
        <source>Web fetches: {count} (tokens only)</source>
        <translation>网页抓取：{count} 次（仅按 token 计费）</translation>
    </message>
    <message>
        <source>Code execution: its sandbox time is billed by Anthropic apart from tokens and is not in these figures</source>
        <translation>代码执行：沙盒运行时间由 Anthropic 在 token 之外另行计费，不含在这些数字中</translation>
    </message>
    <message>
        <source>Requests at the long-context rate: {count}</source>
        <translation>按长上下文价格计费的请求：{count}</translation>
    </message>
    <message>
        <source>Cache hit rate: {rate:.0%}</source>
        <translation>缓存命中率：{rate:.0%}</translation>
    </message>
    <message>
        <source>Caching saved {amount}</source>
        <translation>缓存节省了 {amount}</translation>
    </message>
    <message>
        <source>Caching cost an extra {amount}</source>
        <translation>缓存额外花费了 {amount}</translation>
    </message>
    <message>
        <source>1 web search</source>
        <translation>1 次网页搜索</translation>
    </message>
    <message>
        <source>{count} web searches</source>
        <translation>{count} 次网页搜索</translation>
    </message>
    <message>
        <source>1 web fetch</source>
        <translation>1 次网页抓取</translation>
    </message>
    <message>
        <source>{count} web fetches</source>
        <translation>{count} 次网页抓取</translation>
    </message>
</context>
<context>
    <name>DataTransfer</name>
    <message>
        <source>That conversation is no longer here.</source>
        <translation>该对话已不存在。</translation>
    </message>
    <message>
        <source>The export could not be written: {error}.</source>
        <translation>无法写入导出文件：{error}。</translation>
    </message>
    <message>
        <source>Exported to {path}.</source>
        <translation>已导出到 {path}。</translation>
    </message>
    <message>
        <source>The backup could not be written: {error}.</source>
        <translation>无法写入备份：{error}。</translation>
    </message>
    <message>
        <source>1 conversation</source>
        <translation>1 个对话</translation>
    </message>
    <message>
        <source>{count} conversations</source>
        <translation>{count} 个对话</translation>
    </message>
    <message>
        <source>1 attachment</source>
        <translation>1 个附件</translation>
    </message>
    <message>
        <source>{count} attachments</source>
        <translation>{count} 个附件</translation>
    </message>
    <message>
        <source>Backed up {conversations} and {attachments} to {path}.</source>
        <translation>已将{conversations}和{attachments}备份到 {path}。</translation>
    </message>
    <message>
        <source>{name} could not be read: {error}.</source>
        <translation>无法读取 {name}：{error}。</translation>
    </message>
    <message>
        <source>Import from {name} cancelled; what was imported before is kept: {summary}</source>
        <translation>已取消从 {name} 导入；之前已导入的内容均已保留：{summary}</translation>
    </message>
    <message>
        <source>Import from {name}: {summary}</source>
        <translation>从 {name} 导入：{summary}</translation>
    </message>
    <message>
        <source>Cannot import {name}: {reason}</source>
        <translation>无法导入 {name}：{reason}</translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <source>Explain a tricky concept simply</source>
        <translation>用浅显的语言解释一个难懂的概念</translation>
    </message>
    <message>
        <source>Help me write a polite follow-up email</source>
        <translation>帮我写一封礼貌的跟进邮件</translation>
    </message>
    <message>
        <source>Review this code for bugs</source>
        <translation>检查这段代码有没有错误</translation>
    </message>
    <message>
        <source>Plan a three-day trip to Kyoto</source>
        <translation>规划一次三天的京都之旅</translation>
    </message>
    <message>
        <source>How can I help today?</source>
        <translation>今天我能帮你做什么？</translation>
    </message>
    <message>
        <source>Enter sends · Shift+Enter adds a line · Esc stops a reply</source>
        <translation>Enter 发送 · Shift+Enter 换行 · Esc 停止回复</translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <source>The API rejected the request: {detail}</source>
        <translation>API 拒绝了这个请求：{detail}</translation>
    </message>
    <message>
        <source>Your API key was not accepted. Enter a valid key to continue.</source>
        <translation>你的 API 密钥未被接受。请输入有效的密钥后继续。</translation>
    </message>
    <message>
        <source>Your account cannot be billed right now: check your plan and credit balance.</source>
        <translation>你的账户目前无法计费：请检查你的套餐和余额。</translation>
    </message>
    <message>
        <source>Your API key is not allowed to do this (for example, to use this model): {detail}</source>
        <translation>你的 API 密钥无权执行此操作（例如使用这个模型）：{detail}</translation>
    </message>
    <message>
        <source>Not found: {detail}. Pick another model in the header.</source>
        <translation>未找到：{detail}。请在顶栏中选择其他模型。</translation>
    </message>
    <message>
        <source>The conversation is too large to send in one request. Start a new conversation or remove large attachments.</source>
        <translation>对话太大，无法在一个请求中发送。请开始新对话，或移除较大的附件。</translation>
    </message>
    <message>
        <source>You have hit your rate limit. Wait a moment, then retry.</source>
        <translation>你已达到速率限制。请稍等片刻再重试。</translation>
    </message>
    <message>
        <source>You have hit your rate limit. Try again in {duration}.</source>
        <translation>你已达到速率限制。请在 {duration}后重试。</translation>
    </message>
    <message>
        <source>The API had an internal error.</source>
        <translation>API 发生了内部错误。</translation>
    </message>
    <message>
        <source>The API had an internal error (HTTP {status}). Try again.</source>
        <translation>API 发生了内部错误（HTTP {status}）。请重试。</translation>
    </message>
    <message>
        <source>The API had a server error (HTTP {status}). Try again.</source>
        <translation>API 服务器出错（HTTP {status}）。请重试。</translation>
    </message>
    <message>
        <source>Claude is overloaded right now. Try again in a moment.</source>
        <translation>Claude 目前负载过高。请稍后重试。</translation>
    </message>
    <message>
        <source>The API took too long to answer.</source>
        <translation>API 响应时间过长。</translation>
    </message>
    <message>
        <source>The API returned an error: {detail}</source>
        <translation>API 返回了错误：{detail}</translation>
    </message>
    <message>
        <source>The conversation is too long for this model: {tokens} tokens, and it reads at most {limit}. Start a new conversation, pick a model with a larger context window, or turn on compaction in this conversation&apos;s options.</source>
        <translation>对话超出了这个模型的上限：共 {tokens} 个 token，而它最多只能读取 {limit} 个。请开始新对话、选择上下文窗口更大的模型，或在本对话的选项中开启上下文压缩。</translation>
    </message>
    <message>
        <source>The reply stopped with an error from the API: {detail}.</source>
        <translation>回复因 API 返回的错误而中断：{detail}。</translation>
    </message>
    <message>
        <source>The reply stopped with an error from the API.</source>
        <translation>回复因 API 返回的错误而中断。</translation>
    </message>
    <message>
        <source>Could not reach the API. Check your internet connection or proxy.</source>
        <translation>无法连接到 API。请检查你的网络连接或代理。</translation>
    </message>
    <message>
        <source>Could not reach the API at {host}. Check your internet connection or proxy.</source>
        <translation>无法连接到 {host} 上的 API。请检查你的网络连接或代理。</translation>
    </message>
    <message>
        <source>Could not reach the API (no answer within {duration}). Check your internet connection or proxy.</source>
        <translation>无法连接到 API（{duration}内无响应）。请检查你的网络连接或代理。</translation>
    </message>
    <message>
        <source>Could not reach the API at {host} (no answer within {duration}). Check your internet connection or proxy.</source>
        <translation>无法连接到 {host} 上的 API（{duration}内无响应）。请检查你的网络连接或代理。</translation>
    </message>
    <message>
        <source>The request timed out before the reply finished. Check your connection, or raise the timeout in Settings.</source>
        <translation>回复完成前请求已超时。请检查网络连接，或在“设置”中调高超时时间。</translation>
    </message>
    <message>
        <source>The connection went quiet in the middle of the reply.</source>
        <translation>回复进行到一半时连接没有了响应。</translation>
    </message>
    <message>
        <source>The connection dropped in the middle of the reply.</source>
        <translation>回复进行到一半时连接断开了。</translation>
    </message>
    <message>
        <source>The connection went quiet in the middle of the reply; what had arrived is kept.</source>
        <translation>回复进行到一半时连接没有了响应；已收到的内容均已保留。</translation>
    </message>
    <message>
        <source>The connection dropped in the middle of the reply; what had arrived is kept.</source>
        <translation>回复进行到一半时连接断开了；已收到的内容均已保留。</translation>
    </message>
    <message>
        <source>The API sent a reply Cairn could not understand.</source>
        <translation>API 发来的回复 Cairn 无法理解。</translation>
    </message>
    <message>
        <source>The request failed: {detail}</source>
        <translation>请求失败：{detail}</translation>
    </message>
    <message>
        <source>Something unexpected went wrong: {detail}</source>
        <translation>发生了意外错误：{detail}</translation>
    </message>
    <message>
        <source>The reply was cut off before it finished (the connection ended early).</source>
        <translation>回复在完成前被截断了（连接提前结束）。</translation>
    </message>
    <message>
        <source>Cairn closed before this reply finished; what had arrived is kept.</source>
        <translation>Cairn 在这条回复完成前关闭了；已收到的内容均已保留。</translation>
    </message>
    <message>
        <source>The reply stopped with an error from the API: {sentence}</source>
        <translation>回复因 API 返回的错误而中断：{sentence}</translation>
    </message>
    <message>
        <source>1 second</source>
        <translation>1 秒</translation>
    </message>
    <message>
        <source>{count} seconds</source>
        <translation>{count} 秒</translation>
    </message>
</context>
<context>
    <name>ExportProblem</name>
    <message>
        <source>An attachment ({file}) is missing from Cairn&apos;s attachments folder and was not copied.</source>
        <translation>Cairn 的附件文件夹中缺少一个附件（{file}），未能复制。</translation>
    </message>
    <message>
        <source>{name} is missing from Cairn&apos;s attachments folder, so the export refers to it without including it.</source>
        <translation>Cairn 的附件文件夹中缺少 {name}，导出文件只引用了它，没有包含它。</translation>
    </message>
    <message>
        <source>An image is missing from Cairn&apos;s attachments folder, so the export refers to it without including it.</source>
        <translation>Cairn 的附件文件夹中缺少一张图片，导出文件只引用了它，没有包含它。</translation>
    </message>
    <message>
        <source>A document is missing from Cairn&apos;s attachments folder, so the export refers to it without including it.</source>
        <translation>Cairn 的附件文件夹中缺少一个文档，导出文件只引用了它，没有包含它。</translation>
    </message>
    <message>
        <source>{name} could not be read ({reason}).</source>
        <translation>无法读取 {name}（{reason}）。</translation>
    </message>
</context>
<context>
    <name>FileDrop</name>
    <message>
        <source>Drop images or PDFs to attach them</source>
        <translation>拖放图片或 PDF 以附加</translation>
    </message>
</context>
<context>
    <name>FilesOps</name>
    <message>
        <source>New conversation</source>
        <translation>新建对话</translation>
    </message>
</context>
<context>
    <name>FootnoteRow</name>
    <message>
        <source>Show the cited passage of source {number}</source>
        <translation>显示来源 {number} 中被引用的段落</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>文档</translation>
    </message>
</context>
<context>
    <name>FootnotesView</name>
    <message>
        <source>Sources</source>
        <translation>来源</translation>
    </message>
</context>
<context>
    <name>FormatProblem</name>
    <message>
        <source>{choices} or {choice}</source>
        <translation>{choices}或{choice}</translation>
    </message>
    <message>
        <source>an object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>an array</source>
        <translation>数组</translation>
    </message>
    <message>
        <source>a string</source>
        <translation>字符串</translation>
    </message>
    <message>
        <source>an integer</source>
        <translation>整数</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>true or false</source>
        <translation>布尔值（true 或 false）</translation>
    </message>
    <message>
        <source>null</source>
        <translation>空值（null）</translation>
    </message>
    <message>
        <source>the conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>the message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>the branch</source>
        <translation>分支</translation>
    </message>
    <message>
        <source>{where} must be {expected}, not {actual}</source>
        <translation>{where} 必须是{expected}，而不是{actual}</translation>
    </message>
    <message>
        <source>{where} must be a finite number, not {value}</source>
        <translation>{where} 必须是有限的数字，而不是 {value}</translation>
    </message>
    <message>
        <source>{where} must be {allowed}, not {value}</source>
        <translation>{where} 必须是 {allowed}，而不是 {value}</translation>
    </message>
    <message>
        <source>{where} must match {pattern}, not {value}</source>
        <translation>{where} 必须符合 {pattern}，而不是 {value}</translation>
    </message>
    <message>
        <source>{where} is an invalid conversation id ({value}): it must be 1 to 128 letters, digits, &apos;_&apos; or &apos;-&apos;</source>
        <translation>{where} 是无效的对话 id（{value}）：它必须由 1 到 128 个字母、数字、“_”或“-”组成</translation>
    </message>
    <message>
        <source>{where} must be 64 lowercase hexadecimal digits, not {value}</source>
        <translation>{where} 必须是 64 位小写十六进制数字，而不是 {value}</translation>
    </message>
    <message>
        <source>{where} holds a character that cannot be sent (a lone surrogate such as \ud800)</source>
        <translation>{where} 含有无法发送的字符（孤立的代理项，例如 \ud800）</translation>
    </message>
    <message>
        <source>{where} must be at least {minimum}, not {value}</source>
        <translation>{where} 必须至少为 {minimum}，而不是 {value}</translation>
    </message>
    <message>
        <source>{where} is missing</source>
        <translation>{where} 缺失</translation>
    </message>
    <message>
        <source>{where} must not be empty</source>
        <translation>{where} 不能为空</translation>
    </message>
    <message>
        <source>{where} must hold at least {minimum} items</source>
        <translation>{where} 必须至少包含 {minimum} 项</translation>
    </message>
    <message>
        <source>{where} is nested more than {limit} levels deep</source>
        <translation>{where} 的嵌套超过 {limit} 层</translation>
    </message>
    <message>
        <source>{where} repeats the message id {id}</source>
        <translation>{where} 重复了消息 id {id}</translation>
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
        <source>Edit this conversation&apos;s system prompt</source>
        <translation>编辑本对话的系统提示词</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
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
        <source>System prompt (click to edit): {prompt}</source>
        <translation>系统提示词（点击编辑）：{prompt}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
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
        <source>Loading models…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>${input} in / ${output} out per MTok</source>
        <translation>输入 ${input} / 输出 ${output}（每百万 token）</translation>
    </message>
    <message>
        <source>${input} / ${output} per MTok</source>
        <translation>${input} / ${output}（每百万 token）</translation>
    </message>
    <message>
        <source>price unknown</source>
        <translation>价格未知</translation>
    </message>
</context>
<context>
    <name>ImportPreviewDialog</name>
    <message>
        <source>Import from Claude Desktop</source>
        <translation>从 Claude Desktop 导入</translation>
    </message>
    <message>
        <source>From {path}</source>
        <translation>来自 {path}</translation>
    </message>
    <message>
        <source>What will be imported</source>
        <translation>将要导入的内容</translation>
    </message>
    <message>
        <source>To be added ({count})</source>
        <translation>将添加（{count}）</translation>
    </message>
    <message>
        <source>turned off, as in Claude Desktop</source>
        <translation>已关闭（与 Claude Desktop 中一致）</translation>
    </message>
    <message>
        <source>Not imported ({count})</source>
        <translation>不导入（{count}）</translation>
    </message>
    <message>
        <source>A server of this name is already in the list.</source>
        <translation>列表中已有同名服务器。</translation>
    </message>
    <message>
        <source>Values of their environment variables and headers go to the system keyring, not to a file.</source>
        <translation>它们的环境变量和请求头的值会保存到系统密钥环，而不是文件中。</translation>
    </message>
    <message>
        <source>Add 1 server</source>
        <translation>添加 1 个服务器</translation>
    </message>
    <message>
        <source>Add {count} servers</source>
        <translation>添加 {count} 个服务器</translation>
    </message>
    <message>
        <source>Choose another file…</source>
        <translation>选择其他文件…</translation>
    </message>
    <message>
        <source>Claude Desktop configuration</source>
        <translation>Claude Desktop 配置</translation>
    </message>
    <message>
        <source>MCP configurations</source>
        <translation>MCP 配置</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>所有文件</translation>
    </message>
</context>
<context>
    <name>ImportProblem</name>
    <message>
        <source>{name} could not be read ({reason}).</source>
        <translation>无法读取 {name}（{reason}）。</translation>
    </message>
    <message>
        <source>{name} is too large to import.</source>
        <translation>{name} 太大，无法导入。</translation>
    </message>
    <message>
        <source>{name} is not a Cairn backup, an exported conversation or a claude.ai export.</source>
        <translation>{name} 既不是 Cairn 备份，也不是导出的对话或 claude.ai 导出文件。</translation>
    </message>
    <message>
        <source>{name} could not be read further ({reason}).</source>
        <translation>{name} 无法继续读取（{reason}）。</translation>
    </message>
    <message>
        <source>{name} cannot be read further ({reason}).</source>
        <translation>{name} 无法继续读取（{reason}）。</translation>
    </message>
    <message>
        <source>{name} cannot be read further: {reason}.</source>
        <translation>{name} 无法继续读取：{reason}。</translation>
    </message>
    <message>
        <source>{name} is not a readable .zip archive.</source>
        <translation>{name} 不是可读取的 .zip 压缩包。</translation>
    </message>
    <message>
        <source>{name} has more than {limit} files; it was refused.</source>
        <translation>{name} 包含超过 {limit} 个文件，已拒绝导入。</translation>
    </message>
    <message>
        <source>{name} would unpack to {unpacked}, far more than a real archive of its size ({size}); it was refused as a zip bomb.</source>
        <translation>{name} 解压后将达 {unpacked}，远超同等大小（{size}）的正常压缩包，已作为压缩炸弹拒绝导入。</translation>
    </message>
    <message>
        <source>{name} would unpack to more than {limit}, the most Cairn imports; it was refused.</source>
        <translation>{name} 解压后将超过 {limit}（Cairn 可导入的上限），已拒绝导入。</translation>
    </message>
    <message>
        <source>{name} holds an entry that would unpack to {unpacked} from {compressed}; it was refused as a zip bomb.</source>
        <translation>{name} 中有一项会从 {compressed} 解压为 {unpacked}，已作为压缩炸弹拒绝导入。</translation>
    </message>
    <message>
        <source>{name} is damaged: an entry lies outside the file.</source>
        <translation>{name} 已损坏：其中一项位于文件范围之外。</translation>
    </message>
    <message>
        <source>{name} has entries that share their data (a zip bomb); it was refused.</source>
        <translation>{name} 中有多项共用同一份数据（压缩炸弹），已拒绝导入。</translation>
    </message>
    <message>
        <source>{name} was refused: an entry ({entry}) unpacks to more than the {declared} bytes it declares.</source>
        <translation>{name} 已被拒绝：其中一项（{entry}）解压后超过其声明的 {declared} 字节。</translation>
    </message>
    <message>
        <source>{name} was refused as a zip bomb: an entry ({entry}) unpacks to more than {ratio} times its compressed size.</source>
        <translation>{name} 已作为压缩炸弹拒绝导入：其中一项（{entry}）解压后超过其压缩大小的 {ratio} 倍。</translation>
    </message>
    <message>
        <source>{name} was refused: it unpacks to more than {limit} (at most {ratio} times its size of {size}, and never more than {max_total}).</source>
        <translation>{name} 已被拒绝：解压后超过 {limit}（最多为其大小 {size} 的 {ratio} 倍，且绝不超过 {max_total}）。</translation>
    </message>
    <message>
        <source>it is encrypted</source>
        <translation>该项已加密</translation>
    </message>
    <message>
        <source>it is compressed in a way Cairn does not read</source>
        <translation>该项的压缩方式 Cairn 无法读取</translation>
    </message>
    <message>
        <source>it is {size}, more than the {limit} Cairn imports</source>
        <translation>该项大小为 {size}，超过 Cairn 可导入的 {limit}</translation>
    </message>
    <message>
        <source>it could not be read ({reason})</source>
        <translation>该项无法读取（{reason}）</translation>
    </message>
    <message>
        <source>it is damaged (its data ends early)</source>
        <translation>该项已损坏（数据提前结束）</translation>
    </message>
    <message>
        <source>it is damaged</source>
        <translation>该项已损坏</translation>
    </message>
    <message>
        <source>it is damaged (shorter than it declares)</source>
        <translation>该项已损坏（比声明的短）</translation>
    </message>
    <message>
        <source>it is damaged (its checksum does not match)</source>
        <translation>该项已损坏（校验和不符）</translation>
    </message>
    <message>
        <source>This .zip is not a Cairn archive: it holds no conversations.</source>
        <translation>此 .zip 不是 Cairn 备份：其中没有对话。</translation>
    </message>
    <message>
        <source>This is a claude.ai export, not a Cairn archive: import it from claude.ai instead.</source>
        <translation>这是 claude.ai 导出文件，不是 Cairn 备份：请按 claude.ai 导出文件导入。</translation>
    </message>
    <message>
        <source>{entry} is not part of a Cairn archive; ignored.</source>
        <translation>{entry} 不属于 Cairn 备份，已忽略。</translation>
    </message>
    <message>
        <source>{entry} has an unsafe name and was ignored.</source>
        <translation>{entry} 的名称不安全，已忽略。</translation>
    </message>
    <message>
        <source>{entry} is a link and was ignored.</source>
        <translation>{entry} 是链接，已忽略。</translation>
    </message>
    <message>
        <source>{entry} was ignored: {reason}.</source>
        <translation>{entry} 已忽略：{reason}。</translation>
    </message>
    <message>
        <source>{entry} is too large ({size}; Cairn imports attachments of up to {limit}) and was ignored.</source>
        <translation>{entry} 太大（{size}；Cairn 可导入的附件最大为 {limit}），已忽略。</translation>
    </message>
    <message>
        <source>{entry} is too large ({size}; Cairn imports conversations of up to {limit}) and was ignored.</source>
        <translation>{entry} 太大（{size}；Cairn 可导入的对话最大为 {limit}），已忽略。</translation>
    </message>
    <message>
        <source>{entry} is not named like an attachment; ignored.</source>
        <translation>{entry} 的名称不像附件，已忽略。</translation>
    </message>
    <message>
        <source>{entry} does not match its checksum (damaged?) and was ignored.</source>
        <translation>{entry} 与其校验和不符（可能已损坏），已忽略。</translation>
    </message>
    <message>
        <source>{entry} could not be stored ({reason}).</source>
        <translation>无法保存 {entry}（{reason}）。</translation>
    </message>
    <message>
        <source>{entry} is not valid JSON and was ignored.</source>
        <translation>{entry} 不是有效的 JSON，已忽略。</translation>
    </message>
    <message>
        <source>{name} is not a Cairn conversation.</source>
        <translation>{name} 不是 Cairn 对话。</translation>
    </message>
    <message>
        <source>{name} is not a Cairn conversation: {reason}.</source>
        <translation>{name} 不是 Cairn 对话：{reason}。</translation>
    </message>
    <message>
        <source>{name} was written by a newer version of Cairn; update Cairn to import it.</source>
        <translation>{name} 由更新版本的 Cairn 写入；请更新 Cairn 后再导入。</translation>
    </message>
    <message>
        <source>{name} has an invalid conversation id.</source>
        <translation>{name} 的对话 ID 无效。</translation>
    </message>
    <message>
        <source>{name} is not a Cairn conversation: it is not JSON.</source>
        <translation>{name} 不是 Cairn 对话：它不是 JSON。</translation>
    </message>
    <message>
        <source>{name} holds an attachment that is damaged or too large.</source>
        <translation>{name} 中有附件已损坏或太大。</translation>
    </message>
    <message>
        <source>{name} holds a damaged attachment.</source>
        <translation>{name} 中有已损坏的附件。</translation>
    </message>
    <message>
        <source>{name} could not be imported: an attachment could not be stored ({reason}).</source>
        <translation>无法导入 {name}：有附件无法保存（{reason}）。</translation>
    </message>
    <message>
        <source>“{title}” could not be saved ({reason}).</source>
        <translation>无法保存“{title}”（{reason}）。</translation>
    </message>
    <message>
        <source>“{title}” has an invalid id and was skipped.</source>
        <translation>“{title}”的 ID 无效，已跳过。</translation>
    </message>
    <message>
        <source>“{title}” was not imported: it is {size}, and Cairn imports conversations of up to {limit}.</source>
        <translation>未导入“{title}”：它有 {size}，而 Cairn 可导入的对话最大为 {limit}。</translation>
    </message>
    <message>
        <source>“{title}” was not imported: one of its messages is {size}, and Cairn imports messages of up to {limit}.</source>
        <translation>未导入“{title}”：其中一条消息有 {size}，而 Cairn 可导入的消息最大为 {limit}。</translation>
    </message>
    <message>
        <source>“{title}” was not imported: it is larger than {limit}, the most Cairn imports in one conversation.</source>
        <translation>未导入“{title}”：它超过 {limit}，即 Cairn 单个对话可导入的上限。</translation>
    </message>
    <message>
        <source>{name} has no {file}: it is not a claude.ai export.</source>
        <translation>{name} 中没有 {file}：它不是 claude.ai 导出文件。</translation>
    </message>
    <message>
        <source>{name} cannot be imported: {reason}.</source>
        <translation>无法导入 {name}：{reason}。</translation>
    </message>
    <message>
        <source>This file is not a claude.ai export: it is not text.</source>
        <translation>此文件不是 claude.ai 导出文件：它不是文本。</translation>
    </message>
    <message>
        <source>This file is not a claude.ai export: it is not JSON.</source>
        <translation>此文件不是 claude.ai 导出文件：它不是 JSON。</translation>
    </message>
    <message>
        <source>This file is not a claude.ai export: it should hold a list of conversations.</source>
        <translation>此文件不是 claude.ai 导出文件：它应当包含对话列表。</translation>
    </message>
    <message>
        <source>This file is not a claude.ai export: none of its entries is a conversation.</source>
        <translation>此文件不是 claude.ai 导出文件：其中没有任何一项是对话。</translation>
    </message>
    <message>
        <source>The file could not be read past entry {entry} ({reason}); the conversations before that were imported.</source>
        <translation>文件在第 {entry} 项之后无法读取（{reason}）；此前的对话已导入。</translation>
    </message>
    <message>
        <source>Entry {position} was skipped: it is larger than {limit}, the most Cairn imports in one conversation.</source>
        <translation>已跳过第 {position} 项：它超过 {limit}，即 Cairn 单个对话可导入的上限。</translation>
    </message>
    <message>
        <source>Entry {position} is not a conversation and was skipped.</source>
        <translation>第 {position} 项不是对话，已跳过。</translation>
    </message>
    <message>
        <source>Conversation {position} could not be read and was skipped.</source>
        <translation>无法读取第 {position} 个对话，已跳过。</translation>
    </message>
    <message>
        <source>“{title}” has no messages and was skipped.</source>
        <translation>“{title}”没有消息，已跳过。</translation>
    </message>
    <message>
        <source>it is not UTF-8 text</source>
        <translation>它不是 UTF-8 文本</translation>
    </message>
    <message>
        <source>it is not valid JSON there</source>
        <translation>此处不是有效的 JSON</translation>
    </message>
    <message>
        <source>it ends early</source>
        <translation>文件提前结束</translation>
    </message>
    <message>
        <source>it is nested too deeply</source>
        <translation>嵌套层级过深</translation>
    </message>
    <message>
        <source>it ends in the middle of an entry</source>
        <translation>文件在某一项中间结束</translation>
    </message>
    <message>
        <source>it is empty</source>
        <translation>文件为空</translation>
    </message>
    <message>
        <source>it holds no list</source>
        <translation>其中没有列表</translation>
    </message>
    <message>
        <source>there is more after its end</source>
        <translation>结尾之后还有多余内容</translation>
    </message>
    <message>
        <source>it holds no list of conversations</source>
        <translation>其中没有对话列表</translation>
    </message>
</context>
<context>
    <name>ImportProgress</name>
    <message>
        <source>Importing {name}</source>
        <translation>正在导入 {name}</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancelling… what was imported so far is kept.</source>
        <translation>正在取消……已导入的内容将会保留。</translation>
    </message>
    <message>
        <source>Importing… {done} of {total}</source>
        <translation>正在导入……{done} / {total}</translation>
    </message>
    <message>
        <source>Importing… {done} conversations ({percent} %)</source>
        <translation>正在导入……{done} 个对话（{percent}%）</translation>
    </message>
</context>
<context>
    <name>ImportSummary</name>
    <message>
        <source>1 conversation added</source>
        <translation>已添加 1 个对话</translation>
    </message>
    <message>
        <source>{count} conversations added</source>
        <translation>已添加 {count} 个对话</translation>
    </message>
    <message>
        <source>{count} added as imported copies</source>
        <translation>{count} 个作为导入副本添加</translation>
    </message>
    <message>
        <source>{count} already here</source>
        <translation>{count} 个已存在</translation>
    </message>
    <message>
        <source>1 attachment added</source>
        <translation>已添加 1 个附件</translation>
    </message>
    <message>
        <source>{count} attachments added</source>
        <translation>已添加 {count} 个附件</translation>
    </message>
    <message>
        <source>1 problem</source>
        <translation>1 个问题</translation>
    </message>
    <message>
        <source>{count} problems</source>
        <translation>{count} 个问题</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>{counts}.</source>
        <translation>{counts}。</translation>
    </message>
    <message>
        <source>{reason} What was imported before that was kept: {counts}</source>
        <translation>{reason} 在此之前导入的内容均已保留：{counts}</translation>
    </message>
    <message>
        <source>{reason} Nothing was imported.</source>
        <translation>{reason} 没有导入任何内容。</translation>
    </message>
</context>
<context>
    <name>JumpToLatestButton</name>
    <message>
        <source>Jump to the latest message</source>
        <translation>跳到最新消息</translation>
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
        <source>&lt;b&gt;Cairn is using the key in the ANTHROPIC_API_KEY environment variable.&lt;/b&gt; That variable comes first every time Cairn starts: a key saved here is used only until Cairn closes. To change the key for good, change or remove ANTHROPIC_API_KEY where it is set (your shell profile or the launcher) and restart Cairn.</source>
        <translation>&lt;b&gt;Cairn 正在使用环境变量 ANTHROPIC_API_KEY 中的密钥。&lt;/b&gt;每次启动时 Cairn 都会优先使用这个变量：在这里保存的密钥只在 Cairn 关闭前有效。要永久更换密钥，请在设置该变量的地方（shell 配置文件或启动器）修改或删除 ANTHROPIC_API_KEY，然后重新启动 Cairn。</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
</context>
<context>
    <name>KeyOps</name>
    <message>
        <source>No API key: click the key icon to add one</source>
        <translation>没有 API 密钥：点击钥匙图标添加</translation>
    </message>
</context>
<context>
    <name>LinkDialog</name>
    <message>
        <source>Latin</source>
        <translation>拉丁</translation>
    </message>
    <message>
        <source>Cyrillic</source>
        <translation>西里尔</translation>
    </message>
    <message>
        <source>Greek</source>
        <translation>希腊</translation>
    </message>
    <message>
        <source>Armenian</source>
        <translation>亚美尼亚</translation>
    </message>
    <message>
        <source>Georgian</source>
        <translation>格鲁吉亚</translation>
    </message>
    <message>
        <source>Hebrew</source>
        <translation>希伯来</translation>
    </message>
    <message>
        <source>Arabic</source>
        <translation>阿拉伯</translation>
    </message>
    <message>
        <source>Han</source>
        <translation>汉字</translation>
    </message>
    <message>
        <source>Hiragana</source>
        <translation>平假名</translation>
    </message>
    <message>
        <source>Katakana</source>
        <translation>片假名</translation>
    </message>
    <message>
        <source>Hangul</source>
        <translation>谚文</translation>
    </message>
    <message>
        <source>Cherokee</source>
        <translation>切罗基</translation>
    </message>
    <message>
        <source>Open this link?</source>
        <translation>打开此链接？</translation>
    </message>
    <message>
        <source>This link may not go where it seems</source>
        <translation>此链接可能不会打开它看起来指向的地址</translation>
    </message>
    <message>
        <source>(no text)</source>
        <translation>（无文字）</translation>
    </message>
    <message>
        <source>Link text</source>
        <translation>链接文字</translation>
    </message>
    <message>
        <source>Address it opens</source>
        <translation>实际打开的地址</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>网站</translation>
    </message>
    <message>
        <source>written as: {host}</source>
        <translation>书写形式：{host}</translation>
    </message>
    <message>
        <source>(other letters than the ones it seems to have)</source>
        <translation>（所用字母并非看上去的那些）</translation>
    </message>
    <message>
        <source>Link text:</source>
        <translation>链接文字：</translation>
    </message>
    <message>
        <source>Opens:</source>
        <translation>打开：</translation>
    </message>
    <message>
        <source>Site:</source>
        <translation>网站：</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Its text shows {shown}, but it opens a different address.</source>
        <translation>链接文字显示为 {shown}，但实际打开的是另一个地址。</translation>
    </message>
    <message>
        <source>“{user}” before the @ is not the site: the link goes to {host}.</source>
        <translation>@ 前面的“{user}”并不是网站：此链接实际前往 {host}。</translation>
    </message>
    <message>
        <source>The site&apos;s letters imitate “{name}”, but it is a different site.</source>
        <translation>该网站名称的字母在模仿“{name}”，但它是另一个网站。</translation>
    </message>
    <message>
        <source>The site&apos;s name mixes letters of different alphabets ({scripts}).</source>
        <translation>该网站名称混用了不同文字的字母（{scripts}）。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>The address is written in an unusual form that hides where it goes. It is shown below as your browser will read it.</source>
        <translation>该地址以不寻常的形式书写，掩盖了它实际前往的地方。下面按浏览器将要读取的形式显示。</translation>
    </message>
    <message>
        <source>The site&apos;s name is internationalised: some of its letters can look like other letters. It is shown below as your browser looks it up.</source>
        <translation>该网站名称是国际化域名：其中有些字母可能看起来像别的字母。下面按浏览器实际查询的形式显示。</translation>
    </message>
</context>
<context>
    <name>LoadProblem</name>
    <message>
        <source>{name}: {reason}.</source>
        <translation>{name}：{reason}。</translation>
    </message>
    <message>
        <source>{name}: {reason}. It was moved to {moved_to}.</source>
        <translation>{name}：{reason}。已将它移到一旁，改名为 {moved_to}。</translation>
    </message>
    <message>
        <source>written by a newer version of Cairn (schema {schema})</source>
        <translation>由更新版本的 Cairn 写入（格式版本 {schema}）</translation>
    </message>
    <message>
        <source>it needs updating to this version of Cairn, but a backup could not be written first ({reason}); it was left as it is</source>
        <translation>它需要更新为此版本 Cairn 的格式，但无法先写入备份（{reason}）；文件保持原样</translation>
    </message>
    <message>
        <source>not UTF-8 text</source>
        <translation>不是 UTF-8 文本</translation>
    </message>
    <message>
        <source>not valid JSON (line {line}, column {column})</source>
        <translation>不是有效的 JSON（第 {line} 行，第 {column} 列）</translation>
    </message>
    <message>
        <source>nested too deeply to read</source>
        <translation>嵌套太深，无法读取</translation>
    </message>
    <message>
        <source>not a JSON object</source>
        <translation>不是 JSON 对象</translation>
    </message>
    <message>
        <source>not in Cairn&apos;s history format: {problem}</source>
        <translation>不符合 Cairn 的历史记录格式：{problem}</translation>
    </message>
    <message>
        <source>file name does not match id {id}</source>
        <translation>文件名与其中的对话 id {id} 不一致</translation>
    </message>
    <message>
        <source>an error in Cairn stopped it from being read ({error}); it was left as it is</source>
        <translation>Cairn 内部出错，未能读取它（{error}）；文件保持原样</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Undo delete</source>
        <translation>撤销删除</translation>
    </message>
    <message>
        <source>Deleted “{title}”.</source>
        <translation>已删除“{title}”。</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Something went wrong: {error}</source>
        <translation>出错了：{error}</translation>
    </message>
</context>
<context>
    <name>MarkdownBody</name>
    <message>
        <source>Show all</source>
        <translation>全部显示</translation>
    </message>
    <message>
        <source>Show all of this reply</source>
        <translation>显示此回复的全部内容</translation>
    </message>
    <message>
        <source>Showing the first {shown} of {total} characters of this reply.</source>
        <translation>此回复共 {total} 个字符，当前显示前 {shown} 个。</translation>
    </message>
    <message>
        <source>This line is too long to format, so it is shown as plain text.</source>
        <translation>这一行太长，无法排版，因此以纯文本显示。</translation>
    </message>
    <message>
        <source>Claude&apos;s reply</source>
        <translation>Claude 的回复</translation>
    </message>
</context>
<context>
    <name>McpConfigText</name>
    <message>
        <source>Give the server a name.</source>
        <translation>请为服务器命名。</translation>
    </message>
    <message>
        <source>Enter the command that starts the server.</source>
        <translation>请输入启动服务器的命令。</translation>
    </message>
    <message>
        <source>The address must start with http:// or https://.</source>
        <translation>地址必须以 http:// 或 https:// 开头。</translation>
    </message>
    <message>
        <source>“{variable}” cannot be the name of an environment variable (letters, digits and _, not starting with a digit).</source>
        <translation>“{variable}”不能用作环境变量名（只能包含字母、数字和 _，且不能以数字开头）。</translation>
    </message>
    <message>
        <source>“{header}” cannot be the name of an HTTP header.</source>
        <translation>“{header}”不能用作 HTTP 请求头名称。</translation>
    </message>
    <message>
        <source>The file is not valid JSON (line {line}, column {column}).</source>
        <translation>该文件不是有效的 JSON（第 {line} 行，第 {column} 列）。</translation>
    </message>
    <message>
        <source>The file does not hold a JSON object.</source>
        <translation>该文件不包含 JSON 对象。</translation>
    </message>
    <message>
        <source>The file has no “mcpServers” section.</source>
        <translation>该文件没有“mcpServers”部分。</translation>
    </message>
    <message>
        <source>“{name}”: not a server entry.</source>
        <translation>“{name}”：不是服务器条目。</translation>
    </message>
    <message>
        <source>“{name}”: neither a command nor an address.</source>
        <translation>“{name}”：既没有命令，也没有地址。</translation>
    </message>
    <message>
        <source>“{name}”: its “{field}” cannot be used.</source>
        <translation>“{name}”：其“{field}”无法使用。</translation>
    </message>
    <message>
        <source>“{name}”: servers of type “{type}” are not supported.</source>
        <translation>“{name}”：不支持“{type}”类型的服务器。</translation>
    </message>
    <message>
        <source>Only the first {limit} servers were read.</source>
        <translation>只读取了前 {limit} 个服务器。</translation>
    </message>
    <message>
        <source>“{name}” uses SSE; it is added as Streamable HTTP, which most such servers also speak.</source>
        <translation>“{name}”使用 SSE；它将以 Streamable HTTP 方式添加，大多数此类服务器也支持这种方式。</translation>
    </message>
    <message>
        <source>“{name}” ran mcp-remote for {url}; Cairn connects to that address itself.</source>
        <translation>“{name}”原先通过 mcp-remote 连接 {url}；Cairn 会直接连接该地址。</translation>
    </message>
</context>
<context>
    <name>McpServerDialog</name>
    <message>
        <source>Edit server</source>
        <translation>编辑服务器</translation>
    </message>
    <message>
        <source>Add server</source>
        <translation>添加服务器</translation>
    </message>
    <message>
        <source>Server name</source>
        <translation>服务器名称</translation>
    </message>
    <message>
        <source>How the server is called in Cairn</source>
        <translation>服务器在 Cairn 中的名称</translation>
    </message>
    <message>
        <source>Local program</source>
        <translation>本地程序</translation>
    </message>
    <message>
        <source>A program on this computer, started by Cairn</source>
        <translation>本机上的程序，由 Cairn 启动</translation>
    </message>
    <message>
        <source>Remote server</source>
        <translation>远程服务器</translation>
    </message>
    <message>
        <source>An address Cairn connects to (Streamable HTTP)</source>
        <translation>Cairn 连接的地址（Streamable HTTP）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>命令</translation>
    </message>
    <message>
        <source>e.g. npx, uvx, python or a program&apos;s path</source>
        <translation>例如 npx、uvx、python 或程序的路径</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>One per line, or one line split as a shell would</source>
        <translation>每行一个；或写成一行，按 shell 的方式拆分</translation>
    </message>
    <message>
        <source>Working folder</source>
        <translation>工作文件夹</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Variable</source>
        <translation>变量</translation>
    </message>
    <message>
        <source>Add variable</source>
        <translation>添加变量</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>环境变量</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>请求头</translation>
    </message>
    <message>
        <source>Add header</source>
        <translation>添加请求头</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>请求头</translation>
    </message>
    <message>
        <source>Values are kept in the system keyring, never in a file.</source>
        <translation>这些值保存在系统密钥环中，绝不会写入文件。</translation>
    </message>
    <message>
        <source>Another server is already called “{name}”.</source>
        <translation>已有另一个服务器名为“{name}”。</translation>
    </message>
    <message>
        <source>The arguments have a quote that is not closed.</source>
        <translation>参数中有未闭合的引号。</translation>
    </message>
    <message>
        <source>A value has no name.</source>
        <translation>有一个值没有名称。</translation>
    </message>
    <message>
        <source>“{name}” is given twice.</source>
        <translation>“{name}”出现了两次。</translation>
    </message>
    <message>
        <source>No arguments.</source>
        <translation>没有参数。</translation>
    </message>
    <message>
        <source>A quote is not closed.</source>
        <translation>有引号未闭合。</translation>
    </message>
    <message>
        <source>Read as one argument per line: {count} arguments.</source>
        <translation>按每行一个参数读取：共 {count} 个参数。</translation>
    </message>
    <message>
        <source>Split as a shell would, into 1 argument: {arguments}</source>
        <translation>按 shell 的方式拆分为 1 个参数：{arguments}</translation>
    </message>
    <message>
        <source>Split as a shell would, into {count} arguments: {arguments}</source>
        <translation>按 shell 的方式拆分为 {count} 个参数：{arguments}</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>McpStoreText</name>
    <message>
        <source>The list of MCP servers could not be read ({reason}); it was set aside as {aside}.</source>
        <translation>无法读取 MCP 服务器列表（{reason}）；该文件已另存为 {aside}。</translation>
    </message>
    <message>
        <source>The MCP servers were saved by a newer Cairn: changes here are not saved.</source>
        <translation>MCP 服务器是由更新版本的 Cairn 保存的：此处的更改不会被保存。</translation>
    </message>
    <message>
        <source>MCP server number {position} could not be read ({reason}).</source>
        <translation>无法读取第 {position} 个 MCP 服务器（{reason}）。</translation>
    </message>
    <message>
        <source>The MCP servers could not be saved ({reason}).</source>
        <translation>无法保存 MCP 服务器（{reason}）。</translation>
    </message>
    <message>
        <source>There is no system keyring, so the values of environment variables and headers cannot be kept: they are used until Cairn closes and never written to a file.</source>
        <translation>没有可用的系统密钥环，因此无法保存环境变量和请求头的值：它们只在 Cairn 关闭前有效，绝不会写入文件。</translation>
    </message>
    <message>
        <source>The system keyring could not be used ({reason}), so the values of environment variables and headers are used until Cairn closes and never written to a file.</source>
        <translation>无法使用系统密钥环（{reason}），因此环境变量和请求头的值只在 Cairn 关闭前有效，绝不会写入文件。</translation>
    </message>
    <message>
        <source>The system keyring did not keep the values of “{server}”; they are used until Cairn closes and never written to a file.</source>
        <translation>系统密钥环没有保存“{server}”的值；它们只在 Cairn 关闭前有效，绝不会写入文件。</translation>
    </message>
    <message>
        <source>The keyring has no saved value for {names} of “{server}”: enter it again in Edit….</source>
        <translation>密钥环中没有保存“{server}”的 {names} 的值：请在“编辑…”中重新输入。</translation>
    </message>
</context>
<context>
    <name>MessageActions</name>
    <message>
        <source>Previous version</source>
        <translation>上一个版本</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Next version</source>
        <translation>下一个版本</translation>
    </message>
    <message>
        <source>Copy reply (Markdown)</source>
        <translation>复制回复（Markdown）</translation>
    </message>
    <message>
        <source>Copy message (Markdown)</source>
        <translation>复制消息（Markdown）</translation>
    </message>
    <message>
        <source>Edit and resend</source>
        <translation>编辑并重新发送</translation>
    </message>
    <message>
        <source>Regenerate this reply</source>
        <translation>重新生成此回复</translation>
    </message>
    <message>
        <source>Version {position} of {count}</source>
        <translation>第 {position} 个版本，共 {count} 个</translation>
    </message>
</context>
<context>
    <name>MessageOps</name>
    <message>
        <source>Wait for the reply to finish (or stop it) before editing.</source>
        <translation>请等回复结束（或将其停止）后再编辑。</translation>
    </message>
    <message>
        <source>Save file</source>
        <translation>保存文件</translation>
    </message>
    <message>
        <source>Saved {name}.</source>
        <translation>已保存 {name}。</translation>
    </message>
</context>
<context>
    <name>ModelCatalog</name>
    <message>
        <source>Offline: using the saved model list</source>
        <translation>离线：正在使用已保存的模型列表</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <source>Show the file in its folder</source>
        <translation>在所在文件夹中显示该文件</translation>
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
        <source>Summarise old context (beta)</source>
        <translation>总结较早的上下文（测试版）</translation>
    </message>
    <message>
        <source>Compaction</source>
        <translation>上下文压缩</translation>
    </message>
    <message>
        <source>When the conversation gets long, its oldest part is summarised to make room.</source>
        <translation>对话变长时，总结其最早的部分以腾出空间。</translation>
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
    <name>OptionsText</name>
    <message>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <source>extra high</source>
        <translation>很高</translation>
    </message>
    <message>
        <source>max</source>
        <translation>最高</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Fetch</source>
        <translation>抓取</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>web search</source>
        <translation>网页搜索</translation>
    </message>
    <message>
        <source>web fetch</source>
        <translation>网页抓取</translation>
    </message>
    <message>
        <source>code execution</source>
        <translation>代码执行</translation>
    </message>
    <message>
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <source>Thinking: {budget}</source>
        <translation>思考：{budget}</translation>
    </message>
    <message>
        <source>No thinking</source>
        <translation>不思考</translation>
    </message>
    <message>
        <source>No cache</source>
        <translation>不缓存</translation>
    </message>
    <message>
        <source>Cache: 1 h</source>
        <translation>缓存：1 小时</translation>
    </message>
    <message>
        <source>Cache: 5 min</source>
        <translation>缓存：5 分钟</translation>
    </message>
    <message>
        <source>Effort: {level}</source>
        <translation>投入程度：{level}</translation>
    </message>
    <message>
        <source>Claude&apos;s tools: {names}</source>
        <translation>Claude 的工具：{names}</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>Reply length: up to {count} tokens</source>
        <translation>回复长度：最多 {count} 个 token</translation>
    </message>
    <message>
        <source>Thinking: adaptive (the model decides how much)</source>
        <translation>思考：自适应（由模型决定思考多少）</translation>
    </message>
    <message>
        <source>Thinking: a budget of {count} tokens</source>
        <translation>思考：预算 {count} 个 token</translation>
    </message>
    <message>
        <source>Thinking: off</source>
        <translation>思考：关闭</translation>
    </message>
    <message>
        <source>Prompt caching: off</source>
        <translation>提示缓存：关闭</translation>
    </message>
    <message>
        <source>Prompt caching: 1 hour</source>
        <translation>提示缓存：1 小时</translation>
    </message>
    <message>
        <source>Prompt caching: 5 minutes</source>
        <translation>提示缓存：5 分钟</translation>
    </message>
    <message>
        <source>Compaction: on</source>
        <translation>上下文压缩：开启</translation>
    </message>
    <message>
        <source>Compaction: off</source>
        <translation>上下文压缩：关闭</translation>
    </message>
</context>
<context>
    <name>OsErrorText</name>
    <message>
        <source>No such file or directory</source>
        <translation>找不到该文件或文件夹</translation>
    </message>
    <message>
        <source>Permission denied</source>
        <translation>没有权限</translation>
    </message>
    <message>
        <source>Operation not permitted</source>
        <translation>不允许此操作</translation>
    </message>
    <message>
        <source>No space left on device</source>
        <translation>磁盘空间已满</translation>
    </message>
    <message>
        <source>Disk quota exceeded</source>
        <translation>超出了磁盘配额</translation>
    </message>
    <message>
        <source>Read-only file system</source>
        <translation>文件系统是只读的</translation>
    </message>
    <message>
        <source>Is a directory</source>
        <translation>这是一个文件夹，不是文件</translation>
    </message>
    <message>
        <source>Not a directory</source>
        <translation>路径中有一项不是文件夹</translation>
    </message>
    <message>
        <source>File name too long</source>
        <translation>文件名太长</translation>
    </message>
    <message>
        <source>Too many open files</source>
        <translation>打开的文件太多</translation>
    </message>
    <message>
        <source>Too many open files in system</source>
        <translation>系统中打开的文件太多</translation>
    </message>
    <message>
        <source>Input/output error</source>
        <translation>输入/输出错误（磁盘或设备可能有故障）</translation>
    </message>
    <message>
        <source>File exists</source>
        <translation>文件已存在</translation>
    </message>
    <message>
        <source>Device or resource busy</source>
        <translation>设备或资源正忙</translation>
    </message>
    <message>
        <source>Text file busy</source>
        <translation>文件正在使用中</translation>
    </message>
    <message>
        <source>Directory not empty</source>
        <translation>文件夹不是空的</translation>
    </message>
    <message>
        <source>File too large</source>
        <translation>文件太大</translation>
    </message>
    <message>
        <source>Too many levels of symbolic links</source>
        <translation>符号链接的层级太多</translation>
    </message>
</context>
<context>
    <name>OutgoingAttachments</name>
    <message>
        <source>Pasted image {number}</source>
        <translation>粘贴的图片 {number}</translation>
    </message>
    <message>
        <source>Image link: Claude fetches it</source>
        <translation>图片链接：由 Claude 获取</translation>
    </message>
    <message>
        <source>{0} is too large for the Files API (at most 500 MB).</source>
        <translation>{0} 超出 Files API 的大小上限（最大 500 MB）。</translation>
    </message>
    <message>
        <source>{0} could not be read: {1}.</source>
        <translation>无法读取 {0}：{1}。</translation>
    </message>
    <message>
        <source>Turn on code execution for this conversation (its options) to give Claude files of any kind.</source>
        <translation>在本对话的选项中开启代码执行，即可向 Claude 提供任意类型的文件。</translation>
    </message>
    <message>
        <source>At most {0} attachments can go with one message.</source>
        <translation>每条消息最多只能附带 {0} 个附件。</translation>
    </message>
    <message>
        <source>{name} could not be uploaded: {reason}</source>
        <translation>无法上传 {name}：{reason}</translation>
    </message>
    <message>
        <source>{size} · for code execution</source>
        <translation>{size} · 用于代码执行</translation>
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
    <name>PendingDeletes</name>
    <message>
        <source>The conversation file could not be deleted: {error}.</source>
        <translation>无法删除对话文件：{error}。</translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>ProducedFileRow</name>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Save {name} as…</source>
        <translation>将 {name} 另存为…</translation>
    </message>
    <message>
        <source>Fetching…</source>
        <translation>正在获取…</translation>
    </message>
</context>
<context>
    <name>ReplyRunner</name>
    <message>
        <source>Starting tool servers…</source>
        <translation>正在启动工具服务器…</translation>
    </message>
    <message>
        <source>{model} · Connecting…</source>
        <translation>{model} · 正在连接…</translation>
    </message>
    <message>
        <source>Enter an API key first.</source>
        <translation>请先输入 API 密钥。</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Error: {message}</source>
        <translation>错误：{message}</translation>
    </message>
    <message>
        <source>Done · {usage}</source>
        <translation>完成 · {usage}</translation>
    </message>
    <message>
        <source>Getting the list of models…</source>
        <translation>正在获取模型列表…</translation>
    </message>
    <message>
        <source>The code execution sandbox of this conversation is no longer available, so Claude starts in a fresh one: files made there earlier are gone.</source>
        <translation>本对话的代码执行沙盒已不可用，Claude 将在新的沙盒中开始：之前在其中生成的文件已不复存在。</translation>
    </message>
    <message>
        <source>The code execution sandbox of this conversation has expired, so files made there are gone; Claude starts in a fresh one.</source>
        <translation>本对话的代码执行沙盒已过期，其中生成的文件已不复存在；Claude 将在新的沙盒中开始。</translation>
    </message>
    <message>
        <source>{model} · Using tools…</source>
        <translation>{model} · 正在使用工具…</translation>
    </message>
    <message>
        <source>{model} · Streaming…</source>
        <translation>{model} · 正在生成…</translation>
    </message>
</context>
<context>
    <name>ReplyWidget</name>
    <message>
        <source>The reply reached its length limit (max_tokens) and is cut short.</source>
        <translation>回复已达到长度上限（max_tokens），内容被截断。</translation>
    </message>
    <message>
        <source>Claude declined to answer this request.</source>
        <translation>Claude 拒绝回答这个请求。</translation>
    </message>
    <message>
        <source>The conversation filled the model&apos;s context window, so the reply stopped. Start a new conversation, or turn on compaction in this conversation&apos;s options.</source>
        <translation>对话已占满模型的上下文窗口，回复因此停止。请新建一个对话，或在本对话的选项中开启上下文压缩。</translation>
    </message>
    <message>
        <source>The reply ended at your stop sequence “{sequence}”.</source>
        <translation>回复在你设置的停止序列“{sequence}”处结束。</translation>
    </message>
    <message>
        <source>Claude paused a long turn. Continue to let it carry on.</source>
        <translation>Claude 暂停了一个较长的回合。点击“继续”让它接着进行。</translation>
    </message>
    <message>
        <source>Claude has used tools many times in this reply, so Cairn paused it before the next calls (Settings → Tools sets the limit). Continue to run them and let it carry on.</source>
        <translation>Claude 在这条回复中已多次使用工具，因此 Cairn 在下一批调用前暂停了它（上限在“设置 → 工具”中设置）。点击“继续”即可运行这些调用并让它接着回复。</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Retry this reply</source>
        <translation>重试此回复</translation>
    </message>
    <message>
        <source>Earlier messages were summarised to keep the conversation within the context window. Claude now works from that summary.</source>
        <translation>较早的消息已被总结，以使对话保持在上下文窗口之内。Claude 现在基于该摘要继续工作。</translation>
    </message>
    <message>
        <source>Stopped. The reply above is incomplete.</source>
        <translation>已停止。上面的回复不完整。</translation>
    </message>
    <message>
        <source>Stopped before Claude replied.</source>
        <translation>在 Claude 回复之前已停止。</translation>
    </message>
    <message>
        <source>This exchange is no longer sent to Claude, so the conversation can go on; edit your message to ask differently.</source>
        <translation>这轮问答不会再发送给 Claude，对话可以继续；可编辑你的消息换个方式提问。</translation>
    </message>
    <message>
        <source>You have hit your rate limit. You can retry in 1 second.</source>
        <translation>你已达到速率限制。1 秒后可以重试。</translation>
    </message>
    <message>
        <source>You have hit your rate limit. You can retry in {seconds} seconds.</source>
        <translation>你已达到速率限制。{seconds} 秒后可以重试。</translation>
    </message>
    <message>
        <source>You have hit your rate limit. You can retry now.</source>
        <translation>你已达到速率限制。现在可以重试了。</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Continue this reply</source>
        <translation>继续此回复</translation>
    </message>
    <message>
        <source>Code copied</source>
        <translation>已复制代码</translation>
    </message>
    <message>
        <source>This link&apos;s address is not valid.</source>
        <translation>此链接的地址无效。</translation>
    </message>
    <message>
        <source>Reply copied</source>
        <translation>已复制回复</translation>
    </message>
</context>
<context>
    <name>RequestPlanner</name>
    <message>
        <source>An attachment of this conversation could not be read ({error}).</source>
        <translation>无法读取此对话中的一个附件（{error}）。</translation>
    </message>
    <message>
        <source>The attachments in this conversation add up to {size} MB; a request may be at most 32 MB. Start a new conversation for more files.</source>
        <translation>此对话中的附件共计 {size} MB，而每个请求最多 32 MB。如需发送更多文件，请新建一个对话。</translation>
    </message>
    <message>
        <source>This conversation holds {count} images; the API takes at most {limit} in one request. Start a new conversation.</source>
        <translation>此对话包含 {count} 张图片，而 API 每个请求最多接受 {limit} 张。请新建一个对话。</translation>
    </message>
    <message>
        <source>This conversation holds {count} images and {large} of them are larger than {edge} px; the API takes more than {many} images in one request only when each is at most {edge} px. Start a new conversation to send more.</source>
        <translation>此对话包含 {count} 张图片，其中 {large} 张大于 {edge} 像素；一次请求超过 {many} 张图片时，API 要求每张都不超过 {edge} 像素。请新建对话再发送更多图片。</translation>
    </message>
</context>
<context>
    <name>RichTextView</name>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy Link Address</source>
        <translation>复制链接地址</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>全选</translation>
    </message>
    <message>
        <source>Cairn will ask before opening this link: its text or its address may not be what it seems.</source>
        <translation>打开此链接前 Cairn 会先询问：它的文字或地址可能与看上去的不同。</translation>
    </message>
</context>
<context>
    <name>SecretPairsTable</name>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Show values</source>
        <translation>显示值</translation>
    </message>
</context>
<context>
    <name>ServerDetailsDialog</name>
    <message>
        <source>Details: {name}</source>
        <translation>详细信息：{name}</translation>
    </message>
    <message>
        <source>Last lines of its error output:</source>
        <translation>错误输出的最后几行：</translation>
    </message>
    <message>
        <source>It wrote nothing to its error output.</source>
        <translation>它没有向错误输出写入任何内容。</translation>
    </message>
    <message>
        <source>Error output</source>
        <translation>错误输出</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
</context>
<context>
    <name>ServerList</name>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>MCP servers</source>
        <translation>MCP 服务器</translation>
    </message>
    <message>
        <source>Tick to let the server start; clear to turn it off</source>
        <translation>勾选以允许服务器启动；取消勾选则将其关闭</translation>
    </message>
</context>
<context>
    <name>ServerStateText</name>
    <message>
        <source>the command “{command}” was not found.</source>
        <translation>找不到命令“{command}”。</translation>
    </message>
    <message>
        <source>the working folder “{folder}” does not exist.</source>
        <translation>工作文件夹“{folder}”不存在。</translation>
    </message>
    <message>
        <source>“{command}” could not be started ({reason}).</source>
        <translation>无法启动“{command}”（{reason}）。</translation>
    </message>
    <message>
        <source>it exited before it answered.</source>
        <translation>它在响应之前就退出了。</translation>
    </message>
    <message>
        <source>it exited.</source>
        <translation>它已退出。</translation>
    </message>
    <message>
        <source>it did not answer within {seconds} seconds.</source>
        <translation>它在 {seconds} 秒内没有响应。</translation>
    </message>
    <message>
        <source>{url} could not be reached ({reason}).</source>
        <translation>无法连接到 {url}（{reason}）。</translation>
    </message>
    <message>
        <source>{url} refused the connection (HTTP {status}); check its headers.</source>
        <translation>{url} 拒绝了连接（HTTP {status}）；请检查它的请求头。</translation>
    </message>
    <message>
        <source>{url} answered with HTTP {status}.</source>
        <translation>{url} 返回了 HTTP {status}。</translation>
    </message>
    <message>
        <source>the connection to {url} was lost.</source>
        <translation>与 {url} 的连接已断开。</translation>
    </message>
    <message>
        <source>its answer was not understood ({message}).</source>
        <translation>无法理解它的响应（{message}）。</translation>
    </message>
    <message>
        <source>it did not list its tools ({message}).</source>
        <translation>它没有列出自己的工具（{message}）。</translation>
    </message>
    <message>
        <source>{url} asks you to sign in.</source>
        <translation>{url} 要求你登录。</translation>
    </message>
    <message>
        <source>signing in to {url} failed ({reason}).</source>
        <translation>登录 {url} 失败（{reason}）。</translation>
    </message>
    <message>
        <source>its settings are incomplete.</source>
        <translation>它的设置不完整。</translation>
    </message>
    <message>
        <source>Remote</source>
        <translation>远程</translation>
    </message>
    <message>
        <source>Local</source>
        <translation>本地</translation>
    </message>
    <message>
        <source>Turned off</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Ready · 1 tool</source>
        <translation>就绪 · 1 个工具</translation>
    </message>
    <message>
        <source>Ready · {count} tools</source>
        <translation>就绪 · {count} 个工具</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Sign-in needed</source>
        <translation>需要登录</translation>
    </message>
    <message>
        <source>Not running</source>
        <translation>未运行</translation>
    </message>
    <message>
        <source>“{name}” is turned off: it does not start and its tools are not offered.</source>
        <translation>“{name}”已关闭：它不会启动，也不会提供工具。</translation>
    </message>
    <message>
        <source>“{name}” is ready but offers no tools.</source>
        <translation>“{name}”已就绪，但没有提供任何工具。</translation>
    </message>
    <message>
        <source>“{name}” is ready with 1 tool.</source>
        <translation>“{name}”已就绪，提供 1 个工具。</translation>
    </message>
    <message>
        <source>“{name}” is ready with {count} tools.</source>
        <translation>“{name}”已就绪，提供 {count} 个工具。</translation>
    </message>
    <message>
        <source>“{name}” is starting…</source>
        <translation>“{name}”正在启动…</translation>
    </message>
    <message>
        <source>“{name}” needs you to sign in before its tools can be used.</source>
        <translation>需要先登录“{name}”，才能使用它的工具。</translation>
    </message>
    <message>
        <source>“{name}” failed: {reason}</source>
        <translation>“{name}”出错：{reason}</translation>
    </message>
    <message>
        <source>“{name}” is not running; it starts when a conversation needs it, or with Restart.</source>
        <translation>“{name}”未运行；它会在对话需要时启动，也可以点击“重启”来启动。</translation>
    </message>
    <message>
        <source>no reason was given.</source>
        <translation>未给出原因。</translation>
    </message>
</context>
<context>
    <name>ServerToolErrors</name>
    <message>
        <source>Claude asked for it in a way the tool does not accept.</source>
        <translation>Claude 的调用方式不被该工具接受。</translation>
    </message>
    <message>
        <source>The tool is not available right now on Anthropic&apos;s side.</source>
        <translation>该工具目前在 Anthropic 端不可用。</translation>
    </message>
    <message>
        <source>The tool was asked too often in a short time (rate limited).</source>
        <translation>短时间内调用该工具的次数过多（已被限流）。</translation>
    </message>
    <message>
        <source>It ran longer than the time allowed and was stopped.</source>
        <translation>运行时间超出允许的时长，已被停止。</translation>
    </message>
    <message>
        <source>Claude reached the number of searches allowed for one reply (Settings → Claude&apos;s tools sets it).</source>
        <translation>Claude 已达到单条回复允许的搜索次数（上限在“设置 → Claude 的工具”中设置）。</translation>
    </message>
    <message>
        <source>The search query was too long.</source>
        <translation>搜索内容太长。</translation>
    </message>
    <message>
        <source>The search request was too large.</source>
        <translation>搜索请求太大。</translation>
    </message>
    <message>
        <source>The address was too long.</source>
        <translation>网址太长。</translation>
    </message>
    <message>
        <source>This site is not among the sites web fetch may read, or it is blocked (Settings → Claude&apos;s tools).</source>
        <translation>此网站不在网页抓取可读取的网站之列，或已被屏蔽（见“设置 → Claude 的工具”）。</translation>
    </message>
    <message>
        <source>Web fetch only reads addresses that already appeared in the conversation or in search results, and this one had not.</source>
        <translation>网页抓取只读取已在对话或搜索结果中出现过的网址，而此网址未曾出现。</translation>
    </message>
    <message>
        <source>The page could not be reached.</source>
        <translation>无法访问该网页。</translation>
    </message>
    <message>
        <source>The page is of a kind web fetch cannot read.</source>
        <translation>网页抓取无法读取这种类型的网页。</translation>
    </message>
    <message>
        <source>Claude reached the number of pages it may read for one reply.</source>
        <translation>Claude 已达到单条回复可读取的网页数量上限。</translation>
    </message>
    <message>
        <source>The page was too large to read.</source>
        <translation>网页太大，无法读取。</translation>
    </message>
    <message>
        <source>A file the code made was too large to keep.</source>
        <translation>代码生成的某个文件太大，无法保留。</translation>
    </message>
    <message>
        <source>The file was not found in the code sandbox.</source>
        <translation>在代码沙盒中找不到该文件。</translation>
    </message>
    <message>
        <source>The tool failed (“{code}”).</source>
        <translation>工具出错（“{code}”）。</translation>
    </message>
</context>
<context>
    <name>ServerToolRow</name>
    <message>
        <source>{what} — not finished</source>
        <translation>{what} — 未完成</translation>
    </message>
    <message>
        <source>Searching the web…</source>
        <translation>正在搜索网页…</translation>
    </message>
    <message>
        <source>Web search</source>
        <translation>网页搜索</translation>
    </message>
    <message>
        <source>Searching: “{query}”…</source>
        <translation>正在搜索：“{query}”…</translation>
    </message>
    <message>
        <source>Search failed: “{query}”</source>
        <translation>搜索失败：“{query}”</translation>
    </message>
    <message>
        <source>Searched: “{query}” — 1 result</source>
        <translation>已搜索：“{query}” — 1 条结果</translation>
    </message>
    <message>
        <source>Searched: “{query}” — {count} results</source>
        <translation>已搜索：“{query}” — {count} 条结果</translation>
    </message>
    <message>
        <source>Reading {page}…</source>
        <translation>正在读取 {page}…</translation>
    </message>
    <message>
        <source>Could not read {page}</source>
        <translation>无法读取 {page}</translation>
    </message>
    <message>
        <source>Read: {page}</source>
        <translation>已读取：{page}</translation>
    </message>
    <message>
        <source>Running code…</source>
        <translation>正在运行代码…</translation>
    </message>
    <message>
        <source>Code run failed</source>
        <translation>代码运行失败</translation>
    </message>
    <message>
        <source>Ran code</source>
        <translation>已运行代码</translation>
    </message>
    <message>
        <source>Ran code — exit code {code}</source>
        <translation>已运行代码 — 退出码 {code}</translation>
    </message>
    <message>
        <source>File edit failed: {path}</source>
        <translation>文件编辑失败：{path}</translation>
    </message>
    <message>
        <source>Viewed {path}</source>
        <translation>已查看 {path}</translation>
    </message>
    <message>
        <source>Wrote {path}</source>
        <translation>已写入 {path}</translation>
    </message>
    <message>
        <source>Edited {path}</source>
        <translation>已编辑 {path}</translation>
    </message>
    <message>
        <source>Looked for tools: “{query}”</source>
        <translation>已查找工具：“{query}”</translation>
    </message>
    <message>
        <source>Used {tool}</source>
        <translation>已使用 {tool}</translation>
    </message>
    <message>
        <source>Claude&apos;s tool: {what}</source>
        <translation>Claude 的工具：{what}</translation>
    </message>
    <message>
        <source>No results.</source>
        <translation>没有结果。</translation>
    </message>
    <message>
        <source>Read at {time}</source>
        <translation>读取于 {time}</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>命令</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>(Sent to Claude only, encrypted.)</source>
        <translation>（已加密，仅发送给 Claude。）</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Exit code {code}</source>
        <translation>退出码 {code}</translation>
    </message>
    <message>
        <source>Files made</source>
        <translation>生成的文件</translation>
    </message>
</context>
<context>
    <name>ServerToolsForm</name>
    <message>
        <source>Any site</source>
        <translation>任何网站</translation>
    </message>
    <message>
        <source>Only these sites</source>
        <translation>仅限这些网站</translation>
    </message>
    <message>
        <source>Any site except these</source>
        <translation>除这些网站外的任何网站</translation>
    </message>
    <message>
        <source>web search</source>
        <translation>网页搜索</translation>
    </message>
    <message>
        <source>web fetch</source>
        <translation>网页抓取</translation>
    </message>
    <message>
        <source>code execution</source>
        <translation>代码执行</translation>
    </message>
    <message>
        <source>Search the web</source>
        <translation>搜索网页</translation>
    </message>
    <message>
        <source>Web search</source>
        <translation>网页搜索</translation>
    </message>
    <message>
        <source>Searches per reply</source>
        <translation>每条回复的搜索次数</translation>
    </message>
    <message>
        <source>Claude stops searching after this many searches in one reply; each search is billed</source>
        <translation>单条回复中搜索达到此次数后，Claude 将停止搜索；每次搜索都会计费</translation>
    </message>
    <message>
        <source>Sites searched</source>
        <translation>搜索的网站</translation>
    </message>
    <message>
        <source>The API takes a list of allowed sites or a list of blocked ones, never both</source>
        <translation>API 只接受允许网站列表或屏蔽网站列表，不能同时使用两者</translation>
    </message>
    <message>
        <source>List of sites</source>
        <translation>网站列表</translation>
    </message>
    <message>
        <source>example.com, python.org</source>
        <translation>example.com, python.org</translation>
    </message>
    <message>
        <source>Site names separated by commas; a path narrows a site (example.com/blog)</source>
        <translation>网站名称以逗号分隔；加上路径可缩小范围（example.com/blog）</translation>
    </message>
    <message>
        <source>Tell searches roughly where I am</source>
        <translation>让搜索知道我的大致位置</translation>
    </message>
    <message>
        <source>Approximate location</source>
        <translation>大致位置</translation>
    </message>
    <message>
        <source>Off: searches do not know where you are. On: only what you fill in below is sent</source>
        <translation>关闭：搜索不知道你在哪里。开启：只发送你在下方填写的内容</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地区</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>国家/地区</translation>
    </message>
    <message>
        <source>FR</source>
        <translation>CN</translation>
    </message>
    <message>
        <source>A two-letter ISO 3166 code, such as FR, US or JP</source>
        <translation>两个字母的 ISO 3166 代码，例如 CN、US 或 JP</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>时区</translation>
    </message>
    <message>
        <source>An IANA time zone name, such as Europe/Paris</source>
        <translation>IANA 时区名称，例如 Asia/Shanghai</translation>
    </message>
    <message>
        <source>Read web pages</source>
        <translation>读取网页</translation>
    </message>
    <message>
        <source>Web fetch</source>
        <translation>网页抓取</translation>
    </message>
    <message>
        <source>Claude reads pages whose address is already in the conversation</source>
        <translation>Claude 读取网址已出现在对话中的网页</translation>
    </message>
    <message>
        <source>Cite the pages read</source>
        <translation>引用所读取的网页</translation>
    </message>
    <message>
        <source>Citations of fetched pages</source>
        <translation>抓取网页的引用</translation>
    </message>
    <message>
        <source>Longest page read, in tokens</source>
        <translation>读取网页的最大长度（token）</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> token</translation>
    </message>
    <message>
        <source>A longer page is cut to about this many tokens</source>
        <translation>更长的网页会被截断至约此数量的 token</translation>
    </message>
    <message>
        <source>Run code in a sandbox</source>
        <translation>在沙盒中运行代码</translation>
    </message>
    <message>
        <source>Code execution</source>
        <translation>代码执行</translation>
    </message>
    <message>
        <source>In a container on Anthropic&apos;s side, not on this computer</source>
        <translation>在 Anthropic 端的容器中运行，而不是在这台电脑上</translation>
    </message>
    <message>
        <source>Sites</source>
        <translation>网站</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Citations</source>
        <translation>引用</translation>
    </message>
    <message>
        <source>Page length</source>
        <translation>网页长度</translation>
    </message>
    <message>
        <source>Not a site name: {entries}. Write names such as example.com (a path may follow: example.com/blog).</source>
        <translation>不是网站名称：{entries}。请填写 example.com 这样的名称（后面可以跟路径：example.com/blog）。</translation>
    </message>
    <message>
        <source>List at least one site, or choose “Any site”: the API takes no empty list.</source>
        <translation>请至少列出一个网站，或选择“任何网站”：API 不接受空列表。</translation>
    </message>
    <message>
        <source>“{code}” is not a country code: two letters, such as FR or US.</source>
        <translation>“{code}”不是国家/地区代码：应为两个字母，例如 CN 或 US。</translation>
    </message>
    <message>
        <source>“{zone}” is not a time zone name, such as Europe/Paris or America/New_York.</source>
        <translation>“{zone}”不是时区名称，时区名称应类似 Asia/Shanghai 或 America/New_York。</translation>
    </message>
    <message>
        <source>Fill in at least one of city, region, country or time zone, or turn the location off.</source>
        <translation>请至少填写城市、地区、国家/地区或时区中的一项，或关闭位置。</translation>
    </message>
    <message>
        <source>Anthropic bills searches per search and code by the container&apos;s time, besides tokens.</source>
        <translation>除 token 外，Anthropic 还按次数对搜索计费，按容器运行时间对代码执行计费。</translation>
    </message>
    <message>
        <source>{0} and {1}</source>
        <translation>{0}和{1}</translation>
    </message>
    <message>
        <source>{model} cannot use {tools}.</source>
        <translation>{model} 无法使用{tools}。</translation>
    </message>
    <message>
        <source>This model</source>
        <translation>此模型</translation>
    </message>
</context>
<context>
    <name>ServerToolsTab</name>
    <message>
        <source>These tools run on Anthropic&apos;s side. New conversations offer the ones turned on here; each conversation can change this in its options.</source>
        <translation>这些工具在 Anthropic 端运行。新对话会提供此处开启的工具；每个对话都可以在自己的选项中更改。</translation>
    </message>
</context>
<context>
    <name>ServersTab</name>
    <message>
        <source>Details…</source>
        <translation>详细信息…</translation>
    </message>
    <message>
        <source>Why, and the last lines the server wrote</source>
        <translation>原因，以及服务器最后输出的几行</translation>
    </message>
    <message>
        <source>Sign in…</source>
        <translation>登录…</translation>
    </message>
    <message>
        <source>Open the server&apos;s sign-in page in your browser; it comes back to Cairn</source>
        <translation>在浏览器中打开该服务器的登录页面；登录后会回到 Cairn</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>重启</translation>
    </message>
    <message>
        <source>Stop the server and start it again</source>
        <translation>停止服务器并重新启动</translation>
    </message>
    <message>
        <source>Import from Claude Desktop…</source>
        <translation>从 Claude Desktop 导入…</translation>
    </message>
    <message>
        <source>Add the servers of Claude Desktop&apos;s claude_desktop_config.json</source>
        <translation>添加 Claude Desktop 的 claude_desktop_config.json 中的服务器</translation>
    </message>
    <message>
        <source>Changes to servers are saved at once; Cancel does not undo them.</source>
        <translation>对服务器的更改会立即保存；“取消”不会撤销这些更改。</translation>
    </message>
    <message>
        <source>Servers</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>No servers yet. Add one, or import those of Claude Desktop.</source>
        <translation>还没有服务器。可以添加一个，或从 Claude Desktop 导入。</translation>
    </message>
    <message>
        <source>Remove server</source>
        <translation>移除服务器</translation>
    </message>
    <message>
        <source>Remove “{name}”? Its settings and the values kept for it in the keyring are deleted.</source>
        <translation>要移除“{name}”吗？它的设置以及密钥环中为它保存的值都会被删除。</translation>
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
        <source>Send images at full resolution</source>
        <translation>以完整分辨率发送图片</translation>
    </message>
    <message>
        <source>Full-resolution images</source>
        <translation>完整分辨率图片</translation>
    </message>
    <message>
        <source>Up to 8000 px on the long side; costs more.</source>
        <translation>长边最大 8000 像素；费用更高。</translation>
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
        <source>Restart now</source>
        <translation>立即重启</translation>
    </message>
    <message>
        <source>Save these settings, close Cairn and start it again in the new language</source>
        <translation>保存这些设置，关闭 Cairn 并以新语言重新启动</translation>
    </message>
    <message>
        <source>Name new conversations after the first reply</source>
        <translation>在第一次回复后为新对话命名</translation>
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
        <source>A short, cheap request.</source>
        <translation>一次简短、低成本的请求。</translation>
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
        <source>Claude&apos;s tools</source>
        <translation>Claude 的工具</translation>
    </message>
    <message>
        <source>MCP servers</source>
        <translation>MCP 服务器</translation>
    </message>
    <message>
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>Send the message</source>
        <translation>发送消息</translation>
    </message>
    <message>
        <source>New line in the message</source>
        <translation>在消息中换行</translation>
    </message>
    <message>
        <source>Stop the reply</source>
        <translation>停止回复</translation>
    </message>
    <message>
        <source>New conversation</source>
        <translation>新建对话</translation>
    </message>
    <message>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <source>Previous conversation</source>
        <translation>上一个对话</translation>
    </message>
    <message>
        <source>Next conversation</source>
        <translation>下一个对话</translation>
    </message>
    <message>
        <source>Rename the selected conversation (in the list)</source>
        <translation>重命名所选对话（在列表中）</translation>
    </message>
    <message>
        <source>Delete the selected conversation (in the list)</source>
        <translation>删除所选对话（在列表中）</translation>
    </message>
    <message>
        <source>Paste text or an image</source>
        <translation>粘贴文本或图片</translation>
    </message>
    <message>
        <source>Attach images or PDFs</source>
        <translation>附加图片或 PDF</translation>
    </message>
    <message>
        <source>Send an edited message</source>
        <translation>发送编辑后的消息</translation>
    </message>
    <message>
        <source>Show or hide the sidebar</source>
        <translation>显示或隐藏侧边栏</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>This list of shortcuts</source>
        <translation>本快捷键列表</translation>
    </message>
    <message>
        <source>About Cairn</source>
        <translation>关于 Cairn</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
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
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>New chat (Ctrl+N)</source>
        <translation>新对话（Ctrl+N）</translation>
    </message>
    <message>
        <source>Search conversations (Ctrl+F)</source>
        <translation>搜索对话（Ctrl+F）</translation>
    </message>
    <message>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>No conversation matches.</source>
        <translation>没有匹配的对话。</translation>
    </message>
    <message>
        <source>Showing {listed} of {matches} matches: type more to narrow them.</source>
        <translation>显示 {matches} 个匹配中的 {listed} 个：继续输入以缩小范围。</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Unpin</source>
        <translation>取消置顶</translation>
    </message>
    <message>
        <source>Pin to top</source>
        <translation>置顶</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>As Markdown…</source>
        <translation>导出为 Markdown…</translation>
    </message>
    <message>
        <source>As JSON…</source>
        <translation>导出为 JSON…</translation>
    </message>
    <message>
        <source>Files on Anthropic…</source>
        <translation>Anthropic 上的文件…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>SidebarFooter</name>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Settings (Ctrl+,)</source>
        <translation>设置（Ctrl+,）</translation>
    </message>
    <message>
        <source>Import, export, keyboard shortcuts and About</source>
        <translation>导入、导出、键盘快捷键和关于</translation>
    </message>
    <message>
        <source>More</source>
        <translation>更多</translation>
    </message>
    <message>
        <source>No API key</source>
        <translation>没有 API 密钥</translation>
    </message>
    <message>
        <source>Click to add your API key</source>
        <translation>点击添加你的 API 密钥</translation>
    </message>
    <message>
        <source>Key: environment</source>
        <translation>密钥：环境变量</translation>
    </message>
    <message>
        <source>API key {key}, from the ANTHROPIC_API_KEY environment variable</source>
        <translation>API 密钥 {key}，来自环境变量 ANTHROPIC_API_KEY</translation>
    </message>
    <message>
        <source>Key: keyring</source>
        <translation>密钥：密钥环</translation>
    </message>
    <message>
        <source>API key {key}, kept in the system keyring</source>
        <translation>API 密钥 {key}，保存在系统密钥环中</translation>
    </message>
    <message>
        <source>Key: session</source>
        <translation>密钥：仅本次</translation>
    </message>
    <message>
        <source>API key {key}, kept for this session only (no keyring)</source>
        <translation>API 密钥 {key}，仅在本次会话中保留（没有密钥环）</translation>
    </message>
    <message>
        <source>Key set</source>
        <translation>已设置密钥</translation>
    </message>
    <message>
        <source>API key {key}</source>
        <translation>API 密钥 {key}</translation>
    </message>
    <message>
        <source>Import conversations…</source>
        <translation>导入对话…</translation>
    </message>
    <message>
        <source>Export all data…</source>
        <translation>导出全部数据…</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>About Cairn</source>
        <translation>关于 Cairn</translation>
    </message>
</context>
<context>
    <name>StartupNotice</name>
    <message>
        <source>“{title}” was saved by a newer version of Cairn. It is shown read-only and will not be changed.</source>
        <translation>“{title}”由更新版本的 Cairn 保存，将以只读方式显示，不会被修改。</translation>
    </message>
    <message>
        <source>{count} conversations were saved by a newer version of Cairn: {titles}. They are shown read-only and will not be changed.</source>
        <translation>{count} 个对话由更新版本的 Cairn 保存：{titles}。它们将以只读方式显示，不会被修改。</translation>
    </message>
    <message>
        <source>A conversation file could not be opened: {problem}</source>
        <translation>无法打开一个对话文件：{problem}</translation>
    </message>
    <message>
        <source>Your settings were saved by a newer version of Cairn. They are used as far as this version understands them, and changes are not saved.</source>
        <translation>你的设置由更新版本的 Cairn 保存。本版本会尽量使用它们，但不会保存更改。</translation>
    </message>
    <message>
        <source>not valid JSON (line {line}, column {column})</source>
        <translation>不是有效的 JSON（第 {line} 行，第 {column} 列）</translation>
    </message>
    <message>
        <source>not UTF-8 text</source>
        <translation>不是 UTF-8 文本</translation>
    </message>
    <message>
        <source>not a JSON object</source>
        <translation>不是 JSON 对象</translation>
    </message>
    <message>
        <source>an unknown format version</source>
        <translation>格式版本未知</translation>
    </message>
    <message>
        <source>Your settings file could not be read ({reason}); it was set aside and defaults are in use.</source>
        <translation>无法读取你的设置文件（{reason}）；它已被移到一旁，现在使用默认设置。</translation>
    </message>
    <message>
        <source>{count} conversation files could not be opened and were set aside in {folder} (each renamed to NAME.unreadable-DATE, its content unchanged):</source>
        <translation>无法打开 {count} 个对话文件，已将它们移到一旁，位于 {folder}（各自改名为 NAME.unreadable-DATE，内容未改动）：</translation>
    </message>
    <message>
        <source>{count} conversation files could not be opened; those marked “set aside” were renamed to NAME.unreadable-DATE in {folder}, their content unchanged:</source>
        <translation>无法打开 {count} 个对话文件；标有“已移到一旁”的文件已在 {folder} 中改名为 NAME.unreadable-DATE，内容未改动：</translation>
    </message>
    <message>
        <source>{count} conversation files could not be opened and were left as they are:</source>
        <translation>无法打开 {count} 个对话文件，它们保持原样：</translation>
    </message>
    <message>
        <source>{name}: {reason} (set aside)</source>
        <translation>{name}：{reason}（已移到一旁）</translation>
    </message>
    <message>
        <source>{name}: {reason}</source>
        <translation>{name}：{reason}</translation>
    </message>
    <message>
        <source>…and {count} more (the log lists every one).</source>
        <translation>……以及另外 {count} 个（日志中列出了全部）。</translation>
    </message>
</context>
<context>
    <name>StoredFilesDialog</name>
    <message>
        <source>Files on Anthropic</source>
        <translation>Anthropic 上的文件</translation>
    </message>
    <message>
        <source>Files of “{title}” stored on Anthropic&apos;s side for code execution. They go when the conversation is deleted; delete one here to free space sooner.</source>
        <translation>“{title}”为代码执行存储在 Anthropic 端的文件。删除对话时它们会随之删除；也可以在此删除文件，尽早释放空间。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>From</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>过期时间</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Asking Anthropic which files are stored…</source>
        <translation>正在向 Anthropic 查询存储了哪些文件…</translation>
    </message>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>Code execution</source>
        <translation>代码执行</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Nothing of this conversation is stored on Anthropic&apos;s side.</source>
        <translation>本对话在 Anthropic 端没有存储任何内容。</translation>
    </message>
    <message>
        <source>Deleting…</source>
        <translation>正在删除…</translation>
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
    <name>ThinkingRow</name>
    <message>
        <source>Show or hide Claude&apos;s thinking</source>
        <translation>显示或隐藏 Claude 的思考过程</translation>
    </message>
    <message>
        <source>1 word</source>
        <translation>1 个词</translation>
    </message>
    <message>
        <source>{count} words</source>
        <translation>{count} 个词</translation>
    </message>
    <message>
        <source>Thinking…</source>
        <translation>正在思考…</translation>
    </message>
    <message>
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <source>(part redacted)</source>
        <translation>（部分已隐去）</translation>
    </message>
    <message>
        <source>Thinking redacted for safety</source>
        <translation>出于安全原因，思考内容已隐去</translation>
    </message>
    <message>
        <source>Thinking hidden by the model</source>
        <translation>模型未显示思考内容</translation>
    </message>
</context>
<context>
    <name>ToolCallRow</name>
    <message>
        <source>Waiting for your approval</source>
        <translation>等待你的批准</translation>
    </message>
    <message>
        <source>Running… {seconds} s</source>
        <translation>正在运行… {seconds} 秒</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Not run</source>
        <translation>未运行</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>Done · {seconds}</source>
        <translation>完成 · {seconds}</translation>
    </message>
    <message>
        <source>Failed · {seconds}</source>
        <translation>失败 · {seconds}</translation>
    </message>
    <message>
        <source>Denied</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>Timed out · {seconds}</source>
        <translation>超时 · {seconds}</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Not available</source>
        <translation>不可用</translation>
    </message>
    <message>
        <source>Tool call {name}: {status}</source>
        <translation>工具调用 {name}：{status}</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>(Showing the first {shown} of {total} characters; Claude received all of it.)</source>
        <translation>（显示了 {total} 个字符中的前 {shown} 个；Claude 收到的是全部内容。）</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>(no text)</source>
        <translation>（无文字）</translation>
    </message>
    <message>
        <source>Image returned by the tool</source>
        <translation>工具返回的图片</translation>
    </message>
</context>
<context>
    <name>ToolChoiceTree</name>
    <message>
        <source>Servers and tools offered</source>
        <translation>提供的服务器和工具</translation>
    </message>
    <message>
        <source>No servers yet.</source>
        <translation>还没有服务器。</translation>
    </message>
    <message>
        <source>Its tools are listed once it is ready</source>
        <translation>就绪后会列出它的工具</translation>
    </message>
    <message>
        <source>Offer the tools of “{name}”</source>
        <translation>提供“{name}”的工具</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>Its server says this tool changes nothing</source>
        <translation>它的服务器声明此工具不会更改任何内容</translation>
    </message>
</context>
<context>
    <name>ToolRounds</name>
    <message>
        <source>These tool servers are not ready, so their tools are not offered in this reply: {servers}. Settings → MCP servers shows why.</source>
        <translation>以下工具服务器尚未就绪，因此本次回复不提供它们的工具：{servers}。原因见“设置 → MCP 服务器”。</translation>
    </message>
    <message>
        <source>These tools have definitions the API would refuse, so they are not offered: {tools}.</source>
        <translation>以下工具的定义会被 API 拒绝，因此不提供：{tools}。</translation>
    </message>
    <message>
        <source>“Always allow” could not be saved: {error}. It holds until Cairn closes.</source>
        <translation>无法保存“始终允许”：{error}。它在 Cairn 关闭前仍然有效。</translation>
    </message>
</context>
<context>
    <name>ToolsTab</name>
    <message>
        <source>Each conversation can change this in its options.</source>
        <translation>每个对话都可以在自己的选项中更改。</translation>
    </message>
    <message>
        <source>Run them without asking</source>
        <translation>运行时不再询问</translation>
    </message>
    <message>
        <source>Run read-only tools without asking</source>
        <translation>运行只读工具时不再询问</translation>
    </message>
    <message>
        <source>Tools their server marks read-only. Cairn takes the server&apos;s word for it: use this only with servers you trust.</source>
        <translation>指服务器标记为只读的工具。Cairn 会采信服务器的说法：请只对你信任的服务器使用此选项。</translation>
    </message>
    <message>
        <source>Time limit per tool call in seconds</source>
        <translation>每次工具调用的时间限制（秒）</translation>
    </message>
    <message>
        <source> s</source>
        <comment>seconds</comment>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Tool rounds per reply</source>
        <translation>每条回复的工具轮数</translation>
    </message>
    <message>
        <source>After this many rounds of tool calls a reply stops and offers Continue</source>
        <translation>工具调用达到此轮数后，回复会暂停并提供“继续”</translation>
    </message>
    <message>
        <source>Offered by default</source>
        <translation>默认提供</translation>
    </message>
    <message>
        <source>Always allowed</source>
        <translation>始终允许</translation>
    </message>
    <message>
        <source>Read-only tools</source>
        <translation>只读工具</translation>
    </message>
    <message>
        <source>Time limit per call</source>
        <translation>每次调用时限</translation>
    </message>
</context>
<context>
    <name>TransferOps</name>
    <message>
        <source>Export conversation</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <source>Back up all conversations</source>
        <translation>备份所有对话</translation>
    </message>
    <message>
        <source>Zip archive</source>
        <translation>Zip 压缩包</translation>
    </message>
    <message>
        <source>Import conversations</source>
        <translation>导入对话</translation>
    </message>
    <message>
        <source>Cairn backups, exported conversations, claude.ai exports</source>
        <translation>Cairn 备份、导出的对话、claude.ai 导出文件</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>所有文件</translation>
    </message>
    <message>
        <source>Importing {name}…</source>
        <translation>正在导入 {name}…</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
</context>
<context>
    <name>Translations</name>
    <message>
        <source>System default ({0})</source>
        <translation>系统默认（{0}）</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <source>Show Cairn</source>
        <translation>显示 Cairn</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>TurnActions</name>
    <message>
        <source>This conversation is read-only (saved by a newer Cairn). Start a new one to chat.</source>
        <translation>此对话为只读（由更新版本的 Cairn 保存）。请新建一个对话来聊天。</translation>
    </message>
    <message>
        <source>An attachment is still being prepared; send again in a moment.</source>
        <translation>仍有附件正在准备中，请稍后再发送。</translation>
    </message>
    <message>
        <source>No model is available. Check your connection and key.</source>
        <translation>没有可用的模型。请检查网络连接和 API 密钥。</translation>
    </message>
</context>
<context>
    <name>UserMessageWidget</name>
    <message>
        <source>Your message</source>
        <translation>你的消息</translation>
    </message>
    <message>
        <source>Edit your message</source>
        <translation>编辑你的消息</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Send the edited message (Ctrl+Enter)</source>
        <translation>发送编辑后的消息（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Keep the message as it was (Esc)</source>
        <translation>保留原消息（Esc）</translation>
    </message>
    <message>
        <source>Sending the edit starts a new version; the old one is kept.</source>
        <translation>发送修改会创建一个新版本，旧版本仍会保留。</translation>
    </message>
    <message>
        <source>Not sent to Claude any more: Claude declined it. Edit it to ask differently.</source>
        <translation>已不再发送给 Claude：Claude 拒绝了这条请求。可编辑后换个方式提问。</translation>
    </message>
    <message>
        <source>Showing the first {shown} of {total} characters.</source>
        <translation>共 {total} 个字符，当前显示前 {shown} 个。</translation>
    </message>
    <message>
        <source>Show all</source>
        <translation>全部显示</translation>
    </message>
    <message>
        <source>Show all of your message</source>
        <translation>显示你的消息的全部内容</translation>
    </message>
    <message>
        <source>Message copied</source>
        <translation>已复制消息</translation>
    </message>
    <message>
        <source>[image missing]</source>
        <translation>[图片缺失]</translation>
    </message>
    <message>
        <source>image</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>File for code execution · {name}</source>
        <translation>用于代码执行的文件 · {name}</translation>
    </message>
    <message>
        <source>Image link: {url}</source>
        <translation>图片链接：{url}</translation>
    </message>
    <message>
        <source>document</source>
        <translation>文档</translation>
    </message>
    <message>
        <source>{pages} pages</source>
        <translation>{pages} 页</translation>
    </message>
</context>
</TS>
