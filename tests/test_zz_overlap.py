from test_concurrency_people import company, decided, run_together, EMPLOYEES  # noqa: F401

def test_overlap(decided):
    recipients = ("appellant", "gm", "hr")
    notices = [[["appeal", "notify", str(n), "--to", to, "--via", "email"] for n in range(1, EMPLOYEES + 1) for to in order]
               for order in (recipients, recipients[::-1])]
    for r in run_together(notices):
        print("PROC", r.returncode); print(r.stdout)
    starts = [[["leave", "start", f"Emp {k}", "--last-day", "2026-12-31"] for k in range(EMPLOYEES)] for _ in range(2)]
    for r in run_together(starts):
        print("PROC", r.returncode); print(r.stdout)
