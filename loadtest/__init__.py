"""Load test and drills: `make loadtest`, `make drill` (see docs/deploy.md, "Drills")."""
