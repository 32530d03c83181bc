"""The page's own words (buttons, headings, prompts), in the run's language: `ui` of GET /api/form.

The page shows these by key; what it shows of the applicant file (labels, help, choices) comes from the
layout, and what it shows of the check from the report. Keys are listed in docs/serve.md.
"""

from __future__ import annotations

from haizhi_cli.applicant import OPINION_LINES, OPINION_UNIT_NAME
from haizhi_cli.i18n import STATUS_LABELS, current_lang, label, later, translated_later

PAGE_WORDS = {
    "title": later("海智计划基地申报表"),
    "findings": later("检查结果"),
    "verdict": later("结论"),
    "save": later("保存"),
    "saved": later("已保存"),
    "unsaved": later("有未保存的修改"),
    "reload": later("重新载入"),
    "changed_on_disk": later("文件在载入后已被其他程序修改。重新载入会丢失本页的修改；保存会被拒绝。"),
    "comments_lost": later("表单保存不保留文件中的注释"),
    "new": later("新建申报文件"),
    "choose_type": later("请选择基地类型"),
    "no_file": later("此文件夹中还没有 applicant.yaml"),
    "import": later("导入 Word 申报表"),
    "import_notes": later("导入时的提示"),
    "build": later("生成材料包"),
    "build_exists": later("材料包文件夹 packet/ 已存在，要替换它吗？"),
    "draft": later("草稿：尚不符合申报条件或材料不齐"),
    "built_files": later("已生成的文件"),
    "attachments": later("附件"),
    "upload": later("上传 PDF"),
    "overwrite": later("同名文件已存在，要替换它吗？"),
    "pages": later("页数"),
    "problems": later("问题"),
    "chars": later("字数"),
    "over_limit": later("超出字数限制"),
    "explain": later("通知原文"),
    "not_on_form": later("申报表以外的内容"),
    "add_row": later("添加一行"),
    "remove_row": later("删除此行"),
    "none_mark": later("无"),
    "error": later("出错了"),
    "checking": later("检查中…"),
    "counting": later("计数中…"),
    "char_unit": later("字"),
    "help_toggle": later("说明"),
    "quote_hide": later("收起原文"),
    "go_to_field": later("转到该项"),
    "yes": later("是"),
    "no": later("否"),
    "none_selected": later("（未选择）"),
    "create_button": later("新建"),
    "reload_discard": later("重新载入（放弃本页修改）"),
    "cancel": later("取消"),
    "ok": later("确定"),
    "replace": later("替换"),
    "save_then_build": later("先保存，再生成"),
    "unsaved_build": later("本页有未保存的修改。材料包按已保存的文件生成。"),
    "uploading": later("上传中…"),
    "uploaded": later("已上传"),
    "page_unit": later("页"),
    "no_files": later("（还没有文件）"),
    "imported": later("已导入，尚未保存。请核对后保存。"),
    "building": later("正在生成材料包…"),
    "leave": later("有未保存的修改。"),
    "verdict_unknown": later("尚未检查"),
    "fix_then_reload": later("请在编辑器中改正后重新载入本页；本页不会改写它。"),
    "generated": later("由 haizhi 按下文“建设方案”生成，无需上传。"),
    "not_asked": later("本基地类型无需提供。"),
    "explain_more": later("检查说明（haizhi explain）"),
}
"""The page's own words (buttons, headings, prompts) by key, translated when the page asks for them."""



def ui_texts() -> dict[str, str]:
    """Every text of the page by its key, translated now (call it inside `speaking(lang)`): the page's own
    words, the findings' status words as every report names them, and 八's signature lines as the form prints
    them (in Chinese, as on paper)."""
    return {**_page_words(), **_status_words(), **_signature_lines()}


def _status_words() -> dict[str, str]:
    return {f"status.{code}": label(STATUS_LABELS, code, current_lang()) for code in STATUS_LABELS}


def _signature_lines() -> dict[str, str]:
    leader, stamp, date = OPINION_LINES
    return {"sign_unit": OPINION_UNIT_NAME, "sign_leader": leader, "sign_stamp": stamp, "sign_date": date}


def _page_words() -> dict[str, str]:
    return {key: translated_later(text) for key, text in PAGE_WORDS.items()}
