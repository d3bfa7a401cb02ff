"""The live dashboard, the report PDF and the CSV exports."""
