import io

from flask import Blueprint, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from app.access import staff_required
from app.database import writes, writing_from_here
from app.extensions import db
from app.models import Event, FileJobStatus, utcnow
from app.services import audit, charts, events, exports, file_jobs, interviews, reports, show_rate
from app.web import or_404

bp = Blueprint("reports", __name__, url_prefix="/staff/events/<slug>")


def _closed_day(event: Event) -> None:
    """Interviews still open once the event's day is over are closed before anything is counted
    (the first reader after the day writes this once)."""
    if interviews.close_open_interviews(db.session, event, utcnow()):
        db.session.commit()


def _dashboard_context(event: Event) -> dict:
    _closed_day(event)
    numbers = reports.event_numbers(db.session, event, utcnow())
    sort = request.args.get("sort", "name")
    sort = sort if sort in reports.EMPLOYER_SORTS else "name"
    query = request.args.get("q", "")[:100]
    return {
        "event": event,
        "numbers": numbers,
        "employer_rows": reports.employer_table(numbers.employers, sort=sort, query=query),
        "employer_sorts": reports.EMPLOYER_SORTS,
        "sort": sort,
        "query": query,
        "arrivals_chart": charts.columns(numbers.arrivals, title="Arrivals per 15 minutes", height=180),
        "updated_at": utcnow(),
    }


@bp.get("/dashboard")
@staff_required
def dashboard(slug: str):
    event = events.event_by_slug(db.session, slug)
    return render_template("reports/dashboard.html", **_dashboard_context(event),
                           show_rate=show_rate.for_event(db.session, event))


@bp.get("/dashboard/live")
@staff_required
def dashboard_live(slug: str):
    """The numbers alone, which the dashboard page fetches again every few seconds (htmx)."""
    return render_template(
        "reports/_dashboard_numbers.html", **_dashboard_context(events.event_by_slug(db.session, slug))
    )


@bp.get("/report.pdf")
@writes
@staff_required
def report_pdf(slug: str):
    """Queue the report PDF (the job worker makes it) and follow it to its file."""
    event = events.event_by_slug(db.session, slug)
    _closed_day(event)  # before the job counts anything
    job = file_jobs.start(db.session, event, file_jobs.REPORT, f"report-{event.slug}.pdf", utcnow())
    db.session.commit()
    file_jobs.enqueue(job.id)
    return redirect(url_for("reports.report_job", slug=slug, job_id=job.id))


@bp.get("/report/jobs/<job_id>")
@staff_required
def report_job(slug: str, job_id: str):
    """Where the report is; once made, its file (the page reloads itself until then)."""
    event = events.event_by_slug(db.session, slug)
    job = or_404(file_jobs.find, db.session, event, job_id, utcnow())
    if job.status == FileJobStatus.FINISHED:
        return redirect(url_for("reports.report_file", slug=slug, job_id=job.id))
    return render_template("reports/report_job.html", event=event, job=job)


@bp.get("/report/jobs/<job_id>.pdf")
@staff_required
def report_file(slug: str, job_id: str):
    event = events.event_by_slug(db.session, slug)
    job = or_404(file_jobs.finished, db.session, event, job_id, utcnow())
    with writing_from_here(db.session):
        audit.record(
            db.session, "export.report_pdf", actor_user=current_user._get_current_object(), obj=event
        )
        db.session.commit()
    return send_file(
        io.BytesIO(job.content or b""),
        "application/pdf",
        as_attachment=True,
        download_name=job.filename,
        max_age=0,
    )


#: What each export file is sent as.
_MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@bp.get("/export/<any(registrations, checkins, interviews, offers):kind>.<any(csv, xlsx):file_format>")
@staff_required
def export(slug: str, kind: str, file_format: str):
    event = events.event_by_slug(db.session, slug)
    _closed_day(event)
    body, rows = exports.export_file(db.session, event, kind, file_format)
    with writing_from_here(db.session):
        audit.record(db.session, f"export.{kind}", actor_user=current_user._get_current_object(), obj=event,
                     rows=rows, format=file_format)
        db.session.commit()
    return send_file(io.BytesIO(body), _MEDIA_TYPES[file_format], as_attachment=True,
                     download_name=f"{event.slug}-{kind}.{file_format}")
