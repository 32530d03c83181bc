"""English translations of haizhi's messages, keyed by the Chinese template used in the code."""

from __future__ import annotations

EN: dict[str, str] = {
    # building
    "申报单位不符合申报条件或材料不齐，未生成材料包；加 --draft 可生成草稿":
        "the applicant is not eligible or its materials are incomplete, so no packet was built; add --draft to build a draft",
    "写入 {out} 失败：{reason}；已写的内容已清除，原有文件未改动":
        "writing {out} failed: {reason}; what had been written was removed, and existing files are unchanged",
    "输出文件夹的上级目录不存在：{parent}": "the folder that should hold the output folder does not exist: {parent}",
    "没有写入权限：{parent}；请换一个输出位置（-o）": "no permission to write in {parent}; choose another output location (-o)",
    "输出位置应为一个新的文件夹名（如 -o 申报材料），不能是当前目录或根目录":
        "the output location must be the name of a new folder (such as -o packet), not the current directory or the root directory",
    "输出文件夹包含申报文件或其附件，生成时会覆盖它们；请换一个输出位置":
        "the output folder holds the applicant file or its attachments, which building would overwrite; choose another output location",
    "输出文件夹已存在，未做任何改动；确需替换请加 --force":
        "the output folder already exists; nothing was changed. Add --force if it really should be replaced",
    "输出位置是一个文件，不是文件夹；请换一个输出位置": "the output location is a file, not a folder; choose another output location",
    "输出文件夹不是 haizhi 生成的材料包（没有 manifest.json），--force 也不会替换它；请换一个输出位置":
        "the output folder is not a packet built by haizhi (it has no manifest.json), so even --force will not replace it; choose another output location",
    "输出文件夹 {out} 在生成期间被创建（另一次生成或其他程序），未替换它；本次生成的内容已清除。请换一个输出位置，或确认后加 --force 重新生成":
        "the output folder {out} was created while the packet was being built (by another build or another program) and was not replaced; what this build wrote was removed. Choose another output location, or build again with --force once you are sure",
    "输出文件夹 {out} 不是 haizhi 生成的材料包（没有 manifest.json），--force 也不会替换它；本次生成的内容已清除，请换一个输出位置":
        "the output folder {out} is not a packet built by haizhi (it has no manifest.json), so even --force will not replace it; what this build wrote was removed. Choose another output location",
    "输出文件夹 {out} 在生成期间被占用；原有的文件夹已移到 {retired}，请自行处理":
        "the output folder {out} was taken while the packet was being built; the folder that was there has been moved to {retired}, please deal with it yourself",
    "另一次生成正在写入 {out}（锁文件 {lock}）；请稍后重试，或确认没有其他生成后删除该锁文件":
        "another build is writing {out} (lock file {lock}); try again shortly, or delete the lock file once you are sure no other build is running",
    "注意：旧的材料包已被替换，但无法删除，留在 {retired}；请手动删除":
        "note: the old packet was replaced but could not be removed; it is left at {retired}, please delete it yourself",
    "生成申报表": "Writing the application form (申报表)",
    "生成建设方案": "Writing the construction plan (建设方案)",
    "生成支持函代拟稿": "Writing the draft support letter (支持函代拟稿)",
    "生成公示代拟稿": "Writing the draft public notice (公示代拟稿)",
    "生成材料清单": "Writing the cover and checklist (材料清单)",
    "装订材料包": "Binding the packet (packet.pdf)",
    "未找到 LibreOffice（soffice）；请安装 LibreOffice（Debian：libreoffice-writer-nogui），或去掉 --engine libreoffice 使用内置排版":
        "LibreOffice (soffice) was not found; install LibreOffice (Debian: libreoffice-writer-nogui), or leave out --engine libreoffice to use the built-in layout",
    "LibreOffice 转换 {name} 失败：{output}": "LibreOffice could not convert {name}: {output}",
    # fontset
    "字段 {source} 中": "in the field {source}",
    "文档的固定文字中": "in the fixed text of the document",
    "{where}的字符“{char}”（U+{code:04X}）没有任何可用字体能显示，无法生成 PDF。请安装含有该字符的字体（生僻字可装 Noto Serif CJK SC 或思源宋体等完整中文字体），或用 --font（或环境变量 {env}）指定含有该字符的字体文件；若该字符是误输入，请在申报文件中改正。":
        "no available font can show the character “{char}” (U+{code:04X}) {where}, so the PDF cannot be made. Install a font that has it (for a rare character, a complete Chinese font such as Noto Serif CJK SC or Source Han Serif), or name a font file that has it with --font (or the environment variable {env}); if the character was typed by mistake, correct it in the applicant file.",
    "环境变量 {name}": "the environment variable {name}",
    "{origin} 指定的字体文件不存在（或不是文件）：{path}": "the font file named by {origin} does not exist (or is not a file): {path}",
    "{origin} 指定的文件 {path} 不是可用的字体：请使用 .ttf、.otf、.ttc 或 .otc 字体文件":
        "the file {path} named by {origin} is not a usable font: use a .ttf, .otf, .ttc or .otc font file",
    "{origin} 指定的字体文件无法读取：{path}（{error}）；请换用完好的 .ttf 或 .otf 字体":
        "the font file named by {origin} cannot be read: {path} ({error}); use an intact .ttf or .otf font",
    "{origin} 指定的字体 {name} 不含常用汉字，不能作为申报材料的主字体；请换用中文字体（如 simsun.ttc、Noto Serif CJK SC）":
        "the font {name} named by {origin} lacks common Chinese characters and cannot be the main font of the application documents; use a Chinese font (such as simsun.ttc or Noto Serif CJK SC)",
    "字体没有 Unicode 字符映射表（cmap）": "the font has no Unicode character map (cmap)",
    # pdf_writer
    "无法写入 PDF 文件 {path}：{reason}": "cannot write the PDF file {path}: {reason}",
    # loading (shared with models and rules: the list separators, 应为文本, 日期 … 不存在)
    "、": ", ",
    "；": "; ",
    "（顶层）": "(top level)",
    "这是一个文件夹，不是文件": "this is a folder, not a file",
    "不是普通文件（设备、管道等），未读取": "not a regular file (a device, a pipe or the like); not read",
    "文件过大（{size:,} 字节，上限 {limit:,} 字节），未读取":
        "the file is too large ({size:,} bytes, the limit is {limit:,} bytes); not read",
    "文件不存在，请检查路径": "the file does not exist; check the path",
    "无法读取文件：{reason}": "cannot read the file: {reason}",
    "文件过大（超过 {limit:,} 字节的上限），未读取": "the file is too large (over the limit of {limit:,} bytes); not read",
    "文件不是 UTF-8 编码（第 {position} 字节 0x{value:02X} 无法解码）；请在编辑器中以 UTF-8 编码另存（WPS/记事本：另存为 → 编码选 UTF-8）":
        "the file is not encoded in UTF-8 (byte {position}, 0x{value:02X}, cannot be decoded); save it again as UTF-8 in your editor (WPS/Notepad: Save As → Encoding: UTF-8)",
    "YAML 语法错误：{problem}": "YAML syntax error: {problem}",
    "文件为空：没有任何内容": "the file is empty: it has no content",
    "文件只能包含一个 YAML 文档（不要用 --- 分隔多个文档）":
        "the file may hold only one YAML document (do not separate documents with ---)",
    "YAML 锚点 {anchor} 重复定义；每个锚点只能定义一次": "the YAML anchor {anchor} is defined twice; define each anchor only once",
    "YAML 不允许用 Tab 缩进，请改用空格": "YAML does not allow indenting with tabs; indent with spaces",
    "无法解析": "cannot be parsed",
    "YAML 语法错误：{problem}；请检查缩进、冒号后的空格和引号是否成对":
        "YAML syntax error: {problem}; check the indentation, the space after each colon, and that quotes come in pairs",
    "文件含有不允许的控制字符 U+{code:04X}，请删除它（常见于从其他软件复制的文字）":
        "the file contains the control character U+{code:04X}, which is not allowed; delete it (it often comes with text copied from other software)",
    "项数超过 {limit:,} 个（列表、映射与值合计），申报文件不需要这么多项，未读取":
        "more than {limit:,} items (lists, mappings and values together); an applicant file needs far fewer, not read",
    "嵌套超过 {depth} 层（含别名展开），申报文件不需要这么深的结构":
        "nested more than {depth} levels deep (aliases expanded); an applicant file needs no structure this deep",
    "YAML 别名（*）引用了自身，无法展开": "a YAML alias (*) refers to itself and cannot be expanded",
    "YAML 锚点与别名（& 与 *）展开后超过 {limit:,} 个节点，已拒绝；申报文件无需如此使用别名":
        "the YAML anchors and aliases (& and *) would expand to more than {limit:,} nodes; refused. An applicant file has no need of aliases like these",
    "键 {key} 重复出现（{places}）；只保留一个，删除另一个": "the key {key} appears twice ({places}); keep one and delete the other",
    "键必须是简单文本，不能是列表或映射": "a key must be plain text, not a list or a mapping",
    "不支持 YAML 合并键（<<）；请直接写出每个键": "YAML merge keys (<<) are not supported; write out every key",
    "键 {key!r} 应为文本（年份等整数也可），请改写或加引号":
        "the key {key!r} must be text (or an integer such as a year); rewrite it or put it in quotes",
    "日期 {value} 不存在，请检查年、月、日": "the date {value} does not exist; check the year, month and day",
    "无法按 {kind} 读取值 {value!r}": "cannot read the value {value!r} as {kind}",
    "数字 {value} 的写法无法确定含义（YAML 会把它读成别的数）；请写普通十进制数字，如 350 或 12.5；如确是文字，请加引号":
        "the number {value} is written in a way whose meaning is unclear (YAML would read it as a different number); write a plain decimal number such as 350 or 12.5, or put it in quotes if it is text",
    "不支持的 YAML 标签 {tag}；申报文件只能包含文本、数字、日期、列表和映射":
        "the YAML tag {tag} is not supported; an applicant file may contain only text, numbers, dates, lists and mappings",
    "第 {line} 行第 {first} 列与第 {second} 列": "line {line}, columns {first} and {second}",
    "第 {first} 行与第 {second} 行": "lines {first} and {second}",
    "文件顶层应为映射（键: 值），实际是{kind}": "the top level of the file must be a mapping (key: value), but it is {kind}",
    "缺少 format 键": "the key format is missing",
    "format: {value!r} 不受支持": "format: {value!r} is not supported",
    "{problem}；本版 haizhi 读取 format: 1 的申报文件": "{problem}; this version of haizhi reads applicant files of format: 1",
    "{problem}；可用的申报年度：{rounds}": "{problem}; the rounds available: {rounds}",
    "缺少 round 键": "the key round is missing",
    "round 应为整数年份，如 2023（现为 {value!r}）": "round must be a year written as an integer, such as 2023 (it is {value!r})",
    "round: {value} 没有对应的规则": "round: {value} has no rules",
    "列表": "a list",
    "文本": "text",
    "数字": "a number",
    "布尔值": "a yes/no value (true or false)",
    "空值": "empty (null)",
    "{key}（第 {line} 行）：{message}": "{key} (line {line}): {message}",
    "共 {count} 处问题；{first}": "{count} problems; {first}",
    "缺少必填键；确实没有请填“无”": "a required key is missing; if there really is none, write “无” (none)",
    "缺少必填键": "a required key is missing",
    "取值 {value!r} 无效，可选：{choices}": "the value {value!r} is not valid; choose one of: {choices}",
    "应为日期，格式 YYYY-MM-DD（如 2023-09-01）": "must be a date written YYYY-MM-DD (such as 2023-09-01)",
    "应为映射（键: 值）": "must be a mapping (key: value)",
    "应为整数": "must be an integer",
    "应为 true 或 false": "must be true or false",
    "应为日期，不要带时间": "must be a date, without a time of day",
    "应为列表（每项以“- ”开头）": "must be a list (each item starting with “- ”)",
    "应为文本": "must be text",
    "键应为文本": "keys must be text",
    "未知的键 {key}，是否应为 {guess}？": "unknown key {key}; did you mean {guess}?",
    "未知的键 {key}；此处可用的键：{keys}": "unknown key {key}; the keys allowed here: {keys}",
    # models
    "“{value}”是全角数字，请改用半角数字 {half}": "“{value}” is written in full-width digits; write the half-width digits {half}",
    "应为非负整数或“无”，不要加引号或单位": "must be a non-negative integer or “无” (none), without quotes or units",
    "应为非负数或“无”，不要加引号或单位": "must be a non-negative number or “无” (none), without quotes or units",
    "数值过大（超过 {limit:,}），请检查单位（面积为平方米，经费为万元）":
        "the number is too large (over {limit:,}); check the unit (areas are in square metres, funds in units of 10,000 yuan)",
    "不能为负数": "must not be negative",
    "应为文本；纯数字请加引号（如 \"13812345678\"），以免前导 0 丢失":
        "must be text; put digits in quotes (such as \"13812345678\") so that a leading 0 is not lost",
    "不能为空；确实没有请填“无”": "must not be empty; if there really is none, write “无” (none)",
    "超过 {limit:,} 个字符的上限，请精简": "longer than the limit of {limit:,} characters; shorten it",
    "第 {position} 个字符是看不见的格式字符 U+{code:04X}（如零宽空格），打印时不显示、字体也无法绘制；请删除它（常见于从网页或 Word 复制的文字）":
        "character {position} is the invisible format character U+{code:04X} (such as a zero-width space), which does not print and no font can draw; delete it (it often comes with text copied from web pages or Word)",
    "第 {position} 个字符是控制字符 U+{code:04X}，Word 文档无法容纳；请删除它（常见于从其他软件复制的文字）":
        "character {position} is the control character U+{code:04X}, which a Word document cannot hold; delete it (it often comes with text copied from other software)",
    "应为日期，不要带时间（如 2023-09-01）": "must be a date, without a time of day (such as 2023-09-01)",
    "年份应写为数字，如 2024": "a year must be written as a number, such as 2024",
    # errors
    "<输入>": "<input>",
    # rules
    "条款编号 {clause!r} 不符合引用格式（如 一（一）2（2）、二（三）、申报表七5、填表说明四）":
        "the clause {clause!r} does not follow the citation format (such as 一（一）2（2）, 二（三）, 申报表七5 or 填表说明四)",
    "规则 {rule}：未知的运算符 {op!r}；可用：{known}": "rule {rule}: unknown operator {op!r}; the operators available: {known}",
    "规则 {rule}：缺少以下结果的消息：{missing}": "rule {rule}: messages are missing for these outcomes: {missing}",
    "规则 {rule}：引用了不存在的事实 {ref!r}（见 facts.yaml）": "rule {rule}: refers to a fact that does not exist, {ref!r} (see facts.yaml)",
    "规则 {rule}：per 只能是 base_type": "rule {rule}: per can only be base_type",
    "规则 {rule}：引用的事实 {name} 在 facts.yaml 中没有给出": "rule {rule}: the fact {name} it refers to is not given in facts.yaml",
    "divisions 应为本轮文件夹中行政区划数据文件的文件名（如 divisions.yaml）":
        "divisions must be the file name of the division data in the round's folder (such as divisions.yaml)",
    "facts.yaml 所指的行政区划数据文件 {name} 不存在": "the division data file {name} that facts.yaml names does not exist",
    "{key}：{problem}": "{key}: {problem}",
    "参数": "parameters",
    "规则 {rule}：运算符 {op} 的参数有误：{problems}": "rule {rule}: the parameters of operator {op} are wrong: {problems}",
    "规则编号 {rule} 重复（另见 {file} 第 {line} 行）": "the rule id {rule} is used twice (see also {file}, line {line})",
    # command line, batch and output files
    '检查中国科协海智计划基地申报材料是否符合申报通知，并生成申报材料包。':
        'Check applications for CAST Haizhi Plan bases against the notice, and build the submission packet.',
    '逐条检查申报文件：符合申报条件吗？材料齐全吗？\n\n可给文件，也可给文件夹（其下所有含顶层 format: 键的 YAML 文件和文件名含“申报表”的 .docx 都会检查）；Word 申报表按 haizhi import 的读法读取，表中没有的项为待审核，旁边的 PDF 按文件名对应申报表七；不给时检查当前文件夹，给 - 时从标准输入读取。退出状态：0 全部通过，1 有不通过项（加 --strict 时警告也算），2 有文件无法读取。\n\n\x08\n示例：\n  haizhi check applicant.yaml\n  haizhi check\n  haizhi check - < applicant.yaml\n  haizhi check --explain applicant.yaml\n  haizhi check 申报材料/ --summary 汇总.xlsx --jobs 4\n  haizhi check 收到的申报/某单位/申报表.docx\n  haizhi check --format github submissions/\n  haizhi check --format json applicant.yaml > report.json':
        'Check applicant files clause by clause: is the applicant eligible, are its materials complete?\n\nGive files, or folders (every YAML file below them with a top-level format: key, and every .docx whose name holds the Chinese title of the form, shenbaobiao, is checked); a Word form is read as haizhi import reads it, what it does not hold is to be reviewed, and the PDFs beside it are matched to section 7 of the form by name; with none, the current folder is checked, and - reads the applicant file from standard input. Exit status: 0 nothing failed, 1 a finding failed (with --strict, a warning too), 2 a file could not be read.\n\n\x08\nExamples:\n  haizhi check applicant.yaml\n  haizhi check\n  haizhi check - < applicant.yaml\n  haizhi check --explain applicant.yaml\n  haizhi check submissions/ --summary summary.xlsx --jobs 4\n  haizhi check received/unit/form.docx\n  haizhi check --format github submissions/\n  haizhi check --format json applicant.yaml > report.json',
    '先检查，再生成申报表、建设方案、材料清单、支持函与公示代拟稿（Word 与 PDF），装订为 packet.pdf。\n\n\x08\n示例：\n  haizhi build-packet applicant.yaml -o 申报材料\n  haizhi build-packet --draft -o 草稿\n  haizhi build-packet applicant.yaml -o 申报材料 --force\n  haizhi build-packet --blank -o 空白表':
        'Check, then write the application form, the construction plan, the checklist and the drafts of the support letter and the public notice (Word and PDF), bound into packet.pdf.\n\n\x08\nExamples:\n  haizhi build-packet applicant.yaml -o packet\n  haizhi build-packet --draft -o draft\n  haizhi build-packet applicant.yaml -o packet --force\n  haizhi build-packet --blank -o blank',
    '把申报表（.docx）读回为申报文件（YAML，format 1），以便用 haizhi check 检查。\n\n可读 haizhi 生成的申报表，也可读 build-packet --blank 的空白申报表在 Word、WPS 中填好的。表中没有的项写为带注释的占位内容；读取时的提示逐条写到标准错误。不给 -o 时把 YAML 输出到屏幕；不覆盖已有文件（除非加 --force）。\n\n\x08\n示例：\n  haizhi import 空白表/申报表.docx -o applicant.yaml\n  haizhi import 申报表.docx > applicant.yaml\n  haizhi import 申报表.docx -o applicant.yaml --force':
        'Read an application form (.docx) back into an applicant file (YAML, format 1), ready for haizhi check.\n\nIt reads a form haizhi made, or the blank one from build-packet --blank filled in with Word or WPS. What the form does not ask is written as commented placeholders; each note from reading goes to standard error, one a line. Without -o the YAML goes to standard output; an existing file is never overwritten (unless --force).\n\n\x08\nExamples:\n  haizhi import blank/form.docx -o applicant.yaml\n  haizhi import form.docx > applicant.yaml\n  haizhi import form.docx -o applicant.yaml --force',
    '写一份带注释的申报文件模板：每个键的中文名称、所依据的条款与要求都写在注释里。不覆盖已有文件（除非加 --force）。\n\n\x08\n示例：\n  haizhi init --type work_base -o applicant.yaml\n  haizhi init --type offshore_base -o 离岸基地/applicant.yaml':
        'Write a commented applicant file to fill in: every key with its Chinese name, the clause and the requirement it feeds, in comments. Never overwrites a file (unless --force).\n\n\x08\nExamples:\n  haizhi init --type work_base -o applicant.yaml\n  haizhi init --type offshore_base -o offshore/applicant.yaml',
    '输出申报文件（format 1）的 JSON Schema，含中文标题与说明；VS Code 的 YAML 插件据此补全和检查。\n\n\x08\n示例：\n  haizhi schema -o applicant-format-1.schema.json\n  haizhi schema > schema.json':
        "Print the JSON Schema of the applicant file (format 1), with Chinese titles and descriptions, for completion and checking in VS Code's YAML extension.\n\n\x08\nExamples:\n  haizhi schema -o applicant-format-1.schema.json\n  haizhi schema > schema.json",
    '列出某一年度的全部规则：编号、条款、类别与要求。\n\n\x08\n示例：\n  haizhi rules\n  haizhi rules --type offshore_base\n  haizhi rules --rules 新规则/ --round 2024':
        'List every rule of a round: id, clause, category and requirement.\n\n\x08\nExamples:\n  haizhi rules\n  haizhi rules --type offshore_base\n  haizhi rules --rules new-rules/ --round 2024',
    '说明一条规则：引用的通知原文、检查什么、要求多少，以及一个通过和一个不通过的例子。\n\n\x08\n示例：\n  haizhi explain work_base.service_area\n  haizhi explain --lang en common.public_notice':
        'Explain one rule: the clause of the notice it quotes, what it checks, what it requires, and an example that passes and one that fails.\n\n\x08\nExamples:\n  haizhi explain work_base.service_area\n  haizhi explain --lang en common.public_notice',
    '报告与提示的语言：zh 或 en（也可设环境变量 HAIZHI_LANG，或在设置文件中写 lang）。':
        'Language of reports and messages: zh or en (or set HAIZHI_LANG, or lang in the settings file).',
    '按此日期判断申报是否已截止（默认今天；也可设环境变量 HAIZHI_AS_OF，或在设置文件中写 as_of）。':
        'Judge the deadline as of this day (default: today; or set HAIZHI_AS_OF, or as_of in the settings file).',
    '使用包外的规则文件夹（含 2024/facts.yaml 这样的年度子文件夹，或年度文件夹本身），如发布前试用新一年的规则（也可设环境变量 HAIZHI_RULES，或在设置文件中写 rules）。':
        "Use a rule folder outside the package (holding round folders such as 2024/facts.yaml, or one round folder), e.g. to try a new round's rules before a release (or set HAIZHI_RULES, or rules in the settings file).",
    '不用颜色（输出不是终端或设了 NO_COLOR 时自动关闭）。':
        'No colour (off anyway when output is not a terminal or NO_COLOR is set).',
    '错误：{message}':
        'error: {message}',
    '已中断。':
        'Interrupted.',
    'haizhi 内部错误：{kind}: {exc}\n这是 haizhi 的缺陷，不是您的文件的问题；设置 HAIZHI_DEBUG=1 可看到详细信息，请附上报告。':
        'haizhi internal error: {kind}: {exc}\nThis is a defect of haizhi, not of your file; set HAIZHI_DEBUG=1 to see the details and include them in a report.',
    '显示版本号并退出。':
        'Show the version and exit.',
    '申报文件（YAML，format 1）、Word 申报表（.docx）或包含它们的文件夹，可给多个；- 表示标准输入；不给时为当前文件夹。':
        'Applicant files (YAML, format 1), Word application forms (.docx) or folders holding them; several may be given; - is standard input; none: the current folder.',
    '输出格式：text（表格）、concise（每项一行：路径:行:列: 状态 规则 条款 说明）、json（公开格式）、junit（CI 测试报告）或 github（GitHub Actions 注释）。默认：输出到终端时为 text，否则为 concise。':
        'Output format: text (tables), concise (a line per finding: path:line:col: status rule clause message), json (the public report format), junit (CI test report) or github (GitHub Actions annotations). Default: text on a terminal, else concise.',
    '每项结果另列读取的键、值与所用规则。':
        'Also show, for each finding, the key and value read and the rule applied.',
    '只列不通过与警告项；待审核项计入每个文件的结论行。':
        "List only failing findings and warnings; reviews are counted in each file's verdict line.",
    '有不通过项也以 0 退出（结果照常报告）；有文件无法读取时仍以 2 退出。':
        'Exit 0 even when a finding fails (the findings are reported as usual); a file that cannot be read still exits 2.',
    '有警告项时也以 1 退出。':
        'Exit 1 when a finding warns, too.',
    '已为 {shell} 安装命令补全：{path}\n重新打开终端后生效。':
        '{shell} completion installed in {path}\nCompletion will take effect once you restart the terminal.',
    '--exit-zero 与 --strict 不能同时使用：前者从不因结果失败，后者连警告也算失败':
        '--exit-zero and --strict cannot be used together: the first never fails on findings, the second fails on warnings too',
    '- （标准输入）只能单独给出，不能与其他文件或文件夹一起检查':
        '- (standard input) must be given on its own, not with other files or folders',
    '汇总表只写为 Excel 文件（.xlsx，WPS 也可打开）：{path} 不以 .xlsx 结尾；请改为如 汇总.xlsx 的文件名（逐项结果的文本可用 --format concise 或 json 输出）':
        'the summary is written only as an Excel file (.xlsx, which WPS opens too): {path} does not end in .xlsx; use a name such as summary.xlsx (for the findings as text, use --format concise or json)',
    '无法读取设置文件 {path}：{reason}':
        'cannot read the settings file {path}: {reason}',
    '设置文件 {path} 中有不认识的键：{keys}；可用的键：{known}':
        'the settings file {path} has keys haizhi does not know: {keys}; the keys are: {known}',
    '设置文件 {path} 中 as_of 的值“{value}”不是日期，应为 YYYY-MM-DD（如 2023-09-01）':
        'as_of in the settings file {path} is "{value}", not a date; write YYYY-MM-DD (such as 2023-09-01)',
    '设置文件 {path} 中 lang 的值“{value}”不可用，可选：zh、en':
        'lang in the settings file {path} is "{value}"; it may be zh or en',
    '设置文件 {path} 中 rules 应为一个文件夹的路径':
        'rules in the settings file {path} should be the path of a folder',
    '同时检查的进程数（文件多时更快）。实际最多 min(此数, 文件数, CPU 数 × 2) 个；haizhi 结束（包括被强行终止）时它们随之结束。':
        'Number of processes checking at once (faster for many files). At most min(this number, files, CPUs × 2) are started; they end when haizhi ends, even when it is killed.',
    '另写一份 Excel 汇总表（.xlsx，WPS 可打开）：每个申报一行，第二页列出全部不通过项。':
        'Also write an Excel summary (.xlsx, opens in WPS): one row per applicant, every failing finding on a second sheet.',
    '--summary 的文件已存在时覆盖它。':
        'Overwrite the --summary file if it exists.',
    '申报文件（默认为当前文件夹的 applicant.yaml；加 --blank 时不给）。':
        'Applicant file (default: applicant.yaml in the current folder; none with --blank).',
    '只写一份空白申报表（申报表.docx，正式版式），在 Word/WPS 中填好后用 haizhi import 读回；不读申报文件，也不检查。':
        'Write only the blank application form (a .docx in the official layout) to fill in with Word or WPS and read back with haizhi import; no applicant file is read and nothing is checked.',
    '要读取的申报表（.docx）。':
        'The application form to read (.docx).',
    '输出文件夹。':
        'Output folder.',
    '输出文件夹已存在时替换它。':
        'Replace the output folder if it exists.',
    '不符合条件或材料不齐也生成，每页标注“草稿”。':
        'Build even when the applicant is not eligible or incomplete, marking every page as a draft.',
    'PDF 使用的中文字体文件（也可设环境变量 HAIZHI_FONT）。':
        'Chinese font file for the PDFs (or set HAIZHI_FONT).',
    'PDF 排版：fpdf（内置）或 libreoffice。':
        'PDF typesetting: fpdf (built in) or libreoffice.',
    '基地类型：该年度开放申报的一类（规则文件 facts.yaml 的 open_types）。':
        'Base type: one the round is open to (open_types in the rules\' facts.yaml).',
    '写到此文件。':
        'Write to this file.',
    '模板第一行指向的 JSON Schema 地址；不给时在模板旁写一份 applicant-format-1.schema.json。':
        'JSON Schema address for the first line of the file; without it, applicant-format-1.schema.json is written beside the file.',
    '文件已存在时覆盖它。':
        'Overwrite the file if it exists.',
    '写到此文件（默认或给 - 时输出到标准输出）。':
        'Write to this file (default, or -: standard output).',
    '申报年度（默认为规则中最新的一年）。':
        'Round (default: the latest round of the rules).',
    '只列适用于此基地类型的规则。':
        'List only the rules for this base type.',
    '规则编号，如 work_base.service_area（见 haizhi rules）。':
        'Rule id, e.g. work_base.service_area (see haizhi rules).',
    ' 等':
        ' and more',
    '正在检查':
        'Checking',
    '文件夹中没有申报文件（含顶层 format: 键的 .yaml/.yml 文件）':
        'the folder holds no applicant file (.yaml/.yml file with a top-level format: key)',
    '注意：跳过 {count} 个不是申报文件的 YAML 文件（没有顶层 format: 键）：{names}{more}':
        'note: passed over {count} YAML files that are not applicant files (no top-level format: key): {names}{more}',
    '注意：跳过 {count} 个文件名不含“申报表”的 Word 文件：{names}{more}':
        'note: passed over {count} Word files whose names do not say “申报表” (application form): {names}{more}',
    '此处不能检查 Word 申报表：{path}': 'a Word application form (申报表) cannot be checked here: {path}',
    '申报表{part} “{label}”': 'form part {part}, “{label}”',
    '{cell}与申报表中没有的 {keys} 一起判断，须按原件核对：{message}':
        '{cell} is judged together with {keys}, which the form has no place for; confirm it from the originals: {message}',
    '{cell}为空或未能读出（见读取提示），须核对：{message}':
        '{cell} is empty or could not be read (see the reading remarks); to be confirmed: {message}',
    '申报表不写明哪个 PDF 是哪项附件（已按文件名对应），须核对：{message}':
        'the form does not say which PDF is which attachment (matched by file name); to be confirmed: {message}',
    '申报表中没有这一项，须按原件或附件核对：{message}':
        'the form has no place for this; confirm it from the originals or attachments: {message}',
    '{file}：文件名像是支持函，但申报表七1 只有一份，已对应前面的一份；须人工核对':
        '{file}: its name says support letter, but item “七1” is one letter and an earlier one was matched; to be sorted by hand',
    '读取申报表：{warning}': 'reading the form: {warning}',
    '{file}：按文件名无法对应申报表七的任何一项，须人工核对':
        '{file}: its name matches no item of section “七” (other materials); to be sorted by hand',
    '{file}：按文件名对应{clause} {title}，须核对': '{file}: by its name, {clause} {title}; to be confirmed',
    '已写出汇总表 {path}':
        'summary written to {path}',
    '下一步：按注释填写 {out}，然后运行 haizhi check {out}':
        'next: fill in {out} as its comments say, then run haizhi check {out}',
    '没有 {round} 年度的规则；可用的申报年度：{rounds}':
        'no rules for the round {round}; rounds available: {rounds}',
    '已写出 {path}':
        'written: {path}',
    '没有给出申报文件，当前文件夹中也没有 {default}；请给出申报文件，或加 --blank 只写一份空白申报表':
        'no applicant file was given and there is no {default} in the current folder; name the applicant file, or add --blank to write only a blank form',
    '--blank 只写空白申报表，不读申报文件；请去掉 {file}，或去掉 --blank':
        '--blank writes only the blank form and reads no applicant file; leave out {file}, or leave out --blank',
    '下一步：在 Word 或 WPS 中填写 {path}，然后运行 haizhi import {path} -o applicant.yaml':
        'next: fill in {path} with Word or WPS, then run haizhi import {path} -o applicant.yaml',
    '{path}: 提示: {warning}':
        '{path}: note: {warning}',
    '已写出 {path}，读取时的提示 {count} 条':
        'written: {path}; notes from reading: {count}',
    '下一步：核对提示，把“{placeholder}”等占位内容改为真实情况，然后运行 haizhi check {out}':
        'next: review the notes, replace the placeholders such as “{placeholder}” with the real facts, then run haizhi check {out}',
    '规则文件夹 {folder} 不存在或不是文件夹':
        'rule folder {folder} does not exist or is not a folder',
    '规则文件夹 {folder} 中没有任何申报年度（应有 2024/facts.yaml 这样的子文件夹）':
        'rule folder {folder} holds no round (expected subfolders such as 2024/facts.yaml)',
    '规则文件有误，无法检查：{exc}':
        'a rule file is broken, nothing was checked: {exc}',
    '规则文件夹 {folder} 含 facts.yaml，但文件夹名不是申报年度（如 2024）；请把它命名为年度，或给出它的上一级文件夹':
        'rule folder {folder} holds facts.yaml but is not named by its round (e.g. 2024); rename it, or give its parent folder',
    '文件结构过于复杂，无法检查':
        'the file is nested too deeply to be checked',
    'haizhi 内部错误（{kind}: {exc}），请附上此文件报告问题':
        'haizhi internal error ({kind}: {exc}); please report it with this file',
    '{path} 是一个文件夹；请给出文件名':
        '{path} is a folder; give a file name',
    '{path} 已存在，未覆盖；确认要替换它请加 --force':
        '{path} exists and was not overwritten; add --force to replace it',
    '文件夹 {folder} 不存在；请先创建它':
        'folder {folder} does not exist; create it first',
    # explaining
    '未知的规则 {rule_id}；是否应为 {near}？':
        'unknown rule {rule_id}; did you mean {near}?',
    '未知的规则 {rule_id}；运行 haizhi rules 可列出全部规则':
        'unknown rule {rule_id}; haizhi rules lists every rule',
    '此规则不读取申报文件中的键，结果取决于检查的日期':
        'this rule reads no key of the applicant file; its finding depends on the day of the check',
    '未填写时没有检查结果：没有可检查的内容':
        'a missing value gives no finding: there is nothing to check',
    '未填写时为“{status}”':
        'a missing value is {status}',
    '未填写时为“{status}”：由审核人员确认':
        'a missing value is {status}: a reviewer confirms',
    '{count} 个汉字':
        '{count} Han characters',
    '示例修改后的申报数据不合格式：{error}':
        'the example applicant with these changes does not fit the format: {error}',
    '内置示例中没有文件 {files}，所以此示例在内置示例上没有得到预期的结果':
        'the bundled example holds no file {files}, so this example does not come out as intended on it',
    '此示例在内置示例上没有得到预期的结果':
        'this example does not come out as intended on the bundled example',
    '没有找到此规则所适用类型的内置示例，示例无法运行':
        'no bundled example of the types this rule applies to was found; its examples cannot be run',
    '此规则没有示例：它的结果只取决于检查的日期（--as-of，默认今天），与申报文件的内容无关':
        'this rule has no examples: its finding depends only on the day of the check (--as-of, default today), '
        'not on the applicant file',
    '此规则没有示例':
        'this rule has no examples',
    '共 {count} 条规则':
        '{count} rules',
    '规则':
        'rule',
    '条款':
        'clause',
    '类别':
        'category',
    '适用类型':
        'base types',
    '要求':
        'requirement',
    '通知原文（条款 {clause}）':
        'the notice (clause {clause})',
    '检查什么':
        'what is checked',
    '读取的键':
        'keys read',
    '依据数据':
        'data used',
    'rules/{round}/{file}（来源：{source}；数据时间：{date}）':
        'rules/{round}/{file} (source: {source}; data as of: {date})',
    '缺少数据时':
        'when the value is missing',
    '示例':
        'examples',
    '条款 {clause}':
        'clause {clause}',
    '适用于 {types}':
        'applies to {types}',
    '通过的示例（改动 {folder}）':
        'passing example (changes to {folder})',
    '不通过的示例（改动 {folder}）':
        'failing example (changes to {folder})',
    '警告的示例（改动 {folder}）':
        'example giving a warning (changes to {folder})',
    '待审核的示例（改动 {folder}）':
        'example left for review (changes to {folder})',
    '结果：':
        'finding:',
    '用法：python -m haizhi_cli.reports._ruledocs 文件夹 [申报年度]':
        'usage: python -m haizhi_cli.reports._ruledocs FOLDER [ROUND]',
    '已写出 {count} 个规则页面到 {folder}，删除 {deleted} 个过时页面':
        'wrote {count} rule pages to {folder}, deleted {deleted} stale pages',
    # skeleton
    "{label}（{code}）{round} 年度不接受申报，没有可填写的模板":
        "{code} ({label}) is not accepted in {round}; there is no template for it",
    "{path} 已存在，且与本版 haizhi 的 JSON Schema 不同；如要覆盖，请加 --force":
        "{path} already exists and differs from this version's JSON Schema; add --force to overwrite it",
    "无法读取 {path}：{reason}": "cannot read {path}: {reason}",
    "无法写入 {path}：{reason}": "cannot write {path}: {reason}",
    # reporting
    "正在生成材料包…": "Building the packet…",
    # importing
    "无法打开 Word 文件（不是 .docx 或已损坏）；请在 Word 或 WPS 中打开它，另存为 .docx 后再导入":
        "cannot open the Word file (it is not a .docx, or it is damaged); open it in Word or WPS, save it as .docx and import that",
    "这是旧版 Word/WPS 文件（.doc/.wps），无法读取；请在 Word 或 WPS 中另存为 .docx 后再导入":
        "this is an old Word/WPS file (.doc/.wps), which cannot be read; save it as .docx in Word or WPS and import that",
    "附件 {file} 在检查之后被替换或改为链接，未复制；已停止生成，请确认附件后重新生成":
        "the attachment {file} was replaced, or turned into a link, after the check; it was not copied and the build stopped: check the attachment and build again",
    "Word 文件的正文解压后超过 {limit:,} 字节，不像申报表，未读取":
        "the Word file's body unpacks to more than {limit:,} bytes; it is not an application form, not read",
    "Word 文件的正文超过 {limit:,} 个元素，不像申报表，未读取":
        "the Word file's body has more than {limit:,} elements; it is not an application form, not read",
    "这不是海智计划基地申报表：没有找到“一、基本信息”表格；请导入 haizhi 生成的申报表，或填写 haizhi build-packet --blank 生成的空白申报表":
        "this is not a Haizhi base application form (申报表): no table “一、基本信息” was found; import a form haizhi made, or fill in the blank one from haizhi build-packet --blank",
    "输出文件不能是要导入的申报表本身；请用 -o 给出 .yaml 文件名":
        "the output file cannot be the form being imported; give a .yaml file name with -o",
    "封面上没有找到申报年度（如“（2023年）”），按 {round} 年度读取":
        "the cover names no year (such as “（2023年）”); read as the {round} round",
    "申报表的年度 {found} 没有对应的规则，按 {round} 年度读取":
        "there are no rules for the form's year {found}; read as the {round} round",
    "封面与“一、基本信息”的{label}不一致（“{cover}”与“{table}”），已采用“一、基本信息”中的":
        "{label} differs between the cover and “一、基本信息” (“{cover}” and “{table}”); the one in “一、基本信息” was taken",
    "{cell}：申报表中没有这一栏": "{cell}: the form has no such cell",
    "{cell}：申报表中没有这一部分": "{cell}: the form has no such section",
    "{cell}：未填写": "{cell}: left empty",
    "{cell}：删除了 {count} 个看不见的格式字符（如零宽空格）":
        "{cell}: {count} invisible formatting characters (such as zero-width spaces) were removed",
    "{cell}：超过 {limit:,} 个字符的上限，未读入，原文保留为注释":
        "{cell}: over the limit of {limit:,} characters; not read, the text is kept as a comment",
    "{cell}：“{value}”无法读作数字": "{cell}: “{value}” cannot be read as a number",
    "{cell}：“{value}”不是整数": "{cell}: “{value}” is not a whole number",
    "{cell}：“{value}”无法读作日期": "{cell}: “{value}” cannot be read as a date",
    "{cell}：日期“{value}”不存在": "{cell}: there is no such day as “{value}”",
    "{cell}：其中的表格已逐格读作文字，请核对":
        "{cell}: the table in it was read as text, cell by cell; check it",
    "{cell}：“{value}”不是基地类型，按基地名称读作“{label}”，请核对":
        "{cell}: “{value}” is not a base type; read as “{label}” from the base name, check it",
    "{cell}：未填写，按基地名称读作“{label}”，请核对":
        "{cell}: left empty; read as “{label}” from the base name, check it",
    "{cell}：没有读出基地类型，暂按 {code} 写出，请改为实际类型":
        "{cell}: no base type could be read; written as {code} for now, change it to the real type",
    # --- sign ---
    "把签字盖章后扫描的页放进材料包：写出 packet-signed.pdf，扫描页替换材料包中对应的页，页码、书签与页码标签不变；"
    "packet.pdf 与 manifest.json 不改动。\n\n默认替换申报表“六、申报单位负责人承诺”的最后一页与“八、单位意见”的各页"
    "（按书签找到）；扫描件的页数须与要替换的页数一致。\n\n\b\n示例：\n  haizhi sign 申报材料 签章页.pdf\n"
    "  haizhi sign 申报材料 签章页.pdf --pages 5,6\n  haizhi sign 申报材料 签章页.pdf --pages 6 -o 签章版.pdf --force":
        "Put the scans of the signed and stamped pages into the packet: writes packet-signed.pdf, where the scanned "
        "pages replace the packet's corresponding pages, page numbers, bookmarks and page labels kept; packet.pdf "
        "and manifest.json are not changed.\n\nBy default the last page of the form's “六、申报单位负责人承诺” and "
        "the pages of “八、单位意见” are replaced (found by the bookmarks); the scan must have as many pages as "
        "the pages replaced.\n\n\b\nExamples:\n  haizhi sign packet signed-pages.pdf\n"
        "  haizhi sign packet signed-pages.pdf --pages 5,6\n"
        "  haizhi sign packet signed-pages.pdf --pages 6 -o signed.pdf --force",
    "build-packet 的输出文件夹（含 packet.pdf）。": "The output folder of build-packet (holding packet.pdf).",
    "签字盖章后扫描的页（PDF），按要替换的页的顺序。":
        "The scanned signed and stamped pages (PDF), in the order of the pages they replace.",
    "要替换的页：材料包上印的页码（如 5,6 或 5-6），或申报表的部分（如 六,八）。":
        "The pages to replace: the numbers printed on the packet's pages (e.g. 5,6 or 5-6), or sections of the "
        "form (e.g. 六,八).",
    "写到此文件（默认为材料包文件夹中的 packet-signed.pdf）。":
        "Write to this file (default: packet-signed.pdf in the packet folder).",
    "已写出签章版 {path}：共 {pages} 页，替换了第 {replaced} 页（SHA-256 {sha}）":
        "written: the signed packet {path}: {pages} pages, page(s) {replaced} replaced (SHA-256 {sha})",
    "扫描件有 {scanned} 页，而要替换的页有 {expected} 页（第 {numbers} 页）；页数不一致，未生成签章版。"
    "请扫描这些页，或用 --pages 指定要替换的页":
        "the scan has {scanned} page(s) but {expected} page(s) are to be replaced (page(s) {numbers}); the counts "
        "differ, no signed packet was written. Scan those pages, or name the pages to replace with --pages",
    "不是 haizhi 生成的材料包文件夹（其中没有 {packet}）；请给出 build-packet 的输出文件夹":
        "not a packet folder made by haizhi (there is no {packet} in it); give the output folder of build-packet",
    "签章版不能写到输入文件上；请换一个输出位置（-o）":
        "the signed packet cannot be written over an input file; choose another output (-o)",
    "PDF 已加密，无法读取；请提供未加密的 PDF": "the PDF is encrypted and cannot be read; give an unencrypted PDF",
    "无法读取此 PDF 文件：{reason}": "cannot read this PDF file: {reason}",
    "--pages 中的“{token}”不是页码（如 5 或 5-6）也不是申报表的部分（如 六、八）":
        "“{token}” in --pages is neither a page number (e.g. 5 or 5-6) nor a section of the form (e.g. 六, 八)",
    "材料包中没有印着第 {number} 页的页面（页码为 1–{last}）":
        "the packet has no page numbered {number} (its pages are numbered 1–{last})",
    "书签中找不到“{heading}”；请用 --pages 给出要替换的页码":
        "no bookmark “{heading}”; name the pages to replace with --pages",
    "没有“{title}”书签，不是 haizhi 装订的材料包；请用 --pages 给出要替换的页码":
        "no bookmark “{title}”: not a packet haizhi bound; name the pages to replace with --pages",
    "{cell}：勾选了多项（{names}），只能勾选一项；暂按 {code} 写出，请改为实际类型":
        "{cell}: several types are ticked ({names}), tick only one; written as {code} for now, change it to the real type",
    "{cell}：勾选了多项（{names}），只能勾选一项；按基地名称读作“{label}”，请核对":
        "{cell}: several types are ticked ({names}), tick only one; read as “{label}” from the base name, check it",
    "{cell}：三种类型都没有勾选（在所选类型前的 ☐ 处打 ☑、☒、■ 或 √）；暂按 {code} 写出，请改为实际类型":
        "{cell}: no type is ticked (put ☑, ☒, ■ or √ in the ☐ before the type chosen); written as {code} for now, change it to the real type",
    "{cell}：三种类型都没有勾选（在所选类型前的 ☐ 处打 ☑、☒、■ 或 √）；按基地名称读作“{label}”，请核对":
        "{cell}: no type is ticked (put ☑, ☒, ■ or √ in the ☐ before the type chosen); read as “{label}” from the base name, check it",
    # serve
    '在浏览器中填写申报表：启动仅本机可访问的服务（127.0.0.1），第一行输出带本次令牌的地址并打开浏览器。页面按申报表排列，边填边检查（与 haizhi check 相同），可上传附件、导入 Word 申报表、保存、生成材料包。文件夹中没有 applicant.yaml 时，页面先问基地类型，再按 haizhi init 的模板新建。按 Ctrl-C 停止。\n\n\x08\n示例：\n  haizhi serve\n  haizhi serve 申报材料/\n  haizhi serve --no-browser --port 8765':
        "Fill in the application form in a browser: starts a server reachable from this computer only (127.0.0.1), prints the address with this run's token as its first line and opens the browser. The page follows the application form (申报表) and checks as you type (as haizhi check does); it uploads attachments, imports a Word application form, saves and builds the packet. When the folder has no applicant.yaml, the page asks for the base type and creates one from haizhi init's template. Ctrl-C stops it.\n\n\x08\nExamples:\n  haizhi serve\n  haizhi serve applications/\n  haizhi serve --no-browser --port 8765",
    '申报文件 applicant.yaml 所在的文件夹（默认为当前文件夹）。':
        'The folder of the applicant file applicant.yaml (default: the current folder).',
    '监听的端口；0（默认）为自动选择一个空闲端口。':
        'The port to listen on; 0 (the default) picks a free port.',
    '不打开浏览器，只输出地址。':
        'Do not open a browser; only print the address.',
    '未知的基地类型：{value}':
        'unknown base type: {value}',
    '没有这个地址或文件':
        'no such address or file',
    '此地址不接受该请求方法':
        'this address does not accept that request method',
    '还没有保存的 applicant.yaml；请先保存':
        'there is no saved applicant.yaml yet; save first',
    '{out}/ 已存在；确认替换后再生成':
        '{out}/ already exists; confirm replacing it, then build again',
    '文件有错误，无法检查':
        'the file has errors and cannot be checked',
    '检查请求应含 data（对象）':
        'a check request must hold data (an object)',
    '请求的内容应为 JSON 对象':
        'the request body must be a JSON object',
    'haizhi serve：请从终端打开':
        'haizhi serve: open it from the terminal',
    '请打开运行 haizhi serve 的终端中显示的第一行地址（含 ?token=）。每次运行的地址都不同。':
        'Open the address on the first line printed in the terminal running haizhi serve (with ?token=). Each run has a different address.',
    '缺少或不是本次运行的令牌：请用终端中显示的地址打开本页':
        "no token, or not this run's token: open this page at the address printed in the terminal",
    '地址不对：请用终端中显示的地址（127.0.0.1）打开本页':
        'wrong address: open this page at the address printed in the terminal (127.0.0.1)',
    '拒绝来自其他网站的请求':
        'a request from another site is refused',
    '在浏览器中打开上面的地址即可填写 {path}（仅本机可访问）；按 Ctrl-C 停止。':
        'Open the address above in a browser to fill in {path} (reachable from this computer only); press Ctrl-C to stop.',
    '{folder} 不存在或不是文件夹；请给出申报文件所在的文件夹':
        '{folder} does not exist or is not a folder; give the folder of the applicant file',
    '无法在 {host}:{port} 上监听：{reason}；请换一个端口（--port 0 自动选择）':
        'cannot listen on {host}:{port}: {reason}; choose another port (--port 0 picks a free one)',
    '保存请求应含 data（对象）和 version（载入时的版本）':
        'a save request must hold data (an object) and version (the version loaded)',
    '{path} 在载入后已被其他程序修改（或删除），未保存。请重新载入后再改；若要保留本页的修改，请先复制出来。表单保存不保留文件中的注释':
        '{path} was changed (or deleted) by another program after it was loaded, so nothing was saved. Reload it and edit again; copy out the changes on this page first if you want to keep them. A form save does not keep the comments of the file',
    '{path} 已存在，未改动；请重新载入':
        '{path} already exists and was not changed; reload it',
    '海智计划基地申报表':
        'Haizhi base application form',
    '检查结果':
        'Findings',
    '结论':
        'Verdict',
    '保存':
        'Save',
    '已保存':
        'Saved',
    '有未保存的修改':
        'Unsaved changes',
    '重新载入':
        'Reload',
    '文件在载入后已被其他程序修改。重新载入会丢失本页的修改；保存会被拒绝。':
        'The file was changed by another program after it was loaded. Reloading loses the changes on this page; saving is refused.',
    '表单保存不保留文件中的注释':
        'A form save does not keep the comments of the file',
    '新建申报文件':
        'New applicant file',
    '请选择基地类型':
        'Choose the base type',
    '此文件夹中还没有 applicant.yaml':
        'This folder has no applicant.yaml yet',
    '导入 Word 申报表':
        'Import a Word application form (申报表)',
    '导入时的提示':
        'Notes from the import',
    '生成材料包':
        'Build the packet',
    '材料包文件夹 packet/ 已存在，要替换它吗？':
        'The packet folder packet/ already exists. Replace it?',
    '草稿：尚不符合申报条件或材料不齐':
        'Draft: not eligible yet, or materials incomplete',
    '已生成的文件':
        'Files written',
    '附件':
        'Attachments',
    '上传 PDF':
        'Upload a PDF',
    '同名文件已存在，要替换它吗？':
        'A file of that name already exists. Replace it?',
    '页数':
        'Pages',
    '问题':
        'Problems',
    '字数':
        'Characters',
    '超出字数限制':
        'Over the character limit',
    '通知原文':
        'Text of the notice',
    '申报表以外的内容':
        'Not on the form',
    '添加一行':
        'Add a row',
    '删除此行':
        'Remove this row',
    '无':
        'none (无)',
    '出错了':
        'Something went wrong',
    '文件超过 {limit} MB 的上限，未接收；请压缩或拆分后再上传':
        'the file is over the limit of {limit} MB and was not accepted; compress or split it, then upload again',
    'attachments/{name} 已存在，未覆盖；确认替换请再次上传并选择替换':
        'attachments/{name} already exists and was not overwritten; to replace it, upload again and choose to replace',
    '请求没有给出长度，无法接收':
        'the request does not give its length and cannot be accepted',
    '文件名“{name}”不可用：只能是文件名本身，不含路径、“..”，也不以“.”开头':
        'the file name “{name}” cannot be used: give a bare file name, without a path or “..”, not starting with “.”',
    '“{name}”不是可接收的文件：只接收 {kinds} 文件（按文件名和文件内容判断）':
        '“{name}” is not a file that can be accepted: only {kinds} files are (judged by name and content)',
    '{folder} 是符号链接或不是文件夹，不向其中写入；请改为普通文件夹':
        '{folder} is a symbolic link or not a folder, so nothing is written into it; make it a plain folder',
    '{name} 已存在，但不是普通文件（如符号链接），不替换它':
        '{name} exists but is not a regular file (a symbolic link, say), so it is not replaced',
    '请求中没有文件（表单字段 file）':
        'the request holds no file (form field file)',
    '已停止。':
        'stopped.',
    '请求过大（超过 {limit} MB），未处理':
        'the request is too large (over {limit} MB) and was not handled',
    '请求的格式不对：{reason}':
        'the request is malformed: {reason}',
    "检查中…":
        "Checking…",
    "计数中…":
        "Counting…",
    "字":
        "chars",
    "说明":
        "Help",
    "收起原文":
        "Hide clause text",
    "转到该项":
        "Go to the field",
    "是":
        "Yes",
    "否":
        "No",
    "（未选择）":
        "(not chosen)",
    "新建":
        "Create",
    "重新载入（放弃本页修改）":
        "Reload (discard this page's changes)",
    "取消":
        "Cancel",
    "确定":
        "OK",
    "替换":
        "Replace",
    "先保存，再生成":
        "Save, then build",
    "本页有未保存的修改。材料包按已保存的文件生成。":
        "This page has unsaved changes. The packet is built from the saved file.",
    "上传中…":
        "Uploading…",
    "已上传":
        "Uploaded",
    "页":
        "pages",
    "（还没有文件）":
        "(no files yet)",
    "已导入，尚未保存。请核对后保存。":
        "Imported, not saved yet. Check it, then save.",
    "有未保存的修改。":
        "There are unsaved changes.",
    "尚未检查":
        "Not checked yet",
    "请在编辑器中改正后重新载入本页；本页不会改写它。":
        "Correct it in an editor, then reload this page; the page will not rewrite it.",
    "由 haizhi 按下文“建设方案”生成，无需上传。":
        "Written by haizhi from the plan below; nothing to upload.",
    "本基地类型无需提供。":
        "Not asked of this base type.",
    "检查说明（haizhi explain）":
        "What is checked (haizhi explain)",
}
