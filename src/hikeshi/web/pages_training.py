"""The training pages: a phone-first quiz, one item per screen, the explanation after each answer.

Any signed-in user takes the course under their login name: the first visit asks for the department and the
role, then the pre-test, the post-test and the result. A scenario unfolds one step per screen; the choices made
so far travel in the form (nothing is stored until the last step, so a half-played scenario is simply asked
again). Each answer form carries the sitting and the item id, so a stale page or a double tap is refused (409)
instead of scoring twice. Admins see the department summaries and download the completion CSV.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hikeshi.errors import ConflictError, HikeshiError, InputError
from hikeshi.respond.playbooks import default_playbook
from hikeshi.respond.training import (
    BankItem,
    ExamKind,
    ItemType,
    Trainee,
    TrainingRole,
    TrainingStore,
    completion_csv,
    exam_items,
    parse_answer,
    parse_role,
    score,
)
from hikeshi.respond.training.exams import EXAM_SIZE, PASS_MARK
from hikeshi.respond.training.scoring import score_steps
from hikeshi.store.accounts import Role
from hikeshi.web.auth import CurrentUser, verify_csrf
from hikeshi.web.pages_support import Admin, Viewer, render, store_of
from hikeshi.web.views.training import (
    DOCUMENT_LABELS,
    ROLE_HINTS,
    answer_line,
    context_line,
    form_answer,
    key_line,
    marked_draft,
    parse_picked,
    review_steps,
    tappable_pieces,
)

router = APIRouter(include_in_schema=False)
csrf = [Depends(verify_csrf)]
ExamPath = Annotated[str, Path(pattern="^(pre|post)$")]
NumberPath = Annotated[int, Path(ge=1, le=100)]


def _training(request: Request) -> TrainingStore:
    return TrainingStore(store_of(request))


def _see_other(url: str) -> Response:
    return RedirectResponse(url, status_code=status.HTTP_303_SEE_OTHER)


def _trainee_or_none(request: Request, user: CurrentUser) -> Trainee | None:
    return _training(request).find_trainee(user.name)


def _task_titles() -> dict[str, str]:
    return {task.id: task.title for phase in default_playbook().phases for task in phase.tasks}


@router.get("/training", response_class=HTMLResponse)
def training_home(request: Request, user: Viewer) -> Response:
    return _home(request, user)


def _home(request: Request, user: CurrentUser, error: str | None = None, status_code: int = 200) -> Response:
    training = _training(request)
    trainee = training.find_trainee(user.name)
    progress = training.progress(trainee) if trainee is not None else None
    return render(
        request,
        "training.html",
        user,
        {
            "trainee": trainee,
            "progress": progress,
            "roles": list(TrainingRole),
            "role_hints": ROLE_HINTS,
            "pass_mark": PASS_MARK,
            "exam_size": EXAM_SIZE,
            "is_admin": user.role.allows(Role.ADMIN),
            "error": error,
        },
        status_code=status_code,
    )


@router.post("/training/enrol", dependencies=csrf)
def training_enrol(
    request: Request,
    user: Viewer,
    department: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
) -> Response:
    try:
        _training(request).enrol(user.name, department, parse_role(role))
    except HikeshiError as problem:
        return _home(request, user, error=str(problem), status_code=422)
    return _see_other("/training")


@router.get("/training/report", response_class=HTMLResponse)
def training_report(request: Request, user: Admin, department: str = "") -> Response:
    training = _training(request)
    chosen = department or None
    return render(
        request,
        "training_report.html",
        user,
        {
            "summaries": training.department_summaries(chosen),
            "progress": training.progress_all(chosen),
            "departments": sorted({trainee.department for trainee in training.trainees()}),
            "department": department,
            "pass_mark": PASS_MARK,
        },
    )


@router.get("/training/report.csv")
def training_report_csv(request: Request, user: Admin, department: str = "") -> Response:
    body: Any = completion_csv(_training(request).progress_all(department or None)).encode("utf-8")
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="training_completion.csv"'},
    )


def _enrolled(request: Request, user: CurrentUser) -> Trainee:
    trainee = _trainee_or_none(request, user)
    if trainee is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "まず研修のページで部署と役割を登録してください。")
    return trainee


@router.get("/training/{exam}", response_class=HTMLResponse)
def training_start(request: Request, exam: ExamPath, user: Viewer) -> Response:
    """Continue the sitting in progress at its first unanswered item, or show the result of the last one."""
    training, kind = _training(request), ExamKind(exam)
    trainee = _enrolled(request, user)
    sitting = training.current_sitting(trainee, kind)
    if sitting is None:
        if training.attempts(trainee, kind):
            return _see_other(f"/training/{exam}/result")
        return _see_other(f"/training/{exam}/1")
    answered = {attempt.item_id for attempt in training.attempts(trainee, kind, sitting)}
    items = exam_items(trainee.role, kind)
    number = next(index for index, item in enumerate(items, start=1) if item.id not in answered)
    return _see_other(f"/training/{exam}/{number}")


@router.get("/training/{exam}/result", response_class=HTMLResponse)
def training_result(request: Request, exam: ExamPath, user: Viewer) -> Response:
    training, kind = _training(request), ExamKind(exam)
    trainee = _enrolled(request, user)
    attempts = training.attempts(trainee, kind)
    if not attempts:
        return _see_other(f"/training/{exam}/1")
    sitting = attempts[-1].sitting
    items = {item.id: item for item in exam_items(trainee.role, kind)}
    rows = [
        (items[attempt.item_id], attempt)
        for attempt in training.attempts(trainee, kind, sitting)
        if attempt.item_id in items
    ]
    return render(
        request,
        "training_result.html",
        user,
        {
            "exam": kind,
            "trainee": trainee,
            "result": training.sitting_result(trainee, kind, sitting),
            "rows": rows,
            "progress": training.progress(trainee),
            "pass_mark": PASS_MARK,
        },
    )


@router.get("/training/{exam}/{number}", response_class=HTMLResponse)
def training_item(
    request: Request,
    exam: ExamPath,
    number: NumberPath,
    user: Viewer,
    picked: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    training, kind = _training(request), ExamKind(exam)
    trainee = _enrolled(request, user)
    items = exam_items(trainee.role, kind)
    if number > len(items):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "その番号の問題はありません。")
    try:
        sitting = training.answering_sitting(trainee, kind)
    except ConflictError:
        return _see_other(f"/training/{exam}/result")
    item = items[number - 1]
    if item.id in {attempt.item_id for attempt in training.attempts(trainee, kind, sitting)}:
        return _see_other(f"/training/{exam}")
    try:
        chosen = parse_picked(item, picked) if item.type is ItemType.SCENARIO else []
    except InputError:
        return _see_other(f"/training/{exam}/{number}")
    return _item_page(request, user, kind, sitting, number, len(items), item, chosen)


def _item_page(
    request: Request,
    user: CurrentUser,
    kind: ExamKind,
    sitting: int,
    number: int,
    total: int,
    item: BankItem,
    chosen: list[str],
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "training_item.html",
        user,
        {
            "exam": kind,
            "sitting": sitting,
            "number": number,
            "total": total,
            "item": item,
            "pieces": tappable_pieces(item) if item.type is ItemType.FIND_SPAN else [],
            "chosen": chosen,
            "story": list(zip(item.steps, chosen, strict=False)),
            "step_index": len(chosen),
            "tasks": _task_titles(),
            "context": context_line(item),
            "document_labels": DOCUMENT_LABELS,
            "error": error,
        },
        status_code=status_code,
    )


@router.post("/training/{exam}/{number}", response_class=HTMLResponse, dependencies=csrf)
def training_answer(
    request: Request,
    exam: ExamPath,
    number: NumberPath,
    user: Viewer,
    sitting: Annotated[int, Form(ge=1)],
    item_id: Annotated[str, Form(max_length=60)],
    answer: Annotated[str, Form(max_length=20)] = "",
    text: Annotated[str, Form(max_length=4000)] = "",
    chunk: Annotated[list[str] | None, Form()] = None,
    picked: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    training, kind = _training(request), ExamKind(exam)
    trainee = _enrolled(request, user)
    items = exam_items(trainee.role, kind)
    if number > len(items) or items[number - 1].id != item_id:
        raise HTTPException(
            status.HTTP_409_CONFLICT, "問題が入れ替わりました。テストのページからやり直してください。"
        )
    item = items[number - 1]
    try:
        chosen = parse_picked(item, picked) if item.type is ItemType.SCENARIO else []
        raw = form_answer(item, answer, text, chunk or [], chosen)
        if item.type is ItemType.SCENARIO and len(raw) < len(item.steps):
            return _step_feedback(request, user, kind, sitting, number, len(items), item, raw)
        parsed = parse_answer(item, raw)
    except InputError as problem:
        return _item_page(request, user, kind, sitting, number, len(items), item, [], str(problem), 422)
    result = score(item, parsed)
    try:
        training.record(trainee, kind, sitting, item.id, parsed.value, result)
    except ConflictError as problem:
        raise HTTPException(status.HTTP_409_CONFLICT, str(problem)) from None
    next_url = f"/training/{exam}/{number + 1}" if number < len(items) else f"/training/{exam}/result"
    return render(
        request,
        "training_feedback.html",
        user,
        {
            "exam": kind,
            "number": number,
            "total": len(items),
            "item": item,
            "result": result,
            "yours": answer_line(item, parsed.value),
            "key": key_line(item),
            "draft": marked_draft(item),
            "rewrite": parsed.value if item.type is ItemType.REWRITE else None,
            "steps": review_steps(item, parsed.value) if item.type is ItemType.SCENARIO else [],
            "next_url": next_url,
            "last": number >= len(items),
        },
    )


def _step_feedback(
    request: Request,
    user: CurrentUser,
    kind: ExamKind,
    sitting: int,
    number: int,
    total: int,
    item: BankItem,
    chosen: list[str],
) -> Response:
    """One step of a scenario answered: its explanation, then the next step (nothing stored yet)."""
    step = item.steps[len(chosen) - 1]
    picked_choice = next(choice for choice in step.choices if choice.id == chosen[-1])
    partial = score_steps(item.model_copy(update={"steps": item.steps[: len(chosen)]}), chosen)
    return render(
        request,
        "training_step.html",
        user,
        {
            "exam": kind,
            "sitting": sitting,
            "number": number,
            "total": total,
            "item": item,
            "step": step,
            "step_number": len(chosen),
            "choice": picked_choice,
            "correct_so_far": round(partial.score * len(chosen)),
            "next_url": f"/training/{kind.value}/{number}?picked={','.join(chosen)}",
        },
    )
