"""Stage 3: typed records -> what people need to see: statuses, timelines, metrics, contacts."""
