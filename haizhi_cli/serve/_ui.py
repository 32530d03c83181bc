"""The page's own words (buttons, headings, prompts), in the run's language: `ui` of GET /api/form.

The page shows these by key; what it shows of the applicant file (labels, help, choices) comes from the
layout, and what it shows of the check from the report. Keys are listed in docs/serve.md.
"""

from __future__ import annotations

from haizhi_cli.i18n import tr


def ui_texts() -> dict[str, str]:
    """Every text of the page by its key, translated now (call it inside `speaking(lang)`)."""
    return {
        "title": tr("海智计划基地申报表"),
        "findings": tr("检查结果"),
        "verdict": tr("结论"),
        "save": tr("保存"),
        "saved": tr("已保存"),
        "unsaved": tr("有未保存的修改"),
        "reload": tr("重新载入"),
        "changed_on_disk": tr("文件在载入后已被其他程序修改。重新载入会丢失本页的修改；保存会被拒绝。"),
        "comments_lost": tr("表单保存不保留文件中的注释"),
        "new": tr("新建申报文件"),
        "choose_type": tr("请选择基地类型"),
        "no_file": tr("此文件夹中还没有 applicant.yaml"),
        "import": tr("导入 Word 申报表"),
        "import_notes": tr("导入时的提示"),
        "build": tr("生成材料包"),
        "build_exists": tr("材料包文件夹 packet/ 已存在，要替换它吗？"),
        "draft": tr("草稿：尚不符合申报条件或材料不齐"),
        "built_files": tr("已生成的文件"),
        "attachments": tr("附件"),
        "upload": tr("上传 PDF"),
        "overwrite": tr("同名文件已存在，要替换它吗？"),
        "pages": tr("页数"),
        "problems": tr("问题"),
        "chars": tr("字数"),
        "over_limit": tr("超出字数限制"),
        "explain": tr("通知原文"),
        "not_on_form": tr("申报表以外的内容"),
        "add_row": tr("添加一行"),
        "remove_row": tr("删除此行"),
        "none_mark": tr("无"),
        "error": tr("出错了"),
    }
