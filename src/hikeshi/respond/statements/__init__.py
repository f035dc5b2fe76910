"""Statements: the position paper, drafts drafted from it, their approval and publication.

`papers` holds the facts, `drafts` turns them into the holding statement, お詫び, press release, SNS posts,
想定問答, call-centre script and press-conference kit, `export` writes Markdown, DOCX and PDF, and `approval`
moves a stored statement from draft to published, writing each step on the incident's timeline. The linter
lives in `lint/`. Everything here takes and returns records, so the CLI and the web call the same functions.
"""
