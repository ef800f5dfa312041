"""Background tasks of the network app, run by the `helpwanted worker` process."""

from django.tasks import task

from helpwanted.network.imports import import_job_run


@task
def run_import(job_id: int) -> None:
    """Run a confirmed import that was too big to run during the request."""
    import_job_run(job_id=job_id)
